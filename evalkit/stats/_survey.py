"""Survey design of a satisfaction rate: weights, clusters, non-response bounds, Holm.

Private helpers of :func:`evalkit.satisfaction_rate`; the formulas and their
references are in its docstring. Every function takes NumPy arrays of the
valid answers (``y`` is 1.0 for a positive answer, 0.0 otherwise) and returns
plain Python numbers.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .._compare import at_least
from .._validation import FileRows, _plain, numeric, row_number, select
from ..errors import EvalkitError
from .proportion import METHODS, _bounds

#: Below this many clusters the notes name the small-sample correction.
FEW_CLUSTERS = 30
#: Below this many clusters the notes warn that even CR1 with t(G - 1) can be too narrow.
VERY_FEW_CLUSTERS = 10

# A cluster-robust standard error at or below this is taken as 0 (no interval).
_ZERO_SE = 10 * np.finfo(np.float64).eps


# ------------------------------------------------------------------------------ inputs


def _column_name(spec: Any, tabular: Any, role: str) -> str:
    return str(spec) if tabular else role


def _check_length(ser: pd.Series, answers: pd.Series, role: str, answers_column: str) -> None:
    """Raise naming the first value of the longer of ``ser`` and ``answers`` without a partner."""
    if len(ser) == len(answers):
        return
    if len(ser) < len(answers):
        pos, column, value, other = len(ser), answers_column, answers.iloc[len(ser)], role
    else:
        pos, column, value, other = len(answers), role, ser.iloc[len(answers)], "answer"
    raise EvalkitError(
        f"{role} has {len(ser)} values but answers has {len(answers)}: the value at "
        f"position {pos + 1} of {column} has no {other}; they must be equally long",
        row=pos + 1,
        column=column,
        value=_plain(value),
    )


def _answered_rows(answered: np.ndarray, tabular: Any) -> FileRows:
    """Row numbers of the answered positions, so that checks of a subset name the right rows."""
    return FileRows([row_number(int(p), tabular=tabular) for p in answered])


def design_weights(
    data: Any, weights: Any, answers: pd.Series, codes: np.ndarray, answers_column: str, file: Any
) -> tuple[np.ndarray, str]:
    """Weights of the rows as floats (NaN on blank answers), and the weights column's name.

    A weight of an answered row must be a finite number greater than 0; a
    blank answer's weight is ignored (not checked).
    """
    ser, tabular = select(data, weights, role="weights")
    column = _column_name(weights, tabular, "weights")
    _check_length(ser, answers, column, answers_column)
    answered = np.flatnonzero(codes >= 0)
    rows = _answered_rows(answered, tabular)
    sub = ser.iloc[answered].reset_index(drop=True)
    # names the row, column and value of a non-number, an infinite weight, a date, ...
    w = numeric(
        sub, column=column, file=file, tabular=rows, allow_missing=True, allow_negative=True
    )
    for bad, reason in (
        (np.isnan(w), "missing weight of an answered questionnaire (blank answers need none)"),
        (w <= 0, "a weight must be greater than 0"),
    ):
        if bad.any():
            at = int(np.flatnonzero(bad)[0])
            raise EvalkitError(
                reason, file=file, row=rows[at], column=column, value=_plain(sub.iloc[at])
            )
    out = np.full(len(codes), np.nan)
    out[answered] = w
    return out, column


def _is_blank(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # an array-like label is not blank
        return False


def design_clusters(
    data: Any,
    cluster: Any,
    answers: pd.Series,
    codes: np.ndarray,
    answers_column: str,
    file: Any,
    require_two: bool,
) -> tuple[np.ndarray, str]:
    """Cluster code of each row (-1 on blank answers), and the cluster column's name.

    An answered row must name its cluster; a blank answer's cluster is
    ignored. With ``require_two``, the answered rows must come from at least
    2 clusters.
    """
    ser, tabular = select(data, cluster, role="cluster")
    column = _column_name(cluster, tabular, "cluster")
    _check_length(ser, answers, column, answers_column)
    answered = np.flatnonzero(codes >= 0)
    sub = ser.iloc[answered].reset_index(drop=True)
    blank = np.array([_is_blank(v) for v in sub], dtype=bool)
    if blank.any():
        at = int(np.flatnonzero(blank)[0])
        raise EvalkitError(
            "missing cluster label of an answered questionnaire; every answer needs its cluster",
            file=file,
            row=row_number(int(answered[at]), tabular=tabular),
            column=column,
            value=_plain(sub.iloc[at]),
        )
    sub_codes, uniques = pd.factorize(sub)
    if require_two and len(uniques) < 2:
        raise EvalkitError(
            "the answered questionnaires all come from one cluster, and a cluster-robust "
            "interval needs at least 2; drop cluster= or choose a coarser column",
            file=file,
            column=column,
            value=_plain(sub.iloc[0]),
        )
    out = np.full(len(codes), -1, dtype=np.int64)
    out[answered] = sub_codes
    return out, column


class Design(NamedTuple):
    """Survey weights and cluster codes of every row (NaN / -1 on blank answers), and names."""

    weights: np.ndarray | None = None
    clusters: np.ndarray | None = None
    weights_column: str | None = None
    cluster_column: str | None = None


#: Neither weights nor clusters.
NO_DESIGN = Design()


def check_design(data, weights, cluster, answers, codes, answers_column, file, grouped) -> Design:
    """Check ``weights=`` and ``cluster=`` of :func:`evalkit.satisfaction_rate`."""
    w = w_col = g = g_col = None
    if weights is not None:
        w, w_col = design_weights(data, weights, answers, codes, answers_column, file)
    if cluster is not None:
        g, g_col = design_clusters(
            data, cluster, answers, codes, answers_column, file, require_two=not grouped
        )
    return Design(w, g, w_col, g_col)


def method_texts(method: str, design: Design, n_clusters: int | None) -> tuple[str, str]:
    """How the interval and the one-sided test were computed, in words."""
    if design.clusters is not None:
        g = n_clusters or 0
        return (
            f"cluster-robust (CR1) Wald interval over {g} clusters, t with {g - 1} df",
            f"one-sided cluster-robust t-test ({g - 1} df)",
        )
    if design.weights is not None:
        return (
            f"{METHODS[method]} interval at the Kish effective sample size",
            "one-sided effective-sample-size binomial test",
        )
    return f"{METHODS[method]} interval", "one-sided exact binomial test"


# ------------------------------------------------------------------------- estimators


def nonresponse(n_positive: int, n: int, n_missing: int, target: float | None) -> dict[str, Any]:
    """Response rate, worst- and best-case rates (Manski bounds) and the worst-case verdict."""
    total = n + n_missing
    low = n_positive / total
    return {
        "response_rate": n / total,
        "nonresponse_bounds": (low, (n_positive + n_missing) / total),
        "meets_target_under_nonresponse": None if target is None else at_least(low, target),
    }


def effective_binomial(
    y: np.ndarray, w: np.ndarray, method: str, confidence: float, target: float | None
) -> dict[str, Any]:
    """Weighted rate; the method's interval and the binomial tail at the Kish n_eff."""
    from scipy import stats

    total = float(w.sum())
    rate = min(max(float(w @ y) / total, 0.0), 1.0)
    n_eff = total**2 / float(w @ w)
    k_eff = rate * n_eff
    low, high = _bounds(np.asarray(k_eff), np.asarray(n_eff), method, 1.0 - confidence)
    p_value = None
    if target is not None:
        # P(X >= k) = I_target(k, n - k + 1), the binomial upper tail for real k and n
        p_value = 1.0 if k_eff <= 0 else float(stats.beta.cdf(target, k_eff, n_eff - k_eff + 1))
    return {
        "rate": rate,
        "ci": (float(low), float(high)),
        "p_value": p_value,
        "n_effective": n_eff,
        "design_effect": y.size / n_eff,
        "se": math.sqrt(rate * (1 - rate) / n_eff),
    }


def cluster_robust(
    y: np.ndarray,
    w: np.ndarray | None,
    clusters: np.ndarray,
    confidence: float,
    target: float | None,
    rate: float | None = None,
) -> dict[str, Any]:
    """Rate with its cluster-robust (CR1) standard error, t interval and one-sided t-test.

    The same numbers as statsmodels ``WLS(y, ones, weights=w).fit(cov_type="cluster",
    cov_kwds={"groups": clusters}, use_t=True)`` (OLS without weights). ``rate``
    may be passed to keep an unweighted rate exactly ``n_positive / n``.
    """
    from scipy import stats

    nan = math.nan
    n = y.size
    _, g = np.unique(clusters, return_inverse=True)
    n_clusters = int(g.max()) + 1 if n else 0
    ww = np.ones(n) if w is None else w
    total = float(ww.sum())
    if rate is None:
        rate = min(max(float(ww @ y) / total, 0.0), 1.0)
    out: dict[str, Any] = {
        "rate": rate,
        "ci": (nan, nan),
        "p_value": None if target is None else nan,
        "n_effective": nan,
        "design_effect": nan,
        "se": nan,
        "n_clusters": n_clusters,
    }
    if n_clusters < 2:
        return out
    scores = np.bincount(g, weights=ww * (y - rate), minlength=n_clusters)
    k_params = 1  # the model is y = rate + error: one parameter
    correction = n_clusters / (n_clusters - 1) * (n - 1) / (n - k_params)
    var = correction * float(scores @ scores) / total**2
    se = math.sqrt(var)
    out["se"] = se
    if se <= _ZERO_SE:
        return out
    df = n_clusters - 1
    half = float(stats.t.ppf((1 + confidence) / 2, df)) * se
    binomial_var = rate * (1 - rate) / n
    out.update(
        ci=(max(rate - half, 0.0), min(rate + half, 1.0)),  # clipped to [0, 1]
        design_effect=var / binomial_var,
        n_effective=n * binomial_var / var,
    )
    if target is not None:
        out["p_value"] = float(stats.t.sf((rate - target) / se, df))
    return out


def holm(p_values: Any) -> np.ndarray:
    """Holm (1979) step-down adjusted p-values; NaN stays NaN and is not counted as a test.

    With the m p-values sorted, :math:`p_{(1)} \\le \\dots \\le p_{(m)}`, the
    adjusted value of :math:`p_{(i)}` is :math:`\\min(1, \\max_{j \\le i} (m - j + 1)
    p_{(j)})`, as statsmodels ``multipletests(method="holm")`` gives it.

    Examples
    --------
    >>> holm([0.01, 0.04, float("nan"), 0.03]).round(2).tolist()
    [0.03, 0.06, nan, 0.06]
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return out
    given = p[ok]
    order = np.argsort(given, kind="stable")
    adjusted = np.minimum(np.maximum.accumulate(given[order] * (m - np.arange(m))), 1.0)
    back = np.empty(m)
    back[order] = adjusted
    out[ok] = back
    return out
