"""Tests of evalkit.scorecard.platform: platform_progress against the report."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evalkit.errors import EvalkitError
from evalkit.scorecard import (
    load_platform_migration,
    platform_progress,
)


def test_platform_progress_from_the_report():
    pp = platform_progress()
    # Report: 利用開始済 ５システム; ４月から９月 ４; 10月から３月 26; 全体 53;
    # "30システムについて、移行が完了" at the end of March.
    assert [str(p) for p in pp["period"]] == ["2019-03", "2019-09", "2020-03"]
    assert pp["planned"].tolist() == [5, 5 + 4, 5 + 4 + 26]
    assert pp["actual"].iloc[0] == 5 and pp["actual"].iloc[2] == 5 + 30
    assert math.isnan(pp["actual"].iloc[1])  # no interim count in the report
    assert (pp["all_systems"] == 53).all()


def test_platform_progress_checks_timing_against_period_end():
    pm = load_platform_migration()
    bad = pm.copy()
    bad.loc[1, "period_end"] = pd.Period("2019-08", "M")
    with pytest.raises(EvalkitError) as err:
        platform_progress(bad)
    assert (err.value.row, err.value.column, err.value.value) == (3, "period_end", "2019-08")


def test_platform_progress_without_a_final_count_has_no_actual():
    pm = load_platform_migration()
    out = platform_progress(pm[pm["kind"] != "migrated"])
    assert out["actual"].iloc[0] == 5 and out["actual"].iloc[1:].isna().all()
    assert out["planned"].tolist() == [5, 9, 35]


def test_platform_bad_cells(tmp_path):
    pm = load_platform_migration()
    bad = pm.astype({"period_end": "str", "systems": "str"})
    bad.loc[2, "systems"] = "-3"
    path = tmp_path / "platform_migration.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(EvalkitError, match=r"platform_migration.csv, row 4, column 'systems'"):
        load_platform_migration(path)
    with pytest.raises(EvalkitError, match=r"row 3, column 'kind', value 'running'"):
        platform_progress(pd.concat([pm.iloc[[0]], pm.iloc[[0]]], ignore_index=True))
