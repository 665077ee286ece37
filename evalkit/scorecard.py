"""The FY2019 scorecard: indicators against targets, schedules against what happened.

The IT division's FY2019 (令和元年度) progress report is a table of seven
initiatives under two themes. Each initiative has activity indicators
(outputs), outcome indicators (targets, numeric or qualitative), a schedule
and a progress statement. ``data/scorecard/`` holds that table as data:

- ``fy2019_indicators.csv``: one row per indicator, with its target and the
  source of its actual (computed from the sample data, or quoted from the
  report);
- ``fy2019_milestones.csv``: one row per scheduled step, its timing exactly
  as written and what the progress column says happened;
- ``platform_migration.csv``: the counts of systems on the common platform.

:func:`evaluate_indicators` marks each indicator met, not met or not
assessable, :func:`evaluate_milestones` marks each step done on time, late,
open or not assessable, and :func:`platform_progress` lines up planned and
actual migration counts. :func:`compute_actuals` computes the
speech-recognition and RPA actuals from the sample data with the same calls
the notebooks make, so the figures are never typed in twice.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._validation import numeric, require_columns, source_file
from .errors import EvalkitError, spreadsheet_row
from .fiscal import parse_month, parse_schedule, parse_timing
from .tables import Column, Schema, read_table

__all__ = [
    "INDICATOR_COLUMNS",
    "INITIATIVES",
    "MILESTONE_COLUMNS",
    "PLATFORM_COLUMNS",
    "Actual",
    "Initiative",
    "compute_actuals",
    "evaluate_indicators",
    "evaluate_milestones",
    "load_indicators",
    "load_milestones",
    "load_platform_migration",
    "platform_progress",
]


@dataclass(frozen=True)
class Initiative:
    """One initiative (取組) of the report: id, theme and name as the report writes them."""

    initiative_id: str
    theme: str
    name: str


#: The seven initiatives of the FY2019 report, in the report's order.
INITIATIVES: tuple[Initiative, ...] = (
    Initiative("voice_recognition", "庁内のＩＴ化推進", "音声認識技術の導入"),
    Initiative("rpa", "庁内のＩＴ化推進", "RPAの試行導入"),
    Initiative("common_platform", "庁内のＩＴ化推進", "共通プラットフォームの利用拡大"),
    Initiative("admin_services", "庁内のＩＴ化推進", "行政サービスに係る情報システムの検討"),
    Initiative("municipal_services", "市町村のＩＴ化支援", "府内市町村におけるサービスの効率化"),
    Initiative("municipal_cloud", "市町村のＩＴ化支援", "自治体クラウドの導入支援等"),
    Initiative("lgwan", "市町村のＩＴ化支援", "LGWAN府域ネットワークの更新の支援"),
)
_INITIATIVE_BY_ID = {i.initiative_id: i for i in INITIATIVES}

#: Columns of ``fy2019_indicators.csv``, in order.
INDICATOR_COLUMNS = [
    "theme",
    "initiative_id",
    "initiative",
    "indicator_id",
    "kind",
    "indicator",
    "target_kind",
    "target_value",
    "target_direction",
    "target_unit",
    "actual_value",
    "actual_unit",
    "actual_text",
    "actual_source",
    "note",
]
#: Columns of ``fy2019_milestones.csv``, in order.
MILESTONE_COLUMNS = [
    "theme",
    "initiative_id",
    "initiative",
    "milestone_id",
    "planned_timing",
    "step",
    "progress_text",
    "actual_timing",
    "done",
    "note",
]
#: Columns of ``platform_migration.csv``, in order.
PLATFORM_COLUMNS = ["kind", "timing", "period_end", "systems", "statement", "note"]

MET, NOT_MET, NOT_ASSESSABLE = "met", "not met", "not assessable"
DONE_ON_TIME, LATE, OPEN = "done on time", "late", "open"

_KINDS = ("activity", "outcome")
_TARGET_KINDS = ("numeric", "qualitative")
_DIRECTIONS = (">=", "<=", "==")
_DONE = ("yes", "no", "not stated")
_PLATFORM_KINDS = ("running", "planned", "migrated", "scope")
_COMPUTED = re.compile(r"computed:([a-z0-9_]+(?:\.[a-z0-9_]+)+)")
# Differences this small relative to the target count as equal (a rate of
# 0.7 computed in floating point meets a 70 % target).
_REL_TOL = 1e-9


# --------------------------------------------------------------------------- reading


_T = "text"


def _col(name: str, kind: str = _T, *aliases: str, **kw: Any) -> Column:
    return Column(name, kind, aliases=aliases, **kw)


#: Schema of ``fy2019_indicators.csv`` (Japanese header aliases accepted).
INDICATOR_SCHEMA = Schema(
    "scorecard indicators",
    [
        _col("theme", _T, "テーマ"),
        _col("initiative_id", _T, "取組ID"),
        _col("initiative", _T, "取組", "取組名"),
        _col("indicator_id", _T, "指標ID"),
        _col("kind", _T, "指標区分", choices=_KINDS),
        _col("indicator", _T, "指標"),
        _col("target_kind", _T, "目標区分", choices=_TARGET_KINDS),
        _col("target_value", "float", "目標値", nullable=True),
        _col("target_direction", _T, "目標の向き", nullable=True, choices=_DIRECTIONS),
        _col("target_unit", _T, "目標の単位", nullable=True),
        _col("actual_value", "float", "実績値", nullable=True),
        _col("actual_unit", _T, "実績の単位", nullable=True),
        _col("actual_text", _T, "進捗状況", "実績", nullable=True),
        _col("actual_source", _T, "実績の出典"),
        _col("note", _T, "備考", required=False, nullable=True),
    ],
    key=["indicator_id"],
)

#: Schema of ``fy2019_milestones.csv`` (Japanese header aliases accepted).
MILESTONE_SCHEMA = Schema(
    "scorecard milestones",
    [
        _col("theme", _T, "テーマ"),
        _col("initiative_id", _T, "取組ID"),
        _col("initiative", _T, "取組", "取組名"),
        _col("milestone_id", _T, "工程ID"),
        _col("planned_timing", _T, "予定時期", "スケジュール"),
        _col("step", _T, "工程", "内容"),
        _col("progress_text", _T, "進捗状況", nullable=True),
        _col("actual_timing", _T, "実施時期", nullable=True),
        _col("done", _T, "実施済", choices=_DONE),
        _col("note", _T, "備考", required=False, nullable=True),
    ],
    key=["milestone_id"],
)

#: Schema of ``platform_migration.csv``.
PLATFORM_SCHEMA = Schema(
    "common-platform migration",
    [
        _col("kind", _T, "区分", choices=_PLATFORM_KINDS),
        _col("timing", _T, "時期"),
        _col("period_end", "month", "時点", nullable=True),
        _col("systems", "int", "システム数", minimum=0, units=("システム",)),
        _col("statement", _T, "記載", nullable=True),
        _col("note", _T, "備考", required=False, nullable=True),
    ],
)


def _read(path: Any, default: str, schema: Schema, sheet: Any) -> pd.DataFrame:
    from .datasets import data_path

    if path is None:
        if sheet is not None:
            raise EvalkitError("sheet= needs path= (the scorecard files are CSV)", value=sheet)
        path = data_path("scorecard", default)
    return read_table(path, schema, sheet=sheet)


def load_indicators(path: Any = None, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read and check ``fy2019_indicators.csv``.

    Parameters
    ----------
    path : str or path-like, optional
        A ``.csv`` or ``.xlsx`` file (see :func:`evalkit.tables.read_table`);
        default ``data/scorecard/fy2019_indicators.csv``.
    sheet : str or int, optional
        Workbook sheet, with an Excel ``path``.

    Returns
    -------
    pandas.DataFrame
        The :data:`INDICATOR_COLUMNS`: text columns as strings (blank cells
        are ``""``), ``target_value`` and ``actual_value`` as float64 (blank
        cells are NaN). ``attrs["source"]`` is the file name.

    Raises
    ------
    EvalkitError
        Naming the file, row, column and value of the first cell that breaks
        a rule of ``data/scorecard/README.md``.

    Examples
    --------
    >>> ind = load_indicators()
    >>> len(ind), ind["initiative_id"].nunique()
    (21, 7)
    """
    return _check_indicators(_read(path, "fy2019_indicators.csv", INDICATOR_SCHEMA, sheet))


def load_milestones(path: Any = None, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read and check ``fy2019_milestones.csv``.

    Parameters
    ----------
    path : str or path-like, optional
        A ``.csv`` or ``.xlsx`` file; default ``data/scorecard/fy2019_milestones.csv``.
    sheet : str or int, optional
        Workbook sheet, with an Excel ``path``.

    Returns
    -------
    pandas.DataFrame
        The :data:`MILESTONE_COLUMNS`, all text (blank cells are ``""``),
        rows in the order of the report's schedules. ``attrs["source"]`` is
        the file name.

    Raises
    ------
    EvalkitError
        Naming the file, row, column and value of the first bad cell.

    Examples
    --------
    >>> ms = load_milestones()
    >>> ms.loc[0, ["planned_timing", "step"]].tolist()
    ['31年4月', '本格運用開始']
    """
    return _check_milestones(_read(path, "fy2019_milestones.csv", MILESTONE_SCHEMA, sheet))


def load_platform_migration(path: Any = None, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read and check ``platform_migration.csv``, the common-platform system counts.

    Parameters
    ----------
    path : str or path-like, optional
        A ``.csv`` or ``.xlsx`` file; default ``data/scorecard/platform_migration.csv``.
    sheet : str or int, optional
        Workbook sheet, with an Excel ``path``.

    Returns
    -------
    pandas.DataFrame
        The :data:`PLATFORM_COLUMNS`: ``systems`` as int64, ``period_end``
        as a monthly ``pandas.Period`` (NaT when blank), the rest text.

    Raises
    ------
    EvalkitError
        Naming the file, row, column and value of the first bad cell.

    Examples
    --------
    >>> pm = load_platform_migration()
    >>> pm[["kind", "timing", "systems"]].values.tolist()[:3]
    [['running', '利用開始済', 5], ['planned', '４月から９月', 4], ['planned', '10月から３月', 26]]
    """
    return _check_platform(_read(path, "platform_migration.csv", PLATFORM_SCHEMA, sheet))


def _blank(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _text(df: pd.DataFrame, col: str) -> pd.Series:
    """Column as stripped strings, blanks (NaN, None, NaT) as ""."""
    return df[col].map(lambda v: "" if _blank(v) else str(v).strip()).astype("str")


def _fail(df: pd.DataFrame, reason: str, pos: int, col: str, value: Any) -> EvalkitError:
    return EvalkitError(
        reason, file=source_file(df), row=spreadsheet_row(pos), column=col, value=value
    )


def _check_allowed(df, col, allowed) -> None:
    for pos, v in enumerate(df[col]):
        if v not in allowed:
            raise _fail(df, f"must be one of {', '.join(map(repr, allowed))}", pos, col, v)


def _check_nonblank(df, col) -> None:
    for pos, v in enumerate(df[col]):
        if v == "":
            raise _fail(df, "must not be blank", pos, col, v)


def _check_unique(df, col) -> None:
    seen: dict[str, int] = {}
    for pos, v in enumerate(df[col]):
        if v in seen:
            raise _fail(df, f"duplicate id (also in row {spreadsheet_row(seen[v])})", pos, col, v)
        seen[v] = pos


def _check_initiatives(df) -> None:
    for pos in range(len(df)):
        iid = df["initiative_id"].iat[pos]
        ini = _INITIATIVE_BY_ID.get(iid)
        if ini is None:
            known = ", ".join(_INITIATIVE_BY_ID)
            raise _fail(df, f"unknown initiative; known: {known}", pos, "initiative_id", iid)
        for col, want in (("theme", ini.theme), ("initiative", ini.name)):
            if df[col].iat[pos] != want:
                raise _fail(df, f"must be {want!r} for {iid}", pos, col, df[col].iat[pos])


def _prepare(data: Any, columns: list[str], numbers: tuple[str, ...] = ()) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise EvalkitError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    require_columns(data, [c for c in columns if c != "note"])
    df = data.reset_index(drop=True).copy()
    if "note" not in df.columns:  # optional, as in the files
        df["note"] = ""
    for col in columns:
        if col not in numbers:
            df[col] = _text(df, col)
    return df


def _check_indicators(data: Any) -> pd.DataFrame:
    df = _prepare(data, INDICATOR_COLUMNS, ("target_value", "actual_value"))
    file = source_file(df)
    for col in ("target_value", "actual_value"):
        df[col] = numeric(
            df[col], column=col, file=file, tabular=True, allow_missing=True, allow_negative=True
        )
    for col in ("initiative_id", "indicator_id", "indicator"):
        _check_nonblank(df, col)
    _check_initiatives(df)
    _check_unique(df, "indicator_id")
    _check_allowed(df, "kind", _KINDS)
    _check_allowed(df, "target_kind", _TARGET_KINDS)
    for pos, row in enumerate(df.itertuples(index=False)):
        if row.target_kind == "numeric":
            if math.isnan(row.target_value):
                raise _fail(df, "a numeric target needs a value", pos, "target_value", "")
            if row.target_direction not in _DIRECTIONS:
                raise _fail(
                    df,
                    f"a numeric target needs one of {', '.join(_DIRECTIONS)}",
                    pos,
                    "target_direction",
                    row.target_direction,
                )
            if row.target_unit == "":
                raise _fail(df, "a numeric target needs a unit", pos, "target_unit", "")
        else:
            for col in ("target_value", "target_direction", "target_unit"):
                v = getattr(row, col)
                if not (v == "" or (isinstance(v, float) and math.isnan(v))):
                    raise _fail(df, "must be blank for a qualitative target", pos, col, v)
        src = row.actual_source
        if src not in ("report", "none") and not _COMPUTED.fullmatch(src):
            raise _fail(
                df,
                "must be 'report', 'none' or 'computed:<name>' (e.g. computed:rpa.rate)",
                pos,
                "actual_source",
                src,
            )
        if src != "report" and not math.isnan(row.actual_value):
            raise _fail(
                df,
                f"an actual with source {src!r} is not typed in; leave it blank",
                pos,
                "actual_value",
                row.actual_value,
            )
        if src == "none" and row.actual_text != "":
            raise _fail(
                df,
                "source 'none' means the report states nothing; leave it blank",
                pos,
                "actual_text",
                row.actual_text,
            )
        if row.target_kind == "numeric" and row.actual_unit not in ("", row.target_unit):
            raise _fail(
                df,
                f"must be the target's unit {row.target_unit!r}",
                pos,
                "actual_unit",
                row.actual_unit,
            )
    return df


def _check_milestones(data: Any) -> pd.DataFrame:
    df = _prepare(data, MILESTONE_COLUMNS)
    for col in ("initiative_id", "milestone_id", "planned_timing", "step"):
        _check_nonblank(df, col)
    _check_initiatives(df)
    _check_unique(df, "milestone_id")
    _check_allowed(df, "done", _DONE)
    return df


def _check_platform(data: Any) -> pd.DataFrame:
    df = _prepare(data, PLATFORM_COLUMNS, ("systems",))
    file = source_file(df)
    _check_allowed(df, "kind", _PLATFORM_KINDS)
    systems = numeric(df["systems"], column="systems", file=file, tabular=True)
    for pos, v in enumerate(systems):
        if not float(v).is_integer():
            raise _fail(
                df,
                "a number of systems must be a whole number",
                pos,
                "systems",
                df["systems"].iat[pos],
            )
    df["systems"] = systems.astype("int64")
    ends = []
    for pos, (kind, v) in enumerate(zip(df["kind"], _text(df, "period_end"), strict=True)):
        if v == "":
            if kind != "scope":
                raise _fail(
                    df,
                    f"a {kind!r} row needs the month it applies to (YYYY-MM)",
                    pos,
                    "period_end",
                    v,
                )
            ends.append(pd.NaT)
            continue
        try:
            ends.append(parse_month(v))
        except EvalkitError as err:
            raise _fail(df, err.reason, pos, "period_end", v) from None
    df["period_end"] = pd.Series(ends, dtype="period[M]")
    for kind in ("running", "scope"):
        where = np.flatnonzero(df["kind"].to_numpy() == kind)
        if len(where) > 1:
            raise _fail(df, f"only one {kind!r} row is allowed", int(where[1]), "kind", kind)
    return df


# --------------------------------------------------------------------------- actuals


@dataclass(frozen=True)
class Actual:
    """An actual figure for an indicator, in the indicator's unit.

    Attributes
    ----------
    value : float
        The figure (a percentage for a target in %).
    unit : str
        Its unit as the indicator file writes it (``"%"``, ``"時間/月"``...);
        "" skips the unit check.
    ci : (float, float) or None
        Confidence interval of ``value``, if it has one.
    source : str
        How it was computed, for the record.
    """

    value: float
    unit: str = ""
    ci: tuple[float, float] | None = None
    source: str = ""


def compute_actuals(
    *,
    minutes: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None,
    trial: pd.DataFrame | None = None,
    candidates: pd.DataFrame | None = None,
    random_state: Any = None,
) -> dict[str, Actual]:
    """Compute the speech-recognition and RPA actuals from the data.

    The calls are those of notebooks 01 and 02, so the scorecard shows the
    same figures as the notebooks.

    Parameters
    ----------
    minutes : pandas.DataFrame, optional
        Speech-recognition work records (month, department, hours_before,
        hours_after); default :func:`evalkit.datasets.load_minutes_work`.
    survey : pandas.DataFrame, optional
        Satisfaction answers (column ``answer``); default
        :func:`evalkit.datasets.load_satisfaction_survey`.
    trial : pandas.DataFrame, optional
        RPA trial runs (task, hours_before, hours_after); default
        :func:`evalkit.datasets.load_rpa_trial`.
    candidates : pandas.DataFrame, optional
        RPA candidate tasks for FY2020 (department, task); default
        :func:`evalkit.datasets.load_rpa_candidates`.
    random_state : None, int or numpy.random.Generator
        Passed to :func:`evalkit.reduction.reduction` (its bootstrap
        intervals); use the notebooks' seed to get their intervals too.

    Returns
    -------
    dict of str to Actual
        Keys as named in the ``actual_source`` column after ``computed:``:

        - ``voice_recognition.departments``: departments in the work records
          (``reduction(...).n`` with ``unit="department"``), unit 所属.
        - ``voice_recognition.mean_saved_per_month``: organisation-wide hours
          saved per month averaged over the months
          (``mean_saved_per_period`` with its interval), unit 時間/月.
        - ``voice_recognition.satisfaction_rate``: share of 大変満足 or 満足
          among valid answers, ×100 with its Wilson interval, unit %.
        - ``rpa.rate``: aggregate reduction rate ``saved / total_before`` over
          the trial tasks, ×100 with its interval, unit %.
        - ``rpa.saved``: hours saved over the trial, unit 時間.
        - ``rpa.candidate_tasks``: distinct (department, task) pairs in the
          candidate list, unit 業務.

    Notes
    -----
    The calls::

        reduction(minutes, before="hours_before", after="hours_after",
                  unit="department", period="month")
        satisfaction_rate(survey, answers="answer", target=0.70)
        reduction(trial, before="hours_before", after="hours_after",
                  unit="task", target=0.80)

    Examples
    --------
    >>> acts = compute_actuals(random_state=1)
    >>> acts["voice_recognition.departments"].value
    116.0
    >>> round(acts["voice_recognition.satisfaction_rate"].value, 2)
    83.87
    """
    from . import datasets
    from .reduction import reduction
    from .satisfaction import satisfaction_rate

    minutes = datasets.load_minutes_work() if minutes is None else minutes
    survey = datasets.load_satisfaction_survey() if survey is None else survey
    trial = datasets.load_rpa_trial() if trial is None else trial
    candidates = datasets.load_rpa_candidates() if candidates is None else candidates

    voice = reduction(
        minutes,
        before="hours_before",
        after="hours_after",
        unit="department",
        period="month",
        random_state=random_state,
    )
    sat = satisfaction_rate(survey, answers="answer", target=0.70)
    rpa = reduction(
        trial,
        before="hours_before",
        after="hours_after",
        unit="task",
        target=0.80,
        random_state=random_state,
    )
    require_columns(candidates, ["department", "task"])
    n_tasks = len(candidates[["department", "task"]].drop_duplicates())

    def pct(ci):
        return None if ci is None else (100 * ci[0], 100 * ci[1])

    red = "reduction(before='hours_before', after='hours_after'"
    return {
        "voice_recognition.departments": Actual(
            float(voice.n), "所属", None, f"{red}, unit='department', period='month').n"
        ),
        "voice_recognition.mean_saved_per_month": Actual(
            float(voice.mean_saved_per_period),
            "時間/月",
            voice.mean_saved_per_period_ci,
            f"{red}, unit='department', period='month').mean_saved_per_period",
        ),
        "voice_recognition.satisfaction_rate": Actual(
            100 * sat.rate,
            "%",
            pct(sat.ci),
            "100 * satisfaction_rate(answers='answer', target=0.70).rate",
        ),
        "rpa.rate": Actual(
            100 * rpa.rate, "%", pct(rpa.rate_ci), f"100 * {red}, unit='task', target=0.80).rate"
        ),
        "rpa.saved": Actual(float(rpa.saved), "時間", None, f"{red}, unit='task').saved"),
        "rpa.candidate_tasks": Actual(
            float(n_tasks), "業務", None, "distinct (department, task) in the FY2020 candidates"
        ),
    }


# --------------------------------------------------------------------------- indicators


def _as_actual(value: Any, *, df, pos) -> Actual:
    if isinstance(value, Actual):
        act = value
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        act = Actual(float(value))
    else:
        raise _fail(
            df,
            f"actuals must map to Actual or a number, got {type(value).__name__}",
            pos,
            "actual_source",
            df["actual_source"].iat[pos],
        )
    try:
        val = float(act.value)
    except (TypeError, ValueError):
        val = math.nan
    if not math.isfinite(val):
        raise _fail(
            df,
            f"the computed actual is not a finite number ({act.value!r})",
            pos,
            "actual_source",
            df["actual_source"].iat[pos],
        )
    unit = df["actual_unit"].iat[pos]
    if act.unit and unit and act.unit != unit:
        raise _fail(
            df,
            f"the computed actual is in {act.unit!r}, the file says {unit!r}",
            pos,
            "actual_unit",
            unit,
        )
    return act


def _compare(actual: float, target: float, direction: str) -> bool:
    close = abs(actual - target) <= _REL_TOL * max(1.0, abs(target))
    if direction == ">=":
        return actual >= target or close
    if direction == "<=":
        return actual <= target or close
    return close


def evaluate_indicators(
    data: pd.DataFrame, *, actuals: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Evaluate each indicator against its target: met, not met or not assessable.

    Parameters
    ----------
    data : pandas.DataFrame
        The indicators, as :func:`load_indicators` returns them.
    actuals : mapping of str to Actual or float, optional
        The computed actuals, keyed as in ``actual_source`` after
        ``computed:``; normally ``compute_actuals()``. Without it, computed
        actuals are missing and their numeric targets are not assessable.

    Returns
    -------
    pandas.DataFrame
        The rows of ``data`` (a copy) with these columns added:

        - ``actual``: the actual in the indicator's unit: the computed value
          for ``computed:`` rows, ``actual_value`` for ``report`` rows, NaN
          when there is none.
        - ``ci_low``, ``ci_high``: its confidence interval, NaN when it has none.
        - ``status``: ``"met"``, ``"not met"`` or ``"not assessable"``.
        - ``margin``: ``actual - target_value`` in the target's unit (so
          positive is good for ``>=``, negative for ``<=``); NaN when not
          assessable.
        - ``met_confidently``: whether the whole interval is on the met side
          of the target (boolean, NA without an interval or target).
        - ``reason``: why the status is what it is, in a sentence.

    Raises
    ------
    EvalkitError
        For a file that breaks the rules of :func:`load_indicators`, for an
        ``actuals`` mapping that lacks a name a row asks for, or whose unit
        differs from the row's ``actual_unit`` (naming the row, the column
        and the value).

    Notes
    -----
    - Qualitative targets are ``"not assessable"``: the report's statement
      (``actual_text``) is shown, and a computed figure is filled in as
      context, but no rule turns either into met or not met.
    - A numeric target is met when ``actual >= target`` (``>=``),
      ``actual <= target`` (``<=``) or ``actual == target`` (``==``);
      equality is exact up to a relative 1e-9, so a boundary value meets a
      ``>=`` target. Without an actual it is ``"not assessable"``.
    - ``met_confidently``: ``ci_low >= target`` for ``>=``,
      ``ci_high <= target`` for ``<=``; NA for ``==``.

    Examples
    --------
    >>> ind = load_indicators()
    >>> out = evaluate_indicators(ind).set_index("indicator_id")
    >>> row = out.loc["common_platform.a1"]
    >>> float(row["actual"]), row["status"], float(row["margin"])
    (30.0, 'met', 0.0)
    >>> out.loc["rpa.o2", "status"], out.loc["rpa.o2", "reason"]
    ('not assessable', 'no actual: not computed: pass actuals=compute_actuals() for rpa.rate')
    >>> rpa = ind[ind["initiative_id"] == "rpa"]
    >>> acts = {"rpa.rate": 84.0, "rpa.saved": 1800.0, "rpa.candidate_tasks": 3}
    >>> out = evaluate_indicators(rpa, actuals=acts)
    >>> out[["indicator_id", "actual", "status", "margin"]]
      indicator_id  actual          status  margin
    0       rpa.a1     NaN  not assessable     NaN
    1       rpa.a2     NaN  not assessable     NaN
    2       rpa.a3     3.0  not assessable     NaN
    3       rpa.o1  1800.0  not assessable     NaN
    4       rpa.o2    84.0             met     4.0
    """
    df = _check_indicators(data)
    n = len(df)
    actual = np.full(n, np.nan)
    ci_low = np.full(n, np.nan)
    ci_high = np.full(n, np.nan)
    margin = np.full(n, np.nan)
    status: list[str] = []
    reason: list[str] = []
    confident: list[Any] = []
    for pos, row in enumerate(df.itertuples(index=False)):
        m = _COMPUTED.fullmatch(row.actual_source)
        have_actual = False
        missing_why = "the report states no figure"
        if m is not None:
            key = m[1]
            if actuals is None:
                missing_why = f"not computed: pass actuals=compute_actuals() for {key}"
            elif key not in actuals:
                have = ", ".join(sorted(actuals)) or "nothing"
                raise _fail(
                    df,
                    f"actuals has no {key!r} (it has {have})",
                    pos,
                    "actual_source",
                    row.actual_source,
                )
            else:
                act = _as_actual(actuals[key], df=df, pos=pos)
                actual[pos] = float(act.value)
                if act.ci is not None:
                    ci_low[pos], ci_high[pos] = (float(v) for v in act.ci)
                have_actual = True
        elif not math.isnan(row.actual_value):
            actual[pos] = row.actual_value
            have_actual = True

        if row.target_kind == "qualitative":
            status.append(NOT_ASSESSABLE)
            reason.append("qualitative target: no rule decides met or not met")
            confident.append(pd.NA)
            continue
        if not have_actual:
            status.append(NOT_ASSESSABLE)
            reason.append(f"no actual: {missing_why}")
            confident.append(pd.NA)
            continue
        target, direction = row.target_value, row.target_direction
        met = _compare(actual[pos], target, direction)
        margin[pos] = actual[pos] - target
        status.append(MET if met else NOT_MET)
        word = {">=": "at least", "<=": "at most", "==": "exactly"}[direction]
        reason.append(
            f"actual {actual[pos]:.4g} {row.target_unit} against a target of {word} "
            f"{target:g} {row.target_unit}"
        )
        if direction == "==" or math.isnan(ci_low[pos]) or math.isnan(ci_high[pos]):
            confident.append(pd.NA)
        elif direction == ">=":
            confident.append(bool(ci_low[pos] >= target))
        else:
            confident.append(bool(ci_high[pos] <= target))
    out = df.copy()
    out["actual"] = actual
    out["ci_low"] = ci_low
    out["ci_high"] = ci_high
    out["status"] = status
    out["margin"] = margin
    out["met_confidently"] = pd.array(confident, dtype="boolean")
    out["reason"] = reason
    return out


# --------------------------------------------------------------------------- milestones


def evaluate_milestones(
    data: pd.DataFrame, *, fiscal_year: int = 2019, as_of: Any = "2020-03"
) -> pd.DataFrame:
    """Evaluate each scheduled step: done on time, late, open or not assessable.

    Parameters
    ----------
    data : pandas.DataFrame
        The steps, as :func:`load_milestones` returns them, each initiative's
        steps in the order of its schedule.
    fiscal_year : int, default 2019
        Fiscal year of the plan; places months written without a year.
    as_of : month-like, default "2020-03"
        Month of the progress report (R２年３月末時点 is ``"2020-03"``).

    Returns
    -------
    pandas.DataFrame
        The rows of ``data`` (a copy) with these columns added:

        - ``planned_start``, ``planned_end``: months of the planned timing
          (``period[M]``, NaT where the timing has none), read by
          :func:`evalkit.fiscal.parse_schedule` over each initiative's
          schedule, so a bare "９月" continues the line before it.
        - ``planned_kind``, ``planned_flag``: the timing's kind and flag
          (see :class:`evalkit.fiscal.Timing`; flag "" when none).
        - ``actual_start``, ``actual_end``, ``actual_flag``: the same for
          ``actual_timing``, read by :func:`evalkit.fiscal.parse_timing`.
        - ``status``: ``"done on time"``, ``"late"``, ``"open"`` or
          ``"not assessable"``.
        - ``months_late``: whole months past the planned deadline (Int64):
          0 when on time, NA when open or not assessable.
        - ``reason``: why the status is what it is, in a sentence.

    Raises
    ------
    EvalkitError
        For a bad cell (see :func:`load_milestones`), a timing shaped like an
        impossible date, or an actual month after ``as_of``; naming the row,
        the column and the value.

    Notes
    -----
    The deadline of a step is its planned end, or its planned start for an
    open end ("２月～"). Dates in the report are months, so lateness is
    counted in months, never in days.

    - Planned timing not a date (随時, 適宜, 年４回程度): ``"not assessable"``.
    - Done with an actual timing: its end (its start for an open end such
      as "7月～") is compared with the deadline: on or before it is
      ``"done on time"``, after it is ``"late"`` by the difference in months.
    - Done without an actual timing: the report only says it was done by
      ``as_of``; that is ``"done on time"`` if the deadline is ``as_of`` or
      later, else ``"not assessable"``.
    - Not done (``done`` "no"): ``"open"`` while the deadline is ``as_of``
      or later, else ``"late"`` by ``as_of`` minus the deadline.
    - Not stated: ``"open"`` while the deadline is ``as_of`` or later, else
      ``"not assessable"``.

    Examples
    --------
    >>> out = evaluate_milestones(load_milestones())
    >>> row = out.set_index("milestone_id").loc["rpa.m3"]
    >>> row["planned_timing"], row["actual_timing"], row["status"], int(row["months_late"])
    ('９月', '9～10月', 'late', 1)
    >>> out["status"].value_counts().to_dict()
    {'done on time': 12, 'not assessable': 6, 'late': 1}
    """
    df = _check_milestones(data)
    if isinstance(fiscal_year, bool) or not isinstance(fiscal_year, numbers.Integral):
        raise EvalkitError(
            "fiscal_year must be an int such as 2019", column="fiscal_year", value=fiscal_year
        )
    try:
        report_month = parse_month(as_of)
    except EvalkitError as err:
        raise EvalkitError(err.reason, column="as_of", value=as_of) from None
    n = len(df)
    planned: list[Any] = [None] * n
    for iid in pd.unique(df["initiative_id"]):
        positions = np.flatnonzero(df["initiative_id"].to_numpy() == iid)
        lines = [df["planned_timing"].iat[p] for p in positions]
        try:
            timings = parse_schedule(lines, fiscal_year=int(fiscal_year))
        except EvalkitError as err:
            pos = int(positions[err.row - 1]) if err.row is not None else int(positions[0])
            raise _fail(
                df, err.reason, pos, "planned_timing", df["planned_timing"].iat[pos]
            ) from None
        for p, t in zip(positions, timings, strict=True):
            planned[int(p)] = t
    actual: list[Any] = []
    for pos, text in enumerate(df["actual_timing"]):
        if text == "":
            actual.append(None)
            continue
        try:
            actual.append(parse_timing(text, fiscal_year=int(fiscal_year)))
        except EvalkitError as err:
            raise _fail(df, err.reason, pos, "actual_timing", text) from None

    status, reason, late = [], [], []
    for pos in range(n):
        s, r, k = _milestone_status(df, pos, planned[pos], actual[pos], report_month)
        status.append(s)
        reason.append(r)
        late.append(k)

    def months(ts, attr):
        return pd.Series(
            [pd.NaT if t is None or getattr(t, attr) is None else getattr(t, attr) for t in ts],
            dtype="period[M]",
        )

    out = df.copy()
    out["planned_start"] = months(planned, "start")
    out["planned_end"] = months(planned, "end")
    out["planned_kind"] = [t.kind for t in planned]
    out["planned_flag"] = [t.flag or "" for t in planned]
    out["actual_start"] = months(actual, "start")
    out["actual_end"] = months(actual, "end")
    out["actual_flag"] = ["" if t is None else (t.flag or "") for t in actual]
    out["status"] = status
    out["months_late"] = pd.array(late, dtype="Int64")
    out["reason"] = reason
    return out


def _months_between(later: pd.Period, earlier: pd.Period) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def _milestone_status(df, pos, planned, actual, as_of) -> tuple[str, str, Any]:
    if not planned.is_dated:
        why = f"planned timing {planned.text!r} is {planned.flag}"
        if df["done"].iat[pos] == "yes":
            when = "" if actual is None else f" ({actual.text})"
            why += f"; reported done{when}"
        return NOT_ASSESSABLE, why, pd.NA
    deadline = planned.end if planned.end is not None else planned.start
    done = df["done"].iat[pos]
    if actual is not None and actual.is_dated:
        point = actual.end if actual.end is not None else actual.start
        if point > as_of:
            raise _fail(
                df,
                f"the actual timing reaches {point}, after the report month {as_of}",
                pos,
                "actual_timing",
                actual.text,
            )
        if done != "yes":
            raise _fail(df, "an actual timing is given, so done must be 'yes'", pos, "done", done)
        k = _months_between(point, deadline)
        if k <= 0:
            return DONE_ON_TIME, f"done {point}, due {deadline}", 0
        return LATE, f"done {point}, due {deadline}", k
    if done == "yes":
        why = "" if actual is None else f" (actual timing {actual.text!r}: {actual.flag})"
        if deadline >= as_of:
            return (
                DONE_ON_TIME,
                (f"reported done by {as_of}, no later than the deadline {deadline}{why}"),
                0,
            )
        return (
            NOT_ASSESSABLE,
            (f"reported done by {as_of} without a month, and due earlier ({deadline}){why}"),
            pd.NA,
        )
    if deadline >= as_of:
        return OPEN, f"not reported done; due {deadline}", pd.NA
    if done == "no":
        k = _months_between(as_of, deadline)
        return LATE, f"not done by {as_of}, due {deadline}", k
    return NOT_ASSESSABLE, f"the report does not say whether it was done (due {deadline})", pd.NA


# --------------------------------------------------------------------------- platform


def platform_progress(data: pd.DataFrame | None = None, *, fiscal_year: int = 2019) -> pd.DataFrame:
    """Planned and actual numbers of systems on the common platform, cumulative.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        The counts, as :func:`load_platform_migration` returns them;
        default the repository's ``platform_migration.csv``.
    fiscal_year : int, default 2019
        Fiscal year of the plan; the timings of ``planned`` rows are read
        with it and must end at the row's ``period_end``.

    Returns
    -------
    pandas.DataFrame
        One row per month at which the report states a count, in order:

        - ``period``: the month (``period[M]``) at whose end the counts hold.
        - ``timing``: the timing as written that ends there.
        - ``planned``: systems planned to be on the platform by then: those
          already running plus every planned step ending by then.
        - ``actual``: systems the report says were on it by then; NaN where
          it states no count.
        - ``all_systems``: all systems planned to move, in every year (NaN
          without a ``scope`` row).

    Raises
    ------
    EvalkitError
        For a bad cell, or a planned timing that does not end at its
        ``period_end``, naming the row, the column and the value.

    Notes
    -----
    The plan: 5 systems running before the year, 4 planned from April to
    September and 26 from October to March (30 in FY2019, of 53 in all).
    The report states only that all 30 had moved by the end of March; it
    gives no count for September, so ``actual`` is NaN there. Nothing is
    interpolated.

    Examples
    --------
    >>> pp = platform_progress()
    >>> pp[["timing", "planned", "actual"]].values.tolist()
    [['利用開始済', 5, 5.0], ['４月から９月', 9, nan], ['10月から３月', 35, 35.0]]

    The chart: the first row is the starting point, the others are periods.

    >>> from evalkit.plots import cumulative_progress
    >>> ax = cumulative_progress(pp.iloc[1:], period="timing", cumulative=True,
    ...                          baseline=pp["planned"].iloc[0],
    ...                          total=pp["all_systems"].iloc[0], unit_word="システム")
    """
    df = load_platform_migration() if data is None else _check_platform(data)
    for pos, row in enumerate(df.itertuples(index=False)):
        if row.kind != "planned":
            continue
        try:
            t = parse_timing(row.timing, fiscal_year=fiscal_year)
        except EvalkitError as err:
            raise _fail(df, err.reason, pos, "timing", row.timing) from None
        end = t.end if t.end is not None else t.start
        if end is None or end != row.period_end:
            raise _fail(
                df,
                f"the timing ends in {end}, the row says {row.period_end}",
                pos,
                "period_end",
                str(row.period_end),
            )
    counted = df[df["kind"] != "scope"]
    if counted.empty:
        raise EvalkitError("no running, planned or migrated rows", file=source_file(df))
    running = int(counted.loc[counted["kind"] == "running", "systems"].sum())
    scope = df.loc[df["kind"] == "scope", "systems"]
    periods = sorted(set(counted["period_end"]))
    rows = []
    for p in periods:
        upto = counted[counted["period_end"] <= p]
        here = counted[counted["period_end"] == p]
        planned = running + int(upto.loc[upto["kind"] == "planned", "systems"].sum())
        stated = here["kind"].isin(["running", "migrated"]).any()
        actual = running + float(upto.loc[upto["kind"] == "migrated", "systems"].sum())
        label_rows = here[here["kind"] != "migrated"]
        label = label_rows["timing"].iat[0] if len(label_rows) else here["timing"].iat[0]
        rows.append((p, label, planned, actual if stated else math.nan))
    out = pd.DataFrame(rows, columns=["period", "timing", "planned", "actual"])
    out["period"] = out["period"].astype("period[M]")
    out["planned"] = out["planned"].astype("int64")
    out["actual"] = out["actual"].astype("float64")
    out["all_systems"] = float(scope.iat[0]) if len(scope) else math.nan
    return out
