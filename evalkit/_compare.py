"""Comparing an estimate or a confidence bound with a target, the same way everywhere.

Figures computed in binary floating point miss decimal targets by a few
units in the last place: 80 % of 2.4 + 7.1 hours saved is computed as
0.7999999999999999, not 0.8. A verdict must not flip on that noise, so a
value within a small relative tolerance of the target counts as equal to it:

.. math:: |x - \\text{target}| \\le 10^{-9} \\max(1, |\\text{target}|).

The tolerance is far below any meaningful difference (a billionth of the
target, or of 1 for targets below 1) and far above rounding noise (about
1e-16 relative). NaN is never at or beyond a target. Every verdict in
evalkit (``meets_target``, ``meets_target_confidently``, ``met``,
``met_confidently``) goes through :func:`at_least` or :func:`at_most`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["REL_TOL", "at_least", "at_most", "is_close", "reaches"]

#: Relative tolerance under which a value counts as equal to its target.
REL_TOL = 1e-9


def is_close(x: Any, target: Any) -> Any:
    """Whether ``x`` equals ``target`` up to :data:`REL_TOL` (relative to ``max(1, |target|)``).

    Scalars give a ``bool``, arrays a boolean array; NaN is never close.

    Examples
    --------
    >>> is_close(0.7999999999999999, 0.8), is_close(0.7999, 0.8)
    (True, False)
    """
    x_arr, t_arr = np.asarray(x, dtype=float), np.asarray(target, dtype=float)
    with np.errstate(invalid="ignore"):
        out = np.abs(x_arr - t_arr) <= REL_TOL * np.maximum(1.0, np.abs(t_arr))
    return bool(out) if out.ndim == 0 else out


def at_least(x: Any, target: Any) -> Any:
    """``x >= target``, a value within the tolerance of the target counting as equal.

    Examples
    --------
    >>> at_least(0.7999999999999999, 0.8), at_least(0.79, 0.8), at_least(float("nan"), 0.8)
    (True, False, False)
    """
    x_arr, t_arr = np.asarray(x, dtype=float), np.asarray(target, dtype=float)
    with np.errstate(invalid="ignore"):
        out = (x_arr >= t_arr) | np.asarray(is_close(x_arr, t_arr))
    return bool(out) if out.ndim == 0 else out


def at_most(x: Any, target: Any) -> Any:
    """``x <= target``, a value within the tolerance of the target counting as equal.

    Examples
    --------
    >>> at_most(100.00000000001, 100.0), at_most(100.1, 100.0)
    (True, False)
    """
    x_arr, t_arr = np.asarray(x, dtype=float), np.asarray(target, dtype=float)
    with np.errstate(invalid="ignore"):
        out = (x_arr <= t_arr) | np.asarray(is_close(x_arr, t_arr))
    return bool(out) if out.ndim == 0 else out


def reaches(x: Any, target: Any, direction: str) -> Any:
    """:func:`at_least` for ``direction=">="``, :func:`at_most` for ``"<="``."""
    if direction == ">=":
        return at_least(x, target)
    if direction == "<=":
        return at_most(x, target)
    raise ValueError(f"direction must be '>=' or '<=', got {direction!r}")
