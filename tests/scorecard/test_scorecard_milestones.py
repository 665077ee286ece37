"""Tests of evalkit.scorecard.milestones: evaluate_milestones, on time, late, open."""

from __future__ import annotations

import pandas as pd
import pytest
from scorecard_helpers import _milestone

from evalkit.errors import EvalkitError
from evalkit.scorecard import (
    evaluate_milestones,
    milestone_table,
)


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


# ---------------------------------------------------------- whole-year actuals


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
