"""The progress sheet (進捗状況シート): the year's report drafted from the evaluated scorecard.

:func:`progress_sheet` lays the evaluated indicators and steps out as the
division's sheet: per theme section, a row per initiative (■) with the
report's three columns — 今年度何をするか (plan lines and the schedule as
written), 何をどのような状態にするか（目標） (◇活動指標, ◇成果指標, 定性的な目標,
数値目標) and 進捗状況 (○ lines for the steps done, （目標の達成状況など） with
the figures) — and a fourth, 根拠・留意点, with the intervals, the verdicts
against the targets and the caveats. Figures are written from the computed
actuals, never from the report's typed sentences; what nobody has written
yet is marked :data:`TO_FILL`. :func:`~evalkit.scorecard.write_progress_sheet`
writes it as a workbook.
"""

from __future__ import annotations

import html
import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import EvalkitError
from ._common import _INDICATOR_OUT, _MILESTONE_OUT, MET, NOT_MET, _check_evaluated
from .actuals import Actual
from .tables import milestone_table, progress_table

#: The mark of a line nobody has written yet: fill it in (or delete the line).
TO_FILL = "【要記入】"

#: Columns of :attr:`ProgressSheet.rows`, in order.
SHEET_COLUMNS = ["theme", "initiative_id", "initiative", "plan", "targets", "progress", "notes"]

_ACHIEVED = "（目標の達成状況など）"


@dataclass(frozen=True)
class ProgressSheet:
    """A drafted progress sheet: one row per initiative, the four columns as text.

    Attributes
    ----------
    fiscal_year : int
        The fiscal year drafted (2019 for 令和元年度).
    as_of : pandas.Period
        The month at whose end the progress is reported (2020-03).
    rows : pandas.DataFrame
        :data:`SHEET_COLUMNS`: ``theme``, ``initiative_id``, ``initiative``,
        then the four cells, each a text of lines joined by ``"\\n"``:
        ``plan`` (今年度何をするか), ``targets`` (何をどのような状態にするか),
        ``progress`` (進捗状況) and ``notes`` (根拠・留意点).
    """

    fiscal_year: int
    as_of: pd.Period
    rows: pd.DataFrame

    @property
    def title(self) -> str:
        """The sheet's title: 令和元年度 進捗状況（令和2年3月末時点）."""
        from ..readers.fiscal import fiscal_year_label

        return f"{fiscal_year_label(self.fiscal_year)} 進捗状況（{self._as_of_label}末時点）"

    @property
    def _as_of_label(self) -> str:
        from ..readers.fiscal import month_label

        return month_label(self.as_of)

    @property
    def headers(self) -> tuple[str, str, str, str]:
        """The four column headings, the report's three and 根拠・留意点."""
        return (
            "今年度何をするか（取組の内容、手法・スケジュール等）",
            "何をどのような状態にするか（目標）",
            f"進捗状況（{self._as_of_label}末時点）",
            "根拠・留意点（データ・信頼区間・目標との比較）",
        )

    @property
    def to_fill(self) -> int:
        """How many lines are marked :data:`TO_FILL`."""
        cells = self.rows[["plan", "targets", "progress", "notes"]].to_numpy().ravel()
        return sum(line.count(TO_FILL) for cell in cells for line in str(cell).splitlines())

    def summary(self) -> pd.DataFrame:
        """The rows with the sheet's Japanese headings (テーマ, 取組 and the four columns)."""
        out = self.rows.drop(columns="initiative_id").copy()
        out.columns = ["テーマ", "取組", *self.headers]
        return out

    def to_html(self) -> str:
        """The sheet as an HTML table: a heading row per theme section, lines kept."""

        def cell(text: str) -> str:
            return "<br>".join(html.escape(line) for line in str(text).splitlines())

        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.headers)
        body = []
        theme = None
        for row in self.rows.itertuples(index=False):
            if row.theme != theme:
                theme = row.theme
                body.append(f'<tr><th colspan="4">{html.escape(theme)}</th></tr>')
            cells = "".join(
                f'<td style="text-align:left;vertical-align:top">{cell(x)}</td>'
                for x in (row.plan, row.targets, row.progress, row.notes)
            )
            body.append(f"<tr>{cells}</tr>")
        return (
            f'<table class="progress-sheet"><caption>{html.escape(self.title)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return (
            f"ProgressSheet({self.title}: {len(self.rows)} initiatives, "
            f"{self.to_fill} lines {TO_FILL})"
        )


def progress_sheet(
    indicators: pd.DataFrame,
    *,
    milestones: pd.DataFrame,
    actuals: Mapping[str, Any] | None = None,
    plans: pd.DataFrame | None = None,
    platform: pd.DataFrame | None = None,
    published: Any = None,
    fiscal_year: int = 2019,
    as_of: Any = None,
    confidence: float = 0.95,
) -> ProgressSheet:
    """Draft the year's progress sheet (進捗状況) from the evaluated scorecard.

    Parameters
    ----------
    indicators : pandas.DataFrame
        Evaluated indicators (:func:`evaluate_indicators`, with ``actuals``).
    milestones : pandas.DataFrame
        Evaluated steps (:func:`evaluate_milestones`).
    actuals : mapping of str to Actual or float, optional
        The computed figures (:func:`compute_actuals`); a figure the sheet
        needs and does not find is written :data:`TO_FILL`.
    plans : pandas.DataFrame, optional
        The plan lines (:func:`load_plans`); without them the plan column
        holds the schedule only.
    platform : pandas.DataFrame, optional
        Common-platform counts (:func:`load_platform_migration`), from which
        the migration line is written.
    published : evalkit.datasets.Published, optional
        The year's published figures (:func:`evalkit.datasets.load_published`):
        a figure with a published one is rounded at its precision, and a
        statement equal to a published figure's wording is replaced by the
        line written from the data.
    fiscal_year : int, default 2019
        The year drafted: it names the year in the lines (令和元年度に…).
    as_of : month-like, optional
        The report month; default March at the end of ``fiscal_year``.
    confidence : float, default 0.95
        Confidence level of the intervals in ``actuals``, for their label.

    Returns
    -------
    ProgressSheet
        One row per initiative, in the order of the files.

    Raises
    ------
    EvalkitError
        When a frame is not its evaluation's output, or a published figure
        is in another unit than the computed one (naming the file, the
        column and the value).

    Notes
    -----
    Figures are rounded half up (四捨五入) at the published precision of
    the year where the figure was published (``decimals`` of
    ``published/fy<YEAR>.csv``: 83.87 %, 1,800 時間), else to whole hours,
    counts and % to 2 decimals; "程度" follows a figure rounded coarser
    than that. Qualitative indicators and steps without a statement are
    marked :data:`TO_FILL`; a step reported done without its month is
    written without one.

    Examples
    --------
    >>> from evalkit.scorecard import (compute_actuals, evaluate_indicators,
    ...     evaluate_milestones, load_indicators, load_milestones)
    >>> acts = compute_actuals(random_state=1, fiscal_year=2019)
    >>> sheet = progress_sheet(evaluate_indicators(load_indicators(), actuals=acts),
    ...     milestones=evaluate_milestones(load_milestones()), actuals=acts)
    >>> print(sheet.rows.loc[0, "progress"].splitlines()[0])
    ■音声認識技術の導入
    >>> [line for line in sheet.rows.loc[0, "progress"].splitlines() if "満足度" in line]
    ['・利用所属における満足度：83.87%']
    """
    from ..readers.fiscal import parse_month

    ind = _check_evaluated(indicators, _INDICATOR_OUT, "evaluate_indicators")
    ms = _check_evaluated(milestones, _MILESTONE_OUT, "evaluate_milestones")
    fy = int(fiscal_year)
    month = parse_month(as_of if as_of is not None else f"{fy + 1}-03")
    ctx = _Context(ind, ms, dict(actuals or {}), plans, platform, published, fy, confidence)
    order = list(pd.unique(pd.concat([ind["initiative_id"], ms["initiative_id"]])))
    records = []
    for iid in order:
        here = ind[ind["initiative_id"] == iid]
        first = here if len(here) else ms[ms["initiative_id"] == iid]
        records.append(
            {
                "theme": first["theme"].iat[0],
                "initiative_id": iid,
                "initiative": first["initiative"].iat[0],
                "plan": "\n".join(_plan_lines(ctx, iid)),
                "targets": "\n".join(_target_lines(ctx, iid)),
                "progress": "\n".join(_progress_lines(ctx, iid)),
                "notes": "\n".join(_note_lines(ctx, iid)),
            }
        )
    return ProgressSheet(fy, month, pd.DataFrame.from_records(records, columns=SHEET_COLUMNS))


class _Context:
    """What every column of the sheet reads: the frames, the figures, the year."""

    def __init__(self, ind, ms, actuals, plans, platform, published, fiscal_year, confidence):
        self.ind, self.ms, self.actuals = ind, ms, actuals
        self.plans = plans
        self.platform = platform
        self.published = published
        self.fiscal_year = fiscal_year
        self.confidence = confidence
        self.table = progress_table(ind)
        self.steps = milestone_table(ms)
        texts = {} if published is None or not published.found else published.table["text"]
        self.published_texts = {
            _key(str(t)): str(k) for k, t in dict(texts).items() if isinstance(t, str) and t
        }

    def year(self, offset: int = 0) -> str:
        from ..readers.fiscal import fiscal_year_label

        return fiscal_year_label(self.fiscal_year + offset)

    def plan_rows(self, iid: str, section: str) -> list[str]:
        if self.plans is None:
            return []
        rows = self.plans[(self.plans["initiative_id"] == iid) & (self.plans["section"] == section)]
        return [str(t) for t in rows["text"]]

    def actual(self, name: str) -> Actual | None:
        act = self.actuals.get(name)
        if act is None or isinstance(act, Actual):
            return act
        return Actual(float(act))

    def figure(self, name: str, unit: str = "", *, approx: bool = False) -> str:
        """The figure ``name`` as the sheet writes it: rounded half up, 桁区切り, ``unit``.

        With ``approx``, "程度" follows a figure rounded coarser than the
        usual precision (whole hours, % to 2 decimals), as the report writes
        "1,800時間程度".
        """
        from ..report.kpis import _round_half_up

        act = self.actual(name)
        if act is None or not math.isfinite(act.value):
            return TO_FILL
        default = 2 if act.unit == "%" else 0
        decimals = self.decimals(name, act.unit, default)
        rounded = _round_half_up(act.value, decimals)
        text = f"{rounded:,.{max(decimals, 0)}f}{unit}"
        return text + ("程度" if approx and decimals < default else "")

    def decimals(self, name: str, unit: str, default: int) -> int:
        """The published precision of ``name`` (its unit checked), else ``default``."""
        pub = self.published
        if pub is None or not pub.found or name not in pub.table.index:
            return default
        row = pub.table.loc[name]
        if unit and _key(str(row["unit"])) != _key(unit):
            raise EvalkitError(
                f"the published figure {name!r} is in {row['unit']!r}, the computed one in "
                f"{unit!r}",
                file=str(pub.path),
                column="unit",
                value=row["unit"],
            )
        return int(row["decimals"])

    def indicator_of(self, name: str) -> pd.Series | None:
        """The first indicator whose actual is ``computed:<name>``."""
        rows = self.ind[self.ind["actual_source"] == f"computed:{name}"]
        return None if rows.empty else rows.iloc[0]


def _key(text: str) -> str:
    """Text as compared: NFKC, without whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _plan_lines(ctx: _Context, iid: str) -> list[str]:
    name = _name(ctx, iid)
    lines = [f"■{name}", *ctx.plan_rows(iid, "plan")]
    steps = ctx.ms[ctx.ms["initiative_id"] == iid]
    if len(steps):
        lines += ["", "（スケジュール）"]
        lines += [f"{t}　{s}" for t, s in zip(steps["planned_timing"], steps["step"], strict=True)]
    return lines


def _name(ctx: _Context, iid: str) -> str:
    for frame in (ctx.ind, ctx.ms):
        rows = frame[frame["initiative_id"] == iid]
        if len(rows):
            return str(rows["initiative"].iat[0])
    return iid


def _target_lines(ctx: _Context, iid: str) -> list[str]:
    rows = ctx.ind[ctx.ind["initiative_id"] == iid]
    lines: list[str] = []
    activity = rows[rows["kind"] == "activity"]
    if len(activity):
        lines += ["◇活動指標（アウトプット）", *ctx.plan_rows(iid, "activity_lead")]
        lines += [f"・{x}" for x in activity["indicator"]]
    outcome = rows[rows["kind"] == "outcome"]
    if len(outcome):
        lines += [""] if lines else []
        lines.append("◇成果指標（アウトカム）")
        for kind, heading in (("qualitative", "（定性的な目標）"), ("numeric", "（数値目標）")):
            these = outcome[outcome["target_kind"] == kind]
            if len(these):
                lines += [heading, *(f"・{x}" for x in these["indicator"])]
    return lines


def _statement_lines(item: str, mark: str = "○") -> list[str]:
    """One progress item of the files (lines joined by spaces) as the sheet's lines.

    A ``⇒`` or ``・`` after a space starts a new line, as in the report;
    the item gets ``mark`` unless it starts with ・ or ⇒.
    """
    lines: list[str] = []
    for part in item.replace(" ⇒", "\n⇒").replace(" ・", "\n・").splitlines():
        lines.append(part if lines or part.startswith(("・", "⇒")) else mark + part)
    return lines


def _progress_lines(ctx: _Context, iid: str) -> list[str]:
    """■, the ○ lines (steps, other items), then （目標の達成状況など）."""
    done: list[str] = []
    achieved: list[str] = []
    seen: set[str] = set()
    figures = _FigureLines(ctx, iid)

    def add(lines: list[str], into: list[str]) -> None:
        # an item whose first line is shown already adds its other lines under it
        keys = [_key(line).lstrip("○") for line in lines]
        shown = [i for i, x in enumerate(into) if _key(x).lstrip("○") == keys[0]]
        at = shown[0] + 1 if shown else len(into)
        new = [(k, line) for k, line in zip(keys, lines, strict=True) if k not in seen]
        seen.update(k for k, _ in new)
        into[at:at] = [line for _, line in new]

    for step in ctx.ms[ctx.ms["initiative_id"] == iid].itertuples(index=False):
        for item in [x for x in step.progress_text.split(" / ") if x]:
            replaced = figures.replacing(item)
            add(replaced if replaced is not None else _statement_lines(item), done)
        if not step.progress_text:
            add(_step_without_statement(step), done)
    for text in ctx.plan_rows(iid, "progress"):
        add(_statement_lines(text), done)
    for row in ctx.ind[ctx.ind["initiative_id"] == iid].itertuples(index=False):
        if row.actual_source == "report":
            for item in row.actual_text.split(" / "):
                replaced = figures.replacing(item)
                lines = replaced if replaced is not None else _statement_lines(item)
                add(lines, achieved if lines[0].startswith("・") else done)
        elif row.actual_source == "none":
            add([f"・{row.indicator}：{TO_FILL}"], achieved)
        else:
            for block in figures.for_source(row.actual_source):
                add(block, achieved)
    for block in figures.left_over():
        add(block, done)
    return [f"■{_name(ctx, iid)}", *done, *([_ACHIEVED, *achieved] if achieved else [])]


def _step_without_statement(step: Any) -> list[str]:
    """A step the files give no statement for: done (its month if reported), or to fill."""
    if step.done == "yes":
        month = f"（{step.actual_timing}）" if step.actual_timing else ""
        return [f"○{step.step}を実施{month}"]
    if step.done == "no":
        return [f"・{step.step}（予定：{step.planned_timing}）：未実施。理由と見通しを{TO_FILL}"]
    return [f"・{step.step}（予定：{step.planned_timing}）：{TO_FILL}"]


class _FigureLines:
    """The lines with a figure of one initiative, in the report's phrasing, each written once."""

    def __init__(self, ctx: _Context, iid: str) -> None:
        self.ctx, self.iid = ctx, iid
        self.written: set[str] = set()

    def replacing(self, item: str) -> list[str] | None:
        """The line written from the data for a statement that is a published figure's wording."""
        name = self.ctx.published_texts.get(_key(item))
        if name is None:
            return None
        block = self._block(name)
        return block if block else None

    def for_source(self, source: str) -> list[list[str]]:
        name = source.removeprefix("computed:")
        block = self._block(name)
        return [block] if block else []

    def left_over(self) -> list[list[str]]:
        """The migration line of the common platform, when no statement stood for it."""
        block = self._block("common_platform.migrated")
        return [block] if block else []

    def _block(self, name: str) -> list[str]:
        group = next((g for g in _GROUPS if name in g[0]), None)
        key = group[0][0] if group else name
        if key in self.written or (group and group[1] != self.iid):
            return []
        self.written.add(key)
        if group:
            return group[2](self.ctx)
        return _generic_line(self.ctx, name)


def _voice_usage(ctx: _Context) -> list[str]:
    dep = ctx.figure("voice_recognition.departments")
    mean = ctx.figure("voice_recognition.mean_saved_per_month")
    return [
        "・職員の業務効率の向上",
        f"{ctx.year()}に{dep}所属で利用され、ひと月あたり平均{mean}時間の業務削減",
        "⇒利用開始前後の比較による",
    ]


def _voice_satisfaction(ctx: _Context) -> list[str]:
    row = ctx.indicator_of("voice_recognition.satisfaction_rate")
    label = "利用所属における満足度" if row is None else str(row["indicator"]).split("：")[0]
    rate = ctx.figure("voice_recognition.satisfaction_rate")
    return [f"・{label}：{rate}%", "⇒調査結果の大変満足、満足を合わせた割合"]


def _rpa_candidates(ctx: _Context) -> list[str]:
    row = ctx.indicator_of("rpa.candidate_tasks")
    label = "追加適用候補となる業務の選定" if row is None else str(row["indicator"])
    deps = ctx.figure("rpa.candidate_departments")
    tasks = ctx.figure("rpa.candidate_tasks")
    return [f"・{label}", f"⇒{ctx.year(1)}の追加業務として、{deps}所属{tasks}業務を選定済み。"]


def _rpa_efficiency(ctx: _Context) -> list[str]:
    row = ctx.indicator_of("rpa.saved")
    label = "ＲＰＡ導入による業務効率化" if row is None else str(row["indicator"])
    saved = ctx.figure("rpa.saved", "時間", approx=True)
    rate = ctx.figure("rpa.rate", "%", approx=True)
    judged = ctx.indicator_of("rpa.rate")
    status = None if judged is None else judged["status"]
    ending = "を達成。" if status == MET else "。"
    if status == NOT_MET:
        ending = f"。目標（{judged['indicator']}）には届かず。"
    return [f"・{label}", f"⇒{saved}の業務時間の削減（削減割合は{rate}）{ending}"]


def _platform_migrated(ctx: _Context) -> list[str]:
    pm = ctx.platform
    if pm is None:
        return [f"○移行の状況を{TO_FILL}"]
    planned = int(pm.loc[pm["kind"] == "planned", "systems"].sum())
    migrated = pm.loc[pm["kind"] == "migrated", "systems"]
    head = f"○{ctx.year()}移行予定の{planned}システムについて、"
    if migrated.empty:
        return [f"{head}移行の状況を{TO_FILL}"]
    n = int(migrated.sum())
    if n >= planned:
        return [f"{head}移行が完了。"]
    return [f"{head}{n}システムの移行が完了。"]


# (names, initiative, writer): the lines with figures, in the report's phrasing.
_GROUPS = (
    (
        ("voice_recognition.departments", "voice_recognition.mean_saved_per_month"),
        "voice_recognition",
        _voice_usage,
    ),
    (("voice_recognition.satisfaction_rate",), "voice_recognition", _voice_satisfaction),
    (("rpa.candidate_tasks", "rpa.candidate_departments"), "rpa", _rpa_candidates),
    (("rpa.saved", "rpa.rate"), "rpa", _rpa_efficiency),
    (("common_platform.migrated",), "common_platform", _platform_migrated),
)


def _generic_line(ctx: _Context, name: str) -> list[str]:
    """A computed figure without a phrasing of its own: ・<indicator>：<figure><unit>."""
    row = ctx.indicator_of(name)
    act = ctx.actual(name)
    label = name if row is None else str(row["indicator"])
    unit = "" if act is None else act.unit
    return [f"・{label}：{ctx.figure(name)}{unit}"]


def _note_lines(ctx: _Context, iid: str) -> list[str]:
    """根拠・留意点: figures with interval and verdict, steps not on time, what to fill."""
    lines: list[str] = []
    named: set[str] = set()
    here = ctx.ind["initiative_id"] == iid
    for pos in here[here].index:
        row = ctx.ind.loc[pos]
        name = str(row["actual_source"]).removeprefix("computed:")
        act = ctx.actual(name)
        if row["actual_source"] == name or act is None or name in named:
            continue
        named.add(name)
        places = 2 if act.unit == "%" else 0 if act.unit in _COUNTS else 1
        line = f"・{row['indicator']} → {act.value:,.{places}f}{act.unit}"
        if act.ci is not None and all(math.isfinite(x) for x in act.ci):
            low, high = (f"{x:,.{places}f}" for x in act.ci)
            line += f"（{100 * float(ctx.confidence):g}%信頼区間 {low}–{high}{act.unit}）"
        lines.append(f"{line}、{ctx.table.loc[pos, '達成状況']}")
        lines += _published_note(ctx, name)
    for name, text in _CAVEATS:
        if name in named:
            act = ctx.actual(name)
            lines += list(getattr(act, "caveats", ())) or [text]
    steps = ctx.steps[(ctx.ms["initiative_id"] == iid).to_numpy()]
    for t in steps.to_dict("records"):
        if t["状況"] != "期限内に実施":
            extra = f"（{t['遅れ']}）" if t["遅れ"] else ""
            why = f"：{t['注記']}" if t["注記"] else ""
            lines.append(
                f"・工程「{t['工程']}」（予定 {t['予定時期（表記）']}）：{t['状況']}{extra}{why}"
            )
    if named:
        lines.insert(0, "・数値はデータから算出し四捨五入。括弧内は推定の幅")
    return lines


# Units of counts, shown whole in the notes.
_COUNTS = ("所属", "業務", "システム", "件")
# Caveats of a computed figure, in the notes of the initiative that shows it.
_CAVEATS = (
    (
        "voice_recognition.satisfaction_rate",
        "・満足度は有効回答に占める割合。未回答の所属は含まない（無回答の影響は未評価）",
    ),
    (
        "voice_recognition.mean_saved_per_month",
        "・削減時間は利用開始前後の作業時間の差（他の要因の影響を含みうる）",
    ),
    ("rpa.rate", "・削減割合は試行業務全体の合計で見た割合（削減時間の合計 ÷ 導入前の時間の合計）"),
)


def _published_note(ctx: _Context, name: str) -> list[str]:
    """Whether the figure, rounded as the sheet shows it, equals the published one."""
    pub = ctx.published
    act = ctx.actual(name)
    if pub is None or not pub.found or name not in pub.table.index or act is None:
        return []
    row = pub.table.loc[name]
    shown = ctx.figure(name).replace(",", "")
    same = math.isclose(float(shown), float(row["value"]), rel_tol=0, abs_tol=1e-9)
    value = f"{float(row['value']):,.{max(int(row['decimals']), 0)}f}{row['unit']}"
    return [f"　公表値 {value}：{'一致' if same else '不一致（データを確認）'}"]
