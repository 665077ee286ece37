"""Notebooks written by the report tests (imported as ``report_helpers``)."""

import nbformat

KPI_CELL = """\
from evalkit.report.kpis import kpi_row, kpi_table
table = kpi_table([kpi_row("テスト施策", "満足度", value=0.8, ci=(0.7, 0.9), unit="ratio",
                           target=threshold)])
if kpi_csv:
    table.to_csv(kpi_csv, index=False)
table"""


def write_notebook(path, parameters, *cells):
    """A notebook with a cell tagged ``parameters`` holding ``parameters``, then ``cells``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    first = nbformat.v4.new_code_cell(parameters)
    first.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# 見出し"), first]
    nb.cells += [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, str(path))
    return path
