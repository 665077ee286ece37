"""Labels of reference lines stay clear of every line, and legends are as large as tick labels.

A target line (目標, 全体) or the adoption line (導入) is labelled beside it;
no line of the chart may run through the label or the white box behind it
(renderer extents, in pixels; a line counts with its width). Legends use type
at least as large as the largest tick label.
"""

import matplotlib
import numpy as np
import pandas as pd
import pytest
from plots_helpers import crossed_lines, render

from evalkit import plots


def _labels(ax, *starts):
    found = [t for t in ax.texts if t.get_text().startswith(starts)]
    assert found, f"no label starting with {starts}"
    return found


def _assert_clear(ax, *starts):
    render(ax)
    renderer = ax.figure.canvas.get_renderer()
    figure_box = ax.figure.bbox
    for label in _labels(ax, *starts):
        crossed = crossed_lines(ax, label)
        assert not crossed, f"{label.get_text()!r} is crossed by {len(crossed)} line(s)"
        box = label.get_window_extent(renderer)
        assert figure_box.x0 <= box.x0 and box.x1 <= figure_box.x1, label.get_text()


def _frame(values, lows, highs, targets, metrics=None):
    n = len(values)
    return pd.DataFrame(
        {
            "metric": metrics or [f"指標{i + 1}" for i in range(n)],
            "value": values,
            "ci_low": lows,
            "ci_high": highs,
            "target": targets,
        }
    )


TARGET_CASES = {
    # a target per row, one row without: the estimates fixture of conftest.py
    "rows": _frame(
        [0.8387, 0.62, 0.5], [0.75, 0.55, np.nan], [0.90, 0.69, np.nan], [0.7, 0.7, np.nan]
    ),
    "shared": _frame([0.8387, 0.72], [0.75, 0.66], [0.90, 0.78], [0.7, 0.7]),
    "each_its_own": _frame(
        [0.8387, 0.62, 0.45], [0.75, 0.55, 0.40], [0.90, 0.69, 0.50], [0.70, 0.60, 0.47]
    ),
    "near_the_right_edge": _frame([0.9, 0.97], [0.85, 0.93], [0.95, 0.99], [0.95, 0.98]),
    "near_the_left_edge": _frame([0.3, 0.04], [0.2, 0.01], [0.4, 0.08], [0.05, 0.02]),
    "shared_near_the_right_edge": _frame([0.9, 0.99], [0.85, 0.97], [0.95, 1.0], [0.97, 0.97]),
    "estimate_on_the_target": _frame([0.7, 0.5], [0.6, 0.4], [0.8, 0.6], [0.7, 0.5]),
    "hours": _frame([120.0, 80.0], [100.0, 60.0], [140.0, 95.0], [100.0, 90.0]),
}


@pytest.mark.parametrize("case", TARGET_CASES, ids=list(TARGET_CASES))
def test_target_labels_are_clear_of_every_line(case):
    ax = plots.estimate_vs_target(TARGET_CASES[case])
    _assert_clear(ax, "目標 ")
    axes_box = ax.get_window_extent()
    for label in _labels(ax, "目標 "):
        box = label.get_window_extent()
        assert axes_box.x0 <= box.x0 and box.x1 <= axes_box.x1, f"{label.get_text()!r} sticks out"


def test_row_target_label_sits_beside_its_line_away_from_the_estimate():
    ax = plots.estimate_vs_target(TARGET_CASES["each_its_own"])
    render(ax)
    to_px = ax.transData.transform
    for label, (value, target) in zip(
        _labels(ax, "目標 "), [(0.8387, 0.70), (0.62, 0.60), (0.45, 0.47)], strict=True
    ):
        box = label.get_window_extent()
        line_x = to_px((target, 0))[0]
        if value >= target:  # the estimate is right of the line, the label left of it
            assert box.x1 < line_x
        else:
            assert box.x0 > line_x


@pytest.mark.parametrize(
    "planned, actual",
    [([4, 26], [4.0, np.nan]), ([4, 44], [4.0, 44.0]), ([40, 8], [40.0, np.nan])],
    ids=["issue_5", "plan_and_actual_reach_the_total", "early_plan_near_the_total"],
)
def test_total_label_is_clear_of_every_line(planned, actual):
    periods = ["4月〜9月", "10月〜3月"]
    frame = pd.DataFrame({"period": periods, "planned": planned, "actual": actual})
    ax = plots.cumulative_progress(frame, baseline=5, total=53)
    _assert_clear(ax, "全体 ")


def test_adoption_labels_are_clear_of_every_line(chart_calls):
    for name in ("event_study", "its"):
        _, func, data, kwargs = chart_calls[name]
        _assert_clear(func(data, **kwargs), "導入")


def test_the_clearance_check_can_fail():
    ax = plots.estimate_vs_target(TARGET_CASES["shared"])
    render(ax)
    label = _labels(ax, "目標 ")[0]
    label.set_position((0, 0))  # on the line
    label.set_horizontalalignment("center")
    assert crossed_lines(ax, label)


# --------------------------------------------------------------------------- legends


def _tick_label_sizes(ax):
    ax.figure.canvas.draw()
    return [
        t.get_fontsize()
        for t in (*ax.get_xticklabels(), *ax.get_yticklabels())
        if t.get_visible() and t.get_text().strip()
    ]


def _legend_sizes(ax):
    legend = ax.get_legend()
    if legend is None:
        return []
    texts = [*legend.get_texts(), legend.get_title()]
    return [t.get_fontsize() for t in texts if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize(
    "rc",
    [{}, {"xtick.labelsize": 13, "ytick.labelsize": 12, "legend.fontsize": 6}],
    ids=["defaults", "large_ticks_small_legend"],
)
def test_legends_are_at_least_as_large_as_tick_labels(every_chart, rc):
    name, func, data, kwargs = every_chart
    with matplotlib.rc_context(rc):
        ax = func(data, **kwargs)
        render(ax)
    legend = _legend_sizes(ax)
    if name == "saved_by_unit":  # bars by unit: nothing to explain
        assert legend == []
        return
    assert legend, f"{name} has no legend"
    assert min(legend) >= max(_tick_label_sizes(ax))


def test_legend_keeps_a_larger_size_the_user_chose(estimates):
    with matplotlib.rc_context({"legend.fontsize": 14}):
        ax = plots.estimate_vs_target(estimates)
    assert min(_legend_sizes(ax)) == 14
