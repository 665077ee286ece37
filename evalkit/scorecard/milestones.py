"""Schedules against what happened: :func:`evaluate_milestones`."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..errors import EvalkitError
from ..readers.fiscal import parse_month
from ._common import (
    _WHOLE_YEAR_KINDS,
    DONE_ON_TIME,
    LATE,
    NOT_ASSESSABLE,
    OPEN,
    _check_fiscal_year,
    _fail,
)
from .load import _check_milestones, _milestone_timings


def evaluate_milestones(
    data: pd.DataFrame, *, fiscal_year: int = 2019, as_of: Any = "2020-03"
) -> pd.DataFrame:
    """Evaluate each scheduled step: done on time, late, open or not assessable.

    Parameters
    ----------
    data : pandas.DataFrame
        The steps, as :func:`load_milestones` returns them, each initiative's
        steps in the order of its schedule.
    fiscal_year : int, default 2019
        Fiscal year of the plan; places months written without a year.
    as_of : month-like, default "2020-03"
        Month of the progress report, meaning its end (R２年３月末時点 is
        ``"2020-03"``).

    Returns
    -------
    pandas.DataFrame
        The rows of ``data`` (a copy) with these columns added:

        - ``planned_start``, ``planned_end``: months of the planned timing
          (``period[M]``, NaT where the timing has none), read by
          :func:`evalkit.fiscal.parse_schedule` over each initiative's
          schedule, so a bare "９月" continues the line before it.
        - ``planned_kind``, ``planned_flag``: the timing's kind and flag
          (see :class:`evalkit.fiscal.Timing`; flag "" when none).
        - ``actual_start``, ``actual_end``, ``actual_kind``, ``actual_flag``:
          the same for ``actual_timing``, read by
          :func:`evalkit.fiscal.parse_timing` (``actual_kind`` "" when blank).
        - ``status``: ``"done on time"``, ``"late"``, ``"open"`` or
          ``"not assessable"``.
        - ``months_late``: whole months past the planned deadline (Int64):
          0 when on time, at least 1 when late (a lower bound for a step not
          done and for a whole-year actual), NA when open or not assessable.
        - ``reason``: why the status is what it is, in a sentence.

    Raises
    ------
    EvalkitError
        For a bad cell (see :func:`load_milestones`), a timing shaped like an
        impossible date, or an actual month after ``as_of``; naming the row,
        the column and the value.

    Notes
    -----
    The deadline of a step is its planned end, or its planned start for an
    open end ("２月～"): the step is due by the end of that month. ``as_of``
    is the end of the report month. Dates in the report are months, so
    lateness is counted in months, never in days: a step done in month M and
    due in month D is late by M − D months when M > D.

    - Planned timing not a date (随時, 適宜, 年４回程度): ``"not assessable"``.
    - Done with an actual timing: its end (its start for an open end such
      as "7月～") is compared with the deadline: on or before it is
      ``"done on time"``, after it is ``"late"`` by the difference in months.
    - Done with a whole year or fiscal year as its timing (元年, 令和元年度),
      which says only that the step fell somewhere in it (up to ``as_of``):
      ``"done on time"`` if that span ends by the deadline, ``"late"`` by at
      least its first month minus the deadline if it starts after it, and
      ``"not assessable"`` if it contains the deadline.
    - Done without an actual timing: the report only says it was done by
      the end of ``as_of``; that is ``"done on time"`` if the deadline is
      ``as_of`` or later, else ``"not assessable"``.
    - Not done (``done`` "no"): ``"open"`` while the deadline is after
      ``as_of``; ``"late"`` once the deadline is ``as_of`` or earlier (the
      step was due by the end of the report month and is not done), by at
      least ``as_of`` + 1 − deadline months: done in the month after the
      report at the earliest, counted as for a done step.
    - Not stated: ``"open"`` while the deadline is after ``as_of``, else
      ``"not assessable"``.

    Examples
    --------
    >>> from evalkit.scorecard import load_milestones
    >>> out = evaluate_milestones(load_milestones())
    >>> row = out.set_index("milestone_id").loc["rpa.m3"]
    >>> row["planned_timing"], row["actual_timing"], row["status"], int(row["months_late"])
    ('９月', '9～10月', 'late', 1)
    >>> out["status"].value_counts().to_dict()
    {'done on time': 12, 'not assessable': 6, 'late': 1}
    """
    fy = _check_fiscal_year(fiscal_year)
    try:
        report_month = parse_month(as_of)
    except EvalkitError as err:
        raise EvalkitError(err.reason, column="as_of", value=as_of) from None
    df = _check_milestones(data, fy)
    n = len(df)
    planned, actual = _milestone_timings(df, fy)

    status, reason, late = [], [], []
    for pos in range(n):
        s, r, k = _milestone_status(df, pos, planned[pos], actual[pos], report_month)
        status.append(s)
        reason.append(r)
        late.append(k)

    def months(ts, attr):
        return pd.Series(
            [pd.NaT if t is None or getattr(t, attr) is None else getattr(t, attr) for t in ts],
            dtype="period[M]",
        )

    out = df.copy()
    out["planned_start"] = months(planned, "start")
    out["planned_end"] = months(planned, "end")
    out["planned_kind"] = [t.kind for t in planned]
    out["planned_flag"] = [t.flag or "" for t in planned]
    out["actual_start"] = months(actual, "start")
    out["actual_end"] = months(actual, "end")
    out["actual_kind"] = ["" if t is None else t.kind for t in actual]
    out["actual_flag"] = ["" if t is None else (t.flag or "") for t in actual]
    out["status"] = status
    out["months_late"] = pd.array(late, dtype="Int64")
    out["reason"] = reason
    return out


def _months_between(later: pd.Period, earlier: pd.Period) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def _milestone_status(df, pos, planned, actual, as_of) -> tuple[str, str, Any]:
    if not planned.is_dated:
        why = f"planned timing {planned.text!r} is {planned.flag}"
        if df["done"].iat[pos] == "yes":
            when = "" if actual is None else f" ({actual.text})"
            why += f"; reported done{when}"
        return NOT_ASSESSABLE, why, pd.NA
    deadline = planned.end if planned.end is not None else planned.start
    done = df["done"].iat[pos]
    if actual is not None and actual.is_dated:
        whole = actual.kind in _WHOLE_YEAR_KINDS
        # a whole year only says the step fell somewhere in it, by the report
        point = actual.start if whole else (actual.end if actual.end is not None else actual.start)
        if point > as_of:
            raise _fail(
                df,
                f"the actual timing reaches {point}, after the report month {as_of}",
                pos,
                "actual_timing",
                actual.text,
            )
        if whole:
            last = min(actual.end, as_of)
            span = f"{actual.start}..{last}"
            if last <= deadline:
                return DONE_ON_TIME, f"done in {actual.text!r} ({span}), due {deadline}", 0
            if actual.start <= deadline:
                return (
                    NOT_ASSESSABLE,
                    f"done in {actual.text!r}, a whole {actual.kind.replace('_', ' ')} "
                    f"({span}) that contains the deadline {deadline}: on time or not "
                    "cannot be told",
                    pd.NA,
                )
            k = _months_between(actual.start, deadline)
            return (
                LATE,
                f"done in {actual.text!r} ({span}), due {deadline}: at least {k} months late",
                k,
            )
        k = _months_between(point, deadline)
        if k <= 0:
            return DONE_ON_TIME, f"done {point}, due {deadline}", 0
        return LATE, f"done {point}, due {deadline}", k
    if done == "yes":
        why = "" if actual is None else f" (actual timing {actual.text!r}: {actual.flag})"
        if deadline >= as_of:
            return (
                DONE_ON_TIME,
                (
                    f"reported done by the end of {as_of}, no later than the deadline "
                    f"{deadline}{why}"
                ),
                0,
            )
        return (
            NOT_ASSESSABLE,
            (
                f"reported done by the end of {as_of} without a month, and due earlier "
                f"({deadline}){why}"
            ),
            pd.NA,
        )
    if deadline > as_of:
        return OPEN, f"not reported done by the end of {as_of}; due {deadline}", pd.NA
    if done == "no":
        # done in the month after the report at the earliest
        k = _months_between(as_of, deadline) + 1
        return (
            LATE,
            f"not done by the end of {as_of}, due {deadline}: at least {k} months late",
            k,
        )
    return NOT_ASSESSABLE, f"the report does not say whether it was done (due {deadline})", pd.NA
