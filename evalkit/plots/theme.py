"""Fonts, colours and the optional notebook theme shared by every chart.

Japanese text uses IPAexGothic, the font file shipped inside the
``matplotlib-fontja`` package. The file is registered with matplotlib's font
manager the first time a chart is drawn; ``matplotlib_fontja`` itself is not
imported, because importing it changes the global ``rcParams``. Each chart
sets the font on its own text once it is drawn (:func:`_apply_font`), with
DejaVu Sans as a fallback for the few symbols IPAexGothic lacks (such as
``≥``); no chart writes ``rcParams``, not even for the time of the drawing
(see :func:`evalkit.plots._common._drawing`).

Colours come from seaborn's colour-blind-safe ``"colorblind"`` palette;
:func:`set_theme` gives other charts in a notebook the same look.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import seaborn as sns
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text

#: Family name of the bundled Japanese font.
FONT_NAME = "IPAexGothic"
#: Font fallback chain applied to every text: Japanese first, then DejaVu Sans
#: (shipped with matplotlib) for symbols IPAexGothic lacks.
FONT_FAMILY = (FONT_NAME, "DejaVu Sans")

_FONT_PACKAGE = "matplotlib_fontja"
_FONT_FILE = ("fonts", "ipaexg.ttf")

_COLORS = sns.color_palette("colorblind").as_hex()
_BLUE, _ORANGE, _VERMILLION, _GREY = _COLORS[0], _COLORS[1], _COLORS[3], _COLORS[7]
_DARK = "#333333"
_NEUTRAL = "#cfcfcf"

_font_path_cache: list[str] = []


def _font_path() -> str:
    """Locate IPAexGothic inside matplotlib-fontja and register it once."""
    if _font_path_cache:
        return _font_path_cache[0]
    spec = importlib.util.find_spec(_FONT_PACKAGE)  # finds the package without importing it
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        path = Path(location).joinpath(*_FONT_FILE)
        if path.is_file():
            fname = str(path)
            known = {entry.fname for entry in font_manager.fontManager.ttflist}
            if fname not in known:
                font_manager.fontManager.addfont(fname)
            _font_path_cache.append(fname)
            return fname
    raise RuntimeError(
        "the Japanese font IPAexGothic was not found: evalkit.plots needs the "
        "matplotlib-fontja package (pip install matplotlib-fontja), which ships it"
    )


def japanese_font() -> FontProperties:
    """Return font properties that render Japanese with the bundled IPAexGothic.

    The font is registered with matplotlib on first use. Pass the result as
    ``fontproperties=`` to any matplotlib text call drawn outside evalkit.

    Returns
    -------
    matplotlib.font_manager.FontProperties
        Family :data:`FONT_FAMILY`: IPAexGothic, falling back to DejaVu Sans
        for glyphs IPAexGothic lacks.

    Examples
    --------
    >>> from evalkit.plots import japanese_font
    >>> japanese_font().get_family()
    ['IPAexGothic', 'DejaVu Sans']
    """
    _font_path()
    return FontProperties(family=list(FONT_FAMILY))


def set_theme(
    *,
    context: str = "notebook",
    style: str = "whitegrid",
    palette: Any = "colorblind",
    font_scale: float = 1.0,
    rc: dict | None = None,
) -> None:
    """Set a seaborn theme with the Japanese font and a colour-blind-safe palette.

    Optional: every evalkit chart sets its own font. Call this to give other
    charts in a notebook the same look. It changes matplotlib's global
    ``rcParams`` (use ``matplotlib.rc_context`` to confine it).

    Parameters
    ----------
    context, style : str
        Passed to :func:`seaborn.set_theme`.
    palette : str or sequence
        Colour palette; seaborn's colour-blind-safe ``"colorblind"`` by default.
    font_scale : float
        Scale of all font sizes.
    rc : dict, optional
        Further ``rcParams``, applied last.

    Returns
    -------
    None

    Notes
    -----
    ``font.family`` becomes :data:`FONT_FAMILY`, a fallback chain: matplotlib
    takes each glyph from the first family that has it.

    Examples
    --------
    >>> import matplotlib
    >>> from evalkit.plots import set_theme
    >>> with matplotlib.rc_context():
    ...     set_theme()
    ...     print(matplotlib.rcParams["font.family"][0])
    IPAexGothic
    """
    _font_path()
    settings = {"font.family": list(FONT_FAMILY), "axes.unicode_minus": True}
    settings.update(rc or {})
    sns.set_theme(context=context, style=style, palette=palette, font_scale=font_scale, rc=settings)


def _apply_font(ax: Axes) -> None:
    """Set the Japanese font chain on every text of ``ax``, including ticks drawn later."""
    family = list(FONT_FAMILY)
    ax.tick_params(axis="both", which="both", labelfontfamily=family)
    for text in ax.findobj(Text):
        text.set_fontfamily(family)
