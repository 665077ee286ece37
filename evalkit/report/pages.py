"""Report pages: executed notebooks as self-contained HTML that opens offline, and the index.

Each notebook gives two pages: ``NAME.html`` without code (markdown, outputs
and charts; no input cell, no parameters cell), the page the index links
first, and ``NAME.code.html`` with every cell. Both open with the summary
block (要点: the notebook's key figures with interval, target and verdict, and
its verdict text) and end with the provenance (出典・再現情報). Pages are in
Japanese (``<html lang="ja">``), titled with the notebook's first heading
and the fiscal year it ran for, and print on A4 portrait.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .figures import (
    format_figure,
    format_interval,
    format_target,
    reproduced_label,
    verdict_label,
)
from .provenance import format_run_date

__all__ = [
    "EMBEDDED_FONT_FAMILY",
    "PAGE_CSS",
    "code_page_name",
    "embed_japanese_font",
    "export_html",
    "page_title",
    "year_title",
    "verdict_text",
]

_TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Tag of the cell whose output is the notebook's verdict in plain Japanese.
VERDICT_TAG = "verdict"
#: Cells the code-free page leaves out.
_PARAMETER_TAGS = ("parameters", "injected-parameters")
# The text matplotlib returns for a chart (the chart itself is the image beside it).
_CHART_REPR = re.compile(r"^\s*<(?:Figure|Axes|matplotlib[.\w]*)\b[^>]*>\s*$")

#: Style of the summary block, the provenance, the index, and the print layout (A4 portrait).
PAGE_CSS = """
.ek-top{margin:0 0 1.2em 0}
.ek-top h1{font-size:1.7em;margin:.2em 0 .3em 0;line-height:1.3}
.ek-nav{font-size:.85em;margin:0 0 .6em 0;color:#444}
.ek-nav a{margin-right:1.2em}
.ek-summary{border:2px solid #3b5b8c;border-radius:6px;padding:.5em .9em .7em .9em;
 background:#f6f8fc;margin:.4em 0 1em 0}
.ek-summary h2{font-size:1.2em;margin:.1em 0 .4em 0;color:#1f3b66}
.ek-verdict{margin:.2em 0 .6em 0;line-height:1.55;font-size:1em}
.ek-verdict p{margin:.1em 0}
.ek-figures{border-collapse:collapse;font-size:.92em;width:100%;background:#fff}
.ek-figures th,.ek-figures td{border:1px solid #c8cfdb;padding:3px 7px;text-align:left;
 vertical-align:top}
.ek-figures thead th{background:#e4e9f2;font-weight:bold;white-space:nowrap}
.ek-figures td.ek-num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.ek-figures td.ek-flag{white-space:nowrap}
.ek-figures tr.ek-group th{background:#eef1f7;text-align:left;font-weight:normal}
.ek-figures tr.ek-group .ek-verdict{font-size:.92em;line-height:1.4;margin:.1em 0 0 0}
.ek-figures tr.ek-group a{font-weight:bold}
.ek-ok{color:#135e2a;font-weight:bold}
.ek-bad{color:#a11d1d;font-weight:bold}
.ek-na{color:#555}
.ek-note{font-size:.85em;color:#444;margin:.4em 0 0 0}
.ek-provenance{margin-top:2.5em;border-top:1px solid #bbb;padding-top:.5em;font-size:.9em}
.ek-provenance .ek-provenance{margin-top:.3em;border-top:0;padding-top:0}
.ek-provenance table{border-collapse:collapse;margin:.3em 0 .8em 0}
.ek-provenance th,.ek-provenance td{border:1px solid #ccc;padding:2px 6px;text-align:left;
 vertical-align:top}
.ek-provenance code{font-size:.85em;word-break:break-all}
.ek-index{font-family:var(--jp-content-font-family,sans-serif);margin:.8em 2em;color:#111}
.ek-index table.ek-all{border-collapse:collapse;font-size:.88em}
.ek-index table.ek-all th,.ek-index table.ek-all td{border:1px solid #ccc;padding:3px 6px;
 vertical-align:top}
.ek-index table.ek-all thead th{background:#e4e9f2;white-space:nowrap}
.ek-index li{margin:.25em 0}
.ek-index .ek-top h1{font-size:1.45em;margin:0 0 .2em 0}
.ek-index .ek-summary{padding:.3em .7em .5em .7em;margin-top:.2em}
.ek-index .ek-summary h2{font-size:1.05em;margin:0 0 .25em 0}
.ek-index .ek-figures{font-size:.84em}
.ek-index .ek-figures th,.ek-index .ek-figures td{padding:1px 6px}
.ek-index .ek-figures tr.ek-group .ek-verdict{font-size:1em;line-height:1.3}
.ek-index .ek-figures tr.ek-group .ek-verdict p{display:inline;margin:0 .4em 0 0}
img{max-width:100%;height:auto}
@page{size:A4 portrait;margin:14mm 12mm 16mm 12mm}
@media print{
 body{font-size:10pt}
 .jp-Notebook,.ek-index{margin:0!important;padding:0!important}
 main{padding:0!important}
 .ek-nav{display:none}
 img,svg{max-width:100%!important;height:auto!important}
 table{max-width:100%!important}
 th,td{white-space:normal!important;overflow-wrap:anywhere;word-break:break-word}
 .ek-figures td.ek-num,.ek-figures td.ek-flag{white-space:nowrap!important}
 pre{white-space:pre-wrap!important;overflow-wrap:anywhere}
 .jp-OutputArea-output,.jp-RenderedHTMLCommon{overflow:visible!important}
 .jp-RenderedHTMLCommon table{table-layout:auto;font-size:8.5pt}
 .ek-index table.ek-all{font-size:8pt}
 .ek-summary{break-inside:avoid}
 tr,img{break-inside:avoid}
 h1,h2,h3{break-after:avoid}
 a{color:inherit;text-decoration:none}
}
"""


def code_page_name(stem: str) -> str:
    """File name of the page with code (``NAME.code.html``)."""
    return f"{stem}.code.html"


# -- reading an executed notebook -----------------------------------------------------------------


def page_title(notebook, default: str = "") -> str:
    """The notebook's first heading (``# ...`` in a markdown cell), without markup.

    Examples
    --------
    >>> import nbformat
    >>> cell = nbformat.v4.new_markdown_cell("# **RPA** の効果\\n本文")
    >>> nb = nbformat.v4.new_notebook(cells=[cell])
    >>> page_title(nb, "02_rpa")
    'RPA の効果'
    """
    for cell in notebook.cells:
        if cell.get("cell_type") != "markdown":
            continue
        for line in cell.source.splitlines():
            m = re.match(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
            if m:
                return re.sub(r"[*_`]", "", m.group(1)).strip() or default
    return default


def year_title(title: str, fiscal_year: object) -> str:
    """``title`` with the fiscal year it was run for, unless it names that year already.

    Examples
    --------
    >>> year_title("RPA の試行導入：効果測定", 2020)
    'RPA の試行導入：効果測定（令和2年度）'
    >>> year_title("令和元年度の評価", 2019), year_title("評価", None)
    ('令和元年度の評価', '評価')
    """
    from ..readers.fiscal import fiscal_year_label

    if isinstance(fiscal_year, bool) or not isinstance(fiscal_year, int):
        return title
    label = fiscal_year_label(fiscal_year)
    return title if label in title else f"{title}（{label}）"


def verdict_text(notebook) -> str:
    """The output of the cell tagged ``verdict``: what it prints, or displays as text.

    Empty when no cell is tagged ``verdict``.
    """
    parts = []
    for cell in notebook.cells:
        if VERDICT_TAG not in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                parts.append(output.get("text", ""))
            elif output.get("output_type") in ("execute_result", "display_data"):
                data = output.get("data", {})
                text = data.get("text/markdown") or data.get("text/plain") or ""
                parts.append(text if isinstance(text, str) else "".join(text))
    return "".join(parts).strip()


def _without_title(notebook, title: str):
    """The notebook without the heading line of ``title`` (the page shows it above the summary)."""
    for cell in notebook.cells:
        if cell.get("cell_type") != "markdown":
            continue
        lines = cell.source.splitlines()
        for i, line in enumerate(lines):
            if re.match(r"^\s{0,3}#{1,6}\s+", line):
                heading = re.sub(r"[*_`#]", "", line).strip()
                if heading and re.sub(r"[*_`#]", "", title).strip().startswith(heading):
                    cell.source = "\n".join(lines[:i] + lines[i + 1 :]).strip("\n")
                return notebook
    return notebook


def _code_free(notebook):
    """Markdown and outputs only: no parameters cell, no code cell without output, no chart repr."""
    cells = []
    for cell in notebook.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.get("cell_type") == "code":
            if any(t in tags for t in _PARAMETER_TAGS):
                continue
            outputs = [o for o in cell.get("outputs", []) if not _chart_repr(o)]
            if not outputs:
                continue
            cell.outputs = outputs
        if cell.get("cell_type") == "markdown" and not cell.source.strip():
            continue
        cells.append(cell)
    notebook.cells = cells
    return notebook


def _chart_repr(output) -> bool:
    if output.get("output_type") not in ("execute_result", "display_data"):
        return False
    data = output.get("data", {})
    text = data.get("text/plain", "")
    text = text if isinstance(text, str) else "".join(text)
    return set(data) == {"text/plain"} and bool(_CHART_REPR.match(text))


# -- pages ----------------------------------------------------------------------------------------


def export_html(
    notebook_path: Path,
    html_path: Path,
    *,
    code: bool = True,
    title: str | None = None,
    top: str = "",
    bottom: str = "",
) -> Path:
    """Write an executed notebook as one self-contained HTML page that opens offline.

    Parameters
    ----------
    notebook_path, html_path : path
        The executed notebook, and the page to write.
    code : bool
        With input cells (True), or the code-free page: markdown and outputs,
        without the parameters cells.
    title : str, optional
        The page title; default the notebook's first heading. When ``top``
        is given it shows the title itself, and the heading is left out of
        the body.
    top, bottom : str
        HTML placed first and last in the page body (the summary block and
        the provenance).
    """
    import nbformat
    from nbconvert import HTMLExporter

    node = nbformat.read(str(notebook_path), as_version=4)
    title = title or page_title(node, notebook_path.stem)
    node = copy.deepcopy(node)
    if top:
        node = _without_title(node, title)
    if not code:
        node = _code_free(node)
    exporter = HTMLExporter(
        template_name="evalkit_offline", extra_template_basedirs=[str(_TEMPLATES)]
    )
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.exclude_input = not code
    exporter.language_code = "ja"
    body, _ = exporter.from_notebook_node(
        node,
        resources={
            "metadata": {"name": title},
            "evalkit_css": PAGE_CSS,
            "evalkit_top": top,
            "evalkit_bottom": bottom,
        },
    )
    html_path.write_text(embed_japanese_font(body), encoding="utf-8")
    return html_path


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text))


def _verdict_html(verdict: str) -> str:
    if not verdict:
        return ""
    paras = "".join(f"<p>{_e(line)}</p>" for line in verdict.splitlines() if line.strip())
    return f'<div class="ek-verdict">{paras}</div>'


def _verdict_class(label: str) -> str:
    return {"確実に達成": "ek-ok", "達成": "ek-ok", "未達": "ek-bad", "判定不能": "ek-na"}.get(
        label, ""
    )


def _ci_header(confidence: Any) -> str:
    if isinstance(confidence, int | float) and not isinstance(confidence, bool):
        if 0 < confidence < 1:
            level = f"{confidence * 100:.10g}"
            return f"{level} % 信頼区間 (CI)"
    return "信頼区間 (CI)"


def figures_table(
    rows: pd.DataFrame,
    *,
    confidence: Any = None,
    initiative: bool | None = None,
    groups: Sequence[tuple[str, pd.DataFrame]] | None = None,
) -> str:
    """The key figures with a value as an HTML table: 指標, 値, 信頼区間, 目標, 判定, 公表値.

    ``groups`` (heading HTML, rows) puts a heading row before each group's rows.
    """
    if groups is None:
        groups = [("", rows)]
    every = pd.concat([g for _, g in groups]) if groups else rows
    if initiative is None:
        initiative = every["initiative"].nunique(dropna=True) > 1 if len(every) else False
    head = ["取組", "指標"] if initiative else ["指標"]
    head += ["値", _ci_header(confidence), "目標", "判定", "公表値（再現）"]
    body = []
    for heading, frame in groups:
        if heading:
            body.append(f'<tr class="ek-group"><th colspan="{len(head)}">{heading}</th></tr>')
        for rec in frame.to_dict("records"):
            if pd.isna(rec.get("value")):
                continue
            unit, dec = rec.get("unit"), rec.get("decimals")
            label = verdict_label(rec.get("met"), rec.get("met_confidently"), rec.get("target"))
            published = ""
            if not pd.isna(rec.get("published")):
                same = reproduced_label(rec.get("reproduced"))
                cls = "ek-bad" if same == "不一致" else ""
                published = _e(format_figure(rec["published"], unit, dec))
                if same:
                    published += f'（<span class="{cls}">{same}</span>）'
            cells = [_e(rec.get("initiative"))] if initiative else []
            cells += [
                _e(rec.get("indicator")),
                f'<td class="ek-num">{_e(format_figure(rec["value"], unit, dec))}</td>',
                f'<td class="ek-num">'
                f"{_e(format_interval(rec.get('ci_low'), rec.get('ci_high'), unit, dec))}</td>",
                f'<td class="ek-flag">'
                f"{_e(format_target(rec.get('target'), rec.get('direction'), unit, dec))}</td>",
                f'<td class="ek-flag"><span class="{_verdict_class(label)}">{label}</span></td>'
                if label
                else "",
                f'<td class="ek-flag">{published}</td>' if published else "",
            ]
            body.append(
                "<tr>"
                + "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in cells)
                + "</tr>"
            )
    thead = "".join(f"<th>{h}</th>" for h in head)
    return (
        f'<table class="ek-figures"><thead><tr>{thead}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _qualitative_note(rows: pd.DataFrame) -> str:
    n = int(rows["value"].isna().sum()) if len(rows) else 0
    if not n:
        return ""
    return (
        f'<p class="ek-note">数値のない定性的な指標 {n} 件は判定していません'
        "（一覧は summary.xlsx・summary.csv）。</p>"
    )


def summary_block(
    rows: pd.DataFrame | None,
    *,
    title: str,
    verdict: str = "",
    links: Sequence[tuple[str, str]] = (),
    confidence: Any = None,
) -> str:
    """The top of a notebook's page: its title, links, and the 要点 block."""
    nav = " ".join(f'<a href="{_e(href)}">{_e(label)}</a>' for label, href in links)
    if rows is None or not len(rows):
        figures = '<p class="ek-note">このノートブックは主要指標の表を書き出していません。</p>'
    elif rows["value"].notna().any():
        figures = figures_table(rows, confidence=confidence) + _qualitative_note(rows)
    else:
        figures = _qualitative_note(rows)
    return (
        f'<header class="ek-top"><h1>{_e(title)}</h1>'
        + (f'<nav class="ek-nav">{nav}</nav>' if nav else "")
        + '<section class="ek-summary" aria-label="要点"><h2>要点</h2>'
        + _verdict_html(verdict)
        + figures
        + "</section></header>"
    )


def _parameter_table(record: Mapping[str, Any]) -> str:
    given = set(record.get("given", []))
    rows = "".join(
        f"<tr><td><code>{_e(name)}</code></td><td><code>{_e(repr(value))}</code></td>"
        f"<td>{'実行時に指定' if name in given else 'ノートブックの既定値'}</td></tr>"
        for name, value in record.get("parameters", {}).items()
    )
    if not rows:
        return "<p>パラメータはありません。</p>"
    return f"<table><tr><th>名前</th><th>値</th><th>指定</th></tr>{rows}</table>"


def _files_table(data: Mapping[str, Any]) -> str:
    files = data.get("files", [])
    if not files:
        return "<p>データファイルは見つかりませんでした。</p>"
    rows = "".join(
        f"<tr><td><code>{_e(f['path'])}</code></td><td>{f['size']:,} バイト</td>"
        f"<td><code>{_e(f['sha256'])}</code></td></tr>"
        for f in files
    )
    return (
        "<table><tr><th>ファイル（データフォルダからの相対パス）</th><th>サイズ</th>"
        f"<th>SHA-256</th></tr>{rows}</table>"
    )


def _rerun_command(stem: str, record: Mapping[str, Any]) -> str:
    from .params import quote_value

    given = [n for n in record.get("given", []) if n not in ("data_dir", "kpi_csv")]
    parts = ["evalkit report", f"--notebook {stem}"]
    if "data_dir" in record.get("given", []):
        parts.append("--data データフォルダ")
    parts += [f'-p "{n}={quote_value(record["parameters"][n])}"' for n in given]
    return " ".join(parts)


def provenance_block(stem: str, record: Mapping[str, Any] | None, *, heading: str = "h2") -> str:
    """The 出典・再現情報 section: version, run date, notebook hash, parameters, data files."""
    if not record:
        return (
            f'<section class="ek-provenance"><{heading}>出典・再現情報 (provenance)</{heading}>'
            "<p>この出力には記録がありません（以前の版の evalkit で作成）。</p></section>"
        )
    data = record.get("data", {})
    facts = [
        ("evalkit のバージョン", _e(record.get("evalkit_version", ""))),
        ("実行日時", _e(format_run_date(record.get("run_date")))),
        (
            "ノートブック",
            f"{_e(record.get('notebook', ''))}（SHA-256 "
            f"<code>{_e(record.get('notebook_sha256', ''))}</code>）",
        ),
        ("データフォルダ", f"{_e(data.get('folder', ''))}（{_e(data.get('name', ''))}）"),
        ("再実行", f"<code>{_e(_rerun_command(stem, record))}</code>"),
    ]
    sub = "h3" if heading == "h2" else "h4"
    return (
        f'<section class="ek-provenance"><{heading}>出典・再現情報 (provenance)</{heading}>'
        "<table>"
        + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts)
        + f"</table><{sub}>パラメータ (parameters)</{sub}>"
        + _parameter_table(record)
        + f"<{sub}>入力データファイル (input data files)</{sub}>"
        + _files_table(data)
        + "</section>"
    )


#: CSS family name of the font embedded in report pages.
EMBEDDED_FONT_FAMILY = "evalkit-ja"


def embed_japanese_font(page: str) -> str:
    """Embed the glyphs a page uses from the bundled IPAexGothic, so it reads offline anywhere.

    A page that relied on the reader's system fonts would show Japanese as
    empty boxes on a machine without a Japanese font. Only the characters
    that occur in the page are kept (a subset of a few hundred glyphs), as a
    WOFF web font in a ``data:`` URL, and named first in every font family
    the JupyterLab styles use, so that Japanese text looks the same as in
    the charts. The IPA Font License allows embedding the font in documents.

    Parameters
    ----------
    page : str
        A complete HTML page with a ``</head>``.

    Returns
    -------
    str
        The page with one ``<style>`` element added before ``</head>``;
        unchanged when it holds no character beyond ASCII.
    """
    import base64
    import io

    from fontTools import subset

    from ..plots import _font_path

    chars = {ord(ch) for ch in page if ord(ch) > 0x7F}
    if not chars or "</head>" not in page:
        return page
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    with open(_font_path(), "rb") as fh:
        font = subset.load_font(io.BytesIO(fh.read()), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=chars)
    subsetter.subset(font)
    buf = io.BytesIO()
    subset.save_font(font, buf, options)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    fam = EMBEDDED_FONT_FAMILY
    # The embedded font comes first: Chromium was seen drawing some characters
    # (e.g. 音) as empty boxes when a system font without them stood before
    # it. It holds only the page's non-ASCII characters, so Latin text is
    # still drawn in the system fonts that follow.
    sans = (
        f'"{fam}",-apple-system,"Segoe UI",Helvetica,Arial,"Hiragino Sans","Yu Gothic",'
        "Meiryo,system-ui,sans-serif"
    )
    mono = f'"{fam}",SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace'
    css = (
        f'<style>@font-face{{font-family:"{fam}";'
        f'src:url(data:font/woff;base64,{data}) format("woff");}}'
        f":root{{--jp-ui-font-family:{sans};--jp-content-font-family:{sans};"
        f"--jp-code-font-family:{mono};}}"
        f"body,table,th,td,h1,h2,h3,h4,p,li{{font-family:{sans}}}"
        f"pre,code,kbd,samp{{font-family:{mono}}}</style>"
    )
    return page.replace("</head>", css + "</head>", 1)


# -- the index ------------------------------------------------------------------------------------


def _all_figures_table(summary: pd.DataFrame, titles: Mapping[str, str]) -> str:
    """Every row of summary.csv, in Japanese (qualitative indicators included)."""
    head = ["ノートブック", "取組", "指標", "値", "信頼区間", "目標", "判定", "公表値", "再現"]
    body = []
    for rec in summary.to_dict("records"):
        unit, dec = rec.get("unit"), rec.get("decimals")
        label = verdict_label(rec.get("met"), rec.get("met_confidently"), rec.get("target"))
        cells = [
            _e(rec.get("notebook")),
            _e(rec.get("initiative")),
            _e(rec.get("indicator")),
            _e(format_figure(rec.get("value"), unit, dec)),
            _e(format_interval(rec.get("ci_low"), rec.get("ci_high"), unit, dec)),
            _e(format_target(rec.get("target"), rec.get("direction"), unit, dec)),
            f'<span class="{_verdict_class(label)}">{label}</span>' if label else "",
            _e(format_figure(rec.get("published"), unit, dec))
            if not pd.isna(rec.get("published"))
            else "",
            _e(reproduced_label(rec.get("reproduced"))),
        ]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    thead = "".join(f"<th>{h}</th>" for h in head)
    rows = "".join(body)
    return f'<table class="ek-all"><thead><tr>{thead}</tr></thead><tbody>{rows}</tbody></table>'


def _years_label(entries: Sequence[dict]) -> str:
    """Label "（令和元年度）" of the fiscal years the notebooks ran for; "" when none is known."""
    from ..readers.fiscal import fiscal_year_label

    years = set()
    for entry in entries:
        year = (entry.get("provenance") or {}).get("parameters", {}).get("fiscal_year")
        if isinstance(year, int) and not isinstance(year, bool):
            years.add(year)
    return f"（{'・'.join(fiscal_year_label(y) for y in sorted(years))}）" if years else ""


def _write_index(path: Path, entries: Sequence[dict], summary: pd.DataFrame) -> Path:
    """Write the index page: the 要点 of every notebook, the pages, all key figures, provenance.

    ``entries`` hold ``stem``, ``source``, ``finished`` (ISO time),
    ``parameters`` (dict), ``data_dir``, ``this_run`` (bool), ``page`` and
    ``code_page`` (bool: the page is in the folder), and when known
    ``title``, ``verdict`` and ``provenance``.
    """
    from .. import __version__

    groups = []
    titles = {}
    for entry in entries:
        stem = entry["stem"]
        name = Path(entry.get("source") or f"{stem}.ipynb").name
        title = entry.get("title") or stem
        titles[name] = title
        rows = summary[summary["notebook"] == name] if len(summary) else summary
        link = f'<a href="{_e(stem)}.html">{_e(title)}</a>' if entry.get("page") else _e(title)
        heading = link + _verdict_html(entry.get("verdict", ""))
        if len(rows) and rows["value"].notna().any():
            groups.append((heading, rows))
        else:
            groups.append((heading + _qualitative_note(rows), rows.iloc[0:0]))
    confidences = {
        (e.get("provenance") or {}).get("parameters", {}).get("confidence") for e in entries
    }
    confidence = confidences.pop() if len(confidences) == 1 else None
    heading = "evalkit 報告書：主要指標の要点" + _years_label(entries)
    table = figures_table(summary, confidence=confidence, initiative=True, groups=groups)
    qualitative = int(summary["value"].isna().sum()) if len(summary) else 0
    note = (
        f'<p class="ek-note">数値のない定性的な指標 {qualitative} 件は下の一覧にあります。</p>'
        if qualitative
        else ""
    )

    def line(entry: dict) -> str:
        stem = entry["stem"]
        title = _e(entry.get("title") or stem)
        link = f'<a href="{_e(stem)}.html">{title}</a>' if entry.get("page", True) else title
        code = (
            f'（<a href="{_e(code_page_name(stem))}">コード付きのページ</a>）'
            if entry.get("code_page")
            else ""
        )
        sheets = [f for f in entry.get("files", []) if f.startswith("progress_sheet_")]
        code += "".join(f'・進捗状況シート <a href="{_e(f)}">{_e(f)}</a>' for f in sheets)
        when = "今回の実行" if entry.get("this_run", True) else "以前の実行"
        note = f"{_e(stem)}・{when}・{_e(format_run_date(entry.get('finished')))}"
        given = dict(entry.get("parameters", {}))
        if entry.get("data_dir"):
            note += "・--data 指定"
        if given:
            note += "・" + _e(", ".join(f"{k}={v!r}" for k, v in given.items()))
        return f"<li>{link}{code} <small>({note})</small></li>"

    links = "".join(line(e) for e in entries)
    provenance = "".join(
        f"<h3>{_e(e.get('title') or e['stem'])}</h3>"
        + provenance_block(e["stem"], e.get("provenance"), heading="h4")
        for e in entries
    )
    from .provenance import JST

    now = pd.Timestamp.now(tz=JST)
    page = (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        f"<title>{_e(heading)}</title>"
        f'<style>{PAGE_CSS}</style></head><body class="ek-index">'
        f'<header class="ek-top"><h1>{_e(heading)}</h1>'
        f'<p class="ek-nav">索引を作成 {now.year}年{now.month}月{now.day}日 '
        f"{now:%H:%M}（日本時間）・"
        f"evalkit {_e(__version__)}・ノートブック {len(entries)} 件・"
        '<a href="summary.xlsx">summary.xlsx</a> '
        '<a href="summary.csv">summary.csv</a> <a href="provenance.json">provenance.json</a></p>'
        f'<section class="ek-summary" aria-label="要点"><h2>要点</h2>{table}{note}</section>'
        "</header>"
        f"<h2>ノートブック (notebooks)</h2><ul>{links}</ul>"
        "<h2>主要指標の一覧（summary.csv と同じ行）</h2>"
        f"{_all_figures_table(summary, titles)}"
        f'<section class="ek-provenance"><h2>出典・再現情報 (provenance)</h2>{provenance}</section>'
        "</body></html>"
    )
    path.write_text(embed_japanese_font(page), encoding="utf-8")
    return path
