"""Tests of evalkit.scorecard and of the data/scorecard files.

Reference for the data: the FY2019 progress report of the IT division
(総務部, 令和2年3月末時点). Its seven initiatives, their schedules and the
figures it publishes ("116所属", "ひと月あたり平均62時間", "満足度：83.87%",
"1,800時間程度 ... 削減割合は84%程度", "3所属３業務", "30システムについて、移行が完了")
are the independent references named below.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from evalkit import plots
from evalkit.errors import EvalkitError
from evalkit.readers.fiscal import parse_schedule, parse_timing
from evalkit.scorecard import (
    INDICATOR_COLUMNS,
    INITIATIVES,
    MILESTONE_COLUMNS,
    Actual,
    compute_actuals,
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

# Every timing of the report's seven （スケジュール） blocks, in order, as written.
REPORT_SCHEDULE_TIMINGS = [
    "31年4月", "９月", "2年　３月",
    "元年５～６月", "７月", "９月", "２年３月",
    "４月から９月", "10月から３月",
    "随時", "年４回程度",
    "元年７月まで", "適宜",
    "31年４月~５月", "元年10月", "随時",
    "元年５月～８月", "９月～１月", "２月～",
]  # fmt: skip


@pytest.fixture(scope="module")
def indicators():
    return load_indicators()


@pytest.fixture(scope="module")
def milestones():
    return load_milestones()


@pytest.fixture(scope="module")
def actuals():
    return compute_actuals(random_state=20190401)


# --------------------------------------------------------------------------- the files


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


# --------------------------------------------------------------------------- indicators


def _indicator(**over):
    row = {
        "theme": "庁内のＩＴ化推進",
        "initiative_id": "rpa",
        "initiative": "RPAの試行導入",
        "indicator_id": "rpa.x1",
        "kind": "outcome",
        "indicator": "業務削減時間：80％以上",
        "target_kind": "numeric",
        "target_value": 80.0,
        "target_direction": ">=",
        "target_unit": "%",
        "actual_value": np.nan,
        "actual_unit": "%",
        # a report row quotes the report's statement (data/scorecard/README.md)
        "actual_text": "・ＲＰＡ導入による業務効率化",
        "actual_source": "report",
        "note": "",
    }
    row.update(over)
    return pd.DataFrame([row])


@pytest.mark.parametrize(
    ("direction", "actual", "status"),
    [
        (">=", 80.0, "met"),  # the boundary meets an 以上 target
        (">=", 80.0 + 1e-6, "met"),
        (">=", 80.0 - 1e-6, "not met"),
        (">=", 79.0, "not met"),
        ("<=", 80.0, "met"),
        ("<=", 80.0 - 1e-6, "met"),
        ("<=", 80.0 + 1e-6, "not met"),
        ("==", 80.0, "met"),
        ("==", 80.5, "not met"),
    ],
)
def test_numeric_rule_at_the_boundary(direction, actual, status):
    out = evaluate_indicators(
        _indicator(target_direction=direction, actual_value=actual, actual_text="x")
    )
    assert out.loc[0, "status"] == status
    assert_allclose(out.loc[0, "margin"], actual - 80.0, rtol=0, atol=1e-12)


def test_a_rate_computed_in_floating_point_meets_its_target_at_the_boundary():
    # 7/10 * 100 is 70.00000000000001 and 0.7 * 100 may round either way;
    # both are exactly the 70 % target.
    for value in (7 / 10 * 100, 100 * 0.7, 0.1 * 3 * 100):
        target = round(value)
        out = evaluate_indicators(
            _indicator(target_value=target, actual_source="computed:x.rate"),
            actuals={"x.rate": value},
        )
        assert out.loc[0, "status"] == "met"


@given(
    actual=st.floats(0, 1000, allow_nan=False),
    target=st.floats(0, 1000, allow_nan=False),
    direction=st.sampled_from([">=", "<="]),
)
def test_numeric_rule_property(actual, target, direction):
    out = evaluate_indicators(
        _indicator(target_value=target, target_direction=direction, actual_value=actual)
    )
    tol = 1e-9 * max(1.0, abs(target))
    if abs(actual - target) > tol:
        expected = actual > target if direction == ">=" else actual < target
        assert (out.loc[0, "status"] == "met") is expected
    else:
        assert out.loc[0, "status"] == "met"
    assert out.loc[0, "margin"] == actual - target


def test_qualitative_target_is_not_assessable_even_with_an_actual():
    frame = _indicator(
        target_kind="qualitative",
        target_value=np.nan,
        target_direction="",
        target_unit="",
        actual_unit="時間",
        actual_source="computed:rpa.saved",
        actual_text="1,800時間程度の業務時間の削減",
    )
    out = evaluate_indicators(frame, actuals={"rpa.saved": Actual(1800.0, "時間")})
    assert out.loc[0, "status"] == "not assessable"
    assert out.loc[0, "actual"] == 1800.0  # shown as context
    assert math.isnan(out.loc[0, "margin"])
    assert out.loc[0, "met_confidently"] is pd.NA
    assert "qualitative" in out.loc[0, "reason"]


def test_missing_actual_without_actuals_is_an_explicit_status():
    out = evaluate_indicators(_indicator(actual_source="computed:rpa.rate"))
    assert out.loc[0, "status"] == "not assessable"
    assert "compute_actuals" in out.loc[0, "reason"]
    assert math.isnan(out.loc[0, "actual"])
    out = evaluate_indicators(_indicator())  # a report row that states no number
    assert out.loc[0, "status"] == "not assessable"


def test_missing_actual_in_a_given_mapping_is_an_error():
    with pytest.raises(EvalkitError) as err:
        evaluate_indicators(
            _indicator(actual_source="computed:rpa.rate"), actuals={"rpa.saved": 1.0}
        )
    assert (err.value.row, err.value.column, err.value.value) == (
        2,
        "actual_source",
        "computed:rpa.rate",
    )
    assert "row 2" in str(err.value) and "'rpa.rate'" in str(err.value)


def test_actual_in_another_unit_is_an_error():
    # A rate given as a fraction where the file counts in percent.
    with pytest.raises(EvalkitError, match=r"row 2, column 'actual_unit', value '%'"):
        evaluate_indicators(
            _indicator(actual_source="computed:rpa.rate"),
            actuals={"rpa.rate": Actual(0.84, "ratio")},
        )


def test_confidence_interval_columns():
    frame = _indicator(actual_source="computed:rpa.rate")
    out = evaluate_indicators(frame, actuals={"rpa.rate": Actual(84.0, "%", (81.0, 86.0))})
    row = out.loc[0]
    assert (row["ci_low"], row["ci_high"], row["status"]) == (81.0, 86.0, "met")
    assert bool(row["met_confidently"]) is True
    out = evaluate_indicators(frame, actuals={"rpa.rate": Actual(84.0, "%", (78.0, 90.0))})
    assert out.loc[0, "status"] == "met" and bool(out.loc[0, "met_confidently"]) is False
    out = evaluate_indicators(frame, actuals={"rpa.rate": 84.0})
    assert out.loc[0, "met_confidently"] is pd.NA


def test_note_column_is_optional_and_other_columns_are_required():
    out = evaluate_indicators(_indicator(actual_value=81.0).drop(columns="note"))
    assert out.loc[0, "status"] == "met" and out.loc[0, "note"] == ""
    with pytest.raises(EvalkitError, match="column 'actual_source'"):
        evaluate_indicators(_indicator().drop(columns="actual_source"))


def test_evaluate_indicators_does_not_mutate(indicators):
    before = indicators.copy()
    evaluate_indicators(indicators)
    pd.testing.assert_frame_equal(indicators, before)


@pytest.mark.parametrize(
    ("over", "column", "value"),
    [
        ({"target_direction": "≧"}, "target_direction", "≧"),
        ({"target_value": np.nan}, "target_value", ""),
        ({"target_unit": ""}, "target_unit", ""),
        ({"kind": "output"}, "kind", "output"),
        ({"actual_source": "notebook"}, "actual_source", "notebook"),
        ({"actual_source": "computed:rpa.rate", "actual_value": 84.0}, "actual_value", 84.0),
        ({"actual_value": "84%"}, "actual_value", "84%"),
        ({"initiative": "ＲＰＡの試行導入"}, "initiative", "ＲＰＡの試行導入"),
        ({"initiative_id": "robots"}, "initiative_id", "robots"),
        ({"target_kind": "qualitative"}, "target_value", 80.0),
    ],
)
def test_bad_indicator_cells_name_row_column_value(over, column, value):
    frame = pd.concat([_indicator(indicator_id="rpa.x0"), _indicator(**over)], ignore_index=True)
    with pytest.raises(EvalkitError) as err:
        evaluate_indicators(frame)
    assert err.value.row == 3
    assert err.value.column == column
    assert err.value.value == value


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


# --------------------------------------------------------------------------- actuals


def test_computed_actuals_equal_evalkit_statistics_on_the_sample_data(actuals):
    from evalkit.datasets import (
        load_minutes_work,
        load_rpa_candidates,
        load_rpa_trial,
        load_satisfaction_survey,
    )
    from evalkit.stats.reduction import reduction
    from evalkit.stats.satisfaction import satisfaction_rate

    # The same calls notebooks 01 and 02 make.
    voice = reduction(
        load_minutes_work(),
        before="hours_before",
        after="hours_after",
        unit="department",
        period="month",
    )
    sat = satisfaction_rate(load_satisfaction_survey(), answers="answer", target=0.70)
    rpa = reduction(
        load_rpa_trial(),
        before="hours_before",
        after="hours_after",
        unit="task",
        target=0.80,
        random_state=20190401,
    )
    assert actuals["voice_recognition.departments"].value == voice.n
    assert actuals["voice_recognition.mean_saved_per_month"].value == voice.mean_saved_per_period
    assert actuals["voice_recognition.mean_saved_per_month"].ci == voice.mean_saved_per_period_ci
    assert actuals["voice_recognition.satisfaction_rate"].value == 100 * sat.rate
    assert_allclose(actuals["voice_recognition.satisfaction_rate"].ci, np.multiply(100, sat.ci))
    assert actuals["rpa.rate"].value == 100 * rpa.rate
    assert_allclose(actuals["rpa.rate"].ci, np.multiply(100, rpa.rate_ci))
    assert actuals["rpa.saved"].value == rpa.saved
    assert actuals["rpa.candidate_tasks"].value == len(load_rpa_candidates())


def test_computed_actuals_against_plain_arithmetic_and_the_report(actuals):
    from evalkit.datasets import (
        load_minutes_work,
        load_rpa_candidates,
        load_rpa_trial,
        load_satisfaction_survey,
    )

    minutes = load_minutes_work()
    saved = minutes["hours_before"] - minutes["hours_after"]
    monthly = saved.groupby(minutes["month"]).sum()
    answers = load_satisfaction_survey()["answer"].dropna()
    trial = load_rpa_trial()
    t_saved = (trial["hours_before"] - trial["hours_after"]).sum()

    # Report: 116所属; ひと月あたり平均62時間; 83.87% (78/93); 1,800時間程度; 84%程度; 3業務.
    assert actuals["voice_recognition.departments"].value == minutes["department"].nunique() == 116
    assert_allclose(actuals["voice_recognition.mean_saved_per_month"].value, monthly.mean())
    assert round(actuals["voice_recognition.mean_saved_per_month"].value) == 62
    positive = answers.isin(["大変満足", "満足"]).sum()
    assert_allclose(
        actuals["voice_recognition.satisfaction_rate"].value, 100 * positive / len(answers)
    )
    assert_allclose(actuals["voice_recognition.satisfaction_rate"].value, 100 * 78 / 93)
    assert_allclose(actuals["rpa.saved"].value, t_saved)
    assert round(actuals["rpa.saved"].value, -2) == 1800
    assert_allclose(actuals["rpa.rate"].value, 100 * t_saved / trial["hours_before"].sum())
    assert round(actuals["rpa.rate"].value) == 84
    assert actuals["rpa.candidate_tasks"].value == len(load_rpa_candidates()) == 3


def test_satisfaction_interval_against_statsmodels(actuals):
    from statsmodels.stats.proportion import proportion_confint

    # statsmodels proportion_confint(78, 93, method="wilson"), in percent.
    low, high = proportion_confint(78, 93, alpha=0.05, method="wilson")
    assert_allclose(actuals["voice_recognition.satisfaction_rate"].ci, (100 * low, 100 * high))


def test_scorecard_with_computed_actuals(indicators, actuals):
    out = evaluate_indicators(indicators, actuals=actuals).set_index("indicator_id")
    # 83.87 % against 70 %, 84 % against 80 %, 30 against 30 systems: all met.
    assert out.loc["voice_recognition.o3", "status"] == "met"
    assert_allclose(out.loc["voice_recognition.o3", "margin"], 100 * 78 / 93 - 70)
    assert out.loc["rpa.o2", "status"] == "met"
    assert out.loc["common_platform.a1", "status"] == "met"
    assert out.loc["common_platform.a1", "margin"] == 0
    numeric = indicators["target_kind"] == "numeric"
    assert (out["status"] == "not assessable").sum() == (~numeric).sum()


# --------------------------------------------------------------------------- milestones


def _milestone(planned, actual="", done="yes", **over):
    row = {
        "theme": "市町村のＩＴ化支援",
        "initiative_id": "lgwan",
        "initiative": "LGWAN府域ネットワークの更新の支援",
        "milestone_id": "lgwan.x1",
        "planned_timing": planned,
        "step": "更新",
        "progress_text": "",
        "actual_timing": actual,
        "done": done,
        "note": "",
    }
    row.update(over)
    return pd.DataFrame([row])


@pytest.mark.parametrize(
    ("planned", "actual", "done", "status", "late"),
    [
        ("９月", "９月", "yes", "done on time", 0),
        ("９月", "9～10月", "yes", "late", 1),  # RPA 中間評価: ends a month after
        ("元年５月～８月", "令和元年５月から７月", "yes", "done on time", 0),
        ("元年７月まで", "4～6月", "yes", "done on time", 0),  # a deadline
        ("元年７月まで", "9月", "yes", "late", 2),
        ("７月", "7月～", "yes", "done on time", 0),  # open actual: its start counts
        ("２月～", "令和２年２月", "yes", "done on time", 0),  # open plan: its start is due
        ("10月", "令和２年１月", "yes", "late", 3),  # across the calendar year
        ("10月から３月", "", "yes", "done on time", 0),  # done by the report, due then
        ("４月から９月", "", "yes", "not assessable", None),  # done, but when?
        # as_of 2020-03 is the end of March (R２年３月末時点): a step due in
        # March and not done by then is late, by at least 1 month (done in
        # April at the earliest: 2020-04 - 2020-03), as a done step counts.
        ("2年　３月", "", "no", "late", 1),
        ("2年　３月", "", "not stated", "not assessable", None),
        ("2年　３月", "", "yes", "done on time", 0),  # done by the end of March
        ("令和２年４月", "", "no", "open", None),  # open only when due after as_of
        ("令和２年４月", "", "not stated", "open", None),
        ("９月～１月", "", "no", "late", 3),  # due 2020-01, not done by 2020-03: 2020-04 - 2020-01
        ("９月～１月", "", "not stated", "not assessable", None),
        ("随時", "令和元年12月4日", "yes", "not assessable", None),
        ("年４回程度", "", "not stated", "not assessable", None),
        ("適宜", "", "no", "not assessable", None),
    ],
)
def test_milestone_rules(planned, actual, done, status, late):
    out = evaluate_milestones(_milestone(planned, actual, done))
    assert out.loc[0, "status"] == status
    if late is None:
        assert out.loc[0, "months_late"] is pd.NA
    else:
        assert out.loc[0, "months_late"] == late


def test_unscheduled_timing_is_flagged_in_the_output():
    out = evaluate_milestones(_milestone("年４回程度", "", "not stated"))
    assert out.loc[0, "planned_kind"] == "unscheduled"
    assert out.loc[0, "planned_flag"]
    assert out.loc[[0], ["planned_start", "planned_end"]].isna().all(axis=None)
    assert "年４回程度" in out.loc[0, "reason"]


def test_as_of_moves_open_to_late():
    frame = _milestone("2年　３月", "", "no")
    assert evaluate_milestones(frame, as_of="2020-02").loc[0, "status"] == "open"
    # Due by the end of March 2020 and not done by the end of the report month.
    out = evaluate_milestones(frame, as_of="2020-03")
    assert (out.loc[0, "status"], out.loc[0, "months_late"]) == ("late", 1)
    out = evaluate_milestones(frame, as_of="令和2年5月")
    # done in June at the earliest: 2020-06 - 2020-03 = 3 months
    assert (out.loc[0, "status"], out.loc[0, "months_late"]) == ("late", 3)
    assert "at least 3 months late" in out.loc[0, "reason"]


def test_continuation_lines_follow_the_schedule(milestones):
    out = evaluate_milestones(milestones).set_index("milestone_id")
    # Report: 31年4月 / ９月 / 2年　３月 and 元年５月～８月 / ９月～１月 / ２月～.
    assert [
        str(p) for p in out.loc["voice_recognition.m1":"voice_recognition.m3", "planned_end"]
    ] == [
        "2019-04",
        "2019-09",
        "2020-03",
    ]
    assert str(out.loc["lgwan.m2", "planned_end"]) == "2020-01"
    assert str(out.loc["lgwan.m3", "planned_start"]) == "2020-02"
    assert out.loc["lgwan.m3", "planned_end"] is pd.NaT


def test_report_milestones(milestones):
    out = evaluate_milestones(milestones).set_index("milestone_id")
    # RPA 中間評価: planned ９月, done 9～10月 -> one month late; the only late step.
    assert out.loc["rpa.m3", "status"] == "late" and out.loc["rpa.m3", "months_late"] == 1
    assert out.index[out["status"] == "late"].tolist() == ["rpa.m3"]
    # The four steps planned 随時, 年４回程度 or 適宜 are not assessable.
    undated = out["planned_timing"].isin(["随時", "年４回程度", "適宜"])
    assert (out.loc[undated, "status"] == "not assessable").all() and undated.sum() == 4
    assert out.loc["common_platform.m2", "status"] == "done on time"
    assert out.loc["common_platform.m1", "status"] == "not assessable"


@pytest.mark.parametrize(
    ("over", "column", "value"),
    [
        ({"done": "done"}, "done", "done"),
        ({"planned_timing": "13月"}, "planned_timing", "13月"),
        ({"actual_timing": "令和２年５月"}, "actual_timing", "令和２年５月"),  # after as_of
        ({"actual_timing": "９月", "done": "no"}, "done", "no"),
        ({"actual_timing": "2月から4月"}, "actual_timing", "2月から4月"),  # ends after as_of
        ({"actual_timing": "13月"}, "actual_timing", "13月"),
        ({"planned_timing": ""}, "planned_timing", ""),
        ({"milestone_id": "lgwan.x0"}, "milestone_id", "lgwan.x0"),  # duplicate
    ],
)
def test_bad_milestone_cells_name_row_column_value(over, column, value):
    first = _milestone("９月", "９月", milestone_id="lgwan.x0")
    frame = pd.concat([first, _milestone("９月", "９月", **over)], ignore_index=True)
    with pytest.raises(EvalkitError) as err:
        evaluate_milestones(frame)
    assert (err.value.row, err.value.column, err.value.value) == (3, column, value)


def test_evaluate_milestones_options_are_checked(milestones):
    with pytest.raises(EvalkitError, match="column 'as_of', value 'soon'"):
        evaluate_milestones(milestones, as_of="soon")
    with pytest.raises(EvalkitError, match="column 'fiscal_year'"):
        evaluate_milestones(milestones, fiscal_year="2019")


# --------------------------------------------------------------------------- platform


def test_platform_progress_from_the_report():
    pp = platform_progress()
    # Report: 利用開始済 ５システム; ４月から９月 ４; 10月から３月 26; 全体 53;
    # "30システムについて、移行が完了" at the end of March.
    assert [str(p) for p in pp["period"]] == ["2019-03", "2019-09", "2020-03"]
    assert pp["planned"].tolist() == [5, 5 + 4, 5 + 4 + 26]
    assert pp["actual"].iloc[0] == 5 and pp["actual"].iloc[2] == 5 + 30
    assert math.isnan(pp["actual"].iloc[1])  # no interim count in the report
    assert (pp["all_systems"] == 53).all()


def test_platform_progress_checks_timing_against_period_end():
    pm = load_platform_migration()
    bad = pm.copy()
    bad.loc[1, "period_end"] = pd.Period("2019-08", "M")
    with pytest.raises(EvalkitError) as err:
        platform_progress(bad)
    assert (err.value.row, err.value.column, err.value.value) == (3, "period_end", "2019-08")


def test_platform_progress_without_a_final_count_has_no_actual():
    pm = load_platform_migration()
    out = platform_progress(pm[pm["kind"] != "migrated"])
    assert out["actual"].iloc[0] == 5 and out["actual"].iloc[1:].isna().all()
    assert out["planned"].tolist() == [5, 9, 35]


def test_platform_bad_cells(tmp_path):
    pm = load_platform_migration()
    bad = pm.astype({"period_end": "str", "systems": "str"})
    bad.loc[2, "systems"] = "-3"
    path = tmp_path / "platform_migration.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(EvalkitError, match=r"platform_migration.csv, row 4, column 'systems'"):
        load_platform_migration(path)
    with pytest.raises(EvalkitError, match=r"row 3, column 'kind', value 'running'"):
        platform_progress(pd.concat([pm.iloc[[0]], pm.iloc[[0]]], ignore_index=True))


# ----------------------------------------------------------------------- compute_actuals options


def test_compute_actuals_passes_confidence_to_both_statistics():
    from scipy import stats
    from statsmodels.stats.proportion import proportion_confint

    from evalkit.datasets import load_minutes_work

    acts = compute_actuals(confidence=0.90, random_state=7)
    # statsmodels proportion_confint(78, 93, alpha=0.10, method="wilson"), in percent.
    low, high = proportion_confint(78, 93, alpha=0.10, method="wilson")
    assert_allclose(acts["voice_recognition.satisfaction_rate"].ci, (100 * low, 100 * high))
    # scipy t interval over the 12 organisation-wide monthly savings, 90 %.
    minutes = load_minutes_work()
    monthly = (minutes["hours_before"] - minutes["hours_after"]).groupby(minutes["month"]).sum()
    ref = stats.t.interval(
        0.90, df=len(monthly) - 1, loc=monthly.mean(), scale=stats.sem(monthly.to_numpy())
    )
    assert_allclose(acts["voice_recognition.mean_saved_per_month"].ci, ref)
    wide = compute_actuals(confidence=0.99, random_state=7)
    for key in ("voice_recognition.satisfaction_rate", "rpa.rate"):
        lo90, hi90 = acts[key].ci
        lo99, hi99 = wide[key].ci
        assert lo99 < lo90 and hi99 > hi90


def test_compute_actuals_makes_the_notebooks_calls_with_their_parameters():
    from evalkit.datasets import load_rpa_trial
    from evalkit.stats.reduction import reduction

    # Notebook 02: reduction(trial, before="hours_before", after="hours_after", unit="task",
    #   period="month", target=reduction_target, confidence=confidence,
    #   random_state=random_state)
    rpa = reduction(
        load_rpa_trial(),
        before="hours_before",
        after="hours_after",
        unit="task",
        period="month",
        target=0.8,
        confidence=0.9,
        random_state=2019,
    )
    acts = compute_actuals(confidence=0.9, reduction_target=0.8, random_state=2019)
    assert acts["rpa.rate"].value == 100 * rpa.rate
    assert_allclose(acts["rpa.rate"].ci, np.multiply(100, rpa.rate_ci), rtol=1e-12)
    assert "target=0.8" in acts["rpa.rate"].source


def test_compute_actuals_records_its_targets_in_percent():
    acts = compute_actuals(random_state=1)
    # 0.70 and 0.80 as the file writes them: 70 and 80 (%), without binary noise.
    assert acts["voice_recognition.satisfaction_rate"].target == 70.0
    assert acts["rpa.rate"].target == 80.0
    assert acts["rpa.saved"].target is None
    other = compute_actuals(satisfaction_target=0.07, reduction_target=0.9, random_state=1)
    assert other["voice_recognition.satisfaction_rate"].target == 7.0
    assert other["rpa.rate"].target == 90.0


def test_a_target_given_to_the_statistics_is_the_one_the_scorecard_judges(indicators):
    acts = compute_actuals(satisfaction_target=0.85, reduction_target=0.90, random_state=1)
    out = evaluate_indicators(indicators, actuals=acts).set_index("indicator_id")
    # 78/93 = 83.87 % against 85 %; the RPA rate (about 84 %) against 90 %.
    row = out.loc["voice_recognition.o3"]
    assert (row["target_value"], row["status"]) == (85.0, "not met")
    assert_allclose(row["margin"], 100 * 78 / 93 - 85)
    assert "the file says 70" in row["reason"]
    assert out.loc["rpa.o2", "status"] == "not met" and out.loc["rpa.o2", "target_value"] == 90
    # With the report's targets the reason does not mention the file.
    same = evaluate_indicators(indicators, actuals=compute_actuals(random_state=1))
    assert not same["reason"].str.contains("file says").any()
    assert same.loc[3, "target_value"] == 70.0


def test_an_actual_with_a_non_finite_target_is_an_error():
    frame = _indicator(actual_source="computed:rpa.rate")
    with pytest.raises(EvalkitError) as err:
        evaluate_indicators(frame, actuals={"rpa.rate": Actual(84.0, "%", None, "", math.nan)})
    assert (err.value.row, err.value.column, err.value.value) == (
        2,
        "actual_source",
        "computed:rpa.rate",
    )


# --------------------------------------------------------------------------- display tables

from evalkit.scorecard import (  # noqa: E402
    INDICATOR_STATUS_LABELS,
    KIND_LABELS,
    MILESTONE_STATUS_LABELS,
    actuals_table,
    milestone_table,
    progress_column,
    progress_table,
    scorecard_kpis,
    scorecard_verdict,
    status_counts,
    target_estimates,
)


@pytest.fixture(scope="module")
def evaluated(indicators, actuals):
    return evaluate_indicators(indicators, actuals=actuals)


@pytest.fixture(scope="module")
def steps(milestones):
    return evaluate_milestones(milestones)


def _judged(direction=">=", actual=83.87, ci=(75.08, 89.97), target=70.0, unit="%"):
    frame = _indicator(
        target_value=target,
        target_direction=direction,
        target_unit=unit,
        actual_unit=unit,
        actual_source="computed:x.y",
    )
    act = Actual(actual, unit, ci)
    return evaluate_indicators(frame, actuals={"x.y": act})


def test_progress_table_has_one_japanese_row_per_indicator(evaluated):
    t = progress_table(evaluated)
    assert len(t) == 21 and list(t.columns[:3]) == ["テーマ", "取組", "区分"]
    assert t["区分"].tolist() == [KIND_LABELS[k] for k in evaluated["kind"]]
    words = [INDICATOR_STATUS_LABELS[s] for s in evaluated["status"]]
    assert [v.split("（")[0] for v in t["達成状況"]] == words
    assert t["指標"].tolist() == evaluated["indicator"].tolist()
    assert t["進捗状況（報告書）"].tolist() == evaluated["actual_text"].tolist()
    qualitative = (evaluated["target_kind"] == "qualitative").to_numpy()
    assert (t.loc[qualitative, "目標"] == "定性的な目標").all()
    assert (t.loc[qualitative, "達成状況"] == "評価不能（定性的な目標）").all()
    assert (t.loc[qualitative, "目標との差"] == "").all()
    src = evaluated["actual_source"]
    assert (
        t.loc[src.str.startswith("computed:").to_numpy(), "実績の出典"] == "データから算出"
    ).all()
    assert (t.loc[(src == "none").to_numpy(), "実績の出典"] == "記載なし").all()


def test_progress_table_figures_are_the_evaluated_ones_rounded(evaluated):
    t = progress_table(evaluated).set_index(evaluated["indicator_id"])
    # 78/93 = 83.870967...% against 70 %; report: 83.87%.
    sat = t.loc["voice_recognition.o3"]
    assert sat["目標"] == "70%以上" and sat["実績"] == "83.9%"
    assert sat["目標との差"] == "+13.9ポイント"
    assert sat["達成状況"] == "達成（信頼区間も目標以上）"
    assert t.loc["common_platform.a1", "実績"] == "30システム"
    assert t.loc["common_platform.a1", "目標との差"] == "±0システム"
    assert t.loc["voice_recognition.a1", "実績"] == "116所属（参考）"
    assert t.loc["rpa.o1", "実績"] == "1,800時間（参考）"  # 1,800時間程度
    assert t.loc["municipal_cloud.a1", "実績"] == ""


@pytest.mark.parametrize(
    ("direction", "actual", "ci", "status"),
    [
        (">=", 83.87, (75.08, 89.97), "達成（信頼区間も目標以上）"),
        (">=", 72.0, (65.0, 79.0), "達成（信頼区間は目標をまたぐ）"),
        (">=", 68.0, (61.0, 75.0), "未達（信頼区間は目標をまたぐ）"),
        (">=", 60.0, (55.0, 65.0), "未達（信頼区間も目標未満）"),
        ("<=", 60.0, (55.0, 65.0), "達成（信頼区間も目標以下）"),
        ("<=", 68.0, (61.0, 75.0), "達成（信頼区間は目標をまたぐ）"),
        ("<=", 72.0, (65.0, 79.0), "未達（信頼区間は目標をまたぐ）"),
        ("<=", 80.0, (75.0, 85.0), "未達（信頼区間も目標超）"),
        ("==", 70.0, (65.0, 75.0), "達成"),
    ],
)
def test_progress_table_says_where_the_interval_lies(direction, actual, ci, status):
    t = progress_table(_judged(direction, actual, ci))
    assert t.loc[0, "達成状況"] == status
    word = {">=": "以上", "<=": "以下", "==": "ちょうど"}[direction]
    assert t.loc[0, "目標"] == f"70%{word}"
    assert t.loc[0, "信頼区間"] == f"{ci[0]:.1f}–{ci[1]:.1f}%"


def test_progress_table_formats_other_units():
    t = progress_table(_judged(actual=62.0, ci=(46.64, 77.36), target=50.0, unit="時間/月"))
    assert t.loc[0, ["目標", "実績", "信頼区間", "目標との差"]].tolist() == [
        "50時間/月以上",
        "62時間/月",
        "46.6–77.4時間/月",
        "+12時間/月",
    ]
    t = progress_table(_judged(actual=28.5, ci=None, target=30.0, unit="システム"))
    assert t.loc[0, ["実績", "信頼区間", "目標との差", "達成状況"]].tolist() == [
        "28.5システム",
        "",
        "−1.5システム",
        "未達",
    ]


def test_display_tables_reject_other_frames(indicators):
    with pytest.raises(EvalkitError, match="evaluate_indicators") as err:
        progress_table(indicators)
    assert err.value.column == "actual"
    with pytest.raises(EvalkitError, match="evaluate_milestones"):
        milestone_table(indicators)
    with pytest.raises(EvalkitError, match="DataFrame"):
        progress_table([1, 2])


def test_display_tables_do_not_mutate(evaluated, steps):
    before_i, before_s = evaluated.copy(), steps.copy()
    progress_table(evaluated)
    milestone_table(steps)
    status_counts(evaluated)
    scorecard_kpis(evaluated)
    progress_column(evaluated, steps)
    pd.testing.assert_frame_equal(evaluated, before_i)
    pd.testing.assert_frame_equal(steps, before_s)


def test_milestone_table_reads_every_report_timing(steps):
    t = milestone_table(steps).set_index(steps["milestone_id"])
    assert t["予定時期（表記）"].tolist() == REPORT_SCHEDULE_TIMINGS
    assert [v for v in t["状況"]] == [MILESTONE_STATUS_LABELS[s] for s in steps["status"]]
    # How the report's timings read (data/scorecard/README.md).
    assert t.loc["voice_recognition.m3", "予定（月）"] == "2020年3月"  # 2年　３月
    assert t.loc["rpa.m1", "予定（月）"] == "2019年5月～6月"  # 元年５～６月
    assert t.loc["common_platform.m2", "予定（月）"] == "2019年10月～2020年3月"  # 10月から３月
    assert t.loc["municipal_services.m1", "予定（月）"] == "～2019年7月"  # 元年７月まで
    assert t.loc["lgwan.m3", "予定（月）"] == "2020年2月～"  # ２月～
    assert t.loc["rpa.m2", "実施（月）"] == "2019年7月～"  # 7月～
    assert t.loc["municipal_cloud.m3", "実施（月）"] == "2019年12月"  # 令和元年12月4日
    assert (t.loc[t["遅れ"] != "", "遅れ"] == "1か月").all()
    assert t.index[t["遅れ"] != ""].tolist() == ["rpa.m3"]
    assert t.loc["rpa.m3", "注記"] == "期限 2019年9月、実施 2019年10月"


def test_milestone_table_shows_flagged_timings_explicitly(steps):
    t = milestone_table(steps).set_index(steps["milestone_id"])
    undated = steps["planned_kind"].eq("unscheduled").to_numpy()
    assert undated.sum() == 4
    assert (t.loc[undated, "予定（月）"] == "").all()
    assert t.loc[undated, "注記"].str.contains("日付でない表記").all()
    # 令和元年４月 is before 令和 began: read as April 2019 and said so.
    note = t.loc["municipal_cloud.m1", "注記"]
    assert "令和元年4月は改元（2019年5月1日）前の表記" in note and "2019年4月として読む" in note
    assert "時期の記載がなく" in t.loc["common_platform.m1", "注記"]
    assert "報告書に実施の記載なし" in t.loc["admin_services.m2", "注記"]


def test_milestone_table_late_not_done_and_open_steps():
    frame = pd.concat(
        [
            _milestone("９月～１月", "", "no", milestone_id="lgwan.x1"),
            _milestone("令和２年４月", "", "no", milestone_id="lgwan.x2"),
        ],
        ignore_index=True,
    )
    t = milestone_table(evaluate_milestones(frame))
    # due 2020-01, not done by the end of 2020-03: at least 2020-04 - 2020-01 = 3 months
    assert t.loc[0, ["状況", "遅れ"]].tolist() == ["遅れ", "3か月以上"]
    assert t.loc[0, "注記"] == "報告時点で未実施；期限 2020年1月、未実施"
    assert t.loc[1, ["状況", "遅れ", "注記"]].tolist() == ["未了", "", "報告時点で未実施"]


def test_status_counts_against_plain_counting(evaluated, steps):
    from collections import Counter

    for frame, labels in ((evaluated, INDICATOR_STATUS_LABELS), (steps, MILESTONE_STATUS_LABELS)):
        table = status_counts(frame)
        pairs = Counter(zip(frame["initiative"], frame["status"], strict=True))
        for name in frame["initiative"].unique():
            for status, label in labels.items():
                assert table.loc[name, label] == pairs[(name, status)]
            assert table.loc[name, "合計"] == (frame["initiative"] == name).sum()
        totals = Counter(frame["status"])
        assert table.loc["合計", "合計"] == len(frame)
        assert {label: table.loc["合計", label] for label in labels.values()} == {
            labels[s]: totals[s] for s in labels
        }
        assert list(table.columns) == [*labels.values(), "合計"]
        assert table.index.tolist() == [*frame["initiative"].unique(), "合計"]
    # The report: 3 numeric targets met, 18 qualitative; steps 12 / 1 / 0 / 6.
    assert status_counts(evaluated).loc["合計"].tolist() == [3, 0, 18, 21]
    assert status_counts(steps).loc["合計"].tolist() == [12, 1, 0, 6, 19]


def test_status_counts_rejects_an_unknown_status(steps):
    bad = steps.copy()
    bad.loc[4, "status"] = "done"
    with pytest.raises(EvalkitError) as err:
        status_counts(bad)
    assert (err.value.row, err.value.column, err.value.value) == (6, "status", "done")


def test_target_estimates_are_proportions_for_percent_targets(evaluated, actuals):
    est = target_estimates(evaluated)
    assert est["metric"].tolist() == [
        "音声認識技術の導入\n利用所属における満足度：70％以上",
        "RPAの試行導入\n業務削減時間：80％以上",
    ]
    sat, rpa = actuals["voice_recognition.satisfaction_rate"], actuals["rpa.rate"]
    assert_allclose(est["value"], [sat.value / 100, rpa.value / 100], rtol=1e-12)
    assert_allclose(est[["ci_low", "ci_high"]].to_numpy(), np.divide([sat.ci, rpa.ci], 100))
    assert est["target"].tolist() == [0.7, 0.8]
    assert (est["unit"] == "ratio").all()
    activity = target_estimates(evaluated, kind="activity")
    assert activity[["value", "target", "unit"]].values.tolist() == [[30.0, 30.0, "システム"]]
    assert math.isnan(activity.loc[0, "ci_low"])


def test_target_estimates_errors(evaluated):
    with pytest.raises(EvalkitError, match="column 'kind', value 'output'"):
        target_estimates(evaluated, kind="output")
    with pytest.raises(EvalkitError) as err:
        target_estimates(evaluated, kind=None)  # % and システム on one axis
    assert (err.value.row, err.value.column, err.value.value) == (11, "target_unit", "システム")
    with pytest.raises(EvalkitError) as err:
        target_estimates(_judged("<=", 60.0, (55.0, 65.0)))
    assert (err.value.row, err.value.column, err.value.value) == (2, "target_direction", "<=")
    with pytest.raises(EvalkitError, match="no numeric outcome indicator"):
        target_estimates(evaluate_indicators(load_indicators()).iloc[:3])


def test_actuals_table(actuals):
    t = actuals_table(actuals)
    assert t["name"].tolist() == list(actuals)
    for row in t.itertuples(index=False):
        act = actuals[row.name]
        assert row.value == act.value and row.unit == act.unit and row.source == act.source
        if act.ci is None:
            assert math.isnan(row.ci_low) and math.isnan(row.ci_high)
        else:
            assert (row.ci_low, row.ci_high) == act.ci
    assert actuals_table({"x": 3})["value"].tolist() == [3.0]
    with pytest.raises(EvalkitError, match="column 'x', value 'three'"):
        actuals_table({"x": "three"})
    with pytest.raises(EvalkitError, match="mapping"):
        actuals_table([1.0])


# --------------------------------------------------------------------------- key figures


def test_scorecard_kpis_one_row_per_indicator(evaluated):
    from evalkit.report.kpis import KPI_COLUMNS

    k = scorecard_kpis(evaluated)
    assert list(k.columns) == KPI_COLUMNS and len(k) == len(evaluated)
    assert k["initiative"].tolist() == evaluated["initiative"].tolist()
    assert k["indicator"].tolist() == evaluated["indicator"].tolist()
    numeric = (evaluated["target_kind"] == "numeric").to_numpy()
    # Qualitative indicators carry no value and no verdict.
    assert k.loc[~numeric, "value"].isna().all()
    assert k.loc[~numeric, ["met", "met_confidently", "reproduced"]].isna().all(axis=None)
    # Numeric ones: the scorecard's figures, % as proportions, the same verdict.
    scale = np.where(evaluated.loc[numeric, "target_unit"] == "%", 100.0, 1.0)
    assert_allclose(k.loc[numeric, "value"], evaluated.loc[numeric, "actual"] / scale)
    assert_allclose(k.loc[numeric, "target"], evaluated.loc[numeric, "target_value"] / scale)
    assert k.loc[numeric, "met"].tolist() == (evaluated.loc[numeric, "status"] == "met").tolist()
    assert k.loc[numeric, "unit"].tolist() == ["ratio", "ratio", "systems"]
    assert k.loc[numeric, "direction"].tolist() == [">=", ">=", ">="]


def test_scorecard_kpis_agree_with_the_notebooks_statistics():
    from evalkit.datasets import load_rpa_trial, load_satisfaction_survey
    from evalkit.stats.reduction import reduction
    from evalkit.stats.satisfaction import satisfaction_rate

    # The kpi rows of notebooks 01 and 02 hold these results' rate and CI.
    sat = satisfaction_rate(load_satisfaction_survey(), answers="answer", target=0.7)
    rpa = reduction(
        load_rpa_trial(),
        before="hours_before",
        after="hours_after",
        unit="task",
        target=0.8,
        confidence=0.95,
        random_state=2019,
    )
    acts = compute_actuals(confidence=0.95, random_state=2019)
    k = scorecard_kpis(evaluate_indicators(load_indicators(), actuals=acts))
    assert_allclose(k.loc[3, ["value", "ci_low", "ci_high"]].astype(float), [sat.rate, *sat.ci])
    assert_allclose(
        k.loc[8, ["value", "ci_low", "ci_high"]].astype(float), [rpa.rate, *rpa.rate_ci]
    )
    assert bool(k.loc[3, "met_confidently"]) == sat.meets_target_confidently
    assert bool(k.loc[8, "met_confidently"]) == rpa.meets_target_confidently


def test_scorecard_kpis_published_figures(evaluated):
    # Report: 満足度 83.87% (two decimals); 削減割合は84%程度 (whole percent).
    k = scorecard_kpis(evaluated, published={"voice_recognition.o3": (83.87, 2), "rpa.o2": [84, 0]})
    assert_allclose(k.loc[[3, 8], "published"], [0.8387, 0.84])
    assert k.loc[[3, 8], "reproduced"].tolist() == [True, True]
    k = scorecard_kpis(evaluated, published={"voice_recognition.o3": (83.88, 2)})
    assert k.loc[3, "reproduced"] == False  # noqa: E712 (a pandas boolean)
    assert k["published"].notna().sum() == 1


@pytest.mark.parametrize(
    ("published", "value"),
    [
        ({"rpa.o9": (84, 0)}, "rpa.o9"),
        ({"rpa.o2": 84}, 84),
        ({"rpa.o2": (84, 0.5)}, (84, 0.5)),
        ({"rpa.o2": ("84", 0)}, ("84", 0)),
        ({"rpa.o1": (1800, -2)}, "rpa.o1"),  # qualitative: no value to compare
    ],
)
def test_scorecard_kpis_bad_published(evaluated, published, value):
    with pytest.raises(EvalkitError) as err:
        scorecard_kpis(evaluated, published=published)
    assert (err.value.column, err.value.value) == ("published", value)


def test_scorecard_kpis_exact_target_has_no_kpi_verdict():
    out = _judged("==", 70.0, (65.0, 75.0))
    k = scorecard_kpis(out)
    assert k.loc[0, "value"] == 0.7 and math.isnan(k.loc[0, "target"])
    assert k.loc[0, "met"] is pd.NA and out.loc[0, "status"] == "met"


# --------------------------------------------------------------------------- summaries


def test_scorecard_verdict_counts(evaluated, steps):
    text = scorecard_verdict(evaluated, steps)
    numeric = evaluated[evaluated["target_kind"] == "numeric"]
    confident = numeric["met_confidently"].fillna(False).sum()
    n_steps = steps["status"].value_counts()
    n_met = (numeric["status"] == "met").sum()
    n_qual = len(evaluated) - len(numeric)
    expected = [
        f"7取組・指標{len(evaluated)}件のうち数値目標は{len(numeric)}件："
        f"達成{n_met}件（うち信頼区間も目標を満たすもの{confident}件）、未達0件。",
        f"定性的な目標{n_qual}件は達成・未達を判定せず、報告書の記載と参考値を示した。",
        f"スケジュールの工程{len(steps)}件：期限内に実施{n_steps['done on time']}件、"
        f"遅れ{n_steps['late']}件（最大1か月）、未了0件、評価不能{n_steps['not assessable']}件"
        "（うち予定時期が日付でない表記4件）。",
    ]
    assert text.splitlines() == expected


def test_progress_column_covers_every_initiative_step_and_indicator(evaluated, steps):
    text = progress_column(evaluated, steps)
    for theme in ("### 庁内のＩＴ化推進", "### 市町村のＩＴ化支援"):
        assert text.count(theme + "\n") == 1
    for ini in INITIATIVES:
        assert text.count(f"#### ■{ini.name}\n") == 1
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == len(steps) + len(evaluated)
    quotes = [line for line in text.splitlines() if line.startswith("    - 報告書：")]
    assert len(quotes) == len(evaluated)
    assert "- ○中間評価：予定 ９月 → 実施 9～10月　**遅れ**（1か月）" in text
    assert "- ・事例紹介等の説明会の開催：予定 適宜　**評価不能**" in text
    assert "**達成**（信頼区間も目標以上）　実績 83.9%" in text
    # ASCII ~ in 31年４月~５月 is escaped, so Markdown does not read it as markup.
    assert "予定 31年４月\\~５月" in text


def test_progress_column_escapes_markup_in_quoted_text():
    frame = _indicator(actual_text="*重要* [注] <b>x</b>_y_ #1 | a")
    text = progress_column(evaluate_indicators(frame), evaluate_milestones(_milestone("９月")))
    assert r"報告書：\*重要\* \[注\] \<b\>x\</b\>\_y\_ \#1 \| a" in text


# --------------------------------------------------------------------------- chart


def test_plot_milestones_draws_every_step(steps):
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes

    ax = plots.milestones(steps, as_of="2020-03")
    assert isinstance(ax, Axes)
    n_initiatives = steps["initiative"].nunique()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == len(steps) + n_initiatives
    assert [x for x in labels if x] == [
        f"{s}（{p}）" for s, p in zip(steps["step"], steps["planned_timing"], strict=True)
    ]
    texts = [t.get_text() for t in ax.texts]
    for ini in INITIATIVES:
        assert f"■{ini.name}" in texts
    status_words = [t for t in texts if t in MILESTONE_STATUS_LABELS.values() or "か月" in t]
    assert len(status_words) == len(steps)
    assert "遅れ 1か月" in status_words
    assert sum("は日付でない" in t for t in texts) == 4
    assert ax.get_xlabel() == "月（報告時点：2020年3月末）"
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0] == "4月\n2019" and ticks[-1] == "3月" and len(ticks) == 12
    fig, given = plt.subplots()
    assert plots.milestones(steps, ax=given) is given


def test_plot_milestones_errors(steps):
    with pytest.raises(EvalkitError, match="column 'as_of', value 'soon'"):
        plots.milestones(steps, as_of="soon")
    with pytest.raises(EvalkitError, match="evaluate_milestones"):
        plots.milestones(steps.drop(columns="status"))
    with pytest.raises(EvalkitError, match="no steps"):
        plots.milestones(steps.iloc[:0])
    with pytest.raises(EvalkitError, match="ax must be a matplotlib Axes"):
        plots.milestones(steps, ax="axes")


def test_compute_actuals_with_fiscal_year_averages_over_its_twelve_months():
    import pandas as pd

    from evalkit.datasets import load_minutes_work

    minutes = load_minutes_work()
    no_august = minutes[minutes["month"] != pd.Period("2019-08", freq="M")]
    over_window = compute_actuals(minutes=no_august, fiscal_year=2019, random_state=1)
    present_only = compute_actuals(minutes=no_august, random_state=1)
    saved = (no_august["hours_before"] - no_august["hours_after"]).sum()
    # plain arithmetic: the year's saved hours over 12 months, or over the 11 present
    got = over_window["voice_recognition.mean_saved_per_month"].value
    assert abs(got - saved / 12) < 1e-9
    assert abs(present_only["voice_recognition.mean_saved_per_month"].value - saved / 11) < 1e-9


# --------------------------------------------------------------------------- file rows

import csv  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402


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


# --------------------------------------------------------------------------- transcription

# The report the files are transcribed from (tests/reference/README.md).
REPORT_TEXT = Path(__file__).parents[1] / "reference" / "fy2019_it_progress_report.txt"


def _progress_cells() -> list[list[str]]:
    """The report's progress columns (進捗状況): the text cells that hold ○ items.

    In the extracted text a cell starts with a line that starts with a tab;
    only the two progress columns have lines starting with ○.
    """
    cells: list[list[str]] = [[]]
    for line in REPORT_TEXT.read_text(encoding="utf-8").splitlines():
        if line.startswith("\t"):
            cells.append([])
        cells[-1].append(line)
    return [c for c in cells if any(line.startswith("○") for line in c)]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _file_text() -> str:
    from evalkit.datasets import data_path

    parts = []
    for name in ("fy2019_indicators.csv", "fy2019_milestones.csv", "platform_migration.csv"):
        parts.append(data_path("scorecard", name).read_text(encoding="utf-8"))
    return _squash("\n".join(parts))


def test_every_progress_item_of_the_report_is_in_the_files():
    # Report: the ○ lines of the two 進捗状況 columns, counted by hand:
    # 3 + 4 + 2 + 2 under 庁内のＩＴ化推進, 1 + 5 + 5 under 市町村のＩＴ化支援.
    items = [line for cell in _progress_cells() for line in cell if line.startswith("○")]
    assert len(items) == (3 + 4 + 2 + 2) + (1 + 5 + 5)
    assert (
        "○令和２年度参加予定のシステムについては、システム移行に伴う予算要求等を支援するとともに、"
        in items[8]
    )
    files = _file_text()
    # The files drop the ○ mark (data/scorecard/README.md) and join lines with spaces.
    missing = [line for line in items if _squash(line.removeprefix("○")) not in files]
    assert missing == []


def test_every_line_of_the_progress_columns_is_quoted_with_its_bullet():
    # Every line of the progress columns but the headings (■..., （目標の達成状況など）)
    # is in the files as written, ・ and ⇒ included (only ○ is dropped).
    files = _file_text()
    lines = [
        _squash(line).removeprefix("○")
        for cell in _progress_cells()
        for line in cell
        if _squash(line) and not _squash(line).startswith(("■", "（目標の達成状況など）"))
    ]
    assert sum(line.startswith("・") for line in lines) == 8
    assert [line for line in lines if line not in files] == []


def test_quoted_statements_follow_one_convention(indicators, milestones):
    # ○ is dropped, ・ kept: no quoted statement starts with ○, and every
    # statement the report opens with ・ (・職員の業務効率の向上, ・導入拡大を見据えた運用検討 ...)
    # starts with it in the file.
    texts = pd.concat([indicators["actual_text"], milestones["progress_text"]])
    assert not texts.str.contains("○").any()
    bulleted = {
        _squash(line).split("⇒")[0]
        for cell in _progress_cells()
        for line in cell
        if line.startswith("・")
    }
    for text in texts[texts != ""]:
        head = _squash(text).removeprefix("・")
        for b in bulleted:
            if head.startswith(b.removeprefix("・")):
                assert _squash(text).startswith("・"), text


def test_rpa_a2_is_not_given_a_statement_that_does_not_address_it(indicators):
    # Report, RPA progress: ・導入拡大を見据えた運用検討 (selection policy, roles,
    # business cycle), ・追加適用候補となる業務の選定, ・ＲＰＡ導入による業務効率化;
    # nothing on 実運用上での課題の抽出と解決.
    row = indicators.set_index("indicator_id").loc["rpa.a2"]
    assert (row["actual_source"], row["actual_text"]) == ("none", "")
    assert "states nothing" in row["note"]
    a1 = indicators.set_index("indicator_id").loc["rpa.a1", "actual_text"]
    assert a1.startswith("・導入拡大を見据えた運用検討 ⇒")


# --------------------------------------------------------------------------- whole-year actuals


@pytest.mark.parametrize(
    ("planned", "actual", "status", "late"),
    [
        # 令和元年度 = 2019-04..2020-03 contains the deadline 2019-09
        ("９月", "令和元年度", "not assessable", None),
        ("９月", "元年", "not assessable", None),  # 元年 = 2019-05..2019-12
        ("元年７月まで", "元年", "not assessable", None),
        ("10月から３月", "令和元年度", "done on time", 0),  # ends by the deadline 2020-03
        ("2年　３月", "元年", "done on time", 0),  # 2019-12 <= 2020-03
        ("31年4月", "元年", "late", 1),  # 2019-05 at the earliest: 2019-05 - 2019-04
    ],
)
def test_a_whole_year_as_actual_timing_does_not_make_a_step_late(planned, actual, status, late):
    out = evaluate_milestones(_milestone(planned, actual, "yes"))
    assert out.loc[0, "status"] == status
    assert out.loc[0, "actual_kind"] in ("year", "fiscal_year")
    if late is None:
        assert out.loc[0, "months_late"] is pd.NA
        assert "contains the deadline" in out.loc[0, "reason"]
        note = milestone_table(out).loc[0, "注記"]
        assert "年・年度単位" in note and "判断できない" in note
    else:
        assert out.loc[0, "months_late"] == late
    if status == "late":
        assert milestone_table(out).loc[0, "遅れ"] == "1か月以上"


def test_a_whole_year_after_the_report_month_is_an_error():
    with pytest.raises(EvalkitError) as err:
        evaluate_milestones(_milestone("2年　３月", "令和２年度", "yes"))
    assert (err.value.row, err.value.column, err.value.value) == (2, "actual_timing", "令和２年度")


# --------------------------------------------------------------------------- load-time checks


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


# --------------------------------------------------------------------------- units


def test_units_are_compared_after_nfkc():
    # ％ (full width) and % are the same unit; so are ／ and /.
    frame = _indicator(target_unit="％", actual_unit="%", actual_source="computed:rpa.rate")
    out = evaluate_indicators(frame, actuals={"rpa.rate": Actual(84.0, "％")})
    assert (out.loc[0, "target_unit"], out.loc[0, "status"], out.loc[0, "margin"]) == (
        "%",
        "met",
        4.0,  # 84 - 80
    )
    # read as a percentage: 84 % is the proportion 0.84
    assert scorecard_kpis(out).loc[0, "value"] == pytest.approx(0.84)
    assert progress_table(out).loc[0, "実績"] == "84.0%"
    hours = _indicator(
        target_kind="qualitative",
        target_value=np.nan,
        target_direction="",
        target_unit="",
        actual_unit="時間／月",
        actual_source="computed:x.h",
    )
    out = evaluate_indicators(hours, actuals={"x.h": Actual(62.0, "時間/月")})
    assert out.loc[0, "actual"] == 62.0


def test_confidence_verdicts_use_the_shared_tolerance():
    from evalkit.scorecard import _interval_words

    # 0.1 + 0.7 is 0.7999999999999999 in binary: equal to a target of 0.8 in decimals
    assert _interval_words(0.1 + 0.7, 0.9, 0.8, ">=") == "信頼区間も目標以上"
    assert _interval_words(0.5, 0.1 + 0.7, 0.8, ">=") == "信頼区間は目標をまたぐ"
    assert _interval_words(0.7, 0.79, 0.8, ">=") == "信頼区間も目標未満"
