"""The report command: parameters reach notebooks, pages open offline, failures name the cell."""

import re

import pandas as pd
import pytest
from report_helpers import KPI_CELL, write_notebook

from evalkit import EvalkitError
from evalkit.report import export_html, main, parse_parameter, run_report
from evalkit.report.kpis import KPI_COLUMNS

PARAMS = 'data_dir = "unused"\nkpi_csv = None\nthreshold = 0.5'


def _notebook(path, *cells):
    return write_notebook(path, PARAMS, *cells)


def test_parse_parameter_reads_literals_and_keeps_strings():
    assert parse_parameter("x=0.75") == ("x", 0.75)
    assert parse_parameter("flag=True") == ("flag", True)
    assert parse_parameter("path=data/fy2020") == ("path", "data/fy2020")
    with pytest.raises(EvalkitError, match="value 'novalue': a parameter is written name=value"):
        parse_parameter("novalue")


def test_report_writes_pages_notebooks_and_summary(tmp_path, capsys):
    nb = _notebook(tmp_path / "01_demo.ipynb", KPI_CELL)
    out = tmp_path / "out"
    status = main(["report", "--notebook", str(nb), "--out", str(out), "-p", "threshold=0.85"])
    assert status == 0
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary.columns) == ["notebook", *KPI_COLUMNS]
    # the -p value reached the notebook: 0.8 against 0.85 is not met
    assert summary.loc[0, "target"] == 0.85
    assert not summary.loc[0, "met"]
    assert (out / "notebooks" / "01_demo.ipynb").exists()
    page = (out / "01_demo.html").read_text(encoding="utf-8")
    assert "テスト施策" in page
    assert "[1/1] 01_demo.ipynb" in capsys.readouterr().err


def test_html_page_fetches_nothing_from_a_network(tmp_path):
    nb = _notebook(tmp_path / "01_demo.ipynb", "1 + 1")
    page = export_html(nb, tmp_path / "page.html").read_text(encoding="utf-8")
    assert not re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert not re.findall(r"""import\(\s*["']https?:""", page)
    assert "<script src=" not in page


def test_failing_notebook_exits_nonzero_naming_notebook_and_cell(tmp_path, capsys):
    nb = _notebook(tmp_path / "02_broken.ipynb", "x = 1", "raise ValueError('bad data')")
    status = main(["report", "--notebook", str(nb), "--out", str(tmp_path / "out")])
    assert status == 1
    err = capsys.readouterr().err
    assert "02_broken.ipynb" in err
    assert re.search(r"cell \d+", err)
    assert "ValueError: bad data" in err


def test_run_report_without_notebooks_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("EVALKIT_NOTEBOOKS", str(tmp_path))
    with pytest.raises(EvalkitError, match="no notebooks"):
        run_report(out_dir=tmp_path / "out")


def test_pages_embed_the_japanese_glyphs_they_use(tmp_path):
    import base64
    import io

    from fontTools.ttLib import TTFont

    nb = _notebook(tmp_path / "01_demo.ipynb", "print('満足度 83.87％、削減時間 1,800時間')")
    page = export_html(nb, tmp_path / "page.html").read_text(encoding="utf-8")
    m = re.search(
        r'font-family:"evalkit-ja";src:url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)', page
    )
    assert m, "no embedded font"
    font = TTFont(io.BytesIO(base64.b64decode(m.group(1))))
    covered = set(font.getBestCmap())
    used = {ord(c) for c in re.sub(r"<style>@font-face.*?</style>", "", page, flags=re.S)}
    missing = sorted(chr(c) for c in used if c > 0x7F and c not in covered)
    # characters the bundled font itself lacks cannot be embedded; Japanese must all be there
    assert not [c for c in missing if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef"]
    assert "満" in page and ord("満") in covered


def test_ascii_page_is_left_as_it_is():
    from evalkit.report import embed_japanese_font

    page = "<html><head></head><body>plain</body></html>"
    assert embed_japanese_font(page) == page
