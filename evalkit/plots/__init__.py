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

Colours come from seaborn's colour-blind-safe ``"colorblind"`` palette and,
for Likert answers, the ColorBrewer ``RdBu`` diverging palette; where colour
carries meaning (before/after, met/not met, planned/actual) marker shape or
text carries it too.

This module imports matplotlib and seaborn; ``import evalkit`` does not
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

from __future__ import annotations

import importlib.util
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, PercentFormatter

from .._compare import at_least
from .._validation import numeric, require_columns, row_number, select, source_file
from ..errors import EvalkitError

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
]

#: Family name of the bundled Japanese font.
FONT_NAME = "IPAexGothic"
#: Font fallback chain applied to every text: Japanese first, then DejaVu Sans
#: (shipped with matplotlib) for symbols IPAexGothic lacks.
FONT_FAMILY = (FONT_NAME, "DejaVu Sans")

_FONT_PACKAGE = "matplotlib_fontja"
_FONT_FILE = ("fonts", "ipaexg.ttf")

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

_COLORS = sns.color_palette("colorblind").as_hex()
_BLUE, _ORANGE, _VERMILLION, _GREY = _COLORS[0], _COLORS[1], _COLORS[3], _COLORS[7]
_DARK = "#333333"
_NEUTRAL = "#cfcfcf"

_font_path_cache: list[str] = []


# ----------------------------------------------------------------------------- fonts


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


class _FontContext:
    """Within the block, new text defaults to the Japanese font chain."""

    def __enter__(self):
        _font_path()
        self._rc = mpl.rc_context({"font.family": list(FONT_FAMILY)})
        self._rc.__enter__()
        return self

    def __exit__(self, *exc):
        return self._rc.__exit__(*exc)


def _apply_font(ax: Axes) -> None:
    """Set the Japanese font chain on every text of ``ax``, including ticks drawn later."""
    family = list(FONT_FAMILY)
    ax.tick_params(axis="both", which="both", labelfontfamily=family)
    for text in ax.findobj(Text):
        text.set_fontfamily(family)


# ----------------------------------------------------------------------------- helpers


def _new_axes(ax: Any, *, figsize: tuple[float, float]) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize, layout="constrained")
        return ax
    if not isinstance(ax, Axes):
        raise EvalkitError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    return ax


def _unit_word(measure: str) -> str:
    return _MEASURE_UNITS.get(measure, measure)


def _amount_label(measure: str) -> str:
    """Axis label for an amount: 作業時間（時間）, 金額（円）, ..."""
    word = _unit_word(measure)
    if measure in ("hours", "minutes", "days"):
        return f"作業時間（{word}）"
    if measure == "yen":
        return "金額（円）"
    return f"{measure}（{word}）" if word != measure else measure


def _check_measure(measure: Any) -> str:
    if not isinstance(measure, str) or not measure.strip():
        raise EvalkitError("measure must be a non-empty string such as 'hours'", value=measure)
    return measure


def _check_top(top: Any) -> int | None:
    if top is None:
        return None
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or top < 1:
        raise EvalkitError("top must be a positive whole number or None", value=top)
    return int(top)


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


def _is_blank(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


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


def _sum_by_label(labels: list[str], columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """Sum rows sharing a label, keeping the order of first appearance."""
    frame = pd.DataFrame({"label": labels, **columns})
    return frame.groupby("label", sort=False, as_index=False).sum(min_count=1)


# ----------------------------------------------------------------------------- before/after


def before_after(
    data: Any,
    *,
    unit: str = "unit",
    before: str = "before",
    after: str = "after",
    measure: str | None = None,
    sort: bool = True,
    top: int | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Paired dot (dumbbell) chart of the before and after amounts of each unit.

    Each unit (department, task) is a row: a circle at its amount before, a
    diamond at its amount after, joined by a line whose length is the saving.

    Parameters
    ----------
    data : DataFrame or ReductionResult
        A tidy frame with one or more rows per unit, or the result of
        :func:`evalkit.reduction.reduction` (its ``per_unit`` table is drawn
        and ``unit``, ``before`` and ``after`` are ignored).
    unit, before, after : str
        Columns of a tidy frame: unit label, amount before, amount after.
        Rows of the same unit are summed (so monthly rows give yearly totals).
    measure : str, optional
        What the amounts measure (``"hours"``, ``"yen"``, ...), for the axis
        label. Default: the result's ``measure``, or ``"hours"`` for a frame.
    sort : bool
        Order units by their amount before, largest at the top; otherwise
        keep the order of first appearance.
    top : int, optional
        Show only the ``top`` units with the largest amount before. A note
        under the chart gives how many units there are in all and the totals
        of those not shown, so nothing disappears silently.
    ax : matplotlib Axes, optional
        Axes to draw on. Default: a new figure whose height grows with the
        number of units shown.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    EvalkitError
        Missing columns, a blank unit, amounts that are missing, negative or
        not numbers (naming file, row, column and value), a bad ``top``.

    Notes
    -----
    A dumbbell chart was chosen over a slope chart because every unit stays
    labelled and comparable on one axis (116 crossing lines of a slope chart
    cannot be told apart). For long lists (more than 40 units, e.g. 116
    departments) all rows are drawn by default, with a 7-point font, a
    figure about 0.17 inch per row and the scale at the top as well as the
    bottom; ``top=30`` gives a compact chart of the units that matter most,
    with the rest summarised in the note. The legend sits outside the axes,
    at the top right.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.plots import before_after
    >>> df = pd.DataFrame({"unit": ["総務課", "財政課", "総務課"],
    ...                    "before": [30.0, 20.0, 10.0], "after": [12.0, 9.0, 4.0]})
    >>> ax = before_after(df)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['総務課', '財政課']
    """
    if _is_reduction(data):
        table = data.per_unit
        unit, before, after = "unit", "before", "after"
        measure = getattr(data, "measure", "hours") if measure is None else measure
    else:
        table = _require_frame(data, accepted="a DataFrame or a ReductionResult")
        measure = "hours" if measure is None else measure
    measure = _check_measure(measure)
    top = _check_top(top)
    require_columns(table, [unit, before, after])
    frame = _sum_by_label(
        _labels(table, unit),
        {"before": _numbers(table, before), "after": _numbers(table, after)},
    )
    n_all = len(frame)
    if sort:
        frame = frame.sort_values("before", ascending=False, kind="stable")
    note = None
    if top is not None and top < n_all:
        keep = frame["before"].nlargest(top, keep="first").index
        rest = frame.drop(index=keep)
        frame = frame.loc[frame.index.isin(keep)]
        word = _unit_word(measure)
        note = (
            f"導入前の多い上位{top}件を表示（全{n_all}件）。"
            f"表示外の{len(rest)}件の合計：導入前 {_fmt_number(rest['before'].sum())}{word}、"
            f"導入後 {_fmt_number(rest['after'].sum())}{word}"
        )
    n = len(frame)
    small = n > 40
    with _FontContext():
        ax = _new_axes(ax, figsize=(7.5, max(2.6, 1.2 + (0.17 if small else 0.3) * n)))
        y = np.arange(n)
        ax.hlines(y, frame["after"], frame["before"], color=_GREY, linewidth=1.5, zorder=1)
        size = 22 if small else 40
        ax.scatter(frame["before"], y, marker="o", s=size, color=_ORANGE, label="導入前", zorder=2)
        ax.scatter(frame["after"], y, marker="D", s=size, color=_BLUE, label="導入後", zorder=3)
        ax.set_yticks(y, frame["label"].tolist())
        ax.tick_params(axis="y", labelsize=7 if small else 9, length=0)
        if small:  # a long chart gets the scale at its top as well
            ax.tick_params(axis="x", top=True, labeltop=True)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(left=0)
        ax.set_xlabel(_amount_label(measure))
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", alpha=0.4)
        # outside the axes: inside, it would hide markers whenever the amounts are alike
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        if note:
            _note_below(ax, note)
        _apply_font(ax)
    return ax


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


# ----------------------------------------------------------------------------- saved by


_ISO_MONTH = re.compile(r"^\d{4}-\d{2}$")


def saved_by(
    data: Any,
    *,
    by: str = "unit",
    column: str | None = None,
    saved: str = "saved",
    measure: str | None = None,
    top: int | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Bar chart of the amount saved by unit or by period.

    By unit: horizontal bars, largest saving at the top. By period: vertical
    bars in time order with a dashed line at the mean per period, labelled
    with its value (and its confidence interval when ``data`` is a result).

    Parameters
    ----------
    data : DataFrame or ReductionResult
        A tidy frame, or the result of :func:`evalkit.reduction.reduction`
        (its ``per_unit`` or ``per_period`` table is drawn).
    by : {"unit", "period"}
        Break the saving down by unit or by period.
    column : str, optional
        Column of a tidy frame holding the units or periods (e.g.
        ``"department"``, ``"month"``). Default: the value of ``by``.
    saved : str
        Column of a tidy frame holding the amount saved (before − after).
        Rows sharing a unit or period are summed.
    measure : str, optional
        What is measured, for the axis label. Default: the result's
        ``measure``, or ``"hours"``.
    top : int, optional
        By unit only: show the ``top`` largest savings, with a note giving
        the number of units in all and the total of those not shown.
    ax : matplotlib Axes, optional
        Axes to draw on. Default: a new figure sized for the bars.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    EvalkitError
        Bad ``by``, missing columns, blank labels, savings that are missing
        or not numbers, a result without a per-period table for
        ``by="period"``.

    Notes
    -----
    Periods are put in time order when they are pandas Periods, dates,
    numbers or ``YYYY-MM`` strings; other labels keep the order of first
    appearance. The mean line is the mean of the per-period totals (for a
    result, its ``mean_saved_per_period``); it is labelled 月平均 when the
    periods are months.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.plots import saved_by
    >>> df = pd.DataFrame({"month": ["2019-05", "2019-04"], "saved": [60.0, 64.0]})
    >>> ax = saved_by(df, by="period", column="month")
    >>> [t.get_text().replace("\\n", " ") for t in ax.get_xticklabels()]
    ['2019年 4月', '5月']
    """
    if by not in ("unit", "period"):
        raise EvalkitError("by must be 'unit' or 'period'", value=by)
    top = _check_top(top)
    if top is not None and by == "period":
        raise EvalkitError("top= applies to by='unit' only", value=top)
    mean_value = mean_ci = None
    confidence = None
    if _is_reduction(data):
        table = data.per_unit if by == "unit" else data.per_period
        if table is None:
            raise EvalkitError(
                "this result has no per-period table; call reduction(..., period=<column>)"
            )
        column, saved = by, "saved"
        measure = getattr(data, "measure", "hours") if measure is None else measure
        if by == "period":
            mean_value = getattr(data, "mean_saved_per_period", None)
            mean_ci = getattr(data, "mean_saved_per_period_ci", None)
            confidence = getattr(data, "confidence", None)
    else:
        table = _require_frame(data, accepted="a DataFrame or a ReductionResult")
        column = column or by
        measure = "hours" if measure is None else measure
    measure = _check_measure(measure)
    require_columns(table, [column, saved])
    values = _numbers(table, saved, allow_negative=True)
    word = _unit_word(measure)
    if by == "unit":
        frame = _sum_by_label(_labels(table, column), {"saved": values})
        frame = frame.sort_values("saved", ascending=False, kind="stable")
        n_all = len(frame)
        note = None
        if top is not None and top < n_all:
            rest = frame.iloc[top:]
            frame = frame.iloc[:top]
            note = (
                f"削減の多い上位{top}件を表示（全{n_all}件）。"
                f"表示外の{len(rest)}件の削減合計 {_fmt_number(rest['saved'].sum())}{word}"
            )
        return _saved_by_unit(frame, word=word, note=note, ax=ax)
    frame, months = _period_totals(table, column, values)
    if mean_value is None or not np.isfinite(mean_value):
        mean_value, mean_ci = float(frame["saved"].mean()), None
    return _saved_by_period(
        frame,
        word=word,
        months=months,
        mean=float(mean_value),
        ci=mean_ci,
        confidence=confidence,
        ax=ax,
    )


def _period_totals(
    table: pd.DataFrame, column: str, values: np.ndarray
) -> tuple[pd.DataFrame, bool]:
    raw = table[column].reset_index(drop=True)
    labels = _labels(table, column)  # raises on a blank period
    frame = pd.DataFrame({"key": raw, "label": labels, "saved": values})
    frame = frame.groupby("label", sort=False, as_index=False).agg(
        key=("key", "first"), saved=("saved", "sum")
    )
    kind = raw.dtype
    months = False
    if isinstance(kind, pd.PeriodDtype) or all(isinstance(v, pd.Period) for v in frame["key"]):
        months = all(v.freqstr == "M" for v in frame["key"])
        frame = frame.sort_values("key", kind="stable")
    elif pd.api.types.is_datetime64_any_dtype(kind) or pd.api.types.is_numeric_dtype(kind):
        frame = frame.sort_values("key", kind="stable")
    elif all(isinstance(v, str) and _ISO_MONTH.match(v) for v in frame["key"]):
        months = True
        frame = frame.sort_values("label", kind="stable")
    return frame.reset_index(drop=True), months


def _saved_by_unit(frame: pd.DataFrame, *, word: str, note: str | None, ax: Any) -> Axes:
    n = len(frame)
    small = n > 40
    with _FontContext():
        ax = _new_axes(ax, figsize=(7.5, max(2.6, 1.2 + (0.17 if small else 0.3) * n)))
        y = np.arange(n)
        bars = ax.barh(y, frame["saved"], height=0.7, color=_BLUE)
        if not small:
            ax.bar_label(
                bars,
                labels=[_fmt_number(v) for v in frame["saved"]],
                padding=3,
                fontsize=8,
                color=_DARK,
            )
        ax.set_yticks(y, frame["label"].tolist())
        ax.tick_params(axis="y", labelsize=7 if small else 9, length=0)
        ax.set_ylim(n - 0.5, -0.5)
        ax.axvline(0, color=_DARK, linewidth=0.8)
        ax.margins(x=0.08)
        ax.set_xlabel(f"削減量（{word}）")
        ax.grid(axis="y", visible=False)
        if note:
            _note_below(ax, note)
        _apply_font(ax)
    return ax


def _month_ticks(labels: list[str]) -> list[str]:
    """``YYYY-MM`` labels as 4月, 5月, ... with the year on the first month and on January."""
    out = []
    for i, label in enumerate(labels):
        year, month = label[:4], int(label[5:7])
        out.append(f"{year}年\n{month}月" if i == 0 or month == 1 else f"{month}月")
    return out


def _saved_by_period(
    frame: pd.DataFrame,
    *,
    word: str,
    months: bool,
    mean: float,
    ci: Any,
    confidence: Any,
    ax: Any,
) -> Axes:
    n = len(frame)
    with _FontContext():
        ax = _new_axes(ax, figsize=(max(5.0, 1.5 + 0.55 * n), 3.8))
        x = np.arange(n)
        bars = ax.bar(x, frame["saved"], width=0.7, color=_BLUE, label="各期間の削減量")
        ax.bar_label(
            bars,
            labels=[_fmt_number(v) for v in frame["saved"]],
            padding=2,
            fontsize=8,
            color=_DARK,
            zorder=4,
            bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none"},
        )
        labels = _month_ticks(frame["label"].tolist()) if months else frame["label"].tolist()
        ax.set_xticks(x, labels)
        if not months and n * max(len(s) for s in labels) > 60:
            ax.tick_params(axis="x", labelrotation=45, labelsize=8)
            for t in ax.get_xticklabels():
                t.set_horizontalalignment("right")
                t.set_rotation_mode("anchor")
        ax.axhline(0, color=_DARK, linewidth=0.8)
        name = "月平均" if months else "期間平均"
        text = f"{name} {_fmt_number(mean)}{word}"
        if ci is not None and all(np.isfinite(ci)):
            level = f"{round(100 * confidence)}%" if confidence else ""
            text += f"（{level}信頼区間 {_fmt_number(ci[0])}–{_fmt_number(ci[1])}）"
            ax.axhspan(ci[0], ci[1], color=_ORANGE, alpha=0.15, linewidth=0, zorder=0)
        ax.axhline(mean, color=_ORANGE, linestyle="--", linewidth=1.5, label=text, zorder=3)
        top_value = max(float(frame["saved"].max()), mean, *(ci if ci is not None else []))
        ax.set_ylim(top=top_value * 1.25 if top_value > 0 else None)
        ax.set_ylabel(f"削減量（{word}）")
        ax.set_xlabel("月" if months else "期間")
        ax.grid(axis="x", visible=False)
        ax.legend(loc="upper left", ncols=2, frameon=True, framealpha=0.9, fontsize=9)
        _apply_font(ax)
    return ax


# ----------------------------------------------------------------------------- Likert


def _likert_counts(data: Any, answers: Any, by: Any, scale: Any) -> tuple[tuple, list]:
    """Scale labels and rows of (group label, counts in scale order, n_missing), overall first."""
    from ..stats.scales import get_scale, normalise_answers

    sc = get_scale(scale)
    labels = tuple(str(label) for label in sc.labels)
    if data is not None:
        _require_frame(data, accepted="a DataFrame, a SatisfactionResult or None")
    # names the file, row, column and value of an answer not on the scale
    canonical = normalise_answers(data, answers=answers, scale=sc).reset_index(drop=True)
    file = source_file(data)
    if len(canonical) == 0:
        raise EvalkitError("no answers to plot", file=file, column=str(canonical.name))
    index = {label: i for i, label in enumerate(sc.labels)}
    codes = np.array([-1 if v is None else index[v] for v in canonical], dtype=np.int64)

    def row(name: str, mask: np.ndarray) -> tuple[str, np.ndarray, int]:
        picked = codes[mask]
        counts = np.bincount(picked[picked >= 0], minlength=len(labels))
        return name, counts, int((picked < 0).sum())

    rows = [row("全体", np.ones(len(codes), dtype=bool))]
    if by is not None:
        groups, tabular = select(data, by, role="by")
        by_name = str(by) if tabular else "by"
        if len(groups) != len(codes):
            raise EvalkitError(
                f"by has {len(groups)} values but answers has {len(codes)}", column=by_name
            )
        for pos, value in enumerate(groups):
            if _is_blank(value):
                raise EvalkitError(
                    "missing group label",
                    file=file,
                    row=row_number(pos, tabular=tabular),
                    column=by_name,
                    value=value,
                )
        keys = groups.astype(str).to_numpy()
        for key in dict.fromkeys(keys):
            rows.append(row(key, keys == key))
    if rows[0][1].sum() == 0:
        raise EvalkitError(
            f"every answer is blank ({len(codes)} blank)", file=file, column=str(canonical.name)
        )
    return labels, rows


def likert(
    data: Any = None,
    *,
    answers: Any = None,
    by: Any = None,
    scale: Any = "ja5",
    ax: Axes | None = None,
) -> Axes:
    """Diverging stacked bar of Likert answers, centred on the neutral category.

    Each bar shows the percentage of valid answers in each category: the
    positive categories to the right of zero, the negative ones to the
    left, and the neutral category (odd scales) split evenly across zero;
    for even scales the centre lies between the two halves. Segments of 5 %
    or more carry their percentage; the totals of positive and negative
    answers are written at the ends. Each bar's label gives its number of
    valid answers (n) and of blank answers (無回答).

    Parameters
    ----------
    data : DataFrame, SatisfactionResult or None
        A frame with a column of answers, a result of
        :func:`evalkit.satisfaction.satisfaction_rate` (its counts and
        ``n_missing`` are drawn), or None with ``answers`` given as an array.
    answers : str or array-like
        Column of ``data`` holding the answers, or the answers themselves.
        They are read with :func:`evalkit.scales.normalise_answers` (spaces,
        full-width forms and the scale's aliases accepted). Blank answers
        (empty, None, NaN) are counted as missing, never dropped silently;
        any other answer not on the scale is an error.
    by : str or array-like, optional
        Column (or values) to group by: one bar per group, in order of first
        appearance, under a bar for all answers (全体).
    scale : str, Scale or sequence of str
        Scale name for :func:`evalkit.scales.get_scale` (e.g. ``"ja5"``), a
        Scale, or the labels themselves, most positive first.
    ax : matplotlib Axes, optional
        Axes to draw on. Default: a new figure sized for the bars.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; its title gives n and the number of blank answers.

    Raises
    ------
    EvalkitError
        An answer not on the scale (naming file, row, column and value), a
        blank group label, no valid answers at all, bad ``scale``.

    Notes
    -----
    Percentages are of the valid (non-blank) answers of each bar, so the
    segments of a bar add to 100 %. "Positive" is the upper half of the
    scale (大変満足 and 満足 on ja5), "negative" the lower half. The legend
    lists the categories in scale order, most positive first. Colours are
    ColorBrewer RdBu (red negative, blue positive, grey neutral), which
    stays distinct under the common colour-vision deficiencies.

    Examples
    --------
    >>> from evalkit.plots import likert
    >>> ax = likert(answers=["満足", "満足", "不満", None], scale=["満足", "不満"])
    >>> ax.get_title()
    '回答の分布（n=3、無回答 1）'
    """
    if _is_satisfaction(data):
        labels = tuple(str(label) for label in data.counts.index)
        counts = data.counts.to_numpy(dtype=np.int64)
        rows = [("全体", counts, int(data.n_missing))]
    else:
        labels, rows = _likert_counts(data, answers, by, scale)
    return _draw_likert(rows, labels, ax=ax)


def _draw_likert(rows: list[tuple[str, np.ndarray, int]], labels: tuple[str, ...], *, ax: Any):
    k = len(labels)
    half = k // 2
    odd = k % 2 == 1
    # drawing order left to right: most negative ... most positive
    order = list(range(k - 1, -1, -1))
    colours = sns.color_palette("RdBu", k).as_hex()  # red (negative) ... blue (positive)
    if odd:
        colours[half] = _NEUTRAL
    colour_of = {i: colours[pos] for pos, i in enumerate(order)}
    n_rows = len(rows)
    with _FontContext():
        ax = _new_axes(ax, figsize=(8.0, 1.5 + 0.55 * n_rows))
        extent = 0.0
        ticks = []
        for y, (name, counts, n_missing) in enumerate(rows):
            n = int(counts.sum())
            ticks.append(f"{name}\nn={n}・無回答{n_missing}")
            if n == 0:
                ax.text(0, y, "有効回答なし", ha="center", va="center", fontsize=9, color=_DARK)
                continue
            pct = 100.0 * counts / n
            negative = pct[half + 1 :].sum() if odd else pct[half:].sum()
            positive = pct[:half].sum()
            neutral = pct[half] if odd else 0.0
            left = -(negative + neutral / 2)
            for i in order:
                width = pct[i]
                if width > 0:
                    ax.barh(
                        y,
                        width,
                        left=left,
                        height=0.6,
                        color=colour_of[i],
                        edgecolor="white",
                        linewidth=0.8,
                    )
                    if width >= 5:
                        ax.text(
                            left + width / 2,
                            y,
                            f"{width:.0f}%",
                            ha="center",
                            va="center",
                            fontsize=8,
                            color=_text_colour(colour_of[i]),
                        )
                left += width
            start = -(negative + neutral / 2)
            end = positive + neutral / 2
            ax.text(
                start - 1.5,
                y,
                f"{negative:.1f}%",
                ha="right",
                va="center",
                fontsize=9,
                color=colours[0] if negative else _DARK,
            )
            ax.text(
                end + 1.5,
                y,
                f"{positive:.1f}%",
                ha="left",
                va="center",
                fontsize=9,
                color=colours[-1] if positive else _DARK,
            )
            extent = max(extent, -start, end)
        limit = min(100.0, extent) + 24  # room for the totals written at the ends
        ax.set_xlim(-limit, limit)
        ax.set_xticks([t for t in range(-100, 101, 25) if abs(t) <= limit])
        ax.set_ylim(n_rows - 0.5, -0.5)
        ax.set_yticks(range(n_rows), ticks)
        ax.tick_params(axis="y", length=0, labelsize=9)
        ax.axvline(0, color=_DARK, linewidth=0.8, zorder=0.5)  # behind the bars and labels
        if n_rows > 1:
            ax.axhline(0.5, color=_GREY, linewidth=0.8)  # sets 全体 apart from the groups
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{abs(v):.0f}%"))
        ax.set_xlabel("回答の割合（%、有効回答に占める割合）")
        ax.grid(axis="y", visible=False)
        handles = [
            Patch(facecolor=colour_of[i], edgecolor="white", label=labels[i]) for i in range(k)
        ]
        ax.legend(
            handles=handles,
            loc="center left",
            bbox_to_anchor=(1.01, 0.5),
            frameon=False,
            fontsize=9,
        )
        total_n = int(rows[0][1].sum())
        ax.set_title(f"回答の分布（n={total_n}、無回答 {rows[0][2]}）", fontsize=11)
        _apply_font(ax)
    return ax


def _text_colour(background: str) -> str:
    r, g, b = mpl.colors.to_rgb(background)
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black"


# ----------------------------------------------------------------------------- estimate vs target


def _estimates(data: Any) -> list[dict[str, Any]]:
    if _is_satisfaction(data):
        return [_from_result(data, "満足度", data.ci)]
    if _is_reduction(data):
        return [_from_reduction(data)]
    if isinstance(data, pd.DataFrame):
        return _from_frame(data)
    if isinstance(data, list | tuple) and data:
        items = []
        for pos, item in enumerate(data):
            if not (_is_satisfaction(item) or _is_reduction(item)):
                raise EvalkitError(
                    "each item must be a SatisfactionResult or a ReductionResult",
                    row=pos + 1,
                    value=type(item).__name__,
                )
            items.extend(_estimates(item))
        return items
    raise EvalkitError(
        "data must be a SatisfactionResult, a ReductionResult, a non-empty list of them, "
        f"or a DataFrame with columns metric, value, ci_low, ci_high, target; "
        f"got {type(data).__name__}"
    )


#: Estimate field, interval field and label of each reduction target metric.
_REDUCTION_METRICS = {
    "rate": ("rate", "rate_ci", "削減率"),
    "mean_unit_rate": ("mean_unit_rate", None, "削減率の単位平均"),
    "mean_saved": ("mean_saved", "mean_saved_ci", "1単位あたり平均削減量"),
    "mean_saved_per_period": ("mean_saved_per_period", "mean_saved_per_period_ci", "月平均削減量"),
}


def _from_reduction(result: Any) -> dict[str, Any]:
    """The estimate a reduction's target refers to (``target_metric``; the rate by default)."""
    metric = getattr(result, "target_metric", "rate") if result.target is not None else "rate"
    field, ci_field, name = _REDUCTION_METRICS.get(metric, _REDUCTION_METRICS["rate"])
    ci = getattr(result, ci_field) if ci_field else None
    item = _from_result(result, name, ci, value=getattr(result, field))
    if metric in ("mean_saved", "mean_saved_per_period"):
        item["axis"] = f"削減量（{_unit_word(getattr(result, 'measure', 'hours'))}）"
    return item


def _from_result(result: Any, name: str, ci: Any, *, value: Any = None) -> dict[str, Any]:
    target = result.target
    low, high = (np.nan, np.nan) if ci is None else (float(ci[0]), float(ci[1]))
    return {
        "label": f"{name}（n={result.n}）",
        "value": float(result.rate if value is None else value),
        "low": low,
        "high": high,
        "target": np.nan if target is None else float(target),
        "met": getattr(result, "meets_target", None),
        "confident": getattr(result, "meets_target_confidently", None),
        "confidence": getattr(result, "confidence", None),
        "axis": "値",
    }


def _from_frame(frame: pd.DataFrame) -> list[dict[str, Any]]:
    frame = _require_frame(frame, accepted="a result or a DataFrame")
    require_columns(frame, ["metric", "value"])
    names = _labels(frame, "metric")
    value = _numbers(frame, "value", allow_negative=True)
    n = len(frame)

    def optional(col: str) -> np.ndarray:
        if col not in frame.columns:
            return np.full(n, np.nan)
        return _numbers(frame, col, allow_missing=True, allow_negative=True)

    low, high, target = optional("ci_low"), optional("ci_high"), optional("target")
    items = []
    for i in range(n):
        if np.isfinite(low[i]) and np.isfinite(high[i]) and not low[i] <= value[i] <= high[i]:
            raise EvalkitError(
                "value lies outside its interval [ci_low, ci_high]",
                file=source_file(frame),
                row=row_number(i, tabular=True),
                column="value",
                value=float(value[i]),
            )
        has_target = np.isfinite(target[i])
        items.append(
            {
                "label": names[i],
                "value": float(value[i]),
                "low": float(low[i]),
                "high": float(high[i]),
                "target": float(target[i]),
                "met": at_least(value[i], target[i]) if has_target else None,
                "confident": at_least(low[i], target[i])
                if has_target and np.isfinite(low[i])
                else None,
                "confidence": None,
                "axis": "値",
            }
        )
    return items


def _status(item: dict[str, Any]) -> tuple[str, str, str, str, str]:
    """(verdict, legend label, marker, face colour, edge colour) of an estimate."""
    if not np.isfinite(item["target"]) or item["met"] is None:
        return "", "目標なし", "s", _GREY, _GREY
    if item["met"]:
        if item["confident"]:
            return "目標達成", "達成（信頼区間も目標以上）", "o", _BLUE, _BLUE
        return "目標達成", "達成（信頼区間は目標をまたぐ）", "o", "white", _BLUE
    return "目標未達", "未達", "X", _VERMILLION, _VERMILLION


def estimate_vs_target(data: Any, *, labels: Sequence[str] | None = None, ax: Axes | None = None):
    """Estimates with their confidence intervals against their targets.

    One row per estimate: a marker at the estimate, a horizontal error bar
    for its confidence interval, a dashed line at its target, and a line of
    text with the numbers and the verdict.

    Parameters
    ----------
    data : SatisfactionResult, ReductionResult, list of them, or DataFrame
        A satisfaction result (``rate``, ``ci``, ``target``), a reduction
        result (``rate``, ``rate_ci``, ``target``), a list of such results,
        or a tidy frame with columns ``metric`` and ``value`` and optionally
        ``ci_low``, ``ci_high`` and ``target`` (blank where there is none).
    labels : sequence of str, optional
        One label per estimate. Default: 満足度 or 削減率 with n for
        results, the ``metric`` column for a frame.
    ax : matplotlib Axes, optional
        Axes to draw on. Default: a new figure sized for the rows.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    EvalkitError
        Unsupported ``data``, missing columns, values that are not numbers,
        a value outside its interval, ``labels`` of the wrong length.

    Notes
    -----
    A target is a minimum (higher is better). The verdict is written beside
    each estimate (目標達成 or 目標未達) and shown by the marker, not by colour
    alone; the legend explains the markers: filled circle, 達成（信頼区間も
    目標以上） when the whole interval reaches the target; hollow circle,
    達成（信頼区間は目標をまたぐ） when only the estimate does; cross, 未達;
    grey square, 目標なし. Results bring their own verdict (``meets_target``,
    ``meets_target_confidently``), and a reduction shows the estimate its
    ``target_metric`` names (the aggregate rate by default). For a frame the
    estimate is compared with ``value >= target`` and the interval with
    ``ci_low >= target``, a value within a relative 1e-9 of the target
    counting as equal to it (the rule of every evalkit verdict). One dashed
    line marks a target shared by every row; otherwise each row has its own.
    When every value, bound and target lies in [0, 1] the axis is a
    percentage from 0 % to 100 %.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.plots import estimate_vs_target
    >>> df = pd.DataFrame({"metric": ["満足度"], "value": [0.8387], "ci_low": [0.75],
    ...                    "ci_high": [0.90], "target": [0.70]})
    >>> ax = estimate_vs_target(df)
    >>> ax.get_xlabel()
    '割合（%）'
    """
    items = _estimates(data)
    if labels is not None:
        if isinstance(labels, str) or len(labels) != len(items):
            raise EvalkitError(
                f"labels must be a sequence of {len(items)} names, one per estimate",
                value=labels,
            )
        for item, label in zip(items, labels, strict=True):
            item["label"] = str(label)
    numbers = np.array(
        [x for it in items for x in (it["value"], it["low"], it["high"], it["target"])]
    )
    finite = numbers[np.isfinite(numbers)]
    ratio = bool(finite.size) and bool(((finite >= 0) & (finite <= 1)).all())
    fmt = (lambda v: f"{100 * v:.1f}%") if ratio else _fmt_number
    bare = (lambda v: f"{100 * v:.1f}") if ratio else _fmt_number
    targets = {it["target"] for it in items if np.isfinite(it["target"])}
    shared_target = len(targets) == 1 and all(np.isfinite(it["target"]) for it in items)
    n = len(items)
    with _FontContext():
        ax = _new_axes(ax, figsize=(7.5, 1.4 + 0.95 * n))
        seen = {}
        for y, item in enumerate(items):
            verdict, status, marker, face, edge = _status(item)
            value, low, high = item["value"], item["low"], item["high"]
            if np.isfinite(low) and np.isfinite(high):
                ax.errorbar(
                    value,
                    y,
                    xerr=[[value - low], [high - value]],
                    fmt="none",
                    ecolor=edge,
                    elinewidth=1.8,
                    capsize=5,
                    zorder=2,
                )
            ax.scatter(
                [value],
                [y],
                marker=marker,
                s=70,
                facecolor=face,
                edgecolor=edge,
                linewidth=1.8,
                zorder=3,
                label=status if status not in seen else None,
            )
            seen[status] = True
            if np.isfinite(item["target"]) and not shared_target:
                ax.vlines(
                    item["target"],
                    y - 0.38,
                    y + 0.38,
                    colors=_DARK,
                    linestyles="--",
                    linewidth=1.2,
                    zorder=1,
                )
                ax.text(
                    item["target"],
                    y - 0.4,
                    f"目標 {fmt(item['target'])}",
                    ha="center",
                    va="bottom",
                    fontsize=8,
                    color=_DARK,
                )
            level = item["confidence"]
            ci_name = f"{round(100 * level)}%信頼区間" if level else "信頼区間"
            detail = fmt(value)
            if np.isfinite(low) and np.isfinite(high):
                detail += f"（{ci_name} {bare(low)}–{fmt(high)}）"
            if verdict:
                detail += f" {verdict}"
            # keep the text inside the axes: anchor it by its end near the edges
            left, right = (0.0, 1.0) if ratio else (np.nanmin(numbers), np.nanmax(numbers))
            where = (value - left) / (right - left) if right > left else 0.5
            ha = "right" if where > 0.65 else "left" if where < 0.35 else "center"
            ax.annotate(
                detail,
                xy=(value, y),
                xytext=(0, -11),
                textcoords="offset points",
                ha=ha,
                va="top",
                fontsize=8.5,
                color=_DARK,
                bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none"},
                zorder=4,
            )
        if shared_target:
            (target,) = targets
            ax.axvline(target, color=_DARK, linestyle="--", linewidth=1.2, zorder=1)
            ax.annotate(
                f"目標 {fmt(target)}",
                xy=(target, 1),
                xycoords=("data", "axes fraction"),
                xytext=(3, -3),
                textcoords="offset points",
                ha="left",
                va="top",
                fontsize=9,
                color=_DARK,
            )
        ax.set_yticks(range(n), [it["label"] for it in items])
        ax.set_ylim(n - 0.35, -0.75)
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="y", visible=False)
        if ratio:
            ax.set_xlim(0, 1)
            ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
            ax.set_xlabel("割合（%）")
        else:
            ax.margins(x=0.25)
            axes_labels = {it["axis"] for it in items}
            ax.set_xlabel(axes_labels.pop() if len(axes_labels) == 1 else "値")
        ax.legend(
            loc="center left",
            bbox_to_anchor=(1.01, 0.5),
            title="目標に対して",
            fontsize=8,
            title_fontsize=8,
            frameon=False,
        )
        _apply_font(ax)
    return ax


# ----------------------------------------------------------------------------- cumulative progress


def cumulative_progress(
    data: Any,
    *,
    period: str = "period",
    planned: str = "planned",
    actual: str = "actual",
    total: float | None = None,
    baseline: float = 0,
    cumulative: bool = False,
    unit_word: str = "件",
    ax: Axes | None = None,
) -> Axes:
    """Planned against actual cumulative counts, as step lines.

    The chart starts at ``baseline`` (開始時, e.g. systems already running)
    and rises at the end of each period by that period's count. Periods
    whose actual count is not reported yet (blank) are not drawn: only
    known points are plotted, none is invented.

    Parameters
    ----------
    data : DataFrame
        One row per period, in time order.
    period, planned, actual : str
        Columns: period label (e.g. ``"4月〜9月"``), planned count, actual
        count (blank where not yet reported).
    total : float, optional
        Overall goal (e.g. every system to migrate), drawn as a dotted line.
    baseline : float
        Count before the first period.
    cumulative : bool
        True when ``planned`` and ``actual`` already hold running totals
        (including the baseline) rather than counts per period.
    unit_word : str
        Unit for the axis label (件, システム, ...).
    ax : matplotlib Axes, optional
        Axes to draw on. Default: a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    EvalkitError
        Missing columns, blank periods or planned counts, negative counts,
        values that are not numbers, a bad ``total`` or ``baseline``, or
        (counts per period) an actual count reported after a blank one,
        since the running total there cannot be known.

    Notes
    -----
    Running total after period *i*: ``baseline + sum(count[0..i])``. With
    counts per period, a blank actual ends the actual line; with
    ``cumulative=True`` blanks are simply skipped.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.plots import cumulative_progress
    >>> df = pd.DataFrame({"period": ["4月〜9月", "10月〜3月"], "planned": [4, 26],
    ...                    "actual": [4, None]})
    >>> ax = cumulative_progress(df, baseline=5, total=53)
    >>> ax.get_ylabel()
    '累計（件）'
    """
    frame = _require_frame(data, accepted="a DataFrame")
    require_columns(frame, [period, planned, actual])
    names = _labels(frame, period)
    plan = _numbers(frame, planned)
    done = _numbers(frame, actual, allow_missing=True)
    baseline = _check_count(baseline, name="baseline")
    total = None if total is None else _check_count(total, name="total")
    if cumulative:
        plan_cum, done_cum = plan, done
    else:
        plan_cum = baseline + np.cumsum(plan)
        missing = np.isnan(done)
        if missing.any():
            first = int(np.flatnonzero(missing)[0])
            later = np.flatnonzero(~missing[first:])
            if later.size:
                pos = first + int(later[0])
                raise EvalkitError(
                    f"actual count reported after a blank one (row "
                    f"{row_number(first, tabular=True)}); the running total cannot be known. "
                    "Enter 0 for a period with none, or pass cumulative=True",
                    file=source_file(frame),
                    row=row_number(pos, tabular=True),
                    column=str(actual),
                    value=float(done[pos]),
                )
        done_cum = baseline + np.cumsum(np.where(missing, 0.0, done))
        done_cum[missing] = np.nan
    x = np.arange(len(names) + 1)
    plan_y = np.concatenate([[baseline], plan_cum])
    done_y = np.concatenate([[baseline], done_cum])
    with _FontContext():
        ax = _new_axes(ax, figsize=(max(5.5, 2.0 + 0.7 * len(names)), 4.0))
        # actual first, planned on top (thin, dashed, hollow markers) so both stay
        # visible where they coincide
        actual_style = {"color": _BLUE, "linewidth": 2.4, "marker": "s", "markersize": 7}
        plan_style = {
            "color": _DARK,
            "linestyle": "--",
            "linewidth": 1.2,
            "marker": "o",
            "markersize": 8,
            "markerfacecolor": "none",
            "markeredgewidth": 1.3,
        }
        _known_steps(ax, x, done_y, actual_style)
        _known_steps(ax, x, plan_y, plan_style)
        ax.annotate(
            f"計画 {plan_y[-1]:g}",
            xy=(x[-1], plan_y[-1]),
            xytext=(-8, 6),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=9,
            color=_DARK,
        )
        last = int(np.flatnonzero(np.isfinite(done_y))[-1])
        if last > 0:
            ax.annotate(
                f"実績 {done_y[last]:g}",
                xy=(x[last], done_y[last]),
                xytext=(8, -6),
                textcoords="offset points",
                ha="left",
                va="top",
                fontsize=9,
                color=_BLUE,
            )
        unreported = [names[i - 1] for i in range(1, len(x)) if not np.isfinite(done_y[i])]
        if unreported:
            _note_below(ax, "実績未報告：" + "、".join(unreported))
        top = float(np.nanmax(np.concatenate([plan_y, done_y])))
        if total is not None:
            ax.axhline(total, color=_DARK, linestyle=":", linewidth=1.2)
            ax.annotate(
                f"全体 {total:g}{unit_word}",
                xy=(1, total),
                xycoords=("axes fraction", "data"),
                xytext=(-4, 3),
                textcoords="offset points",
                ha="right",
                va="bottom",
                fontsize=9,
                color=_DARK,
            )
            top = max(top, total)
        ylim = top * 1.12 if top > 0 else 1.0
        ax.set_ylim(0, ylim)
        ax.set_xlim(-0.3, x[-1] + 0.6)
        ax.set_xticks(x, ["開始時", *names])
        ax.set_xlabel("期間（各期末の累計）")
        ax.set_ylabel(f"累計（{unit_word}）")
        ax.grid(axis="x", visible=False)
        handles = [
            Line2D([], [], label="実績（累計）", **actual_style),
            Line2D([], [], label="計画（累計）", **plan_style),
        ]
        below_total = (total / ylim - 0.03) if total is not None else 1.0
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0, below_total),
            frameon=True,
            framealpha=0.9,
        )
        _apply_font(ax)
    return ax


def _known_steps(ax: Axes, x: np.ndarray, y: np.ndarray, style: dict[str, Any]) -> None:
    """Step line through the known points only.

    A horizontal step from point i to i + 1 is drawn only when both are
    known, so an unknown count is never drawn as if it had stayed level.
    """
    xs: list[float] = []
    ys: list[float] = []
    for i in range(len(x)):
        if not np.isfinite(y[i]):
            xs.append(np.nan)
            ys.append(np.nan)
            continue
        xs.append(x[i])
        ys.append(y[i])
        if i + 1 < len(x) and np.isfinite(y[i + 1]):
            xs.append(x[i + 1])
            ys.append(y[i])
    line = {k: v for k, v in style.items() if not k.startswith("marker")}
    ax.plot(xs, ys, **line)
    known = np.isfinite(y)
    marks = {k: v for k, v in style.items() if k.startswith("marker") or k == "color"}
    ax.plot(x[known], y[known], linestyle="none", **marks)


def _check_count(value: Any, *, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise EvalkitError(f"{name} must be a number", value=value)
    if not math.isfinite(value) or value < 0:
        raise EvalkitError(f"{name} must be a finite number of 0 or more", value=value)
    return float(value)


def milestones(data: pd.DataFrame, *, as_of: Any = None, ax: Axes | None = None) -> Axes:
    """Timeline of the scheduled steps: planned months against what was done, by initiative.

    Parameters
    ----------
    data : pandas.DataFrame
        Evaluated steps, as :func:`evalkit.scorecard.evaluate_milestones` returns them.
    as_of : month-like, optional
        Month of the report, drawn as a line (報告時点) and used as the end of
        open-ended bars ("２月～", "7月～"); default the latest month in
        ``data``.
    ax : matplotlib Axes, optional
        Axes to draw on. Default: a new figure sized for the rows.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    EvalkitError
        When ``data`` is not the output of :func:`evalkit.scorecard.evaluate_milestones`, for
        a bad ``as_of`` or ``ax``.

    Notes
    -----
    One row per step under a row per initiative (■, as the report marks them). The planned timing is
    a grey outlined bar over its months (hatched back to the first month
    shown for a deadline such as "元年７月まで", running to ``as_of`` for an
    open end); what the report says was done is a thinner bar inside it,
    coloured by status, and the status is written at the right in words,
    so colour is never the only carrier. A step whose timing is not a date
    (随時, 適宜, 年４回程度) has no bar: the timing is written instead.

    Examples
    --------
    >>> from evalkit.scorecard import evaluate_milestones, load_milestones
    >>> ax = milestones(evaluate_milestones(load_milestones()))
    >>> ax.get_xlabel()
    '月（報告時点：2020年3月末）'
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from ..readers.fiscal import parse_month
    from ..scorecard import (
        _MILESTONE_OUT,
        DONE_ON_TIME,
        LATE,
        MILESTONE_STATUS_LABELS,
        NOT_ASSESSABLE,
        OPEN,
        _check_evaluated,
        _late_ja,
        _months_between,
    )

    new_axes = _new_axes

    df = _check_evaluated(data, _MILESTONE_OUT, "evaluate_milestones")
    if df.empty:
        raise EvalkitError("no steps to plot", file=source_file(df))
    months = [
        p
        for col in ("planned_start", "planned_end", "actual_start", "actual_end")
        for p in df[col]
        if not pd.isna(p)
    ]
    if as_of is None:
        report = max(months) if months else None
    else:
        try:
            report = parse_month(as_of)
        except EvalkitError as err:
            raise EvalkitError(err.reason, column="as_of", value=as_of) from None
    if report is None:
        raise EvalkitError("no step has a month; pass as_of=", column="as_of", value=as_of)
    first = min([*months, report])
    # whole fiscal years, April to March, so the axis reads like the plan
    first = pd.Period(f"{first.year - (first.month < 4)}-04", freq="M")
    last = max([*months, report])
    last = pd.Period(f"{last.year + (last.month >= 4)}-03", freq="M")

    def x(p):
        return _months_between(p, first)

    colours = {DONE_ON_TIME: _BLUE, LATE: _VERMILLION, OPEN: _ORANGE, NOT_ASSESSABLE: _GREY}
    n_months = x(last) + 1
    layout: list[tuple[str, Any]] = []
    for name in pd.unique(df["initiative"]):
        layout.append(("header", name))
        layout.extend(("step", pos) for pos in np.flatnonzero(df["initiative"] == name))
    height = 0.9 + 0.34 * len(layout)
    with _FontContext():
        ax = new_axes(ax, figsize=(11.0, height))
        labels = []
        for y, (what, item) in enumerate(layout):
            if what == "header":
                labels.append("")
                ax.text(0.1, y + 0.1, f"■{item}", va="center", ha="left", fontsize=10, color=_DARK)
                if y:
                    ax.axhline(y - 0.5, color=_GREY, linewidth=0.6, alpha=0.6)
                continue
            row = df.iloc[int(item)]
            labels.append(f"{row['step']}（{row['planned_timing']}）")
            status = row["status"]
            colour = colours.get(status, _GREY)
            kind = row["planned_kind"]
            if kind == "unscheduled":
                ax.text(
                    0.1,
                    y,
                    f"予定時期「{row['planned_timing']}」は日付でない：期限で評価しない",
                    va="center",
                    ha="left",
                    fontsize=8,
                    color=_DARK,
                    style="italic",
                )
            else:
                start, end = row["planned_start"], row["planned_end"]
                left = 0 if pd.isna(start) else x(start)
                right = (x(report) if pd.isna(end) else x(end)) + 1
                ax.barh(
                    y,
                    right - left,
                    left=left,
                    height=0.62,
                    color="#eeeeee",
                    edgecolor=_DARK,
                    linewidth=0.8,
                    hatch="///" if pd.isna(start) else None,
                    zorder=1,
                )
                if pd.isna(end):
                    ax.annotate(
                        "",
                        xy=(right + 0.35, y),
                        xytext=(right, y),
                        arrowprops={"arrowstyle": "->", "color": _DARK, "lw": 0.8},
                    )
            a_start, a_end = row["actual_start"], row["actual_end"]
            if not pd.isna(a_start) or not pd.isna(a_end):
                a_left = x(a_start if not pd.isna(a_start) else a_end)
                a_right = (x(report) if pd.isna(a_end) else x(a_end)) + 1
                ax.barh(
                    y,
                    a_right - a_left,
                    left=a_left,
                    height=0.26,
                    color=colour,
                    zorder=2,
                )
            words = MILESTONE_STATUS_LABELS.get(status, status)
            if status == LATE and not pd.isna(row["months_late"]):
                words += f" {_late_ja(row)}"
            ax.text(
                n_months + 0.6,
                y,
                words,
                va="center",
                ha="left",
                fontsize=8.5,
                color=_DARK if status == NOT_ASSESSABLE else colour,
            )
        ax.axvline(x(report) + 1, color=_DARK, linestyle=":", linewidth=1.0, zorder=0)
        ax.set_yticks(range(len(layout)), labels)
        ax.tick_params(axis="y", labelsize=8.5)
        ax.set_ylim(len(layout) - 0.5, -0.5)
        ticks = list(range(n_months))
        tick_labels = []
        for i in ticks:
            p = first + i
            tick_labels.append(
                f"{p.month}月\n{p.year}" if i == 0 or p.month == 1 else f"{p.month}月"
            )
        ax.set_xticks([t + 0.5 for t in ticks], tick_labels, fontsize=8)
        ax.set_xlim(0, n_months + 0.2)
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(f"月（報告時点：{report.year}年{report.month}月末）")
        handles = [Patch(facecolor="#eeeeee", edgecolor=_DARK, label="予定")]
        handles.append(
            Patch(facecolor="#eeeeee", edgecolor=_DARK, hatch="///", label="予定（期限のみ）")
        )
        present = [s for s in MILESTONE_STATUS_LABELS if (df["status"] == s).any()]
        for s in present:
            handles.append(Patch(facecolor=colours[s], label=f"実施：{MILESTONE_STATUS_LABELS[s]}"))
        handles.append(Line2D([], [], color=_DARK, linestyle=":", label="報告時点"))
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.8 / max(height - 1.4, 1.0)),
            ncol=min(len(handles), 4),
            frameon=False,
            fontsize=8.5,
        )
        _apply_font(ax)
    return ax
