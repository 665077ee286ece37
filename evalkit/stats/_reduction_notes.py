"""The notes shown under the summary of :func:`evalkit.reduction`: units, methods, special cases."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._clusters import FEW_CLUSTERS
from ._inference import FEW_UNITS, paired_t
from ._labels import period_word
from ._reduction_rows import ReductionSums


def reduction_notes(fields: dict[str, Any], sums: ReductionSums, wilcoxon_note: str) -> list[str]:
    """Lines shown under the summary table: units, methods, special cases."""
    k, measure = fields["n"], fields["measure"]
    if sums.unit_name is not None:
        notes = [f"Units: {k} ({sums.unit_name}); rows of the same unit summed first."]
    else:
        notes = [f"Units: {k}; each row is a unit."]
    notes.append(f"rate_ci: {fields['rate_ci_method']}.")
    n_eff = fields["n_effective"]
    if 2 <= k and n_eff < FEW_UNITS and not math.isnan(fields["rate_ci"][0]):
        notes.append(
            f"Effective number of units {n_eff:.1f} (Kish, from the spread of {sums.before_name} "
            f"over {k} units): with fewer than {FEW_UNITS}, intervals for a ratio tend to be "
            "too narrow (see validation/README.md), so read 'confidently met' with care."
        )
    if fields["cluster"] is not None:
        notes += _cluster_notes(fields)
    elif k >= 2:
        notes.append(
            f"mean_saved_ci: t interval over units, df = {k - 1}. t-test: paired, "
            "difference = before - after, as R t.test(before, after, paired = TRUE)."
        )
    if wilcoxon_note:
        notes.append(wilcoxon_note)
    if fields["per_period"] is not None:
        notes += _period_notes(fields, measure)
    if k < 2:
        notes.append("Only one unit: tests, cohens_dz and unit-level intervals are NaN.")
    elif math.isnan(fields["t_statistic"]):
        notes.append(
            "All per-unit differences are equal: t-test, cohens_dz and mean_saved_ci are NaN."
        )
    n_zero = int((sums.unit_before <= 0).sum())
    if n_zero:
        notes.append(
            f"{n_zero} unit(s) with {sums.before_name} = 0: counted in totals, rate and tests; "
            "their own rate is undefined (NaN in per_unit) and they are left out of "
            "mean_unit_rate."
        )
    excluded = fields["excluded"]
    if len(excluded):
        rows = ", ".join(str(r) for r in excluded["row"].head(10))
        more = " ..." if len(excluded) > 10 else ""
        notes.append(
            f"{len(excluded)} row(s) excluded (missing='exclude'): rows {rows}{more}; "
            "see .excluded."
        )
    if fields["target"] is not None:
        notes.append(_target_note(fields))
    return notes


def _cluster_notes(fields: dict[str, Any]) -> list[str]:
    g, name = fields["n_clusters"], fields["cluster"]
    notes = [
        f"Clusters: {g} ({name}). mean_saved_ci, mean_unit_rate_ci and the t-test use the "
        f"cluster-robust (CR1) variance with a t quantile, df = {g - 1}; design effect of the "
        f"rate {fields['design_effect']:.2f}. The Wilcoxon test does not account for clusters."
    ]
    if g < FEW_CLUSTERS:
        notes.append(
            f"Only {g} clusters: the small-sample correction is CR1 (G / (G - 1)) with t(G - 1); "
            "with fewer than about 10 clusters even this tends to be too narrow."
        )
    return notes


def _period_notes(fields: dict[str, Any], measure: str) -> list[str]:
    n_periods = fields["n_periods"]
    per_period = fields["per_period"]
    word = period_word(per_period["period"])
    notes = [
        f"mean_saved_per_period: {measure} saved per {word} over all units, averaged "
        f"over {n_periods} {word}(s); interval: {fields['mean_saved_per_period_ci_method']}."
    ]
    saved = per_period["saved"].to_numpy(dtype=float)
    largest = float(np.abs(saved).max())
    unit = 2.0 ** math.floor(math.log2(largest)) if largest > 0 else 1.0
    saved = saved / unit  # exact; squares of hours near 1e300 would overflow
    if fields["mean_saved_per_period_ci_method"].startswith(f"t interval over {n_periods} periods"):
        if n_periods < 2:
            notes.append(f"Only one {word}: mean_saved_per_period_ci is NaN.")
        elif math.isnan(fields["mean_saved_per_period_ci"][0]):
            notes.append(f"Saved is the same in every {word}: mean_saved_per_period_ci is NaN.")
        return notes
    if n_periods >= 3 and np.ptp(saved[:-1]) > 0 and np.ptp(saved[1:]) > 0:
        _, (low, high), *_ = paired_t(saved, fields["confidence"])
        low, high = low * unit, high * unit
        lag1 = float(np.corrcoef(saved[:-1], saved[1:])[0, 1])
        notes.append(
            f"The {n_periods} {word}s are the whole window, not a sample, and consecutive "
            f"{word}s are alike (lag-1 autocorrelation {lag1:.2f}): a t interval over "
            f"{word}s, which treats them as independent draws, would be {low:.4g} to "
            f"{high:.4g} (period_ci='periods')."
        )
    return notes


def _target_note(fields: dict[str, Any]) -> str:
    metric, target = fields["target_metric"], fields["target"]
    estimate, ci = fields[metric], fields[f"{metric}_ci"]
    text = f"Target {target:g} for {metric}: {'met' if fields['meets_target'] else 'not met'} "
    text += f"(estimate {estimate:.4g})"
    if ci is None:
        return text + "; no interval for this metric, so no 'confidently met' verdict."
    if math.isnan(ci[0]):
        return text + "; interval not available, so not confidently met."
    verdict = "confidently met" if fields["meets_target_confidently"] else "not confidently met"
    return text + f"; {verdict} (lower bound {ci[0]:.4g})."
