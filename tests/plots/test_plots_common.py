"""Tests of what every chart shares (evalkit.plots._common): the axes-level contract."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from plots_helpers import DATA, render

from evalkit import plots
from evalkit.errors import EvalkitError

# --------------------------------------------------------------------------- axes-level contract


def test_ax_is_honoured_and_returned(chart):
    _, func, data, kwargs = chart
    fig, (ax1, ax2) = plt.subplots(1, 2)
    n_figures = len(plt.get_fignums())
    out = func(data, ax=ax2, **kwargs)
    assert out is ax2
    assert len(plt.get_fignums()) == n_figures
    assert ax2.has_data() and not ax1.has_data()


def test_without_ax_a_new_figure_is_made(chart):
    _, func, data, kwargs = chart
    before = set(plt.get_fignums())
    ax = func(data, **kwargs)
    assert ax.figure.number not in before


def test_inputs_are_not_mutated(chart):
    _, func, data, kwargs = chart
    data.attrs["source"] = "input.csv"
    copy = data.copy(deep=True)
    func(data, **kwargs)
    pd.testing.assert_frame_equal(data, copy)
    assert data.attrs == {"source": "input.csv"}


def test_everything_but_data_is_keyword_only(units):
    with pytest.raises(TypeError):
        plots.before_after(units, "department")
    with pytest.raises(TypeError):
        plots.likert(None, ["満足"])


def test_ax_must_be_an_axes(units):
    with pytest.raises(EvalkitError, match="ax must be a matplotlib Axes"):
        plots.before_after(
            units, unit="department", before="hours_before", after="hours_after", ax="left"
        )


# --------------------------------------------------------------------------- shipped sample data


@pytest.mark.skipif(
    not (DATA / "voice_recognition" / "minutes_work.csv").exists(), reason="no sample data"
)
def test_shipped_sample_data_charts_render():
    from evalkit.stats.reduction import reduction
    from evalkit.stats.satisfaction import satisfaction_rate

    work = pd.read_csv(DATA / "voice_recognition" / "minutes_work.csv")
    res = reduction(
        work,
        before="hours_before",
        after="hours_after",
        unit="department",
        period="month",
        random_state=0,
    )
    ax = plots.before_after(res, top=30)
    assert len(ax.get_yticklabels()) == 30
    assert any("全116件" in t.get_text() for t in ax.texts)
    render(ax)
    render(plots.saved_by(res, by="period"))
    survey = pd.read_csv(DATA / "voice_recognition" / "satisfaction_survey.csv")
    sat = satisfaction_rate(survey, answers="answer", target=0.7)
    render(plots.likert(survey, answers="answer", by="bureau"))
    render(plots.estimate_vs_target(sat))
