"""Fixtures of the scorecard tests: the files as read, the computed actuals, their evaluations."""

from __future__ import annotations

import pytest

from evalkit.scorecard import (
    compute_actuals,
    evaluate_indicators,
    evaluate_milestones,
    load_indicators,
    load_milestones,
)


@pytest.fixture(scope="module")
def indicators():
    return load_indicators()


@pytest.fixture(scope="module")
def milestones():
    return load_milestones()


@pytest.fixture(scope="module")
def actuals():
    return compute_actuals(random_state=20190401)


@pytest.fixture(scope="module")
def evaluated(indicators, actuals):
    return evaluate_indicators(indicators, actuals=actuals)


@pytest.fixture(scope="module")
def steps(milestones):
    return evaluate_milestones(milestones)
