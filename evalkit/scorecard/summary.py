"""The evaluated scorecard summed up: the progress column, key figures, a verdict.

:func:`progress_column` writes the report's progress column (進捗状況) in
Markdown, :func:`scorecard_kpis` turns the indicators into the key-figure
rows of ``summary.csv`` and :func:`scorecard_verdict` sums the scorecard up
in three sentences.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import EvalkitError
from ._common import (
    _INDICATOR_OUT,
    _MILESTONE_OUT,
    DONE_ON_TIME,
    LATE,
    MET,
    NOT_ASSESSABLE,
    NOT_MET,
    OPEN,
    _check_evaluated,
)
from .tables import (
    MILESTONE_STATUS_LABELS,
    _interval_words,
    _isnum,
    milestone_table,
    progress_table,
)

#: Units of summary.csv (``kpi_table``) for the units of the indicator file.
KPI_UNITS = {
    "%": "ratio",
    "所属": "departments",
    "時間": "hours",
    "時間/月": "hours/month",
    "業務": "tasks",
    "システム": "systems",
    "件": "cases",
}


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _md(text: str) -> str:
    """Text with the characters Markdown would read as markup escaped."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def progress_column(indicators: pd.DataFrame, milestones: pd.DataFrame) -> str:
    """The report's progress column (進捗状況) rebuilt from the evaluation, as Markdown.

    Parameters
    ----------
    indicators : pandas.DataFrame
        Evaluated indicators (:func:`evaluate_indicators`).
    milestones : pandas.DataFrame
        Evaluated steps (:func:`evaluate_milestones`).

    Returns
    -------
    str
        Markdown, in Japanese: for each theme (a heading) and initiative
        (■, as the report marks them), the scheduled steps (○, the
        report's mark, for a step reported done; ・ otherwise) with planned and actual timing as
        written and their status, then the indicators with target, status,
        the actual with its interval and margin, and the report's statement
        quoted. Statuses are in bold; markup characters in the quoted text
        are escaped.

    Raises
    ------
    EvalkitError
        When either frame is not the output of its evaluation.

    Examples
    --------
    >>> from evalkit.scorecard import (
    ...     evaluate_indicators, evaluate_milestones, load_indicators, load_milestones)
    >>> ind = evaluate_indicators(load_indicators())
    >>> ms = evaluate_milestones(load_milestones())
    >>> lines = progress_column(ind, ms).splitlines()
    >>> for i in (0, 2, 6, 27):
    ...     print(lines[i])
    ### 庁内のＩＴ化推進
    #### ■音声認識技術の導入
    - ○本格運用開始：予定 31年4月 → 実施 ４月　**期限内に実施**
    - ○中間評価：予定 ９月 → 実施 9～10月　**遅れ**（1か月）　※期限 2019年9月、実施 2019年10月
    """
    ind = _check_evaluated(indicators, _INDICATOR_OUT, "evaluate_indicators")
    ms = _check_evaluated(milestones, _MILESTONE_OUT, "evaluate_milestones")
    steps = milestone_table(ms)
    table = progress_table(ind)
    order = list(pd.unique(pd.concat([ind["initiative"], ms["initiative"]], ignore_index=True)))
    theme_of = dict(zip(ind["initiative"], ind["theme"], strict=False))
    theme_of.update(dict(zip(ms["initiative"], ms["theme"], strict=False)))
    lines: list[str] = []
    theme = None
    for name in order:
        if theme_of[name] != theme:
            theme = theme_of[name]
            lines += [f"### {_md(theme)}", ""]
        lines += [f"#### ■{_md(name)}", ""]
        here = np.flatnonzero(ms["initiative"].to_numpy() == name)
        if len(here):
            lines += ["（スケジュール）", ""]
            for pos in here:
                t = steps.iloc[int(pos)]
                actual = f" → 実施 {_md(t['実施時期（表記）'])}" if t["実施時期（表記）"] else ""
                status = f"**{t['状況']}**"
                if t["遅れ"]:
                    status += f"（{t['遅れ']}）"
                mark = "○" if ms["done"].iat[int(pos)] == "yes" else "・"
                line = (
                    f"- {mark}{_md(t['工程'])}：予定 {_md(t['予定時期（表記）'])}{actual}　{status}"
                )
                if t["注記"]:
                    line += f"　※{_md(t['注記'])}"
                lines.append(line)
            lines.append("")
        here = np.flatnonzero(ind["initiative"].to_numpy() == name)
        if len(here):
            lines += ["（目標の達成状況）", ""]
            for pos in here:
                t = table.iloc[int(pos)]
                status, _, why = t["達成状況"].partition("（")
                line = f"- {t['区分']}「{_md(t['指標'])}」：**{status}**"
                if why:
                    line += f"（{why}"
                figures = []
                if t["実績"]:
                    figures.append(f"実績 {t['実績']}")
                if t["信頼区間"]:
                    figures.append(f"信頼区間 {t['信頼区間']}")
                if t["目標との差"]:
                    figures.append(f"目標との差 {t['目標との差']}")
                if figures:
                    line += "　" + "、".join(_md(f) for f in figures)
                lines.append(line)
                quote = t["進捗状況（報告書）"]
                lines.append(f"    - 報告書：{_md(quote)}" if quote else "    - 報告書：記載なし")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def scorecard_kpis(
    data: pd.DataFrame, *, published: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """The indicators as key-figure rows of :func:`evalkit.kpis.kpi_table` (for summary.csv).

    Parameters
    ----------
    data : pandas.DataFrame
        Evaluated indicators, as :func:`evaluate_indicators` returns them.
    published : mapping of str to (float, int), optional
        Figures the report published for numeric indicators, keyed by
        ``indicator_id``: the figure in the indicator's unit and the number
        of decimals it was published with, e.g.
        ``{"voice_recognition.o3": (83.87, 2)}`` for "83.87%" (a list of two
        works too, as a notebook parameter writes it).

    Returns
    -------
    pandas.DataFrame
        :func:`evalkit.kpis.kpi_table` of one :func:`evalkit.kpis.kpi_row`
        per indicator, in order: ``initiative`` and ``indicator`` as
        written. A numeric indicator with an actual carries ``value``,
        ``ci`` (when it has one), ``unit``, ``target`` and ``direction``,
        hence ``met`` and ``met_confidently``. A qualitative indicator, or
        one without an actual, has ``value`` None and no verdict: the
        scorecard does not judge it. ``published`` and ``reproduced`` come
        from ``published`` (a figure quoted from the report needs none: it
        is the actual itself).

    Raises
    ------
    EvalkitError
        When ``data`` is not the output of :func:`evaluate_indicators`, or
        ``published`` names an unknown indicator, one without a computed
        value, or is not (figure, decimals).

    Notes
    -----
    Units follow ``summary.csv`` (:data:`KPI_UNITS`): a figure in % becomes
    a proportion (83.87 % as 0.8387, unit ``ratio``), as the other
    notebooks report rates; 所属, 時間, システム... become departments,
    hours, systems; other units are kept as written. A target written
    ``==`` has no kpi verdict (key figures know floors and ceilings only);
    its value is kept and the scorecard's own status still applies.

    Examples
    --------
    >>> from evalkit.scorecard import evaluate_indicators, load_indicators
    >>> out = evaluate_indicators(load_indicators())
    >>> k = scorecard_kpis(out)
    >>> len(k), int(k["value"].notna().sum())
    (21, 1)
    >>> k.loc[k["value"].notna(), ["indicator", "value", "unit", "target", "met"]]
                      indicator  value     unit  target   met
    9  共通プラットフォームへの円滑な移行（30システム）   30.0  systems    30.0  True

    A published 83.87 % against a computed 78/93:

    >>> out = evaluate_indicators(load_indicators(), actuals={
    ...     "voice_recognition.departments": 116, "voice_recognition.mean_saved_per_month": 62,
    ...     "voice_recognition.satisfaction_rate": 100 * 78 / 93,
    ...     "rpa.rate": 84.0, "rpa.saved": 1800, "rpa.candidate_tasks": 3})
    >>> k = scorecard_kpis(out, published={"voice_recognition.o3": (83.87, 2)})
    >>> row = k.loc[3]
    >>> round(float(row["value"]), 4), row["unit"], float(row["published"]), bool(row["reproduced"])
    (0.8387, 'ratio', 0.8387, True)
    """
    from ..report.kpis import kpi_row, kpi_table

    df = _check_evaluated(data, _INDICATOR_OUT, "evaluate_indicators")
    given = _published(df, published)
    rows = []
    for pos, row in enumerate(df.itertuples(index=False)):
        if row.target_kind != "numeric" or not _isnum(row.actual):
            if pos in given:
                raise EvalkitError(
                    "a published figure needs a numeric indicator with an actual",
                    column="published",
                    value=row.indicator_id,
                )
            rows.append(kpi_row(row.initiative, row.indicator, value=None))
            continue
        unit = row.target_unit
        scale = 100.0 if unit == "%" else 1.0
        ci = None
        if _isnum(row.ci_low) and _isnum(row.ci_high):
            ci = (row.ci_low / scale, row.ci_high / scale)
        direction = row.target_direction
        rows.append(
            kpi_row(
                row.initiative,
                row.indicator,
                value=row.actual / scale,
                ci=ci,
                unit=KPI_UNITS.get(unit, unit),
                target=row.target_value / scale if direction in (">=", "<=") else None,
                direction=direction if direction in (">=", "<=") else ">=",
                published=None if pos not in given else given[pos][0] / scale,
                published_decimals=None
                if pos not in given
                else given[pos][1] + (2 if scale == 100.0 else 0),
            )
        )
    return kpi_table(rows)


def _published(df: pd.DataFrame, published: Any) -> dict[int, tuple[float, int]]:
    """``published`` by row position, each as (figure, decimals), checked."""
    if published is None:
        return {}
    if not isinstance(published, Mapping):
        raise EvalkitError(
            "published must map indicator_id to (figure, decimals)",
            column="published",
            value=published,
        )
    where = {iid: pos for pos, iid in enumerate(df["indicator_id"])}
    out = {}
    for iid, item in published.items():
        if iid not in where:
            raise EvalkitError("unknown indicator_id", column="published", value=iid)
        ok = isinstance(item, tuple | list) and len(item) == 2
        if ok:
            figure, decimals = item
            ok = (
                isinstance(figure, numbers.Real)
                and not isinstance(figure, bool)
                and math.isfinite(figure)
                and isinstance(decimals, numbers.Integral)
                and not isinstance(decimals, bool)
            )
        if not ok:
            raise EvalkitError(
                f"must be (figure, decimals), e.g. (83.87, 2), for {iid}",
                column="published",
                value=item,
            )
        out[where[iid]] = (float(figure), int(decimals))
    return out


def scorecard_verdict(indicators: pd.DataFrame, milestones: pd.DataFrame) -> str:
    """One paragraph in Japanese summing up the evaluated scorecard, numbers included.

    Parameters
    ----------
    indicators : pandas.DataFrame
        Evaluated indicators (:func:`evaluate_indicators`).
    milestones : pandas.DataFrame
        Evaluated steps (:func:`evaluate_milestones`).

    Returns
    -------
    str
        Three lines: counts of numeric targets met and not met (and how many
        with the whole interval on the met side); of qualitative indicators;
        of steps by status, with the largest delay.

    Examples
    --------
    >>> from evalkit.scorecard import (
    ...     evaluate_indicators, evaluate_milestones, load_indicators, load_milestones)
    >>> ind = evaluate_indicators(load_indicators())
    >>> ms = evaluate_milestones(load_milestones())
    >>> print(scorecard_verdict(ind, ms))
    7取組・指標21件のうち数値目標は3件：達成1件、未達0件、実績なし（評価不能）2件。
    定性的な目標18件は達成・未達を判定せず、報告書の記載と参考値を示した。
    スケジュールの工程19件：期限内に実施12件、遅れ1件（最大1か月）、未了0件、評価不能6件（うち予定時期が日付でない表記4件）。
    """
    ind = _check_evaluated(indicators, _INDICATOR_OUT, "evaluate_indicators")
    ms = _check_evaluated(milestones, _MILESTONE_OUT, "evaluate_milestones")
    numeric_rows = ind[ind["target_kind"] == "numeric"]
    met = numeric_rows["status"] == MET
    confident = 0
    for row in numeric_rows[met].itertuples(index=False):
        if _isnum(row.ci_low) and _isnum(row.ci_high):
            words = _interval_words(row.ci_low, row.ci_high, row.target_value, row.target_direction)
            confident += words in ("信頼区間も目標以上", "信頼区間も目標以下")
    n_met = int(met.sum())
    n_not = int((numeric_rows["status"] == NOT_MET).sum())
    n_none = len(numeric_rows) - n_met - n_not
    n_initiatives = len(pd.unique(pd.concat([ind["initiative"], ms["initiative"]])))
    text = (
        f"{n_initiatives}取組・指標{len(ind)}件のうち数値目標は{len(numeric_rows)}件：達成{n_met}件"
    )
    if confident:
        text += f"（うち信頼区間も目標を満たすもの{confident}件）"
    text += f"、未達{n_not}件"
    if n_none:
        text += f"、実績なし（評価不能）{n_none}件"
    text += "。"
    n_qual = int((ind["target_kind"] != "numeric").sum())
    if n_qual:
        text += f"\n定性的な目標{n_qual}件は達成・未達を判定せず、報告書の記載と参考値を示した。"
    counts = {s: int((ms["status"] == s).sum()) for s in MILESTONE_STATUS_LABELS}
    late = ms.loc[ms["status"] == LATE, "months_late"]
    text += (
        f"\nスケジュールの工程{len(ms)}件：期限内に実施{counts[DONE_ON_TIME]}件、"
        f"遅れ{counts[LATE]}件"
    )
    if counts[LATE]:
        text += f"（最大{int(late.max())}か月）"
    text += f"、未了{counts[OPEN]}件、評価不能{counts[NOT_ASSESSABLE]}件"
    undated = int((ms["planned_kind"] == "unscheduled").sum())
    if undated:
        text += f"（うち予定時期が日付でない表記{undated}件）"
    return text + "。"
