"""Report pages and files: result first, two pages per notebook, Excel-ready, provenance, clean.

Most tests use a stand-in for papermill that writes the executed notebook as
papermill does (an ``injected-parameters`` cell with the absolute paths it
was given) and a key-figure table chosen by the test, so they run in well
under a second each; one test runs a real kernel.
"""

import csv
import hashlib
import html
import json
import re
import subprocess
import sys
import textwrap

import nbformat
import pandas as pd
import pytest
from report_helpers import write_notebook

from evalkit import EvalkitError, __version__
from evalkit.report import main, run_report
from evalkit.report.kpis import KPI_COLUMNS, kpi_row, kpi_table

PARAMS = "data_dir = None\nkpi_csv = None\nconfidence = 0.95\nthreshold = 0.7\nlabel = 'x'"
VERDICT = "満足度は 83.87%。目標 70% を達成。信頼区間の下限も目標以上です。"

ROWS = [
    kpi_row(
        "音声認識技術の導入",
        "利用所属における満足度",
        value=78 / 93,
        ci=(0.7508, 0.8997),
        unit="ratio",
        target=0.7,
        published=0.8387,
        published_decimals=4,
    ),
    kpi_row("音声認識技術の導入", "利用所属数", value=116, unit="departments"),
    kpi_row(
        "音声認識技術の導入",
        "ひと月あたり平均削減時間",
        value=61.96,
        ci=(49.6964, 83.498),
        unit="hours/month",
        published=62,
        published_decimals=0,
    ),
    kpi_row("RPAの試行導入", "業務削減時間", value=1800.0000000000002, unit="hours"),
    kpi_row("RPAの試行導入", "人件費換算", value=7_200_000.0, unit="yen"),
    kpi_row("RPAの試行導入", "削減率", value=0.79, ci=(0.7, 0.85), unit="ratio", target=0.8),
    kpi_row("LGWAN", "運用開始", value=None),
]


def _source(path, *, verdict=VERDICT, heading="# 満足度の評価（令和元年度）"):
    """A notebook: a heading, the parameters cell, a cell tagged ``verdict`` with its output."""
    write_notebook(path, PARAMS, "print('verdict')", "x = 1")
    nb = nbformat.read(str(path), as_version=4)
    nb.cells[0].source = f"{heading}\n\n本文の説明。"
    cell = nb.cells[2]
    if verdict is not None:
        cell.metadata["tags"] = ["verdict"]
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=verdict + "\n")]
    chart = nb.cells[3]
    chart.outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": "<Axes: >"}, execution_count=3)
    ]
    nbformat.write(nb, str(path))
    return path


@pytest.fixture
def kernel(monkeypatch):
    """Stand-in for papermill: an ``injected-parameters`` cell as papermill writes it
    (absolute paths, Japanese as ``\\uXXXX``), and the key figures ``rows[stem]``."""
    from evalkit.report import run

    rows = {}

    def fake(source, executed, parameters, sockets):
        nb = nbformat.read(str(source), as_version=4)
        at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
        code = "# Parameters\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in parameters.items())
        cell = nbformat.v4.new_code_cell(code)
        cell.metadata["tags"] = ["injected-parameters"]
        cell.outputs = [
            nbformat.v4.new_output("stream", name="stdout", text=f"{parameters.get('data_dir')}\n")
        ]
        nb.cells.insert(at + 1, cell)
        nb.metadata["papermill"] = {
            "input_path": str(source),
            "output_path": str(executed),
            "parameters": dict(parameters),
        }
        nbformat.write(nb, str(executed))
        if "kpi_csv" in parameters:
            kpi_table(rows.get(source.stem, ROWS)).to_csv(parameters["kpi_csv"], index=False)

    monkeypatch.setattr(run, "_execute", fake)
    return rows


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "令和2年度データ"
    (folder / "rpa").mkdir(parents=True)
    (folder / "rpa" / "trial_runs.csv").write_text("task,hours\n入力,1\n", encoding="utf-8")
    (folder / ".hidden.csv").write_text("x\n", encoding="utf-8")
    return folder


def _run(tmp_path, *names, data=None, params=(), **kwargs):
    folder = tmp_path / "src"
    folder.mkdir(exist_ok=True)
    paths = [
        p if (p := folder / name).exists() else _source(p, **kwargs)
        for name in (names or ["01_sat.ipynb"])
    ]
    out = tmp_path / "out"
    argv = ["report", "--out", str(out), *[a for p in paths for a in ("--notebook", str(p))]]
    if data is not None:
        argv += ["--data", str(data)]
    for p in params:
        argv += ["-p", p]
    assert main(argv) == 0
    return out


# -- pages ----------------------------------------------------------------------------------------


def test_two_pages_per_notebook_each_opening_with_the_key_figures(kernel, tmp_path, capsys):
    out = _run(tmp_path)
    free = (out / "01_sat.html").read_text(encoding="utf-8")
    code = (out / "01_sat.code.html").read_text(encoding="utf-8")
    for page in (free, code):
        assert '<html lang="ja">' in page
        assert "<title>満足度の評価（令和元年度）</title>" in page
        body = page.split("<main>", 1)[1]
        # the summary block comes first: before the notebook's own text
        assert body.index("要点") < body.index("本文の説明")
        top = body[: body.index("本文の説明")]
        assert VERDICT in top
        for shown in [
            "83.87 %",  # the ratio at its published precision (4 decimals)
            "75.08 %〜89.97 %",
            "70 %以上",
            "確実に達成",
            "116 所属",
            "62 時間/月",  # 61.96 at the published precision
            "1,800 時間",
            "7,200,000 円",
            "未達",
            "95 % 信頼区間",
        ]:
            assert shown in top, shown
        assert "定性的な指標 1 件" in top
        assert re.search(r"出典・再現情報.*evalkit のバージョン.*" + re.escape(__version__), page)
    # code-free: no input cell, no parameters cell, no chart repr; the full page has them
    assert "threshold = 0.7" not in free and "x = 1" not in free
    assert "&lt;Axes: &gt;" not in free
    assert "threshold" in code and "x" in code and "&lt;Axes: &gt;" in code
    assert 'href="01_sat.code.html"' in free and 'href="01_sat.html"' in code
    assert 'href="index.html"' in free


def test_without_a_verdict_cell_the_summary_has_no_verdict_text(kernel, tmp_path):
    out = _run(tmp_path, verdict=None)
    page = (out / "01_sat.html").read_text(encoding="utf-8")
    assert "要点" in page and "83.87 %" in page
    assert 'class="ek-verdict"' not in page


def test_index_opens_with_the_summary_of_every_notebook(kernel, tmp_path):
    kernel["02_rpa"] = [ROWS[3]]
    out = _run(tmp_path, "01_sat.ipynb", "02_rpa.ipynb")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in index
    top = index[: index.index("ノートブック (notebooks)")]
    assert top.count(VERDICT) == 2
    assert '<a href="01_sat.html">満足度の評価（令和元年度）</a>' in top
    assert "83.87 %" in top and "1,800 時間" in top and "確実に達成" in top
    assert 'href="01_sat.code.html"' in index
    assert "出典・再現情報" in index
    for page in ("index.html", "01_sat.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert "@page{size:A4 portrait" in text
        assert "img{max-width:100%" in text


def test_pages_and_executed_notebooks_hold_no_absolute_path(kernel, tmp_path, data_dir):
    out = _run(tmp_path, data=data_dir, params=["label='令和2年度'"])
    texts = {
        p.name: p.read_text(encoding="utf-8")
        for p in [*out.glob("*.html"), out / "notebooks" / "01_sat.ipynb", out / "provenance.json"]
    }
    for name, text in texts.items():
        assert str(tmp_path) not in text, name
        assert ".evalkit-build-" not in text, name
        assert "\\u4ee4" not in text, name  # 令 as text, not as an escape
    nb = nbformat.read(str(out / "notebooks" / "01_sat.ipynb"), as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "data_dir = '.'" in injected.source
    assert "kpi_csv = 'kpis/01_sat.csv'" in injected.source
    assert "label = '令和2年度'" in injected.source
    assert injected.outputs[0]["text"] == ".\n"  # the printed data folder, made relative
    assert nb.metadata["papermill"]["input_path"] == "01_sat.ipynb"
    assert nb.metadata["papermill"]["output_path"] == "notebooks/01_sat.ipynb"
    assert "<span class=\"s1\">'令和2年度'</span>" in texts["01_sat.code.html"]
    assert "令和2年度データ" in texts["01_sat.html"]  # the data folder's name, as text


def test_a_real_kernel_run_is_clean(tmp_path, capfd, data_dir):
    """papermill and a real kernel: no transport warning, no absolute path, Japanese as text."""
    nb = write_notebook(
        tmp_path / "01_real.ipynb",
        "data_dir = None\nkpi_csv = None\nlabel = 'x'",
        "print(data_dir, label)",
    )
    out = tmp_path / "out"
    argv = ["report", "--notebook", str(nb), "--out", str(out), "--data", str(data_dir)]
    assert main([*argv, "-p", "label='令和2年度'"]) == 0
    err = capfd.readouterr().err
    assert "TCP" not in err and "encryption" not in err and "Warning" not in err
    raw = (out / "notebooks" / "01_real.ipynb").read_text(encoding="utf-8")
    assert str(tmp_path) not in raw and "\\u4ee4" not in raw
    assert "label = '令和2年度'" in raw
    page = (out / "01_real.code.html").read_text(encoding="utf-8")
    assert str(tmp_path) not in page and ". 令和2年度" in page


# -- CSV, xlsx, provenance ------------------------------------------------------------------------

TRICKY = [
    kpi_row('=HYPERLINK("http://x")', "NA", value=-0.5, unit="ratio"),
    kpi_row("+施策", "@SUM(A1)", value=0.8387096774193549, unit="ratio"),
    kpi_row("施策", "-5 % の削減", value=1800.0000000000002, unit="hours"),
    kpi_row("施策", "\t隠れ", value=1.0, unit="cases"),
]


def test_csvs_are_utf8_with_bom_neutralised_and_read_back_with_pandas(kernel, tmp_path):
    kernel["01_sat"] = TRICKY
    out = _run(tmp_path)
    for rel in ("summary.csv", "kpis/01_sat.csv"):
        raw = (out / rel).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), rel
        text = raw.decode("utf-8-sig")
        assert "0.8387096774," in text and "0.83870967741935" not in text
        assert ",1800," in text and "1800.0000000000002" not in text
        cells = [c for row in csv.reader(text.splitlines()) for c in row]
        assert '\'=HYPERLINK("http://x")' in cells and "'+施策" in cells
        assert "'@SUM(A1)" in cells and "'-5 % の削減" in cells and "'\t隠れ" in cells
        assert "-0.5" in cells  # a negative number stays a number
        assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    # the read-back call README documents
    back = pd.read_csv(out / "summary.csv", keep_default_na=False, na_values=[""])
    assert list(back.columns) == ["notebook", *KPI_COLUMNS]
    assert back.loc[0, "indicator"] == "NA"
    assert back.loc[0, "value"] == -0.5 and back["value"].dtype == "float64"
    assert back.loc[2, "value"] == 1800.0
    # pandas' default reading loses the indicator NA: hence the documented call
    assert pd.isna(pd.read_csv(out / "summary.csv").loc[0, "indicator"])


def test_summary_xlsx_has_japanese_headers_formats_and_provenance(kernel, tmp_path, data_dir):
    from openpyxl import load_workbook

    from evalkit.report.figures import display_width

    kernel["02_rpa"] = TRICKY
    out = _run(tmp_path, "01_sat.ipynb", "02_rpa.ipynb", data=data_dir)
    wb = load_workbook(out / "summary.xlsx")
    assert wb.sheetnames == ["主要指標", "出典・再現情報"]
    ws = wb["主要指標"]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == [
        "ノートブック (notebook)",
        "取組 (initiative)",
        "指標 (indicator)",
        "値 (value)",
    ]
    assert ws.freeze_panes == "A2"
    col = {h.split(" (")[0]: i + 1 for i, h in enumerate(headers)}
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == len(ROWS) + len(TRICKY)
    sat = rows[0]
    assert sat[col["値"] - 1].value == pytest.approx(78 / 93, rel=1e-9)
    assert isinstance(sat[col["値"] - 1].value, float)
    assert sat[col["値"] - 1].number_format == "0.00%"  # 83.87 %
    assert sat[col["判定"] - 1].value == "確実に達成"
    assert sat[col["目標の向き"] - 1].value == "以上"
    assert sat[col["公表値の再現"] - 1].value == "一致"
    assert sat[col["単位"] - 1].value == "%"
    hours = rows[3]
    assert hours[col["値"] - 1].value == 1800  # 10 significant digits
    assert hours[col["値"] - 1].number_format == "#,##0"
    assert rows[5][col["判定"] - 1].value == "未達"
    tricky = rows[len(ROWS)]
    assert tricky[col["取組"] - 1].value == '\'=HYPERLINK("http://x")'
    assert tricky[col["取組"] - 1].data_type == "s"
    assert tricky[col["指標"] - 1].value == "NA"
    assert tricky[col["値"] - 1].value == -0.5 and tricky[col["値"] - 1].data_type == "n"
    # widths fit the widest text, wide characters counting 2
    widest = max(display_width(str(r[col["指標"] - 1].value or "")) for r in rows)
    assert ws.column_dimensions["C"].width >= widest
    prov = wb["出典・再現情報"]
    assert prov.freeze_panes == "A2"
    cells = [[c.value for c in r] for r in prov.iter_rows(min_row=2)]
    digest = hashlib.sha256((data_dir / "rpa" / "trial_runs.csv").read_bytes()).hexdigest()
    assert ["01_sat.ipynb", "データファイルの SHA-256", "rpa/trial_runs.csv", digest] in cells
    assert any(r[1].startswith("evalkit のバージョン") and r[3] == __version__ for r in cells)
    assert ["01_sat.ipynb", "パラメータ（既定値）", "threshold", 0.7] in cells


def test_provenance_json_records_version_parameters_and_data_files(kernel, tmp_path, data_dir):
    out = _run(tmp_path, data=data_dir, params=["threshold=0.75"])
    prov = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    rec = prov["notebooks"]["01_sat"]
    assert rec["evalkit_version"] == __version__ and prov["evalkit_version"] == __version__
    assert rec["parameters"] == {
        "data_dir": ".",
        "kpi_csv": "kpis/01_sat.csv",
        "confidence": 0.95,
        "threshold": 0.75,
        "label": "x",
    }
    assert sorted(rec["given"]) == ["data_dir", "kpi_csv", "threshold"]
    assert rec["data"]["name"] == "令和2年度データ"
    assert [f["path"] for f in rec["data"]["files"]] == ["rpa/trial_runs.csv"]  # hidden skipped
    source = tmp_path / "src" / "01_sat.ipynb"
    assert rec["notebook_sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$", rec["run_date"])
    page = html.unescape((out / "01_sat.html").read_text(encoding="utf-8"))
    assert rec["data"]["files"][0]["sha256"] in page
    assert 'evalkit report --notebook 01_sat --data データフォルダ -p "threshold=0.75"' in page


# -- --notebook by name, subset runs --------------------------------------------------------------


@pytest.fixture
def named(tmp_path, monkeypatch):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in ("01_sat", "02_rpa", "02_rpa_extra", "03_card"):
        _source(folder / f"{name}.ipynb")
    monkeypatch.setenv("EVALKIT_NOTEBOOKS", str(folder))
    return folder


@pytest.mark.parametrize(
    ("given", "stem"),
    [("01_sat", "01_sat"), ("01", "01_sat"), ("02_rpa", "02_rpa"), ("03", "03_card")],
)
def test_notebook_by_name_or_number(given, stem, named):
    from evalkit.report.run import resolve_notebook

    assert resolve_notebook(given) == named / f"{stem}.ipynb"


def test_ambiguous_or_unknown_names_are_refused(named, no_kernel, tmp_path, capsys):
    out = str(tmp_path / "out")
    assert main(["report", "--notebook", "02", "--out", out]) == 1
    err = capsys.readouterr().err
    assert "--notebook '02' is ambiguous: it names 02_rpa, 02_rpa_extra; give the full name" in err
    assert main(["report", "--notebook", "09", "--out", out]) == 1
    err = capsys.readouterr().err
    assert "--notebook '09': no notebook of that name" in err
    assert "01_sat, 02_rpa, 02_rpa_extra, 03_card" in err


def test_a_subset_run_rebuilds_index_summary_and_xlsx_from_the_folder(named, kernel, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "out"
    kernel["03_card"] = [ROWS[3]]
    run_report(notebooks=[named / "01_sat.ipynb", named / "03_card.ipynb"], out_dir=out)
    before = (out / "03_card.html").read_bytes()
    kernel["01_sat"] = [ROWS[0]]
    assert main(["report", "--notebook", "01", "--out", str(out)]) == 0
    assert (out / "03_card.html").read_bytes() == before
    table = pd.read_csv(out / "summary.csv", keep_default_na=False, na_values=[""])
    assert list(table["notebook"]) == ["01_sat.ipynb", "03_card.ipynb"]
    ws = load_workbook(out / "summary.xlsx")["主要指標"]
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == ["01_sat.ipynb", "03_card.ipynb"]
    prov = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert set(prov["notebooks"]) == {"01_sat", "03_card"}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "1,800 時間" in index and "83.87 %" in index
    assert "01_sat・今回の実行" in index and "03_card・以前の実行" in index


def test_a_notebook_named_like_a_page_with_code_is_refused(notebook, no_kernel, tmp_path):
    nb = notebook("01_a.code.ipynb")
    with pytest.raises(EvalkitError, match=r"NAME\.code\.html"):
        run_report(notebooks=[nb], out_dir=tmp_path / "out")


# -- the console ----------------------------------------------------------------------------------


def test_terminal_summary_aligns_japanese_by_display_width():
    from evalkit.report.cli import format_summary
    from evalkit.report.figures import display_width

    summary = kpi_table(ROWS)
    lines = format_summary(summary).splitlines()
    assert lines[0].split() == ["取組", "指標", "値", "信頼区間", "目標", "判定", "公表値", "再現"]
    # every column starts at the same display column on every line
    starts = [display_width(lines[0][: lines[0].index(h)]) for h in ("指標", "目標")]
    row = lines[1]
    assert display_width(row[: row.index("利用所属における満足度")]) == starts[0]
    assert display_width(row[: row.index("70 %以上")]) == starts[1]
    assert "83.87 %" in row and "確実に達成" in row and "一致" in row
    assert "定性的な指標 1 件" in lines[-1]


def test_a_cp932_console_gets_replacement_characters_not_an_error(tmp_path):
    """Run the command with a CP932 stdout and a key figure with U+2013 (not in CP932)."""
    nb = write_notebook(tmp_path / "01_dash.ipynb", "kpi_csv = None")
    script = textwrap.dedent(
        f"""
        import sys
        from evalkit.report import run
        from evalkit.report.kpis import kpi_row, kpi_table
        import nbformat

        def fake(source, executed, parameters, sockets):
            nbformat.write(nbformat.read(str(source), as_version=4), str(executed))
            row = kpi_row("施策", "満足度 2019–2020", value=0.8, unit="ratio")
            kpi_table([row]).to_csv(parameters["kpi_csv"], index=False)

        run._execute = fake
        from evalkit.report.cli import main
        sys.exit(main(["report", "--notebook", {str(nb)!r}, "--out", {str(tmp_path / "out")!r}]))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        env={**__import__("os").environ, "PYTHONIOENCODING": "cp932"},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode("cp932", "replace")
    out = done.stdout.decode("cp932")
    assert "満足度 2019?2020" in out and "80.0 %" in out
    assert "Traceback" not in done.stderr.decode("cp932", "replace")


def test_without_ipc_the_kernel_talks_encrypted_tcp_without_a_warning(tmp_path, monkeypatch, capfd):
    """Windows has no IPC sockets: the route it takes, run here on Linux."""
    import zmq

    from evalkit.report import run

    if not zmq.has("curve"):  # pragma: no cover - pyzmq wheels have CurveZMQ
        pytest.skip("pyzmq without CurveZMQ: plain TCP, and ipykernel's warning")
    monkeypatch.setattr(run, "_IPC", False)
    assert run._kernel_options(str(tmp_path))["kernel_manager_class"].__name__ == (
        "EncryptedKernelManager"
    )
    nb = write_notebook(tmp_path / "01_tcp.ipynb", "x = 1", "print(x + 1)")
    run._execute(nb, tmp_path / "done.ipynb", {"x": 2}, str(tmp_path))
    done = nbformat.read(str(tmp_path / "done.ipynb"), as_version=4)
    assert done.cells[-1].outputs[0]["text"] == "3\n"
    err = capfd.readouterr().err
    assert "without encryption" not in err and "WARNING" not in err
