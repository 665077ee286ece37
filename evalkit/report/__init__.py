"""The report: ``evalkit report``, notebook runs, offline HTML pages and key-figure rows.

- :mod:`~evalkit.report.cli`: the command line (``evalkit report``);
- :mod:`~evalkit.report.run`: executing the notebooks with their parameters;
- :mod:`~evalkit.report.params`: ``-p`` values and the names a notebook declares;
- :mod:`~evalkit.report.output`: the output folder (manifest, lock, final move);
- :mod:`~evalkit.report.pages`: self-contained HTML pages and the index;
- :mod:`~evalkit.report.kpis`: the key-figure rows of ``summary.csv``.

:func:`kpi_row` and :func:`kpi_table` are imported with ``import evalkit``;
the other modules load on first use, and Jupyter only when a report runs.
"""

import importlib

from .kpis import KPI_COLUMNS, kpi_row, kpi_table

_LAZY = {
    "EMBEDDED_FONT_FAMILY": "pages",
    "build_parser": "cli",
    "declared_parameters": "params",
    "default_notebook_dir": "run",
    "embed_japanese_font": "pages",
    "export_html": "pages",
    "format_summary": "cli",
    "main": "cli",
    "parse_parameter": "params",
    "run_report": "run",
}

__all__ = ["KPI_COLUMNS", "kpi_row", "kpi_table", *_LAZY]


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'evalkit.report' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
