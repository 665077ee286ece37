"""Tests of evalkit.scorecard.tables: the Japanese tables, status counts, chart frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scorecard_helpers import REPORT_SCHEDULE_TIMINGS, _judged, _milestone

from evalkit.errors import EvalkitError
from evalkit.scorecard import (
    INDICATOR_STATUS_LABELS,
    KIND_LABELS,
    MILESTONE_STATUS_LABELS,
    actuals_table,
    evaluate_indicators,
    evaluate_milestones,
    load_indicators,
    milestone_table,
    progress_column,
    progress_table,
    scorecard_kpis,
    status_counts,
    target_estimates,
)


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


def test_confidence_verdicts_use_the_shared_tolerance():
    from evalkit.scorecard.tables import _interval_words

    # 0.1 + 0.7 is 0.7999999999999999 in binary: equal to a target of 0.8 in decimals
    assert _interval_words(0.1 + 0.7, 0.9, 0.8, ">=") == "信頼区間も目標以上"
    assert _interval_words(0.5, 0.1 + 0.7, 0.8, ">=") == "信頼区間は目標をまたぐ"
    assert _interval_words(0.7, 0.79, 0.8, ">=") == "信頼区間も目標未満"
