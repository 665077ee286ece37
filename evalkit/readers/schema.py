"""What a table must hold: :class:`Schema` of :class:`Column`, and numbers as written.

A :class:`Schema` lists the columns a table must have (canonical names,
Japanese header aliases, kinds and limits); :func:`parse_number` and
:func:`parse_rate` read the numbers Japanese tables write (full-width
digits, 1,800, 62時間, the △ minus, 84%).
"""

from __future__ import annotations

import decimal
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._validation import describe_character, foreign_digit, invisible_character
from ..errors import EvalkitError, quote

__all__ = ["KINDS", "Column", "Schema", "parse_number", "parse_rate"]

#: Kinds of column :func:`read_table` can read, and the dtype each gives.
KINDS = {
    "text": "str",
    "int": "int64 (Int64 when nullable)",
    "float": "float64",
    "month": "period[M]",
    "rate": "float64 (a fraction: 84% is 0.84)",
}

_MINUS_SIGNS = "-−△▲－"
# The grammar of a written number, on the text as written: only the digits
# 0-9 and ０-９ (never ², ① or other scripts' digits, which NFKC would turn
# into other numbers), the signs, separators and exponents (of at most three
# digits, as Excel writes them) below in ASCII or full width, and a unit that
# holds no digit.
_D = "0-9０-９"
_NUMBER = re.compile(
    rf"(?P<sign>[+\-−△▲＋－]?)\s*"
    rf"(?P<num>[{_D}]{{1,3}}(?:[,，][{_D}]{{3}})+(?:[.．][{_D}]+)?"
    rf"|[{_D}]+(?:[.．][{_D}]*)?(?:[eEｅＥ][+\-＋－]?[{_D}]{{1,3}})?"
    rf"|[.．][{_D}]+)"
    rf"\s*(?P<unit>[^{_D}\s,，.．+\-＋－][^{_D}]*)?"
)
_ASCII = str.maketrans("０１２３４５６７８９．ｅＥ＋－", "0123456789.eE+-", ",，")
#: Whole numbers are read exactly up to this magnitude (2**53 - 1), the
#: largest below which every whole number is a float64.
MAX_EXACT_INT = 2**53 - 1


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
        Naming the value, if it is not a finite number, has a unit not in
        ``units``, or holds an invisible character or a digit other than
        0-9 and ０-９ (naming its code point).

    Notes
    -----
    Digits are 0-9 and full-width ０-９ only: superscript (10²), circled
    (①) and other scripts' digits are refused, never read as other
    numbers; so are invisible characters (a zero-width space, a soft
    hyphen). Separators, signs and exponents may be ASCII or full width
    (，．＋－ｅ). Thousands separators must group three digits ("1,80" is
    refused: it may be a decimal comma). △ and ▲, the minus signs of
    Japanese statistical tables, and − (U+2212) mean minus. The unit is
    compared after NFKC normalisation and case-folding.

    Examples
    --------
    >>> parse_number("１，８００"), parse_number("△3.5"), parse_number("62時間", units=["時間"])
    (1800.0, -3.5, 62.0)
    """
    return _read_number(value, units)[0]


def _check_characters(value: str, what: str) -> None:
    """EvalkitError naming an invisible character, or a digit other than 0-9, in ``value``."""
    char = invisible_character(value)
    if char is not None:
        raise EvalkitError(
            f"{what} holds an invisible character, {describe_character(char)}; delete it",
            value=value,
        )
    char = foreign_digit(value)
    if char is not None:
        raise EvalkitError(
            f"{what} holds {char!r} ({describe_character(char)}), which is not one of the "
            "digits 0-9 or ０-９; write the number with those digits",
            value=value,
        )


def _read_number(value: Any, units: Sequence[str] = ()) -> tuple[float, str | None]:
    """The number ``value`` stands for, and, for text, its exact decimal digits in ASCII."""
    if isinstance(value, bool | np.bool_):
        raise EvalkitError("not a number: got true/false", value=value)
    if isinstance(value, int | np.integer | float | np.floating):
        try:
            number = float(value)
        except OverflowError:  # a Python int beyond float range
            raise EvalkitError("too large a number", value=value) from None
        if not math.isfinite(number):
            raise EvalkitError("not a finite number", value=value)
        return number, None
    if not isinstance(value, str):
        raise EvalkitError(f"not a number: got {type(value).__name__}", value=value)
    _check_characters(value, "the number")
    m = _NUMBER.fullmatch(value.strip())
    if m is None:
        raise EvalkitError("not a number", value=value)
    unit = unicodedata.normalize("NFKC", m["unit"] or "").strip()
    if unit:
        accepted = {unicodedata.normalize("NFKC", u).casefold() for u in units}
        if unit.casefold() not in accepted:
            allowed = ", ".join(repr(u) for u in units) if units else "none"
            raise EvalkitError(
                f"unit {quote(unit)} is not accepted here (accepted: {allowed})", value=value
            )
    digits = m["num"].translate(_ASCII)
    number = float(digits)
    if not math.isfinite(number):
        raise EvalkitError("not a finite number", value=value)
    if m["sign"] and m["sign"] in _MINUS_SIGNS:
        return -number, "-" + digits
    return number, digits


def whole_number(value: Any, number: float, digits: str | None) -> int:
    """``number`` as an int, refusing a fraction or a magnitude not read exactly."""
    if digits is not None:  # text: decide on the digits as written, not on a rounded float
        exact = decimal.Decimal(digits)  # exponents have at most 3 digits: always in range
        whole = exact == exact.to_integral_value()
    else:
        exact = decimal.Decimal(number)
        whole = float(number).is_integer()
    if not whole:
        raise EvalkitError("not a whole number", value=value)
    if abs(exact) > MAX_EXACT_INT:
        raise EvalkitError(
            f"too large for a column of whole numbers: at most {MAX_EXACT_INT:,} "
            "(larger whole numbers cannot be read exactly)",
            value=value,
        )
    return int(exact)


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
        s = value.strip()
        if s.endswith(("%", "％")):
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
        :func:`evalkit.parse_month`; rates by :func:`parse_rate`.
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
