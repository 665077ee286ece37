"""Per-year published figures (published/fy<YEAR>.csv) and finding data files as .csv or .xlsx."""

import shutil

import pandas as pd
import pytest

from evalkit import EvalkitError, kpi_row
from evalkit.datasets import (
    data_file,
    data_path,
    load_published,
    load_rpa_trial,
    published_file_name,
)

# The FY2019 report (tests/reference/fy2019_it_progress_report.txt): the figures
# the notebooks compare with, as the report writes them.
REPORT = {
    "voice_recognition.departments": (116, 0, "所属"),
    "voice_recognition.mean_saved_per_month": (62, 0, "時間/月"),
    "voice_recognition.satisfaction_rate": (83.87, 2, "%"),
    "rpa.saved": (1800, -2, "時間"),
    "rpa.rate": (84, 0, "%"),
    "rpa.candidate_tasks": (3, 0, "業務"),
    "rpa.candidate_departments": (3, 0, "所属"),
    "common_platform.migrated": (30, 0, "システム"),
}


def test_fy2019_file_holds_the_report_figures():
    p = load_published(2019)
    assert p.found and p.path.name == "fy2019.csv"
    got = {k: (r.value, r.decimals, r.unit) for k, r in p.table.iterrows()}
    assert got == REPORT
    assert p.by_indicator() == {"voice_recognition.o3": (83.87, 2), "rpa.o2": (84.0, 0)}


def test_every_published_text_is_quoted_from_the_report():
    from pathlib import Path

    report = (
        Path(__file__).resolve().parents[1] / "reference" / "fy2019_it_progress_report.txt"
    ).read_text(encoding="utf-8")
    for key, text in load_published(2019).table["text"].items():
        assert text in report, key


def test_kpi_converts_percent_to_ratio_and_the_reproduced_check_uses_it():
    p = load_published(2019)
    assert p.kpi("rpa.rate", unit="ratio") == {"published": 0.84, "published_decimals": 2}
    assert p.kpi("rpa.saved") == {"published": 1800.0, "published_decimals": -2}
    row = kpi_row("RPA", "削減率", value=0.83998, unit="ratio", **p.kpi("rpa.rate", unit="ratio"))
    assert row["reproduced"] is True
    with pytest.raises(EvalkitError, match="'所属', not %"):
        p.kpi("voice_recognition.departments", unit="ratio")


def test_a_year_without_a_file_has_no_published_figures(tmp_path):
    p = load_published(2020, tmp_path)
    assert not p.found and p.table.empty
    assert p.kpi("rpa.rate", unit="ratio") == {"published": None, "published_decimals": None}
    assert p.by_indicator() == {}
    assert "令和2年度の公表値のファイル（published/fy2020.csv）がない" in p.note()
    row = kpi_row("RPA", "削減率", value=0.84, unit="ratio", **p.kpi("rpa.rate", unit="ratio"))
    assert row["published"] is None and row["reproduced"] is None


def test_published_file_from_an_excel_workbook_in_a_data_folder(tmp_path):
    folder = tmp_path / "published"
    folder.mkdir()
    table = pd.read_csv(data_path("published", "fy2019.csv"))
    table.columns = ["キー", "取組", "指標", "公表値", "単位", "桁", "指標ID", "公表文"]
    assert published_file_name(2021) == "fy2021.csv"  # the documented name; a workbook also does
    table.to_excel(folder / "fy2021.xlsx", index=False)
    p = load_published(2021, tmp_path)
    assert p.path.name == "fy2021.xlsx"
    assert p.kpi("voice_recognition.satisfaction_rate", unit="ratio")["published"] == 0.8387


def test_a_key_written_twice_is_refused_naming_both_rows(tmp_path):
    (tmp_path / "published").mkdir()
    path = tmp_path / "published" / "fy2019.csv"
    text = data_path("published", "fy2019.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(EvalkitError) as info:
        load_published(2019, tmp_path)
    message = str(info.value)
    assert "fy2019.csv" in message and "voice_recognition.departments" in message


def test_data_file_finds_csv_or_xlsx_and_refuses_both(tmp_path):
    rpa = tmp_path / "rpa"
    rpa.mkdir()
    with pytest.raises(EvalkitError) as info:
        data_file(tmp_path, "rpa", "trial_runs.csv")
    assert "trial_runs.csv or trial_runs.xlsx not found" in str(info.value)
    assert data_file(tmp_path, "rpa", "trial_runs.csv", required=False) is None

    load_rpa_trial().assign(month=lambda d: d["month"].astype(str)).to_excel(
        rpa / "trial_runs.xlsx", index=False
    )
    found = data_file(tmp_path, "rpa", "trial_runs.csv")
    assert found == rpa / "trial_runs.xlsx"
    pd.testing.assert_frame_equal(load_rpa_trial(found), load_rpa_trial())

    shutil.copy(data_path("rpa", "trial_runs.csv"), rpa)
    with pytest.raises(EvalkitError, match="trial_runs.csv and trial_runs.xlsx are both in"):
        data_file(tmp_path, "rpa", "trial_runs.csv")


def test_data_file_without_a_folder_is_the_shipped_sample():
    assert data_file(None, "rpa", "trial_runs.csv") == data_path("rpa", "trial_runs.csv")
