"""Tests of evalkit.plots.theme: every chart renders without a missing glyph, in IPAexGothic.

Rendering happens under ``warnings.simplefilter("error")`` (see ``plots_helpers.render``),
so a chart that would show empty boxes fails its test.
"""

import subprocess
import sys
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
import seaborn as sns
from matplotlib import font_manager
from numpy.testing import assert_allclose
from plots_helpers import IPAEX, ROOT, render, saved_frame, visible_texts

from evalkit import plots

# --------------------------------------------------------------------------- rendering and font


def test_missing_glyph_check_can_fail():
    # Without the Japanese font, matplotlib's default DejaVu Sans lacks 満 and warns.
    fig, ax = plt.subplots()
    ax.set_title("満足度", fontfamily="DejaVu Sans")
    with pytest.raises(UserWarning, match="missing from font"):
        render(ax)


def test_every_chart_renders_without_missing_glyphs(chart):
    name, func, data, kwargs = chart
    ax = func(data, **kwargs)
    png = render(ax)
    Path("/tmp/plots").mkdir(exist_ok=True)
    Path(f"/tmp/plots/test_{name}.png").write_bytes(png)


def test_every_text_uses_the_ipaexgothic_file(chart):
    _, func, data, kwargs = chart
    ax = func(data, **kwargs)
    texts = visible_texts(ax)
    assert any(not t.get_text().isascii() for t in texts)  # the chart has Japanese text
    for t in texts:
        assert font_manager.findfont(t.get_fontproperties()) == IPAEX, t.get_text()


def test_japanese_on_an_axes_made_before_the_font_was_registered(units):
    # Axes created by the caller get their title, labels and ticks from the rcParams
    # of their creation time (DejaVu Sans); the chart must still set its font.
    fig, ax = plt.subplots()
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        ax.set_title("所属別")
    out = plots.saved_by(saved_frame(units), column="department", ax=ax)
    ax.set_ylabel("所属")  # text set by the caller afterwards also renders
    render(out)
    for t in visible_texts(out):
        assert font_manager.findfont(t.get_fontproperties()) == IPAEX, t.get_text()


def test_fallback_font_covers_symbols_missing_from_ipaexgothic():
    # IPAexGothic has no "≥" (U+2265); the chain falls back to DejaVu Sans.
    df = pd.DataFrame({"metric": ["満足度 ≥ 目標"], "value": [0.8], "target": [0.7]})
    render(plots.estimate_vs_target(df))


def test_japanese_font_points_to_the_bundled_file():
    fp = plots.japanese_font()
    assert font_manager.findfont(fp) == IPAEX
    assert fp.get_family()[0] == plots.FONT_NAME == "IPAexGothic"


def test_set_theme_sets_font_chain_and_colour_blind_palette():
    with matplotlib.rc_context():
        plots.set_theme()
        assert list(matplotlib.rcParams["font.family"]) == list(plots.FONT_FAMILY)
        cycle = [c["color"] for c in matplotlib.rcParams["axes.prop_cycle"]]
        expected = sns.color_palette("colorblind")
        assert_allclose([matplotlib.colors.to_rgb(c) for c in cycle], expected, atol=1e-6)
        fig, ax = plt.subplots()
        ax.set_title("満足度（n=93）")
        render(ax)


def test_charts_leave_global_state_alone_and_do_not_import_matplotlib_fontja():
    code = (
        "import sys, matplotlib; matplotlib.use('Agg')\n"
        "before = dict(matplotlib.rcParams)\n"
        "import pandas as pd\n"
        "from evalkit import plots\n"
        "ax = plots.before_after(pd.DataFrame({'unit': ['総務課'], 'before': [3.0], "
        "'after': [1.0]}))\n"
        "ax.figure.savefig(__import__('io').BytesIO())\n"
        "assert 'matplotlib_fontja' not in sys.modules\n"
        "changed = [k for k, v in matplotlib.rcParams.items() if before.get(k) != v]\n"
        "assert not changed, changed\n"
    )
    subprocess.run([sys.executable, "-W", "error", "-c", code], check=True, cwd=ROOT)


def test_import_evalkit_does_not_import_matplotlib():
    code = "import sys, evalkit; assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
