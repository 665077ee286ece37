"""Read the tables analysts really have: CSV or Excel, Japanese headers, written numbers.

A :class:`Schema` lists the columns a table must have (canonical names,
Japanese header aliases, kinds and limits); :func:`read_table` reads a
``.csv`` (UTF-8, UTF-8 with BOM or CP932) or ``.xlsx``/``.xlsm`` file into a
DataFrame with the canonical names and proper dtypes, and names the file,
row, column and value of anything it cannot read.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
import math
import os
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._validation import ROWS_ATTR, encode_rows
from ..errors import EvalkitError
from .fiscal import parse_month

__all__ = ["KINDS", "Column", "Schema", "parse_number", "parse_rate", "read_table"]

#: Kinds of column :func:`read_table` can read, and the dtype each gives.
KINDS = {
    "text": "str",
    "int": "int64 (Int64 when nullable)",
    "float": "float64",
    "month": "period[M]",
    "rate": "float64 (a fraction: 84% is 0.84)",
}

_MINUS_SIGNS = "-−△▲"
_NUMBER = re.compile(
    r"(?P<sign>[+\-−△▲]?)\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)"
    r"\s*(?P<unit>[^\d\s,.+\-][^\d]*)?"
)


def _blank(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _as_tuple(values: Any, what: str, column: str) -> tuple:
    if values is None:
        return ()
    if isinstance(values, str):
        return (values,)
    try:
        return tuple(values)
    except TypeError:
        raise EvalkitError(
            f"{what} must be a list of strings", column=column, value=values
        ) from None


def parse_number(value: Any, *, units: Sequence[str] = ()) -> float:
    """Read a number as written in a Japanese table.

    Parameters
    ----------
    value : str or number
        ``12``, ``"1,800"``, ``"１，８００"``, ``"62.5"``, ``"△3"`` or
        ``"▲3"`` (minus), ``"62時間"`` (with a unit listed in ``units``).
    units : sequence of str, optional
        Units that may follow the number (``("時間", "h")``). Any other unit
        is an error, so that "30分" is never read as 30 hours.

    Returns
    -------
    float

    Raises
    ------
    EvalkitError
        Naming the value, if it is not a finite number or has a unit not
        in ``units``.

    Notes
    -----
    Read after NFKC normalisation (full-width digits, ，．％ and － become
    ASCII). Thousands separators must group three digits ("1,80" is
    refused: it may be a decimal comma). △ and ▲, the minus signs of
    Japanese statistical tables, and − (U+2212) mean minus.

    Examples
    --------
    >>> parse_number("１，８００"), parse_number("△3.5"), parse_number("62時間", units=["時間"])
    (1800.0, -3.5, 62.0)
    """
    if isinstance(value, bool | np.bool_):
        raise EvalkitError("not a number: got true/false", value=value)
    if isinstance(value, int | np.integer):
        return float(value)
    if isinstance(value, float | np.floating):
        if not math.isfinite(value):
            raise EvalkitError("not a finite number", value=value)
        return float(value)
    if not isinstance(value, str):
        raise EvalkitError(f"not a number: got {type(value).__name__}", value=value)
    s = unicodedata.normalize("NFKC", value).strip()
    m = _NUMBER.fullmatch(s)
    if m is None:
        raise EvalkitError("not a number", value=value)
    unit = (m["unit"] or "").strip()
    if unit:
        accepted = {unicodedata.normalize("NFKC", u).casefold() for u in units}
        if unit.casefold() not in accepted:
            allowed = ", ".join(repr(u) for u in units) if units else "none"
            raise EvalkitError(
                f"unit {unit!r} is not accepted here (accepted: {allowed})", value=value
            )
    number = float(m["num"].replace(",", ""))
    if not math.isfinite(number):
        raise EvalkitError("not a finite number", value=value)
    return -number if m["sign"] and m["sign"] in _MINUS_SIGNS else number


def parse_rate(value: Any) -> float:
    """Read a rate written as a fraction (0.84) or a percentage (84%, ８４％).

    Parameters
    ----------
    value : str or number

    Returns
    -------
    float
        The rate as a fraction (84% -> 0.84).

    Raises
    ------
    EvalkitError
        Naming the value, if it is not a number, or is a number above 1 written
        without % (84 could mean 84% or 8,400%; write 84% or 0.84).

    Examples
    --------
    >>> parse_rate("８４％"), parse_rate(0.84), parse_rate("84 %")
    (0.84, 0.84, 0.84)
    """
    if isinstance(value, str):
        s = unicodedata.normalize("NFKC", value).strip()
        if s.endswith("%"):
            return parse_number(s[:-1]) / 100.0
    number = parse_number(value)
    if abs(number) > 1:
        raise EvalkitError(
            f"a rate is a fraction between 0 and 1, or a percentage written with %; "
            f"write {number:g}% or {number / 100:g}",
            value=value,
        )
    return number


def _header_key(text: str) -> str:
    """How headers are compared: NFKC, case-folded, without spaces or underscores."""
    return re.sub(r"[\s_]+", "", unicodedata.normalize("NFKC", text).casefold())


def _choice_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


@dataclass(frozen=True)
class Column:
    """One column of a :class:`Schema`.

    Parameters
    ----------
    name : str
        Canonical name, used in the DataFrame read.
    kind : {"text", "int", "float", "month", "rate"}
        How values are read: text as written (surrounding spaces removed);
        numbers by :func:`parse_number`; months by
        :func:`evalkit.fiscal.parse_month`; rates by :func:`parse_rate`.
    aliases : sequence of str, optional
        Other headers accepted for the column (Japanese headers). Headers are
        compared after NFKC normalisation, case-folding and removal of spaces
        and underscores, so "録音時間（分）" and "録音時間(分)" are the same.
    required : bool, default True
        Whether the file must have the column. A column that is not required
        must be ``nullable``; when absent it is added with missing values.
    nullable : bool, default False
        Whether a cell may be blank.
    minimum, maximum : float, optional
        Limits for numbers, rates and nothing else.
    choices : sequence of str, optional
        Allowed values of a text column, compared after NFKC normalisation
        and given back spelled as in ``choices``.
    units : sequence of str, optional
        Units that may follow a number ("時間", "件"). Numbers with any
        other unit are refused.
    one_spelling : bool, default False
        For a text column of names by which rows are grouped or counted
        (departments, tasks): refuse two different values that are the same
        after NFKC normalisation and removal of all spaces ("ＩＴ推進課" and
        "IT推進課", "行政改革課" and "行政 改革課"), since they would count as
        two names. Leave it off for free text and for text kept exactly as
        written (timings, statements, notes).

    Examples
    --------
    >>> Column("hours_before", "float", aliases=["導入前時間"], minimum=0, units=["時間"])
    Column(name='hours_before', kind='float', aliases=('導入前時間',), ...)
    """

    name: str
    kind: str
    _: KW_ONLY
    aliases: tuple[str, ...] = ()
    required: bool = True
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    units: tuple[str, ...] = ()
    one_spelling: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise EvalkitError("a column name must be a non-empty string", value=self.name)
        if self.kind not in KINDS:
            raise EvalkitError(
                f"kind must be one of {', '.join(KINDS)}", column=self.name, value=self.kind
            )
        object.__setattr__(self, "aliases", _as_tuple(self.aliases, "aliases", self.name))
        object.__setattr__(self, "units", _as_tuple(self.units, "units", self.name))
        if self.choices is not None:
            object.__setattr__(self, "choices", _as_tuple(self.choices, "choices", self.name))
            if self.kind != "text":
                raise EvalkitError("choices are for text columns", column=self.name)
        if self.one_spelling and self.kind != "text":
            raise EvalkitError("one_spelling is for text columns", column=self.name)
        if not self.required and not self.nullable:
            raise EvalkitError(
                "a column that is not required must be nullable (it is filled with missing "
                "values when absent)",
                column=self.name,
            )
        for limit in ("minimum", "maximum"):
            if getattr(self, limit) is not None and self.kind not in ("int", "float", "rate"):
                raise EvalkitError(f"{limit} is for number columns", column=self.name)
        for text in (*self.aliases, *self.units, *(self.choices or ())):
            if not isinstance(text, str) or not text.strip():
                raise EvalkitError(
                    "aliases, units and choices must be non-empty strings",
                    column=self.name,
                    value=text,
                )

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header accepted for the column: its name, then its aliases."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Schema:
    """The columns a table must have, in order.

    Parameters
    ----------
    name : str
        Name of the table, used in messages.
    columns : sequence of Column
        In the order of the DataFrame read.
    key : sequence of str, optional
        Columns whose values together identify a row. :func:`read_table`
        refuses a file in which two rows have the same key, naming both rows.

    Examples
    --------
    >>> s = Schema("work", [Column("month", "month", aliases=["月"]),
    ...                     Column("hours", "float")], key=["month"])
    >>> s.names
    ('month', 'hours')
    """

    name: str
    columns: tuple[Column, ...]
    _: KW_ONLY
    key: tuple[str, ...] = ()
    _by_header: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        cols = tuple(self.columns)
        if not cols or not all(isinstance(c, Column) for c in cols):
            raise EvalkitError("a schema needs a list of Column objects", value=self.name)
        object.__setattr__(self, "columns", cols)
        object.__setattr__(self, "key", _as_tuple(self.key, "key", self.name))
        by_header: dict[str, Column] = {}
        for col in cols:
            for header in col.headers:
                k = _header_key(header)
                other = by_header.get(k)
                if other is not None and other is not col:
                    raise EvalkitError(
                        f"header {header!r} would name both {other.name!r} and {col.name!r}",
                        column=col.name,
                    )
                by_header[k] = col
        object.__setattr__(self, "_by_header", by_header)
        for k in self.key:
            if k not in self.names:
                raise EvalkitError(f"key column is not in schema {self.name!r}", column=k)

    @property
    def names(self) -> tuple[str, ...]:
        """Canonical column names, in order."""
        return tuple(c.name for c in self.columns)

    def match(self, header: str) -> Column | None:
        """The column a header stands for, or None if it is not in the schema."""
        return self._by_header.get(_header_key(header))


# ----------------------------------------------------------------------------- reading cells


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


def _convert(col: Column, value: Any) -> Any:
    """One non-blank cell to the column's kind; EvalkitError naming the value."""
    if col.kind == "text":
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
    number = parse_rate(value) if col.kind == "rate" else parse_number(value, units=col.units)
    minus = isinstance(value, str) and value.strip()[:1] in ("△", "▲")
    note = " (△ and ▲ are minus signs)" if minus else ""
    if col.minimum is not None and number < col.minimum:
        raise EvalkitError(f"below the minimum {col.minimum:g}{note}", value=value)
    if col.maximum is not None and number > col.maximum:
        raise EvalkitError(f"above the maximum {col.maximum:g}", value=value)
    if col.kind == "int":
        if not float(number).is_integer():
            raise EvalkitError("not a whole number", value=value)
        return int(number)
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
        Workbook sheet, by name or 0-based position; the first sheet by default.

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
        both values); a workbook formula without a saved result (naming the
        sheet, cell and formula); also a file that is missing, empty, of
        another type, or neither UTF-8 nor CP932.

    Notes
    -----
    - Encoding: the bytes are decoded as UTF-8 (a BOM is dropped) and, if
      that fails, as CP932; a file that is neither is refused, never read
      with replacement characters. The row named is that of the byte truly
      out of place: where UTF-8 decoding fails when the file holds UTF-8
      characters before it (a line pasted from a Latin-1 file), else where
      CP932 decoding fails; the message gives both.
    - The header row is the first row, among the first
      :data:`HEADER_SEARCH_ROWS` non-blank rows, that names every required
      column: blank rows and a title above the header are skipped.
    - Headers match a column's name or alias after NFKC normalisation,
      case-folding and removal of spaces and underscores.
    - Blank rows (every cell empty or spaces) and blank columns (no header,
      no values, as Excel leaves them) are skipped; row numbers in messages
      still count them, so they match the file.
    - Cells: surrounding ASCII and full-width spaces are removed; numbers are
      read by :func:`parse_number` (full-width digits, 1,800, △/▲ minus, a
      unit from ``Column.units``), rates by :func:`parse_rate`, months by
      :func:`evalkit.fiscal.parse_month` (Excel date cells included). Text
      is kept as written.
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
      for (a second reading of the workbook) only when the sheet has blank
      cells and the workbook has formulas.
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
        raise EvalkitError("schema must be an evalkit.tables.Schema", value=type(schema).__name__)
    path = Path(path)
    source = path.name
    if not path.is_file():
        raise EvalkitError("file not found" if not path.exists() else "not a file", file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        if sheet is not None:
            raise EvalkitError("sheet= is for Excel workbooks", file=source, value=sheet)
        rows = _read_csv_cells(path, source, "\t" if suffix == ".tsv" else ",")
    elif suffix in (".xlsx", ".xlsm"):
        rows, title = _read_excel_cells(path, source, sheet)
        source = f"{path.name} (sheet {title!r})"
    elif suffix == ".xls":
        raise EvalkitError("old .xls workbooks are not read; save the file as .xlsx", file=source)
    else:
        raise EvalkitError(
            "unsupported file type; use .csv, .tsv, .xlsx or .xlsm", file=source, value=suffix
        )
    frame = _build(rows, schema, source, comma=suffix == ".csv")
    frame.attrs["source"] = source
    return frame


def _build(
    rows: list[list[Any]], schema: Schema, source: str, *, comma: bool = False
) -> pd.DataFrame:
    h = _find_header(rows, schema)
    if h is None:
        raise EvalkitError(f"the file is empty; expected a {schema.name!r} table", file=source)
    header_row = h + 1
    width = max(len(r) for r in rows)
    header = [*rows[h], *([None] * (width - len(rows[h])))]
    body = [
        (i + 1, [*r, *([None] * (width - len(r)))])
        for i, r in enumerate(rows[h + 1 :], start=h + 1)
        if not all(_blank(v) for v in r)
    ]

    matched: dict[str, tuple[int, str]] = {}  # canonical -> (index, header as written)
    extras: dict[str, int] = {}
    for j, cell in enumerate(header):
        if _blank(cell):
            filled = next(((r, v[j], v) for r, v in body if not _blank(v[j])), None)
            if filled is not None:
                hint = _split_number_hint(filled[0], filled[2]) if comma else ""
                raise EvalkitError(
                    f"a value under a blank header; give the column a header or remove it{hint}",
                    file=source,
                    row=filled[0],
                    column=f"{_column_letter(j)} (no header)",
                    value=filled[1],
                )
            continue
        written = _as_text(cell)
        col = schema.match(written)
        if col is None:
            if written in extras:
                raise EvalkitError(
                    f"two columns have the header {written!r} (columns "
                    f"{_column_letter(extras[written])} and {_column_letter(j)})",
                    file=source,
                    row=header_row,
                    column=written,
                )
            extras[written] = j
        elif col.name in matched:
            k, first = matched[col.name]
            raise EvalkitError(
                f"two columns stand for {col.name!r}: {first!r} (column {_column_letter(k)}) "
                f"and {written!r} (column {_column_letter(j)}); keep one",
                file=source,
                row=header_row,
                column=written,
                value=written,
            )
        else:
            matched[col.name] = (j, written)

    missing = [c for c in schema.columns if c.required and c.name not in matched]
    if missing:
        have = ", ".join(repr(_as_text(v)) for v in header if not _blank(v)) or "no headers"
        accepted = "; ".join(f"{c.name}: {', '.join(c.headers)}" for c in missing)
        raise EvalkitError(
            f"missing required column(s) {', '.join(repr(c.name) for c in missing)} in a "
            f"{schema.name!r} table; the file has {have} (row {header_row}); accepted "
            f"headers are {accepted}",
            file=source,
            row=header_row,
            column=missing[0].name,
        )

    data: dict[str, pd.Series] = {}
    for col in schema.columns:
        if col.name not in matched:
            data[col.name] = _series(col, [None] * len(body))
            continue
        j, written = matched[col.name]
        label = written if written == col.name else f"{written} ({col.name})"
        values = []
        for row, cells in body:
            raw = cells[j]
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
                raise EvalkitError(
                    err.reason, file=source, row=row, column=label, value=raw
                ) from err
        if col.one_spelling:
            _check_one_spelling(values, [r for r, _ in body], source, label)
        data[col.name] = _series(col, values)
    for written, j in extras.items():
        data[written] = _extra_series(written, [cells[j] for _, cells in body])

    frame = pd.DataFrame(data, index=pd.RangeIndex(len(body)))
    # Each record's row in the file, as a spreadsheet counts it, so that errors
    # raised later by the statistics point at the file's rows even when blank
    # lines or a title row were skipped.
    frame.attrs[ROWS_ATTR] = encode_rows([r for r, _ in body])
    if schema.key:
        _check_key(frame, schema, [r for r, _ in body], source, matched)
    return frame


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
                f"rows {first_row[other]} and {row} write one name two ways, {other!r} "
                f"(row {first_row[other]}) and {value!r} (row {row}): they differ only in "
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
