"""evalkit.did against R's did package, the csdid port of it, and the generator's truth.

References
----------
- R ``did`` (Callaway & Sant'Anna) on its example data ``mpdta`` (county
  teen employment 2003-2007; ``tests/stats/mpdta.csv``, the columns year,
  countyreal, lemp and first.treat of the package's data set): the values
  below are R's output of ``att_gt(yname = "lemp", tname = "year", idname =
  "countyreal", gname = "first.treat", xformla = ~1, est_method = "dr",
  control_group = ..., bstrap = FALSE)`` followed by ``aggte(type =
  "simple" / "dynamic" / "group", bstrap = FALSE)``, as recorded by the
  csdid project in ``csdid/test_csdid/r_ref/ref_aggte.csv``
  (scenarios ``mpdta_nyt_dr`` and ``mpdta_nev_dr``).
- csdid 0.4.3 (a Python port of R's did, installed as a test dependency),
  run here on the shipped panel: an implementation independent of the
  ``differences`` package that evalkit calls.
"""

import contextlib
import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import evalkit as ek
from evalkit import EvalkitError
from evalkit.datasets import load_drafting_panel, load_minutes_work

MPDTA = Path(__file__).with_name("mpdta.csv")

# R did 2.x, mpdta, doubly robust, no covariates (ref_aggte.csv).
R_MPDTA = {
    "not_yet_treated": {
        "simple": (-0.0397636256230437, 0.0120524247873419),
        "dynamic": {
            -3: (0.0297593647610311, 0.0145335416386514),
            -2: (-0.00244615388606511, 0.0131203504342708),
            -1: (-0.0242689034145076, 0.0144636816758019),
            0: (-0.0189221990834249, 0.0120445686892691),
            1: (-0.0535893473848319, 0.016946385539125),
            2: (-0.136274346328678, 0.03540338496891),
            3: (-0.100811363085404, 0.0343592258346733),
        },
        "group": {
            2004: (-0.0836942930380162, 0.0257015997680069),
            2006: (-0.0182817976131207, 0.0159222358245001),
            2007: (-0.0260544107191966, 0.0166554353492522),
        },
    },
    "never_treated": {
        "simple": (-0.0399512751551763, 0.0120340127701854),
        "dynamic": {
            -3: (0.0305066555832928, 0.01503356028013),
            -2: (-0.000563084626385429, 0.01329164473655),
            -1: (-0.0244587449711696, 0.0142364022105193),
            0: (-0.0199318167892593, 0.0118263640580582),
            1: (-0.0509573670651939, 0.016893476268678),
            2: (-0.137258738889403, 0.0364356642876865),
            3: (-0.100811363085404, 0.0343592258346733),
        },
        "group": {
            2004: (-0.0797491265747291, 0.0263677994350273),
            2006: (-0.0229095392495403, 0.0167033302551619),
            2007: (-0.0260544107191966, 0.0166554353492522),
        },
    },
}


@pytest.fixture(scope="module")
def mpdta():
    df = pd.read_csv(MPDTA)
    df["first"] = df["first.treat"].replace(0, np.nan)  # R: 0 = never treated
    return df


@pytest.fixture(scope="module")
def panel():
    return load_drafting_panel()


def _did_panel(panel, **kw):
    return ek.did(
        panel, outcome="hours", unit="department", period="month", first_treated="first_month", **kw
    )


def _csdid(df, *, y, g, unit, t, control):
    """csdid's ATT(g,t) fit and its simple and dynamic aggregations (quietly)."""
    from csdid.att_gt import ATTgt

    out = {}
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        fit = ATTgt(
            yname=y, gname=g, idname=unit, tname=t, data=df, control_group=control, est_method="dr"
        ).fit(est_method="dr", bstrap=False)
        fit.aggte(typec="simple", bstrap=False)
        out["simple"] = (float(fit.atte["overall_att"]), float(fit.atte["overall_se"]))
        fit.aggte(typec="dynamic", bstrap=False)
        out["egt"] = np.asarray(fit.atte["egt"], dtype=int)
        out["att_egt"] = np.asarray(fit.atte["att_egt"], dtype=float)
        out["se_egt"] = np.asarray(fit.atte["se_egt"], dtype=float)
        out["if_egt"] = np.asarray(fit.atte["inf_function"]["dynamic_inf_func_e"], dtype=float)
    return out


# ----------------------------------------------------------------------------
# R's published output


@pytest.mark.parametrize("control", ["not_yet_treated", "never_treated"])
def test_mpdta_matches_r_did(mpdta, control):
    ref = R_MPDTA[control]
    res = ek.did(
        mpdta,
        outcome="lemp",
        unit="countyreal",
        period="year",
        first_treated="first",
        control=control,
    )
    assert res.att == pytest.approx(ref["simple"][0], abs=1e-10)
    assert res.att_se == pytest.approx(ref["simple"][1], abs=1e-10)
    z = stats.norm.ppf(0.975)
    assert res.att_ci == pytest.approx((res.att - z * res.att_se, res.att + z * res.att_se))
    ev = res.event_study.set_index("event_time")
    assert list(ev.index) == sorted(ref["dynamic"])
    for e, (att, se) in ref["dynamic"].items():
        assert ev.loc[e, "att"] == pytest.approx(att, abs=1e-10)
        assert ev.loc[e, "se"] == pytest.approx(se, abs=1e-10)
    by = res.by_cohort.set_index("cohort")
    for g, (att, se) in ref["group"].items():
        assert by.loc[g, "att"] == pytest.approx(att, abs=1e-10)
        assert by.loc[g, "se"] == pytest.approx(se, abs=1e-10)
    assert by["n_units"].to_dict() == {2004: 20, 2006: 40, 2007: 131}
    assert (res.n_units, res.n_treated, res.n_not_treated) == (500, 191, 309)
    assert res.control == control


def test_confidence_scales_the_interval(mpdta):
    res = ek.did(
        mpdta,
        outcome="lemp",
        unit="countyreal",
        period="year",
        first_treated="first",
        confidence=0.9,
    )
    z = stats.norm.ppf(0.95)
    assert res.att_ci[1] - res.att == pytest.approx(z * res.att_se)
    row = res.event_study.iloc[0]
    assert row["ci_high"] - row["att"] == pytest.approx(z * row["se"])


# ----------------------------------------------------------------------------
# the shipped panel against csdid, and against the generator's true effect


@pytest.mark.parametrize(
    ("control", "cs_control"),
    [("not_yet_treated", "notyettreated"), ("never_treated", "nevertreated")],
)
def test_panel_matches_csdid(panel, control, cs_control):
    res = _did_panel(panel, control=control)
    months = sorted(panel["month"].unique())
    t = {m: i + 1 for i, m in enumerate(months)}
    df = pd.DataFrame(
        {
            "unit": pd.factorize(panel["department"])[0],
            "t": panel["month"].map(t),
            "g": panel["first_month"].map(t).fillna(0).astype(int),
            "y": panel["hours"],
        }
    )
    ref = _csdid(df, y="y", g="g", unit="unit", t="t", control=cs_control)
    assert round(res.att, 3) == round(ref["simple"][0], 3)  # the bar
    assert res.att == pytest.approx(ref["simple"][0], abs=1e-8)
    assert res.att_se == pytest.approx(ref["simple"][1], rel=1e-6)
    ev = res.event_study.set_index("event_time")
    np.testing.assert_allclose(ev.loc[ref["egt"], "att"], ref["att_egt"], atol=1e-8)
    np.testing.assert_allclose(ev.loc[ref["egt"], "se"], ref["se_egt"], rtol=1e-6)
    # The pre-trend Wald statistic from csdid's influence functions of the same leads.
    lead = (ref["egt"] < 0) & (ref["egt"] >= -res.pretrend_leads)
    psi = ref["if_egt"][:, lead]
    cov = psi.T @ psi / psi.shape[0] ** 2
    b = ref["att_egt"][lead]
    wald = float(b @ np.linalg.solve(cov, b))
    assert res.pretrend_stat == pytest.approx(wald, rel=1e-6)
    assert res.pretrend_df == lead.sum() == res.pretrend_leads
    assert res.pretrend_pvalue == pytest.approx(stats.chi2.sf(wald, lead.sum()), rel=1e-6)
    assert not res.pretrend_singular


def test_panel_recovers_the_generators_true_effect(panel):
    # The generator (evalkit/datasets/_panel.py) makes the tool save exactly
    # 0.8 x (hours_before - hours_after) of minutes_work.csv in each
    # department-month from first_month on; computed here from the files.
    minutes = load_minutes_work()
    saved = float((minutes["hours_before"] - minutes["hours_after"]).sum())
    first = panel.groupby("department")["first_month"].first().dropna()
    last = panel["month"].max()
    cells = int(sum((last - f).n + 1 for f in first))
    truth = -0.8 * saved / cells
    assert truth == pytest.approx(-0.6373, abs=1e-4)
    for control in ("not_yet_treated", "never_treated"):
        res = _did_panel(panel, control=control)
        assert res.treated_cells == cells == 934
        assert res.att_ci[0] < truth < res.att_ci[1]
        assert res.pretrend_pvalue > 0.05  # parallel trends hold by construction
    # A within-adopter before/after is biased by the season and the trend.
    assert (res.n_treated, res.n_not_treated, res.n_units) == (116, 40, 156)


def test_summary_and_display(panel):
    res = _did_panel(panel)
    table = res.summary()
    assert list(table.columns) == ["metric", "value", "ci_low", "ci_high", "unit"]
    att = table.set_index("metric").loc["att"]
    assert (att["value"], att["ci_low"], att["ci_high"]) == (res.att, *res.att_ci)
    assert "差の差分析" in res._repr_html_()
    text = str(res)
    assert "not-yet-treated" in text and "Pre-trend test" in text and "Maryland" in text


def test_text_months_and_arrays_give_the_same_result(panel):
    res = _did_panel(panel)
    as_text = panel.assign(
        month=panel["month"].astype(str),
        first_month=[
            ""
            if pd.isna(p)
            else f"令和{p.year - 2018}年{p.month}月"
            if p.year >= 2020 or p.month >= 5
            else str(p)
            for p in panel["first_month"]
        ],
    )
    res2 = _did_panel(as_text)
    assert res2.att == pytest.approx(res.att, abs=1e-12)
    res3 = ek.did(
        outcome=panel["hours"].to_numpy(),
        unit=panel["department"].to_list(),
        period=panel["month"].to_list(),
        first_treated=panel["first_month"].to_list(),
    )
    assert res3.att == pytest.approx(res.att, abs=1e-12)


def test_row_order_does_not_matter(panel):
    shuffled = panel.sample(frac=1.0, random_state=1)
    assert _did_panel(shuffled).att == pytest.approx(_did_panel(panel).att, abs=1e-10)


# ----------------------------------------------------------------------------
# units at the edges of the window


def test_unit_treated_in_first_period_is_left_out_and_said(mpdta):
    df = mpdta.copy()
    df.loc[df["countyreal"] == 13013, "first"] = 2003  # treated from the first year
    res = ek.did(df, outcome="lemp", unit="countyreal", period="year", first_treated="first")
    assert res.n_units == 499 and res.n_not_treated == 308
    assert res.excluded["unit"].tolist() == [13013]
    assert "left out: 13013" in str(res)


def test_first_period_after_the_window_counts_as_not_treated(mpdta):
    df = mpdta.copy()
    df["first"] = df["first"].fillna(2010)
    res = ek.did(df, outcome="lemp", unit="countyreal", period="year", first_treated="first")
    base = ek.did(mpdta, outcome="lemp", unit="countyreal", period="year", first_treated="first")
    assert res.att == pytest.approx(base.att, abs=1e-12)
    assert res.n_not_treated == 309
    assert "309 unit(s) first treated after the window" in str(res)


# ----------------------------------------------------------------------------
# bad input


def _small():
    rows = []
    for unit, first in [("A", 2), ("B", 3), ("C", None), ("D", None)]:
        for t in range(1, 5):
            rows.append((unit, t, first, float(t + (unit == "B"))))
    return pd.DataFrame(rows, columns=["unit", "t", "first", "y"])


def _run(df, **kw):
    return ek.did(df, outcome="y", unit="unit", period="t", first_treated="first", **kw)


def test_non_numeric_outcome_names_row_column_value():
    df = _small().astype({"y": object})
    df.loc[5, "y"] = "12時間?"
    with pytest.raises(EvalkitError) as info:
        _run(df)
    assert (info.value.row, info.value.column, info.value.value) == (7, "y", "12時間?")


def test_missing_outcome_is_refused():
    df = _small()
    df.loc[2, "y"] = np.nan
    with pytest.raises(EvalkitError) as info:
        _run(df)
    assert (info.value.row, info.value.column) == (4, "y")


def test_two_first_periods_for_one_unit():
    df = _small()
    df.loc[3, "first"] = 3  # unit A: 2 in rows 2-4, 3 in row 5
    with pytest.raises(EvalkitError, match="two different first values") as info:
        _run(df)
    assert (info.value.row, info.value.column, info.value.value) == (5, "first", 3)
    assert "row 2" in str(info.value)


def test_duplicate_unit_period_names_both_rows():
    df = pd.concat([_small(), _small().iloc[[6]]], ignore_index=True)
    with pytest.raises(EvalkitError, match=r"two rows for t 3 \(rows 8 and 18\)"):
        _run(df)


def test_unbalanced_panel_names_unit_and_missing_period():
    df = _small().drop(index=9).reset_index(drop=True)  # C has no row for t = 2
    with pytest.raises(EvalkitError, match=r"not balanced: unit 'C' has no row for t 2") as info:
        _run(df)
    assert (info.value.column, info.value.value) == ("t", "2")


def test_no_comparison_group():
    df = _small()
    df["first"] = 2  # every unit treated at t = 2
    with pytest.raises(EvalkitError, match="no comparison group"):
        _run(df)
    df = _small()
    df["first"] = df["first"].fillna(3)
    with pytest.raises(EvalkitError, match="control='never_treated' but every unit"):
        _run(df, control="never_treated")


def test_no_treated_unit():
    df = _small()
    df["first"] = np.nan
    with pytest.raises(EvalkitError, match="no unit is treated"):
        _run(df)


def test_first_treated_of_another_kind_or_between_periods():
    df = _small().astype({"first": object})
    df.loc[0:3, "first"] = "2019-05"
    with pytest.raises(EvalkitError, match="same kind as the period column") as info:
        _run(df)
    assert info.value.row == 2
    df = _small()
    df.loc[0:3, "first"] = 2.5
    with pytest.raises(EvalkitError, match="same kind"):
        _run(df)
    months = pd.DataFrame(
        {
            "unit": ["A", "A", "B", "B"],
            "t": ["2019-04", "2019-06", "2019-04", "2019-06"],
            "first": ["2019-05", "2019-05", None, None],
            "y": [1.0, 2.0, 1.0, 1.0],
        }
    )
    with pytest.raises(EvalkitError, match="2019-05 is not a period of the series"):
        _run(months)


def test_bad_text_month_names_the_row():
    df = _small().astype({"t": object})
    df["t"] = df["t"].map(lambda t: f"2019-{t:02d}")
    df["first"] = df["first"].map(lambda f: None if pd.isna(f) else f"2019-{int(f):02d}")
    df.loc[6, "t"] = "2019-13"
    with pytest.raises(EvalkitError, match="not a month") as info:
        _run(df)
    assert (info.value.row, info.value.column, info.value.value) == (8, "t", "2019-13")


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"control": "nevertreated"}, "control must be one of"),
        ({"confidence": 1.5}, "confidence must be between"),
        ({"pretrend_leads": 0}, "pretrend_leads must be"),
        ({"pretrend_leads": True}, "pretrend_leads must be"),
    ],
)
def test_bad_options(kw, match):
    with pytest.raises(EvalkitError, match=match):
        _run(_small(), **kw)


def test_small_panel_runs_and_tests_its_leads():
    res = _run(_small())
    # B's outcome is A's plus one in every period: the effect is zero.
    assert res.n_treated == 2 and res.n_not_treated == 2
    assert np.isfinite(res.att)
    assert res.pretrend_leads == 1
