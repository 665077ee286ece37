"""What a before/after result depends on: a baseline that may be overstated.

``hours_before`` is what the work *would have taken* without the tool, an
estimate made by the departments themselves. :func:`baseline_sensitivity`
shows how the figures and the target verdict change if that estimate is too
high by a given share, and from which share on the target is no longer met.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._compare import at_least
from .._results import SUMMARY_COLUMNS, ResultMixin
from ..errors import EvalkitError
from .reduction import ReductionResult

__all__ = ["SensitivityResult", "baseline_sensitivity"]

DEFAULT_OVERSTATEMENTS = (0.0, 0.05, 0.1, 0.2, 0.3)


@dataclass(frozen=True, eq=False, repr=False)
class SensitivityResult(ResultMixin):
    """Result of :func:`baseline_sensitivity`; see that function for each field."""

    table: pd.DataFrame
    breakeven_overstatement: float
    target: float | None
    target_metric: str
    measure: str

    _title = "Baseline sensitivity"
    _title_ja = "導入前時間の見込みに対する感度 (baseline sensitivity)"
    _labels_ja = {"rate": "削減率"}

    def summary(self) -> pd.DataFrame:
        """Tidy table: one row per overstatement and figure, plus the breakeven.

        Returns
        -------
        pandas.DataFrame
            Columns ``metric`` (e.g. ``"rate at +10%"``), ``value``, ``ci_low``,
            ``ci_high`` (empty: the figures are recomputed, not estimated anew)
            and ``unit``.
        """
        nan = math.nan
        rows = []
        for row in self.table.itertuples(index=False):
            share = f"{row.overstatement:+.0%}"
            rows.append((f"rate at {share}", row.rate, nan, nan, "ratio"))
            rows.append((f"saved at {share}", row.saved, nan, nan, self.measure))
        if self.target is not None:
            rows.append(("target", self.target, nan, nan, self.target_metric))
            rows.append(
                ("breakeven_overstatement", self.breakeven_overstatement, nan, nan, "share")
            )
        out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
        for col in ("value", "ci_low", "ci_high"):
            out[col] = out[col].astype("float64")
        return out

    def _notes(self) -> list[str]:
        notes = [
            "Each row assumes the reported baseline is too high by the share shown, for every "
            "unit alike: the true baseline is reported / (1 + overstatement); after is as "
            "measured."
        ]
        if self.target is None:
            return notes
        x = self.breakeven_overstatement
        if math.isnan(x):
            met = bool(self.table["meets_target"].iloc[0]) if len(self.table) else False
            notes.append(
                f"The target for {self.target_metric} is met at every overstatement."
                if met
                else f"The target for {self.target_metric} is not met even with the reported "
                "baseline."
            )
        else:
            notes.append(
                f"The target for {self.target_metric} stops being met once the baseline is "
                f"overstated by {x:.1%} or more."
            )
        return notes


def baseline_sensitivity(
    result: ReductionResult,
    *,
    overstatement: Iterable[float] = DEFAULT_OVERSTATEMENTS,
) -> SensitivityResult:
    """How the saving and the target verdict change if the baseline was overstated.

    Parameters
    ----------
    result : ReductionResult
        The result of :func:`evalkit.reduction`.
    overstatement : sequence of float, default (0, 0.05, 0.1, 0.2, 0.3)
        Shares by which the reported ``before`` may exceed the true baseline
        (0.1: reported = 1.1 x true). Each must be greater than -1 (a
        negative share is an understated baseline).

    Returns
    -------
    SensitivityResult
        Frozen result with fields:

        - ``table``: DataFrame, one row per overstatement ``x`` in the order
          given, columns ``overstatement, total_before, saved, rate,
          mean_unit_rate, mean_saved, mean_saved_per_period`` (NaN without
          periods) and ``meets_target`` (``<NA>`` without a target);
        - ``breakeven_overstatement``: the ``x`` at which the result's target
          stops being met, found exactly (see Notes); NaN when there is no
          target, when the target is met at every ``x`` or when it is not met
          even at ``x = 0``;
        - ``target``, ``target_metric``, ``measure``: those of ``result``.

    Raises
    ------
    EvalkitError
        ``result`` is not a :class:`~evalkit.ReductionResult`, or an
        overstatement is not a number greater than -1.

    Notes
    -----
    With reported totals :math:`B` (before) and :math:`A` (after) and an
    overstatement :math:`x`, the true baseline is :math:`B / (1 + x)`, so

    .. math::

        \\text{saved}(x) = B / (1 + x) - A, \\qquad
        \\text{rate}(x) = 1 - (1 + x)(1 - \\text{rate}).

    ``mean_unit_rate`` moves the same way, since every unit's rate does:
    :math:`1 - (1 + x)(1 - r_i)`; ``mean_saved`` and
    ``mean_saved_per_period`` are ``saved(x)`` over the units and the
    periods. The breakeven solves ``figure(x) = target``: for a rate
    :math:`x^* = (1 - t) / (1 - \\text{rate}) - 1`; for a mean saved
    :math:`x^* = B / (A + t m) - 1`, with :math:`m` the number of units or
    periods. The overstatement is assumed the same for every unit; a
    baseline overstated by some departments only lies between the rows.

    Examples
    --------
    >>> import evalkit as ek
    >>> res = ek.reduction(before=[100.0, 60.0, 40.0], after=[16.0, 10.0, 6.0], target=0.8)
    >>> round(res.rate, 2)
    0.84
    >>> sens = ek.baseline_sensitivity(res)
    >>> sens.table[["overstatement", "rate", "meets_target"]]
       overstatement   rate  meets_target
    0           0.00  0.840          True
    1           0.05  0.832          True
    2           0.10  0.824          True
    3           0.20  0.808          True
    4           0.30  0.792         False
    >>> round(sens.breakeven_overstatement, 10)
    0.25
    """
    if not isinstance(result, ReductionResult):
        raise EvalkitError(
            "result must be what evalkit.reduction() returns", value=type(result).__name__
        )
    shares = _shares(overstatement)
    b, a = result.total_before, result.total_after
    n_periods = result.n_periods
    rows = []
    for x in shares:
        saved = b / (1 + x) - a
        rows.append(
            {
                "overstatement": x,
                "total_before": b / (1 + x),
                "saved": saved,
                "rate": 1 - (1 + x) * (1 - result.rate),
                "mean_unit_rate": 1 - (1 + x) * (1 - result.mean_unit_rate),
                "mean_saved": saved / result.n,
                "mean_saved_per_period": saved / n_periods if n_periods else math.nan,
            }
        )
    table = pd.DataFrame(rows, columns=_TABLE_COLUMNS[:-1]).astype("float64")
    met = pd.array([pd.NA] * len(table), dtype="boolean")
    if result.target is not None:
        values = table[result.target_metric].to_numpy()
        met = pd.array([at_least(v, result.target) for v in values], dtype="boolean")
    table["meets_target"] = met
    return SensitivityResult(
        table=table,
        breakeven_overstatement=_breakeven(result),
        target=result.target,
        target_metric=result.target_metric,
        measure=result.measure,
    )


_TABLE_COLUMNS = [
    "overstatement",
    "total_before",
    "saved",
    "rate",
    "mean_unit_rate",
    "mean_saved",
    "mean_saved_per_period",
    "meets_target",
]


def _shares(overstatement: Any) -> list[float]:
    if isinstance(overstatement, numbers.Real):
        overstatement = [overstatement]
    try:
        shares = list(overstatement)
    except TypeError:
        raise EvalkitError(
            "overstatement= must be a list of shares such as (0, 0.1, 0.2)",
            column="overstatement",
            value=overstatement,
        ) from None
    if not shares:
        raise EvalkitError("overstatement= is empty", column="overstatement", value=shares)
    for x in shares:
        ok = isinstance(x, numbers.Real) and not isinstance(x, bool | np.bool_)
        if not ok or not math.isfinite(x) or x <= -1:
            raise EvalkitError(
                "each overstatement must be a finite number greater than -1 (0.1 = 10 % too high)",
                column="overstatement",
                value=x,
            )
    return [float(x) for x in shares]


def _breakeven(result: ReductionResult) -> float:
    """The overstatement at which the target stops being met, or NaN."""
    t, metric = result.target, result.target_metric
    if t is None or not result.meets_target:
        return math.nan
    if metric in ("rate", "mean_unit_rate"):
        kept = 1 - getattr(result, metric)  # the share of the baseline still spent
        return (1 - t) / kept - 1 if kept > 0 else math.nan
    m = result.n if metric == "mean_saved" else result.n_periods
    denominator = result.total_after + t * m
    return result.total_before / denominator - 1 if denominator > 0 else math.nan
