"""The raw cells of a file: CSV text told apart by encoding, and ``.xlsx`` saved values.

Each reader returns the file's rows as lists of cells, blank rows included,
so that the row numbers in messages are the file's.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

from ..errors import EvalkitError


def _column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _line_of(raw: bytes, position: int) -> int:
    """Line of the file (1-based, blank lines counted) holding byte ``position``."""
    return raw.count(b"\n", 0, position) + 1


# CP932 maps its user-defined area (外字) and a few stray bytes to private-use
# and control characters: no real text, and the sign of another encoding.
_CP932_ODD = re.compile(r"[\x80-\x9f\ue000-\uf8ff]")


def _decode(raw: bytes, source: str) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), else CP932.

    A file that is neither is refused at the byte that is truly out of place:
    UTF-8 is self-checking, so when the bytes before the first non-UTF-8
    byte already hold UTF-8 multi-byte characters the file is UTF-8 and that
    byte is the odd one (a line pasted from a Latin-1 file, say); when they
    are plain ASCII the file may be CP932, and the odd byte is where CP932
    decoding fails.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise EvalkitError(
            "the file is UTF-16 text (Excel's 'Unicode text'); save it as 'CSV UTF-8' "
            "or as an .xlsx workbook",
            file=source,
        )
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        utf8_at = bom + err.start
    cp932_at: int | None = None  # byte where CP932 decoding fails
    odd_char: str | None = None  # or the user-defined character it gives
    try:
        text = raw.decode("cp932")
    except UnicodeDecodeError as err:
        cp932_at = err.start
    else:
        odd = _CP932_ODD.search(text)
        if odd is None:
            return text
        odd_char = odd.group()
        odd_line = text.count("\n", 0, odd.start()) + 1
    not_text = "the file is neither UTF-8 nor CP932 (Shift_JIS) text"
    save = "save it as 'CSV UTF-8'"
    utf8_line = _line_of(raw, utf8_at)
    if cp932_at is not None:
        cp932_line = _line_of(raw, cp932_at)
        cp932_says = f"CP932 decoding fails on row {cp932_line}"
    else:
        cp932_line = odd_line
        cp932_says = (
            f"CP932 decoding gives a character CP932 leaves to user-defined characters "
            f"on row {cp932_line}"
        )
    if bom or not raw[:utf8_at].isascii():
        # UTF-8 characters before the bad byte: a UTF-8 file with a stray byte.
        raise EvalkitError(
            f"{not_text}: it is UTF-8 up to this row, where a byte is not UTF-8 ({cp932_says}); "
            "the row probably holds text pasted from another encoding such as Latin-1: "
            "retype that text and save the file as 'CSV UTF-8'",
            file=source,
            row=utf8_line,
            value=raw[utf8_at : utf8_at + 4],
        )
    if odd_char is not None:
        raise EvalkitError(
            f"{not_text} (it has a byte CP932 leaves to user-defined characters; UTF-8 "
            f"decoding fails on row {utf8_line}); {save}",
            file=source,
            row=cp932_line,
            value=odd_char,
        )
    raise EvalkitError(
        f"{not_text}: UTF-8 decoding fails on row {utf8_line}, and CP932 decoding, which "
        f"reads the file up to this row, fails here; fix the byte, or {save}",
        file=source,
        row=cp932_line,
        value=raw[cp932_at : cp932_at + 4],
    )


def _read_csv_cells(path: Path, source: str, delimiter: str) -> list[list[Any]]:
    text = _decode(path.read_bytes(), source)
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as err:
        raise EvalkitError(f"not a readable CSV file: {err}", file=source) from None


def _read_excel_cells(path: Path, source: str, sheet: str | int | None) -> tuple[list, str]:
    import openpyxl

    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it ignores (data validation,
            # default styles); they do not change cell values.
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as err:  # zip, XML or format errors of a damaged or mislabelled file
        raise EvalkitError(f"not a readable Excel workbook: {err}", file=source) from None
    names = wb.sheetnames
    if sheet is None:
        ws = wb.worksheets[0]
    elif isinstance(sheet, int) and not isinstance(sheet, bool):
        if not 0 <= sheet < len(wb.worksheets):
            raise EvalkitError(
                f"the workbook has {len(wb.worksheets)} sheet(s) ({', '.join(names)}); "
                "sheet numbers start at 0",
                file=source,
                column="sheet",
                value=sheet,
            )
        ws = wb.worksheets[sheet]
    elif isinstance(sheet, str) and sheet in names:
        ws = wb[sheet]
    else:
        raise EvalkitError(
            f"no such sheet; the workbook has {', '.join(repr(n) for n in names)}",
            file=source,
            column="sheet",
            value=sheet,
        )
    rows = [list(r) for r in ws.iter_rows(min_row=1, max_row=ws.max_row, values_only=True)]
    # A formula whose result was never saved (a workbook written by openpyxl or
    # pandas and not opened in Excel since) reads as a blank cell. Only then is
    # it worth looking for formulas, and only in a workbook that has some.
    if any(v is None for r in rows for v in r) and _has_formulas(path):
        _refuse_formulas_without_values(path, ws, rows, f"{source} (sheet {ws.title!r})")
    wb.close()
    return rows, ws.title


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the workbook holds a formula (an ``<f>`` element)."""
    try:
        with zipfile.ZipFile(path) as z:
            return any(
                _FORMULA_TAG.search(z.read(name))
                for name in z.namelist()
                if name.startswith("xl/worksheets/") and name.endswith(".xml")
            )
    except (OSError, zipfile.BadZipFile, KeyError):
        return True  # let the second reading decide


def _refuse_formulas_without_values(path: Path, ws: Any, rows: list[list[Any]], source: str):
    """EvalkitError at the first formula cell that has no saved result.

    ``ws`` is the sheet read with ``data_only=True``; the workbook is read a
    second time with its formulas. A formula whose saved result is an empty
    string (Excel writes it as a string cell) is a real blank and passes.
    """
    import openpyxl

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        wb = openpyxl.load_workbook(path, data_only=False, read_only=True)
    try:
        for i, cells in enumerate(wb[ws.title].iter_rows(min_row=1, max_row=len(rows))):
            for j, cell in enumerate(cells):
                if getattr(cell, "data_type", None) != "f":
                    continue
                if j < len(rows[i]) and rows[i][j] is not None:
                    continue
                if ws.cell(row=i + 1, column=j + 1).data_type == "str":
                    continue  # saved result: an empty string
                formula = getattr(cell.value, "text", cell.value)
                raise EvalkitError(
                    f"cell {_column_letter(j)}{i + 1} holds a formula without a saved result "
                    "(the workbook was written by a program such as openpyxl or pandas and "
                    "never calculated), so its value cannot be read; open the workbook in "
                    "Excel and save it, then read it again",
                    file=source,
                    row=i + 1,
                    column=_column_letter(j),
                    value=formula,
                )
    finally:
        wb.close()
