"""Key figures as the report writes them: Japanese units, 桁区切り, published precision.

These functions turn one row of :func:`~evalkit.report.kpis.kpi_table` into
the text a page, the spreadsheet and the terminal show: ``83.87 %``,
``1,800 時間``, ``62 時間/月``, ``116 所属``; the interval, the target
(``70 %以上``) and the verdict (達成, 未達, 判定不能, 確実に達成). Rounding is
half up (四捨五入), as the published figures are rounded.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

import pandas as pd

from .kpis import _round_half_up, default_decimals

__all__ = [
    "UNIT_JA",
    "display_width",
    "format_figure",
    "format_interval",
    "format_number",
    "format_target",
    "pad",
    "reproduced_label",
    "unit_label",
    "verdict_label",
]

#: Japanese unit written after a figure, by the ``unit`` of ``summary.csv``.
UNIT_JA = {
    "ratio": "%",
    "hours": "時間",
    "hours/month": "時間/月",
    "yen": "円",
    "departments": "所属",
    "tasks": "業務",
    "systems": "システム",
    "cases": "件",
    "people": "人",
    "FTE": "人（常勤換算）",
    "p": "",
}

#: The verdict words, by (met, met confidently).
MET_CONFIDENTLY = "確実に達成"
MET = "達成"
NOT_MET = "未達"
NOT_ASSESSABLE = "判定不能"


def _missing(x: Any) -> bool:
    if x is None or x is pd.NA:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _decimals(decimals: Any, unit: str) -> int:
    return default_decimals(unit) if _missing(decimals) else int(decimals)


def format_number(value: float, decimals: int) -> str:
    """``value`` rounded half up to ``decimals`` places, with 桁区切り.

    Examples
    --------
    >>> format_number(1795.0, -2), format_number(61.96, 0), format_number(0.5, 2)
    ('1,800', '62', '0.50')
    >>> format_number(-1234.5, 0)
    '-1,235'
    """
    rounded = _round_half_up(float(value), int(decimals)) + 0.0  # -0.0 becomes 0.0
    if rounded == 0:
        rounded = 0.0
    return f"{rounded:,.{max(int(decimals), 0)}f}"


def unit_label(unit: Any) -> str:
    """The Japanese unit of ``unit`` (``"hours/month"`` -> ``"時間/月"``); unknown units as written.

    Examples
    --------
    >>> unit_label("departments"), unit_label("ratio"), unit_label("台")
    ('所属', '%', '台')
    """
    if _missing(unit):
        return ""
    return UNIT_JA.get(str(unit), str(unit))


def _number_in_unit(value: float, unit: str, decimals: int) -> str:
    if unit == "ratio":
        return format_number(_round_half_up(float(value), decimals) * 100, max(decimals - 2, 0))
    return format_number(value, decimals)


def format_figure(value: Any, unit: Any, decimals: Any = None) -> str:
    """One figure with its unit, at ``decimals`` (the published precision), or ``"—"``.

    Examples
    --------
    >>> format_figure(0.838709677, "ratio", 4)
    '83.87 %'
    >>> format_figure(1800.0, "hours", -2), format_figure(61.96, "hours/month", 0)
    ('1,800 時間', '62 時間/月')
    >>> format_figure(116, "departments", 0), format_figure(1234567, "yen")
    ('116 所属', '1,234,567 円')
    >>> format_figure(0.4413, "p"), format_figure(None, "ratio")
    ('0.441', '—')
    """
    if _missing(value):
        return "—"
    unit = "" if _missing(unit) else str(unit)
    number = _number_in_unit(value, unit, _decimals(decimals, unit))
    label = unit_label(unit)
    return f"{number} {label}" if label else number


def format_interval(low: Any, high: Any, unit: Any, decimals: Any = None) -> str:
    """``low〜high`` in the unit; ``""`` without an interval, ``"計算できず"`` with NaN bounds.

    Examples
    --------
    >>> format_interval(0.7508, 0.8997, "ratio", 4)
    '75.08 %〜89.97 %'
    >>> format_interval(49.6964, 83.498, "hours/month", 0)
    '50〜83 時間/月'
    """
    if _missing(low) and _missing(high):
        return ""
    if _missing(low) or _missing(high):
        return "計算できず"
    unit = "" if _missing(unit) else str(unit)
    d = _decimals(decimals, unit)
    lo, hi = _number_in_unit(low, unit, d), _number_in_unit(high, unit, d)
    label = unit_label(unit)
    if unit == "ratio":
        return f"{lo} %〜{hi} %"
    return f"{lo}〜{hi} {label}" if label else f"{lo}〜{hi}"


def format_target(target: Any, direction: Any, unit: Any, decimals: Any = None) -> str:
    """The target as a report states it: ``70 %以上``; ``""`` without a target.

    Trailing zeros are dropped (a target of 0.70 at 4 decimals is ``70 %``).

    Examples
    --------
    >>> format_target(0.7, ">=", "ratio", 4), format_target(30.0, ">=", "systems", 0)
    ('70 %以上', '30 システム以上')
    >>> format_target(100.0, "<=", "hours")
    '100 時間以下'
    """
    if _missing(target):
        return ""
    unit = "" if _missing(unit) else str(unit)
    number = _number_in_unit(target, unit, _decimals(decimals, unit))
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    label = unit_label(unit)
    word = "以下" if direction == "<=" else "以上"
    return f"{number} {label}{word}" if label else f"{number}{word}"


def verdict_label(met: Any, met_confidently: Any, target: Any = 0.0) -> str:
    """達成, 確実に達成, 未達 or 判定不能 (a target without a value); ``""`` without a target.

    Examples
    --------
    >>> verdict_label(True, True), verdict_label(True, False), verdict_label(False, None)
    ('確実に達成', '達成', '未達')
    >>> verdict_label(None, None), verdict_label(None, None, target=None)
    ('判定不能', '')
    """
    if _missing(target):
        return ""
    if _missing(met):
        return NOT_ASSESSABLE
    if bool(met):
        return MET_CONFIDENTLY if not _missing(met_confidently) and bool(met_confidently) else MET
    return NOT_MET


def reproduced_label(reproduced: Any) -> str:
    """一致 or 不一致 (the data reproduce the published figure at its precision), or ``""``."""
    if _missing(reproduced):
        return ""
    return "一致" if bool(reproduced) else "不一致"


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: East Asian wide and full-width characters count 2.

    Examples
    --------
    >>> display_width("満足度 83.87 %"), display_width("ＩＴ"), display_width("abc")
    (14, 4, 3)
    """
    width = 0
    for ch in str(text):
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` display columns (see :func:`display_width`).

    Examples
    --------
    >>> pad("所属", 6) + "|", pad("62", 4, right=True) + "|"
    ('所属  |', '  62|')
    """
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill


def is_finite_number(x: Any) -> bool:
    """Whether ``x`` is a real, finite number (not a bool, not NaN)."""
    if isinstance(x, bool) or _missing(x):
        return False
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False
