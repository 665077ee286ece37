"""The DuckDB engine: Parquet files (a file, a folder, a glob) or a DuckDB relation, out of core.

One aggregation query groups the rows by unit, cluster and period, sums the
kept rows and counts the suspect ones; only those groups reach pandas. The
files are listed and sorted by path, and their schemas read one by one
before any data, so that a text column in one file of a glob is refused
instead of cast (DuckDB would read ``' 1_000'`` as 1000). DuckDB runs with
:data:`DUCKDB_SETTINGS` (threads, memory limit, a temporary folder it
spills to) on a connection of its own; a relation runs on its own
connection, with that connection's settings.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from ..errors import EvalkitError
from ._common import (
    AFTER,
    ALL_ROWS,
    AT,
    BEFORE,
    FILE,
    KEPT_ROWS,
    N_UNITS,
    POSITION,
    SUSPECT,
    WHITESPACE,
    Groups,
    Located,
    Scan,
    Spec,
    missing_column,
    not_numeric,
)
from ._duckdb_bits import short_groups

#: How evalkit runs DuckDB on Parquet files; change before calling, e.g.
#: ``evalkit.engines.DUCKDB_SETTINGS["memory_limit"] = "8GiB"``. None means:
#: ``threads`` every CPU this process may use; ``memory_limit`` half the
#: physical memory (DuckDB spills what does not fit); ``temp_directory`` a
#: new folder under the system's temporary folder, removed afterwards.
DUCKDB_SETTINGS: dict[str, Any] = {"threads": None, "memory_limit": None, "temp_directory": None}

_NUMERIC = ("integer", "float")
_DUCK_KINDS = (
    (("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
      "UINTEGER", "UBIGINT", "UHUGEINT"), "integer"),
    (("FLOAT", "DOUBLE", "DECIMAL"), "float"),
    (("VARCHAR",), "text"),
    (("BOOLEAN",), "bool"),
    (("DATE", "TIMESTAMP", "TIME"), "date"),
    (("INTERVAL",), "timedelta"),
)  # fmt: skip
_COUNT = f"count(*) AS {KEPT_ROWS}"
#: DuckDB's sum of before and after: ``fsum`` (compensated, closer to the exact sum than
#: numpy's) in whatever order its threads add; the statistics do not depend on the
#: last bits of a sum (see :func:`evalkit.stats._resampling.on_grid`).
_SUM = "fsum"
ORDER = "__ek_order"  # one whole number in data order: file << 40 + row (a relation: position)
_WS_SQL = " || ".join(f"chr({ord(c)})" for c in WHITESPACE)
_WS_CODES = ", ".join(str(ord(c)) for c in WHITESPACE)


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + str(name).replace('"', '""') + '"'


def lit(text: str) -> str:
    """A quoted SQL string."""
    return "'" + str(text).replace("'", "''") + "'"


# ----------------------------------------------------------------------------- files and types


def parquet_files(path: str | os.PathLike) -> list[str]:
    """The Parquet files a path names: the file, every ``*.parquet`` under a folder, or a glob."""
    text = os.fspath(path)
    if any(c in text for c in "*?["):
        files = [f for f in glob.glob(text, recursive=True) if os.path.isfile(f)]
    elif os.path.isdir(text):
        pattern = os.path.join(glob.escape(text), "**", "*.parquet")
        files = [f for f in glob.glob(pattern, recursive=True) if os.path.isfile(f)]
    elif os.path.isfile(text):
        files = [text]
    else:
        raise EvalkitError("no such file or folder", file=text)
    if not files:
        raise EvalkitError("no Parquet file found (a folder is searched for *.parquet)", file=text)
    return sorted(files)


def _arrow_kind(field) -> tuple[str, Any]:
    """Kind of a Parquet column (integer, float, text, period, ...) and a period's frequency."""
    import pyarrow as pa

    meta = field.metadata or {}
    if meta.get(b"ARROW:extension:name") == b"pandas.period":
        freq = json.loads(meta.get(b"ARROW:extension:metadata", b"{}")).get("freq")
        return "period", freq
    t = field.type
    if isinstance(t, pa.ExtensionType):
        if t.extension_name == "pandas.period":
            return "period", t.freq
        t = t.storage_type
    if pa.types.is_dictionary(t):
        t = t.value_type
    checks = (
        (pa.types.is_boolean, "bool"),
        (pa.types.is_integer, "integer"),
        (pa.types.is_floating, "float"),
        (pa.types.is_decimal, "float"),
        (pa.types.is_string, "text"),
        (pa.types.is_large_string, "text"),
        (getattr(pa.types, "is_string_view", lambda _: False), "text"),
        (pa.types.is_date, "day"),  # pandas reads these as datetime.date objects
        (pa.types.is_timestamp, "date"),
        (pa.types.is_time, "date"),
        (pa.types.is_duration, "timedelta"),
    )
    for check, kind in checks:
        if check(t):
            return kind, None
    return "other", None


def duck_kind(type_name: str) -> str:
    """Kind of a DuckDB column type, as :func:`_arrow_kind` names them."""
    head = type_name.split("(")[0].strip().upper()
    for names, kind in _DUCK_KINDS:
        if any(head.startswith(n) for n in names):
            return kind
    return "other"


def _schemas(files: list[str], spec: Spec) -> dict[str, tuple[str, Any]]:
    """Check every file's schema; the kind of each named column (the same in every file)."""
    import pyarrow.parquet as pq

    kinds: dict[str, tuple[str, Any]] = {}
    first: dict[str, str] = {}
    for f in files:
        try:
            schema = pq.read_schema(f)
        except Exception as exc:  # pyarrow's errors differ by cause; all mean "not Parquet"
            raise EvalkitError(f"not a readable Parquet file ({exc})", file=f) from None
        missing_column(schema.names, spec, f)
        for col in [*spec.amounts, *spec.labels]:
            kind = _arrow_kind(schema.field(col))
            if col in spec.amounts and kind[0] not in _NUMERIC:
                raise not_numeric(f, col, kind[0], str(schema.field(col).type), _file_value)
            if col in spec.labels and col in kinds and kinds[col] != kind:
                raise EvalkitError(
                    f"{col} is stored as {kind[0]} here but as {kinds[col][0]} in {first[col]}; "
                    "labels of different kinds cannot be one unit or put in order: store the "
                    "column the same way in every file",
                    file=f,
                    column=col,
                )
            if col in spec.amounts and col in kinds and kinds[col][0] == "integer":
                kinds[col] = kind  # a count column is whole numbers only if it is in every file
            kinds.setdefault(col, kind)
            first.setdefault(col, f)
    return kinds


def _clean_by_statistics(files: list[str], columns: list[str]) -> bool:
    """Whether the files' own statistics show no NULL and no negative value in ``columns``.

    Every row group must state its null count and minimum for each column;
    NaN, which writers leave out of the minimum, is found by the sums instead.
    """
    import pyarrow.parquet as pq

    for f in files:
        meta = pq.read_metadata(f)
        index = {meta.schema.column(i).path: i for i in range(meta.num_columns)}
        for g in range(meta.num_row_groups):
            group = meta.row_group(g)
            for col in columns:
                if col not in index:
                    return False
                stats = group.column(index[col]).statistics
                if stats is None or not (stats.has_null_count and stats.has_min_max):
                    return False
                if stats.null_count != 0 or stats.min is None or stats.min < 0:
                    return False
    return True


def _file_value(file: str, column: str, text: bool):
    """Row (from 1) and value of the first value given in ``column`` of one file, or None."""
    import duckdb

    blank = f" AND trim({q(column)}, {_WS_SQL}) <> ''" if text else ""
    sql = (
        f"SELECT file_row_number + 1, {q(column)} FROM read_parquet({lit(file)}, "
        f"file_row_number = true) WHERE {q(column)} IS NOT NULL{blank} "
        "ORDER BY file_row_number LIMIT 1"
    )
    with duckdb.connect() as con:
        _quiet(con)
        row = con.execute(sql).fetchone()
    return None if row is None else (file, int(row[0]), row[1])


#: DuckDB 2.0 folds ``isnan``/``isinf`` filters using a Parquet file's min and max, which
#: writers compute without NaN: with ``isinf`` in a filter, a file's NaN went uncounted (and
#: the call failed with "no data rows"). evalkit's own connections run without that pass,
#: except for the short path's per-unit sums, which test no value (``DuckSource.sql``).
_NO_STATISTICS = "SET disabled_optimizers = 'statistics_propagation'"


def _quiet(con) -> None:
    """No progress bar on stderr (a per-connection setting; notebooks are checked for stderr)."""
    con.execute("SET enable_progress_bar = false")


def _settings(temp: str) -> dict[str, Any]:
    threads = DUCKDB_SETTINGS.get("threads")
    if threads is None:
        threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
        threads = threads or os.cpu_count() or 1
    config: dict[str, Any] = {
        "threads": int(threads),
        "temp_directory": temp,
    }
    limit = DUCKDB_SETTINGS.get("memory_limit")
    if limit is None and hasattr(os, "sysconf"):
        try:
            total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        except (ValueError, OSError):  # pragma: no cover - systems without these names
            total = 0
        limit = f"{max(total // 2 // 2**20, 256)}MiB" if total > 0 else None
    if limit is not None:
        config["memory_limit"] = str(limit)
    return config


@contextmanager
def connection():
    """A DuckDB connection with :data:`DUCKDB_SETTINGS`, its temporary folder removed after."""
    import duckdb

    temp = DUCKDB_SETTINGS.get("temp_directory")
    own = temp is None
    if own:
        temp = tempfile.mkdtemp(prefix="evalkit-duckdb-")
    con = duckdb.connect(config=_settings(str(temp)))
    _quiet(con)
    con.execute(_NO_STATISTICS)
    try:
        yield con
    finally:
        con.close()
        if own:
            shutil.rmtree(temp, ignore_errors=True)


# ----------------------------------------------------------------------------- the source


def _sums(spec: Spec) -> list[str]:
    """Before and after summed, as ``BEFORE`` and ``AFTER``."""
    return [
        f"{_SUM}({q(spec.before)}::DOUBLE) AS {BEFORE}",
        f"{_SUM}({q(spec.after)}::DOUBLE) AS {AFTER}",
    ]


def _amount_missing(col: str) -> str:
    return f"({q(col)} IS NULL OR isnan({q(col)}::DOUBLE))"


def _amount_bad(col: str) -> str:
    x = f"{q(col)}::DOUBLE"
    return f"({q(col)} IS NULL OR isnan({x}) OR isinf({x}) OR {q(col)} < 0)"


class DuckSource:
    """Parquet files or a relation, seen through two views.

    ``__ek_src`` is the data; ``__ek_loc`` adds each row's file (``FILE``)
    and row within it from 1 (``AT``): ``read_parquet(..., filename=true,
    file_row_number=true)``, or for a relation its position (no file).
    """

    def __init__(self, data: Any, spec: Spec, con=None) -> None:
        self.spec = spec
        if isinstance(data, str | os.PathLike):
            self.files = parquet_files(data)
            self.name: str | None = os.fspath(data)
            self.kinds = _schemas(self.files, spec)
            self.clean_amounts = _clean_by_statistics(self.files, spec.amounts)
            self.rel, self.con = None, con
            listed = ", ".join(lit(f) for f in self.files)
            con.execute(
                "CREATE TEMP VIEW __ek_loc AS SELECT * EXCLUDE (file_row_number), "
                f"file_row_number + 1 AS {AT}, (file_index::BIGINT << 40) + file_row_number "
                f"AS {ORDER} FROM read_parquet([{listed}], filename = {lit(FILE)}, "
                "file_row_number = true, union_by_name = true)"
            )
            con.execute("CREATE TEMP VIEW __ek_src AS SELECT * FROM __ek_loc")
        else:
            self.files, self.name, self.rel, self.con = None, None, data, None
            self.clean_amounts = False
            types = dict(zip(data.columns, (str(t) for t in data.types), strict=True))
            missing_column(types, spec, None)
            self.kinds = {c: (duck_kind(types[c]), None) for c in [*spec.amounts, *spec.labels]}
            for col in spec.amounts:
                if self.kinds[col][0] not in _NUMERIC:
                    raise not_numeric(None, col, self.kinds[col][0], types[col], self._first_value)
        self.file_column = self.files is not None
        self._groups: Groups | None = None  # what scan() aggregated, when it did

    # --- running SQL

    def sql(self, body: str, statistics: bool = False) -> pd.DataFrame:
        """Run ``body`` on the source's views; a pandas DataFrame, Periods and dates as in pandas.

        ``statistics``: on evalkit's connection, with DuckDB's statistics
        propagation (see :data:`_NO_STATISTICS`), for a query that tests no value.
        """
        if self.rel is None:
            if statistics:
                self.con.execute("SET disabled_optimizers = ''")
            try:
                out = self.con.sql(body).df()
            finally:
                if statistics:
                    self.con.execute(_NO_STATISTICS)
        else:
            views = (
                "WITH __ek_src AS (SELECT * FROM __ek_rel), __ek_loc AS (SELECT *, "
                f"NULL::VARCHAR AS {FILE}, row_number() OVER () AS {AT}, "
                f"row_number() OVER () AS {ORDER} FROM __ek_rel) "
            )
            out = self.rel.query("__ek_rel", views + body).df()
        for col, (kind, freq) in self.kinds.items():
            if kind == "period" and col in out.columns:
                out[col] = _periods_of(out[col], freq)
            elif kind == "day" and col in out.columns:  # as pandas.read_parquet gives them
                out[col] = _dates_of(out[col])
        return out

    def _first_value(self, file, column, text):
        blank = f" AND trim({q(column)}, {_WS_SQL}) <> ''" if text else ""
        out = self.sql(
            f"SELECT {AT}, {q(column)} FROM __ek_loc WHERE {q(column)} IS NOT NULL{blank} "
            f"ORDER BY {AT} LIMIT 1"
        )
        return None if out.empty else (None, int(out.iloc[0, 0]), out.iloc[0, 1])

    # --- predicates

    def label_bad(self, col: str) -> str:
        """SQL: ``col`` is blank (NULL, NaN, empty or only white space)."""
        kind = self.kinds[col][0]
        if kind == "text":  # trim only labels that begin with white space: the same rows, faster
            x = q(col)
            return (
                f"({x} IS NULL OR (CASE WHEN ord({x}) IN ({_WS_CODES}) "
                f"THEN trim({x}, {_WS_SQL}) = '' ELSE {x} = '' END))"
            )
        if kind == "float":
            return f"({q(col)} IS NULL OR isnan({q(col)}))"
        return f"({q(col)} IS NULL)"

    def _kept(self) -> str:
        if self.spec.kind != "reduction":
            return "TRUE"
        return f"NOT ({_amount_missing(self.spec.before)} OR {_amount_missing(self.spec.after)})"

    def _suspect(self) -> str:
        parts = [_amount_bad(c) for c in self.spec.amounts]
        parts += [self.label_bad(c) for c in self.spec.labels]
        return " OR ".join(parts)

    def _equals(self, col: str, value: Any) -> str | None:
        """A condition: ``col`` holds ``value`` (None when it cannot be written)."""
        import datetime as dt

        x = q(col)
        if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
            nan = f" OR isnan({x})" if self.kinds[col][0] == "float" else ""
            return f"({x} IS NULL{nan})"
        if isinstance(value, pd.Period):
            return f"{x} = {int(value.ordinal)}"
        if isinstance(value, dt.date | np.datetime64):
            stamp = pd.Timestamp(value)
            return None if stamp.tz is not None else f"{x} = TIMESTAMP {lit(stamp.isoformat(' '))}"
        if isinstance(value, str):
            return f"{x} = {lit(value)}"
        if isinstance(value, bool | np.bool_):
            return f"{x} = {'TRUE' if value else 'FALSE'}"
        if isinstance(value, int | np.integer):
            return f"{x} = {int(value)}"
        if isinstance(value, float | np.floating):
            return f"{x} = {float(value)!r}::DOUBLE"
        return None

    # --- the Source protocol

    def scan(self, spec: Spec) -> Scan:
        if spec.unit:  # no suspect row: two small aggregations, with the counts
            short = short_groups(self, spec)
            if short is not None:
                self._groups, n_rows = short
                return Scan(n_rows, 0, {c: self.kinds[c][0] == "integer" for c in spec.counts})
        if spec.kind == "reduction" and spec.unit:  # one pass: counts and sums together
            self._groups, n_rows, n_suspect = self._unit_and_period_groups(spec)
            return Scan(n_rows, n_suspect, {c: self.kinds[c][0] == "integer" for c in spec.counts})
        out = self.sql(
            f"SELECT count(*) AS {ALL_ROWS}, count(*) FILTER (WHERE {self._suspect()}) "
            f"AS {SUSPECT} FROM __ek_src"
        ).iloc[0]
        integer = {c: self.kinds[c][0] == "integer" for c in spec.counts}
        return Scan(int(out[ALL_ROWS]), int(out[SUSPECT]), integer)

    def _grouped_sql(self, keys: list[str], aggs: list[str], view="__ek_src") -> str:
        return (
            f"SELECT {', '.join([*keys, *aggs])} FROM {view} WHERE {self._kept()} "
            f"GROUP BY {', '.join(keys)}"
        )

    def _grouped(self, spec: Spec, keys: list[str], aggs: list[str], view="__ek_src"):
        return self.sql(self._grouped_sql(keys, aggs, view))

    def groups(self, spec: Spec) -> Groups:
        if self._groups is not None:  # computed by scan()
            return self._groups
        if spec.kind == "usage":
            aggs = [f"sum({q(c)}::DOUBLE) AS {q(c)}" for c in spec.counts]
            return Groups(self._grouped(spec, [q(c) for c in spec.labels], [*aggs, _COUNT]))
        if not spec.unit:  # each row is a unit: its values, and its position in the data
            units = self.sql(
                f"SELECT {FILE}, {AT}, {q(spec.before)}::DOUBLE AS {BEFORE}, "
                f"{q(spec.after)}::DOUBLE AS {AFTER}, 1 AS {KEPT_ROWS}"
                + "".join(f", {q(c)}" for c in spec.labels)
                + f" FROM __ek_loc WHERE {self._kept()}"
            )
            units[POSITION] = self._positions(units)
            periods = None
            if spec.period is not None:
                periods = self._grouped(spec, [q(spec.period)], _sums(spec))
            return Groups(units, units, periods)
        raise AssertionError("a reduction by units is grouped by scan()")  # pragma: no cover

    def _unit_and_period_groups(self, spec: Spec) -> tuple[Groups, int, int]:
        """One pass over the data: the groups, the number of rows and of suspect rows.

        DuckDB counts the rows, and the suspect ones, and sums before and
        after over the kept rows per combination of unit, cluster and period
        (a combination's labels are blank or not for all its rows, so they are
        checked once per combination); then it adds those up per unit (per
        unit and cluster), and per period with the number of units present.
        Only these reach pandas.
        """
        labels = [q(c) for c in spec.labels]
        unit = [q(c) for c in spec.unit]
        cluster = spec.cluster if spec.cluster not in (None, *spec.unit) else None
        sets = [f"({', '.join(unit)})"]
        if cluster is not None:
            sets.append(f"({', '.join([*unit, q(cluster)])})")
        if spec.period is not None:
            sets.append(f"({q(spec.period)})")
        apart = [c for c in (cluster, spec.period) if c is not None]  # not in every set
        flags = "".join(f", grouping({q(c)}) AS {q('__ek_g_' + c)}" for c in apart)
        kept = f"FILTER (WHERE {self._kept()})"
        amount_bad = " OR ".join(_amount_bad(c) for c in spec.amounts)
        label_bad = " OR ".join(self.label_bad(c) for c in spec.labels)
        pairs = (
            f"SELECT {', '.join(labels)}, {_SUM}({q(spec.before)}::DOUBLE) {kept} AS {BEFORE}, "
            f"{_SUM}({q(spec.after)}::DOUBLE) {kept} AS {AFTER}, count(*) {kept} AS {KEPT_ROWS}, "
            f"count(*) AS {ALL_ROWS}, count(*) FILTER (WHERE {amount_bad}) AS {SUSPECT} "
            f"FROM __ek_src GROUP BY {', '.join(labels)}"
        )
        table = self.sql(
            f"SELECT {', '.join(labels)}, sum({BEFORE}) AS {BEFORE}, sum({AFTER}) AS {AFTER}, "
            f"sum({KEPT_ROWS}) AS {KEPT_ROWS}, count(*) FILTER (WHERE {KEPT_ROWS} > 0) "
            f"AS {N_UNITS}, sum({ALL_ROWS}) AS {ALL_ROWS}, sum(CASE WHEN {label_bad} "
            f"THEN {ALL_ROWS} ELSE {SUSPECT} END) AS {SUSPECT}{flags} FROM ({pairs}) AS __ek_p "
            f"GROUP BY GROUPING SETS ({', '.join(sets)})"
        )
        off = {c: table.pop("__ek_g_" + c).to_numpy() == 1 for c in apart}
        by_unit = np.ones(len(table), dtype=bool)
        for flag in off.values():
            by_unit &= flag
        n_rows = int(table.loc[by_unit, ALL_ROWS].sum())
        n_suspect = int(table.loc[by_unit, SUSPECT].sum())
        table = table[table[KEPT_ROWS].to_numpy() > 0]  # groups of kept rows only
        by_unit = by_unit[table.index.to_numpy()]
        off = {c: flag[table.index.to_numpy()] for c, flag in off.items()}
        units = table[by_unit][[*spec.unit, BEFORE, AFTER, KEPT_ROWS]]
        pairs_table = units
        if cluster is not None:
            pairs_table = table[~off[cluster]][[*spec.unit, cluster, KEPT_ROWS]]
        periods = None
        if spec.period is not None:
            periods = table[~off[spec.period]][[spec.period, BEFORE, AFTER, N_UNITS]]
        groups = Groups(*(None if t is None else t.reset_index(drop=True)
                          for t in (pairs_table, units, periods)))  # fmt: skip
        return groups, n_rows, n_suspect

    def _positions(self, table: pd.DataFrame) -> np.ndarray:
        """0-based position of each row across the files in order (or in the relation)."""
        at = table[AT].to_numpy(dtype=np.int64) - 1
        if not self.files:
            return at
        counts = self.sql(f"SELECT {FILE}, count(*) AS n FROM __ek_loc GROUP BY {FILE}")
        n = dict(zip(counts[FILE], counts["n"], strict=True))
        offsets = np.cumsum([0] + [int(n.get(f, 0)) for f in self.files[:-1]])
        start = dict(zip(self.files, offsets, strict=True))
        return at + table[FILE].map(start).to_numpy(dtype=np.int64)

    def _located(self, body: str) -> Located:
        out = self.sql(body + f" ORDER BY {ORDER}")
        out = out.drop(columns=[ORDER], errors="ignore")
        files = out.pop(FILE).to_numpy(dtype=object)
        if not self.files:
            files = np.full(len(out), None, dtype=object)
        rows = out.pop(AT).to_numpy(dtype=np.int64)
        for col in out.columns:  # a text column of only NULLs comes as objects
            if out[col].dtype == object and out[col].map(_text_or_none).all():
                out[col] = out[col].astype("str")  # as pandas reads text from Parquet
        return Located(out.reset_index(drop=True), files, rows)

    def suspects(self, spec: Spec) -> Located:
        return self._located(f"SELECT * FROM __ek_loc WHERE {self._suspect()}")

    def first_row(self, spec: Spec, column: str, value: Any):
        cond = self._equals(column, value)
        if cond is None:
            return None
        found = self._located(f"SELECT {FILE}, {AT} FROM __ek_loc WHERE {self._kept()} AND {cond}")
        return None if not found.rows.size else (found.files[0], int(found.rows[0]))

    def unit_rows(self, spec: Spec, units: pd.DataFrame) -> Located:
        conds = []
        for values in units.itertuples(index=False):
            each = [self._equals(c, v) for c, v in zip(spec.unit, values, strict=True)]
            conds.append("(" + " AND ".join(c or "FALSE" for c in each) + ")")
        cols = ", ".join(q(c) for c in dict.fromkeys([*spec.unit, spec.cluster]))
        return self._located(
            f"SELECT {cols}, {FILE}, {AT} FROM __ek_loc "
            f"WHERE {self._kept()} AND ({' OR '.join(conds)})"
        )


def _text_or_none(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _dates_of(values: pd.Series) -> pd.Series:
    """A DATE column as ``datetime.date`` objects (None where missing), as pandas reads it."""
    if not pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values
    dates = [None if pd.isna(v) else v.date() for v in values]
    return pd.Series(dates, index=values.index, dtype=object)


def _periods_of(ordinals: pd.Series, freq: str) -> pd.Series:
    """Period ordinals (a column pandas wrote from Periods) as Periods; NULL as NaT."""
    values = ordinals.to_numpy(dtype="float64", na_value=np.nan)
    missing = np.isnan(values)
    codes = np.where(missing, np.iinfo(np.int64).min, np.nan_to_num(values)).astype(np.int64)
    return pd.Series(pd.PeriodIndex.from_ordinals(codes, freq=freq), index=ordinals.index)


@contextmanager
def opened(data: Any, spec: Spec):
    """The :class:`DuckSource` of ``data``, on a connection of evalkit's own for files."""
    if not isinstance(data, str | os.PathLike):
        yield DuckSource(data, spec)
        return
    with connection() as con:
        yield DuckSource(data, spec, con)
