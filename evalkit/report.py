"""``evalkit report``: run every notebook, write offline HTML pages and a summary.

For each ``notebooks/NN_*.ipynb`` (in name order) the report

1. executes it with papermill, injecting ``data_dir`` (``--data``), every
   ``-p name=value`` and ``kpi_csv`` (where the notebook writes its key figures);
2. writes the executed notebook to ``OUT/notebooks/`` and a self-contained
   HTML page to ``OUT/`` (no script, style or font is fetched from a network);
3. stacks the key figures of all notebooks into ``OUT/summary.csv``.

A notebook that fails stops the report with a non-zero exit status and a
message naming the notebook and the cell.
"""

from __future__ import annotations

import argparse
import ast
import html
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .errors import EvalkitError
from .kpis import KPI_COLUMNS

__all__ = ["run_report", "main", "export_html", "parse_parameter", "default_notebook_dir"]

_REPO = Path(__file__).resolve().parents[1]
_TEMPLATES = Path(__file__).resolve().parent / "templates"


def default_notebook_dir() -> Path:
    """The repository's ``notebooks/`` folder (or ``EVALKIT_NOTEBOOKS`` when set)."""
    env = os.environ.get("EVALKIT_NOTEBOOKS")
    return Path(env) if env else _REPO / "notebooks"


def parse_parameter(text: str) -> tuple[str, object]:
    """Parse ``name=value`` from the command line.

    The value is read as a Python literal when it is one (``0.7``, ``2020``,
    ``True``, ``'x'``), otherwise kept as a string.

    Examples
    --------
    >>> parse_parameter("target=0.7")
    ('target', 0.7)
    >>> parse_parameter("data_dir=/tmp/fy2020")
    ('data_dir', '/tmp/fy2020')
    """
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise EvalkitError("a parameter is written name=value", column="-p", value=text)
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        value = raw
    return name, value


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

    from .plots import _font_path

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


def _kernel_options(folder: str) -> dict:
    """Talk to the kernel over local sockets (IPC) where the platform has them.

    Over TCP, even on the loopback address, ipykernel warns that the traffic
    is unencrypted; IPC sockets are files readable by the user only, in a
    private temporary folder. Windows has no IPC transport and keeps TCP.
    """
    if os.name != "posix":
        return {}
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", os.path.join(folder, "kernel"))
            super().__init__(**kwargs)

    return {"kernel_manager_class": IPCKernelManager}


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_report(
    *,
    notebooks: Sequence[Path] | None = None,
    data_dir: Path | None = None,
    out_dir: Path = Path("reports"),
    parameters: dict | None = None,
) -> pd.DataFrame:
    """Execute the notebooks and write HTML pages, executed notebooks and ``summary.csv``.

    Parameters
    ----------
    notebooks : sequence of paths, optional
        Notebooks to run; default every ``NN_*.ipynb`` in :func:`default_notebook_dir`.
    data_dir : path, optional
        Passed to every notebook as its ``data_dir`` parameter.
    out_dir : path
        Where the pages, ``notebooks/`` and ``summary.csv`` go.
    parameters : dict, optional
        Further notebook parameters (a notebook receives those it declares... and
        papermill injects all of them, so use names the notebooks know).

    Returns
    -------
    pandas.DataFrame
        The summary, also written to ``out_dir / "summary.csv"``.

    Raises
    ------
    EvalkitError
        When a notebook fails; the message names the notebook and the cell.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    if notebooks is None:
        notebooks = sorted(default_notebook_dir().glob("[0-9][0-9]_*.ipynb"))
    notebooks = [Path(p).resolve() for p in notebooks]
    if not notebooks:
        raise EvalkitError("no notebooks to run", file=str(default_notebook_dir()))
    out_dir = Path(out_dir).resolve()
    executed_dir = out_dir / "notebooks"
    executed_dir.mkdir(parents=True, exist_ok=True)
    kpi_dir = out_dir / "kpis"
    kpi_dir.mkdir(exist_ok=True)
    frames = []
    with tempfile.TemporaryDirectory(prefix="evalkit-kernel-") as sockets:
        for i, nb in enumerate(notebooks, start=1):
            _progress(f"[{i}/{len(notebooks)}] {nb.name}: running")
            started = time.perf_counter()
            params = dict(parameters or {})
            if data_dir is not None:
                params["data_dir"] = str(Path(data_dir).resolve())
            kpi_csv = kpi_dir / f"{nb.stem}.csv"
            kpi_csv.unlink(missing_ok=True)
            params["kpi_csv"] = str(kpi_csv)
            executed = executed_dir / nb.name
            try:
                pm.execute_notebook(
                    str(nb),
                    str(executed),
                    parameters=params,
                    kernel_name="python3",
                    progress_bar=False,
                    log_output=False,
                    cwd=str(nb.parent),
                    **_kernel_options(sockets),
                )
            except PapermillExecutionError as exc:
                raise EvalkitError(
                    f"notebook failed in cell {exc.cell_index} (execution count {exc.exec_count}): "
                    f"{exc.ename}: {exc.evalue}; the executed notebook is {executed}",
                    file=nb.name,
                ) from None
            page = export_html(executed, out_dir / f"{nb.stem}.html")
            if kpi_csv.exists():
                kpis = pd.read_csv(kpi_csv)
                kpis.insert(0, "notebook", nb.name)
                frames.append(kpis)
            elapsed = time.perf_counter() - started
            _progress(f"[{i}/{len(notebooks)}] {nb.name}: done in {elapsed:.1f} s -> {page}")
    if frames:
        summary = pd.concat(frames, ignore_index=True)
    else:
        summary = pd.DataFrame(columns=["notebook", *KPI_COLUMNS])
    summary.to_csv(out_dir / "summary.csv", index=False)
    _write_index(out_dir, notebooks, summary)
    _progress(f"summary: {out_dir / 'summary.csv'} ({len(summary)} key figures)")
    return summary


def _write_index(out_dir: Path, notebooks: Sequence[Path], summary: pd.DataFrame) -> None:
    links = "".join(
        f'<li><a href="{html.escape(nb.stem)}.html">{html.escape(nb.stem)}</a></li>'
        for nb in notebooks
    )
    table = summary.to_html(index=False, na_rep="", float_format=lambda x: f"{x:,.4g}")
    page = (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>evalkit report</title>'
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px}</style></head><body>"
        f"<h1>evalkit report</h1><h2>Notebooks</h2><ul>{links}</ul>"
        f"<h2>Key figures (summary.csv)</h2>{table}</body></html>"
    )
    (out_dir / "index.html").write_text(embed_japanese_font(page), encoding="utf-8")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="evalkit", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="run the notebooks and write HTML pages and summary.csv")
    rep.add_argument("--data", type=Path, help="folder with the data files (default: shipped data)")
    rep.add_argument("--out", type=Path, default=Path("reports"), help="output folder (reports/)")
    rep.add_argument(
        "--notebook",
        action="append",
        type=Path,
        dest="notebooks",
        help="run only this notebook (repeatable)",
    )
    rep.add_argument(
        "-p",
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="notebook parameter, e.g. -p satisfaction_target=0.75 (repeatable)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        params = dict(parse_parameter(p) for p in args.parameter)
        summary = run_report(
            notebooks=args.notebooks, data_dir=args.data, out_dir=args.out, parameters=params
        )
    except EvalkitError as exc:
        print(f"evalkit report: error: {exc}", file=sys.stderr)
        return 1
    if len(summary):
        print(format_summary(summary))
    return 0


def format_summary(summary: pd.DataFrame) -> str:
    """The key figures as a plain-text table for the terminal.

    Figures without a value (qualitative indicators) are counted, not listed.
    """
    from ._results import format_number

    def verdict(met, conf):
        if pd.isna(met):
            return ""
        text = "met" if met else "not met"
        if not pd.isna(conf):
            text += " (confidently)" if conf else " (not confidently)"
        return text

    shown = summary[summary["value"].notna()]
    table = pd.DataFrame(
        {
            "initiative": shown["initiative"],
            "indicator": shown["indicator"],
            "value": shown["value"].map(format_number),
            "95% CI": [
                "" if pd.isna(lo) else f"{format_number(lo)} - {format_number(hi)}"
                for lo, hi in zip(shown["ci_low"], shown["ci_high"], strict=True)
            ],
            "target": shown["target"].map(lambda t: "" if pd.isna(t) else format_number(t)),
            "verdict": [
                verdict(m, c) for m, c in zip(shown["met"], shown["met_confidently"], strict=True)
            ],
            "published": shown["published"].map(lambda t: "" if pd.isna(t) else format_number(t)),
            "reproduced": shown["reproduced"].map(
                lambda r: "" if pd.isna(r) else ("yes" if r else "NO")
            ),
        }
    )
    text = table.to_string(index=False)
    rest = len(summary) - len(shown)
    if rest:
        text += f"\n(+ {rest} qualitative indicator(s) without a figure: see summary.csv)"
    return text
