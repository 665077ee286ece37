"""Tests of evalkit.stats.usage against pandas group-bys and the reduction's per-period table."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from evalkit._results import SUMMARY_COLUMNS
from evalkit.datasets import load_minutes_work
from evalkit.errors import EvalkitError
from evalkit.stats.reduction import reduction
from evalkit.stats.usage import UsageResult, usage


def test_minutes_work_against_pandas_groupby():
    m = load_minutes_work()
    before = m.copy()
    res = usage(m, unit="department", period="month", counts=["meetings", "recorded_minutes"])
    assert isinstance(res, UsageResult)
    pd.testing.assert_frame_equal(m, before)  # caller's frame untouched
    # pandas reference: nunique and groupby sums
    assert res.n_units == m["department"].nunique() == 116
    assert res.n_periods == m["month"].nunique() == 12
    assert res.n_rows == len(m)
    assert res.totals["meetings"] == m["meetings"].sum()
    assert res.totals["recorded_minutes"] == m["recorded_minutes"].sum()
    ref = m.groupby("month").agg(
        n_units=("department", "nunique"),
        n_rows=("department", "size"),
        meetings=("meetings", "sum"),
        recorded_minutes=("recorded_minutes", "sum"),
    )
    assert res.per_period["period"].tolist() == ref.index.tolist()
    for col in ref.columns:
        assert res.per_period[col].tolist() == ref[col].tolist()
    assert res.per_period["meetings"].dtype == np.int64
    first = m.groupby("department")["month"].min()
    new = first.value_counts().reindex(ref.index, fill_value=0)
    assert res.per_period["new_units"].tolist() == new.tolist()
    assert res.per_period["cumulative_units"].tolist() == new.cumsum().tolist()
    assert_allclose(res.mean_units_per_period, ref["n_units"].mean())
    per_dep = m.groupby("department").agg(
        n_periods=("month", "nunique"),
        first_period=("month", "min"),
        last_period=("month", "max"),
        meetings=("meetings", "sum"),
    )
    got = res.per_unit.set_index("unit").loc[per_dep.index]
    for col in per_dep.columns:
        assert got[col].tolist() == per_dep[col].tolist()


def test_per_period_units_agree_with_reduction():
    m = load_minutes_work()
    red = reduction(
        m, before="hours_before", after="hours_after", unit="department", period="month"
    )
    res = usage(m, unit="department", period="month")
    assert res.per_period["period"].tolist() == red.per_period["period"].tolist()
    assert res.per_period["n_units"].tolist() == red.per_period["n_units"].tolist()
    assert res.per_unit["unit"].tolist() == red.per_unit["unit"].tolist()
    assert res.totals.empty


def test_periods_window_counts_empty_periods_as_zero():
    df = pd.DataFrame(
        {
            "month": ["2019-04", "2019-04", "2019-06", "2019-07"],
            "unit": ["a", "b", "a", "b"],
            "before": [10.0, 6.0, 8.0, 4.0],
            "after": [4.0, 5.0, 2.0, 4.0],
            "meetings": [2, 1, 3, 4],
        }
    )
    window = ["2019-04", "2019-05", "2019-06", "2019-07"]
    res = usage(df, unit="unit", period="month", periods=window, counts="meetings")
    # by hand: May has no rows, so zero units, rows and meetings; 4 months in all
    assert res.per_period["period"].tolist() == window
    assert res.per_period["n_units"].tolist() == [2, 0, 1, 1]
    assert res.per_period["new_units"].tolist() == [2, 0, 0, 0]
    assert res.per_period["cumulative_units"].tolist() == [2, 2, 2, 2]
    assert res.per_period["n_rows"].tolist() == [2, 0, 1, 1]
    assert res.per_period["meetings"].tolist() == [3, 0, 3, 4]
    assert res.n_periods == 4
    assert_allclose(res.mean_units_per_period, 4 / 4)
    s = res.summary().set_index("metric")
    assert_allclose(s.loc["mean per month: meetings", "value"], 10 / 4)
    assert res.per_unit["last_period"].tolist() == ["2019-06", "2019-07"]
    assert any("counts as zero" in line for line in res._notes())
    # the same window in reduction(): the same units per period
    red = reduction(df, before="before", after="after", unit="unit", period="month", periods=window)
    assert res.per_period["n_units"].tolist() == red.per_period["n_units"].tolist()
    # without the window, May is absent, as in reduction()
    present = usage(df, unit="unit", period="month")
    assert present.per_period["period"].tolist() == ["2019-04", "2019-06", "2019-07"]
    assert_allclose(present.mean_units_per_period, 4 / 3)


def test_periods_window_errors():
    df = pd.DataFrame({"month": ["2019-04", "2019-05"], "unit": ["a", "b"]})
    with pytest.raises(EvalkitError) as err:
        usage(df, unit="unit", period="month", periods=["2019-04"])
    assert str(err.value).startswith("row 3, column 'month', value '2019-05': period not among")
    with pytest.raises(EvalkitError, match="column 'periods'.*periods= needs period="):
        usage(df, unit="unit", periods=["2019-04"])


def test_summary_rows_and_display():
    df = pd.DataFrame(
        {
            "month": ["2019-04", "2019-04", "2019-05"],
            "dep": ["A", "B", "A"],
            "meetings": [2, 1, 3],
            "minutes": [30.5, 10.0, 20.0],
        }
    )
    res = usage(df, unit="dep", period="month", counts=["meetings", "minutes"])
    s = res.summary()
    assert list(s.columns) == SUMMARY_COLUMNS
    assert s["metric"].tolist() == [
        "n_units",
        "n_periods",
        "mean_units_per_period",
        "n_rows",
        "total: meetings",
        "total: minutes",
        "mean per month: meetings",
        "mean per month: minutes",
    ]
    # by hand: 2 units, 2 months, (2 + 1) / 2 units a month, 6 meetings, 60.5 minutes
    assert_allclose(s["value"], [2, 2, 1.5, 3, 6, 60.5, 3, 30.25])
    assert s["ci_low"].isna().all()
    assert "Units: 2 distinct values of dep." in str(res)
    assert "<table" in res._repr_html_()
    with pytest.raises(AttributeError):
        res.n_units = 3


def test_without_period_and_with_arrays():
    res = usage(unit=["t1", "t2", "t1"])
    assert (res.n_units, res.n_rows, res.n_periods, res.per_period) == (2, 3, None, None)
    assert res.per_unit["n_rows"].tolist() == [2, 1]
    assert res.summary()["metric"].tolist() == ["n_units", "n_rows"]
    res = usage(unit=["a", "b"], period=[pd.Period("2019-05", "M"), pd.Period("2019-04", "M")])
    assert res.per_period["period"].astype(str).tolist() == ["2019-04", "2019-05"]
    assert res.period_word == "month"


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("ABCDE"), st.integers(1, 6), st.integers(0, 50)),
        min_size=1,
        max_size=40,
    )
)
def test_property_sums_add_up(rows):
    df = pd.DataFrame(rows, columns=["unit", "month", "n"])
    res = usage(df, unit="unit", period="month", counts="n")
    assert res.per_period["n"].sum() == res.per_unit["n"].sum() == res.totals["n"] == df["n"].sum()
    assert res.per_period["new_units"].sum() == res.n_units
    assert res.per_period["cumulative_units"].iloc[-1] == res.n_units
    assert (res.per_period["n_units"] <= res.per_period["cumulative_units"]).all()
    assert res.per_unit["n_periods"].sum() == res.per_period["n_units"].sum()


@pytest.mark.parametrize(
    ("frame", "kwargs", "parts"),
    [
        (
            {"d": ["A", "B"], "m": ["2019-04", "2019-04"], "n": [1, -2]},
            {"counts": "n"},
            ["row 3", "column 'n'", "value -2"],
        ),
        (
            {"d": ["A", "B"], "m": ["2019-04", "2019-04"], "n": [1, "x"]},
            {"counts": "n"},
            ["row 3", "column 'n'", "value 'x'"],
        ),
        (
            {"d": ["A", None], "m": ["2019-04", "2019-04"], "n": [1, 2]},
            {},
            ["row 3", "column 'd'", "missing d label"],
        ),
        (
            {"d": ["A", "B"], "m": ["2019-04", " "], "n": [1, 2]},
            {},
            ["row 3", "column 'm'", "value ' '"],
        ),
        (
            {"d": ["A", "B"], "m": ["2019-04", pd.Timestamp("2019-05-01")], "n": [1, 2]},
            {},
            ["row 3", "column 'm'", "different kinds"],
        ),
        ({"d": ["A"], "m": ["2019-04"]}, {"counts": ["meetings"]}, ["column 'meetings'"]),
    ],
)
def test_errors_name_row_column_value(frame, kwargs, parts):
    with pytest.raises(EvalkitError) as exc:
        usage(pd.DataFrame(frame), unit="d", period="m", **kwargs)
    for part in parts:
        assert part in str(exc.value)


def test_argument_errors():
    with pytest.raises(EvalkitError, match="no data rows"):
        usage(pd.DataFrame({"d": []}), unit="d")
    with pytest.raises(EvalkitError, match="unit has 2 values but period has 1"):
        usage(unit=["a", "b"], period=["2019-04"])
    with pytest.raises(EvalkitError, match="column 'counts'.*no data were given"):
        usage(unit=["a"], counts="n")
