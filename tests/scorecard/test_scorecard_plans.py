"""The plan text of the progress sheet (fy2019_plans.csv): read, checked, documented, as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evalkit.errors import EvalkitError
from evalkit.scorecard import INITIATIVES, PLAN_COLUMNS, PLAN_SCHEMA, load_plans

# The report the file is transcribed from (tests/reference/README.md).
REPORT_TEXT = Path(__file__).parents[1] / "reference" / "fy2019_it_progress_report.txt"
DICTIONARY = Path(__file__).parents[2] / "data" / "scorecard" / "README.md"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def plans():
    return load_plans()


def test_plans_cover_every_initiative_in_report_order(plans):
    assert list(plans.columns) == PLAN_COLUMNS
    assert list(dict.fromkeys(plans["initiative_id"])) == [i.initiative_id for i in INITIATIVES]
    assert plans["section"].value_counts().to_dict() == {
        "plan": 17,
        "activity_lead": 1,
        "progress": 1,
    }


def test_every_line_is_in_the_report_as_written(plans):
    # Footnote marks (※８) are left out of the file, as out of the names.
    report = re.sub(r"（※\d+）|\(※\d+\)", "", _squash(REPORT_TEXT.read_text(encoding="utf-8")))
    assert [t for t in plans["text"] if _squash(t) not in report] == []
    # inner full-width spaces are kept as written
    assert "全体　　　　庁内の53システム（予定）" in plans["text"].tolist()


def test_the_dictionary_table_matches_the_schema():
    body = DICTIONARY.read_text(encoding="utf-8").split("## `fy2019_plans.csv`", 1)[1]
    rows = [
        [c.strip() for c in line.strip().strip("|").split("|")]
        for line in body.splitlines()
        if line.startswith("| `")
    ]
    names, aliases = [], []
    for row in rows:
        cols = re.findall(r"`(\w+)`", row[0])
        names += cols
        aliases += [a.strip() for a in row[-1].split(",")] if len(cols) > 1 else [row[-1]]
    assert names == PLAN_COLUMNS
    for name, alias in zip(names, aliases, strict=True):
        col = PLAN_SCHEMA.match(name)
        assert alias.split(", ")[0] == col.aliases[0], name
        for a in alias.split(", "):
            assert PLAN_SCHEMA.match(a) is col


@pytest.mark.parametrize(
    ("pos", "column", "value", "match"),
    [
        (2, "section", "lead", "not one of the allowed values"),
        (2, "line_id", "voice_recognition.p9", "must start with the initiative_id: rpa."),
        (2, "line_id", "rpa.p1", "rows 3 and 4 are the same"),
        (2, "text", "", "may not be blank"),
    ],
)
def test_plan_rules_name_file_row_column_value(tmp_path, plans, pos, column, value, match):
    bad = plans.copy()
    bad.loc[pos, column] = value
    path = tmp_path / "fy2019_plans.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(EvalkitError, match=match) as err:
        load_plans(path)
    assert err.value.file == "fy2019_plans.csv"
    assert (err.value.row, err.value.column) == (pos + 2, column)
    assert err.value.value == value
