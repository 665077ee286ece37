"""``evalkit report``: the command line.

Parses ``--data``, ``--out``, ``--notebook`` and ``-p name=value`` (see
:func:`~evalkit.report.params.parse_parameter`), runs
:func:`evalkit.report.run_report` and prints the key figures. Bad input, or a
notebook that fails, makes the command exit with status 1 and one line
naming the file, folder, parameter or cell; Ctrl-C exits with status 130.
The output folder is unchanged in both cases.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..errors import EvalkitError
from .params import parse_parameter, quote_value
from .run import run_report

__all__ = ["build_parser", "format_summary", "main", "parse_parameter"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evalkit",
        description="evalkit report: run every notebook, write offline HTML pages and a summary.",
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
        help="run only this notebook (repeatable)",
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status (0, 1 on an error, 130 on Ctrl-C)."""
    args = build_parser().parse_args(argv)
    try:
        params = _parameters(args.parameter)
        summary = run_report(
            notebooks=args.notebooks, data_dir=args.data, out_dir=args.out, parameters=params
        )
    except EvalkitError as exc:
        print(f"evalkit report: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        reason = str(exc) or "interrupted (Ctrl-C); the output folder is unchanged"
        print(f"evalkit report: {reason}", file=sys.stderr)
        return 130
    if len(summary):
        print(format_summary(summary))
    return 0


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
