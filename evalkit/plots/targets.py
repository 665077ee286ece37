"""Charts of answers and of estimates against targets: likert and estimate_vs_target.

:func:`likert` draws the distribution of survey answers as diverging stacked
bars (ColorBrewer ``RdBu``, centred on the neutral answer);
:func:`estimate_vs_target` draws estimates with their confidence intervals
against their targets, with the verdict in words and marker shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

from .._compare import at_least
from .._validation import require_columns, row_number, select, source_file
from ..errors import EvalkitError
from ._common import (
    _drawing,
    _fmt_number,
    _is_blank,
    _is_reduction,
    _is_satisfaction,
    _labels,
    _legend,
    _numbers,
    _require_frame,
    _unit_word,
)
from .theme import _BLUE, _DARK, _GREY, _NEUTRAL, _VERMILLION

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
    colours, order = _likert_colours(k)
    colour_of = {i: colours[pos] for pos, i in enumerate(order)}
    n_rows = len(rows)
    with _drawing(ax, figsize=(8.0, 1.5 + 0.55 * n_rows)) as ax:
        extent = 0.0
        ticks = []
        for y, (name, counts, n_missing) in enumerate(rows):
            n = int(counts.sum())
            ticks.append(f"{name}\nn={n}・無回答{n_missing}")
            if n == 0:
                ax.text(0, y, "有効回答なし", ha="center", va="center", fontsize=9, color=_DARK)
                continue
            pct = 100.0 * counts / n
            ends = _likert_bar(ax, y, pct, order=order, colours=colours, colour_of=colour_of)
            extent = max(extent, *ends)
        _likert_axes(ax, ticks, extent)
        handles = [
            Patch(facecolor=colour_of[i], edgecolor="white", label=labels[i]) for i in range(k)
        ]
        _legend(
            ax,
            handles=handles,
            loc="center left",
            bbox_to_anchor=(1.01, 0.5),
            frameon=False,
        )
        total_n = int(rows[0][1].sum())
        ax.set_title(f"回答の分布（n={total_n}、無回答 {rows[0][2]}）", fontsize=11)
    return ax


def _likert_colours(k: int) -> tuple[list[str], list[int]]:
    """Colours of a ``k``-point scale in scale order, and the order the segments are drawn in."""
    # drawing order left to right: most negative ... most positive
    order = list(range(k - 1, -1, -1))
    colours = sns.color_palette("RdBu", k).as_hex()  # red (negative) ... blue (positive)
    if k % 2 == 1:
        colours[k // 2] = _NEUTRAL
    return colours, order


def _likert_bar(
    ax: Axes,
    y: int,
    pct: np.ndarray,
    *,
    order: list[int],
    colours: list[str],
    colour_of: dict[int, str],
) -> tuple[float, float]:
    """One bar: its segments, then the negative and positive totals at its ends.

    Returns how far the bar reaches left and right of zero.
    """
    k = len(order)
    half = k // 2
    odd = k % 2 == 1
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
    return -start, end


def _likert_axes(ax: Axes, ticks: list[str], extent: float) -> None:
    """Limits, ticks, zero line and labels of the Likert chart."""
    n_rows = len(ticks)
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
    A target's label (目標 …) sits beside its line, clear of it, on a white
    box: inside the axes, and on the side away from the row's estimate.
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
        _relabel(items, labels)
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
    with _drawing(ax, figsize=(7.5, 1.4 + 0.95 * n)) as ax:
        seen = {}
        for y, item in enumerate(items):
            verdict, status, marker, face, edge = _status(item)
            label = status if status not in seen else None
            _draw_estimate(ax, y, item, marker=marker, face=face, edge=edge, label=label)
            seen[status] = True
            if np.isfinite(item["target"]) and not shared_target:
                side = _label_side(
                    _where(item["target"], ratio=ratio, numbers=numbers),
                    estimate=_where(item["value"], ratio=ratio, numbers=numbers),
                )
                _row_target(ax, y, item["target"], fmt=fmt, side=side)
            detail = _estimate_detail(item, verdict, fmt=fmt, bare=bare)
            _write_estimate(ax, y, item["value"], detail, ratio=ratio, numbers=numbers)
        if shared_target:
            (target,) = targets
            side = _label_side(_where(target, ratio=ratio, numbers=numbers))
            _shared_target(ax, target, fmt=fmt, side=side)
        _estimate_axes(ax, items, ratio=ratio)
    return ax


def _relabel(items: list[dict[str, Any]], labels: Sequence[str]) -> None:
    """Replace the label of each estimate, one label per estimate."""
    if isinstance(labels, str) or len(labels) != len(items):
        raise EvalkitError(
            f"labels must be a sequence of {len(items)} names, one per estimate",
            value=labels,
        )
    for item, label in zip(items, labels, strict=True):
        item["label"] = str(label)


def _draw_estimate(
    ax: Axes, y: int, item: dict[str, Any], *, marker: str, face: str, edge: str, label: Any
) -> None:
    """The interval as an error bar (when known) and the estimate as a marker."""
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
        label=label,
    )


def _row_target(ax: Axes, y: int, target: float, *, fmt: Any, side: str) -> None:
    """A dashed target line across one row, labelled beside its upper end."""
    ax.vlines(
        target,
        y - 0.38,
        y + 0.38,
        colors=_DARK,
        linestyles="--",
        linewidth=1.2,
        zorder=1,
    )
    _target_label(ax, f"目標 {fmt(target)}", (target, y - 0.38), "data", side=side, fontsize=8)


def _target_label(
    ax: Axes,
    text: str,
    xy: tuple[float, float],
    xycoords: Any,
    *,
    side: str,
    fontsize: float,
    dy: float = 0.0,
) -> None:
    """The label of a vertical target line: beside it, on a white box that stays clear of it.

    The text starts 5 points to the ``side`` ("left" or "right") of the line,
    its top ``dy`` points above ``xy`` (below when negative); the box adds 0.2
    of the font size around it, so more than 3 points separate box and line.
    """
    ax.annotate(
        text,
        xy=xy,
        xycoords=xycoords,
        xytext=(5 if side == "right" else -5, dy),
        textcoords="offset points",
        ha="left" if side == "right" else "right",
        va="top",
        fontsize=fontsize,
        color=_DARK,
        bbox={"boxstyle": "square,pad=0.2", "fc": "white", "ec": "none"},
        zorder=4,
    )


def _label_side(where: float, *, estimate: float | None = None) -> str:
    """Where a target label goes: inside the axes, and away from the estimate of its row.

    ``where`` is the target's position along the axis (0 at the left, 1 at
    the right), ``estimate`` that of the row's estimate.
    """
    if where > 0.75:
        return "left"
    if where < 0.25 or estimate is None:
        return "right"
    return "left" if estimate >= where else "right"


def _where(value: float, *, ratio: bool, numbers: np.ndarray) -> float:
    """Position of ``value`` along the value axis, 0 at the left, 1 at the right."""
    left, right = (0.0, 1.0) if ratio else (np.nanmin(numbers), np.nanmax(numbers))
    return float((value - left) / (right - left)) if right > left else 0.5


def _estimate_detail(item: dict[str, Any], verdict: str, *, fmt: Any, bare: Any) -> str:
    """The estimate, its interval and the verdict, as written under the marker."""
    value, low, high = item["value"], item["low"], item["high"]
    level = item["confidence"]
    ci_name = f"{round(100 * level)}%信頼区間" if level else "信頼区間"
    detail = fmt(value)
    if np.isfinite(low) and np.isfinite(high):
        detail += f"（{ci_name} {bare(low)}–{fmt(high)}）"
    if verdict:
        detail += f" {verdict}"
    return detail


def _write_estimate(
    ax: Axes, y: int, value: float, detail: str, *, ratio: bool, numbers: np.ndarray
) -> None:
    """Write ``detail`` under the marker at ``value``."""
    # keep the text inside the axes: anchor it by its end near the edges
    where = _where(value, ratio=ratio, numbers=numbers)
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


def _shared_target(ax: Axes, target: float, *, fmt: Any, side: str) -> None:
    """One dashed line for a target every row shares, labelled beside it at the top."""
    ax.axvline(target, color=_DARK, linestyle="--", linewidth=1.2, zorder=1)
    _target_label(
        ax,
        f"目標 {fmt(target)}",
        (target, 1),
        ("data", "axes fraction"),
        side=side,
        fontsize=9,
        dy=-3,
    )


def _estimate_axes(ax: Axes, items: list[dict[str, Any]], *, ratio: bool) -> None:
    """Row labels, the value axis (a percentage for ratios) and the legend of the markers."""
    n = len(items)
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
    _legend(
        ax,
        loc="center left",
        bbox_to_anchor=(1.01, 0.5),
        title="目標に対して",
        frameon=False,
    )
