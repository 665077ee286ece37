"""Inference for paired before/after data: t and Wilcoxon tests, intervals for a ratio.

The functions take per-unit totals (NumPy arrays), never rows, so every data
path that can supply those totals shares them unchanged.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

#: Largest number of units for which ``rate_ci`` is a BCa bootstrap interval;
#: above it the analytic ratio-estimator (linearisation) interval is used.
BOOTSTRAP_MAX_UNITS = 1000
#: Below this many units the notes warn that ``rate_ci`` tends to be too narrow.
FEW_UNITS = 20

# R's t.test refuses data whose standard error is below this multiple of
# machine epsilon times |mean| ("data are essentially constant").
_CONSTANT_TOL = 10 * np.finfo(np.float64).eps
# Significant digits kept when zero and tied differences are identified
# for the Wilcoxon test (see the Notes of `evalkit.reduction()`).
_WILCOXON_DIGITS = 12


def paired_t(d, confidence):
    """Mean of ``d``, its t interval, t, df, two-sided p and mean/SD, as R's t.test."""
    from scipy import stats  # imported when needed: keeps `import evalkit` light

    nan = math.nan
    n = d.size
    mean = float(d.mean())
    if n < 2:
        return mean, (nan, nan), nan, nan, nan, nan
    df = float(n - 1)
    sd = float(d.std(ddof=1))
    se = sd / math.sqrt(n)
    if se <= _CONSTANT_TOL * abs(mean) or sd == 0:
        return mean, (nan, nan), nan, df, nan, nan
    t = mean / se
    p = float(2 * stats.t.sf(abs(t), df))
    half = float(stats.t.ppf((1 + confidence) / 2, df)) * se
    return mean, (mean - half, mean + half), float(t), df, p, mean / sd


def wilcoxon_signed_rank(d):
    """R-style Wilcoxon signed-rank test of ``d``: (V, p, note)."""
    from scipy import stats

    nan = math.nan
    if d.size < 2:
        return nan, nan, ""
    scale = float(np.abs(d).max())
    if scale == 0:
        return nan, nan, "All per-unit differences are 0: the Wilcoxon test is NaN."
    # Round relative to the largest difference (no overflow for tiny scales).
    d = np.round(d / scale, _WILCOXON_DIGITS - 1) * scale
    nz = d[d != 0]
    ties = np.unique(np.abs(nz)).size < nz.size
    zeros = nz.size < d.size
    exact = nz.size < 50 and not ties and not zeros
    method = "exact" if exact else "asymptotic"
    ranks = stats.rankdata(np.abs(nz))
    v = float(ranks[nz > 0].sum())
    res = stats.wilcoxon(nz, zero_method="wilcox", correction=True, method=method)
    how = (
        "exact distribution" if exact else "normal approximation with tie and continuity correction"
    )
    note = (
        "Wilcoxon: V = sum of ranks of positive differences, as R 4.0-4.5 wilcox.test(paired = "
        "TRUE, digits.rank = 12) but with differences rounded to 12 significant digits of the "
        f"largest; {d.size - nz.size} zero difference(s) dropped; {how}."
    )
    return v, float(res.pvalue), note


def rate_ci(ub, ua, rate, confidence, n_resamples, rng, random_state):
    """Interval for the aggregate rate: BCa bootstrap over units or ratio-estimator."""
    nan = math.nan
    n = ub.size
    if n < 2:
        return (nan, nan), "none: fewer than 2 units"
    tot_b, tot_a = ub.sum(), ua.sum()
    # Every unit has the same rate (a_i * B == b_i * A): every resample gives it.
    spread = np.abs(ua * tot_b - ub * tot_a).max()
    if spread <= 1e-12 * max(tot_a * np.abs(ub).max(), tot_b * np.abs(ua).max(), 1e-300):
        return (nan, nan), "none: every unit has the same rate, nothing varies between units"
    if n > BOOTSTRAP_MAX_UNITS:
        return _ratio_ci(ub, ua, rate, confidence), (
            f"ratio-estimator (linearisation) interval, t quantile with {n - 1} df; "
            f"{n} units > {BOOTSTRAP_MAX_UNITS}, the bootstrap limit"
        )
    n_zero = int((ub == 0).sum())
    if n_zero and n_resamples * (n_zero / n) ** n > 1e-9:
        return _ratio_ci(ub, ua, rate, confidence), (
            f"ratio-estimator (linearisation) interval, t quantile with {n - 1} df; "
            f"bootstrap not used because resamples made only of the {n_zero} unit(s) "
            "with before = 0 would have no baseline"
        )
    ci = _bootstrap_rate_ci(ub, ua, confidence, n_resamples, rng)
    if ci is None:
        return _ratio_ci(ub, ua, rate, confidence), (
            f"ratio-estimator (linearisation) interval, t quantile with {n - 1} df; "
            "the BCa bootstrap could not be computed (degenerate resamples or too few of them)"
        )
    return ci, f"BCa bootstrap over units, {n_resamples} resamples, {_seed_text(random_state)}"


def _seed_text(random_state):
    """How ``random_state`` is shown in notes: no memory address, the same in every run."""
    if isinstance(random_state, (int, np.integer)):
        return f"random_state={int(random_state)}"
    if random_state is None:
        return "random_state=None (not reproducible)"
    if isinstance(random_state, (np.random.Generator, np.random.BitGenerator)):
        return f"random_state: a numpy {type(random_state).__name__}"
    if isinstance(random_state, np.random.SeedSequence):
        return f"random_state: a numpy SeedSequence (entropy {random_state.entropy})"
    return f"random_state={random_state!r}"


def _ratio_ci(ub, ua, rate, confidence):
    """Linearisation interval for R = sum(d) / sum(b) (Cochran 1977, ch. 6), t with n - 1 df."""
    from scipy import stats

    n = ub.size
    resid = (ub - ua) - rate * ub
    var = float((resid**2).sum()) / ((n - 1) * n * float(ub.mean()) ** 2)
    se = math.sqrt(var)
    if se <= _CONSTANT_TOL * max(abs(rate), 1.0):
        return (math.nan, math.nan)
    q = float(stats.t.ppf((1 + confidence) / 2, n - 1))
    return (float(rate - q * se), float(min(rate + q * se, 1.0)))


def _bootstrap_rate_ci(ub, ua, confidence, n_resamples, rng):
    """BCa bootstrap interval for the rate, or None when degenerate."""
    from scipy import stats

    order = np.lexsort((ua, ub))  # fixed unit order: the interval ignores row order
    b, a = ub[order], ua[order]

    def statistic(b, a, axis=-1):
        with np.errstate(divide="ignore", invalid="ignore"):
            return 1.0 - a.sum(axis=axis) / b.sum(axis=axis)

    batch = max(1, 4_000_000 // b.size)
    # A degenerate bootstrap distribution makes scipy warn and return NaN;
    # here it is turned into the analytic fall-back instead.
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("error", stats.DegenerateDataWarning)
        try:
            res = stats.bootstrap(
                (b, a),
                statistic,
                n_resamples=int(n_resamples),
                batch=batch,
                vectorized=True,
                paired=True,
                confidence_level=confidence,
                method="BCa",
                rng=rng,
            )
        except (RuntimeWarning, stats.DegenerateDataWarning):
            return None
    low, high = float(res.confidence_interval.low), float(res.confidence_interval.high)
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    return (low, high)
