"""Conversions reports apply to hours saved: per year, full-time equivalents, money.

Each function takes a number or an array-like (list, NumPy array, pandas
Series) and returns the same kind: a float for a number, a Series with the
same index and name for a Series, a float64 array otherwise. Negative,
missing or non-numeric inputs raise :class:`~evalkit.EvalkitError` naming the
position and value.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ._validation import numeric
from .errors import EvalkitError

__all__ = ["DEFAULT_ANNUAL_HOURS_PER_FTE", "annualise", "hours_to_fte", "hours_to_yen"]

#: Annual working hours of one full-time employee: a 38 h 45 min week x 52 weeks.
DEFAULT_ANNUAL_HOURS_PER_FTE = 2015.0


def annualise(monthly: Any, *, periods_per_year: float = 12) -> Any:
    """Turn a figure per period (default: per month) into a figure per year.

    Parameters
    ----------
    monthly : float or array-like
        Non-negative quantity per period, e.g. hours saved per month.
    periods_per_year : float, default 12
        Periods in a year: 12 for months, 4 for quarters, 52 for weeks.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        ``monthly * periods_per_year``, of the same kind as ``monthly``.

    Notes
    -----
    A plain multiplication: it assumes the average period is typical of the
    whole year. For a fiscal year with fewer periods of use, sum the actual
    periods instead.

    Examples
    --------
    >>> annualise(62)
    744.0
    >>> annualise([62, 10], periods_per_year=4)
    array([248.,  40.])
    """
    ppy = _positive_parameter(periods_per_year, "periods_per_year")
    return _apply(monthly, "monthly", lambda x: x * ppy)


def hours_to_fte(hours: Any, *, annual_hours_per_fte: float = DEFAULT_ANNUAL_HOURS_PER_FTE) -> Any:
    """Express hours per year as full-time equivalents (FTE).

    Parameters
    ----------
    hours : float or array-like
        Non-negative hours per year.
    annual_hours_per_fte : float, default 2015.0
        Hours one full-time employee works in a year
        (:data:`DEFAULT_ANNUAL_HOURS_PER_FTE`).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        ``hours / annual_hours_per_fte``, of the same kind as ``hours``.

    Notes
    -----
    The default, 2,015 hours, is the statutory working week of 38 hours
    45 minutes times 52 weeks. The 38 h 45 min week is set for national
    public servants by Article 5(1) of the Act on Working Hours, Leave, etc.
    of Officials in the Regular Service (一般職の職員の勤務時間、休暇等に関する法律,
    Act No. 33 of 1994, as amended with effect from April 2009); prefectures
    and municipalities set the same week in their own working-hours
    ordinances (職員の勤務時間、休暇等に関する条例), keeping the balance with
    national staff that Article 24 of the Local Public Service Act
    (地方公務員法) requires. The figure is *gross*: public holidays, the
    year-end holidays, annual and other leave are not subtracted, and
    overtime is not added. Hours actually available for work are lower, so
    the default gives a conservative (smaller) FTE; pass the organisation's
    own figure when it has one.

    References
    ----------
    .. [1] 一般職の職員の勤務時間、休暇等に関する法律 (平成6年法律第33号), 第5条第1項.
    .. [2] 地方公務員法 (昭和25年法律第261号), 第24条.

    Examples
    --------
    >>> hours_to_fte(4030)
    2.0
    >>> round(hours_to_fte(744, annual_hours_per_fte=1860), 2)
    0.4
    """
    per_fte = _positive_parameter(annual_hours_per_fte, "annual_hours_per_fte")
    return _apply(hours, "hours", lambda x: x / per_fte)


def hours_to_yen(hours: Any, *, hourly_cost: float) -> Any:
    """Value hours at an hourly cost (yen per hour, or any currency).

    Parameters
    ----------
    hours : float or array-like
        Non-negative hours.
    hourly_cost : float
        Cost of one hour of work, e.g. salary plus on-costs divided by annual
        hours. Required: there is no sensible default.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        ``hours * hourly_cost``, of the same kind as ``hours``.

    Examples
    --------
    >>> hours_to_yen(1800, hourly_cost=3000)
    5400000.0
    """
    cost = _positive_parameter(hourly_cost, "hourly_cost")
    return _apply(hours, "hours", lambda x: x * cost)


def _positive_parameter(value: Any, name: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not math.isfinite(value)
        or value <= 0
    ):
        raise EvalkitError(f"{name}= must be a positive finite number", column=name, value=value)
    return float(value)


def _apply(values: Any, name: str, func):
    """Check ``values`` (number or array-like) and apply ``func`` keeping its kind."""
    if values is None or isinstance(values, (str, bytes, bool, np.bool_)):
        raise EvalkitError("expected a non-negative number", column=name, value=values)
    if np.ndim(values) == 0:
        try:
            x = float(values)
        except (TypeError, ValueError):
            raise EvalkitError("not a number", column=name, value=values) from None
        if math.isnan(x):
            raise EvalkitError("missing value", column=name, value=values)
        if math.isinf(x):
            raise EvalkitError("infinite value", column=name, value=values)
        if x < 0:
            raise EvalkitError("negative quantity", column=name, value=values)
        return float(func(x))
    if isinstance(values, pd.Series):
        arr = numeric(values.reset_index(drop=True), column=name, file=None, tabular=False)
        return pd.Series(func(arr), index=values.index, name=values.name)
    arr = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
    if arr.ndim != 1:
        raise EvalkitError(f"{name} must be a number or one-dimensional, got shape {arr.shape}")
    return func(numeric(pd.Series(arr), column=name, file=None, tabular=False))
