"""One error family for everything evalkit refuses to compute.

Every message names where the problem is, as a spreadsheet user would look
for it: the file, the row (the header is row 1, so the first data row is
row 2), the column and the offending value.
"""

from __future__ import annotations

from typing import Any

__all__ = ["EvalkitError", "FIRST_DATA_ROW", "QUOTE_LIMIT", "quote", "spreadsheet_row"]

#: Row number of the first data row as a spreadsheet counts it (header = row 1).
FIRST_DATA_ROW = 2

#: At most this many characters of a value, column or file name are quoted in a message.
QUOTE_LIMIT = 200
#: At most this many characters of a reason are kept (a reason quoting values).
REASON_LIMIT = 2000

_UNSET = object()


def quote(value: Any, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)``, cut to about ``limit`` characters with the total length.

    Every message quotes values through this, so that a cell of a million
    characters (or a header of a million columns) gives a readable message.

    Examples
    --------
    >>> quote("ＩＴ推進課")
    "'ＩＴ推進課'"
    >>> quote("x" * 1000, limit=5)
    "'xxxxx…' (1,000 characters)"
    """
    if isinstance(value, str | bytes) and len(value) > limit:
        head = repr(value[:limit])
        if len(head) > limit + 3:  # escapes (\u200b, \xff) lengthen a repr: quote fewer
            head = repr(value[: max(1, limit * limit // len(head))])
        unit = "characters" if isinstance(value, str) else "bytes"
        return f"{head[:-1]}…{head[-1]} ({len(value):,} {unit})"
    text = repr(value)
    if len(text) > limit:
        return f"{text[:limit]}… ({len(text):,} characters)"
    return text


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def spreadsheet_row(position: int) -> int:
    """Return the spreadsheet row number of the data row at 0-based ``position``.

    Examples
    --------
    >>> spreadsheet_row(0)
    2
    """
    return int(position) + FIRST_DATA_ROW


class EvalkitError(ValueError):
    """Bad input, with its location.

    Parameters
    ----------
    reason : str
        What is wrong, in a sentence.
    file : str or path-like, optional
        The file the data came from.
    row : int, optional
        Row as a spreadsheet counts it (header = row 1, first data row = 2).
        For plain array-like input it is the 1-based position of the element.
    column : str, optional
        The column (canonical name, or the header as written in the file).
    value : object, optional
        The offending value, shown with ``repr``.

    Notes
    -----
    The message quotes at most about :data:`QUOTE_LIMIT` characters of the
    value, the column and the file name, and :data:`REASON_LIMIT` of the
    reason, followed by an ellipsis and the total length; the attributes
    keep them whole.

    Examples
    --------
    >>> err = EvalkitError("not a number", file="work.csv", row=5,
    ...                    column="hours_after", value="abc")
    >>> print(err)
    work.csv, row 5, column 'hours_after', value 'abc': not a number
    """

    def __init__(
        self,
        reason: str,
        *,
        file: Any = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = _UNSET,
    ) -> None:
        self.reason = reason
        self.file = None if file is None else str(file)
        self.row = None if row is None else int(row)
        self.column = column
        self.has_value = value is not _UNSET
        self.value = None if value is _UNSET else value
        super().__init__(self._message())

    def _message(self) -> str:
        where = []
        if self.file is not None:
            where.append(_cut(self.file, QUOTE_LIMIT))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {quote(self.column)}")
        if self.has_value:
            where.append(f"value {quote(self.value)}")
        reason = _cut(str(self.reason), REASON_LIMIT)
        return f"{', '.join(where)}: {reason}" if where else reason

    def __reduce__(self):  # keep the fields when pickled (multiprocessing, papermill)
        return (
            _rebuild,
            (self.reason, self.file, self.row, self.column, self.has_value, self.value),
        )


def _rebuild(reason, file, row, column, has_value, value):
    kwargs = {"file": file, "row": row, "column": column}
    if has_value:
        kwargs["value"] = value
    return EvalkitError(reason, **kwargs)
