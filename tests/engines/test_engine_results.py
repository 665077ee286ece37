"""The DuckDB and Dask engines give the in-memory results, to a relative 1e-9, on the same rows.

Every fixture is written to Parquet (its rows dealt over several files, so
that the rows of one unit and month sit in different files) and analysed
in memory (the files' rows concatenated in file order) and by the engines;
every field of the results is compared (``same``). The intervals come from
bootstraps with the same seed, which order the units by their sums: a sum
off by one unit in the last place would move them in the fourth digit, so
these comparisons also check that the engines add in data order.
"""

import datetime
from pathlib import Path

import dask.dataframe as dd
import duckdb
import numpy as np
import pandas as pd
import pytest

import evalkit as ek
from evalkit.datasets import load_minutes_work, load_rpa_trial

HOURS = {"before": "hours_before", "after": "hours_after"}
# dask 2026.8's Parquet reader calls reset_index(inplace=True), which pandas 3.1 deprecates
pytestmark = pytest.mark.filterwarnings(
    "ignore:The inplace keyword in DataFrame.reset_index:pandas.errors.Pandas4Warning"
)


def _rpa():
    return load_rpa_trial()


def _minutes():
    return load_minutes_work()


CASES = {
    "rpa by department and month": (
        _rpa, {**HOURS, "unit": "department", "period": "month", "target": 0.8}
    ),
    "rpa by task, the fiscal year as window": (
        _rpa, {**HOURS, "unit": "task", "period": "month", "periods": ek.fiscal_months(2019)}
    ),
    "rpa, a unit of two columns": (
        _rpa, {**HOURS, "unit": ["department", "task"], "period": "month"}
    ),
    "minutes by department, clusters, window": (
        _minutes,
        {**HOURS, "unit": "department", "period": "month", "cluster": "bureau",
         "periods": ek.fiscal_months(2019), "target": 50.0,
         "target_metric": "mean_saved_per_period"},
    ),
    "minutes, bureau and department, periods over months": (
        _minutes,
        {**HOURS, "unit": ["bureau", "department"], "period": "month", "period_ci": "periods"},
    ),
    "minutes, each row a unit": (_minutes, {**HOURS, "period": "month"}),
}  # fmt: skip


def _in_memory(whole, kwargs):
    """The in-memory result; each row a unit, labelled by its position from 1 as engines do.

    In memory the label is the frame's spreadsheet row (header = row 1), so 1 more.
    """
    expected = ek.reduction(whole, random_state=7, **kwargs)
    if "unit" not in kwargs:
        expected.per_unit["unit"] = expected.per_unit["unit"] - 1
    return expected


@pytest.mark.parametrize("case", list(CASES))
def test_duckdb_glob_folder_and_file_equal_in_memory(case, write_parts, same):
    load, kwargs = CASES[case]
    folder, whole, _ = write_parts(load(), n=3)
    expected = _in_memory(whole, kwargs)
    for data in (str(folder / "*.parquet"), folder):
        got = ek.reduction(data, random_state=7, **kwargs)
        same(expected, got)
    assert expected.per_period is not None and len(expected.per_unit) >= 7


@pytest.mark.parametrize("case", list(CASES))
def test_dask_equal_in_memory(case, write_parts, same):
    load, kwargs = CASES[case]
    folder, whole, _ = write_parts(load(), n=3)
    ddf = dd.read_parquet(str(folder / "*.parquet"))
    assert ddf.npartitions == 3
    same(_in_memory(whole, kwargs), ek.reduction(ddf, random_state=7, **kwargs))


def test_one_file_and_a_path_object(tmp_path, same):
    frame = load_rpa_trial()
    path = tmp_path / "trial_runs.parquet"
    frame.to_parquet(path)
    kwargs = {**HOURS, "unit": "department", "period": "month", "random_state": 1}
    expected = ek.reduction(frame, **kwargs)
    same(expected, ek.reduction(path, **kwargs))
    same(expected, ek.reduction(str(path), **kwargs))
    assert isinstance(expected.per_period["period"].dtype, pd.PeriodDtype)
    assert isinstance(ek.reduction(path, **kwargs).per_period["period"].dtype, pd.PeriodDtype)


def test_relation_equals_in_memory(write_parts, same):
    frame = load_minutes_work()
    frame["month"] = frame["month"].astype(str)  # a relation holds text or dates, not Periods
    folder, whole, _ = write_parts(frame, n=2)
    con = duckdb.connect()
    rel = con.read_parquet(str(folder / "*.parquet"))
    kwargs = {**HOURS, "unit": ["bureau", "department"], "period": "month", "cluster": "bureau"}
    same(ek.reduction(whole, random_state=3, **kwargs), ek.reduction(rel, random_state=3, **kwargs))
    # a relation built in SQL, from a frame
    local = con.sql("SELECT * FROM whole WHERE month >= '2019-10'")
    part = whole[whole["month"] >= "2019-10"].reset_index(drop=True)
    expected = ek.reduction(part, random_state=3, **kwargs)
    same(expected, ek.reduction(local, random_state=3, **kwargs))


def test_timestamps_and_text_months(write_parts, same):
    frame = load_rpa_trial()
    kwargs = {**HOURS, "unit": "department", "period": "month", "random_state": 2}
    days = frame["month"].dt.to_timestamp().dt.date.astype(object)  # Parquet DATE
    kinds = [frame["month"].dt.to_timestamp(), frame["month"].astype(str), days]
    firsts = []
    for k, months in enumerate(kinds):
        data = frame.assign(month=months)
        folder, whole, _ = write_parts(data, n=2, name=f"months{k}")
        expected = ek.reduction(whole, **kwargs)
        same(expected, ek.reduction(folder, **kwargs))
        same(expected, ek.reduction(dd.read_parquet(str(folder)), **kwargs))
        firsts.append(expected.per_period["period"].tolist()[0])
    # as pandas reads each kind: a timestamp, text, a datetime.date
    assert firsts == [pd.Timestamp("2019-07-01"), "2019-07", datetime.date(2019, 7, 1)]
    assert [type(f) for f in firsts] == [pd.Timestamp, str, datetime.date]


def test_missing_exclude_lists_the_files_rows(write_parts, same):
    frame = load_rpa_trial()
    frame.loc[[4, 20], "hours_after"] = np.nan
    frame.loc[33, "hours_before"] = np.nan
    folder, whole, where = write_parts(frame, n=3)
    kwargs = {**HOURS, "unit": "department", "period": "month", "missing": "exclude"}
    expected = ek.reduction(whole, random_state=5, **kwargs)
    assert len(expected.excluded) == 3
    positions = expected.excluded["row"].to_numpy() - 2  # spreadsheet rows of the frame
    body = expected.excluded.drop(columns="row")
    for data in (folder, dd.read_parquet(str(folder / "*.parquet"))):
        got = ek.reduction(data, random_state=5, **kwargs)
        same(expected, got)
        files, rows = got.excluded["file"], got.excluded["row"]
        located = [(Path(f).name, r) for f, r in zip(files, rows, strict=True)]
        assert located == [(Path(where[p][0]).name, where[p][1]) for p in positions]
        pd.testing.assert_frame_equal(
            got.excluded.drop(columns=["file", "row"]).reset_index(drop=True), body,
            check_dtype=False,
        )  # fmt: skip
        assert any("3 row(s) excluded" in line for line in got._notes())


def test_usage_equals_in_memory(write_parts, same):
    frame = load_minutes_work()
    folder, whole, _ = write_parts(frame, n=3)
    con = duckdb.connect()
    text = whole.assign(month=whole["month"].astype(str))
    for unit in ("department", ["bureau", "department"]):
        kwargs = {"unit": unit, "period": "month", "counts": ["meetings", "recorded_minutes"]}
        expected = ek.usage(whole, **kwargs)
        same(expected, ek.usage(str(folder / "*.parquet"), **kwargs))
        same(expected, ek.usage(dd.read_parquet(str(folder)), **kwargs))
        same(ek.usage(text, **kwargs), ek.usage(con.sql("SELECT * FROM text"), **kwargs))
        window = {**kwargs, "periods": ek.fiscal_months(2019)}
        same(ek.usage(whole, **window), ek.usage(folder, **window))
    assert expected.per_unit["meetings"].dtype == np.int64
    assert ek.usage(folder, unit="department").per_period is None


def test_units_per_period_across_files_and_partitions(tmp_path):
    # by hand: unit a has rows in April in both files, so April has 2 units (a, b), not 3
    one = pd.DataFrame({"month": ["2019-04", "2019-04"], "unit": ["a", "b"],
                        "b": [5.0, 4.0], "a": [1.0, 1.0]})  # fmt: skip
    two = pd.DataFrame({"month": ["2019-04", "2019-05"], "unit": ["a", "a"],
                        "b": [3.0, 2.0], "a": [1.0, 0.5]})  # fmt: skip
    one.to_parquet(tmp_path / "1.parquet")
    two.to_parquet(tmp_path / "2.parquet")
    kwargs = {"before": "b", "after": "a", "unit": "unit", "period": "month", "random_state": 1}
    for data in (tmp_path, dd.read_parquet(str(tmp_path / "*.parquet"))):
        res = ek.reduction(data, **kwargs)
        assert res.per_period["n_units"].tolist() == [2, 1]
        assert res.per_unit["before"].tolist() == [10.0, 4.0]
        use = ek.usage(data, unit="unit", period="month")
        assert use.per_period["n_units"].tolist() == [2, 1]
        assert use.per_period["n_rows"].tolist() == [3, 1]
        assert use.per_unit["n_periods"].tolist() == [2, 1]


@pytest.mark.parametrize("threads", [1, 2])
def test_sums_in_another_order_give_the_in_memory_figures(write_parts, same, monkeypatch, threads):
    # DuckDB adds the rows in its own order (threads, hash groups): per-unit sums differ
    # from the in-memory ones in their last bits, and no figure may follow them
    from evalkit.engines import DUCKDB_SETTINGS

    monkeypatch.setitem(DUCKDB_SETTINGS, "threads", threads)
    shuffled = load_minutes_work().sample(frac=1, random_state=3)
    folder, _, _ = write_parts(shuffled, n=4)
    kwargs = {**HOURS, "unit": "department", "period": "month", "random_state": 4}
    same(ek.reduction(load_minutes_work(), **kwargs), ek.reduction(folder, **kwargs))
    same(ek.reduction(load_minutes_work(), cluster="bureau", **kwargs),
         ek.reduction(folder, cluster="bureau", **kwargs))  # fmt: skip


def test_duckdb_settings_are_used_and_the_temporary_folder_removed(tmp_path, monkeypatch):
    from evalkit.engines import DUCKDB_SETTINGS, _duckdb

    seen = {}
    real = _duckdb._settings

    def spy(temp):
        seen.update(real(temp))
        return seen

    monkeypatch.setattr(_duckdb, "_settings", spy)
    load_rpa_trial().to_parquet(tmp_path / "runs.parquet")
    ek.reduction(tmp_path / "runs.parquet", **HOURS, unit="department")
    assert seen["threads"] >= 1 and seen["memory_limit"].endswith("MiB")
    assert not Path(seen["temp_directory"]).exists()  # removed after the call
    monkeypatch.setitem(DUCKDB_SETTINGS, "memory_limit", "1GiB")
    monkeypatch.setitem(DUCKDB_SETTINGS, "threads", 1)
    monkeypatch.setitem(DUCKDB_SETTINGS, "temp_directory", str(tmp_path / "spill"))
    ek.usage(tmp_path / "runs.parquet", unit="department")
    assert (seen["memory_limit"], seen["threads"]) == ("1GiB", 1)
    assert seen["temp_directory"] == str(tmp_path / "spill")
