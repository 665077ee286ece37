"""evalkit: honest before/after and satisfaction statistics for public ICT initiatives.

The package is a set of subpackages, one per concern (README, Architecture):
``stats`` (the statistics), ``readers`` (files, eras, fiscal years),
``scorecard``, ``plots``, ``report`` and ``datasets``. Every public name is
imported here, so ``evalkit.<name>`` is the one address to learn.
``evalkit.plots``, ``evalkit.datasets`` and ``evalkit.scorecard`` are loaded
on first use, so ``import evalkit`` does not import matplotlib; the report
loads Jupyter only when it runs.
"""

import importlib
import sys

from .errors import EvalkitError
from .labels import japanese_columns
from .readers.convert import convert as convert_to_parquet
from .readers.fiscal import (
    Timing,
    fiscal_months,
    fiscal_year,
    fiscal_year_label,
    month_label,
    parse_month,
    parse_schedule,
    parse_timing,
)
from .readers.tables import Column, Schema, read_table
from .report.kpis import kpi_row, kpi_table
from .stats.conversions import (
    DEFAULT_ANNUAL_HOURS_PER_FTE,
    annualise,
    expected_savings,
    hours_to_fte,
    hours_to_yen,
)
from .stats.did import DidResult, did
from .stats.its import ItsResult, its
from .stats.proportion import proportion_ci
from .stats.reduction import ReductionResult, reduction
from .stats.sample_size import min_n_to_confirm, target_sensitivity
from .stats.satisfaction import SatisfactionResult, satisfaction_rate
from .stats.scales import SCALES, Scale, get_scale, normalise_answers
from .stats.sensitivity import SensitivityResult, baseline_sensitivity
from .stats.usage import UsageResult, usage

__all__ = [
    "DEFAULT_ANNUAL_HOURS_PER_FTE",
    "SCALES",
    "Column",
    "DidResult",
    "EvalkitError",
    "ItsResult",
    "ReductionResult",
    "SatisfactionResult",
    "Scale",
    "Schema",
    "SensitivityResult",
    "Timing",
    "UsageResult",
    "annualise",
    "baseline_sensitivity",
    "convert_to_parquet",
    "datasets",
    "did",
    "expected_savings",
    "fiscal_months",
    "fiscal_year",
    "fiscal_year_label",
    "get_scale",
    "hours_to_fte",
    "hours_to_yen",
    "its",
    "japanese_columns",
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
__version__ = "0.7.0"

_LAZY = {"datasets", "plots", "scorecard"}

# Module paths of evalkit 0.1 and where the modules live since 0.2, so that
# ``from evalkit.usage import usage`` or ``evalkit.satisfaction.target_sensitivity``
# in existing notebooks keep working (see CHANGELOG.md).
_MOVED = {
    "conversions": "stats.conversions",
    "fiscal": "readers.fiscal",
    "kpis": "report.kpis",
    "reduction": "stats.reduction",
    "satisfaction": "stats.satisfaction",
    "scales": "stats.scales",
    "tables": "readers.tables",
    "usage": "stats.usage",
}
for _old, _new in _MOVED.items():
    sys.modules.setdefault(f"{__name__}.{_old}", sys.modules[f"{__name__}.{_new}"])
del _old, _new


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    if name in _MOVED:  # evalkit.reduction and evalkit.usage are the functions
        return sys.modules[f"{__name__}.{_MOVED[name]}"]
    raise AttributeError(f"module 'evalkit' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _LAZY)
