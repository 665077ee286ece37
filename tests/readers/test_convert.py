"""evalkit.readers.convert: CSV/Excel files read by evalkit's rules, written as typed Parquet.

- the shipped run-log sample converts to Parquet files that pandas reads back
  as the frames :func:`read_table` gives (months as ``YYYY-MM`` text), and
  that DuckDB reads with the same types and sums;
- ``reduction()`` of the Parquet folder equals ``reduction()`` of the frames
  in memory (this needs the out-of-core engines of ``evalkit.reduction``);
- whatever the reader refuses is refused, naming file, row, column and value,
  and no output file is written; existing files are not overwritten, two
  inputs of one stem are refused; municipality codes are checked.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

import evalkit as ek
from evalkit.datasets import runlogs
from evalkit.readers import convert as convert_module
from evalkit.readers.convert import (
    RUNLOG,
    SCHEMA_NAMES,
    check_digit,
    convert,
    parquet_schema,
    schema_named,
)

SAMPLE = runlogs.DATA_DIR
HEADER = "month,municipality_code,department,task,runs,hours_before,hours_after\n"
KW = {
    "before": "hours_before",
    "after": "hours_after",
    "unit": ["municipality_code", "department"],
    "period": "month",
}


def _csv(path: Path, *rows: str, header: str = HEADER, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((header + "".join(r + "\n" for r in rows)).encode(encoding))
    return path


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def _expected(path: Path) -> pd.DataFrame:
    """read_table's frame with months as the YYYY-MM text convert writes."""
    frame = ek.read_table(path, RUNLOG)
    frame["month"] = frame["month"].dt.strftime("%Y-%m").astype("str")
    frame.attrs = {}
    return frame


# ----------------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    out = tmp_path_factory.mktemp("runlogs") / "parquet"
    return out, convert(SAMPLE, schema="runlog", out=out)


def test_sample_folder_converts_one_parquet_file_per_csv(converted):
    out, done = converted
    assert [d.source.name for d in done] == list(runlogs.FILES)
    assert [d.target for d in done] == [out / f"{Path(f).stem}.parquet" for f in runlogs.FILES]
    assert all(d.written for d in done)
    assert sorted(p.name for p in out.iterdir()) == [d.target.name for d in done]
    assert sum(d.rows for d in done) == sum(len(ek.read_table(d.source, RUNLOG)) for d in done)


def test_parquet_reads_back_as_the_frame_read_table_gives(converted):
    _, done = converted
    for d in done:
        got = pd.read_parquet(d.target)
        pd.testing.assert_frame_equal(got, _expected(d.source))
        assert got.dtypes.astype(str).tolist() == ["str"] * 4 + ["int64", "float64", "float64"]
        # Months become Periods again as documented, and then it is read_table's frame.
        got["month"] = pd.PeriodIndex(got["month"], freq="M")
        want = ek.read_table(d.source, RUNLOG)
        want.attrs = {}
        pd.testing.assert_frame_equal(got, want)


def test_parquet_folder_reads_back_as_the_concatenated_frames(converted):
    out, done = converted
    got = pd.read_parquet(out)
    want = pd.concat([_expected(d.source) for d in done], ignore_index=True)
    pd.testing.assert_frame_equal(got, want)


def test_leading_zeros_and_full_width_sample_values_survive(tmp_path):
    src = _csv(
        tmp_path / "in" / "z.csv",
        "令和２年１月,01100,総務課,照合,１２回,３．５時間,０．５",
        header="年月,団体コード,所属,業務,実行回数,作業時間（導入前）,削減後時間\n",
        encoding="cp932",
    )
    (done,) = convert([src], schema="runlog", out=tmp_path / "out")
    got = pd.read_parquet(done.target)
    assert got.iloc[0].tolist() == ["2020-01", "01100", "総務課", "照合", 12, 3.5, 0.5]


def test_arrow_types_and_metadata(converted):
    _, done = converted
    schema = pq.read_schema(done[1].target)
    assert schema.remove_metadata().equals(parquet_schema(RUNLOG).remove_metadata())
    assert schema.metadata[b"evalkit.schema"] == b"runlog"
    assert schema.metadata[b"evalkit.source"] == done[1].source.name.encode()


def test_duckdb_reads_the_same_types_and_sums(converted):
    out, done = converted
    rel = duckdb.sql(f"SELECT * FROM read_parquet('{out}/*.parquet')")
    assert [str(t) for t in rel.types] == ["VARCHAR"] * 4 + ["BIGINT", "DOUBLE", "DOUBLE"]
    sums = duckdb.sql(
        "SELECT municipality_code, department, sum(hours_before) AS b, sum(hours_after) AS a "
        f"FROM read_parquet('{out}/*.parquet') GROUP BY ALL ORDER BY ALL"
    ).df()
    frame = pd.concat([_expected(d.source) for d in done], ignore_index=True)
    want = (
        frame.groupby(["municipality_code", "department"])[["hours_before", "hours_after"]]
        .sum()
        .reset_index()
    )
    np.testing.assert_allclose(sums[["b", "a"]].to_numpy(), want.iloc[:, 2:].to_numpy())
    assert sums["municipality_code"].tolist() == want["municipality_code"].tolist()


def test_reduction_of_the_parquet_frame_equals_reduction_of_the_csv_frames(converted):
    out, done = converted
    frame = pd.concat([ek.read_table(d.source, RUNLOG) for d in done], ignore_index=True)
    want = ek.reduction(frame, **KW)
    got = ek.reduction(pd.read_parquet(out), **KW)  # months as text, not Periods
    for name in ("n", "total_before", "total_after", "saved", "rate", "mean_saved_per_period"):
        assert getattr(got, name) == pytest.approx(getattr(want, name), rel=1e-12), name
    assert got.per_period["period"].tolist() == [str(p) for p in want.per_period["period"]]
    assert (got.n, got.n_periods) == (10, 24)


def test_reduction_of_the_parquet_folder_equals_reduction_in_memory(converted):
    # Needs evalkit.reduction() to read a Parquet folder (the DuckDB engine) and
    # unit= a list of columns: the other half of issue 12.
    out, done = converted
    frame = pd.concat([ek.read_table(d.source, RUNLOG) for d in done], ignore_index=True)
    want = ek.reduction(frame, **KW)
    for source in (str(out), out, f"{out}/*.parquet"):
        got = ek.reduction(source, **KW)
        for name in (
            "n",
            "total_before",
            "total_after",
            "saved",
            "rate",
            "mean_unit_rate",
            "mean_saved",
            "t_statistic",
            "mean_saved_per_period",
        ):
            assert getattr(got, name) == pytest.approx(getattr(want, name), rel=1e-9), name
        assert got.mean_saved_ci == pytest.approx(want.mean_saved_ci, rel=1e-9)
        assert got.n_periods == want.n_periods
        np.testing.assert_allclose(
            got.per_period[["before", "after", "saved"]].to_numpy(dtype=float),
            want.per_period[["before", "after", "saved"]].to_numpy(dtype=float),
            rtol=1e-9,
        )
        assert [str(p) for p in got.per_period["period"]] == [
            str(p) for p in want.per_period["period"]
        ]


# ----------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("row", "column", "value"),
    [
        ("2019-04,99101,総務課,照合,たくさん,1.0,0.5", "runs", "たくさん"),
        ("2019-04,99101,総務課,照合,3,1.0,-0.5", "hours_after", "-0.5"),
        ("2019-04,99101,総務課,照合,3,1.0,△0.5", "hours_after", "△0.5"),
        ("2019-13,99101,総務課,照合,3,1.0,0.5", "month", "2019-13"),
    ],
)
def test_a_bad_value_is_refused_and_nothing_is_written(tmp_path, row, column, value):
    good = _csv(tmp_path / "in" / "a.csv", "2019-04,99101,総務課,照合,3,1.0,0.5")
    bad = _csv(tmp_path / "in" / "b.csv", "2019-05,99101,総務課,照合,3,1.0,0.5", row)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(ek.EvalkitError) as info:
        convert([good, bad], schema="runlog", out=out)
    err = info.value
    assert (err.file, err.row, err.value) == ("b.csv", 3, value)
    assert err.column == column
    assert _listing(out) == {"keep.txt": b"mine"}  # a.parquet was converted, then removed


def test_a_bad_month_in_a_cp932_file_names_the_header_as_written(tmp_path):
    src = _csv(
        tmp_path / "sjis.csv",
        "令和元年４月,99101,総務課,照合,１,１．０,０．５",
        header="年月,団体コード,所属,業務,件数,削減前時間,削減後時間\n",
        encoding="cp932",
    )
    with pytest.raises(ek.EvalkitError) as info:
        convert(src, schema="runlog", out=tmp_path / "out")
    err = info.value
    assert (err.file, err.row, err.column, err.value) == (
        "sjis.csv",
        2,
        "年月 (month)",
        "令和元年４月",
    )
    assert "sjis.csv, row 2, column '年月 (month)', value '令和元年４月'" in str(err)
    assert not (tmp_path / "out").exists()  # the folder it created is removed again


def test_an_interrupted_conversion_leaves_nothing(tmp_path, monkeypatch):
    a = _csv(tmp_path / "a.csv", "2019-04,99101,総務課,照合,3,1.0,0.5")
    b = _csv(tmp_path / "b.csv", "2019-04,99101,総務課,照合,3,1.0,0.5")
    real = convert_module._write_parquet
    calls = []

    def write(frame, schema, path, source):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(frame, schema, path, source)

    monkeypatch.setattr(convert_module, "_write_parquet", write)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        convert([a, b], schema="runlog", out=out)
    assert calls[0].name.startswith(".a.parquet.") and calls[0].suffix == ".tmp"
    assert not out.exists()


def test_an_existing_different_file_is_not_overwritten_unless_forced(tmp_path):
    src = _csv(tmp_path / "a.csv", "2019-04,99101,総務課,照合,3,1.0,0.5")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.parquet").write_bytes(b"not this")
    with pytest.raises(ek.EvalkitError, match="already exists.*--force") as info:
        convert(src, schema="runlog", out=out)
    assert info.value.file == str(out / "a.parquet")
    assert _listing(out) == {"a.parquet": b"not this"}
    (done,) = convert(src, schema="runlog", out=out, force=True)
    assert done.written
    assert len(pd.read_parquet(out / "a.parquet")) == 1
    before = os.stat(out / "a.parquet").st_mtime_ns
    (again,) = convert(src, schema="runlog", out=out)  # identical: left alone, no force needed
    assert not again.written
    assert os.stat(out / "a.parquet").st_mtime_ns == before
    assert sorted(p.name for p in out.iterdir()) == ["a.parquet"]


def test_written_files_have_ordinary_permissions(tmp_path):
    src = _csv(tmp_path / "a.csv", "2019-04,99101,総務課,照合,3,1.0,0.5")
    (done,) = convert(src, schema="runlog", out=tmp_path / "out")
    mask = os.umask(0o022)
    os.umask(mask)
    assert os.stat(done.target).st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.parametrize(
    "names", [("x/a.csv", "y/a.csv"), ("a.csv", "a.xlsx"), ("A.csv", "x/a.csv")]
)
def test_two_inputs_of_one_stem_are_refused(tmp_path, names):
    paths = []
    for name in names:
        path = tmp_path / name
        if path.suffix == ".xlsx":
            wb = openpyxl.Workbook()
            wb.active.append(HEADER.strip().split(","))
            wb.save(path)
        else:
            _csv(path, "2019-04,99101,総務課,照合,3,1.0,0.5")
        paths.append(path)
    with pytest.raises(ek.EvalkitError, match=r"would both be written to .*a\.parquet"):
        convert(paths, schema="runlog", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_sources_folders_globs_and_files(tmp_path):
    folder = tmp_path / "in"
    for name in ("b.csv", "a.CSV", "c.tsv", "~$d.xlsx", ".hidden.csv", "notes.txt"):
        _csv(folder / name, "2019-04,99101,総務課,照合,3,1.0,0.5")
    (folder / "c.tsv").write_text(
        HEADER.replace(",", "\t") + "2019-04\t99101\t総務課\t照合\t3\t1\t0"
    )
    (folder / "sub.csv").mkdir()
    done = convert(folder, schema="runlog", out=tmp_path / "o1")
    assert [d.source.name for d in done] == ["a.CSV", "b.csv", "c.tsv"]
    done = convert([str(folder / "[ab].*"), folder / "a.CSV"], schema="runlog", out=tmp_path / "o2")
    assert [d.source.name for d in done] == ["a.CSV", "b.csv"]  # a.CSV named twice, read once


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        (["nope.csv"], "file not found"),
        (["empty"], "no .csv, .tsv, .xlsx, .xlsm file in the folder"),
        (["*.nothing"], "no file matches the pattern"),
        ([], "no input files given"),
        ([3], "a source is a file, folder or glob pattern, got int"),
    ],
)
def test_bad_sources_are_refused(tmp_path, monkeypatch, sources, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ek.EvalkitError, match=message):
        convert(sources, schema="runlog", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_output_folder_problems(tmp_path):
    src = _csv(tmp_path / "a.csv", "2019-04,99101,総務課,照合,3,1.0,0.5")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ek.EvalkitError, match="the output folder is a file"):
        convert(src, schema="runlog", out=tmp_path / "file")
    (tmp_path / "out" / "a.parquet").mkdir(parents=True)
    with pytest.raises(ek.EvalkitError, match="taken by a folder"):
        convert(src, schema="runlog", out=tmp_path / "out")
    with pytest.raises(ek.EvalkitError, match="force must be True or False"):
        convert(src, schema="runlog", out=tmp_path / "o", force="yes")


# ----------------------------------------------------------------------------- codes, names


def test_check_digits_of_known_codes():
    # 札幌市 011002, 東京都 130001, 那覇市 472018, 千代田区 131016
    assert [check_digit(c) for c in ("01100", "13000", "47201", "13101")] == [2, 1, 8, 6]


def test_municipality_codes_full_width_and_six_digits(tmp_path):
    src = _csv(
        tmp_path / "a.csv",
        "2019-04,０１１００２,総務課,照合,3,1.0,0.5",
        "2019-05,011002,総務課,照合,3,1.0,0.5",
    )
    (done,) = convert(src, schema="runlog", out=tmp_path / "out")
    assert pd.read_parquet(done.target)["municipality_code"].tolist() == ["011002", "011002"]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("1100", "leading zero lost"),
        ("011003", "check digit .* wrong: for 01100 it is 2"),
        ("0110", "5 digits"),
        ("A1100", "5 digits"),
        ("1234567", "5 digits"),
    ],
)
def test_bad_municipality_codes_are_refused(tmp_path, code, message):
    src = _csv(tmp_path / "a.csv", "2019-04,01100,総務課,照合,3,1.0,0.5")
    bad = _csv(
        tmp_path / "b.csv", "2019-04,01100,総務課,照合,3,1.0,0.5", f"2019-05,{code},a,b,1,1,1"
    )
    with pytest.raises(ek.EvalkitError, match=message) as info:
        convert([src, bad], schema="runlog", out=tmp_path / "out")
    assert (info.value.file, info.value.row, info.value.column) == ("b.csv", 3, "municipality_code")
    assert info.value.value == code
    assert not (tmp_path / "out").exists()


def test_five_and_six_digit_codes_are_not_mixed(tmp_path):
    a = _csv(tmp_path / "a.csv", "2019-04,01100,総務課,照合,3,1.0,0.5")
    b = _csv(tmp_path / "b.csv", "2019-04,13101,総務課,照合,3,1.0,0.5", "2019-05,011002,a,b,1,1,1")
    with pytest.raises(ek.EvalkitError, match=r"5 digits \('01100', a.csv row 2\)") as info:
        convert([a, b], schema="runlog", out=tmp_path / "out")
    assert (info.value.file, info.value.row, info.value.value) == ("b.csv", 3, "011002")
    with pytest.raises(ek.EvalkitError, match=r"6 digits \('011002', b.csv row 3\)"):
        convert([b, a], schema="runlog", out=tmp_path / "out")


def test_a_name_written_two_ways_in_two_files_is_refused(tmp_path):
    a = _csv(tmp_path / "a.csv", "2019-04,01100,ＩＴ推進課,照合,3,1.0,0.5")
    b = _csv(
        tmp_path / "b.csv",
        "2019-04,01100,総務課,照合,3,1.0,0.5",
        "2019-05,01100,IT推進課,照合,1,1,1",
    )
    with pytest.raises(ek.EvalkitError, match="a.csv writes this name 'ＩＴ推進課'") as info:
        convert([a, b], schema="runlog", out=tmp_path / "out")
    assert (info.value.file, info.value.row, info.value.column) == ("b.csv", 3, "department")
    assert info.value.value == "IT推進課"


# ----------------------------------------------------------------------------- schemas


def test_schemas_by_name():
    assert schema_named("runlog") is RUNLOG
    assert schema_named(RUNLOG) is RUNLOG
    from evalkit.datasets import loaders

    assert schema_named("minutes_work") is loaders.MINUTES_WORK
    assert schema_named("rpa_trial") is loaders.RPA_TRIAL
    assert SCHEMA_NAMES[0] == "runlog"
    assert [schema_named(n).name for n in SCHEMA_NAMES] == list(SCHEMA_NAMES)
    with pytest.raises(ek.EvalkitError, match="the schemas are runlog, minutes_work"):
        schema_named("runlogs")


def test_runlog_aliases():
    for alias, name in [
        ("月", "month"),
        ("年月", "month"),
        ("団体コード", "municipality_code"),
        ("市区町村コード", "municipality_code"),
        ("所属", "department"),
        ("業務名", "task"),
        ("件数", "runs"),
        ("実行回数", "runs"),
        ("削減前時間", "hours_before"),
        ("作業時間（導入前）", "hours_before"),
        ("削減後時間", "hours_after"),
        ("作業時間 (導入後)", "hours_after"),
    ]:
        assert RUNLOG.match(alias).name == name, alias
    assert RUNLOG.key == ()
    runs = RUNLOG.columns[RUNLOG.names.index("runs")]
    assert (runs.kind, runs.minimum) == ("int", 0)


def test_other_schemas_and_extra_columns(tmp_path):
    from evalkit.datasets.loaders import data_path

    (done,) = convert(data_path("rpa", "trial_runs.csv"), schema="rpa_trial", out=tmp_path / "o")
    got = pd.read_parquet(done.target)
    want = ek.read_table(done.source, schema_named("rpa_trial"))
    want["month"] = want["month"].dt.strftime("%Y-%m").astype("str")
    want.attrs = {}
    pd.testing.assert_frame_equal(got, want)

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([*HEADER.strip().split(","), "memo"])
    ws.append(["2019-04", "01100", "総務課", "照合", 3, 1.5, 0.5, 12])
    ws.append(["2019-05", "01100", "総務課", "照合", 0, 0, 0, None])
    wb.save(tmp_path / "book.xlsx")
    (done,) = convert(tmp_path / "book.xlsx", schema="runlog", out=tmp_path / "o")
    got = pd.read_parquet(done.target)
    assert got["memo"].tolist()[0] == "12" and pd.isna(got["memo"].tolist()[1])
    assert str(got["memo"].dtype) == "str"
    assert got["runs"].tolist() == [3, 0]
    assert pq.read_schema(done.target).metadata[b"evalkit.source"] == b"book.xlsx"


def test_progress_lines(tmp_path):
    src = _csv(tmp_path / "a.csv", "2019-04,99101,総務課,照合,3,1.0,0.5")
    lines = []
    convert(src, schema="runlog", out=tmp_path / "out", progress=lines.append)
    assert lines == [f"[1/1] {src}: reading", f"[1/1] {src}: 1 rows -> a.parquet (new)"]


# dask's own read_parquet calls reset_index(inplace=True), deprecated in pandas 3.1.
@pytest.mark.filterwarnings(
    "ignore:The inplace keyword in DataFrame.reset_index:pandas.errors.Pandas4Warning"
)
def test_reduction_of_the_parquet_folder_by_dask_equals_reduction_in_memory(converted):
    dd = pytest.importorskip("dask.dataframe")  # the optional [dask] extra
    out, done = converted
    frame = pd.concat([ek.read_table(d.source, RUNLOG) for d in done], ignore_index=True)
    want = ek.reduction(frame, **KW)
    got = ek.reduction(dd.read_parquet(str(out)), **KW)
    for name in ("n", "total_before", "total_after", "saved", "rate", "mean_saved_per_period"):
        assert getattr(got, name) == pytest.approx(getattr(want, name), rel=1e-9), name
    assert got.mean_saved_ci == pytest.approx(want.mean_saved_ci, rel=1e-9)
    assert [str(p) for p in got.per_period["period"]] == [str(p) for p in want.per_period["period"]]
