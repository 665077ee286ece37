"""Indicators against their targets: :func:`evaluate_indicators`."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

# Differences this small relative to the target count as equal (a rate of
# 0.7 computed in floating point meets a 70 % target).
from .._compare import REL_TOL as _REL_TOL
from .._compare import at_least, at_most, is_close, reaches
from ._common import _COMPUTED, MET, NOT_ASSESSABLE, NOT_MET, _fail, _nfkc
from .actuals import Actual
from .load import _check_indicators


def _as_actual(value: Any, *, df, pos) -> Actual:
    if isinstance(value, Actual):
        act = value
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        act = Actual(float(value))
    else:
        raise _fail(
            df,
            f"actuals must map to Actual or a number, got {type(value).__name__}",
            pos,
            "actual_source",
            df["actual_source"].iat[pos],
        )
    try:
        val = float(act.value)
    except (TypeError, ValueError):
        val = math.nan
    if not math.isfinite(val):
        raise _fail(
            df,
            f"the computed actual is not a finite number ({act.value!r})",
            pos,
            "actual_source",
            df["actual_source"].iat[pos],
        )
    if act.target is not None:
        try:
            tgt = float(act.target)
        except (TypeError, ValueError):
            tgt = math.nan
        if not math.isfinite(tgt):
            raise _fail(
                df,
                f"the computed actual's target is not a finite number ({act.target!r})",
                pos,
                "actual_source",
                df["actual_source"].iat[pos],
            )
    unit = df["actual_unit"].iat[pos]
    if act.unit and unit and _nfkc(act.unit) != unit:
        raise _fail(
            df,
            f"the computed actual is in {act.unit!r}, the file says {unit!r}",
            pos,
            "actual_unit",
            unit,
        )
    return act


def _compare(actual: float, target: float, direction: str) -> bool:
    if direction == "==":
        return is_close(actual, target)
    return reaches(actual, target, direction)


def _row_actual(
    df: pd.DataFrame, pos: int, row: Any, actuals: Mapping[str, Any] | None
) -> tuple[Actual | None, str]:
    """The actual of one row, or None and why there is none.

    A ``computed:`` row takes it from ``actuals`` (an error when the mapping
    lacks its name); a ``report`` row has its ``actual_value``, if any.
    """
    m = _COMPUTED.fullmatch(row.actual_source)
    if m is None:
        if math.isnan(row.actual_value):
            return None, "the report states no figure"
        return Actual(row.actual_value), ""
    key = m[1]
    if actuals is None:
        return None, f"not computed: pass actuals=compute_actuals() for {key}"
    if key not in actuals:
        have = ", ".join(sorted(actuals)) or "nothing"
        raise _fail(
            df,
            f"actuals has no {key!r} (it has {have})",
            pos,
            "actual_source",
            row.actual_source,
        )
    return _as_actual(actuals[key], df=df, pos=pos), ""


def evaluate_indicators(
    data: pd.DataFrame, *, actuals: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Evaluate each indicator against its target: met, not met or not assessable.

    Parameters
    ----------
    data : pandas.DataFrame
        The indicators, as :func:`load_indicators` returns them.
    actuals : mapping of str to Actual or float, optional
        The computed actuals, keyed as in ``actual_source`` after
        ``computed:``; normally ``compute_actuals()``. Without it, computed
        actuals are missing and their numeric targets are not assessable.

    Returns
    -------
    pandas.DataFrame
        The rows of ``data`` (a copy) with these columns added:

        - ``actual``: the actual in the indicator's unit: the computed value
          for ``computed:`` rows, ``actual_value`` for ``report`` rows, NaN
          when there is none.
        - ``ci_low``, ``ci_high``: its confidence interval, NaN when it has none.
        - ``status``: ``"met"``, ``"not met"`` or ``"not assessable"``.
        - ``margin``: ``actual - target_value`` in the target's unit (so
          positive is good for ``>=``, negative for ``<=``); NaN when not
          assessable.
        - ``met_confidently``: whether the whole interval is on the met side
          of the target (boolean, NA without an interval or target).
        - ``reason``: why the status is what it is, in a sentence.

        ``target_value`` is the target the row was judged against: the
        file's, or the computed actual's own ``target`` (see Notes).

    Raises
    ------
    EvalkitError
        For a file that breaks the rules of :func:`load_indicators`, for an
        ``actuals`` mapping that lacks a name a row asks for, or whose unit
        differs from the row's ``actual_unit`` (naming the row, the column
        and the value).

    Notes
    -----
    - Qualitative targets are ``"not assessable"``: the report's statement
      (``actual_text``) is shown, and a computed figure is filled in as
      context, but no rule turns either into met or not met.
    - A numeric target is met when ``actual >= target`` (``>=``),
      ``actual <= target`` (``<=``) or ``actual == target`` (``==``);
      equality is exact up to a relative 1e-9, so a boundary value meets a
      ``>=`` target. Without an actual it is ``"not assessable"``.
    - ``met_confidently``: ``ci_low >= target`` for ``>=``,
      ``ci_high <= target`` for ``<=``; NA for ``==``.
    - A computed :class:`Actual` that carries a ``target`` (as
      :func:`compute_actuals` records the targets its statistics were given)
      is judged against that target on a numeric row, so the scorecard
      agrees with the statistics; when it differs from the file's, ``reason``
      says so. With the default targets both are the report's.

    Examples
    --------
    >>> from evalkit.scorecard import load_indicators
    >>> ind = load_indicators()
    >>> out = evaluate_indicators(ind).set_index("indicator_id")
    >>> row = out.loc["common_platform.a1"]
    >>> float(row["actual"]), row["status"], float(row["margin"])
    (30.0, 'met', 0.0)
    >>> out.loc["rpa.o2", "status"], out.loc["rpa.o2", "reason"]
    ('not assessable', 'no actual: not computed: pass actuals=compute_actuals() for rpa.rate')
    >>> rpa = ind[ind["initiative_id"] == "rpa"]
    >>> acts = {"rpa.rate": 84.0, "rpa.saved": 1800.0, "rpa.candidate_tasks": 3}
    >>> out = evaluate_indicators(rpa, actuals=acts)
    >>> out[["indicator_id", "actual", "status", "margin"]]
      indicator_id  actual          status  margin
    0       rpa.a1     NaN  not assessable     NaN
    1       rpa.a2     NaN  not assessable     NaN
    2       rpa.a3     3.0  not assessable     NaN
    3       rpa.o1  1800.0  not assessable     NaN
    4       rpa.o2    84.0             met     4.0
    """
    df = _check_indicators(data)
    n = len(df)
    actual = np.full(n, np.nan)
    ci_low = np.full(n, np.nan)
    ci_high = np.full(n, np.nan)
    margin = np.full(n, np.nan)
    targets = df["target_value"].to_numpy(dtype="float64", copy=True)
    status: list[str] = []
    reason: list[str] = []
    confident: list[Any] = []
    for pos, row in enumerate(df.itertuples(index=False)):
        act, missing_why = _row_actual(df, pos, row, actuals)
        have_actual = act is not None
        given_target = None
        if have_actual:
            actual[pos] = float(act.value)
            if act.ci is not None:
                ci_low[pos], ci_high[pos] = (float(v) for v in act.ci)
            given_target = act.target

        if row.target_kind == "qualitative":
            status.append(NOT_ASSESSABLE)
            reason.append("qualitative target: no rule decides met or not met")
            confident.append(pd.NA)
            continue
        if not have_actual:
            status.append(NOT_ASSESSABLE)
            reason.append(f"no actual: {missing_why}")
            confident.append(pd.NA)
            continue
        target, direction = row.target_value, row.target_direction
        changed = ""
        if given_target is not None:
            given = float(given_target)
            if not math.isclose(given, target, rel_tol=_REL_TOL, abs_tol=_REL_TOL):
                changed = f" (the computing call's target; the file says {target:g})"
            target = targets[pos] = given
        met = _compare(actual[pos], target, direction)
        margin[pos] = actual[pos] - target
        status.append(MET if met else NOT_MET)
        word = {">=": "at least", "<=": "at most", "==": "exactly"}[direction]
        reason.append(
            f"actual {actual[pos]:.4g} {row.target_unit} against a target of {word} "
            f"{target:g} {row.target_unit}{changed}"
        )
        if direction == "==" or math.isnan(ci_low[pos]) or math.isnan(ci_high[pos]):
            confident.append(pd.NA)
        elif direction == ">=":
            confident.append(at_least(ci_low[pos], target))
        else:
            confident.append(at_most(ci_high[pos], target))
    out = df.copy()
    out["target_value"] = targets
    out["actual"] = actual
    out["ci_low"] = ci_low
    out["ci_high"] = ci_high
    out["status"] = status
    out["margin"] = margin
    out["met_confidently"] = pd.array(confident, dtype="boolean")
    out["reason"] = reason
    return out
