"""Tests of evalkit.stats.sample_size: target_sensitivity and min_n_to_confirm.

References: statsmodels proportion_confint and binom_test, scipy.stats.binomtest,
and a brute-force search written out in the tests.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats
from stats_helpers import METHODS, SM_NAMES
from statsmodels.stats.proportion import binom_test as sm_binom_test
from statsmodels.stats.proportion import proportion_confint

from evalkit.errors import EvalkitError
from evalkit.stats.satisfaction import satisfaction_rate


def _fy2019():
    """78 of 93 valid answers in the top two categories, 23 blank: the FY2019 survey."""
    return (
        ["大変満足"] * 31 + ["満足"] * 47 + ["どちらともいえない"] * 11 + ["不満"] * 4 + [None] * 23
    )


# ---------------------------------------------------------------- target_sensitivity


@pytest.mark.parametrize("method", METHODS)
def test_target_sensitivity_rows_match_statsmodels_and_scipy(method):
    from evalkit.stats.sample_size import target_sensitivity

    ns = [1, 5, 10, 31, 40, 62, 93, 116, 500]
    t = target_sensitivity(78 / 93, n=ns, target=0.70, method=method, confidence=0.9)
    assert list(t.columns) == [
        "n",
        "k",
        "rate",
        "ci_low",
        "ci_high",
        "target",
        "p_value",
        "meets_target",
        "meets_target_confidently",
    ]
    assert t["n"].tolist() == ns
    for row in t.itertuples():
        # k is 78/93 * n rounded half up, computed here with exact fractions
        assert row.k == math.floor(78 * row.n / 93 + 0.5)
        # statsmodels proportion_confint(k, n, alpha=0.1, method=...)
        low, high = proportion_confint(row.k, row.n, alpha=0.1, method=SM_NAMES[method])
        if method == "jeffreys" and row.k in (0, row.n):
            continue  # documented difference at the extremes (see proportion_ci)
        assert_allclose((row.ci_low, row.ci_high), (low, high), rtol=1e-10, atol=1e-12)
        # scipy binomtest(k, n, p=0.7, alternative="greater")
        ref_p = stats.binomtest(row.k, row.n, p=0.7, alternative="greater").pvalue
        assert_allclose(row.p_value, ref_p, rtol=1e-9)
        assert row.meets_target == (row.k / row.n >= 0.70)
        assert row.meets_target_confidently == (low >= 0.70)
    assert t.attrs == {"method": method, "confidence": 0.9}


def test_target_sensitivity_at_the_observed_n_repeats_the_result():
    from evalkit.stats.sample_size import target_sensitivity

    res = satisfaction_rate(answers=_fy2019(), target=0.70)
    t = target_sensitivity(res, n=[res.n])
    assert (t.loc[0, "k"], t.loc[0, "n"]) == (78, 93)
    # statsmodels proportion_confint(78, 93, method="wilson") and
    # binom_test(78, 93, prop=0.7, alternative="larger")
    assert_allclose(t.loc[0, ["ci_low", "ci_high"]], proportion_confint(78, 93, method="wilson"))
    assert_allclose(t.loc[0, "p_value"], sm_binom_test(78, 93, prop=0.7, alternative="larger"))
    # the result's method, confidence and target are taken unless given
    t2 = target_sensitivity(res, n=range(10, 31, 10), method="exact", target=0.8)
    assert t2["n"].tolist() == [10, 20, 30]
    assert t2.attrs["method"] == "clopper-pearson"
    assert (t2["target"] == 0.8).all()


def test_target_sensitivity_few_answers_do_not_confirm_many_do():
    from evalkit.stats.sample_size import target_sensitivity

    t = target_sensitivity(0.8387, n=[10, 20, 1000], target=0.70)
    # Wilson lower bounds, as statsmodels proportion_confint gives them: 8/10 -> 0.490,
    # 17/20 -> 0.640, 839/1000 -> 0.815; only the last is above 0.70
    assert t["meets_target_confidently"].tolist() == [False, False, True]
    assert t["meets_target"].all()


def test_target_sensitivity_clopper_pearson_equals_the_exact_test():
    from evalkit.stats.sample_size import target_sensitivity

    t = target_sensitivity(0.78, n=range(1, 300), target=0.7, method="exact", confidence=0.95)
    # the exact interval excludes the target exactly when the one-sided exact p <= 0.025
    assert (t["meets_target_confidently"] == (t["p_value"] <= 0.025)).all()


@settings(max_examples=60, deadline=None)
@given(
    st.floats(0, 1),
    st.lists(st.integers(1, 400), min_size=1, max_size=8),
    st.sampled_from(METHODS),
)
def test_property_sensitivity_rates_stay_within_half_an_answer(rate, ns, method):
    from evalkit.stats.sample_size import target_sensitivity

    t = target_sensitivity(rate, n=ns, target=0.5, method=method)
    assert (np.abs(t["rate"] - rate) <= 0.5 / t["n"] + 1e-9).all()
    assert ((t["ci_low"] <= t["rate"]) & (t["rate"] <= t["ci_high"])).all()


@pytest.mark.parametrize(
    ("data", "kwargs", "parts"),
    [
        (1.2, {"n": 10, "target": 0.7}, ["column 'rate'", "value 1.2"]),
        ("0.8", {"n": 10, "target": 0.7}, ["column 'rate'", "value '0.8'"]),
        (0.8, {"n": 10}, ["column 'target'", "target is required"]),
        (0.8, {"n": 10, "target": 70}, ["column 'target'", "value 70"]),
        (0.8, {"n": [10, 0], "target": 0.7}, ["row 2", "column 'n'", "value 0"]),
        (0.8, {"n": [10, 2.5], "target": 0.7}, ["row 2", "column 'n'", "value 2.5"]),
        (0.8, {"n": [], "target": 0.7}, ["column 'n'", "at least one"]),
        (0.8, {"n": 10, "target": 0.7, "method": "wald"}, ["column 'method'", "value 'wald'"]),
        (0.8, {"n": 10, "target": 0.7, "confidence": 95}, ["column 'confidence'", "value 95"]),
    ],
)
def test_target_sensitivity_errors(data, kwargs, parts):
    from evalkit.stats.sample_size import target_sensitivity

    with pytest.raises(EvalkitError) as exc:
        target_sensitivity(data, **kwargs)
    for part in parts:
        assert part in str(exc.value)


# ---------------------------------------------------------------- min_n_to_confirm


def _brute_force_min_n(rate, target, sm_method, alpha, limit):
    """Smallest m with every n in m..limit confirming, by statsmodels proportion_confint."""
    answer = None
    for n in range(limit, 0, -1):
        k = math.floor(rate * n + 0.5 + 1e-9)
        low, _ = proportion_confint(k, n, alpha=alpha, method=sm_method)
        if low < target:
            break
        answer = n
    return answer


@pytest.mark.parametrize("method", ["wilson", "clopper-pearson", "agresti-coull"])
@pytest.mark.parametrize(("rate", "target"), [(78 / 93, 0.70), (0.9, 0.8), (0.75, 0.5)])
def test_min_n_to_confirm_matches_a_statsmodels_search(method, rate, target):
    from evalkit.stats.sample_size import min_n_to_confirm

    limit = 600
    got = min_n_to_confirm(rate, target=target, method=method, max_n=limit)
    assert got == _brute_force_min_n(rate, target, SM_NAMES[method], 0.05, limit)


def test_min_n_to_confirm_near_the_wilson_closed_form():
    from evalkit.stats.sample_size import min_n_to_confirm

    # Wilson (1927): the score interval's lower bound equals t when
    # n = z^2 t (1 - t) / (p - t)^2; rounding to whole answers moves it by a few.
    z = stats.norm.isf(0.025)
    for rate, target in [(78 / 93, 0.70), (0.9, 0.8), (0.6, 0.5)]:
        closed = z**2 * target * (1 - target) / (rate - target) ** 2
        got = min_n_to_confirm(rate, target=target)
        assert closed - 1 <= got <= closed + 10
    # a result brings its target, method and confidence
    res = satisfaction_rate(answers=_fy2019(), target=0.70)
    assert min_n_to_confirm(res) == min_n_to_confirm(78 / 93, target=0.70)
    assert min_n_to_confirm(res) <= res.n


def test_min_n_to_confirm_none_when_it_cannot_be_confirmed():
    from evalkit.stats.sample_size import min_n_to_confirm

    assert min_n_to_confirm(0.7, target=0.7) is None
    assert min_n_to_confirm(0.6, target=0.7) is None
    # 0.701 against 0.700 needs millions of answers (closed form: about 807,000)
    assert min_n_to_confirm(0.701, target=0.7, max_n=1000) is None
    # Wilson lower bound of n/n is n / (n + z^2): 3/3 gives 0.439, 4/4 gives 0.510
    assert min_n_to_confirm(1.0, target=0.5) == 4


@pytest.mark.parametrize(
    ("kwargs", "parts"),
    [
        ({"target": 0.7, "max_n": 0}, ["column 'max_n'", "value 0"]),
        ({"target": 0.7, "max_n": [10]}, ["column 'max_n'", "one whole number"]),
        ({}, ["column 'target'", "target is required"]),
    ],
)
def test_min_n_to_confirm_errors(kwargs, parts):
    from evalkit.stats.sample_size import min_n_to_confirm

    with pytest.raises(EvalkitError) as exc:
        min_n_to_confirm(0.8, **kwargs)
    for part in parts:
        assert part in str(exc.value)
