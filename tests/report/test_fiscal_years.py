"""A run for another fiscal year: FY2020 from FY2020 data alone, titled and labelled by its year.

The FY2020 folder is the sample data moved on by twelve months (so every figure
must equal FY2019's), partly as Excel workbooks, with the next year's candidates
under their FY2021 name and neither published figures nor scorecard files.
"""

import re

import pandas as pd
import pytest
from scorecard_helpers import fy2020_sample_data

import evalkit as ek
from evalkit.report import main
from evalkit.report.sheets import read_kpi_csv


def _report_fy2020(data, out, *notebooks):
    """``evalkit report --data DATA -p fiscal_year=2020 --notebook NB... --out OUT``."""
    chosen = [arg for nb in notebooks for arg in ("--notebook", nb)]
    return main(
        ["report", "--data", str(data), "-p", "fiscal_year=2020", *chosen, "--out", str(out)]
    )


@pytest.fixture(scope="module")
def fy2020(tmp_path_factory):
    root = tmp_path_factory.mktemp("fy2020")
    data = root / "data"
    fy2020_sample_data(data)
    # two of the files as Excel workbooks, as an analyst may keep them
    for name in ("voice_recognition/minutes_work", "rpa/candidates_fy2021"):
        csv = data / f"{name}.csv"
        pd.read_csv(csv, dtype=str).to_excel(data / f"{name}.xlsx", index=False)
        csv.unlink()
    out = root / "out"
    status = _report_fy2020(data, out, "01", "02")
    assert status == 0
    return data, out


def test_fy2020_figures_equal_fy2019s_on_data_moved_by_a_year(fy2020):
    _, out = fy2020
    summary = read_kpi_csv(out / "summary.csv")
    by_name = summary.set_index("indicator")["value"]
    # the FY2019 figures, computed here from the shipped sample data
    minutes = ek.datasets.load_minutes_work()
    saved = ek.reduction(
        minutes,
        before="hours_before",
        after="hours_after",
        unit="department",
        period="month",
        periods=ek.fiscal_months(2019),
    )
    assert by_name["ひと月あたり平均削減時間（全庁）"] == pytest.approx(
        saved.mean_saved_per_period, rel=1e-9
    )
    assert by_name["利用所属数"] == 116
    rpa = ek.reduction(
        ek.datasets.load_rpa_trial(), before="hours_before", after="hours_after", unit="task"
    )
    assert by_name["削減率（全体）"] == pytest.approx(rpa.rate, rel=1e-9)


def test_fy2020_has_no_published_figures_and_says_so(fy2020):
    _, out = fy2020
    summary = read_kpi_csv(out / "summary.csv")
    assert summary["published"].isna().all()
    assert summary["reproduced"].isna().all()
    for page in ("01_voice_recognition.html", "02_rpa_trial.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert "令和2年度の公表値のファイル（published/fy2020.csv）がない" in text
        assert "公表値との一致" not in text  # no comparison announced with nothing to compare


def test_fy2020_pages_and_labels_carry_the_year(fy2020):
    _, out = fy2020
    for page in (
        "01_voice_recognition.html",
        "02_rpa_trial.html",
        "01_voice_recognition.code.html",
    ):
        text = (out / page).read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", text)[1]
        h1 = re.search(r"<h1>(.*?)</h1>", text)[1]
        assert "令和2年度" in title and title == h1, page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<h1>evalkit 報告書：主要指標の要点（令和2年度）</h1>" in index
    indicators = set(read_kpi_csv(out / "summary.csv")["indicator"])
    # the candidates are for the year after FY2020
    assert {"令和3年度の追加業務数", "令和3年度の追加業務の所属数"} <= indicators
    assert not any("令和2年度の追加" in name for name in indicators)


def test_fy2020_pages_name_data_files_relative_to_the_folder(fy2020):
    data, out = fy2020
    for page in out.glob("*.html"):
        assert str(data) not in page.read_text(encoding="utf-8"), page.name


def test_scorecard_without_that_years_files_stops_naming_them(fy2020, tmp_path, capsys):
    data, _ = fy2020
    status = _report_fy2020(data, tmp_path / "out", "03")
    assert status == 1
    err = capsys.readouterr().err
    assert "scorecard/fy2020_indicators.csv" in err
    assert "scorecard/fy2020_milestones.csv" in err
    assert "令和2年度のスコアカード" in err


def test_the_shipped_notebooks_read_published_figures_from_the_year_file():
    from pathlib import Path

    import nbformat

    notebooks = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("0*.ipynb"))
    assert len(notebooks) == 4
    for path in notebooks:
        nb = nbformat.read(str(path), as_version=4)
        params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        assert "published" not in params.source, path.name
        assert "load_published(fiscal_year" in "".join(c.source for c in nb.cells), path.name
        heading = next(c for c in nb.cells if c.cell_type == "markdown").source.splitlines()[0]
        assert not re.search(r"令和|平成|20\d\d", heading), (path.name, heading)
