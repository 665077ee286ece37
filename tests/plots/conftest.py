"""Fixtures of the tests of evalkit.plots: small tidy frames, results, one call per chart."""

import types

import numpy as np
import pandas as pd
import pytest
from plots_helpers import (
    CHART_NAMES,
    EVERY_CHART_NAMES,
    JA5,
    event_study_frame,
    its_frame,
    saved_frame,
)

from evalkit import plots

# --------------------------------------------------------------------------- data


@pytest.fixture
def units(rng):
    """Twelve departments, two months each (so rows of a unit must be summed)."""
    names = [f"{b}課{i}" for i, b in enumerate("総務人事財政契約会計福祉環境建設都市教育警察議会")][
        :12
    ]
    rows = []
    for month in ("2019-04", "2019-05"):
        for name in names:
            before = float(rng.integers(10, 80))
            rows.append((month, name, before, round(before * rng.uniform(0.2, 0.7), 1)))
    return pd.DataFrame(rows, columns=["month", "department", "hours_before", "hours_after"])


@pytest.fixture
def survey(rng):
    answers = rng.choice(JA5 + [None, ""], size=60, p=[0.3, 0.35, 0.1, 0.05, 0.05, 0.1, 0.05])
    return pd.DataFrame(
        {"answer": answers, "bureau": rng.choice(["総務部", "福祉部", "教育庁"], size=60)}
    )


@pytest.fixture
def estimates():
    return pd.DataFrame(
        {
            "metric": ["満足度", "削減率", "参考"],
            "value": [0.8387, 0.62, 0.5],
            "ci_low": [0.75, 0.55, np.nan],
            "ci_high": [0.90, 0.69, np.nan],
            "target": [0.70, 0.70, np.nan],
        }
    )


@pytest.fixture
def migration():
    # Issue 5: 5 systems running, 4 planned April-September, 26 October-March.
    return pd.DataFrame(
        {"period": ["4月〜9月", "10月〜3月"], "planned": [4, 26], "actual": [4.0, np.nan]}
    )


def charts(units, survey, estimates, migration):
    """One call of every chart kind: (name, function, data, keywords)."""
    return [
        (
            "before_after",
            plots.before_after,
            units,
            {"unit": "department", "before": "hours_before", "after": "hours_after"},
        ),
        (
            "before_after_top",
            plots.before_after,
            units,
            {"unit": "department", "before": "hours_before", "after": "hours_after", "top": 5},
        ),
        ("saved_by_unit", plots.saved_by, saved_frame(units), {"column": "department"}),
        (
            "saved_by_month",
            plots.saved_by,
            saved_frame(units),
            {"by": "period", "column": "month"},
        ),
        ("likert", plots.likert, survey, {"answers": "answer"}),
        ("likert_by", plots.likert, survey, {"answers": "answer", "by": "bureau"}),
        ("estimate_vs_target", plots.estimate_vs_target, estimates, {}),
        ("cumulative_progress", plots.cumulative_progress, migration, {"baseline": 5, "total": 53}),
    ]


@pytest.fixture(params=CHART_NAMES)
def chart(request, units, survey, estimates, migration):
    table = {c[0]: c for c in charts(units, survey, estimates, migration)}
    return table[request.param]


def other_charts():
    """One call of each chart that ``charts`` leaves out: milestones, event_study and its."""
    from evalkit.scorecard import evaluate_milestones, load_milestones
    from evalkit.stats.its import its as fit_its

    steps = evaluate_milestones(load_milestones())
    es = event_study_frame()
    es_result = types.SimpleNamespace(
        event_study=es, confidence=0.95, pretrend_pvalue=0.4, att=-1.0
    )
    its_result = fit_its(its_frame(), outcome="hours", period="month", intervention="2019-10")
    return [
        ("milestones", plots.milestones, steps, {"as_of": "2020-03"}),
        ("event_study", plots.event_study, es_result, {}),
        ("event_study_frame", plots.event_study, es, {}),
        ("its", plots.its, its_result, {}),
    ]


def _every_chart(units, survey, estimates, migration):
    return {c[0]: c for c in [*charts(units, survey, estimates, migration), *other_charts()]}


@pytest.fixture(params=EVERY_CHART_NAMES)
def every_chart(request, units, survey, estimates, migration):
    """(name, function, data, keywords) of every chart call, causal and milestones included."""
    return _every_chart(units, survey, estimates, migration)[request.param]


@pytest.fixture
def chart_calls(units, survey, estimates, migration):
    """Every chart call of ``every_chart``, by name."""
    return _every_chart(units, survey, estimates, migration)


# --------------------------------------------------------------------------- evalkit results


@pytest.fixture
def voice_result(units):
    from evalkit.stats.reduction import reduction

    return reduction(
        units,
        before="hours_before",
        after="hours_after",
        unit="department",
        period="month",
        target=0.3,
        random_state=0,
    )


@pytest.fixture
def survey_result(survey):
    from evalkit.stats.satisfaction import satisfaction_rate

    return satisfaction_rate(survey, answers="answer", target=0.7)
