"""Tests of evalkit.stats.proportion: proportion_ci against statsmodels and published tables."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from stats_helpers import METHODS, SM_NAMES
from statsmodels.stats.proportion import proportion_confint

from evalkit.errors import EvalkitError
from evalkit.stats.proportion import proportion_ci


def _grid():
    ks, ns = [], []
    for n in [1, 2, 3, 5, 10, 20, 37, 93, 263, 1000]:
        for k in sorted({0, 1, n // 3, n // 2, n - 1, n} if n > 20 else set(range(n + 1))):
            if 0 <= k <= n:
                ks.append(k)
                ns.append(n)
    return np.array(ks), np.array(ns)


# ---------------------------------------------------------------- proportion_ci


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99])
@pytest.mark.parametrize("method", METHODS)
def test_proportion_ci_matches_statsmodels_on_a_grid(method, confidence):
    # statsmodels proportion_confint(k, n, alpha=1 - confidence, method=...), k = 0 .. n included.
    k, n = _grid()
    low, high = proportion_ci(k, n, method=method, confidence=confidence)
    ref_low, ref_high = proportion_confint(k, n, alpha=1 - confidence, method=SM_NAMES[method])
    if method == "jeffreys":
        # Brown, Cai & DasGupta (2001) set L(0) = 0 and U(n) = 1; statsmodels does not.
        ref_low = np.where(k == 0, 0.0, ref_low)
        ref_high = np.where(k == n, 1.0, ref_high)
    assert_allclose(low, ref_low, rtol=1e-9, atol=1e-12)
    assert_allclose(high, ref_high, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_proportion_ci_scalar_matches_array(method):
    k, n = _grid()
    low, high = proportion_ci(k, n, method=method)
    for i in [0, 5, len(k) - 1]:
        lo, hi = proportion_ci(int(k[i]), int(n[i]), method=method)
        assert isinstance(lo, float) and isinstance(hi, float)
        assert (lo, hi) == (low[i], high[i])


def test_jeffreys_extremes_differ_from_statsmodels_only_where_documented():
    # statsmodels proportion_confint(0, 20, method="jeffreys") gives a small positive lower bound;
    # the upper bound is the same.
    sm_low, sm_high = proportion_confint(0, 20, method="jeffreys")
    assert sm_low > 0
    low, high = proportion_ci(0, 20, method="jeffreys")
    assert low == 0.0
    assert_allclose(high, sm_high, rtol=1e-12)
    low, high = proportion_ci(20, 20, method="jeffreys")
    assert high == 1.0
    assert_allclose(low, proportion_confint(20, 20, method="jeffreys")[0], rtol=1e-12)


@pytest.mark.parametrize(
    ("k", "n", "method", "expected"),
    [
        # Newcombe (1998) Stat Med 17:857-872, Table I: method 3 (Wilson score, no continuity
        # correction) and method 5 (Clopper-Pearson "exact"), 95 % intervals, 4 decimals.
        (81, 263, "wilson", (0.2553, 0.3662)),
        (81, 263, "clopper-pearson", (0.2527, 0.3676)),
        (15, 148, "wilson", (0.0624, 0.1605)),
        (15, 148, "clopper-pearson", (0.0578, 0.1617)),
        (0, 20, "wilson", (0.0, 0.1611)),
        (0, 20, "clopper-pearson", (0.0, 0.1684)),
        (1, 29, "wilson", (0.0061, 0.1718)),
        (1, 29, "clopper-pearson", (0.0009, 0.1776)),
        # R: binom.test(682, 925, p = 3/4)  (example in ?binom.test; Mendel's peas)
        # 95 percent confidence interval: 0.7076683 0.7654066
        (682, 925, "exact", (0.7076683, 0.7654066)),
    ],
)
def test_proportion_ci_published_values(k, n, method, expected):
    low, high = proportion_ci(k, n, method=method)
    decimals = 7 if n == 925 else 4
    assert (round(low, decimals), round(high, decimals)) == expected


def test_proportion_ci_bounds_at_extremes():
    for method in METHODS:
        for n in [1, 2, 7, 50]:
            low0, high0 = proportion_ci(0, n, method=method)
            lown, highn = proportion_ci(n, n, method=method)
            assert low0 == 0.0 and 0 < high0 <= 1
            assert highn == 1.0 and 0 <= lown < 1
    # Agresti-Coull without clipping would leave [0, 1]; statsmodels clips too.
    raw_low = (0 + 1.96**2 / 2) / (10 + 1.96**2)
    assert raw_low - 1.96 * math.sqrt(raw_low * (1 - raw_low) / (10 + 1.96**2)) < 0


def test_proportion_ci_method_names():
    assert proportion_ci(3, 10, method="exact") == proportion_ci(3, 10, method="clopper-pearson")
    assert proportion_ci(3, 10, method="Agresti_Coull") == proportion_ci(
        3, 10, method="agresti-coull"
    )
    assert proportion_ci(3.0, 10.0) == proportion_ci(3, 10)


@pytest.mark.parametrize(
    ("k", "n", "message"),
    [
        (11, 10, "column 'k', value 11: k is larger than n = 10"),
        (-1, 10, "column 'k', value -1: negative count"),
        (2.5, 10, "column 'k', value 2.5: not a whole number"),
        (3, 10.5, "column 'n', value 10.5: not a whole number"),
        (0, 0, "column 'n', value 0: n must be at least 1"),
        (float("nan"), 10, "column 'k', value nan: not a whole number"),
        (3, float("inf"), "column 'n', value inf: not a whole number"),
        (True, 10, "column 'k', value True: k must be a whole number"),
        ("3", 10, "column 'k', value '3': k must be a whole number"),
        ([1, 12], [10, 10], "row 2, column 'k', value 12: k is larger than n = 10"),
        ([1, 2, 3], [10, 10], "do not match"),
    ],
)
def test_proportion_ci_count_errors(k, n, message):
    with pytest.raises(EvalkitError) as info:
        proportion_ci(k, n)
    assert message in str(info.value)


@pytest.mark.parametrize("method", ["wald", "", None, "beta "])
def test_proportion_ci_bad_method(method):
    with pytest.raises(EvalkitError) as info:
        proportion_ci(3, 10, method=method)
    assert str(info.value).startswith(f"column 'method', value {method!r}: unknown interval method")
    assert "wilson, clopper-pearson, agresti-coull, jeffreys" in str(info.value)


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.1, 95, True, "0.95", float("nan")])
def test_proportion_ci_bad_confidence(confidence):
    with pytest.raises(EvalkitError) as info:
        proportion_ci(3, 10, confidence=confidence)
    assert str(info.value).startswith(f"column 'confidence', value {confidence!r}: confidence")


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 2000),
    frac=st.floats(0, 1),
    method=st.sampled_from(METHODS),
    confidence=st.floats(0.5, 0.999),
)
def test_property_ci_contains_estimate_and_stays_in_unit_interval(n, frac, method, confidence):
    k = round(frac * n)
    low, high = proportion_ci(k, n, method=method, confidence=confidence)
    assert 0.0 <= low <= k / n <= high <= 1.0


@pytest.mark.parametrize("method", METHODS)
def test_bounds_at_non_whole_counts_match_statsmodels(method):
    # The interval at a Kish effective sample size has non-whole k and n; statsmodels
    # proportion_confint accepts such counts and uses the same formulas.
    from evalkit.stats.proportion import _bounds

    k = np.array([0.0, 0.4, 1.9393939, 2.5, 37.25, 80.3, 80.3])
    n = np.array([3.5, 3.5, 3.878787, 7.25, 80.3, 80.3, 80.3])
    k[-2] = 79.9
    low, high = _bounds(k, n, method, 0.05)
    ref_low, ref_high = proportion_confint(k, n, alpha=0.05, method=SM_NAMES[method])
    if method == "jeffreys":  # Brown, Cai & DasGupta's ends, as in proportion_ci
        ref_low = np.where(k == 0, 0.0, ref_low)
        ref_high = np.where(k == n, 1.0, ref_high)
    assert_allclose(low, np.clip(ref_low, 0, 1), rtol=1e-9, atol=1e-12)
    assert_allclose(high, np.clip(ref_high, 0, 1), rtol=1e-9, atol=1e-12)
    # whole counts give proportion_ci's bounds exactly
    assert proportion_ci(3, 10, method=method) == tuple(
        float(b) for b in _bounds(np.array(3.0), np.array(10.0), method, 1.0 - 0.95)
    )
