"""The evaluated scorecard as tables to read, in Japanese, and counts of its statuses.

:func:`progress_table` (indicators) and :func:`milestone_table` (steps)
with the Japanese labels of kinds and statuses; :func:`status_counts`;
:func:`target_estimates`, the frame :func:`evalkit.plots.estimate_vs_target`
draws; :func:`actuals_table`, the computed actuals.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._compare import at_least, at_most
from .._validation import source_file
from ..errors import EvalkitError
from ._common import (
    _INDICATOR_OUT,
    _KINDS,
    _MILESTONE_OUT,
    _WHOLE_YEAR_KINDS,
    DONE_ON_TIME,
    LATE,
    MET,
    NOT_ASSESSABLE,
    NOT_MET,
    OPEN,
    _check_evaluated,
    _fail,
)
from .actuals import Actual

#: Japanese names of the indicator kinds, as the report writes them.
KIND_LABELS = {"activity": "活動指標", "outcome": "成果指標"}
#: Japanese names of the indicator statuses.
INDICATOR_STATUS_LABELS = {MET: "達成", NOT_MET: "未達", NOT_ASSESSABLE: "評価不能"}
#: Japanese names of the milestone statuses.
MILESTONE_STATUS_LABELS = {
    DONE_ON_TIME: "期限内に実施",
    LATE: "遅れ",
    OPEN: "未了",
    NOT_ASSESSABLE: "評価不能",
}
_DIRECTION_WORDS = {">=": "以上", "<=": "以下", "==": "ちょうど"}
_SOURCE_LABELS = {"report": "報告書から引用", "none": "記載なし"}
_ERA_FLAG = re.compile(r"^(\S+?)元年(\d+)月 is before \S+ began \((\d{4})-(\d{2})-(\d{2})\)")


def _isnum(v: Any) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v)) and not pd.isna(v)


def _fmt(value: float, unit: str) -> str:
    """A figure with its unit: 83.9%, 62時間/月, 1,800時間, 46.6時間/月."""
    if unit == "%":
        return f"{value:.1f}%"
    if abs(value - round(value)) < 1e-9 * max(1.0, abs(value)) or abs(value) >= 100:
        return f"{value:,.0f}{unit}"
    return f"{value:,.1f}{unit}"


def _fmt_interval(low: float, high: float, unit: str) -> str:
    if unit == "%":
        return f"{low:.1f}–{high:.1f}%"
    return f"{_fmt(low, '')}–{_fmt(high, '')}{unit}"


def _fmt_margin(margin: float, unit: str) -> str:
    if abs(margin) < 1e-9:
        return f"±0{'ポイント' if unit == '%' else unit}"
    if unit == "%":
        return f"{margin:+.1f}ポイント"
    return ("+" if margin > 0 else "−") + _fmt(abs(margin), unit)


def _interval_words(low: float, high: float, target: float, direction: str) -> str:
    """Where a confidence interval lies against a target, in Japanese."""
    if direction == ">=":
        if at_least(low, target):
            return "信頼区間も目標以上"
        if not at_least(high, target):
            return "信頼区間も目標未満"
    elif direction == "<=":
        if at_most(high, target):
            return "信頼区間も目標以下"
        if not at_most(low, target):
            return "信頼区間も目標超"
    else:
        return ""
    return "信頼区間は目標をまたぐ"


def progress_table(data: pd.DataFrame) -> pd.DataFrame:
    """The indicators as the report's progress column reads them, in Japanese.

    Parameters
    ----------
    data : pandas.DataFrame
        Evaluated indicators, as :func:`evaluate_indicators` returns them.

    Returns
    -------
    pandas.DataFrame
        One row per indicator, in the order of ``data``, all text:

        - ``テーマ``, ``取組``: theme and initiative as the report writes them.
        - ``区分``: 活動指標 (activity indicator, output) or 成果指標
          (outcome indicator).
        - ``指標``: the indicator as written.
        - ``目標``: a numeric target as "70%以上", "30システム以上"; 定性的な目標
          for a qualitative one.
        - ``実績``: the actual with its unit ("83.9%", "62時間/月"), blank
          when there is none.
        - ``信頼区間``: its confidence interval ("75.1–90.0%"), blank
          without one.
        - ``目標との差``: actual minus target, in points for a target in %
          ("+13.9ポイント"), blank when not assessable.
        - ``達成状況``: 達成 / 未達 / 評価不能 with the reason in brackets:
          where the interval lies against the target for a numeric target
          with one, 定性的な目標 or 実績なし when not assessable.
        - ``実績の出典``: データから算出 (computed from the data),
          報告書から引用 (quoted from the report) or 記載なし (the report
          says nothing).
        - ``進捗状況（報告書）``: the report's progress statement, as written.

    Raises
    ------
    EvalkitError
        When ``data`` is not the output of :func:`evaluate_indicators`.

    Notes
    -----
    Display only: the figures come from ``data`` unchanged, rounded for
    reading (one decimal for %, whole numbers for whole figures and for
    100 or more). A qualitative indicator's computed figure is shown as
    context, marked 参考 (reference), never judged.

    Examples
    --------
    >>> from evalkit.scorecard import Actual, evaluate_indicators, load_indicators
    >>> ind = load_indicators()
    >>> acts = {"rpa.rate": Actual(84.2, "%", (81.0, 87.5)), "rpa.saved": 1800.0,
    ...         "rpa.candidate_tasks": 3}
    >>> rpa = evaluate_indicators(ind[ind["initiative_id"] == "rpa"], actuals=acts)
    >>> progress_table(rpa).iloc[-1, 3:9].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'指標': '業務削減時間：80％以上', '目標': '80%以上', '実績': '84.2%',
     '信頼区間': '81.0–87.5%', '目標との差': '+4.2ポイント',
     '達成状況': '達成（信頼区間も目標以上）'}
    """
    df = _check_evaluated(data, _INDICATOR_OUT, "evaluate_indicators")
    rows = []
    for row in df.itertuples(index=False):
        numeric_target = row.target_kind == "numeric"
        unit = row.target_unit if numeric_target else row.actual_unit
        has_actual = _isnum(row.actual)
        has_ci = has_actual and _isnum(row.ci_low) and _isnum(row.ci_high)
        if numeric_target:
            word = _DIRECTION_WORDS.get(row.target_direction, row.target_direction)
            target = f"{row.target_value:g}{row.target_unit}{word}"
        else:
            target = "定性的な目標"
        actual = _fmt(row.actual, unit) if has_actual else ""
        if has_actual and not numeric_target:
            actual += "（参考）"
        interval = _fmt_interval(row.ci_low, row.ci_high, unit) if has_ci else ""
        label = INDICATOR_STATUS_LABELS.get(row.status, row.status)
        if row.status in (MET, NOT_MET):
            margin = _fmt_margin(row.margin, row.target_unit)
            if has_ci:
                words = _interval_words(
                    row.ci_low, row.ci_high, row.target_value, row.target_direction
                )
                label += f"（{words}）" if words else ""
        else:
            margin = ""
            label += "（定性的な目標）" if not numeric_target else "（実績なし）"
        src = row.actual_source
        source = "データから算出" if src.startswith("computed:") else _SOURCE_LABELS.get(src, src)
        rows.append(
            (
                row.theme,
                row.initiative,
                KIND_LABELS.get(row.kind, row.kind),
                row.indicator,
                target,
                actual,
                interval,
                margin,
                label,
                source,
                row.actual_text,
            )
        )
    columns = [
        "テーマ",
        "取組",
        "区分",
        "指標",
        "目標",
        "実績",
        "信頼区間",
        "目標との差",
        "達成状況",
        "実績の出典",
        "進捗状況（報告書）",
    ]
    return pd.DataFrame(rows, columns=columns, dtype="str")


def _month_ja(p: Any) -> str:
    return "" if p is None or pd.isna(p) else f"{p.year}年{p.month}月"


def _flag_ja(flag: str) -> str:
    """A flag of :func:`evalkit.fiscal.parse_timing`, in Japanese."""
    from ..readers.fiscal import FLAG_RECURRING, FLAG_UNRECOGNISED

    if not flag:
        return ""
    if flag == FLAG_RECURRING:
        return "日付でない表記（随時・適宜・回数）"
    if flag == FLAG_UNRECOGNISED:
        return "日付として読めない表記（そのまま保持）"
    m = _ERA_FLAG.match(flag)
    if m:
        era, month, y, mo, d = m.groups()
        return (
            f"{era}元年{int(month)}月は改元（{int(y)}年{int(mo)}月{int(d)}日）前の表記："
            f"{int(y)}年{int(month)}月として読む"
        )
    return flag


def _span_ja(start: Any, end: Any, kind: str) -> str:
    """Months as read, in Japanese: 2019年5月～6月, ～2019年7月, 2020年2月～, 2019年4月."""
    s, e = _month_ja(start), _month_ja(end)
    if not s and not e:
        return ""
    if not s:
        return f"～{e}"
    if not e:
        return f"{s}～"
    if s == e:
        return s
    if start.year == end.year:
        return f"{s}～{end.month}月"
    return f"{s}～{e}"


def _late_bound(row: Any) -> bool:
    """Whether a late step's ``months_late`` is only a lower bound."""
    return row.done != "yes" or getattr(row, "actual_kind", "") in _WHOLE_YEAR_KINDS


def _late_ja(row: Any) -> str:
    """Months late in Japanese: 1か月, or 3か月以上 when that is the least it can be."""
    return f"{int(row.months_late)}か月" + ("以上" if _late_bound(row) else "")


def _milestone_notes(row: Any, deadline: Any) -> list[str]:
    dated = row.planned_kind != "unscheduled"
    has_actual = not (pd.isna(row.actual_start) and pd.isna(row.actual_end))
    notes = []
    if not dated:
        notes.append(f"予定時期が{_flag_ja(row.planned_flag)}のため期限で評価しない")
    elif row.planned_flag:
        notes.append(f"予定時期：{_flag_ja(row.planned_flag)}")
    if row.actual_flag:
        notes.append(f"実施時期：{_flag_ja(row.actual_flag)}")
    whole = getattr(row, "actual_kind", "") in _WHOLE_YEAR_KINDS
    if whole and row.status == NOT_ASSESSABLE and dated:
        notes.append(
            f"実施時期が年・年度単位で期限 {_month_ja(deadline)} を含むため、期限内か判断できない"
        )
    if row.done == "not stated":
        notes.append("報告書に実施の記載なし")
    elif row.done == "no":
        notes.append("報告時点で未実施")
    elif row.done == "yes" and not has_actual:
        when = f"（期限 {_month_ja(deadline)}）" if dated else ""
        if row.status == NOT_ASSESSABLE and dated:
            notes.append(f"実施済みの記載のみで時期の記載がなく、期限内か判断できない{when}")
        else:
            notes.append(f"実施済みの記載のみで時期の記載なし{when}")
    if row.status == LATE:
        point = row.actual_end if not pd.isna(row.actual_end) else row.actual_start
        if whole:
            done = f"実施 {_span_ja(row.actual_start, row.actual_end, '')}のいずれか"
        elif has_actual:
            done = f"実施 {_month_ja(point)}"
        else:
            done = "未実施"
        notes.append(f"期限 {_month_ja(deadline)}、{done}")
    return notes


def milestone_table(data: pd.DataFrame) -> pd.DataFrame:
    """The scheduled steps with their planned and actual months and status, in Japanese.

    Parameters
    ----------
    data : pandas.DataFrame
        Evaluated steps, as :func:`evaluate_milestones` returns them.

    Returns
    -------
    pandas.DataFrame
        One row per step, in the order of ``data``, all text:

        - ``テーマ``, ``取組``, ``工程``: as the report writes them.
        - ``予定時期（表記）``: the planned timing exactly as written.
        - ``予定（月）``: its months as read, start to end
          ("2019年5月～6月", "2019年9月～2020年1月"); "～2019年7月" for a
          deadline ("元年７月まで"), "2020年2月～" for an open end ("２月～");
          blank for a timing that is not a date.
        - ``実施時期（表記）``: the month(s) the report gives, as written.
        - ``実施（月）``: their months as read, in the same form ("2019年7月～"
          for "7月～").
        - ``状況``: 期限内に実施 (done on time), 遅れ (late), 未了 (open) or
          評価不能 (not assessable).
        - ``遅れ``: months late ("1か月"; "3か月以上" when it is a lower
          bound: a step not done, a whole-year actual), blank unless late.
        - ``注記``: why, when it is not plain: a planned timing that is not
          a date, a month read with a caveat, a step done without a month,
          a step the report does not mention, the deadline of a late step.

    Raises
    ------
    EvalkitError
        When ``data`` is not the output of :func:`evaluate_milestones`.

    Examples
    --------
    >>> from evalkit.scorecard import evaluate_milestones, load_milestones
    >>> ms = evaluate_milestones(load_milestones())
    >>> t = milestone_table(ms)
    >>> t.iloc[5, 2:].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'工程': '中間評価', '予定時期（表記）': '９月', '予定（月）': '2019年9月',
     '実施時期（表記）': '9～10月', '実施（月）': '2019年9月～10月', '状況': '遅れ',
     '遅れ': '1か月', '注記': '期限 2019年9月、実施 2019年10月'}
    >>> for value in t.loc[9, ["予定時期（表記）", "状況", "注記"]]:
    ...     print(value)
    随時
    評価不能
    予定時期が日付でない表記（随時・適宜・回数）のため期限で評価しない；報告書に実施の記載なし
    """
    df = _check_evaluated(data, _MILESTONE_OUT, "evaluate_milestones")
    rows = []
    for row in df.itertuples(index=False):
        deadline = row.planned_end if not pd.isna(row.planned_end) else row.planned_start
        late = _late_ja(row) if row.status == LATE else ""
        rows.append(
            (
                row.theme,
                row.initiative,
                row.step,
                row.planned_timing,
                _span_ja(row.planned_start, row.planned_end, row.planned_kind),
                row.actual_timing,
                _span_ja(row.actual_start, row.actual_end, ""),
                MILESTONE_STATUS_LABELS.get(row.status, row.status),
                late,
                "；".join(_milestone_notes(row, deadline)),
            )
        )
    columns = [
        "テーマ",
        "取組",
        "工程",
        "予定時期（表記）",
        "予定（月）",
        "実施時期（表記）",
        "実施（月）",
        "状況",
        "遅れ",
        "注記",
    ]
    return pd.DataFrame(rows, columns=columns, dtype="str")


def status_counts(data: pd.DataFrame) -> pd.DataFrame:
    """How many indicators or steps of each initiative have each status.

    Parameters
    ----------
    data : pandas.DataFrame
        Evaluated indicators (:func:`evaluate_indicators`) or evaluated
        steps (:func:`evaluate_milestones`).

    Returns
    -------
    pandas.DataFrame
        Index ``取組`` (initiatives in the order they first appear, then
        ``合計``, the total); one int64 column per status in Japanese
        (達成, 未達, 評価不能 for indicators; 期限内に実施, 遅れ, 未了, 評価不能
        for steps), zeros included, then ``合計``.

    Raises
    ------
    EvalkitError
        When ``data`` is neither output, or holds a status of neither.

    Examples
    --------
    >>> from evalkit.scorecard import evaluate_milestones, load_milestones
    >>> status_counts(evaluate_milestones(load_milestones())).loc["合計"].to_dict()
    {'期限内に実施': 12, '遅れ': 1, '未了': 0, '評価不能': 6, '合計': 19}
    """
    if isinstance(data, pd.DataFrame) and "milestone_id" in data.columns:
        df = _check_evaluated(data, _MILESTONE_OUT, "evaluate_milestones")
        labels = MILESTONE_STATUS_LABELS
    else:
        df = _check_evaluated(data, _INDICATOR_OUT, "evaluate_indicators")
        labels = INDICATOR_STATUS_LABELS
    for pos, s in enumerate(df["status"]):
        if s not in labels:
            raise _fail(df, f"must be one of {', '.join(map(repr, labels))}", pos, "status", s)
    initiatives = list(pd.unique(df["initiative"]))
    table = pd.DataFrame(0, index=initiatives, columns=list(labels.values()), dtype="int64")
    for name, s in zip(df["initiative"], df["status"], strict=True):
        table.loc[name, labels[s]] += 1
    table.loc["合計"] = table.sum(axis=0)
    table["合計"] = table.sum(axis=1)
    table.index.name = "取組"
    return table


def target_estimates(data: pd.DataFrame, *, kind: str | None = "outcome") -> pd.DataFrame:
    """The numeric indicators' actuals and intervals against their targets, for a chart.

    The frame :func:`evalkit.plots.estimate_vs_target` draws.

    Parameters
    ----------
    data : pandas.DataFrame
        Evaluated indicators, as :func:`evaluate_indicators` returns them.
    kind : {"outcome", "activity"} or None, default "outcome"
        Which indicators (None: both kinds).

    Returns
    -------
    pandas.DataFrame
        One row per numeric indicator of that kind with an actual:
        ``metric`` (initiative and indicator on two lines), ``value``, ``ci_low``, ``ci_high`` (NaN
        without an interval), ``target``, ``unit``. Figures in % are given
        as proportions (83.87 % as 0.8387), so the chart's axis is a
        percentage.

    Raises
    ------
    EvalkitError
        When ``data`` is not the output of :func:`evaluate_indicators`, for
        an unknown ``kind``, when no row qualifies, when the rows are in
        different units (one axis cannot show them), or for a ``<=`` or
        ``==`` target (the chart reads every target as a minimum).

    Examples
    --------
    >>> from evalkit.scorecard import Actual, evaluate_indicators, load_indicators
    >>> ind = load_indicators()
    >>> out = evaluate_indicators(ind, actuals={
    ...     "voice_recognition.departments": 116, "voice_recognition.mean_saved_per_month": 62,
    ...     "voice_recognition.satisfaction_rate": Actual(83.87, "%", (75.08, 89.97)),
    ...     "rpa.rate": 84.0, "rpa.saved": 1800, "rpa.candidate_tasks": 3})
    >>> target_estimates(out)[["value", "target", "unit"]].round(4).values.tolist()
    [[0.8387, 0.7, 'ratio'], [0.84, 0.8, 'ratio']]
    """
    df = _check_evaluated(data, _INDICATOR_OUT, "evaluate_indicators")
    if kind is not None and kind not in _KINDS:
        raise EvalkitError("kind must be 'outcome', 'activity' or None", column="kind", value=kind)
    keep = (df["target_kind"] == "numeric") & df["actual"].notna()
    if kind is not None:
        keep &= df["kind"] == kind
    rows = df[keep]
    if rows.empty:
        raise EvalkitError(
            f"no numeric {kind or ''} indicator with an actual".replace("  ", " "),
            file=source_file(df),
        )
    for pos in np.flatnonzero(keep.to_numpy()):
        direction = df["target_direction"].iat[pos]
        if direction != ">=":
            raise _fail(
                df,
                "the chart reads every target as a minimum (>=)",
                int(pos),
                "target_direction",
                direction,
            )
    units = list(pd.unique(rows["target_unit"]))
    if len(units) > 1:
        pos = int(np.flatnonzero(keep.to_numpy())[list(rows["target_unit"]).index(units[1])])
        raise _fail(
            df,
            f"one chart needs one unit; the rows are in {', '.join(units)}",
            pos,
            "target_unit",
            units[1],
        )
    scale = 100.0 if units[0] == "%" else 1.0
    return pd.DataFrame(
        {
            "metric": (rows["initiative"] + "\n" + rows["indicator"]).to_numpy(),
            "value": rows["actual"].to_numpy(dtype="float64") / scale,
            "ci_low": rows["ci_low"].to_numpy(dtype="float64") / scale,
            "ci_high": rows["ci_high"].to_numpy(dtype="float64") / scale,
            "target": rows["target_value"].to_numpy(dtype="float64") / scale,
            "unit": "ratio" if scale == 100.0 else units[0],
        }
    )


def actuals_table(actuals: Mapping[str, Any]) -> pd.DataFrame:
    """The computed actuals as a table: figure, interval, unit, target and how computed.

    Parameters
    ----------
    actuals : mapping of str to Actual or float
        As :func:`compute_actuals` returns it.

    Returns
    -------
    pandas.DataFrame
        One row per name, in the mapping's order: ``name``, ``value``,
        ``ci_low``, ``ci_high``, ``target`` (float64, NaN when absent),
        ``unit`` and ``source`` (the call that computed it).

    Raises
    ------
    EvalkitError
        For an entry that is neither an :class:`Actual` nor a number.

    Examples
    --------
    >>> from evalkit.scorecard import Actual
    >>> actuals_table({"rpa.rate": Actual(84.0, "%", (82.0, 86.0), "a call", 80.0)})
           name  value  ci_low  ci_high  target unit  source
    0  rpa.rate   84.0    82.0     86.0    80.0    %  a call
    """
    if not isinstance(actuals, Mapping):
        raise EvalkitError(
            f"actuals must be a mapping such as compute_actuals() returns, "
            f"got {type(actuals).__name__}"
        )
    rows = []
    for name, act in actuals.items():
        if isinstance(act, numbers.Real) and not isinstance(act, bool):
            act = Actual(float(act))
        if not isinstance(act, Actual):
            raise EvalkitError(
                f"actuals must map to Actual or a number, got {type(act).__name__}",
                column=str(name),
                value=act,
            )
        low, high = (math.nan, math.nan) if act.ci is None else act.ci
        target = math.nan if act.target is None else act.target
        rows.append((name, act.value, low, high, target, act.unit, act.source))
    out = pd.DataFrame(
        rows, columns=["name", "value", "ci_low", "ci_high", "target", "unit", "source"]
    )
    for col in ("value", "ci_low", "ci_high", "target"):
        out[col] = out[col].astype("float64")
    return out
