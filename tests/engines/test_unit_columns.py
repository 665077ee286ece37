"""``unit=`` naming several columns (a department within a municipality), in memory."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import evalkit as ek
from evalkit.errors import EvalkitError


def _runs():
    # two municipalities with a department of the same name: two units, not one
    return pd.DataFrame(
        {
            "municipality_code": [1001, 1001, 2002, 2002, 1001, 2002],
            "department": ["総務課", "税務課", "総務課", "総務課", "総務課", "税務課"],
            "month": ["2019-04", "2019-04", "2019-04", "2019-05", "2019-05", "2019-05"],
            "hours_before": [10.0, 6.0, 8.0, 9.0, 12.0, 5.0],
            "hours_after": [4.0, 3.0, 2.0, 3.0, 5.0, 1.0],
        }
    )


def test_reduction_units_are_tuples_sorted_with_a_column_per_part():
    df = _runs()
    unit = ["municipality_code", "department"]
    res = ek.reduction(df, before="hours_before", after="hours_after", unit=unit, period="month")
    # pandas reference: group by both columns
    g = df.groupby(unit)[["hours_before", "hours_after"]].sum()
    assert res.per_unit["unit"].tolist() == list(g.index)
    assert list(res.per_unit.columns) == [
        "unit", "municipality_code", "department", "before", "after", "saved", "rate",
    ]  # fmt: skip
    assert res.per_unit["municipality_code"].tolist() == [1001, 1001, 2002, 2002]
    assert_allclose(res.per_unit["before"], g["hours_before"])
    assert res.n == 4
    # by hand: April has (1001, 総務課), (1001, 税務課), (2002, 総務課); May three as well
    assert res.per_period["n_units"].tolist() == [3, 3]
    assert "Units: 4 (municipality_code, department)" in str(res)
    one = ek.reduction(df, before="hours_before", after="hours_after", unit="department")
    assert one.n == 2  # by name alone the two 総務課 would be one unit


def test_usage_units_are_tuples():
    df = _runs()
    res = ek.usage(df, unit=["municipality_code", "department"], period="month")
    assert res.n_units == 4
    # sorted as tuples: 税 (U+7A0E) before 総 (U+7DCF)
    assert res.per_unit["unit"].tolist()[:2] == [(1001, "税務課"), (1001, "総務課")]
    assert res.per_unit["first_period"].tolist() == ["2019-04", "2019-04", "2019-05", "2019-04"]
    assert res.per_period["new_units"].tolist() == [3, 1]
    assert res.unit_name == "municipality_code, department"


def test_a_missing_part_names_its_column_and_row():
    df = _runs()
    df.loc[3, "department"] = " "
    with pytest.raises(EvalkitError) as err:
        ek.reduction(df, before="hours_before", after="hours_after", unit=["municipality_code",
                     "department"])  # fmt: skip
    assert str(err.value).startswith("row 5, column 'department', value ' ': missing department")
    with pytest.raises(EvalkitError, match="column 'dept'.*column not found"):
        ek.usage(df, unit=["municipality_code", "dept"])
    with pytest.raises(EvalkitError, match="empty list"):
        ek.reduction(df, before="hours_before", after="hours_after", unit=[])
    with pytest.raises(EvalkitError, match="twice"):
        ek.usage(df, unit=["department", "department"])


def test_without_data_a_list_is_still_the_values():
    res = ek.reduction(before=[3.0, 4.0, 5.0], after=[1.0, 1.0, 1.0], unit=["a", "b", "a"])
    assert res.per_unit["unit"].tolist() == ["a", "b"]
    assert ek.usage(unit=["x", "y", "x"]).n_units == 2
    assert np.isfinite(res.rate)
