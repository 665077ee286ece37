"""Tests of evalkit.plots: every chart renders without a missing glyph, in IPAexGothic.

Rendering happens under ``warnings.simplefilter("error")``: matplotlib reports
a glyph absent from the font as ``UserWarning: Glyph ... missing from font(s)``,
so a chart that would show empty boxes fails its test
(``test_missing_glyph_check_can_fail`` shows the check catching one).
Expected values are computed here from the input frames with pandas/numpy,
independently of the plotting code.
"""

import importlib.util
import io
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import seaborn as sns
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib import font_manager
from matplotlib.collections import PathCollection
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from numpy.testing import assert_allclose

from evalkit import plots
from evalkit.errors import EvalkitError

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
JA5 = ["大変満足", "満足", "どちらともいえない", "不満", "大変不満"]
JA4 = ["大変満足", "満足", "不満", "大変不満"]

# The font file, located here independently of evalkit.plots.
IPAEX = str(
    Path(importlib.util.find_spec("matplotlib_fontja").submodule_search_locations[0])
    / "fonts"
    / "ipaexg.ttf"
)


# --------------------------------------------------------------------------- data


@pytest.fixture
def units(rng):
    """Twelve departments, two months each (so rows of a unit must be summed)."""
    names = [f"{b}課{i}" for i, b in enumerate("総務人事財政契約会計福祉環境建設都市教育警察議会")][
        :12
    ]
    rows = []
    for month in ("2019-04", "2019-05"):
        for name in names:
            before = float(rng.integers(10, 80))
            rows.append((month, name, before, round(before * rng.uniform(0.2, 0.7), 1)))
    return pd.DataFrame(rows, columns=["month", "department", "hours_before", "hours_after"])


@pytest.fixture
def survey(rng):
    answers = rng.choice(JA5 + [None, ""], size=60, p=[0.3, 0.35, 0.1, 0.05, 0.05, 0.1, 0.05])
    return pd.DataFrame(
        {"answer": answers, "bureau": rng.choice(["総務部", "福祉部", "教育庁"], size=60)}
    )


@pytest.fixture
def estimates():
    return pd.DataFrame(
        {
            "metric": ["満足度", "削減率", "参考"],
            "value": [0.8387, 0.62, 0.5],
            "ci_low": [0.75, 0.55, np.nan],
            "ci_high": [0.90, 0.69, np.nan],
            "target": [0.70, 0.70, np.nan],
        }
    )


@pytest.fixture
def migration():
    # Issue 5: 5 systems running, 4 planned April-September, 26 October-March.
    return pd.DataFrame(
        {"period": ["4月〜9月", "10月〜3月"], "planned": [4, 26], "actual": [4.0, np.nan]}
    )


def saved_frame(units):
    return units.assign(saved=units["hours_before"] - units["hours_after"])


def render(ax):
    """Draw ``ax``'s figure to PNG bytes, turning every warning into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        buf = io.BytesIO()
        ax.figure.savefig(buf, format="png")
    data = buf.getvalue()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return data


def visible_texts(ax):
    ax.figure.canvas.draw()
    return [t for t in ax.figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def charts(units, survey, estimates, migration):
    """One call of every chart kind: (name, function, data, keywords)."""
    return [
        (
            "before_after",
            plots.before_after,
            units,
            {"unit": "department", "before": "hours_before", "after": "hours_after"},
        ),
        (
            "before_after_top",
            plots.before_after,
            units,
            {"unit": "department", "before": "hours_before", "after": "hours_after", "top": 5},
        ),
        ("saved_by_unit", plots.saved_by, saved_frame(units), {"column": "department"}),
        (
            "saved_by_month",
            plots.saved_by,
            saved_frame(units),
            {"by": "period", "column": "month"},
        ),
        ("likert", plots.likert, survey, {"answers": "answer"}),
        ("likert_by", plots.likert, survey, {"answers": "answer", "by": "bureau"}),
        ("estimate_vs_target", plots.estimate_vs_target, estimates, {}),
        ("cumulative_progress", plots.cumulative_progress, migration, {"baseline": 5, "total": 53}),
    ]


CHART_NAMES = [
    "before_after",
    "before_after_top",
    "saved_by_unit",
    "saved_by_month",
    "likert",
    "likert_by",
    "estimate_vs_target",
    "cumulative_progress",
]


@pytest.fixture(params=CHART_NAMES)
def chart(request, units, survey, estimates, migration):
    table = {c[0]: c for c in charts(units, survey, estimates, migration)}
    return table[request.param]


# --------------------------------------------------------------------------- rendering and font


def test_missing_glyph_check_can_fail():
    # Without the Japanese font, matplotlib's default DejaVu Sans lacks 満 and warns.
    fig, ax = plt.subplots()
    ax.set_title("満足度", fontfamily="DejaVu Sans")
    with pytest.raises(UserWarning, match="missing from font"):
        render(ax)


def test_every_chart_renders_without_missing_glyphs(chart):
    name, func, data, kwargs = chart
    ax = func(data, **kwargs)
    png = render(ax)
    Path("/tmp/plots").mkdir(exist_ok=True)
    Path(f"/tmp/plots/test_{name}.png").write_bytes(png)


def test_every_text_uses_the_ipaexgothic_file(chart):
    _, func, data, kwargs = chart
    ax = func(data, **kwargs)
    texts = visible_texts(ax)
    assert any(not t.get_text().isascii() for t in texts)  # the chart has Japanese text
    for t in texts:
        assert font_manager.findfont(t.get_fontproperties()) == IPAEX, t.get_text()


def test_japanese_on_an_axes_made_before_the_font_was_registered(units):
    # Axes created by the caller get their title, labels and ticks from the rcParams
    # of their creation time (DejaVu Sans); the chart must still set its font.
    fig, ax = plt.subplots()
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        ax.set_title("所属別")
    out = plots.saved_by(saved_frame(units), column="department", ax=ax)
    ax.set_ylabel("所属")  # text set by the caller afterwards also renders
    render(out)
    for t in visible_texts(out):
        assert font_manager.findfont(t.get_fontproperties()) == IPAEX, t.get_text()


def test_fallback_font_covers_symbols_missing_from_ipaexgothic():
    # IPAexGothic has no "≥" (U+2265); the chain falls back to DejaVu Sans.
    df = pd.DataFrame({"metric": ["満足度 ≥ 目標"], "value": [0.8], "target": [0.7]})
    render(plots.estimate_vs_target(df))


def test_japanese_font_points_to_the_bundled_file():
    fp = plots.japanese_font()
    assert font_manager.findfont(fp) == IPAEX
    assert fp.get_family()[0] == plots.FONT_NAME == "IPAexGothic"


def test_set_theme_sets_font_chain_and_colour_blind_palette():
    with matplotlib.rc_context():
        plots.set_theme()
        assert list(matplotlib.rcParams["font.family"]) == list(plots.FONT_FAMILY)
        cycle = [c["color"] for c in matplotlib.rcParams["axes.prop_cycle"]]
        expected = sns.color_palette("colorblind")
        assert_allclose([matplotlib.colors.to_rgb(c) for c in cycle], expected, atol=1e-6)
        fig, ax = plt.subplots()
        ax.set_title("満足度（n=93）")
        render(ax)


def test_charts_leave_global_state_alone_and_do_not_import_matplotlib_fontja():
    code = (
        "import sys, matplotlib; matplotlib.use('Agg')\n"
        "before = dict(matplotlib.rcParams)\n"
        "import pandas as pd\n"
        "from evalkit import plots\n"
        "ax = plots.before_after(pd.DataFrame({'unit': ['総務課'], 'before': [3.0], "
        "'after': [1.0]}))\n"
        "ax.figure.savefig(__import__('io').BytesIO())\n"
        "assert 'matplotlib_fontja' not in sys.modules\n"
        "changed = [k for k, v in matplotlib.rcParams.items() if before.get(k) != v]\n"
        "assert not changed, changed\n"
    )
    subprocess.run([sys.executable, "-W", "error", "-c", code], check=True, cwd=ROOT)


def test_import_evalkit_does_not_import_matplotlib():
    code = "import sys, evalkit; assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# --------------------------------------------------------------------------- axes-level contract


def test_ax_is_honoured_and_returned(chart):
    _, func, data, kwargs = chart
    fig, (ax1, ax2) = plt.subplots(1, 2)
    n_figures = len(plt.get_fignums())
    out = func(data, ax=ax2, **kwargs)
    assert out is ax2
    assert len(plt.get_fignums()) == n_figures
    assert ax2.has_data() and not ax1.has_data()


def test_without_ax_a_new_figure_is_made(chart):
    _, func, data, kwargs = chart
    before = set(plt.get_fignums())
    ax = func(data, **kwargs)
    assert ax.figure.number not in before


def test_inputs_are_not_mutated(chart):
    _, func, data, kwargs = chart
    data.attrs["source"] = "input.csv"
    copy = data.copy(deep=True)
    func(data, **kwargs)
    pd.testing.assert_frame_equal(data, copy)
    assert data.attrs == {"source": "input.csv"}


def test_everything_but_data_is_keyword_only(units):
    with pytest.raises(TypeError):
        plots.before_after(units, "department")
    with pytest.raises(TypeError):
        plots.likert(None, ["満足"])


def test_ax_must_be_an_axes(units):
    with pytest.raises(EvalkitError, match="ax must be a matplotlib Axes"):
        plots.before_after(
            units, unit="department", before="hours_before", after="hours_after", ax="left"
        )


# --------------------------------------------------------------------------- before_after


def _scatter(ax):
    return [c for c in ax.collections if isinstance(c, PathCollection)]


def test_before_after_sums_rows_of_a_unit_and_sorts_by_before(units):
    ax = plots.before_after(units, unit="department", before="hours_before", after="hours_after")
    totals = units.groupby("department")[["hours_before", "hours_after"]].sum()
    totals = totals.sort_values("hours_before", ascending=False)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == totals.index.tolist()
    before, after = _scatter(ax)
    assert_allclose(before.get_offsets()[:, 0], totals["hours_before"])
    assert_allclose(after.get_offsets()[:, 0], totals["hours_after"])
    assert ax.get_xlabel() == "作業時間（時間）"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["導入前", "導入後"]
    # before and after differ by marker shape, not colour alone
    assert not np.array_equal(before.get_paths()[0].vertices, after.get_paths()[0].vertices)


def test_before_after_unsorted_keeps_first_appearance(units):
    ax = plots.before_after(
        units, unit="department", before="hours_before", after="hours_after", sort=False
    )
    assert [t.get_text() for t in ax.get_yticklabels()] == list(dict.fromkeys(units["department"]))


def test_before_after_top_shows_largest_and_summarises_the_rest(units):
    ax = plots.before_after(
        units, unit="department", before="hours_before", after="hours_after", top=5
    )
    totals = units.groupby("department")[["hours_before", "hours_after"]].sum()
    largest = totals["hours_before"].nlargest(5)
    assert [t.get_text() for t in ax.get_yticklabels()] == largest.index.tolist()
    rest = totals.drop(index=largest.index)
    note = [t.get_text() for t in ax.texts if "表示外" in t.get_text()]
    assert len(note) == 1
    assert "上位5件" in note[0] and "全12件" in note[0] and "表示外の7件" in note[0]
    assert f"導入前 {rest['hours_before'].sum():,.0f}時間" in note[0]
    assert f"導入後 {rest['hours_after'].sum():,.0f}時間" in note[0]


def test_before_after_top_larger_than_units_shows_all(units):
    ax = plots.before_after(
        units, unit="department", before="hours_before", after="hours_after", top=100
    )
    assert len(ax.get_yticklabels()) == 12
    assert not ax.texts


@pytest.mark.parametrize("top", [0, -1, 2.5, True, "5"])
def test_before_after_rejects_bad_top(units, top):
    with pytest.raises(EvalkitError, match="top must be") as err:
        plots.before_after(
            units, unit="department", before="hours_before", after="hours_after", top=top
        )
    assert repr(top) in str(err.value)


def test_before_after_names_row_column_value_of_a_bad_number(units):
    bad = units.astype({"hours_after": object})
    bad.loc[3, "hours_after"] = "abc"
    bad.attrs["source"] = "minutes_work.csv"
    with pytest.raises(EvalkitError) as err:
        plots.before_after(bad, unit="department", before="hours_before", after="hours_after")
    assert str(err.value).startswith("minutes_work.csv, row 5, column 'hours_after', value 'abc'")


def test_before_after_names_a_blank_unit(units):
    bad = units.astype({"department": object})
    bad.loc[2, "department"] = None
    with pytest.raises(EvalkitError, match="row 4, column 'department', value None"):
        plots.before_after(bad, unit="department", before="hours_before", after="hours_after")


def test_before_after_rejects_negative_hours_and_missing_columns(units):
    bad = units.copy()
    bad.loc[0, "hours_before"] = -1.0
    with pytest.raises(
        EvalkitError, match=r"row 2, column 'hours_before', value (np\.float64\()?-1\.0"
    ):
        plots.before_after(bad, unit="department", before="hours_before", after="hours_after")
    with pytest.raises(EvalkitError, match="column 'unit'"):
        plots.before_after(units)


@pytest.mark.parametrize("data", [None, [1, 2], pd.DataFrame()])
def test_before_after_rejects_non_frames_and_empty_frames(data):
    with pytest.raises(EvalkitError):
        plots.before_after(data)


def test_before_after_measure_names_the_axis():
    df = pd.DataFrame({"unit": ["A課"], "before": [1000.0], "after": [400.0]})
    assert plots.before_after(df, measure="yen").get_xlabel() == "金額（円）"
    assert plots.before_after(df, measure="minutes").get_xlabel() == "作業時間（分）"
    with pytest.raises(EvalkitError, match="measure"):
        plots.before_after(df, measure="")


def test_before_after_long_list_stays_readable(rng):
    n = 116
    df = pd.DataFrame(
        {
            "unit": [f"部局{i // 10}所属{i}" for i in range(n)],
            "before": rng.uniform(5, 200, n),
            "after": rng.uniform(0, 5, n),
        }
    )
    ax = plots.before_after(df)
    render(ax)
    height = ax.figure.get_size_inches()[1]
    assert height >= 0.15 * n  # about 0.17 inch per department
    # tick labels do not overlap one another
    ax.figure.canvas.draw()
    boxes = [t.get_window_extent() for t in ax.get_yticklabels()]
    assert all(a.y0 >= b.y1 - 0.5 for a, b in zip(boxes, boxes[1:], strict=False))


# --------------------------------------------------------------------------- saved_by


def test_saved_by_unit_sorted_horizontal_bars(units):
    df = saved_frame(units)
    ax = plots.saved_by(df, column="department")
    expected = df.groupby("department")["saved"].sum().sort_values(ascending=False)
    assert [t.get_text() for t in ax.get_yticklabels()] == expected.index.tolist()
    assert_allclose([p.get_width() for p in ax.patches], expected.to_numpy())
    assert ax.get_xlabel() == "削減量（時間）"


def test_saved_by_unit_top(units):
    df = saved_frame(units)
    ax = plots.saved_by(df, column="department", top=3)
    expected = df.groupby("department")["saved"].sum().sort_values(ascending=False)
    assert [t.get_text() for t in ax.get_yticklabels()] == expected.index[:3].tolist()
    note = next(t.get_text() for t in ax.texts if "表示外" in t.get_text())
    assert f"削減合計 {expected.iloc[3:].sum():,.0f}時間" in note
    with pytest.raises(EvalkitError, match="top= applies to by='unit' only"):
        plots.saved_by(df, by="period", column="month", top=3)


def test_saved_by_month_in_time_order_with_labelled_mean():
    df = pd.DataFrame(
        {
            "month": ["2019-10", "2019-04", "2020-01", "2019-04"],
            "saved": [30.0, 20.0, 40.0, 10.0],
        }
    )
    ax = plots.saved_by(df, by="period", column="month")
    assert_allclose([p.get_height() for p in ax.patches], [30.0, 30.0, 40.0])
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["2019年\n4月", "10月", "2020年\n1月"]
    mean_line = next(line for line in ax.lines if line.get_label().startswith("月平均"))
    assert_allclose(mean_line.get_ydata(), [100 / 3, 100 / 3])
    assert mean_line.get_label() == "月平均 33.3時間"
    assert ax.get_ylabel() == "削減量（時間）"


def test_saved_by_other_periods_keep_their_order():
    df = pd.DataFrame({"period": ["上期", "下期"], "saved": [5.0, 7.0]})
    ax = plots.saved_by(df, by="period")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["上期", "下期"]
    assert any(line.get_label() == "期間平均 6.0時間" for line in ax.lines)
    ax = plots.saved_by(
        pd.DataFrame(
            {"period": pd.PeriodIndex(["2019-05", "2019-04"], freq="M"), "saved": [1.0, 2.0]}
        ),
        by="period",
    )
    assert_allclose([p.get_height() for p in ax.patches], [2.0, 1.0])


def test_saved_by_negative_saving_is_drawn(units):
    df = pd.DataFrame({"unit": ["A課", "B課"], "saved": [5.0, -2.0]})
    ax = plots.saved_by(df)
    assert_allclose([p.get_width() for p in ax.patches], [5.0, -2.0])


def test_saved_by_errors(units):
    df = saved_frame(units)
    with pytest.raises(
        EvalkitError, match="by must be 'unit' or 'period'.*'bureau'|value 'bureau'"
    ):
        plots.saved_by(df, by="bureau")
    with pytest.raises(EvalkitError, match="column 'unit'"):
        plots.saved_by(df)
    bad = df.astype({"saved": object})
    bad.loc[1, "saved"] = "x"
    with pytest.raises(EvalkitError, match="row 3, column 'saved', value 'x'"):
        plots.saved_by(bad, column="department")


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


# --------------------------------------------------------------------------- cumulative_progress


def _line_points(line):
    x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    keep = np.isfinite(y)
    return x[keep], y[keep]


def test_cumulative_progress_planned_and_known_actual_only(migration):
    ax = plots.cumulative_progress(migration, baseline=5, total=53)
    marks = [line for line in ax.lines if line.get_linestyle() == "None"]
    actual, planned = marks
    # planned: 5 running, +4 by September, +26 by March
    assert_allclose(_line_points(planned)[1], [5, 9, 35])
    # actual: the October-March count is not reported: no point there
    x, y = _line_points(actual)
    assert_allclose(x, [0, 1])
    assert_allclose(y, [5, 9])
    actual_path = ax.lines[0]
    assert np.nanmax(np.asarray(actual_path.get_xdata(), float)) == 1  # no step into 10月〜3月
    assert [t.get_text() for t in ax.get_xticklabels()] == ["開始時", "4月〜9月", "10月〜3月"]
    total = [line for line in ax.lines if line.get_linestyle() == ":"]
    assert_allclose(total[0].get_ydata(), [53, 53])
    texts = {t.get_text() for t in ax.texts}
    assert {"全体 53件", "計画 35", "実績 9", "実績未報告：10月〜3月"} <= texts
    assert ax.get_ylabel() == "累計（件）"


def test_cumulative_progress_with_running_totals_skips_unknown_points():
    df = pd.DataFrame({"period": ["上期", "下期"], "planned": [9, 35], "actual": [np.nan, 35]})
    ax = plots.cumulative_progress(df, baseline=5, cumulative=True, unit_word="システム")
    actual_path = ax.lines[0]
    x, y = _line_points(actual_path)
    # the start and the end are known, the middle is not: nothing joins them
    assert_allclose(x, [0, 2])
    assert np.isnan(np.asarray(actual_path.get_ydata(), float)).any()
    assert ax.get_ylabel() == "累計（システム）"


def test_cumulative_progress_refuses_to_guess_after_a_gap():
    df = pd.DataFrame(
        {"period": ["4月", "5月", "6月"], "planned": [1, 1, 1], "actual": [1, np.nan, 2]}
    )
    df.attrs["source"] = "platform.csv"
    with pytest.raises(EvalkitError) as err:
        plots.cumulative_progress(df)
    assert str(err.value).startswith("platform.csv, row 4, column 'actual', value 2.0")
    assert "row 3" in str(err.value)


def test_cumulative_progress_errors(migration):
    bad = migration.copy()
    bad.loc[1, "planned"] = -26
    with pytest.raises(EvalkitError, match=r"row 3, column 'planned', value (np\.int64\()?-26"):
        plots.cumulative_progress(bad)
    bad = migration.copy()
    bad.loc[0, "planned"] = np.nan
    with pytest.raises(EvalkitError, match="row 2, column 'planned'"):
        plots.cumulative_progress(bad)
    with pytest.raises(EvalkitError, match="total must be"):
        plots.cumulative_progress(migration, total=-1)
    with pytest.raises(EvalkitError, match="baseline must be a number"):
        plots.cumulative_progress(migration, baseline="5")
    with pytest.raises(EvalkitError, match="column 'actual'"):
        plots.cumulative_progress(migration.drop(columns="actual"))


# --------------------------------------------------------------------------- evalkit results


@pytest.fixture
def voice_result(units):
    from evalkit.stats.reduction import reduction

    return reduction(
        units,
        before="hours_before",
        after="hours_after",
        unit="department",
        period="month",
        target=0.3,
        random_state=0,
    )


@pytest.fixture
def survey_result(survey):
    from evalkit.stats.satisfaction import satisfaction_rate

    return satisfaction_rate(survey, answers="answer", target=0.7)


def test_before_after_and_saved_by_take_a_reduction_result(voice_result):
    per_unit = voice_result.per_unit.copy(deep=True)
    ax = plots.before_after(voice_result)
    before, after = _scatter(ax)
    expected = per_unit.sort_values("before", ascending=False, kind="stable")
    assert [t.get_text() for t in ax.get_yticklabels()] == expected["unit"].astype(str).tolist()
    assert_allclose(before.get_offsets()[:, 0], expected["before"])
    assert_allclose(after.get_offsets()[:, 0], expected["after"])
    render(ax)
    ax = plots.saved_by(voice_result, by="period")
    assert_allclose([p.get_height() for p in ax.containers[0]], voice_result.per_period["saved"])
    mean_line = next(line for line in ax.lines if line.get_label().startswith("月平均"))
    assert_allclose(mean_line.get_ydata()[0], voice_result.mean_saved_per_period)
    low, high = voice_result.mean_saved_per_period_ci
    # numbers are shown with one decimal below 100 and none from 100 up
    shown = [f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.1f}" for v in (low, high)]
    assert f"95%信頼区間 {shown[0]}–{shown[1]}" in mean_line.get_label()
    render(ax)
    render(plots.saved_by(voice_result, by="unit"))
    pd.testing.assert_frame_equal(voice_result.per_unit, per_unit)


def test_saved_by_period_needs_a_result_with_periods(units):
    from evalkit.stats.reduction import reduction

    res = reduction(units, before="hours_before", after="hours_after", unit="department")
    with pytest.raises(EvalkitError, match="no per-period table"):
        plots.saved_by(res, by="period")


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


@pytest.mark.skipif(
    not (DATA / "voice_recognition" / "minutes_work.csv").exists(), reason="no sample data"
)
def test_shipped_sample_data_charts_render():
    from evalkit.stats.reduction import reduction
    from evalkit.stats.satisfaction import satisfaction_rate

    work = pd.read_csv(DATA / "voice_recognition" / "minutes_work.csv")
    res = reduction(
        work,
        before="hours_before",
        after="hours_after",
        unit="department",
        period="month",
        random_state=0,
    )
    ax = plots.before_after(res, top=30)
    assert len(ax.get_yticklabels()) == 30
    assert any("全116件" in t.get_text() for t in ax.texts)
    render(ax)
    render(plots.saved_by(res, by="period"))
    survey = pd.read_csv(DATA / "voice_recognition" / "satisfaction_survey.csv")
    sat = satisfaction_rate(survey, answers="answer", target=0.7)
    render(plots.likert(survey, answers="answer", by="bureau"))
    render(plots.estimate_vs_target(sat))
