"""Share of satisfied answers, with its confidence interval and a test against a target.

:func:`satisfaction_rate` reads Likert-type answers onto a scale (see
:mod:`evalkit.stats.scales`), counts the answers in the positive categories
(top-2-box by default) over the valid answers, and reports the rate with a
binomial confidence interval from :func:`proportion_ci`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._compare import at_least, at_most
from .._results import SUMMARY_COLUMNS, ResultMixin
from .._validation import row_number, select, source_file
from ..errors import EvalkitError
from .proportion import METHODS, _confidence, _method, _target, proportion_ci
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

    _title = "Satisfaction rate"

    def summary(self) -> pd.DataFrame:
        """One row per metric: metric, value, ci_low, ci_high, unit.

        Rows ``n``, ``n_positive``, ``n_missing``, ``rate`` (with its
        interval); with a target, ``target`` (unit ``"ratio"``) and
        ``p_value``; then ``mean_score`` and ``count: <category>`` for every
        category of the scale.
        """
        nan = math.nan
        rows = [
            ("n", self.n, nan, nan, "answers"),
            ("n_positive", self.n_positive, nan, nan, "answers"),
            ("n_missing", self.n_missing, nan, nan, "answers"),
            ("rate", self.rate, self.ci[0], self.ci[1], "ratio"),
        ]
        if self.target is not None:
            rows.append(("target", self.target, nan, nan, "ratio"))
            rows.append(("p_value", self.p_value, nan, nan, "p"))
        rows.append(("mean_score", self.mean_score, nan, nan, "score"))
        rows += [
            (f"count: {label}", int(c), nan, nan, "answers") for label, c in self.counts.items()
        ]
        out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
        out["value"] = out["value"].astype(float)
        return out

    def _notes(self) -> list[str]:
        notes = [
            f"rate = answers in {', '.join(self.positive)} / valid answers; "
            f"{_pct(self.confidence)} {METHODS[self.method]} interval",
        ]
        if self.target is not None:
            verdict = "met" if self.meets_target else "not met"
            confident = (
                "the lower bound is also at or above it"
                if self.meets_target_confidently
                else "the lower bound is below it"
            )
            notes.append(
                f"target {_pct(self.target)}: {verdict} (rate {self.rate:.2%}); {confident}; "
                f"one-sided exact binomial test of rate <= target: p = {self.p_value:.3g}"
            )
        if self.n_missing:
            rows = ", ".join(str(r) for r in self.excluded["row"].head(10))
            more = ", ..." if self.n_missing > 10 else ""
            notes.append(
                f"{self.n_missing} blank answer(s) left out of the denominator "
                f"({'row' if self.n_missing == 1 else 'rows'} {rows}{more})"
            )
        return notes


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
) -> dict[str, Any]:
    from scipy import stats  # imported here: keeps `import evalkit` light

    valid = codes[codes >= 0]
    n = int(valid.size)
    counts = np.bincount(valid, minlength=n_cat)
    n_positive = int(counts[positive_mask].sum())
    out: dict[str, Any] = {
        "n": n,
        "n_positive": n_positive,
        "n_missing": int((codes < 0).sum()),
        "counts": counts,
    }
    if n == 0:
        out.update(
            rate=math.nan,
            ci=(math.nan, math.nan),
            p_value=math.nan if target is not None else None,
            meets_target=None,
            meets_target_confidently=None,
            mean_score=math.nan,
        )
        return out
    rate = n_positive / n
    ci = proportion_ci(n_positive, n, method=method, confidence=confidence)
    scores = n_cat - np.arange(n_cat)
    out.update(rate=rate, ci=ci, mean_score=float(counts @ scores / n))
    if target is None:
        out.update(p_value=None, meets_target=None, meets_target_confidently=None)
    else:
        p = stats.binomtest(n_positive, n, p=target, alternative="greater").pvalue
        out.update(
            p_value=float(p),
            meets_target=at_least(rate, target),
            meets_target_confidently=at_least(ci[0], target),
        )
    return out


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
    target : float, optional
        Target rate as a proportion (0.70 for 70 %).
    by : str or array-like, optional
        Column of ``data`` (or, with ``data=None``, an array-like as long as
        ``answers``) to group by. Then a DataFrame is returned, one row per group.

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
            ``n_positive / n``.
        ci : tuple of float
            ``(low, high)`` confidence interval of the rate.
        method : str
            Canonical interval method name.
        confidence : float
            Confidence level of ``ci``.
        counts : Series
            Answers per category, every category of the scale in scale order
            (most positive first), zeros included; named ``"count"``.
        scale : tuple of str
            The scale's categories, most positive first.
        positive : tuple of str
            Categories counted as positive, in scale order.
        target : float or None
            The target rate.
        p_value : float or None
            Exact one-sided binomial test of H0: rate <= target against
            H1: rate > target, i.e. P(X >= n_positive) for X ~ Bin(n, target);
            None without a target.
        meets_target : bool or None
            ``rate >= target``; None without a target.
        meets_target_confidently : bool or None
            ``ci[0] >= target``; None without a target. In both, a value
            within a relative 1e-9 of the target counts as equal to it
            (:math:`|x - t| \\le 10^{-9} \\max(1, |t|)`, the rule of every
            evalkit verdict), so floating-point noise cannot flip a verdict.
        mean_score : float
            Mean score of the valid answers, scores running from the number
            of categories (most positive, 5 on a 5-point scale) down to 1.
        excluded : DataFrame
            The blank answers left out: ``row`` (spreadsheet row for a
            DataFrame, 1-based position otherwise), ``column``, ``value`` (as
            given) and ``reason``; empty when there are none.

        With ``by=``: a DataFrame with one row per group (groups sorted) and
        columns named after ``by`` (``"group"`` for an unnamed array), ``n``,
        ``n_positive``, ``n_missing``, ``rate``, ``ci_low``, ``ci_high``,
        ``target``, ``p_value``, ``meets_target``, ``meets_target_confidently``
        (nullable booleans), ``mean_score``. A group whose answers are all
        blank has NaN statistics.

    Raises
    ------
    EvalkitError
        Empty data; every answer blank; an answer not on the scale (naming
        the row, column and value and listing the allowed answers); plain and
        hedged wordings of one category mixed; a positive category not on the
        scale; a missing ``by`` value; unknown method; confidence not in
        (0, 1); target not in [0, 1].

    Notes
    -----
    rate = n_positive / n over the valid answers; blank answers are counted
    in ``n_missing`` and listed in ``excluded``. The interval comes from
    :func:`proportion_ci`. ``meets_target_confidently`` uses the two-sided
    interval, so with confidence 0.95 it is a one-sided test at about the
    2.5 % level and stricter than ``p_value < 0.05``; with
    ``method="clopper-pearson"`` it holds exactly when ``p_value <= (1 -
    confidence) / 2``.

    References
    ----------
    .. [1] Newcombe, R. G. (1998). Two-sided confidence intervals for the
       single proportion: comparison of seven methods. *Statistics in
       Medicine*, 17, 857-872.

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

    Grouped:

    >>> df = pd.DataFrame({"bureau": ["A", "A", "B", "B"],
    ...                    "answer": ["満足", "不満", "大変満足", " "]})
    >>> satisfaction_rate(df, answers="answer", by="bureau")[["bureau", "n", "n_missing", "rate"]]
      bureau  n  n_missing  rate
    0      A  2          0   0.5
    1      B  1          1   1.0
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
    if by is not None:
        return _by_group(data, by, values, codes, tabular, file, positive_mask, sc, name, conf, tgt)
    est = _estimate(codes, positive_mask, len(sc.labels), name, conf, tgt)
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
    )


def _by_group(data, by, values, codes, tabular, file, positive_mask, sc, method, conf, tgt):
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
    rows = []
    for key, idx in groups.groupby(groups, sort=True).indices.items():
        est = _estimate(codes[idx], positive_mask, len(sc.labels), method, conf, tgt)
        rows.append(
            {
                by_name: key,
                "n": est["n"],
                "n_positive": est["n_positive"],
                "n_missing": est["n_missing"],
                "rate": est["rate"],
                "ci_low": est["ci"][0],
                "ci_high": est["ci"][1],
                "target": math.nan if tgt is None else tgt,
                "p_value": math.nan if est["p_value"] is None else est["p_value"],
                "meets_target": pd.NA if est["meets_target"] is None else est["meets_target"],
                "meets_target_confidently": (
                    pd.NA
                    if est["meets_target_confidently"] is None
                    else est["meets_target_confidently"]
                ),
                "mean_score": est["mean_score"],
            }
        )
    out = pd.DataFrame(rows)
    out = out.astype(
        {
            "n": "int64",
            "n_positive": "int64",
            "n_missing": "int64",
            "rate": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "target": "float64",
            "p_value": "float64",
            "meets_target": "boolean",
            "meets_target_confidently": "boolean",
            "mean_score": "float64",
        }
    )
    out.attrs.update(
        method=method,
        confidence=conf,
        scale=sc.labels,
        positive=tuple(lab for lab, m in zip(sc.labels, positive_mask, strict=True) if m),
    )
    return out


# ----------------------------------------------------------------------------- sample size


def _sensitivity_inputs(
    data: Any, target: Any, method: Any, confidence: Any
) -> tuple[float, float, str, float]:
    """Rate, target, method and confidence from a result or a plain rate."""
    if isinstance(data, SatisfactionResult):
        rate = data.rate
        target = data.target if target is None else target
        method = data.method if method is None else method
        confidence = data.confidence if confidence is None else confidence
    else:
        rate = data
    if (
        isinstance(rate, bool | np.bool_)
        or not isinstance(rate, numbers.Real)
        or not 0 <= float(rate) <= 1
    ):
        raise EvalkitError(
            "the rate must be a proportion between 0 and 1 (83.87 % is 0.8387) "
            "or a SatisfactionResult with valid answers",
            column="rate",
            value=rate,
        )
    tgt = _target(target)
    if tgt is None:
        raise EvalkitError(
            "target is required (e.g. target=0.70) unless the result has one",
            column="target",
            value=None,
        )
    name = _method("wilson" if method is None else method)
    conf = _confidence(0.95 if confidence is None else confidence)
    return float(rate), tgt, name, conf


def _answer_counts(n: Any, *, column: str = "n") -> np.ndarray:
    """``n`` as a 1-D int64 array of whole numbers >= 1, raising on the first bad one."""
    items = [n] if np.ndim(n) == 0 and not isinstance(n, range) else list(n)
    if not items:
        raise EvalkitError("n must give at least one number of answers", column=column, value=n)
    for pos, value in enumerate(items):
        ok = (
            not isinstance(value, bool | np.bool_)
            and isinstance(value, numbers.Real)
            and math.isfinite(float(value))
            and float(value) == round(float(value))
            and float(value) >= 1
        )
        if not ok:
            raise EvalkitError(
                "a number of answers must be a whole number of 1 or more",
                row=pos + 1 if len(items) > 1 else None,
                column=column,
                value=value,
            )
    return np.asarray([int(v) for v in items], dtype=np.int64)


def _positive_at(rate: float, n: np.ndarray) -> np.ndarray:
    """Satisfied answers out of ``n`` at ``rate``: ``rate * n`` rounded half up."""
    # The small tolerance keeps k exact where rate * n is a whole number held as
    # 77.99999999999999 in binary.
    return np.floor(rate * n + 0.5 + 1e-9).astype(np.int64)


def target_sensitivity(
    data: Any,
    *,
    n: Any,
    target: float | None = None,
    method: str | None = None,
    confidence: float | None = None,
) -> pd.DataFrame:
    """How the verdict on a target depends on the number of answers, at a given rate.

    For each number of valid answers in ``n``, the satisfied answers that give
    (as nearly as whole answers can) the observed rate, the confidence
    interval and the one-sided test against the target: would the same share
    of satisfied answers have confirmed the target with fewer or more answers?

    Parameters
    ----------
    data : float or SatisfactionResult
        The observed rate (a proportion, 0.8387 for 83.87 %), or a result of
        :func:`satisfaction_rate` whose ``rate``, and by default ``target``,
        ``method`` and ``confidence``, are used.
    n : int or iterable of int
        Numbers of valid answers to consider, each at least 1, e.g.
        ``range(10, 121, 10)``. Rows come in this order.
    target : float, optional
        Target rate as a proportion (0.70 for 70 %). Required unless ``data``
        is a result with a target.
    method : str, optional
        Interval method of :func:`proportion_ci`. Default: the result's
        method, or ``"wilson"``.
    confidence : float, optional
        Two-sided confidence level. Default: the result's, or 0.95.

    Returns
    -------
    pandas.DataFrame
        One row per value of ``n``, columns:

        - ``n``: number of valid answers.
        - ``k``: satisfied answers, ``rate * n`` rounded half up.
        - ``rate``: ``k / n``, which differs slightly from the given rate
          where ``rate * n`` is not a whole number.
        - ``ci_low``, ``ci_high``: confidence interval of ``k / n``.
        - ``target``: the target.
        - ``p_value``: exact one-sided binomial test of H0: rate <= target,
          P(X >= k) for X ~ Bin(n, target), as in :func:`satisfaction_rate`.
        - ``meets_target``: ``rate >= target``.
        - ``meets_target_confidently``: ``ci_low >= target``.

        Both count a value within a relative 1e-9 of the target as equal to
        it, as :func:`satisfaction_rate` does.

        ``attrs`` holds ``method`` and ``confidence``.

    Raises
    ------
    EvalkitError
        A rate outside [0, 1] (or a result without valid answers), a missing
        or invalid target, an ``n`` that is not a whole number of 1 or more
        (naming its position and value), unknown method, confidence outside (0, 1).

    Notes
    -----
    The interval narrows roughly as :math:`1/\\sqrt n`, so an observed rate
    above the target confirms it only from some number of answers on (see
    :func:`min_n_to_confirm`). Because ``k`` is rounded to a whole number
    of answers, ``rate`` wobbles around the given rate and the verdict can
    change back and forth near that number. With the Clopper-Pearson
    interval, ``meets_target_confidently`` is equivalent to
    ``p_value <= (1 - confidence) / 2``; with the other methods the two
    criteria can differ near the boundary.

    See Also
    --------
    min_n_to_confirm : the number of answers from which the rate confirms the target.

    Examples
    --------
    >>> t = target_sensitivity(78 / 93, n=[20, 93], target=0.70)
    >>> t[["n", "k", "meets_target_confidently"]]
        n   k  meets_target_confidently
    0  20  17                     False
    1  93  78                      True
    >>> round(float(t.loc[1, "ci_low"]), 4)
    0.7508
    """
    from scipy import stats  # imported here: keeps `import evalkit` light

    rate, tgt, name, conf = _sensitivity_inputs(data, target, method, confidence)
    n_arr = _answer_counts(n)
    k = _positive_at(rate, n_arr)
    low, high = proportion_ci(k, n_arr, method=name, confidence=conf)
    out = pd.DataFrame(
        {
            "n": n_arr,
            "k": k,
            "rate": k / n_arr,
            "ci_low": np.asarray(low, dtype=float),
            "ci_high": np.asarray(high, dtype=float),
            "target": np.full(n_arr.size, tgt),
            # P(X >= k) = P(X > k - 1): the upper tail that binomtest(..., "greater") gives
            "p_value": stats.binom.sf(k - 1, n_arr, tgt),
        }
    )
    out["meets_target"] = at_least(out["rate"].to_numpy(), tgt)
    out["meets_target_confidently"] = at_least(out["ci_low"].to_numpy(), tgt)
    out.attrs.update(method=name, confidence=conf)
    return out


def min_n_to_confirm(
    data: Any,
    *,
    target: float | None = None,
    method: str | None = None,
    confidence: float | None = None,
    max_n: int = 100_000,
) -> int | None:
    """Fewest valid answers from which a rate confidently exceeds a target.

    Parameters
    ----------
    data : float or SatisfactionResult
        The observed rate (0.8387 for 83.87 %), or a result of
        :func:`satisfaction_rate` (its ``rate`` and, by default, its
        ``target``, ``method`` and ``confidence``).
    target : float, optional
        Target rate as a proportion. Required unless ``data`` is a result
        with a target.
    method : str, optional
        Interval method of :func:`proportion_ci`; default the result's, or ``"wilson"``.
    confidence : float, optional
        Two-sided confidence level; default the result's, or 0.95.
    max_n : int, default 100000
        Largest number of answers examined.

    Returns
    -------
    int or None
        The smallest ``m`` such that, for every ``n`` from ``m`` to ``max_n``,
        ``rate * n`` satisfied answers (rounded half up, as in
        :func:`target_sensitivity`) out of ``n`` give a lower confidence bound
        at or above the target (a bound within a relative 1e-9 of the target
        counting as at it, as in :func:`satisfaction_rate`). None when the
        rate is not above the target (no number of answers confirms it) or
        when more than ``max_n`` answers would be needed.

    Raises
    ------
    EvalkitError
        As :func:`target_sensitivity`; also a ``max_n`` that is not a whole
        number of 1 or more.

    Notes
    -----
    "From ``m`` on" rather than "at ``m``": because satisfied answers come
    in whole numbers, the rate at ``n`` answers wobbles around the given
    rate, and a few ``n`` just above the first confirming one may fail
    again. For the Wilson interval with the rate held exactly, the bound
    reaches the target at :math:`n = z^2 t (1 - t) / (\\hat p - t)^2`
    (:math:`t` the target, :math:`z` the normal quantile); the whole-answer
    rounding moves the answer by a few.

    See Also
    --------
    target_sensitivity : the interval and verdict for chosen numbers of answers.

    Examples
    --------
    >>> min_n_to_confirm(78 / 93, target=0.70)
    48
    >>> min_n_to_confirm(0.65, target=0.70) is None
    True
    """
    rate, tgt, name, conf = _sensitivity_inputs(data, target, method, confidence)
    if np.ndim(max_n) != 0:
        raise EvalkitError("max_n must be one whole number", column="max_n", value=max_n)
    (limit,) = _answer_counts(max_n, column="max_n")
    if at_most(rate, tgt):
        return None
    n_arr = np.arange(1, int(limit) + 1, dtype=np.int64)
    low, _ = proportion_ci(_positive_at(rate, n_arr), n_arr, method=name, confidence=conf)
    fails = np.flatnonzero(~at_least(np.asarray(low, dtype=float), tgt))
    if fails.size == 0:
        return 1
    if fails[-1] == n_arr.size - 1:
        return None
    return int(n_arr[fails[-1] + 1])
