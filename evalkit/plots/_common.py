"""Helpers shared by the chart modules: axes, input checks, labels and numbers.

Every chart draws inside :func:`_drawing`, the one place where a chart meets
matplotlib's global state, makes its legend with :func:`_legend`, reads tidy
frames through :func:`_require_frame`, :func:`_labels` and :func:`_numbers`
(which name the file, row, column and value of a bad entry), recognises
evalkit results by their fields (:func:`_is_reduction`,
:func:`_is_satisfaction`), formats numbers with :func:`_fmt_number` and
writes notes with :func:`_note_below`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties

from .._validation import is_blank, numeric, row_number, source_file
from ..errors import EvalkitError
from .theme import _DARK, _apply_font, _font_path

#: Axis-label words for a result's ``measure``.
_MEASURE_UNITS = {
    "hours": "時間",
    "minutes": "分",
    "days": "日",
    "yen": "円",
    "count": "件",
    "runs": "件",
    "people": "人",
}


@contextmanager
def _drawing(ax: Any, *, figsize: tuple[float, float]) -> Iterator[Axes]:
    """The Axes a chart draws on (``ax``, or a new figure of ``figsize``), finished in Japanese.

    A chart leaves matplotlib's global state as it found it, so in Jupyter its
    figure displays like any pyplot figure and so do the figures after it:

    - ``rcParams`` are never written, not even for the time of the drawing.
      A temporary ``matplotlib.rc_context`` would restore, on exit, every
      parameter changed inside it, including those that pyplot changes on
      purpose: the first figure of a Jupyter session loads the inline backend,
      whose import switches interactive mode on (``rcParams["interactive"]``);
      restored to off, later figures stopped displaying without ``plt.show()``.
    - A new figure is made by ``plt.subplots``, as the user's own figures are.

    The bundled font is registered first, and once the chart is drawn
    :func:`~evalkit.plots.theme._apply_font` sets it on every text of the
    Axes. A new figure is closed again if the drawing fails, so that no empty
    figure is shown under the error.
    """
    _font_path()
    made = ax is None
    ax = _new_axes(ax, figsize=figsize)
    try:
        yield ax
    except BaseException:
        if made:
            import matplotlib.pyplot as plt

            plt.close(ax.figure)
        raise
    _apply_font(ax)


def _new_axes(ax: Any, *, figsize: tuple[float, float]) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize, layout="constrained")
        return ax
    if not isinstance(ax, Axes):
        raise EvalkitError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    return ax


def _legend(ax: Axes, **kwargs: Any) -> Any:
    """``ax.legend(**kwargs)`` in type at least as large as every tick label of ``ax``.

    The size of the entries and the title is matplotlib's ``legend.fontsize``,
    raised to that of the largest tick label shown; call this once the ticks
    are set.
    """
    sizes = [FontProperties(size=mpl.rcParams["legend.fontsize"]).get_size_in_points()]
    for axis in (ax.xaxis, ax.yaxis):
        sizes += [label.get_fontsize() for label in axis.get_ticklabels()]
    return ax.legend(fontsize=max(sizes), title_fontsize=max(sizes), **kwargs)


def _unit_word(measure: str) -> str:
    return _MEASURE_UNITS.get(measure, measure)


def _require_frame(data: Any, *, accepted: str) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise EvalkitError(f"data must be {accepted}, got {type(data).__name__}")
    if data.empty:
        raise EvalkitError("no rows to plot", file=source_file(data))
    return data


def _labels(df: pd.DataFrame, column: str) -> list[str]:
    """The values of a label column as strings, raising on a blank one."""
    values = df[column].reset_index(drop=True)
    for pos, value in enumerate(values):
        if _is_blank(value):
            raise EvalkitError(
                "missing label",
                file=source_file(df),
                row=row_number(pos, tabular=True),
                column=str(column),
                value=value,
            )
    return [str(v) for v in values]


_is_blank = is_blank  # the charts' name for it


def _numbers(df: pd.DataFrame, column: str, **kwargs: Any) -> np.ndarray:
    return numeric(
        df[column].reset_index(drop=True),
        column=str(column),
        file=source_file(df),
        tabular=True,
        **kwargs,
    )


def _is_reduction(obj: Any) -> bool:
    return all(hasattr(obj, name) for name in ("per_unit", "rate", "rate_ci"))


def _is_satisfaction(obj: Any) -> bool:
    return all(hasattr(obj, name) for name in ("counts", "rate", "ci", "n_missing"))


def _fmt_number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def _note_below(ax: Axes, text: str) -> None:
    """A small note under the x-axis label, left-aligned with the axes."""
    ax.annotate(
        text,
        xy=(0, 0),
        xycoords=("axes fraction", ax.xaxis.label),
        xytext=(0, -4),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=8,
        color=_DARK,
        annotation_clip=False,
    )
