"""``evalkit report`` and ``evalkit convert``: the command line.

``evalkit report`` parses ``--data``, ``--out``, ``--notebook`` and ``-p
name=value`` (see :func:`~evalkit.report.params.parse_parameter`), runs
:func:`evalkit.report.run_report` and prints the key figures. Bad input, or a
notebook that fails, makes the command exit with status 1 and one line
naming the file, folder, parameter or cell; Ctrl-C exits with status 130.
The output folder is unchanged in both cases.

``evalkit convert SRC... --schema NAME --out DIR [--force]`` reads CSV and
Excel files by evalkit's rules and writes one Parquet file per input into
``DIR`` (:func:`evalkit.readers.convert.convert`): a line per file on
stderr, a summary line on stdout. A file evalkit refuses exits with status 1,
the message naming its file, row, column and value, and no output file
written; Ctrl-C exits with status 130, likewise without output.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..errors import EvalkitError
from .params import parse_parameter, quote_value
from .run import console_safe, run_report

__all__ = ["build_parser", "format_convert_summary", "format_summary", "main", "parse_parameter"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evalkit",
        description="evalkit report: run every notebook, write offline HTML pages and a summary. "
        "evalkit convert: CSV/Excel files to typed Parquet files.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="run the notebooks and write HTML pages and summary.csv")
    rep.add_argument("--data", type=Path, help="folder with the data files (default: shipped data)")
    rep.add_argument(
        "--out",
        type=Path,
        default=Path("reports"),
        help="output folder (reports/); only files an earlier report wrote there are replaced",
    )
    rep.add_argument(
        "--notebook",
        action="append",
        type=Path,
        dest="notebooks",
        help="run only this notebook (repeatable): a path to an .ipynb file, or a name in the "
        "notebooks folder without folder and extension (02_rpa_trial, or its number: 02)",
    )
    rep.add_argument(
        "-p",
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="notebook parameter, e.g. -p satisfaction_target=0.75 (repeatable): a number, "
        "True/False/None, a list or dict of those, or text ('quoted', or a path as it is)",
    )
    _add_convert(sub)
    return parser


def _add_convert(sub) -> None:
    from ..readers.convert import INPUT_SUFFIXES, SCHEMA_NAMES

    conv = sub.add_parser(
        "convert",
        help="read CSV/Excel files by evalkit's rules and write one Parquet file per input",
        description="Read each CSV (UTF-8, BOM or CP932) or Excel file with evalkit's rules "
        "(Japanese headers, full-width digits, 令和/平成 months) and write DIR/<name>.parquet "
        "with typed columns. Any file refused: exit status 1, nothing written.",
    )
    conv.add_argument(
        "sources",
        nargs="+",
        metavar="SRC",
        help=f"a file, a folder (every {'/'.join(INPUT_SUFFIXES)} file in it) or a glob "
        "pattern such as 'logs/*.csv'",
    )
    conv.add_argument(
        "--schema",
        required=True,
        metavar="NAME",
        help=f"the columns expected: {', '.join(SCHEMA_NAMES)}",
    )
    conv.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder")
    conv.add_argument(
        "--force",
        action="store_true",
        help="replace output files that exist and differ (identical ones are left alone)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status (0, 1 on an error, 130 on Ctrl-C)."""
    args = build_parser().parse_args(argv)
    if args.command == "convert":
        return _convert(args)
    try:
        params = _parameters(args.parameter)
        summary = run_report(
            notebooks=args.notebooks, data_dir=args.data, out_dir=args.out, parameters=params
        )
    except EvalkitError as exc:
        print(console_safe(f"evalkit report: error: {exc}", sys.stderr), file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        reason = str(exc) or "interrupted (Ctrl-C); the output folder is unchanged"
        print(f"evalkit report: {reason}", file=sys.stderr)
        return 130
    if len(summary):
        print(console_safe(format_summary(summary), sys.stdout))
    return 0


def _convert(args: argparse.Namespace) -> int:
    from ..readers.convert import convert

    def progress(line: str) -> None:
        print(f"evalkit convert: {line}", file=sys.stderr, flush=True)

    try:
        done = convert(
            args.sources, schema=args.schema, out=args.out, force=args.force, progress=progress
        )
    except EvalkitError as exc:
        print(f"evalkit convert: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("evalkit convert: interrupted (Ctrl-C); no file was written", file=sys.stderr)
        return 130
    print(format_convert_summary(done, args.out))
    return 0


def format_convert_summary(done: Sequence, out: Path) -> str:
    """One line: files and rows converted, and how many output files were left unchanged.

    Examples
    --------
    >>> from evalkit.readers.convert import Converted
    >>> done = [Converted(Path("a.csv"), Path("pq/a.parquet"), 1200, True),
    ...         Converted(Path("b.csv"), Path("pq/b.parquet"), 34, False)]
    >>> print(format_convert_summary(done, Path("pq")))
    evalkit convert: 2 files, 1,234 rows -> pq (1 written, 1 unchanged)
    """
    rows = sum(d.rows for d in done)
    written = sum(d.written for d in done)
    files = f"{len(done)} file{'s' if len(done) != 1 else ''}"
    detail = f"{written} written"
    if written < len(done):
        detail += f", {len(done) - written} unchanged"
    return f"evalkit convert: {files}, {rows:,} rows -> {out} ({detail})"


def _parameters(texts: Sequence[str]) -> dict:
    params: dict = {}
    for text in texts:
        name, value = parse_parameter(text)
        if name in params:
            raise EvalkitError(
                f"parameter {name!r} is given twice ({quote_value(params[name])} and "
                f"{quote_value(value)}); give it once"
            )
        params[name] = value
    return params


def format_summary(summary: pd.DataFrame) -> str:
    """The key figures as a plain-text table for the terminal, in Japanese.

    Columns are aligned by display width (East Asian wide characters take two
    columns). Figures without a value (qualitative indicators) are counted,
    not listed.

    Examples
    --------
    >>> from evalkit.report.kpis import kpi_row, kpi_table
    >>> t = kpi_table([kpi_row("音声認識", "満足度", value=0.8387, ci=(0.7508, 0.8997),
    ...                        unit="ratio", target=0.7, published=0.8387, published_decimals=4),
    ...                kpi_row("RPA", "削減時間", value=1800.0, unit="hours")])
    >>> print(format_summary(t))
    取組      指標      値          信頼区間         目標      判定        公表値   再現
    音声認識  満足度    83.87 %  75.08 %〜89.97 %  70 %以上  確実に達成  83.87 %  一致
    RPA       削減時間  1,800 時間
    """
    from .figures import (
        display_width,
        format_figure,
        format_interval,
        format_target,
        pad,
        reproduced_label,
        verdict_label,
    )

    shown = summary[summary["value"].notna()]
    head = ["取組", "指標", "値", "信頼区間", "目標", "判定", "公表値", "再現"]
    rows = []
    for rec in shown.to_dict("records"):
        unit, dec = rec.get("unit"), rec.get("decimals")
        published = rec.get("published")
        published = "" if pd.isna(published) else format_figure(published, unit, dec)
        rows.append(
            [
                str(rec.get("initiative", "")),
                str(rec.get("indicator", "")),
                format_figure(rec["value"], unit, dec),
                format_interval(rec.get("ci_low"), rec.get("ci_high"), unit, dec),
                format_target(rec.get("target"), rec.get("direction"), unit, dec),
                verdict_label(rec.get("met"), rec.get("met_confidently"), rec.get("target")),
                published,
                reproduced_label(rec.get("reproduced")),
            ]
        )
    widths = [max(display_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    numeric = {2, 3, 6}
    lines = [
        "  ".join(
            pad(cell, widths[i], right=i in numeric and row is not head)
            for i, cell in enumerate(row)
        ).rstrip()
        for row in [head, *rows]
    ]
    text = "\n".join(lines)
    rest = len(summary) - len(shown)
    if rest:
        text += f"\n（ほかに数値のない定性的な指標 {rest} 件：summary.csv・summary.xlsx を参照）"
    return text
