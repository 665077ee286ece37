"""Tests of evalkit.stats.conversions against hand arithmetic."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from evalkit.errors import EvalkitError
from evalkit.stats.conversions import (
    DEFAULT_ANNUAL_HOURS_PER_FTE,
    annualise,
    hours_to_fte,
    hours_to_yen,
)


def test_default_annual_hours_is_statutory_week_times_52():
    # 38 h 45 min a week (一般職の職員の勤務時間、休暇等に関する法律 第5条) x 52 weeks
    assert DEFAULT_ANNUAL_HOURS_PER_FTE == (38 + 45 / 60) * 52 == 2015


def test_scalars_by_hand():
    # the FY2019 report's "62 hours a month": 62 x 12 = 744 hours a year
    assert annualise(62) == 744.0
    assert annualise(62, periods_per_year=4) == 248.0
    assert hours_to_fte(744) == pytest.approx(744 / 2015)
    assert hours_to_fte(744, annual_hours_per_fte=1860) == pytest.approx(0.4)
    assert hours_to_yen(1800, hourly_cost=3000) == 5_400_000.0
    assert isinstance(annualise(np.int64(3)), float)


def test_array_likes_keep_their_kind():
    out = annualise([1, 2.5])
    assert isinstance(out, np.ndarray)
    assert_allclose(out, [12, 30])
    s = pd.Series([2015.0, 4030.0], index=["a", "b"], name="hours")
    fte = hours_to_fte(s)
    assert isinstance(fte, pd.Series)
    assert list(fte.index) == ["a", "b"] and fte.name == "hours"
    assert_allclose(fte, [1.0, 2.0])
    assert_allclose(hours_to_yen(np.array([1.0, 2.0]), hourly_cost=2500), [2500, 5000])


@given(st.lists(st.floats(-1e9, 1e9, allow_subnormal=False), max_size=20), st.floats(0.01, 1e4))
def test_property_fte_inverts_hours(hours, per_fte):
    fte = hours_to_fte(hours, annual_hours_per_fte=per_fte)
    assert_allclose(fte * per_fte, hours, rtol=1e-12)


def test_negative_values_and_nan_pass_through_by_hand():
    # linear scalings: a negative saving or a CI bound below zero is scaled like any value,
    # and a missing value (an interval that could not be computed) stays missing
    assert annualise(-1.5) == -18.0
    assert hours_to_fte(-4030) == -2.0
    assert hours_to_yen(-10, hourly_cost=3000) == -30_000.0
    assert math.isnan(annualise(float("nan")))
    assert math.isnan(hours_to_yen(np.float64("nan"), hourly_cost=3000))
    assert_allclose(annualise([-1.6, float("nan"), 3.1]), [-19.2, np.nan, 37.2])
    s = pd.Series([-2015.0, None], index=[10, 11], name="ci_low")
    fte = hours_to_fte(s)
    assert list(fte.index) == [10, 11] and fte.name == "ci_low"
    assert_allclose(fte, [-1.0, np.nan])
    assert_allclose(hours_to_yen([1.0, None, ""], hourly_cost=2), [2.0, np.nan, np.nan])


@pytest.mark.parametrize(
    ("values", "parts"),
    [
        ([1.0, float("inf")], ["row 2", "column 'hours'", "value inf", "infinite"]),
        ([1.0, 2.0, "x"], ["row 3", "column 'hours'", "value 'x'", "not a number"]),
        ([1.0, True], ["row 2", "column 'hours'", "value True", "true/false"]),
        (float("inf"), ["column 'hours'", "value inf", "infinite"]),
        (float("-inf"), ["column 'hours'", "value -inf", "infinite"]),
        ("12", ["column 'hours'", "value '12'", "expected a number"]),
        (None, ["column 'hours'", "value None"]),
        (object(), ["column 'hours'", "not a number"]),
    ],
)
def test_bad_values(values, parts):
    with pytest.raises(EvalkitError) as exc:
        hours_to_fte(values)
    for part in parts:
        assert part in str(exc.value)


def test_bad_values_name_their_argument():
    with pytest.raises(EvalkitError, match="column 'monthly', value 'x'"):
        annualise("x")
    with pytest.raises(EvalkitError, match="one-dimensional"):
        hours_to_yen([[1, 2]], hourly_cost=1)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: annualise(1, periods_per_year=0), "periods_per_year"),
        (lambda: hours_to_fte(1, annual_hours_per_fte=-2015), "annual_hours_per_fte"),
        (lambda: hours_to_fte(1, annual_hours_per_fte=float("nan")), "annual_hours_per_fte"),
        (lambda: hours_to_yen(1, hourly_cost="3000"), "hourly_cost"),
        (lambda: hours_to_yen(1, hourly_cost=True), "hourly_cost"),
    ],
)
def test_bad_parameters(call, name):
    with pytest.raises(EvalkitError, match=f"{name}= must be a positive finite number"):
        call()


def test_hourly_cost_is_required():
    with pytest.raises(TypeError):
        hours_to_yen(10)


# ---------------------------------------------------------------- expected_savings


def test_expected_savings_on_the_fy2020_candidates_by_hand():
    from evalkit.datasets import load_rpa_candidates
    from evalkit.stats.conversions import expected_savings

    cand = load_rpa_candidates()
    before = cand.copy()
    got = expected_savings(cand, before="annual_hours_before", rate="expected_reduction_rate")
    # hand arithmetic on the file's values: 500 x 0.80, 670 x 0.85, 800 x 0.84
    assert_allclose(got, [400.0, 569.5, 672.0], rtol=1e-12)
    assert got.name == "expected_saved"
    assert list(got.index) == list(cand.index)
    pd.testing.assert_frame_equal(cand, before)  # caller's frame untouched


def test_expected_savings_kinds():
    from evalkit.stats.conversions import expected_savings

    assert expected_savings(before=500, rate=0.8) == 400.0
    assert isinstance(expected_savings(before=np.int64(10), rate=0.5), float)
    out = expected_savings(before=[100.0, 200.0], rate=[0.5, 0.25])
    assert isinstance(out, np.ndarray)
    assert_allclose(out, [50.0, 50.0])
    assert_allclose(expected_savings(before=[100.0, 200.0], rate=0.1), [10.0, 20.0])
    s = pd.Series([100.0, 40.0], index=["x", "y"], name="h")
    got = expected_savings(before=s, rate=pd.Series([0.5, 1.0], index=[7, 8]))
    assert list(got.index) == ["x", "y"] and got.name == "h"
    assert_allclose(got, [50.0, 40.0])


@given(
    st.lists(
        st.tuples(st.floats(0, 1e7, allow_subnormal=False), st.floats(0, 1)),
        min_size=1,
        max_size=20,
    )
)
def test_property_expected_savings_between_zero_and_before(rows):
    from evalkit.stats.conversions import expected_savings

    before = [b for b, _ in rows]
    rate = [r for _, r in rows]
    out = expected_savings(before=before, rate=rate)
    assert (out >= 0).all() and (out <= np.asarray(before) * (1 + 1e-12)).all()
    assert_allclose(out + expected_savings(before=before, rate=[1 - r for r in rate]), before)


def test_expected_savings_negative_and_missing_by_hand():
    from evalkit.stats.conversions import expected_savings

    # a negative amount, a rate's CI bound below zero, NaN passing through
    assert expected_savings(before=-100.0, rate=0.5) == -50.0
    assert expected_savings(before=500.0, rate=-0.2) == -100.0
    assert math.isnan(expected_savings(before=500.0, rate=float("nan")))
    assert_allclose(
        expected_savings(before=[100.0, None, -10.0], rate=[0.5, 0.5, float("nan")]),
        [50.0, np.nan, np.nan],
    )
    df = pd.DataFrame({"h": [500.0, -1.0, None], "r": [0.5, -0.5, 0.5]})
    assert_allclose(expected_savings(df, before="h", rate="r"), [250.0, 0.5, np.nan])


@pytest.mark.parametrize(
    ("frame", "parts"),
    [
        ({"h": [500.0, 10.0], "r": [0.5, 1.2]}, ["row 3", "column 'r'", "value 1.2", "at most 1"]),
        ({"h": [500.0, 10.0], "r": ["80%", 0.5]}, ["row 2", "column 'r'", "value '80%'"]),
        ({"h": [500.0, "x"], "r": [0.5, 0.5]}, ["row 3", "column 'h'", "value 'x'"]),
        ({"h": [500.0, float("inf")], "r": [0.5, 0.5]}, ["row 3", "column 'h'", "infinite"]),
    ],
)
def test_expected_savings_errors_name_row_column_value(frame, parts):
    from evalkit.stats.conversions import expected_savings

    with pytest.raises(EvalkitError) as exc:
        expected_savings(pd.DataFrame(frame), before="h", rate="r")
    for part in parts:
        assert part in str(exc.value)


@pytest.mark.parametrize(
    ("kwargs", "parts"),
    [
        ({"before": 10, "rate": 1.5}, ["column 'rate'", "value 1.5"]),
        ({"before": 10, "rate": np.float64(80.0)}, ["column 'rate'", "value 80.0"]),
        ({"before": 10, "rate": float("inf")}, ["column 'rate'", "value inf"]),
        ({"before": 10, "rate": "0.8"}, ["column 'rate'", "value '0.8'"]),
        ({"before": 10, "rate": None}, ["column 'rate'", "value None"]),
        ({"before": "10", "rate": 0.5}, ["column 'before'", "value '10'"]),
        ({"before": [1.0, 2.0], "rate": [0.5, 2]}, ["row 2", "column 'rate'", "value 2"]),
        ({"before": [1.0, 2.0], "rate": [0.5]}, ["column 'rate'", "2 values but rate has 1"]),
    ],
)
def test_expected_savings_value_errors(kwargs, parts):
    from evalkit.stats.conversions import expected_savings

    with pytest.raises(EvalkitError) as exc:
        expected_savings(**kwargs)
    for part in parts:
        assert part in str(exc.value)


def test_expected_savings_missing_column():
    from evalkit.stats.conversions import expected_savings

    with pytest.raises(EvalkitError, match="column 'rate'"):
        expected_savings(pd.DataFrame({"h": [1.0]}), before="h", rate="rate")
