"""The report: ``evalkit report``, notebook runs, offline HTML pages and key-figure rows.

- :mod:`~evalkit.report.cli`: the command line (``evalkit report``);
- :mod:`~evalkit.report.run`: executing the notebooks with their parameters;
- :mod:`~evalkit.report.pages`: self-contained HTML pages and the index;
- :mod:`~evalkit.report.kpis`: the key-figure rows of ``summary.csv``.

Nothing here imports Jupyter until a report runs, so :func:`kpi_row` is
available from ``import evalkit`` at no cost.
"""

from .cli import build_parser, format_summary, main, parse_parameter
from .kpis import KPI_COLUMNS, kpi_row, kpi_table
from .pages import EMBEDDED_FONT_FAMILY, embed_japanese_font, export_html
from .run import default_notebook_dir, run_report

__all__ = [
    "EMBEDDED_FONT_FAMILY",
    "KPI_COLUMNS",
    "build_parser",
    "default_notebook_dir",
    "embed_japanese_font",
    "export_html",
    "format_summary",
    "kpi_row",
    "kpi_table",
    "main",
    "parse_parameter",
    "run_report",
]
