"""Systems on the common platform, planned and actual: :func:`platform_progress`."""

from __future__ import annotations

import math

import pandas as pd

from .._validation import source_file
from ..errors import EvalkitError
from ._common import _check_fiscal_year
from .load import _check_platform, load_platform_migration


def platform_progress(data: pd.DataFrame | None = None, *, fiscal_year: int = 2019) -> pd.DataFrame:
    """Planned and actual numbers of systems on the common platform, cumulative.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        The counts, as :func:`load_platform_migration` returns them;
        default the repository's ``platform_migration.csv``.
    fiscal_year : int, default 2019
        Fiscal year of the plan; the timings of ``planned`` rows are read
        with it and must end at the row's ``period_end``.

    Returns
    -------
    pandas.DataFrame
        One row per month at which the report states a count, in order:

        - ``period``: the month (``period[M]``) at whose end the counts hold.
        - ``timing``: the timing as written that ends there.
        - ``planned``: systems planned to be on the platform by then: those
          already running plus every planned step ending by then.
        - ``actual``: systems the report says were on it by then; NaN where
          it states no count.
        - ``all_systems``: all systems planned to move, in every year (NaN
          without a ``scope`` row).

    Raises
    ------
    EvalkitError
        For a bad cell, or a planned timing that does not end at its
        ``period_end``, naming the row, the column and the value.

    Notes
    -----
    The plan: 5 systems running before the year, 4 planned from April to
    September and 26 from October to March (30 in FY2019, of 53 in all).
    The report states only that all 30 had moved by the end of March; it
    gives no count for September, so ``actual`` is NaN there. Nothing is
    interpolated.

    Examples
    --------
    >>> pp = platform_progress()
    >>> pp[["timing", "planned", "actual"]].values.tolist()
    [['利用開始済', 5, 5.0], ['４月から９月', 9, nan], ['10月から３月', 35, 35.0]]

    The chart: the first row is the starting point, the others are periods.

    >>> from evalkit.plots import cumulative_progress
    >>> ax = cumulative_progress(pp.iloc[1:], period="timing", cumulative=True,
    ...                          baseline=pp["planned"].iloc[0],
    ...                          total=pp["all_systems"].iloc[0], unit_word="システム")
    """
    fy = _check_fiscal_year(fiscal_year)
    if data is None:
        df = load_platform_migration(fiscal_year=fy)
    else:
        df = _check_platform(data, fy)
    counted = df[df["kind"] != "scope"]
    if counted.empty:
        raise EvalkitError("no running, planned or migrated rows", file=source_file(df))
    running = int(counted.loc[counted["kind"] == "running", "systems"].sum())
    scope = df.loc[df["kind"] == "scope", "systems"]
    periods = sorted(set(counted["period_end"]))
    rows = []
    for p in periods:
        upto = counted[counted["period_end"] <= p]
        here = counted[counted["period_end"] == p]
        planned = running + int(upto.loc[upto["kind"] == "planned", "systems"].sum())
        stated = here["kind"].isin(["running", "migrated"]).any()
        actual = running + float(upto.loc[upto["kind"] == "migrated", "systems"].sum())
        label_rows = here[here["kind"] != "migrated"]
        label = label_rows["timing"].iat[0] if len(label_rows) else here["timing"].iat[0]
        rows.append((p, label, planned, actual if stated else math.nan))
    out = pd.DataFrame(rows, columns=["period", "timing", "planned", "actual"])
    out["period"] = out["period"].astype("period[M]")
    out["planned"] = out["planned"].astype("int64")
    out["actual"] = out["actual"].astype("float64")
    out["all_systems"] = float(scope.iat[0]) if len(scope) else math.nan
    return out
