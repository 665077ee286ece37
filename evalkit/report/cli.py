"""``evalkit report``: the command line.

Parses ``--data``, ``--out``, ``--notebook`` and ``-p name=value``, runs
:func:`evalkit.report.run_report` and prints the key figures; a notebook that
fails makes the command exit with status 1, naming the notebook and the cell.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..errors import EvalkitError
from .run import run_report

__all__ = ["build_parser", "format_summary", "main", "parse_parameter"]


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evalkit",
        description="evalkit report: run every notebook, write offline HTML pages and a summary.",
    )
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
    from .._results import format_number

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
