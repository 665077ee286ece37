"""Usage of a tool: how many units used it, in how many periods, and how much.

:func:`usage` counts the units (departments, tasks) and periods (months)
present in activity records and sums count columns such as meetings or
recorded minutes, overall, per period and per unit. It answers "who used it,
when, how much" before :func:`evalkit.reduction` answers "what did
it save"; both order units and periods the same way, and both take
``periods=`` (the whole reporting window) with the same meaning.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._results import SUMMARY_COLUMNS, ResultMixin
from .._validation import numeric, require_columns, select, source_file
from ..engines import engine_of, usage_sums
from ..errors import EvalkitError
from ._labels import label_codes, onto_window, period_word, unit_codes, unit_parts
from ._reduction_rows import _unit_columns

__all__ = ["UsageResult", "usage"]


@dataclass(frozen=True, eq=False, repr=False)
class UsageResult(ResultMixin):
    """Result of :func:`usage`; see that function for the meaning of each field."""

    n_rows: int
    n_units: int
    n_periods: int | None
    mean_units_per_period: float | None
    totals: pd.Series
    per_unit: pd.DataFrame
    per_period: pd.DataFrame | None
    unit_name: str
    period_word: str | None
    _window: bool = field(default=False, repr=False)

    _title = "Usage"
    _title_ja = "利用状況 (usage)"

    def summary(self) -> pd.DataFrame:
        """Tidy table, one row per metric: metric, value, ci_low, ci_high, unit.

        Rows: ``n_units``, ``n_periods`` and ``mean_units_per_period`` (with
        ``period=``), ``n_rows``, then ``total: <column>`` and, with
        ``period=``, ``mean per <period>: <column>`` for each count column.
        ``ci_low`` and ``ci_high`` are empty: these are counts, not estimates.
        """
        nan = math.nan
        word = self.period_word
        rows: list[tuple[str, float, float, float, str]] = [
            ("n_units", float(self.n_units), nan, nan, self.unit_name)
        ]
        if self.per_period is not None:
            rows.append(("n_periods", float(self.n_periods), nan, nan, f"{word}s"))
            rows.append(
                (
                    "mean_units_per_period",
                    float(self.mean_units_per_period),
                    nan,
                    nan,
                    f"{self.unit_name}/{word}",
                )
            )
        rows.append(("n_rows", float(self.n_rows), nan, nan, "rows"))
        for name, total in self.totals.items():
            rows.append((f"total: {name}", float(total), nan, nan, str(name)))
        if self.per_period is not None:
            for name in self.totals.index:
                mean = float(self.per_period[name].mean())
                rows.append((f"mean per {word}: {name}", mean, nan, nan, f"{name}/{word}"))
        out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
        for col in ("value", "ci_low", "ci_high"):
            out[col] = out[col].astype("float64")
        return out

    def _notes(self) -> list[str]:
        notes = [f"Units: {self.n_units} distinct values of {self.unit_name}."]
        if self.per_period is not None and self._window:
            notes.append(
                f"Periods: the {self.n_periods} {self.period_word}(s) of periods=; "
                f"a {self.period_word} without rows counts as zero."
            )
        elif self.per_period is not None:
            notes.append(
                f"Periods: the {self.n_periods} {self.period_word}(s) with at least one row; "
                f"a {self.period_word} without rows is absent, not zero."
            )
        return notes


def usage(
    data: Any = None,
    *,
    unit: Any,
    period: Any = None,
    periods: Any = None,
    counts: Hashable | Iterable[Hashable] | None = None,
) -> UsageResult:
    """Units and periods present in activity records, and the sums of count columns.

    Parameters
    ----------
    data : DataFrame, str, Path, DuckDBPyRelation or dask DataFrame, optional
        One row per activity record, e.g. one department in one month. A
        Parquet file, folder or glob (text or a path), a DuckDB relation
        or a Dask DataFrame is aggregated out of core, as in
        :func:`evalkit.reduction`. When omitted, ``unit`` and ``period``
        are equal-length array-likes and no count columns can be given.
    unit : str, list of str or array-like
        Column (or values) naming the unit of each row (department, task).
        With ``data``, a list of columns makes a unit of several columns,
        labelled by tuples, as in :func:`evalkit.reduction`.
    period : str or array-like, optional
        Column (or values) giving the period of each row (monthly
        :class:`pandas.Period`, ``YYYY-MM`` text, timestamps). Adds
        ``per_period`` and the per-period figures.
    periods : array-like, optional
        With ``period``: every period of the reporting window, in order (e.g.
        ``evalkit.fiscal_months(2019)``), as in
        :func:`evalkit.reduction`. A period without rows then
        appears in ``per_period`` with zero units, rows and counts and counts
        in ``n_periods`` and the means per period, instead of being absent;
        a row whose period is not among them is an error. Labels must be of
        the same kind as the ``period`` column.
    counts : str or list of str, optional
        Columns of ``data`` with non-negative amounts to sum (meetings,
        recorded minutes, runs...).

    Returns
    -------
    UsageResult
        Frozen result with fields:

        - ``n_rows``: rows analysed.
        - ``n_units``: distinct units.
        - ``n_periods``: distinct periods, or the number of ``periods`` when
          given (None without ``period``).
        - ``mean_units_per_period``: mean over the periods of ``n_units``
          of ``per_period`` (None without ``period``).
        - ``totals``: Series, the sum of each count column over all rows,
          indexed by column name, named ``"total"`` (empty without ``counts``).
        - ``per_unit``: DataFrame ``unit``, then ``n_periods``,
          ``first_period``, ``last_period`` (with ``period``), ``n_rows`` and
          one column per count column (its sum over the unit's rows, whole
          numbers for an integer column); one row per unit, sorted by label.
        - ``per_period``: DataFrame ``period``, ``n_units`` (units with a row
          in the period), ``new_units`` (units whose first period it is),
          ``cumulative_units`` (units seen up to and including the period),
          ``n_rows`` and one column per count column; sorted by period.
          None without ``period``.
        - ``unit_name``: the unit column's name (``"unit"`` for an array).
        - ``period_word``: ``"month"`` for months, ``"period"`` otherwise
          (None without ``period``).

    Raises
    ------
    EvalkitError
        Naming file, row, column and value: a missing column, a blank unit or
        period label, period labels of different kinds, a count that is
        missing, negative or not a number, empty data, arrays of different
        lengths, ``counts`` without ``data``.

    Notes
    -----
    Units and periods are ordered as :func:`evalkit.reduction`
    orders them (sorted labels; Periods and ``YYYY-MM`` text in time order),
    so ``usage(...).per_period["n_units"]`` equals ``reduction(...)
    .per_period["n_units"]`` on the same rows (no row excluded by
    ``missing="exclude"``) with the same ``periods=``: both without it
    (periods with rows only) or both with the same window (periods without
    rows as zero). With ``periods=`` on one side only the two tables differ
    by the empty periods.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "month": ["2019-04", "2019-04", "2019-05", "2019-06", "2019-06"],
    ...     "department": ["A", "B", "A", "A", "C"],
    ...     "meetings": [2, 1, 3, 1, 4],
    ... })
    >>> res = usage(df, unit="department", period="month", counts="meetings")
    >>> res.n_units, res.n_periods, int(res.totals["meetings"])
    (3, 3, 11)
    >>> res.per_period
        period  n_units  new_units  cumulative_units  n_rows  meetings
    0  2019-04        2          2                 2       2         3
    1  2019-05        1          0                 2       1         3
    2  2019-06        2          1                 3       2         5
    """
    if engine_of(data) is None:
        rows = _check_rows(data, unit, period, periods, counts)
        sums = _aggregate(rows, periods)
    else:  # Parquet files, a DuckDB relation or a Dask DataFrame: aggregated by the engine
        if periods is not None and period is None:
            raise EvalkitError("periods= needs period=", column="periods", value=periods)
        sums = usage_sums(data, unit=unit, period=period, periods=periods, counts=counts)
    return _statistics(sums, window=periods is not None)


# ---------------------------------------------------------------------------
# the three steps: check the rows, aggregate them, compute from the aggregates


@dataclass(frozen=True, eq=False)
class _Rows:
    """Step 1: the checked labels and count values of every row."""

    units: pd.Series | pd.DataFrame  # a DataFrame for a unit of several columns
    unit_name: str
    periods: pd.Series | None
    period_name: str | None
    amounts: dict[Hashable, np.ndarray]  # count column -> float64 values
    integer: dict[Hashable, bool]  # count column -> whole numbers (kept as int64)
    file: str | None
    tabular: bool


@dataclass(frozen=True, eq=False)
class UsageSums:
    """Step 2: what the figures of :func:`usage` need from the rows.

    Per unit: rows, count sums, and (with periods) the number of periods and
    the first and last period; per period: rows, count sums and the number of
    units with a row. Periods are positions in ``period_labels``.
    """

    n_rows: int
    unit_labels: Any
    unit_name: str
    unit_rows: np.ndarray
    unit_counts: dict[Hashable, np.ndarray]
    integer: dict[Hashable, bool]
    period_labels: pd.Index | None = None
    period_rows: np.ndarray | None = None
    period_counts: dict[Hashable, np.ndarray] | None = None
    period_units: np.ndarray | None = None
    unit_periods: np.ndarray | None = None
    unit_first: np.ndarray | None = None
    unit_last: np.ndarray | None = None
    unit_columns: tuple[str, ...] | None = None  # the columns of a unit of several columns


def _check_rows(data, unit, period, periods, counts) -> _Rows:
    """Select the label and count columns and check every value; name the bad row."""
    file = source_file(data)
    if data is not None and isinstance(unit, list):  # a unit of several columns
        u_ser, u_col = _unit_columns(data, unit)
        tabular = select(data, unit[0], role="unit")[1]
    else:
        u_ser, tabular = select(data, unit, role="unit")
        u_col = str(unit) if tabular else "unit"
    n_rows = len(u_ser)
    if n_rows == 0:
        raise EvalkitError("no data rows: nothing to count", file=file, column=u_col)
    p_ser = p_col = None
    if periods is not None and period is None:
        raise EvalkitError("periods= needs period=", column="periods", value=periods)
    if period is not None:
        p_ser, _ = select(data, period, role="period")
        p_col = str(period) if tabular else "period"
        if len(p_ser) != n_rows:
            raise EvalkitError(
                f"unit has {n_rows} values but period has {len(p_ser)}; they must match",
                column="period",
            )
    names = _count_names(data, counts)
    amounts = {
        name: numeric(
            data[name].reset_index(drop=True), column=str(name), file=file, tabular=tabular
        )
        for name in names
    }
    integer = {name: pd.api.types.is_integer_dtype(data[name].dtype) for name in names}
    return _Rows(u_ser, u_col, p_ser, p_col, amounts, integer, file, tabular)


def _aggregate(rows: _Rows, periods) -> UsageSums:
    """Count rows and sum the count columns per unit and per period; first and last periods."""
    file, tabular = rows.file, rows.tabular
    u_codes, u_labels = unit_codes(rows.units, None, rows.unit_name, file, tabular)
    k = len(u_labels)
    sums = UsageSums(
        n_rows=len(rows.units),
        unit_labels=u_labels,
        unit_name=rows.unit_name,
        unit_rows=np.bincount(u_codes, minlength=k),
        unit_counts={
            n: np.bincount(u_codes, weights=v, minlength=k) for n, v in rows.amounts.items()
        },
        integer=rows.integer,
        unit_columns=tuple(rows.units.columns) if isinstance(rows.units, pd.DataFrame) else None,
    )
    if rows.periods is None:
        return sums
    p_ser, p_col = rows.periods, rows.period_name
    p_codes, p_labels = label_codes(p_ser, None, p_col, file, tabular, sort_required=True)
    if periods is not None:
        # Recode onto the full window, so that empty periods count as zero.
        p_labels, p_codes = onto_window(
            periods, p_labels, p_codes, p_ser, None, p_col, file, tabular
        )
    return dataclasses.replace(
        sums, **period_fields(p_labels, p_codes, u_codes, k, rows.amounts, row_weights=None)
    )


def period_fields(p_labels, p_codes, u_codes, n_units, amounts, *, row_weights) -> dict[str, Any]:
    """The per-period fields of :class:`UsageSums` from the period and unit code of each row.

    ``row_weights``: how many rows each entry stands for (an engine's groups),
    None for one row each.
    """
    n_periods = len(p_labels)
    seen = np.zeros((n_periods, n_units), dtype=bool)
    seen[p_codes, u_codes] = True
    rows = np.bincount(p_codes, weights=row_weights, minlength=n_periods)
    counts = {n: np.bincount(p_codes, weights=v, minlength=n_periods) for n, v in amounts.items()}
    return fields_of_seen(p_labels, seen, rows, counts)


def fields_of_seen(p_labels, seen, rows, counts) -> dict[str, Any]:
    """The per-period fields of :class:`UsageSums` from which unit has rows in which period.

    ``seen``: bool, periods x units; ``rows`` and ``counts`` (name -> values):
    the rows and the sums of each count column per period.
    """
    n_periods = len(p_labels)
    return {
        "period_labels": p_labels,
        "period_rows": np.rint(rows).astype(np.int64),
        "period_counts": counts,
        "period_units": seen.sum(axis=1),
        "unit_periods": seen.sum(axis=0),
        "unit_first": seen.argmax(axis=0),  # every unit has a first period
        "unit_last": n_periods - 1 - seen[::-1].argmax(axis=0),
    }


def _statistics(sums: UsageSums, *, window: bool) -> UsageResult:
    """Step 3: the tables and figures of :class:`UsageResult` from the sums of step 2."""
    labels = np.empty(len(sums.unit_labels), dtype=object)
    labels[:] = list(sums.unit_labels)  # tuples stay tuples (np.asarray would split them)
    per_unit = pd.DataFrame({"unit": labels, **unit_parts(sums.unit_labels, sums.unit_columns)})
    per_period = mean_units = n_periods = word = None
    if sums.period_labels is not None:
        n_periods = len(sums.period_labels)
        new = np.bincount(sums.unit_first, minlength=n_periods)
        per_period = pd.DataFrame(
            {
                "period": sums.period_labels,
                "n_units": sums.period_units.astype(np.int64),
                "new_units": new.astype(np.int64),
                "cumulative_units": np.cumsum(new).astype(np.int64),
                "n_rows": sums.period_rows.astype(np.int64),
            }
        )
        for name, values in sums.period_counts.items():
            per_period[name] = _keep_kind(values, sums.integer[name])
        mean_units = float(per_period["n_units"].mean())
        per_unit["n_periods"] = sums.unit_periods.astype(np.int64)
        per_unit["first_period"] = sums.period_labels[sums.unit_first]
        per_unit["last_period"] = sums.period_labels[sums.unit_last]
        word = period_word(per_period["period"])
    per_unit["n_rows"] = sums.unit_rows.astype(np.int64)
    for name, values in sums.unit_counts.items():
        per_unit[name] = _keep_kind(values, sums.integer[name])
    totals = pd.Series(
        [float(values.sum()) for values in sums.unit_counts.values()],
        index=pd.Index([str(n) for n in sums.unit_counts], dtype=object),
        name="total",
        dtype="float64",
    )
    return UsageResult(
        n_rows=int(sums.n_rows),
        n_units=len(sums.unit_labels),
        n_periods=n_periods,
        mean_units_per_period=mean_units,
        totals=totals,
        per_unit=per_unit,
        per_period=per_period,
        unit_name=sums.unit_name,
        period_word=word,
        _window=window,
    )


def _count_names(data: Any, counts: Any) -> list[Hashable]:
    if counts is None:
        return []
    names = (
        [counts] if isinstance(counts, str) or not isinstance(counts, Iterable) else list(counts)
    )
    if data is None:
        raise EvalkitError(
            "counts= names columns, but no data were given; pass data=<DataFrame>",
            column="counts",
            value=counts,
        )
    require_columns(data, names)
    return names


def _keep_kind(sums: np.ndarray, integer: bool) -> np.ndarray:
    """Sums of a whole-number column as int64 (counts stay counts), others as float64."""
    if integer:
        return np.rint(sums).astype(np.int64)
    return sums
