"""Input checks shared by the statistics and the readers: columns, numbers, characters, locations.

Positions are turned into row numbers the way a spreadsheet user counts
them: for a DataFrame the header is row 1 and the first data row is row 2;
for a plain array-like the row is the 1-based position of the element.
"""

from __future__ import annotations

import datetime as _dt
import unicodedata
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from .errors import EvalkitError, spreadsheet_row

__all__ = [
    "ROWS_ATTR",
    "encode_rows",
    "decode_rows",
    "FileRows",
    "source_file",
    "select",
    "row_number",
    "numeric",
    "require_columns",
    "invisible_character",
    "foreign_digit",
    "describe_character",
]

#: Key of ``DataFrame.attrs`` where :func:`evalkit.read_table` keeps each
#: record's row in its file (header = row 1, blank lines counted), as runs of
#: consecutive rows ``((first_row, count), ...)``: pandas copies ``attrs`` on
#: every operation, so they must stay small.
ROWS_ATTR = "source_rows"


def encode_rows(rows) -> tuple[tuple[int, int], ...]:
    """Encode increasing row numbers as runs ``((first_row, count), ...)``.

    Examples
    --------
    >>> encode_rows([2, 3, 4, 6, 7])
    ((2, 3), (6, 2))
    """
    runs: list[list[int]] = []
    for r in rows:
        if runs and r == runs[-1][0] + runs[-1][1]:
            runs[-1][1] += 1
        else:
            runs.append([int(r), 1])
    return tuple((a, n) for a, n in runs)


def decode_rows(runs) -> np.ndarray:
    """Inverse of :func:`encode_rows`.

    Examples
    --------
    >>> decode_rows(((2, 3), (6, 2))).tolist()
    [2, 3, 4, 6, 7]
    """
    parts = [np.arange(a, a + n, dtype="int64") for a, n in runs]
    return np.concatenate(parts) if parts else np.empty(0, dtype="int64")


class FileRows:
    """Row numbers of a frame's records in their file (truthy like ``tabular=True``)."""

    __slots__ = ("rows",)

    def __init__(self, rows):
        self.rows = np.asarray(rows, dtype="int64")

    def __bool__(self) -> bool:
        return True

    def __getitem__(self, position: int) -> int:
        return int(self.rows[position])


def _tabular(data: pd.DataFrame):
    """How to number the rows of ``data``.

    A frame read by :func:`evalkit.read_table` keeps its records' file rows
    in ``attrs``; its index labels are the records' positions in the file as
    read, and stay so through filtering and sorting. Such a frame gives a
    :class:`FileRows` of the file rows of its records. Any other frame gives
    ``True``: spreadsheet rows of the frame itself (position + 2). A subset
    whose index was reset (``reset_index(drop=True)``) can no longer be told
    from the first rows of the file; keep the index to keep file rows exact.
    """
    runs = data.attrs.get(ROWS_ATTR)
    index = data.index
    if runs is None or not pd.api.types.is_integer_dtype(index.dtype):
        return True
    rows = decode_rows(runs)
    labels = index.to_numpy()
    if len(labels) and (labels.min() < 0 or labels.max() >= len(rows)):
        return True
    return FileRows(rows[labels])


def source_file(data: Any) -> str | None:
    """The file a frame was read from (set by :func:`evalkit.read_table`), if any."""
    if isinstance(data, pd.DataFrame):
        src = data.attrs.get("source")
        return None if src is None else str(src)
    return None


def row_number(position: int, *, tabular) -> int:
    """Row as a user counts it.

    ``tabular`` is what :func:`select` returned: for a frame as
    :func:`evalkit.read_table` returned it, the record's row in its file;
    for another frame the spreadsheet row (header = row 1); for a plain
    array-like (``tabular=False``) the 1-based position.
    """
    if isinstance(tabular, FileRows):
        return tabular[position]
    return spreadsheet_row(position) if tabular else int(position) + 1


def require_columns(data: pd.DataFrame, columns: list[Hashable]) -> None:
    """Raise :class:`EvalkitError` naming the first column of ``columns`` missing from ``data``."""
    for col in columns:
        if col not in data.columns:
            have = ", ".join(repr(c) for c in data.columns)
            raise EvalkitError(
                f"column not found; the data have {have or 'no columns'}",
                file=source_file(data),
                column=str(col),
            )


def select(data: Any, spec: Any, *, role: str) -> tuple[pd.Series, bool]:
    """Return the values named by ``spec`` as a Series, and how to number its rows.

    With a DataFrame ``data``, ``spec`` is a column name. With ``data=None``,
    ``spec`` is an array-like (list, ndarray, Series) and the Series is named
    after ``role``. The Series gets a fresh 0..n-1 index; the caller's
    objects are never modified. The second value goes to :func:`row_number`:
    ``False`` for array-likes, ``True`` or a :class:`FileRows` for frames.
    """
    if data is None:
        if spec is None or isinstance(spec, str):
            raise EvalkitError(
                f"{role}={spec!r} names a column, but no data were given; "
                f"pass data=<DataFrame> or an array of values as {role}="
            )
        if isinstance(spec, pd.Series):
            values = spec.reset_index(drop=True)
        else:
            arr = np.asarray(spec, dtype=object) if not isinstance(spec, np.ndarray) else spec
            if arr.ndim != 1:
                raise EvalkitError(f"{role} must be one-dimensional, got shape {arr.shape}")
            values = pd.Series(arr)
        return values.rename(role), False
    if not isinstance(data, pd.DataFrame):
        raise EvalkitError(f"data must be a pandas DataFrame or None, got {type(data).__name__}")
    if not isinstance(spec, Hashable) or isinstance(spec, tuple):
        raise EvalkitError(
            f"with data given, {role}= must be a column name, got {type(spec).__name__}"
        )
    require_columns(data, [spec])
    values = data[spec]
    if isinstance(values, pd.DataFrame):  # duplicate names, or a level of a MultiIndex
        positions = list(np.flatnonzero(_column_mask(data.columns, spec)) + 1)
        raise EvalkitError(
            f"{role}={spec!r} names {values.shape[1]} columns (columns "
            f"{', '.join(str(p) for p in positions[:20])} of the frame), so its values are "
            "ambiguous; rename or drop the extra ones (for example "
            "data.loc[:, ~data.columns.duplicated()] keeps the first)",
            file=source_file(data),
            column=str(spec),
        )
    return values.reset_index(drop=True), _tabular(data)


def _column_mask(columns: pd.Index, spec: Hashable) -> np.ndarray:
    """Which columns ``spec`` selects: equal names, or a first level of a MultiIndex."""
    if isinstance(columns, pd.MultiIndex):
        return np.asarray(columns.get_level_values(0) == spec, dtype=bool)
    return np.asarray(columns == spec, dtype=bool)


# ----------------------------------------------------------------------------- characters

#: Control characters text may hold: tab and line breaks (a cell of several lines).
_TEXT_CONTROLS = frozenset("\t\n\r")
#: Categories of characters that cannot be seen or mean nothing portable:
#: format (Cf: zero-width space, soft hyphen, BOM, direction marks), control
#: (Cc), private use (Co: 外字) and surrogates (Cs).
_INVISIBLE = frozenset({"Cf", "Cc", "Co", "Cs"})
_CATEGORY_WORDS = {
    "Cc": "a control character",
    "Co": "a private-use character (外字)",
    "Cs": "a lone surrogate",
    "Cn": "an unassigned code point",
}
_DIGITS = frozenset("0123456789０１２３４５６７８９")


def is_blank(value: Any) -> bool:
    """A missing value: None, NaN, NaT, pandas.NA or text of only whitespace."""
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def describe_character(char: str) -> str:
    r"""Code point and Unicode name of a character, as messages name it.

    Examples
    --------
    >>> describe_character("\u200b"), describe_character("\x00")
    ('U+200B ZERO WIDTH SPACE', 'U+0000 (a control character)')
    """
    name = unicodedata.name(char, None)
    if name is None:
        name = f"({_CATEGORY_WORDS.get(unicodedata.category(char), 'unnamed')})"
    return f"U+{ord(char):04X} {name}"


def invisible_character(text: str) -> str | None:
    r"""The first character of ``text`` that cannot be seen (Unicode Cf, Cc, Co, Cs), or None.

    Tab, carriage return and line feed are ordinary text and not reported.

    Examples
    --------
    >>> invisible_character("行政\u200b改革課"), invisible_character("人事課\n総務係")
    ('\u200b', None)
    """
    if text.isprintable():  # fast path: most cells
        return None
    for char in text:
        if char not in _TEXT_CONTROLS and unicodedata.category(char) in _INVISIBLE:
            return char
    return None


def foreign_digit(text: str) -> str | None:
    r"""The first character of ``text`` that is, or stands for, a digit other than 0-9 and ０-９.

    Superscripts (²), circled (①) and parenthesised digits, Roman numerals,
    other scripts' digits (٣), and symbols that NFKC normalisation turns
    into digits (㏠ = 1日) would be read as other numbers than the writer
    meant (10² as 102), so numbers and months refuse them.

    Examples
    --------
    >>> foreign_digit("１，８００時間"), foreign_digit("10²"), foreign_digit("R①.5")
    (None, '²', '①')
    """
    if text.isascii():
        return None
    for char in text:
        if char.isascii() or char in _DIGITS:
            continue
        if unicodedata.category(char)[0] == "N" or any(
            "0" <= c <= "9" for c in unicodedata.normalize("NFKC", char)
        ):
            return char
    return None


# ----------------------------------------------------------------------------- numbers


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds, for readable messages."""
    return value.item() if isinstance(value, np.generic) else value


_NOT_QUANTITY = {
    "bool": "a true/false value, not a number",
    "date": "a date or time, not a number of hours or yen",
    "timedelta": (
        "a time span, not a number; convert it to hours first "
        "(e.g. column.dt.total_seconds() / 3600)"
    ),
    "period": "a period, not a number",
    "complex": (
        "a complex number, not a real quantity; its imaginary part would be dropped: "
        "keep the real part yourself (column.to_numpy().real) if that is what you mean"
    ),
}


def _value_kind(value: Any) -> str | None:
    """Which kind of non-quantity ``value`` is (a key of ``_NOT_QUANTITY``), or None."""
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (_dt.date, _dt.time, np.datetime64)):  # Timestamp is a date
        return "date"
    if isinstance(value, (_dt.timedelta, np.timedelta64)):  # so is Timedelta
        return "timedelta"
    if isinstance(value, pd.Period):
        return "period"
    if isinstance(value, complex | np.complexfloating):
        return "complex"
    return None


def _reject_non_quantities(values: pd.Series, check) -> None:
    """Raise (through ``check``) on the first bool, date, time span or period in ``values``."""
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        kind = "bool"
    elif pd.api.types.is_datetime64_any_dtype(dtype):
        kind = "date"
    elif pd.api.types.is_timedelta64_dtype(dtype):
        kind = "timedelta"
    elif isinstance(dtype, pd.PeriodDtype):
        kind = "period"
    elif pd.api.types.is_complex_dtype(dtype):
        kind = "complex"
    elif pd.api.types.is_object_dtype(dtype):
        present = values.notna().to_numpy(dtype=bool)
        kinds = [_value_kind(v) if ok else None for v, ok in zip(values, present, strict=True)]
        bad = np.array([k is not None for k in kinds], dtype=bool)
        if bad.any():
            check(bad, _NOT_QUANTITY[kinds[int(np.flatnonzero(bad)[0])]])
        return
    else:
        return
    present = values.notna().to_numpy(dtype=bool)
    # the first value given (a column of blanks names its first row)
    check(present if present.any() else np.ones(len(values), dtype=bool), _NOT_QUANTITY[kind])


def _plainly_usable(out: np.ndarray, allow_negative: bool) -> bool:
    """No NaN, no infinity and (unless allowed) no negative value, in two passes.

    A finite sum rules out NaN and infinities; the checks that name the bad
    value run only when this is False (a sum can also overflow, which is
    then checked value by value).
    """
    with np.errstate(all="ignore"):
        if not (out.size and np.isfinite(np.add.reduce(out))):
            return False
        return allow_negative or bool(out.min() >= 0)


def numeric(
    values: pd.Series,
    *,
    column: str,
    file: str | None,
    tabular: bool,
    allow_missing: bool = False,
    allow_negative: bool = False,
) -> np.ndarray:
    """Convert ``values`` to float64, raising on the first value that is not a usable number.

    Missing values (None, NaN, empty string) become NaN when ``allow_missing``;
    otherwise they raise. Infinite values always raise. So do true/false
    values, dates and times, time spans (timedelta), periods and complex
    numbers, whether the column has such a dtype or holds them as objects:
    pandas would silently turn them into 1/0, nanoseconds since 1970,
    nanoseconds, period ordinals or their real part.
    """

    def check(bad: np.ndarray, reason: str) -> None:
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise EvalkitError(
                reason,
                file=file,
                row=row_number(pos, tabular=tabular),
                column=column,
                value=_plain(values.iloc[pos]),
            )

    _reject_non_quantities(values, check)
    if pd.api.types.is_numeric_dtype(values.dtype):
        out = values.to_numpy(dtype="float64", na_value=np.nan)
    else:
        out = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        blank = values.isna().to_numpy() | values.map(
            lambda v: isinstance(v, str) and not v.strip()
        ).to_numpy(dtype=bool)
        check(np.isnan(out) & ~blank, "not a number")
    if _plainly_usable(out, allow_negative):
        return out
    check(np.isinf(out), "infinite value")
    if not allow_missing:
        check(np.isnan(out), "missing value")
    if not allow_negative:
        check(out < 0, "negative quantity")
    return out
