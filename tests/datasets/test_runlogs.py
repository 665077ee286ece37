"""The synthetic run-log sample (data/runlogs/): reproducible, readable, documented."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pandas as pd
import pytest

import evalkit as ek
from evalkit.datasets import runlogs
from evalkit.readers.convert import RUNLOG

DICTIONARY = Path(__file__).resolve().parents[2] / "data" / "README.md"


def test_shipped_files_are_what_the_generator_writes(tmp_path, capsys):
    assert runlogs.main(["--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines() == [str(tmp_path / f) for f in runlogs.FILES]
    assert sorted(p.name for p in runlogs.DATA_DIR.iterdir()) == sorted(runlogs.FILES)
    for name in runlogs.FILES:
        assert (tmp_path / name).read_bytes() == (runlogs.DATA_DIR / name).read_bytes(), name
    assert runlogs.render() == runlogs.render()


def test_each_file_is_written_as_documented():
    files = runlogs.render()
    a, b, c = (files[f] for f in runlogs.FILES)
    assert a.decode("utf-8").startswith("month,municipality_code,") and b"\r\n" not in a
    text_b = b.decode("cp932")
    with pytest.raises(UnicodeDecodeError):
        b.decode("utf-8")
    assert text_b.count("\r\n") == text_b.count("\n")
    assert "平成３１年４月" in text_b and "令和元年５月" in text_b and "令和３年３月" in text_b
    assert c.startswith(codecs.BOM_UTF8) and "2019年4月" in c.decode("utf-8-sig")
    assert re.search(r",\d+件,\d+\.\d時間,\d+\.\d時間\r\n", c.decode("utf-8-sig"))


def test_every_file_reads_with_the_runlog_schema():
    frames = [ek.read_table(runlogs.DATA_DIR / f, RUNLOG) for f in runlogs.FILES]
    assert [len(f) for f in frames] == [108, 79, 58]
    df = pd.concat(frames, ignore_index=True)
    assert df["municipality_code"].unique().tolist() == ["99101", "99102", "99103"]
    assert str(df["month"].min()) == "2019-04" and str(df["month"].max()) == "2021-03"
    zero = df[df["runs"] == 0]
    assert len(zero) == 12 and (zero[["hours_before", "hours_after"]] == 0).all().all()
    assert (df["hours_after"] <= df["hours_before"]).all()
    for frame in frames:  # one row per task, department and month
        assert not frame.duplicated(["month", "department", "task"]).any()


def _section() -> str:
    text = DICTIONARY.read_text(encoding="utf-8")
    return text.split("### `runlogs/`: run-log sample (schema `runlog`)\n", 1)[1]


def test_the_dictionary_lists_every_column_with_its_aliases():
    items = re.findall(r"^- `(\w+)`: (.+?)(?=^- |^\n)", _section(), flags=re.M | re.S)
    assert [name for name, _ in items] == list(RUNLOG.names)
    for name, body in items:
        body = " ".join(body.split())
        aliases = re.search(r"Japanese aliases: (.+)\.$", body)[1].split(", ")
        col = RUNLOG.columns[RUNLOG.names.index(name)]
        assert aliases == list(col.aliases), name
        assert "Type: " in body and "Unit: " in body, name


def test_the_dictionary_counts_rows():
    assert "245 rows in all: 108, 79 and 58." in " ".join(_section().split())
