"""Report pages: executed notebooks as self-contained HTML that opens offline, and the index."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

__all__ = ["EMBEDDED_FONT_FAMILY", "embed_japanese_font", "export_html"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"


def export_html(notebook_path: Path, html_path: Path) -> Path:
    """Write an executed notebook as one self-contained HTML page that opens offline."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="evalkit_offline", extra_template_basedirs=[str(_TEMPLATES)]
    )
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    node = nbformat.read(str(notebook_path), as_version=4)
    body, _ = exporter.from_notebook_node(
        node, resources={"metadata": {"name": notebook_path.stem}}
    )
    html_path.write_text(embed_japanese_font(body), encoding="utf-8")
    return html_path


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


def _write_index(path: Path, entries: Sequence[dict], summary: pd.DataFrame) -> Path:
    """Write the index page: a line per notebook (its page, when and how it ran), the key figures.

    ``entries`` hold ``stem``, ``finished`` (ISO time), ``parameters`` (dict),
    ``data_dir`` (str or None), ``this_run`` (bool) and ``page`` (bool: the
    page is in the folder).
    """
    from .params import quote_value

    def line(entry: dict) -> str:
        stem = html.escape(entry["stem"])
        link = f'<a href="{stem}.html">{stem}</a>' if entry.get("page", True) else stem
        given = [f"--data {entry['data_dir']}"] if entry.get("data_dir") else []
        given += [f"{k}={quote_value(v)}" for k, v in entry.get("parameters", {}).items()]
        when = "this run" if entry.get("this_run", True) else "an earlier run"
        note = f"{when}, finished {entry.get('finished', '?')}"
        if given:
            note += "; " + ", ".join(given)
        return f"<li>{link} <small>({html.escape(note)})</small></li>"

    links = "".join(line(e) for e in entries)
    table = summary.to_html(index=False, na_rep="", float_format=lambda x: f"{x:,.4g}")
    page = (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>evalkit report</title>'
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px}</style></head><body>"
        f"<h1>evalkit report</h1><h2>Notebooks</h2><ul>{links}</ul>"
        f"<h2>Key figures (summary.csv)</h2>{table}</body></html>"
    )
    path.write_text(embed_japanese_font(page), encoding="utf-8")
    return path
