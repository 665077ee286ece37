"""Charts of effects over time: :func:`event_study` and :func:`its`.

:func:`event_study` draws the effect in each month before and after
adoption (leads and lags of a difference-in-differences event study, as
``evalkit.did`` gives them); :func:`its` draws an interrupted time series
(:func:`evalkit.stats.its.its`): the observed series, the segmented fit and
the counterfactual "had the initiative not been introduced".
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from .._validation import require_columns, row_number, source_file
from ..errors import EvalkitError
from ._common import _drawing, _legend, _note_below, _numbers, _require_frame
from .savings import _month_ticks
from .theme import _BLUE, _DARK, _GREY, _ORANGE

#: Default y-axis label of both charts: hours per department and month.
_EFFECT_UNIT = "時間／所属・月"

# leads (before adoption) as orange circles and lags as blue diamonds, as
# before_after draws 導入前 and 導入後
_LEAD_STYLE = {"color": _ORANGE, "marker": "o"}
_LAG_STYLE = {"color": _BLUE, "marker": "D"}

# ----------------------------------------------------------------------------- event study


def event_study(
    result: Any,
    *,
    confidence: float | None = None,
    title: str | None = None,
    ylabel: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Effect in each month before and after adoption, with its confidence interval.

    Months before adoption (leads, event time < 0) are orange circles,
    months from adoption on (lags, event time >= 0) blue diamonds; each has
    a vertical bar for its interval. Leads near zero are what a credible
    comparison needs: an effect before adoption means the groups were
    already drifting apart.

    Parameters
    ----------
    result : object with ``event_study``, or DataFrame
        An event-study result (such as ``evalkit.did``'s ``DidResult``):
        its ``event_study`` frame is drawn, its ``confidence`` names the
        intervals, and ``pretrend_pvalue`` and ``att`` (when present and
        finite) are written in the note below the chart. Or the frame
        itself, with columns ``event_time`` (whole months relative to
        adoption, negative before), ``att``, ``ci_low`` and ``ci_high``; a
        blank interval (e.g. the reference month) draws the point alone.
    confidence : float, optional
        Confidence level of the intervals, for the note. Default: the
        result's ``confidence``; for a bare frame, none is named.
    title : str, optional
        Chart title. Default: 導入前後の効果（イベントスタディ）.
    ylabel : str, optional
        y-axis label. Default: 効果（時間／所属・月）.
    ax : matplotlib Axes, optional
        Axes to draw on. Default: a new figure, wider for more months.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    EvalkitError
        Not a result or frame, missing columns, an event time that is
        missing, not a whole number or repeated, an effect or bound that is
        not a number (naming file, row, column and value), a bad
        ``confidence``.

    Notes
    -----
    The dashed vertical line between months -1 and 0 marks adoption (導入).
    The note gives the pre-trend test (事前トレンド検定, the joint test that
    every lead is zero: a small p-value says the groups differed before
    adoption) and the average effect after adoption.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.plots import event_study
    >>> es = pd.DataFrame({"event_time": [-2, -1, 0, 1, 2],
    ...                    "att": [0.1, -0.2, -1.0, -1.5, -1.8],
    ...                    "ci_low": [-0.5, -0.8, -1.6, -2.2, -2.6],
    ...                    "ci_high": [0.7, 0.4, -0.4, -0.8, -1.0]})
    >>> ax = event_study(es)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('導入からの月数', '効果（時間／所属・月）')
    """
    if isinstance(result, pd.DataFrame):
        table = result
        pvalue = att = None
    elif hasattr(result, "event_study"):
        table = result.event_study
        if confidence is None:
            confidence = getattr(result, "confidence", None)
        pvalue = getattr(result, "pretrend_pvalue", None)
        att = getattr(result, "att", None)
    else:
        raise EvalkitError(
            "data must be an event-study result (with an event_study table) or its "
            f"DataFrame, got {type(result).__name__}"
        )
    table = _require_frame(table, accepted="a DataFrame with columns event_time, att, ...")
    require_columns(table, ["event_time", "att", "ci_low", "ci_high"])
    level = _check_confidence(confidence)
    times = _event_times(table)
    est = _numbers(table, "att", allow_negative=True, allow_missing=True)
    low = _numbers(table, "ci_low", allow_negative=True, allow_missing=True)
    high = _numbers(table, "ci_high", allow_negative=True, allow_missing=True)
    order = np.argsort(times, kind="stable")
    times, est, low, high = times[order], est[order], low[order], high[order]
    span = float(times.max() - times.min()) if times.size else 0.0
    with _drawing(ax, figsize=(min(11.0, max(5.5, 2.5 + 0.28 * span)), 4.0)) as ax:
        ax.axhline(0, color=_DARK, linewidth=0.8, zorder=1)
        for lags, label, style in (
            (False, "導入前（リード）", _LEAD_STYLE),
            (True, "導入後（ラグ）", _LAG_STYLE),
        ):
            keep = ((times >= 0) if lags else (times < 0)) & np.isfinite(est)
            if not keep.any():
                continue
            x, y = times[keep], est[keep]
            # a blank bound (the reference month) leaves NaN: no bar is drawn there
            err = np.vstack([y - low[keep], high[keep] - y])
            err = np.where(np.isnan(err), np.nan, np.maximum(err, 0.0))
            ax.errorbar(
                x,
                y,
                yerr=err,
                fmt=style["marker"],
                color=style["color"],
                markersize=6,
                elinewidth=1.4,
                capsize=3,
                label=label,
                zorder=3,
            )
        _adoption_line(ax, -0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("導入からの月数")
        ax.set_ylabel(ylabel if ylabel is not None else f"効果（{_EFFECT_UNIT}）")
        ax.grid(axis="x", visible=False)
        _legend_and_title(ax, title if title is not None else "導入前後の効果（イベントスタディ）")
        note = _event_note(level, pvalue, att)
        if note:
            _note_below(ax, note)
    return ax


def _check_confidence(confidence: Any) -> float | None:
    if confidence is None:
        return None
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, int | float | np.floating)
        or not 0 < confidence < 1
    ):
        raise EvalkitError(
            "confidence must be a number strictly between 0 and 1",
            column="confidence",
            value=confidence,
        )
    return float(confidence)


def _event_times(table: pd.DataFrame) -> np.ndarray:
    """The event times as whole numbers, each once, naming the row of a bad one."""
    values = _numbers(table, "event_time", allow_negative=True)
    file = source_file(table)
    odd = np.flatnonzero(values != np.round(values))
    if odd.size:
        pos = int(odd[0])
        raise EvalkitError(
            "event time must be a whole number of months",
            file=file,
            row=row_number(pos, tabular=True),
            column="event_time",
            value=float(values[pos]),
        )
    seen: dict[float, int] = {}
    for pos, v in enumerate(values):
        if v in seen:
            raise EvalkitError(
                f"event time repeated (also row {row_number(seen[v], tabular=True)})",
                file=file,
                row=row_number(pos, tabular=True),
                column="event_time",
                value=int(v),
            )
        seen[v] = pos
    return values.astype(np.int64)


def _event_note(level: float | None, pvalue: Any, att: Any) -> str:
    parts = []
    if level is not None:
        parts.append(f"縦棒は{_percent(level)}信頼区間")
    else:
        parts.append("縦棒は信頼区間")
    if _finite(pvalue):
        parts.append(f"事前トレンド検定 {_fmt_p(float(pvalue))}")
    if _finite(att):
        parts.append(f"導入後の平均効果 {_fmt_effect(float(att))}")
    return "。".join(parts)


# --------------------------------------------------------------------- interrupted time series


def its(
    result: Any,
    *,
    title: str | None = None,
    ylabel: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Interrupted time series: observed months, the segmented fit and the counterfactual.

    Observed values are grey points (実績); the fitted segmented regression
    is a blue line, broken at the intervention (当てはめ); from the last
    month before the intervention on, the counterfactual, the fit without
    the level and slope change, is an orange dashed line
    (導入しなかった場合（反実仮想）), and the gap between the two is
    shaded. A vertical line marks the intervention (導入).

    Parameters
    ----------
    result : ItsResult
        The result of :func:`evalkit.stats.its.its`, or any object with
        ``counterfactual`` (a DataFrame with columns ``period``,
        ``observed``, ``fitted``, ``counterfactual``, in time order) and
        ``intervention`` (one of its periods). When the object also has
        ``level_change``, ``slope_change``, ``effect`` and their intervals,
        the note below the chart gives them.
    title : str, optional
        Chart title. Default: 中断時系列分析（ITS）.
    ylabel : str, optional
        y-axis label. Default: 作業時間（時間／所属・月）.
    ax : matplotlib Axes, optional
        Axes to draw on. Default: a new figure, wider for longer series.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    EvalkitError
        When ``result`` has no counterfactual table, a column is missing, a
        value is not a number (naming file, row, column and value), or the
        intervention is not among its periods.

    Notes
    -----
    Monthly periods are labelled 4月, 5月, ... with the year on the first
    month and on January (every month up to 12 months, every third month
    up to 60, every sixth beyond, with a minor tick on each month); other
    periods are labelled as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.plots import its
    >>> from evalkit.stats.its import its as fit_its
    >>> df = pd.DataFrame({"month": pd.period_range("2019-04", periods=12, freq="M"),
    ...                    "hours": [9, 10, 9.5, 10, 10.5, 10, 7, 6.5, 6.8, 6, 6.2, 5.9]})
    >>> res = fit_its(df, outcome="hours", period="month", intervention="2019-10",
    ...               seasonal=False)
    >>> ax = its(res)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['実績', '当てはめ', '導入しなかった場合（反実仮想）']
    """
    table = getattr(result, "counterfactual", None)
    if not isinstance(table, pd.DataFrame) or not hasattr(result, "intervention"):
        raise EvalkitError(
            "data must be an interrupted-time-series result (evalkit.its) with a "
            f"counterfactual table and an intervention, got {type(result).__name__}"
        )
    table = _require_frame(table, accepted="a DataFrame")
    require_columns(table, ["period", "observed", "fitted", "counterfactual"])
    periods = table["period"].reset_index(drop=True)
    observed = _numbers(table, "observed", allow_negative=True)
    fitted = _numbers(table, "fitted", allow_negative=True)
    counterfactual = _numbers(table, "counterfactual", allow_negative=True)
    t0 = _intervention_position(periods, result.intervention)
    n = len(periods)
    x = np.arange(n)
    with _drawing(ax, figsize=(min(12.0, max(6.5, 2.0 + 0.2 * n)), 4.6)) as ax:
        ax.scatter(x, observed, s=18, color=_GREY, label="実績", zorder=3)
        fit_style = {"color": _BLUE, "linewidth": 2.0, "zorder": 4}
        ax.plot(x[:t0], fitted[:t0], label="当てはめ", **fit_style)
        ax.plot(x[t0:], fitted[t0:], **fit_style)
        after = slice(t0 - 1, n)  # from the last month before: the lines meet there
        ax.plot(
            x[after],
            counterfactual[after],
            color=_ORANGE,
            linestyle="--",
            linewidth=2.0,
            label="導入しなかった場合（反実仮想）",
            zorder=4,
        )
        ax.fill_between(
            x[t0:], fitted[t0:], counterfactual[t0:], color=_BLUE, alpha=0.12, linewidth=0
        )
        _adoption_line(ax, t0 - 0.5)
        months = _period_ticks(ax, periods)
        ax.set_xlim(-0.6, n - 0.4)
        ax.set_xlabel("月" if months else "期間")
        ax.set_ylabel(ylabel if ylabel is not None else f"作業時間（{_EFFECT_UNIT}）")
        ax.grid(axis="x", visible=False)
        _legend_and_title(ax, title if title is not None else "中断時系列分析（ITS）")
        note = _its_note(result, months)
        if note:
            _note_below(ax, note)
    return ax


def _intervention_position(periods: pd.Series, intervention: Any) -> int:
    matches = np.flatnonzero(periods.to_numpy() == intervention)
    if not matches.size:
        raise EvalkitError(
            f"the intervention is not among the periods ({periods.iloc[0]} .. {periods.iloc[-1]})",
            column="intervention",
            value=intervention,
        )
    t0 = int(matches[0])
    if t0 == 0:
        raise EvalkitError(
            "the intervention is the first period: nothing before it to draw",
            column="intervention",
            value=intervention,
        )
    return t0


def _period_ticks(ax: Axes, periods: pd.Series) -> bool:
    """Month ticks 4月, 5月, ... (year on the first and on January); True for months."""
    n = len(periods)
    months = all(isinstance(p, pd.Period) and p.freqstr == "M" for p in periods)
    if not months:
        positions = list(range(0, n, max(1, math.ceil(n / 12))))
        ax.set_xticks(positions, [str(periods.iloc[i]) for i in positions])
        return False
    step = 1 if n <= 12 else 3 if n <= 60 else 6
    # every 3 (6) consecutive months hold a January, April, July or October (January or July)
    keep = [i for i, p in enumerate(periods) if (p.month - 1) % step == 0]
    ax.set_xticks(keep, _month_ticks([str(periods.iloc[i]) for i in keep]))
    ax.set_xticks(np.arange(n), minor=True)
    ax.tick_params(axis="x", labelsize=8)
    return True


def _its_note(result: Any, months: bool) -> str:
    names = ("level_change", "level_change_ci", "slope_change", "slope_change_ci", "effect")
    if not all(hasattr(result, a) for a in names):
        return ""
    word = "月" if months else "期間"
    level = _percent(getattr(result, "confidence", None))
    lo, hi = result.level_change_ci
    s_lo, s_hi = result.slope_change_ci
    lines = [
        f"導入時の水準の変化 {_fmt_effect(result.level_change)}"
        f"（{level}信頼区間 {_fmt_effect(lo)}～{_fmt_effect(hi)}）",
        f"傾きの変化 {_fmt_effect(result.slope_change)}／{word}"
        f"（{_fmt_effect(s_lo)}～{_fmt_effect(s_hi)}）",
        f"導入後の平均効果 {_fmt_effect(result.effect)}",
    ]
    if hasattr(result, "effect_ci"):
        e_lo, e_hi = result.effect_ci
        lines[-1] += f"（{_fmt_effect(e_lo)}～{_fmt_effect(e_hi)}）"
    return "\n".join(lines)


# ----------------------------------------------------------------------------- shared


def _legend_and_title(ax: Axes, title: str) -> None:
    """The legend in one row just above the axes (it hides no point), the title above it."""
    _legend(
        ax,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncols=3,
        frameon=False,
        borderaxespad=0.3,
        handlelength=2.4,
    )
    ax.set_title(title, pad=24)


def _adoption_line(ax: Axes, x: float) -> None:
    """A dashed vertical line at adoption, labelled 導入 at the top."""
    ax.axvline(x, color=_DARK, linestyle="--", linewidth=1.1, zorder=2)
    ax.annotate(
        "導入",
        xy=(x, 1),
        xycoords=("data", "axes fraction"),
        xytext=(4, -4),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=9,
        color=_DARK,
        bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
    )


def _finite(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _percent(level: float | None) -> str:
    return "" if level is None else f"{round(100 * level, 6):g}%"


def _fmt_p(p: float) -> str:
    """p = 0.40, p = 0.045, p < 0.001."""
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.2f}" if p >= 0.1 else f"p = {p:.3f}"


def _fmt_effect(value: float) -> str:
    """An effect with 2 decimals below 10, 1 below 100, none beyond."""
    if not math.isfinite(value):
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
