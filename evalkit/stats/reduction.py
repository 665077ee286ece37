"""Before/after statistics: hours (or yen) saved, reduction rate, paired tests.

One call, :func:`reduction`, turns paired "before" and "after" quantities
into the figures public reports quote (total saved, aggregate reduction
rate, average saved per month) together with their uncertainty and the
paired tests, with every row accounted for.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._compare import at_least
from .._results import SUMMARY_COLUMNS, ResultMixin
from ..engines import engine_of
from ..engines import reduction_sums as engine_sums
from ..errors import EvalkitError
from ._clusters import cluster_mean, ratio_variance
from ._inference import (
    BOOTSTRAP_MAX_UNITS,
    FEW_UNITS,
    paired_t,
    rate_ci,
    wilcoxon_signed_rank,
)
from ._labels import period_word, unit_parts
from ._reduction_notes import reduction_notes
from ._reduction_rows import ReductionSums, check_options, check_period_ci, check_rows, make_rng
from ._reduction_rows import aggregate as _aggregate
from ._resampling import bca_interval, on_grid, seed_text

__all__ = ["BOOTSTRAP_MAX_UNITS", "FEW_UNITS", "ReductionResult", "ReductionSums", "reduction"]


@dataclass(frozen=True, eq=False, repr=False)
class ReductionResult(ResultMixin):
    """Result of :func:`reduction`; see that function for the meaning of each field."""

    n: int
    n_effective: float
    total_before: float
    total_after: float
    saved: float
    rate: float
    rate_ci: tuple[float, float]
    rate_ci_method: str
    mean_unit_rate: float
    mean_unit_rate_ci: tuple[float, float]
    mean_saved: float
    mean_saved_ci: tuple[float, float]
    t_statistic: float
    t_df: float
    t_pvalue: float
    wilcoxon_statistic: float
    wilcoxon_pvalue: float
    cohens_dz: float
    per_unit: pd.DataFrame
    per_period: pd.DataFrame | None
    mean_saved_per_period: float | None
    mean_saved_per_period_ci: tuple[float, float] | None
    mean_saved_per_period_ci_method: str | None
    n_periods: int | None
    cluster: str | None
    n_clusters: int | None
    design_effect: float | None
    measure: str
    confidence: float
    target: float | None
    target_metric: str
    meets_target: bool | None
    meets_target_confidently: bool | None
    excluded: pd.DataFrame
    _method_notes: tuple[str, ...] = field(default=(), repr=False)

    _title = "Before/after reduction"
    _title_ja = "導入前後の削減 (before/after reduction)"
    _labels_ja = {"rate": "削減率", "n": "対象数"}

    def summary(self) -> pd.DataFrame:
        """Tidy table, one row per metric: metric, value, ci_low, ci_high, unit.

        Returns
        -------
        pandas.DataFrame
            Columns ``metric`` (the field name), ``value``, ``ci_low``,
            ``ci_high`` (NaN where a metric has no interval) and ``unit``
            (``measure`` for totals, ``"<measure>/unit"``, ``"<measure>/month"``
            for averages, ``"ratio"`` for rates, ``"t"``, ``"df"``, ``"p"``,
            ``"V"``, ``"d_z"`` for test results).
        """
        nan = math.nan
        m = self.measure
        rows: list[tuple[str, float, float, float, str]] = [
            ("n", float(self.n), nan, nan, "units"),
            ("n_effective", self.n_effective, nan, nan, "units"),
            ("total_before", self.total_before, nan, nan, m),
            ("total_after", self.total_after, nan, nan, m),
            ("saved", self.saved, nan, nan, m),
            ("rate", self.rate, *self.rate_ci, "ratio"),
            ("mean_unit_rate", self.mean_unit_rate, *self.mean_unit_rate_ci, "ratio"),
            ("mean_saved", self.mean_saved, *self.mean_saved_ci, f"{m}/unit"),
        ]
        if self.per_period is not None:
            word = period_word(self.per_period["period"])
            rows.append(("n_periods", float(self.n_periods or 0), nan, nan, f"{word}s"))
            rows.append(
                (
                    "mean_saved_per_period",
                    float(self.mean_saved_per_period),
                    *self.mean_saved_per_period_ci,
                    f"{m}/{word}",
                )
            )
        if self.cluster is not None:
            rows.append(("n_clusters", float(self.n_clusters), nan, nan, self.cluster))
            rows.append(("design_effect", self.design_effect, nan, nan, "ratio"))
        rows += [
            ("t_statistic", self.t_statistic, nan, nan, "t"),
            ("t_df", self.t_df, nan, nan, "df"),
            ("t_pvalue", self.t_pvalue, nan, nan, "p"),
            ("wilcoxon_statistic", self.wilcoxon_statistic, nan, nan, "V"),
            ("wilcoxon_pvalue", self.wilcoxon_pvalue, nan, nan, "p"),
            ("cohens_dz", self.cohens_dz, nan, nan, "d_z"),
        ]
        if self.target is not None:
            unit = "ratio" if self.target_metric in ("rate", "mean_unit_rate") else m
            if self.target_metric == "mean_saved":
                unit = f"{m}/unit"
            elif self.target_metric == "mean_saved_per_period" and self.per_period is not None:
                unit = f"{m}/{period_word(self.per_period['period'])}"
            rows.append(("target", float(self.target), nan, nan, unit))
        out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
        for col in ("value", "ci_low", "ci_high"):
            out[col] = out[col].astype("float64")
        return out

    def _notes(self) -> list[str]:
        return list(self._method_notes)


def reduction(
    data: Any = None,
    *,
    before: Any,
    after: Any,
    unit: Any = None,
    period: Any = None,
    periods: Any = None,
    measure: str = "hours",
    confidence: float = 0.95,
    target: float | None = None,
    target_metric: str = "rate",
    n_resamples: int = 9999,
    random_state: Any = None,
    missing: str = "raise",
    cluster: Any = None,
    period_ci: str = "units",
) -> ReductionResult:
    """Quantities saved between a "before" and an "after" measurement, with uncertainty.

    Parameters
    ----------
    data : DataFrame, str, Path, DuckDBPyRelation or dask DataFrame, optional
        One row per observation (e.g. one department in one month). A
        DataFrame is analysed in memory. For data larger than memory, a
        Parquet file, a folder (every ``*.parquet`` under it) or a glob
        (``"logs/*.parquet"``), given as text or a path, or a DuckDB
        relation, is aggregated by DuckDB out of core, and a Dask DataFrame
        by Dask (:mod:`evalkit.engines`; README, *Large data*): only the
        sums per unit and per period reach pandas, and every figure equals
        the in-memory one. Their columns are named by text; amounts must be
        stored as numbers; errors name the file and the row within it
        (from 1), a relation's row by its position, a Dask row by its
        partition (or file) and row; without ``unit``, a row's label is its
        position in the data from 1. When omitted, ``before``, ``after``
        (and ``unit``, ``period``) are equal-length array-likes.
    before, after : str or array-like
        Column names of ``data``, or the values themselves when ``data`` is
        None. Non-negative numbers (hours, yen, ...).
    unit : str, list of str or array-like, optional
        Unit of analysis (e.g. department). Rows of the same unit are summed
        first and all unit-level statistics run over units. Without it, each
        row is a unit, labelled by its row number. With ``data``, a list of
        columns makes a unit of several columns (``["municipality_code",
        "department"]``): a unit is labelled by the tuple of its values,
        units sort as the tuples do, and ``per_unit`` has a column per part
        after ``unit``.
    period : str or array-like, optional
        Period of each row (e.g. month as :class:`pandas.Period`, text or
        timestamp). Adds ``per_period`` and the average saved per period.
    periods : array-like, optional
        With ``period``: every period of the reporting window, in order (e.g.
        ``evalkit.fiscal_months(2019)`` for April 2019 to March 2020). A
        period without rows then counts as zero saved in ``per_period`` and in
        the mean per period, instead of being absent; a row whose period is
        not among them is an error. Labels must be of the same kind as the
        ``period`` column (Periods with Periods, text with text).
    measure : str, default "hours"
        Name of the quantity, used as the unit in :meth:`~ReductionResult.summary`.
    confidence : float, default 0.95
        Confidence level of all intervals, strictly between 0 and 1.
    target : float, optional
        Target for ``target_metric``; a fraction (0.8 for 80 %) for rates.
    target_metric : {"rate", "mean_unit_rate", "mean_saved", "mean_saved_per_period"}
        The estimate compared with ``target``, default the aggregate ``rate``.
    n_resamples : int, default 9999
        Bootstrap resamples for ``rate_ci`` (used up to
        :data:`BOOTSTRAP_MAX_UNITS` units).
    random_state : None, int or numpy.random.Generator
        Seed of the bootstrap (``numpy.random.default_rng(random_state)``), for
        reproducible ``rate_ci``.
    missing : {"raise", "exclude"}, default "raise"
        What to do with a row whose before or after value is blank:
        ``"raise"`` stops with an :class:`~evalkit.EvalkitError` naming the
        row; ``"exclude"`` leaves such rows out and lists them in ``excluded``.
    cluster : str or array-like, optional
        Cluster of each unit (e.g. ``"bureau"`` for departments): units of one
        cluster are not independent. Every interval and test over units then
        resamples or sums whole clusters (see Notes); a unit whose rows name
        two clusters is an error.
    period_ci : {"units", "periods"}, default "units"
        How ``mean_saved_per_period_ci`` is computed: ``"units"``, a BCa
        bootstrap over units (or clusters) that keeps each unit's periods
        together; ``"periods"``, the t interval over periods, which treats
        the periods as independent draws.

    Returns
    -------
    ReductionResult
        Frozen result with fields:

        - ``n``: number of units analysed.
        - ``n_effective``: Kish's effective number of units for the rate,
          :math:`(\\sum b_i)^2 / \\sum b_i^2`: the number of equal-sized units
          that would give the rate the same precision. It equals ``n`` when
          every unit has the same baseline and falls towards 1 when one unit
          holds most of the hours; the small-sample note uses it.
        - ``total_before``, ``total_after``: sums over all units.
        - ``saved``: ``total_before - total_after``.
        - ``rate``: aggregate reduction rate ``saved / total_before`` (the rate
          public reports quote).
        - ``rate_ci``: (low, high) interval for ``rate``; ``rate_ci_method``
          says how it was computed.
        - ``mean_unit_rate``: mean of the per-unit rates ``saved_i / before_i``
          over units with ``before_i > 0``; ``mean_unit_rate_ci`` its t interval
          over those units (as R ``t.test(rate)``, its upper bound capped at 1
          since no unit's rate exceeds 1; NaN with fewer than 2 of them or
          when all their rates are equal).
        - ``mean_saved``, ``mean_saved_ci``: mean saved per unit and its
          t interval.
        - ``t_statistic``, ``t_df``, ``t_pvalue``: paired t-test over units.
        - ``wilcoxon_statistic``, ``wilcoxon_pvalue``: Wilcoxon signed-rank
          test over units (statistic ``V`` as in R).
        - ``cohens_dz``: mean difference / SD of differences (ddof = 1).
        - ``per_unit``: DataFrame ``unit, before, after, saved, rate``, one row
          per unit (units sorted by label; rate NaN where before is 0).
        - ``per_period``: DataFrame ``period, before, after, saved, n_units``
          sorted by period (None without ``period``); ``n_units`` counts the
          units with at least one row in the period.
        - ``mean_saved_per_period``, ``mean_saved_per_period_ci``: mean over
          periods of the organisation-wide saved per period, and its interval
          (see ``period_ci``); ``mean_saved_per_period_ci_method`` names it
          (all None without ``period``).
        - ``n_periods``: number of periods present, or of ``periods`` when
          given (None without ``period``).
        - ``cluster``, ``n_clusters``: the cluster column and the number of
          clusters (None without ``cluster``); ``design_effect``: the
          variance of ``rate`` with clusters over that without (linearised,
          Kish 1965), e.g. 2 when clustering doubles the variance.
        - ``measure``, ``confidence``, ``target``, ``target_metric``.
        - ``meets_target``: estimate >= target; ``meets_target_confidently``:
          lower interval bound >= target (False when the interval is NaN).
          A value within a relative 1e-9 of the target counts as equal to it
          (:math:`|x - t| \\le 10^{-9} \\max(1, |t|)`), so that floating-point
          noise (0.7999999999999999 for a decimal 80 %) does not flip a
          verdict. Both None without ``target``.
        - ``excluded``: DataFrame of the rows left out by ``missing="exclude"``
          with their ``row`` number (as a spreadsheet counts it) and ``reason``;
          empty otherwise.

    Raises
    ------
    EvalkitError
        Naming file, row, column and value: missing column, non-numeric,
        negative or infinite value, before without after or the reverse,
        missing unit or period label, empty data, mismatched lengths, zero
        total baseline, invalid options.

    Notes
    -----
    With units :math:`i = 1..n` and per-unit sums :math:`b_i`, :math:`a_i`,
    differences are :math:`d_i = b_i - a_i` and

    .. math:: \\text{rate} = \\sum d_i / \\sum b_i = 1 - \\sum a_i / \\sum b_i.

    *Intervals.* ``mean_saved_ci`` is :math:`\\bar d \\pm t_{n-1} s_d/\\sqrt n`,
    identical to R ``t.test(before, after, paired = TRUE)$conf.int``.
    ``rate_ci``: for ``n <= BOOTSTRAP_MAX_UNITS`` (1,000) a *symmetric
    studentised bootstrap* (bootstrap-t, Hall 1988) over units: with the
    linearised standard error
    :math:`se = \\sqrt{\\sum (d_i - R b_i)^2 / (n (n - 1))} / \\bar b`,
    each of ``n_resamples`` paired resamples of :math:`(b_i, a_i)` gives
    :math:`|t^*| = |R^* - R| / se^*`, and the interval is
    :math:`R \\pm q\\, se`, :math:`q` the ``confidence`` quantile of the
    :math:`|t^*|` (``rng = numpy.random.default_rng(random_state)``; units in
    a fixed order first, so the interval does not depend on row order). In
    a simulation kept in the repository (``validation/README.md``, 2,000
    samples per cell, lognormal department sizes) its 95 % interval held
    the true aggregate rate 94.8-95.5 % of the time from 30 units on when
    unit rates do not depend on size, and 92.5 % at 30 units and 93.8 % at
    116 when bigger units save a larger share; the BCa interval of evalkit
    0.2 held it 80-92 % at 10 to 116 units. Above 1,000 units, or when resamples without any
    baseline would be likely (units with :math:`b_i = 0`), or when more than
    5 % of resamples have every unit at one rate, the ratio-estimator
    interval :math:`R \\pm t_{n-1}\\, se` (linearisation or delta method for
    a ratio estimate, Cochran 1977, ch. 6, without finite-population
    correction, with a t quantile on n - 1 degrees of freedom). The upper
    bound is capped at 1 (rate cannot exceed 1 when after is
    non-negative). With an effective number of units ``n_effective``
    below :data:`FEW_UNITS` (20) the interval tends to be too narrow (89 %
    at 10 units in the skewed scenario); the notes then say so, and
    "confidently met" should be read with care.

    *The mean per period.* ``mean_saved_per_period`` is the organisation-wide
    saved per period averaged over the periods present (a period without rows
    is absent, not zero), or over ``periods`` when given (a period without
    rows is zero); with :math:`P` periods it equals :math:`\\sum_i d_i / P`.
    The periods of a reporting year are the whole year, not a sample, and
    they are far from independent (savings rise month by month as units
    join), so the uncertainty of "N hours a month" comes from which units
    there are: with ``period_ci="units"`` (default) the interval is a BCa
    bootstrap over units of :math:`\\sum_i d_i / P`, each unit resampled with
    all its periods, :math:`P` held fixed (above 1,000 units, the t interval
    of the same quantity, :math:`n \\bar d / P`). ``period_ci="periods"`` gives the
    t interval over the :math:`P` per-period figures (df = P - 1), as
    evalkit 0.1 did; the notes show it beside the lag-1 autocorrelation of
    the per-period figures. Periods are sorted as given: Periods and
    timestamps in time order, text as text (write months as ``YYYY-MM`` so
    that text order is time order). With ``random_state=None`` the
    bootstrap intervals change a little from run to run.

    *Clusters.* With ``cluster=`` (e.g. departments in bureaus) the
    :math:`G` clusters are the independent draws: ``rate_ci`` is computed
    from the cluster totals :math:`(B_g, A_g)` (the ratio estimator with
    clusters as primary sampling units, Cochran 1977, ch. 9), the
    per-period interval resamples whole clusters, and ``mean_saved_ci``,
    ``mean_unit_rate_ci`` and the t-test use the cluster-robust variance
    :math:`\\frac{G}{G-1} \\sum_g (\\sum_{i \\in g} (x_i - \\bar x))^2 / n^2`
    with a t quantile on G - 1 degrees of freedom (CR1; identical to
    statsmodels ``OLS(x, 1).fit(cov_type="cluster", use_t=True)``; Cameron
    and Miller 2015). ``design_effect`` is the linearised variance of the
    rate from cluster totals over that from unit totals (Kish 1965). With
    fewer than 30 clusters the notes name the small-sample correction;
    with fewer than about 10 even CR1 with t(G - 1) tends to be too
    narrow. The Wilcoxon test does not account for clusters.

    *Paired t-test* on :math:`d_i` (difference = before - after), exactly as
    R ``t.test(before, after, paired = TRUE)``: :math:`t = \\bar d / (s_d /
    \\sqrt n)`, df = n - 1, two-sided p.

    *Wilcoxon signed-rank test*, as R ``wilcox.test(before, after, paired =
    TRUE, digits.rank = 12)`` in R 4.0 to 4.5, with the exceptions below: zero
    differences are dropped (``zero_method="wilcox"``, R's behaviour) and
    tied absolute differences get average ranks. The statistic is R's
    ``V``, the sum of ranks of positive differences. The p-value comes from
    ``scipy.stats.wilcoxon`` with the method R uses: exact when fewer than
    50 non-zero differences and no ties or zeros, otherwise the normal
    approximation with tie correction and continuity correction
    (``method="asymptotic", correction=True``). Differences are rounded to
    12 significant digits before zeros and ties are identified, so decimal
    data such as 10.3 - 10.0 and 5.3 - 5.0 count as tied although their
    binary values differ. R's default ``digits.rank = Inf`` does not round
    at all and would see no tie there (and use the exact distribution).
    Exceptions to ``digits.rank = 12``: (a) evalkit rounds every difference
    to 12 significant digits *of the largest* absolute difference (R's
    ``signif`` rounds each to its own 12 digits), so differences smaller
    than about :math:`10^{-11}` times the largest can tie or round to zero;
    (b) a difference that rounds to zero counts as a zero difference and is
    dropped (R finds zeros before rounding), so that e.g. 0.1 + 0.2 - 0.3
    hours beside differences of whole hours is no difference; (c) with
    fewer than 2 units the test is NaN (R gives p = 1 for a single non-zero
    difference). R 4.6.0 changed ``wilcox.test``: with fewer than 50
    differences it now gives an exact (conditional) p-value also when there
    are ties or zeros, ranking the zeros with the other differences, so it
    differs from evalkit (and from earlier R) in those cases; without ties
    or zeros, and from 50 differences on, nothing changed.

    *Degenerate cases* give NaN, never a warning: with fewer than 2 units the
    tests, ``cohens_dz`` and all unit-level intervals are NaN; when the
    differences are essentially constant (standard error below
    :math:`10\\,\\epsilon\\,|\\bar d|`, R's rule) ``t_statistic``,
    ``t_pvalue``, ``cohens_dz`` and ``mean_saved_ci`` are NaN (a zero-width
    interval would claim certainty the data cannot give); when every unit
    has the same rate the bootstrap distribution is a single point and
    ``rate_ci`` is NaN; the Wilcoxon test is NaN when no difference is
    non-zero (with equal non-zero differences it is defined: all ranks tie).
    The same rule applies to ``mean_saved_per_period_ci`` over periods. Each
    case is stated in the notes shown under the summary.

    *Units with before = 0* count in all totals, ``rate``, the tests and the
    intervals, but their own rate is undefined: it is NaN in ``per_unit`` and
    they are left out of ``mean_unit_rate``; the notes say how many.

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., ch. 6.
       Wiley.
    .. [2] Efron, B. and Tibshirani, R. J. (1993). *An Introduction to the
       Bootstrap*, ch. 14 (BCa). Chapman & Hall.
    .. [3] R Core Team. ``t.test`` and ``wilcox.test``, package stats.
    .. [4] Hall, P. (1988). Theoretical comparison of bootstrap confidence
       intervals. *Annals of Statistics* 16(3), 927-953 (symmetric
       bootstrap-t).
    .. [5] Kish, L. (1965). *Survey Sampling*. Wiley (effective sample size,
       design effect).
    .. [6] Cameron, A. C. and Miller, D. L. (2015). A practitioner's guide to
       cluster-robust inference. *Journal of Human Resources* 50(2), 317-372.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit import reduction
    >>> df = pd.DataFrame({
    ...     "month": ["2019-04", "2019-04", "2019-05", "2019-05", "2019-06", "2019-06"],
    ...     "department": ["A", "B", "A", "B", "A", "B"],
    ...     "hours_before": [10.0, 8.0, 12.0, 9.0, 11.0, 7.0],
    ...     "hours_after": [4.0, 3.0, 5.0, 2.0, 4.5, 3.0],
    ... })
    >>> res = reduction(df, before="hours_before", after="hours_after",
    ...                 unit="department", period="month", target=0.5,
    ...                 random_state=1)
    >>> res.n, res.saved, round(res.rate, 3)
    (2, 35.5, 0.623)
    >>> round(res.mean_saved_per_period, 2)
    11.83
    >>> res.per_unit
      unit  before  after  saved      rate
    0    A    33.0   13.5   19.5  0.590909
    1    B    24.0    8.0   16.0  0.666667
    >>> res.meets_target
    True
    """
    check_options(measure, confidence, n_resamples, missing, target, target_metric, period, periods)
    check_period_ci(period_ci)
    rng = make_rng(random_state)
    if engine_of(data) is None:
        rows = check_rows(data, before, after, unit, period, cluster, missing)
        sums = _aggregate(rows, periods)
    else:  # Parquet files, a DuckDB relation or a Dask DataFrame: aggregated by the engine
        sums = engine_sums(
            data,
            before=before,
            after=after,
            unit=unit,
            period=period,
            cluster=cluster,
            missing=missing,
            periods=periods,
        )
    return _statistics(
        sums,
        measure=measure,
        confidence=confidence,
        target=target,
        target_metric=target_metric,
        n_resamples=n_resamples,
        rng=rng,
        random_state=random_state,
        period_ci=period_ci,
    )


# ---------------------------------------------------------------------------
# the three steps: check the rows, aggregate them, compute from the aggregates


def _statistics(
    sums: ReductionSums,
    *,
    measure,
    confidence,
    target,
    target_metric,
    n_resamples,
    rng,
    random_state,
    period_ci,
) -> ReductionResult:
    """Step 3: every figure of :class:`ReductionResult` from the sums of step 2.

    The statistics run on the sums divided by a power of two near the largest
    one, which is exact, so that hours near 1e-300 or 1e300 give the same
    rate and intervals as hours near 1; amounts are scaled back at the end.
    """
    scale, sums_in = _power_of_two(sums), sums
    sums = _scaled(sums, scale)
    ub, ua = sums.unit_before, sums.unit_after
    total_before, total_after = float(ub.sum()) * scale, float(ua.sum()) * scale
    if not (math.isfinite(total_before) and math.isfinite(total_after)):
        raise EvalkitError(
            f"the totals of {sums.before_name} and after are beyond the largest number a "
            "computer holds (about 1.8e308); give the amounts in a larger unit",
            file=sums.file,
            column=sums.before_name,
            value=float(sums_in.unit_before.max()),
        )
    if total_before <= 0:
        raise EvalkitError(
            f"the total of {sums.before_name} is 0, so the reduction rate is undefined "
            f"(every row has {sums.before_name} = 0)",
            file=sums.file,
            column=sums.before_name,
            value=0.0,
        )
    saved = total_before - total_after
    rate = saved / total_before
    fields = {
        "n": int(ub.size),
        "n_effective": _kish(ub),
        "total_before": total_before,
        "total_after": total_after,
        "saved": float(saved),
        "rate": float(rate),
        "measure": measure,
        "confidence": float(confidence),
        "target": None if target is None else float(target),
        "target_metric": target_metric,
        "excluded": sums.excluded,
    }
    resample = {"n_resamples": n_resamples, "rng": rng, "random_state": random_state}
    fields.update(_rate_statistics(sums, rate, confidence, resample))
    unit_fields, wilcoxon_note = _unit_statistics(sums, confidence)
    fields.update(unit_fields)
    fields.update(_period_statistics(sums, confidence, period_ci, resample))
    _rescale(fields, scale)
    fields.update(_verdicts(fields))
    notes = reduction_notes(fields, sums, wilcoxon_note)
    return ReductionResult(**fields, _method_notes=tuple(notes))


def _power_of_two(sums: ReductionSums) -> float:
    """The power of two nearest below the largest per-unit sum (1 when all are 0)."""
    largest = max(float(sums.unit_before.max()), float(sums.unit_after.max()))
    return 2.0 ** math.floor(math.log2(largest)) if largest > 0 else 1.0


def _scaled(sums: ReductionSums, scale: float) -> ReductionSums:
    """The sums divided by ``scale`` (exact for a power of two; 1 / 2**-1074 would overflow)."""
    periods = sums.period_before is not None
    return dataclasses.replace(
        sums,
        unit_before=sums.unit_before / scale,
        unit_after=sums.unit_after / scale,
        period_before=sums.period_before / scale if periods else None,
        period_after=sums.period_after / scale if periods else None,
    )


def _rescale(fields: dict[str, Any], scale: float) -> None:
    """Amounts back in the data's unit: tables, means and their intervals."""
    if scale == 1.0:
        return
    for table in ("per_unit", "per_period"):
        if fields[table] is not None:
            for col in ("before", "after", "saved"):
                fields[table][col] = fields[table][col] * scale
    for name in ("mean_saved", "mean_saved_per_period"):
        if fields[name] is not None:
            fields[name] *= scale
            low, high = fields[f"{name}_ci"]
            fields[f"{name}_ci"] = (low * scale, high * scale)


def _kish(before: np.ndarray) -> float:
    """Kish's effective number of units, (sum b)^2 / sum b^2, scaled to avoid under/overflow."""
    scaled = before / before.max()
    return float(scaled.sum() ** 2 / (scaled**2).sum())


def _cluster_totals(sums: ReductionSums, values: np.ndarray) -> np.ndarray:
    n_clusters = len(sums.cluster_labels)
    return np.bincount(sums.unit_clusters, weights=values, minlength=n_clusters)


def _rate_statistics(sums: ReductionSums, rate, confidence, resample) -> dict[str, Any]:
    """``rate_ci`` over units, or over clusters with the design effect."""
    ub, ua = sums.unit_before, sums.unit_after
    if sums.cluster_name is None:
        ci, method = rate_ci(ub, ua, rate, confidence, **resample)
        return {
            "rate_ci": ci,
            "rate_ci_method": method,
            "cluster": None,
            "n_clusters": None,
            "design_effect": None,
        }
    cb, ca = _cluster_totals(sums, ub), _cluster_totals(sums, ua)
    ci, method = rate_ci(cb, ca, rate, confidence, **resample)
    n_clusters = cb.size
    method = f"over {n_clusters} clusters ({sums.cluster_name}), each summed first: {method}"
    return {
        "rate_ci": ci,
        "rate_ci_method": method,
        "cluster": sums.cluster_name,
        "n_clusters": int(n_clusters),
        "design_effect": ratio_variance(cb, ca, rate) / ratio_variance(ub, ua, rate),
    }


def _unit_statistics(sums: ReductionSums, confidence) -> tuple[dict[str, Any], str]:
    """Per-unit table, mean unit rate, mean saved with its t test, Wilcoxon, d_z; Wilcoxon note."""
    ub, ua = sums.unit_before, sums.unit_after
    ud = ub - ua
    pos_b = ub > 0
    unit_rate = np.full(ub.size, np.nan)
    np.divide(ud, ub, out=unit_rate, where=pos_b)
    mean_saved, mean_saved_ci, t_stat, t_df, t_p, dz = paired_t(ud, confidence)
    mur_ci = paired_t(unit_rate[pos_b], confidence)[1]
    if sums.cluster_name is not None:
        g = len(sums.cluster_labels)
        _, mean_saved_ci, t_stat, t_df, t_p, _ = cluster_mean(ud, sums.unit_clusters, g, confidence)
        mur_ci = cluster_mean(unit_rate[pos_b], sums.unit_clusters[pos_b], g, confidence)[1]
    w_stat, w_p, w_note = wilcoxon_signed_rank(ud)
    mur_low, mur_high = mur_ci
    fields = {
        "per_unit": pd.DataFrame(
            {
                "unit": sums.unit_labels,
                **unit_parts(sums.unit_labels, sums.unit_columns),
                "before": ub,
                "after": ua,
                "saved": ud,
                "rate": unit_rate,
            }
        ),
        "mean_unit_rate": float(unit_rate[pos_b].mean()),
        # a unit's rate is at most 1 (after >= 0), so is their mean: cap as rate_ci
        "mean_unit_rate_ci": (mur_low, mur_high if math.isnan(mur_high) else min(mur_high, 1.0)),
        "mean_saved": mean_saved,
        "mean_saved_ci": mean_saved_ci,
        "t_statistic": t_stat,
        "t_df": t_df,
        "t_pvalue": t_p,
        "wilcoxon_statistic": w_stat,
        "wilcoxon_pvalue": w_p,
        "cohens_dz": dz,
    }
    return fields, w_note


def _period_statistics(sums: ReductionSums, confidence, period_ci, resample) -> dict[str, Any]:
    """Per-period table and the mean saved per period with its interval."""
    if sums.period_labels is None:
        return {
            "per_period": None,
            "mean_saved_per_period": None,
            "mean_saved_per_period_ci": None,
            "mean_saved_per_period_ci_method": None,
            "n_periods": None,
        }
    pb, pa = sums.period_before, sums.period_after
    per_period = pd.DataFrame(
        {
            "period": sums.period_labels,
            "before": pb,
            "after": pa,
            "saved": pb - pa,
            "n_units": sums.period_units,
        }
    )
    n_periods = len(sums.period_labels)
    mean_pp, ci, *_ = paired_t(pb - pa, confidence)
    method = f"t interval over {n_periods} periods, df = {n_periods - 1}"
    if period_ci == "units":
        ci, method = _unit_bootstrap_ci(sums, n_periods, confidence, resample)
    return {
        "per_period": per_period,
        "mean_saved_per_period": mean_pp,
        "mean_saved_per_period_ci": ci,
        "mean_saved_per_period_ci_method": method,
        "n_periods": n_periods,
    }


def _unit_bootstrap_ci(sums: ReductionSums, n_periods, confidence, resample):
    """BCa interval of (total saved) / n_periods, resampling units (or clusters) whole.

    Above :data:`BOOTSTRAP_MAX_UNITS` units the t interval of the same quantity
    (the mean saved per unit times n / P): a bootstrap would cost seconds and its
    jackknife step memory quadratic in the units.
    """
    saved = sums.unit_before - sums.unit_after
    what = "units"
    if sums.cluster_name is not None:
        saved, what = _cluster_totals(sums, saved), f"clusters ({sums.cluster_name})"
    if saved.size < 2:
        return (math.nan, math.nan), f"none: fewer than 2 {what}"
    if np.ptp(saved) <= 1e-12 * max(float(np.abs(saved).max()), 1e-300):
        return (math.nan, math.nan), f"none: every one of the {what} saved the same"
    if saved.size > BOOTSTRAP_MAX_UNITS:
        # the same quantity, analytically: n x (t interval of the mean) / P
        scale = saved.size / n_periods
        low, high = paired_t(saved, confidence)[1]
        return (scale * low, scale * high), (
            f"t interval over {saved.size} {what} of (total saved) / {n_periods}, "
            f"df = {saved.size - 1}; {saved.size} > {BOOTSTRAP_MAX_UNITS}, the bootstrap limit"
        )
    (saved,) = on_grid(saved)  # the same numbers whatever order the rows were added in
    ci = bca_interval(np.sort(saved), lambda x: x.sum(axis=-1) / n_periods, confidence, resample)
    if ci is None:
        return (math.nan, math.nan), "none: the bootstrap distribution is degenerate"
    return ci, (
        f"BCa bootstrap over {saved.size} {what}, each one's periods kept together, "
        f"{resample['n_resamples']} resamples, {seed_text(resample['random_state'])}"
    )


def _verdicts(fields: dict[str, Any]) -> dict[str, Any]:
    """``meets_target`` and ``meets_target_confidently`` for the chosen estimate."""
    if fields["target"] is None:
        return {"meets_target": None, "meets_target_confidently": None}
    metric, target = fields["target_metric"], fields["target"]
    ci = fields[f"{metric}_ci"]
    return {
        "meets_target": at_least(fields[metric], target),
        "meets_target_confidently": None if ci is None else at_least(ci[0], target),
    }
