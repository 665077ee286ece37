"""evalkit: honest before/after and satisfaction statistics for public ICT initiatives.

The statistics, readers and fiscal-calendar helpers are imported here.
``evalkit.plots``, ``evalkit.datasets``, ``evalkit.scorecard`` and
``evalkit.report`` are loaded on first use, so ``import evalkit`` does not
import matplotlib or Jupyter.
"""

import importlib

from .conversions import (
    DEFAULT_ANNUAL_HOURS_PER_FTE,
    annualise,
    expected_savings,
    hours_to_fte,
    hours_to_yen,
)
from .errors import EvalkitError
from .fiscal import (
    Timing,
    fiscal_months,
    fiscal_year,
    fiscal_year_label,
    month_label,
    parse_month,
    parse_schedule,
    parse_timing,
)
from .kpis import kpi_row, kpi_table
from .reduction import ReductionResult, reduction
from .satisfaction import (
    SatisfactionResult,
    min_n_to_confirm,
    proportion_ci,
    satisfaction_rate,
    target_sensitivity,
)
from .scales import SCALES, Scale, get_scale, normalise_answers
from .tables import Column, Schema, read_table
from .usage import UsageResult, usage

__all__ = [
    "DEFAULT_ANNUAL_HOURS_PER_FTE",
    "SCALES",
    "Column",
    "EvalkitError",
    "ReductionResult",
    "SatisfactionResult",
    "Scale",
    "Schema",
    "Timing",
    "UsageResult",
    "annualise",
    "datasets",
    "expected_savings",
    "fiscal_months",
    "fiscal_year",
    "fiscal_year_label",
    "get_scale",
    "hours_to_fte",
    "hours_to_yen",
    "kpi_row",
    "kpi_table",
    "min_n_to_confirm",
    "month_label",
    "normalise_answers",
    "parse_month",
    "parse_schedule",
    "parse_timing",
    "plots",
    "proportion_ci",
    "read_table",
    "reduction",
    "report",
    "satisfaction_rate",
    "scorecard",
    "target_sensitivity",
    "usage",
]
__version__ = "0.1.0"

_LAZY = {"datasets", "plots", "report", "scorecard"}


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'evalkit' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _LAZY)
