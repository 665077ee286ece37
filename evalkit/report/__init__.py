"""The report: ``evalkit report``, notebook runs, offline HTML pages and key-figure rows.

- :mod:`~evalkit.report.cli`: the command line (``evalkit report``);
- :mod:`~evalkit.report.run`: executing the notebooks with their parameters;
- :mod:`~evalkit.report.params`: ``-p`` values and the names a notebook declares;
- :mod:`~evalkit.report.output`: the output folder (manifest, lock, final move);
- :mod:`~evalkit.report.pages`: self-contained HTML pages (without and with
  code, each opening with the 要点 block) and the index;
- :mod:`~evalkit.report.figures`: key figures as the pages write them
  (83.87 %, 1,800 時間, 70 %以上, 達成), display widths for the terminal;
- :mod:`~evalkit.report.sheets`: ``summary.csv`` and ``kpis/*.csv`` (UTF-8
  with BOM, CSV-injection-safe) and ``summary.xlsx``;
- :mod:`~evalkit.report.provenance`: data files and their SHA-256,
  parameters, ``provenance.json``; executed notebooks without absolute paths;
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
    "format_convert_summary": "cli",
    "format_figure": "figures",
    "format_summary": "cli",
    "main": "cli",
    "parse_parameter": "params",
    "read_kpi_csv": "sheets",
    "resolve_notebook": "run",
    "run_report": "run",
    "write_summary_xlsx": "sheets",
}

__all__ = ["KPI_COLUMNS", "kpi_row", "kpi_table", *_LAZY]


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'evalkit.report' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
