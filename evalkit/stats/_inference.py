"""Inference for paired before/after data: t and Wilcoxon tests, intervals for a ratio.

The functions take per-unit totals (NumPy arrays), never rows, so every data
path that can supply those totals shares them unchanged.
"""

from __future__ import annotations

import math

import numpy as np

from ._resampling import on_grid, seed_text

#: Largest number of units for which ``rate_ci`` is a bootstrap-t interval;
#: above it the analytic ratio-estimator (linearisation) interval is used.
BOOTSTRAP_MAX_UNITS = 1000
#: Below this many units the notes warn that ``rate_ci`` tends to be too narrow.
FEW_UNITS = 20

#: How ``rate_ci_method`` names the bootstrap interval (followed by the resamples
#: and the seed).
BOOTSTRAP_T_TEXT = (
    "symmetric studentised bootstrap (bootstrap-t, quantile of |t|) over units, linearised SE"
)

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
    """Interval for the aggregate rate: symmetric bootstrap-t over units, or ratio-estimator.

    ``ub``, ``ua``: per-unit totals (float arrays); ``rate``: the estimate
    ``1 - sum(ua) / sum(ub)``; ``rng``: the generator the resamples are drawn
    from; ``random_state``: what the caller seeded it with, for the text.
    Returns ``((low, high), method_text)``. Up to :data:`BOOTSTRAP_MAX_UNITS`
    units: the symmetric studentised bootstrap (see
    :func:`_bootstrap_t_rate_ci`; chosen by the coverage simulation in
    validation/README.md); above, or when the bootstrap cannot be used, the
    ratio-estimator (linearisation) interval with a t quantile.
    """
    nan = math.nan
    n = ub.size
    if n < 2:
        return (nan, nan), "none: fewer than 2 units"
    tot_b, tot_a = ub.sum(), ua.sum()
    # Every unit has the same rate (a_i * B == b_i * A): every resample gives it.
    spread = np.abs(ua * tot_b - ub * tot_a).max()
    if spread <= 1e-12 * max(tot_a * np.abs(ub).max(), tot_b * np.abs(ua).max(), 1e-300):
        return (nan, nan), "none: every unit has the same rate, nothing varies between units"
    analytic = f"ratio-estimator (linearisation) interval, t quantile with {n - 1} df; "
    if n > BOOTSTRAP_MAX_UNITS:
        return _ratio_ci(ub, ua, rate, confidence), (
            analytic + f"{n} units > {BOOTSTRAP_MAX_UNITS}, the bootstrap limit"
        )
    n_zero = int((ub == 0).sum())
    if n_zero and n_resamples * (n_zero / n) ** n > 1e-9:
        return _ratio_ci(ub, ua, rate, confidence), (
            analytic + f"bootstrap not used because resamples made only of the {n_zero} "
            "unit(s) with before = 0 would have no baseline"
        )
    ci = _bootstrap_t_rate_ci(ub, ua, confidence, n_resamples, rng)
    if ci is None:
        return _ratio_ci(ub, ua, rate, confidence), (
            analytic + "the bootstrap-t could not be computed (degenerate resamples or too "
            "few of them)"
        )
    return ci, f"{BOOTSTRAP_T_TEXT}, {n_resamples} resamples, {seed_text(random_state)}"


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


def _bootstrap_t_rate_ci(ub, ua, confidence, n_resamples, rng):
    """Symmetric studentised bootstrap (bootstrap-t) interval for the rate, or None.

    Units are put in a fixed order so that the interval does not depend on
    row order: sorted by before, then after, each rounded to 36 significant
    bits of the largest (:func:`~evalkit.stats._resampling.on_grid`), so
    that totals added in another order sort the same; units tied there keep
    the order given (sorted labels). Resamples of ``n`` units are drawn
    with replacement, ``m = max(1, 4_000_000 // n)`` at a time, each batch as
    ``rng.integers(0, n, size=(m, n))`` (so that memory stays bounded). For
    each resample, with :math:`Q^* = \\sum a^*_i / \\sum b^*_i` and
    :math:`R^* = 1 - Q^*`, the linearised standard error is

    .. math:: se^* = \\sqrt{\\textstyle\\sum (a^*_i - Q^* b^*_i)^2 / (n (n - 1))} / \\bar b^*

    (Cochran's ratio-estimator variance; :math:`a_i - Q b_i = -(d_i - R b_i)`)
    and :math:`|t^*| = |R^* - \\hat R| / se^*`. With :math:`k = \\lfloor (B + 1)
    \\alpha \\rfloor` for :math:`B` resamples and :math:`\\alpha = 1 -`
    confidence, :math:`q` is the :math:`(B + 1 - k)`-th smallest :math:`|t^*|`
    and the interval is :math:`\\hat R \\pm q\\, se`, its upper bound capped at 1
    (Hall 1988; Davison and Hinkley 1997, sec. 5.2). A resample whose
    :math:`se^*` is zero up to rounding (all its units have the same rate) or
    that has no baseline counts as :math:`|t^*| = \\infty`; None (the caller
    falls back to the analytic interval) when :math:`k < 1` or :math:`q` is
    infinite.
    """
    n = ub.size
    # fixed unit order, so the interval ignores row order: sorted by the totals on a grid,
    # where totals added in another order land too; units tied there in the order given
    order = np.lexsort(on_grid(ua, ub))
    b, a = ub[order], ua[order]
    n_resamples = int(n_resamples)
    alpha = 1.0 - confidence
    # (B + 1) alpha, kept from falling just below a whole number by rounding (0.1 * 10000)
    k = math.floor((n_resamples + 1) * alpha + 1e-9)
    if k < 1:
        return None
    q_hat = float(a.sum() / b.sum())
    se = math.sqrt(float(((a - q_hat * b) ** 2).sum()) / (n * (n - 1))) / float(b.mean())
    # a residual sum of squares below this is rounding noise: all drawn units share a rate
    noise = 1e-12 * math.sqrt(n)
    a_max, b_max = float(np.abs(a).max()), float(np.abs(b).max())
    abs_t = np.empty(n_resamples)
    batch = max(1, 4_000_000 // n)
    for start in range(0, n_resamples, batch):
        m = min(batch, n_resamples - start)
        idx = rng.integers(0, n, size=(m, n))
        bs, as_ = b[idx], a[idx]
        tot_b, tot_a = bs.sum(axis=1), as_.sum(axis=1)
        # no baseline (tot_b = 0) or overflow: NaN or inf here, excluded by `ok` below
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            q_star = tot_a / tot_b
            bs *= q_star[:, None]
            as_ -= bs  # residuals a*_i - Q* b*_i
            ssq = np.einsum("ij,ij->i", as_, as_)
            root = np.sqrt(ssq)
            se_star = root / math.sqrt(n * (n - 1)) / (tot_b / n)
            t = np.abs(q_star - q_hat) / se_star
            ok = (tot_b > 0) & (root > noise * (a_max + np.abs(q_star) * b_max)) & np.isfinite(t)
        abs_t[start : start + m] = np.where(ok, t, np.inf)
    q = float(np.partition(abs_t, n_resamples - k)[n_resamples - k])
    if not math.isfinite(q):
        return None
    rate = 1.0 - q_hat
    return (float(rate - q * se), float(min(rate + q * se, 1.0)))
