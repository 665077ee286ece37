"""Tests of evalkit.stats.reduction against R output, scipy, statsmodels and hand formulas."""

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats
from statsmodels.stats.weightstats import DescrStatsW

from evalkit.errors import EvalkitError
from evalkit.stats.reduction import BOOTSTRAP_MAX_UNITS, FEW_UNITS, ReductionResult, reduction

# R's `sleep` data set (Cushny & Peebles via Student 1908), extra hours of sleep
# of 10 patients under drug 1 (group 1) and drug 2 (group 2).
SLEEP_G1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_G2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
# reduction() refuses negative quantities; adding the same 5 hours to both sides
# leaves every paired difference, hence every paired statistic, unchanged.
SHIFT = 5.0

# R's ?wilcox.test example (Hollander & Wolfe 1973, p. 29): depression scale
# at the first (x) and second (y) visit.
HW_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
HW_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]


def _pnorm(z):
    """R's pnorm(z), accurate in the tails (through erfc, not 1 - cdf)."""
    return 0.5 * math.erfc(-z / math.sqrt(2))


def _average_ranks(x):
    """Ranks 1..n, ties given the mean of the ranks they span (R's rank(), ties = "average")."""
    x = np.asarray(x, dtype=float)
    order = np.argsort(x, kind="stable")
    ranks = np.empty(x.size)
    i = 0
    while i < x.size:
        j = i
        while j + 1 < x.size and x[order[j + 1]] == x[order[i]]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def _signif(x, digits):
    """R's signif(x, digits): each value to its own ``digits`` significant digits."""
    return np.array([float(f"{v:.{digits - 1}e}") for v in x])


def r_wilcox_paired(x, y, digits_rank=math.inf):
    """R's wilcox.test(x, y, paired = TRUE) (correct = TRUE, exact = NULL), written out.

    Follows wilcox.test.default in R's src/library/stats/R/wilcox.test.R, R 4.0 to 4.5
    (R 4.6.0 added exact conditional p-values with ties and zeros; evalkit keeps 4.5's):
    zeros found and dropped first, ranks of |d| (of signif(d, digits.rank) when
    finite), V = sum of ranks of positive d; exact distribution when n < 50 and
    neither ties nor zeros, else the normal approximation with tie-corrected
    variance and continuity correction sign(z) / 2. Returns (V, two-sided p, how).
    The exact distribution is found by enumerating all 2^n sign vectors.
    """
    d = np.subtract(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    zeroes = bool((d == 0).any())
    d = d[d != 0]
    n = d.size
    key = np.abs(d if math.isinf(digits_rank) else _signif(d, digits_rank))
    r = _average_ranks(key)
    v = float(r[d > 0].sum())
    ties = np.unique(r).size != r.size
    if n < 50 and not ties and not zeroes:
        # V over every assignment of signs to the ranks 1..n (all equally likely under H0)
        signs = (np.arange(2**n)[:, None] >> np.arange(n)) & 1
        null_v = signs @ np.arange(1, n + 1)
        if v > n * (n + 1) / 4:
            p = np.mean(null_v >= v)  # psignrank(V - 1, n, lower.tail = FALSE)
        else:
            p = np.mean(null_v <= v)  # psignrank(V, n)
        return v, min(2 * p, 1.0), "exact"
    _, nties = np.unique(r, return_counts=True)
    z = v - n * (n + 1) / 4
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - np.sum(nties**3 - nties) / 48)
    z = (z - np.sign(z) * 0.5) / sigma
    p = 2 * min(_pnorm(z), _pnorm(-z))
    return v, p, "normal"


def sleep_result(**kwargs):
    return reduction(
        before=np.add(SLEEP_G1, SHIFT), after=np.add(SLEEP_G2, SHIFT), random_state=1, **kwargs
    )


def frame(rng, n_units=6, n_months=4):
    """Department x month frame with known structure."""
    months = pd.period_range("2019-04", periods=n_months, freq="M")
    rows = []
    for u in range(n_units):
        for m in months:
            before = float(rng.integers(20, 60))
            rows.append((m, f"dept{u}", before, float(rng.integers(0, int(before) + 1))))
    return pd.DataFrame(rows, columns=["month", "department", "hours_before", "hours_after"])


# ---------------------------------------------------------------------------
# paired t-test and t interval: R's published output for the sleep data


def test_paired_t_matches_r_sleep():
    # R: t.test(extra ~ group, data = sleep, paired = TRUE)
    #   t = -4.0621, df = 9, p-value = 0.002833
    #   95 percent confidence interval: -2.4598858 -0.7001142
    #   mean difference -1.58
    res = sleep_result()
    assert_allclose(res.t_statistic, -4.0621, atol=5e-5)
    assert res.t_df == 9
    assert_allclose(res.t_pvalue, 0.002833, atol=5e-7)
    assert_allclose(res.mean_saved, -1.58, rtol=1e-12)
    assert_allclose(res.mean_saved_ci, (-2.4598858, -0.7001142), atol=5e-8)


def test_cohens_dz_by_hand_sleep():
    # hand formula: mean(d) / sd(d, ddof = 1)
    d = np.subtract(SLEEP_G1, SLEEP_G2)
    assert_allclose(sleep_result().cohens_dz, d.mean() / d.std(ddof=1), rtol=1e-12)


def test_paired_t_matches_scipy_ttest_rel(rng):
    b = rng.gamma(3, 10, 40)
    a = b * rng.uniform(0.2, 1.1, 40)
    res = reduction(before=b, after=a, random_state=0)
    ref = stats.ttest_rel(b, a)  # scipy.stats.ttest_rel(before, after)
    assert_allclose(res.t_statistic, ref.statistic, rtol=1e-12)
    assert_allclose(res.t_pvalue, ref.pvalue, rtol=1e-10)
    assert res.t_df == ref.df
    lo, hi = ref.confidence_interval(0.9)
    res90 = reduction(before=b, after=a, confidence=0.9, random_state=0)
    assert_allclose(res90.mean_saved_ci, (lo, hi), rtol=1e-12)


# ---------------------------------------------------------------------------
# Wilcoxon signed-rank test


def test_r_algorithm_written_out_reproduces_r_printed_output():
    # The test's own R algorithm against R's printed output (see the two tests below).
    v, p, how = r_wilcox_paired(SLEEP_G1, SLEEP_G2)
    assert (v, how) == (0, "normal") and abs(p - 0.009091) < 5e-7
    v, p, how = r_wilcox_paired(HW_X, HW_Y)
    assert (v, how) == (40, "exact") and abs(p / 2 - 0.01953) < 5e-6


def test_wilcoxon_matches_r_sleep_with_zero_and_ties():
    # R (4.5 and earlier): wilcox.test(extra ~ group, data = sleep, paired = TRUE)
    #   V = 0, p-value = 0.009091 (with warnings: cannot compute exact p-value
    #   with ties / with zeroes; normal approximation with continuity correction)
    res = sleep_result()
    assert res.wilcoxon_statistic == 0
    assert_allclose(res.wilcoxon_pvalue, 0.009091, atol=5e-7)
    assert any("1 zero difference(s) dropped" in line for line in res._notes())
    # R's algorithm written out gives the unrounded value
    assert_allclose(res.wilcoxon_pvalue, r_wilcox_paired(SLEEP_G1, SLEEP_G2)[1], rtol=1e-12)


def test_wilcoxon_matches_r_exact_example():
    # R ?wilcox.test: wilcox.test(x, y, paired = TRUE, alternative = "greater")
    #   V = 40, p-value = 0.01953; exact, so the two-sided p is 2 * 10 / 512.
    res = reduction(before=HW_X, after=HW_Y, random_state=1)
    assert res.wilcoxon_statistic == 40
    assert_allclose(res.wilcoxon_pvalue, 2 * 10 / 512, rtol=1e-12)
    assert any("exact distribution" in line for line in res._notes())


def test_wilcoxon_large_sample_matches_r_algorithm(rng):
    # n = 80 >= 50: R's normal approximation with continuity correction (written out above)
    b = rng.gamma(3, 10, 80)
    a = b * rng.uniform(0.3, 1.2, 80)
    res = reduction(before=b, after=a, random_state=0)
    v, p, how = r_wilcox_paired(b, a)
    assert how == "normal"
    assert_allclose(res.wilcoxon_statistic, v, rtol=1e-12)
    assert_allclose(res.wilcoxon_pvalue, p, rtol=1e-10)


def test_wilcoxon_exact_small_sample_matches_enumeration(rng):
    # 12 distinct non-zero whole-hour differences: R's exact p from all 2^12 sign vectors
    b = rng.integers(50, 100, 12).astype(float)
    d = rng.choice(np.r_[-15:0, 1:40], size=12, replace=False)
    a = b - d
    res = reduction(before=b, after=a, random_state=0)
    v, p, how = r_wilcox_paired(b, a)
    assert how == "exact" and any("exact distribution" in line for line in res._notes())
    assert res.wilcoxon_statistic == v
    assert_allclose(res.wilcoxon_pvalue, p, rtol=1e-12)


def test_wilcoxon_ties_and_zeros_match_r_algorithm(rng):
    # whole hours: many ties and some zero differences, n < 50 -> normal approximation
    b = rng.integers(5, 15, 30).astype(float)
    a = b - rng.integers(-2, 4, 30)
    res = reduction(before=b, after=a, random_state=0)
    v, p, how = r_wilcox_paired(b, a)
    assert how == "normal"
    assert res.wilcoxon_statistic == v
    assert_allclose(res.wilcoxon_pvalue, p, rtol=1e-12)


def test_wilcoxon_treats_decimal_ties_as_ties():
    # 10.3 - 10.0 and 5.3 - 5.0 differ in binary but are the same 0.3 hours: tied,
    # as R wilcox.test(before, after, paired = TRUE, digits.rank = 12) sees them.
    before = [10.3, 5.3, 8.0, 7.5, 9.9]
    after = [10.0, 5.0, 6.0, 7.0, 9.0]
    res = reduction(before=before, after=after, random_state=1)
    v, p, how = r_wilcox_paired(before, after, digits_rank=12)
    assert how == "normal"  # the tie rules out the exact distribution
    assert res.wilcoxon_statistic == v == 15  # every difference positive: 1.5+1.5+3+4+5
    assert_allclose(res.wilcoxon_pvalue, p, rtol=1e-12)
    # R's default digits.rank = Inf sees no tie and uses the exact distribution
    v_inf, p_inf, how_inf = r_wilcox_paired(before, after)
    assert how_inf == "exact" and v_inf == 15 and p_inf == 2 / 32
    assert not math.isclose(res.wilcoxon_pvalue, p_inf)


# ---------------------------------------------------------------------------
# totals, rates, per-unit and per-period sums: hand formulas and pandas


def test_totals_and_rates_by_hand(rng):
    df = frame(rng)
    res = reduction(df, before="hours_before", after="hours_after", unit="department")
    tb, ta = df["hours_before"].sum(), df["hours_after"].sum()
    assert_allclose([res.total_before, res.total_after, res.saved], [tb, ta, tb - ta])
    assert_allclose(res.rate, (tb - ta) / tb, rtol=1e-12)
    g = df.groupby("department")[["hours_before", "hours_after"]].sum()
    assert_allclose(res.mean_unit_rate, (1 - g["hours_after"] / g["hours_before"]).mean())
    assert res.n == 6


def test_mean_unit_rate_interval_capped_at_1():
    # Hand arithmetic: unit rates 1, 0.9, 1; mean 29/30; sd = sqrt(1/300), se = 1/30;
    # t quantile with 2 df in closed form: (2p - 1) / sqrt(2 p (1 - p)), p = 0.975.
    res = reduction(before=[10, 10, 10], after=[0, 1, 0], random_state=1)
    q = 0.95 / math.sqrt(2 * 0.975 * 0.025)
    assert_allclose(res.mean_unit_rate, 29 / 30, rtol=1e-12)
    assert_allclose(res.mean_unit_rate_ci[0], (29 - q) / 30, rtol=1e-12)
    assert (29 + q) / 30 > 1.1  # the uncapped t bound
    assert res.mean_unit_rate_ci[1] == 1.0
    s = res.summary().set_index("metric")
    assert s.loc["mean_unit_rate", "ci_high"] == 1.0


def test_mean_unit_rate_interval_is_a_one_sample_t_interval(rng):
    df = frame(rng)
    res = reduction(df, before="hours_before", after="hours_after", unit="department")
    g = df.groupby("department")[["hours_before", "hours_after"]].sum()
    rates = 1 - g["hours_after"] / g["hours_before"]
    # scipy: one-sample t interval, as R t.test(rates)$conf.int
    ref = stats.ttest_1samp(rates, 0.0).confidence_interval(confidence_level=0.95)
    assert_allclose(res.mean_unit_rate_ci, (ref.low, ref.high), rtol=1e-12)
    s = res.summary().set_index("metric")
    assert_allclose(
        s.loc["mean_unit_rate", ["ci_low", "ci_high"]].to_numpy(float), res.mean_unit_rate_ci
    )


def test_per_unit_equals_pandas_groupby(rng):
    df = frame(rng).sample(frac=1, random_state=3)  # shuffled rows
    res = reduction(df, before="hours_before", after="hours_after", unit="department")
    g = df.groupby("department")[["hours_before", "hours_after"]].sum()  # pandas reference
    assert list(res.per_unit.columns) == ["unit", "before", "after", "saved", "rate"]
    assert list(res.per_unit["unit"]) == list(g.index)  # sorted by label
    assert_allclose(res.per_unit["before"], g["hours_before"])
    assert_allclose(res.per_unit["after"], g["hours_after"])
    assert_allclose(res.per_unit["saved"], g["hours_before"] - g["hours_after"])
    # the unit-level t-test runs over the summed units (scipy reference)
    ref = stats.ttest_rel(g["hours_before"], g["hours_after"])
    assert_allclose(res.t_statistic, ref.statistic, rtol=1e-12)


def test_per_period_and_monthly_average(rng):
    df = frame(rng, n_units=5, n_months=12)
    df = df.drop(index=[3, 17])  # two departments without a row in one month each
    res = reduction(
        df,
        before="hours_before",
        after="hours_after",
        unit="department",
        period="month",
        period_ci="periods",
    )
    g = df.groupby("month")[["hours_before", "hours_after"]].sum()  # pandas reference
    saved = g["hours_before"] - g["hours_after"]
    assert list(res.per_period.columns) == ["period", "before", "after", "saved", "n_units"]
    assert list(res.per_period["period"]) == list(g.index)
    assert_allclose(res.per_period["saved"], saved)
    assert list(res.per_period["n_units"]) == list(df.groupby("month")["department"].nunique())
    assert res.n_periods == 12
    assert_allclose(res.mean_saved_per_period, saved.mean())
    # statsmodels DescrStatsW(x).tconfint_mean(): t interval over the 12 months
    assert_allclose(res.mean_saved_per_period_ci, DescrStatsW(saved).tconfint_mean(0.05))
    row = res.summary().set_index("metric").loc["mean_saved_per_period"]
    assert row["unit"] == "hours/month"


def test_periods_kept_as_given_and_sorted():
    before, after = [5, 6, 7, 8], [1, 2, 3, 4]
    text = reduction(
        before=before, after=after, period=["2019-05", "2019-04", "2019-06", "2019-04"]
    )
    assert list(text.per_period["period"]) == ["2019-04", "2019-05", "2019-06"]
    assert_allclose(text.per_period["saved"], [8, 4, 4])
    assert list(text.per_period["n_units"]) == [2, 1, 1]  # each row a unit
    assert text.summary().set_index("metric").loc["mean_saved_per_period", "unit"] == "hours/month"
    stamps = pd.to_datetime(["2019-05-01", "2019-04-01", "2019-06-01", "2019-04-01"])
    ts = reduction(before=before, after=after, period=stamps)
    assert list(ts.per_period["period"]) == list(
        pd.to_datetime(["2019-04-01", "2019-05-01", "2019-06-01"])
    )
    assert ts.summary().set_index("metric").loc["mean_saved_per_period", "unit"] == "hours/period"


def test_units_without_unit_are_row_numbers():
    df = pd.DataFrame({"b": [4.0, 6.0, 5.0], "a": [1.0, 2.0, 5.0]})
    res = reduction(df, before="b", after="a")
    assert list(res.per_unit["unit"]) == [2, 3, 4]  # spreadsheet rows (header = row 1)
    arr = reduction(before=[4.0, 6.0, 5.0], after=[1.0, 2.0, 5.0])
    assert list(arr.per_unit["unit"]) == [1, 2, 3]


def test_zero_before_units_left_out_of_mean_unit_rate():
    res = reduction(before=[10, 20, 0, 30, 40], after=[5, 5, 2, 10, 10], unit=list("abcde"))
    assert math.isnan(res.per_unit.set_index("unit").loc["c", "rate"])
    assert_allclose(res.mean_unit_rate, np.mean([0.5, 0.75, 2 / 3, 0.75]))
    assert_allclose(res.rate, (100 - 32) / 100)  # the zero-before unit counts in the rate
    assert any("1 unit(s) with before = 0" in line for line in res._notes())


def test_measure_names_units_in_summary():
    res = reduction(before=[100, 200, 300], after=[50, 60, 90], measure="yen")
    s = res.summary().set_index("metric")
    assert s.loc["saved", "unit"] == "yen"
    assert s.loc["mean_saved", "unit"] == "yen/unit"
    assert s.loc["rate", "unit"] == "ratio"


# ---------------------------------------------------------------------------
# rate interval


def test_ratio_estimator_interval_by_hand(rng):
    n = BOOTSTRAP_MAX_UNITS + 500
    b = rng.gamma(2, 20, n)
    a = b * rng.uniform(0.1, 0.9, n)
    res = reduction(before=b, after=a)
    # Cochran (1977, ch. 6) ratio estimate R = sum(y) / sum(x), y = b - a, x = b, no fpc:
    # v(R) = sum((y_i - R x_i)^2) / ((n - 1) n xbar^2); interval R +- t_{n-1} sqrt(v).
    y, x = b - a, b
    r = y.sum() / x.sum()
    v = np.sum((y - r * x) ** 2) / ((n - 1) * n * x.mean() ** 2)
    q = stats.t.ppf(0.975, n - 1)
    assert_allclose(res.rate_ci, (r - q * np.sqrt(v), r + q * np.sqrt(v)), rtol=1e-10)
    assert res.rate_ci_method.startswith("ratio-estimator")
    assert f"t quantile with {n - 1} df" in res.rate_ci_method


def test_ratio_estimator_interval_small_n_uses_t_by_hand():
    # Hand arithmetic: b = (0, 10), a = (3, 4): R = (10 - 7) / 10 = 0.3, d = (-3, 6),
    # d - R b = (-3, 3), v = 18 / (1 * 2 * 5^2) = 0.36, se = 0.6. With 1 df the t
    # quantile is the Cauchy one, tan(pi (0.975 - 1/2)) = 12.7062...; the upper bound
    # is capped at 1.
    res = reduction(before=[0, 10], after=[3, 4], random_state=1)
    assert res.rate_ci_method.startswith("ratio-estimator (linearisation) interval, t quantile")
    q = math.tan(math.pi * 0.475)
    assert_allclose(res.rate_ci, (0.3 - q * 0.6, 1.0), rtol=1e-12)


def test_few_units_note_warns_about_narrow_intervals(rng):
    b = rng.gamma(2, 20, FEW_UNITS - 1)
    a = b * rng.uniform(0.1, 0.9, b.size)
    few = reduction(before=b, after=a, target=0.5, random_state=1)
    warn = [line for line in few._notes() if "tend to be too narrow" in line]
    # Kish's effective number (sum b)^2 / sum b^2, by hand; below FEW_UNITS here
    n_eff = b.sum() ** 2 / (b**2).sum()
    assert len(warn) == 1 and f"Effective number of units {n_eff:.1f}" in warn[0]
    assert "'confidently met' with care" in warn[0]
    b2 = np.full(FEW_UNITS, 30.0)  # equal baselines: n_effective = n = FEW_UNITS
    a2 = b2 * rng.uniform(0.1, 0.9, b2.size)
    enough = reduction(before=b2, after=a2, random_state=1)
    assert_allclose(enough.n_effective, FEW_UNITS)
    assert not any("too narrow" in line for line in enough._notes())
    # no interval, no warning about it
    same = reduction(before=[10, 20, 40], after=[2, 4, 8], random_state=1)
    assert not any("too narrow" in line for line in same._notes())


def _symmetric_bootstrap_t_reference(b, a, confidence, n_resamples, seed):
    """Symmetric bootstrap-t interval of R = 1 - sum(a) / sum(b), written out (vectorised).

    Efron & Tibshirani (1993), 12.5 (bootstrap-t) in the symmetric form of Hall (1988,
    JRSS B 50, 35-45): |t*| = |R* - R| / se*, with se the ratio estimator's linearised
    SE, sqrt(sum (d_i - R b_i)^2 / (n (n - 1))) / mean(b) (Cochran 1977, 6.13, no
    fpc), on the sample and on each resample; q = the (B + 1 - k)-th smallest |t*|,
    k = floor((B + 1)(1 - confidence)) (Davison & Hinkley 1997, 5.2); R -+ q se, the
    upper bound capped at 1. Units sorted by (before, after), indices drawn in one call
    rng.integers(0, n, (B, n)) (evalkit's documented draw when B n <= 4,000,000).
    """
    order = np.lexsort((a, b))
    b, a = np.asarray(b, dtype=float)[order], np.asarray(a, dtype=float)[order]
    n = b.size
    assert n_resamples * n <= 4_000_000

    def rate_and_se(bb, aa):
        r = 1 - aa.sum(axis=-1) / bb.sum(axis=-1)
        resid = (bb - aa) - np.expand_dims(r, -1) * bb
        return r, np.sqrt((resid**2).sum(axis=-1) / (n * (n - 1))) / bb.mean(axis=-1)

    rate, se = rate_and_se(b, a)
    idx = np.random.default_rng(seed).integers(0, n, (n_resamples, n))
    r_star, se_star = rate_and_se(b[idx], a[idx])
    abs_t = np.sort(np.abs(r_star - rate) / se_star)
    k = round((n_resamples + 1) * (1 - confidence))  # a whole number for these B
    q = abs_t[n_resamples - k]
    return (rate - q * se, min(rate + q * se, 1.0))


def test_bootstrap_interval_reproducible_and_close_to_analytic(rng):
    n = 800
    b = rng.gamma(2, 20, n)
    a = b * rng.uniform(0.1, 0.9, n)
    res = reduction(before=b, after=a, random_state=7, n_resamples=1999)
    assert res.rate_ci_method == (
        "symmetric studentised bootstrap (bootstrap-t, quantile of |t|) over units, "
        "linearised SE, 1999 resamples, random_state=7"
    )
    again = reduction(before=b, after=a, random_state=7, n_resamples=1999)
    assert res.rate_ci == again.rate_ci
    ref = _symmetric_bootstrap_t_reference(b, a, 0.95, 1999, seed=7)
    assert_allclose(res.rate_ci, ref, rtol=1e-12)
    # reference: the ratio-estimator interval (hand formula above) for the same data
    y, x = b - a, b
    r = y.sum() / x.sum()
    se = np.sqrt(np.sum((y - r * x) ** 2) / ((n - 1) * n * x.mean() ** 2))
    assert_allclose(res.rate_ci, (r - 1.96 * se, r + 1.96 * se), atol=0.15 * 2 * 1.96 * se)


def test_bootstrap_with_zero_before_units_falls_back_to_analytic():
    # a resample made only of the zero-before unit (chance 1/4 each) has no baseline
    res = reduction(before=[0, 10], after=[3, 4], random_state=1)
    assert res.rate_ci_method.startswith("ratio-estimator")
    assert res.rate_ci[0] <= res.rate <= res.rate_ci[1]


# ---------------------------------------------------------------------------
# degenerate cases: NaN, never a warning (pytest turns warnings into errors)


def test_single_unit_gives_nan_tests():
    res = reduction(before=[10.0], after=[4.0])
    assert res.n == 1 and res.rate == 0.6 and res.mean_saved == 6
    for value in (res.t_statistic, res.t_pvalue, res.wilcoxon_pvalue, res.cohens_dz):
        assert math.isnan(value)
    assert all(math.isnan(x) for x in res.rate_ci + res.mean_saved_ci)
    assert res.rate_ci_method.startswith("none")


def test_equal_differences_give_nan_t_but_wilcoxon():
    res = reduction(before=[10, 12, 15, 20], after=[5, 7, 10, 15])
    assert math.isnan(res.t_statistic) and math.isnan(res.t_pvalue)
    assert math.isnan(res.cohens_dz)
    assert all(math.isnan(x) for x in res.mean_saved_ci)
    assert res.t_df == 3
    # all four differences tied at 5: R's normal approximation (algorithm written out above)
    v, p, how = r_wilcox_paired([10, 12, 15, 20], [5, 7, 10, 15])
    assert how == "normal"
    assert_allclose(res.wilcoxon_pvalue, p, rtol=1e-12)
    assert res.wilcoxon_statistic == v == 10


def test_all_zero_differences_give_nan_wilcoxon():
    res = reduction(before=[3, 4, 5], after=[3, 4, 5])
    assert res.rate == 0
    assert math.isnan(res.wilcoxon_statistic) and math.isnan(res.wilcoxon_pvalue)
    assert math.isnan(res.t_statistic)


def test_equal_unit_rates_give_nan_rate_ci():
    res = reduction(before=[10, 20, 40], after=[2, 4, 8], random_state=1)
    assert_allclose(res.rate, 0.8)
    assert all(math.isnan(x) for x in res.rate_ci)
    assert "same rate" in res.rate_ci_method


def test_single_period_gives_nan_period_ci():
    res = reduction(before=[3, 4], after=[1, 1], period=["2019-04", "2019-04"], period_ci="periods")
    assert res.n_periods == 1 and res.mean_saved_per_period == 5
    assert all(math.isnan(x) for x in res.mean_saved_per_period_ci)


def test_equal_saved_every_period_gives_nan_period_ci():
    res = reduction(
        before=[3, 5, 4],
        after=[1, 3, 2],
        period=["2019-04", "2019-05", "2019-06"],
        period_ci="periods",
    )
    assert res.mean_saved_per_period == 2
    assert all(math.isnan(x) for x in res.mean_saved_per_period_ci)
    assert any("same in every month" in line for line in res._notes())


def test_failed_bootstrap_falls_back_to_analytic():
    # one resample cannot give a BCa interval; scipy would warn, reduction() does not
    res = reduction(before=[10, 20, 30], after=[5, 12, 3], n_resamples=1, random_state=1)
    assert "could not be computed" in res.rate_ci_method
    assert res.rate_ci[0] <= res.rate <= res.rate_ci[1]


def test_unsortable_unit_labels_keep_first_appearance_order():
    units = pd.Series(
        [pd.Period("2019-04", "M"), pd.Period("2019", "Y"), pd.Period("2019-04", "M")]
    )
    res = reduction(before=[3, 4, 5], after=[1, 2, 3], unit=units)
    assert list(res.per_unit["unit"]) == [units[0], units[1]]
    assert_allclose(res.per_unit["before"], [8, 4])


def test_unit_seen_only_in_excluded_rows_is_not_a_unit():
    res = reduction(
        before=[3, 4, None, 6], after=[1, 2, 1, 2], unit=list("abcb"), missing="exclude"
    )
    assert list(res.per_unit["unit"]) == ["a", "b"]
    assert list(res.excluded["unit"]) == ["c"] and list(res.excluded["row"]) == [3]


def test_units_per_period_with_many_periods_and_units(rng):
    # 3,000 distinct units x 3,000 distinct periods: counted without a dense table
    n = 3000
    df = pd.DataFrame(
        {"u": np.arange(n), "p": np.arange(n), "b": rng.uniform(1, 2, n), "a": rng.uniform(0, 1, n)}
    )
    res = reduction(df, before="b", after="a", unit="u", period="p")
    assert res.n_periods == n and (res.per_period["n_units"] == 1).all()


# ---------------------------------------------------------------------------
# target


def test_target_on_rate(rng):
    b = rng.gamma(3, 10, 30)
    a = b * rng.uniform(0.05, 0.3, 30)
    res = reduction(before=b, after=a, target=0.5, random_state=2)
    assert res.target == 0.5 and res.target_metric == "rate"
    assert res.meets_target is (res.rate >= 0.5)
    assert res.meets_target_confidently is (res.rate_ci[0] >= 0.5)
    assert res.meets_target and res.meets_target_confidently
    high = reduction(before=b, after=a, target=res.rate_ci[0] + 1e-6, random_state=2)
    assert high.meets_target and not high.meets_target_confidently
    assert reduction(before=b, after=a).meets_target is None


def test_target_met_despite_floating_point_noise():
    # Hand arithmetic in decimals: saved = (2.4 - 0.48) + (7.1 - 1.42) = 7.6 of 9.5 hours,
    # exactly 80 %; binary floating point gives 0.7999999999999999.
    res = reduction(before=[2.4, 7.1], after=[0.48, 1.42], target=0.8, random_state=1)
    assert res.rate < 0.8 and math.isclose(res.rate, 0.8, rel_tol=1e-15)
    assert res.meets_target is True
    # within a relative 1e-9 of the target counts as equal; beyond it does not
    b = [10.0, 20.0, 40.0, 30.0]
    a = [2.0, 5.0, 8.0, 6.0]
    base = reduction(before=b, after=a, random_state=1)
    low = base.rate_ci[0]
    on_bound = reduction(before=b, after=a, target=low * (1 + 1e-12), random_state=1)
    assert on_bound.meets_target_confidently
    above = reduction(before=b, after=a, target=low + 2e-9, random_state=1)
    assert not above.meets_target_confidently
    assert reduction(before=b, after=a, target=base.rate + 5e-10, random_state=1).meets_target
    assert not reduction(before=b, after=a, target=base.rate + 2e-9, random_state=1).meets_target


def test_target_on_other_metrics(rng):
    df = frame(rng)
    kw = dict(before="hours_before", after="hours_after", unit="department", period="month")
    res = reduction(df, target=1.0, target_metric="mean_saved_per_period", **kw)
    assert res.meets_target is (res.mean_saved_per_period >= 1.0)
    assert res.meets_target_confidently is (res.mean_saved_per_period_ci[0] >= 1.0)
    unit_rate = reduction(df, target=0.1, target_metric="mean_unit_rate", **kw)
    assert unit_rate.meets_target is (unit_rate.mean_unit_rate >= 0.1)
    assert unit_rate.meets_target_confidently is (unit_rate.mean_unit_rate_ci[0] >= 0.1)
    s = res.summary().set_index("metric")
    assert s.loc["target", "value"] == 1.0 and s.loc["target", "unit"] == "hours/month"


def test_target_without_interval_is_not_confidently_met():
    res = reduction(before=[10, 20, 40], after=[2, 4, 8], target=0.8, random_state=1)
    assert res.meets_target is True and res.meets_target_confidently is False
    assert any("interval not available" in line for line in res._notes())
    per_unit = reduction(before=[10, 20, 40], after=[2, 5, 8], target=3, target_metric="mean_saved")
    assert per_unit.meets_target is (per_unit.mean_saved >= 3)
    assert per_unit.summary().set_index("metric").loc["target", "unit"] == "hours/unit"


# ---------------------------------------------------------------------------
# result object


def test_result_is_frozen_and_summary_is_tidy():
    res = sleep_result(target=0.1)
    assert isinstance(res, ReductionResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.rate = 0.5
    s = res.summary()
    assert list(s.columns) == ["metric", "value", "ci_low", "ci_high", "unit"]
    assert s["metric"].is_unique
    assert {"n", "rate", "mean_saved", "t_pvalue", "wilcoxon_pvalue", "target"} <= set(s["metric"])
    assert s.set_index("metric").loc["t_statistic", "unit"] == "t"
    text = str(res)
    assert "rate_ci: symmetric studentised bootstrap" in text and "Target 0.1 for rate" in text
    assert "<table" in res._repr_html_()


def test_rate_ci_note_shows_the_seed_without_memory_address():
    # four different unit rates: with two equal ones (2/10 and 8/40), 7 % of the
    # bootstrap-t's resamples would have se* = 0 and it would fall back to the analytic
    b, a = [10.0, 20.0, 40.0, 30.0], [2.0, 5.0, 7.0, 9.0]
    seeded = reduction(before=b, after=a, random_state=np.int64(7))
    assert seeded.rate_ci_method.endswith("9999 resamples, random_state=7")
    gen = reduction(before=b, after=a, random_state=np.random.default_rng(7))
    assert gen.rate_ci_method.endswith("random_state: a numpy Generator")
    assert "0x" not in str(gen) and "0x" not in gen._repr_html_()
    assert "not reproducible" in reduction(before=b, after=a).rate_ci_method


def test_caller_frame_not_mutated(rng):
    df = frame(rng)
    copy = df.copy()
    reduction(df, before="hours_before", after="hours_after", unit="department", period="month")
    pd.testing.assert_frame_equal(df, copy)


def test_missing_exclude_lists_rows():
    df = pd.DataFrame(
        {
            "dept": ["a", "b", "c", "d", "e"],
            "hours_before": [10.0, None, 8.0, None, 6.0],
            "hours_after": [4.0, 3.0, None, None, 2.0],
        }
    )
    res = reduction(df, before="hours_before", after="hours_after", missing="exclude")
    assert res.n == 2
    assert list(res.excluded["row"]) == [3, 4, 5]
    assert list(res.excluded["dept"]) == ["b", "c", "d"]
    assert list(res.excluded["reason"]) == [
        "hours_before missing",
        "hours_after missing",
        "hours_before and hours_after missing",
    ]
    assert any("3 row(s) excluded" in line for line in res._notes())
    full = reduction(df.iloc[[0, 4]], before="hours_before", after="hours_after")
    assert res.excluded.shape[0] == 3 and full.excluded.empty
    assert_allclose(res.rate, full.rate)


# ---------------------------------------------------------------------------
# bad input: every message names row, column and value


def check(exc, *parts):
    msg = str(exc.value)
    for part in parts:
        assert part in msg, (part, msg)


def test_error_missing_column():
    df = pd.DataFrame({"hours_before": [1.0], "hours_after": [0.5]})
    with pytest.raises(EvalkitError) as exc:
        reduction(df, before="hours_before", after="hours_afterr")
    check(exc, "column 'hours_afterr'", "column not found")


def test_error_non_numeric_names_file_row_column_value():
    df = pd.DataFrame({"hours_before": ["3", "4", "abc"], "hours_after": [1.0, 2.0, 3.0]})
    df.attrs["source"] = "work.csv"
    with pytest.raises(EvalkitError) as exc:
        reduction(df, before="hours_before", after="hours_after")
    check(exc, "work.csv", "row 4", "column 'hours_before'", "value 'abc'", "not a number")


def test_error_negative():
    with pytest.raises(EvalkitError) as exc:
        reduction(before=[3, 4, 5], after=[1, -2, 3])
    check(exc, "row 2", "column 'after'", "value -2", "negative")


def test_error_before_without_after():
    df = pd.DataFrame({"b": [3.0, 4.0, 5.0], "a": [1.0, 2.0, None]})
    with pytest.raises(EvalkitError) as exc:
        reduction(df, before="b", after="a")
    check(exc, "row 4", "column 'a'", "value nan", "b is given (5) but a is missing")


def test_error_after_without_before():
    with pytest.raises(EvalkitError) as exc:
        reduction(before=[3.0, "", 5.0], after=[1.0, 2.0, 3.0])
    check(exc, "row 2", "column 'before'", "value ''", "after is given (2) but before is missing")


def test_error_both_missing():
    with pytest.raises(EvalkitError) as exc:
        reduction(before=[3.0, None], after=[1.0, None])
    check(exc, "row 2", "column 'before'", "value None", "both before and after are missing")


def test_error_zero_total_baseline():
    with pytest.raises(EvalkitError) as exc:
        reduction(pd.DataFrame({"b": [0, 0], "a": [1, 0]}), before="b", after="a")
    check(exc, "column 'b'", "value 0.0", "total of b is 0")


def test_error_empty_data():
    with pytest.raises(EvalkitError) as exc:
        reduction(pd.DataFrame({"b": [], "a": []}), before="b", after="a")
    check(exc, "column 'b'", "no data rows")
    with pytest.raises(EvalkitError, match="no data rows"):
        reduction(before=[], after=[])


def test_error_all_rows_excluded():
    with pytest.raises(EvalkitError) as exc:
        reduction(before=[None, 1.0], after=[1.0, None], missing="exclude")
    check(exc, "column 'before'", "no rows left")


def test_error_mismatched_lengths():
    # the column named is the one holding the value that has no partner
    with pytest.raises(EvalkitError) as exc:
        reduction(before=[3, 4, 5], after=[1, 2])
    check(exc, "row 3", "column 'before'", "value 5", "before has 3 values but after has 2")
    with pytest.raises(EvalkitError) as exc:
        reduction(before=[3, 4], after=[1, 2], unit=["a", "b", "c"])
    check(exc, "row 3", "column 'unit'", "value 'c'", "unit has 3")
    with pytest.raises(EvalkitError) as exc:
        reduction(before=[3, 4], after=[1, 2, 7])
    check(exc, "row 3", "column 'after'", "value 7", "after has 3")


def test_error_missing_unit_label():
    df = pd.DataFrame({"dept": ["a", None, "b"], "b": [3, 4, 5], "a": [1, 2, 3]})
    with pytest.raises(EvalkitError) as exc:
        reduction(df, before="b", after="a", unit="dept")
    check(exc, "row 3", "column 'dept'", "value nan", "missing dept label")


def test_error_blank_period_label():
    df = pd.DataFrame({"month": ["2019-04", "2019-05", "  "], "b": [3, 4, 5], "a": [1, 2, 3]})
    with pytest.raises(EvalkitError) as exc:
        reduction(df, before="b", after="a", period="month")
    check(exc, "row 4", "column 'month'", "value '  '", "missing month label")


def test_error_mixed_period_kinds():
    periods = pd.Series([pd.Period("2019-04", "M"), pd.Period("2019-05", "M"), "2019-06"])
    with pytest.raises(EvalkitError) as exc:
        reduction(before=[3, 4, 5], after=[1, 2, 3], period=periods)
    check(exc, "row 3", "column 'period'", "value '2019-06'", "different kinds")


def test_error_column_name_without_data():
    with pytest.raises(EvalkitError, match="no data were given"):
        reduction(before="hours_before", after="hours_after")


@pytest.mark.parametrize(
    ("kwargs", "value", "reason"),
    [
        ({"confidence": 95}, "value 95", "strictly between 0 and 1"),
        ({"n_resamples": 0}, "value 0", "positive whole number"),
        ({"target": 80}, "value 80", "fraction at most 1"),
        ({"target": float("nan")}, "value nan", "finite number"),
        ({"target_metric": "median"}, "value 'median'", "target_metric="),
        ({"target": 5, "target_metric": "mean_saved_per_period"}, "value", "needs period="),
        ({"missing": "drop"}, "value 'drop'", "missing="),
        ({"random_state": "seed"}, "value 'seed'", "random_state="),
        ({"random_state": True}, "value True", "random_state="),
        ({"measure": ""}, "value ''", "measure="),
    ],
)
def test_error_bad_options(kwargs, value, reason):
    with pytest.raises(EvalkitError) as exc:
        reduction(before=[3, 4], after=[1, 2], **kwargs)
    check(exc, value, reason)


# ---------------------------------------------------------------------------
# properties (hypothesis); whole numbers keep sums exact whatever the order

_pairs = st.lists(
    st.tuples(
        st.integers(0, 500), st.integers(0, 500), st.sampled_from("abcdef"), st.integers(1, 4)
    ),
    min_size=2,
    max_size=25,
).filter(lambda rows: sum(r[0] for r in rows) > 0)
_fast = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _run(rows, **kwargs):
    b, a, u, p = (list(x) for x in zip(*rows, strict=True))
    p = [f"2019-{m:02d}" for m in p]
    return reduction(before=b, after=a, unit=u, period=p, n_resamples=99, random_state=5, **kwargs)


@_fast
@given(_pairs, st.randoms(use_true_random=False))
def test_property_row_order_does_not_matter(rows, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    r1, r2 = _run(rows), _run(shuffled)
    for name in ("total_before", "saved", "rate", "mean_unit_rate", "mean_saved_per_period"):
        assert_allclose(getattr(r1, name), getattr(r2, name), rtol=1e-12)
    assert_allclose(r1.rate_ci, r2.rate_ci, rtol=1e-12)
    assert_allclose(r1.t_pvalue, r2.t_pvalue, rtol=1e-12)
    assert_allclose(r1.wilcoxon_pvalue, r2.wilcoxon_pvalue, rtol=1e-12)
    pd.testing.assert_frame_equal(r1.per_unit, r2.per_unit)
    pd.testing.assert_frame_equal(r1.per_period, r2.per_period)


@_fast
@given(_pairs, st.sampled_from([0.001, 0.5, 3.0, 60.0, 1e6]))
def test_property_scaling_leaves_rate_unchanged(rows, factor):
    scaled = [(b * factor, a * factor, u, p) for b, a, u, p in rows]
    r1, r2 = _run(rows), _run(scaled)
    assert_allclose(r2.rate, r1.rate, rtol=1e-9, atol=1e-12)
    assert_allclose(r2.mean_unit_rate, r1.mean_unit_rate, rtol=1e-9, atol=1e-12)
    assert_allclose(r2.saved, r1.saved * factor, rtol=1e-9)


@_fast
@given(_pairs)
def test_property_each_interval_contains_its_estimate(rows):
    res = _run(rows)
    for est, ci in (
        (res.rate, res.rate_ci),
        (res.mean_saved, res.mean_saved_ci),
        (res.mean_saved_per_period, res.mean_saved_per_period_ci),
    ):
        if not math.isnan(ci[0]):
            assert ci[0] <= est <= ci[1]


@_fast
@given(
    st.lists(st.tuples(st.floats(0, 1e6), st.floats(0, 1)), min_size=1, max_size=30).filter(
        lambda rows: sum(b for b, _ in rows) > 0
    )
)
def test_property_rate_between_0_and_1_when_after_at_most_before(rows):
    before = [b for b, _ in rows]
    after = [b * f for b, f in rows]  # 0 <= after <= before
    res = reduction(before=before, after=after, n_resamples=99, random_state=1)
    assert 0 <= res.rate <= 1
    assert 0 <= res.mean_unit_rate <= 1


def test_periods_window_counts_empty_periods_as_zero():
    df = pd.DataFrame(
        {
            "month": ["2019-04", "2019-04", "2019-06", "2019-07"],
            "unit": ["a", "b", "a", "b"],
            "before": [10.0, 6.0, 8.0, 4.0],
            "after": [4.0, 5.0, 2.0, 4.0],
        }
    )
    window = ["2019-04", "2019-05", "2019-06", "2019-07"]
    res = reduction(
        df,
        before="before",
        after="after",
        unit="unit",
        period="month",
        periods=window,
        random_state=0,
        period_ci="periods",
    )
    # by hand: saved per month 7, 0 (no rows in May), 6, 0 -> mean 13 / 4
    assert res.per_period["period"].tolist() == window
    assert_allclose(res.per_period["saved"], [7.0, 0.0, 6.0, 0.0])
    assert res.per_period["n_units"].tolist() == [2, 0, 1, 1]
    assert res.n_periods == 4
    assert_allclose(res.mean_saved_per_period, 13 / 4)
    # scipy: one-sample t interval over the four monthly figures
    ref = stats.ttest_1samp([7.0, 0.0, 6.0, 0.0], 0.0).confidence_interval(0.95)
    assert_allclose(res.mean_saved_per_period_ci, (ref.low, ref.high))
    # without the window, May is absent and the mean is over three months
    absent = reduction(df, before="before", after="after", unit="unit", period="month")
    assert_allclose(absent.mean_saved_per_period, 13 / 3)


def test_periods_window_errors_name_row_column_value():
    df = pd.DataFrame({"month": ["2019-04", "2019-05"], "before": [2.0, 3.0], "after": [1.0, 1.0]})
    with pytest.raises(EvalkitError) as err:
        reduction(df, before="before", after="after", period="month", periods=["2019-04"])
    assert str(err.value).startswith("row 3, column 'month', value '2019-05': period not among")
    with pytest.raises(EvalkitError, match="periods= lists a period twice"):
        reduction(
            df,
            before="before",
            after="after",
            period="month",
            periods=["2019-04", "2019-04", "2019-05"],
        )
    with pytest.raises(EvalkitError, match="periods= needs period="):
        reduction(df, before="before", after="after", periods=["2019-04"])
    with pytest.raises(EvalkitError, match="periods= must be a list"):
        reduction(df, before="before", after="after", period="month", periods="2019-04")
