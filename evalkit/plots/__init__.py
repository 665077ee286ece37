"""Charts for evaluation results, with Japanese text that renders everywhere.

Every function is axes-level, in the manner of seaborn: it takes tidy data
or an evalkit result as its only positional argument, draws on ``ax=`` (a
new figure sized for the content when omitted) and returns the Axes. The
caller's data are never modified.

Japanese text uses IPAexGothic, the font file shipped inside the
``matplotlib-fontja`` package. The file is registered with matplotlib's font
manager the first time a chart is drawn; ``matplotlib_fontja`` itself is not
imported, because importing it changes the global ``rcParams``. Each chart
sets the font on its own text (titles, labels, ticks, legends, notes), with
DejaVu Sans as a fallback for the few symbols IPAexGothic lacks (such as
``≥``), so Japanese renders whether or not :func:`set_theme` was called. The
font file is local: nothing is downloaded.

A chart changes no matplotlib setting (``rcParams``, interactive mode), not
even for the time it draws, and makes a new figure with ``plt.subplots``, as
a user does: in Jupyter it shows by itself, without ``plt.show()``, and so do
the figures drawn after it.

Colours come from seaborn's colour-blind-safe ``"colorblind"`` palette and,
for Likert answers, the ColorBrewer ``RdBu`` diverging palette; where colour
carries meaning (before/after, met/not met, planned/actual) marker shape or
text carries it too.

The charts live in one module per family, and every public name is imported
here, so ``evalkit.plots.<name>`` is the one address to learn:

- ``theme``: the font (:data:`FONT_NAME`, :data:`FONT_FAMILY`,
  :func:`japanese_font`), the colours and :func:`set_theme`;
- ``savings``: before/after and savings, :func:`before_after` and
  :func:`saved_by`;
- ``targets``: answers and targets, :func:`likert` and
  :func:`estimate_vs_target`;
- ``progress``: scorecard progress and milestones,
  :func:`cumulative_progress` and :func:`milestones`;
- ``causal``: effects over time, :func:`event_study` (leads and lags of a
  difference-in-differences event study) and :func:`its` (an interrupted
  time series against its counterfactual);
- ``_common``: the helpers the chart modules share (axes, input checks,
  labels, numbers, notes).

This package imports matplotlib and seaborn; ``import evalkit`` does not
import it, so statistics can be used without a plotting stack.

Examples
--------
>>> import pandas as pd
>>> from evalkit import plots
>>> plots.japanese_font().get_name()
'IPAexGothic'
>>> df = pd.DataFrame({"unit": ["総務課", "財政課"], "before": [30.0, 20.0],
...                    "after": [12.0, 9.0]})
>>> ax = plots.before_after(df)
>>> ax.get_xlabel()
'作業時間（時間）'
"""

from .causal import event_study, its
from .progress import cumulative_progress, milestones
from .savings import before_after, saved_by
from .targets import estimate_vs_target, likert
from .theme import FONT_FAMILY, FONT_NAME, japanese_font, set_theme
from .theme import _font_path as _font_path  # used by evalkit.report.pages

__all__ = [
    "FONT_NAME",
    "FONT_FAMILY",
    "set_theme",
    "japanese_font",
    "before_after",
    "saved_by",
    "likert",
    "estimate_vs_target",
    "cumulative_progress",
    "milestones",
    "event_study",
    "its",
]
