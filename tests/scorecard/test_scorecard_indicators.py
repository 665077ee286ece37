"""Tests of evalkit.scorecard.indicators: evaluate_indicators, its rules and errors."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scorecard_helpers import _indicator

from evalkit.errors import EvalkitError
from evalkit.scorecard import (
    Actual,
    evaluate_indicators,
    progress_table,
    scorecard_kpis,
)


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


def test_an_actual_with_a_non_finite_target_is_an_error():
    frame = _indicator(actual_source="computed:rpa.rate")
    with pytest.raises(EvalkitError) as err:
        evaluate_indicators(frame, actuals={"rpa.rate": Actual(84.0, "%", None, "", math.nan)})
    assert (err.value.row, err.value.column, err.value.value) == (
        2,
        "actual_source",
        "computed:rpa.rate",
    )


# ----------------------------------------------------------------------- units


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
