"""Conversions reports apply to hours saved: per year, full-time equivalents, money.

Each function takes a number or an array-like (list, NumPy array, pandas
Series) and returns the same kind: a float for a number, a Series with the
same index and name for a Series, a float64 array otherwise.

They are linear scalings, so they accept any finite value, negative ones
included (a negative saving, a confidence bound below zero), and pass a
missing value (NaN; None, NA or a blank inside an array-like) through as
NaN: ``annualise(float("nan"))`` is NaN, so that an interval that could not
be computed stays visibly missing. Text, true/false values, infinite
values, a ``None`` passed on its own and anything else that is not a number
raise :class:`~evalkit.EvalkitError` naming the position and value. The
parameters (``periods_per_year``, ``annual_hours_per_fte``,
``hourly_cost``) must be positive finite numbers.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .._validation import numeric, row_number, select, source_file
from ..errors import EvalkitError

__all__ = [
    "DEFAULT_ANNUAL_HOURS_PER_FTE",
    "annualise",
    "expected_savings",
    "hours_to_fte",
    "hours_to_yen",
]

#: Annual working hours of one full-time employee: a 38 h 45 min week x 52 weeks.
DEFAULT_ANNUAL_HOURS_PER_FTE = 2015.0


def annualise(monthly: Any, *, periods_per_year: float = 12) -> Any:
    """Turn a figure per period (default: per month) into a figure per year.

    Parameters
    ----------
    monthly : float or array-like
        Quantity per period, e.g. hours saved per month; may be negative,
        NaN passes through.
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
    >>> annualise([-1.5, float("nan")])
    array([-18.,  nan])
    """
    ppy = _positive_parameter(periods_per_year, "periods_per_year")
    return _apply(monthly, "monthly", lambda x: x * ppy)


def hours_to_fte(hours: Any, *, annual_hours_per_fte: float = DEFAULT_ANNUAL_HOURS_PER_FTE) -> Any:
    """Express hours per year as full-time equivalents (FTE).

    Parameters
    ----------
    hours : float or array-like
        Hours per year; may be negative, NaN passes through.
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
        Hours; may be negative, NaN passes through.
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
    """Check ``values`` (number or array-like) and apply ``func`` keeping its kind.

    Negative values are accepted and missing ones become NaN (see the module
    docstring); infinite and non-numeric values raise.
    """
    if values is None or isinstance(values, (str, bytes, bool, np.bool_)):
        raise EvalkitError("expected a number", column=name, value=values)
    if np.ndim(values) == 0:
        try:
            x = float(values)
        except (TypeError, ValueError):
            raise EvalkitError("not a number", column=name, value=values) from None
        if math.isinf(x):
            raise EvalkitError("infinite value", column=name, value=values)
        return float(func(x))
    if isinstance(values, pd.Series):
        arr = _numbers(values.reset_index(drop=True), name)
        return pd.Series(func(arr), index=values.index, name=values.name)
    arr = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
    if arr.ndim != 1:
        raise EvalkitError(f"{name} must be a number or one-dimensional, got shape {arr.shape}")
    return func(_numbers(pd.Series(arr), name))


def _numbers(values: pd.Series, name: str) -> np.ndarray:
    """Any finite numbers, negative ones included; missing values as NaN."""
    return numeric(
        values, column=name, file=None, tabular=False, allow_missing=True, allow_negative=True
    )


def expected_savings(data: pd.DataFrame | None = None, *, before: Any, rate: Any) -> Any:
    """Hours (or yen) a planned change is expected to save: ``before * rate``, row by row.

    Parameters
    ----------
    data : DataFrame, optional
        One row per candidate (e.g. a task to automate). Omit it to pass the
        values themselves.
    before : str, float or array-like
        Column of ``data`` with the current amount (e.g. annual manual
        hours), or the amounts when ``data`` is None. Any finite number;
        missing amounts give NaN.
    rate : str, float or array-like
        Column of ``data`` with the expected reduction rate of each row (a
        proportion, 0.8 for 80 %), or the rates when ``data`` is None; one
        number applies to every row. At most 1 (a reduction cannot exceed
        the whole amount); a negative rate (an expected increase, or the
        lower bound of a rate's confidence interval) is accepted, and a
        missing rate gives NaN.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        ``before * rate``. With ``data``: a Series named ``"expected_saved"``
        with the index of ``data``. Otherwise of the same kind as ``before``
        (a Series keeps its index and name).

    Raises
    ------
    EvalkitError
        Naming file, row, column and value: a missing column, an amount or
        rate that is not a number or infinite, a rate above 1 (80 % is 0.8,
        not 80), before and rate of different lengths.

    Notes
    -----
    An expectation, not a measurement: it has no confidence interval. The
    measured counterpart, once the change is made, is
    :func:`evalkit.reduction` on before/after records. Like the
    other conversions it is a linear scaling: negative values are accepted
    and NaN passes through as NaN.

    Examples
    --------
    >>> expected_savings(before=500.0, rate=0.8)
    400.0
    >>> import pandas as pd
    >>> df = pd.DataFrame({"task": ["A", "B"], "annual_hours_before": [500.0, 800.0],
    ...                    "expected_reduction_rate": [0.80, 0.84]})
    >>> expected_savings(df, before="annual_hours_before", rate="expected_reduction_rate")
    0    400.0
    1    672.0
    Name: expected_saved, dtype: float64
    """
    if data is None:
        if np.ndim(rate) == 0:
            share = _rate_scalar(rate)
            return _apply(before, "before", lambda x: x * share)
        b_ser, _ = select(None, before, role="before")
        r_ser, _ = select(None, rate, role="rate")
        if len(r_ser) != len(b_ser):
            raise EvalkitError(
                f"before has {len(b_ser)} values but rate has {len(r_ser)}; they must match",
                column="rate",
            )
        r = _rate_values(r_ser, "rate", None, False)
        return _apply(before, "before", lambda x: x * r)
    file = source_file(data)
    b_ser, tabular = select(data, before, role="before")
    r_ser, _ = select(data, rate, role="rate")
    b = numeric(
        b_ser,
        column=str(before),
        file=file,
        tabular=tabular,
        allow_missing=True,
        allow_negative=True,
    )
    r = _rate_values(r_ser, str(rate), file, tabular)
    return pd.Series(b * r, index=data.index, name="expected_saved")


_RATE_REASON = "a rate is a proportion of at most 1 (80 % is 0.8, not 80)"


def _rate_scalar(value: Any) -> float:
    """One rate, checked: a finite number of at most 1, or NaN (passed through)."""
    if (
        value is None
        or isinstance(value, (str, bytes, bool, np.bool_))
        or not isinstance(value, (int, float, np.integer, np.floating))
        or math.isinf(float(value))
        or float(value) > 1
    ):
        raise EvalkitError(
            _RATE_REASON,
            column="rate",
            value=value.item() if isinstance(value, np.generic) else value,
        )
    return float(value)


def _rate_values(values: pd.Series, column: str, file: str | None, tabular: Any) -> np.ndarray:
    """Rates as float64 (missing ones NaN), raising on the first not a number, infinite or > 1."""
    r = numeric(
        values, column=column, file=file, tabular=tabular, allow_missing=True, allow_negative=True
    )
    above = np.flatnonzero(r > 1)
    if above.size:
        pos = int(above[0])
        value = values.iloc[pos]
        raise EvalkitError(
            _RATE_REASON,
            file=file,
            row=row_number(pos, tabular=tabular),
            column=column,
            value=value.item() if isinstance(value, np.generic) else value,
        )
    return r
