"""The speech-recognition and RPA actuals, computed from the sample data.

:func:`compute_actuals` makes the calls of notebooks 01 and 02, so the
scorecard shows the notebooks' figures; each is an :class:`Actual`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .._validation import require_columns
from ..readers.fiscal import fiscal_months


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
    caveats : tuple of str
        What the figure and its verdict depend on, in Japanese, computed with
        it (the satisfaction rate if the non-respondents had answered, the
        baseline overstatement at which a target stops being met); the
        progress sheet's 根拠・留意点 column shows them.
    """

    value: float
    unit: str = ""
    ci: tuple[float, float] | None = None
    source: str = ""
    target: float | None = None
    caveats: tuple[str, ...] = ()


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
        - ``rpa.candidate_departments``: distinct departments in the
          candidate list, unit 所属 (the 3所属 of "3所属３業務").

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
    n_departments = int(candidates["department"].nunique())

    def pct(ci):
        return None if ci is None else (100 * ci[0], 100 * ci[1])

    caveats = _caveats(voice, sat, rpa, satisfaction_target, reduction_target)

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
            caveats=caveats["voice"],
        ),
        "voice_recognition.satisfaction_rate": Actual(
            100 * sat.rate,
            "%",
            pct(sat.ci),
            f"100 * satisfaction_rate(answers='answer', target={satisfaction_target!r}).rate",
            _percent(satisfaction_target),
            caveats["satisfaction"],
        ),
        "rpa.rate": Actual(
            100 * rpa.rate,
            "%",
            pct(rpa.rate_ci),
            f"100 * {red}, unit='task', period='month', target={reduction_target!r}).rate",
            _percent(reduction_target),
            caveats["rpa"],
        ),
        "rpa.saved": Actual(
            float(rpa.saved), "時間", None, f"{red}, unit='task', period='month').saved"
        ),
        "rpa.candidate_tasks": Actual(
            float(n_tasks), "業務", None, "distinct (department, task) in the candidate list"
        ),
        "rpa.candidate_departments": Actual(
            float(n_departments), "所属", None, "distinct department in the candidate list"
        ),
    }


def _caveats(voice, sat, rpa, satisfaction_target, reduction_target) -> dict:
    """What each verdict depends on, computed from the results (Japanese, one line each)."""
    from ..stats.sensitivity import baseline_sensitivity

    out = {}
    if sat.n_missing:
        worst, best = (100 * x for x in sat.nonresponse_bounds)
        goal = 100 * satisfaction_target
        if worst >= goal:
            verdict = "で、どちらでも目標以上"
        elif best < goal:
            verdict = "で、どちらでも目標未満"
        else:
            verdict = "で、目標の判定は無回答の扱いによる"
        out["satisfaction"] = (
            f"・満足度は有効回答{sat.n}件に占める割合。無回答の{sat.n_missing}所属をすべて不満と"
            f"みなすと{worst:.2f}%、すべて満足とみなすと{best:.2f}%{verdict}",
        )
    else:
        out["satisfaction"] = (f"・満足度は有効回答{sat.n}件に占める割合（無回答なし）",)
    shifted = baseline_sensitivity(voice, overstatement=[0.1]).table
    monthly = float(shifted["mean_saved_per_period"].iloc[-1])
    out["voice"] = (
        "・削減時間は利用開始前後の作業時間の差で、比較対象がなく、導入前の時間は見込み。"
        f"見込みが10%多めなら月平均{monthly:,.0f}時間",
    )
    rate_line = "・削減割合は試行業務全体の合計で見た割合（削減時間の合計 ÷ 導入前の時間の合計）"
    breakeven = baseline_sensitivity(rpa).breakeven_overstatement
    if breakeven is not None and math.isfinite(breakeven) and breakeven > 0:
        rate_line += (
            f"。導入前の時間の見込みが{100 * breakeven:.1f}%以上多めなら"
            f"目標{100 * reduction_target:g}%を下回る"
        )
    out["rpa"] = (rate_line,)
    return out


def _percent(share: float) -> float:
    """A proportion in percent, without binary noise (0.7 -> 70.0, not 70.00000000000001)."""
    return round(100 * float(share), 10)
