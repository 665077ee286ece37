"""The synthetic drafting-hours panel: data for :func:`evalkit.did`.

``voice_recognition/drafting_hours_panel.csv`` has one row per department
and month over FY2018-FY2019 (April 2018 to March 2020, 24 months) for
every department that drafts minutes: the 116 departments of
``minutes_work.csv``, which adopted speech recognition during FY2019, and
the 40 offices of :data:`NOT_ADOPTING`, which had not adopted it by March
2020. ``hours`` is the time actually spent drafting minutes that month;
``first_month`` is the month the department started using the tool, blank
for the others.

How the hours are made, in tenths of an hour:

- **Without the tool**, every department has an average month: its other
  minutes (a log-normal level, doubled in the departments that use the tool
  most, which adopted earliest; smaller in the offices that did not adopt)
  plus its meetings of the recorded kind drafted by hand, at the meeting
  rate, length and drafting factor behind its ``minutes_work.csv`` rows.
  To it are added a seasonal profile shared by every department with a
  March peak (:data:`OTHER_SEASON` x :data:`SEASON_HOURS`), a gentle trend
  of :data:`TREND` hours a month, and normal noise (s.d. 0.5 h, clipped at
  +-1.5 h). Season and trend are additive and common to all departments,
  so parallel trends hold by construction. The average month is raised,
  once for all months, until every month with a ``minutes_work.csv`` row
  has at least the time its recorded meetings would have taken by hand, so
  that a department never drafts less than that row's ``hours_after``.
- **With the tool**, from ``first_month`` on, the department's hours are
  those without it minus ``KAPPA x (hours_before - hours_after)`` of its
  ``minutes_work.csv`` row (0 in a month without a row).

The true effect. ``hours_before`` in ``minutes_work.csv`` is the
department's estimate of what the recorded meetings would have taken by
hand, and it overstates the saving: only :data:`KAPPA` = 0.8 of it is real.
The average treatment effect on the treated department-months is
``-KAPPA x 7,440 tenths / treated department-months``, -0.637 hours over
934 department-months in the shipped file (data/README.md;
``tests/stats/test_did.py`` recomputes it from the two files).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from . import generate as _g

__all__ = [
    "KAPPA",
    "TREND",
    "OTHER_SEASON",
    "SEASON_HOURS",
    "NOT_ADOPTING",
    "PANEL_MONTHS",
    "panel_rows",
    "check_panel",
    "render_panel",
]

#: Share of the estimated saving of ``minutes_work.csv`` that is real.
KAPPA = Fraction(4, 5)

#: Rise of every department's drafting work per month, in hours (a gentle trend).
TREND = 0.03

#: Seasonal profile of the drafting work, April .. March: year-end reports
#: and budget committees peak in March.
OTHER_SEASON = (0.95, 0.9, 1.05, 1.0, 0.8, 0.95, 1.0, 1.0, 1.05, 0.9, 1.1, 1.5)

#: Hours a month of the seasonal profile: (OTHER_SEASON - 1) x SEASON_HOURS
#: is added to every department (March: +1.0 h, August: -0.4 h).
SEASON_HOURS = 2.0

#: Months of the panel: FY2018 and FY2019.
PANEL_MONTHS = (
    tuple(f"2018-{m:02d}" for m in range(4, 13))
    + tuple(f"2019-{m:02d}" for m in range(1, 4))
    + _g.FY2019_MONTHS
)

#: Offices that draft minutes and had not adopted the tool by March 2020:
#: (bureau, office), in organisational order.
NOT_ADOPTING: tuple[tuple[str, str], ...] = (
    ("総務部", "公文書館"),
    ("総務部", "職員研修所"),
    ("財務部", "北部府税事務所"),
    ("財務部", "中部府税事務所"),
    ("財務部", "南部府税事務所"),
    ("財務部", "自動車税事務所"),
    ("政策企画部", "東京事務所"),
    ("政策企画部", "防災センター"),
    ("府民文化部", "青少年会館"),
    ("府民文化部", "文化振興センター"),
    ("福祉部", "北部子ども家庭センター"),
    ("福祉部", "中部子ども家庭センター"),
    ("福祉部", "南部子ども家庭センター"),
    ("福祉部", "障がい者自立相談支援センター"),
    ("健康医療部", "北部保健所"),
    ("健康医療部", "中部保健所"),
    ("健康医療部", "南部保健所"),
    ("健康医療部", "衛生研究所"),
    ("商工労働部", "北部高等職業技術専門校"),
    ("商工労働部", "南部高等職業技術専門校"),
    ("商工労働部", "中小企業支援センター"),
    ("環境農林水産部", "北部農と緑の総合事務所"),
    ("環境農林水産部", "中部農と緑の総合事務所"),
    ("環境農林水産部", "南部農と緑の総合事務所"),
    ("環境農林水産部", "水産技術センター"),
    ("環境農林水産部", "環境科学センター"),
    ("都市整備部", "北部土木事務所"),
    ("都市整備部", "中部土木事務所"),
    ("都市整備部", "南部土木事務所"),
    ("都市整備部", "港湾事務所"),
    ("都市整備部", "流域下水道事務所"),
    ("住宅まちづくり部", "北部住宅事務所"),
    ("住宅まちづくり部", "南部住宅事務所"),
    ("住宅まちづくり部", "建築安全センター"),
    ("教育庁", "北部教育事務所"),
    ("教育庁", "中部教育事務所"),
    ("教育庁", "南部教育事務所"),
    ("教育庁", "教育センター"),
    ("会計局", "出納事務所"),
    ("議会事務局", "議会図書室"),
)


@dataclass
class _PanelRow:
    month: int  # index into PANEL_MONTHS
    bureau: str
    department: str
    hours: int  # tenths of an hour
    first: int | None  # index into PANEL_MONTHS, None for not adopted
    saved: int = 0  # tenths saved by the tool this month, before KAPPA (minutes_work)


# Mean length of a recorded meeting in hours: E[exp(N(log 60, 0.45))] / 60,
# the length distribution of minutes_work.csv before rounding and clipping.
_MEETING_HOURS = math.exp(0.45**2 / 2)


# Month-to-month noise of the drafting hours: normal, in hours, clipped to +/- the bound.
_NOISE_SD, _NOISE_BOUND = 0.5, 1.5


def _by_hand(meetings: float, factor10: int, rate: int) -> float:
    """Expected hours per month to draft meetings of the recorded kind by hand.

    ``meetings`` per month at ``factor10`` / 10 drafting hours per recorded
    hour, of which the estimated saving share ``rate`` (per mille) is only
    KAPPA real.
    """
    return meetings * _MEETING_HOURS * factor10 / 10 * float(1 - (1 - KAPPA) * rate / 1000)


def _common(m: int) -> float:
    """Season and trend, in hours, shared by every department (parallel trends hold)."""
    return SEASON_HOURS * (OTHER_SEASON[m % 12] - 1) + TREND * m


def _without_tool(rng, base: float, need: dict[int, Fraction]) -> list[float]:
    """Hours a department would spend drafting minutes each month without the tool.

    ``base`` is its average month. ``need`` holds, for months with a
    minutes_work row, the tenths that the recorded meetings alone would have
    taken by hand; the base is raised, once for all months, until every such
    month has at least that much (so that the department never drafts less
    than its ``hours_after``) and no month is below zero.
    """
    noise = np.clip(rng.normal(0.0, _NOISE_SD, size=len(PANEL_MONTHS)), -_NOISE_BOUND, _NOISE_BOUND)
    floor = {m: 0.0 for m in range(len(PANEL_MONTHS))}
    floor.update({m: float(tenths) / 10 for m, tenths in need.items()})
    base = max([base] + [f - _common(m) + _NOISE_BOUND for m, f in floor.items()])
    return [base + _common(m) + float(noise[m]) for m in range(len(PANEL_MONTHS))]


def _adopter_rows(rng, dept, use, rate: int, rows_of: dict[int, Any]) -> list[_PanelRow]:
    heavy = dept.name in _g._HEAVY_USERS
    level = float(rng.lognormal(math.log(3.0), 0.5)) * (2.0 if heavy else 1.0)
    need = {12 + j: r.after + KAPPA * (r.before - r.after) for j, r in rows_of.items()}
    untreated = _without_tool(rng, level + _by_hand(use.intensity, use.factor10, rate), need)
    first = 12 + use.start
    out = []
    for m, hours in enumerate(untreated):
        row = rows_of.get(m - 12)
        saved = 0 if row is None else row.before - row.after
        tenths = round(Fraction(round(10 * hours)) - KAPPA * saved)
        out.append(_PanelRow(m, dept.bureau, dept.name, tenths, first, saved))
    return out


def panel_rows(
    rng: np.random.Generator,
    minutes: Sequence[Any],
    usage: dict[str, Any],
    rate: dict[str, int],
) -> list[_PanelRow]:
    """Rows of the panel, in organisational order, then month order.

    ``minutes`` are the rows of ``minutes_work.csv``, ``usage`` each
    department's draws behind them and ``rate`` its reduction rate in per
    mille; nothing of ``minutes_work.csv`` is changed.
    """
    by_dept: dict[str, dict[int, Any]] = {}
    for r in minutes:
        by_dept.setdefault(r.dept.name, {})[r.month] = r
    rows: list[_PanelRow] = []
    for dept in _g._departments():
        rows += _adopter_rows(rng, dept, usage[dept.name], rate[dept.name], by_dept[dept.name])
    for bureau, office in NOT_ADOPTING:
        level = float(rng.lognormal(math.log(2.0), 0.5))
        by_hand = _by_hand(float(rng.lognormal(math.log(0.2), 0.7)), int(rng.integers(25, 46)), 0)
        untreated = _without_tool(rng, level + by_hand, {})
        for m, hours in enumerate(untreated):
            rows.append(_PanelRow(m, bureau, office, round(10 * hours), None))
    return rows


def check_panel(rows: Sequence[_PanelRow], minutes: Sequence[Any]) -> None:
    """Check the panel's structure and its agreement with ``minutes_work.csv``."""
    names = {r.department for r in rows}
    _g._require(len(names) == 116 + len(NOT_ADOPTING), "panel: not 156 departments")
    _g._require(len(rows) == len(names) * len(PANEL_MONTHS), "panel: not balanced")
    _g._require(all(r.hours >= 0 for r in rows), "panel: negative hours")
    first_use: dict[str, int] = {}
    after: dict[tuple[str, int], int] = {}
    for r in minutes:
        first_use[r.dept.name] = min(first_use.get(r.dept.name, 12), r.month)
        after[(r.dept.name, 12 + r.month)] = r.after
    for r in rows:
        expected = first_use.get(r.department)
        _g._require(
            r.first == (None if expected is None else 12 + expected),
            f"panel: first_month of {r.department} differs from minutes_work",
        )
        _g._require(
            r.hours >= after.get((r.department, r.month), 0),
            f"panel: {r.department} drafts less than its hours_after",
        )
    # KAPPA of the published saving, 62.0 h x 12 months, is the tool's effect.
    _g._require(
        sum(r.saved for r in rows) == _g._MONTHLY_SAVED_TARGET_TENTHS,
        "panel: saving differs from minutes_work",
    )


def render_panel(rows: Sequence[_PanelRow]) -> str:
    body = [
        (
            PANEL_MONTHS[r.month],
            r.bureau,
            r.department,
            _g._tenths(r.hours),
            "" if r.first is None else PANEL_MONTHS[r.first],
        )
        for r in rows
    ]
    return _g._csv(("month", "bureau", "department", "hours", "first_month"), body)
