"""Steps 1 and 2 of :func:`evalkit.reduction`: check every row, then aggregate.

Step 1 selects the before, after and label columns, checks each value
(naming the file, row, column and value of the first bad one) and applies
``missing=``; what it returns still has one entry per row. Step 2 sums them
per unit and per period into a :class:`ReductionSums`, which is all the
statistics of step 3 need (and all an engine for data larger than memory,
:mod:`evalkit.engines`, has to supply).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._validation import _plain, numeric, row_number, select, source_file
from ..errors import EvalkitError
from ._clusters import unit_clusters
from ._labels import label_codes, onto_window, unit_codes, units_per_period

TARGET_METRICS = ("rate", "mean_unit_rate", "mean_saved", "mean_saved_per_period")
_MISSING_OPTIONS = ("raise", "exclude")
_PERIOD_CI = ("units", "periods")
#: Most bootstrap resamples ``reduction()`` accepts: time grows in proportion,
#: memory is bounded by batching.
MAX_RESAMPLES = 1_000_000


@dataclass(frozen=True, eq=False)
class Rows:
    """Step 1: the checked values of the kept rows, with their labels still as rows."""

    before: np.ndarray  # float64, kept rows only
    after: np.ndarray
    positions: np.ndarray | None  # positions of the kept rows; None = all rows
    # role -> (labels of every row, column name); a DataFrame for a unit of several columns
    labels: dict[str, tuple[Any, str]]
    excluded: pd.DataFrame
    file: str | None
    tabular: bool
    before_name: str


def check_rows(data, before, after, unit, period, cluster, missing, *, allow_empty=False) -> Rows:
    """Select the columns, check every value and apply ``missing=``; name the bad row.

    ``allow_empty``: no error when ``missing="exclude"`` leaves no row (the
    engines check a sample of suspect rows, the other rows being fine).
    """
    file = source_file(data)
    b_ser, tabular = select(data, before, role="before")
    a_ser, _ = select(data, after, role="after")
    b_col = str(before) if tabular else "before"
    a_col = str(after) if tabular else "after"
    labels: dict[str, tuple[Any, str]] = {}
    for role, spec in (("unit", unit), ("period", period), ("cluster", cluster)):
        if role == "unit" and tabular and isinstance(spec, list):
            labels[role] = _unit_columns(data, spec)
        elif spec is not None:
            ser, _ = select(data, spec, role=role)
            labels[role] = (ser, str(spec) if tabular else role)
    if not tabular:
        _check_lengths(b_ser, a_ser, labels)
    if len(b_ser) == 0:
        raise EvalkitError(
            "no data rows: nothing to compare", file=file, column=b_col if tabular else None
        )
    b = numeric(b_ser, column=b_col, file=file, tabular=tabular, allow_missing=True)
    a = numeric(a_ser, column=a_col, file=file, tabular=tabular, allow_missing=True)
    with np.errstate(all="ignore"):  # a sum may overflow: then every row is looked at
        no_nan = bool(np.isfinite(np.add.reduce(b) + np.add.reduce(a)))
    if no_nan:  # no row is left out
        miss_b = miss_a = drop = np.zeros(0, dtype=bool)
    else:
        miss_b, miss_a = np.isnan(b), np.isnan(a)
        drop = miss_b | miss_a
    positions = None
    excluded_pos = np.empty(0, dtype=np.int64)
    if drop.any():
        if missing == "raise":
            first = int(np.flatnonzero(drop)[0])
            _raise_missing(first, b, a, b_ser, a_ser, b_col, a_col, file, tabular)
        excluded_pos = np.flatnonzero(drop)
        positions = np.flatnonzero(~drop)
        if positions.size == 0 and not allow_empty:
            raise EvalkitError(
                f"no rows left: every row misses {b_col} or {a_col} (missing='exclude')",
                file=file,
                column=b_col,
            )
        b, a = b[positions], a[positions]
    excluded = _excluded_frame(
        data, excluded_pos, b_ser, a_ser, labels, miss_b, miss_a, b_col, a_col, tabular
    )
    return Rows(b, a, positions, labels, excluded, file, tabular, b_col)


def _unit_columns(data, spec) -> tuple[pd.DataFrame, str]:
    """The unit columns of ``unit=[...]`` as one frame, and the unit's name (joined by ", ")."""
    if not spec:
        raise EvalkitError("unit= is an empty list; name at least one column", value=spec)
    if len(set(map(str, spec))) < len(spec):
        raise EvalkitError("unit= names a column twice", value=spec)
    parts = {str(c): select(data, c, role="unit")[0] for c in spec}
    return pd.DataFrame(parts), ", ".join(parts)


def check_options(
    measure, confidence, n_resamples, missing, target, target_metric, period, periods
):
    if not isinstance(measure, str) or not measure.strip():
        raise EvalkitError("measure= must be a non-empty text such as 'hours'", value=measure)
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, (int, float, np.floating))
        or not 0 < confidence < 1
    ):
        raise EvalkitError(
            "confidence= must be a number strictly between 0 and 1", value=confidence
        )
    if (
        isinstance(n_resamples, bool)
        or not isinstance(n_resamples, (int, np.integer))
        or not 1 <= n_resamples <= MAX_RESAMPLES
    ):
        raise EvalkitError(
            f"n_resamples= must be a positive whole number, at most {MAX_RESAMPLES:,} "
            "(9999 is plenty for a 95 % interval)",
            value=n_resamples,
        )
    if missing not in _MISSING_OPTIONS:
        raise EvalkitError(f"missing= must be one of {_MISSING_OPTIONS}", value=missing)
    if target_metric not in TARGET_METRICS:
        raise EvalkitError(f"target_metric= must be one of {TARGET_METRICS}", value=target_metric)
    if periods is not None and period is None:
        raise EvalkitError("periods= needs period=", column="periods", value=periods)
    if target_metric == "mean_saved_per_period" and period is None and target is not None:
        raise EvalkitError(
            "target_metric='mean_saved_per_period' needs period=", value=target_metric
        )
    if target is None:
        return
    if (
        isinstance(target, bool)
        or not isinstance(target, (int, float, np.integer, np.floating))
        or not math.isfinite(target)
    ):
        raise EvalkitError("target= must be a finite number", value=target)
    if target_metric in ("rate", "mean_unit_rate") and target > 1:
        raise EvalkitError("a rate target is a fraction at most 1, e.g. 0.8 for 80 %", value=target)


def check_period_ci(period_ci):
    if period_ci not in _PERIOD_CI:
        raise EvalkitError(f"period_ci= must be one of {_PERIOD_CI}", value=period_ci)


def make_rng(random_state):
    reason = "random_state= must be None, a non-negative whole number or a numpy Generator"
    if isinstance(random_state, bool):
        raise EvalkitError(reason, value=random_state)
    try:
        return np.random.default_rng(random_state)
    except (TypeError, ValueError) as exc:
        raise EvalkitError(reason, value=random_state) from exc


def _check_lengths(b_ser, a_ser, labels):
    n = len(b_ser)
    others = [("after", a_ser)] + [(role, ser) for role, (ser, _) in labels.items()]
    for role, ser in others:
        if len(ser) == n:
            continue
        short, long_, long_role = (ser, b_ser, "before") if len(ser) < n else (b_ser, ser, role)
        short_role = role if len(ser) < n else "before"
        pos = len(short)
        raise EvalkitError(
            f"before has {n} values but {role} has {len(ser)}: the value at position "
            f"{pos + 1} of {long_role} has no {short_role}",
            row=pos + 1,
            column=long_role,  # the column holding the value without a partner
            value=_plain(long_.iloc[pos]),
        )


def _raise_missing(pos, b, a, b_ser, a_ser, b_col, a_col, file, tabular):
    row = row_number(pos, tabular=tabular)
    hint = "; fill it in, or pass missing='exclude' to leave such rows out (listed in .excluded)"
    if np.isnan(b[pos]) and np.isnan(a[pos]):
        raise EvalkitError(
            f"both {b_col} and {a_col} are missing{hint}",
            file=file,
            row=row,
            column=b_col,
            value=_plain(b_ser.iloc[pos]),
        )
    if np.isnan(a[pos]):
        raise EvalkitError(
            f"{b_col} is given ({b[pos]:g}) but {a_col} is missing{hint}",
            file=file,
            row=row,
            column=a_col,
            value=_plain(a_ser.iloc[pos]),
        )
    raise EvalkitError(
        f"{a_col} is given ({a[pos]:g}) but {b_col} is missing{hint}",
        file=file,
        row=row,
        column=b_col,
        value=_plain(b_ser.iloc[pos]),
    )


def _excluded_frame(data, pos, b_ser, a_ser, labels, miss_b, miss_a, b_col, a_col, tabular):
    reasons = np.where(
        miss_b[pos] & miss_a[pos],
        f"{b_col} and {a_col} missing",
        np.where(miss_b[pos], f"{b_col} missing", f"{a_col} missing"),
    )
    # the rows as the user counts them: the file's rows for a frame read_table returned
    rows = pd.Series([row_number(int(p), tabular=tabular) for p in pos], name="row", dtype="int64")
    reason = pd.Series(reasons, name="reason", dtype=object)
    if tabular:
        body = (data.iloc[pos] if pos.size else data.iloc[:0]).reset_index(drop=True)
    else:
        cols = {"before": b_ser.iloc[pos], "after": a_ser.iloc[pos]}
        for role, (ser, _) in labels.items():
            cols[role] = ser.iloc[pos]
        body = pd.DataFrame({k: v.reset_index(drop=True) for k, v in cols.items()})
    return pd.concat([rows, body, reason], axis=1)


@dataclass(frozen=True, eq=False)
class ReductionSums:
    """Step 2: what the statistics of :func:`reduction` need from the rows.

    Per-unit and per-period sums of before and after, and the number of units
    with a row in each period. Every engine that can supply these (pandas in
    memory, DuckDB and Dask in :mod:`evalkit.engines`) shares the statistics
    of step 3 unchanged.
    """

    unit_labels: Any  # sorted unit labels (array-like; tuples for a unit of several columns)
    unit_before: np.ndarray  # float64, one per unit
    unit_after: np.ndarray
    unit_name: str | None  # the unit column(s), joined by ", "; None when each row is a unit
    before_name: str  # the before column, named in errors and notes
    excluded: pd.DataFrame  # rows left out (missing="exclude"), with row and reason
    file: str | None = None
    period_labels: pd.Index | None = None  # sorted periods, or the whole window
    period_before: np.ndarray | None = None
    period_after: np.ndarray | None = None
    period_units: np.ndarray | None = None  # int64, units with a row in each period
    unit_clusters: np.ndarray | None = None  # int64 cluster code of each unit
    cluster_labels: Any = None
    cluster_name: str | None = None
    unit_columns: tuple[str, ...] | None = None  # the columns of a unit of several columns


def aggregate(rows: Rows, periods) -> ReductionSums:
    """Sum before and after per unit and per period; count the units of each period."""
    pos, file, tabular = rows.positions, rows.file, rows.tabular
    unit_columns = None
    if "unit" in rows.labels:
        ser, unit_name = rows.labels["unit"]
        u_codes, u_labels = unit_codes(ser, pos, unit_name, file, tabular)
        if isinstance(ser, pd.DataFrame):
            unit_columns = tuple(ser.columns)
    else:  # each row is a unit, labelled by its row number
        kept = np.arange(rows.before.size) if pos is None else pos
        u_labels = (kept + (2 if tabular else 1)).astype(np.int64)
        u_codes, unit_name = np.arange(kept.size, dtype=np.int64), None
    k = len(u_labels)
    clusters: dict[str, Any] = {}
    if "cluster" in rows.labels:
        ser, col = rows.labels["cluster"]
        of_unit, c_labels = unit_clusters(ser, pos, u_codes, k, col, file, tabular)
        clusters = {"unit_clusters": of_unit, "cluster_labels": c_labels, "cluster_name": col}
    by_period: dict[str, Any] = {}
    if "period" in rows.labels:
        ser, col = rows.labels["period"]
        p_codes, p_labels = label_codes(ser, pos, col, file, tabular, sort_required=True)
        if periods is not None:
            # Recode onto the full window, so that empty periods count as zero.
            p_labels, p_codes = onto_window(
                periods, p_labels, p_codes, ser, pos, col, file, tabular
            )
        b, a = rows.before, rows.after
        unit_b, unit_a, *per = _cell_sums(b, a, u_codes, k, p_codes, len(p_labels))
        by_period = dict(zip(("period_before", "period_after", "period_units"), per, strict=True))
        by_period["period_labels"] = p_labels
    else:
        unit_b = np.bincount(u_codes, weights=rows.before, minlength=k)
        unit_a = np.bincount(u_codes, weights=rows.after, minlength=k)
    return ReductionSums(
        unit_labels=u_labels,
        unit_before=unit_b,
        unit_after=unit_a,
        unit_name=unit_name,
        before_name=rows.before_name,
        excluded=rows.excluded,
        file=file,
        unit_columns=unit_columns,
        **clusters,
        **by_period,
    )


def _cell_sums(before, after, u_codes, n_units, p_codes, n_periods):
    """Before and after per unit and per period, and the number of units of each period.

    When the cells (period x unit) are few beside the rows, each row is added
    to its cell once and the cells are added up by unit and by period (two
    passes over the rows instead of four, and the units of a period read
    from the cells); otherwise the rows are added by unit and by period.
    """
    cells = n_periods * n_units
    if cells > max(p_codes.size // 2, 1 << 22):
        return (
            np.bincount(u_codes, weights=before, minlength=n_units),
            np.bincount(u_codes, weights=after, minlength=n_units),
            np.bincount(p_codes, weights=before, minlength=n_periods),
            np.bincount(p_codes, weights=after, minlength=n_periods),
            units_per_period(p_codes, u_codes, n_periods, n_units),
        )
    key = p_codes * np.int64(n_units)
    key += u_codes
    cell_b = np.bincount(key, weights=before, minlength=cells).reshape(n_periods, n_units)
    cell_a = np.bincount(key, weights=after, minlength=cells).reshape(n_periods, n_units)
    seen = np.zeros(cells, dtype=bool)
    seen[key] = True
    return (
        cell_b.sum(axis=0),
        cell_a.sum(axis=0),
        cell_b.sum(axis=1),
        cell_a.sum(axis=1),
        seen.reshape(n_periods, n_units).sum(axis=1).astype(np.int64),
    )
