"""Before/after and savings charts: :func:`before_after` and :func:`saved_by`.

Both take a tidy frame or the result of :func:`evalkit.reduction.reduction`,
sum the rows sharing a unit (or period), and can show only the ``top`` units
with a note summarising the rest.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .._validation import require_columns
from ..errors import EvalkitError
from ._common import (
    _drawing,
    _fmt_number,
    _is_reduction,
    _labels,
    _legend,
    _note_below,
    _numbers,
    _require_frame,
    _unit_word,
)
from .theme import _BLUE, _DARK, _GREY, _ORANGE

# ----------------------------------------------------------------------------- before/after


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


def _sum_by_label(labels: list[str], columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """Sum rows sharing a label, keeping the order of first appearance."""
    frame = pd.DataFrame({"label": labels, **columns})
    return frame.groupby("label", sort=False, as_index=False).sum(min_count=1)


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
    with _drawing(ax, figsize=(7.5, max(2.6, 1.2 + (0.17 if small else 0.3) * n))) as ax:
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
        _legend(ax, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        if note:
            _note_below(ax, note)
    return ax


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
    with _drawing(ax, figsize=(7.5, max(2.6, 1.2 + (0.17 if small else 0.3) * n))) as ax:
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
    with _drawing(ax, figsize=(max(5.0, 1.5 + 0.55 * n), 3.8)) as ax:
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
        _legend(ax, loc="upper left", ncols=2, frameon=True, framealpha=0.9)
    return ax
