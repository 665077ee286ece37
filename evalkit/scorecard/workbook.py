"""The progress sheet as a workbook: ``progress_sheet_fy<YEAR>.xlsx``, ready to print on A4.

:func:`write_progress_sheet` writes a :class:`~evalkit.scorecard.ProgressSheet`
in the report's layout: a title row, the four column headings (frozen), and
per theme section a heading row then a row per initiative; wrapped text,
row heights that show every line, A4 landscape fitted to the page width.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from .sheet import TO_FILL, ProgressSheet

#: Column widths (in characters of the default font) of the four columns.
_WIDTHS = (46, 40, 58, 46)
_FONT = "Meiryo UI"
_SIZE = 10
_LINE_HEIGHT = 14.0  # points per line of a 10-point font, with leading
_MAX_HEIGHT = 409.0  # the largest row height Excel allows


def progress_sheet_file_name(fiscal_year: int) -> str:
    """File name of a year's progress sheet.

    Examples
    --------
    >>> progress_sheet_file_name(2019)
    'progress_sheet_fy2019.xlsx'
    """
    return f"progress_sheet_fy{int(fiscal_year)}.xlsx"


def _lines_shown(text: str, width: int) -> int:
    """Lines a wrapped cell of ``width`` characters shows (East Asian wide characters count 2)."""
    from ..report.figures import display_width

    usable = max(width - 2, 1)
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in text.split("\n"))


def write_progress_sheet(sheet: ProgressSheet, path: str | os.PathLike) -> Path:
    """Write the progress sheet to an ``.xlsx`` workbook.

    Parameters
    ----------
    sheet : ProgressSheet
        The sheet :func:`~evalkit.scorecard.progress_sheet` drafted.
    path : str or path-like
        The workbook to write (conventionally
        :func:`progress_sheet_file_name` of the year).

    Returns
    -------
    pathlib.Path
        ``path``.

    Notes
    -----
    One sheet, 進捗状況: row 1 the title, row 2 the headings (frozen, and
    repeated on every printed page), then per theme a heading row across
    the four columns and a row per initiative. Cells wrap; each row is as
    tall as its longest cell's lines (at most Excel's 409 points). Lines
    marked 【要記入】 are highlighted in the cell's fill. Text that a
    spreadsheet would read as a formula is neutralised
    (:func:`evalkit.report.sheets.neutralise`). A4 landscape, fitted to one
    page wide.

    Examples
    --------
    >>> import tempfile
    >>> from openpyxl import load_workbook
    >>> from evalkit.scorecard import (compute_actuals, evaluate_indicators,
    ...     evaluate_milestones, load_indicators, load_milestones, progress_sheet)
    >>> acts = compute_actuals(random_state=1, fiscal_year=2019)
    >>> sheet = progress_sheet(evaluate_indicators(load_indicators(), actuals=acts),
    ...     milestones=evaluate_milestones(load_milestones()), actuals=acts)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     ws = load_workbook(write_progress_sheet(sheet, f"{d}/s.xlsx")).active
    >>> ws["A1"].value, ws["A3"].value, ws.freeze_panes
    ('令和元年度 進捗状況（令和2年3月末時点）', '庁内のＩＴ化推進', 'A3')
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from ..report.sheets import neutralise

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    font = Font(name=_FONT, size=_SIZE)
    bold = Font(name=_FONT, size=_SIZE, bold=True)

    wb = Workbook()
    ws = wb.active
    ws.title = "進捗状況"
    ws.append([sheet.title])
    ws["A1"].font = Font(name=_FONT, size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
    ws.append(list(sheet.headers))
    for cell in ws[2]:
        cell.font, cell.alignment, cell.border = bold, wrap, border
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
    theme = None
    for row in sheet.rows.itertuples(index=False):
        if row.theme != theme:
            theme = row.theme
            ws.append([neutralise(theme)])
            r = ws.max_row
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
            ws.cell(r, 1).font = bold
            ws.cell(r, 1).fill = PatternFill("solid", fgColor="EEF1F5")
            for c in range(1, 5):
                ws.cell(r, c).border = border
        texts = [row.plan, row.targets, row.progress, row.notes]
        ws.append([neutralise(t) if t else None for t in texts])
        r = ws.max_row
        for c, text in enumerate(texts, start=1):
            cell = ws.cell(r, c)
            cell.font, cell.alignment, cell.border = font, wrap, border
            if TO_FILL in text:
                cell.fill = PatternFill("solid", fgColor="FFF2CC")
        tallest = max(_lines_shown(t, w) for t, w in zip(texts, _WIDTHS, strict=True))
        ws.row_dimensions[r].height = min(_MAX_HEIGHT, tallest * _LINE_HEIGHT + 4)
    ws.row_dimensions[2].height = 2 * _LINE_HEIGHT + 4
    for pos, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(pos)].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    wb.properties.creator = "evalkit"
    out = Path(path)
    wb.save(out)
    return out
