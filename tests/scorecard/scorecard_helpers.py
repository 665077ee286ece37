"""Rows and frames the scorecard tests build: the report's timings, one indicator, one step."""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalkit.scorecard import Actual, evaluate_indicators

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
