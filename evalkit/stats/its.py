"""Interrupted time series: the change in level and trend of one series at an intervention.

:func:`its` fits the segmented regression of Bernal, Cummins and Gasparrini
(2017) to one series with one row per period (e.g. the mean drafting hours
per department each month), with Newey-West standard errors, and compares
the fit with the counterfactual "the initiative was never introduced".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._results import SUMMARY_COLUMNS, ResultMixin
from .._validation import _plain, is_blank, numeric, row_number, select, source_file
from ..errors import EvalkitError
from ..readers.fiscal import parse_month

__all__ = ["ItsResult", "its", "newey_west_lags"]

#: Terms of the segmented regression before the month-of-year dummies.
BASE_TERMS = ("const", "t", "post", "since")
#: Periods on either side of the intervention below which the notes warn.
FEW_PERIODS = 12


def newey_west_lags(n_periods: int) -> int:
    """Lags of the Newey-West (1994) rule: :math:`\\lfloor 4 (T/100)^{2/9} \\rfloor`.

    Examples
    --------
    >>> [newey_west_lags(t) for t in (12, 24, 36, 48, 100, 120)]
    [2, 2, 3, 3, 4, 4]
    """
    return int(math.floor(4 * (n_periods / 100) ** (2 / 9)))


@dataclass(frozen=True, eq=False, repr=False)
class ItsResult(ResultMixin):
    """Result of :func:`its`; see that function for the meaning of each field."""

    level_change: float
    level_change_se: float
    level_change_ci: tuple[float, float]
    slope_change: float
    slope_change_se: float
    slope_change_ci: tuple[float, float]
    pre_slope: float
    pre_slope_se: float
    pre_slope_ci: tuple[float, float]
    effect: float
    effect_se: float
    effect_ci: tuple[float, float]
    counterfactual: pd.DataFrame
    n_periods: int
    n_pre: int
    n_post: int
    intervention: Any
    hac_lags: int
    hac_lags_rule: str
    seasonal: bool
    confidence: float
    df_resid: int
    perfect_fit: bool
    params: pd.Series
    cov: pd.DataFrame
    outcome: str
    period_word: str

    _title = "中断時系列分析（ITS: interrupted time series）"

    def summary(self) -> pd.DataFrame:
        """Tidy table, one row per metric: metric, value, ci_low, ci_high, unit.

        Returns
        -------
        pandas.DataFrame
            Columns ``metric`` (the field name), ``value``, ``ci_low``,
            ``ci_high`` (NaN where a metric has no interval) and ``unit``:
            the outcome's name for the level change and the effect,
            ``"<outcome>/<period>"`` for slopes, ``"<period>s"`` for counts
            of periods, ``"lags"`` and ``"df"``.
        """
        nan = math.nan
        y, word = self.outcome, self.period_word
        rows = [
            ("level_change", self.level_change, *self.level_change_ci, y),
            ("slope_change", self.slope_change, *self.slope_change_ci, f"{y}/{word}"),
            ("pre_slope", self.pre_slope, *self.pre_slope_ci, f"{y}/{word}"),
            ("effect", self.effect, *self.effect_ci, y),
            ("n_periods", float(self.n_periods), nan, nan, f"{word}s"),
            ("n_pre", float(self.n_pre), nan, nan, f"{word}s"),
            ("n_post", float(self.n_post), nan, nan, f"{word}s"),
            ("hac_lags", float(self.hac_lags), nan, nan, "lags"),
            ("df_resid", float(self.df_resid), nan, nan, "df"),
        ]
        out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
        for col in ("value", "ci_low", "ci_high"):
            out[col] = out[col].astype("float64")
        return out

    def _notes(self) -> list[str]:
        level = f"{round(100 * self.confidence, 6):g}%"
        seasons = " + 11 month-of-year dummies" if self.seasonal else ""
        notes = [
            f"Design: segmented regression (Bernal et al. 2017), y = b0 + b1 t + b2 post + "
            f"b3 (t - t0) post{seasons}, OLS on {self.n_periods} {self.period_word}s: "
            f"{self.n_pre} before and {self.n_post} from the intervention "
            f"({self.intervention}) on. level_change = b2, slope_change = b3, "
            f"effect = mean of fitted - counterfactual over the {self.n_post} post periods "
            f"= b2 + {(self.n_post - 1) / 2:g} b3.",
            f"Standard errors: Newey-West (HAC, Bartlett kernel) with {self.hac_lags} lag(s), "
            f"{self.hac_lags_rule}, with the small-sample factor n/(n - k) as R "
            "sandwich::NeweyWest(adjust = TRUE); "
            f"{level} intervals use the t distribution on the residual df ({self.df_resid}).",
            "If units adopt in different months (staggered adoption), the series mixes units "
            "with and without the tool: the level change at the intervention is diluted "
            "(spread into the slope change). Use a comparison-group design (evalkit.did) for "
            "staggered adoption.",
            "Evidence level: Maryland Scientific Methods Scale level 2 (one series before and "
            "after, no comparison group): anything else that changed at the intervention "
            "(reorganisation, a new fiscal year, workload) is counted as its effect.",
        ]
        if self.perfect_fit:
            notes.append(
                "Essentially perfect fit (residual variance below 1e-20 (mean(fitted)^2 + "
                "var(fitted)), as R's summary.lm tests with 1e-30): standard errors and "
                "intervals are NaN rather than of zero width."
            )
        if min(self.n_pre, self.n_post) < FEW_PERIODS:
            notes.append(
                f"Fewer than {FEW_PERIODS} {self.period_word}s on one side of the "
                f"intervention ({self.n_pre} before, {self.n_post} after): the trend on that "
                "side rests on few points and Newey-West intervals from short series tend to "
                "be too narrow."
            )
        return notes


def its(
    data: pd.DataFrame | None = None,
    *,
    outcome: Any,
    period: Any,
    intervention: Any,
    seasonal: bool = True,
    hac_lags: int | None = None,
    confidence: float = 0.95,
) -> ItsResult:
    """Interrupted time series: level and slope change of one series at an intervention.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        One row per period of a single series (e.g. the mean drafting hours
        per department, one row per month), in any order. When omitted,
        ``outcome`` and ``period`` are equal-length array-likes.
    outcome : str or array-like
        Column name (or the values): the outcome, a finite number in every
        period (negative values are allowed).
    period : str or array-like
        Column name (or the values): the period of each row. Months as
        :class:`pandas.Period` (``freq="M"``), timestamps, or text that
        :func:`evalkit.parse_month` reads (``"2019-04"``, ``"令和元年5月"``,
        ``"R1.5"``, ...); other pandas Periods of one frequency and whole
        numbers (0, 1, 2, ...) only with ``seasonal=False``. Every period
        between the first and the last must be present once.
    intervention : period-like
        First period with the initiative in place, of the same kind as
        ``period`` (e.g. ``"2020-10"``). At least 2 periods must come
        before it and at least 2 from it on.
    seasonal : bool, default True
        Add month-of-year dummies (11, the month of the first period being
        the reference), so that a peak every March is not read as an effect.
        Needs monthly periods, at least 16 of them, and more than 12 on one
        side of the intervention.
    hac_lags : int, optional
        Lags of the Newey-West covariance, ``0 <= hac_lags < n_periods``.
        Default: the Newey-West (1994) rule :math:`\\lfloor 4 (T/100)^{2/9}
        \\rfloor` for :math:`T` periods (2 for 24 months, 3 for 36 or 48,
        4 for 100 to 120).
    confidence : float, default 0.95
        Confidence level of all intervals, strictly between 0 and 1.

    Returns
    -------
    ItsResult
        Frozen result with fields:

        - ``level_change``, ``level_change_se``, ``level_change_ci``: the
          jump at the intervention (:math:`b_2`), its Newey-West standard
          error and interval.
        - ``slope_change``, ``slope_change_se``, ``slope_change_ci``: the
          change of the trend per period (:math:`b_3`).
        - ``pre_slope``, ``pre_slope_se``, ``pre_slope_ci``: the trend per
          period before the intervention (:math:`b_1`).
        - ``effect``, ``effect_se``, ``effect_ci``: the mean over the post
          periods of fitted minus counterfactual,
          :math:`b_2 + \\overline{s}\\, b_3` with :math:`\\overline{s} =
          (n_{post} - 1)/2` the mean of ``since`` over those periods; its
          standard error by the delta method (exact here: a linear
          combination), :math:`\\sqrt{w^\\top V w}` with the HAC covariance
          :math:`V`.
        - ``counterfactual``: DataFrame ``period, observed, fitted,
          counterfactual`` in time order; ``counterfactual`` is the fit with
          ``post = since = 0`` (trend and seasonal dummies kept), equal to
          ``fitted`` before the intervention.
        - ``n_periods``, ``n_pre``, ``n_post``: periods in all, before the
          intervention and from it on.
        - ``intervention``: the intervention period as parsed (a
          :class:`pandas.Period` for months).
        - ``hac_lags`` and ``hac_lags_rule`` (how the lags were chosen).
        - ``seasonal``, ``confidence``; ``df_resid``: :math:`n - k`, the
          degrees of freedom of the t intervals.
        - ``perfect_fit``: True when the series is fitted essentially
          exactly: residual variance below :math:`10^{-20}` times
          mean(fitted)² + var(fitted), R's test in ``summary.lm`` with a
          bound that allows for the rounding of statsmodels' least squares
          (residuals of an exact series are about :math:`10^{-13}` of its
          scale there; R's QR fit is tested against :math:`10^{-30}`);
          standard errors, intervals and ``cov`` are then NaN, never of
          zero width.
        - ``params``: Series of all coefficients, by term (``const``, ``t``,
          ``post``, ``since``, ``month_<m>``); ``cov``: their HAC
          covariance, a DataFrame with the terms as index and columns.
        - ``outcome``: the outcome's name (units of the summary);
          ``period_word``: ``"month"`` or ``"period"``.

    Raises
    ------
    EvalkitError
        Naming file, row, column and value: a missing column; an outcome
        that is missing, infinite or not a number; a missing period, a
        period that is not a month, periods of different kinds; the same
        period twice (both rows named); a gap in the series (the missing
        period named); an intervention that is not in the series, is its
        first period or leaves fewer than 2 periods before or after it; too
        few periods for the parameters (the number needed is given); with
        ``seasonal=True``, 12 or fewer months on both sides of the intervention
        (the trend, the level change and the month dummies are then
        collinear); ``hac_lags`` negative, not a whole
        number or not below the number of periods; a bad ``confidence`` or
        ``seasonal``.

    Notes
    -----
    *Model* (Bernal, Cummins and Gasparrini 2017). With periods sorted and
    numbered :math:`t = 0, 1, \\ldots, T - 1`, the intervention at
    :math:`t_0`, :math:`post_t = [t \\ge t_0]` and
    :math:`since_t = (t - t_0)\\, post_t`,

    .. math:: y_t = b_0 + b_1 t + b_2\\, post_t + b_3\\, since_t
              + \\sum_m c_m [month_t = m] + e_t,

    fitted by ordinary least squares (statsmodels ``OLS``). ``b_2`` is the
    change in level at the intervention, ``b_3`` the change in slope, and
    the counterfactual drops both terms.

    *Standard errors*: Newey and West (1987), Bartlett kernel with weights
    :math:`1 - l/(L + 1)`, :math:`l = 0..L`, ``L = hac_lags``,

    .. math:: V = \\frac{n}{n - k} (X^\\top X)^{-1}
              \\Big(\\sum_{l=-L}^{L} w_{|l|} \\sum_t x_t e_t e_{t-l} x_{t-l}^\\top\\Big)
              (X^\\top X)^{-1},

    with :math:`n` periods and :math:`k` coefficients: statsmodels
    ``cov_type="HAC"`` with ``use_correction=True``, identical to R
    ``sandwich::NeweyWest(fit, lag = L, prewhite = FALSE, adjust = TRUE)``.
    The factor :math:`n/(n - k)` is applied because monthly series are
    short (often 24 to 60 periods with up to 15 coefficients), where the
    uncorrected estimator is biased downwards. Intervals are
    :math:`\\hat b \\pm t_{n-k}\\, se`, as R
    ``lmtest::coefci(fit, vcov. = NeweyWest(...))`` gives for an ``lm``
    fit: the t quantile on the residual df is wider than the normal one
    and so errs on the side of caution in short series. The default lag
    rule is the one of Newey and West (1994) for the Bartlett kernel
    (also statsmodels' default); it is a rule of thumb, not a data-driven
    choice.

    *Interpretation*. The design has no comparison group (Maryland
    Scientific Methods Scale level 2): whatever else changed at the
    intervention is counted in the effect. When units adopt at different
    times, the series mixes adopters and non-adopters, which dilutes the
    level change at the intervention; a comparison-group design suits
    staggered adoption better. Wagner et al. (2002) suggest at least 12
    periods before and after, especially with seasonality; the notes warn
    below that.

    References
    ----------
    .. [1] Bernal, J. L., Cummins, S. and Gasparrini, A. (2017). Interrupted
       time series regression for the evaluation of public health
       interventions: a tutorial. *International Journal of Epidemiology*
       46(1), 348-355.
    .. [2] Newey, W. K. and West, K. D. (1987). A simple, positive
       semi-definite, heteroskedasticity and autocorrelation consistent
       covariance matrix. *Econometrica* 55(3), 703-708.
    .. [3] Newey, W. K. and West, K. D. (1994). Automatic lag selection in
       covariance matrix estimation. *Review of Economic Studies* 61(4),
       631-653.
    .. [4] Zeileis, A. (2004). Econometric computing with HC and HAC
       covariance matrix estimators. *Journal of Statistical Software*
       11(10).
    .. [5] Wagner, A. K., Soumerai, S. B., Zhang, F. and Ross-Degnan, D.
       (2002). Segmented regression analysis of interrupted time series
       studies in medication use research. *Journal of Clinical Pharmacy
       and Therapeutics* 27(4), 299-309.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.stats.its import its
    >>> months = pd.period_range("2019-04", periods=36, freq="M")
    >>> t = pd.Series(range(36), dtype="float64")
    >>> post = (t >= 18).astype("float64")
    >>> wiggle = [0.3, -0.2, 0.1, -0.3, 0.2, -0.1] * 6
    >>> df = pd.DataFrame({
    ...     "month": months.astype(str),
    ...     "hours": 40 - 0.1 * t - 5 * post - 0.3 * (t - 18) * post + wiggle,
    ... })
    >>> res = its(df, outcome="hours", period="month", intervention="2020-10",
    ...           seasonal=False)
    >>> res.n_pre, res.n_post, res.hac_lags
    (18, 18, 3)
    >>> round(res.level_change, 2), round(res.slope_change, 2)
    (-4.93, -0.3)
    >>> round(res.effect, 2) == round(res.level_change + 8.5 * res.slope_change, 2)
    True
    >>> res.counterfactual.columns.tolist()
    ['period', 'observed', 'fitted', 'counterfactual']
    """
    _check_options(seasonal, confidence)
    y, series, t0, k, y_name = _read_series(data, outcome, period, intervention, seasonal)
    return _segmented(y, series, t0, k, seasonal, hac_lags, confidence, y_name)


def _read_series(data, outcome, period, intervention, seasonal):
    """Step 1: the outcome in period order, the periods, the intervention's position."""
    file = source_file(data)
    y_ser, y_tab = select(data, outcome, role="outcome")
    p_ser, p_tab = select(data, period, role="period")
    y_name = str(outcome) if data is not None else "outcome"
    p_name = str(period) if data is not None else "period"
    if len(y_ser) != len(p_ser):
        raise EvalkitError(
            f"outcome and period have different lengths ({len(y_ser)} and {len(p_ser)})"
        )
    if len(y_ser) == 0:
        raise EvalkitError("no rows: the series is empty", file=file)
    y = numeric(y_ser, column=y_name, file=file, tabular=y_tab, allow_negative=True)
    series = _Periods.read(p_ser, column=p_name, file=file, tabular=p_tab, seasonal=seasonal)
    order = series.order
    y = y[order]
    n = y.size
    t0 = series.locate(intervention)
    k = len(BASE_TERMS) + (11 if seasonal else 0)
    if n < k + 1:
        raise EvalkitError(
            f"too few periods: {n} {series.word}s for {k} coefficients ({', '.join(BASE_TERMS)}"
            + (" and 11 month-of-year dummies" if seasonal else "")
            + f"); at least {k + 1} are needed"
            + (", or pass seasonal=False (needs 5)" if seasonal else ""),
            file=file,
            column=p_name,
        )
    if seasonal and max(t0, n - t0) <= 12:
        # then t = (position in the year) + 12 post for months seen twice: the trend,
        # the level change and the month dummies are collinear
        raise EvalkitError(
            f"with seasonal=True the trend cannot be told apart from the month of the year "
            f"and the level change when neither side of the intervention has more than 12 "
            f"months (here {t0} before and {n - t0} from it on); use a longer series, or "
            "seasonal=False",
            file=file,
            column="intervention",
            value=_plain(intervention),
        )
    return y, series, t0, k, y_name


def _segmented(y, series, t0, k, seasonal, hac_lags, confidence, y_name) -> ItsResult:
    """Step 2: fit the segmented regression and read the changes off it."""
    n = y.size
    # with 16 or more consecutive months every month of the year is present
    X, terms = _design(n, t0, series.months if seasonal else None)
    lags, rule = _lags(hac_lags, n)
    fit = _fit(y, X, lags)
    params = pd.Series(np.asarray(fit.params, dtype="float64"), index=list(terms))
    df_resid = n - k
    fitted = X @ params.to_numpy()
    perfect = _perfect_fit(y - fitted, fitted, df_resid)
    cov_values = np.asarray(fit.cov_params(), dtype="float64")
    if perfect:  # a zero-width interval would claim a certainty the data cannot give
        cov_values = np.full_like(cov_values, np.nan)
    cov = pd.DataFrame(cov_values, index=terms, columns=terms)
    from scipy import stats as sstats

    q = float(sstats.t.ppf(0.5 + confidence / 2, df_resid))

    def estimate(weights: np.ndarray) -> tuple[float, float, tuple[float, float]]:
        value = float(weights @ params.to_numpy())
        var = float(weights @ cov.to_numpy() @ weights)
        se = math.sqrt(max(var, 0.0)) if math.isfinite(var) else math.nan
        return value, se, (value - q * se, value + q * se)

    def unit(term: str) -> np.ndarray:
        return (np.asarray(terms) == term).astype("float64")

    n_post = n - t0
    mean_since = (n_post - 1) / 2
    level, level_se, level_ci = estimate(unit("post"))
    slope, slope_se, slope_ci = estimate(unit("since"))
    pre, pre_se, pre_ci = estimate(unit("t"))
    effect, effect_se, effect_ci = estimate(unit("post") + mean_since * unit("since"))
    X_cf = X.copy()
    X_cf[:, 2:4] = 0.0
    frame = pd.DataFrame(
        {
            "period": series.labels,
            "observed": y,
            "fitted": fitted,
            "counterfactual": X_cf @ params.to_numpy(),
        }
    )
    return ItsResult(
        level_change=level,
        level_change_se=level_se,
        level_change_ci=level_ci,
        slope_change=slope,
        slope_change_se=slope_se,
        slope_change_ci=slope_ci,
        pre_slope=pre,
        pre_slope_se=pre_se,
        pre_slope_ci=pre_ci,
        effect=effect,
        effect_se=effect_se,
        effect_ci=effect_ci,
        counterfactual=frame,
        n_periods=n,
        n_pre=t0,
        n_post=n_post,
        intervention=_plain(series.labels[t0]),
        hac_lags=lags,
        hac_lags_rule=rule,
        seasonal=bool(seasonal),
        confidence=float(confidence),
        df_resid=df_resid,
        perfect_fit=perfect,
        params=params,
        cov=cov,
        outcome=y_name,
        period_word=series.word,
    )


# ----------------------------------------------------------------------------- options


def _check_options(seasonal: Any, confidence: Any) -> None:
    if not isinstance(seasonal, bool | np.bool_):
        raise EvalkitError("seasonal= must be True or False", column="seasonal", value=seasonal)
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, int | float | np.floating)
        or not 0 < confidence < 1
    ):
        raise EvalkitError(
            "confidence= must be a number strictly between 0 and 1",
            column="confidence",
            value=confidence,
        )


def _lags(hac_lags: Any, n: int) -> tuple[int, str]:
    rule = f"Newey-West (1994) rule floor(4 (T/100)^(2/9)) for T = {n}"
    if hac_lags is None:
        return newey_west_lags(n), rule
    if isinstance(hac_lags, bool) or not isinstance(hac_lags, int | np.integer):
        raise EvalkitError(
            "hac_lags= must be a whole number of 0 or more, or None for the Newey-West rule",
            column="hac_lags",
            value=hac_lags,
        )
    if not 0 <= hac_lags < n:
        raise EvalkitError(
            f"hac_lags= must be between 0 and {n - 1} (fewer than the {n} periods); "
            f"the Newey-West rule gives {newey_west_lags(n)}",
            column="hac_lags",
            value=int(hac_lags),
        )
    return int(hac_lags), "as given (hac_lags=)"


# ----------------------------------------------------------------------------- periods


@dataclass(frozen=True, eq=False)
class _Periods:
    """The sorted, complete series of periods: labels, order of the rows, months of the year."""

    labels: pd.Index  # sorted labels (PeriodIndex or int64 Index)
    order: np.ndarray  # positions of the rows in time order
    months: np.ndarray | None  # month of the year (1-12) of each sorted period, or None
    kind: str  # "month", "period" or "integer"
    freq: str | None
    column: str

    @property
    def word(self) -> str:
        return "month" if self.kind == "month" else "period"

    @classmethod
    def read(cls, ser: pd.Series, *, column, file, tabular, seasonal) -> _Periods:
        def error(reason: str, pos: int, value: Any = None) -> EvalkitError:
            return EvalkitError(
                reason,
                file=file,
                row=row_number(pos, tabular=tabular),
                column=column,
                value=_plain(ser.iloc[pos]) if value is None else value,
            )

        for pos, value in enumerate(ser):
            if is_blank(value):
                raise error("missing period; every row needs one", pos)
            if isinstance(value, bool | np.bool_):
                raise error("a true/false value, not a period", pos)
        kind, keys, labels, freq = cls._parse(ser, error, seasonal)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        same = np.flatnonzero(np.diff(sorted_keys) == 0)
        if same.size:
            first, second = sorted(int(p) for p in order[same[0] : same[0] + 2])
            raise error(
                f"the same period appears twice (also row {row_number(first, tabular=tabular)}); "
                "the series needs one row per period: aggregate first (e.g. the mean over "
                "departments of each month)",
                second,
            )
        steps = np.diff(sorted_keys)
        gap = np.flatnonzero(steps > 1)
        if gap.size:
            at = int(gap[0])
            missing = int(sorted_keys[at] + 1)
            n_missing = int((steps[steps > 1] - 1).sum())
            name = _label_text(missing, kind, freq)
            more = f" ({n_missing} periods missing in all)" if n_missing > 1 else ""
            hint = ""
            if kind == "integer" and _looks_like_yyyymm(sorted_keys):
                hint = (
                    "; these numbers look like YYYYMM months: convert them with "
                    "evalkit.parse_month to get months"
                )
            raise error(
                f"gap in the series: no row for {name}{more}, between "
                f"{_label_text(int(sorted_keys[at]), kind, freq)} and this row; every "
                f"{'month' if kind == 'month' else 'period'} from the first to the last needs "
                f"one row{hint}",
                int(order[at + 1]),
            )
        sorted_labels = labels[order]
        months = None
        if kind == "month":
            months = np.asarray(pd.PeriodIndex(sorted_labels, freq="M").month, dtype=np.int64)
        return cls(
            labels=sorted_labels,
            order=order,
            months=months,
            kind=kind,
            freq=freq,
            column=column,
        )

    @staticmethod
    def _parse(ser, error, seasonal):
        dtype = ser.dtype
        inferred = pd.api.types.infer_dtype(ser, skipna=False)
        if pd.api.types.is_numeric_dtype(dtype) or inferred in (
            "integer",
            "floating",
            "mixed-integer-float",
        ):
            values = np.asarray(pd.to_numeric(ser), dtype="float64")
            odd = np.flatnonzero(~np.isfinite(values) | (values != np.round(values)))
            if odd.size:
                raise error("not a whole period number", int(odd[0]))
            if seasonal:
                raise error(
                    "whole-number periods carry no month of the year, so seasonal=True "
                    "cannot be used; give months (pandas Periods, '2019-04', 令和元年5月; "
                    "evalkit.parse_month reads a number YYYYMM such as 201904) or pass "
                    "seasonal=False",
                    0,
                )
            keys = values.astype(np.int64)
            return "integer", keys, pd.Index(keys, dtype="int64"), None
        if isinstance(dtype, pd.PeriodDtype):
            index = pd.PeriodIndex(ser)
        else:
            parsed = []
            for pos, value in enumerate(ser):
                if isinstance(value, pd.Period):
                    parsed.append(value)
                    continue
                try:
                    parsed.append(parse_month(value))
                except EvalkitError as err:
                    raise error(err.reason, pos) from None
            freqs = [p.freqstr for p in parsed]
            odd = [i for i, f in enumerate(freqs) if f != freqs[0]]
            if odd:
                raise error(
                    f"periods of different kinds (the first is {parsed[0]!s}, of frequency "
                    f"{freqs[0]}); use months throughout",
                    odd[0],
                )
            index = pd.PeriodIndex(parsed)
        freq = index.freqstr
        kind = "month" if freq == "M" else "period"
        if seasonal and kind != "month":
            raise error(
                f"seasonal=True needs monthly periods, these are of frequency {freq}; "
                "pass seasonal=False",
                0,
            )
        keys = np.asarray(index.asi8, dtype=np.int64)
        return kind, keys, index, freq

    def locate(self, intervention: Any) -> int:
        """Position of ``intervention`` in the sorted series; at least 2 periods either side."""
        value = self._intervention_key(intervention)
        keys = self._keys()
        where = np.flatnonzero(keys == value)
        first, last = self.labels[0], self.labels[-1]
        if not where.size:
            raise EvalkitError(
                f"intervention is not in the series ({first} .. {last}, {len(keys)} {self.word}s)",
                column="intervention",
                value=_plain(intervention),
            )
        t0 = int(where[0])
        if t0 == 0:
            raise EvalkitError(
                f"intervention is the first period of the series ({first}): there is no "
                "period before it to compare with; at least 2 are needed",
                column="intervention",
                value=_plain(intervention),
            )
        if t0 < 2:
            raise EvalkitError(
                f"intervention leaves only {t0} period before it ({first}); at least 2 are "
                "needed to estimate the trend before the intervention",
                column="intervention",
                value=_plain(intervention),
            )
        if len(keys) - t0 < 2:
            raise EvalkitError(
                f"intervention leaves only {len(keys) - t0} period from it on (the series ends "
                f"at {last}); at least 2 are needed to estimate the change in trend",
                column="intervention",
                value=_plain(intervention),
            )
        return t0

    def _keys(self) -> np.ndarray:
        if self.kind == "integer":
            return np.asarray(self.labels, dtype=np.int64)
        return np.asarray(self.labels.asi8, dtype=np.int64)

    def _intervention_key(self, value: Any) -> int:
        def bad(reason: str) -> EvalkitError:
            return EvalkitError(reason, column="intervention", value=_plain(value))

        if is_blank(value) or isinstance(value, bool | np.bool_):
            raise bad(f"intervention must be a period of the series ({self.labels[0]}, ...)")
        if self.kind == "integer":
            if isinstance(value, int | np.integer) or (
                isinstance(value, float | np.floating) and float(value).is_integer()
            ):
                return int(value)
            raise bad("intervention must be a whole number, like the periods of the series")
        if isinstance(value, pd.Period):
            if value.freqstr != self.freq:
                raise bad(
                    f"intervention is a period of frequency {value.freqstr}, the series' "
                    f"periods are of frequency {self.freq}"
                )
            return int(value.ordinal)
        if self.kind == "month":
            try:
                return int(parse_month(value).ordinal)
            except EvalkitError as err:
                raise bad(err.reason) from None
        try:
            return int(pd.Period(value, freq=self.freq).ordinal)
        except (TypeError, ValueError):
            raise bad(f"intervention is not a period of frequency {self.freq}") from None


def _label_text(key: int, kind: str, freq: str | None) -> str:
    return str(key) if kind == "integer" else str(pd.Period(ordinal=key, freq=freq))


def _looks_like_yyyymm(keys: np.ndarray) -> bool:
    return bool(((keys >= 100001) & (keys <= 999912) & np.isin(keys % 100, range(1, 13))).all())


# ----------------------------------------------------------------------------- model


def _design(n: int, t0: int, months: np.ndarray | None) -> tuple[np.ndarray, list[str]]:
    """Columns const, t, post, since and (with ``months``) the month-of-year dummies."""
    t = np.arange(n, dtype="float64")
    post = (t >= t0).astype("float64")
    columns = [np.ones(n), t, post, (t - t0) * post]
    terms = list(BASE_TERMS)
    if months is not None:
        reference = int(months[0])
        for m in sorted(set(months.tolist()) - {reference}):
            columns.append((months == m).astype("float64"))
            terms.append(f"month_{m}")
    return np.column_stack(columns), terms


def _perfect_fit(resid: np.ndarray, fitted: np.ndarray, df_resid: int) -> bool:
    """Residual variance < 1e-20 (mean(f)^2 + var(f)): R's test in ``summary.lm``, with 1e-20.

    R tests against 1e-30 after a QR fit; statsmodels' pseudo-inverse leaves
    residuals of about 1e-13 of the scale on an exact series, and no recorded
    series comes within 1e-10 of a straight fit.
    """
    resvar = float(resid @ resid) / df_resid
    scale = float(np.mean(fitted)) ** 2 + float(np.var(fitted, ddof=1))
    return resvar < scale * 1e-20


def _fit(y: np.ndarray, X: np.ndarray, lags: int):
    from statsmodels.regression.linear_model import OLS

    return OLS(y, X).fit(
        cov_type="HAC",
        cov_kwds={"maxlags": lags, "kernel": "bartlett", "use_correction": True},
        use_t=True,
    )
