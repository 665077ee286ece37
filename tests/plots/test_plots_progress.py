"""Tests of evalkit.plots.progress: cumulative_progress and the milestone timeline."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from evalkit import plots
from evalkit.errors import EvalkitError
from evalkit.scorecard import (
    INITIATIVES,
    MILESTONE_STATUS_LABELS,
    evaluate_milestones,
    load_milestones,
)

# --------------------------------------------------------------------------- cumulative_progress


def _line_points(line):
    x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    keep = np.isfinite(y)
    return x[keep], y[keep]


def test_cumulative_progress_planned_and_known_actual_only(migration):
    ax = plots.cumulative_progress(migration, baseline=5, total=53)
    marks = [line for line in ax.lines if line.get_linestyle() == "None"]
    actual, planned = marks
    # planned: 5 running, +4 by September, +26 by March
    assert_allclose(_line_points(planned)[1], [5, 9, 35])
    # actual: the October-March count is not reported: no point there
    x, y = _line_points(actual)
    assert_allclose(x, [0, 1])
    assert_allclose(y, [5, 9])
    actual_path = ax.lines[0]
    assert np.nanmax(np.asarray(actual_path.get_xdata(), float)) == 1  # no step into 10月〜3月
    assert [t.get_text() for t in ax.get_xticklabels()] == ["開始時", "4月〜9月", "10月〜3月"]
    total = [line for line in ax.lines if line.get_linestyle() == ":"]
    assert_allclose(total[0].get_ydata(), [53, 53])
    texts = {t.get_text() for t in ax.texts}
    assert {"全体 53件", "計画 35", "実績 9", "実績未報告：10月〜3月"} <= texts
    assert ax.get_ylabel() == "累計（件）"


def test_cumulative_progress_with_running_totals_skips_unknown_points():
    df = pd.DataFrame({"period": ["上期", "下期"], "planned": [9, 35], "actual": [np.nan, 35]})
    ax = plots.cumulative_progress(df, baseline=5, cumulative=True, unit_word="システム")
    actual_path = ax.lines[0]
    x, y = _line_points(actual_path)
    # the start and the end are known, the middle is not: nothing joins them
    assert_allclose(x, [0, 2])
    assert np.isnan(np.asarray(actual_path.get_ydata(), float)).any()
    assert ax.get_ylabel() == "累計（システム）"


def test_cumulative_progress_refuses_to_guess_after_a_gap():
    df = pd.DataFrame(
        {"period": ["4月", "5月", "6月"], "planned": [1, 1, 1], "actual": [1, np.nan, 2]}
    )
    df.attrs["source"] = "platform.csv"
    with pytest.raises(EvalkitError) as err:
        plots.cumulative_progress(df)
    assert str(err.value).startswith("platform.csv, row 4, column 'actual', value 2.0")
    assert "row 3" in str(err.value)


def test_cumulative_progress_errors(migration):
    bad = migration.copy()
    bad.loc[1, "planned"] = -26
    with pytest.raises(EvalkitError, match=r"row 3, column 'planned', value (np\.int64\()?-26"):
        plots.cumulative_progress(bad)
    bad = migration.copy()
    bad.loc[0, "planned"] = np.nan
    with pytest.raises(EvalkitError, match="row 2, column 'planned'"):
        plots.cumulative_progress(bad)
    with pytest.raises(EvalkitError, match="total must be"):
        plots.cumulative_progress(migration, total=-1)
    with pytest.raises(EvalkitError, match="baseline must be a number"):
        plots.cumulative_progress(migration, baseline="5")
    with pytest.raises(EvalkitError, match="column 'actual'"):
        plots.cumulative_progress(migration.drop(columns="actual"))


# --------------------------------------------------------------------------- milestones


@pytest.fixture(scope="module")
def steps():
    """The shipped FY2019 steps, evaluated."""
    return evaluate_milestones(load_milestones())


def test_plot_milestones_draws_every_step(steps):
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes

    ax = plots.milestones(steps, as_of="2020-03")
    assert isinstance(ax, Axes)
    n_initiatives = steps["initiative"].nunique()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == len(steps) + n_initiatives
    assert [x for x in labels if x] == [
        f"{s}（{p}）" for s, p in zip(steps["step"], steps["planned_timing"], strict=True)
    ]
    texts = [t.get_text() for t in ax.texts]
    for ini in INITIATIVES:
        assert f"■{ini.name}" in texts
    status_words = [t for t in texts if t in MILESTONE_STATUS_LABELS.values() or "か月" in t]
    assert len(status_words) == len(steps)
    assert "遅れ 1か月" in status_words
    assert sum("は日付でない" in t for t in texts) == 4
    assert ax.get_xlabel() == "月（報告時点：2020年3月末）"
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0] == "4月\n2019" and ticks[-1] == "3月" and len(ticks) == 12
    fig, given = plt.subplots()
    assert plots.milestones(steps, ax=given) is given


def test_plot_milestones_errors(steps):
    with pytest.raises(EvalkitError, match="column 'as_of', value 'soon'"):
        plots.milestones(steps, as_of="soon")
    with pytest.raises(EvalkitError, match="evaluate_milestones"):
        plots.milestones(steps.drop(columns="status"))
    with pytest.raises(EvalkitError, match="no steps"):
        plots.milestones(steps.iloc[:0])
    with pytest.raises(EvalkitError, match="ax must be a matplotlib Axes"):
        plots.milestones(steps, ax="axes")
