"""Bootstrap plumbing shared by the statistics: a BCa interval of one sample, the seed in notes."""

from __future__ import annotations

import math
import warnings

import numpy as np


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
