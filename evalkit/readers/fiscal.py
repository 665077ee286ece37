"""Japanese eras, months, fiscal years and the timings written in schedules.

A Japanese public body counts its year from April to March (年度, the
fiscal year): FY2019 (令和元年度) runs from April 2019 to March 2020. Dates
are written in the era calendar as often as in the western one: 令和 began
on 1 May 2019, so April 2019 is 平成31年4月 and May 2019 is 令和元年5月
(元年 = year 1 of an era).

:func:`parse_month` reads a single month written in any of the usual ways,
:func:`fiscal_year` maps a month or a date to its fiscal year, and
:func:`parse_timing` / :func:`parse_schedule` read the timings of a plan
("元年５～６月", "10月から３月", "随時") as a start and an end month.

Parse functions raise :class:`~evalkit.errors.EvalkitError` naming the
value only; callers that know where the value came from (for example
:func:`evalkit.read_table`) re-raise it with the file, row and column.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._validation import describe_character, foreign_digit, invisible_character, row_number
from ..errors import EvalkitError

__all__ = [
    "ERAS",
    "Era",
    "Timing",
    "fiscal_months",
    "fiscal_year",
    "fiscal_year_label",
    "month_label",
    "parse_month",
    "parse_schedule",
    "parse_timing",
]

#: Month in which the fiscal year starts.
FISCAL_YEAR_START_MONTH = 4


@dataclass(frozen=True)
class Era:
    """A Japanese era: its name, one-letter abbreviation, first and last day."""

    name: str
    letter: str
    start: _dt.date
    end: _dt.date | None

    def year_of(self, calendar_year: int) -> int:
        """Era year of a western calendar year (1 = 元年)."""
        return calendar_year - self.start.year + 1

    def calendar_year(self, era_year: int) -> int:
        """Western calendar year of an era year."""
        return self.start.year + era_year - 1


#: Eras recognised, newest first.
ERAS: tuple[Era, ...] = (
    Era("令和", "R", _dt.date(2019, 5, 1), None),
    Era("平成", "H", _dt.date(1989, 1, 8), _dt.date(2019, 4, 30)),
    Era("昭和", "S", _dt.date(1926, 12, 25), _dt.date(1989, 1, 7)),
)
_ERA_BY_KEY = {e.name: e for e in ERAS} | {e.letter: e for e in ERAS} | {e.name[0]: e for e in ERAS}
_REIWA = ERAS[0]
_HEISEI = ERAS[1]

_ERA_NAMES = "令和|平成|昭和|[令平昭]|[RHSrhs]"
_FORMS = "2019-04, 2019/4, 2019年4月, 令和元年5月, 平成31年4月 or R1.5"

# Dashes and waves that NFKC leaves alone but people type between months.
_DASHES = str.maketrans({"〜": "~", "∼": "~", "−": "-", "‐": "-", "‑": "-", "–": "-", "—": "-"})


def _normalise(text: str) -> str:
    """NFKC (full-width digits and signs to ASCII), uniform dashes, no whitespace."""
    s = unicodedata.normalize("NFKC", text).translate(_DASHES)
    s = re.sub(r"(?<=[0-9月年])[ー―](?=[0-9])", "-", s)
    return re.sub(r"\s+", "", s)


def _era_year(token: str) -> int:
    return 1 if token == "元" else int(token)


def _era_to_calendar(era: Era, era_year: int, month: int | None, day: int | None = None) -> int:
    """Western year of ``era`` year ``era_year``, checking the era existed then.

    A month written in an era's last year is accepted up to December of that
    calendar year (forms printed before the change kept the old era name, and
    such dates were officially treated as valid), but never a later year.
    """
    if era_year < 1:
        raise ValueError(f"{era.name} has no year {era_year}")
    year = era.calendar_year(era_year)
    if era.end is not None and year > era.end.year:
        last = era.year_of(era.end.year)
        raise ValueError(
            f"{era.name} ended on {era.end.isoformat()}; its last year is {era.name}{last}年"
        )
    if month is not None:
        first = (era.start.year, era.start.month)
        if (year, month) < first or (day is not None and _dt.date(year, month, day) < era.start):
            raise ValueError(f"{era.name} began on {era.start.isoformat()}")
    return year


def _month(year: int, month: int, day: int | None = None) -> pd.Period:
    if not 1 <= month <= 12:
        raise ValueError(f"there is no month {month}")
    if day is not None:
        _dt.date(year, month, day)  # raises ValueError for 2月30日 and the like
    return pd.Period(year=year, month=month, freq="M")


# A date with a time of day: ISO 8601, and Excel's CSV export of date-time
# cells ("2019/04/01 0:00", "2019/4/1 0:00:00").
_DATETIME = re.compile(
    r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})"
    r"(?:T|\s+)([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
)
_WESTERN = re.compile(
    r"([0-9]{4})[-/.]([0-9]{1,2})(?:[-/.]([0-9]{1,2}))?"
    r"|([0-9]{4})年([0-9]{1,2})月(?:([0-9]{1,2})日)?"
)
_YYYYMM = re.compile(r"([0-9]{4})([0-9]{2})")
# 2019.1 and 2019.10: once a cell is a number they are the same number, so
# the year-dot-month form cannot say which month it means.
_YEAR_DOT_MONTH = re.compile(r"[0-9]{4}\.[0-9]{1,2}")
_AMBIGUOUS = (
    "a year and month written with a dot (2019.1) are refused, because as a number "
    "2019.10 (October) and 2019.1 (January) are the same; write the month as 2019-01 "
    "or 2019年1月"
)
_ERA_MONTH = re.compile(
    rf"({_ERA_NAMES})(元|[0-9]{{1,2}})"
    r"(?:年([0-9]{1,2})月(?:([0-9]{1,2})日)?|[-/.]([0-9]{1,2})(?:[-/.]([0-9]{1,2}))?)"
)


def _parse_month_text(text: str) -> pd.Period:
    m = _DATETIME.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if m:
        hour, minute, second = int(m[5]), int(m[6]), int(m[7] or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise ValueError(f"there is no time of day {m[5]}:{m[6]}{':' + m[7] if m[7] else ''}")
        return _month(int(m[1]), int(m[3]), int(m[4]))
    s = _normalise(text)
    if s.endswith("月分"):  # "2019年4月分": the month's records
        s = s[:-1]
    if _YEAR_DOT_MONTH.fullmatch(s):
        raise ValueError(_AMBIGUOUS)
    if m := _WESTERN.fullmatch(s):
        y, mo, d = (m[1], m[2], m[3]) if m[1] else (m[4], m[5], m[6])
        return _month(int(y), int(mo), None if d is None else int(d))
    if m := _YYYYMM.fullmatch(s):
        return _month(int(m[1]), int(m[2]))
    if m := _ERA_MONTH.fullmatch(s):
        era = _ERA_BY_KEY[m[1].upper()]
        mo = int(m[3] or m[5])
        day_token = m[4] or m[6]
        day = None if day_token is None else int(day_token)
        year = _era_to_calendar(era, _era_year(m[2]), mo, day)
        return _month(year, mo, day)
    raise LookupError


def parse_month(value: Any) -> pd.Period:
    """Read one month written in any of the usual Japanese or western ways.

    Parameters
    ----------
    value : str, pandas.Period, datetime-like or int
        ``"2019-04"``, ``"2019/4"``, ``"2019/04/01"``, ``"2019年4月"``,
        ``"201904"``, ``"令和元年5月"``, ``"令和1年5月"``, ``"平成31年4月"``,
        ``"R1.5"``, ``"R01.05"``, ``"H31.4"``, ``"R1/5"``, ``"令1.5"``,
        ``"平31.4"``, the same with full-width digits (``"２０１９年４月"``), a
        day (``"令和元年12月4日"``), a trailing 分 (``"2019年4月分"``,
        ``"令和元年5月分"``) or a date and time of day (``"2019/04/01 0:00"``,
        ``"2019/4/1 0:00:00"`` as Excel exports date-time cells to CSV,
        ``"2019-04-01T00:00:00"``);
        a ``datetime.date``, ``datetime.datetime``, ``pandas.Timestamp`` or
        ``numpy.datetime64`` (Excel date cells); a ``pandas.Period`` of a
        month or a day; an integer ``YYYYMM``.

    Returns
    -------
    pandas.Period
        The month, with ``freq="M"``. A day, if written, is checked and dropped.

    Raises
    ------
    EvalkitError
        If ``value`` is missing or not a month, naming the value. The era
        must have existed in that month: 令和元年4月 is rejected (令和 began
        on 2019-05-01) and so is 平成32年. A year and month written with a
        dot (``"2019.1"``, or the number 2019.1 from an Excel cell) are
        refused: as a number 2019.10 and 2019.1 are the same, so the month
        cannot be told; era forms such as ``"R1.5"`` are text and are read.
        Digits other than 0-9 and ０-９ (①, ², other scripts' digits) and
        invisible characters are refused, naming their code point.

    Notes
    -----
    Era years: 元年 = year 1; 令和N年 = 2018 + N, 平成N年 = 1988 + N,
    昭和N年 = 1925 + N. Letters R, H and S, and the first characters 令, 平
    and 昭, abbreviate the eras. A day and a time of day, if written, are
    checked and dropped; so is a trailing 分 after the month ("4月分", "the
    records of April").

    Forms printed before the era change kept saying 平成31年 after 1 May
    2019, and the government stated such dates remain valid; so 平成31年5月
    to 平成31年12月 are accepted as the months of 2019 they name
    (2019-05 ... 2019-12). A later Heisei year (平成32年) is rejected. The
    same rule holds for the last year of every era (昭和64年).

    Examples
    --------
    >>> parse_month("令和元年5月")
    Period('2019-05', 'M')
    >>> parse_month("H31.4"), parse_month("２０１９年１２月")
    (Period('2019-04', 'M'), Period('2019-12', 'M'))
    >>> import datetime
    >>> parse_month(datetime.datetime(2020, 3, 1))
    Period('2020-03', 'M')
    >>> parse_month("令和元年4月")
    Traceback (most recent call last):
    ...
    evalkit.errors.EvalkitError: value '令和元年4月': not a month: 令和 began on 2019-05-01
    """
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        raise EvalkitError("missing month", value=value)
    if isinstance(value, pd.Period):
        if value.freqstr == "M":
            return value
        if value.freqstr in ("D", "B"):
            return value.asfreq("M")
        raise EvalkitError(f"a period of {value.freqstr} is not a month", value=value)
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise EvalkitError("missing month", value=value)
        value = pd.Timestamp(value)
    if isinstance(value, _dt.date):  # datetime, date and Timestamp
        return _month(value.year, value.month)
    if isinstance(value, bool | np.bool_):
        raise EvalkitError("not a month: got true/false", value=value)
    if isinstance(value, int | np.integer | float | np.floating):
        # compare before float(): a whole number of 400 digits has no float
        if 100000 <= value <= 999999 and float(value).is_integer():
            value = str(int(value))
        elif 1000 <= value < 10000 and not float(value).is_integer():
            raise EvalkitError(f"not a month: {_AMBIGUOUS}", value=value)
        else:
            raise EvalkitError(
                f"not a month: numbers are read as YYYYMM; write {_FORMS}", value=value
            )
    if not isinstance(value, str):
        raise EvalkitError(f"not a month: got {type(value).__name__}", value=value)
    if (char := invisible_character(value)) is not None:
        raise EvalkitError(
            f"not a month: it holds an invisible character, {describe_character(char)}; delete it",
            value=value,
        )
    if (char := foreign_digit(value)) is not None:
        raise EvalkitError(
            f"not a month: it holds {char!r} ({describe_character(char)}), which is not one "
            f"of the digits 0-9 or ０-９; write it as {_FORMS}",
            value=value,
        )
    try:
        return _parse_month_text(value)
    except LookupError:
        raise EvalkitError(f"not a month: write it as {_FORMS}", value=value) from None
    except ValueError as err:
        raise EvalkitError(f"not a month: {err}", value=value) from None


def _fy_of(period: pd.Period) -> int:
    return period.year if period.month >= FISCAL_YEAR_START_MONTH else period.year - 1


def fiscal_year(value: Any) -> int | pd.Series:
    """Fiscal year (April to March) of a month or a date, or of each one in a Series.

    Parameters
    ----------
    value : month-like, or pandas.Series / pandas.Index / array-like of them
        Anything :func:`parse_month` accepts. A Series (or Index, list,
        array) is converted element by element, fast for ``period[M]`` and
        ``datetime64`` dtypes; missing values stay missing.

    Returns
    -------
    int or pandas.Series
        The fiscal year, named by the calendar year in which it starts
        (2020-03 belongs to FY2019). For a Series, an ``Int64`` Series
        named ``"fiscal_year"`` with the same index; for an Index or
        array-like, the same with a 0..n-1 index.

    Raises
    ------
    EvalkitError
        For a value that is not a month; for a Series, the row is the value's
        1-based position.

    Examples
    --------
    >>> fiscal_year("2020-03"), fiscal_year("令和元年5月"), fiscal_year("2019-04-01")
    (2019, 2019, 2019)
    >>> import pandas as pd
    >>> fiscal_year(pd.Series(pd.period_range("2019-02", periods=3, freq="M"))).tolist()
    [2018, 2018, 2019]
    """
    if isinstance(value, pd.Series | pd.Index | list | tuple | np.ndarray):
        series = value if isinstance(value, pd.Series) else pd.Series(value)
        dtype = series.dtype
        if isinstance(dtype, pd.PeriodDtype) or pd.api.types.is_datetime64_any_dtype(dtype):
            if isinstance(dtype, pd.PeriodDtype) and str(dtype) != "period[M]":
                series = series.map(lambda v: v if pd.isna(v) else parse_month(v))
                return fiscal_year(series.astype("period[M]"))
            year = series.dt.year.astype("Int64")
            out = year - (series.dt.month < FISCAL_YEAR_START_MONTH).astype("Int64")
            return out.rename("fiscal_year")
        years = []
        for pos, v in enumerate(series.tolist()):
            if v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
                years.append(pd.NA)
                continue
            try:
                years.append(_fy_of(parse_month(v)))
            except EvalkitError as err:
                raise EvalkitError(
                    err.reason, row=row_number(pos, tabular=False), value=v
                ) from None
        return pd.Series(years, index=series.index, dtype="Int64", name="fiscal_year")
    return _fy_of(parse_month(value))


def fiscal_months(fiscal_year: int) -> pd.PeriodIndex:
    """The twelve months of a fiscal year, April to March.

    Parameters
    ----------
    fiscal_year : int
        Calendar year in which the fiscal year starts.

    Returns
    -------
    pandas.PeriodIndex
        Twelve monthly periods, named ``"month"``.

    Examples
    --------
    >>> m = fiscal_months(2019)
    >>> str(m[0]), str(m[-1]), len(m)
    ('2019-04', '2020-03', 12)
    """
    return pd.period_range(
        f"{int(fiscal_year)}-{FISCAL_YEAR_START_MONTH:02d}", periods=12, freq="M", name="month"
    )


def _era_on(day: _dt.date) -> Era:
    for era in ERAS:
        if day >= era.start:
            return era
    raise EvalkitError("date before the eras evalkit knows (昭和 and later)", value=day)


def _era_year_text(era: Era, calendar_year: int) -> str:
    n = era.year_of(calendar_year)
    return f"{era.name}{'元' if n == 1 else n}年"


def fiscal_year_label(fiscal_year: int, *, style: str = "era") -> str:
    """Name of a fiscal year as Japanese documents and English reports write it.

    Parameters
    ----------
    fiscal_year : int
        Calendar year in which the fiscal year starts.
    style : {"era", "western", "fy"}
        ``"era"``: 令和元年度; ``"western"``: 2019年度; ``"fy"``: FY2019.

    Returns
    -------
    str

    Notes
    -----
    The era of a fiscal year is the era in force at the end of its first
    calendar year, which is how fiscal years spanning an era change are
    named: April 2019 to March 2020 is 令和元年度.

    Examples
    --------
    >>> fiscal_year_label(2019), fiscal_year_label(2018), fiscal_year_label(2019, style="fy")
    ('令和元年度', '平成30年度', 'FY2019')
    """
    fy = int(fiscal_year)
    if style == "fy":
        return f"FY{fy}"
    if style == "western":
        return f"{fy}年度"
    if style != "era":
        raise EvalkitError("style must be 'era', 'western' or 'fy'", column="style", value=style)
    return _era_year_text(_era_on(_dt.date(fy, 12, 31)), fy) + "度"


def month_label(value: Any, *, style: str = "era") -> str:
    """Japanese name of a month: 令和元年5月 (era) or 2019年5月 (western).

    Parameters
    ----------
    value : month-like
        Anything :func:`parse_month` accepts.
    style : {"era", "western"}
        The era is the one in force on the month's last day.

    Returns
    -------
    str

    Examples
    --------
    >>> month_label("2019-04"), month_label("2019-05"), month_label("2020-01", style="western")
    ('平成31年4月', '令和元年5月', '2020年1月')
    """
    p = parse_month(value)
    if style == "western":
        return f"{p.year}年{p.month}月"
    if style != "era":
        raise EvalkitError("style must be 'era' or 'western'", column="style", value=style)
    return f"{_era_year_text(_era_on(p.end_time.date()), p.year)}{p.month}月"


# --------------------------------------------------------------------------- timings

#: Flag of a timing that is deliberately not a date (随時, 適宜, 年４回程度).
FLAG_RECURRING = "not a date: recurring/as needed"
#: Flag of a timing whose text could not be read as a date.
FLAG_UNRECOGNISED = "not a date: unrecognised text, kept as written"

_RECURRING = re.compile(
    r"随時|適宜|常時|通年|順次|毎[日週月年]|定期|必要に応じ|未定|"
    r"[年月週][0-9]+回|[0-9]+[かヶケ]?月(ごと|毎|に[0-9]+回)"
)
_QUALIFIERS = re.compile(
    r"\((?:予定|見込み?)\)|予定|見込み?|頃|ごろ|(?<=[月日])(?:上旬|中旬|下旬|初旬|初め|末|中|時点)+"
)
_TRAILING_DOTS = re.compile(r"[・.:。、]+$")
_ENDPOINT = re.compile(
    rf"(?:(?:(?P<era>{_ERA_NAMES})?(?P<year>元|[0-9]{{1,4}})年|(?P<same>同年))?"
    r"(?:(?P<month>[0-9]{1,2})(?P<m>月)?(?:(?P<day>[0-9]{1,2})日)?)?)"
)
_DOTTED = re.compile(
    rf"(?:(?P<era>{_ERA_NAMES})(?P<year>元|[0-9]{{1,2}})|(?P<wyear>[0-9]{{4}}))"
    r"(?P<sep>[./])(?P<month>[0-9]{1,2})"
)
_FISCAL_YEAR = re.compile(rf"(?:(?P<era>{_ERA_NAMES})?(?P<year>元|[0-9]{{1,2}}))年度")
_SEPARATOR = re.compile(r"から|~|-")


@dataclass(frozen=True)
class Timing:
    """A timing as written in a plan, and the months it stands for.

    Attributes
    ----------
    text : str
        The timing exactly as written.
    start, end : pandas.Period or None
        First and last month (``freq="M"``). ``end`` is None for an open end
        ("２月～"), ``start`` is None for a deadline ("元年７月まで"), both are
        None when the text is not a date.
    kind : str
        ``"month"`` (start == end), ``"range"``, ``"from"`` (open end),
        ``"until"`` (deadline), ``"year"`` (a whole calendar year, "28年"),
        ``"fiscal_year"`` ("元年度"), or ``"unscheduled"`` (not a date).
    flag : str or None
        Why an ``"unscheduled"`` timing has no months (:data:`FLAG_RECURRING`
        for 随時, 適宜, 年４回程度 ...; :data:`FLAG_UNRECOGNISED` otherwise),
        or a caveat on how a date was read (an era's 元年 used for a month
        before the era began); None for dates read as written.
    """

    text: str
    start: pd.Period | None
    end: pd.Period | None
    kind: str
    flag: str | None = None

    @property
    def is_dated(self) -> bool:
        """Whether the timing names at least one month."""
        return self.start is not None or self.end is not None


def _bare_era(era_year: int, fy: int) -> Era:
    """Era of a year written without an era name, in a plan for fiscal year ``fy``."""
    return _REIWA if era_year <= _REIWA.year_of(fy) + 1 else _HEISEI


def _g(m: re.Match, name: str) -> str | None:
    return m.groupdict().get(name)


def _match_endpoint(part: str) -> re.Match | None:
    if not part:
        return None
    m = _DOTTED.fullmatch(part) or _ENDPOINT.fullmatch(part)
    if m is None or not (_g(m, "month") or _g(m, "year") or _g(m, "wyear") or _g(m, "same")):
        return None
    return m


def _has_month_mark(m: re.Match) -> bool:
    return m.re is _DOTTED or bool(_g(m, "m"))


class _TimingReader:
    """Reads one timing for a plan of fiscal year ``fy``, months placed at/after ``anchor``."""

    def __init__(self, fy: int, anchor: pd.Period | None) -> None:
        self.fy = fy
        self.anchor = anchor
        self.flags: list[str] = []

    def era_year(self, era: Era, n: int, month: int | None, day: int | None) -> int:
        """Calendar year of an era year; an era's 元年 used before it began is flagged."""
        try:
            return _era_to_calendar(era, n, month, day)
        except ValueError:
            year = era.calendar_year(n)
            if n != 1 or (era.end is not None and year > era.end.year):
                raise
            self.flags.append(
                f"{era.name}元年{month}月 is before {era.name} began ({era.start.isoformat()});"
                f" read as {year}-{month:02d}"
            )
            return year

    def year(self, m: re.Match) -> tuple[int | None, Era | None]:
        """Western year of an endpoint (None if it has none) and its era (None if western)."""
        if _g(m, "wyear"):
            return int(m["wyear"]), None
        token = _g(m, "year")
        if token is None:
            return None, None
        if len(token) == 4 and not _g(m, "era"):
            return int(token), None
        month = int(m["month"]) if _g(m, "month") else None
        day = int(m["day"]) if _g(m, "day") else None
        n = _era_year(token)
        era = _ERA_BY_KEY[m["era"].upper()] if _g(m, "era") else _bare_era(n, self.fy)
        return self.era_year(era, n, month, day), era

    def place(self, month: int, anchor: pd.Period | None) -> pd.Period:
        """A month written without a year: in the fiscal year, or at/after ``anchor``."""
        if anchor is None:
            year = self.fy if month >= FISCAL_YEAR_START_MONTH else self.fy + 1
        else:
            year = anchor.year if month >= anchor.month else anchor.year + 1
        return _month(year, month)

    def span(self, m: re.Match) -> tuple[pd.Period, pd.Period]:
        """First and last month named by one endpoint that has a year or a month."""
        if _g(m, "wyear") and _g(m, "sep") == ".":
            raise ValueError(_AMBIGUOUS)
        year, era = self.year(m)
        if _g(m, "month") is None:  # a year on its own: its months within the era
            first = era.start.month if era is not None and era.start.year == year else 1
            return _month(year, first), _month(year, 12)
        month = int(m["month"])
        day = int(m["day"]) if _g(m, "day") else None
        p = self.place(month, self.anchor) if year is None else _month(year, month, day)
        return p, p

    def timing(self, text: str, start, end, kind: str) -> Timing:
        return Timing(text, start, end, kind, "; ".join(self.flags) or None)

    def read(self, text: str) -> Timing:
        if foreign_digit(text) is not None:  # ⑤月 is not read as May: kept as text
            return Timing(text, None, None, "unscheduled", FLAG_UNRECOGNISED)
        s = _normalise(text)
        s = _TRAILING_DOTS.sub("", _QUALIFIERS.sub("", s))
        if not s:
            raise EvalkitError("empty timing", value=text)
        try:
            if m := _FISCAL_YEAR.fullmatch(s):
                n = _era_year(m["year"])
                era = _ERA_BY_KEY[m["era"].upper()] if m["era"] else _bare_era(n, self.fy)
                year = _era_to_calendar(era, n, None)
                return self.timing(text, _month(year, 4), _month(year + 1, 3), "fiscal_year")
            kind = None
            if s.endswith("まで") or s.endswith("までに"):
                s, kind = s[: s.rindex("まで")], "until"
            elif s.endswith("以降"):
                s, kind = s[:-2], "from"
            s = s.removesuffix("にかけて")
            try:
                return self.dated(text, s, kind)
            except LookupError:
                pass
            try:  # whole-text forms with a separator inside, such as 2019-04
                p = _parse_month_text(s)
            except LookupError:
                flag = FLAG_RECURRING if _RECURRING.search(s) else FLAG_UNRECOGNISED
                return Timing(text, None, None, "unscheduled", flag)
        except ValueError as err:
            raise EvalkitError(f"not a valid timing: {err}", value=text) from None
        if kind == "until":
            return self.timing(text, None, p, "until")
        if kind == "from":
            return self.timing(text, p, None, "from")
        return self.timing(text, p, p, "month")

    def dated(self, text: str, s: str, kind: str | None) -> Timing:
        """Read ``s`` as one endpoint or a range; LookupError if it is not that shape."""
        parts = _SEPARATOR.split(s, maxsplit=1)
        if len(parts) == 1:
            m = _match_endpoint(s)
            if m is None or _g(m, "same") or (_g(m, "month") and not _has_month_mark(m)):
                raise LookupError
            start, end = self.span(m)
            if kind == "until":
                return self.timing(text, None, end, "until")
            if kind == "from":
                return self.timing(text, start, None, "from")
            return self.timing(text, start, end, "month" if start == end else "year")
        a, b = parts
        ma, mb = _match_endpoint(a), _match_endpoint(b)
        if ma is None or _g(ma, "same") or kind == "from":
            raise LookupError
        if mb is None:
            if b or (_g(ma, "month") and not _has_month_mark(ma)):
                raise LookupError
            start, _ = self.span(ma)  # "２月～": from February on
            return self.timing(text, start, None, "from")
        a_is_year = _g(ma, "month") is None
        b_is_year = _g(mb, "month") is None
        if a_is_year != b_is_year or (not a_is_year and not _has_month_mark(mb)):
            raise LookupError  # "元年~3月", "4~6": not a shape a plan uses
        start, _ = self.span(ma)
        if _g(mb, "same"):
            end = _month(start.year, int(mb["month"]))
        elif not (_g(mb, "year") or _g(mb, "wyear")):  # "元年５～６月": continues the start
            end = self.place(int(mb["month"]), start)
        else:
            _, end = self.span(mb)
        if end < start:
            raise ValueError(f"it ends ({end}) before it starts ({start})")
        return self.timing(text, start, end, "range")


def _check_fy(fiscal_year: Any) -> int:
    if isinstance(fiscal_year, bool) or not isinstance(fiscal_year, int | np.integer):
        raise EvalkitError(
            "fiscal_year must be an int such as 2019", column="fiscal_year", value=fiscal_year
        )
    return int(fiscal_year)


def parse_timing(text: str, *, fiscal_year: int) -> Timing:
    """Read a timing written in a plan ("元年５～６月", "10月から３月", "随時").

    Parameters
    ----------
    text : str
        One timing as written, full-width digits and spaces included.
    fiscal_year : int
        The fiscal year of the plan (2019 for a 令和元年度 plan): it places
        months written without a year and decides the era of a year written
        without one.

    Returns
    -------
    Timing
        ``Timing(text, start, end, kind, flag)``; see :class:`Timing`.

    Raises
    ------
    EvalkitError
        Naming the value, for a timing shaped like a date that names an
        impossible one (13月, 令和元年4月, 平成32年, an end before the start).
        Text that is not a date at all is returned flagged, never raised.

    Notes
    -----
    Read after NFKC normalisation (full-width digits, ～ and spaces become
    ASCII) with all whitespace removed; trailing ・・・ and the qualifiers
    予定, 頃, 上旬/中旬/下旬, 末, 中 and 時点 are dropped (they do not change
    the month).

    - Ranges: ``A～B``, ``A~B``, ``A〜B``, ``A-B``, ``AからB`` with an
      optional ``まで`` or ``にかけて``; ``A～`` or ``A以降`` is an open end
      (kind "from"); ``Aまで`` is a deadline (kind "until"). The month
      sign may be written once for both ends ("4～6月").
    - A month without a year is placed in the fiscal year: April to
      December in ``fiscal_year``, January to March in ``fiscal_year + 1``.
    - The end of a range written without a year ("元年５～６月",
      "令和元年10月から11月") continues from the start: it is the first such
      month at or after the start, so "元年11月～2月" ends in February 2020.
      同年 means the start's year.
    - A year without an era (the plans' own usage, "31年4月", "2年3月")
      is Reiwa if it is at most the Reiwa year of ``fiscal_year`` plus one,
      else Heisei: for FY2019, 元年, 1年 and 2年 are Reiwa (2019, 2020) and
      3年 to 31年 are Heisei (1991 to 2019). A four-digit year is western.
    - A year alone ("28年") is the whole calendar year (2016-01 to 2016-12);
      "元年度" is the fiscal year.
    - A day is checked and dropped ("令和元年12月4日" is 2019-12).
    - Documents written after 1 May 2019 often give April 2019 in the new
      era ("令和元年４月から同年5月"). :func:`parse_month` rejects such a
      month; here it is read as the month it names (2019-04) and the
      timing's ``flag`` says so. Only an era's first year is read this way;
      a year past an era's end (平成32年) is an error.
    - Timings that are not dates (随時, 適宜, 常時, 年４回程度, 必要に応じて,
      未定 ...) are kept with kind "unscheduled" and :data:`FLAG_RECURRING`;
      any other text that cannot be read gets :data:`FLAG_UNRECOGNISED`.
      Nothing is guessed.

    Examples
    --------
    >>> t = parse_timing("元年５～６月", fiscal_year=2019)
    >>> str(t.start), str(t.end), t.kind
    ('2019-05', '2019-06', 'range')
    >>> t = parse_timing("10月から３月", fiscal_year=2019)
    >>> str(t.start), str(t.end)
    ('2019-10', '2020-03')
    >>> parse_timing("２月～　　　・・・", fiscal_year=2019).kind
    'from'
    >>> t = parse_timing("年４回程度", fiscal_year=2019)
    >>> t.start, t.end, t.kind, t.flag
    (None, None, 'unscheduled', 'not a date: recurring/as needed')
    """
    fy = _check_fy(fiscal_year)
    if not isinstance(text, str):
        raise EvalkitError("a timing must be text", value=text)
    return _TimingReader(fy, None).read(text)


def parse_schedule(lines: Iterable[str], *, fiscal_year: int) -> list[Timing]:
    """Read the timings of one schedule, each line continuing from the one before.

    Parameters
    ----------
    lines : iterable of str
        The timings of one schedule in the order written (the timing part of
        each line, e.g. ``["31年4月", "９月", "2年　３月"]``).
    fiscal_year : int
        The fiscal year of the plan.

    Returns
    -------
    list of Timing
        One per line, as :func:`parse_timing` would read it, except for where
        months without a year are placed.

    Notes
    -----
    A schedule is written in time order and states the year only when it
    changes ("31年4月", then "　　９月", then "2年　３月"). So a month
    without a year continues from the last dated line before it: it is the
    first such month at or after that line's end (its start, for an open
    end). Undated lines (随時) are skipped over; months before the first
    dated line use the fiscal-year placement of :func:`parse_timing`. For
    the schedules of a single fiscal year both readings agree; they differ
    only for a schedule running past March, where this one keeps the order
    of the lines.

    Examples
    --------
    >>> ts = parse_schedule(["31年4月", "　　　　　 ９月", "　　2年　３月"], fiscal_year=2019)
    >>> [str(t.start) for t in ts]
    ['2019-04', '2019-09', '2020-03']
    >>> ts = parse_schedule(["元年５月～８月", "９月～１月", "２月～"], fiscal_year=2019)
    >>> [(str(t.start), str(t.end)) for t in ts]
    [('2019-05', '2019-08'), ('2019-09', '2020-01'), ('2020-02', 'None')]
    """
    fy = _check_fy(fiscal_year)
    if isinstance(lines, str):
        raise EvalkitError("lines must be a list of timings, not one string", value=lines)
    out: list[Timing] = []
    anchor: pd.Period | None = None
    for pos, line in enumerate(lines):
        if not isinstance(line, str):
            raise EvalkitError("a timing must be text", row=pos + 1, value=line)
        try:
            t = _TimingReader(fy, anchor).read(line)
        except EvalkitError as err:
            raise EvalkitError(err.reason, row=pos + 1, value=line) from None
        out.append(t)
        if t.is_dated:
            anchor = t.end if t.end is not None else t.start
    return out
