"""The DuckDB engine's short way (sums per period, then per unit with a bitmask of periods).

The counts of units per period come from bits set by a perfect hash of the
periods; these tests check the hash, the counts read from the bits, and
that results equal the in-memory ones with one word of bits, several words,
and with more periods than bits (where the general query runs instead).
"""

import numpy as np
import pandas as pd
import pytest

import evalkit as ek
from evalkit.engines import _duckdb_bits as bits

HOURS = {"before": "hours_before", "after": "hours_after"}


@pytest.mark.parametrize("n", [1, 2, 24, 36, 60])
def test_hash_bins_put_each_hash_in_its_own_bit(n):
    hashes = np.random.default_rng(n).integers(0, 2**64 - 1, size=n, dtype=np.uint64)
    found = bits.hash_bins(hashes)
    assert n <= found[2] <= 64 * bits.MAX_WORDS
    if n <= 24:
        assert found[2] <= 64  # one word
    assert np.unique(bits.bins_of(hashes, found)).size == n


def test_hash_bins_give_up_beyond_the_words():
    hashes = np.arange(64 * bits.MAX_WORDS + 1, dtype=np.uint64)
    assert bits.hash_bins(hashes) is None
    assert bits.hash_bins(np.zeros(0, dtype=np.uint64)) is None


def test_units_per_bin_counts_the_set_bits():
    rng = np.random.default_rng(5)
    seen = rng.random((300, 130)) < 0.3  # units x bits
    words = np.zeros((300, 3), dtype=np.uint64)
    for b in range(130):
        words[:, b // 64] |= seen[:, b].astype(np.uint64) << np.uint64(b % 64)
    bins = np.array([0, 5, 63, 64, 100, 129])
    assert bits.units_per_bin(words, bins, block=7).tolist() == seen[:, bins].sum(0).tolist()
    assert (bits.seen_bits(words, bins, 10, 20) == seen[10:20][:, bins]).all()


def _days(n_days, n_units=40, seed=0):
    """Rows of units over n_days daily periods; not every unit on every day."""
    rng = np.random.default_rng(seed)
    n = n_days * n_units
    frame = pd.DataFrame(
        {
            "unit": [f"u{u:02d}" for u in rng.integers(0, n_units, n)],
            "team": "t",
            "day": pd.Series(pd.date_range("2024-01-01", periods=n_days).strftime("%Y-%m-%d"))
            .sample(n, replace=True, random_state=seed)
            .to_numpy(),
            "hours_before": rng.integers(1, 100, n) / 10,
        }
    )
    frame["hours_after"] = np.round(frame["hours_before"] * rng.uniform(0.2, 1, n), 1)
    frame["unit"] = frame["unit"].astype("str")
    frame["day"] = frame["day"].astype("str")
    return frame


@pytest.mark.parametrize("n_days", [20, 55, 400])  # one word, several, the general query
def test_many_periods_equal_in_memory(n_days, write_parts, same, monkeypatch):
    frame = _days(n_days)
    folder, whole, _ = write_parts(frame, n=3)
    calls = []
    real = bits.short_groups

    def spy(source, spec):
        calls.append(real(source, spec))
        return calls[-1]

    monkeypatch.setattr("evalkit.engines._duckdb.short_groups", spy)
    for kwargs in ({"unit": "unit"}, {"unit": ["team", "unit"], "cluster": "team"}):
        kwargs = {**HOURS, **kwargs, "period": "day", "random_state": 2}
        same(ek.reduction(whole, **kwargs), ek.reduction(folder, **kwargs))
    assert all((c is None) == (n_days > 64 * bits.MAX_WORDS) for c in calls) and calls


def test_a_unit_in_two_clusters_goes_the_general_way(write_parts):
    frame = _days(10)
    frame.loc[frame.index[-1], "team"] = "s"
    folder, whole, _ = write_parts(frame, n=2)
    kwargs = {**HOURS, "unit": "unit", "period": "day", "cluster": "team"}
    with pytest.raises(ek.EvalkitError) as memory:
        ek.reduction(whole, **kwargs)
    with pytest.raises(ek.EvalkitError) as engine:
        ek.reduction(folder, **kwargs)
    assert engine.value.column == memory.value.column == "team"
    assert engine.value.file is not None and engine.value.row is not None


@pytest.mark.parametrize("n_days", [20, 55, 400])
def test_usage_equals_in_memory(n_days, write_parts, same):
    frame = _days(n_days, seed=1)
    frame["runs"] = np.arange(len(frame)) % 7
    folder, whole, _ = write_parts(frame, n=3)
    for kwargs in (
        {"unit": "unit", "period": "day", "counts": ["runs", "hours_before"]},
        {"unit": ["team", "unit"], "period": "day"},
        {"unit": "unit", "counts": "runs"},
    ):
        same(ek.usage(whole, **kwargs), ek.usage(folder, **kwargs))
    window = sorted(set(whole["day"])) + ["2099-01-01"]  # a period without rows
    kwargs = {"unit": "unit", "period": "day", "periods": window, "counts": "runs"}
    same(ek.usage(whole, **kwargs), ek.usage(folder, **kwargs))


def test_checks_with_and_without_parquet_statistics(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from evalkit.engines._duckdb import _clean_by_statistics

    frame = _days(5)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, tmp_path / "stats.parquet")
    pq.write_table(table, tmp_path / "none.parquet", write_statistics=False)
    amounts = ["hours_before", "hours_after"]
    assert _clean_by_statistics([str(tmp_path / "stats.parquet")], amounts)
    assert not _clean_by_statistics([str(tmp_path / "none.parquet")], amounts)
    for value, reason in ((np.nan, "missing"), (-0.5, "negative quantity")):
        bad = frame.copy()
        bad.loc[7, "hours_after"] = value
        for stats in (True, False):
            path = tmp_path / f"bad-{stats}.parquet"
            table = pa.Table.from_pandas(bad, preserve_index=False)
            after = pa.array(bad["hours_after"].to_numpy(), from_pandas=False)  # NaN, not null
            table = table.set_column(table.schema.get_field_index("hours_after"), "hours_after",
                                     after)  # fmt: skip
            pq.write_table(table, path, write_statistics=stats)
            assert _clean_by_statistics([str(path)], amounts) == (stats and value != value)
            with pytest.raises(ek.EvalkitError) as info:
                ek.reduction(path, **HOURS, unit="unit", period="day")
            assert reason in info.value.reason and info.value.row == 8


def test_plain_sums_only_where_no_bootstrap_sorts_the_units(write_parts, same, monkeypatch):
    # above BOOTSTRAP_MAX_UNITS units (and without clusters) the intervals are analytic
    from evalkit.stats._inference import BOOTSTRAP_MAX_UNITS

    funcs = []
    real = bits._unit_table

    def spy(source, spec, keys, found, func):
        funcs.append(func)
        return real(source, spec, keys, found, func)

    monkeypatch.setattr(bits, "_unit_table", spy)
    many = _days(8, n_units=BOOTSTRAP_MAX_UNITS + 300, seed=4)
    many["unit"] = many["unit"] + "-" + (np.arange(len(many)) % 3).astype(str)
    folder, whole, _ = write_parts(many, n=3, name="many")
    kwargs = {**HOURS, "unit": "unit", "period": "day", "random_state": 1}
    same(ek.reduction(whole, **kwargs), ek.reduction(folder, **kwargs))
    assert funcs == ["sum"]
    funcs.clear()
    clustered = {**kwargs, "cluster": "team"}
    same(ek.reduction(whole, **clustered), ek.reduction(folder, **clustered))
    assert funcs == ["fsum"]
    funcs.clear()
    folder, whole, _ = write_parts(_days(8), n=2, name="few")
    same(ek.reduction(whole, **kwargs), ek.reduction(folder, **kwargs))
    assert funcs == ["sum", "fsum"]  # few units: the bootstrap sorts them, so again with fsum
