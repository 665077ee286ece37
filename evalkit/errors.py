"""One error family for everything evalkit refuses to compute.

Every message names where the problem is, as a spreadsheet user would look
for it: the file, the row (the header is row 1, so the first data row is
row 2), the column and the offending value.
"""

from __future__ import annotations

from typing import Any

__all__ = ["EvalkitError", "FIRST_DATA_ROW", "spreadsheet_row"]

#: Row number of the first data row as a spreadsheet counts it (header = row 1).
FIRST_DATA_ROW = 2

_UNSET = object()


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
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.has_value:
            where.append(f"value {self.value!r}")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason

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
