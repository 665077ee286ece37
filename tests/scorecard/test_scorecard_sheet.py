"""The progress sheet drafted from the data, against the published FY2019 report.

Reference: tests/reference/fy2019_it_progress_report.txt, the report's two
progress columns (進捗状況). The sheet differs from them on purpose in:

- order: in 自治体クラウドの導入支援等 and 行政サービスに係る情報システムの検討
  the steps' statements come first (schedule order), then the other items,
  where the report mixes them; every line is still in its initiative's cell;
- extra lines: where the report says nothing about a step or an indicator
  (RPA 実運用上での課題の抽出と解決, the 共通プラットフォーム outcome, ICT関連技術情報
  の提供, the 府内市町村 outcome, the working group and the briefing sessions),
  the draft writes the line with 【要記入】 for the analyst to fill or delete;
- figures: written from the data, not copied (the same figures here, as the
  sample data reproduce the report).
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from scorecard_helpers import fy2020_sample_data, fy2020_scorecard_files, report_progress_cells

import evalkit as ek
from evalkit import scorecard as sc
from evalkit.errors import EvalkitError

# The report's 【要記入】 lines the FY2019 draft adds (see the module docstring).
FY2019_TO_FILL = 6


def _norm(text: str) -> str:
    """NFKC, whitespace removed: text as compared with the report."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _report_blocks() -> dict[str, list[str]]:
    """The report's progress columns by ■ heading: {heading: its lines}, normalised."""
    blocks: dict[str, list[str]] = {}
    for cell in report_progress_cells():
        for line in cell:
            if line.lstrip("\t").startswith("■"):
                heading = _norm(line)
                blocks[heading] = [heading]
            elif _norm(line):
                blocks[heading].append(_norm(line))
    return blocks


def _sheet(data_dir=None, *, fiscal_year=2019, random_state=2019):
    """Draft the sheet as notebook 03 does, from a folder laid out like data/."""

    def file(*parts, required=True):
        return ek.datasets.data_file(data_dir, *parts, required=required)

    fy = fiscal_year
    minutes = ek.datasets.load_minutes_work(file("voice_recognition", "minutes_work.csv"))
    trial = ek.datasets.load_rpa_trial(file("rpa", "trial_runs.csv"))
    actuals = sc.compute_actuals(
        minutes=minutes[minutes["month"].isin(ek.fiscal_months(fy))],
        survey=ek.datasets.load_satisfaction_survey(
            file("voice_recognition", "satisfaction_survey.csv")
        ),
        trial=trial[trial["month"].isin(ek.fiscal_months(fy))],
        candidates=ek.datasets.load_rpa_candidates(file("rpa", f"candidates_fy{fy + 1}.csv")),
        fiscal_year=fy,
        random_state=random_state,
    )
    ind = sc.evaluate_indicators(
        sc.load_indicators(file("scorecard", f"fy{fy}_indicators.csv")), actuals=actuals
    )
    ms = sc.evaluate_milestones(
        sc.load_milestones(file("scorecard", f"fy{fy}_milestones.csv"), fiscal_year=fy),
        fiscal_year=fy,
        as_of=f"{fy + 1}-03",
    )
    plans = file("scorecard", f"fy{fy}_plans.csv", required=False)
    return sc.progress_sheet(
        ind,
        milestones=ms,
        actuals=actuals,
        plans=None if plans is None else sc.load_plans(plans),
        platform=sc.load_platform_migration(
            file("scorecard", "platform_migration.csv"), fiscal_year=fy
        ),
        published=ek.datasets.load_published(fy, data_dir),
        fiscal_year=fy,
    )


def _read_back(path: Path) -> dict[str, list[str]]:
    """The workbook's columns A-D below the headings: {column letter: cell texts}."""
    ws = load_workbook(path).active
    out: dict[str, list[str]] = {c: [] for c in "ABCD"}
    for row in ws.iter_rows(min_row=3):
        for cell in row[:4]:
            if cell.value is not None:
                out[cell.column_letter].append(str(cell.value))
    return out


def _copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(ek.datasets.data_path(), data, ignore=shutil.ignore_patterns("*.md"))
    return data


@pytest.fixture(scope="module")
def fy2019(tmp_path_factory):
    sheet = _sheet()
    path = sc.write_progress_sheet(
        sheet, tmp_path_factory.mktemp("sheet") / sc.progress_sheet_file_name(2019)
    )
    return sheet, path


def test_the_fy2019_workbook_holds_every_line_of_the_reports_progress_columns(fy2019):
    sheet, path = fy2019
    assert path.name == "progress_sheet_fy2019.xlsx"
    progress = [_norm(cell) for cell in _read_back(path)["C"]]
    blocks = _report_blocks()
    # Report: 7 initiatives (■) under the two themes; ○ items counted by hand:
    # 3 + 4 + 2 + 2 under 庁内のＩＴ化推進, 1 + 5 + 5 under 市町村のＩＴ化支援.
    assert len(blocks) == 7
    assert sum(line.startswith("○") for b in blocks.values() for line in b) == 22
    missing = []
    for heading, lines in blocks.items():
        cell = next(c for c in progress if c.startswith(heading))
        missing += [line for line in lines if line not in cell]
    assert missing == []
    # the achievement lines with figures, as the report writes them
    for line in (
        "令和元年度に116所属で利用され、ひと月あたり平均62時間の業務削減",
        "利用所属における満足度：83.87%",
        "1,800時間程度の業務時間の削減（削減割合は84%程度）を達成。",
        "令和元年度移行予定の30システムについて、移行が完了。",
        "令和2年度の追加業務として、3所属3業務を選定済み。",
    ):
        assert any(_norm(line) in cell for cell in progress), line
    assert sheet.to_fill == FY2019_TO_FILL


def test_the_fy2019_workbook_layout(fy2019):
    sheet, path = fy2019
    ws = load_workbook(path).active
    assert ws["A1"].value == "令和元年度 進捗状況（令和2年3月末時点）"
    assert [ws.cell(2, c).value for c in range(1, 5)] == list(sheet.headers)
    assert ws["C2"].value == "進捗状況（令和2年3月末時点）"
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    themes = [ws.cell(r, 1).value for r in range(3, ws.max_row + 1) if ws.cell(r, 2).value is None]
    assert themes == ["庁内のＩＴ化推進", "市町村のＩＴ化支援"]
    for r in range(3, ws.max_row + 1):
        if ws.cell(r, 2).value is None:
            continue
        lines = max(len(str(ws.cell(r, c).value or "").splitlines()) for c in range(1, 5))
        assert ws.row_dimensions[r].height >= 14 * lines, r
        assert ws.cell(r, 1).alignment.wrap_text
    plan = _norm(ws["A4"].value)
    assert plan.startswith("■音声認識技術の導入・音声認識技術を活用して")
    assert _norm("（スケジュール）31年4月本格運用開始９月効果測定（中間）") in plan
    targets = ws["B5"].value.splitlines()
    assert targets[:5] == [
        "◇活動指標（アウトプット）",
        "ＲＰＡの導入拡大を見据えた",
        "・最適なサポート体制の検討",
        "・実運用上での課題の抽出と解決",
        "・追加適用候補となる業務の選定",
    ]
    assert "（数値目標）" in targets and "・業務削減時間：80％以上" in targets


def test_notes_carry_interval_verdict_and_published_check(fy2019):
    sheet, _ = fy2019
    notes = sheet.rows.set_index("initiative_id")["notes"]
    acts = sc.compute_actuals(random_state=2019, fiscal_year=2019)
    low, high = acts["voice_recognition.satisfaction_rate"].ci
    assert (
        f"95%信頼区間 {low:.2f}–{high:.2f}%）、達成（信頼区間も目標以上）"
        in notes["voice_recognition"]
    )
    assert "公表値 83.87%：一致" in notes["voice_recognition"]
    assert "工程「中間評価」（予定 ９月）：遅れ（1か月）" in notes["rpa"]


def test_notes_say_what_the_verdicts_depend_on(fy2019):
    # satisfaction if the non-respondents had answered: counted here from the survey
    sheet, _ = fy2019
    notes = sheet.rows.set_index("initiative_id")["notes"]
    answers = ek.datasets.load_satisfaction_survey()["answer"]
    satisfied = int(answers.isin(["大変満足", "満足"]).sum())
    valid, missing = int(answers.notna().sum()), int(answers.isna().sum())
    worst = 100 * satisfied / (valid + missing)
    best = 100 * (satisfied + missing) / (valid + missing)
    assert worst < 70 <= best  # the sample's case: the verdict rests on the non-respondents
    assert (
        f"無回答の{missing}所属をすべて不満とみなすと{worst:.2f}%、すべて満足とみなすと"
        f"{best:.2f}%で、目標の判定は無回答の扱いによる" in notes["voice_recognition"]
    )
    # the RPA target fails once the baseline is overstated by 1 - 0.8 / rate of itself
    trial = ek.datasets.load_rpa_trial()
    rate = 1 - trial["hours_after"].sum() / trial["hours_before"].sum()
    breakeven = 100 * (0.2 / (1 - rate) - 1)
    assert f"見込みが{breakeven:.1f}%以上多めなら目標80%を下回る" in notes["rpa"]


def test_no_figure_is_copied_from_the_typed_statements(tmp_path):
    # One survey answer 満足 -> 不満, one RPA hours_after +100, one migration count 30 -> 28.
    data = _copy_data(tmp_path)
    survey = pd.read_csv(data / "voice_recognition" / "satisfaction_survey.csv")
    first = survey.index[survey["answer"] == "満足"][0]
    survey.loc[first, "answer"] = "不満"
    survey.to_csv(data / "voice_recognition" / "satisfaction_survey.csv", index=False)
    trial = pd.read_csv(data / "rpa" / "trial_runs.csv")
    trial.loc[0, "hours_after"] += 100
    trial.to_csv(data / "rpa" / "trial_runs.csv", index=False)
    platform = pd.read_csv(data / "scorecard" / "platform_migration.csv")
    platform.loc[platform["kind"] == "migrated", "systems"] = 28
    platform.to_csv(data / "scorecard" / "platform_migration.csv", index=False)

    progress = _norm("\n".join(_sheet(data).rows["progress"]))
    answers = survey["answer"].dropna()
    rate = 100 * answers.isin(["大変満足", "満足"]).sum() / len(answers)  # 77 / 93
    saved = (trial["hours_before"] - trial["hours_after"]).sum()  # 1,700
    share = 100 * saved / trial["hours_before"].sum()
    assert _norm(f"利用所属における満足度：{rate:.2f}%") in progress
    assert "83.87" not in progress
    assert _norm(
        f"{round(saved, -2):,.0f}時間程度の業務時間の削減（削減割合は{share:.0f}%程度）"
    ) in (progress)
    assert "1,800時間" not in progress
    assert _norm("令和元年度移行予定の30システムについて、28システムの移行が完了。") in progress


def test_a_fy2020_draft_carries_its_year_and_marks_what_is_missing(tmp_path):
    data = tmp_path / "fy2020"
    fy2020_sample_data(data)
    fy2020_scorecard_files(data)
    sheet = _sheet(data, fiscal_year=2020)
    path = sc.write_progress_sheet(sheet, tmp_path / sc.progress_sheet_file_name(2020))
    cells = _read_back(path)
    progress = "\n".join(cells["C"])
    ws = load_workbook(path).active
    assert ws["A1"].value == "令和2年度 進捗状況（令和3年3月末時点）"
    assert "令和元年度" not in progress and "令和元年" not in progress
    # figures of FY2020 from the moved data; no published file: whole hours, % to 2 decimals
    assert "令和2年度に116所属で利用され" in progress
    assert "令和3年度の追加業務として、3所属3業務を選定済み。" in progress
    assert "⇒1,800時間の業務時間の削減（削減割合は84.00%）を達成。" in progress
    assert "○令和2年度移行予定の30システムについて、移行の状況を【要記入】" in progress
    # statements blanked: every step and qualitative indicator without one is to be filled
    by_id = sheet.rows.set_index("initiative_id")["progress"]
    assert "・事例調査（予定：2年7月まで）：【要記入】" in by_id["municipal_services"]
    assert "・最適なサポート体制の検討：【要記入】" in by_id["rpa"]
    # a step reported done without a month is shown as written, no month guessed
    assert "○本格運用開始を実施\n" in by_id["voice_recognition"] + "\n"
    assert sheet.to_fill == progress.count("【要記入】") > FY2019_TO_FILL
    assert "（スケジュール）\n2年4月　本格運用開始" in cells["A"][1]


def test_a_published_figure_in_another_unit_is_refused(tmp_path):
    data = _copy_data(tmp_path)
    pub = pd.read_csv(data / "published" / "fy2019.csv")
    pub.loc[pub["key"] == "rpa.saved", "unit"] = "時間/月"
    pub.to_csv(data / "published" / "fy2019.csv", index=False)
    with pytest.raises(EvalkitError, match="column 'unit', value '時間/月'") as err:
        _sheet(data)
    assert err.value.file.endswith("fy2019.csv")


def test_text_that_reads_as_a_formula_is_neutralised(tmp_path, fy2019):
    sheet, _ = fy2019
    rows = sheet.rows.copy()
    rows.loc[0, "plan"] = '=HYPERLINK("http://x")'
    bad = sc.ProgressSheet(sheet.fiscal_year, sheet.as_of, rows)
    path = sc.write_progress_sheet(bad, tmp_path / "x.xlsx")
    assert load_workbook(path).active["A4"].value == '\'=HYPERLINK("http://x")'


def test_sheet_html_and_repr(fy2019):
    sheet, _ = fy2019
    page = sheet.to_html()
    assert page.count('<th colspan="4">') == 2
    assert "令和元年度に116所属で利用され" in page and "<br>" in page
    assert repr(sheet) == (
        f"ProgressSheet(令和元年度 進捗状況（令和2年3月末時点）: 7 initiatives, "
        f"{FY2019_TO_FILL} lines 【要記入】)"
    )
    assert list(sheet.summary().columns) == ["テーマ", "取組", *sheet.headers]
