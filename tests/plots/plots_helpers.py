"""Helpers shared by the tests of evalkit.plots: paths, scales, rendering and inspection.

Rendering happens under ``warnings.simplefilter("error")``: matplotlib reports
a glyph absent from the font as ``UserWarning: Glyph ... missing from font(s)``,
so a chart that would show empty boxes fails its test
(``test_missing_glyph_check_can_fail`` shows the check catching one).
Expected values are computed in the tests from the input frames with
pandas/numpy, independently of the plotting code.
"""

import importlib.util
import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.path import Path as MplPath
from matplotlib.text import Text

ROOT = Path(__file__).resolve().parents[2]


DATA = ROOT / "data"


JA5 = ["大変満足", "満足", "どちらともいえない", "不満", "大変不満"]


JA4 = ["大変満足", "満足", "不満", "大変不満"]


# The font file, located here independently of evalkit.plots.
IPAEX = str(
    Path(importlib.util.find_spec("matplotlib_fontja").submodule_search_locations[0])
    / "fonts"
    / "ipaexg.ttf"
)


#: The chart calls of ``conftest.charts`` (the ``chart`` fixture).
CHART_NAMES = [
    "before_after",
    "before_after_top",
    "saved_by_unit",
    "saved_by_month",
    "likert",
    "likert_by",
    "estimate_vs_target",
    "cumulative_progress",
]

#: Every chart call (the ``every_chart`` fixture): also those of ``conftest.other_charts``.
EVERY_CHART_NAMES = [*CHART_NAMES, "milestones", "event_study", "event_study_frame", "its"]

#: One call per public chart function (the ``chart_per_function`` fixture).
ONE_PER_FUNCTION = [
    "before_after",
    "saved_by_unit",
    "likert",
    "estimate_vs_target",
    "cumulative_progress",
    "milestones",
    "event_study",
    "its",
]

#: The public chart functions of evalkit.plots.
CHART_FUNCTIONS = {
    "before_after",
    "saved_by",
    "likert",
    "estimate_vs_target",
    "cumulative_progress",
    "milestones",
    "event_study",
    "its",
}


def saved_frame(units):
    return units.assign(saved=units["hours_before"] - units["hours_after"])


def event_study_frame():
    """Leads -4..-1 near zero (-1 the reference, without interval), lags 0..5 falling."""
    times = np.arange(-4, 6)
    att = np.array([0.2, -0.3, 0.1, 0.0, -0.8, -1.0, -1.2, -1.1, -1.4, -1.5])
    half = np.array([0.6, 0.6, 0.5, np.nan, 0.5, 0.5, 0.6, 0.6, 0.7, 0.8])
    return pd.DataFrame(
        {"event_time": times, "att": att, "ci_low": att - half, "ci_high": att + half}
    )


def its_frame(n=36, t0=18, seed=5):
    """Monthly hours from 2018-04: a drop and a steeper fall from month ``t0``, a March peak."""
    rng = np.random.default_rng(seed)
    months = pd.period_range("2018-04", periods=n, freq="M")
    t = np.arange(n, dtype="float64")
    post = (t >= t0).astype("float64")
    y = 30 - 0.05 * t - 4 * post - 0.2 * (t - t0) * post + 2 * (months.month == 3)
    return pd.DataFrame({"month": months.astype(str), "hours": y + rng.normal(0, 0.8, n)})


def render(ax):
    """Draw ``ax``'s figure to PNG bytes, turning every warning into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        buf = io.BytesIO()
        ax.figure.savefig(buf, format="png")
    data = buf.getvalue()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return data


def visible_texts(ax):
    ax.figure.canvas.draw()
    return [t for t in ax.figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _scatter(ax):
    return [c for c in ax.collections if isinstance(c, PathCollection)]


def line_paths(ax):
    """Every line drawn on ``ax`` in display coordinates: (path, half its width in pixels).

    Lines (``ax.plot``, ``axhline``, ``axvline``) and line collections
    (``vlines``, ``hlines``, error bars); a marker-only line has no path.
    """
    ax.figure.canvas.draw()
    points = ax.figure.dpi / 72
    drawn = []
    for line in ax.lines:
        if line.get_visible() and line.get_linestyle() not in ("None", "none", "", " "):
            xy = line.get_transform().transform(line.get_xydata())
            drawn.append((xy, line.get_linewidth() * points / 2))
    for coll in ax.collections:
        if isinstance(coll, LineCollection) and coll.get_visible():
            widths = coll.get_linewidths()
            for i, path in enumerate(coll.get_paths()):
                xy = coll.get_transform().transform(path.vertices)
                drawn.append((xy, widths[i % len(widths)] * points / 2))
    out = []
    for xy, half in drawn:  # a blank point (NaN) breaks a line: one path per drawn piece
        finite = np.isfinite(xy).all(axis=1)
        breaks = np.flatnonzero(~finite)
        for piece in np.split(xy, breaks):
            piece = piece[np.isfinite(piece).all(axis=1)]
            if len(piece) >= 2:
                out.append((MplPath(piece), half))
    return out


def crossed_lines(ax, text):
    """The lines of ``ax`` that cross ``text`` or the box drawn around it."""
    renderer = ax.figure.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer)]
    if text.get_bbox_patch() is not None:
        boxes.append(text.get_bbox_patch().get_window_extent(renderer))
    return [
        path
        for path, half in line_paths(ax)
        for box in boxes
        if path.intersects_bbox(box.padded(half + 0.5), filled=False)
    ]
