"""Read the tables analysts really have: CSV or Excel, Japanese headers, written numbers.

:func:`read_table` reads a ``.csv`` (UTF-8, UTF-8 with BOM or CP932) or
``.xlsx``/``.xlsm`` file into a DataFrame with the canonical names and proper
dtypes of a :class:`~evalkit.Schema` (see :mod:`evalkit.readers.schema`),
from the raw cells of :mod:`evalkit.readers.cells`, and names the file, row,
column and value of anything it cannot read.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._validation import ROWS_ATTR, describe_character, encode_rows, invisible_character
from ..errors import EvalkitError, quote
from .cells import MergedRange, _column_letter, _read_csv_cells, _read_excel_cells
from .fiscal import parse_month
from .schema import (
    KINDS,
    Column,
    Schema,
    _blank,
    _choice_key,
    _read_number,
    parse_number,
    parse_rate,
    whole_number,
)

__all__ = ["KINDS", "Column", "Schema", "parse_number", "parse_rate", "read_table"]


# ----------------------------------------------------------------------------- converting cells


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime) and value.time() == _dt.time(0):
        return value.date().isoformat()
    if isinstance(value, _dt.date | _dt.datetime | _dt.time):
        return value.isoformat()
    return str(value)


def _check_text(value: Any) -> None:
    """EvalkitError naming the first invisible character of a text cell."""
    if not isinstance(value, str):
        return
    char = invisible_character(value)
    if char is None:
        return
    position = value.index(char) + 1
    kind = unicodedata.category(char)
    if kind == "Co":
        what = "which other computers show differently or not at all; replace it with a standard"
        what += " character"
    elif kind == "Cc":
        what = "which no one types on purpose; delete it"
    else:
        what = (
            "an invisible character (usually pasted in with text from a web page, an e-mail or "
            "a PDF) that makes the text differ from the same text without it; delete it"
        )
    raise EvalkitError(
        f"the text holds {describe_character(char)} at character {position} of "
        f"{len(value)}, {what} (evalkit does not remove characters from your data)",
        value=value,
    )


def _convert(col: Column, value: Any) -> Any:
    """One non-blank cell to the column's kind; EvalkitError naming the value."""
    if col.kind == "text":
        _check_text(value)
        text = _as_text(value)
        if col.choices is not None:
            choices = {_choice_key(c): c for c in col.choices}
            if _choice_key(text) not in choices:
                allowed = ", ".join(repr(c) for c in col.choices)
                raise EvalkitError(f"not one of the allowed values: {allowed}", value=value)
            text = choices[_choice_key(text)]
        return text
    if col.kind == "month":
        return parse_month(value.strip() if isinstance(value, str) else value)
    if isinstance(value, _dt.date | _dt.time):
        raise EvalkitError("expected a number, got a date", value=value)
    if col.kind == "rate":
        number, digits = parse_rate(value), None
    else:
        number, digits = _read_number(value, col.units)
    minus = isinstance(value, str) and value.strip()[:1] in ("△", "▲")
    note = " (△ and ▲ are minus signs)" if minus else ""
    if col.minimum is not None and number < col.minimum:
        raise EvalkitError(f"below the minimum {col.minimum:g}{note}", value=value)
    if col.maximum is not None and number > col.maximum:
        raise EvalkitError(f"above the maximum {col.maximum:g}", value=value)
    if col.kind == "int":
        return whole_number(value, number, digits)
    return number


def _series(col: Column, values: list[Any]) -> pd.Series:
    if col.kind == "text":
        return pd.Series(values, dtype="str", name=col.name)
    if col.kind == "month":
        return pd.Series(
            [pd.NaT if v is None else v for v in values], dtype="period[M]", name=col.name
        )
    if col.kind == "int":
        if col.nullable:
            return pd.Series(
                [pd.NA if v is None else v for v in values], dtype="Int64", name=col.name
            )
        return pd.Series(values, dtype="int64", name=col.name)
    return pd.Series([np.nan if v is None else v for v in values], dtype="float64", name=col.name)


def _extra_series(name: str, values: list[Any]) -> pd.Series:
    cleaned = [None if _blank(v) else (v.strip() if isinstance(v, str) else v) for v in values]
    if all(v is None or isinstance(v, str) for v in cleaned):
        return pd.Series(cleaned, dtype="str", name=name)
    return pd.Series(cleaned, dtype=object, name=name)


# ----------------------------------------------------------------------------- the reader

#: How many non-blank rows at the top of a file are searched for the header.
HEADER_SEARCH_ROWS = 10


def _find_header(rows: list[list[Any]], schema: Schema) -> int | None:
    """Index of the header row: the first row naming every required column.

    Falls back to the row naming most schema columns, then to the first
    non-blank row; None when every row is blank.
    """
    candidates = [i for i, r in enumerate(rows) if not all(_blank(v) for v in r)]
    if not candidates:
        return None
    required = {c.name for c in schema.columns if c.required}
    best, best_score = candidates[0], -1
    for i in candidates[:HEADER_SEARCH_ROWS]:
        found = {c.name for v in rows[i] if not _blank(v) and (c := schema.match(_as_text(v)))}
        if required <= found and found:
            return i
        if len(found) > best_score:
            best, best_score = i, len(found)
    return best


def read_table(
    path: str | os.PathLike, schema: Schema, *, sheet: str | int | None = None
) -> pd.DataFrame:
    """Read a CSV or Excel table into a DataFrame with canonical columns and dtypes.

    Parameters
    ----------
    path : str or path-like
        A ``.csv`` (comma-separated) or ``.tsv`` (tab-separated) text file in
        UTF-8, UTF-8 with BOM or CP932 (Shift_JIS), or an ``.xlsx``/``.xlsm``
        workbook.
    schema : Schema
        The columns expected.
    sheet : str or int, optional
        Workbook sheet, by name or 0-based position among the worksheets
        (chart sheets are not counted); by default the sheet that was active
        when the workbook was saved, if it is visible, else the first visible
        worksheet.

    Returns
    -------
    pandas.DataFrame
        One row per non-blank data row of the file, index 0..n-1. The
        schema's columns come first, in schema order, with dtypes by kind:
        text ``str``, int ``int64`` (``Int64`` if nullable), float and rate
        ``float64``, month ``period[M]``; blanks are missing values. Columns
        the schema does not know follow, in file order, under their header
        as written, values as read (surrounding spaces removed, blanks
        missing): nothing in the file is dropped. ``attrs["source"]`` is the
        file name (with the sheet, for a workbook).

    Raises
    ------
    EvalkitError
        Naming the file, the row (as a spreadsheet counts them, header = row
        1, blank rows included), the column (the header as written in the
        file, followed by the canonical name when they differ) and the value:
        a missing required column (with the headers the file has and the
        ones accepted), two headers naming the same column, values under a
        blank header, a value that is not a number or a month, a blank in a
        column that is not nullable, a value outside ``minimum``/``maximum``
        or ``choices``, two rows with the same ``schema.key``, one name
        written two ways in a ``one_spelling`` column (naming both rows and
        both values); an invisible character in a text cell or header, or a
        digit other than 0-9/０-９ in a number or month (naming its code
        point); a row with more than one value above the header; a workbook
        formula without a saved result, an Excel error value, or merged
        cells in the header or below (naming the sheet, the cell or range
        and the value); a chart sheet, or a workbook without a worksheet;
        a file that is missing, not a path (bytes), empty, of another type,
        neither UTF-8 nor CP932, mixing the two, ISO-2022-JP, or beyond
        the bounds in the Notes.

    Notes
    -----
    - Encoding: the bytes are decoded as UTF-8 (a BOM is dropped) and, if
      that fails, as CP932; a file that is neither is refused, never read
      with replacement characters. Each line is classified on its own
      (valid UTF-8 with non-ASCII characters, or decodable only as CP932):
      a file whose lines disagree, such as a UTF-8 file with one row pasted
      from a CP932 file, is refused at the first row that differs from the
      rest, because read as one encoding the other rows would be garbled
      without any decoding error (UTF-8 人事課 reads as CP932 莠ｺ莠玖ｪｲ). A
      row that is neither is named with the byte out of place. ISO-2022-JP
      (JIS, escape sequences such as ESC $ B) and UTF-16 are refused with
      advice. A quote that is never closed, or text after a closing quote,
      is refused at its row.
    - The header row is the first row, among the first
      :data:`HEADER_SEARCH_ROWS` non-blank rows, that names every required
      column. Blank rows and titles above it are skipped; a title is a row
      with a single value (a merged title counts as one). A row above the
      header with more values is refused: it would be data dropped.
    - Headers match a column's name or alias after NFKC normalisation,
      case-folding and removal of spaces and underscores.
    - Blank rows (every cell empty or spaces) and blank columns (no header,
      no values, as Excel leaves them) are skipped; row numbers in messages
      still count them, so they match the file.
    - Cells: surrounding ASCII and full-width spaces are removed; numbers are
      read by :func:`parse_number` (full-width digits, 1,800, △/▲ minus, a
      unit from ``Column.units``), rates by :func:`parse_rate`, months by
      :func:`evalkit.parse_month` (Excel date cells included). Only 0-9 and
      ０-９ are digits: 10², ① or ٣ in a number or month is refused, never
      read as 102, 1 or 3. Whole numbers are read exactly, up to
      2**53 - 1; a fraction or a larger value is refused. Text is kept as
      written; a text cell or header holding an invisible character
      (Unicode categories Cf, Cc and Co: a zero-width space, a soft hyphen,
      a BOM, a direction mark, a control character, a private-use 外字) is
      refused naming its code point, because it would make one name two.
      Tabs and line breaks inside a cell are text.
    - One spelling per name: in a text column with ``Column.one_spelling``,
      two different values that are equal after NFKC normalisation and
      removal of all whitespace (full-width ＩＴ・業務改革課 and half-width
      IT・業務改革課, 行政改革課 and 行政 改革課) are an error naming both
      rows, the column and both values. They would count as two names, and
      evalkit does not rewrite data to merge them: the file must write the
      name one way. The check runs on the column's unique values.
    - Workbooks: cells are read as the values Excel saved. A formula with no
      saved result (a workbook written by openpyxl or pandas and never
      opened in Excel) would read as blank; it is refused, and the user
      told to open and save the workbook in Excel. The formulas are looked
      for (a second reading of the sheet) only when the sheet has blank
      cells and formulas. An Excel error value (#N/A, #DIV/0!) is refused.
      A merged range holding a value in the header row or below is refused
      (Excel keeps the value in its first cell only, the others would read
      as blank); a merged title above the header is read.
    - Bounds: only the cells a workbook's XML holds are read, never the size
      the sheet claims (``<dimension>``) nor every cell of a merged range,
      so a few kilobytes cannot claim the whole 1,048,576 x 16,384 sheet;
      a workbook unpacking to more than 512 MB is refused, and so is a CSV
      row of more than 16,384 cells. Messages quote at most about 200
      characters of a value and list at most 20 headers.
    - CSV: an unquoted 1,800 is two cells, 1 and 800, and shifts the rest of
      its row to the right; when that leaves a value under a blank header
      the message suggests it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> schema = Schema("work", [Column("month", "month", aliases=["月"]),
    ...                          Column("hours", "float", aliases=["時間"], units=["時間"])])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "work.csv"
    ...     _ = p.write_bytes("月,時間\\n令和元年5月,１，２００時間\\n".encode("cp932"))
    ...     df = read_table(p, schema)
    >>> df
         month    hours
    0  2019-05  1200.0
    >>> df.dtypes.astype(str).tolist(), df.attrs["source"]
    (['period[M]', 'float64'], 'work.csv')
    """
    if not isinstance(schema, Schema):
        raise EvalkitError("schema must be an evalkit.Schema", value=type(schema).__name__)
    path = _as_path(path)
    source = path.name
    try:
        is_file, exists = path.is_file(), path.exists()
    except (OSError, ValueError) as err:  # a name too long, or not valid on this system
        raise EvalkitError(f"cannot use this path: {err}", file=str(path)) from None
    if not is_file:
        raise EvalkitError("file not found" if not exists else "not a file", file=str(path))
    suffix = path.suffix.lower()
    merged: tuple[MergedRange, ...] = ()
    if suffix in (".csv", ".tsv"):
        if sheet is not None:
            raise EvalkitError("sheet= is for Excel workbooks", file=source, value=sheet)
        rows = _read_csv_cells(path, source, "\t" if suffix == ".tsv" else ",")
    elif suffix in (".xlsx", ".xlsm"):
        rows, title, merged = _read_excel_cells(path, source, sheet)
        source = f"{path.name} (sheet {title!r})"
    elif suffix == ".xls":
        raise EvalkitError("old .xls workbooks are not read; save the file as .xlsx", file=source)
    else:
        raise EvalkitError(
            "unsupported file type; use .csv, .tsv, .xlsx or .xlsm", file=source, value=suffix
        )
    frame = _build(rows, schema, source, comma=suffix == ".csv", merged=merged)
    frame.attrs["source"] = source
    return frame


def _as_path(path: Any) -> Path:
    """``path`` as a Path; EvalkitError for bytes and anything else that is not a path."""
    if isinstance(path, bytes):
        raise EvalkitError(
            "the path is bytes; give it as text or a pathlib.Path (os.fsdecode(path) "
            "turns file-system bytes into text)",
            value=path,
        )
    if not isinstance(path, str | os.PathLike):
        raise EvalkitError(
            f"the path must be text or a pathlib.Path, got {type(path).__name__}", value=path
        )
    try:
        return Path(path)
    except TypeError:  # an os.PathLike whose __fspath__ returns bytes
        raise EvalkitError(
            "the path is bytes; give it as text or a pathlib.Path", value=path
        ) from None


def _cell(cells: Sequence[Any], j: int) -> Any:
    """Cell ``j`` of a row, None beyond its end (rows are not padded)."""
    return cells[j] if j < len(cells) else None


def _build(
    rows: list[Sequence[Any]],
    schema: Schema,
    source: str,
    *,
    comma: bool = False,
    merged: Sequence[MergedRange] = (),
) -> pd.DataFrame:
    """The frame of a table's cells: find the header, match it, convert every column.

    Rows are used as read, not padded to a common width, so that one long row
    (a CSV line of commas, a far-away cell) costs no more than its own cells.
    """
    h = _find_header(rows, schema)
    if h is None:
        raise EvalkitError(f"the file is empty; expected a {schema.name!r} table", file=source)
    _refuse_merged(merged, rows, h, source)
    header = list(rows[h])
    while header and _blank(header[-1]):
        header.pop()
    body = [
        (i + 1, r)
        for i, r in enumerate(rows[h + 1 :], start=h + 1)
        if not all(_blank(v) for v in r)
    ]
    _refuse_values_without_header(header, body, source, comma=comma)
    matched, extras = _match_header(header, schema, source, h + 1)
    _require_columns(schema, matched, header, source, h + 1)
    _refuse_rows_above_header(rows, h, source)
    data = {col.name: _column(col, matched.get(col.name), body, source) for col in schema.columns}
    for written, j in extras.items():
        values = [_cell(cells, j) for _, cells in body]
        for (row, _), value in zip(body, values, strict=True):
            try:
                _check_text(value)
            except EvalkitError as err:
                raise EvalkitError(
                    err.reason, file=source, row=row, column=written, value=value
                ) from None
        data[written] = _extra_series(written, values)
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(body)))
    # Each record's row in the file, as a spreadsheet counts it, so that errors
    # raised later by the statistics point at the file's rows even when blank
    # lines or a title row were skipped.
    frame.attrs[ROWS_ATTR] = encode_rows([r for r, _ in body])
    if schema.key:
        _check_key(frame, schema, [r for r, _ in body], source, matched)
    return frame


def _refuse_merged(
    merged: Sequence[MergedRange], rows: list[Sequence[Any]], h: int, source: str
) -> None:
    """EvalkitError for a merged range holding a value in the header row or below it.

    Excel shows a merged range's value across it but saves it only in its
    first cell: the other cells would read as blank. A merged title above
    the header is harmless, and so is a merged range of blank cells.
    """
    for m in merged:
        if m.max_row <= h:  # rows above the header (h is the header's 0-based index)
            continue
        first = _cell(rows[m.min_row - 1], m.min_col - 1) if m.min_row <= len(rows) else None
        if _blank(first):
            continue
        raise EvalkitError(
            f"cells {m.ref} are merged: Excel shows the value of the first cell across the "
            "range but saves it only in that cell, so the others would read as blank; unmerge "
            "them (Home > Merge & Center) and type the value into each cell that holds it",
            file=source,
            row=m.min_row,
            column=_column_letter(m.min_col - 1),
            value=first,
        )


def _refuse_rows_above_header(rows: list[Sequence[Any]], h: int, source: str) -> None:
    """EvalkitError for a row above the header with more than one value (a title has one)."""
    for i in range(h):
        filled = [j for j, v in enumerate(rows[i]) if not _blank(v)]
        if len(filled) <= 1:
            continue  # blank, or a title
        letters = ", ".join(_column_letter(j) for j in filled[:20])
        more = f" and {len(filled) - 20:,} more" if len(filled) > 20 else ""
        raise EvalkitError(
            f"row {i + 1} is above the header (row {h + 1}) and has values in "
            f"{len(filled)} cells ({letters}{more}); rows above the header are not read, so "
            "data there would be lost. Move the row below the header, or delete it; only a "
            "title (a single cell) may stand above the header",
            file=source,
            row=i + 1,
            column=_column_letter(filled[0]),
            value=rows[i][filled[0]],
        )


def _refuse_values_without_header(
    header: list[Any], body: list[tuple[int, Sequence[Any]]], source: str, *, comma: bool
) -> None:
    """EvalkitError for the first value (in file order) in a column without a header."""
    blank = [j for j, v in enumerate(header) if _blank(v)]
    for row, cells in body:
        j = _first_value_without_header(blank, len(header), cells)
        if j is None:
            continue
        hint = _split_number_hint(row, cells) if comma else ""
        raise EvalkitError(
            f"a value under a blank header; give the column a header or remove it{hint}",
            file=source,
            row=row,
            column=f"{_column_letter(j)} (no header)",
            value=cells[j],
        )


def _first_value_without_header(blank: list[int], width: int, cells: Sequence[Any]) -> int | None:
    """Leftmost non-blank cell of a row under a blank header or beyond the header's width."""
    for j in blank:
        if j >= len(cells):
            return None
        if not _blank(cells[j]):
            return j
    return next((k for k in range(width, len(cells)) if not _blank(cells[k])), None)


def _match_header(
    header: list[Any],
    schema: Schema,
    source: str,
    header_row: int,
) -> tuple[dict[str, tuple[int, str]], dict[str, int]]:
    """Schema columns found (canonical -> index, header as written) and other headers."""
    matched: dict[str, tuple[int, str]] = {}
    extras: dict[str, int] = {}
    for j, cell in enumerate(header):
        if _blank(cell):
            continue
        try:
            _check_text(cell)
        except EvalkitError as err:
            raise EvalkitError(
                err.reason, file=source, row=header_row, column=_column_letter(j), value=cell
            ) from None
        written = _as_text(cell)
        col = schema.match(written)
        if col is None:
            if written in extras:
                raise EvalkitError(
                    f"two columns have the header {quote(written)} (columns "
                    f"{_column_letter(extras[written])} and {_column_letter(j)})",
                    file=source,
                    row=header_row,
                    column=written,
                )
            extras[written] = j
        elif col.name in matched:
            k, first = matched[col.name]
            raise EvalkitError(
                f"two columns stand for {col.name!r}: {quote(first)} (column "
                f"{_column_letter(k)}) and {quote(written)} (column {_column_letter(j)}); "
                "keep one",
                file=source,
                row=header_row,
                column=written,
                value=written,
            )
        else:
            matched[col.name] = (j, written)
    return matched, extras


def _require_columns(
    schema: Schema,
    matched: dict[str, tuple[int, str]],
    header: list[Any],
    source: str,
    header_row: int,
) -> None:
    """EvalkitError listing the required columns the header lacks and the headers accepted."""
    missing = [c for c in schema.columns if c.required and c.name not in matched]
    if not missing:
        return
    names = [quote(_as_text(v), 60) for v in header if not _blank(v)]
    have = ", ".join(names[:20]) or "no headers"
    if len(names) > 20:
        have += f" and {len(names) - 20:,} more"
    accepted = "; ".join(f"{c.name}: {', '.join(c.headers)}" for c in missing)
    raise EvalkitError(
        f"missing required column(s) {', '.join(repr(c.name) for c in missing)} in a "
        f"{schema.name!r} table; the file has {have} (row {header_row}); accepted "
        f"headers are {accepted}",
        file=source,
        row=header_row,
        column=missing[0].name,
    )


def _column(
    col: Column,
    where: tuple[int, str] | None,
    body: list[tuple[int, Sequence[Any]]],
    source: str,
) -> pd.Series:
    """One schema column converted to its kind (all blank when the file lacks it)."""
    if where is None:
        return _series(col, [None] * len(body))
    j, written = where
    label = written if written == col.name else f"{written} ({col.name})"
    values = []
    for row, cells in body:
        raw = _cell(cells, j)
        if _blank(raw):
            if not col.nullable:
                raise EvalkitError(
                    "missing value; this column may not be blank",
                    file=source,
                    row=row,
                    column=label,
                    value="" if raw is None else raw,
                )
            values.append(None)
            continue
        try:
            values.append(_convert(col, raw))
        except EvalkitError as err:
            raise EvalkitError(err.reason, file=source, row=row, column=label, value=raw) from err
    if col.one_spelling:
        _check_one_spelling(values, [r for r, _ in body], source, label)
    return _series(col, values)


_SPLIT_LEFT = re.compile(r"[+\-]?\d{1,3}")
_SPLIT_RIGHT = re.compile(r"\d{3}(?:\.\d+)?\D*")


def _split_number_hint(row: int, cells: list[Any]) -> str:
    """A hint when a CSV row looks like it has an unquoted 1,800 split in two cells."""
    texts = [v.strip() if isinstance(v, str) else "" for v in cells]
    for j in range(len(texts) - 1):
        left, right = texts[j], texts[j + 1]
        if _SPLIT_LEFT.fullmatch(left) and _SPLIT_RIGHT.fullmatch(right):
            return (
                f"; row {row} has {left!r} and {right!r} side by side (columns "
                f"{_column_letter(j)} and {_column_letter(j + 1)}): if that is the number "
                f"{left},{right}, a number with a thousands separator must be quoted in a "
                f'CSV file ("{left},{right}") or written without the separator'
            )
    return ""


def _spelling_key(text: str) -> str:
    """How :attr:`Column.one_spelling` compares names: NFKC, without any whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _check_one_spelling(values: list[Any], row_numbers: list[int], source: str, label: str) -> None:
    """EvalkitError for two different values of a column that are one name written two ways."""
    first_row: dict[str, int] = {}
    for row, value in zip(row_numbers, values, strict=True):
        if value is not None and value not in first_row:
            first_row[value] = row
    spelled: dict[str, str] = {}
    for value, row in first_row.items():  # unique values, in order of first appearance
        key = _spelling_key(value)
        other = spelled.setdefault(key, value)
        if other != value:
            raise EvalkitError(
                f"rows {first_row[other]} and {row} write one name two ways, {quote(other)} "
                f"(row {first_row[other]}) and {quote(value)} (row {row}): they differ only in "
                "full-width/half-width characters or spaces, and would count as two "
                "different names; write them one way (evalkit does not rewrite your data)",
                file=source,
                row=row,
                column=label,
                value=value,
            )


def _check_key(
    frame: pd.DataFrame,
    schema: Schema,
    row_numbers: list[int],
    source: str,
    matched: dict[str, tuple[int, str]],
) -> None:
    key = list(schema.key)
    seen: dict[tuple, int] = {}
    for pos, values in enumerate(frame[key].itertuples(index=False, name=None)):
        k = tuple("" if pd.isna(v) else str(v) for v in values)
        if k in seen:
            headers = ", ".join(matched[c][1] if c in matched else c for c in key)
            raise EvalkitError(
                f"rows {seen[k]} and {row_numbers[pos]} are the same "
                f"({', '.join(key)}); a {schema.name!r} table has one row per "
                f"{' and '.join(key)}",
                file=source,
                row=row_numbers[pos],
                column=headers,
                value=" / ".join(k),
            )
        seen[k] = row_numbers[pos]
