"""Tests of evalkit.plots.causal: event_study and its, from results and frames."""

import copy
import types
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.colors import to_hex
from numpy.testing import assert_allclose
from plots_helpers import IPAEX, _scatter, event_study_frame, its_frame, render, visible_texts

from evalkit import plots
from evalkit.errors import EvalkitError
from evalkit.stats.its import its as fit_its

# --------------------------------------------------------------------------- data


@pytest.fixture
def es_frame():
    return event_study_frame()


@pytest.fixture
def es_result(es_frame):
    # the fields of evalkit.did's DidResult that the chart reads
    return types.SimpleNamespace(
        event_study=es_frame, confidence=0.95, pretrend_pvalue=0.4, att=-1.0
    )


@pytest.fixture
def its_result():
    return fit_its(its_frame(), outcome="hours", period="month", intervention="2019-10")


def _charts(es_result, its_result):
    return {
        "event_study": (plots.event_study, es_result),
        "event_study_frame": (plots.event_study, es_result.event_study),
        "its": (plots.its, its_result),
    }


@pytest.fixture(params=["event_study", "event_study_frame", "its"])
def chart(request, es_result, its_result):
    return request.param, *_charts(es_result, its_result)[request.param]


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def _note(ax):
    return next(t.get_text() for t in ax.texts if t.get_text() != "導入")


# --------------------------------------------------------------------------- contract


def test_renders_without_missing_glyphs_in_ipaexgothic(chart):
    name, func, data = chart
    ax = func(data)
    png = render(ax)
    Path("/tmp/plots").mkdir(exist_ok=True)
    Path(f"/tmp/plots/test_{name}.png").write_bytes(png)
    texts = visible_texts(ax)
    assert any(not t.get_text().isascii() for t in texts)
    for t in texts:
        assert font_manager.findfont(t.get_fontproperties()) == IPAEX, t.get_text()


def test_ax_is_honoured_and_returned(chart):
    _, func, data = chart
    fig, (ax1, ax2) = plt.subplots(1, 2)
    n_figures = len(plt.get_fignums())
    assert func(data, ax=ax2) is ax2
    assert len(plt.get_fignums()) == n_figures
    assert ax2.has_data() and not ax1.has_data()
    before = set(plt.get_fignums())
    assert func(data).figure.number not in before


def test_data_are_not_modified(chart):
    _, func, data = chart
    frame = data if isinstance(data, pd.DataFrame) else getattr(data, "event_study", None)
    if frame is None:
        frame = data.counterfactual
    frame.attrs["source"] = "input.csv"
    kept = frame.copy(deep=True)
    fields = copy.copy(vars(data)) if isinstance(data, types.SimpleNamespace) else None
    func(data)
    pd.testing.assert_frame_equal(frame, kept)
    assert frame.attrs == {"source": "input.csv"}
    if fields is not None:
        assert vars(data).keys() == fields.keys()
        assert all(vars(data)[k] is v for k, v in fields.items())


def test_everything_but_the_result_is_keyword_only(es_result, its_result):
    with pytest.raises(TypeError):
        plots.event_study(es_result, 0.95)
    with pytest.raises(TypeError):
        plots.its(its_result, "題")
    assert {"event_study", "its"} <= set(plots.__all__)


# --------------------------------------------------------------------------- event study


def _errorbars(ax):
    """(x, y, marker, colour, low, high) of each errorbar series, in drawing order."""
    out = []
    for container in ax.containers:
        line, _, (bars,) = container.lines[0], container.lines[1], container.lines[2]
        segments = [s for s in bars.get_segments() if len(s) and np.isfinite(s).all()]
        x, y = line.get_xdata(), line.get_ydata()
        lows = {s[0][0]: min(s[0][1], s[1][1]) for s in segments}
        highs = {s[0][0]: max(s[0][1], s[1][1]) for s in segments}
        out.append((x, y, line.get_marker(), to_hex(line.get_color()), lows, highs))
    return out


def test_event_study_draws_leads_and_lags_with_their_intervals(es_result):
    frame = es_result.event_study
    ax = plots.event_study(es_result)
    (lx, ly, lmark, lcol, llow, lhigh), (gx, gy, gmark, gcol, glow, ghigh) = _errorbars(ax)
    leads, lags = frame[frame["event_time"] < 0], frame[frame["event_time"] >= 0]
    assert_allclose(lx, leads["event_time"]) and assert_allclose(ly, leads["att"])
    assert_allclose(gx, lags["event_time"]) and assert_allclose(gy, lags["att"])
    # leads and lags differ by marker shape and by colour
    assert lmark != gmark and lcol != gcol
    # the bars span the intervals; the reference month (-1) has none
    assert sorted(llow) == [-4, -3, -2]
    for x, low in llow.items():
        row = frame.set_index("event_time").loc[x]
        assert_allclose([low, lhigh[x]], [row["ci_low"], row["ci_high"]])
    assert_allclose([glow[x] for x in range(6)], lags["ci_low"])
    assert_allclose([ghigh[x] for x in range(6)], lags["ci_high"])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["導入前（リード）", "導入後（ラグ）"]
    assert ax.get_xlabel() == "導入からの月数"
    assert ax.get_ylabel() == "効果（時間／所属・月）"
    assert ax.get_title() == "導入前後の効果（イベントスタディ）"


def test_event_study_marks_zero_and_adoption(es_result):
    ax = plots.event_study(es_result)
    zero = [ln for ln in ax.lines if list(ln.get_ydata()) == [0, 0]]
    assert len(zero) == 1 and zero[0].get_linestyle() == "-"
    adoption = [ln for ln in ax.lines if list(ln.get_xdata()) == [-0.5, -0.5]]
    assert len(adoption) == 1 and adoption[0].get_linestyle() == "--"
    label = next(t for t in ax.texts if t.get_text() == "導入")
    assert label.xy[0] == -0.5


def test_event_study_note_gives_confidence_pretrend_test_and_att(es_result):
    note = _note(plots.event_study(es_result))
    assert "縦棒は95%信頼区間" in note
    assert "事前トレンド検定 p = 0.40" in note
    assert "導入後の平均効果 -1.00" in note
    small = types.SimpleNamespace(**{**vars(es_result), "pretrend_pvalue": 0.0004})
    assert "事前トレンド検定 p < 0.001" in _note(plots.event_study(small))
    mid = types.SimpleNamespace(**{**vars(es_result), "pretrend_pvalue": 0.0451})
    assert "事前トレンド検定 p = 0.045" in _note(plots.event_study(mid))


def test_event_study_without_a_pretrend_test_or_from_the_frame(es_result):
    no_test = types.SimpleNamespace(**{**vars(es_result), "pretrend_pvalue": np.nan})
    assert "事前トレンド" not in _note(plots.event_study(no_test))
    bare = types.SimpleNamespace(event_study=es_result.event_study, confidence=0.9)
    assert _note(plots.event_study(bare)) == "縦棒は90%信頼区間"
    frame_note = _note(plots.event_study(es_result.event_study))
    assert frame_note == "縦棒は信頼区間"
    assert "縦棒は80%信頼区間" in _note(plots.event_study(es_result, confidence=0.8))


def test_event_study_sorts_event_times_and_draws_only_lags_if_there_are_no_leads(es_frame):
    ax = plots.event_study(es_frame.iloc[::-1])
    assert_allclose(_errorbars(ax)[0][0], [-4, -3, -2, -1])
    ax = plots.event_study(es_frame[es_frame["event_time"] >= 0])
    assert len(ax.containers) == 1
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["導入後（ラグ）"]
    assert plots.event_study(es_frame, title="題", ylabel="効果（円）").get_title() == "題"


def test_event_study_bad_input(es_frame):
    with pytest.raises(EvalkitError, match="column 'ci_high'"):
        plots.event_study(es_frame.drop(columns="ci_high"))
    bad = es_frame.astype({"event_time": "float64"})
    bad.loc[2, "event_time"] = 0.5
    with pytest.raises(EvalkitError, match="row 4, column 'event_time', value 0.5: .*whole"):
        plots.event_study(bad)
    twice = es_frame.copy()
    twice.loc[6, "event_time"] = 1
    with pytest.raises(EvalkitError, match=r"row 8, column 'event_time', value 1: .*also row 7"):
        plots.event_study(twice)
    text = es_frame.astype({"att": object})
    text.loc[0, "att"] = "x"
    text.attrs["source"] = "did.csv"
    with pytest.raises(EvalkitError, match="did.csv, row 2, column 'att', value 'x'"):
        plots.event_study(text)
    with pytest.raises(EvalkitError, match="event-study result"):
        plots.event_study([1, 2])
    with pytest.raises(EvalkitError, match="no rows"):
        plots.event_study(es_frame.iloc[:0])
    with pytest.raises(EvalkitError, match="confidence"):
        plots.event_study(es_frame, confidence=95)


# --------------------------------------------------------------------------- its


def test_its_draws_observed_fitted_and_counterfactual(its_result):
    cf = its_result.counterfactual
    ax = plots.its(its_result)
    (points,) = _scatter(ax)
    assert_allclose(points.get_offsets()[:, 1], cf["observed"])
    assert_allclose(points.get_offsets()[:, 0], np.arange(36))
    by_label = {ln.get_label(): ln for ln in ax.lines}
    fit_pre = by_label["当てはめ"]
    assert_allclose(fit_pre.get_ydata(), cf["fitted"][:18])
    # the fitted line is broken at the intervention: the post segment is separate
    fit_post = next(ln for ln in ax.lines if len(ln.get_xdata()) == 18 and ln.get_xdata()[0] == 18)
    assert_allclose(fit_post.get_ydata(), cf["fitted"][18:])
    counter = by_label["導入しなかった場合（反実仮想）"]
    assert counter.get_linestyle() == "--"
    assert_allclose(counter.get_xdata(), np.arange(17, 36))  # from the last month before
    assert_allclose(counter.get_ydata(), cf["counterfactual"][17:])
    adoption = [ln for ln in ax.lines if list(ln.get_xdata()) == [17.5, 17.5]]
    assert len(adoption) == 1 and adoption[0].get_linestyle() == "--"
    assert any(t.get_text() == "導入" for t in ax.texts)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["実績", "当てはめ", "導入しなかった場合（反実仮想）"]
    assert ax.get_ylabel() == "作業時間（時間／所属・月）" and ax.get_xlabel() == "月"
    assert ax.get_title() == "中断時系列分析（ITS）"


def test_its_months_are_labelled_in_japanese(its_result):
    ax = plots.its(its_result)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    # 36 months: every third month, the year on the first and on January
    assert ticks[:5] == ["2018年\n4月", "7月", "10月", "2019年\n1月", "4月"]
    assert_allclose(ax.get_xticks()[:2], [0, 3])
    ticks_at = set(ax.get_xticks()) | set(ax.get_xticks(minor=True))
    assert ticks_at == set(range(36))  # a tick on every month
    short = fit_its(
        its_frame(n=12, t0=6),
        outcome="hours",
        period="month",
        intervention="2018-10",
        seasonal=False,
    )
    ticks = [t.get_text() for t in plots.its(short).get_xticklabels()]
    assert ticks == ["2018年\n4月", *[f"{m}月" for m in range(5, 13)], "2019年\n1月", "2月", "3月"]


def test_its_note_gives_the_estimates(its_result):
    note = _note(plots.its(its_result))
    r = its_result

    def f(v):
        return f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}"

    lo, hi = r.level_change_ci
    assert f"導入時の水準の変化 {f(r.level_change)}（95%信頼区間 {f(lo)}～{f(hi)}）" in note
    assert f"傾きの変化 {f(r.slope_change)}／月" in note
    assert f"導入後の平均効果 {f(r.effect)}（{f(r.effect_ci[0])}～{f(r.effect_ci[1])}）" in note


def test_its_whole_number_periods_and_options():
    res = fit_its(
        outcome=its_frame(n=20, t0=8)["hours"],
        period=list(range(1, 21)),
        intervention=9,
        seasonal=False,
    )
    ax = plots.its(res, title="件数の推移", ylabel="件数")
    assert ax.get_xlabel() == "期間" and ax.get_ylabel() == "件数"
    assert ax.get_title() == "件数の推移"
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == [str(i) for i in range(1, 21, 2)]
    assert "傾きの変化" in _note(ax) and "／期間" in _note(ax)
    render(ax)
    # any object with a counterfactual table and an intervention will do; no note then
    bare = types.SimpleNamespace(counterfactual=res.counterfactual, intervention=9)
    ax = plots.its(bare)
    assert [t.get_text() for t in ax.texts] == ["導入"]


def test_its_bad_input(its_result):
    with pytest.raises(EvalkitError, match="interrupted-time-series result"):
        plots.its(its_result.counterfactual)
    moved = types.SimpleNamespace(
        counterfactual=its_result.counterfactual, intervention=pd.Period("2030-01", freq="M")
    )
    with pytest.raises(EvalkitError, match="not among the periods"):
        plots.its(moved)
    first = types.SimpleNamespace(
        counterfactual=its_result.counterfactual, intervention=pd.Period("2018-04", freq="M")
    )
    with pytest.raises(EvalkitError, match="first period"):
        plots.its(first)
    frame = its_result.counterfactual.astype({"fitted": object})
    frame.loc[3, "fitted"] = "?"
    bad = types.SimpleNamespace(counterfactual=frame, intervention=its_result.intervention)
    with pytest.raises(EvalkitError, match="row 5, column 'fitted', value '\\?'"):
        plots.its(bad)
    with pytest.raises(EvalkitError, match="column 'observed'"):
        plots.its(
            types.SimpleNamespace(
                counterfactual=its_result.counterfactual.drop(columns="observed"),
                intervention=its_result.intervention,
            )
        )
