"""Share of satisfied answers, with its confidence interval and a test against a target.

:func:`satisfaction_rate` reads Likert-type answers onto a scale (see
:mod:`evalkit.stats.scales`), counts the answers in the positive categories
(top-2-box by default) over the valid answers, and reports the rate with a
binomial confidence interval from :func:`proportion_ci`. It also reports how
far blank answers could move the rate (non-response bounds), and, when asked,
accounts for survey weights (``weights=``) and clustered answers
(``cluster=``); with ``by=``, every group's test carries a Holm-adjusted
p-value.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._compare import at_least, at_most
from .._results import SUMMARY_COLUMNS, ResultMixin
from .._validation import row_number, select, source_file
from ..errors import EvalkitError
from ._survey import (
    FEW_CLUSTERS,
    NO_DESIGN,
    VERY_FEW_CLUSTERS,
    Design,
    check_design,
    cluster_robust,
    effective_binomial,
    holm,
    method_texts,
    nonresponse,
)
from .proportion import METHODS, _confidence, _method, _target, proportion_ci
from .sample_size import min_n_to_confirm, target_sensitivity
from .scales import Scale, _codes, get_scale

__all__ = [
    "SatisfactionResult",
    "min_n_to_confirm",
    "satisfaction_rate",
    "target_sensitivity",
]


@dataclass(frozen=True, eq=False, repr=False)
class SatisfactionResult(ResultMixin):
    """Result of :func:`satisfaction_rate`; every field is described there."""

    n: int
    n_positive: int
    n_missing: int
    rate: float
    ci: tuple[float, float]
    method: str
    confidence: float
    counts: pd.Series
    scale: tuple[str, ...]
    positive: tuple[str, ...]
    target: float | None
    p_value: float | None
    meets_target: bool | None
    meets_target_confidently: bool | None
    mean_score: float
    excluded: pd.DataFrame
    # Added for "Honest uncertainty"; the defaults keep results built by older code valid.
    response_rate: float = math.nan
    nonresponse_bounds: tuple[float, float] = (math.nan, math.nan)
    meets_target_under_nonresponse: bool | None = None
    n_effective: float = math.nan
    design_effect: float = 1.0
    se: float = math.nan
    n_clusters: int | None = None
    weights: str | None = None
    cluster: str | None = None
    interval_method: str = ""
    test_method: str | None = None

    _title = "Satisfaction rate"
    _title_ja = "満足度 (satisfaction rate)"
    _labels_ja = {"rate": "満足度", "n": "有効回答数", "n_positive": "満足の回答数"}

    def summary(self) -> pd.DataFrame:
        """One row per metric: metric, value, ci_low, ci_high, unit.

        Rows ``n``, ``n_positive``, ``n_missing``, ``rate`` (with its
        interval); with ``weights=`` or ``cluster=``, ``n_effective`` and
        ``design_effect``, and with ``cluster=`` also ``n_clusters``; with a
        target, ``target`` (unit ``"ratio"``) and ``p_value``; then
        ``response_rate``, ``nonresponse_low`` and ``nonresponse_high`` (the
        rate if every blank answer were negative, or positive),
        ``mean_score`` and ``count: <category>`` for every category of the scale.
        """
        nan = math.nan
        rows = [
            ("n", self.n, nan, nan, "answers"),
            ("n_positive", self.n_positive, nan, nan, "answers"),
            ("n_missing", self.n_missing, nan, nan, "answers"),
            ("rate", self.rate, self.ci[0], self.ci[1], "ratio"),
        ]
        if self.weights is not None or self.cluster is not None:
            rows.append(("n_effective", self.n_effective, nan, nan, "answers"))
            rows.append(("design_effect", self.design_effect, nan, nan, "ratio"))
        if self.cluster is not None:
            rows.append(("n_clusters", self.n_clusters, nan, nan, "clusters"))
        if self.target is not None:
            rows.append(("target", self.target, nan, nan, "ratio"))
            rows.append(("p_value", self.p_value, nan, nan, "p"))
        rows += [
            ("response_rate", self.response_rate, nan, nan, "ratio"),
            ("nonresponse_low", self.nonresponse_bounds[0], nan, nan, "ratio"),
            ("nonresponse_high", self.nonresponse_bounds[1], nan, nan, "ratio"),
        ]
        rows.append(("mean_score", self.mean_score, nan, nan, "score"))
        rows += [
            (f"count: {label}", int(c), nan, nan, "answers") for label, c in self.counts.items()
        ]
        out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
        out["value"] = out["value"].astype(float)
        return out

    def _notes(self) -> list[str]:
        notes = [self._rate_note(), *self._design_notes()]
        if self.target is not None:
            verdict = "met" if self.meets_target else "not met"
            if math.isnan(self.ci[0]):
                confident = "there is no interval to confirm it"
            elif self.meets_target_confidently:
                confident = "the lower bound is also at or above it"
            else:
                confident = "the lower bound is below it"
            notes.append(
                f"target {_pct(self.target)}: {verdict} (rate {self.rate:.2%}); {confident}; "
                f"{self.test_method or 'one-sided exact binomial test'} of rate <= target: "
                f"p = {self.p_value:.3g}"
            )
        if self.n_missing:
            rows = ", ".join(str(r) for r in self.excluded["row"].head(10))
            more = ", ..." if self.n_missing > 10 else ""
            notes.append(
                f"{self.n_missing} blank answer(s) left out of the denominator "
                f"({'row' if self.n_missing == 1 else 'rows'} {rows}{more})"
            )
        notes.append(self._nonresponse_note())
        return notes

    def _rate_note(self) -> str:
        share = f"answers in {', '.join(self.positive)} / valid answers"
        if self.weights is not None:
            share = (
                f"weighted share of valid answers in {', '.join(self.positive)} "
                f"(weights {self.weights!r})"
            )
        interval = self.interval_method or f"{METHODS[self.method]} interval"
        note = f"rate = {share}; {_pct(self.confidence)} {interval}"
        if self.cluster is not None:
            note += f"; clusters from {self.cluster!r}"
        if self.weights is not None or self.cluster is not None:
            note += f"; n_effective = {self.n_effective:.1f} of {self.n} answers, " + (
                f"design effect {self.design_effect:.3g}"
                if not math.isnan(self.design_effect)
                else "design effect not defined"
            )
        return note

    def _design_notes(self) -> list[str]:
        notes = []
        if self.weights is not None:
            how = (
                "the cluster-robust variance allows for unequal weights"
                if self.cluster is not None
                else "the interval and test allow for unequal weights by treating the answers "
                "as n_effective independent ones (Kish effective sample size)"
            )
            notes.append(
                f"weights: {how}, but not for the uncertainty of estimating the weights themselves"
            )
        if self.cluster is None:
            return notes
        g = self.n_clusters or 0
        if math.isnan(self.ci[0]):
            notes.append(
                "the cluster-robust standard error is 0 (every cluster has the same share of "
                "satisfied answers): no Wald interval or t-test can be given"
            )
        elif self.ci[0] == 0.0 or self.ci[1] == 1.0:  # only clipping puts a Wald bound there
            notes.append("the Wald interval reached beyond [0, 1] and was clipped to it")
        if g < FEW_CLUSTERS:
            few = (
                f"with only {g} clusters even this can be too narrow; read the interval as "
                "optimistic"
                if g < VERY_FEW_CLUSTERS
                else f"with very few clusters (under {VERY_FEW_CLUSTERS}) even this can be "
                "too narrow"
            )
            notes.append(
                f"{g} clusters (fewer than {FEW_CLUSTERS}): the small-sample correction is "
                f"CR1, G/(G - 1), with a t quantile on G - 1 = {g - 1} df; {few}"
            )
        return notes

    def _nonresponse_note(self) -> str:
        if not self.n_missing:
            return "non-response: no blank answers (response rate 100%)"
        low, high = self.nonresponse_bounds
        total = self.n + self.n_missing
        rate = "rate" if self.weights is None else "unweighted rate"
        note = (
            f"non-response: {self.n} of {total} answered (response rate "
            f"{self.response_rate:.2%}); if every blank were negative the {rate} would be "
            f"{low:.2%}, if every blank were positive {high:.2%}"
        )
        if self.target is None:
            return note
        if self.meets_target_under_nonresponse:
            return note + (
                "; the target is met even in the worst case, so the verdict does not "
                "depend on the non-respondents"
            )
        if not at_least(high, self.target):
            return note + (
                "; the target is missed even in the best case, so the verdict does not "
                "depend on the non-respondents"
            )
        return note + (
            "; the target is not met in the worst case, so the verdict depends on how "
            "the non-respondents would have answered"
        )


def _pct(x: float) -> str:
    return f"{x * 100:.4g}%"


def _default_positive(scale: Scale) -> tuple[str, ...]:
    return scale.labels[:2] if len(scale.labels) >= 4 else scale.labels[:1]


def _positive(positive: Any, scale: Scale) -> tuple[str, ...]:
    if positive is None:
        return _default_positive(scale)
    items = (
        [positive]
        if isinstance(positive, str) or not isinstance(positive, Iterable)
        else list(positive)
    )
    chosen = set()
    for item in items:
        try:
            label = scale.match(item)
        except EvalkitError:
            label = None
        if label is None:
            raise EvalkitError(
                f"positive category not on scale {scale.name!r}; "
                f"allowed: {', '.join(scale.labels)}",
                column="positive",
                value=item,
            ) from None
        chosen.add(label)
    if not chosen:
        raise EvalkitError(
            "positive must name at least one category", column="positive", value=positive
        )
    return tuple(label for label in scale.labels if label in chosen)


def _estimate(
    codes: np.ndarray,
    positive_mask: np.ndarray,
    n_cat: int,
    method: str,
    confidence: float,
    target: float | None,
    design: Design = NO_DESIGN,
) -> dict[str, Any]:
    answered = codes >= 0
    valid = codes[answered]
    n = int(valid.size)
    counts = np.bincount(valid, minlength=n_cat)
    n_positive = int(counts[positive_mask].sum())
    n_missing = int((~answered).sum())
    out: dict[str, Any] = {
        "n": n,
        "n_positive": n_positive,
        "n_missing": n_missing,
        "counts": counts,
        "n_clusters": None if design.clusters is None else 0,
        **nonresponse(n_positive, n, n_missing, target),
    }
    if n == 0:
        out.update(
            rate=math.nan,
            ci=(math.nan, math.nan),
            p_value=math.nan if target is not None else None,
            meets_target=None,
            meets_target_confidently=None,
            mean_score=math.nan,
            n_effective=0.0,
            design_effect=math.nan,
            se=math.nan,
        )
        return out
    w = None if design.weights is None else design.weights[answered]
    if w is not None and (w == w[0]).all():
        w = None  # equal weights are the unweighted analysis, exactly
    y = positive_mask[valid].astype(float)
    if design.clusters is not None:
        rate = n_positive / n if w is None else None
        est = cluster_robust(y, w, design.clusters[answered], confidence, target, rate=rate)
    elif w is not None:
        est = effective_binomial(y, w, method, confidence, target)
    else:
        est = _binomial(n_positive, n, method, confidence, target)
    out.update(est)
    scores = n_cat - np.arange(n_cat)
    out["mean_score"] = (
        float(counts @ scores / n) if w is None else float(w @ scores[valid] / w.sum())
    )
    if target is None:
        out.update(meets_target=None, meets_target_confidently=None)
    else:
        out.update(
            meets_target=at_least(out["rate"], target),
            meets_target_confidently=at_least(out["ci"][0], target),
        )
    return out


def _binomial(
    n_positive: int, n: int, method: str, confidence: float, target: float | None
) -> dict[str, Any]:
    """Rate, the method's interval and the exact one-sided binomial test (no design)."""
    from scipy import stats  # imported here: keeps `import evalkit` light

    rate = n_positive / n
    p_value = None
    if target is not None:
        p_value = float(stats.binomtest(n_positive, n, p=target, alternative="greater").pvalue)
    return {
        "rate": rate,
        "ci": proportion_ci(n_positive, n, method=method, confidence=confidence),
        "p_value": p_value,
        "n_effective": float(n),
        "design_effect": 1.0,
        "se": math.sqrt(rate * (1 - rate) / n),
    }


def satisfaction_rate(
    data: pd.DataFrame | None = None,
    *,
    answers: Hashable | Iterable[Any],
    scale: str | Scale | Iterable[Any] = "ja5",
    positive: Any = None,
    confidence: float = 0.95,
    method: str = "wilson",
    target: float | None = None,
    by: Hashable | Iterable[Any] | None = None,
    weights: Hashable | Iterable[Any] | None = None,
    cluster: Hashable | Iterable[Any] | None = None,
) -> SatisfactionResult | pd.DataFrame:
    """Share of valid answers in the positive categories, with CI and target test.

    Parameters
    ----------
    data : DataFrame, optional
        One row per questionnaire. Omit it to pass the answers themselves.
    answers : str or array-like
        Column of ``data`` holding the answers, or the answers when ``data``
        is None.
    scale : str, Scale or sequence, default "ja5"
        Built-in scale name (``"ja5"``, ``"ja4"``, ``"en5"``, ``"en4"``), a
        :class:`~evalkit.Scale`, or a custom list of categories ordered
        from the most positive to the most negative. See
        :func:`evalkit.get_scale` for aliases and normalisation.
    positive : str or sequence of str, optional
        Categories counted as satisfied (aliases accepted). Default: the two
        most positive categories (top-2-box, e.g. 大変満足 and 満足); on a
        custom scale of 2 or 3 categories, the most positive one only.
    confidence : float, default 0.95
        Two-sided confidence level of ``ci``.
    method : str, default "wilson"
        Interval method of :func:`proportion_ci`: ``"wilson"``,
        ``"clopper-pearson"`` (or ``"exact"``), ``"agresti-coull"``, ``"jeffreys"``.
        With ``cluster=`` the interval is always the cluster-robust Wald
        interval; ``method`` is then kept only for :func:`target_sensitivity`
        and :func:`min_n_to_confirm`.
    target : float, optional
        Target rate as a proportion (0.70 for 70 %).
    by : str or array-like, optional
        Column of ``data`` (or, with ``data=None``, an array-like as long as
        ``answers``) to group by. Then a DataFrame is returned, one row per group.
    weights : str or array-like, optional
        Survey weights: a column of ``data`` (or, with ``data=None``, an
        array-like as long as ``answers``), e.g. inverse response
        probabilities from a response model the analyst fitted. Every
        answered questionnaire needs a finite weight greater than 0; the
        weight of a blank answer is ignored. Only the ratios of the weights
        matter. Weights that are all equal give exactly the unweighted result.
    cluster : str or array-like, optional
        Cluster of each questionnaire, e.g. ``"bureau"``: a column of ``data``
        (or an array-like as long as ``answers``). Answers from one cluster
        are not taken as independent; the interval and test become
        cluster-robust. Every answered questionnaire needs a label (the label
        of a blank answer is ignored), and without ``by=`` the answers must
        come from at least 2 clusters. Can be combined with ``weights``.

    Returns
    -------
    SatisfactionResult
        Frozen result with fields:

        n : int
            Valid (non-blank) answers: the denominator.
        n_positive : int
            Valid answers in a positive category.
        n_missing : int
            Blank answers (None, NaN, empty or only spaces); never in the denominator.
        rate : float
            ``n_positive / n``; with ``weights=``, the weighted share
            :math:`\\sum w_i y_i / \\sum w_i` over the valid answers.
        ci : tuple of float
            ``(low, high)`` confidence interval of the rate, within [0, 1]:
            the method's interval; at the effective sample size with
            ``weights=``; the cluster-robust Wald interval, clipped to [0, 1],
            with ``cluster=`` (NaN when its standard error is 0).
        method : str
            Canonical interval method name (as given, also with ``cluster=``).
        confidence : float
            Confidence level of ``ci``.
        counts : Series
            Answers per category, every category of the scale in scale order
            (most positive first), zeros included; named ``"count"``.
            Unweighted counts, also with ``weights=``.
        scale : tuple of str
            The scale's categories, most positive first.
        positive : tuple of str
            Categories counted as positive, in scale order.
        target : float or None
            The target rate.
        p_value : float or None
            One-sided test of H0: rate <= target against H1: rate > target;
            None without a target. Exact binomial, P(X >= n_positive) for
            X ~ Bin(n, target); with ``weights=``, the same tail at the
            effective sample size; with ``cluster=``, a t-test with the
            cluster-robust standard error (see Notes).
        meets_target : bool or None
            ``rate >= target``; None without a target.
        meets_target_confidently : bool or None
            ``ci[0] >= target``; None without a target. In both, a value
            within a relative 1e-9 of the target counts as equal to it
            (:math:`|x - t| \\le 10^{-9} \\max(1, |t|)`, the rule of every
            evalkit verdict), so floating-point noise cannot flip a verdict.
        mean_score : float
            Mean score of the valid answers, scores running from the number
            of categories (most positive, 5 on a 5-point scale) down to 1;
            weighted with ``weights=``.
        excluded : DataFrame
            The blank answers left out: ``row`` (spreadsheet row for a
            DataFrame, 1-based position otherwise), ``column``, ``value`` (as
            given) and ``reason``; empty when there are none.
        response_rate : float
            ``n / (n + n_missing)``: the share of questionnaires with a valid answer.
        nonresponse_bounds : tuple of float
            ``(n_positive / (n + n_missing), (n_positive + n_missing) / (n +
            n_missing))``: the rate if every blank answer had been negative
            (worst case) or positive (best case). Counts, unweighted also
            with ``weights=``.
        meets_target_under_nonresponse : bool or None
            ``nonresponse_bounds[0] >= target``: True when the target is met
            whatever the non-respondents would have answered, False when it
            is not met in the worst case; None without a target.
        n_effective : float
            Effective sample size: ``n`` without weights or clusters; with
            ``weights=`` only, Kish's :math:`(\\sum w)^2 / \\sum w^2`; with
            ``cluster=``, ``n / design_effect``.
        design_effect : float
            Variance of the rate over the simple binomial variance
            :math:`p(1 - p)/n`: 1 without weights or clusters,
            ``n / n_effective`` with ``weights=`` only, the cluster-robust
            variance over :math:`p(1 - p)/n` with ``cluster=`` (NaN where the
            cluster-robust standard error is 0).
        se : float
            Standard error of ``rate``: the cluster-robust (CR1) one with
            ``cluster=``, on which its interval and test are built; otherwise
            :math:`\\sqrt{p(1 - p)/n_\\text{eff}}`, for reference only.
        n_clusters : int or None
            Clusters among the valid answers (G); None without ``cluster=``.
        weights, cluster : str or None
            The column given as ``weights=`` / ``cluster=`` (``"weights"`` /
            ``"cluster"`` for an array); None when not given.
        interval_method : str
            How ``ci`` was computed, e.g. ``"Wilson score interval"``,
            ``"Wilson score interval at the Kish effective sample size"``,
            ``"cluster-robust (CR1) Wald interval over 13 clusters, t with 12 df"``.
        test_method : str or None
            How ``p_value`` was computed, e.g. ``"one-sided exact binomial
            test"``; None without a target.

        ``summary()`` has a row for every figure (see
        :meth:`SatisfactionResult.summary`); the lines under it say in words
        which interval and test were used and whether the target verdict
        depends on the non-respondents.

        With ``by=``: a DataFrame with one row per group (groups sorted) and
        columns named after ``by`` (``"group"`` for an unnamed array), ``n``,
        ``n_positive``, ``n_missing``, ``rate``, ``ci_low``, ``ci_high``,
        ``target``, ``p_value``, ``p_value_holm``, ``meets_target``,
        ``meets_target_confidently``, ``meets_target_holm`` (nullable
        booleans), ``mean_score``, ``response_rate``, ``nonresponse_low``,
        ``nonresponse_high``, ``meets_target_under_nonresponse``; with
        ``weights=`` or ``cluster=`` also ``n_effective`` and
        ``design_effect``, with ``cluster=`` also ``n_clusters``. Each group
        is computed as a call on its rows alone would be, except that a group
        with fewer than 2 clusters gets NaN for its interval and test
        instead of an error. A group whose answers are all blank has NaN
        statistics. ``attrs`` holds ``method``, ``confidence``, ``scale``,
        ``positive`` and ``holm_level``.

    Raises
    ------
    EvalkitError
        Empty data; every answer blank; an answer not on the scale (naming
        the row, column and value and listing the allowed answers); plain and
        hedged wordings of one category mixed; a positive category not on the
        scale; a missing ``by`` value; unknown method; confidence not in
        (0, 1); target not in [0, 1]; a weight of an answered questionnaire
        that is missing, not a number, infinite, 0 or negative; a missing
        cluster label of an answered questionnaire; ``weights`` or
        ``cluster`` of another length than ``answers``; answers from a
        single cluster (without ``by=``). Each names the row, column and value.

    Notes
    -----
    **Rate and interval.** rate = n_positive / n over the valid answers;
    blank answers are counted in ``n_missing`` and listed in ``excluded``.
    The interval comes from :func:`proportion_ci`. ``meets_target_confidently``
    uses the two-sided interval, so with confidence 0.95 it is a one-sided
    test at about the 2.5 % level and stricter than ``p_value < 0.05``; with
    ``method="clopper-pearson"`` it holds exactly when ``p_value <= (1 -
    confidence) / 2``.

    **Non-response.** Blank answers are left out of the rate, which is right
    only if the non-respondents would have answered like the respondents.
    Without that assumption the rate over all n + n_missing questionnaires
    is only known to lie between the worst case (every blank negative),
    :math:`k / (n + m)`, and the best case (every blank positive),
    :math:`(k + m) / (n + m)`, the worst-case/best-case bounds of Manski
    [2]_. ``meets_target_under_nonresponse`` says whether the target holds
    even in the worst case. These bounds count questionnaires, so with
    ``weights=`` they bound the unweighted rate: the weights of the blank
    answers are unknown, and the weighted rate is itself a (model-based)
    non-response adjustment.

    **Weights** (the effective-sample-size approach, Kish [3]_, as Korn and
    Graubard [4]_ use it for proportions from surveys). With weights
    :math:`w_i` and :math:`y_i = 1` for a positive answer,

    .. math:: \\hat p_w = \\frac{\\sum w_i y_i}{\\sum w_i}, \\qquad
              n_\\text{eff} = \\frac{(\\sum w_i)^2}{\\sum w_i^2}
              \\quad (1 \\le n_\\text{eff} \\le n),

    and ``ci`` is the chosen method's interval for :math:`k_\\text{eff} =
    \\hat p_w n_\\text{eff}` positive answers out of :math:`n_\\text{eff}`
    (formulas of :func:`proportion_ci`, which hold for non-whole counts).
    The test uses the same approximation: the binomial upper tail
    :math:`P(X \\ge k) = I_t(k, n - k + 1)` (regularised incomplete beta
    function, target :math:`t`) at :math:`k_\\text{eff}` and
    :math:`n_\\text{eff}`. The approach takes the weighted answers as
    :math:`n_\\text{eff}` independent ones; it ignores the variance that
    comes from estimating the weights (e.g. fitting the response model), so
    the interval is somewhat too narrow when the weights are themselves
    uncertain. Equal weights give :math:`n_\\text{eff} = n` and exactly the
    unweighted result.

    **Clusters** (Cameron and Miller [5]_). With G clusters and the
    residuals :math:`e_i = y_i - \\hat p_w` (weights 1 without ``weights=``),
    the cluster-robust (sandwich) variance with the small-sample correction
    CR1 is

    .. math:: \\hat V = \\frac{G}{G - 1} \\frac{N - 1}{N - K}
              \\frac{\\sum_g \\left(\\sum_{i \\in g} w_i e_i\\right)^2}{(\\sum_i w_i)^2},

    with N = n valid answers and K = 1 parameter (so the second factor is
    1). The interval is :math:`\\hat p_w \\pm t_{G-1,\\,1-\\alpha/2}
    \\sqrt{\\hat V}`, clipped to [0, 1]; the test is the one-sided t-test
    :math:`T = (\\hat p_w - t) / \\sqrt{\\hat V}`, ``p_value`` =
    :math:`P(T_{G-1} \\ge T)`. These are exactly the standard error,
    ``conf_int`` and (halved) ``t_test`` of statsmodels
    ``OLS(y, ones).fit(cov_type="cluster", cov_kwds={"groups": g},
    use_t=True)``, and of ``WLS(y, ones, weights=w)`` with weights: weights
    and clusters combine into a weighted cluster-robust variance, and the
    Kish :math:`n_\\text{eff}` is not used then. The design effect
    :math:`\\hat V / (\\hat p_w (1 - \\hat p_w)/n)` compares it with the
    binomial variance of n independent answers. With few clusters the
    t(G - 1) reference and CR1 are the usual small-sample correction, but
    below about 10 clusters even they tend to give too narrow an interval
    [5]_; the notes say so under 30 clusters. When the cluster-robust
    standard error is 0 (every cluster with the same share, e.g. all
    answers positive) there is no Wald interval: ``ci`` and ``p_value`` are
    NaN and ``meets_target_confidently`` is False.

    **Several groups.** With ``by=`` every group is tested against the
    target, so some group may pass by chance. ``p_value_holm`` is the Holm
    [6]_ step-down adjusted p-value over the groups that have a p-value
    (sorted :math:`p_{(1)} \\le \\dots \\le p_{(m)}`; adjusted
    :math:`\\min(1, \\max_{j \\le i} (m - j + 1) p_{(j)})`), which controls the
    family-wise error rate. ``meets_target_holm`` is ``p_value_holm <= (1 -
    confidence) / 2`` (``attrs["holm_level"]``), the level at which
    ``meets_target_confidently`` works, so that with one group and the
    Clopper-Pearson method the two agree. ``meets_target_confidently``
    itself is based on each group's own interval and is *not* adjusted for
    multiplicity.

    References
    ----------
    .. [1] Newcombe, R. G. (1998). Two-sided confidence intervals for the
       single proportion: comparison of seven methods. *Statistics in
       Medicine*, 17, 857-872.
    .. [2] Manski, C. F. (1989). Anatomy of the selection problem. *Journal
       of Human Resources*, 24, 343-360; Manski, C. F. (2003). *Partial
       Identification of Probability Distributions*. Springer.
    .. [3] Kish, L. (1965). *Survey Sampling*. Wiley.
    .. [4] Korn, E. L., Graubard, B. I. (1998). Confidence intervals for
       proportions with small expected number of positive counts estimated
       from survey data. *Survey Methodology*, 24, 193-201.
    .. [5] Cameron, A. C., Miller, D. L. (2015). A practitioner's guide to
       cluster-robust inference. *Journal of Human Resources*, 50, 317-372.
    .. [6] Holm, S. (1979). A simple sequentially rejective multiple test
       procedure. *Scandinavian Journal of Statistics*, 6, 65-70.

    Examples
    --------
    >>> answers = (["大変満足"] * 30 + ["満足"] * 48 + ["どちらともいえない"] * 10
    ...            + ["不満"] * 5 + [None] * 23)
    >>> res = satisfaction_rate(answers=answers, target=0.70)
    >>> res.n, res.n_positive, res.n_missing, round(res.rate, 4)
    (93, 78, 23, 0.8387)
    >>> [round(b, 3) for b in res.ci], res.meets_target, res.meets_target_confidently
    ([0.751, 0.9], True, True)
    >>> res.counts.tolist()
    [30, 48, 10, 5, 0]

    Non-response: 93 of 116 answered; with every blank negative the rate
    would be 78/116, below the target:

    >>> round(res.response_rate, 4), [round(b, 4) for b in res.nonresponse_bounds]
    (0.8017, [0.6724, 0.8707])
    >>> res.meets_target_under_nonresponse
    False

    Weights (the second answer counts three times):

    >>> w = satisfaction_rate(answers=["満足", "不満", "満足", "満足"], weights=[1, 3, 1, 1])
    >>> w.rate, w.n_effective, round(w.design_effect, 4)
    (0.5, 3.0, 1.3333)

    Answers clustered in bureaus (the shipped FY2019 survey):

    >>> from evalkit.datasets import load_satisfaction_survey
    >>> survey = load_satisfaction_survey()
    >>> cl = satisfaction_rate(survey, answers="answer", target=0.70, cluster="bureau")
    >>> cl.interval_method
    'cluster-robust (CR1) Wald interval over 13 clusters, t with 12 df'
    >>> [round(b, 4) for b in cl.ci], round(cl.design_effect, 2), round(cl.p_value, 4)
    ([0.7394, 0.9381], 1.43, 0.0051)

    Grouped:

    >>> df = pd.DataFrame({"bureau": ["A", "A", "B", "B"],
    ...                    "answer": ["満足", "不満", "大変満足", " "]})
    >>> satisfaction_rate(df, answers="answer", by="bureau")[["bureau", "n", "n_missing", "rate"]]
      bureau  n  n_missing  rate
    0      A  2          0   0.5
    1      B  1          1   1.0

    Against a 50 % target, 6 of the 13 bureaus of the survey pass on their
    own interval, none after Holm's adjustment for testing 13 groups:

    >>> table = satisfaction_rate(survey, answers="answer", by="bureau", target=0.50)
    >>> int(table["meets_target_confidently"].sum()), int(table["meets_target_holm"].sum())
    (6, 0)
    """
    sc = get_scale(scale)
    name = _method(method)
    conf = _confidence(confidence)
    tgt = _target(target)
    pos = _positive(positive, sc)
    file = source_file(data)
    values, tabular = select(data, answers, role="answers")
    column = str(answers) if tabular else "answers"
    if len(values) == 0:
        raise EvalkitError("no answers: the data are empty", file=file, column=column)
    codes = _codes(values, sc, column=column, file=file, tabular=tabular)
    if (codes < 0).all():
        raise EvalkitError(
            f"all {len(codes)} answers are blank, so there is no valid answer to rate",
            file=file,
            column=column,
        )
    positive_mask = np.isin(np.array(sc.labels, dtype=object), np.array(pos, dtype=object))
    design = check_design(data, weights, cluster, values, codes, column, file, by is not None)
    if by is not None:
        return _by_group(
            data, by, values, codes, tabular, file, positive_mask, sc, name, conf, tgt, design
        )
    est = _estimate(codes, positive_mask, len(sc.labels), name, conf, tgt, design)
    blank = np.flatnonzero(codes < 0)
    excluded = pd.DataFrame(
        {
            "row": pd.Series([row_number(p, tabular=tabular) for p in blank], dtype="int64"),
            "column": pd.Series([column] * len(blank), dtype=object),
            "value": pd.Series([values.iloc[p] for p in blank], dtype=object),
            "reason": pd.Series(["blank answer"] * len(blank), dtype=object),
        }
    )
    counts = pd.Series(
        est["counts"].astype("int64"),
        index=pd.Index(sc.labels, name="category", dtype=object),
        name="count",
    )
    interval_method, test_method = method_texts(name, design, est["n_clusters"])
    return SatisfactionResult(
        n=est["n"],
        n_positive=est["n_positive"],
        n_missing=est["n_missing"],
        rate=est["rate"],
        ci=est["ci"],
        method=name,
        confidence=conf,
        counts=counts,
        scale=sc.labels,
        positive=pos,
        target=tgt,
        p_value=est["p_value"],
        meets_target=est["meets_target"],
        meets_target_confidently=est["meets_target_confidently"],
        mean_score=est["mean_score"],
        excluded=excluded,
        response_rate=est["response_rate"],
        nonresponse_bounds=est["nonresponse_bounds"],
        meets_target_under_nonresponse=est["meets_target_under_nonresponse"],
        n_effective=est["n_effective"],
        design_effect=est["design_effect"],
        se=est["se"],
        n_clusters=est["n_clusters"],
        weights=design.weights_column,
        cluster=design.cluster_column,
        interval_method=interval_method,
        test_method=None if tgt is None else test_method,
    )


def _nullable(value: bool | None) -> Any:
    return pd.NA if value is None else value


def _by_group(data, by, values, codes, tabular, file, positive_mask, sc, method, conf, tgt, design):
    groups, by_name = _groups(data, by, values, tabular, file)
    rows = []
    for key, idx in groups.groupby(groups, sort=True).indices.items():
        sub = Design(
            None if design.weights is None else design.weights[idx],
            None if design.clusters is None else design.clusters[idx],
        )
        est = _estimate(codes[idx], positive_mask, len(sc.labels), method, conf, tgt, sub)
        rows.append({by_name: key, **_group_row(est, tgt, design)})
    out = pd.DataFrame(rows)
    holm_level = (1 - conf) / 2
    out["p_value_holm"] = holm(out["p_value"].to_numpy(dtype=float))
    if tgt is not None:
        out["meets_target_holm"] = [
            pd.NA if math.isnan(p) else at_most(p, holm_level) for p in out["p_value_holm"]
        ]
    out = out.astype({col: t for col, t in _GROUP_DTYPES.items() if col in out.columns})
    out.attrs.update(
        method=method,
        confidence=conf,
        scale=sc.labels,
        positive=tuple(lab for lab, m in zip(sc.labels, positive_mask, strict=True) if m),
        holm_level=holm_level,
    )
    return out


def _groups(data, by, values, tabular, file) -> tuple[pd.Series, str]:
    """The group of every answer and the group column's name; no group may be missing."""
    groups, by_tabular = select(data, by, role="by")
    by_name = (
        str(by)
        if by_tabular
        else (str(by.name) if isinstance(by, pd.Series) and by.name is not None else "group")
    )
    if len(groups) != len(values):
        raise EvalkitError(
            f"by has {len(groups)} values but answers has {len(values)}; they must be equally long",
            column=by_name,
        )
    missing = groups.isna().to_numpy()
    if missing.any():
        pos = int(np.flatnonzero(missing)[0])
        raise EvalkitError(
            "missing group value; fill it (e.g. with '不明') to keep the row in a group",
            file=file,
            row=row_number(pos, tabular=tabular),
            column=by_name,
            value=groups.iloc[pos],
        )
    return groups, by_name


def _group_row(est: dict[str, Any], tgt: float | None, design) -> dict[str, Any]:
    """One group's row of the ``by=`` table (Holm columns filled in over all groups)."""
    row = {
        "n": est["n"],
        "n_positive": est["n_positive"],
        "n_missing": est["n_missing"],
        "rate": est["rate"],
        "ci_low": est["ci"][0],
        "ci_high": est["ci"][1],
        "target": math.nan if tgt is None else tgt,
        "p_value": math.nan if est["p_value"] is None else est["p_value"],
        "p_value_holm": math.nan,
        "meets_target": _nullable(est["meets_target"]),
        "meets_target_confidently": _nullable(est["meets_target_confidently"]),
        "meets_target_holm": pd.NA,
        "mean_score": est["mean_score"],
        "response_rate": est["response_rate"],
        "nonresponse_low": est["nonresponse_bounds"][0],
        "nonresponse_high": est["nonresponse_bounds"][1],
        "meets_target_under_nonresponse": _nullable(est["meets_target_under_nonresponse"]),
    }
    if design.weights is not None or design.clusters is not None:
        row.update(n_effective=est["n_effective"], design_effect=est["design_effect"])
    if design.clusters is not None:
        row["n_clusters"] = est["n_clusters"]
    return row


_GROUP_DTYPES = {
    "n": "int64",
    "n_positive": "int64",
    "n_missing": "int64",
    "rate": "float64",
    "ci_low": "float64",
    "ci_high": "float64",
    "target": "float64",
    "p_value": "float64",
    "p_value_holm": "float64",
    "meets_target": "boolean",
    "meets_target_confidently": "boolean",
    "meets_target_holm": "boolean",
    "mean_score": "float64",
    "response_rate": "float64",
    "nonresponse_low": "float64",
    "nonresponse_high": "float64",
    "meets_target_under_nonresponse": "boolean",
    "n_effective": "float64",
    "design_effect": "float64",
    "n_clusters": "int64",
}
