"""Unit and period labels of row-level data: integer codes, the reporting window, word.

Shared by :func:`~evalkit.stats.reduction.reduction` and
:func:`~evalkit.stats.usage.usage`, so that both order units and periods the
same way and name the same row when a label is missing or of another kind.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .._validation import _plain, row_number
from ..errors import EvalkitError

_PERIOD_WORDS = {"M": "month", "Q": "quarter", "Y": "year", "A": "year", "W": "week", "D": "day"}


def label_error(reason, ser, at, positions, column, file, tabular) -> EvalkitError:
    """The error for the ``at``-th kept row: its row as the user counts it, column, value."""
    pos = at if positions is None else int(positions[at])
    return EvalkitError(
        reason,
        file=file,
        row=row_number(pos, tabular=tabular),
        column=column,
        value=_plain(ser.iloc[pos]),
    )


def label_codes(ser, positions, column, file, tabular, *, sort_required):
    """Integer codes (0..k-1) of the kept rows' labels, and the labels, sorted.

    Unit labels that cannot be sorted keep their order of first appearance;
    period labels must be of one kind (all Periods of one frequency, all
    text, all timestamps, ...) so that their order means something.
    """
    if ser.dtype == object:
        _check_true_false(ser, positions, column, file, tabular)
    try:
        codes, uniques = pd.factorize(ser, sort=True)
    except (TypeError, ValueError):
        if sort_required:
            _raise_mixed_periods(ser, column, file, tabular)
        codes, uniques = pd.factorize(ser, sort=False)
    uniques = pd.Index(uniques)
    # Blank text counts as a missing label, like an empty cell.
    if pd.api.types.is_string_dtype(uniques.dtype) and uniques.dtype != object:
        blank = np.asarray((uniques.str.len() == 0) | uniques.str.isspace(), dtype=bool)
    elif uniques.dtype == object:
        blank = np.array([isinstance(v, str) and not v.strip() for v in uniques], dtype=bool)
    else:
        blank = np.zeros(len(uniques), dtype=bool)
    if blank.any():
        codes = np.where(blank[codes] & (codes >= 0), -1, codes)
    kept = codes if positions is None else codes[positions]
    if (kept < 0).any():
        at = int(np.flatnonzero(kept < 0)[0])
        raise label_error(
            f"missing {column} label; every row needs one",
            ser,
            at,
            positions,
            column,
            file,
            tabular,
        )
    if positions is None:  # factorize finds only the labels present: every one is used
        used = np.ones(len(uniques), dtype=bool)
    else:
        used = np.zeros(len(uniques), dtype=bool)
        used[kept] = True
    if sort_required and pd.api.types.is_string_dtype(uniques.dtype):
        _check_text_months(uniques[used], ser, positions, column, file, tabular)
    if sort_required and uniques.dtype == object:
        if len({_kind(v) for v in uniques[used]}) > 1:
            kept_ser = ser if positions is None else ser.iloc[positions]
            _raise_mixed_periods(kept_ser, column, file, tabular, positions)
    if used.all():
        return kept.astype(np.int64, copy=False), uniques
    remap = np.cumsum(used) - 1
    return remap[kept].astype(np.int64), uniques[used]


def unit_codes(labels, positions, column, file, tabular):
    """Codes and sorted labels of units named by one column, or by several (a DataFrame).

    With several columns (``unit=["municipality_code", "department"]``) each
    column's labels are checked and coded as one column's would be, and a unit
    is a combination: its label is the tuple of its values, and units sort as
    the tuples do (by the first column, then the next).
    """
    if not isinstance(labels, pd.DataFrame):
        return label_codes(labels, positions, column, file, tabular, sort_required=False)
    parts = [
        label_codes(labels.iloc[:, j], positions, str(name), file, tabular, sort_required=False)
        for j, name in enumerate(labels.columns)
    ]
    sizes = [max(len(uniques), 1) for _, uniques in parts]
    space = float(np.prod(sizes, dtype=np.float64))
    if space < 2.0**62:
        # one whole number per combination, in the order of the tuples of codes
        key = parts[0][0].astype(np.int64)  # a copy, changed in place below
        for (part_codes, _), size in zip(parts[1:], sizes[1:], strict=True):
            key *= size
            key += part_codes
        if space <= _dense_limit(key.size):
            codes, found = _dense_codes(key, int(space))
        else:
            codes, found = pd.factorize(key, sort=True)
        combos = np.empty((found.size, len(parts)), dtype=np.int64)
        for j in reversed(range(len(parts))):
            found, combos[:, j] = np.divmod(found, sizes[j])
    else:  # pragma: no cover - more combinations than a 64-bit number counts
        keys = np.stack([part_codes for part_codes, _ in parts], axis=1)
        combos, codes = np.unique(keys, axis=0, return_inverse=True)
    values = [uniques.take(combos[:, j]).tolist() for j, (_, uniques) in enumerate(parts)]
    tuples = list(zip(*values, strict=True))
    return codes.reshape(-1).astype(np.int64), pd.Index(tuples, dtype=object, tupleize_cols=False)


def _dense_limit(n_rows: int) -> float:
    """Most possible keys :func:`_dense_codes` handles: a few bytes per row, or 4 MiB."""
    return float(max(4 * n_rows, 1 << 22))


def _dense_codes(key: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes of whole numbers in ``[0, space)`` in their sorted order, and the numbers found.

    The same as ``pandas.factorize(key, sort=True)``, by marking the numbers
    present in an array of ``space`` flags instead of hashing them.
    """
    present = np.zeros(space, dtype=bool)
    present[key] = True
    found = np.flatnonzero(present)
    remap = np.cumsum(present, dtype=np.int64) - 1
    return remap[key], found


def unit_parts(labels, columns) -> dict[str, list]:
    """One column per part of tuple unit labels (``{"municipality_code": [...], ...}``).

    ``per_unit`` tables show a unit of several columns as the tuple in
    ``unit`` and each part in a column of its own, for filtering and sorting.
    """
    if not columns:
        return {}
    values = labels.to_numpy() if isinstance(labels, pd.Index) else labels  # faster to iterate
    return {name: [label[j] for label in values] for j, name in enumerate(columns)}


def onto_window(periods, labels, codes, ser, positions, column, file, tabular):
    """Codes of the rows' periods within ``periods`` (the whole reporting window)."""
    if isinstance(periods, (str, bytes)) or not hasattr(periods, "__iter__"):
        raise EvalkitError("periods= must be a list of periods", column="periods", value=periods)
    window = pd.Index(list(periods))
    if window.empty:
        raise EvalkitError("periods= is empty", column="periods", value=list(periods))
    if window.has_duplicates:
        dup = window[window.duplicated()][0]
        raise EvalkitError("periods= lists a period twice", column="periods", value=dup)
    where = window.get_indexer(labels)
    if (where < 0).any():
        code = int(np.flatnonzero(where < 0)[0])
        at = int(np.flatnonzero(codes == code)[0])
        raise label_error(
            f"period not among periods= ({window[0]!s} .. {window[-1]!s}, {len(window)} in all); "
            "give every period of the window, of the same kind as the column",
            ser,
            at,
            positions,
            column,
            file,
            tabular,
        )
    return window, where[codes].astype(np.int64)


def _kind(value):
    return type(value), getattr(value, "freqstr", None)


def _raise_mixed_periods(ser, column, file, tabular, positions=None):
    """Raise naming the first period label of another kind than the first one."""
    first = _kind(ser.iloc[0])
    odd = np.flatnonzero(ser.map(lambda v: _kind(v) != first).to_numpy(dtype=bool))
    at = int(odd[0]) if odd.size else 0
    pos = at if positions is None else int(positions[at])
    raise EvalkitError(
        f"period labels of different kinds cannot be put in order (the first is a "
        f"{type(ser.iloc[0]).__name__} {ser.iloc[0]!s}); use one kind, e.g. all 'YYYY-MM' text",
        file=file,
        row=row_number(pos, tabular=tabular),
        column=column,
        value=_plain(ser.iloc[at]),
    )


def units_per_period(p_codes, u_codes, n_periods, n_units):
    if n_periods * n_units <= max(4 * p_codes.size, 1 << 22):
        seen = np.zeros(n_periods * n_units, dtype=bool)
        seen[p_codes * n_units + u_codes] = True
        return seen.reshape(n_periods, n_units).sum(axis=1).astype(np.int64)
    keys = np.unique(p_codes * np.int64(n_units) + u_codes)
    return np.bincount(keys // n_units, minlength=n_periods).astype(np.int64)


def period_word(periods: pd.Series) -> str:
    """'month' for monthly Periods or 'YYYY-MM' text, 'quarter', ..., else 'period'."""
    dtype = periods.dtype
    if isinstance(dtype, pd.PeriodDtype):
        return _PERIOD_WORDS.get(dtype.freq.freqstr[:1], "period")
    if pd.api.types.is_string_dtype(dtype) and len(periods):
        text = periods.astype(str)
        if text.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])").all():
            return "month"
    return "period"


def _is_true_false(value) -> bool:
    return isinstance(value, bool | np.bool_)


def _check_true_false(ser, positions, column, file, tabular):
    """Refuse True/False beside numbers: True == 1, so the two would be one label."""
    kept = ser if positions is None else ser.iloc[positions]
    flags = kept.map(_is_true_false).to_numpy(dtype=bool)
    if not flags.any() or flags.all():
        return
    numbers_ = kept.map(lambda v: isinstance(v, int | float | np.number) and not _is_true_false(v))
    if not numbers_.to_numpy(dtype=bool).any():
        return
    at = int(np.flatnonzero(flags != flags[0])[0])
    raise label_error(
        f"{column} labels mix True/False with numbers ({_plain(kept.iloc[0])!r} in the first "
        "row); True equals 1 and False equals 0, so they would count as one label: use one kind",
        ser,
        at,
        positions,
        column,
        file,
        tabular,
    )


_TEXT_MONTH = re.compile(r"\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*")


def _check_text_months(labels, ser, positions, column, file, tabular):
    """Refuse text months whose text order is not their time order (2019-10 before 2019-4)."""
    keys = [(str(v), _TEXT_MONTH.fullmatch(str(v))) for v in labels]
    months = [(text, (int(m[1]), int(m[2]))) for text, m in keys if m]
    if [t for t, _ in months] == [t for t, _ in sorted(months, key=lambda tm: tm[1])]:
        return
    odd = next(t for t, _ in months if not re.fullmatch(r"\d{4}-\d{2}", t))
    kept = ser if positions is None else ser.iloc[positions]
    at = int(np.flatnonzero(kept.astype(str).to_numpy() == odd)[0])
    raise label_error(
        "months written as text sort as text, not in time order (2019-10 would come before "
        "2019-4); write every month as YYYY-MM (2019-04), or give pandas Periods "
        "(evalkit.parse_month reads 2019/4, 令和元年5月, ...)",
        ser,
        at,
        positions,
        column,
        file,
        tabular,
    )
