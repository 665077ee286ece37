"""The Dask engine: a ``dask.dataframe.DataFrame``, on the threads of this process or a cluster.

The combinations of unit, cluster and period present are found by Dask's
own groupby over the whole frame, so that a unit with rows in two
partitions is one unit (the units of a period are counted from these
combinations, never by adding the counts of each partition). Before and
after are summed per combination by the same groupby, then per unit and
per period in pandas; their last bits may differ from the in-memory sums,
which no figure follows (see :class:`~evalkit.engines._common.Groups`). Rows are located by
partition and row within it; when the frame was read by
``dask.dataframe.read_parquet`` with one partition per file, by file.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._common import (
    AFTER,
    BEFORE,
    KEPT_ROWS,
    POSITION,
    SUSPECT,
    WHITESPACE,
    Groups,
    Located,
    Scan,
    Spec,
    missing_column,
    not_numeric,
    unit_and_period_sums,
)

PART, ROW, KEPT = "__ek_part", "__ek_row", "__ek_kept"


def _kind(dtype) -> str:
    """Kind of a column's dtype, as the DuckDB engine names kinds."""
    api = pd.api.types
    if api.is_bool_dtype(dtype):
        return "bool"
    if api.is_integer_dtype(dtype):
        return "integer"
    if api.is_float_dtype(dtype):
        return "float"
    if api.is_datetime64_any_dtype(dtype):
        return "date"
    if api.is_timedelta64_dtype(dtype):
        return "timedelta"
    if isinstance(dtype, pd.PeriodDtype):
        return "period"
    if api.is_string_dtype(dtype) or api.is_object_dtype(dtype):
        return "text"
    return "other"


def parquet_files(ddf) -> list[str] | None:
    """The file of each partition, when ``ddf`` is a plain ``read_parquet`` of whole files."""
    try:
        from dask.dataframe.dask_expr.io.parquet import ReadParquet

        expr = ddf.expr
        if not isinstance(expr, ReadParquet) or expr._filtered:
            return None
        if expr.operand("filters") is not None:
            return None
        pieces = [part["piece"] for part in expr._plan["parts"]]
    except Exception:  # another dask, another reader: locate by partition
        return None
    files = [str(p[0]) for p in pieces]
    whole = all(p[1] is None for p in pieces)
    if not whole or len(files) != ddf.npartitions or len(set(files)) != len(files):
        return None
    return files


def _numbered(df: pd.DataFrame, partition_info=None) -> pd.DataFrame:
    number = -1 if partition_info is None else int(partition_info["number"])
    return df.assign(**{PART: np.int64(number), ROW: np.arange(len(df), dtype=np.int64)})


def _blank(values: pd.Series) -> np.ndarray:
    """Missing or blank (only whitespace) labels, as the in-memory label rules see them."""
    missing = values.isna().to_numpy(dtype=bool)
    if values.dtype == object:
        text = values.map(lambda v: isinstance(v, str) and not v.strip()).to_numpy(dtype=bool)
        missing = missing | text
    elif pd.api.types.is_string_dtype(values.dtype):  # the characters str.strip() removes
        missing = missing | (values.str.strip(WHITESPACE) == "").fillna(False).to_numpy(bool)
    return missing


def _not_numbers(df: pd.DataFrame, col: str, files) -> None:
    """Raise when a partition holds an amount column as text (its files disagree with the meta).

    ``dask.dataframe.read_parquet`` takes the columns' types from one file; a
    file storing the column as text would be read as numbers ``float()``
    understands (``' 1_000'`` as 1000).
    """
    dtype = df[col].dtype
    if _kind(dtype) in ("integer", "float") or df.empty:
        return
    part = int(df[PART].iloc[0])
    where = files[part] if files is not None else f"partition {part}"
    given = df[col].notna().to_numpy(dtype=bool) & ~_blank(df[col])
    at = int(np.flatnonzero(given)[0]) if given.any() else 0
    found = (where, int(df[ROW].iloc[at]) + 1, df[col].iloc[at])
    raise not_numeric(where, col, _kind(dtype), str(dtype), lambda *_: found)


def _flagged(df: pd.DataFrame, spec: Spec, files) -> pd.DataFrame:
    """The partition with ``KEPT`` (rows the statistics use) and ``SUSPECT`` (see the engines)."""
    suspect = np.zeros(len(df), dtype=bool)
    kept = np.ones(len(df), dtype=bool)
    for col in spec.amounts:
        _not_numbers(df, col, files)
        x = df[col].to_numpy(dtype="float64", na_value=np.nan)
        suspect |= ~np.isfinite(x) | (x < 0)
        if col in (spec.before, spec.after):
            kept &= ~np.isnan(x)
    for col in spec.labels:
        suspect |= _blank(df[col])
    return df.assign(**{KEPT: kept, SUSPECT: suspect})


def _first_match(df: pd.DataFrame, column: str, value: Any) -> pd.DataFrame:
    kept = df[KEPT].to_numpy(dtype=bool)
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        same = df[column].isna().to_numpy(dtype=bool)
    else:
        same = (df[column] == value).fillna(False).to_numpy(dtype=bool)
    return df.loc[kept & same, [PART, ROW]].head(1)


def _of_units(df: pd.DataFrame, keys: list[str], units: frozenset, cols: list[str]):
    index = pd.MultiIndex.from_frame(df[keys]) if len(keys) > 1 else pd.Index(df[keys[0]])
    inside = index.isin(list(units)) & df[KEPT].to_numpy(dtype=bool)
    return df.loc[inside, [*cols, PART, ROW]]


class DaskSource:
    """A Dask DataFrame with each row's partition and row within it."""

    file_column = True
    name = None

    def __init__(self, ddf, spec: Spec) -> None:
        self.spec = spec
        missing_column(list(ddf.columns), spec, None)
        self.files = parquet_files(ddf)
        self.kinds = {c: _kind(ddf.dtypes[c]) for c in [*spec.amounts, *spec.labels]}
        meta = ddf._meta.assign(**{PART: pd.Series(dtype="int64"), ROW: pd.Series(dtype="int64")})
        self.ddf = ddf.map_partitions(_numbered, meta=meta)
        for col in spec.amounts:
            if self.kinds[col] not in ("integer", "float"):
                raise not_numeric(None, col, self.kinds[col], str(ddf.dtypes[col]), self._value)
        flag_meta = self.ddf._meta.assign(
            **{KEPT: pd.Series(dtype=bool), SUSPECT: pd.Series(dtype=bool)}
        )
        self.flagged = self.ddf.map_partitions(_flagged, spec, self.files, meta=flag_meta)
        self.offsets: np.ndarray | None = None
        self._computed: list = []  # the groups scan() computed with the counts

    def _where(self, parts: np.ndarray) -> np.ndarray:
        if self.files is not None:
            return np.array([self.files[int(p)] for p in parts], dtype=object)
        return np.array([f"partition {int(p)}" for p in parts], dtype=object)

    def _located(self, frame: pd.DataFrame) -> Located:
        frame = frame.sort_values([PART, ROW], kind="stable")
        files = self._where(frame[PART].to_numpy())
        rows = frame[ROW].to_numpy(dtype=np.int64) + 1
        body = frame.drop(columns=[c for c in (PART, ROW, KEPT, SUSPECT) if c in frame])
        return Located(body.reset_index(drop=True), files, rows)

    def _value(self, file, column, text):
        """Partition, row and value of the first value given in ``column`` (see not_numeric)."""

        def first(df):
            values = df[column]
            given = values.notna().to_numpy(dtype=bool)
            if text:
                given &= ~_blank(values)
            return df.loc[given, [PART, ROW, column]].head(1)

        meta = self.ddf._meta[[PART, ROW, column]]
        found = self.ddf.map_partitions(first, meta=meta).compute()
        if found.empty:
            return None
        at = self._located(found)
        return at.files[0], int(at.rows[0]), at.frame[column].iloc[0]

    def scan(self, spec: Spec) -> Scan:
        """Count the rows and suspect rows; with units, group the kept rows in the same pass.

        The groups of the kept rows do not depend on the suspect ones, so
        Dask computes them with the counts, reading the data once; when a
        suspect row makes the call fail, they are not used.
        """
        import dask

        lengths = self.flagged.map_partitions(len)
        grouped = self._grouped(spec) if spec.unit else ()
        n_suspect, lengths, *self._computed = dask.compute(
            self.flagged[SUSPECT].sum(), lengths, *grouped
        )
        lengths = np.asarray(lengths, dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        integer = {c: self.kinds[c] == "integer" for c in spec.counts}
        return Scan(int(lengths.sum()), int(n_suspect), integer)

    def groups(self, spec: Spec) -> Groups:
        import dask

        kept = self.flagged[self.flagged[KEPT]]
        if not spec.unit:  # each row is a unit: its values, and its position in the data
            cols = [spec.before, spec.after, *spec.labels, PART, ROW]
            rows = kept[cols].compute()
            rows = rows.rename(columns={spec.before: BEFORE, spec.after: AFTER})
            parts = rows[PART].to_numpy(dtype=np.int64)
            rows[POSITION] = self.offsets[parts] + rows[ROW].to_numpy(dtype=np.int64)
            rows[KEPT_ROWS] = 1
            return Groups(rows, rows, self._period_sums(rows) if spec.period else None)
        computed = self._computed or dask.compute(*self._grouped(spec))
        if spec.kind == "usage":
            size, *table = computed
            pairs = size.rename(KEPT_ROWS).to_frame()
            if table:
                pairs = pairs.join(table[0].astype("float64"))
            return Groups(pairs.reset_index())
        sums, size = computed
        pairs = sums.rename(columns={spec.before: BEFORE, spec.after: AFTER}).astype("float64")
        pairs = pairs.join(size.rename(KEPT_ROWS)).reset_index()
        return Groups(pairs, *unit_and_period_sums(pairs, spec))

    def _grouped(self, spec: Spec) -> tuple:
        """Dask's groupby of the kept rows by their labels: the sizes and the sums (lazy).

        Sums per combination of labels over all partitions, in any order.
        """
        grouped = self.flagged[self.flagged[KEPT]].groupby(spec.labels, observed=True)
        if spec.kind == "usage":
            return (grouped.size(), *([grouped[list(spec.counts)].sum()] if spec.counts else []))
        return grouped[[spec.before, spec.after]].sum(), grouped.size()

    def _period_sums(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Before and after per period of rows already in memory, added in data order."""
        rows = rows.sort_values([PART, ROW], kind="stable")
        codes, periods = pd.factorize(rows[self.spec.period])
        sums = {c: np.bincount(codes, weights=rows[c].to_numpy(), minlength=len(periods))
                for c in (BEFORE, AFTER)}  # fmt: skip
        return pd.DataFrame({self.spec.period: periods, **sums})

    def suspects(self, spec: Spec) -> Located:
        return self._located(self.flagged[self.flagged[SUSPECT]].compute())

    def first_row(self, spec: Spec, column: str, value: Any):
        meta = self.flagged._meta[[PART, ROW]]
        found = self.flagged.map_partitions(_first_match, column, value, meta=meta).compute()
        if found.empty:
            return None
        at = self._located(found)
        return at.files[0], int(at.rows[0])

    def unit_rows(self, spec: Spec, units: pd.DataFrame) -> Located:
        keys = list(spec.unit)
        wanted = frozenset(units[keys].itertuples(index=False, name=None))
        if len(keys) == 1:
            wanted = frozenset(u[0] for u in wanted)
        cols = list(dict.fromkeys([*keys, spec.cluster]))
        meta = self.flagged._meta[[*cols, PART, ROW]]
        found = self.flagged.map_partitions(_of_units, keys, wanted, cols, meta=meta).compute()
        return self._located(found)
