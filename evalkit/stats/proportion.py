"""Confidence intervals for a binomial proportion (the share of satisfied answers).

:func:`proportion_ci` gives the Wilson, Clopper-Pearson, Agresti-Coull and
Jeffreys intervals; the small checks of ``method``, ``confidence`` and
``target`` are shared by :mod:`evalkit.stats.satisfaction`.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..errors import EvalkitError

__all__ = ["METHODS", "proportion_ci"]

#: Interval methods of :func:`proportion_ci`, with the names shown in results.
METHODS = {
    "wilson": "Wilson score",
    "clopper-pearson": "Clopper-Pearson exact",
    "agresti-coull": "Agresti-Coull",
    "jeffreys": "Jeffreys",
}
_METHOD_ALIASES = {"exact": "clopper-pearson"}


def _method(method: Any) -> str:
    if isinstance(method, str):
        name = method.strip().lower().replace("_", "-").replace(" ", "-")
        name = _METHOD_ALIASES.get(name, name)
        if name in METHODS:
            return name
    raise EvalkitError(
        f"unknown interval method; use one of {', '.join(METHODS)} ('exact' = clopper-pearson)",
        column="method",
        value=method,
    )


def _confidence(confidence: Any) -> float:
    if (
        isinstance(confidence, bool | np.bool_)
        or not isinstance(confidence, numbers.Real)
        or not 0 < float(confidence) < 1
    ):
        raise EvalkitError(
            "confidence must be a number strictly between 0 and 1, e.g. 0.95",
            column="confidence",
            value=confidence,
        )
    return float(confidence)


def _target(target: Any) -> float | None:
    if target is None:
        return None
    if (
        isinstance(target, bool | np.bool_)
        or not isinstance(target, numbers.Real)
        or not 0 <= float(target) <= 1
    ):
        raise EvalkitError(
            "target must be a proportion between 0 and 1 (70 % is 0.70), or None",
            column="target",
            value=target,
        )
    return float(target)


def _counts(k: Any, n: Any) -> tuple[np.ndarray, np.ndarray, bool]:
    scalar = np.ndim(k) == 0 and np.ndim(n) == 0
    arrays = []
    for name, value in (("k", k), ("n", n)):
        arr = np.asarray(value)
        if arr.dtype == bool or not (
            np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
        ):
            raise EvalkitError(f"{name} must be a whole number (a count)", column=name, value=value)
        arrays.append(arr)
    try:
        k_arr, n_arr = np.broadcast_arrays(*arrays)
    except ValueError:
        raise EvalkitError(
            f"k and n have shapes {arrays[0].shape} and {arrays[1].shape}, which do not match"
        ) from None
    for name, arr, reason, bad in (
        ("k", k_arr, "not a whole number", lambda a: ~np.isfinite(a) | (a != np.round(a))),
        ("n", n_arr, "not a whole number", lambda a: ~np.isfinite(a) | (a != np.round(a))),
        ("k", k_arr, "negative count", lambda a: a < 0),
        ("n", n_arr, "n must be at least 1", lambda a: a < 1),
        ("k", k_arr, "k is larger than n", lambda a: a > n_arr),
    ):
        flags = np.atleast_1d(bad(arr.astype(float)))
        if flags.any():
            pos = int(np.flatnonzero(flags)[0])
            value = arr.reshape(-1)[pos].item()
            row = None if scalar else pos + 1
            if name == "k" and reason.startswith("k is"):
                reason = f"k is larger than n = {n_arr.reshape(-1)[pos].item()}"
            raise EvalkitError(reason, row=row, column=name, value=value)
    return k_arr.astype(float), n_arr.astype(float), scalar


def proportion_ci(
    k: Any, n: Any, *, method: str = "wilson", confidence: float = 0.95
) -> tuple[Any, Any]:
    """Two-sided confidence interval for a binomial proportion ``k / n``.

    Parameters
    ----------
    k : int or array-like of int
        Number of successes (e.g. satisfied answers), 0 <= k <= n.
    n : int or array-like of int
        Number of trials (valid answers), n >= 1. Arrays broadcast with ``k``.
    method : {"wilson", "clopper-pearson", "agresti-coull", "jeffreys"}
        Interval method; ``"exact"`` is accepted for ``"clopper-pearson"``,
        and case and ``_`` / ``-`` are ignored (``"agresti_coull"``).
    confidence : float, default 0.95
        Two-sided confidence level, strictly between 0 and 1.

    Returns
    -------
    low, high : float or ndarray
        The bounds, within [0, 1]; floats for scalar input, arrays otherwise.

    Raises
    ------
    EvalkitError
        Non-integer, negative or non-finite counts, ``n = 0``, ``k > n``,
        unknown method, confidence outside (0, 1).

    Notes
    -----
    With :math:`\\hat p = k/n`, :math:`z = \\Phi^{-1}(1 - \\alpha/2)` and
    :math:`\\alpha = 1 - \\text{confidence}`:

    * Wilson score: :math:`\\frac{\\hat p + z^2/2n \\pm z\\sqrt{\\hat p(1-\\hat p)/n
      + z^2/4n^2}}{1 + z^2/n}`; exactly 0 at ``k = 0`` and 1 at ``k = n``.
    * Clopper-Pearson: :math:`B(\\alpha/2; k, n-k+1)` and
      :math:`B(1-\\alpha/2; k+1, n-k)` (beta quantiles); 0 at ``k = 0``, 1 at
      ``k = n``. Guaranteed coverage, conservative.
    * Agresti-Coull: the Wald interval around :math:`\\tilde p = (k + z^2/2)/(n +
      z^2)` with :math:`\\tilde n = n + z^2`, clipped to [0, 1].
    * Jeffreys: equal-tailed interval of the Beta(k + 1/2, n - k + 1/2)
      posterior, with the lower bound set to 0 at ``k = 0`` and the upper bound
      to 1 at ``k = n`` as Brown, Cai and DasGupta (2001) define it, so that
      the interval always contains :math:`\\hat p`. statsmodels'
      ``proportion_confint(method="jeffreys")`` does not make this change and
      differs there only.

    The other bounds agree with statsmodels ``proportion_confint`` (methods
    ``wilson``, ``beta``, ``agresti_coull``, ``jeffreys``).

    References
    ----------
    .. [1] Newcombe, R. G. (1998). Two-sided confidence intervals for the
       single proportion: comparison of seven methods. *Statistics in
       Medicine*, 17, 857-872.
    .. [2] Brown, L. D., Cai, T. T., DasGupta, A. (2001). Interval estimation
       for a binomial proportion. *Statistical Science*, 16, 101-133.

    Examples
    --------
    >>> low, high = proportion_ci(81, 263)
    >>> round(low, 4), round(high, 4)
    (0.2553, 0.3662)
    >>> [round(b, 4) for b in proportion_ci(81, 263, method="clopper-pearson")]
    [0.2527, 0.3676]
    >>> proportion_ci(0, 20, method="jeffreys")[0]
    0.0
    """
    name = _method(method)
    alpha = 1.0 - _confidence(confidence)
    k_arr, n_arr, scalar = _counts(k, n)
    low, high = _bounds(k_arr, n_arr, name, alpha)
    if scalar:
        return float(low), float(high)
    return low, high


def _bounds(k_arr: np.ndarray, n_arr: np.ndarray, name: str, alpha: float) -> tuple[Any, Any]:
    """Bounds of :func:`proportion_ci` for checked float arrays, ``0 <= k <= n``, ``n > 0``.

    ``k`` and ``n`` need not be whole numbers: :func:`evalkit.satisfaction_rate`
    evaluates the interval at a Kish effective sample size ``n_eff`` with
    ``k = rate * n_eff`` (Korn & Graubard 1998). Every formula below extends
    to real ``k`` and ``n`` unchanged.
    """
    from scipy import stats  # imported here: keeps `import evalkit` light

    if name in ("wilson", "agresti-coull"):
        z = stats.norm.isf(alpha / 2)
        z2 = z * z
        if name == "wilson":
            p = k_arr / n_arr
            denom = 1 + z2 / n_arr
            centre = (p + z2 / (2 * n_arr)) / denom
            half = z * np.sqrt(p * (1 - p) / n_arr + z2 / (4 * n_arr**2)) / denom
        else:
            n_t = n_arr + z2
            centre = (k_arr + z2 / 2) / n_t
            half = z * np.sqrt(centre * (1 - centre) / n_t)
        low, high = centre - half, centre + half
    else:
        shift = 0.0 if name == "clopper-pearson" else 0.5
        # Beta parameters are positive away from the extremes; the extremes are set below.
        a_low = np.where(k_arr > 0, k_arr + shift, 1.0)
        b_high = np.where(k_arr < n_arr, n_arr - k_arr + shift, 1.0)
        low = stats.beta.ppf(alpha / 2, a_low, n_arr - k_arr + 1 - shift)
        high = stats.beta.isf(alpha / 2, k_arr + 1 - shift, b_high)
    low = np.where(k_arr == 0, 0.0, np.clip(low, 0.0, 1.0))
    high = np.where(k_arr == n_arr, 1.0, np.clip(high, 0.0, 1.0))
    return low, high
