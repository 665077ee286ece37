"""Spreadsheet-ready files: key-figure CSVs (UTF-8 with BOM) and ``summary.xlsx``.

Rules every CSV and workbook the report writes follows:

- CSVs are UTF-8 with a byte-order mark, so that Excel opens Japanese text
  correctly by double-click; numbers are written with 10 significant digits
  (no floating-point noise such as 0.8387096774193549 or 1800.0000000000002).
- A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is written with a single quote ``'`` before it (the OWASP
  rule against CSV injection: a spreadsheet would run it as a formula).
  Text that already starts with quotes followed by one of those characters
  gets one more quote, so that :func:`restore_text` gives back exactly the
  text written. Numbers, negative ones included, stay numbers.
- Read back with ``pd.read_csv(path, keep_default_na=False, na_values=[""])``
  (what :func:`read_kpi_csv` does): pandas' default would read an indicator
  called ``NA`` or ``None`` as missing; quoting does not prevent that.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .figures import (
    display_width,
    format_figure,
    reproduced_label,
    unit_label,
    verdict_label,
)
from .kpis import KPI_COLUMNS, default_decimals

__all__ = [
    "SUMMARY_HEADERS",
    "neutralise",
    "read_kpi_csv",
    "restore_text",
    "write_kpi_csv",
    "write_summary_xlsx",
]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBERS = ("value", "ci_low", "ci_high", "target", "published")
_FLAGS = ("met", "met_confidently", "reproduced")
#: ``float_format`` of every CSV the report writes: 10 significant digits.
FLOAT_FORMAT = "%.10g"


def neutralise(text: Any) -> Any:
    """Text a spreadsheet would read as a formula, with a ``'`` before it; anything else as is.

    Examples
    --------
    >>> neutralise("=1+1"), neutralise("-5 %"), neutralise("@SUM(A1)"), neutralise("満足度")
    ("'=1+1", "'-5 %", "'@SUM(A1)", '満足度')
    >>> neutralise(-0.5), neutralise("'=x")
    (-0.5, "''=x")
    """
    if isinstance(text, str) and text.lstrip("'").startswith(_TRIGGERS):
        return "'" + text
    return text


def restore_text(text: Any) -> Any:
    """The text :func:`neutralise` was given.

    Examples
    --------
    >>> restore_text("'=1+1"), restore_text("''=x"), restore_text("'quoted")
    ('=1+1', "'=x", "'quoted")
    """
    if isinstance(text, str) and text.startswith("'") and text.lstrip("'").startswith(_TRIGGERS):
        return text[1:]
    return text


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [
        c
        for c in frame.columns
        if not (pd.api.types.is_numeric_dtype(frame[c]) or pd.api.types.is_bool_dtype(frame[c]))
    ]


def write_kpi_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write key figures (or ``summary.csv``) as UTF-8 with BOM, neutralised, 10 digits.

    Examples
    --------
    >>> import tempfile
    >>> from evalkit.report.kpis import kpi_row, kpi_table
    >>> t = kpi_table([kpi_row("=HYPERLINK()", "NA", value=1800.0000000000002, unit="hours")])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_kpi_csv(t, Path(d) / "k.csv")
    ...     raw = p.read_bytes()
    ...     back = read_kpi_csv(p)
    >>> raw[:3] == b"\\xef\\xbb\\xbf", b"'=HYPERLINK()" in raw, b",1800," in raw
    (True, True, True)
    >>> back.loc[0, "initiative"], back.loc[0, "indicator"], float(back.loc[0, "value"])
    ('=HYPERLINK()', 'NA', 1800.0)
    """
    out = frame.copy()
    for col in _text_columns(out):
        out[col] = out[col].map(neutralise)
    out.to_csv(path, index=False, encoding="utf-8-sig", float_format=FLOAT_FORMAT)
    return path


def read_kpi_csv(path: Path) -> pd.DataFrame:
    """Read a key-figure CSV written by a notebook or by :func:`write_kpi_csv`.

    Blank cells are missing values and nothing else is (an indicator called
    ``NA`` stays ``NA``); the columns of :data:`~evalkit.report.kpis.KPI_COLUMNS`
    get their types (numbers, nullable booleans, ``decimals`` as ``Int64``;
    a file without ``decimals`` gets the default of each unit); neutralised
    text is restored.
    """
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame = pd.DataFrame(index=raw.index)
    for col in raw.columns:
        cells = raw[col]
        if col in _NUMBERS:
            frame[col] = pd.to_numeric(cells.replace("", None)).astype("float64")
        elif col in _FLAGS:
            frame[col] = pd.array(
                [{"True": True, "False": False}.get(c.strip()) for c in cells], dtype="boolean"
            )
        elif col == "decimals":
            frame[col] = pd.array(
                [None if c.strip() == "" else int(float(c)) for c in cells], dtype="Int64"
            )
        elif col == "direction":
            frame[col] = [c if c else None for c in cells]
        else:
            frame[col] = [restore_text(c) for c in cells]
    if "decimals" not in frame.columns and {"unit", "value"} <= set(frame.columns):
        frame["decimals"] = pd.array(
            [
                None if pd.isna(v) else default_decimals(u)
                for u, v in zip(frame["unit"], frame["value"], strict=True)
            ],
            dtype="Int64",
        )
    first = [c for c in ["notebook", *KPI_COLUMNS] if c in frame.columns]
    return frame[first + [c for c in frame.columns if c not in first]]


# -- summary.xlsx ---------------------------------------------------------------------------------

#: Headers of the first sheet of ``summary.xlsx``, by ``summary.csv`` column.
SUMMARY_HEADERS = {
    "notebook": "ノートブック (notebook)",
    "initiative": "取組 (initiative)",
    "indicator": "指標 (indicator)",
    "value": "値 (value)",
    "ci_low": "信頼区間 下限 (ci_low)",
    "ci_high": "信頼区間 上限 (ci_high)",
    "unit": "単位 (unit)",
    "target": "目標 (target)",
    "direction": "目標の向き (direction)",
    "met": "判定 (met)",
    "met_confidently": "信頼区間でも達成 (met_confidently)",
    "published": "公表値 (published)",
    "reproduced": "公表値の再現 (reproduced)",
    "decimals": "表示桁 (decimals)",
}
_MAX_WIDTH = 60
_SHEET_SUMMARY = "主要指標"
_SHEET_PROVENANCE = "出典・再現情報"


def _number_format(unit: Any, decimals: Any) -> str:
    unit = "" if pd.isna(unit) else str(unit)
    d = default_decimals(unit) if pd.isna(decimals) else int(decimals)
    if unit == "ratio":
        places = max(d - 2, 0)
        return "0" + ("." + "0" * places if places else "") + "%"
    places = max(d, 0)
    return "#,##0" + ("." + "0" * places if places else "")


def _cell_value(x: Any) -> Any:
    if x is None or x is pd.NA or (isinstance(x, float) and pd.isna(x)):
        return None
    if hasattr(x, "item"):  # NumPy scalars
        x = x.item()
    if isinstance(x, float):
        return float(FLOAT_FORMAT % x)  # 10 significant digits, no floating-point noise
    if isinstance(x, str):
        return neutralise(x)
    return x


def _summary_rows(summary: pd.DataFrame) -> list[tuple[list[Any], dict[int, str], list[str]]]:
    """For each row: the cell values, number formats by column position, the texts shown."""
    columns = list(SUMMARY_HEADERS)
    rows = []
    for rec in summary.to_dict("records"):
        unit, dec = rec.get("unit"), rec.get("decimals")
        cells: list[Any] = []
        formats: dict[int, str] = {}
        shown: list[str] = []
        for pos, col in enumerate(columns):
            x = rec.get(col)
            if col in _NUMBERS:
                cells.append(_cell_value(x))
                if cells[-1] is not None:
                    formats[pos] = _number_format(unit, dec)
                shown.append(format_figure(x, unit, dec) if cells[-1] is not None else "")
                continue
            if col == "unit":
                x = unit_label(x) if not pd.isna(x) else ""
            elif col == "direction":
                x = {">=": "以上", "<=": "以下"}.get(x, "") if isinstance(x, str) else ""
            elif col == "met":
                x = verdict_label(rec.get("met"), rec.get("met_confidently"), rec.get("target"))
            elif col == "met_confidently":
                x = "" if pd.isna(x) else ("はい" if bool(x) else "いいえ")
            elif col == "reproduced":
                x = reproduced_label(x)
            cells.append(_cell_value(x))
            shown.append("" if cells[-1] is None else str(cells[-1]))
        rows.append((cells, formats, shown))
    return rows


def _fit_columns(ws, texts: Sequence[Sequence[str]]) -> None:
    """Column widths from the widest text shown (East Asian wide characters count 2)."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in texts:
        for pos, text in enumerate(row):
            widest = max((display_width(line) for line in str(text).splitlines()), default=0)
            widths[pos] = max(widths.get(pos, 0), widest)
    for pos, width in widths.items():
        letter = get_column_letter(pos + 1)
        ws.column_dimensions[letter].width = min(width + 2, _MAX_WIDTH)
        if width + 2 > _MAX_WIDTH:
            for cell in ws[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _header(ws, headers: Sequence[str]) -> None:
    from openpyxl.styles import Font, PatternFill

    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
    ws.freeze_panes = "A2"


def write_summary_xlsx(
    summary: pd.DataFrame, provenance_rows: Sequence[Sequence[Any]], path: Path
) -> Path:
    """Write ``summary.xlsx``: the rows of ``summary.csv`` with Japanese headers, and provenance.

    The first sheet (主要指標) has one row per key figure: numbers stay
    numbers, shown as % or with 桁区切り at the published precision (the
    ``decimals`` column), verdicts as 達成 / 確実に達成 / 未達 / 判定不能;
    the header row is frozen and every column is as wide as its widest
    text. The second sheet (出典・再現情報) holds ``provenance_rows``
    (ノートブック, 項目, 名前, 値).
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = _SHEET_SUMMARY
    headers = list(SUMMARY_HEADERS.values())
    _header(ws, headers)
    texts: list[list[str]] = [headers]
    for cells, formats, shown in _summary_rows(summary):
        ws.append(cells)
        for pos, fmt in formats.items():
            ws.cell(row=ws.max_row, column=pos + 1).number_format = fmt
        texts.append(shown)
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    _fit_columns(ws, texts)

    prov = wb.create_sheet(_SHEET_PROVENANCE)
    prov_headers = ["ノートブック (notebook)", "項目 (item)", "名前 (name)", "値 (value)"]
    _header(prov, prov_headers)
    texts = [prov_headers]
    for row in provenance_rows:
        cells = [_cell_value(x) for x in row]
        prov.append(cells)
        texts.append(["" if c is None else str(c) for c in cells])
    _fit_columns(prov, texts)
    wb.properties.creator = "evalkit report"
    wb.save(path)
    return path
