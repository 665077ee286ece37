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

from matplotlib.collections import PathCollection
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


def saved_frame(units):
    return units.assign(saved=units["hours_before"] - units["hours_after"])


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
