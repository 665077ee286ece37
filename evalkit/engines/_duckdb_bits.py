"""The DuckDB engine's short way to the groups: sums per period, then per unit with a bitmask.

The general query of :class:`~evalkit.engines._duckdb.DuckSource` groups the
rows by every combination of unit, cluster and period that occurs (about
2 M groups for a national roll-up of run logs) to count the units of each
period, and that large aggregation costs several times the sums themselves.
When no row is suspect, two small aggregations give the same groups:

1. per period: the sums, the number of rows, DuckDB's ``hash`` of the label
   and whether the label is blank;
2. per unit (per unit and cluster): the sums, the number of rows, whether a
   label is blank or an amount missing, infinite or negative, and the set of
   periods the unit has rows in, as a bitmask: each row sets bit
   ``((hash(period) >> shift) % divisor) % modulus``, with these chosen
   from the hashes of step 1 so that no two periods share a bit (a perfect
   hash of the periods present), in one to :data:`MAX_WORDS` 64-bit words.

The counts of units per period (and each unit's periods, for usage) are read
from the bits in NumPy, so they are exact.

A reduction's per-unit sums are plain ``sum`` when more than
``BOOTSTRAP_MAX_UNITS`` units and no cluster: the intervals are then analytic
and do not see the last bits of a sum. When a bootstrap may sort the units
(or clusters) by their sums, they are ``fsum``, compensated, as in the general
query (with few units, the per-unit query runs again with ``fsum``), so that
no interval depends on the order DuckDB's threads added the rows in. The
per-period sums are plain ``sum``, as the in-memory path adds them. When a row is suspect (it may be
left out, or refused), when a unit is found in two clusters, or when no such
hash is found (more than ``64 * MAX_WORDS`` periods, or no shift and divisor
separate them), :func:`short_groups` returns None and the general query runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._common import AFTER, BEFORE, KEPT_ROWS, N_UNITS, Groups, Spec

if TYPE_CHECKING:  # pragma: no cover
    from ._duckdb import DuckSource

#: At most this many 64-bit words of period bits per unit (256 periods).
MAX_WORDS = 4
HASH, BAD, BIN = "__ek_h", "__ek_bad", "__ek_bin"
_SUM = "fsum"  # as the general query: compensated sums (see _duckdb._SUM)
#: Odd divisors near 2**32 tried by :func:`hash_bins` once the shifts alone fail.
_DIVISORS = tuple(range(2**32 - 1, 2**32 - 1 - 2 * 256, -2))


def hash_bins(hashes: np.ndarray) -> tuple[int, int, int] | None:
    """How to put each hash in a bit of its own: ``(shift, divisor, modulus)``, or None.

    Parameters
    ----------
    hashes : numpy.ndarray
        Distinct ``uint64`` hashes, one per period.

    Returns
    -------
    tuple of int or None
        ``(shift, divisor, modulus)`` such that ``((hashes >> shift) %
        divisor) % modulus`` are distinct (``divisor`` 0: no such step; it
        mixes the high bits into the low ones), with ``modulus <= 64 *
        MAX_WORDS`` and as few 64-bit words as possible; None when none of
        the shifts and divisors tried separates them.
    """
    hashes = np.asarray(hashes, dtype=np.uint64)
    n = hashes.size
    if n == 0 or n > 64 * MAX_WORDS:
        return None
    tries = [(shift, 0) for shift in range(64)] + [(0, d) for d in _DIVISORS]
    for words in range((n + 63) // 64, MAX_WORDS + 1):
        moduli = np.arange(max(n, 64 * (words - 1) + 1), 64 * words + 1, dtype=np.uint64)
        for shift, divisor in tries:
            mixed = hashes >> np.uint64(shift)
            if divisor:
                mixed = mixed % np.uint64(divisor)
            bins = np.sort(mixed[:, None] % moduli[None, :], axis=0)
            apart = (np.diff(bins, axis=0) != 0).all(axis=0)
            if apart.any():
                return shift, divisor, int(moduli[int(np.argmax(apart))])
    return None


def bin_sql(column: str, found: tuple[int, int, int]) -> str:
    """SQL for the bit of a row's period (see :func:`hash_bins`)."""
    shift, divisor, modulus = (int(x) for x in found)
    mixed = f"(hash({column}) >> {shift})"
    if divisor:
        mixed = f"({mixed} % {divisor})"
    return f"({mixed} % {modulus})"


def bins_of(hashes: np.ndarray, found: tuple[int, int, int]) -> np.ndarray:
    """The bit of each hash, as :func:`bin_sql` computes it in DuckDB."""
    shift, divisor, modulus = found
    mixed = np.asarray(hashes, dtype=np.uint64) >> np.uint64(shift)
    if divisor:
        mixed = mixed % np.uint64(divisor)
    return (mixed % np.uint64(modulus)).astype(np.int64)


def word_names(modulus: int) -> list[str]:
    """Names of the bitmask columns for ``modulus`` bits."""
    return [f"__ek_w{j}" for j in range((modulus + 63) // 64)]


def _words_sql(modulus: int) -> list[str]:
    names = word_names(modulus)
    if len(names) == 1:
        return [f"bit_or(1::UBIGINT << {BIN}) AS {names[0]}"]
    return [  # a word none of the unit's periods falls in is 0, not NULL
        f"coalesce(bit_or(1::UBIGINT << ({BIN} % 64)) FILTER (WHERE {BIN} // 64 = {j}), "
        f"0::UBIGINT) AS {name}"
        for j, name in enumerate(names)
    ]


def unit_bits(table: pd.DataFrame, modulus: int) -> np.ndarray:
    """The bitmask words of each unit as a ``(units, words)`` array of ``uint64``."""
    return table[word_names(modulus)].to_numpy(dtype=np.uint64)


def seen_bits(words: np.ndarray, bins: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Whether units ``start:stop`` have rows in each period: bool ``(units, periods)``."""
    block = np.ascontiguousarray(words[start:stop]).astype("<u8", copy=False)
    bits = np.unpackbits(block.view(np.uint8), axis=1, bitorder="little")
    return bits[:, bins].astype(bool)


def units_seen(words: np.ndarray, bins: np.ndarray, block: int = 1 << 16) -> np.ndarray:
    """Whether each unit has rows in each period: bool ``(units, periods)``."""
    out = np.empty((words.shape[0], bins.size), dtype=bool)
    for start in range(0, words.shape[0], block):
        out[start : start + block] = seen_bits(words, bins, start, start + block)
    return out


def units_per_bin(words: np.ndarray, bins: np.ndarray, block: int = 1 << 16) -> np.ndarray:
    """How many units have rows in each period (the period in bit ``bins[i]``)."""
    out = np.zeros(bins.size, dtype=np.int64)
    for start in range(0, words.shape[0], block):
        out += seen_bits(words, bins, start, start + block).sum(axis=0, dtype=np.int64)
    return out


def _bootstrap_max_units() -> int:
    from ..stats._inference import BOOTSTRAP_MAX_UNITS

    return BOOTSTRAP_MAX_UNITS


def _sums(spec: Spec, func: str) -> list[tuple[str, str]]:
    """SQL summing each amount with ``func``, and its name: before and after, or the counts."""
    from ._duckdb import q

    if spec.kind == "reduction":
        pairs = [(spec.before, BEFORE), (spec.after, AFTER)]
    else:
        pairs = [(c, c) for c in spec.counts]
    return [(f"{func}({q(col)}::DOUBLE) AS {q(name)}", name) for col, name in pairs]


def _totals(source: DuckSource, spec: Spec) -> pd.DataFrame:
    """Per period (or over all rows): sums, rows, the label's hash, any suspect row.

    Whether an amount is missing, infinite, NaN or negative is read from
    aggregates of the few groups here (a NULL is not counted, a NaN or an
    infinity makes the sum NaN or infinite, a negative value the minimum
    negative), so that the large aggregation per unit carries no check.
    When the Parquet files' statistics already show no NULL and no negative
    value (``DuckSource.clean_amounts``), only the sums are checked.
    """
    from ._duckdb import q

    sums = _sums(spec, "sum")
    aggs = [sql for sql, _ in sums] + [f"count(*) AS {KEPT_ROWS}"]
    bad = [f"NOT isfinite({q(name)})" for _, name in sums]
    for j, col in enumerate([] if source.clean_amounts else spec.amounts):
        aggs += [f"count({q(col)}) AS __ek_c{j}", f"min({q(col)}) AS __ek_m{j}"]
        bad += [f"__ek_c{j} < {KEPT_ROWS}", f"__ek_m{j} < 0"]
    keys, outer, group = [], [*(q(name) for _, name in sums), KEPT_ROWS], ""
    if spec.period is not None:
        p = q(spec.period)
        keys, group = [p, f"hash({p}) AS {HASH}"], f" GROUP BY {p}"
        outer = [p, HASH, *outer]
        bad.append(source.label_bad(spec.period))
    return source.sql(
        f"SELECT {', '.join(outer)}, ({' OR '.join(bad or ['FALSE'])}) AS {BAD} FROM (SELECT "
        f"{', '.join([*keys, *aggs])} FROM __ek_src{group}) AS __ek_t"
    )


def _unit_table(source: DuckSource, spec: Spec, keys: list[str], found, func) -> pd.DataFrame:
    """Per unit (and cluster): the sums, whether a label is blank, the bits of its periods.

    A reduction's sums are ``func`` (``fsum`` or ``sum``); usage's are ``sum``,
    and usage also counts the rows.
    """
    from ._duckdb import q

    cols = ", ".join(q(k) for k in keys)
    if spec.kind == "reduction":
        aggs = [sql for sql, _ in _sums(spec, func)]
    else:
        aggs = [sql for sql, _ in _sums(spec, "sum")] + [f"count(*) AS {KEPT_ROWS}"]
    view = "__ek_src"
    if found is not None:
        aggs += _words_sql(found[2])
        view = f"(SELECT *, {bin_sql(q(spec.period), found)} AS {BIN} FROM __ek_src)"
    bad = " OR ".join(source.label_bad(k) for k in keys)
    return source.sql(
        f"SELECT {cols}, {', '.join(aggs)}, ({bad}) AS {BAD} FROM {view} AS __ek_v GROUP BY {cols}",
        statistics=True,  # labels only are tested here, not amounts
    )


def short_groups(source: DuckSource, spec: Spec) -> tuple[Groups, int] | None:
    """The groups of a reduction or of usage and the number of rows, or None (see the module).

    Parameters
    ----------
    source : DuckSource
        The data.
    spec : Spec
        A reduction or usage with ``unit=``.

    Returns
    -------
    tuple of (Groups, int) or None
        The groups and the number of rows, when no row is suspect and the
        periods could be told apart by their bits; otherwise None, for the
        general query to run. A reduction's ``periods`` hold ``N_UNITS`` (its
        ``pairs`` and ``units`` no ``KEPT_ROWS``, which it does not read);
        usage gets one row per unit in ``pairs`` and ``units``, the rows and
        count sums per period in ``periods`` and which unit has rows in which
        of them in ``seen``.
    """
    totals = _totals(source, spec)
    if totals[BAD].to_numpy(dtype=bool).any():
        return None
    found = None
    if spec.period is not None:
        found = hash_bins(totals[HASH].to_numpy(dtype=np.uint64))
        if found is None:
            return None
    cluster = spec.cluster if spec.cluster not in (None, *spec.unit) else None
    keys = [*spec.unit, *([cluster] if cluster is not None else [])]
    table = _unit_table(source, spec, keys, found, _SUM if cluster is not None else "sum")
    if table[BAD].to_numpy(dtype=bool).any():
        return None
    if spec.kind == "reduction" and cluster is None and len(table) <= _bootstrap_max_units():
        table = _unit_table(source, spec, keys, found, _SUM)  # the bootstrap sorts by these sums
    if cluster is not None and table.duplicated(list(spec.unit)).any():
        return None  # a unit in two clusters: the general path names its rows
    n_rows = int(totals[KEPT_ROWS].sum())
    table = table.drop(columns=[BAD])
    if spec.kind == "usage":
        seen, periods = None, None
        if spec.period is not None:
            bins = bins_of(totals[HASH].to_numpy(dtype=np.uint64), found)
            periods = totals[[spec.period, *spec.counts, KEPT_ROWS]]
            seen = units_seen(unit_bits(table, found[2]), bins)
        table = table[[*spec.unit, *spec.counts, KEPT_ROWS]]
        return Groups(table, table, periods, seen), n_rows
    units = table[[*spec.unit, BEFORE, AFTER]]
    pairs = table[keys] if cluster is not None else units
    periods = None
    if spec.period is not None:
        bins = bins_of(totals[HASH].to_numpy(dtype=np.uint64), found)
        periods = totals[[spec.period, BEFORE, AFTER]].copy()
        periods[N_UNITS] = units_per_bin(unit_bits(table, found[2]), bins)
    return Groups(pairs, units, periods), n_rows
