"""The statistics: one module per question an evaluation asks.

- :mod:`~evalkit.stats.reduction`: hours (or yen) saved before/after, the
  reduction rate, paired tests;
- :mod:`~evalkit.stats.did`: the effect of a staggered adoption against a
  comparison group (difference-in-differences);
- :mod:`~evalkit.stats.its`: interrupted time series (segmented regression
  with Newey-West errors);
- :mod:`~evalkit.stats.sensitivity`: what a saving depends on (an
  overstated baseline);
- :mod:`~evalkit.stats.usage`: how many units used a tool, when;
- :mod:`~evalkit.stats.satisfaction`: the share of satisfied answers against
  a target (non-response, weights, clusters, groups);
- :mod:`~evalkit.stats.sample_size`: how the confidence of meeting a target
  depends on the number of answers;
- :mod:`~evalkit.stats.proportion`: confidence intervals for a proportion;
- :mod:`~evalkit.stats.scales`: Likert answer scales;
- :mod:`~evalkit.stats.conversions`: hours per year, FTE, yen.
"""

from .conversions import (
    DEFAULT_ANNUAL_HOURS_PER_FTE,
    annualise,
    expected_savings,
    hours_to_fte,
    hours_to_yen,
)
from .did import DidResult, did
from .its import ItsResult, its
from .proportion import METHODS, proportion_ci
from .reduction import ReductionResult, reduction
from .sample_size import min_n_to_confirm, target_sensitivity
from .satisfaction import SatisfactionResult, satisfaction_rate
from .scales import SCALES, Scale, get_scale, normalise_answers
from .sensitivity import SensitivityResult, baseline_sensitivity
from .usage import UsageResult, usage

__all__ = [
    "DEFAULT_ANNUAL_HOURS_PER_FTE",
    "METHODS",
    "DidResult",
    "ItsResult",
    "SCALES",
    "ReductionResult",
    "SatisfactionResult",
    "Scale",
    "SensitivityResult",
    "UsageResult",
    "annualise",
    "baseline_sensitivity",
    "did",
    "expected_savings",
    "get_scale",
    "hours_to_fte",
    "hours_to_yen",
    "its",
    "min_n_to_confirm",
    "normalise_answers",
    "proportion_ci",
    "reduction",
    "satisfaction_rate",
    "target_sensitivity",
    "usage",
]
