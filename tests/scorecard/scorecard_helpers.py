"""Rows and frames the scorecard tests build: the report's timings, one indicator, one step,
and a FY2020 data folder derived from the FY2019 sample."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from evalkit.scorecard import Actual, evaluate_indicators

#: The FY2019 report as extracted text (tests/reference/README.md).
REPORT_TEXT = Path(__file__).parents[1] / "reference" / "fy2019_it_progress_report.txt"


def report_progress_cells() -> list[list[str]]:
    """The report's progress columns (進捗状況): the text cells that hold ○ items.

    In the extracted text a cell starts with a line that starts with a tab;
    only the two progress columns have lines starting with ○.
    """
    cells: list[list[str]] = [[]]
    for line in REPORT_TEXT.read_text(encoding="utf-8").splitlines():
        if line.startswith("\t"):
            cells.append([])
        cells[-1].append(line)
    return [c for c in cells if any(line.startswith("○") for line in c)]


# Every timing of the report's seven （スケジュール） blocks, in order, as written.
REPORT_SCHEDULE_TIMINGS = [
    "31年4月", "９月", "2年　３月",
    "元年５～６月", "７月", "９月", "２年３月",
    "４月から９月", "10月から３月",
    "随時", "年４回程度",
    "元年７月まで", "適宜",
    "31年４月~５月", "元年10月", "随時",
    "元年５月～８月", "９月～１月", "２月～",
]  # fmt: skip


def _indicator(**over):
    row = {
        "theme": "庁内のＩＴ化推進",
        "initiative_id": "rpa",
        "initiative": "RPAの試行導入",
        "indicator_id": "rpa.x1",
        "kind": "outcome",
        "indicator": "業務削減時間：80％以上",
        "target_kind": "numeric",
        "target_value": 80.0,
        "target_direction": ">=",
        "target_unit": "%",
        "actual_value": np.nan,
        "actual_unit": "%",
        # a report row quotes the report's statement (data/scorecard/README.md)
        "actual_text": "・ＲＰＡ導入による業務効率化",
        "actual_source": "report",
        "note": "",
    }
    row.update(over)
    return pd.DataFrame([row])


def _milestone(planned, actual="", done="yes", **over):
    row = {
        "theme": "市町村のＩＴ化支援",
        "initiative_id": "lgwan",
        "initiative": "LGWAN府域ネットワークの更新の支援",
        "milestone_id": "lgwan.x1",
        "planned_timing": planned,
        "step": "更新",
        "progress_text": "",
        "actual_timing": actual,
        "done": done,
        "note": "",
    }
    row.update(over)
    return pd.DataFrame([row])


def _judged(direction=">=", actual=83.87, ci=(75.08, 89.97), target=70.0, unit="%"):
    frame = _indicator(
        target_value=target,
        target_direction=direction,
        target_unit=unit,
        actual_unit=unit,
        actual_source="computed:x.y",
    )
    act = Actual(actual, unit, ci)
    return evaluate_indicators(frame, actuals={"x.y": act})


def _era_year_moved_on(timing: str) -> str:
    """A timing of FY2019 written for FY2020: 31年 and 元年 become 2年, n年 becomes n+1年."""
    text = unicodedata.normalize("NFKC", timing)

    def move(m: re.Match) -> str:
        year = m[1]
        return f"{2 if year in ('31', '元') else int(year) + 1}年"

    return re.sub(r"(元|\d+)年", move, text)


def fy2020_sample_data(data: Path) -> Path:
    """The sample data moved on by twelve months, in ``data`` laid out like data/."""
    import evalkit as ek

    for folder in ("voice_recognition", "rpa"):
        (data / folder).mkdir(parents=True, exist_ok=True)
    for loader, name in (
        (ek.datasets.load_minutes_work, "voice_recognition/minutes_work.csv"),
        (ek.datasets.load_rpa_trial, "rpa/trial_runs.csv"),
    ):
        frame = loader()
        frame["month"] = (frame["month"] + 12).astype(str)
        frame.to_csv(data / name, index=False)
    shutil.copy(
        ek.datasets.data_path("voice_recognition", "satisfaction_survey.csv"),
        data / "voice_recognition",
    )
    ek.datasets.load_rpa_candidates().to_csv(data / "rpa" / "candidates_fy2021.csv", index=False)
    return data


def fy2020_scorecard_files(data: Path) -> Path:
    """FY2020 scorecard files in ``data/scorecard``, derived from FY2019's.

    Years moved on; results and statements blanked: report statements
    become 'none', steps 'not stated' without statement or month (but the
    first, reported done without a month), the plan's progress items and
    the migration count dropped.
    """
    from evalkit import scorecard as sc

    (data / "scorecard").mkdir(parents=True, exist_ok=True)
    ind = sc.load_indicators()
    quoted = ind["actual_source"] == "report"
    ind.loc[quoted, "actual_source"] = "none"
    ind.loc[quoted, "actual_value"] = float("nan")
    ind["actual_text"] = ""
    ind.to_csv(data / "scorecard" / "fy2020_indicators.csv", index=False)
    ms = sc.load_milestones()
    ms["planned_timing"] = ms["planned_timing"].map(_era_year_moved_on)
    ms[["progress_text", "actual_timing"]] = ""
    ms["done"] = "not stated"
    ms.loc[0, "done"] = "yes"  # reported done, month not given
    ms.to_csv(data / "scorecard" / "fy2020_milestones.csv", index=False)
    plans = sc.load_plans()
    plans[plans["section"] != "progress"].to_csv(
        data / "scorecard" / "fy2020_plans.csv", index=False
    )
    pm = sc.load_platform_migration()
    pm["period_end"] = pm["period_end"] + 12
    pm[pm["kind"] != "migrated"].to_csv(data / "scorecard" / "platform_migration.csv", index=False)
    return data
