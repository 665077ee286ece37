"""reduction(): Kish's effective units, clusters, the monthly mean's interval; baseline_sensitivity.

References: statsmodels OLS with cov_type="cluster" (CR1, t with G - 1 df)
for the cluster-robust means; scipy.stats.bootstrap for the BCa interval of a
total; statsmodels DescrStatsW for the t interval over periods; hand
arithmetic for Kish's formula, the design effect and the sensitivity table.
"""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose
from scipy import stats
from statsmodels.stats.weightstats import DescrStatsW

import evalkit as ek
from evalkit.errors import EvalkitError
from evalkit.stats._inference import rate_ci


def _panel(rng, n_units=24, n_months=12, n_clusters=6):
    rows = []
    for u in range(n_units):
        size = rng.lognormal(3, 1)
        share = rng.uniform(0.2, 0.8)
        for m in range(n_months):
            before = round(size * rng.uniform(0.5, 1.5), 1)
            rows.append(
                {
                    "month": f"2019-{m + 1:02d}",
                    "bureau": f"B{u % n_clusters}",
                    "department": f"D{u:02d}",
                    "hours_before": before,
                    "hours_after": round(before * (1 - share), 1),
                }
            )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------- n_effective


def test_n_effective_is_kish_by_hand():
    res = ek.reduction(before=[10.0, 20.0, 30.0, 40.0], after=[5.0, 5.0, 10.0, 30.0])
    assert_allclose(res.n_effective, 100.0**2 / (100 + 400 + 900 + 1600), rtol=1e-15)
    same = ek.reduction(before=[7.0] * 5, after=[1.0, 2.0, 3.0, 4.0, 5.0])
    assert_allclose(same.n_effective, 5.0)
    tiny = ek.reduction(before=[1e-200, 2e-200], after=[0.0, 1e-200])  # no underflow
    assert_allclose(tiny.n_effective, 9 / 5)
    assert ("n_effective" in res.summary()["metric"].tolist()) is True


def test_small_sample_note_uses_the_effective_number(rng):
    # 40 units, but one holds most of the hours: Kish's n is about 1.5
    b = np.r_[2000.0, np.full(39, 5.0)]
    a = b * rng.uniform(0.2, 0.8, b.size)
    res = ek.reduction(before=b, after=a, random_state=1)
    assert res.n == 40 and res.n_effective < 2
    assert any("Effective number of units 1." in line for line in res._notes())


# -------------------------------------------------------------------------- clusters


def test_cluster_means_match_statsmodels_cluster_robust(rng):
    df = _panel(rng)
    res = ek.reduction(
        df,
        before="hours_before",
        after="hours_after",
        unit="department",
        cluster="bureau",
        random_state=3,
    )
    units = df.groupby("department").agg(
        before=("hours_before", "sum"), after=("hours_after", "sum"), bureau=("bureau", "first")
    )
    d = (units["before"] - units["after"]).to_numpy()
    groups = pd.factorize(units["bureau"])[0]
    # statsmodels: OLS(d ~ 1), cov_type="cluster", use_t=True (CR1, t with G - 1 df)
    fit = sm.OLS(d, np.ones_like(d)).fit(
        cov_type="cluster", cov_kwds={"groups": groups}, use_t=True
    )
    assert_allclose(res.mean_saved_ci, fit.conf_int(0.05)[0], rtol=1e-10)
    assert_allclose(res.t_statistic, fit.tvalues[0], rtol=1e-10)
    assert_allclose(res.t_pvalue, fit.pvalues[0], rtol=1e-8)
    assert res.t_df == 5 and res.n_clusters == 6 and res.cluster == "bureau"
    rates = (d / units["before"]).to_numpy()
    fit_r = sm.OLS(rates, np.ones_like(rates)).fit(
        cov_type="cluster", cov_kwds={"groups": groups}, use_t=True
    )
    low, high = fit_r.conf_int(0.05)[0]
    assert_allclose(res.mean_unit_rate_ci, (low, min(high, 1.0)), rtol=1e-10)
    notes = " ".join(res._notes())
    assert "cluster-robust (CR1)" in notes and "Only 6 clusters" in notes


def test_cluster_rate_interval_and_design_effect(rng):
    df = _panel(rng)
    kw = {"before": "hours_before", "after": "hours_after", "random_state": 11}
    res = ek.reduction(df, unit="department", cluster="bureau", **kw)
    # the rate's interval over the bureau totals (pandas: department sums, then bureau
    # sums), drawn with the same generator; with the bureaus as units the totals can
    # differ in the last bit, which moves a bootstrap interval with ties
    dept = df.groupby("department").agg(
        b=("hours_before", "sum"), a=("hours_after", "sum"), bureau=("bureau", "first")
    )
    bureau = dept.groupby("bureau")[["b", "a"]].sum()
    ref, method = rate_ci(
        bureau["b"].to_numpy(),
        bureau["a"].to_numpy(),
        res.rate,
        0.95,
        9999,
        np.random.default_rng(11),
        11,
    )
    assert_allclose(res.rate_ci, ref, rtol=1e-12)
    assert res.rate_ci_method == f"over 6 clusters (bureau), each summed first: {method}"
    by_bureau = ek.reduction(df, unit="bureau", **kw)
    assert_allclose(res.rate_ci, by_bureau.rate_ci, rtol=0.02)
    # design effect by hand: linearised ratio variances (Cochran 6.13), clusters over units
    unit = df.groupby("department")[["hours_before", "hours_after"]].sum().to_numpy()
    clus = df.groupby("bureau")[["hours_before", "hours_after"]].sum().to_numpy()

    def var(x):
        n = len(x)
        z = (x[:, 0] - x[:, 1]) - res.rate * x[:, 0]
        return (z**2).sum() / ((n - 1) * n * x[:, 0].mean() ** 2)

    assert_allclose(res.design_effect, var(clus) / var(unit), rtol=1e-12)
    assert "design_effect" in res.summary()["metric"].tolist()


def test_unit_in_two_clusters_names_the_row():
    df = pd.DataFrame(
        {
            "department": ["a", "b", "a"],
            "bureau": ["X", "Y", "Z"],
            "before": [5.0, 6.0, 7.0],
            "after": [1.0, 2.0, 3.0],
        }
    )
    with pytest.raises(EvalkitError, match=r"row 4, column 'bureau', value 'Z'") as err:
        ek.reduction(df, before="before", after="after", unit="department", cluster="bureau")
    assert "row 2 puts it in X" in str(err.value)
    with pytest.raises(EvalkitError, match="missing bureau label"):
        ek.reduction(
            df.assign(bureau=["X", None, "X"]),
            before="before",
            after="after",
            unit="department",
            cluster="bureau",
        )


# ------------------------------------------------------------- mean saved per period


def test_period_interval_is_a_bca_bootstrap_over_units():
    # every unit has the same rate: rate_ci uses no random numbers, so the
    # generator reaches the period interval untouched
    df = pd.DataFrame(
        {
            "month": ["2019-04", "2019-05", "2019-06"] * 4,
            "unit": np.repeat(["a", "b", "c", "d"], 3),
            "before": [10.0, 12, 8, 20, 22, 30, 5, 6, 4, 40, 38, 45],
        }
    )
    df["after"] = df["before"] / 2
    res = ek.reduction(
        df, before="before", after="after", unit="unit", period="month", random_state=5
    )
    assert "same rate" in res.rate_ci_method
    totals = np.sort(df.groupby("unit")["before"].sum().to_numpy() / 2)
    # scipy.stats.bootstrap, BCa, statistic = sum of unit totals / 3 months
    ref = stats.bootstrap(
        (totals,),
        lambda x, axis=-1: x.sum(axis=axis) / 3,
        n_resamples=9999,
        method="BCa",
        rng=np.random.default_rng(5),
    ).confidence_interval
    assert_allclose(res.mean_saved_per_period_ci, (ref.low, ref.high), rtol=1e-12)
    assert res.mean_saved_per_period_ci_method.startswith("BCa bootstrap over 4 units")


def test_period_interval_options_and_notes(rng):
    df = _panel(rng)
    kw = {"before": "hours_before", "after": "hours_after", "unit": "department"}
    units = ek.reduction(df, period="month", random_state=1, **kw)
    months = ek.reduction(df, period="month", period_ci="periods", **kw)
    g = df.groupby("month")[["hours_before", "hours_after"]].sum()
    saved = (g["hours_before"] - g["hours_after"]).to_numpy()
    # statsmodels DescrStatsW: t interval over the 12 months
    assert_allclose(months.mean_saved_per_period_ci, DescrStatsW(saved).tconfint_mean(0.05))
    assert months.mean_saved_per_period_ci_method == "t interval over 12 periods, df = 11"
    lag1 = np.corrcoef(saved[:-1], saved[1:])[0, 1]
    note = next(n for n in units._notes() if "lag-1 autocorrelation" in n)
    assert f"lag-1 autocorrelation {lag1:.2f}" in note
    assert f"{months.mean_saved_per_period_ci[0]:.4g}" in note
    clustered = ek.reduction(df, period="month", cluster="bureau", random_state=1, **kw)
    assert "over 6 clusters (bureau)" in clustered.mean_saved_per_period_ci_method
    with pytest.raises(EvalkitError, match="period_ci= must be one of"):
        ek.reduction(df, period="month", period_ci="months", **kw)


def test_shipped_minutes_interval_comes_from_departments():
    minutes = ek.datasets.load_minutes_work()
    res = ek.reduction(
        minutes,
        before="hours_before",
        after="hours_after",
        unit="department",
        period="month",
        random_state=2019,
    )
    assert_allclose(res.mean_saved_per_period, 62.0, rtol=1e-12)  # the published 62 h
    low, high = res.mean_saved_per_period_ci
    assert low < 62.0 < high
    assert "116 units" in res.mean_saved_per_period_ci_method


# ------------------------------------------------------------- baseline_sensitivity


def test_baseline_sensitivity_on_the_rpa_trial_breaks_even_at_a_quarter():
    trial = ek.datasets.load_rpa_trial()
    res = ek.reduction(
        trial,
        before="hours_before",
        after="hours_after",
        unit="task",
        period="month",
        target=0.8,
        random_state=2019,
    )
    sens = ek.baseline_sensitivity(res)
    # by hand: rate(x) = 1 - (1 + x)(1 - rate) = 0.8  <=>  x = 0.2 / (1 - rate) - 1
    assert_allclose(sens.breakeven_overstatement, 0.2 / (1 - res.rate) - 1, rtol=1e-12)
    assert round(sens.breakeven_overstatement, 2) == 0.25
    t = sens.table
    assert t["overstatement"].tolist() == [0.0, 0.05, 0.1, 0.2, 0.3]
    assert_allclose(t["total_before"], res.total_before / (1 + t["overstatement"]))
    assert_allclose(t["saved"], res.total_before / (1 + t["overstatement"]) - res.total_after)
    assert_allclose(t["mean_saved_per_period"], t["saved"] / res.n_periods)
    assert t["meets_target"].tolist() == [True, True, True, True, False]
    assert "stops being met once the baseline is overstated by 25.0%" in str(sens)


def test_baseline_sensitivity_for_a_monthly_target():
    minutes = ek.datasets.load_minutes_work()
    res = ek.reduction(
        minutes,
        before="hours_before",
        after="hours_after",
        unit="department",
        period="month",
        target=50,
        target_metric="mean_saved_per_period",
        random_state=2019,
    )
    sens = ek.baseline_sensitivity(res, overstatement=[0.0, 0.1])
    # by hand: B / (1 + x) - A = 50 * 12  <=>  x = B / (A + 600) - 1
    expected = res.total_before / (res.total_after + 50 * 12) - 1
    assert_allclose(sens.breakeven_overstatement, expected, rtol=1e-12)
    # 62.0 h a month falls to about 45 with a baseline 10 % too high
    assert 44 < sens.table["mean_saved_per_period"].iloc[1] < 46


def test_baseline_sensitivity_without_target_or_never_failing():
    res = ek.reduction(before=[10.0, 20.0], after=[0.0, 0.0])
    sens = ek.baseline_sensitivity(res, overstatement=0.5)
    assert math.isnan(sens.breakeven_overstatement)
    assert sens.table["meets_target"].isna().all()
    met = ek.reduction(before=[10.0, 20.0], after=[0.0, 0.0], target=0.9)
    assert math.isnan(ek.baseline_sensitivity(met).breakeven_overstatement)  # rate stays 1
    assert "met at every overstatement" in str(ek.baseline_sensitivity(met))
    not_met = ek.reduction(before=[10.0, 20.0], after=[5.0, 10.0], target=0.9)
    assert math.isnan(ek.baseline_sensitivity(not_met).breakeven_overstatement)
    assert "not met even with the reported baseline" in str(ek.baseline_sensitivity(not_met))


@pytest.mark.parametrize("bad", [[-1.0], [float("nan")], ["0.1"], [True], [], "x", None])
def test_baseline_sensitivity_errors(bad):
    res = ek.reduction(before=[10.0, 20.0], after=[5.0, 5.0])
    with pytest.raises(EvalkitError, match="overstatement"):
        ek.baseline_sensitivity(res, overstatement=bad)
    with pytest.raises(EvalkitError, match="what evalkit.reduction"):
        ek.baseline_sensitivity(res.summary())


def test_period_interval_above_the_bootstrap_limit_is_the_t_interval_of_the_total(rng):
    n, months = 1200, 3
    df = pd.DataFrame(
        {
            "unit": np.repeat(np.arange(n), months),
            "month": np.tile(["2019-04", "2019-05", "2019-06"], n),
            "before": rng.gamma(2.0, 10.0, n * months),
        }
    )
    df["after"] = df["before"] * rng.uniform(0.2, 0.9, len(df))
    res = ek.reduction(df, before="before", after="after", unit="unit", period="month")
    d = df.groupby("unit")["before"].sum() - df.groupby("unit")["after"].sum()
    # scipy: one-sample t interval of the unit totals, scaled by n / P
    ci = stats.ttest_1samp(d.to_numpy(), 0.0).confidence_interval(0.95)
    assert_allclose(res.mean_saved_per_period_ci, (n / months * ci.low, n / months * ci.high))
    assert "1200 > 1000, the bootstrap limit" in res.mean_saved_per_period_ci_method


# ------------------------------------------------------------- row order


@pytest.mark.parametrize(
    ("loader", "extra"),
    [
        ("load_rpa_trial", {"unit": "department"}),
        ("load_rpa_trial", {"unit": "task"}),
        ("load_minutes_work", {"unit": "department"}),
        ("load_minutes_work", {"unit": "department", "cluster": "bureau"}),
    ],
)
def test_intervals_do_not_depend_on_row_order(loader, extra):
    # rows added in another order change per-unit sums in their last bit; the
    # bootstraps (unit order, replicates tied with the estimate) must not see it
    data = getattr(ek.datasets, loader)()
    kw = {"before": "hours_before", "after": "hours_after", "period": "month", **extra}
    fields = ("rate_ci", "mean_saved_per_period_ci", "mean_saved_ci", "mean_unit_rate_ci")
    first = ek.reduction(data, random_state=7, **kw)
    for seed in range(1, 6):
        shuffled = data.sample(frac=1, random_state=seed).reset_index(drop=True)
        res = ek.reduction(shuffled, random_state=7, **kw)
        for name in fields:
            assert_allclose(getattr(res, name), getattr(first, name), rtol=1e-12, err_msg=name)
