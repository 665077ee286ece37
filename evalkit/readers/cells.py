"""The raw cells of a file: CSV text told apart by encoding, and ``.xlsx`` saved values.

Each reader returns the file's rows as lists of cells, blank rows included,
so that the row numbers in messages are the file's. CSV text is decoded line
by line (a file mixing UTF-8 and CP932 is refused, never garbled); a
workbook is read from the cells its XML holds, never from the size it
claims, so that neither can be made to exhaust memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import math
import re
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import EvalkitError, quote


def _column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


#: Excel's limits, which no file read here may exceed: rows and columns of a sheet.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
#: Largest workbook unpacked (the sum of its parts' sizes as its zip directory
#: states them): a few kilobytes of .xlsx can unpack to gigabytes.
MAX_UNPACKED_BYTES = 512 * 2**20


# ----------------------------------------------------------------------------- CSV text

# CP932 maps its user-defined area (外字) and a few stray bytes to private-use
# and control characters: no real text, and the sign of another encoding.
_CP932_ODD = re.compile(r"[\x80-\x9f\ue000-\uf8ff]")
# Physical lines, as csv and io split them (\r\n, \r or \n). Neither UTF-8 nor
# CP932 ever uses the bytes of \r and \n inside a character.
_LINES = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
# ISO-2022-JP (JIS) escape sequences: ESC $ B, ESC $ @, ESC ( B, ESC ( J ...
_JIS_ESCAPE = re.compile(rb"\x1b(?:\$[@B]|\$\([DOPQ]|\([BJI])")
_NAMES = {"utf-8": "UTF-8", "cp932": "CP932 (Shift_JIS)"}
_NOT_TEXT = "the file is neither UTF-8 nor CP932 (Shift_JIS) text"
_SAVE = "save it as 'CSV UTF-8'"


def _line_encoding(line: bytes) -> str:
    """How one line decodes: "ascii", "utf-8" (with non-ASCII), "cp932" (only), or "neither"."""
    if line.isascii():
        return "ascii"
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        text = line.decode("cp932")
    except UnicodeDecodeError:
        return "neither"
    return "neither" if _CP932_ODD.search(text) else "cp932"


def _spreadsheet_rows(lines: list[bytes], delimiter: str) -> list[int]:
    """Row of each physical line as a spreadsheet counts rows (a quoted cell may span lines)."""
    rows: list[int] = []
    reader = csv.reader((line.decode("latin-1") for line in lines), delimiter=delimiter)
    try:
        for record, _ in enumerate(reader, start=1):
            rows.extend([record] * (reader.line_num - len(rows)))
    except csv.Error:  # lines past a broken quote: count them one a row
        pass
    start = rows[-1] + 1 if rows else 1
    rows.extend(range(start, start + len(lines) - len(rows)))
    return rows


def _decode(raw: bytes, source: str, delimiter: str = ",") -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), else CP932, never a mixture.

    Each line is classified on its own: valid UTF-8 with non-ASCII characters,
    or decodable only as CP932. A file whose lines disagree (a row pasted from
    a file in the other encoding) is refused at the first row that differs
    from the rest: read as one encoding, the other rows' names would be
    garbled without any decoding error (UTF-8 人事課 reads as CP932 莠ｺ莠玖ｪｲ).
    A line that is neither is refused at its row.
    """
    head = raw[:1000]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (head and head.count(0) * 4 >= len(head)):
        raise EvalkitError(
            "the file is UTF-16 text (Excel's 'Unicode text'); save it as 'CSV UTF-8' "
            "or as an .xlsx workbook",
            file=source,
        )
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8) :] if bom else raw
    jis = _JIS_ESCAPE.search(body)
    if jis is None:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    lines = _LINES.findall(body)
    if jis is not None:
        ends = itertools.accumulate(len(line) for line in lines)
        i = next(k for k, end in enumerate(ends) if end > jis.start())
        raise EvalkitError(
            "the file is ISO-2022-JP (JIS) text: this row holds the escape sequence "
            f"ESC {jis.group()[1:].decode('ascii').replace('', ' ').strip()} that switches "
            "to Japanese, which evalkit does not read; save the file as 'CSV UTF-8', or as "
            "CP932 (Shift_JIS, Excel's 'CSV (comma delimited)' in Japanese Windows)",
            file=source,
            row=_spreadsheet_rows(lines, delimiter)[i],
        )
    kinds = [_line_encoding(line) for line in lines]
    n_utf8, n_cp932 = kinds.count("utf-8"), kinds.count("cp932")
    if "neither" not in kinds and not (n_cp932 and (n_utf8 or bom)):
        return body.decode("cp932")
    rows = _spreadsheet_rows(lines, delimiter)  # only now: messages name rows
    if "neither" in kinds:
        _refuse_undecodable(kinds.index("neither"), lines, kinds, rows, source, bom=bom)
    if bom:
        i = kinds.index("cp932")
        raise EvalkitError(
            "the file starts with the mark of UTF-8 text (a byte order mark), but this row is "
            f"CP932 (Shift_JIS) text ({_count_rows(rows, kinds, 'cp932')} row(s) are); a file "
            "must be in one encoding: save it again as 'CSV UTF-8'",
            file=source,
            row=rows[i],
            value=lines[i].decode("cp932").rstrip("\r\n"),
        )
    first = next(k for k in kinds if k != "ascii")
    rest = first if n_utf8 == n_cp932 else "utf-8" if n_utf8 > n_cp932 else "cp932"
    odd = "cp932" if rest == "utf-8" else "utf-8"
    i = kinds.index(odd)
    raise EvalkitError(
        f"the file mixes two text encodings: {_count_rows(rows, kinds, rest)} row(s) are "
        f"{_NAMES[rest]} and {_count_rows(rows, kinds, odd)} are {_NAMES[odd]}, the first of "
        "them this one (probably pasted from another file); read as one encoding, the other "
        "rows' Japanese would be garbled. Retype the text of those rows, then save the file "
        "as 'CSV UTF-8'",
        file=source,
        row=rows[i],
        value=lines[i].decode(odd).rstrip("\r\n"),
    )


def _count_rows(rows: list[int], kinds: list[str], kind: str) -> int:
    """How many spreadsheet rows hold a line of ``kind``."""
    return len({row for row, k in zip(rows, kinds, strict=True) if k == kind})


def _refuse_undecodable(
    i: int, lines: list[bytes], kinds: list[str], rows: list[int], source: str, *, bom: bool
) -> None:
    """EvalkitError for line ``i``, which is neither UTF-8 nor CP932, in words that fit the rest."""
    line = lines[i]
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as err:
        utf8_at = err.start
    try:
        text = line.decode("cp932")
    except UnicodeDecodeError as err:
        cp932_value: Any = line[err.start : err.start + 4]
        cp932_says = "CP932 decoding fails on it too"
    else:
        cp932_value = _CP932_ODD.search(text).group()  # type: ignore[union-attr]
        cp932_says = "CP932 decoding gives a character CP932 leaves to user-defined characters"
    if bom or "utf-8" in kinds:
        raise EvalkitError(
            f"{_NOT_TEXT}: it is UTF-8, but this row has a byte that is not UTF-8 "
            f"({cp932_says}); the row probably holds text pasted from another encoding such "
            "as Latin-1: retype that text and save the file as 'CSV UTF-8'",
            file=source,
            row=rows[i],
            value=line[utf8_at : utf8_at + 4],
        )
    if "cp932" in kinds:
        utf8_row = rows[next(k for k, kind in enumerate(kinds) if kind != "ascii")]
        raise EvalkitError(
            f"{_NOT_TEXT}: UTF-8 decoding fails on row {utf8_row}, and CP932 decoding, which "
            f"reads the other rows, fails here ({cp932_says.replace(' too', '')}); fix the "
            f"byte, or {_SAVE}",
            file=source,
            row=rows[i],
            value=cp932_value,
        )
    raise EvalkitError(
        f"{_NOT_TEXT}: neither reads this row (UTF-8 decoding fails on it, and "
        f"{cp932_says}); {_SAVE}",
        file=source,
        row=rows[i],
        value=cp932_value,
    )


_CSV_ERRORS = (
    (
        "unexpected end of data",
        'a quoted cell that starts on this row is never closed: its " runs to the end of the '
        'file; close the quote, or write a " inside a cell as ""',
    ),
    (
        "expected after",
        'text follows the closing quote of a cell; a cell that starts with " must end with " '
        'just before the next separator (write a " inside a cell as "")',
    ),
    (
        "field larger than field limit",
        'a cell that starts on this row is longer than 131,072 characters; a " probably opens '
        "a quoted cell that is not closed where it should be",
    ),
)


def _read_csv_cells(path: Path, source: str, delimiter: str) -> list[list[Any]]:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise EvalkitError(f"cannot read the file: {err.strerror or err}", file=source) from None
    text = _decode(raw, source, delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[Any]] = []
    try:
        for record in reader:
            if len(record) > MAX_COLUMNS:
                raise EvalkitError(
                    f"the row has {len(record):,} cells; a sheet has at most {MAX_COLUMNS:,} "
                    "columns, and evalkit reads no more: remove the extra separators",
                    file=source,
                    row=len(rows) + 1,
                )
            rows.append(record)
    except csv.Error as err:
        reason = next((r for key, r in _CSV_ERRORS if key in str(err)), None)
        raise EvalkitError(
            reason or f"not a readable CSV file: {err}", file=source, row=len(rows) + 1
        ) from None
    return rows


# ----------------------------------------------------------------------------- workbooks


class MergedRange(NamedTuple):
    """A range of merged cells of a sheet (1-based bounds, as Excel numbers them)."""

    ref: str
    min_col: int
    min_row: int
    max_col: int
    max_row: int


def _read_excel_cells(
    path: Path, source: str, sheet: str | int | None
) -> tuple[list[Sequence[Any]], str, tuple[MergedRange, ...]]:
    """Rows of saved cell values of one worksheet, its title, and its merged ranges.

    The sheet is read from the cells its XML holds, never from the size it
    claims (``<dimension>``) or by filling merged ranges, so that a small
    file cannot ask for the whole 1,048,576 x 16,384 sheet.
    """
    _check_package(path, source)
    # The file is opened here, not by openpyxl, so that it is closed even when
    # openpyxl fails half-way through a damaged workbook.
    with open(path, "rb") as fh:
        return _read_workbook(fh, source, sheet)


def _read_workbook(
    fh: Any, source: str, sheet: str | int | None
) -> tuple[list[Sequence[Any]], str, tuple[MergedRange, ...]]:
    import openpyxl

    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it ignores (data validation,
            # default styles); they do not change cell values.
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except Exception as err:  # zip, XML or format errors of a damaged or mislabelled file
        raise EvalkitError(f"not a readable Excel workbook: {err}", file=source) from None
    try:
        ws = _choose_sheet(wb, source, sheet)
        where = f"{source} (sheet {ws.title!r})"
        reader = _SheetReader(ws, where, data_only=True)
        values: dict[tuple[int, int], Any] = {}
        saved_blank: set[tuple[int, int]] = set()  # formulas whose saved result is ""
        for r, c, value, kind in reader.cells():
            if kind == "e":
                raise EvalkitError(
                    f"cell {_column_letter(c - 1)}{r} holds the Excel error {value} (a formula "
                    "that failed, or a date Excel cannot show); correct it in Excel",
                    file=where,
                    row=r,
                    column=_column_letter(c - 1),
                    value=value,
                )
            if isinstance(value, float) and not math.isfinite(value):
                raise EvalkitError(
                    f"cell {_column_letter(c - 1)}{r} holds a number too large for Excel; the "
                    "workbook is damaged: correct the cell in Excel",
                    file=where,
                    row=r,
                    column=_column_letter(c - 1),
                    value=value,
                )
            if value is not None:
                values[(r, c)] = value
            elif kind == "str":
                saved_blank.add((r, c))
        rows = _rows_of(values)
        # A formula whose result was never saved (a workbook written by openpyxl or
        # pandas and not opened in Excel since) reads as a blank cell. Only then is
        # it worth looking for formulas, and only in a sheet that has some.
        width = max((len(r) for r in rows), default=0)
        if any(len(r) < width or None in r for r in rows) and _has_formulas(ws):
            _refuse_formulas_without_values(ws, rows, saved_blank, where)
        return rows, ws.title, tuple(reader.merged)
    finally:
        wb.close()


def _check_package(path: Path, source: str) -> None:
    """EvalkitError for a file that is not a zip package, or unpacks to too much."""
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(info.file_size for info in z.infolist())
    except Exception as err:  # not a zip: a mislabelled or truncated file
        raise EvalkitError(f"not a readable Excel workbook: {err}", file=source) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise EvalkitError(
            f"the workbook unpacks to {unpacked / 2**20:,.0f} MB, more than the "
            f"{MAX_UNPACKED_BYTES / 2**20:,.0f} MB evalkit reads; save the table in a "
            "workbook of its own, or as 'CSV UTF-8'",
            file=source,
        )


def _choose_sheet(wb: Any, source: str, sheet: str | int | None) -> Any:
    """The worksheet asked for; by default the active sheet if visible, else the first visible."""
    worksheets = list(wb.worksheets)
    names = [ws.title for ws in worksheets]
    charts = [cs.title for cs in wb.chartsheets]
    listing = ", ".join(quote(n, 60) for n in names[:20]) + (
        f" and {len(names) - 20} more" if len(names) > 20 else ""
    )
    if not worksheets:
        only = (
            f" (only the chart sheet(s) {', '.join(quote(c, 60) for c in charts[:20])}, which hold "
            "no cells)"
            if charts
            else ""
        )
        raise EvalkitError(
            f"the workbook has no worksheet{only}; if it should have one, it is damaged: "
            "open it in Excel and save it again",
            file=source,
        )
    if sheet is None:
        active = wb.active
        if any(active is ws for ws in worksheets) and active.sheet_state == "visible":
            return active
        visible = [ws for ws in worksheets if ws.sheet_state == "visible"]
        if not visible:
            raise EvalkitError(
                f"every worksheet of the workbook is hidden ({listing}); choose one with sheet=",
                file=source,
            )
        return visible[0]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if not 0 <= sheet < len(worksheets):
            raise EvalkitError(
                f"the workbook has {len(worksheets)} sheet(s) ({listing}); sheet numbers start "
                "at 0" + (" and do not count chart sheets" if charts else ""),
                file=source,
                column="sheet",
                value=sheet,
            )
        return worksheets[sheet]
    if isinstance(sheet, str) and sheet in names:
        return worksheets[names.index(sheet)]
    if isinstance(sheet, str) and sheet in charts:
        raise EvalkitError(
            f"sheet {sheet!r} is a chart sheet, which holds no cells; read a worksheet: {listing}",
            file=source,
            column="sheet",
            value=sheet,
        )
    raise EvalkitError(
        f"no such sheet; the workbook has {listing}", file=source, column="sheet", value=sheet
    )


class _SheetReader:
    """The cells a worksheet's XML holds, in file order, and its merged ranges.

    Uses openpyxl's own streaming parser, as its read-only worksheets do, but
    yields only the cells present: a read-only worksheet pads every row to
    the width the sheet claims, and a normal one creates a cell for every
    cell of a merged range, so either can be made to fill the memory by a
    few bytes of XML.
    """

    def __init__(self, ws: Any, where: str, *, data_only: bool) -> None:
        self.ws = ws
        self.where = where
        self.data_only = data_only
        self.merged: list[MergedRange] = []

    def cells(self) -> Iterator[tuple[int, int, Any, str]]:
        """(row, column, value, data type) of each cell; ``merged`` is set at the end."""
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
                with self.ws._get_source() as src:
                    parser = self._parser(src)
                    for _, row in parser.parse():
                        for cell in row:
                            r, c = cell["row"], cell["column"]
                            if not (1 <= r <= MAX_ROWS and 1 <= c <= MAX_COLUMNS):
                                raise ValueError(f"cell outside the sheet: row {r}, column {c}")
                            yield r, c, cell["value"], cell["data_type"]
                    self.merged = _merged_ranges(parser)
        except Exception as err:  # damaged XML, a bad shared-string index, a bad reference
            raise EvalkitError(
                f"not a readable Excel workbook: the sheet is damaged ({err})", file=self.where
            ) from None

    def _parser(self, src: Any) -> Any:
        from openpyxl.worksheet._reader import WorkSheetParser

        wb = self.ws.parent
        return WorkSheetParser(
            src,
            self.ws._shared_strings,
            data_only=self.data_only,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )


def _merged_ranges(parser: Any) -> list[MergedRange]:
    from openpyxl.utils import range_boundaries

    ranges = []
    for merge in parser.merged_cells.mergeCell if parser.merged_cells else []:
        # whole columns (A:B) or rows (3:4) have no row or column bounds
        c0, r0, c1, r1 = range_boundaries(merge.ref)
        ranges.append(MergedRange(merge.ref, c0 or 1, r0 or 1, c1 or MAX_COLUMNS, r1 or MAX_ROWS))
    return ranges


def _rows_of(values: dict[tuple[int, int], Any]) -> list[Sequence[Any]]:
    """Rows of cell values (1-based keys) as lists up to each row's last value; () for none."""
    by_row: dict[int, dict[int, Any]] = {}
    for (r, c), value in values.items():
        by_row.setdefault(r, {})[c] = value
    rows: list[Sequence[Any]] = [()] * max(by_row, default=0)
    for r, cells in by_row.items():
        row: list[Any] = [None] * max(cells)
        for c, value in cells.items():
            row[c - 1] = value
        rows[r - 1] = row
    return rows


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(ws: Any) -> bool:
    """Whether the worksheet holds a formula (an ``<f>`` element)."""
    try:
        with ws._get_source() as src:
            return _FORMULA_TAG.search(src.read()) is not None
    except Exception:  # let the second reading decide
        return True


def _refuse_formulas_without_values(
    ws: Any, rows: list[Sequence[Any]], saved_blank: set[tuple[int, int]], where: str
) -> None:
    """EvalkitError at the first formula cell that has no saved result.

    The sheet is read a second time with its formulas. A formula whose saved
    result is an empty string (Excel writes it as a string cell) is a real
    blank and passes; so does a formula below the last row with a value.
    """
    for r, c, formula, kind in _SheetReader(ws, where, data_only=False).cells():
        if kind != "f" or r > len(rows) or (r, c) in saved_blank:
            continue
        if c <= len(rows[r - 1]) and rows[r - 1][c - 1] is not None:
            continue
        raise EvalkitError(
            f"cell {_column_letter(c - 1)}{r} holds a formula without a saved result "
            "(the workbook was written by a program such as openpyxl or pandas and "
            "never calculated), so its value cannot be read; open the workbook in "
            "Excel and save it, then read it again",
            file=where,
            row=r,
            column=_column_letter(c - 1),
            value=getattr(formula, "text", formula),
        )
