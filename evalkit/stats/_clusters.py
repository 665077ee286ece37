"""Units grouped in clusters (departments in bureaus): cluster codes and cluster-robust means.

With clusters, units of one cluster are not independent draws: a bureau's
departments share work, staff and habits. The variance of a mean over units
is then the cluster-robust (sandwich) variance with the usual small-sample
correction (CR1: G / (G - 1)) and a t quantile with G - 1 degrees of
freedom, as statsmodels computes for ``OLS(y, ones).fit(cov_type="cluster",
use_t=True)`` (Cameron & Miller 2015, section VI).
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import _plain, row_number
from ._labels import label_codes, label_error

#: Below this many clusters the notes say which small-sample correction is used.
FEW_CLUSTERS = 30


def unit_clusters(ser, positions, u_codes, n_units, column, file, tabular):
    """The cluster of each unit (codes 0..G-1) and the cluster labels.

    A unit whose rows name two clusters is an error naming the first row that
    disagrees with the unit's first row.
    """
    c_codes, c_labels = label_codes(ser, positions, column, file, tabular, sort_required=False)
    first_row = np.full(n_units, -1, dtype=np.int64)
    rows = np.arange(u_codes.size)
    # the first row of each unit: scatter in reverse so the earliest row wins
    first_row[u_codes[::-1]] = rows[::-1]
    of_unit = c_codes[first_row]
    odd = np.flatnonzero(of_unit[u_codes] != c_codes)
    if odd.size:
        at, first = int(odd[0]), int(first_row[u_codes[odd[0]]])
        pos_first = first if positions is None else int(positions[first])
        raise label_error(
            f"one unit in two clusters: row {row_number(pos_first, tabular=tabular)} puts it "
            f"in {_plain(ser.iloc[pos_first])!s}, this row in another; every unit belongs to "
            "one cluster",
            ser,
            at,
            positions,
            column,
            file,
            tabular,
        )
    return of_unit.astype(np.int64), c_labels


def cluster_mean(values, clusters, n_clusters, confidence):
    """Mean of ``values`` with its cluster-robust (CR1) t interval, t, df, p and variance.

    Returns ``(mean, (low, high), t, df, p, variance)``; NaN where fewer than
    2 clusters or no variation between clusters leave no interval.
    """
    from scipy import stats

    nan = math.nan
    n = values.size
    mean = float(values.mean()) if n else nan
    if n_clusters < 2:
        return mean, (nan, nan), nan, nan, nan, nan
    scores = np.bincount(clusters, weights=values - mean, minlength=n_clusters)
    var = n_clusters / (n_clusters - 1) * float((scores**2).sum()) / n**2
    se = math.sqrt(var)
    df = float(n_clusters - 1)
    if se <= 10 * np.finfo(np.float64).eps * max(abs(mean), 1.0):
        return mean, (nan, nan), nan, df, nan, var
    t = mean / se
    p = float(2 * stats.t.sf(abs(t), df))
    half = float(stats.t.ppf((1 + confidence) / 2, df)) * se
    return mean, (mean - half, mean + half), float(t), df, p, var


def ratio_variance(before, after, rate):
    """Linearised variance of ``sum(before - after) / sum(before)`` over draws (Cochran 6.13)."""
    n = before.size
    if n < 2:
        return math.nan
    resid = (before - after) - rate * before
    return float((resid**2).sum()) / ((n - 1) * n * float(before.mean()) ** 2)
