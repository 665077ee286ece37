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

For reading: :func:`progress_table` and :func:`milestone_table` give the
evaluated rows in Japanese, and :func:`progress_column` writes them out as
the report's progress column (進捗状況) reads, in Markdown;
:func:`status_counts` counts statuses by initiative;
:func:`evalkit.plots.milestones` draws the schedules against what was done;
:func:`target_estimates` feeds
:func:`evalkit.plots.estimate_vs_target`; :func:`scorecard_kpis` turns the
indicators into the key-figure rows of ``summary.csv``; and
:func:`scorecard_verdict` sums the scorecard up in three sentences.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._compare import REL_TOL as _REL_TOL
from .._compare import at_least, at_most, is_close, reaches
from .._validation import (
    ROWS_ATTR,
    FileRows,
    _tabular,
    encode_rows,
    numeric,
    require_columns,
    row_number,
    source_file,
)
from ..errors import EvalkitError
from ..readers.fiscal import fiscal_months, parse_month, parse_schedule, parse_timing
from ..readers.tables import Column, Schema, read_table

__all__ = [
    "INDICATOR_COLUMNS",
    "INDICATOR_STATUS_LABELS",
    "INITIATIVES",
    "KIND_LABELS",
    "KPI_UNITS",
    "MILESTONE_COLUMNS",
    "MILESTONE_STATUS_LABELS",
    "PLATFORM_COLUMNS",
    "Actual",
    "Initiative",
    "actuals_table",
    "compute_actuals",
    "evaluate_indicators",
    "evaluate_milestones",
    "load_indicators",
    "load_milestones",
    "load_platform_migration",
    "milestone_table",
    "platform_progress",
    "progress_column",
    "progress_table",
    "scorecard_kpis",
    "scorecard_verdict",
    "status_counts",
    "target_estimates",
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
# Kinds of timing that name a whole year, not the month a step was done.
_WHOLE_YEAR_KINDS = ("year", "fiscal_year")
# Units whose figures are counts: never negative.
_COUNT_UNITS = ("システム", "所属", "業務", "件")
_COMPUTED = re.compile(r"computed:([a-z0-9_]+(?:\.[a-z0-9_]+)+)")
# Differences this small relative to the target count as equal (a rate of
# 0.7 computed in floating point meets a 70 % target).


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
    from ..datasets import data_path

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
        cells are NaN); ``target_unit`` and ``actual_unit`` NFKC-normalised
        (％ as %). ``attrs["source"]`` is the file name and
        ``attrs["source_rows"]`` each record's row in it.

    Raises
    ------
    EvalkitError
        Naming the file, the row in the file (a title row and blank lines
        counted), the column and the value of the first cell that breaks a
        rule of ``data/scorecard/README.md``: every rule of its indicators
        table is checked here (ids that start with their ``initiative_id``,
        a numeric target complete, a qualitative one blank, the
        ``actual_source`` forms, a ``report`` row with its statement, no
        ``actual_value`` typed in for ``computed:`` and ``none``, the
        actual's unit that of a numeric target, no negative count).

    Examples
    --------
    >>> ind = load_indicators()
    >>> len(ind), ind["initiative_id"].nunique()
    (21, 7)
    """
    return _check_indicators(_read(path, "fy2019_indicators.csv", INDICATOR_SCHEMA, sheet))


def load_milestones(
    path: Any = None, *, sheet: str | int | None = None, fiscal_year: int = 2019
) -> pd.DataFrame:
    """Read and check ``fy2019_milestones.csv``.

    Parameters
    ----------
    path : str or path-like, optional
        A ``.csv`` or ``.xlsx`` file; default ``data/scorecard/fy2019_milestones.csv``.
    sheet : str or int, optional
        Workbook sheet, with an Excel ``path``.
    fiscal_year : int, default 2019
        Fiscal year of the plan, with which the timings are read.

    Returns
    -------
    pandas.DataFrame
        The :data:`MILESTONE_COLUMNS`, all text (blank cells are ``""``),
        rows in the order of the report's schedules. ``attrs["source"]`` is
        the file name and ``attrs["source_rows"]`` each record's row in it.

    Raises
    ------
    EvalkitError
        Naming the file, the row in the file, the column and the value of
        the first bad cell: ids that do not start with their
        ``initiative_id``, a blank or unknown value, and a planned or actual
        timing shaped like an impossible date (13月, an end before its
        start). Timings that are not dates (随時) are read and flagged, not
        refused; comparing the actual with the report month is left to
        :func:`evaluate_milestones`, which is given that month.

    Examples
    --------
    >>> ms = load_milestones()
    >>> ms.loc[0, ["planned_timing", "step"]].tolist()
    ['31年4月', '本格運用開始']
    """
    fy = _check_fiscal_year(fiscal_year)
    return _check_milestones(_read(path, "fy2019_milestones.csv", MILESTONE_SCHEMA, sheet), fy)


def load_platform_migration(
    path: Any = None, *, sheet: str | int | None = None, fiscal_year: int = 2019
) -> pd.DataFrame:
    """Read and check ``platform_migration.csv``, the common-platform system counts.

    Parameters
    ----------
    path : str or path-like, optional
        A ``.csv`` or ``.xlsx`` file; default ``data/scorecard/platform_migration.csv``.
    sheet : str or int, optional
        Workbook sheet, with an Excel ``path``.
    fiscal_year : int, default 2019
        Fiscal year of the plan, with which the timings are read.

    Returns
    -------
    pandas.DataFrame
        The :data:`PLATFORM_COLUMNS`: ``systems`` as int64, ``period_end``
        as a monthly ``pandas.Period`` (NaT when blank), the rest text.

    Raises
    ------
    EvalkitError
        Naming the file, the row in the file, the column and the value of
        the first bad cell: an unknown ``kind``, more than one ``running``
        or ``scope`` row, a count that is negative or not whole, a missing
        ``period_end``, a ``planned`` timing that is not a date, and a
        ``planned`` or dated ``migrated`` timing that does not end at its
        ``period_end``.

    Examples
    --------
    >>> pm = load_platform_migration()
    >>> pm[["kind", "timing", "systems"]].values.tolist()[:3]
    [['running', '利用開始済', 5], ['planned', '４月から９月', 4], ['planned', '10月から３月', 26]]
    """
    fy = _check_fiscal_year(fiscal_year)
    return _check_platform(_read(path, "platform_migration.csv", PLATFORM_SCHEMA, sheet), fy)


def _blank(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _text(df: pd.DataFrame, col: str) -> pd.Series:
    """Column as stripped strings, blanks (NaN, None, NaT) as ""."""
    return df[col].map(lambda v: "" if _blank(v) else str(v).strip()).astype("str")


def _row(df: pd.DataFrame, pos: int) -> int:
    """Row of the record at position ``pos`` as the user finds it.

    The record's row in its file for a frame read by :func:`evalkit.read_table`
    (title rows and blank lines counted), else the spreadsheet row of the
    frame (header = row 1).
    """
    return row_number(pos, tabular=_tabular(df))


def _fail(df: pd.DataFrame, reason: str, pos: int, col: str, value: Any) -> EvalkitError:
    return EvalkitError(reason, file=source_file(df), row=_row(df, pos), column=col, value=value)


def _reset(data: pd.DataFrame) -> pd.DataFrame:
    """A copy indexed 0..n-1 that still knows its records' rows in their file.

    ``attrs["source_rows"]`` is rewritten for the new index, so a subset of a
    frame read from a file (filtered, sorted) keeps naming the file's rows.
    """
    rows = _tabular(data)
    df = data.reset_index(drop=True)
    attrs = {k: v for k, v in df.attrs.items() if k != ROWS_ATTR}
    if isinstance(rows, FileRows):
        attrs[ROWS_ATTR] = encode_rows(rows.rows.tolist())
    df.attrs = attrs
    return df


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
            raise _fail(df, f"duplicate id (also in row {_row(df, seen[v])})", pos, col, v)
        seen[v] = pos


def _check_initiatives(df, id_col: str) -> None:
    for pos in range(len(df)):
        iid = df["initiative_id"].iat[pos]
        ini = _INITIATIVE_BY_ID.get(iid)
        if ini is None:
            known = ", ".join(_INITIATIVE_BY_ID)
            raise _fail(df, f"unknown initiative; known: {known}", pos, "initiative_id", iid)
        for col, want in (("theme", ini.theme), ("initiative", ini.name)):
            if df[col].iat[pos] != want:
                raise _fail(df, f"must be {want!r} for {iid}", pos, col, df[col].iat[pos])
        rid = df[id_col].iat[pos]
        if not rid.startswith(f"{iid}.") or rid == f"{iid}.":
            raise _fail(df, f"must start with the initiative_id: {iid}.<n>", pos, id_col, rid)


def _nfkc(text: str) -> str:
    """A unit as compared: NFKC-normalised, so ％ is % and ／ is /."""
    return unicodedata.normalize("NFKC", text).strip()


def _prepare(data: Any, columns: list[str], numbers: tuple[str, ...] = ()) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise EvalkitError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    require_columns(data, [c for c in columns if c != "note"])
    df = _reset(data)
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
            df[col],
            column=col,
            file=file,
            tabular=_tabular(df),
            allow_missing=True,
            allow_negative=True,
        )
    for col in ("target_unit", "actual_unit"):
        df[col] = df[col].map(_nfkc).astype("str")
    for col in ("initiative_id", "indicator_id", "indicator"):
        _check_nonblank(df, col)
    _check_initiatives(df, "indicator_id")
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
        if src == "report" and row.actual_text == "":
            raise _fail(
                df,
                "a row quoted from the report needs the report's statement "
                "(or actual_source 'none')",
                pos,
                "actual_text",
                row.actual_text,
            )
        for col, unit in (("target_value", row.target_unit), ("actual_value", row.actual_unit)):
            v = getattr(row, col)
            if unit in _COUNT_UNITS and v < 0:
                raise _fail(df, f"a number of {unit} cannot be negative", pos, col, v)
        if row.target_kind == "numeric" and row.actual_unit not in ("", row.target_unit):
            raise _fail(
                df,
                f"must be the target's unit {row.target_unit!r}",
                pos,
                "actual_unit",
                row.actual_unit,
            )
    return df


def _check_milestones(data: Any, fiscal_year: int) -> pd.DataFrame:
    df = _prepare(data, MILESTONE_COLUMNS)
    for col in ("initiative_id", "milestone_id", "planned_timing", "step"):
        _check_nonblank(df, col)
    _check_initiatives(df, "milestone_id")
    _check_unique(df, "milestone_id")
    _check_allowed(df, "done", _DONE)
    _milestone_timings(df, fiscal_year)
    for pos, (text, done) in enumerate(zip(df["actual_timing"], df["done"], strict=True)):
        if text != "" and done != "yes":
            raise _fail(df, "an actual timing is given, so done must be 'yes'", pos, "done", done)
    return df


def _check_fiscal_year(fiscal_year: Any) -> int:
    if isinstance(fiscal_year, bool) or not isinstance(fiscal_year, numbers.Integral):
        raise EvalkitError(
            "fiscal_year must be an int such as 2019", column="fiscal_year", value=fiscal_year
        )
    return int(fiscal_year)


def _milestone_timings(df: pd.DataFrame, fiscal_year: int) -> tuple[list[Any], list[Any]]:
    """The planned and actual :class:`~evalkit.fiscal.Timing` of every step.

    Planned timings are read per initiative with
    :func:`evalkit.fiscal.parse_schedule` (a bare month continues the line
    before it); actual timings with :func:`evalkit.fiscal.parse_timing`
    (None when blank). A timing that is not a date comes back flagged; one
    shaped like an impossible date raises, naming the file row.
    """
    n = len(df)
    planned: list[Any] = [None] * n
    for iid in pd.unique(df["initiative_id"]):
        positions = np.flatnonzero(df["initiative_id"].to_numpy() == iid)
        lines = [df["planned_timing"].iat[p] for p in positions]
        try:
            timings = parse_schedule(lines, fiscal_year=fiscal_year)
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
            actual.append(parse_timing(text, fiscal_year=fiscal_year))
        except EvalkitError as err:
            raise _fail(df, err.reason, pos, "actual_timing", text) from None
    return planned, actual


def _check_platform(data: Any, fiscal_year: int) -> pd.DataFrame:
    df = _prepare(data, PLATFORM_COLUMNS, ("systems",))
    file = source_file(df)
    _check_allowed(df, "kind", _PLATFORM_KINDS)
    systems = numeric(df["systems"], column="systems", file=file, tabular=_tabular(df))
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
    for pos, row in enumerate(df.itertuples(index=False)):
        if row.kind not in ("planned", "migrated"):
            continue
        try:
            t = parse_timing(row.timing, fiscal_year=fiscal_year)
        except EvalkitError as err:
            raise _fail(df, err.reason, pos, "timing", row.timing) from None
        if not t.is_dated:
            if row.kind == "planned":
                raise _fail(
                    df, f"a planned timing must be a date ({t.flag})", pos, "timing", row.timing
                )
            continue
        end = t.end if t.end is not None else t.start
        if end != row.period_end:
            raise _fail(
                df,
                f"the timing {row.timing!r} ends in {end}, the row says {row.period_end}",
                pos,
                "period_end",
                str(row.period_end),
            )
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
    target : float or None
        The target the computing call was given, in the same unit as
        ``value`` (70.0 for ``target=0.70`` and a value in %), or None.
        :func:`evaluate_indicators` judges the indicator against it, so a
        target changed for the statistics changes the scorecard too.
    """

    value: float
    unit: str = ""
    ci: tuple[float, float] | None = None
    source: str = ""
    target: float | None = None


def compute_actuals(
    *,
    minutes: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None,
    trial: pd.DataFrame | None = None,
    candidates: pd.DataFrame | None = None,
    confidence: float = 0.95,
    satisfaction_target: float = 0.70,
    reduction_target: float = 0.80,
    fiscal_year: int | None = None,
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
        RPA trial runs (month, task, hours_before, hours_after); default
        :func:`evalkit.datasets.load_rpa_trial`.
    candidates : pandas.DataFrame, optional
        RPA candidate tasks for FY2020 (department, task); default
        :func:`evalkit.datasets.load_rpa_candidates`.
    confidence : float, default 0.95
        Confidence level of every interval, passed to both statistics.
    satisfaction_target : float, default 0.70
        Target share of satisfied answers (a proportion), passed to
        :func:`evalkit.satisfaction.satisfaction_rate`; recorded ×100 as the
        ``target`` of ``voice_recognition.satisfaction_rate``.
    reduction_target : float, default 0.80
        Target reduction rate of the RPA trial (a proportion), passed to
        :func:`evalkit.reduction.reduction`; recorded ×100 as the
        ``target`` of ``rpa.rate``.
    fiscal_year : int, optional
        With it, the speech-recognition hours per month are averaged over the
        twelve months of that fiscal year (``periods=fiscal_months(fiscal_year)``:
        a month without use counts as zero), as notebook 01 does; without
        it, over the months present.
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
    The calls, with the keywords of this function::

        reduction(minutes, before="hours_before", after="hours_after",
                  unit="department", period="month",
                  periods=fiscal_months(fiscal_year),  # when fiscal_year is given
                  confidence=confidence, random_state=random_state)
        satisfaction_rate(survey, answers="answer", target=satisfaction_target,
                          confidence=confidence)
        reduction(trial, before="hours_before", after="hours_after",
                  unit="task", period="month", target=reduction_target,
                  confidence=confidence, random_state=random_state)

    The defaults (0.95, 0.70, 0.80) are the notebooks' parameters and the
    report's targets.

    Examples
    --------
    >>> acts = compute_actuals(random_state=1)
    >>> acts["voice_recognition.departments"].value
    116.0
    >>> round(acts["voice_recognition.satisfaction_rate"].value, 2)
    83.87
    """
    from .. import datasets
    from ..stats.reduction import reduction
    from ..stats.satisfaction import satisfaction_rate

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
        periods=None if fiscal_year is None else fiscal_months(fiscal_year),
        confidence=confidence,
        random_state=random_state,
    )
    sat = satisfaction_rate(
        survey, answers="answer", target=satisfaction_target, confidence=confidence
    )
    rpa = reduction(
        trial,
        before="hours_before",
        after="hours_after",
        unit="task",
        period="month",
        target=reduction_target,
        confidence=confidence,
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
            f"100 * satisfaction_rate(answers='answer', target={satisfaction_target!r}).rate",
            _percent(satisfaction_target),
        ),
        "rpa.rate": Actual(
            100 * rpa.rate,
            "%",
            pct(rpa.rate_ci),
            f"100 * {red}, unit='task', period='month', target={reduction_target!r}).rate",
            _percent(reduction_target),
        ),
        "rpa.saved": Actual(
            float(rpa.saved), "時間", None, f"{red}, unit='task', period='month').saved"
        ),
        "rpa.candidate_tasks": Actual(
            float(n_tasks), "業務", None, "distinct (department, task) in the candidate list"
        ),
    }


def _percent(share: float) -> float:
    """A proportion in percent, without binary noise (0.7 -> 70.0, not 70.00000000000001)."""
    return round(100 * float(share), 10)


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
    if act.target is not None:
        try:
            tgt = float(act.target)
        except (TypeError, ValueError):
            tgt = math.nan
        if not math.isfinite(tgt):
            raise _fail(
                df,
                f"the computed actual's target is not a finite number ({act.target!r})",
                pos,
                "actual_source",
                df["actual_source"].iat[pos],
            )
    unit = df["actual_unit"].iat[pos]
    if act.unit and unit and _nfkc(act.unit) != unit:
        raise _fail(
            df,
            f"the computed actual is in {act.unit!r}, the file says {unit!r}",
            pos,
            "actual_unit",
            unit,
        )
    return act


def _compare(actual: float, target: float, direction: str) -> bool:
    if direction == "==":
        return is_close(actual, target)
    return reaches(actual, target, direction)


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

        ``target_value`` is the target the row was judged against: the
        file's, or the computed actual's own ``target`` (see Notes).

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
    - A computed :class:`Actual` that carries a ``target`` (as
      :func:`compute_actuals` records the targets its statistics were given)
      is judged against that target on a numeric row, so the scorecard
      agrees with the statistics; when it differs from the file's, ``reason``
      says so. With the default targets both are the report's.

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
    targets = df["target_value"].to_numpy(dtype="float64", copy=True)
    status: list[str] = []
    reason: list[str] = []
    confident: list[Any] = []
    for pos, row in enumerate(df.itertuples(index=False)):
        given_target = None
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
                given_target = act.target
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
        changed = ""
        if given_target is not None:
            given = float(given_target)
            if not math.isclose(given, target, rel_tol=_REL_TOL, abs_tol=_REL_TOL):
                changed = f" (the computing call's target; the file says {target:g})"
            target = targets[pos] = given
        met = _compare(actual[pos], target, direction)
        margin[pos] = actual[pos] - target
        status.append(MET if met else NOT_MET)
        word = {">=": "at least", "<=": "at most", "==": "exactly"}[direction]
        reason.append(
            f"actual {actual[pos]:.4g} {row.target_unit} against a target of {word} "
            f"{target:g} {row.target_unit}{changed}"
        )
        if direction == "==" or math.isnan(ci_low[pos]) or math.isnan(ci_high[pos]):
            confident.append(pd.NA)
        elif direction == ">=":
            confident.append(at_least(ci_low[pos], target))
        else:
            confident.append(at_most(ci_high[pos], target))
    out = df.copy()
    out["target_value"] = targets
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
        Month of the progress report, meaning its end (R２年３月末時点 is
        ``"2020-03"``).

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
        - ``actual_start``, ``actual_end``, ``actual_kind``, ``actual_flag``:
          the same for ``actual_timing``, read by
          :func:`evalkit.fiscal.parse_timing` (``actual_kind`` "" when blank).
        - ``status``: ``"done on time"``, ``"late"``, ``"open"`` or
          ``"not assessable"``.
        - ``months_late``: whole months past the planned deadline (Int64):
          0 when on time, at least 1 when late (a lower bound for a step not
          done and for a whole-year actual), NA when open or not assessable.
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
    open end ("２月～"): the step is due by the end of that month. ``as_of``
    is the end of the report month. Dates in the report are months, so
    lateness is counted in months, never in days: a step done in month M and
    due in month D is late by M − D months when M > D.

    - Planned timing not a date (随時, 適宜, 年４回程度): ``"not assessable"``.
    - Done with an actual timing: its end (its start for an open end such
      as "7月～") is compared with the deadline: on or before it is
      ``"done on time"``, after it is ``"late"`` by the difference in months.
    - Done with a whole year or fiscal year as its timing (元年, 令和元年度),
      which says only that the step fell somewhere in it (up to ``as_of``):
      ``"done on time"`` if that span ends by the deadline, ``"late"`` by at
      least its first month minus the deadline if it starts after it, and
      ``"not assessable"`` if it contains the deadline.
    - Done without an actual timing: the report only says it was done by
      the end of ``as_of``; that is ``"done on time"`` if the deadline is
      ``as_of`` or later, else ``"not assessable"``.
    - Not done (``done`` "no"): ``"open"`` while the deadline is after
      ``as_of``; ``"late"`` once the deadline is ``as_of`` or earlier (the
      step was due by the end of the report month and is not done), by at
      least ``as_of`` + 1 − deadline months: done in the month after the
      report at the earliest, counted as for a done step.
    - Not stated: ``"open"`` while the deadline is after ``as_of``, else
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
    fy = _check_fiscal_year(fiscal_year)
    try:
        report_month = parse_month(as_of)
    except EvalkitError as err:
        raise EvalkitError(err.reason, column="as_of", value=as_of) from None
    df = _check_milestones(data, fy)
    n = len(df)
    planned, actual = _milestone_timings(df, fy)

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
    out["actual_kind"] = ["" if t is None else t.kind for t in actual]
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
        whole = actual.kind in _WHOLE_YEAR_KINDS
        # a whole year only says the step fell somewhere in it, by the report
        point = actual.start if whole else (actual.end if actual.end is not None else actual.start)
        if point > as_of:
            raise _fail(
                df,
                f"the actual timing reaches {point}, after the report month {as_of}",
                pos,
                "actual_timing",
                actual.text,
            )
        if whole:
            last = min(actual.end, as_of)
            span = f"{actual.start}..{last}"
            if last <= deadline:
                return DONE_ON_TIME, f"done in {actual.text!r} ({span}), due {deadline}", 0
            if actual.start <= deadline:
                return (
                    NOT_ASSESSABLE,
                    f"done in {actual.text!r}, a whole {actual.kind.replace('_', ' ')} "
                    f"({span}) that contains the deadline {deadline}: on time or not "
                    "cannot be told",
                    pd.NA,
                )
            k = _months_between(actual.start, deadline)
            return (
                LATE,
                f"done in {actual.text!r} ({span}), due {deadline}: at least {k} months late",
                k,
            )
        k = _months_between(point, deadline)
        if k <= 0:
            return DONE_ON_TIME, f"done {point}, due {deadline}", 0
        return LATE, f"done {point}, due {deadline}", k
    if done == "yes":
        why = "" if actual is None else f" (actual timing {actual.text!r}: {actual.flag})"
        if deadline >= as_of:
            return (
                DONE_ON_TIME,
                (
                    f"reported done by the end of {as_of}, no later than the deadline "
                    f"{deadline}{why}"
                ),
                0,
            )
        return (
            NOT_ASSESSABLE,
            (
                f"reported done by the end of {as_of} without a month, and due earlier "
                f"({deadline}){why}"
            ),
            pd.NA,
        )
    if deadline > as_of:
        return OPEN, f"not reported done by the end of {as_of}; due {deadline}", pd.NA
    if done == "no":
        # done in the month after the report at the earliest
        k = _months_between(as_of, deadline) + 1
        return (
            LATE,
            f"not done by the end of {as_of}, due {deadline}: at least {k} months late",
            k,
        )
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
    fy = _check_fiscal_year(fiscal_year)
    if data is None:
        df = load_platform_migration(fiscal_year=fy)
    else:
        df = _check_platform(data, fy)
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


# --------------------------------------------------------------------------- display

#: Japanese names of the indicator kinds, as the report writes them.
KIND_LABELS = {"activity": "活動指標", "outcome": "成果指標"}
#: Japanese names of the indicator statuses.
INDICATOR_STATUS_LABELS = {MET: "達成", NOT_MET: "未達", NOT_ASSESSABLE: "評価不能"}
#: Japanese names of the milestone statuses.
MILESTONE_STATUS_LABELS = {
    DONE_ON_TIME: "期限内に実施",
    LATE: "遅れ",
    OPEN: "未了",
    NOT_ASSESSABLE: "評価不能",
}
_DIRECTION_WORDS = {">=": "以上", "<=": "以下", "==": "ちょうど"}
_SOURCE_LABELS = {"report": "報告書から引用", "none": "記載なし"}
#: Units of summary.csv (``kpi_table``) for the units of the indicator file.
KPI_UNITS = {
    "%": "ratio",
    "所属": "departments",
    "時間": "hours",
    "時間/月": "hours/month",
    "業務": "tasks",
    "システム": "systems",
    "件": "cases",
}
_ERA_FLAG = re.compile(r"^(\S+?)元年(\d+)月 is before \S+ began \((\d{4})-(\d{2})-(\d{2})\)")


def _check_evaluated(data: Any, columns: list[str], producer: str) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise EvalkitError(
            f"data must be the DataFrame {producer}() returns, got {type(data).__name__}"
        )
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise EvalkitError(
            f"data lacks the columns {missing}; pass the output of {producer}()",
            file=source_file(data),
            column=missing[0],
        )
    return _reset(data)


_INDICATOR_OUT = [
    "theme",
    "initiative",
    "indicator_id",
    "kind",
    "indicator",
    "target_kind",
    "target_value",
    "target_direction",
    "target_unit",
    "actual_unit",
    "actual_text",
    "actual_source",
    "actual",
    "ci_low",
    "ci_high",
    "status",
    "margin",
]
_MILESTONE_OUT = [
    "theme",
    "initiative",
    "milestone_id",
    "planned_timing",
    "step",
    "actual_timing",
    "done",
    "planned_start",
    "planned_end",
    "planned_kind",
    "planned_flag",
    "actual_start",
    "actual_end",
    "actual_flag",
    "status",
    "months_late",
]


def _isnum(v: Any) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v)) and not pd.isna(v)


def _fmt(value: float, unit: str) -> str:
    """A figure with its unit: 83.9%, 62時間/月, 1,800時間, 46.6時間/月."""
    if unit == "%":
        return f"{value:.1f}%"
    if abs(value - round(value)) < 1e-9 * max(1.0, abs(value)) or abs(value) >= 100:
        return f"{value:,.0f}{unit}"
    return f"{value:,.1f}{unit}"


def _fmt_interval(low: float, high: float, unit: str) -> str:
    if unit == "%":
        return f"{low:.1f}–{high:.1f}%"
    return f"{_fmt(low, '')}–{_fmt(high, '')}{unit}"


def _fmt_margin(margin: float, unit: str) -> str:
    if abs(margin) < 1e-9:
        return f"±0{'ポイント' if unit == '%' else unit}"
    if unit == "%":
        return f"{margin:+.1f}ポイント"
    return ("+" if margin > 0 else "−") + _fmt(abs(margin), unit)


def _interval_words(low: float, high: float, target: float, direction: str) -> str:
    """Where a confidence interval lies against a target, in Japanese."""
    if direction == ">=":
        if at_least(low, target):
            return "信頼区間も目標以上"
        if not at_least(high, target):
            return "信頼区間も目標未満"
    elif direction == "<=":
        if at_most(high, target):
            return "信頼区間も目標以下"
        if not at_most(low, target):
            return "信頼区間も目標超"
    else:
        return ""
    return "信頼区間は目標をまたぐ"


def progress_table(data: pd.DataFrame) -> pd.DataFrame:
    """The indicators as the report's progress column reads them, in Japanese.

    Parameters
    ----------
    data : pandas.DataFrame
        Evaluated indicators, as :func:`evaluate_indicators` returns them.

    Returns
    -------
    pandas.DataFrame
        One row per indicator, in the order of ``data``, all text:

        - ``テーマ``, ``取組``: theme and initiative as the report writes them.
        - ``区分``: 活動指標 (activity indicator, output) or 成果指標
          (outcome indicator).
        - ``指標``: the indicator as written.
        - ``目標``: a numeric target as "70%以上", "30システム以上"; 定性的な目標
          for a qualitative one.
        - ``実績``: the actual with its unit ("83.9%", "62時間/月"), blank
          when there is none.
        - ``信頼区間``: its confidence interval ("75.1–90.0%"), blank
          without one.
        - ``目標との差``: actual minus target, in points for a target in %
          ("+13.9ポイント"), blank when not assessable.
        - ``達成状況``: 達成 / 未達 / 評価不能 with the reason in brackets:
          where the interval lies against the target for a numeric target
          with one, 定性的な目標 or 実績なし when not assessable.
        - ``実績の出典``: データから算出 (computed from the data),
          報告書から引用 (quoted from the report) or 記載なし (the report
          says nothing).
        - ``進捗状況（報告書）``: the report's progress statement, as written.

    Raises
    ------
    EvalkitError
        When ``data`` is not the output of :func:`evaluate_indicators`.

    Notes
    -----
    Display only: the figures come from ``data`` unchanged, rounded for
    reading (one decimal for %, whole numbers for whole figures and for
    100 or more). A qualitative indicator's computed figure is shown as
    context, marked 参考 (reference), never judged.

    Examples
    --------
    >>> ind = load_indicators()
    >>> acts = {"rpa.rate": Actual(84.2, "%", (81.0, 87.5)), "rpa.saved": 1800.0,
    ...         "rpa.candidate_tasks": 3}
    >>> rpa = evaluate_indicators(ind[ind["initiative_id"] == "rpa"], actuals=acts)
    >>> progress_table(rpa).iloc[-1, 3:9].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'指標': '業務削減時間：80％以上', '目標': '80%以上', '実績': '84.2%',
     '信頼区間': '81.0–87.5%', '目標との差': '+4.2ポイント',
     '達成状況': '達成（信頼区間も目標以上）'}
    """
    df = _check_evaluated(data, _INDICATOR_OUT, "evaluate_indicators")
    rows = []
    for row in df.itertuples(index=False):
        numeric_target = row.target_kind == "numeric"
        unit = row.target_unit if numeric_target else row.actual_unit
        has_actual = _isnum(row.actual)
        has_ci = has_actual and _isnum(row.ci_low) and _isnum(row.ci_high)
        if numeric_target:
            word = _DIRECTION_WORDS.get(row.target_direction, row.target_direction)
            target = f"{row.target_value:g}{row.target_unit}{word}"
        else:
            target = "定性的な目標"
        actual = _fmt(row.actual, unit) if has_actual else ""
        if has_actual and not numeric_target:
            actual += "（参考）"
        interval = _fmt_interval(row.ci_low, row.ci_high, unit) if has_ci else ""
        label = INDICATOR_STATUS_LABELS.get(row.status, row.status)
        if row.status in (MET, NOT_MET):
            margin = _fmt_margin(row.margin, row.target_unit)
            if has_ci:
                words = _interval_words(
                    row.ci_low, row.ci_high, row.target_value, row.target_direction
                )
                label += f"（{words}）" if words else ""
        else:
            margin = ""
            label += "（定性的な目標）" if not numeric_target else "（実績なし）"
        src = row.actual_source
        source = "データから算出" if src.startswith("computed:") else _SOURCE_LABELS.get(src, src)
        rows.append(
            (
                row.theme,
                row.initiative,
                KIND_LABELS.get(row.kind, row.kind),
                row.indicator,
                target,
                actual,
                interval,
                margin,
                label,
                source,
                row.actual_text,
            )
        )
    columns = [
        "テーマ",
        "取組",
        "区分",
        "指標",
        "目標",
        "実績",
        "信頼区間",
        "目標との差",
        "達成状況",
        "実績の出典",
        "進捗状況（報告書）",
    ]
    return pd.DataFrame(rows, columns=columns, dtype="str")


def _month_ja(p: Any) -> str:
    return "" if p is None or pd.isna(p) else f"{p.year}年{p.month}月"


def _flag_ja(flag: str) -> str:
    """A flag of :func:`evalkit.fiscal.parse_timing`, in Japanese."""
    from ..readers.fiscal import FLAG_RECURRING, FLAG_UNRECOGNISED

    if not flag:
        return ""
    if flag == FLAG_RECURRING:
        return "日付でない表記（随時・適宜・回数）"
    if flag == FLAG_UNRECOGNISED:
        return "日付として読めない表記（そのまま保持）"
    m = _ERA_FLAG.match(flag)
    if m:
        era, month, y, mo, d = m.groups()
        return (
            f"{era}元年{int(month)}月は改元（{int(y)}年{int(mo)}月{int(d)}日）前の表記："
            f"{int(y)}年{int(month)}月として読む"
        )
    return flag


def _span_ja(start: Any, end: Any, kind: str) -> str:
    """Months as read, in Japanese: 2019年5月～6月, ～2019年7月, 2020年2月～, 2019年4月."""
    s, e = _month_ja(start), _month_ja(end)
    if not s and not e:
        return ""
    if not s:
        return f"～{e}"
    if not e:
        return f"{s}～"
    if s == e:
        return s
    if start.year == end.year:
        return f"{s}～{end.month}月"
    return f"{s}～{e}"


def _late_bound(row: Any) -> bool:
    """Whether a late step's ``months_late`` is only a lower bound."""
    return row.done != "yes" or getattr(row, "actual_kind", "") in _WHOLE_YEAR_KINDS


def _late_ja(row: Any) -> str:
    """Months late in Japanese: 1か月, or 3か月以上 when that is the least it can be."""
    return f"{int(row.months_late)}か月" + ("以上" if _late_bound(row) else "")


def _milestone_notes(row: Any, deadline: Any) -> list[str]:
    dated = row.planned_kind != "unscheduled"
    has_actual = not (pd.isna(row.actual_start) and pd.isna(row.actual_end))
    notes = []
    if not dated:
        notes.append(f"予定時期が{_flag_ja(row.planned_flag)}のため期限で評価しない")
    elif row.planned_flag:
        notes.append(f"予定時期：{_flag_ja(row.planned_flag)}")
    if row.actual_flag:
        notes.append(f"実施時期：{_flag_ja(row.actual_flag)}")
    whole = getattr(row, "actual_kind", "") in _WHOLE_YEAR_KINDS
    if whole and row.status == NOT_ASSESSABLE and dated:
        notes.append(
            f"実施時期が年・年度単位で期限 {_month_ja(deadline)} を含むため、期限内か判断できない"
        )
    if row.done == "not stated":
        notes.append("報告書に実施の記載なし")
    elif row.done == "no":
        notes.append("報告時点で未実施")
    elif row.done == "yes" and not has_actual:
        when = f"（期限 {_month_ja(deadline)}）" if dated else ""
        if row.status == NOT_ASSESSABLE and dated:
            notes.append(f"実施済みの記載のみで時期の記載がなく、期限内か判断できない{when}")
        else:
            notes.append(f"実施済みの記載のみで時期の記載なし{when}")
    if row.status == LATE:
        point = row.actual_end if not pd.isna(row.actual_end) else row.actual_start
        if whole:
            done = f"実施 {_span_ja(row.actual_start, row.actual_end, '')}のいずれか"
        elif has_actual:
            done = f"実施 {_month_ja(point)}"
        else:
            done = "未実施"
        notes.append(f"期限 {_month_ja(deadline)}、{done}")
    return notes


def milestone_table(data: pd.DataFrame) -> pd.DataFrame:
    """The scheduled steps with their planned and actual months and status, in Japanese.

    Parameters
    ----------
    data : pandas.DataFrame
        Evaluated steps, as :func:`evaluate_milestones` returns them.

    Returns
    -------
    pandas.DataFrame
        One row per step, in the order of ``data``, all text:

        - ``テーマ``, ``取組``, ``工程``: as the report writes them.
        - ``予定時期（表記）``: the planned timing exactly as written.
        - ``予定（月）``: its months as read, start to end
          ("2019年5月～6月", "2019年9月～2020年1月"); "～2019年7月" for a
          deadline ("元年７月まで"), "2020年2月～" for an open end ("２月～");
          blank for a timing that is not a date.
        - ``実施時期（表記）``: the month(s) the report gives, as written.
        - ``実施（月）``: their months as read, in the same form ("2019年7月～"
          for "7月～").
        - ``状況``: 期限内に実施 (done on time), 遅れ (late), 未了 (open) or
          評価不能 (not assessable).
        - ``遅れ``: months late ("1か月"; "3か月以上" when it is a lower
          bound: a step not done, a whole-year actual), blank unless late.
        - ``注記``: why, when it is not plain: a planned timing that is not
          a date, a month read with a caveat, a step done without a month,
          a step the report does not mention, the deadline of a late step.

    Raises
    ------
    EvalkitError
        When ``data`` is not the output of :func:`evaluate_milestones`.

    Examples
    --------
    >>> ms = evaluate_milestones(load_milestones())
    >>> t = milestone_table(ms)
    >>> t.iloc[5, 2:].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'工程': '中間評価', '予定時期（表記）': '９月', '予定（月）': '2019年9月',
     '実施時期（表記）': '9～10月', '実施（月）': '2019年9月～10月', '状況': '遅れ',
     '遅れ': '1か月', '注記': '期限 2019年9月、実施 2019年10月'}
    >>> for value in t.loc[9, ["予定時期（表記）", "状況", "注記"]]:
    ...     print(value)
    随時
    評価不能
    予定時期が日付でない表記（随時・適宜・回数）のため期限で評価しない；報告書に実施の記載なし
    """
    df = _check_evaluated(data, _MILESTONE_OUT, "evaluate_milestones")
    rows = []
    for row in df.itertuples(index=False):
        deadline = row.planned_end if not pd.isna(row.planned_end) else row.planned_start
        late = _late_ja(row) if row.status == LATE else ""
        rows.append(
            (
                row.theme,
                row.initiative,
                row.step,
                row.planned_timing,
                _span_ja(row.planned_start, row.planned_end, row.planned_kind),
                row.actual_timing,
                _span_ja(row.actual_start, row.actual_end, ""),
                MILESTONE_STATUS_LABELS.get(row.status, row.status),
                late,
                "；".join(_milestone_notes(row, deadline)),
            )
        )
    columns = [
        "テーマ",
        "取組",
        "工程",
        "予定時期（表記）",
        "予定（月）",
        "実施時期（表記）",
        "実施（月）",
        "状況",
        "遅れ",
        "注記",
    ]
    return pd.DataFrame(rows, columns=columns, dtype="str")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _md(text: str) -> str:
    """Text with the characters Markdown would read as markup escaped."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def progress_column(indicators: pd.DataFrame, milestones: pd.DataFrame) -> str:
    """The report's progress column (進捗状況) rebuilt from the evaluation, as Markdown.

    Parameters
    ----------
    indicators : pandas.DataFrame
        Evaluated indicators (:func:`evaluate_indicators`).
    milestones : pandas.DataFrame
        Evaluated steps (:func:`evaluate_milestones`).

    Returns
    -------
    str
        Markdown, in Japanese: for each theme (a heading) and initiative
        (■, as the report marks them), the scheduled steps (○, the
        report's mark, for a step reported done; ・ otherwise) with planned and actual timing as
        written and their status, then the indicators with target, status,
        the actual with its interval and margin, and the report's statement
        quoted. Statuses are in bold; markup characters in the quoted text
        are escaped.

    Raises
    ------
    EvalkitError
        When either frame is not the output of its evaluation.

    Examples
    --------
    >>> ind = evaluate_indicators(load_indicators())
    >>> ms = evaluate_milestones(load_milestones())
    >>> lines = progress_column(ind, ms).splitlines()
    >>> for i in (0, 2, 6, 27):
    ...     print(lines[i])
    ### 庁内のＩＴ化推進
    #### ■音声認識技術の導入
    - ○本格運用開始：予定 31年4月 → 実施 ４月　**期限内に実施**
    - ○中間評価：予定 ９月 → 実施 9～10月　**遅れ**（1か月）　※期限 2019年9月、実施 2019年10月
    """
    ind = _check_evaluated(indicators, _INDICATOR_OUT, "evaluate_indicators")
    ms = _check_evaluated(milestones, _MILESTONE_OUT, "evaluate_milestones")
    steps = milestone_table(ms)
    table = progress_table(ind)
    order = list(pd.unique(pd.concat([ind["initiative"], ms["initiative"]], ignore_index=True)))
    theme_of = dict(zip(ind["initiative"], ind["theme"], strict=False))
    theme_of.update(dict(zip(ms["initiative"], ms["theme"], strict=False)))
    lines: list[str] = []
    theme = None
    for name in order:
        if theme_of[name] != theme:
            theme = theme_of[name]
            lines += [f"### {_md(theme)}", ""]
        lines += [f"#### ■{_md(name)}", ""]
        here = np.flatnonzero(ms["initiative"].to_numpy() == name)
        if len(here):
            lines += ["（スケジュール）", ""]
            for pos in here:
                t = steps.iloc[int(pos)]
                actual = f" → 実施 {_md(t['実施時期（表記）'])}" if t["実施時期（表記）"] else ""
                status = f"**{t['状況']}**"
                if t["遅れ"]:
                    status += f"（{t['遅れ']}）"
                mark = "○" if ms["done"].iat[int(pos)] == "yes" else "・"
                line = (
                    f"- {mark}{_md(t['工程'])}：予定 {_md(t['予定時期（表記）'])}{actual}　{status}"
                )
                if t["注記"]:
                    line += f"　※{_md(t['注記'])}"
                lines.append(line)
            lines.append("")
        here = np.flatnonzero(ind["initiative"].to_numpy() == name)
        if len(here):
            lines += ["（目標の達成状況）", ""]
            for pos in here:
                t = table.iloc[int(pos)]
                status, _, why = t["達成状況"].partition("（")
                line = f"- {t['区分']}「{_md(t['指標'])}」：**{status}**"
                if why:
                    line += f"（{why}"
                figures = []
                if t["実績"]:
                    figures.append(f"実績 {t['実績']}")
                if t["信頼区間"]:
                    figures.append(f"信頼区間 {t['信頼区間']}")
                if t["目標との差"]:
                    figures.append(f"目標との差 {t['目標との差']}")
                if figures:
                    line += "　" + "、".join(_md(f) for f in figures)
                lines.append(line)
                quote = t["進捗状況（報告書）"]
                lines.append(f"    - 報告書：{_md(quote)}" if quote else "    - 報告書：記載なし")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def status_counts(data: pd.DataFrame) -> pd.DataFrame:
    """How many indicators or steps of each initiative have each status.

    Parameters
    ----------
    data : pandas.DataFrame
        Evaluated indicators (:func:`evaluate_indicators`) or evaluated
        steps (:func:`evaluate_milestones`).

    Returns
    -------
    pandas.DataFrame
        Index ``取組`` (initiatives in the order they first appear, then
        ``合計``, the total); one int64 column per status in Japanese
        (達成, 未達, 評価不能 for indicators; 期限内に実施, 遅れ, 未了, 評価不能
        for steps), zeros included, then ``合計``.

    Raises
    ------
    EvalkitError
        When ``data`` is neither output, or holds a status of neither.

    Examples
    --------
    >>> status_counts(evaluate_milestones(load_milestones())).loc["合計"].to_dict()
    {'期限内に実施': 12, '遅れ': 1, '未了': 0, '評価不能': 6, '合計': 19}
    """
    if isinstance(data, pd.DataFrame) and "milestone_id" in data.columns:
        df = _check_evaluated(data, _MILESTONE_OUT, "evaluate_milestones")
        labels = MILESTONE_STATUS_LABELS
    else:
        df = _check_evaluated(data, _INDICATOR_OUT, "evaluate_indicators")
        labels = INDICATOR_STATUS_LABELS
    for pos, s in enumerate(df["status"]):
        if s not in labels:
            raise _fail(df, f"must be one of {', '.join(map(repr, labels))}", pos, "status", s)
    initiatives = list(pd.unique(df["initiative"]))
    table = pd.DataFrame(0, index=initiatives, columns=list(labels.values()), dtype="int64")
    for name, s in zip(df["initiative"], df["status"], strict=True):
        table.loc[name, labels[s]] += 1
    table.loc["合計"] = table.sum(axis=0)
    table["合計"] = table.sum(axis=1)
    table.index.name = "取組"
    return table


def target_estimates(data: pd.DataFrame, *, kind: str | None = "outcome") -> pd.DataFrame:
    """The numeric indicators' actuals and intervals against their targets, for a chart.

    The frame :func:`evalkit.plots.estimate_vs_target` draws.

    Parameters
    ----------
    data : pandas.DataFrame
        Evaluated indicators, as :func:`evaluate_indicators` returns them.
    kind : {"outcome", "activity"} or None, default "outcome"
        Which indicators (None: both kinds).

    Returns
    -------
    pandas.DataFrame
        One row per numeric indicator of that kind with an actual:
        ``metric`` (initiative and indicator on two lines), ``value``, ``ci_low``, ``ci_high`` (NaN
        without an interval), ``target``, ``unit``. Figures in % are given
        as proportions (83.87 % as 0.8387), so the chart's axis is a
        percentage.

    Raises
    ------
    EvalkitError
        When ``data`` is not the output of :func:`evaluate_indicators`, for
        an unknown ``kind``, when no row qualifies, when the rows are in
        different units (one axis cannot show them), or for a ``<=`` or
        ``==`` target (the chart reads every target as a minimum).

    Examples
    --------
    >>> ind = load_indicators()
    >>> out = evaluate_indicators(ind, actuals={
    ...     "voice_recognition.departments": 116, "voice_recognition.mean_saved_per_month": 62,
    ...     "voice_recognition.satisfaction_rate": Actual(83.87, "%", (75.08, 89.97)),
    ...     "rpa.rate": 84.0, "rpa.saved": 1800, "rpa.candidate_tasks": 3})
    >>> target_estimates(out)[["value", "target", "unit"]].round(4).values.tolist()
    [[0.8387, 0.7, 'ratio'], [0.84, 0.8, 'ratio']]
    """
    df = _check_evaluated(data, _INDICATOR_OUT, "evaluate_indicators")
    if kind is not None and kind not in _KINDS:
        raise EvalkitError("kind must be 'outcome', 'activity' or None", column="kind", value=kind)
    keep = (df["target_kind"] == "numeric") & df["actual"].notna()
    if kind is not None:
        keep &= df["kind"] == kind
    rows = df[keep]
    if rows.empty:
        raise EvalkitError(
            f"no numeric {kind or ''} indicator with an actual".replace("  ", " "),
            file=source_file(df),
        )
    for pos in np.flatnonzero(keep.to_numpy()):
        direction = df["target_direction"].iat[pos]
        if direction != ">=":
            raise _fail(
                df,
                "the chart reads every target as a minimum (>=)",
                int(pos),
                "target_direction",
                direction,
            )
    units = list(pd.unique(rows["target_unit"]))
    if len(units) > 1:
        pos = int(np.flatnonzero(keep.to_numpy())[list(rows["target_unit"]).index(units[1])])
        raise _fail(
            df,
            f"one chart needs one unit; the rows are in {', '.join(units)}",
            pos,
            "target_unit",
            units[1],
        )
    scale = 100.0 if units[0] == "%" else 1.0
    return pd.DataFrame(
        {
            "metric": (rows["initiative"] + "\n" + rows["indicator"]).to_numpy(),
            "value": rows["actual"].to_numpy(dtype="float64") / scale,
            "ci_low": rows["ci_low"].to_numpy(dtype="float64") / scale,
            "ci_high": rows["ci_high"].to_numpy(dtype="float64") / scale,
            "target": rows["target_value"].to_numpy(dtype="float64") / scale,
            "unit": "ratio" if scale == 100.0 else units[0],
        }
    )


def actuals_table(actuals: Mapping[str, Any]) -> pd.DataFrame:
    """The computed actuals as a table: figure, interval, unit, target and how computed.

    Parameters
    ----------
    actuals : mapping of str to Actual or float
        As :func:`compute_actuals` returns it.

    Returns
    -------
    pandas.DataFrame
        One row per name, in the mapping's order: ``name``, ``value``,
        ``ci_low``, ``ci_high``, ``target`` (float64, NaN when absent),
        ``unit`` and ``source`` (the call that computed it).

    Raises
    ------
    EvalkitError
        For an entry that is neither an :class:`Actual` nor a number.

    Examples
    --------
    >>> actuals_table({"rpa.rate": Actual(84.0, "%", (82.0, 86.0), "a call", 80.0)})
           name  value  ci_low  ci_high  target unit  source
    0  rpa.rate   84.0    82.0     86.0    80.0    %  a call
    """
    if not isinstance(actuals, Mapping):
        raise EvalkitError(
            f"actuals must be a mapping such as compute_actuals() returns, "
            f"got {type(actuals).__name__}"
        )
    rows = []
    for name, act in actuals.items():
        if isinstance(act, numbers.Real) and not isinstance(act, bool):
            act = Actual(float(act))
        if not isinstance(act, Actual):
            raise EvalkitError(
                f"actuals must map to Actual or a number, got {type(act).__name__}",
                column=str(name),
                value=act,
            )
        low, high = (math.nan, math.nan) if act.ci is None else act.ci
        target = math.nan if act.target is None else act.target
        rows.append((name, act.value, low, high, target, act.unit, act.source))
    out = pd.DataFrame(
        rows, columns=["name", "value", "ci_low", "ci_high", "target", "unit", "source"]
    )
    for col in ("value", "ci_low", "ci_high", "target"):
        out[col] = out[col].astype("float64")
    return out


def scorecard_kpis(
    data: pd.DataFrame, *, published: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """The indicators as key-figure rows of :func:`evalkit.kpis.kpi_table` (for summary.csv).

    Parameters
    ----------
    data : pandas.DataFrame
        Evaluated indicators, as :func:`evaluate_indicators` returns them.
    published : mapping of str to (float, int), optional
        Figures the report published for numeric indicators, keyed by
        ``indicator_id``: the figure in the indicator's unit and the number
        of decimals it was published with, e.g.
        ``{"voice_recognition.o3": (83.87, 2)}`` for "83.87%" (a list of two
        works too, as a notebook parameter writes it).

    Returns
    -------
    pandas.DataFrame
        :func:`evalkit.kpis.kpi_table` of one :func:`evalkit.kpis.kpi_row`
        per indicator, in order: ``initiative`` and ``indicator`` as
        written. A numeric indicator with an actual carries ``value``,
        ``ci`` (when it has one), ``unit``, ``target`` and ``direction``,
        hence ``met`` and ``met_confidently``. A qualitative indicator, or
        one without an actual, has ``value`` None and no verdict: the
        scorecard does not judge it. ``published`` and ``reproduced`` come
        from ``published`` (a figure quoted from the report needs none: it
        is the actual itself).

    Raises
    ------
    EvalkitError
        When ``data`` is not the output of :func:`evaluate_indicators`, or
        ``published`` names an unknown indicator, one without a computed
        value, or is not (figure, decimals).

    Notes
    -----
    Units follow ``summary.csv`` (:data:`KPI_UNITS`): a figure in % becomes
    a proportion (83.87 % as 0.8387, unit ``ratio``), as the other
    notebooks report rates; 所属, 時間, システム... become departments,
    hours, systems; other units are kept as written. A target written
    ``==`` has no kpi verdict (key figures know floors and ceilings only);
    its value is kept and the scorecard's own status still applies.

    Examples
    --------
    >>> out = evaluate_indicators(load_indicators())
    >>> k = scorecard_kpis(out)
    >>> len(k), int(k["value"].notna().sum())
    (21, 1)
    >>> k.loc[k["value"].notna(), ["indicator", "value", "unit", "target", "met"]]
                      indicator  value     unit  target   met
    9  共通プラットフォームへの円滑な移行（30システム）   30.0  systems    30.0  True

    A published 83.87 % against a computed 78/93:

    >>> out = evaluate_indicators(load_indicators(), actuals={
    ...     "voice_recognition.departments": 116, "voice_recognition.mean_saved_per_month": 62,
    ...     "voice_recognition.satisfaction_rate": 100 * 78 / 93,
    ...     "rpa.rate": 84.0, "rpa.saved": 1800, "rpa.candidate_tasks": 3})
    >>> k = scorecard_kpis(out, published={"voice_recognition.o3": (83.87, 2)})
    >>> row = k.loc[3]
    >>> round(float(row["value"]), 4), row["unit"], float(row["published"]), bool(row["reproduced"])
    (0.8387, 'ratio', 0.8387, True)
    """
    from ..report.kpis import kpi_row, kpi_table

    df = _check_evaluated(data, _INDICATOR_OUT, "evaluate_indicators")
    given = _published(df, published)
    rows = []
    for pos, row in enumerate(df.itertuples(index=False)):
        if row.target_kind != "numeric" or not _isnum(row.actual):
            if pos in given:
                raise EvalkitError(
                    "a published figure needs a numeric indicator with an actual",
                    column="published",
                    value=row.indicator_id,
                )
            rows.append(kpi_row(row.initiative, row.indicator, value=None))
            continue
        unit = row.target_unit
        scale = 100.0 if unit == "%" else 1.0
        ci = None
        if _isnum(row.ci_low) and _isnum(row.ci_high):
            ci = (row.ci_low / scale, row.ci_high / scale)
        direction = row.target_direction
        rows.append(
            kpi_row(
                row.initiative,
                row.indicator,
                value=row.actual / scale,
                ci=ci,
                unit=KPI_UNITS.get(unit, unit),
                target=row.target_value / scale if direction in (">=", "<=") else None,
                direction=direction if direction in (">=", "<=") else ">=",
                published=None if pos not in given else given[pos][0] / scale,
                published_decimals=None
                if pos not in given
                else given[pos][1] + (2 if scale == 100.0 else 0),
            )
        )
    return kpi_table(rows)


def _published(df: pd.DataFrame, published: Any) -> dict[int, tuple[float, int]]:
    """``published`` by row position, each as (figure, decimals), checked."""
    if published is None:
        return {}
    if not isinstance(published, Mapping):
        raise EvalkitError(
            "published must map indicator_id to (figure, decimals)",
            column="published",
            value=published,
        )
    where = {iid: pos for pos, iid in enumerate(df["indicator_id"])}
    out = {}
    for iid, item in published.items():
        if iid not in where:
            raise EvalkitError("unknown indicator_id", column="published", value=iid)
        ok = isinstance(item, tuple | list) and len(item) == 2
        if ok:
            figure, decimals = item
            ok = (
                isinstance(figure, numbers.Real)
                and not isinstance(figure, bool)
                and math.isfinite(figure)
                and isinstance(decimals, numbers.Integral)
                and not isinstance(decimals, bool)
            )
        if not ok:
            raise EvalkitError(
                f"must be (figure, decimals), e.g. (83.87, 2), for {iid}",
                column="published",
                value=item,
            )
        out[where[iid]] = (float(figure), int(decimals))
    return out


def scorecard_verdict(indicators: pd.DataFrame, milestones: pd.DataFrame) -> str:
    """One paragraph in Japanese summing up the evaluated scorecard, numbers included.

    Parameters
    ----------
    indicators : pandas.DataFrame
        Evaluated indicators (:func:`evaluate_indicators`).
    milestones : pandas.DataFrame
        Evaluated steps (:func:`evaluate_milestones`).

    Returns
    -------
    str
        Three lines: counts of numeric targets met and not met (and how many
        with the whole interval on the met side); of qualitative indicators;
        of steps by status, with the largest delay.

    Examples
    --------
    >>> ind = evaluate_indicators(load_indicators())
    >>> ms = evaluate_milestones(load_milestones())
    >>> print(scorecard_verdict(ind, ms))
    7取組・指標21件のうち数値目標は3件：達成1件、未達0件、実績なし（評価不能）2件。
    定性的な目標18件は達成・未達を判定せず、報告書の記載と参考値を示した。
    スケジュールの工程19件：期限内に実施12件、遅れ1件（最大1か月）、未了0件、評価不能6件（うち予定時期が日付でない表記4件）。
    """
    ind = _check_evaluated(indicators, _INDICATOR_OUT, "evaluate_indicators")
    ms = _check_evaluated(milestones, _MILESTONE_OUT, "evaluate_milestones")
    numeric_rows = ind[ind["target_kind"] == "numeric"]
    met = numeric_rows["status"] == MET
    confident = 0
    for row in numeric_rows[met].itertuples(index=False):
        if _isnum(row.ci_low) and _isnum(row.ci_high):
            words = _interval_words(row.ci_low, row.ci_high, row.target_value, row.target_direction)
            confident += words in ("信頼区間も目標以上", "信頼区間も目標以下")
    n_met = int(met.sum())
    n_not = int((numeric_rows["status"] == NOT_MET).sum())
    n_none = len(numeric_rows) - n_met - n_not
    n_initiatives = len(pd.unique(pd.concat([ind["initiative"], ms["initiative"]])))
    text = (
        f"{n_initiatives}取組・指標{len(ind)}件のうち数値目標は{len(numeric_rows)}件：達成{n_met}件"
    )
    if confident:
        text += f"（うち信頼区間も目標を満たすもの{confident}件）"
    text += f"、未達{n_not}件"
    if n_none:
        text += f"、実績なし（評価不能）{n_none}件"
    text += "。"
    n_qual = int((ind["target_kind"] != "numeric").sum())
    if n_qual:
        text += f"\n定性的な目標{n_qual}件は達成・未達を判定せず、報告書の記載と参考値を示した。"
    counts = {s: int((ms["status"] == s).sum()) for s in MILESTONE_STATUS_LABELS}
    late = ms.loc[ms["status"] == LATE, "months_late"]
    text += (
        f"\nスケジュールの工程{len(ms)}件：期限内に実施{counts[DONE_ON_TIME]}件、"
        f"遅れ{counts[LATE]}件"
    )
    if counts[LATE]:
        text += f"（最大{int(late.max())}か月）"
    text += f"、未了{counts[OPEN]}件、評価不能{counts[NOT_ASSESSABLE]}件"
    undated = int((ms["planned_kind"] == "unscheduled").sum())
    if undated:
        text += f"（うち予定時期が日付でない表記{undated}件）"
    return text + "。"


# --------------------------------------------------------------------------- chart
