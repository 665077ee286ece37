"""Bad or extreme input to the statistics: the right number or an EvalkitError naming it.

Each case here once gave a wrong number or another exception (a review's
fuzzing); references are hand arithmetic and the file rows written below.
"""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import evalkit as ek
from evalkit.errors import EvalkitError


def test_all_blank_answers_are_an_evalkit_error():
    with pytest.raises(EvalkitError, match="all 2 answers are blank"):
        ek.satisfaction_rate(answers=[None, None])


def test_true_beside_numbers_is_refused_as_a_unit_label():
    with pytest.raises(EvalkitError, match=r"row 3, column 'unit', value True") as err:
        ek.reduction(before=[5, 6, 7], after=[1, 2, 3], unit=[1, 1.0, True])
    assert "True equals 1" in str(err.value)
    with pytest.raises(EvalkitError, match="True/False with numbers"):
        ek.usage(unit=[0, False, 2])
    # 1 and 1.0 are one number, hence one unit (as in pandas and Python)
    assert ek.reduction(before=[5, 6, 7], after=[1, 2, 3], unit=[1, 1.0, 2]).n == 2
    # True/False alone are labels like any other
    assert ek.reduction(before=[5, 6, 7], after=[1, 2, 3], unit=[True, False, True]).n == 2


def test_text_months_out_of_time_order_are_refused():
    months = ["2019-4", "2019-10", "2019-12"]
    with pytest.raises(EvalkitError, match=r"row 1, column 'period', value '2019-4'") as err:
        ek.reduction(before=[5, 6, 7], after=[1, 2, 3], period=months)
    assert "YYYY-MM" in str(err.value)
    with pytest.raises(EvalkitError, match="sort as text"):
        ek.usage(unit=["a", "b", "c"], period=months)
    ok = ek.reduction(before=[5, 6, 7], after=[1, 2, 3], period=["2019-04", "2019-10", "2019-12"])
    assert ok.per_period["period"].tolist() == ["2019-04", "2019-10", "2019-12"]
    # single-digit months that happen to sort right are accepted as written
    assert ek.reduction(before=[5, 6], after=[1, 2], period=["2019-4", "2019-5"]).n_periods == 2


def test_excluded_rows_are_the_file_rows(tmp_path):
    path = tmp_path / "work.csv"
    # file rows: 1 header, 2 A, 3 blank, 4 B (no before), 5 A, 6 blank, 7 B (no before)
    path.write_text("department,before,after\nA,5,1\n\nB,,1\nA,5,2\n\nB,,3\n", encoding="utf-8")
    schema = ek.Schema(
        "work",
        [
            ek.Column("department", "text"),
            ek.Column("before", "float", nullable=True),
            ek.Column("after", "float", nullable=True),
        ],
    )
    df = ek.read_table(path, schema)
    res = ek.reduction(df, before="before", after="after", unit="department", missing="exclude")
    assert res.excluded["row"].tolist() == [4, 7]
    assert any("rows 4, 7" in line for line in res._notes())


@pytest.mark.parametrize("n_resamples", [0, 10**9, 2.5, True])
def test_n_resamples_has_a_documented_limit(n_resamples):
    with pytest.raises(EvalkitError, match="positive whole number, at most 1,000,000"):
        ek.reduction(before=[5, 6, 7], after=[1, 2, 3], n_resamples=n_resamples)


@pytest.mark.parametrize("scale", [2.0**1000, 2.0**-1000])
def test_extreme_magnitudes_give_the_same_rate_and_intervals(scale):
    b = np.array([1.0, 2.0, 3.0, 1.5, 2.5])
    a = np.array([0.5, 1.0, 1.0, 0.2, 0.9])
    months = ["2019-04", "2019-05", "2019-04", "2019-05", "2019-06"]
    kw = {"period": months, "random_state": 1}
    ref = ek.reduction(before=b, after=a, **kw)
    res = ek.reduction(before=b * scale, after=a * scale, **kw)
    # a power of two scales every float exactly: rates equal, amounts scaled exactly
    assert res.rate == ref.rate and res.rate_ci == ref.rate_ci
    assert res.rate_ci_method == ref.rate_ci_method
    assert res.mean_unit_rate_ci == ref.mean_unit_rate_ci
    assert_allclose(res.mean_saved_ci, np.multiply(ref.mean_saved_ci, scale), rtol=0)
    assert_allclose(
        res.mean_saved_per_period_ci, np.multiply(ref.mean_saved_per_period_ci, scale), rtol=0
    )
    assert_allclose(res.per_unit["saved"], ref.per_unit["saved"] * scale, rtol=0)
    assert all(math.isfinite(x) for x in res.rate_ci)


def test_near_1e300_and_1e_minus_300_keep_finite_intervals():
    b = np.array([1.0, 2.0, 3.0, 1.5])
    a = np.array([0.5, 1.0, 1.0, 0.2])
    for scale in (1e300, 1e-300):
        res = ek.reduction(before=b * scale, after=a * scale, random_state=1)
        assert_allclose(res.rate, 0.64, rtol=1e-12)  # by hand: 1 - 2.7 / 7.5
        assert all(math.isfinite(x) for x in res.rate_ci)
        assert "same rate" not in res.rate_ci_method


def test_totals_beyond_the_largest_float_are_refused():
    with pytest.raises(EvalkitError, match="beyond the largest number") as err:
        ek.reduction(before=[1e308, 1e308], after=[1.0, 1.0])
    assert "column 'before', value 1e+308" in str(err.value)


def test_the_smallest_subnormal_hours_do_not_overflow_the_scaling():
    # 5e-324 is 2**-1074: dividing by it is exact, multiplying by its inverse would overflow
    res = ek.reduction(before=[5e-324], after=[0.0])
    assert res.rate == 1.0 and res.saved == 5e-324
