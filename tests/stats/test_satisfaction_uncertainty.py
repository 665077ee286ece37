"""Tests of satisfaction_rate's honest uncertainty: non-response, weights, clusters, Holm."""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import special, stats
from stats_helpers import JA5, METHODS
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from evalkit.datasets import load_satisfaction_survey
from evalkit.errors import EvalkitError
from evalkit.stats.satisfaction import min_n_to_confirm, satisfaction_rate, target_sensitivity

POSITIVE = {"大変満足", "満足"}
SM_NAMES = {  # statsmodels proportion_confint method names
    "wilson": "wilson",
    "clopper-pearson": "beta",
    "agresti-coull": "agresti_coull",
    "jeffreys": "jeffreys",
}


@pytest.fixture(scope="module")
def survey():
    """The shipped FY2019 survey: 116 departments, 93 answers, 23 blank, 78 satisfied."""
    return load_satisfaction_survey()


def _positive(answers):
    return np.array([a in POSITIVE for a in answers], dtype=float)


def _sm_cluster(y, groups, weights=None):
    """statsmodels OLS (or WLS) of y on a constant with CR1 cluster-robust covariance, t(G-1)."""
    ones = np.ones_like(y)
    model = sm.OLS(y, ones) if weights is None else sm.WLS(y, ones, weights=weights)
    return model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)


# ------------------------------------------------------------------------ non-response


def test_nonresponse_bounds_on_the_shipped_survey(survey):
    res = satisfaction_rate(survey, answers="answer", target=0.70)
    assert (res.n, res.n_positive, res.n_missing) == (93, 78, 23)
    # hand arithmetic: worst case 78 / 116, best case (78 + 23) / 116, answered 93 / 116
    assert res.nonresponse_bounds == (78 / 116, 101 / 116)
    assert round(res.nonresponse_bounds[0], 4) == 0.6724
    assert round(res.nonresponse_bounds[1], 4) == 0.8707
    assert res.response_rate == 93 / 116
    # 78 / 116 = 67.24 % < 70 %: the verdict depends on the non-respondents
    assert res.meets_target is True and res.meets_target_under_nonresponse is False
    summ = res.summary().set_index("metric")
    assert summ.loc["response_rate", "value"] == 93 / 116
    assert summ.loc["nonresponse_low", "value"] == 78 / 116
    assert summ.loc["nonresponse_high", "value"] == 101 / 116
    assert (
        summ.loc[["response_rate", "nonresponse_low", "nonresponse_high"], "unit"] == "ratio"
    ).all()
    text = str(res)
    assert (
        "non-response: 93 of 116 answered (response rate 80.17%); if every blank were negative "
        "the rate would be 67.24%, if every blank were positive 87.07%" in text
    )
    assert "the verdict depends on how the non-respondents would have answered" in text


def test_nonresponse_verdict_in_words(survey):
    met = satisfaction_rate(survey, answers="answer", target=0.60)  # 67.24 % >= 60 %
    assert met.meets_target_under_nonresponse is True
    assert "met even in the worst case, so the verdict does not depend on the non-respondents" in (
        str(met)
    )
    missed = satisfaction_rate(survey, answers="answer", target=0.90)  # 87.07 % < 90 %
    assert missed.meets_target_under_nonresponse is False
    assert "missed even in the best case, so the verdict does not depend" in str(missed)
    none = satisfaction_rate(survey, answers="answer")
    assert none.meets_target_under_nonresponse is None
    assert "verdict" not in none._notes()[-1]


def test_no_blanks_means_bounds_at_the_rate():
    res = satisfaction_rate(answers=["満足", "不満", "満足"], target=0.5)
    assert res.response_rate == 1.0
    assert res.nonresponse_bounds == (2 / 3, 2 / 3)
    assert res.meets_target_under_nonresponse is True
    assert "non-response: no blank answers (response rate 100%)" in str(res)


def test_nonresponse_uses_the_shared_tolerance():
    # 7 of 10 questionnaires satisfied is 70 %; 0.1 * 7 = 0.7000000000000001 counts as equal
    res = satisfaction_rate(answers=["満足"] * 7 + ["不満"] * 2 + [None], target=0.1 * 7)
    assert res.nonresponse_bounds[0] == 0.7
    assert res.meets_target_under_nonresponse is True


@settings(max_examples=80, deadline=None)
@given(
    answers=st.lists(st.sampled_from([*JA5, None, ""]), min_size=1, max_size=80),
    target=st.floats(0, 1),
)
def test_property_worst_rate_best(answers, target):
    if all(a in (None, "") for a in answers):
        answers = [*answers, "満足"]
    res = satisfaction_rate(answers=answers, target=target)
    low, high = res.nonresponse_bounds
    assert 0.0 <= low <= res.rate <= high <= 1.0
    assert res.response_rate == res.n / len(answers)
    assert math.isclose(high - low, 1 - res.response_rate, abs_tol=1e-12)
    # the shared rule: within a relative 1e-9 of the target counts as at it
    assert res.meets_target_under_nonresponse == (low >= target - 1e-9 * max(1.0, target))
    if res.meets_target_under_nonresponse:
        assert res.meets_target


# ----------------------------------------------------------------------------- weights


def test_weighted_rate_and_kish_n_eff_by_hand():
    answers = ["満足", "不満", "満足", "大変満足", "どちらともいえない", None]
    weights = [2, 1, 0.5, 1.5, 3, 99]  # the blank answer's weight is ignored
    res = satisfaction_rate(answers=answers, weights=weights, target=0.4)
    # hand arithmetic: sum w = 8, sum w*y = 2 + 0.5 + 1.5 = 4, sum w^2 = 16.5
    assert res.rate == 0.5
    assert_allclose(res.n_effective, 64 / 16.5, rtol=1e-14)
    assert_allclose(res.design_effect, 5 * 16.5 / 64, rtol=1e-14)
    assert (res.n, res.n_positive, res.n_missing) == (5, 3, 1)
    # statsmodels proportion_confint at the effective sample size, k_eff = 0.5 * n_eff
    n_eff = 64 / 16.5
    assert_allclose(res.ci, proportion_confint(0.5 * n_eff, n_eff, method="wilson"), rtol=1e-12)
    # binomial upper tail extended to real counts: I_0.4(k, n - k + 1), scipy.special.betainc
    assert_allclose(res.p_value, special.betainc(0.5 * n_eff, n_eff - 0.5 * n_eff + 1, 0.4))
    assert_allclose(res.se, math.sqrt(0.25 / n_eff))
    # scores 4, 2, 4, 5, 3 weighted 2, 1, 0.5, 1.5, 3: (8 + 2 + 2 + 7.5 + 9) / 8
    assert_allclose(res.mean_score, 28.5 / 8)
    assert res.counts.tolist() == [1, 2, 1, 1, 0]  # counts stay unweighted
    assert res.weights == "weights" and res.cluster is None and res.n_clusters is None
    assert res.interval_method == "Wilson score interval at the Kish effective sample size"
    assert res.test_method == "one-sided effective-sample-size binomial test"


@pytest.mark.parametrize("method", METHODS)
def test_weighted_interval_and_test_at_whole_effective_counts(method):
    # weights 1, 1, 1, 3: n_eff = 6^2 / 12 = 3; y = 1, 0, 0, 1: rate 4/6, k_eff = 2
    res = satisfaction_rate(
        answers=["満足", "不満", "不満", "満足"], weights=[1, 1, 1, 3], method=method, target=0.3
    )
    assert res.n_effective == 3.0
    assert_allclose(res.rate, 2 / 3)
    # statsmodels proportion_confint(2, 3, method=...) and scipy binom.sf(1, 3, 0.3) = P(X >= 2)
    assert_allclose(res.ci, proportion_confint(2, 3, method=SM_NAMES[method]), rtol=1e-10)
    assert_allclose(res.p_value, stats.binom.sf(1, 3, 0.3), rtol=1e-10)


def test_weights_from_a_column_and_notes(survey):
    w = np.where(survey["bureau"] == "教育庁", 2.0, 1.0)
    data = survey.assign(w=w)
    before = data.copy()
    res = satisfaction_rate(data, answers="answer", weights="w", target=0.7)
    pd.testing.assert_frame_equal(data, before)
    valid = data["answer"].notna().to_numpy()
    y, wv = _positive(data["answer"][valid]), w[valid]
    assert_allclose(res.rate, (wv * y).sum() / wv.sum(), rtol=1e-14)
    assert_allclose(res.n_effective, wv.sum() ** 2 / (wv**2).sum(), rtol=1e-14)
    assert res.weights == "w"
    summ = res.summary()
    assert summ["metric"].tolist()[:7] == [
        "n",
        "n_positive",
        "n_missing",
        "rate",
        "n_effective",
        "design_effect",
        "target",
    ]
    text = str(res)
    assert "weighted share of valid answers in 大変満足, 満足 (weights 'w')" in text
    assert "not for the uncertainty of estimating the weights themselves" in text
    assert "effective-sample-size binomial test of rate <= target" in text
    assert "if every blank were negative the unweighted rate would be 67.24%" in text
    # the non-response bounds stay counts of questionnaires
    assert res.nonresponse_bounds == (78 / 116, 101 / 116)


@settings(max_examples=60, deadline=None)
@given(
    answers=st.lists(st.sampled_from([*JA5, None]), min_size=1, max_size=60),
    weight=st.floats(1e-3, 1e3),
    method=st.sampled_from(METHODS),
    target=st.floats(0, 1),
)
def test_property_equal_weights_give_the_unweighted_result_exactly(answers, weight, method, target):
    answers = [*answers, "満足"]
    plain = satisfaction_rate(answers=answers, method=method, target=target)
    weighted = satisfaction_rate(
        answers=answers, method=method, target=target, weights=[weight] * len(answers)
    )
    for field in [
        "n",
        "n_positive",
        "n_missing",
        "rate",
        "ci",
        "p_value",
        "meets_target",
        "meets_target_confidently",
        "mean_score",
        "response_rate",
        "nonresponse_bounds",
        "meets_target_under_nonresponse",
        "se",
    ]:
        assert getattr(weighted, field) == getattr(plain, field), field
    assert weighted.n_effective == plain.n_effective == plain.n
    assert weighted.design_effect == plain.design_effect == 1.0


@settings(max_examples=60, deadline=None)
@given(
    weights=st.lists(st.floats(0.01, 100), min_size=2, max_size=40),
    seed=st.integers(0, 2**32 - 1),
    scale=st.floats(0.01, 100),
)
def test_property_weighted_rate_is_scale_free_and_inside_its_interval(weights, seed, scale):
    rng = np.random.default_rng(seed)
    answers = list(rng.choice(np.array(JA5, dtype=object), size=len(weights)))
    a = satisfaction_rate(answers=answers, weights=weights, target=0.5)
    b = satisfaction_rate(answers=answers, weights=[w * scale for w in weights], target=0.5)
    assert_allclose(
        [a.rate, *a.ci, a.n_effective], [b.rate, *b.ci, b.n_effective], rtol=1e-9, atol=1e-12
    )
    assert 1.0 - 1e-12 <= a.n_effective <= a.n + 1e-9
    assert 0.0 <= a.ci[0] <= a.rate + 1e-12 and a.rate - 1e-12 <= a.ci[1] <= 1.0


@pytest.mark.parametrize(
    ("weight", "reason"),
    [
        ("abc", "not a number"),
        (0, "a weight must be greater than 0"),
        (-1.5, "a weight must be greater than 0"),
        (None, "missing weight of an answered questionnaire"),
        (float("inf"), "infinite value"),
        (True, "a true/false value, not a number"),
    ],
)
def test_bad_weight_names_file_row_column_value(survey, weight, reason):
    w = pd.Series([1.0] * len(survey), dtype=object)
    w.iloc[1] = weight  # S002 (file row 3) answered 満足
    data = survey.assign(w=w.to_numpy())
    with pytest.raises(EvalkitError) as info:
        satisfaction_rate(data, answers="answer", weights="w")
    err = info.value
    assert (err.file, err.row, err.column) == ("satisfaction_survey.csv", 3, "w")
    if weight is None:
        assert err.value is None or pd.isna(err.value)
    elif isinstance(weight, float) and math.isinf(weight):
        assert err.value == weight
    else:
        assert err.value == weight and type(err.value) is type(weight)
    assert reason in str(err)
    assert str(err).startswith("satisfaction_survey.csv, row 3, column 'w', value ")


def test_bad_weight_of_a_blank_answer_is_ignored(survey):
    w = pd.Series([1.0] * len(survey), dtype=object)
    w.iloc[2] = "abc"  # S003 (file row 4) left the answer blank
    w.iloc[3] = -1
    res = satisfaction_rate(survey.assign(w=w.to_numpy()), answers="answer", weights="w")
    assert res.rate == 78 / 93
    # array input: the row is the 1-based position
    with pytest.raises(EvalkitError) as info:
        satisfaction_rate(answers=["満足", None, "不満"], weights=[1, 0, 0])
    assert (info.value.row, info.value.column, info.value.value) == (3, "weights", 0)


# ---------------------------------------------------------------------------- clusters


def test_bureau_clustered_interval_matches_statsmodels(survey):
    res = satisfaction_rate(survey, answers="answer", target=0.70, cluster="bureau")
    valid = survey["answer"].notna().to_numpy()
    y = _positive(survey["answer"][valid])
    groups = pd.factorize(survey["bureau"][valid])[0]
    fit = _sm_cluster(y, groups)
    # statsmodels OLS(y, ones).fit(cov_type="cluster", cov_kwds={"groups": g}, use_t=True)
    assert res.rate == 78 / 93
    assert_allclose(res.se, fit.bse[0], rtol=1e-10)
    assert_allclose(res.ci, fit.conf_int(alpha=0.05)[0], rtol=1e-10)
    test = fit.t_test("const = 0.7")
    assert float(test.df_denom) == 12  # G - 1
    # one-sided p = two-sided p / 2, as t > 0
    assert test.tvalue.item() > 0
    assert_allclose(res.p_value, float(test.pvalue) / 2, rtol=1e-9)
    assert res.n_clusters == 13
    # design effect: cluster-robust variance over the binomial p(1 - p) / n
    assert_allclose(res.design_effect, fit.bse[0] ** 2 / (78 / 93 * 15 / 93 / 93), rtol=1e-10)
    assert_allclose(res.n_effective, 93 / res.design_effect)
    # the shipped figures, for the README
    assert [round(b, 4) for b in res.ci] == [0.7394, 0.9381]
    assert round(res.design_effect, 2) == 1.43
    assert round(res.p_value, 4) == 0.0051
    assert res.meets_target_confidently is True
    assert res.interval_method == (
        "cluster-robust (CR1) Wald interval over 13 clusters, t with 12 df"
    )
    assert res.test_method == "one-sided cluster-robust t-test (12 df)"
    assert res.method == "wilson"  # kept for target_sensitivity and min_n_to_confirm
    summ = res.summary().set_index("metric")
    assert summ.loc["n_clusters", "value"] == 13 and summ.loc["n_clusters", "unit"] == "clusters"
    assert (summ.loc["rate", "ci_low"], summ.loc["rate", "ci_high"]) == res.ci
    text = str(res)
    assert "cluster-robust (CR1) Wald interval over 13 clusters, t with 12 df" in text
    assert "clusters from 'bureau'" in text
    assert "13 clusters (fewer than 30): the small-sample correction is CR1" in text
    assert "t quantile on G - 1 = 12 df" in text
    assert "under 10" in text


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99])
@pytest.mark.parametrize("target", [0.3, 0.5, 0.65])
def test_weighted_clustered_interval_matches_statsmodels_wls(rng, confidence, target):
    n = 150
    groups = rng.integers(0, 12, size=n)
    y = (rng.random(n) < 0.45 + 0.03 * groups).astype(float)
    w = rng.uniform(0.5, 3.0, size=n)
    answers = np.where(y == 1, "満足", "不満")
    res = satisfaction_rate(
        answers=answers, weights=w, cluster=groups, target=target, confidence=confidence
    )
    # statsmodels WLS(y, ones, weights=w).fit(cov_type="cluster", ..., use_t=True)
    fit = _sm_cluster(y, groups, weights=w)
    assert_allclose(res.rate, fit.params[0], rtol=1e-12)
    assert_allclose(res.se, fit.bse[0], rtol=1e-10)
    assert_allclose(res.ci, fit.conf_int(alpha=1 - confidence)[0], rtol=1e-10)
    test = fit.t_test(f"const = {target}")
    two_sided = float(test.pvalue)
    one_sided = two_sided / 2 if test.tvalue.item() > 0 else 1 - two_sided / 2
    assert_allclose(res.p_value, one_sided, rtol=1e-9)
    assert res.n_clusters == 12
    assert res.meets_target_confidently == (res.ci[0] >= target)
    assert "the cluster-robust variance allows for unequal weights" in str(res)


def test_cluster_from_an_array_and_its_one_sided_test_below_target(rng):
    groups = np.repeat(np.arange(40), 5)
    y = (rng.random(200) < 0.6).astype(float)
    answers = np.where(y == 1, "大変満足", "どちらともいえない")
    res = satisfaction_rate(answers=answers, cluster=groups, target=0.9)
    fit = _sm_cluster(y, groups)
    test = fit.t_test("const = 0.9")
    assert test.tvalue.item() < 0
    assert_allclose(res.p_value, 1 - float(test.pvalue) / 2, rtol=1e-9)
    assert res.cluster == "cluster"
    assert not any("fewer than 30" in line for line in res._notes())  # 40 clusters


def test_wald_interval_is_clipped_and_says_so():
    # clusters A 3/4, B 4/4, C 2/4 satisfied: rate 0.75, scores 0, 1, -1
    answers = ["満足"] * 3 + ["不満"] + ["満足"] * 4 + ["満足", "不満", "不満", "満足"]
    groups = ["A"] * 4 + ["B"] * 4 + ["C"] * 4
    res = satisfaction_rate(answers=answers, cluster=groups, target=0.5)
    # hand arithmetic: V = 3/2 * (0^2 + 1^2 + 1^2) / 12^2
    assert_allclose(res.se, math.sqrt(1.5 * 2 / 144))
    half = stats.t.ppf(0.975, 2) * res.se
    assert 0.75 + half > 1
    assert res.ci == (pytest.approx(0.75 - half), 1.0)
    assert "the Wald interval reached beyond [0, 1] and was clipped to it" in str(res)
    assert "with only 3 clusters even this can be too narrow" in str(res)


def test_zero_cluster_robust_se_gives_no_interval():
    res = satisfaction_rate(answers=["満足"] * 6, cluster=[1, 1, 2, 2, 3, 3], target=0.5)
    assert res.rate == 1.0 and res.se == 0.0
    assert math.isnan(res.ci[0]) and math.isnan(res.ci[1]) and math.isnan(res.p_value)
    assert math.isnan(res.design_effect)
    assert res.meets_target is True and res.meets_target_confidently is False
    text = str(res)
    assert "the cluster-robust standard error is 0" in text
    assert "there is no interval to confirm it" in text


@settings(max_examples=60, deadline=None)
@given(
    answers=st.lists(st.sampled_from(JA5), min_size=2, max_size=80),
    confidence=st.floats(0.5, 0.999),
)
def test_property_one_answer_per_cluster_is_wald_times_n_over_n_minus_1(answers, confidence):
    n = len(answers)
    res = satisfaction_rate(answers=answers, cluster=list(range(n)), confidence=confidence)
    p = res.n_positive / n
    # CR1 with G = N: G / (G - 1) * sum((y - p)^2) / N^2 = N / (N - 1) * p (1 - p) / N
    assert_allclose(res.se**2, n / (n - 1) * p * (1 - p) / n, rtol=1e-9, atol=1e-15)
    if 0 < p < 1:
        assert_allclose(res.design_effect, n / (n - 1), rtol=1e-9)
        assert 0.0 <= res.ci[0] <= res.rate <= res.ci[1] <= 1.0
    assert res.n_clusters == n


@settings(max_examples=60, deadline=None)
@given(
    data=st.lists(
        st.tuples(st.sampled_from([*JA5, None]), st.integers(0, 6)), min_size=2, max_size=60
    ),
    weighted=st.booleans(),
)
def test_property_clustered_bounds_stay_in_unit_interval(data, weighted):
    answers = [a for a, _ in data] + ["満足", "不満"]
    groups = [g for _, g in data] + [7, 8]
    weights = [1 + g % 3 for g in groups] if weighted else None
    res = satisfaction_rate(answers=answers, cluster=groups, weights=weights, target=0.5)
    if not math.isnan(res.ci[0]):
        assert 0.0 <= res.ci[0] <= res.rate <= res.ci[1] <= 1.0
        assert 0.0 <= res.p_value <= 1.0


def test_blank_cluster_label_names_file_row_column_value(survey):
    for blank in [None, "", "  ", np.nan]:
        bureau = survey["bureau"].astype(object).copy()
        bureau.iloc[1] = blank  # S002 (file row 3) answered
        with pytest.raises(EvalkitError) as info:
            satisfaction_rate(survey.assign(b=bureau.to_numpy()), answers="answer", cluster="b")
        err = info.value
        assert (err.file, err.row, err.column) == ("satisfaction_survey.csv", 3, "b")
        # the same text (Arrow-backed strings copy it) or the same kind of missing value
        if isinstance(blank, str):
            assert err.value == blank
        else:
            assert pd.isna(err.value)
        assert "missing cluster label of an answered questionnaire" in str(err)
    # the label of a blank answer is ignored
    bureau = survey["bureau"].astype(object).copy()
    bureau.iloc[2] = None  # S003 (file row 4) left the answer blank
    res = satisfaction_rate(survey.assign(b=bureau.to_numpy()), answers="answer", cluster="b")
    assert res.n_clusters == 13


@pytest.mark.parametrize("role", ["weights", "cluster"])
def test_length_mismatch_names_the_unpartnered_value(role):
    answers = ["満足", "不満", "満足"]
    with pytest.raises(EvalkitError) as info:
        satisfaction_rate(answers=answers, **{role: [1, 2]})
    err = info.value
    assert (err.row, err.column, err.value) == (3, "answers", "満足")
    assert f"{role} has 2 values but answers has 3" in str(err)
    with pytest.raises(EvalkitError) as info:
        satisfaction_rate(answers=answers, **{role: [1, 2, 2, 5]})
    err = info.value
    assert (err.row, err.column, err.value) == (4, role, 5)
    assert f"the value at position 4 of {role} has no answer" in str(err)


def test_a_single_cluster_is_refused():
    with pytest.raises(EvalkitError) as info:
        satisfaction_rate(answers=["満足", "不満", None], cluster=["総務部", "総務部", "財務部"])
    err = info.value
    assert (err.column, err.value) == ("cluster", "総務部")
    assert "needs at least 2" in str(err)


def test_options_that_name_columns_need_data():
    with pytest.raises(EvalkitError, match="weights='w' names a column, but no data were given"):
        satisfaction_rate(answers=["満足"], weights="w")
    with pytest.raises(EvalkitError, match="column 'zone': column not found"):
        satisfaction_rate(pd.DataFrame({"answer": ["満足"]}), answers="answer", cluster="zone")


# ------------------------------------------------------------------- by= and Holm


def test_by_table_carries_holm_p_values(survey):
    out = satisfaction_rate(survey, answers="answer", by="bureau", target=0.5)
    p = out["p_value"].to_numpy()
    # statsmodels multipletests(p, method="holm")
    reject, ref, _, _ = multipletests(p, alpha=0.025, method="holm")
    assert_allclose(out["p_value_holm"], ref, rtol=1e-12)
    assert out["meets_target_holm"].tolist() == list(reject)
    assert out.attrs["holm_level"] == pytest.approx(0.025)
    assert out["meets_target_holm"].dtype == "boolean"
    # Holm never confirms a group its own exact test would not
    assert not (out["meets_target_holm"] & (out["p_value"] > 0.025)).any()


def test_holm_skips_groups_without_a_p_value():
    answers = ["満足"] * 12 + [None, None] + ["満足"] * 9 + ["不満"] + ["満足"] * 3
    groups = ["a"] * 12 + ["b"] * 2 + ["c"] * 10 + ["d"] * 3
    out = satisfaction_rate(answers=answers, by=groups, target=0.6)
    assert math.isnan(out.loc[1, "p_value"]) and math.isnan(out.loc[1, "p_value_holm"])
    assert pd.isna(out.loc[1, "meets_target_holm"])
    present = out["p_value"].notna().to_numpy()
    # statsmodels multipletests over the three groups that have a p-value
    ref = multipletests(out["p_value"][present], method="holm")[1]
    assert_allclose(out["p_value_holm"][present], ref, rtol=1e-12)
    # the all-blank group: response rate 0, bounds (0, 1)
    assert (out.loc[1, "response_rate"], out.loc[1, "nonresponse_low"]) == (0.0, 0.0)
    assert out.loc[1, "nonresponse_high"] == 1.0
    assert out.loc[1, "meets_target_under_nonresponse"] == False  # noqa: E712
    without = satisfaction_rate(answers=answers, by=groups)
    assert without["p_value_holm"].isna().all() and without["meets_target_holm"].isna().all()


def test_one_group_holm_verdict_equals_the_exact_interval_verdict():
    for k in range(0, 41):
        out = satisfaction_rate(
            answers=["満足"] * k + ["不満"] * (40 - k), by=["g"] * 40, target=0.6, method="exact"
        )
        assert out.loc[0, "p_value_holm"] == out.loc[0, "p_value"]
        assert out.loc[0, "meets_target_holm"] == out.loc[0, "meets_target_confidently"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=30))
def test_property_holm_matches_statsmodels_and_is_monotone(p):
    from evalkit.stats._survey import holm

    adjusted = holm(p)
    # statsmodels multipletests(p, method="holm")
    assert_allclose(adjusted, multipletests(p, method="holm")[1], rtol=1e-12, atol=1e-15)
    p_arr = np.asarray(p)
    assert (adjusted >= p_arr).all() and (adjusted <= 1.0).all()
    order = np.argsort(p_arr, kind="stable")
    assert (np.diff(adjusted[order]) >= 0).all()


def test_by_with_weights_and_cluster_matches_ungrouped_calls(survey, rng):
    data = survey.assign(
        w=rng.uniform(0.5, 2.0, size=len(survey)),
        zone=np.where(survey["department"].str.len() % 2 == 0, "east", "west"),
        team=np.arange(len(survey)) % 4,
    )
    out = satisfaction_rate(
        data, answers="answer", by="zone", weights="w", cluster="team", target=0.7
    )
    assert out.columns.tolist()[-3:] == ["n_effective", "design_effect", "n_clusters"]
    assert out["n_clusters"].dtype == "int64"
    for _, row in out.iterrows():
        ref = satisfaction_rate(
            data[data["zone"] == row["zone"]],
            answers="answer",
            weights="w",
            cluster="team",
            target=0.7,
        )
        assert_allclose(
            [row["rate"], row["ci_low"], row["ci_high"], row["p_value"], row["mean_score"]],
            [ref.rate, *ref.ci, ref.p_value, ref.mean_score],
            rtol=1e-12,
        )
        assert_allclose(
            [row["n_effective"], row["design_effect"]], [ref.n_effective, ref.design_effect]
        )
        assert row["n_clusters"] == ref.n_clusters == 4
        assert (row["response_rate"], row["nonresponse_low"], row["nonresponse_high"]) == (
            ref.response_rate,
            *ref.nonresponse_bounds,
        )
        assert row["meets_target_under_nonresponse"] == ref.meets_target_under_nonresponse


def test_by_group_with_one_cluster_has_no_interval(survey):
    # departments sit in one bureau each: no cluster-robust interval within a bureau
    out = satisfaction_rate(survey, answers="answer", by="bureau", cluster="bureau", target=0.5)
    assert (out["n_clusters"] == 1).all()
    assert out["ci_low"].isna().all() and out["p_value"].isna().all()
    assert out["p_value_holm"].isna().all()
    assert not out["meets_target_confidently"].any()
    weighted = satisfaction_rate(survey.assign(w=1.0), answers="answer", by="bureau", weights="w")
    assert "n_clusters" not in weighted.columns
    assert (weighted["design_effect"] == 1.0).all()


# ------------------------------------------------------- sensitivity and sample size


def test_sensitivity_and_min_n_take_design_results(survey):
    res = satisfaction_rate(survey, answers="answer", target=0.70, cluster="bureau")
    t = target_sensitivity(res, n=[93])
    assert t.loc[0, "k"] == 78 and t.attrs["method"] == "wilson"
    assert min_n_to_confirm(res) == min_n_to_confirm(78 / 93, target=0.70)
    data = survey.assign(w=np.where(survey["bureau"] == "教育庁", 2.0, 1.0))
    weighted = satisfaction_rate(data, answers="answer", target=0.70, weights="w")
    t = target_sensitivity(weighted, n=[round(weighted.n_effective)])
    assert_allclose(t.loc[0, "rate"], weighted.rate, atol=0.5 / 86)
    assert min_n_to_confirm(weighted) == min_n_to_confirm(weighted.rate, target=0.70)
