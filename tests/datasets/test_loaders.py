"""Loaders: the shipped sample files, their data dictionary, and analysts' own copies of them.

The published figures are recomputed here with plain pandas (the report's
"116所属", "ひと月あたり平均62時間", "83.87%", "1,800時間程度", "84%程度").
The data dictionary (data/README.md) is read here and compared with the
loaders' schemas: columns, types, allowed values, Japanese aliases and keys.
Every Japanese copy of a shipped file is written by the test itself with
its own formatting rules (era months, full-width digits, thousands
separators, units) and must load to exactly the same DataFrame.
"""

import csv
import datetime as dt
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from evalkit.datasets import (
    DATA_ENV,
    DRAFTING_PANEL,
    MINUTES_WORK,
    PUBLISHED,
    RPA_CANDIDATES,
    RPA_TRIAL,
    SATISFACTION_SURVEY,
    data_path,
    load_minutes_work,
    load_rpa_candidates,
    load_rpa_trial,
    load_satisfaction_survey,
)
from evalkit.datasets.loaders import _data_dir
from evalkit.errors import EvalkitError
from evalkit.stats.reduction import reduction

DATA_DIR, _ = _data_dir()
FILES = {
    "minutes_work": ("voice_recognition", "minutes_work.csv"),
    "satisfaction_survey": ("voice_recognition", "satisfaction_survey.csv"),
    "rpa_trial": ("rpa", "trial_runs.csv"),
    "rpa_candidates": ("rpa", "candidates_fy2020.csv"),
}
LOADERS = {
    "minutes_work": load_minutes_work,
    "satisfaction_survey": load_satisfaction_survey,
    "rpa_trial": load_rpa_trial,
    "rpa_candidates": load_rpa_candidates,
}


def shipped(name):
    """Skip while the data helper's file does not exist yet."""
    path = DATA_DIR.joinpath(*FILES[name])
    return pytest.mark.skipif(
        not path.exists(),
        reason=f"{path} not generated yet (python -m evalkit.datasets.generate)",
    )


FY2019 = [str(p) for p in pd.period_range("2019-04", "2020-03", freq="M")]

# ----------------------------------------------------------------------------- shipped files


@shipped("minutes_work")
def test_minutes_work_shipped_file():
    df = load_minutes_work()
    assert list(df.columns) == [
        "month",
        "bureau",
        "department",
        "meetings",
        "recorded_minutes",
        "hours_before",
        "hours_after",
    ]
    assert list(df.dtypes.astype(str)) == [
        "period[M]",
        "str",
        "str",
        "int64",
        "int64",
        "float64",
        "float64",
    ]
    assert df.attrs["source"] == "minutes_work.csv"
    assert df["department"].nunique() == 116  # 116所属で利用
    assert sorted(df["month"].astype(str).unique()) == FY2019
    assert not df.duplicated(["month", "department"]).any()
    saved = (df["hours_before"] - df["hours_after"]).groupby(df["month"]).sum()
    assert len(saved) == 12
    assert round(saved.mean()) == 62  # ひと月あたり平均62時間の業務削減
    # What the dictionary says of the sample data (not rules for other files):
    assert (df["hours_after"] <= df["hours_before"]).all()
    assert (df["recorded_minutes"] >= 15 * df["meetings"]).all()
    assert (df.groupby("department")["bureau"].nunique() == 1).all()
    assert df["bureau"].nunique() == 13


@shipped("satisfaction_survey")
def test_satisfaction_survey_shipped_file():
    df = load_satisfaction_survey()
    assert list(df.columns) == ["respondent_id", "bureau", "department", "answer"]
    assert set(df.dtypes.astype(str)) == {"str"}
    assert len(df) == 116
    answers = df["answer"].dropna()
    assert set(answers) <= {"大変満足", "満足", "どちらともいえない", "不満", "大変不満"}
    positive = answers.isin(["大変満足", "満足"]).sum()
    assert (len(answers), positive) == (93, 78)
    assert round(100 * positive / len(answers), 2) == 83.87  # 満足度：83.87%


@shipped("rpa_trial")
def test_rpa_trial_shipped_file():
    df = load_rpa_trial()
    assert list(df.columns) == [
        "month",
        "department",
        "task",
        "runs",
        "hours_before",
        "hours_after",
    ]
    assert list(df.dtypes.astype(str)) == ["period[M]", "str", "str", "int64", "float64", "float64"]
    assert sorted(df["month"].astype(str).unique()) == FY2019[3:]  # July to March
    assert 8 <= df["task"].nunique() <= 12 and df["department"].nunique() >= 3
    before, after = df["hours_before"].sum(), df["hours_after"].sum()
    assert 1750 <= before - after <= 1849  # 1,800時間程度
    assert round((before - after) / before, 2) == 0.84  # 削減割合は84%程度
    assert (df["hours_after"] <= df["hours_before"]).all()
    assert (df.groupby("task")["department"].nunique() == 1).all()


@shipped("rpa_candidates")
def test_rpa_candidates_shipped_file():
    df = load_rpa_candidates()
    assert list(df.columns) == [
        "department",
        "task",
        "annual_hours_before",
        "expected_reduction_rate",
    ]
    assert list(df.dtypes.astype(str)) == ["str", "str", "float64", "float64"]
    assert len(df) == 3 and df["department"].nunique() == 3  # 3所属３業務
    assert df["expected_reduction_rate"].between(0, 1).all()
    assert (df["annual_hours_before"] > 0).all()


# ----------------------------------------------------------------------------- Japanese copies

# One alias per canonical column, from those the data dictionary lists.
JAPANESE = {
    "month": "対象月",
    "bureau": "部局",
    "department": "所属名",
    "meetings": "会議件数",
    "recorded_minutes": "録音時間（分）",
    "hours_before": "導入前作業時間",
    "hours_after": "削減後時間",
    "respondent_id": "回答者番号",
    "answer": "満足度",
    "task": "対象業務",
    "runs": "処理件数",
    "annual_hours_before": "年間想定時間",
    "expected_reduction_rate": "想定削減率",
}
UNITS = {"meetings": "件", "recorded_minutes": "分", "runs": "回", "hours_before": "時間"}
FULL = str.maketrans("0123456789,.%", "０１２３４５６７８９，．％")


def era_month(text, style):
    """YYYY-MM written as a Japanese official would (平成 to April 2019, then 令和)."""
    y, m = map(int, text.split("-"))
    heisei = (y, m) < (2019, 5)
    n = y - 1988 if heisei else y - 2018
    if style == 0:
        return f"{'平成' if heisei else '令和'}{'元' if n == 1 else n}年{m}月"
    if style == 1:
        return f"{'H' if heisei else 'R'}{n}.{m}"
    return f"{y}年{m}月".translate(FULL)


def japanese_number(column, text, i):
    if i % 3 == 0:
        return text
    value = float(text)
    if column == "expected_reduction_rate":
        return f"{round(value * 100)}%".translate(FULL)
    written = f"{value:,.1f}" if "." in text else f"{int(value):,}"
    written = written.translate(FULL) if i % 3 == 1 else written
    return written + (UNITS.get(column, "") if i % 2 else "")


def japanese_copy(rows, path, *, encoding="cp932"):
    """A CSV as analysts keep it: Japanese headers, written numbers, era months, Excel debris."""
    header, body = rows[0], rows[1:]
    out = [[], [f"　{JAPANESE[h]} " for h in header] + ["", ""]]
    for i, row in enumerate(body):
        cells = []
        for h, v in zip(header, row, strict=True):
            if h == "month":
                cells.append(era_month(v, i % 3))
            elif v and h in UNITS | {
                "hours_after": 0,
                "annual_hours_before": 0,
                "expected_reduction_rate": 0,
            }:
                cells.append(japanese_number(h, v, i))
            else:
                cells.append(f"　{v}" if v and i % 2 else v)
        out.append([*cells, "", ""])
        if i % 7 == 3:
            out.append([""] * (len(header) + 2))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(out)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def shipped_rows(name):
    with DATA_DIR.joinpath(*FILES[name]).open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


@pytest.mark.parametrize("name", list(FILES))
def test_cp932_japanese_copy_loads_to_the_same_frame(name, tmp_path):
    if not DATA_DIR.joinpath(*FILES[name]).exists():
        pytest.skip(f"{FILES[name]} not generated yet")
    rows = shipped_rows(name)
    path = japanese_copy(rows, tmp_path / f"{name}_sjis.csv")
    text = path.read_bytes().decode("cp932")
    assert all(JAPANESE[h] in text for h in rows[0])
    if "month" in rows[0]:
        assert "令和元年" in text and "R1." in text
    if set(rows[0]) & set(UNITS):
        assert any(c in text for c in "０１２３４５６７８９") and "時間" in text
    pd.testing.assert_frame_equal(LOADERS[name](path), LOADERS[name]())


@pytest.mark.parametrize("name", list(FILES))
def test_xlsx_copy_loads_to_the_same_frame(name, tmp_path):
    if not DATA_DIR.joinpath(*FILES[name]).exists():
        pytest.skip(f"{FILES[name]} not generated yet")
    rows = shipped_rows(name)
    header = rows[0]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([JAPANESE[h] for h in header])
    text_columns = {"bureau", "department", "task", "respondent_id", "answer"}
    for row in rows[1:]:
        cells = []
        for h, v in zip(header, row, strict=True):
            if h == "month":
                y, m = map(int, v.split("-"))
                cells.append(dt.datetime(y, m, 1))
            elif h in text_columns or v == "":
                cells.append(v or None)
            else:
                cells.append(float(v) if "." in v else int(v))
        ws.append(cells)
    path = tmp_path / f"{name}.xlsx"
    wb.save(path)
    got = LOADERS[name](path)
    pd.testing.assert_frame_equal(got, LOADERS[name]())
    assert got.attrs["source"] == f"{name}.xlsx (sheet 'Sheet')"


# ----------------------------------------------------------------------------- data dictionary

DICTIONARY = Path(__file__).resolve().parents[2] / "data" / "README.md"
SCHEMAS = {
    "voice_recognition/minutes_work.csv": MINUTES_WORK,
    "voice_recognition/satisfaction_survey.csv": SATISFACTION_SURVEY,
    "voice_recognition/drafting_hours_panel.csv": DRAFTING_PANEL,
    "rpa/trial_runs.csv": RPA_TRIAL,
    "rpa/candidates_fy2020.csv": RPA_CANDIDATES,
    "published/fy2019.csv": PUBLISHED,
}


def dictionary_tables():
    """{file: (rows of its column table as dicts, key columns)} read from data/README.md."""
    sections = re.split(r"^### `([^`]+)`.*$", DICTIONARY.read_text(encoding="utf-8"), flags=re.M)
    out = {}
    for name, body in zip(sections[1::2], sections[2::2], strict=True):
        lines = [line for line in body.splitlines() if line.startswith("|")]
        if not lines:
            continue
        cells = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines]
        header, rows = cells[0], cells[2:]
        key = re.search(r"^Key: (.+)\.$", body, flags=re.M)
        out[name] = (
            [dict(zip(header, r, strict=True)) for r in rows],
            tuple(re.findall(r"`(\w+)`", key[1])) if key else (),
        )
    return out


def allowed_claims(text):
    """The claims of an 'allowed values' cell, as Column attributes; fails on any other claim."""
    found = {"kind": None, "minimum": None, "maximum": None, "nullable": False}
    found["one_spelling"] = False
    for claim in re.sub(r"\([^)]*\)", "", text).split(";"):
        claim = claim.strip()
        if claim == "any text":
            found["kind"] = "text"
        elif claim == "any number":
            found["kind"] = "float"
        elif claim == "any month":
            found["kind"] = "month"
        elif claim == "blank allowed":
            found["nullable"] = True
        elif claim == "one spelling per name":
            found["one_spelling"] = True
        elif m := re.fullmatch(r">= (\d+)|(\d+) or more", claim):
            found["minimum"] = float(m[1] or m[2])
        elif m := re.fullmatch(r"(-?\d+) \.\. (-?\d+)", claim):
            found["minimum"], found["maximum"] = float(m[1]), float(m[2])
        elif re.fullmatch(r"may exceed `\w+`", claim):
            found["maximum"] = None
        else:
            pytest.fail(f"the dictionary claims {claim!r}, which no test checks")
    return found


TYPES = {"`YYYY-MM`": ("month",), "text": ("text",), "integer": ("int",)}


def test_the_dictionary_describes_every_loader_file():
    assert set(dictionary_tables()) == set(SCHEMAS)


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_dictionary_and_schema_agree(name):
    rows, key = dictionary_tables()[name]
    schema = SCHEMAS[name]
    assert [r["column"].strip("`") for r in rows] == list(schema.names)
    assert key == schema.key
    for row in rows:
        col = schema.match(row["column"].strip("`"))
        claims = allowed_claims(row["allowed values"])
        kinds = TYPES.get(row["type"], ("rate",) if row["unit"] == "ratio" else ("float",))
        assert col.kind in kinds, (col.name, row["type"])
        assert claims["kind"] in (None, col.kind), col.name
        if col.kind in ("text", "month"):
            assert claims["kind"] == col.kind, f"{col.name}: say 'any {col.kind}'"
        for attr in ("minimum", "maximum", "nullable", "one_spelling"):
            assert getattr(col, attr) == claims[attr], (col.name, attr)
        assert col.required
        assert list(col.aliases) == row["Japanese aliases"].split(", "), col.name


def test_the_dictionary_claims_are_read_strictly():
    assert allowed_claims("0 or more; may exceed `hours_before` (a negative saving)") == {
        "kind": None,
        "minimum": 0.0,
        "maximum": None,
        "nullable": False,
        "one_spelling": False,
    }
    assert allowed_claims("0 .. 1 (80% is 0.8)")["maximum"] == 1.0
    with pytest.raises(pytest.fail.Exception, match="15 per meeting"):
        allowed_claims(">= 15 per meeting")


@pytest.mark.parametrize(
    "schema",
    [MINUTES_WORK, SATISFACTION_SURVEY, DRAFTING_PANEL, RPA_TRIAL, RPA_CANDIDATES],
    ids=lambda s: s.name,
)
def test_every_dictionary_alias_is_accepted(schema):
    rows, _ = next(t for n, t in dictionary_tables().items() if SCHEMAS[n] is schema)
    for row in rows:
        col = schema.match(row["column"].strip("`"))
        for alias in row["Japanese aliases"].split(", "):
            assert schema.match(alias) is col
            assert schema.match(f"　{alias} ") is col


# ----------------------------------------------------------------------------- data directory


def test_evalkit_data_overrides_the_data_directory(tmp_path, monkeypatch):
    target = tmp_path / "rpa"
    target.mkdir()
    (target / "candidates_fy2020.csv").write_text(
        '所属,業務,年間作業時間,削減見込み\n税務課,照合,"1,200時間",80%\n人事課,集計,300,0.5\n',
        encoding="cp932",
    )
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    assert data_path("rpa") == target
    df = load_rpa_candidates()
    assert df["annual_hours_before"].tolist() == [1200.0, 300.0]
    assert df["expected_reduction_rate"].tolist() == [0.8, 0.5]
    with pytest.raises(EvalkitError) as info:
        load_rpa_trial()
    msg = str(info.value)
    assert "trial_runs.csv" in msg and DATA_ENV in msg and str(tmp_path) in msg


def test_missing_sample_file_says_where_it_looked(monkeypatch, tmp_path):
    monkeypatch.delenv(DATA_ENV, raising=False)
    with pytest.raises(EvalkitError) as info:
        data_path("nope", "missing.csv")
    msg = str(info.value)
    assert "missing.csv" in msg and "source tree" in msg and DATA_ENV in msg


def test_sheet_needs_a_path():
    with pytest.raises(EvalkitError) as info:
        load_minutes_work(sheet="Sheet1")
    assert "path=" in str(info.value) and "'Sheet1'" in str(info.value)


# ----------------------------------------------------------------------------- cross-row checks

MINUTES_HEADER = "月,部局,所属,会議数,録音時間(分),導入前時間,導入後時間\n"


def test_duplicate_department_month_names_both_rows(tmp_path):
    path = tmp_path / "minutes.csv"
    path.write_text(
        MINUTES_HEADER
        + "令和元年5月,総務部,人事課,1,60,3.0,1.0\n"
        + "令和元年5月,総務部,企画課,1,60,3.0,1.0\n"
        + "\n"
        + "2019-05,総務部,人事課,2,90,4.0,2.0\n",
        encoding="cp932",
    )
    with pytest.raises(EvalkitError) as info:
        load_minutes_work(path)
    msg = str(info.value)
    for part in ("minutes.csv", "rows 2 and 5", "row 5", "'月, 所属'", "'2019-05 / 人事課'"):
        assert part in msg, msg


def test_duplicate_task_month_names_both_rows(tmp_path):
    path = tmp_path / "trial.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["年月", "所属", "業務名", "実行回数", "削減前時間", "削減後時間"])
    ws.append([dt.datetime(2019, 7, 1), "人事課", "給与照合", 2, 20.0, 5.0])
    ws.append(["R1.7", "人事課", "給与照合", 3, 30.0, 6.0])
    wb.save(path)
    with pytest.raises(EvalkitError) as info:
        load_rpa_trial(path)
    msg = str(info.value)
    for part in (
        "trial.xlsx",
        "rows 2 and 3",
        "row 3",
        "'年月, 所属, 業務名'",
        "'2019-07 / 人事課 / 給与照合'",
    ):
        assert part in msg, msg


def test_same_task_in_different_months_is_fine(tmp_path):
    path = tmp_path / "trial.csv"
    path.write_text(
        "月,所属,業務,実行回数,導入前時間,導入後時間\n"
        "2019-07,人事課,給与照合,2,20,5\n2019-08,人事課,給与照合,2,20,5\n",
        encoding="utf-8",
    )
    assert len(load_rpa_trial(path)) == 2


def test_loader_errors_name_file_row_column_value(tmp_path):
    path = tmp_path / "minutes.csv"
    path.write_text(
        MINUTES_HEADER
        + "令和元年5月,総務部,人事課,1,30分,3.0,1.0\n令和元年6月,総務部,人事課,1,60,△3.0,1.0\n",
        encoding="cp932",
    )
    with pytest.raises(EvalkitError) as info:
        load_minutes_work(path)
    msg = str(info.value)
    for part in (
        "minutes.csv",
        "row 3",
        "'導入前時間 (hours_before)'",
        "'△3.0'",
        "below the minimum 0",
    ):
        assert part in msg, msg


def test_answers_are_kept_as_written(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(
        "回答者ID,部局,所属,回答\n"
        "S1,総務部,人事課, 満足 \nS2,総務部,企画課,\nS3,総務部,財政課,とても良い\n",
        encoding="utf-8",
    )
    df = load_satisfaction_survey(path)
    assert df["answer"].tolist()[0] == "満足" and pd.isna(df["answer"][1])
    assert df["answer"][2] == "とても良い"  # checked against the scale by evalkit.satisfaction


def test_shipped_data_are_found_from_an_installed_copy_of_the_tree(tmp_path, monkeypatch):
    if not DATA_DIR.joinpath(*FILES["rpa_candidates"]).exists():
        pytest.skip("sample data not generated yet")
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR / "rpa", copy / "rpa")
    monkeypatch.setenv(DATA_ENV, str(copy))
    pd.testing.assert_frame_equal(
        load_rpa_candidates(), load_rpa_candidates(DATA_DIR / "rpa" / "candidates_fy2020.csv")
    )


# ----------------------------------------------------------------------------- allowed values


def test_hours_after_may_exceed_hours_before_and_gives_a_negative_saving(tmp_path):
    path = tmp_path / "minutes.csv"
    path.write_text(
        MINUTES_HEADER
        + "令和元年5月,総務部,人事課,2,120,6.0,2.0\n"
        + "令和元年5月,総務部,企画課,1,60,3.0,4.5\n"  # the tool made the work slower
        + "令和元年6月,総務部,企画課,1,60,3.0,3.5\n",
        encoding="cp932",
    )
    df = load_minutes_work(path)
    assert df["hours_after"].tolist() == [2.0, 4.5, 3.5]
    res = reduction(df, before="hours_before", after="hours_after", unit="department")
    per_unit = res.per_unit.set_index("unit")
    assert per_unit.loc["企画課", "saved"] == pytest.approx(-2.0)  # shown, not dropped
    assert per_unit.loc["企画課", "rate"] == pytest.approx(-2.0 / 6.0)
    assert res.n == 2 and res.saved == pytest.approx(2.0)

    trial = tmp_path / "trial.csv"
    trial.write_text(
        "月,所属,業務,実行回数,導入前時間,導入後時間\n2019-07,人事課,給与照合,2,5,7\n",
        encoding="utf-8",
    )
    assert load_rpa_trial(trial)["hours_after"].tolist() == [7.0]


@pytest.mark.parametrize(
    ("loader", "text", "row", "header"),
    [
        (
            load_minutes_work,
            MINUTES_HEADER
            + "令和元年5月,総務部,人事課,1,60,3.0,1.0\n\n2019-06,総務部,人事課,0,0,0,0\n",
            4,
            "会議数 (meetings)",
        ),
        (
            load_rpa_trial,
            "月,所属,業務,実行回数,導入前時間,導入後時間\n2019-07,人事課,給与照合,0回,0,0\n",
            2,
            "実行回数 (runs)",
        ),
    ],
)
def test_a_row_without_meetings_or_runs_is_refused(tmp_path, loader, text, row, header):
    path = tmp_path / "zero.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvalkitError) as info:
        loader(path)
    msg = str(info.value)
    for part in ("zero.csv", f"row {row}", repr(header), "below the minimum 1"):
        assert part in msg, msg


def test_recorded_minutes_need_only_be_zero_or_more(tmp_path):
    path = tmp_path / "minutes.csv"
    path.write_text(
        MINUTES_HEADER + "2019-05,総務部,人事課,3,0,3.0,1.0\n2019-06,総務部,人事課,3,20,3.0,1.0\n",
        encoding="utf-8",
    )
    assert load_minutes_work(path)["recorded_minutes"].tolist() == [0, 20]
    path.write_text(MINUTES_HEADER + "2019-05,総務部,人事課,3,-1,3.0,1.0\n", encoding="utf-8")
    with pytest.raises(EvalkitError, match="below the minimum 0"):
        load_minutes_work(path)


def test_one_department_written_two_ways_is_refused(tmp_path):
    # 116 departments must not become 117 because one is typed in full width.
    path = tmp_path / "minutes.csv"
    path.write_text(
        MINUTES_HEADER
        + "平成31年4月,総務部,ＩＴ・業務改革課,1,60,3.0,1.0\n"
        + "令和元年5月,総務部,人事課,1,60,3.0,1.0\n"
        + "令和元年5月,総務部,IT・業務改革課,1,60,3.0,1.0\n",
        encoding="utf-8",
    )
    with pytest.raises(EvalkitError) as info:
        load_minutes_work(path)
    msg = str(info.value)
    for part in (
        "minutes.csv",
        "rows 2 and 4",
        "column '所属 (department)'",
        "'ＩＴ・業務改革課' (row 2)",
        "'IT・業務改革課' (row 4)",
        "write them one way",
    ):
        assert part in msg, msg


def test_data_path_error_names_every_folder_the_loaders_read(monkeypatch, tmp_path):
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    with pytest.raises(EvalkitError) as info:
        data_path("voice_recognition", "minutes_work.csv")
    msg = str(info.value)
    for folder in ("voice_recognition/", "rpa/", "scorecard/"):
        assert folder in msg, msg
