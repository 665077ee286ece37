"""Staggered difference-in-differences: Callaway & Sant'Anna (2021) with evalkit's checks.

:func:`did` estimates how much an outcome (hours spent drafting minutes)
changed *because of* a tool that units (departments) adopted at different
times, by comparing each adopting cohort with units that had not adopted
yet, or never did. The estimator is the doubly robust group-time ATT of
Callaway & Sant'Anna (2021), computed by the ``differences`` package
(pinned; its results agree with R's ``did`` package, see the tests); evalkit
checks the panel, converts Japanese-file conventions, aggregates and tests
the pre-trends, and returns a :class:`DidResult`.
"""

from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._results import ResultMixin
from .._validation import is_blank, numeric, row_number, select, source_file
from ..errors import EvalkitError
from ..readers.fiscal import parse_month
from ._labels import label_codes

__all__ = ["did", "DidResult"]

_CONTROLS = ("not_yet_treated", "never_treated")


@dataclass(frozen=True, eq=False, repr=False)
class DidResult(ResultMixin):
    """Result of :func:`did`: the effect of adoption on the adopters.

    Attributes
    ----------
    att, att_se, att_ci : float, float, tuple of float
        Average effect on the treated unit-periods (every adopting unit from
        its first period on, within the window): the "simple" aggregation of
        the group-time ATTs, weighted by cohort size as R's
        ``aggte(type = "simple")``; its influence-function standard error
        and normal interval at ``confidence``.
    event_study : pandas.DataFrame
        ``event_time`` (periods since adoption; negative = before), ``att``,
        ``se``, ``ci_low``, ``ci_high`` (pointwise).
    by_cohort : pandas.DataFrame
        ``cohort`` (first period), ``n_units``, ``att`` (mean of its
        post-adoption group-time ATTs), ``se``, ``ci_low``, ``ci_high``.
    pretrend_stat, pretrend_df, pretrend_pvalue : float, int, float
        Joint Wald test that every lead (event time < 0) is zero, from the
        leads' covariance (chi-squared with ``pretrend_df`` degrees of
        freedom). A small p-value says the adopters' outcomes were already
        moving apart before adoption, so the parallel-trends assumption is
        doubtful. NaN when no lead is tested.
    pretrend_leads : int
        Leads tested: event times -1 to -``pretrend_leads``.
    pretrend_singular : bool
        The leads' covariance was singular: the test used its generalised
        inverse and ``pretrend_df`` is its rank, smaller than the number of
        leads.
    n_units, n_treated, n_not_treated : int
        Units used; of them, units adopting within the window after its
        first period, and units not adopting within it.
    treated_cells : int
        Unit-periods from adoption on: ``att * treated_cells`` is the total
        effect over the window.
    n_periods, control, confidence, outcome : int, str, float, str
    excluded : pandas.DataFrame
        Units left out, with the reason: those treated in the first period
        or earlier have no period before adoption to compare with.
    """

    att: float
    att_se: float
    att_ci: tuple[float, float]
    event_study: pd.DataFrame
    by_cohort: pd.DataFrame
    pretrend_stat: float
    pretrend_df: int
    pretrend_pvalue: float
    pretrend_singular: bool
    pretrend_leads: int
    n_units: int
    n_treated: int
    n_not_treated: int
    treated_cells: int
    n_periods: int
    control: str
    confidence: float
    outcome: str
    excluded: pd.DataFrame
    notes: tuple[str, ...] = field(default=())

    _title = "差の差分析（DiD, Callaway & Sant'Anna 2021）"

    def summary(self) -> pd.DataFrame:
        """Tidy table of the figures: metric, value, ci_low, ci_high, unit."""
        nan = math.nan
        rows = [
            ("att", self.att, *self.att_ci, self.outcome),
            ("att_se", self.att_se, nan, nan, self.outcome),
            ("pretrend_pvalue", self.pretrend_pvalue, nan, nan, "p"),
            ("n_units", self.n_units, nan, nan, "units"),
            ("n_treated", self.n_treated, nan, nan, "units"),
            ("n_not_treated", self.n_not_treated, nan, nan, "units"),
            ("treated_cells", self.treated_cells, nan, nan, "unit-periods"),
        ]
        return pd.DataFrame(rows, columns=["metric", "value", "ci_low", "ci_high", "unit"])

    def _notes(self) -> list[str]:
        return list(self.notes)


def did(
    data: pd.DataFrame | None = None,
    *,
    outcome: Any,
    unit: Any,
    period: Any,
    first_treated: Any,
    control: str = "not_yet_treated",
    confidence: float = 0.95,
    pretrend_leads: int | None = None,
) -> DidResult:
    """Effect of a staggered adoption by difference-in-differences (Callaway & Sant'Anna).

    Parameters
    ----------
    data : pandas.DataFrame or None
        A balanced panel: one row per unit and period. With ``data=None``
        the other arguments are array-likes of equal length.
    outcome : str or array-like
        The outcome (hours, yen); numbers only, none missing.
    unit : str or array-like
        Unit labels (departments).
    period : str or array-like
        Periods: monthly ``pandas.Period`` values, months as text (every
        form :func:`evalkit.parse_month` reads: ``2019-04``, ``令和元年5月``,
        ...) or whole numbers (years). Equally spaced periods are assumed.
    first_treated : str or array-like
        The unit's first period with the tool, the same on all of its rows,
        in the form of ``period``; blank (None, NaN, empty text) for a unit
        not treated. A first period after the window counts as not treated
        within it; a unit treated in the first period or earlier is left out
        (listed in ``excluded`` and the notes), as R's ``did`` does.
    control : {"not_yet_treated", "never_treated"}
        The comparison group: units not treated by the period compared
        (the default, R's ``control_group = "notyettreated"``), or only
        units never treated within the window.
    confidence : float
        Level of the pointwise intervals.
    pretrend_leads : int, optional
        How many leads (event times -1, -2, ...) the pre-trend test uses. By
        default those to which cohorts holding at least half of the treated
        units contribute: leads further back come from the latest cohorts
        alone, often a handful of units whose variance the influence function
        underestimates, which makes a joint test of every lead reject far
        too often.

    Returns
    -------
    DidResult

    Raises
    ------
    EvalkitError
        Naming file, row, column and value: an outcome that is not a number
        or is missing, a missing label, a unit with two first periods, a
        duplicate unit-period, a unit missing a period (the panel must be
        balanced: R's ``did`` would silently drop such units, evalkit asks
        you to decide), a first period that is not a period of the series,
        no treated unit or no comparison group.

    Notes
    -----
    Group-time ATTs use the doubly robust estimator (Sant'Anna & Zhao
    2020) without covariates, "varying" base periods (each pre-period
    estimate compares consecutive periods, as R's default), no
    anticipation. Standard errors come from the influence function
    (analytic, so a result is reproducible without a seed) and intervals
    are normal, as R's ``did`` with ``bstrap = FALSE``. The event-study
    leads test parallel trends; with monthly cohorts R's own group-time
    pre-test is often singular, so evalkit tests the aggregated leads.

    The design reaches level 3 of the Maryland Scientific Methods Scale
    (before and after, with a comparison group), against level 1 for a
    before/after comparison within the adopters.

    References
    ----------
    Callaway, B. and Sant'Anna, P. H. C. (2021). Difference-in-differences
    with multiple time periods. *Journal of Econometrics* 225(2), 200-230.

    Examples
    --------
    >>> import evalkit as ek
    >>> from evalkit.datasets import load_drafting_panel
    >>> res = ek.did(load_drafting_panel(), outcome="hours", unit="department",
    ...              period="month", first_treated="first_month")
    >>> res.n_treated, res.n_not_treated
    (116, 40)
    >>> round(res.att, 2)
    -0.62
    """
    if control not in _CONTROLS:
        raise EvalkitError(
            f"control must be one of {', '.join(map(repr, _CONTROLS))}", value=control
        )
    if not 0 < confidence < 1:
        raise EvalkitError("confidence must be between 0 and 1", value=confidence)
    if pretrend_leads is not None and (
        isinstance(pretrend_leads, bool)
        or not isinstance(pretrend_leads, int | np.integer)
        or pretrend_leads < 1
    ):
        raise EvalkitError("pretrend_leads must be a whole number >= 1", value=pretrend_leads)
    panel = _check_panel(data, outcome, unit, period, first_treated)
    return _fit(panel, control, confidence, pretrend_leads)


# ----------------------------------------------------------------------------
# step 1: check the panel


@dataclass(frozen=True, eq=False)
class _Panel:
    y: np.ndarray  # float64 outcome per row
    unit_codes: np.ndarray
    unit_labels: pd.Index
    period_codes: np.ndarray
    period_labels: pd.Index
    cohort: np.ndarray  # per unit: period code of first treatment; -1 never; -2 before
    first_labels: list  # per unit: its first_treated value (None for blank)
    outcome_name: str


def _check_panel(data, outcome, unit, period, first_treated) -> _Panel:
    file = source_file(data)
    y_ser, tabular = select(data, outcome, role="outcome")
    n = len(y_ser)
    if n == 0:
        raise EvalkitError("no data rows", file=file)
    cols = {}
    for role, spec in (("unit", unit), ("period", period), ("first_treated", first_treated)):
        ser, _ = select(data, spec, role=role)
        if len(ser) != n:
            raise EvalkitError(f"outcome has {n} values but {role} has {len(ser)}", column=role)
        cols[role] = (ser, str(spec) if data is not None else role)
    y_col = str(outcome) if data is not None else "outcome"
    y = numeric(y_ser, column=y_col, file=file, tabular=tabular)
    u_ser, u_col = cols["unit"]
    p_ser, p_col = cols["period"]
    f_ser, f_col = cols["first_treated"]
    p_ser = _as_periods(p_ser, p_col, file, tabular, blank_ok=False)
    f_ser = _as_periods(f_ser, f_col, file, tabular, blank_ok=True)
    u_codes, u_labels = label_codes(u_ser, None, u_col, file, tabular, sort_required=False)
    p_codes, p_labels = label_codes(p_ser, None, p_col, file, tabular, sort_required=True)
    _check_balanced(u_codes, p_codes, u_labels, p_labels, (u_col, p_col), file, tabular)
    cohort, first = _cohorts(f_ser, u_codes, len(u_labels), p_labels, f_col, file, tabular)
    return _Panel(y, u_codes, pd.Index(u_labels), p_codes, pd.Index(p_labels), cohort, first, y_col)


def _as_periods(ser: pd.Series, column, file, tabular, *, blank_ok: bool) -> pd.Series:
    """Months written as text become ``pandas.Period``; other kinds pass through."""
    if not (ser.dtype == object or pd.api.types.is_string_dtype(ser.dtype)):
        return ser
    out = ser.astype(object).copy()
    for pos, value in enumerate(ser.tolist()):
        if isinstance(value, str) and value.strip():
            try:
                out.iloc[pos] = parse_month(value)
            except (ValueError, TypeError) as exc:
                raise EvalkitError(
                    f"not a month: {exc}",
                    file=file,
                    row=row_number(pos, tabular=tabular),
                    column=column,
                    value=value,
                ) from None
        elif blank_ok and is_blank(value):
            out.iloc[pos] = None
    return out


def _check_balanced(u_codes, p_codes, u_labels, p_labels, columns, file, tabular) -> None:
    """Every unit needs exactly one row in every period."""
    u_col, p_col = columns
    k, t = len(u_labels), len(p_labels)
    key = u_codes.astype(np.int64) * t + p_codes
    order = np.argsort(key, kind="stable")
    dup = np.flatnonzero(key[order][1:] == key[order][:-1])
    if dup.size:
        first, second = int(order[dup[0]]), int(order[dup[0] + 1])
        raise EvalkitError(
            f"{u_col} {u_labels[u_codes[first]]!r} has two rows for {p_col} "
            f"{p_labels[p_codes[first]]} (rows {row_number(first, tabular=tabular)} and "
            f"{row_number(second, tabular=tabular)}); a panel has one row per unit and period",
            file=file,
            row=row_number(second, tabular=tabular),
            column=p_col,
            value=str(p_labels[p_codes[second]]),
        )
    counts = np.bincount(u_codes, minlength=k)
    short = np.flatnonzero(counts < t)
    if short.size:
        u = int(short[0])
        seen = np.zeros(t, dtype=bool)
        seen[p_codes[u_codes == u]] = True
        missing = p_labels[int(np.flatnonzero(~seen)[0])]
        raise EvalkitError(
            f"the panel is not balanced: {u_col} {u_labels[u]!r} has no row for {p_col} "
            f"{missing} ({t - counts[u]} of {t} periods missing; {short.size} units "
            "incomplete). did() needs every unit in every period: add the missing rows, "
            "or drop the unit knowingly",
            file=file,
            column=p_col,
            value=str(missing),
        )


def _cohorts(f_ser, u_codes, k, p_labels, column, file, tabular):
    """Per unit: the period code of its first treatment (-1 not treated, -2 before the window)."""
    cohort = np.full(k, -3, dtype=np.int64)
    first: list = [None] * k
    seen_row = np.full(k, -1, dtype=np.int64)
    values = f_ser.tolist()
    for pos, value in enumerate(values):
        u = int(u_codes[pos])
        blank = value is None or (not isinstance(value, pd.Period) and pd.isna(value))
        code = -1 if blank else _cohort_code(value, p_labels, pos, column, file, tabular)
        if cohort[u] == -3:
            cohort[u], first[u], seen_row[u] = code, None if blank else value, pos
        elif cohort[u] != code:
            earlier = int(seen_row[u])
            raise EvalkitError(
                f"unit has two different {column} values: {values[earlier]!r} in row "
                f"{row_number(earlier, tabular=tabular)} and {value!r} here; a unit is "
                "treated from one period on",
                file=file,
                row=row_number(pos, tabular=tabular),
                column=column,
                value=value,
            )
    return cohort, first


def _kind(value) -> str:
    if isinstance(value, pd.Period):
        return f"Period[{value.freqstr}]"
    if isinstance(value, bool | np.bool_):
        return "true/false"
    if isinstance(value, numbers.Real):
        return "number"
    return type(value).__name__


def _cohort_code(value, p_labels, pos, column, file, tabular) -> int:
    """Position of ``value`` among the periods: -2 at or before the first, -1 after the last."""
    if _kind(value) != _kind(p_labels[0]) or (isinstance(value, float) and not value.is_integer()):
        raise EvalkitError(
            f"{column} must be a period of the same kind as the period column "
            f"({_kind(p_labels[0])}), got {_kind(value)}",
            file=file,
            row=row_number(pos, tabular=tabular),
            column=column,
            value=value,
        )
    i = int(p_labels.searchsorted(value))
    if i == len(p_labels):
        return -1  # treated after the window: not treated within it
    if p_labels[i] != value:
        if i == 0:
            return -2  # treated before the window
        raise EvalkitError(
            f"{column} {value} is not a period of the series ({p_labels[0]} to {p_labels[-1]})",
            file=file,
            row=row_number(pos, tabular=tabular),
            column=column,
            value=value,
        )
    return -2 if i == 0 else i


# ----------------------------------------------------------------------------
# step 2: estimate with the differences package


def _fit(panel: _Panel, control: str, confidence: float, leads: int | None) -> DidResult:
    keep_unit = panel.cohort != -2
    cohort = panel.cohort
    treated = np.flatnonzero(cohort > 0)
    never = np.flatnonzero(cohort == -1)
    notes: list[str] = []
    if treated.size == 0:
        raise EvalkitError("no unit is treated within the window after its first period")
    if control == "never_treated" and never.size == 0:
        raise EvalkitError(
            "control='never_treated' but every unit is treated within the window; "
            "use control='not_yet_treated' or add units that were not treated"
        )
    if never.size == 0 and len(np.unique(cohort[treated])) == 1:
        raise EvalkitError(
            "no comparison group: every unit is treated in the same period "
            f"({panel.period_labels[int(cohort[treated[0]])]}) and none is untreated"
        )
    rows = keep_unit[panel.unit_codes]
    frame = pd.DataFrame(
        {
            "unit": panel.unit_codes[rows],
            "t": panel.period_codes[rows] + 1,
            "y": panel.y[rows],
            "g": np.where(cohort > 0, cohort + 1, np.nan)[panel.unit_codes[rows]],
        }
    ).set_index(["unit", "t"])
    model = _estimate(frame, control)
    from scipy import stats  # imported on first use, as everywhere in evalkit

    z = float(stats.norm.ppf(0.5 + confidence / 2))
    simple = model._result_dict["full_sample"]["aggregate_inst"].simple[0]
    att, se = float(simple.ATT), float(simple.std_error)
    event = _event_study(model, z)
    if leads is None:
        leads = _default_leads(cohort[treated])
    stat, df, p, singular = _pretrend(model, leads)
    excluded = pd.DataFrame(
        {
            "unit": list(panel.unit_labels[~keep_unit]),
            "first_treated": [panel.first_labels[i] for i in np.flatnonzero(~keep_unit)],
            "reason": "treated in the first period or earlier: no period before adoption",
        },
        columns=["unit", "first_treated", "reason"],
    )
    t = len(panel.period_labels)
    cells = int(sum(t - cohort[i] for i in treated))
    notes += _notes(panel, control, excluded, singular, df)
    notes.append(
        f"Pre-trend test: event times -1 to -{leads} jointly zero, "
        f"chi-squared {stat:.2f} on {df} df, p = {p:.3g}."
        if df
        else "Pre-trend test: no lead to test."
    )
    return DidResult(
        att=att,
        att_se=se,
        att_ci=(att - z * se, att + z * se),
        event_study=event,
        by_cohort=_by_cohort(model, panel, cohort[treated], z),
        pretrend_stat=stat,
        pretrend_df=df,
        pretrend_pvalue=p,
        pretrend_singular=singular,
        pretrend_leads=leads,
        n_units=int(keep_unit.sum()),
        n_treated=int(treated.size),
        n_not_treated=int(never.size),
        treated_cells=cells,
        n_periods=t,
        control=control,
        confidence=confidence,
        outcome=panel.outcome_name,
        excluded=excluded,
        notes=tuple(notes),
    )


def _estimate(frame: pd.DataFrame, control: str):
    """Group-time ATTs and their aggregations by ``differences`` (imported here: it is heavy)."""
    with warnings.catch_warnings():
        # differences 0.3.0 calls pandas methods with inplace=, which pandas
        # 3.1 deprecates (Pandas4Warning); the results are unaffected.
        warnings.filterwarnings(
            "ignore", message=".*inplace keyword.*", category=DeprecationWarning
        )
        from differences import ATTgt

        model = ATTgt(data=frame, cohort_column="g")
        model.fit(formula="y", est_method="dr", control_group=control, progress_bar=False)
        for kind in ("simple", "event", "cohort"):
            model.aggregate(kind)
    return model


def _influence(rows) -> np.ndarray:
    return np.column_stack([np.asarray(r.influence_func, dtype=float).ravel() for r in rows])


def _event_study(model, z: float) -> pd.DataFrame:
    rows = model._result_dict["full_sample"]["aggregate_inst"].event
    e = np.array([int(r.relative_period) for r in rows])
    att = np.array([float(r.ATT) for r in rows])
    se = np.array([float(r.std_error) for r in rows])
    return pd.DataFrame(
        {"event_time": e, "att": att, "se": se, "ci_low": att - z * se, "ci_high": att + z * se}
    )


def _by_cohort(model, panel: _Panel, cohorts: np.ndarray, z: float) -> pd.DataFrame:
    rows = model._result_dict["full_sample"]["aggregate_inst"].cohort
    codes = [int(r.cohort) - 1 for r in rows]
    att = np.array([float(r.ATT) for r in rows])
    se = np.array([float(r.std_error) for r in rows])
    return pd.DataFrame(
        {
            "cohort": [panel.period_labels[c] for c in codes],
            "n_units": [int(np.sum(cohorts == c)) for c in codes],
            "att": att,
            "se": se,
            "ci_low": att - z * se,
            "ci_high": att + z * se,
        }
    )


def _default_leads(cohorts: np.ndarray) -> int:
    """Leads to which cohorts holding at least half of the treated units contribute.

    A cohort first treated at period code c has leads -1 .. -(c - 1).
    """
    leads = np.sort(cohorts - 1)[::-1]  # leads of each treated unit, most first
    return int(leads[(len(leads) - 1) // 2])


def _pretrend(model, n_leads: int) -> tuple[float, int, float, bool]:
    """Joint Wald test that the event-study leads -1 .. -n_leads are zero."""
    rows = model._result_dict["full_sample"]["aggregate_inst"].event
    leads = [r for r in rows if -n_leads <= int(r.relative_period) < 0]
    if not leads:
        return math.nan, 0, math.nan, False
    b = np.array([float(r.ATT) for r in leads])
    psi = _influence(leads)
    cov = psi.T @ psi / psi.shape[0] ** 2
    rank = int(np.linalg.matrix_rank(cov))
    singular = rank < len(leads)
    stat = float(b @ np.linalg.pinv(cov) @ b)
    from scipy import stats

    return stat, rank, float(stats.chi2.sf(stat, rank)), singular


def _notes(panel: _Panel, control: str, excluded: pd.DataFrame, singular: bool, df: int):
    word = "not-yet-treated" if control == "not_yet_treated" else "never-treated"
    notes = [
        f"Callaway & Sant'Anna (2021), doubly robust, {word} units as the comparison group; "
        "influence-function standard errors, normal intervals (as R did::att_gt + aggte).",
        "Maryland Scientific Methods Scale level 3: before/after with a comparison group.",
    ]
    if len(excluded):
        names = ", ".join(map(str, excluded["unit"][:5]))
        notes.append(
            f"{len(excluded)} unit(s) treated in the first period or earlier left out: {names}"
        )
    after = [
        u
        for u, c, f in zip(panel.unit_labels, panel.cohort, panel.first_labels, strict=True)
        if c == -1 and f is not None
    ]
    if after:
        notes.append(f"{len(after)} unit(s) first treated after the window count as not treated")
    if singular:
        notes.append(
            f"The leads' covariance is singular: the pre-trend test uses its generalised "
            f"inverse with {df} degrees of freedom."
        )
    return notes
