"""Step 1 of :func:`evalkit.reduction`: check the options and every row.

Selects the before, after and label columns, checks each value (naming the
file, row, column and value of the first bad one) and applies ``missing=``;
what it returns still has one entry per row, for step 2 to aggregate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._validation import _plain, numeric, row_number, select, source_file
from ..errors import EvalkitError

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
    labels: dict[str, tuple[pd.Series, str]]  # role -> (labels of every row, column name)
    excluded: pd.DataFrame
    file: str | None
    tabular: bool
    before_name: str


def check_rows(data, before, after, unit, period, cluster, missing) -> Rows:
    """Select the columns, check every value and apply ``missing=``; name the bad row."""
    file = source_file(data)
    b_ser, tabular = select(data, before, role="before")
    a_ser, _ = select(data, after, role="after")
    b_col = str(before) if tabular else "before"
    a_col = str(after) if tabular else "after"
    labels: dict[str, tuple[pd.Series, str]] = {}
    for role, spec in (("unit", unit), ("period", period), ("cluster", cluster)):
        if spec is not None:
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
        if positions.size == 0:
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
        body = data.iloc[pos].reset_index(drop=True)
    else:
        cols = {"before": b_ser.iloc[pos], "after": a_ser.iloc[pos]}
        for role, (ser, _) in labels.items():
            cols[role] = ser.iloc[pos]
        body = pd.DataFrame({k: v.reset_index(drop=True) for k, v in cols.items()})
    return pd.concat([rows, body, reason], axis=1)
