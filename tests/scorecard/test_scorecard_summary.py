"""Tests of evalkit.scorecard.summary: key figures, the verdict and the progress column."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scorecard_helpers import _indicator, _judged, _milestone

from evalkit.errors import EvalkitError
from evalkit.scorecard import (
    INITIATIVES,
    compute_actuals,
    evaluate_indicators,
    evaluate_milestones,
    load_indicators,
    progress_column,
    scorecard_kpis,
    scorecard_verdict,
)

# ----------------------------------------------------------------- key figures


def test_scorecard_kpis_one_row_per_indicator(evaluated):
    from evalkit.report.kpis import KPI_COLUMNS

    k = scorecard_kpis(evaluated)
    assert list(k.columns) == KPI_COLUMNS and len(k) == len(evaluated)
    assert k["initiative"].tolist() == evaluated["initiative"].tolist()
    assert k["indicator"].tolist() == evaluated["indicator"].tolist()
    numeric = (evaluated["target_kind"] == "numeric").to_numpy()
    # Qualitative indicators carry no value and no verdict.
    assert k.loc[~numeric, "value"].isna().all()
    assert k.loc[~numeric, ["met", "met_confidently", "reproduced"]].isna().all(axis=None)
    # Numeric ones: the scorecard's figures, % as proportions, the same verdict.
    scale = np.where(evaluated.loc[numeric, "target_unit"] == "%", 100.0, 1.0)
    assert_allclose(k.loc[numeric, "value"], evaluated.loc[numeric, "actual"] / scale)
    assert_allclose(k.loc[numeric, "target"], evaluated.loc[numeric, "target_value"] / scale)
    assert k.loc[numeric, "met"].tolist() == (evaluated.loc[numeric, "status"] == "met").tolist()
    assert k.loc[numeric, "unit"].tolist() == ["ratio", "ratio", "systems"]
    assert k.loc[numeric, "direction"].tolist() == [">=", ">=", ">="]


def test_scorecard_kpis_agree_with_the_notebooks_statistics():
    from evalkit.datasets import load_rpa_trial, load_satisfaction_survey
    from evalkit.stats.reduction import reduction
    from evalkit.stats.satisfaction import satisfaction_rate

    # The kpi rows of notebooks 01 and 02 hold these results' rate and CI.
    sat = satisfaction_rate(load_satisfaction_survey(), answers="answer", target=0.7)
    rpa = reduction(
        load_rpa_trial(),
        before="hours_before",
        after="hours_after",
        unit="task",
        target=0.8,
        confidence=0.95,
        random_state=2019,
    )
    acts = compute_actuals(confidence=0.95, random_state=2019)
    k = scorecard_kpis(evaluate_indicators(load_indicators(), actuals=acts))
    assert_allclose(k.loc[3, ["value", "ci_low", "ci_high"]].astype(float), [sat.rate, *sat.ci])
    assert_allclose(
        k.loc[8, ["value", "ci_low", "ci_high"]].astype(float), [rpa.rate, *rpa.rate_ci]
    )
    assert bool(k.loc[3, "met_confidently"]) == sat.meets_target_confidently
    assert bool(k.loc[8, "met_confidently"]) == rpa.meets_target_confidently


def test_scorecard_kpis_published_figures(evaluated):
    # Report: 満足度 83.87% (two decimals); 削減割合は84%程度 (whole percent).
    k = scorecard_kpis(evaluated, published={"voice_recognition.o3": (83.87, 2), "rpa.o2": [84, 0]})
    assert_allclose(k.loc[[3, 8], "published"], [0.8387, 0.84])
    assert k.loc[[3, 8], "reproduced"].tolist() == [True, True]
    k = scorecard_kpis(evaluated, published={"voice_recognition.o3": (83.88, 2)})
    assert k.loc[3, "reproduced"] == False  # noqa: E712 (a pandas boolean)
    assert k["published"].notna().sum() == 1


@pytest.mark.parametrize(
    ("published", "value"),
    [
        ({"rpa.o9": (84, 0)}, "rpa.o9"),
        ({"rpa.o2": 84}, 84),
        ({"rpa.o2": (84, 0.5)}, (84, 0.5)),
        ({"rpa.o2": ("84", 0)}, ("84", 0)),
        ({"rpa.o1": (1800, -2)}, "rpa.o1"),  # qualitative: no value to compare
    ],
)
def test_scorecard_kpis_bad_published(evaluated, published, value):
    with pytest.raises(EvalkitError) as err:
        scorecard_kpis(evaluated, published=published)
    assert (err.value.column, err.value.value) == ("published", value)


def test_scorecard_kpis_exact_target_has_no_kpi_verdict():
    out = _judged("==", 70.0, (65.0, 75.0))
    k = scorecard_kpis(out)
    assert k.loc[0, "value"] == 0.7 and math.isnan(k.loc[0, "target"])
    assert k.loc[0, "met"] is pd.NA and out.loc[0, "status"] == "met"


# ------------------------------------------------------------------- summaries


def test_scorecard_verdict_counts(evaluated, steps):
    text = scorecard_verdict(evaluated, steps)
    numeric = evaluated[evaluated["target_kind"] == "numeric"]
    confident = numeric["met_confidently"].fillna(False).sum()
    n_steps = steps["status"].value_counts()
    n_met = (numeric["status"] == "met").sum()
    n_qual = len(evaluated) - len(numeric)
    expected = [
        f"7取組・指標{len(evaluated)}件のうち数値目標は{len(numeric)}件："
        f"達成{n_met}件（うち信頼区間も目標を満たすもの{confident}件）、未達0件。",
        f"定性的な目標{n_qual}件は達成・未達を判定せず、報告書の記載と参考値を示した。",
        f"スケジュールの工程{len(steps)}件：期限内に実施{n_steps['done on time']}件、"
        f"遅れ{n_steps['late']}件（最大1か月）、未了0件、評価不能{n_steps['not assessable']}件"
        "（うち予定時期が日付でない表記4件）。",
    ]
    assert text.splitlines() == expected


def test_progress_column_covers_every_initiative_step_and_indicator(evaluated, steps):
    text = progress_column(evaluated, steps)
    for theme in ("### 庁内のＩＴ化推進", "### 市町村のＩＴ化支援"):
        assert text.count(theme + "\n") == 1
    for ini in INITIATIVES:
        assert text.count(f"#### ■{ini.name}\n") == 1
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == len(steps) + len(evaluated)
    quotes = [line for line in text.splitlines() if line.startswith("    - 報告書：")]
    assert len(quotes) == len(evaluated)
    assert "- ○中間評価：予定 ９月 → 実施 9～10月　**遅れ**（1か月）" in text
    assert "- ・事例紹介等の説明会の開催：予定 適宜　**評価不能**" in text
    assert "**達成**（信頼区間も目標以上）　実績 83.9%" in text
    # ASCII ~ in 31年４月~５月 is escaped, so Markdown does not read it as markup.
    assert "予定 31年４月\\~５月" in text


def test_progress_column_escapes_markup_in_quoted_text():
    frame = _indicator(actual_text="*重要* [注] <b>x</b>_y_ #1 | a")
    text = progress_column(evaluate_indicators(frame), evaluate_milestones(_milestone("９月")))
    assert r"報告書：\*重要\* \[注\] \<b\>x\</b\>\_y\_ \#1 \| a" in text
