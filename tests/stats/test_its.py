"""Tests of evalkit.stats.its against least squares and a Newey-West covariance written out."""

import dataclasses
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from evalkit._results import SUMMARY_COLUMNS
from evalkit.errors import EvalkitError
from evalkit.stats.its import ItsResult, its, newey_west_lags

# --------------------------------------------------------------------------- helpers


def monthly(n=48, start="2017-04", t0=24, level=-5.0, slope=-0.3, march=0.0, noise=1.0, seed=7):
    """A monthly series with known changes: 40 - 0.1 t + level post + slope since + March peak.

    The noise is AR(1) with coefficient 0.4 (the case Newey-West errors are for).
    """
    rng = np.random.default_rng(seed)
    months = pd.period_range(start, periods=n, freq="M")
    t = np.arange(n, dtype="float64")
    post = (t >= t0).astype("float64")
    e = np.zeros(n)
    shocks = rng.normal(0.0, noise, n)
    for i in range(n):
        e[i] = (0.4 * e[i - 1] if i else 0.0) + shocks[i]
    y = 40 - 0.1 * t + level * post + slope * (t - t0) * post + march * (months.month == 3) + e
    return pd.DataFrame({"month": months.astype(str), "hours": y})


def design(n, t0, months=None):
    """Regressors built by hand: const, t, post, since, dummies of every month but the first."""
    t = np.arange(n, dtype="float64")
    post = (t >= t0).astype("float64")
    cols = [np.ones(n), t, post, (t - t0) * post]
    if months is not None:
        cols += [(months == m).astype("float64") for m in range(1, 13) if m != months[0]]
    return np.column_stack(cols)


def newey_west(X, e, lags, correction=True):
    """Newey-West covariance: bread (X'X)^-1, meat sum_l w_l (G_l + G_l'), w_l = 1 - l/(L + 1)."""
    n, k = X.shape
    xu = X * e[:, None]
    meat = xu.T @ xu
    for lag in range(1, lags + 1):
        w = 1 - lag / (lags + 1)
        g = xu[lag:].T @ xu[:-lag]
        meat += w * (g + g.T)
    bread = np.linalg.inv(X.T @ X)
    cov = bread @ meat @ bread
    return cov * n / (n - k) if correction else cov


def month_numbers(df):
    return pd.PeriodIndex(df["month"], freq="M").month.to_numpy()


# --------------------------------------------------------------------------- the fit


@pytest.mark.parametrize("seasonal", [True, False])
def test_coefficients_equal_least_squares_of_the_hand_built_design(seasonal):
    df = monthly(march=4.0)
    res = its(df, outcome="hours", period="month", intervention="2019-04", seasonal=seasonal)
    X = design(48, 24, month_numbers(df) if seasonal else None)
    b, *_ = np.linalg.lstsq(X, df["hours"].to_numpy(), rcond=None)
    assert_allclose(res.params.to_numpy(), b, rtol=1e-9, atol=1e-9)
    assert res.params.index[:4].tolist() == ["const", "t", "post", "since"]
    if seasonal:  # the first month (April) is the reference
        assert res.params.index[4:].tolist() == [f"month_{m}" for m in range(1, 13) if m != 4]
    assert res.level_change == res.params["post"]
    assert res.slope_change == res.params["since"]
    assert res.pre_slope == res.params["t"]
    assert res.df_resid == 48 - X.shape[1]


@pytest.mark.parametrize("seasonal", [True, False])
@pytest.mark.parametrize("lags", [0, 1, 3, 7])
def test_hac_covariance_equals_newey_west_written_out(seasonal, lags):
    df = monthly(march=4.0)
    res = its(
        df,
        outcome="hours",
        period="month",
        intervention="2019-04",
        seasonal=seasonal,
        hac_lags=lags,
    )
    X = design(48, 24, month_numbers(df) if seasonal else None)
    y = df["hours"].to_numpy()
    b, *_ = np.linalg.lstsq(X, y, rcond=None)
    V = newey_west(X, y - X @ b, lags, correction=True)
    assert_allclose(res.cov.to_numpy(), V, rtol=1e-9, atol=1e-12)
    se = np.sqrt(np.diag(V))
    assert_allclose(res.level_change_se, se[2], rtol=1e-9)
    assert_allclose(res.slope_change_se, se[3], rtol=1e-9)
    assert_allclose(res.pre_slope_se, se[1], rtol=1e-9)
    # the n/(n - k) factor is applied: without it the variances are smaller by (n - k)/n
    V0 = newey_west(X, y - X @ b, lags, correction=False)
    assert_allclose(res.cov.to_numpy() * (48 - X.shape[1]) / 48, V0, rtol=1e-9, atol=1e-12)
    assert res.cov.index.tolist() == res.cov.columns.tolist() == res.params.index.tolist()
    assert res.hac_lags == lags and res.hac_lags_rule == "as given (hac_lags=)"


def test_default_lags_follow_the_newey_west_1994_rule():
    # floor(4 (T/100)^(2/9)) by hand: T = 24 -> 2.91, 36 -> 3.19, 48 -> 3.40, 100 -> 4
    assert [newey_west_lags(t) for t in (24, 36, 48, 100)] == [2, 3, 3, 4]
    for n in (24, 36, 60):
        t0 = n // 2 + 1
        start = pd.Period("2017-04", freq="M")
        res = its(monthly(n=n, t0=t0), outcome="hours", period="month", intervention=start + t0)
        assert res.hac_lags == int(np.floor(4 * (n / 100) ** (2 / 9)))
        assert "floor(4 (T/100)^(2/9))" in res.hac_lags_rule and f"T = {n}" in res.hac_lags_rule


@pytest.mark.parametrize("confidence", [0.95, 0.9])
def test_intervals_use_the_t_distribution_on_the_residual_df(confidence):
    res = its(
        monthly(), outcome="hours", period="month", intervention="2019-04", confidence=confidence
    )
    q = stats.t.ppf(0.5 + confidence / 2, 48 - 15)
    for name in ("level_change", "slope_change", "pre_slope", "effect"):
        value, se = getattr(res, name), getattr(res, f"{name}_se")
        assert_allclose(getattr(res, f"{name}_ci"), (value - q * se, value + q * se), rtol=1e-12)
    # wider than the normal interval
    low, high = res.level_change_ci
    assert high - low > 2 * stats.norm.ppf(0.5 + confidence / 2) * res.level_change_se


def test_counterfactual_is_the_fit_without_the_post_and_since_terms():
    df = monthly(march=3.0)
    res = its(df, outcome="hours", period="month", intervention="2019-04")
    cf = res.counterfactual
    assert cf.columns.tolist() == ["period", "observed", "fitted", "counterfactual"]
    assert cf["period"].tolist() == list(pd.period_range("2017-04", periods=48, freq="M"))
    assert_allclose(cf["observed"], df["hours"])
    X = design(48, 24, month_numbers(df))
    b = res.params.to_numpy()
    assert_allclose(cf["fitted"], X @ b, rtol=1e-12)
    post, since = X[:, 2], X[:, 3]
    expected = cf["fitted"] - post * res.level_change - since * res.slope_change
    assert_allclose(cf["counterfactual"], expected, rtol=1e-12, atol=1e-12)
    assert_allclose(cf["counterfactual"][:24], cf["fitted"][:24], rtol=0, atol=0)


def test_effect_is_the_mean_gap_over_post_periods_with_delta_method_se():
    res = its(monthly(), outcome="hours", period="month", intervention="2019-04")
    cf = res.counterfactual
    after = cf["period"] >= pd.Period("2019-04", freq="M")
    gap = (cf["fitted"] - cf["counterfactual"])[after]
    assert_allclose(res.effect, gap.mean(), rtol=1e-12)
    assert_allclose(res.effect, res.level_change + 11.5 * res.slope_change, rtol=1e-12)
    w = np.zeros(len(res.params))
    w[2], w[3] = 1.0, np.arange(24).mean()
    assert_allclose(res.effect_se, np.sqrt(w @ res.cov.to_numpy() @ w), rtol=1e-12)


def test_known_level_and_slope_changes_are_recovered_within_the_interval():
    df = monthly(n=60, t0=30, level=-5.0, slope=-0.3, march=6.0, noise=1.0, seed=20190401)
    res = its(df, outcome="hours", period="month", intervention="2019-10")
    assert res.level_change_ci[0] < -5.0 < res.level_change_ci[1]
    assert res.slope_change_ci[0] < -0.3 < res.slope_change_ci[1]
    assert res.pre_slope_ci[0] < -0.1 < res.pre_slope_ci[1]
    true_effect = -5.0 - 0.3 * 14.5
    assert res.effect_ci[0] < true_effect < res.effect_ci[1]
    assert (res.n_periods, res.n_pre, res.n_post) == (60, 30, 30)
    assert res.intervention == pd.Period("2019-10", freq="M")


def test_seasonal_dummies_absorb_a_march_peak():
    # no noise, a March peak of 10 hours and an intervention in March: without
    # dummies the peak leaks into the level change; with them the fit is exact.
    df = monthly(n=48, t0=23, level=-5.0, slope=-0.3, march=10.0, noise=0.0)
    assert df["month"][23] == "2019-03"
    with_months = its(df, outcome="hours", period="month", intervention="2019-03")
    assert_allclose(with_months.level_change, -5.0, atol=1e-9)
    assert_allclose(with_months.slope_change, -0.3, atol=1e-9)
    others = with_months.params[[f"month_{m}" for m in (1, 2, 5, 6, 7, 8, 9, 10, 11, 12)]]
    assert_allclose(with_months.params["month_3"], 10.0, atol=1e-9)
    assert_allclose(others, 0.0, atol=1e-9)
    without = its(df, outcome="hours", period="month", intervention="2019-03", seasonal=False)
    assert abs(without.level_change - -5.0) > 0.5
    assert without.params.index.tolist() == ["const", "t", "post", "since"]
    resid = without.counterfactual["observed"] - without.counterfactual["fitted"]
    march = pd.PeriodIndex(without.counterfactual["period"]).month == 3
    assert resid[march].mean() > 5.0  # the peak is left in the residuals


def test_an_essentially_perfect_fit_gives_nan_intervals_not_zero_width():
    exact = monthly(n=30, t0=15, march=2.0, noise=0.0)
    res = its(exact, outcome="hours", period="month", intervention="2018-07")
    assert res.perfect_fit
    assert_allclose([res.level_change, res.slope_change], [-5.0, -0.3], atol=1e-9)
    for name in ("level_change", "slope_change", "pre_slope", "effect"):
        assert np.isnan(getattr(res, f"{name}_se"))
        assert np.isnan(getattr(res, f"{name}_ci")).all()
    assert res.cov.isna().all().all()
    assert "Essentially perfect fit" in "\n".join(res._notes())
    noisy = its(monthly(n=30, t0=15), outcome="hours", period="month", intervention="2018-07")
    assert not noisy.perfect_fit
    assert "perfect fit" not in "\n".join(noisy._notes())


# --------------------------------------------------------------------------- periods


def test_period_kinds_and_row_order_give_the_same_fit():
    df = monthly(n=36, t0=18)
    ref = its(df, outcome="hours", period="month", intervention="2018-10")
    months = pd.period_range("2017-04", periods=36, freq="M")
    variants = {
        "periods": df.assign(month=months),
        "timestamps": df.assign(month=months.to_timestamp()),
        "slashes": df.assign(month=[f"{m.year}/{m.month}" for m in months]),
        "shuffled": df.sample(frac=1.0, random_state=3),
    }
    for name, frame in variants.items():
        res = its(frame, outcome="hours", period="month", intervention="2018-10")
        assert_allclose(res.params, ref.params, rtol=1e-12, err_msg=name)
        assert_allclose(res.cov, ref.cov, rtol=1e-12, err_msg=name)
        pd.testing.assert_frame_equal(res.counterfactual, ref.counterfactual)
    # Japanese era months (令和元年5月 on), intervention written as an era month too
    late = monthly(n=36, start="2019-05", t0=18)
    late_months = pd.period_range("2019-05", periods=36, freq="M")
    late_era = late.assign(
        month=[f"令和{'元' if m.year == 2019 else m.year - 2018}年{m.month}月" for m in late_months]
    )
    a = its(late, outcome="hours", period="month", intervention="2020-11")
    b = its(late_era, outcome="hours", period="month", intervention="令和2年11月")
    assert_allclose(b.params, a.params, rtol=1e-12)
    assert b.intervention == pd.Period("2020-11", freq="M")


def test_whole_number_periods_without_seasons_and_arrays_without_data():
    df = monthly(n=30, t0=12)
    ref = its(df, outcome="hours", period="month", intervention="2018-04", seasonal=False)
    numbered = df.assign(month=np.arange(101, 131))
    res = its(numbered, outcome="hours", period="month", intervention=113, seasonal=False)
    assert_allclose(res.params, ref.params, rtol=1e-12)
    assert res.counterfactual["period"].tolist() == list(range(101, 131))
    assert res.period_word == "period" and res.intervention == 113
    arrays = its(
        outcome=df["hours"].tolist(),
        period=list(range(30)),
        intervention=12,
        seasonal=False,
    )
    assert_allclose(arrays.params, ref.params, rtol=1e-12)
    assert arrays.outcome == "outcome"


def test_input_is_not_modified_and_result_is_frozen():
    df = monthly()
    df.attrs["source"] = "hours.csv"
    copy = df.copy(deep=True)
    res = its(df, outcome="hours", period="month", intervention="2019-04")
    pd.testing.assert_frame_equal(df, copy)
    assert df.attrs == {"source": "hours.csv"}
    assert isinstance(res, ItsResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.level_change = 0.0


def test_summary_title_and_notes():
    res = its(monthly(n=36, t0=18), outcome="hours", period="month", intervention="2018-10")
    table = res.summary()
    assert table.columns.tolist() == SUMMARY_COLUMNS
    rows = table.set_index("metric")
    assert rows.index.tolist()[:4] == ["level_change", "slope_change", "pre_slope", "effect"]
    assert rows.loc["level_change", "value"] == res.level_change
    assert (rows.loc["effect", "ci_low"], rows.loc["effect", "ci_high"]) == res.effect_ci
    assert rows.loc["slope_change", "unit"] == "hours/month"
    assert rows.loc["effect", "unit"] == "hours"
    assert rows.loc["hac_lags", "value"] == 3 and rows.loc["n_post", "value"] == 18
    assert res._title.startswith("中断時系列分析（ITS")
    notes = "\n".join(res._notes())
    assert "floor(4 (T/100)^(2/9))" in notes and "n/(n - k)" in notes
    assert "t distribution on the residual df (21)" in notes
    assert "staggered" in notes and "diluted" in notes
    assert "Maryland Scientific Methods Scale level 2" in notes
    assert "Fewer than 12 months" not in notes
    short = its(monthly(n=30, t0=8), outcome="hours", period="month", intervention="2017-12")
    assert "Fewer than 12 months on one side" in "\n".join(short._notes())
    assert str(res).startswith("中断時系列分析") and "<li>" in res._repr_html_()


def test_importing_the_module_does_not_import_statsmodels():
    code = (
        "import sys, evalkit.stats.its\n"
        "print([m for m in ('statsmodels', 'scipy.stats') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- bad input


def call(df, **kwargs):
    options = {"outcome": "hours", "period": "month", "intervention": "2019-04"}
    return its(df, **{**options, **kwargs})


def test_non_numeric_outcome_names_file_row_column_value():
    df = monthly().astype({"hours": object})
    df.loc[5, "hours"] = "12時間?"
    df.attrs["source"] = "hours.csv"
    with pytest.raises(EvalkitError) as err:
        call(df)
    assert str(err.value).startswith("hours.csv, row 7, column 'hours', value '12時間?'")
    df.loc[5, "hours"] = None
    with pytest.raises(EvalkitError, match="row 7, column 'hours', value None: missing value"):
        call(df)


def test_duplicate_period_names_both_rows():
    df = monthly()
    df.loc[30, "month"] = "2018-06"  # also row 2 + 14
    with pytest.raises(EvalkitError) as err:
        call(df)
    assert err.value.row == 32 and err.value.column == "month" and err.value.value == "2018-06"
    assert "appears twice (also row 16)" in str(err.value)
    # rows are those of the frame as given, whatever its order
    with pytest.raises(EvalkitError, match=r"row 35, column 'month'.*also row 19"):
        call(df.iloc[::-1])


def test_gap_in_the_monthly_series_names_the_missing_month():
    df = monthly().drop(index=[10, 11])
    with pytest.raises(EvalkitError) as err:
        call(df)
    message = str(err.value)
    assert "gap in the series: no row for 2018-02 (2 periods missing in all)" in message
    assert err.value.row == 12 and err.value.value == "2018-04"  # the row after the gap


def test_gap_in_yyyymm_numbers_suggests_parse_month():
    df = monthly(n=24, start="2019-01", t0=12).assign(
        month=[201900 + m for m in range(1, 13)] + [202000 + m for m in range(1, 13)]
    )
    with pytest.raises(EvalkitError, match="no row for 201913.*YYYYMM.*parse_month"):
        its(df, outcome="hours", period="month", intervention=202001, seasonal=False)
    with pytest.raises(EvalkitError, match="row 2, column 'month'.*seasonal=True cannot be used"):
        its(df, outcome="hours", period="month", intervention=202001)


@pytest.mark.parametrize(
    ("intervention", "message"),
    [
        ("2021-04", r"not in the series \(2017-04 \.\. 2021-03, 48 months\)"),
        ("2016-04", "not in the series"),
        ("2017-04", "first period of the series"),
        ("2017-05", "only 1 period before it"),
        ("2021-03", "only 1 period from it on"),
        ("2019-13", "not a month"),
        (None, "must be a period of the series"),
    ],
)
def test_intervention_outside_at_the_start_or_near_the_end(intervention, message):
    with pytest.raises(EvalkitError, match=message) as err:
        call(monthly(), intervention=intervention)
    assert err.value.column == "intervention" and err.value.value == intervention


def test_too_few_periods_says_how_many_are_needed():
    with pytest.raises(EvalkitError, match="15 months for 15 coefficients.*at least 16"):
        call(monthly(n=15, t0=8), intervention="2017-12")
    with pytest.raises(EvalkitError, match="4 periods for 4 coefficients.*at least 5"):
        its(outcome=[1.0, 2.0, 4.0, 3.0], period=[0, 1, 2, 3], intervention=2, seasonal=False)
    res = call(monthly(n=16, t0=3), intervention="2017-07")  # 16 is enough
    assert res.df_resid == 1


@pytest.mark.parametrize(("n", "t0"), [(24, 12), (16, 4), (20, 10), (23, 11)])
def test_seasonal_needs_more_than_12_months_on_one_side(n, t0):
    df = monthly(n=n, t0=t0)
    month = df["month"][t0]
    with pytest.raises(EvalkitError, match=f"here {t0} before and {n - t0} from it on") as err:
        call(df, intervention=month)
    assert err.value.column == "intervention" and err.value.value == month
    assert call(df, intervention=month, seasonal=False).n_pre == t0
    # 13 months from the intervention on are enough: the design is then of full rank
    longer = monthly(n=t0 + 13, t0=t0)
    res = call(longer, intervention=month)
    X = design(t0 + 13, t0, month_numbers(longer))
    assert np.linalg.matrix_rank(X) == X.shape[1] == len(res.params)


@pytest.mark.parametrize("lags", [-1, 48, 100, 1.5, True, "3"])
def test_bad_hac_lags(lags):
    with pytest.raises(EvalkitError, match="hac_lags") as err:
        call(monthly(), hac_lags=lags)
    assert err.value.column == "hac_lags"
    if lags in (-1, 48, 100):
        assert "between 0 and 47" in str(err.value)


def test_other_bad_input():
    df = monthly()
    with pytest.raises(
        EvalkitError, match="row 4, column 'month', value (None|nan): missing period"
    ):
        call(df.assign(month=df["month"].where(df.index != 2, None)))
    with pytest.raises(EvalkitError, match="row 3, column 'month', value '春'.*not a month"):
        call(df.assign(month=df["month"].where(df.index != 1, "春")))
    quarterly = df.assign(month=pd.period_range("2010Q1", periods=48, freq="Q"))
    with pytest.raises(EvalkitError, match="seasonal=True needs monthly periods"):
        call(quarterly, intervention=pd.Period("2016Q1", freq="Q"))
    res = call(quarterly, intervention=pd.Period("2016Q1", freq="Q"), seasonal=False)
    assert res.n_pre == 24 and res.period_word == "period"
    with pytest.raises(EvalkitError, match="column not found"):
        call(df, outcome="minutes")
    with pytest.raises(EvalkitError, match="different lengths"):
        its(outcome=[1.0, 2.0], period=[0, 1, 2], intervention=1, seasonal=False)
    with pytest.raises(EvalkitError, match="confidence"):
        call(df, confidence=1.0)
    with pytest.raises(EvalkitError, match="seasonal"):
        call(df, seasonal="yes")
    with pytest.raises(EvalkitError, match="empty"):
        call(df.iloc[:0])
