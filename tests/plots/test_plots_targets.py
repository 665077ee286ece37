"""Tests of evalkit.plots.targets: likert and estimate_vs_target, from tidy data and results."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.collections import PathCollection
from matplotlib.patches import Rectangle
from numpy.testing import assert_allclose
from plots_helpers import JA4, JA5, _scatter, render

from evalkit import plots
from evalkit.errors import EvalkitError

# --------------------------------------------------------------------------- likert


def _segments(ax):
    """Bar segments per row (y centre -> list of (left, width)), in drawing order."""
    rows = {}
    for p in ax.patches:
        if isinstance(p, Rectangle):
            y = round(p.get_y() + p.get_height() / 2, 6)
            rows.setdefault(y, []).append((p.get_x(), p.get_width()))
    return rows


def test_likert_percentages_centre_and_legend(survey):
    ax = plots.likert(survey, answers="answer")
    blank = survey["answer"].isna() | (survey["answer"] == "")
    counts = survey.loc[~blank, "answer"].value_counts().reindex(JA5, fill_value=0)
    pct = 100 * counts / counts.sum()
    (segments,) = _segments(ax).values()
    # drawn from the most negative to the most positive category
    drawn = pct[::-1]
    drawn = drawn[drawn > 0]
    assert_allclose([w for _, w in segments], drawn.to_numpy())
    # the neutral category straddles zero symmetrically
    neutral = pct["どちらともいえない"]
    lefts = dict(zip(drawn.index, [x for x, _ in segments], strict=True))
    assert_allclose(lefts["どちらともいえない"], -neutral / 2)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == JA5
    assert ax.get_title() == f"回答の分布（n={counts.sum()}、無回答 {blank.sum()}）"
    labels = {t.get_text() for t in ax.texts}
    assert f"{pct['満足']:.0f}%" in labels
    assert f"{pct[['大変満足', '満足']].sum():.1f}%" in labels
    assert f"{pct[['不満', '大変不満']].sum():.1f}%" in labels


def test_likert_four_point_scale_centred_between_the_halves():
    answers = ["大変満足"] * 2 + ["満足"] * 3 + ["不満"] * 4 + ["大変不満"] * 1
    ax = plots.likert(answers=answers, scale="ja4")
    (segments,) = _segments(ax).values()
    # drawn 大変不満, 不満, 満足, 大変満足: the positive half starts at 0
    assert_allclose([w for _, w in segments], [10, 40, 30, 20])
    assert_allclose(segments[2][0], 0.0)
    assert_allclose(segments[0][0], -50.0)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == JA4


def test_likert_groups_report_their_n_and_blanks(survey):
    ax = plots.likert(survey, answers="answer", by="bureau")
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0].startswith("全体\n")
    for tick in ticks[1:]:
        name = tick.split("\n")[0]
        group = survey.loc[survey["bureau"] == name, "answer"]
        blank = int((group.isna() | (group == "")).sum())
        assert tick == f"{name}\nn={len(group) - blank}・無回答{blank}"
    assert {t.split("\n")[0] for t in ticks[1:]} == set(survey["bureau"])


def test_likert_normalises_answers_with_the_scale():
    ax = plots.likert(answers=[" 満足 ", "普通", "とても不満", None], scale="ja5")
    assert ax.get_title() == "回答の分布（n=3、無回答 1）"


def test_likert_custom_scale_and_all_shown():
    ax = plots.likert(answers=["はい", "いいえ", "はい"], scale=["はい", "いいえ"])
    (segments,) = _segments(ax).values()
    assert_allclose([w for _, w in segments], [100 / 3, 200 / 3])


def test_likert_answer_off_the_scale_names_row_column_value(survey):
    bad = survey.astype({"answer": object})
    bad.loc[4, "answer"] = "とても良い"
    bad.attrs["source"] = "satisfaction_survey.csv"
    with pytest.raises(EvalkitError) as err:
        plots.likert(bad, answers="answer")
    assert str(err.value).startswith(
        "satisfaction_survey.csv, row 6, column 'answer', value 'とても良い'"
    )


def test_likert_errors(survey):
    with pytest.raises(EvalkitError, match="every answer is blank"):
        plots.likert(answers=[None, "", " "])
    bad = survey.astype({"bureau": object})
    bad.loc[2, "bureau"] = None
    with pytest.raises(EvalkitError, match="row 4, column 'bureau', value None"):
        plots.likert(bad, answers="answer", by="bureau")
    with pytest.raises(EvalkitError, match="by has 2 values but answers has 3"):
        plots.likert(answers=["満足"] * 3, by=["A", "B"])
    with pytest.raises(EvalkitError, match="unknown scale"):
        plots.likert(answers=["満足"], scale="ja7")
    with pytest.raises(EvalkitError):
        plots.likert(survey, answers=["満足"])
    with pytest.raises(EvalkitError, match="no answers"):
        plots.likert(answers=[])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(JA5 + [None]), min_size=1, max_size=40))
def test_likert_segments_always_add_to_100_and_centre(answers):
    if all(a is None for a in answers):
        return
    ax = plots.likert(answers=answers)
    (segments,) = _segments(ax).values()
    assert_allclose(sum(w for _, w in segments), 100.0)
    valid = [a for a in answers if a is not None]
    neg = 100 * sum(a in ("不満", "大変不満") for a in valid) / len(valid)
    neutral = 100 * valid.count("どちらともいえない") / len(valid)
    assert_allclose(segments[0][0], -(neg + neutral / 2), atol=1e-9)
    plt.close("all")


# --------------------------------------------------------------------------- estimate_vs_target


def test_estimate_vs_target_percent_axis_targets_and_verdicts(estimates):
    ax = plots.estimate_vs_target(estimates)
    assert ax.get_xlim() == (0.0, 1.0)
    assert ax.xaxis.get_major_formatter()(0.7, 0) == "70%"
    assert ax.get_xlabel() == "割合（%）"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["満足度", "削減率", "参考"]
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("83.9%（信頼区間 75.0–90.0%） 目標達成") for t in texts)
    assert any(t.startswith("62.0%（信頼区間 55.0–69.0%） 目標未達") for t in texts)
    assert "50.0%" in texts  # no target, no verdict
    # a dashed target line on each row that has a target
    segments = [c for c in ax.collections if not isinstance(c, PathCollection)]
    dashed = [s for c in segments if c.get_linestyle()[0][1] for s in c.get_segments()]
    assert_allclose([s[0, 0] for s in dashed], [0.7, 0.7])
    assert not [line for line in ax.lines if line.get_linestyle() == "--"]
    # met and not met differ by marker shape as well as colour
    met, not_met = (c for c in _scatter(ax)[:2])
    assert not np.array_equal(met.get_paths()[0].vertices, not_met.get_paths()[0].vertices)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["達成（信頼区間も目標以上）", "未達", "目標なし"]


def test_estimate_vs_target_one_line_for_a_shared_target():
    df = pd.DataFrame({"metric": ["a", "b"], "value": [0.9, 0.5], "target": [0.7, 0.7]})
    ax = plots.estimate_vs_target(df)
    (target_line,) = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert_allclose(target_line.get_xdata(), [0.7, 0.7])
    assert "目標 70.0%" in {t.get_text() for t in ax.texts}


def test_estimate_vs_target_met_but_interval_crosses_target():
    df = pd.DataFrame(
        {
            "metric": ["削減率"],
            "value": [0.84],
            "ci_low": [0.78],
            "ci_high": [0.89],
            "target": [0.8],
        }
    )
    ax = plots.estimate_vs_target(df, labels=["RPA 削減率"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["RPA 削減率"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["達成（信頼区間は目標をまたぐ）"]
    (marker,) = _scatter(ax)
    assert_allclose(marker.get_facecolor()[0][:3], [1.0, 1.0, 1.0])  # hollow


def test_estimate_vs_target_frame_verdict_ignores_floating_point_noise():
    # (2.4 - 0.48 + 7.1 - 1.42) / 9.5 is exactly 80 % in decimals, 0.7999999999999999 in
    # binary; within a relative 1e-9 of the target counts as equal (evalkit._compare)
    rate = (2.4 - 0.48 + 7.1 - 1.42) / 9.5
    df = pd.DataFrame(
        {"metric": ["削減率"], "value": [rate], "ci_low": [rate], "ci_high": [0.9], "target": [0.8]}
    )
    ax = plots.estimate_vs_target(df)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["達成（信頼区間も目標以上）"]


def test_estimate_vs_target_different_targets_get_their_own_lines():
    df = pd.DataFrame({"metric": ["a", "b"], "value": [0.9, 0.5], "target": [0.8, 0.7]})
    ax = plots.estimate_vs_target(df)
    segments = [c for c in ax.collections if not isinstance(c, PathCollection)]
    xs = sorted(seg[0][0, 0] for c in segments for seg in [c.get_segments()])
    assert_allclose(xs, [0.7, 0.8])
    assert {"目標 80.0%", "目標 70.0%"} <= {t.get_text() for t in ax.texts}


def test_estimate_vs_target_plain_axis_for_non_ratios():
    df = pd.DataFrame(
        {
            "metric": ["月平均削減"],
            "value": [62.0],
            "ci_low": [47.0],
            "ci_high": [77.0],
            "target": [50.0],
        }
    )
    ax = plots.estimate_vs_target(df)
    assert ax.get_xlabel() == "値"
    assert ax.get_xlim()[1] > 77


def test_estimate_vs_target_errors(estimates):
    with pytest.raises(EvalkitError, match="labels must be a sequence of 3"):
        plots.estimate_vs_target(estimates, labels=["a"])
    with pytest.raises(EvalkitError, match="got dict"):
        plots.estimate_vs_target({"rate": 0.8})
    with pytest.raises(EvalkitError, match="row 1, value 'float'"):
        plots.estimate_vs_target([0.8])
    bad = estimates.copy()
    bad.loc[1, "value"] = 0.9
    with pytest.raises(EvalkitError, match="row 3, column 'value', value 0.9"):
        plots.estimate_vs_target(bad)
    bad = estimates.astype({"target": object})
    bad.loc[0, "target"] = "七割"
    with pytest.raises(EvalkitError, match="row 2, column 'target', value '七割'"):
        plots.estimate_vs_target(bad)
    with pytest.raises(EvalkitError, match="column 'metric'"):
        plots.estimate_vs_target(estimates.drop(columns="metric"))


# --------------------------------------------------------------------------- evalkit results


def test_likert_and_estimate_take_a_satisfaction_result(survey_result, voice_result):
    ax = plots.likert(survey_result)
    (segments,) = _segments(ax).values()
    counts = survey_result.counts
    pct = 100 * counts / counts.sum()
    assert_allclose([w for _, w in segments], pct[::-1][pct[::-1] > 0].to_numpy())
    assert ax.get_title() == (
        f"回答の分布（n={survey_result.n}、無回答 {survey_result.n_missing}）"
    )
    render(ax)
    ax = plots.estimate_vs_target([survey_result, voice_result])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [f"満足度（n={survey_result.n}）", f"削減率（n={voice_result.n}）"]
    offsets = [c.get_offsets()[0, 0] for c in _scatter(ax)]
    assert_allclose(offsets, [survey_result.rate, voice_result.rate])
    low, high = survey_result.ci
    assert any(f"95%信頼区間 {100 * low:.1f}–{100 * high:.1f}%" in t.get_text() for t in ax.texts)
    render(ax)


def test_estimate_uses_the_metric_the_reduction_target_refers_to(units):
    from evalkit.stats.reduction import reduction

    res = reduction(
        units,
        before="hours_before",
        after="hours_after",
        unit="department",
        period="month",
        target=100.0,
        target_metric="mean_saved_per_period",
        random_state=0,
    )
    ax = plots.estimate_vs_target(res)
    (marker,) = _scatter(ax)
    assert_allclose(marker.get_offsets()[0, 0], res.mean_saved_per_period)
    assert ax.get_xlabel() == "削減量（時間）"
    render(ax)
