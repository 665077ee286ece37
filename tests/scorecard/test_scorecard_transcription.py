"""The report the data/scorecard files are transcribed from, against the files.

Every item and line of the report's progress columns (進捗状況) is quoted in
the files, by one convention (tests/reference/README.md).
"""

from __future__ import annotations

import re

import pandas as pd
from scorecard_helpers import report_progress_cells


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _file_text() -> str:
    from evalkit.datasets import data_path

    parts = []
    for name in ("fy2019_indicators.csv", "fy2019_milestones.csv", "platform_migration.csv"):
        parts.append(data_path("scorecard", name).read_text(encoding="utf-8"))
    return _squash("\n".join(parts))


def test_every_progress_item_of_the_report_is_in_the_files():
    # Report: the ○ lines of the two 進捗状況 columns, counted by hand:
    # 3 + 4 + 2 + 2 under 庁内のＩＴ化推進, 1 + 5 + 5 under 市町村のＩＴ化支援.
    items = [line for cell in report_progress_cells() for line in cell if line.startswith("○")]
    assert len(items) == (3 + 4 + 2 + 2) + (1 + 5 + 5)
    assert (
        "○令和２年度参加予定のシステムについては、システム移行に伴う予算要求等を支援するとともに、"
        in items[8]
    )
    files = _file_text()
    # The files drop the ○ mark (data/scorecard/README.md) and join lines with spaces.
    missing = [line for line in items if _squash(line.removeprefix("○")) not in files]
    assert missing == []


def test_every_line_of_the_progress_columns_is_quoted_with_its_bullet():
    # Every line of the progress columns but the headings (■..., （目標の達成状況など）)
    # is in the files as written, ・ and ⇒ included (only ○ is dropped).
    files = _file_text()
    lines = [
        _squash(line).removeprefix("○")
        for cell in report_progress_cells()
        for line in cell
        if _squash(line) and not _squash(line).startswith(("■", "（目標の達成状況など）"))
    ]
    assert sum(line.startswith("・") for line in lines) == 8
    assert [line for line in lines if line not in files] == []


def test_quoted_statements_follow_one_convention(indicators, milestones):
    # ○ is dropped, ・ kept: no quoted statement starts with ○, and every
    # statement the report opens with ・ (・職員の業務効率の向上, ・導入拡大を見据えた運用検討 ...)
    # starts with it in the file.
    texts = pd.concat([indicators["actual_text"], milestones["progress_text"]])
    assert not texts.str.contains("○").any()
    bulleted = {
        _squash(line).split("⇒")[0]
        for cell in report_progress_cells()
        for line in cell
        if line.startswith("・")
    }
    for text in texts[texts != ""]:
        head = _squash(text).removeprefix("・")
        for b in bulleted:
            if head.startswith(b.removeprefix("・")):
                assert _squash(text).startswith("・"), text


def test_rpa_a2_is_not_given_a_statement_that_does_not_address_it(indicators):
    # Report, RPA progress: ・導入拡大を見据えた運用検討 (selection policy, roles,
    # business cycle), ・追加適用候補となる業務の選定, ・ＲＰＡ導入による業務効率化;
    # nothing on 実運用上での課題の抽出と解決.
    row = indicators.set_index("indicator_id").loc["rpa.a2"]
    assert (row["actual_source"], row["actual_text"]) == ("none", "")
    assert "states nothing" in row["note"]
    a1 = indicators.set_index("indicator_id").loc["rpa.a1", "actual_text"]
    assert a1.startswith("・導入拡大を見据えた運用検討 ⇒")
