"""Generate the synthetic FY2019 sample data shipped in ``data/``.

The real records behind the FY2019 progress report are not public. This
module writes sample files that are realistic in shape and reproduce the
report's published aggregates exactly:

- ``voice_recognition/minutes_work.csv``: speech recognition used for drafting
  minutes by 116 departments; the organisation-wide hours saved per month,
  averaged over the 12 months of FY2019, round to 62.
- ``voice_recognition/satisfaction_survey.csv``: one questionnaire per using
  department; 78 of the 93 valid answers are 大変満足 or 満足 (83.87 %).
- ``rpa/trial_runs.csv``: the RPA trial, July 2019 to March 2020; about
  1,800 hours saved, aggregate reduction rate 84 %.
- ``rpa/candidates_fy2020.csv``: three tasks in three departments selected
  for FY2020.
- ``voice_recognition/drafting_hours_panel.csv``: hours spent drafting
  minutes, per department and month over FY2018-FY2019, for the 116 adopting
  departments and 40 that had not adopted by March 2020, with a true effect
  of the tool stated in :mod:`evalkit.datasets._panel` (the data for
  :func:`evalkit.did`).

Run ``python -m evalkit.datasets.generate [--out DIR]``; the default output
directory is the repository's ``data/``. Every file is written byte for byte
identically from :data:`SEED`: UTF-8 without BOM, ``"\\n"`` line endings,
hours with one decimal, rows in a fixed order.

How the published figures are hit: values are drawn at random, then one
deterministic calibration step scales them to the published total and rounds
them to tenths of an hour with the largest-remainder method, so the rounded
values add up exactly to the target. Hours are kept as integer tenths and the
calibration uses exact fractions, so the output depends only on the random
draws. Every published figure is checked after generation; a violated
constraint raises :class:`GenerationError` and nothing is written.

Examples
--------
>>> files = render()
>>> sorted(files)  # doctest: +NORMALIZE_WHITESPACE
['rpa/candidates_fy2020.csv', 'rpa/trial_runs.csv',
 'voice_recognition/drafting_hours_panel.csv',
 'voice_recognition/minutes_work.csv', 'voice_recognition/satisfaction_survey.csv']
>>> files["rpa/trial_runs.csv"].splitlines()[0]
'month,department,task,runs,hours_before,hours_after'
"""

from __future__ import annotations

import argparse
import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

__all__ = [
    "SEED",
    "DATA_DIR",
    "FILES",
    "ORGANISATION",
    "GenerationError",
    "render",
    "write",
    "main",
]

#: Seed of :func:`numpy.random.default_rng`; changing it changes every file.
SEED = 2019

#: Default output directory: ``data/`` at the root of the repository.
DATA_DIR = Path(__file__).resolve().parents[2] / "data"

#: Files written, relative to the output directory, in writing order.
FILES = (
    "voice_recognition/minutes_work.csv",
    "voice_recognition/satisfaction_survey.csv",
    "rpa/trial_runs.csv",
    "rpa/candidates_fy2020.csv",
    "voice_recognition/drafting_hours_panel.csv",
)

#: Months of fiscal year 2019 (April 2019 to March 2020).
FY2019_MONTHS = tuple(f"2019-{m:02d}" for m in range(4, 13)) + tuple(
    f"2020-{m:02d}" for m in range(1, 4)
)

#: Months of the RPA trial (July 2019 to March 2020).
RPA_MONTHS = FY2019_MONTHS[3:]

#: Fictional organisation of a prefecture government: (bureau, departments),
#: in organisational order. Department names are unique across bureaus.
ORGANISATION: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "総務部",
        (
            "総務課",
            "人事課",
            "企画厚生課",
            "行政改革課",
            "IT・業務改革課",
            "法務課",
            "文書課",
            "市町村課",
            "統計課",
            "契約課",
            "職員研修課",
        ),
    ),
    (
        "財務部",
        (
            "財務企画課",
            "財政課",
            "税政課",
            "府税課",
            "税務調査課",
            "資金課",
            "財産活用課",
            "庁舎管理課",
        ),
    ),
    (
        "政策企画部",
        (
            "企画課",
            "計画推進課",
            "戦略推進課",
            "広域連携課",
            "秘書課",
            "報道課",
            "広報広聴課",
            "危機管理課",
            "消防保安課",
        ),
    ),
    (
        "府民文化部",
        (
            "府民文化総務課",
            "人権企画課",
            "男女参画・府民協働課",
            "文化課",
            "観光課",
            "国際課",
            "都市魅力課",
            "私学課",
            "消費生活課",
        ),
    ),
    (
        "福祉部",
        (
            "福祉総務課",
            "地域福祉課",
            "福祉人材・法人課",
            "社会援護課",
            "介護支援課",
            "介護事業者課",
            "障がい福祉企画課",
            "障がい者自立支援課",
            "子育て支援課",
            "家庭支援課",
            "子ども青少年課",
        ),
    ),
    (
        "健康医療部",
        (
            "健康医療総務課",
            "保健医療企画課",
            "医療対策課",
            "医事看護課",
            "健康づくり課",
            "地域保健課",
            "感染症対策課",
            "国民健康保険課",
            "薬務課",
            "生活衛生課",
            "食の安全推進課",
        ),
    ),
    (
        "商工労働部",
        (
            "商工労働総務課",
            "産業創造課",
            "ものづくり支援課",
            "経営支援課",
            "金融課",
            "商業・サービス産業課",
            "労働環境課",
            "就業促進課",
            "人材育成課",
        ),
    ),
    (
        "環境農林水産部",
        (
            "環境農林水産総務課",
            "エネルギー政策課",
            "脱炭素推進課",
            "資源循環課",
            "産業廃棄物指導課",
            "環境保全課",
            "事業所指導課",
            "農政推進課",
            "森づくり課",
            "水産課",
        ),
    ),
    (
        "都市整備部",
        (
            "都市整備総務課",
            "事業企画課",
            "技術管理課",
            "用地課",
            "道路整備課",
            "道路環境課",
            "都市交通課",
            "河川整備課",
            "河川環境課",
            "下水道課",
            "港湾課",
        ),
    ),
    (
        "住宅まちづくり部",
        (
            "住宅まちづくり総務課",
            "都市計画課",
            "開発調整課",
            "建築企画課",
            "審査指導課",
            "居住企画課",
            "住宅経営課",
            "施設保全課",
            "公共建築設計課",
        ),
    ),
    (
        "教育庁",
        (
            "教育総務企画課",
            "教育政策課",
            "教職員人事課",
            "福利課",
            "小中学校課",
            "高等学校課",
            "支援教育課",
            "地域教育振興課",
            "保健体育課",
            "人権教育企画課",
            "学事課",
            "施設財務課",
            "文化財保護課",
        ),
    ),
    ("会計局", ("会計総務課", "審査課", "会計指導課")),
    ("議会事務局", ("議事課", "政策調査課")),
)

# Departments that run councils, committees or the board of education and so
# record many long meetings: they adopted the tool early and use it most.
_HEAVY_USERS = frozenset(
    {
        "行政改革課",
        "人事課",
        "保健医療企画課",
        "環境保全課",
        "都市計画課",
        "私学課",
        "教育総務企画課",
        "議事課",
        "政策調査課",
    }
)

# Share of departments starting to use the tool in each FY2019 month: full
# operation began in April, most departments had started by the autumn.
_UPTAKE = (0.10, 0.09, 0.13, 0.13, 0.08, 0.13, 0.12, 0.08, 0.05, 0.04, 0.03, 0.02)

# Relative meeting volume per month (April .. March): peaks around the
# prefectural assembly sessions (June, September-October, December,
# February-March), a trough in August.
_SEASON = (0.8, 0.9, 1.3, 1.0, 0.6, 1.2, 1.3, 1.0, 1.3, 0.8, 1.4, 1.5)

# Use in the first, second, third and later months after a department starts.
_RAMP = (0.6, 0.8, 1.0)

# Published FY2019 figures the sample data reproduce.
_MONTHLY_SAVED_TARGET_TENTHS = 62 * 12 * 10  # 62.0 h/month x 12 months, in tenths of an hour
_SURVEY_COUNTS = {"大変満足": 30, "満足": 48, "どちらともいえない": 11, "不満": 3, "大変不満": 1}
_SURVEY_BLANK = 23
_RPA_SAVED_TARGET_TENTHS = 18000  # about 1,800 h
_RPA_RATE_TARGET = Fraction(84, 100)

# RPA trial tasks: department, task, first trial month (index into RPA_MONTHS),
# how runs arise (see _rpa_runs), mean runs per month for "adhoc" tasks,
# manual minutes per run, and the share of the manual time still spent once
# automated (preparation, checking, exceptions).
_RPA_TASKS = (
    ("人事課", "給与支払データ照合", 0, "monthly", 2, 780, 0.12),
    ("人事課", "時間外勤務実績集計", 1, "weekly", 0, 330, 0.14),
    ("会計総務課", "出張旅費集計", 0, "daily", 0, 100, 0.16),
    ("会計総務課", "口座振替結果照合", 2, "adhoc", 8, 200, 0.11),
    ("契約課", "物品調達システム入力", 0, "daily", 0, 165, 0.17),
    ("行政改革課", "庁内照会回答集約", 1, "adhoc", 3, 530, 0.19),
    ("職員研修課", "研修受講申込集計", 3, "adhoc", 4, 260, 0.15),
    ("庁舎管理課", "公用車予約集計", 1, "daily", 0, 50, 0.13),
    ("府税課", "自動車税納付データ消込", 2, "daily", 0, 135, 0.11),
    ("府税課", "納税証明書交付データ入力", 3, "adhoc", 15, 70, 0.18),
)

# Working days per trial month (July .. March): weekdays less the national
# holidays (7/15, 8/12, 9/16, 9/23, 10/14, 10/22, 11/4, 1/13, 2/11, 2/24,
# 3/20) and the year-end closure (12/30 to 1/3).
_RPA_WORKING_DAYS = (22, 21, 19, 21, 20, 20, 19, 18, 21)

# Weeks per trial month, counted by their Fridays.
_RPA_WEEKS = (4, 5, 4, 4, 5, 4, 5, 4, 4)

# Relative workload of ad hoc tasks per trial month (July .. March).
_RPA_SEASON = (1.0, 0.9, 1.0, 1.0, 1.0, 1.1, 0.9, 1.0, 1.2)

# Tasks selected for FY2020: department, task; none of these departments
# took part in the trial.
_RPA_CANDIDATES = (
    ("介護事業者課", "介護事業者指定申請データ入力"),
    ("医療対策課", "医療機関届出データ入力"),
    ("教職員人事課", "非常勤講師任用データ入力"),
)


class GenerationError(RuntimeError):
    """The generated rows miss a published figure or break a structural rule."""


@dataclass(frozen=True)
class _Department:
    order: int
    bureau: str
    name: str


def _departments() -> list[_Department]:
    out = []
    for bureau, names in ORGANISATION:
        for name in names:
            out.append(_Department(len(out), bureau, name))
    return out


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise GenerationError(message)


def _tenths(value: int) -> str:
    """Format integer tenths of an hour with exactly one decimal."""
    return f"{value // 10}.{value % 10}"


def _apportion(exact: Sequence[Fraction], total: int) -> list[int]:
    """Round non-negative exact values to integers adding up to ``total``.

    Largest-remainder method: every value is rounded down, then the units
    still missing go to the largest remainders (ties to the earlier row).
    Each result is within one unit of its exact value.
    """
    _require(sum(exact) == total, "apportionment target differs from the exact sum")
    floors = [math.floor(x) for x in exact]
    left = total - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (floors[i] - exact[i], i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


# ----------------------------------------------------------------------------
# Speech recognition: minutes work and satisfaction survey
# ----------------------------------------------------------------------------


@dataclass
class _MinutesRow:
    month: int  # index into FY2019_MONTHS
    dept: _Department
    meetings: int
    recorded_minutes: int
    before: int  # tenths of an hour
    after: int = 0


@dataclass(frozen=True)
class _Usage:
    """How one department used the tool: the draws behind its minutes_work rows."""

    start: int  # FY2019 month index of first use
    intensity: float  # expected meetings per month in full use
    factor10: int  # manual drafting hours per recorded hour, x 10


def _minutes_rows(
    rng: np.random.Generator, usage: dict[str, _Usage] | None = None
) -> tuple[list[_MinutesRow], dict[str, int]]:
    """Rows of minutes_work and each department's reduction rate (per mille).

    ``usage``, when given, is filled with each department's :class:`_Usage`.
    """
    depts = _departments()
    light = [d for d in depts if d.name not in _HEAVY_USERS]
    # A few departments where the tool saved nothing or little: poor audio in
    # large halls, or minutes that are rewritten in any case.
    picked = rng.choice(len(light), size=5, replace=False)
    no_saving = {light[int(i)].name for i in picked[:2]}
    little_saving = {light[int(i)].name: int(rng.integers(20, 81)) for i in picked[2:]}

    rows: list[_MinutesRow] = []
    rate: dict[str, int] = {}
    for dept in depts:
        heavy = dept.name in _HEAVY_USERS
        start = int(rng.integers(0, 3)) if heavy else int(rng.choice(12, p=_UPTAKE))
        # Expected meetings per month once in full use, in hundredths.
        intensity = round(float(rng.lognormal(math.log(0.3), 0.7)) * (5 if heavy else 1), 2)
        # Manual drafting takes 2.5 to 4.5 times the recording length.
        factor10 = int(rng.integers(25, 46))
        rate[dept.name] = round(float(np.clip(rng.beta(7, 13), 0.15, 0.70)) * 1000)
        if dept.name in no_saving:
            rate[dept.name] = 0
        elif dept.name in little_saving:
            rate[dept.name] = little_saving[dept.name]
        last = start + 2 if dept.name in no_saving else 12  # tried, then went back
        if usage is not None:
            usage[dept.name] = _Usage(start, intensity, factor10)
        for month in range(start, min(last, 12)):
            ramp = _RAMP[min(month - start, len(_RAMP) - 1)]
            meetings = int(rng.poisson(intensity * _SEASON[month] * ramp))
            if month == start:
                meetings = max(meetings, 1)  # the month of first use has a row
            if meetings == 0:
                continue
            lengths = rng.lognormal(math.log(60), 0.45, size=meetings)
            minutes = int(sum(min(max(5 * round(x / 5), 15), 180) for x in lengths))
            # hours = minutes / 60 * factor10 / 10, in tenths, rounded half up
            before = (2 * minutes * factor10 + 60) // 120
            rows.append(_MinutesRow(month, dept, meetings, minutes, before))

    # Calibrate: scale every department's reduction rate by one common factor
    # so that the year's saved hours equal 62.0 h x 12 months exactly.
    raw = [Fraction(r.before * rate[r.dept.name], 1000) for r in rows]
    scale = Fraction(_MONTHLY_SAVED_TARGET_TENTHS) / sum(raw)
    _require(
        max(rate.values()) * scale <= 800,
        f"calibrated reduction rate above 80 % (scale {float(scale):.3f})",
    )
    saved = _apportion([x * scale for x in raw], _MONTHLY_SAVED_TARGET_TENTHS)
    for row, s in zip(rows, saved, strict=True):
        row.after = row.before - s
    rows.sort(key=lambda r: (r.month, r.dept.order))
    effective = {k: round(v * scale) for k, v in rate.items()}
    return rows, effective


def _check_minutes(rows: Sequence[_MinutesRow]) -> None:
    _require(len({r.dept.name for r in rows}) == 116, "minutes_work: not 116 departments")
    _require({r.month for r in rows} == set(range(12)), "minutes_work: a FY2019 month is missing")
    keys = [(r.month, r.dept.name) for r in rows]
    _require(len(set(keys)) == len(keys), "minutes_work: duplicate department-month")
    for r in rows:
        _require(r.meetings >= 1 and r.recorded_minutes >= 15 * r.meetings, "minutes_work: usage")
        _require(0 <= r.after <= r.before, f"minutes_work: hours out of order for {r}")
    saved = sum(r.before - r.after for r in rows)  # tenths of an hour, all 12 months
    # mean over 12 months = saved / 120 hours; must round to 62: [61.5, 62.5)
    _require(7380 <= saved < 7500, f"minutes_work: monthly mean saved {saved / 120:.2f} h")


def _render_minutes(rows: Sequence[_MinutesRow]) -> str:
    header = (
        "month",
        "bureau",
        "department",
        "meetings",
        "recorded_minutes",
        "hours_before",
        "hours_after",
    )
    body = [
        (
            FY2019_MONTHS[r.month],
            r.dept.bureau,
            r.dept.name,
            str(r.meetings),
            str(r.recorded_minutes),
            _tenths(r.before),
            _tenths(r.after),
        )
        for r in rows
    ]
    return _csv(header, body)


def _survey_rows(
    rng: np.random.Generator, rows: Sequence[_MinutesRow], rate: dict[str, int]
) -> list[tuple[str, str, str, str]]:
    """One questionnaire per using department, in organisational order."""
    depts = sorted({r.dept for r in rows}, key=lambda d: d.order)
    months_used = {d.name: 0 for d in depts}
    for r in rows:
        months_used[r.dept.name] += 1
    # Departments that used the tool rarely are likelier to leave it blank.
    weight = np.array([1.0 / months_used[d.name] for d in depts])
    blank_idx = rng.choice(len(depts), size=_SURVEY_BLANK, replace=False, p=weight / weight.sum())
    blank = {depts[int(i)].name for i in blank_idx}
    # Departments that saved more answer more favourably, with noise.
    score = {d.name: rate[d.name] / 1000 + float(rng.normal(0, 0.12)) for d in depts}
    valid = sorted((d for d in depts if d.name not in blank), key=lambda d: -score[d.name])
    labels = [label for label, k in _SURVEY_COUNTS.items() for _ in range(k)]
    _require(len(valid) == len(labels), "satisfaction_survey: answer counts do not add up")
    answer = {d.name: label for d, label in zip(valid, labels, strict=True)}
    return [
        (f"S{i + 1:03d}", d.bureau, d.name, answer.get(d.name, "")) for i, d in enumerate(depts)
    ]


def _check_survey(rows: Sequence[tuple[str, str, str, str]]) -> None:
    answers = [r[3] for r in rows]
    valid = [a for a in answers if a]
    positive = sum(a in ("大変満足", "満足") for a in valid)
    _require(len(rows) == 116 and len({r[2] for r in rows}) == 116, "survey: not 116 departments")
    _require(len(valid) == 93 and positive == 78, "satisfaction_survey: not 78 of 93")
    # 100 * positive / valid rounds to 83.87: it lies in [83.865, 83.875)
    share = Fraction(100 * positive, len(valid))
    _require(Fraction(83865, 1000) <= share < Fraction(83875, 1000), "survey: not 83.87 %")


# ----------------------------------------------------------------------------
# RPA: trial runs and FY2020 candidates
# ----------------------------------------------------------------------------


@dataclass
class _RpaRow:
    month: int  # index into RPA_MONTHS
    task: int  # index into _RPA_TASKS
    runs: int
    before: int = 0  # tenths of an hour
    after: int = 0


def _rpa_runs(rng: np.random.Generator, kind: str, mean: int, month: int, first: bool) -> int:
    """Runs of one task in one trial month.

    "monthly": ``mean`` runs (payroll and its corrections), one more in
    December (year-end allowance); "weekly": one run per week; "daily": one
    run per working day, a few days skipped; "adhoc": Poisson around
    ``mean``. A robot introduced in the month runs for half of it.
    """
    share = 0.5 if first else 1.0
    if kind == "monthly":
        return mean + (RPA_MONTHS[month] == "2019-12")
    if kind == "weekly":
        return max(1, round(_RPA_WEEKS[month] * share))
    if kind == "daily":
        skipped = int(rng.poisson(1.0))
        return max(1, round(_RPA_WORKING_DAYS[month] * share) - skipped)
    return max(1, int(rng.poisson(mean * _RPA_SEASON[month] * share)))


def _rpa_rows(rng: np.random.Generator) -> list[_RpaRow]:
    rows: list[_RpaRow] = []
    raw_before: list[Fraction] = []
    raw_after: list[Fraction] = []
    for t, (_, _, first, kind, mean, minutes_per_run, residual) in enumerate(_RPA_TASKS):
        for month in range(first, len(RPA_MONTHS)):
            since = month - first
            runs = _rpa_runs(rng, kind, mean, month, since == 0)
            noise = int(rng.integers(85, 116))  # per cent
            before = Fraction(runs * minutes_per_run * noise, 100 * 6)  # tenths of an hour
            # More checking and exception handling while a robot is new.
            learning = (Fraction(18, 10), Fraction(13, 10))[since] if since < 2 else 1
            after_share = Fraction(round(residual * 100), 100) * learning
            after_share *= Fraction(int(rng.integers(80, 121)), 100)
            rows.append(_RpaRow(month, t, runs))
            raw_before.append(before)
            raw_after.append(before * after_share)

    # Calibrate: manual minutes per run scaled by one common factor so that
    # the trial's manual hours give about 1,800 h saved at a rate of 84 %;
    # then the remaining hours scaled by one common factor to that rate.
    total_before = round(_RPA_SAVED_TARGET_TENTHS / _RPA_RATE_TARGET)
    total_after = total_before - _RPA_SAVED_TARGET_TENTHS
    scale_before = Fraction(total_before) / sum(raw_before)
    before = _apportion([x * scale_before for x in raw_before], total_before)
    scaled_after = [a * scale_before for a in raw_after]
    scale_after = Fraction(total_after) / sum(scaled_after)
    after = _apportion([x * scale_after for x in scaled_after], total_after)
    _require(
        Fraction(3, 4) <= scale_before <= Fraction(4, 3)
        and Fraction(3, 4) <= scale_after <= Fraction(4, 3),
        f"RPA calibration too strong ({float(scale_before):.3f}, {float(scale_after):.3f})",
    )
    for row, b, a in zip(rows, before, after, strict=True):
        row.before, row.after = b, a
    dept_order = {d.name: d.order for d in _departments()}
    rows.sort(key=lambda r: (r.month, dept_order[_RPA_TASKS[r.task][0]], r.task))
    return rows


def _check_rpa(rows: Sequence[_RpaRow]) -> None:
    for r in rows:
        _require(r.runs >= 1 and 0 <= r.after <= r.before, f"trial_runs: bad row {r}")
    _require(len({r.task for r in rows}) == len(_RPA_TASKS), "trial_runs: a task has no run")
    _require({r.month for r in rows} == set(range(len(RPA_MONTHS))), "trial_runs: month missing")
    before = sum(r.before for r in rows)
    saved = sum(r.before - r.after for r in rows)
    _require(17500 <= saved <= 18490, f"trial_runs: saved {saved / 10} h not about 1,800 h")
    # saved / before rounds to 0.84: it lies in [0.835, 0.845)
    _require(835 * before <= 1000 * saved < 845 * before, "trial_runs: rate does not round to 84 %")


def _render_rpa(rows: Sequence[_RpaRow]) -> str:
    header = ("month", "department", "task", "runs", "hours_before", "hours_after")
    body = [
        (
            RPA_MONTHS[r.month],
            _RPA_TASKS[r.task][0],
            _RPA_TASKS[r.task][1],
            str(r.runs),
            _tenths(r.before),
            _tenths(r.after),
        )
        for r in rows
    ]
    return _csv(header, body)


def _candidate_rows(rng: np.random.Generator) -> list[tuple[str, str, str, str]]:
    dept_order = {d.name: d.order for d in _departments()}
    out = []
    for department, task in sorted(_RPA_CANDIDATES, key=lambda c: dept_order[c[0]]):
        hours = int(rng.integers(30, 91)) * 100  # tenths: 300 to 900 h a year
        rate = int(rng.integers(80, 86))  # per cent
        out.append((department, task, _tenths(hours), f"{rate / 100:.2f}"))
    return out


def _check_candidates(rows: Sequence[tuple[str, str, str, str]]) -> None:
    trial = {t[0] for t in _RPA_TASKS}
    names = {d.name for d in _departments()}
    depts = {r[0] for r in rows}
    _require(len(rows) == 3 and len(depts) == 3, "candidates: not 3 tasks in 3 departments")
    _require(depts <= names and not depts & trial, "candidates: department unknown or in trial")


def _render_candidates(rows: Sequence[tuple[str, str, str, str]]) -> str:
    header = ("department", "task", "annual_hours_before", "expected_reduction_rate")
    return _csv(header, rows)


# ----------------------------------------------------------------------------
# Entry points
# ----------------------------------------------------------------------------


def render(*, seed: int = SEED) -> dict[str, str]:
    """Generate every sample file in memory.

    Parameters
    ----------
    seed : int, default SEED
        Seed of :func:`numpy.random.default_rng`. The shipped files use
        :data:`SEED`; another seed may miss a calibration limit and raise.

    Returns
    -------
    dict of str to str
        CSV text keyed by the path relative to the data directory, in the
        order of :data:`FILES`.

    Raises
    ------
    GenerationError
        If the generated rows do not reproduce a published figure.
    """
    from ._panel import check_panel, panel_rows, render_panel  # it builds on this module

    minutes_rng, survey_rng, rpa_rng, candidate_rng, panel_rng = np.random.default_rng(seed).spawn(
        5
    )
    usage: dict[str, _Usage] = {}
    minutes, rate = _minutes_rows(minutes_rng, usage)
    _check_minutes(minutes)
    survey = _survey_rows(survey_rng, minutes, rate)
    _check_survey(survey)
    rpa = _rpa_rows(rpa_rng)
    _check_rpa(rpa)
    candidates = _candidate_rows(candidate_rng)
    _check_candidates(candidates)
    panel = panel_rows(panel_rng, minutes, usage, rate)
    check_panel(panel, minutes)
    texts = (
        _render_minutes(minutes),
        _csv(("respondent_id", "bureau", "department", "answer"), survey),
        _render_rpa(rpa),
        _render_candidates(candidates),
        render_panel(panel),
    )
    return dict(zip(FILES, texts, strict=True))


def write(out: str | Path = DATA_DIR) -> list[Path]:
    """Write every sample file under ``out`` (UTF-8, ``"\\n"`` line endings).

    Parameters
    ----------
    out : str or path-like, default DATA_DIR
        Output directory; subdirectories are created as needed.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of :data:`FILES`.
    """
    files = render()  # everything is generated and checked before anything is written
    written = []
    for rel, text in files.items():
        path = Path(out) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def write_cli(argv, *, prog: str, description: str, write, default: Path) -> int:
    """``prog [--out DIR]``: run ``write(DIR)`` (default ``default``), print the files written."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument(
        "--out", type=Path, default=default, help=f"output directory (default: {default})"
    )
    args = parser.parse_args(argv)
    for path in write(args.out):
        print(path)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m evalkit.datasets.generate [--out DIR]``."""
    return write_cli(
        argv,
        prog="python -m evalkit.datasets.generate",
        description="Write the synthetic FY2019 sample data files.",
        write=write,
        default=DATA_DIR,
    )


if __name__ == "__main__":
    raise SystemExit(main())
