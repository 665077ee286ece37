"""Tests of evalkit.plots.savings: before_after and saved_by, from tidy frames and results."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from plots_helpers import _scatter, render, saved_frame

from evalkit import plots
from evalkit.errors import EvalkitError

# --------------------------------------------------------------------------- before_after


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


# --------------------------------------------------------------------------- evalkit results


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
