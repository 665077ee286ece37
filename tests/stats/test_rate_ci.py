"""rate_ci: the symmetric studentised bootstrap (bootstrap-t) interval of the aggregate rate.

References: the interval is written out below as a plain loop over resamples
from Efron & Tibshirani (1993), *An Introduction to the Bootstrap*, ch. 12.5
(bootstrap-t), with the symmetric form of Hall (1988), "On symmetric bootstrap
confidence intervals", JRSS B 50, 35-45 (quantile of |t*|), the (B + 1) alpha
order statistic of Davison & Hinkley (1997), *Bootstrap Methods and their
Application*, sec. 5.2, and the ratio estimator's linearised variance of
Cochran (1977), *Sampling Techniques*, eq. 6.13 (without fpc). The choice of
this interval and its coverage: validation/README.md.
"""

import math
from fractions import Fraction

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from evalkit.stats._inference import BOOTSTRAP_MAX_UNITS, BOOTSTRAP_T_TEXT, rate_ci
from evalkit.stats.reduction import reduction


def _ratio_se(b, a, rate):
    """Cochran (1977) eq. 6.13 without fpc: sqrt(sum (d_i - R b_i)^2 / (n (n - 1))) / mean(b)."""
    n = len(b)
    d = [bi - ai for bi, ai in zip(b, a, strict=True)]
    ss = math.fsum((di - rate * bi) ** 2 for di, bi in zip(d, b, strict=True))
    return math.sqrt(ss / (n * (n - 1))) / (math.fsum(b) / n)


def _symmetric_bootstrap_t(b, a, confidence, n_resamples, seed):
    """Symmetric bootstrap-t interval of R = 1 - sum(a) / sum(b), one resample at a time.

    Written out from Efron & Tibshirani (1993, 12.5) and Hall (1988): for each
    resample R* and se* (Cochran 6.13 on the resample), |t*| = |R* - R| / se*;
    q = the (B + 1 - k)-th smallest |t*| with k = floor((B + 1) (1 - confidence))
    (Davison & Hinkley 1997, 5.2; exact fractions, no rounding); interval
    R -+ q se, upper bound capped at 1. The units are sorted by (before, after)
    and the indices drawn as evalkit documents: rng.integers(0, n, (m, n)) in
    batches of m = 4,000,000 // n resamples.
    """
    pairs = sorted(zip(b, a, strict=True))
    b = np.array([p[0] for p in pairs])
    a = np.array([p[1] for p in pairs])
    n = len(b)
    gen = np.random.default_rng(seed)
    rate = 1 - math.fsum(a) / math.fsum(b)
    se = _ratio_se(b, a, rate)
    batch = 4_000_000 // n
    abs_t = []
    while len(abs_t) < n_resamples:
        idx = gen.integers(0, n, size=(min(batch, n_resamples - len(abs_t)), n))
        for row in idx:
            bs, as_ = b[row], a[row]
            r_star = 1 - math.fsum(as_) / math.fsum(bs)
            se_star = _ratio_se(bs, as_, r_star)
            # a resample of one rate only has se* = 0: |t*| infinite, as evalkit documents
            abs_t.append(abs(r_star - rate) / se_star if se_star > 0 else math.inf)
    k = math.floor((n_resamples + 1) * (1 - Fraction(str(confidence))))
    q = sorted(abs_t)[n_resamples + 1 - k - 1]
    return (rate - q * se, min(rate + q * se, 1.0))


def _units(rng, n, sigma=1.0):
    """Skewed department sizes (lognormal hours), rates ~ Beta(6, 4)."""
    b = 200 * np.exp(sigma * rng.standard_normal(n))
    return b, b * (1 - rng.beta(6, 4, n))


def _ci(b, a, confidence=0.95, n_resamples=2000, seed=1):
    b, a = np.asarray(b, dtype=float), np.asarray(a, dtype=float)
    rate = 1 - a.sum() / b.sum()
    gen = np.random.default_rng(seed)
    return rate_ci(b, a, rate, confidence, n_resamples, gen, seed)


# ---------------------------------------------------------------- against the reference


@pytest.mark.parametrize(
    ("n", "confidence", "n_resamples"), [(12, 0.95, 2000), (12, 0.90, 1999), (40, 0.99, 999)]
)
def test_matches_the_loop_written_out(rng, n, confidence, n_resamples):
    b, a = _units(rng, n)
    ci, method = _ci(b, a, confidence, n_resamples, seed=2019)
    ref = _symmetric_bootstrap_t(b, a, confidence, n_resamples, seed=2019)
    assert_allclose(ci, ref, rtol=1e-12, atol=1e-12)
    assert method == f"{BOOTSTRAP_T_TEXT}, {n_resamples} resamples, random_state=2019"


def test_matches_the_loop_across_batches(rng):
    # 1,000 units: resamples are drawn 4,000 at a time, so 9,999 take three batches
    b, a = _units(rng, BOOTSTRAP_MAX_UNITS)
    ci, method = _ci(b, a, 0.95, 9999, seed=7)
    assert method.startswith("symmetric studentised bootstrap")
    assert_allclose(ci, _symmetric_bootstrap_t(b, a, 0.95, 9999, seed=7), rtol=1e-12)


def test_reduction_reports_the_bootstrap_t(rng):
    b, a = _units(rng, 12)
    res = reduction(before=b, after=a, n_resamples=2000, random_state=2019)
    assert_allclose(res.rate_ci, _symmetric_bootstrap_t(b, a, 0.95, 2000, 2019), rtol=1e-12)
    assert res.rate_ci_method == (
        "symmetric studentised bootstrap (bootstrap-t, quantile of |t|) over units, "
        "linearised SE, 2000 resamples, random_state=2019"
    )
    assert f"rate_ci: {res.rate_ci_method}." in res._notes()


# ------------------------------------------------------------------------- properties


@pytest.mark.parametrize("n", [5, 12, 30, 116])
def test_interval_is_symmetric_and_contains_the_estimate(rng, n):
    for _ in range(5):
        b, a = _units(rng, n, sigma=1.5)
        rate = 1 - a.sum() / b.sum()
        (low, high), method = _ci(b, a, seed=int(rng.integers(1000)))
        assert method.startswith("symmetric studentised bootstrap")
        assert low < rate < high <= 1.0
        if high < 1.0:  # symmetric unless the cap at 1 cuts the upper half
            assert_allclose(rate - low, high - rate, rtol=1e-9)


def test_upper_bound_capped_at_one():
    # most units saved everything: R + q se > 1, so the upper bound is 1
    b = np.array([10.0, 20, 30, 40, 50, 60, 70, 80])
    a = np.array([0.0, 0, 0, 2, 5, 3, 30, 2])
    (low, high), method = _ci(b, a)
    rate = 1 - a.sum() / b.sum()
    assert method.startswith("symmetric studentised bootstrap")
    assert high == 1.0 and low < rate
    ref = _symmetric_bootstrap_t(b, a, 0.95, 2000, 1)
    assert ref[1] == 1.0
    assert_allclose(low, ref[0], rtol=1e-12)


def test_unit_order_does_not_matter(rng):
    b, a = _units(rng, 25)
    b[3], a[3] = b[7], a[7]  # two identical units
    ci, _ = _ci(b, a, seed=5)
    for _ in range(3):
        perm = rng.permutation(b.size)
        assert _ci(b[perm], a[perm], seed=5)[0] == ci


@pytest.mark.parametrize("factor", [1e-3, 0.5, 60.0, 1e6])
def test_a_common_scale_factor_does_not_matter(rng, factor):
    b, a = _units(rng, 20)
    assert_allclose(_ci(b * factor, a * factor, seed=3)[0], _ci(b, a, seed=3)[0], rtol=1e-10)


def test_reproducible_with_the_generator(rng):
    b, a = _units(rng, 15)
    assert _ci(b, a, seed=11)[0] == _ci(b, a, seed=11)[0]
    assert _ci(b, a, seed=11)[0] != _ci(b, a, seed=12)[0]


# --------------------------------------------------------------------- degenerate cases


def test_fewer_than_two_units():
    ci, method = _ci([10.0], [4.0])
    assert all(math.isnan(x) for x in ci) and method == "none: fewer than 2 units"


def test_every_unit_the_same_rate():
    ci, method = _ci([10.0, 20, 40], [2.0, 4, 8])
    assert all(math.isnan(x) for x in ci)
    assert method == "none: every unit has the same rate, nothing varies between units"


def test_before_zero_units_that_resamples_would_hit_give_the_analytic_interval():
    # a resample of the zero-before unit alone (chance 1/27 each) has no baseline
    b, a = [0.0, 10, 20], [3.0, 4, 12]
    ci, method = _ci(b, a)
    assert method.startswith("ratio-estimator (linearisation) interval, t quantile with 2 df")
    assert "before = 0 would have no baseline" in method
    rate = 1 - 19 / 30
    se = _ratio_se(b, a, rate)
    q = stats.t.ppf(0.975, 2)
    assert_allclose(ci, (rate - q * se, min(rate + q * se, 1.0)), rtol=1e-12)


def test_a_zero_before_unit_among_many_keeps_the_bootstrap(rng):
    # among 30 units a resample without baseline is practically impossible (1/30^30)
    b, a = _units(rng, 30)
    b[0], a[0] = 0.0, 5.0
    ci, method = _ci(b, a)
    assert method.startswith("symmetric studentised bootstrap")
    assert_allclose(ci, _symmetric_bootstrap_t(b, a, 0.95, 2000, 1), rtol=1e-12)


def test_degenerate_resamples_give_the_analytic_interval_without_warnings():
    # 3 units, two with the same rate: 9/27 of the resamples draw one rate only
    # (se* = 0, |t*| infinite), more than 5 %, so q is infinite
    b, a = [10.0, 20, 30], [5.0, 10, 3]
    ci, method = _ci(b, a)
    assert "the bootstrap-t could not be computed" in method
    rate = 1 - 18 / 60
    q = stats.t.ppf(0.975, 2)
    se = _ratio_se(b, a, rate)
    assert_allclose(ci, (rate - q * se, min(rate + q * se, 1.0)), rtol=1e-12)


def test_rare_degenerate_resamples_count_as_infinite_t():
    # 6 units, 4 with the same rate: (4/6)^6 = 8.8 % of resamples draw one rate only;
    # at 90 % those sit beyond the quantile used, which the loop (inf) reproduces
    b = np.array([10.0, 20, 30, 40, 25, 35])
    a = np.array([5.0, 10, 15, 20, 5, 30])
    ci, method = _ci(b, a, confidence=0.80, n_resamples=4999, seed=9)
    assert method.startswith("symmetric studentised bootstrap")
    assert_allclose(ci, _symmetric_bootstrap_t(b, a, 0.80, 4999, 9), rtol=1e-12)


@pytest.mark.parametrize("n_resamples", [1, 10])
def test_too_few_resamples_give_the_analytic_interval(n_resamples):
    # k = floor((B + 1) 0.05) = 0: no order statistic to take
    ci, method = _ci([10.0, 20, 30, 40], [5.0, 12, 3, 30], n_resamples=n_resamples)
    assert "could not be computed (degenerate resamples or too few of them)" in method
    assert ci[0] < 1 - 50 / 100 < ci[1]


def test_above_the_bootstrap_limit_the_analytic_interval(rng):
    b, a = _units(rng, BOOTSTRAP_MAX_UNITS + 1)
    ci, method = _ci(b, a)
    assert method.startswith("ratio-estimator (linearisation) interval")
    assert f"{BOOTSTRAP_MAX_UNITS + 1} units > {BOOTSTRAP_MAX_UNITS}" in method


# ---------------------------------------------------------- regression, one per scenario


def _scenario(name, n, seed):
    """S1 and S2 of validation/simulate_rate_ci.py (median 200 hours)."""
    gen = np.random.default_rng(seed)
    z = gen.standard_normal(n)
    if name == "S1":  # log-sd 1.0, rate ~ Beta(6, 4) independent of size
        b = 200 * np.exp(z)
        rate = gen.beta(6, 4, n)
    else:  # log-sd 1.5, logit(rate) = 0.2 (log b - log 200) + N(0, 1)
        b = 200 * np.exp(1.5 * z)
        rate = 1 / (1 + np.exp(-(0.2 * 1.5 * z + gen.standard_normal(n))))
    return b, b * (1 - rate)


def test_regression_s1_ten_units():
    # S1 (rates independent of size), 10 units: the symmetric bootstrap-t interval
    # is wider than the ratio-estimator t interval (which held the truth about 88 %
    # of the time at 10 units in validation/README.md) and symmetric around the rate
    b, a = _scenario("S1", 10, 1)
    res = reduction(before=b, after=a, n_resamples=9999, random_state=2019)
    assert_allclose(res.rate, 0.6024534335445199, rtol=1e-12)
    assert_allclose(res.rate_ci, (0.5151595987241631, 0.6897472683648764), rtol=1e-12)
    rate = res.rate
    se = _ratio_se(b, a, rate)
    half_t = stats.t.ppf(0.975, 9) * se
    assert res.rate_ci[1] - rate > half_t
    assert_allclose(rate - res.rate_ci[0], res.rate_ci[1] - rate, rtol=1e-12)


def test_regression_s2_thirty_units():
    # S2 (bigger units save more, log-sd 1.5), 30 units: the interval reaches well
    # above the ratio-estimator t interval, where that one missed the truth most
    b, a = _scenario("S2", 30, 2)
    res = reduction(before=b, after=a, n_resamples=9999, random_state=2019)
    assert_allclose(res.rate, 0.7182164409756088, rtol=1e-12)
    assert_allclose(res.rate_ci, (0.4464352219734392, 0.9899976599777781), rtol=1e-12)
    se = _ratio_se(b, a, res.rate)
    assert res.rate_ci[1] - res.rate > 1.2 * stats.t.ppf(0.975, 29) * se
