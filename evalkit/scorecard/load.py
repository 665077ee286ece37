"""Reading and checking the scorecard files: the initiatives, the columns, the rules.

:func:`load_indicators`, :func:`load_milestones`,
:func:`load_platform_migration` and :func:`load_plans` read ``data/scorecard/`` (or a file of the
same shape) against their schemas and check every rule of
``data/scorecard/README.md``, naming the file row of the first bad cell;
the evaluations run the same checks on the frames they are given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._validation import _tabular, numeric, require_columns, source_file
from ..errors import EvalkitError
from ..readers.fiscal import parse_month, parse_schedule, parse_timing
from ..readers.tables import Column, Schema, read_table
from ._common import _COMPUTED, _KINDS, _check_fiscal_year, _fail, _nfkc, _reset, _row


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
#: Columns of ``fy2019_plans.csv``, in order.
PLAN_COLUMNS = ["theme", "initiative_id", "initiative", "line_id", "section", "text", "note"]

_TARGET_KINDS = ("numeric", "qualitative")
_DIRECTIONS = (">=", "<=", "==")
_DONE = ("yes", "no", "not stated")
_PLATFORM_KINDS = ("running", "planned", "migrated", "scope")
_PLAN_SECTIONS = ("plan", "activity_lead", "progress")
# Units whose figures are counts: never negative.
_COUNT_UNITS = ("システム", "所属", "業務", "件")


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


#: Schema of ``fy2019_plans.csv`` (Japanese header aliases accepted).
PLAN_SCHEMA = Schema(
    "scorecard plans",
    [
        _col("theme", _T, "テーマ"),
        _col("initiative_id", _T, "取組ID"),
        _col("initiative", _T, "取組", "取組名"),
        _col("line_id", _T, "行ID"),
        _col("section", _T, "欄", choices=_PLAN_SECTIONS),
        _col("text", _T, "記載", "内容"),
        _col("note", _T, "備考", required=False, nullable=True),
    ],
    key=["line_id"],
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


def load_plans(path: Any = None, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read and check ``fy2019_plans.csv``, the plan text of each initiative.

    Parameters
    ----------
    path : str or path-like, optional
        A ``.csv`` or ``.xlsx`` file; default ``data/scorecard/fy2019_plans.csv``.
    sheet : str or int, optional
        Workbook sheet, with an Excel ``path``.

    Returns
    -------
    pandas.DataFrame
        The :data:`PLAN_COLUMNS`, all text (a blank ``note`` is ``""``), one
        row per line in the report's order: ``section`` ``plan`` for a line
        of 今年度何をするか above its schedule, ``activity_lead`` for a line
        written above the activity indicators, ``progress`` for a progress
        item that answers no step and no indicator.

    Raises
    ------
    EvalkitError
        Naming the file, the row in the file, the column and the value of
        the first bad cell: a blank id or text, an unknown initiative or
        ``section``, an id that does not start with its ``initiative_id``,
        a duplicate ``line_id``.

    Examples
    --------
    >>> plans = load_plans()
    >>> plans.loc[0, ["line_id", "section"]].tolist()
    ['voice_recognition.p1', 'plan']
    """
    return _check_plans(_read(path, "fy2019_plans.csv", PLAN_SCHEMA, sheet))


def _check_plans(data: Any) -> pd.DataFrame:
    df = _prepare(data, PLAN_COLUMNS)
    for col in ("initiative_id", "line_id", "text"):
        _check_nonblank(df, col)
    _check_initiatives(df, "line_id")
    _check_unique(df, "line_id")
    _check_allowed(df, "section", _PLAN_SECTIONS)
    return df


def _blank(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _text(df: pd.DataFrame, col: str) -> pd.Series:
    """Column as stripped strings, blanks (NaN, None, NaT) as ""."""
    return df[col].map(lambda v: "" if _blank(v) else str(v).strip()).astype("str")


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
        _check_target(df, pos, row)
        _check_actual_source(df, pos, row)
        _check_units(df, pos, row)
    return df


def _check_target(df: pd.DataFrame, pos: int, row: Any) -> None:
    """A numeric target with its value, direction and unit; a qualitative one blank."""
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


def _check_actual_source(df: pd.DataFrame, pos: int, row: Any) -> None:
    """The ``actual_source`` forms, and what each allows in the actual's value and text."""
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
            "a row quoted from the report needs the report's statement (or actual_source 'none')",
            pos,
            "actual_text",
            row.actual_text,
        )


def _check_units(df: pd.DataFrame, pos: int, row: Any) -> None:
    """No negative count; the actual in the unit of a numeric target."""
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
