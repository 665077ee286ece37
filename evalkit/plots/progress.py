"""Charts of progress against a plan: :func:`cumulative_progress` and :func:`milestones`.

:func:`cumulative_progress` draws planned against actual running totals as
step lines (e.g. systems migrated to the common platform);
:func:`milestones` draws the scheduled steps of the scorecard as a timeline,
planned months against what was done.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .._validation import require_columns, row_number, source_file
from ..errors import EvalkitError
from ..readers.fiscal import parse_month
from ._common import _drawing, _labels, _legend, _note_below, _numbers, _require_frame
from .theme import _BLUE, _DARK, _GREY, _ORANGE, _VERMILLION

# Styles of the actual and planned running totals, for the lines and the legend.
_ACTUAL_STYLE = {"color": _BLUE, "linewidth": 2.4, "marker": "s", "markersize": 7}
_PLAN_STYLE = {
    "color": _DARK,
    "linestyle": "--",
    "linewidth": 1.2,
    "marker": "o",
    "markersize": 8,
    "markerfacecolor": "none",
    "markeredgewidth": 1.3,
}

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
        done_cum = _running_actual(frame, done, baseline, column=actual)
    x = np.arange(len(names) + 1)
    plan_y = np.concatenate([[baseline], plan_cum])
    done_y = np.concatenate([[baseline], done_cum])
    with _drawing(ax, figsize=(max(5.5, 2.0 + 0.7 * len(names)), 4.0)) as ax:
        # actual first, planned on top (thin, dashed, hollow markers) so both stay
        # visible where they coincide
        _known_steps(ax, x, done_y, _ACTUAL_STYLE)
        _known_steps(ax, x, plan_y, _PLAN_STYLE)
        _label_line_ends(ax, x, plan_y, done_y)
        unreported = [names[i - 1] for i in range(1, len(x)) if not np.isfinite(done_y[i])]
        if unreported:
            _note_below(ax, "実績未報告：" + "、".join(unreported))
        top = float(np.nanmax(np.concatenate([plan_y, done_y])))
        if total is not None:
            _draw_total(ax, total, unit_word=unit_word)
            top = max(top, total)
        ylim = top * 1.12 if top > 0 else 1.0
        _progress_axes(ax, x, names, ylim=ylim, unit_word=unit_word)
        below_total = (total / ylim - 0.03) if total is not None else 1.0
        _progress_legend(ax, below_total)
    return ax


def _running_actual(
    frame: pd.DataFrame, done: np.ndarray, baseline: float, *, column: str
) -> np.ndarray:
    """Running totals of actual counts per period, NaN where not reported.

    A blank may only be followed by blanks: the running total after a gap
    cannot be known, so a count reported after one is an error.
    """
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
                column=str(column),
                value=float(done[pos]),
            )
    done_cum = baseline + np.cumsum(np.where(missing, 0.0, done))
    done_cum[missing] = np.nan
    return done_cum


def _label_line_ends(ax: Axes, x: np.ndarray, plan_y: np.ndarray, done_y: np.ndarray) -> None:
    """Write the last planned total and the last known actual total beside their points."""
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


def _draw_total(ax: Axes, total: float, *, unit_word: str) -> None:
    """The overall goal as a dotted line, labelled above it at the left.

    The lines rise from the left towards the goal, so the space above its
    left end stays free (the legend sits below the goal line). The label's
    white box keeps a gap of more than 2 points to the line.
    """
    ax.axhline(total, color=_DARK, linestyle=":", linewidth=1.2)
    ax.annotate(
        f"全体 {total:g}{unit_word}",
        xy=(0, total),
        xycoords=("axes fraction", "data"),
        xytext=(4, 4),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=9,
        color=_DARK,
        bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none"},
        zorder=4,
    )


def _progress_axes(
    ax: Axes, x: np.ndarray, names: list[str], *, ylim: float, unit_word: str
) -> None:
    """Limits, period ticks (開始時 first) and axis labels."""
    ax.set_ylim(0, ylim)
    ax.set_xlim(-0.3, x[-1] + 0.6)
    ax.set_xticks(x, ["開始時", *names])
    ax.set_xlabel("期間（各期末の累計）")
    ax.set_ylabel(f"累計（{unit_word}）")
    ax.grid(axis="x", visible=False)


def _progress_legend(ax: Axes, top: float) -> None:
    """Legend of the two lines, at the upper left, its top at ``top`` (axes fraction)."""
    handles = [
        Line2D([], [], label="実績（累計）", **_ACTUAL_STYLE),
        Line2D([], [], label="計画（累計）", **_PLAN_STYLE),
    ]
    _legend(
        ax,
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0, top),
        frameon=True,
        framealpha=0.9,
    )


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


# ----------------------------------------------------------------------------- milestones


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
    from ..scorecard._common import (
        _MILESTONE_OUT,
        DONE_ON_TIME,
        LATE,
        NOT_ASSESSABLE,
        OPEN,
        _check_evaluated,
    )
    from ..scorecard.milestones import _months_between
    from ..scorecard.tables import MILESTONE_STATUS_LABELS, _late_ja

    df = _check_evaluated(data, _MILESTONE_OUT, "evaluate_milestones")
    if df.empty:
        raise EvalkitError("no steps to plot", file=source_file(df))
    report, first, last = _timeline_span(df, as_of)

    def x(p):
        return _months_between(p, first)

    colours = {DONE_ON_TIME: _BLUE, LATE: _VERMILLION, OPEN: _ORANGE, NOT_ASSESSABLE: _GREY}
    n_months = x(last) + 1
    layout = _timeline_rows(df)
    height = 0.9 + 0.34 * len(layout)
    with _drawing(ax, figsize=(11.0, height)) as ax:
        labels = []
        for y, (what, item) in enumerate(layout):
            if what == "header":
                labels.append("")
                _draw_initiative(ax, y, item)
                continue
            row = df.iloc[int(item)]
            labels.append(f"{row['step']}（{row['planned_timing']}）")
            status = row["status"]
            colour = colours.get(status, _GREY)
            _draw_planned(ax, y, row, x=x, report=report)
            _draw_done(ax, y, row, x=x, report=report, colour=colour)
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
        _timeline_axes(ax, labels, first=first, n_months=n_months, report=report)
        present = [s for s in MILESTONE_STATUS_LABELS if (df["status"] == s).any()]
        done = [(colours[s], MILESTONE_STATUS_LABELS[s]) for s in present]
        _timeline_legend(ax, done, height=height)
    return ax


def _timeline_span(df: pd.DataFrame, as_of: Any) -> tuple[pd.Period, pd.Period, pd.Period]:
    """The report month, and the first and last months shown: whole fiscal years around both."""
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
    return report, first, last


def _timeline_rows(df: pd.DataFrame) -> list[tuple[str, Any]]:
    """Rows of the timeline: ("header", initiative) followed by ("step", position) of its steps."""
    layout: list[tuple[str, Any]] = []
    for name in pd.unique(df["initiative"]):
        layout.append(("header", name))
        layout.extend(("step", pos) for pos in np.flatnonzero(df["initiative"] == name))
    return layout


def _draw_initiative(ax: Axes, y: int, name: Any) -> None:
    """The initiative's name (■ as the report marks it), with a rule above all but the first."""
    ax.text(0.1, y + 0.1, f"■{name}", va="center", ha="left", fontsize=10, color=_DARK)
    if y:
        ax.axhline(y - 0.5, color=_GREY, linewidth=0.6, alpha=0.6)


def _draw_planned(ax: Axes, y: int, row: pd.Series, *, x: Any, report: pd.Period) -> None:
    """The planned months as an outlined bar, or the timing in words when it is not a date."""
    if row["planned_kind"] == "unscheduled":
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
        return
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


def _draw_done(ax: Axes, y: int, row: pd.Series, *, x: Any, report: pd.Period, colour: str) -> None:
    """What was done, as a thinner bar inside the planned one (none when nothing is known)."""
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


def _timeline_axes(
    ax: Axes, labels: list[str], *, first: pd.Period, n_months: int, report: pd.Period
) -> None:
    """Step labels down the side, months along the bottom (the year on April and January)."""
    ax.set_yticks(range(len(labels)), labels)
    ax.tick_params(axis="y", labelsize=8.5)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ticks = list(range(n_months))
    tick_labels = []
    for i in ticks:
        p = first + i
        tick_labels.append(f"{p.month}月\n{p.year}" if i == 0 or p.month == 1 else f"{p.month}月")
    ax.set_xticks([t + 0.5 for t in ticks], tick_labels, fontsize=8)
    ax.set_xlim(0, n_months + 0.2)
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(f"月（報告時点：{report.year}年{report.month}月末）")


def _timeline_legend(ax: Axes, done: list[tuple[str, str]], *, height: float) -> None:
    """Legend under the axes: planned, planned deadline, each status present, report month."""
    handles = [Patch(facecolor="#eeeeee", edgecolor=_DARK, label="予定")]
    handles.append(
        Patch(facecolor="#eeeeee", edgecolor=_DARK, hatch="///", label="予定（期限のみ）")
    )
    for colour, words in done:
        handles.append(Patch(facecolor=colour, label=f"実施：{words}"))
    handles.append(Line2D([], [], color=_DARK, linestyle=":", label="報告時点"))
    _legend(
        ax,
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.8 / max(height - 1.4, 1.0)),
        ncol=min(len(handles), 4),
        frameon=False,
    )
