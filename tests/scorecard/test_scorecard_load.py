"""Tests of evalkit.scorecard.load and of the data/scorecard files: columns, rules, file rows.

Reference for the data: the FY2019 progress report of the IT division
(総務部, 令和2年3月末時点). Its seven initiatives, their schedules and the
figures it publishes ("116所属", "ひと月あたり平均62時間", "満足度：83.87%",
"1,800時間程度 ... 削減割合は84%程度", "3所属３業務", "30システムについて、移行が完了")
are the independent references named below.
"""

from __future__ import annotations

import csv
import math

import pandas as pd
import pytest
from scorecard_helpers import REPORT_SCHEDULE_TIMINGS

from evalkit.errors import EvalkitError
from evalkit.readers.fiscal import parse_schedule, parse_timing
from evalkit.scorecard import (
    INDICATOR_COLUMNS,
    INITIATIVES,
    MILESTONE_COLUMNS,
    evaluate_indicators,
    evaluate_milestones,
    load_indicators,
    load_milestones,
    load_platform_migration,
    platform_progress,
)

# The seven initiatives of the report (its two sections 庁内のＩＴ化推進 and
# 市町村のＩＴ化支援), as the report's plan column names them.
REPORT_INITIATIVES = {
    "音声認識技術の導入",
    "RPAの試行導入",
    "共通プラットフォームの利用拡大",
    "行政サービスに係る情報システムの検討",
    "府内市町村におけるサービスの効率化",
    "自治体クラウドの導入支援等",
    "LGWAN府域ネットワークの更新の支援",
}


# ------------------------------------------------------------------- the files


def test_files_cover_all_seven_initiatives(indicators, milestones):
    assert {i.name for i in INITIATIVES} == REPORT_INITIATIVES
    for frame in (indicators, milestones):
        assert set(frame["initiative"]) == REPORT_INITIATIVES
        assert set(frame["initiative_id"]) == {i.initiative_id for i in INITIATIVES}
    # Every initiative has at least one activity indicator and one scheduled step.
    activity = indicators[indicators["kind"] == "activity"]
    assert set(activity["initiative"]) == REPORT_INITIATIVES
    assert set(indicators["theme"]) == {"庁内のＩＴ化推進", "市町村のＩＴ化支援"}


def test_files_have_the_documented_columns(indicators, milestones):
    assert list(indicators.columns) == INDICATOR_COLUMNS
    assert list(milestones.columns) == MILESTONE_COLUMNS


def test_milestone_timings_are_the_report_schedules_as_written(milestones):
    assert milestones["planned_timing"].tolist() == REPORT_SCHEDULE_TIMINGS


def test_numeric_targets_are_the_reports_three(indicators):
    # Report: 満足度：70％以上, 業務削減時間：80％以上, 移行（30システム）.
    numeric = indicators[indicators["target_kind"] == "numeric"].set_index("indicator_id")
    assert numeric[["target_value", "target_direction", "target_unit"]].to_dict("index") == {
        "voice_recognition.o3": {
            "target_value": 70.0,
            "target_direction": ">=",
            "target_unit": "%",
        },
        "rpa.o2": {"target_value": 80.0, "target_direction": ">=", "target_unit": "%"},
        "common_platform.a1": {
            "target_value": 30.0,
            "target_direction": ">=",
            "target_unit": "システム",
        },
    }


def test_voice_and_rpa_numbers_are_never_typed_in(indicators):
    rows = indicators[indicators["initiative_id"].isin(["voice_recognition", "rpa"])]
    assert rows["actual_value"].isna().all()
    computed = rows[rows["actual_source"].str.startswith("computed:")]
    assert set(computed["actual_source"]) == {
        "computed:voice_recognition.departments",
        "computed:voice_recognition.mean_saved_per_month",
        "computed:voice_recognition.satisfaction_rate",
        "computed:rpa.rate",
        "computed:rpa.saved",
        "computed:rpa.candidate_tasks",
    }


def test_every_planned_timing_parses_or_is_flagged(milestones):
    for _, group in milestones.groupby("initiative_id", sort=False):
        for text, t in zip(
            group["planned_timing"],
            parse_schedule(group["planned_timing"].tolist(), fiscal_year=2019),
            strict=True,
        ):
            if t.is_dated:
                # Every dated timing of a FY2019 plan lies in FY2019.
                for p in (t.start, t.end):
                    assert p is None or pd.Period("2019-04", "M") <= p <= pd.Period("2020-03", "M")
            else:
                assert t.kind == "unscheduled" and t.flag, text
    undated = [
        t.text
        for _, g in milestones.groupby("initiative_id", sort=False)
        for t in parse_schedule(g["planned_timing"].tolist(), fiscal_year=2019)
        if not t.is_dated
    ]
    assert sorted(undated) == sorted(["随時", "年４回程度", "適宜", "随時"])


def test_every_actual_timing_parses_to_months(milestones):
    for text in milestones["actual_timing"]:
        if text:
            t = parse_timing(text, fiscal_year=2019)
            assert t.is_dated, text


def test_platform_counts_agree_with_the_schedule_and_the_indicator(indicators, milestones):
    pm = load_platform_migration()
    planned = pm[pm["kind"] == "planned"]
    # Report: ４月から９月 ４システム（予定）, 10月から３月 26システム（予定）; 30 this year.
    assert planned["systems"].tolist() == [4, 26]
    assert planned["systems"].sum() == 30
    steps = milestones[milestones["initiative_id"] == "common_platform"]
    assert steps["planned_timing"].tolist() == planned["timing"].tolist()
    ind = indicators.set_index("indicator_id").loc["common_platform.a1"]
    migrated = pm.loc[pm["kind"] == "migrated", "systems"].item()
    assert ind["actual_value"] == migrated == ind["target_value"] == 30


# --------------------------------------------------------------------- reading


def test_bad_file_names_file_row_column_value(tmp_path, indicators):
    bad = indicators.copy()
    bad.loc[4, "target_kind"] = "numeric"  # rpa.a1: numeric without a value
    path = tmp_path / "fy2019_indicators.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(EvalkitError) as err:
        load_indicators(path)
    assert str(err.value).startswith("fy2019_indicators.csv, row 6, column 'target_value'")
    bad = indicators.copy()
    bad.loc[0, "kind"] = "outcomes"
    bad.to_csv(path, index=False)
    with pytest.raises(EvalkitError, match=r"row 2, column 'kind', value 'outcomes'"):
        load_indicators(path)


def test_japanese_headers_are_accepted(tmp_path, milestones):
    jp = milestones.rename(
        columns={
            "planned_timing": "予定時期",
            "step": "工程",
            "initiative": "取組名",
            "done": "実施済",
        }
    )
    path = tmp_path / "工程.csv"
    jp.to_csv(path, index=False, encoding="cp932", errors="strict")
    back = load_milestones(path)
    assert back["planned_timing"].tolist() == REPORT_SCHEDULE_TIMINGS


# ------------------------------------------------------------------- file rows


def _write_with_title_and_blanks(path, frame, *, title, blank_after):
    """Write ``frame`` as CSV under a title row and a blank line, with a blank
    line after each record position in ``blank_after``; return each record's
    file row (header = row 3: title row 1, blank row 2)."""
    rows = []
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([title])
        w.writerow([])
        w.writerow(frame.columns)
        line = 3
        for pos, rec in enumerate(frame.astype(object).itertuples(index=False)):
            w.writerow(["" if (isinstance(v, float) and math.isnan(v)) else v for v in rec])
            line += 1
            rows.append(line)
            if pos in blank_after:
                w.writerow([])
                line += 1
    return rows


def test_milestone_errors_name_the_file_row_past_a_title_row_and_blank_lines(tmp_path, milestones):
    # title row 1, blank row 2, header row 3, records on rows 4, 5, 7, 8, 10, 11...
    bad = milestones.copy()
    bad.loc[5, "actual_timing"] = "13月"  # rpa.m3
    path = tmp_path / "fy2019_milestones.csv"
    rows = _write_with_title_and_blanks(path, bad, title="令和元年度 工程表", blank_after={1, 3})
    assert rows[5] == 11
    with pytest.raises(EvalkitError) as err:
        load_milestones(path)
    assert str(err.value).startswith(
        "fy2019_milestones.csv, row 11, column 'actual_timing', value '13月'"
    )
    assert (err.value.row, err.value.column, err.value.value) == (11, "actual_timing", "13月")
    # The same for a check made after loading, on a subset of the records:
    # the report month before RPA's 中間評価 (9～10月, file row 11).
    rows = _write_with_title_and_blanks(path, milestones, title="工程表", blank_after={1, 3})
    subset = load_milestones(path).query("initiative_id == 'rpa'")
    with pytest.raises(EvalkitError) as err:
        evaluate_milestones(subset, as_of="2019-08")
    assert (err.value.row, err.value.column, err.value.value) == (
        rows[5],
        "actual_timing",
        "9～10月",
    )
    assert "row 11," in str(err.value)


def test_indicator_errors_name_the_file_row_past_a_title_row_and_blank_lines(tmp_path, indicators):
    bad = indicators.copy()
    bad.loc[5, "actual_source"] = "notebook"  # rpa.a2
    path = tmp_path / "fy2019_indicators.csv"
    rows = _write_with_title_and_blanks(path, bad, title="令和元年度 指標", blank_after={1, 3})
    assert rows[5] == 11
    with pytest.raises(EvalkitError) as err:
        load_indicators(path)
    assert str(err.value).startswith(
        "fy2019_indicators.csv, row 11, column 'actual_source', value 'notebook'"
    )
    # A frame read from that file and changed afterwards: duplicates name both file rows.
    _write_with_title_and_blanks(path, indicators, title="指標", blank_after={1, 3})
    read = load_indicators(path)
    read.loc[5, "indicator_id"] = "rpa.a1"  # file row 11; rpa.a1 is on file row 10
    with pytest.raises(EvalkitError, match=r"row 11, column 'indicator_id'") as err:
        evaluate_indicators(read)
    assert "also in row 10" in str(err.value)


def test_a_frame_without_file_rows_counts_spreadsheet_rows(indicators):
    # A frame built in code: header = row 1, so its third record is row 4.
    frame = indicators.iloc[:3].reset_index(drop=True)
    frame.attrs = {}
    frame.loc[2, "kind"] = "output"
    with pytest.raises(EvalkitError) as err:
        evaluate_indicators(frame)
    assert (err.value.row, err.value.column, err.value.value) == (4, "kind", "output")


# ------------------------------------------------------------ load-time checks


def _write(path, frame):
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("pos", "column", "value", "match"),
    [
        (4, "indicator_id", "voice_recognition.a9", "must start with the initiative_id: rpa."),
        (4, "actual_text", "", "needs the report's statement"),
        (9, "target_value", -30.0, "cannot be negative"),  # common_platform.a1, システム
        (9, "actual_value", -30.0, "cannot be negative"),
    ],
)
def test_indicator_rules_are_checked_when_the_file_is_read(
    tmp_path, indicators, pos, column, value, match
):
    bad = indicators.copy()
    bad.loc[pos, column] = value
    path = _write(tmp_path / "fy2019_indicators.csv", bad)
    with pytest.raises(EvalkitError, match=match) as err:
        load_indicators(path)
    # file row = position + 2 (header row 1)
    assert err.value.file == "fy2019_indicators.csv"
    assert (err.value.row, err.value.column, err.value.value) == (pos + 2, column, value)


@pytest.mark.parametrize(
    ("pos", "column", "value", "match"),
    [
        (3, "milestone_id", "voice_recognition.m4", "must start with the initiative_id: rpa."),
        (3, "milestone_id", "rpa.", "must start with the initiative_id"),
        (3, "actual_timing", "13月", "no month 13"),
        (3, "planned_timing", "令和元年10月から令和元年9月", "before it starts"),
        (3, "done", "no", "so done must be 'yes'"),  # rpa.m1 has an actual timing, 5～6月
    ],
)
def test_milestone_rules_are_checked_when_the_file_is_read(
    tmp_path, milestones, pos, column, value, match
):
    bad = milestones.copy()
    bad.loc[pos, column] = value
    path = _write(tmp_path / "fy2019_milestones.csv", bad)
    with pytest.raises(EvalkitError, match=match) as err:
        load_milestones(path)
    assert err.value.file == "fy2019_milestones.csv"
    assert (err.value.row, err.value.column, err.value.value) == (pos + 2, column, value)


def test_unreadable_timings_are_flagged_not_refused_when_read(tmp_path, milestones):
    flagged = milestones.copy()
    flagged.loc[0, "actual_timing"] = "年度当初"  # not a date: kept and flagged
    back = load_milestones(_write(tmp_path / "m.csv", flagged))
    out = evaluate_milestones(back)
    assert out.loc[0, "actual_flag"] and out.loc[0, "actual_kind"] == "unscheduled"


def test_platform_rules_are_checked_when_the_file_is_read(tmp_path):
    pm = load_platform_migration().astype({"period_end": "str"})
    pm.loc[pm["kind"] == "scope", "period_end"] = ""
    path = tmp_path / "platform_migration.csv"
    bad = pm.copy()
    bad.loc[1, "period_end"] = "2019-08"  # ４月から９月 ends in 2019-09
    with pytest.raises(EvalkitError) as err:
        load_platform_migration(_write(path, bad))
    assert str(err.value).startswith(
        "platform_migration.csv, row 3, column 'period_end', value '2019-08'"
    )
    bad = pm.copy()
    bad.loc[3, "period_end"] = "2020-02"  # migrated in 令和元年度, which ends in 2020-03
    with pytest.raises(EvalkitError, match=r"row 5, column 'period_end', value '2020-02'"):
        load_platform_migration(_write(path, bad))
    bad = pm.copy()
    bad.loc[2, "timing"] = "随時"
    with pytest.raises(EvalkitError, match=r"row 4, column 'timing', value '随時'"):
        load_platform_migration(_write(path, bad))
    # The same file read for another fiscal year: ４月から９月 is then 2020-09.
    with pytest.raises(EvalkitError, match=r"row 3, column 'period_end', value '2019-09'"):
        load_platform_migration(_write(path, pm), fiscal_year=2020)


def test_negative_system_counts_are_refused(tmp_path):
    pm = load_platform_migration()
    bad = pm.copy()
    bad.loc[3, "systems"] = -30
    with pytest.raises(EvalkitError) as err:
        platform_progress(bad)
    assert (err.value.row, err.value.column, err.value.value) == (5, "systems", -30)
    path = _write(tmp_path / "platform_migration.csv", bad.astype({"period_end": "str"}))
    with pytest.raises(EvalkitError, match=r"platform_migration.csv, row 5, column 'systems'"):
        load_platform_migration(path)
