"""What the DuckDB and Dask engines share: the call, the suspect rows, aggregates to sums.

An engine (a :class:`Source`) first scans the columns named and counts the
rows and the *suspect* rows, those the in-memory checks would refuse or
leave out (a blank, NaN, infinite or negative amount, a blank label).
Only when there are suspect rows does it fetch them, with their file and
row (:class:`Located`), and they go through the same checking code as in
memory (:func:`check_suspects`), so that the error is the one the
in-memory path gives, naming the file and the row within it. Then it
aggregates the kept rows (:class:`Groups`): the combinations of unit,
cluster and period present, and before and after per unit and per period
summed by the engine per combination of labels, then per unit and per
period (:func:`unit_and_period_sums`). These become the
:class:`ReductionSums` or :class:`UsageSums` of step 2
(:func:`reduction_sums`, :func:`usage_sums`), with the label rules of
:mod:`evalkit.stats._labels` applied to them; a label error names the
first data row holding the label (:func:`at_source`).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from .._validation import _NOT_QUANTITY, numeric
from ..errors import EvalkitError
from ..stats._labels import label_codes, onto_window, unit_codes, units_per_period
from ..stats._reduction_rows import ReductionSums, check_rows

#: Names of the columns engines add; chosen not to clash with the data's.
BEFORE, AFTER, KEPT_ROWS, SUSPECT, ALL_ROWS = "__ek_b", "__ek_a", "__ek_n", "__ek_s", "__ek_rows"
POSITION, FILE, AT = "__ek_pos", "__ek_file", "__ek_at"
#: In ``Groups.periods``: the number of units with a kept row in the period.
N_UNITS = "__ek_nu"
#: Every character Python's ``str.strip()`` removes: a label of only these is blank.
WHITESPACE = "".join(c for c in map(chr, range(0x110000)) if c.isspace())


def engine_of(data: Any) -> str | None:
    """``"duckdb"``, ``"dask"`` or None (in memory), from the type of ``data`` alone.

    Neither duckdb nor dask is imported: a Parquet path (``str`` or
    :class:`os.PathLike`) or a ``DuckDBPyRelation`` go to DuckDB, a Dask
    DataFrame to Dask.
    """
    if isinstance(data, str | os.PathLike):
        return "duckdb"
    cls = type(data)
    module = cls.__module__ or ""
    if module.split(".")[0] == "duckdb" and cls.__name__ == "DuckDBPyRelation":
        return "duckdb"
    if module.split(".")[0] == "dask" and cls.__name__ == "DataFrame":
        return "dask"
    return None


@dataclass(frozen=True)
class Spec:
    """The columns a call names, as the engines need them."""

    kind: str  # "reduction" or "usage"
    before: str | None
    after: str | None
    unit: tuple[str, ...]  # () when each row is a unit
    unit_list: bool  # unit= was a list of columns
    period: str | None
    cluster: str | None
    counts: tuple[str, ...]
    missing: str

    @property
    def amounts(self) -> list[str]:
        """The numeric columns: before and after, or the count columns."""
        return [c for c in (self.before, self.after) if c is not None] + list(self.counts)

    @property
    def labels(self) -> list[str]:
        """The label columns: unit(s), cluster, period (the keys of the groups)."""
        named = [*self.unit, *(c for c in (self.cluster, self.period) if c is not None)]
        return list(dict.fromkeys(named))  # a column once (the cluster may be a unit column)

    @property
    def unit_arg(self) -> Any:
        """``unit=`` as the in-memory code takes it."""
        if not self.unit:
            return None
        return list(self.unit) if self.unit_list else self.unit[0]

    @property
    def unit_name(self) -> str | None:
        return ", ".join(self.unit) if self.unit else None


def _column(spec: Any, role: str) -> str:
    if isinstance(spec, str):
        return spec
    raise EvalkitError(
        f"with a Parquet path, a DuckDB relation or a Dask DataFrame, {role}= must be a "
        f"column name (text), got {type(spec).__name__}",
        value=spec,
    )


def make_spec(
    kind, *, before=None, after=None, unit=None, period=None, cluster=None, counts=None,
    missing="raise",
) -> Spec:  # fmt: skip
    """Check that every argument names a column, and collect them."""
    unit_list = isinstance(unit, list | tuple)
    if unit_list and not unit:
        raise EvalkitError("unit= is an empty list; name at least one column", value=unit)
    units = tuple(_column(u, "unit") for u in unit) if unit_list else ()
    if unit is not None and not unit_list:
        units = (_column(unit, "unit"),)
    if len(set(units)) < len(units):
        raise EvalkitError("unit= names a column twice", value=unit)
    if counts is None:
        count_cols: tuple[str, ...] = ()
    elif isinstance(counts, str) or not isinstance(counts, Iterable):
        count_cols = (_column(counts, "counts"),)
    else:
        count_cols = tuple(_column(c, "counts") for c in counts)
    return Spec(
        kind=kind,
        before=None if before is None else _column(before, "before"),
        after=None if after is None else _column(after, "after"),
        unit=units,
        unit_list=unit_list,
        period=None if period is None else _column(period, "period"),
        cluster=None if cluster is None else _column(cluster, "cluster"),
        counts=count_cols,
        missing=missing,
    )


def missing_column(columns: Iterable[Hashable], spec: Spec, file: str | None) -> None:
    """Raise as :func:`evalkit._validation.require_columns` does for the first absent column."""
    have_cols = list(columns)
    for col in [*spec.amounts, *spec.labels]:
        if col not in have_cols:
            have = ", ".join(repr(c) for c in have_cols)
            raise EvalkitError(
                f"column not found; the data have {have or 'no columns'}", file=file, column=col
            )


def not_numeric(file, column, kind, type_name, first_value) -> EvalkitError:
    """The error for an amount column not stored as numbers, naming its first value given.

    ``first_value(file, column, text)`` gives the file, row (from 1) and
    value of the first value given (for text: not blank), or None.
    """
    text = kind in ("text", "other")
    kind = "date" if kind == "day" else kind
    at = first_value(file, column, text)
    if text:
        reason = (
            f"not a number: the column is stored as {type_name} (text); amounts must be stored "
            "as numbers (an integer, floating-point or decimal type), since text read as "
            "numbers can change value silently (' 1_000' would become 1000): convert the column "
            "before writing it (evalkit.read_table reads such text, pandas.to_numeric converts it)"
        )
    else:
        reason = _NOT_QUANTITY.get(kind, f"not a number (stored as {type_name})")
    kwargs: dict[str, Any] = {"file": file, "column": column}
    if at is not None:
        kwargs.update(file=at[0], row=at[1], value=at[2])
    return EvalkitError(reason, **kwargs)


@dataclass(frozen=True, eq=False)
class Scan:
    """Result of an engine's first, cheap pass over the columns named."""

    n_rows: int  # rows in the data
    n_suspect: int  # rows the checks of step 1 might refuse or leave out
    integer: dict[str, bool]  # count column -> whole numbers (kept as int64)


@dataclass(frozen=True, eq=False)
class Groups:
    """An engine's aggregates of the kept rows.

    ``pairs``: one row per combination of unit, cluster and period present
    (the columns named in ``Spec.labels``, or ``POSITION`` when each row is
    a unit), with ``KEPT_ROWS`` and, for usage, the sum of each count column
    under its own name. For reduction, ``units`` (the unit columns or
    ``POSITION``) and ``periods`` (the period column) hold ``BEFORE`` and
    ``AFTER`` summed over the rows in any order: the last bits of a sum may
    differ from the in-memory ones, which the statistics do not see
    (:func:`evalkit.stats._resampling.on_grid`).

    An engine may instead give the number of units of each period as
    ``N_UNITS`` in ``periods``; ``pairs`` then needs only one row per unit
    (per unit and cluster with ``cluster=``) and no ``KEPT_ROWS``. For usage
    it may give one row per unit in ``pairs``, the rows (``KEPT_ROWS``) and
    count sums of each period in ``periods``, and ``seen``: whether each
    unit has rows in each period.
    """

    pairs: pd.DataFrame
    units: pd.DataFrame | None = None
    periods: pd.DataFrame | None = None
    seen: np.ndarray | None = None  # usage: bool, units (pairs' rows) x periods (periods' rows)


@dataclass(frozen=True, eq=False)
class Located:
    """Rows fetched from the data in data order, with their file and row."""

    frame: pd.DataFrame  # the data's columns, RangeIndex
    files: np.ndarray  # object: the file (or "partition 3") of each row, or None
    rows: np.ndarray  # int64: row within its file (from 1), or position in a relation


class Source(Protocol):
    """An engine's view of the data.

    ``scan`` counts the rows and the suspect rows; ``groups`` aggregates the
    kept rows (see :class:`Groups`); ``suspects``, ``first_row`` and
    ``unit_rows`` fetch rows with their file and row.
    """

    name: str | None  # the path given, for errors without a row
    file_column: bool  # whether rows are located by a file (or partition)

    def scan(self, spec: Spec) -> Scan: ...

    def groups(self, spec: Spec) -> Groups: ...

    def suspects(self, spec: Spec) -> Located: ...

    def first_row(self, spec: Spec, column: str, value: Any) -> tuple[Any, int] | None: ...

    def unit_rows(self, spec: Spec, units: pd.DataFrame) -> Located: ...


# ----------------------------------------------------------------------------- errors


def _again(err: EvalkitError, file: Any, row: int | None) -> EvalkitError:
    """``err`` naming another file and row (reason, column and value unchanged)."""
    kwargs: dict[str, Any] = {"file": file, "row": row, "column": err.column}
    if err.has_value:
        kwargs["value"] = err.value
    return EvalkitError(err.reason, **kwargs)


def relocate(err: EvalkitError, located: Located) -> EvalkitError:
    """An error of the in-memory checks run on ``located.frame``, naming the data's file and row.

    The checks number the frame's rows as a spreadsheet does (position + 2).
    """
    if err.row is None:
        return err
    pos = err.row - 2
    return _again(err, located.files[pos], int(located.rows[pos]))


def at_source(source: Source, spec: Spec, func, *args, **kwargs):
    """Run a label check on the groups; an error names the first data row holding the value."""
    try:
        return func(*args, **kwargs)
    except EvalkitError as err:
        where = None
        if err.column in spec.labels and err.has_value:
            where = source.first_row(spec, err.column, err.value)
        file, row = where if where is not None else (source.name, None)
        raise _again(err, file, row) from None


def _empty_excluded(source: Source, spec: Spec) -> pd.DataFrame:
    cols = ["file", "row"] if source.file_column else ["row"]
    return pd.DataFrame({c: pd.Series(dtype=object if c == "file" else "int64") for c in cols})


def _located_excluded(excluded: pd.DataFrame, located: Located) -> pd.DataFrame:
    """The excluded rows of the suspect frame, numbered by file and row in the data."""
    pos = excluded["row"].to_numpy(dtype=np.int64) - 2
    out = excluded.copy()
    out["row"] = located.rows[pos].astype(np.int64)
    if any(f is not None for f in located.files):
        out.insert(0, "file", pd.Series(located.files[pos], dtype=object))
    return out


def check_suspects(source: Source, spec: Spec) -> tuple[pd.DataFrame | None, Any]:
    """Fetch the suspect rows and run them through the in-memory checks of step 1.

    Returns the excluded rows (``missing="exclude"``; None for usage) and a
    period-label error to raise after the checks of the clusters, where the
    in-memory path raises it. Any other error is raised here, naming its file
    and row.
    """
    located = source.suspects(spec)
    frame = located.frame
    try:
        if spec.kind == "reduction":
            rows = check_rows(
                frame, spec.before, spec.after, spec.unit_arg, spec.period, spec.cluster,
                spec.missing, allow_empty=True,
            )  # fmt: skip
            positions, excluded = rows.positions, rows.excluded
        else:
            for name in spec.counts:
                numeric(frame[name], column=name, file=None, tabular=True)
            positions, excluded = None, None
        if positions is not None and positions.size == 0:
            return _located_excluded(excluded, located), None
        if spec.unit:
            units = frame[list(spec.unit)] if spec.unit_list else frame[spec.unit[0]]
            unit_codes(units, positions, spec.unit_name, None, True)
        if spec.cluster is not None:
            clusters = frame[spec.cluster]
            label_codes(clusters, positions, spec.cluster, None, True, sort_required=False)
    except EvalkitError as err:
        raise relocate(err, located) from None
    deferred = None
    if spec.period is not None:
        try:
            label_codes(frame[spec.period], positions, spec.period, None, True, sort_required=False)
        except EvalkitError as err:
            deferred = relocate(err, located)
    return (None if excluded is None else _located_excluded(excluded, located)), deferred


# ----------------------------------------------------------------------------- groups -> sums


def _kept_groups(source: Source, spec: Spec, what: str):
    """Scan, check the suspect rows, then aggregate the kept rows.

    Returns the scan, the groups, the excluded rows and a deferred error
    (see :func:`check_suspects`).
    """
    scan = source.scan(spec)
    first = spec.before if spec.kind == "reduction" else (spec.unit[0] if spec.unit else None)
    if scan.n_rows == 0:
        raise EvalkitError(f"no data rows: nothing to {what}", file=source.name, column=first)
    excluded, deferred = _empty_excluded(source, spec), None
    if scan.n_suspect:
        found, deferred = check_suspects(source, spec)
        if found is not None:
            excluded = found
    groups = source.groups(spec)
    if groups.pairs.empty:
        raise EvalkitError(
            f"no rows left: every row misses {spec.before} or {spec.after} (missing='exclude')",
            file=source.name,
            column=spec.before,
        )
    pairs, units, periods = (
        None if t is None else _numpy_dtypes(t.reset_index(drop=True))
        for t in (groups.pairs, None if groups.units is groups.pairs else groups.units,
                  groups.periods)
    )  # fmt: skip
    units = pairs if groups.units is groups.pairs else units  # one table: its codes found once
    return scan, Groups(pairs, units, periods, groups.seen), excluded, deferred


def _numpy_dtypes(table: pd.DataFrame) -> pd.DataFrame:
    """Nullable integer and boolean columns without missing values as numpy's int64 and bool."""
    for col in table.columns:
        dtype = table[col].dtype
        if isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "iub":
            if not table[col].isna().any():
                table[col] = table[col].to_numpy(dtype=dtype.numpy_dtype)
    return table


def _units(source: Source, spec: Spec, table: pd.DataFrame):
    """Codes and sorted labels of the units of the groups (positions when each row is a unit)."""
    if not spec.unit:  # each row is a unit, labelled by its position in the data, from 1
        positions = table[POSITION].to_numpy(dtype=np.int64)
        order = np.argsort(positions, kind="stable")
        codes = np.empty(positions.size, dtype=np.int64)
        codes[order] = np.arange(positions.size)
        return codes, positions[order] + 1
    units = table[list(spec.unit)] if spec.unit_list else table[spec.unit[0]]
    return at_source(source, spec, unit_codes, units, None, spec.unit_name, source.name, True)


def _clusters(source: Source, spec: Spec, table, u_codes, n_units):
    """The cluster of each unit; a unit in two clusters names the row the in-memory path names."""
    col = spec.cluster
    c_codes, c_labels = at_source(
        source, spec, label_codes, table[col], None, col, source.name, True, sort_required=False
    )
    of_unit = np.full(n_units, -1, dtype=np.int64)
    of_unit[u_codes] = c_codes
    odd = np.flatnonzero(of_unit[u_codes] != c_codes)
    if odd.size:
        _raise_two_clusters(source, spec, table.iloc[odd])
    return of_unit, c_labels


def _raise_two_clusters(source: Source, spec: Spec, units: pd.DataFrame) -> None:
    """Fetch the rows of the units named in two clusters and raise as in memory."""
    from ..stats._clusters import unit_clusters

    located = source.unit_rows(spec, units[list(spec.unit)].drop_duplicates())
    frame = located.frame
    labels = frame[list(spec.unit)] if spec.unit_list else frame[spec.unit[0]]
    u_codes, u_labels = unit_codes(labels, None, spec.unit_name, None, True)
    try:
        unit_clusters(frame[spec.cluster], None, u_codes, len(u_labels), spec.cluster, None, True)
    except EvalkitError as err:
        at = err.row - 2
        first = _first_row_of_unit(u_codes, at)
        row = f"row {located.rows[first]}"
        if located.files[first] != located.files[at]:
            row += f" of {located.files[first]}"
        reason = err.reason.replace(f"row {first + 2} puts", f"{row} puts", 1)
        err = EvalkitError(reason, row=err.row, column=err.column, value=err.value)
        raise relocate(err, located) from None
    raise AssertionError("a unit in two clusters was not found again")  # pragma: no cover


def _first_row_of_unit(u_codes: np.ndarray, at: int) -> int:
    return int(np.flatnonzero(u_codes == u_codes[at])[0])


def _periods(source: Source, spec: Spec, table, periods):
    """Codes and labels of the groups' periods (sorted, or the window ``periods``)."""
    col = spec.period
    ser = table[col]
    p_codes, p_labels = at_source(
        source, spec, label_codes, ser, None, col, source.name, True, sort_required=True
    )
    if periods is not None:
        p_labels, p_codes = at_source(
            source, spec, onto_window, periods, p_labels, p_codes, ser, None, col, source.name, True
        )
    return p_codes, p_labels


def reduction_sums(source: Source, spec: Spec, periods) -> ReductionSums:
    """Step 2 of :func:`evalkit.reduction` from an engine's aggregates."""
    _, groups, excluded, deferred = _kept_groups(source, spec, "compare")
    units, pairs = groups.units, groups.pairs
    u_codes_units, u_labels = _units(source, spec, units)
    k = len(u_labels)
    u_codes = u_codes_units  # pairs without a cluster are the units themselves
    if pairs is not units:  # the same units, so the same codes
        u_codes = _units(source, spec, pairs)[0]
    sums = ReductionSums(
        unit_labels=u_labels,
        unit_before=_placed(u_codes_units, units[BEFORE], k),
        unit_after=_placed(u_codes_units, units[AFTER], k),
        unit_name=spec.unit_name,
        before_name=spec.before,
        excluded=excluded,
        file=source.name,
        unit_columns=spec.unit if spec.unit_list else None,
    )
    if spec.cluster is not None:
        of_unit, c_labels = _clusters(source, spec, pairs, u_codes, k)
        sums = dataclasses.replace(
            sums, unit_clusters=of_unit, cluster_labels=c_labels, cluster_name=spec.cluster
        )
    if deferred is not None:
        raise deferred
    if spec.period is None:
        return sums
    if N_UNITS in groups.periods.columns:  # the engine counted the units of each period
        per_codes, p_labels = _periods(source, spec, groups.periods, periods)
        n_periods = len(p_labels)
        period_units = np.rint(_placed(per_codes, groups.periods[N_UNITS], n_periods))
        period_units = period_units.astype(np.int64)
    else:
        p_codes, p_labels = _periods(source, spec, pairs, periods)
        per_codes = _periods(source, spec, groups.periods, periods)[0]
        n_periods = len(p_labels)
        period_units = units_per_period(p_codes, u_codes, n_periods, k)
    return dataclasses.replace(
        sums,
        period_labels=p_labels,
        period_before=_placed(per_codes, groups.periods[BEFORE], n_periods),
        period_after=_placed(per_codes, groups.periods[AFTER], n_periods),
        period_units=period_units,
    )


def _placed(codes: np.ndarray, values: pd.Series, n: int) -> np.ndarray:
    """Values of distinct codes at their codes (0 where absent), as float64."""
    out = np.zeros(n, dtype=np.float64)
    out[codes] = values.to_numpy(dtype=np.float64)
    return out


def usage_sums(source: Source, spec: Spec, periods):
    """Step 2 of :func:`evalkit.usage` from an engine's aggregates."""
    from ..stats.usage import UsageSums, period_fields

    scan, groups, _, deferred = _kept_groups(source, spec, "count")
    table = groups.pairs
    u_codes, u_labels = _units(source, spec, table)
    k = len(u_labels)
    n = table[KEPT_ROWS].to_numpy(dtype=np.float64)
    amounts = {c: table[c].to_numpy(dtype=np.float64) for c in spec.counts}
    sums = UsageSums(
        n_rows=scan.n_rows,
        unit_labels=u_labels,
        unit_name=spec.unit_name,
        unit_rows=np.rint(np.bincount(u_codes, weights=n, minlength=k)).astype(np.int64),
        unit_counts={c: np.bincount(u_codes, weights=v, minlength=k) for c, v in amounts.items()},
        integer=dict(scan.integer),
        unit_columns=spec.unit if spec.unit_list else None,
    )
    if deferred is not None:
        raise deferred
    if spec.period is None:
        return sums
    if groups.seen is not None:  # one row per unit, which periods each has rows in
        return dataclasses.replace(sums, **_seen_fields(source, spec, groups, u_codes, k, periods))
    p_codes, p_labels = _periods(source, spec, table, periods)
    return dataclasses.replace(
        sums, **period_fields(p_labels, p_codes, u_codes, k, amounts, row_weights=n)
    )


def _seen_fields(source: Source, spec: Spec, groups: Groups, u_codes, n_units, periods):
    """Usage's per-period fields from the periods' sums and ``Groups.seen``."""
    from ..stats.usage import fields_of_seen

    per_codes, p_labels = _periods(source, spec, groups.periods, periods)
    n_periods = len(p_labels)
    seen = np.zeros((n_periods, n_units), dtype=bool)
    seen[np.ix_(per_codes, u_codes)] = groups.seen.T
    rows = _placed(per_codes, groups.periods[KEPT_ROWS], n_periods)
    counts = {c: _placed(per_codes, groups.periods[c], n_periods) for c in spec.counts}
    return fields_of_seen(p_labels, seen, rows, counts)


def unit_and_period_sums(
    pairs: pd.DataFrame, spec: Spec
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """``Groups.units`` and ``Groups.periods`` from the sums of each combination of labels.

    ``pairs`` holds ``BEFORE``, ``AFTER`` and ``KEPT_ROWS`` per combination
    of unit, cluster and period; they are added up per unit and per period,
    in whatever order the engine returned them.
    """
    cols = [BEFORE, AFTER, KEPT_ROWS]
    units = pairs.groupby(list(spec.unit), sort=False, dropna=False)[cols].sum().reset_index()
    if spec.period is None:
        return units, None
    periods = pairs.groupby(spec.period, sort=False, dropna=False)[cols[:2]].sum().reset_index()
    return units, periods
