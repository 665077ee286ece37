"""The progress sheet in the report: named by its year, listed, kept and replaced with 03."""

import json

import pytest
from openpyxl import load_workbook
from scorecard_helpers import fy2020_sample_data, fy2020_scorecard_files

from evalkit import EvalkitError
from evalkit.report import main, run_report

MANIFEST_NAME = ".evalkit-report.json"
SHEET_PARAMETERS = "data_dir = None\nkpi_csv = None\nfiscal_year = 2019\nprogress_sheet = None"


def _files(out, stem):
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    return manifest["notebooks"][stem]["files"]


def test_the_sheet_is_named_by_the_year_listed_and_linked(notebook, fake_kernel, tmp_path):
    nb = notebook("03_sc.ipynb", SHEET_PARAMETERS)
    out = tmp_path / "out"
    run_report(notebooks=[nb], out_dir=out)
    assert (out / "progress_sheet_fy2019.xlsx").read_text(encoding="utf-8") == "sheet of None"
    assert "progress_sheet_fy2019.xlsx" in _files(out, "03_sc")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '進捗状況シート <a href="progress_sheet_fy2019.xlsx">' in index
    # the page shows where it went relative to the output folder, never the build folder
    page = (out / "03_sc.code.html").read_text(encoding="utf-8")
    assert "progress_sheet_fy2019.xlsx" in page and ".evalkit-build-" not in page


def test_a_subset_run_keeps_the_sheet_and_a_rerun_replaces_it(notebook, fake_kernel, tmp_path):
    a = notebook("01_a.ipynb")
    sc = notebook("03_sc.ipynb", SHEET_PARAMETERS)
    out = tmp_path / "out"
    run_report(notebooks=[a, sc], out_dir=out)
    run_report(notebooks=[a], out_dir=out)  # another notebook: the sheet stays
    assert (out / "progress_sheet_fy2019.xlsx").exists()
    assert "progress_sheet_fy2019.xlsx" in _files(out, "03_sc")
    run_report(notebooks=[sc], out_dir=out, parameters={"fiscal_year": 2020})
    assert fake_kernel.calls["03_sc.ipynb"]["progress_sheet"].endswith("progress_sheet_fy2020.xlsx")
    assert (out / "progress_sheet_fy2020.xlsx").read_text(encoding="utf-8") == "sheet of 2020"
    assert not (out / "progress_sheet_fy2019.xlsx").exists()  # its notebook's file, replaced
    assert "progress_sheet_fy2020.xlsx" in _files(out, "03_sc")


def test_a_notebook_without_the_parameter_gets_no_sheet(notebook, fake_kernel, tmp_path):
    nb = notebook("01_a.ipynb")
    run_report(notebooks=[nb], out_dir=tmp_path / "out")
    assert "progress_sheet" not in fake_kernel.calls["01_a.ipynb"]
    assert not list((tmp_path / "out").glob("progress_sheet_*"))


def test_the_sheet_parameter_is_the_reports_own(notebook, no_kernel, tmp_path):
    nb = notebook("03_sc.ipynb", SHEET_PARAMETERS)
    with pytest.raises(EvalkitError, match="parameter 'progress_sheet', value 'x.xlsx'"):
        run_report(
            notebooks=[nb], out_dir=tmp_path / "out", parameters={"progress_sheet": "x.xlsx"}
        )


def test_a_sheet_someone_else_wrote_is_not_overwritten(notebook, no_kernel, tmp_path):
    nb = notebook("03_sc.ipynb", SHEET_PARAMETERS)
    out = tmp_path / "out"
    out.mkdir()
    (out / "progress_sheet_fy2019.xlsx").write_text("mine", encoding="utf-8")
    with pytest.raises(EvalkitError, match="progress_sheet_fy2019.xlsx"):
        run_report(notebooks=[nb], out_dir=out)
    assert (out / "progress_sheet_fy2019.xlsx").read_text(encoding="utf-8") == "mine"


def test_a_fy2020_report_drafts_the_fy2020_sheet(tmp_path):
    # The real notebook 03 on FY2020 data: the sample moved on by a year, the
    # scorecard files derived from FY2019's with results and statements blanked.
    data = fy2020_scorecard_files(fy2020_sample_data(tmp_path / "data"))
    out = tmp_path / "out"
    argv = ["report", "--data", str(data), "-p", "fiscal_year=2020", "--notebook", "03"]
    assert main([*argv, "--out", str(out)]) == 0
    ws = load_workbook(out / "progress_sheet_fy2020.xlsx").active
    assert ws["A1"].value == "令和2年度 進捗状況（令和3年3月末時点）"
    progress = "\n".join(str(ws.cell(r, 3).value or "") for r in range(3, ws.max_row + 1))
    assert "令和2年度に116所属で利用され" in progress
    assert "【要記入】" in progress and "令和元年" not in progress
    page = (out / "03_scorecard.html").read_text(encoding="utf-8")
    assert "令和2年度 進捗状況（令和3年3月末時点）" in page
