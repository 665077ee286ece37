"""Bootstrap plumbing shared by the statistics: a BCa interval of one sample, the seed in notes."""

from __future__ import annotations

import math
import warnings

import numpy as np

#: Significant bits of the largest value kept by :func:`on_grid`.
GRID_BITS = 36


def on_grid(*arrays):
    """The arrays rounded to one grid: multiples of a power of two 36 bits below the largest.

    Per-unit sums depend, in their last bits, on the order their rows were
    added (data order in memory, partition and thread order in an engine).
    A bootstrap must not: it sorts units by their sums, and counts the
    replicates below the estimate (ties half each); a replicate whose exact
    value equals the estimate (a resample with the same total, common with
    amounts in tenths of an hour) falls below or above it by one ulp,
    depending on the order of the additions. On the grid, sums that differ
    only by rounding become the same number unless their exact value lies
    within that rounding of a midpoint between two grid points, which never
    happens to a sum of amounts with a few decimals (with k decimals, its
    multiples of a power of two are at least 1 / (2 * 5**k) of a step from
    a midpoint). Each value moves by at most 2**-37 of the largest, and sums
    of up to 2**16 values on the grid are exact, so the same in any order.
    """
    largest = max((float(np.abs(a).max()) for a in arrays if a.size), default=0.0)
    if not (largest > 0 and math.isfinite(largest)):
        return arrays
    step = math.ldexp(1.0, max(math.frexp(largest)[1] - GRID_BITS, -1074))
    return tuple(np.rint(a / step) * step for a in arrays)


def bca_interval(values, statistic, confidence, resample):
    """BCa bootstrap interval of ``statistic(values)``, or None when the resamples are degenerate.

    ``statistic`` takes an array and ``axis=-1`` semantics (vectorised over
    resamples); ``resample`` holds ``n_resamples`` and ``rng``. Values should
    come in a fixed order (e.g. sorted) so that the interval does not depend
    on row order. A degenerate bootstrap distribution (scipy warns and gives
    NaN) returns None, for the caller to say so.
    """
    from scipy import stats

    batch = max(1, 4_000_000 // max(values.size, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("error", stats.DegenerateDataWarning)
        try:
            res = stats.bootstrap(
                (values,),
                lambda x, axis=-1: statistic(np.moveaxis(x, axis, -1)),
                n_resamples=int(resample["n_resamples"]),
                batch=batch,
                vectorized=True,
                confidence_level=confidence,
                method="BCa",
                rng=resample["rng"],
            )
        except (RuntimeWarning, stats.DegenerateDataWarning):
            return None
    low, high = float(res.confidence_interval.low), float(res.confidence_interval.high)
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    return (low, high)


def seed_text(random_state):
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
