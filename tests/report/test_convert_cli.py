"""``evalkit convert SRC... --schema NAME --out DIR [--force]``: the command line.

Exit status 0 with a line per file on stderr and a summary on stdout; 1 with
the reader's message (file, row, column, value) and no new file in DIR; 130
on Ctrl-C, likewise without output.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from evalkit.datasets import runlogs
from evalkit.readers import convert as convert_module
from evalkit.report.cli import main

HEADER = "month,municipality_code,department,task,runs,hours_before,hours_after\n"
JA_HEADER = "年月,団体コード,所属,業務,件数,削減前時間,削減後時間\n"


def _csv(path: Path, *rows: str, header: str = HEADER, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((header + "".join(r + "\r\n" for r in rows)).encode(encoding))
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def test_convert_the_sample_folder(tmp_path, capsys):
    out = tmp_path / "pq"
    assert main(["convert", str(runlogs.DATA_DIR), "--schema", "runlog", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    total = sum(len(pd.read_parquet(out / f"{Path(f).stem}.parquet")) for f in runlogs.FILES)
    assert captured.out == f"evalkit convert: 3 files, {total:,} rows -> {out} (3 written)\n"
    lines = captured.err.splitlines()
    assert len(lines) == 6
    assert lines[0] == f"evalkit convert: [1/3] {runlogs.DATA_DIR / runlogs.FILES[0]}: reading"
    assert lines[-1].endswith("runlog_99103.parquet (new)")
    assert sorted(p.name for p in out.iterdir()) == [
        "runlog_99101.parquet",
        "runlog_99102.parquet",
        "runlog_99103.parquet",
    ]
    # Again: the files are the same, nothing is rewritten.
    assert main(["convert", str(runlogs.DATA_DIR), "--schema", "runlog", "--out", str(out)]) == 0
    assert capsys.readouterr().out.endswith("(0 written, 3 unchanged)\n")


@pytest.mark.parametrize(
    ("row", "header", "encoding", "where"),
    [
        (
            "2019-05,99101,総務課,照合,多数,1.0,0.5",
            HEADER,
            "utf-8",
            "b.csv, row 3, column 'runs', value '多数'",
        ),
        (
            "2019-05,99101,総務課,照合,3,－１．０,0.5",
            HEADER,
            "utf-8",
            "b.csv, row 3, column 'hours_before', value '－１．０'",
        ),
        (
            "令和元年１３月,99101,総務課,照合,３,１．０,０．５",
            JA_HEADER,
            "cp932",
            "b.csv, row 3, column '年月 (month)', value '令和元年１３月'",
        ),
    ],
)
def test_bad_input_exits_1_naming_file_row_column_value(
    tmp_path, capsys, row, header, encoding, where
):
    good = _csv(tmp_path / "in" / "a.csv", "2019-04,99101,総務課,照合,3,1.0,0.5")
    first = "令和元年５月,99101,総務課,照合,３,１．０,０．５" if encoding == "cp932" else None
    bad = _csv(
        tmp_path / "in" / "b.csv",
        first or "2019-05,99101,総務課,照合,3,1.0,0.5",
        row,
        header=header,
        encoding=encoding,
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.parquet").write_bytes(b"old")
    code = main(["convert", str(good), str(bad), "--schema", "runlog", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    last = captured.err.splitlines()[-1]
    assert last.startswith(f"evalkit convert: error: {where}: ")
    assert _files(out) == {"old.parquet": b"old"}


def test_overwriting_is_refused_without_force(tmp_path, capsys):
    src = _csv(tmp_path / "a.csv", "2019-04,99101,総務課,照合,3,1.0,0.5")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.parquet").write_bytes(b"someone else's")
    args = ["convert", str(src), "--schema", "runlog", "--out", str(out)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "a.parquet already exists" in err and "--force" in err
    assert _files(out) == {"a.parquet": b"someone else's"}
    assert main([*args, "--force"]) == 0
    assert capsys.readouterr().out.endswith("1 file, 1 rows -> " + str(out) + " (1 written)\n")
    assert len(pd.read_parquet(out / "a.parquet")) == 1


def test_same_stem_inputs_are_refused(tmp_path, capsys):
    a = _csv(tmp_path / "x" / "logs.csv", "2019-04,99101,総務課,照合,3,1.0,0.5")
    b = _csv(tmp_path / "y" / "logs.csv", "2019-04,99102,総務課,照合,3,1.0,0.5")
    out = tmp_path / "out"
    assert main(["convert", str(a), str(b), "--schema", "runlog", "--out", str(out)]) == 1
    assert "would both be written to logs.parquet" in capsys.readouterr().err
    assert not out.exists()


def test_unknown_schema_and_missing_arguments(tmp_path, capsys):
    src = _csv(tmp_path / "a.csv", "2019-04,99101,総務課,照合,3,1.0,0.5")
    assert main(["convert", str(src), "--schema", "logs", "--out", str(tmp_path / "o")]) == 1
    assert "unknown schema; the schemas are runlog, minutes_work" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["convert", str(src), "--out", str(tmp_path / "o")])
    assert info.value.code == 2
    assert "--schema" in capsys.readouterr().err


def test_ctrl_c_exits_130_without_output(tmp_path, capsys, monkeypatch):
    src = _csv(tmp_path / "a.csv", "2019-04,99101,総務課,照合,3,1.0,0.5")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(convert_module, "_write_parquet", interrupted)
    out = tmp_path / "out"
    assert main(["convert", str(src), "--schema", "runlog", "--out", str(out)]) == 130
    assert "interrupted (Ctrl-C); no file was written" in capsys.readouterr().err
    assert not out.exists()


def test_the_console_script_runs_convert(tmp_path):
    out = tmp_path / "pq"
    pattern = str(runlogs.DATA_DIR / "*.csv")
    done = subprocess.run(
        [sys.executable, "-m", "evalkit", "convert", pattern, "--schema", "runlog", "--out", out],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("evalkit convert: 3 files, ")
    assert len(list(out.glob("*.parquet"))) == 3
