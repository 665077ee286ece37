"""Tests of evalkit.scorecard.actuals: compute_actuals against the statistics and the report.

Reference for the data: the FY2019 progress report of the IT division
(総務部, 令和2年3月末時点). Its seven initiatives, their schedules and the
figures it publishes ("116所属", "ひと月あたり平均62時間", "満足度：83.87%",
"1,800時間程度 ... 削減割合は84%程度", "3所属３業務", "30システムについて、移行が完了")
are the independent references named below.
"""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from evalkit.scorecard import (
    compute_actuals,
    evaluate_indicators,
)


def test_computed_actuals_equal_evalkit_statistics_on_the_sample_data(actuals):
    from evalkit.datasets import (
        load_minutes_work,
        load_rpa_candidates,
        load_rpa_trial,
        load_satisfaction_survey,
    )
    from evalkit.stats.reduction import reduction
    from evalkit.stats.satisfaction import satisfaction_rate

    # The same calls notebooks 01 and 02 make.
    voice = reduction(
        load_minutes_work(),
        before="hours_before",
        after="hours_after",
        unit="department",
        period="month",
        random_state=20190401,
    )
    sat = satisfaction_rate(load_satisfaction_survey(), answers="answer", target=0.70)
    rpa = reduction(
        load_rpa_trial(),
        before="hours_before",
        after="hours_after",
        unit="task",
        target=0.80,
        random_state=20190401,
    )
    assert actuals["voice_recognition.departments"].value == voice.n
    assert actuals["voice_recognition.mean_saved_per_month"].value == voice.mean_saved_per_period
    assert actuals["voice_recognition.mean_saved_per_month"].ci == voice.mean_saved_per_period_ci
    assert actuals["voice_recognition.satisfaction_rate"].value == 100 * sat.rate
    assert_allclose(actuals["voice_recognition.satisfaction_rate"].ci, np.multiply(100, sat.ci))
    assert actuals["rpa.rate"].value == 100 * rpa.rate
    assert_allclose(actuals["rpa.rate"].ci, np.multiply(100, rpa.rate_ci))
    assert actuals["rpa.saved"].value == rpa.saved
    assert actuals["rpa.candidate_tasks"].value == len(load_rpa_candidates())


def test_computed_actuals_against_plain_arithmetic_and_the_report(actuals):
    from evalkit.datasets import (
        load_minutes_work,
        load_rpa_candidates,
        load_rpa_trial,
        load_satisfaction_survey,
    )

    minutes = load_minutes_work()
    saved = minutes["hours_before"] - minutes["hours_after"]
    monthly = saved.groupby(minutes["month"]).sum()
    answers = load_satisfaction_survey()["answer"].dropna()
    trial = load_rpa_trial()
    t_saved = (trial["hours_before"] - trial["hours_after"]).sum()

    # Report: 116所属; ひと月あたり平均62時間; 83.87% (78/93); 1,800時間程度; 84%程度; 3業務.
    assert actuals["voice_recognition.departments"].value == minutes["department"].nunique() == 116
    assert_allclose(actuals["voice_recognition.mean_saved_per_month"].value, monthly.mean())
    assert round(actuals["voice_recognition.mean_saved_per_month"].value) == 62
    positive = answers.isin(["大変満足", "満足"]).sum()
    assert_allclose(
        actuals["voice_recognition.satisfaction_rate"].value, 100 * positive / len(answers)
    )
    assert_allclose(actuals["voice_recognition.satisfaction_rate"].value, 100 * 78 / 93)
    assert_allclose(actuals["rpa.saved"].value, t_saved)
    assert round(actuals["rpa.saved"].value, -2) == 1800
    assert_allclose(actuals["rpa.rate"].value, 100 * t_saved / trial["hours_before"].sum())
    assert round(actuals["rpa.rate"].value) == 84
    assert actuals["rpa.candidate_tasks"].value == len(load_rpa_candidates()) == 3


def test_satisfaction_interval_against_statsmodels(actuals):
    from statsmodels.stats.proportion import proportion_confint

    # statsmodels proportion_confint(78, 93, method="wilson"), in percent.
    low, high = proportion_confint(78, 93, alpha=0.05, method="wilson")
    assert_allclose(actuals["voice_recognition.satisfaction_rate"].ci, (100 * low, 100 * high))


def test_scorecard_with_computed_actuals(indicators, actuals):
    out = evaluate_indicators(indicators, actuals=actuals).set_index("indicator_id")
    # 83.87 % against 70 %, 84 % against 80 %, 30 against 30 systems: all met.
    assert out.loc["voice_recognition.o3", "status"] == "met"
    assert_allclose(out.loc["voice_recognition.o3", "margin"], 100 * 78 / 93 - 70)
    assert out.loc["rpa.o2", "status"] == "met"
    assert out.loc["common_platform.a1", "status"] == "met"
    assert out.loc["common_platform.a1", "margin"] == 0
    numeric = indicators["target_kind"] == "numeric"
    assert (out["status"] == "not assessable").sum() == (~numeric).sum()


# ----------------------------------------------------- compute_actuals options


def test_compute_actuals_passes_confidence_to_both_statistics():
    from statsmodels.stats.proportion import proportion_confint

    from evalkit.datasets import load_minutes_work
    from evalkit.stats.reduction import reduction

    acts = compute_actuals(confidence=0.90, random_state=7)
    # statsmodels proportion_confint(78, 93, alpha=0.10, method="wilson"), in percent.
    low, high = proportion_confint(78, 93, alpha=0.10, method="wilson")
    assert_allclose(acts["voice_recognition.satisfaction_rate"].ci, (100 * low, 100 * high))
    # the monthly mean's interval of notebook 01's call at 90 %
    voice = reduction(
        load_minutes_work(),
        before="hours_before",
        after="hours_after",
        unit="department",
        period="month",
        confidence=0.90,
        random_state=7,
    )
    assert acts["voice_recognition.mean_saved_per_month"].ci == voice.mean_saved_per_period_ci
    wide = compute_actuals(confidence=0.99, random_state=7)
    for key in (
        "voice_recognition.satisfaction_rate",
        "voice_recognition.mean_saved_per_month",
        "rpa.rate",
    ):
        lo90, hi90 = acts[key].ci
        lo99, hi99 = wide[key].ci
        assert lo99 < lo90 and hi99 > hi90


def test_compute_actuals_makes_the_notebooks_calls_with_their_parameters():
    from evalkit.datasets import load_rpa_trial
    from evalkit.stats.reduction import reduction

    # Notebook 02: reduction(trial, before="hours_before", after="hours_after", unit="task",
    #   period="month", target=reduction_target, confidence=confidence,
    #   random_state=random_state)
    rpa = reduction(
        load_rpa_trial(),
        before="hours_before",
        after="hours_after",
        unit="task",
        period="month",
        target=0.8,
        confidence=0.9,
        random_state=2019,
    )
    acts = compute_actuals(confidence=0.9, reduction_target=0.8, random_state=2019)
    assert acts["rpa.rate"].value == 100 * rpa.rate
    assert_allclose(acts["rpa.rate"].ci, np.multiply(100, rpa.rate_ci), rtol=1e-12)
    assert "target=0.8" in acts["rpa.rate"].source


def test_compute_actuals_records_its_targets_in_percent():
    acts = compute_actuals(random_state=1)
    # 0.70 and 0.80 as the file writes them: 70 and 80 (%), without binary noise.
    assert acts["voice_recognition.satisfaction_rate"].target == 70.0
    assert acts["rpa.rate"].target == 80.0
    assert acts["rpa.saved"].target is None
    other = compute_actuals(satisfaction_target=0.07, reduction_target=0.9, random_state=1)
    assert other["voice_recognition.satisfaction_rate"].target == 7.0
    assert other["rpa.rate"].target == 90.0


def test_a_target_given_to_the_statistics_is_the_one_the_scorecard_judges(indicators):
    acts = compute_actuals(satisfaction_target=0.85, reduction_target=0.90, random_state=1)
    out = evaluate_indicators(indicators, actuals=acts).set_index("indicator_id")
    # 78/93 = 83.87 % against 85 %; the RPA rate (about 84 %) against 90 %.
    row = out.loc["voice_recognition.o3"]
    assert (row["target_value"], row["status"]) == (85.0, "not met")
    assert_allclose(row["margin"], 100 * 78 / 93 - 85)
    assert "the file says 70" in row["reason"]
    assert out.loc["rpa.o2", "status"] == "not met" and out.loc["rpa.o2", "target_value"] == 90
    # With the report's targets the reason does not mention the file.
    same = evaluate_indicators(indicators, actuals=compute_actuals(random_state=1))
    assert not same["reason"].str.contains("file says").any()
    assert same.loc[3, "target_value"] == 70.0


def test_compute_actuals_with_fiscal_year_averages_over_its_twelve_months():
    import pandas as pd

    from evalkit.datasets import load_minutes_work

    minutes = load_minutes_work()
    no_august = minutes[minutes["month"] != pd.Period("2019-08", freq="M")]
    over_window = compute_actuals(minutes=no_august, fiscal_year=2019, random_state=1)
    present_only = compute_actuals(minutes=no_august, random_state=1)
    saved = (no_august["hours_before"] - no_august["hours_after"]).sum()
    # plain arithmetic: the year's saved hours over 12 months, or over the 11 present
    got = over_window["voice_recognition.mean_saved_per_month"].value
    assert abs(got - saved / 12) < 1e-9
    assert abs(present_only["voice_recognition.mean_saved_per_month"].value - saved / 11) < 1e-9
