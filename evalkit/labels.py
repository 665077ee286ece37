"""Japanese labels for what evalkit shows: result tables and the columns of its frames.

Code, attributes and columns keep their English names; what a reader sees in
a notebook or report page is labelled in Japanese first, with the English
name in parentheses so that an analyst can find the attribute or column
(``削減時間 (saved)``). :func:`japanese_columns` relabels a DataFrame for
display; result objects use :func:`ja_label` in their notebook display.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

__all__ = ["COLUMN_JA", "UNIT_WORDS_JA", "ja_label", "ja_unit", "japanese_columns"]

#: Japanese label of a column, attribute or summary metric, by its English name.
#: Names whose meaning depends on the table (``rate``, ``unit``, ``n``) get a
#: neutral word; a result or a call gives the precise one (``rate`` = 満足度).
COLUMN_JA: dict[str, str] = {
    # what a row is about
    "period": "期間",
    "month": "月",
    "unit": "対象",
    "department": "所属",
    "bureau": "部局",
    "task": "業務",
    "metric": "指標",
    "initiative": "取組",
    "indicator": "指標",
    "name": "名前",
    "source": "出典",
    "timing": "時期",
    # counts of units, periods and rows
    "n": "件数",
    "n_units": "対象数",
    "new_units": "新規の対象数",
    "cumulative_units": "累計の対象数",
    "mean_units_per_period": "期間あたり平均対象数",
    "n_periods": "期間数",
    "n_rows": "行数",
    "first_period": "最初の期間",
    "last_period": "最後の期間",
    "meetings": "会議件数",
    "recorded_minutes": "録音時間（分）",
    "runs": "実行回数",
    # before/after hours
    "before": "導入前時間",
    "after": "導入後時間",
    "hours_before": "導入前時間",
    "hours_after": "導入後時間",
    "total_before": "導入前時間の合計",
    "total_after": "導入後時間の合計",
    "saved": "削減時間",
    "rate": "割合",
    "mean_saved": "対象あたり平均削減時間",
    "mean_saved_per_period": "期間あたり平均削減時間",
    "mean_unit_rate": "対象別削減率の平均",
    "n_effective": "有効件数",
    "n_positive": "削減が正の件数",
    "overstatement": "導入前時間の見込みの過大率",
    "breakeven_overstatement": "目標を下回る過大率",
    "hours": "時間",
    "fte": "常勤換算（人）",
    "yen": "金額（円）",
    "annual_hours_before": "年間作業時間（見込み）",
    "expected_reduction_rate": "想定削減率",
    "expected_saved": "期待される削減時間",
    "expected_fte": "期待される削減（常勤換算）",
    "expected_yen": "期待される削減額（円）",
    # intervals, targets, tests
    "value": "値",
    "ci_low": "信頼区間 下限",
    "ci_high": "信頼区間 上限",
    "se": "標準誤差",
    "target": "目標",
    "direction": "目標の向き",
    "meets_target": "目標以上",
    "meets_target_confidently": "信頼区間でも目標以上",
    "meets_target_holm": "目標以上（Holm法で調整）",
    "met": "判定",
    "met_confidently": "信頼区間でも達成",
    "published": "公表値",
    "reproduced": "公表値を再現",
    "decimals": "表示の桁",
    "p_value": "p値",
    "p_value_holm": "p値（Holm法で調整）",
    "t_statistic": "t統計量",
    "t_df": "t分布の自由度",
    "t_pvalue": "t検定のp値",
    "wilcoxon_statistic": "Wilcoxon統計量",
    "wilcoxon_pvalue": "Wilcoxon検定のp値",
    "cohens_dz": "効果量 Cohen's dz",
    # satisfaction
    "k": "満足の回答数",
    "n_missing": "無回答数",
    "response_rate": "回答率",
    "nonresponse_low": "無回答をすべて不満とした場合",
    "nonresponse_high": "無回答をすべて満足とした場合",
    "mean_score": "平均点",
    "design_effect": "デザイン効果",
    "n_clusters": "クラスター数",
    # comparison designs
    "cohort": "導入コホート",
    "event_time": "導入からの期間",
    "att": "効果（ATT）",
    "att_se": "ATTの標準誤差",
    "pretrend_pvalue": "事前トレンド検定のp値",
    "n_treated": "導入した対象数",
    "n_not_treated": "導入していない対象数",
    "treated_cells": "導入後の対象・期間数",
    "level_change": "水準の変化",
    "slope_change": "傾きの変化",
    "pre_slope": "導入前の傾き",
    "effect": "効果",
    "n_pre": "導入前の期間数",
    "n_post": "導入後の期間数",
    "hac_lags": "HAC標準誤差のラグ数",
    "df_resid": "残差の自由度",
    # scorecard
    "planned": "計画",
    "actual": "実績",
    "all_systems": "全体のシステム数",
}

#: Japanese words for the units result summaries give (``"hours"`` -> ``"時間"``).
UNIT_WORDS_JA: dict[str, str] = {
    "hours": "時間",
    "hours/month": "時間/月",
    "months": "か月",
    "month": "か月",
    "rows": "行",
    "ratio": "比率",
    "yen": "円",
    "department": "所属",
    "departments": "所属",
    "department/month": "所属/月",
    "task": "業務",
    "tasks": "業務",
    "task/month": "業務/月",
    "meetings": "件",
    "meetings/month": "件/月",
    "recorded_minutes": "分",
    "recorded_minutes/month": "分/月",
    "runs": "回",
    "runs/month": "回/月",
    "answers": "件",
    "points": "点",
    "units": "対象",
    "periods": "期間",
    "unit-periods": "対象・期間",
    "hours/unit": "時間/対象",
    "score": "点",
    "clusters": "クラスター",
    "lags": "期間",
    "annual_hours_before": "時間",
    "expected_saved": "時間",
}

_PREFIXES = {"total: ": "合計：", "mean per month: ": "月平均：", "count: ": "回答数："}
#: "rate at +10%": a figure of baseline_sensitivity at one overstatement of the baseline.
_AT = re.compile(r"^(\w+) at ([+-]?\d+(?:\.\d+)?%)$")


def ja_label(name: object, labels: Mapping[str, str] | None = None) -> object:
    """``"削減時間 (saved)"`` for ``"saved"``; a name without a Japanese label as it is.

    Parameters
    ----------
    name : object
        A column, attribute or summary-metric name. ``"total: meetings"``
        and ``"mean per month: meetings"`` are labelled part by part.
    labels : mapping, optional
        Labels that take precedence over :data:`COLUMN_JA` (``{"rate":
        "満足度"}`` for a satisfaction table).

    Examples
    --------
    >>> ja_label("saved"), ja_label("rate", {"rate": "満足度"}), ja_label("total: meetings")
    ('削減時間 (saved)', '満足度 (rate)', '合計：会議件数 (total: meetings)')
    >>> ja_label("rate at +10%", {"rate": "削減率"})
    '削減率（導入前時間の見込みが +10% の場合） (rate at +10%)'
    >>> ja_label("部局"), ja_label(3)
    ('部局', 3)
    """
    if not isinstance(name, str):
        return name
    table = {**COLUMN_JA, **(labels or {})}
    for prefix, ja in _PREFIXES.items():
        if name.startswith(prefix):
            inner = name[len(prefix) :]
            word = table.get(inner, inner)
            return f"{ja}{word} ({name})"
    if m := _AT.match(name):
        word = table.get(m[1], m[1])
        return f"{word}（導入前時間の見込みが {m[2]} の場合） ({name})"
    return f"{table[name]} ({name})" if name in table else name


def ja_unit(unit: object) -> object:
    """The Japanese word of a summary unit (``"hours/month"`` -> ``"時間/月"``); others as they are.

    Examples
    --------
    >>> ja_unit("hours"), ja_unit("department/month"), ja_unit("t")
    ('時間', '所属/月', 't')
    """
    return UNIT_WORDS_JA.get(unit, unit) if isinstance(unit, str) else unit


def japanese_columns(data: pd.DataFrame, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A copy of ``data`` for display, its columns and index names labelled in Japanese.

    Values are not changed; columns without a Japanese label keep their
    name. For reading, not for computing: the English names are what
    evalkit's functions take.

    Parameters
    ----------
    data : pandas.DataFrame
        A frame evalkit returned (``result.per_period``, a ``by=`` table...).
    labels : mapping, optional
        Labels that take precedence over :data:`COLUMN_JA`, e.g.
        ``{"rate": "満足度", "n": "有効回答数"}``.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> df = pd.DataFrame({"period": ["2019-04"], "n_units": [17], "meetings": [18]})
    >>> list(japanese_columns(df).columns)
    ['期間 (period)', '対象数 (n_units)', '会議件数 (meetings)']
    """
    out = data.rename(columns=lambda c: ja_label(c, labels))
    out.index = out.index.set_names([ja_label(n, labels) for n in out.index.names])
    return out
