"""What the scorecard's modules share: statuses, kinds and errors that name the file row.

The status words the evaluations write (``"met"`` ... ``"open"``), the
indicator kinds, the timing kinds that name a whole year and the
``computed:`` form of ``actual_source``; :func:`_fail`, the error that names
the file, the row in it, the column and the value; :func:`_reset`, a copy
that keeps naming its records' file rows; and :func:`_check_evaluated`,
which checks that a frame is the output of :func:`evaluate_indicators` or
:func:`evaluate_milestones` before a table, a summary or a chart reads it.
"""

from __future__ import annotations

import numbers
import re
import unicodedata
from typing import Any

import pandas as pd

from .._validation import ROWS_ATTR, FileRows, _tabular, encode_rows, row_number, source_file
from ..errors import EvalkitError

MET, NOT_MET, NOT_ASSESSABLE = "met", "not met", "not assessable"
DONE_ON_TIME, LATE, OPEN = "done on time", "late", "open"

_KINDS = ("activity", "outcome")

# Kinds of timing that name a whole year, not the month a step was done.
_WHOLE_YEAR_KINDS = ("year", "fiscal_year")
_COMPUTED = re.compile(r"computed:([a-z0-9_]+(?:\.[a-z0-9_]+)+)")


def _row(df: pd.DataFrame, pos: int) -> int:
    """Row of the record at position ``pos`` as the user finds it.

    The record's row in its file for a frame read by :func:`evalkit.read_table`
    (title rows and blank lines counted), else the spreadsheet row of the
    frame (header = row 1).
    """
    return row_number(pos, tabular=_tabular(df))


def _fail(df: pd.DataFrame, reason: str, pos: int, col: str, value: Any) -> EvalkitError:
    return EvalkitError(reason, file=source_file(df), row=_row(df, pos), column=col, value=value)


def _reset(data: pd.DataFrame) -> pd.DataFrame:
    """A copy indexed 0..n-1 that still knows its records' rows in their file.

    ``attrs["source_rows"]`` is rewritten for the new index, so a subset of a
    frame read from a file (filtered, sorted) keeps naming the file's rows.
    """
    rows = _tabular(data)
    df = data.reset_index(drop=True)
    attrs = {k: v for k, v in df.attrs.items() if k != ROWS_ATTR}
    if isinstance(rows, FileRows):
        attrs[ROWS_ATTR] = encode_rows(rows.rows.tolist())
    df.attrs = attrs
    return df


def _nfkc(text: str) -> str:
    """A unit as compared: NFKC-normalised, so ％ is % and ／ is /."""
    return unicodedata.normalize("NFKC", text).strip()


def _check_fiscal_year(fiscal_year: Any) -> int:
    if isinstance(fiscal_year, bool) or not isinstance(fiscal_year, numbers.Integral):
        raise EvalkitError(
            "fiscal_year must be an int such as 2019", column="fiscal_year", value=fiscal_year
        )
    return int(fiscal_year)


def _check_evaluated(data: Any, columns: list[str], producer: str) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise EvalkitError(
            f"data must be the DataFrame {producer}() returns, got {type(data).__name__}"
        )
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise EvalkitError(
            f"data lacks the columns {missing}; pass the output of {producer}()",
            file=source_file(data),
            column=missing[0],
        )
    return _reset(data)


_INDICATOR_OUT = [
    "theme",
    "initiative",
    "indicator_id",
    "kind",
    "indicator",
    "target_kind",
    "target_value",
    "target_direction",
    "target_unit",
    "actual_unit",
    "actual_text",
    "actual_source",
    "actual",
    "ci_low",
    "ci_high",
    "status",
    "margin",
]
_MILESTONE_OUT = [
    "theme",
    "initiative",
    "milestone_id",
    "planned_timing",
    "step",
    "actual_timing",
    "done",
    "planned_start",
    "planned_end",
    "planned_kind",
    "planned_flag",
    "actual_start",
    "actual_end",
    "actual_flag",
    "status",
    "months_late",
]
