"""How the confidence of meeting a target depends on the number of answers.

:func:`target_sensitivity` shows the interval, exact test and verdict an
observed satisfaction rate would have with other numbers of answers;
:func:`min_n_to_confirm` finds the fewest answers from which every larger
number would confirm the target. Both take a rate or a
:class:`~evalkit.SatisfactionResult`.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
import pandas as pd

from .._compare import at_least, at_most
from ..errors import EvalkitError
from .proportion import _confidence, _method, _target, proportion_ci

__all__ = ["min_n_to_confirm", "target_sensitivity"]


def _sensitivity_inputs(
    data: Any, target: Any, method: Any, confidence: Any
) -> tuple[float, float, str, float]:
    """Rate, target, method and confidence from a result or a plain rate."""
    from .satisfaction import SatisfactionResult  # here: satisfaction imports this module

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

    Every ``n`` counts independent answers of a simple random sample. For a
    result of :func:`satisfaction_rate` with ``weights=`` or ``cluster=``,
    read it as an effective sample size: about ``n * result.design_effect``
    questionnaires of the same design give the precision of ``n`` here.

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
    rounding moves the answer by a few. As in :func:`target_sensitivity`,
    the answer counts independent answers; for a result with ``weights=`` or
    ``cluster=``, multiply it by the result's ``design_effect`` to estimate
    the questionnaires of the same design that would be needed.

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
