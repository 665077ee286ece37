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
    html_path.write_text(body, encoding="utf-8")
    return html_path


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
        _progress(
            f"[{i}/{len(notebooks)}] {nb.name}: done in {time.perf_counter() - started:.1f} s"
            f" -> {page.relative_to(out_dir.parent) if out_dir.parent in page.parents else page}"
        )
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
    (out_dir / "index.html").write_text(page, encoding="utf-8")


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
        with pd.option_context("display.width", 160, "display.max_columns", 20):
            cols = ["initiative", "indicator", "value", "ci_low", "ci_high", "target", "met"]
            print(summary[cols].to_string(index=False))
    return 0
