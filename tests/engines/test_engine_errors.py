"""Bad rows in Parquet files, relations and Dask frames: the in-memory message, at the file's row.

Each test puts a known fault at a known place and checks that the engine's
error is the one the in-memory path gives on the same rows (reason, column
and value), naming the file and the row within it (rows counted from 1), or
the position in a relation, or the partition and row within it.
"""

from pathlib import Path

import dask.dataframe as dd
import duckdb
import numpy as np
import pandas as pd
import pytest

import evalkit as ek
from evalkit.datasets import load_minutes_work, load_rpa_trial
from evalkit.errors import EvalkitError

HOURS = {"before": "hours_before", "after": "hours_after"}
KW = {**HOURS, "unit": "department", "period": "month"}
pytestmark = pytest.mark.filterwarnings(
    "ignore:The inplace keyword in DataFrame.reset_index:pandas.errors.Pandas4Warning"
)


def _files(tmp_path, frame, n=4, size=30):
    """The frame's rows in n files of ``size`` rows (the last one the rest), in order.

    Returns the pieces; ``_read(tmp_path)`` is the same rows as pandas reads them.
    """
    frame = frame.reset_index(drop=True)
    frame.attrs = {}
    pieces = []
    for k in range(n):
        piece = frame.iloc[k * size : (k + 1) * size if k < n - 1 else None]
        piece = piece.reset_index(drop=True)
        piece.to_parquet(tmp_path / f"part-{k}.parquet", index=False)
        pieces.append(piece)
    return pieces


def _read(folder):
    """The files' rows in memory, as pandas reads them, in file order."""
    files = sorted(Path(folder).glob("*.parquet"))
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


def _error(data, func=ek.reduction, **kwargs):
    with pytest.raises(EvalkitError) as info:
        func(data, **kwargs)
    return info.value


def _same_but_where(memory, engine, file_name, row):
    """Same reason, column and value; the engine names ``file_name`` and ``row``."""
    assert (engine.reason, engine.column) == (memory.reason, memory.column)
    assert repr(engine.value) == repr(memory.value)
    assert engine.row == row
    if file_name is None:
        assert engine.file is None
    else:
        assert Path(engine.file).name == file_name
    tail = str(memory).split(f"row {memory.row}, ", 1)[1]
    assert str(engine) == (f"{engine.file}, " if engine.file else "") + f"row {row}, " + tail


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("hours_after", -1.5, "negative quantity"),
        ("hours_before", np.inf, "infinite value"),
        ("hours_after", np.nan, "but hours_after is missing"),
        ("department", "  ", "missing department label"),
        ("department", None, "missing department label"),
    ],
)
def test_bad_value_in_file_3_row_17(tmp_path, column, value, reason):
    frame = load_minutes_work()
    frame["month"] = frame["month"].astype(str)
    pieces = _files(tmp_path, frame)
    pieces[2][column] = pieces[2][column].astype(object)
    pieces[2].loc[16, column] = value  # file 3, row 17
    pieces[2].to_parquet(tmp_path / "part-2.parquet", index=False)
    memory = _error(_read(tmp_path), **KW)
    assert reason in memory.reason and memory.row == 2 * 30 + 16 + 2
    for data in (str(tmp_path / "*.parquet"), tmp_path):
        _same_but_where(memory, _error(data, **KW), "part-2.parquet", 17)
    ddf = dd.read_parquet(str(tmp_path))  # in memory: ddf.compute(), with dask's dtypes
    _same_but_where(_error(ddf.compute(), **KW), _error(ddf, **KW), "part-2.parquet", 17)
    rel = duckdb.connect().read_parquet(str(tmp_path / "*.parquet"))
    _same_but_where(memory, _error(rel, **KW), None, 2 * 30 + 17)  # its position


def test_first_fault_by_kind_then_row_as_in_memory(tmp_path):
    # in memory every value is checked for one fault (infinite), then for the next (negative)
    frame = load_rpa_trial()
    pieces = _files(tmp_path, frame, n=3, size=25)
    pieces[0].loc[3, "hours_after"] = -2.0
    pieces[1].loc[4, "hours_after"] = np.inf
    for k in (0, 1):
        pieces[k].to_parquet(tmp_path / f"part-{k}.parquet", index=False)
    memory = _error(_read(tmp_path), **KW)
    assert memory.reason == "infinite value"
    _same_but_where(memory, _error(tmp_path, **KW), "part-1.parquet", 5)


def test_text_in_a_numeric_column_of_one_file(tmp_path):
    frame = load_rpa_trial()
    pieces = _files(tmp_path, frame, n=3, size=25)
    text = pieces[1].assign(hours_before=pieces[1]["hours_before"].map(str))
    text.loc[0, "hours_before"] = None
    text.loc[1, "hours_before"] = " 1_000"
    text.to_parquet(tmp_path / "part-1.parquet", index=False)
    glob = str(tmp_path / "*.parquet")
    # what the check prevents: DuckDB reads the glob and casts the text silently
    read = duckdb.sql(f"SELECT max(hours_before) FROM read_parquet('{glob}')").fetchall()[0][0]
    assert read == 1000.0
    err = _error(glob, **KW)
    assert (Path(err.file).name, err.row, err.column, err.value) == (
        "part-1.parquet",
        2,
        "hours_before",
        " 1_000",
    )
    assert "not a number" in err.reason and "stored as" in err.reason
    err = _error(dd.read_parquet(glob), **KW)  # dask takes the types from one file
    assert (Path(err.file).name, err.row, err.column, err.value) == (
        "part-1.parquet",
        2,
        "hours_before",
        " 1_000",
    )
    rel = duckdb.connect().sql("SELECT 'x' AS hours_before, 1.0 AS hours_after, 'a' AS d")
    err = _error(rel, before="hours_before", after="hours_after", unit="d")
    assert (err.file, err.row, err.value) == (None, 1, "x")


def test_true_false_or_dates_are_not_amounts(tmp_path):
    frame = pd.DataFrame({"b": [True, False], "a": [1.0, 2.0], "u": ["x", "y"]})
    frame.to_parquet(tmp_path / "f.parquet")
    err = _error(tmp_path / "f.parquet", before="b", after="a", unit="u")
    assert (err.row, err.column, err.value) == (1, "b", True)
    assert err.reason == "a true/false value, not a number"


def test_missing_column_and_mixed_kinds_name_the_file(tmp_path):
    frame = load_rpa_trial()
    pieces = _files(tmp_path, frame, n=3, size=25)
    pieces[2].drop(columns="task").to_parquet(tmp_path / "part-2.parquet", index=False)
    err = _error(tmp_path, **HOURS, unit="task")
    assert Path(err.file).name == "part-2.parquet" and err.column == "task"
    assert err.reason.startswith("column not found; the data have 'month', 'department'")
    pieces[2].assign(task=1).to_parquet(tmp_path / "part-2.parquet", index=False)
    err = _error(tmp_path, **HOURS, unit="task")
    assert Path(err.file).name == "part-2.parquet"
    assert "task is stored as integer here but as text in" in err.reason


def test_unit_in_two_clusters_across_files(tmp_path):
    frame = load_minutes_work()
    pieces = _files(tmp_path, frame, n=2, size=200)
    unit = pieces[1].loc[9, "department"]
    first = int(np.flatnonzero(pieces[0]["department"] == unit)[0])
    pieces[1].loc[9, "bureau"] = "他の部"
    pieces[1].to_parquet(tmp_path / "part-1.parquet", index=False)
    kwargs = {**KW, "cluster": "bureau"}
    memory = _error(_read(tmp_path), **kwargs)
    assert f"row {first + 2} puts it in" in memory.reason
    for data in (tmp_path, dd.read_parquet(str(tmp_path))):
        err = _error(data, **kwargs)
        assert Path(err.file).name == "part-1.parquet" and err.row == 10
        assert err.reason == memory.reason.replace(
            f"row {first + 2} puts", f"row {first + 1} of {_file_of(err, 'part-0.parquet')} puts"
        )
        assert (err.column, err.value) == ("bureau", "他の部")


def _file_of(err, name):
    return str(Path(err.file).with_name(name))


def test_label_rules_over_all_rows_name_the_first_row(tmp_path):
    frame = load_rpa_trial()
    frame["month"] = frame["month"].astype(str)
    pieces = _files(tmp_path, frame, n=3, size=25)
    pieces[1].loc[[6, 8], "month"] = "2019-9"  # text order is not time order
    pieces[1].to_parquet(tmp_path / "part-1.parquet", index=False)
    memory = _error(_read(tmp_path), **KW)
    assert "sort as text" in memory.reason
    _same_but_where(memory, _error(tmp_path, **KW), "part-1.parquet", 7)
    window = {**KW, "periods": [f"2019-{m:02d}" for m in range(7, 13)]}
    pieces[1].loc[[6, 8], "month"] = "2019-09"
    pieces[1].to_parquet(tmp_path / "part-1.parquet", index=False)
    memory = _error(_read(tmp_path), **window)
    assert "period not among periods=" in memory.reason
    assert memory.row == 2 + 25 + 22  # the first row of 2020-01, in part-1
    _same_but_where(memory, _error(tmp_path, **window), "part-1.parquet", 23)


def test_usage_faults(tmp_path):
    frame = load_minutes_work()
    pieces = _files(tmp_path, frame, n=2, size=200)
    pieces[1].loc[4, "meetings"] = -1
    pieces[1].to_parquet(tmp_path / "part-1.parquet", index=False)
    kwargs = {"unit": "department", "period": "month", "counts": "meetings"}
    memory = _error(_read(tmp_path), ek.usage, **kwargs)
    assert memory.reason == "negative quantity"
    for data in (tmp_path, dd.read_parquet(str(tmp_path))):
        _same_but_where(memory, _error(data, ek.usage, **kwargs), "part-1.parquet", 5)
    err = _error(tmp_path, ek.usage, unit="department", periods=["2019-04"])
    assert err.reason == "periods= needs period="


def test_dask_frame_not_from_files_names_partitions():
    frame = load_rpa_trial()
    frame.attrs = {}
    frame.loc[30, "hours_after"] = -1.0
    ddf = dd.from_pandas(frame, npartitions=3)
    sizes = ddf.map_partitions(len).compute().tolist()
    err = _error(ddf, **KW)
    assert (err.file, err.row) == ("partition 1", 30 - sizes[0] + 1)
    memory = _error(frame, **KW)
    assert (err.reason, err.column, err.value) == (memory.reason, memory.column, memory.value)


def test_no_rows_no_files_and_odd_arguments(tmp_path):
    frame = load_rpa_trial()
    frame.iloc[:0].to_parquet(tmp_path / "empty.parquet")
    err = _error(tmp_path / "empty.parquet", **KW)
    assert err.reason == "no data rows: nothing to compare"
    frame.assign(hours_after=np.nan).to_parquet(tmp_path / "blank.parquet")
    err = _error(tmp_path / "blank.parquet", **KW, missing="exclude")
    assert err.reason.startswith("no rows left: every row misses hours_before or hours_after")
    err = _error(tmp_path / "nothing.parquet", **KW)
    assert err.reason == "no such file or folder"
    (tmp_path / "folder").mkdir()
    err = _error(tmp_path / "folder", **KW)
    assert err.reason.startswith("no Parquet file found")
    (tmp_path / "folder" / "x.parquet").write_text("not parquet")
    err = _error(tmp_path / "folder", **KW)
    assert err.reason.startswith("not a readable Parquet file")
    err = _error(tmp_path / "empty.parquet", before=["hours_before"], after="hours_after")
    assert "before= must be a column name" in err.reason
    err = _error(tmp_path / "empty.parquet", **HOURS, unit=[])
    assert "unit= is an empty list" in err.reason
    err = _error(tmp_path / "empty.parquet", **HOURS, unit=["task", "task"])
    assert "names a column twice" in err.reason
