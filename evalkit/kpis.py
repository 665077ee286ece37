"""Key figures side by side: published, computed, target and verdict.

Notebooks end with a table built here, and ``evalkit report`` gathers these
rows from every notebook into ``reports/summary.csv``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from .errors import EvalkitError

__all__ = ["KPI_COLUMNS", "kpi_row", "kpi_table"]

#: Columns of :func:`kpi_table`, in order.
KPI_COLUMNS = [
    "initiative",
    "indicator",
    "value",
    "ci_low",
    "ci_high",
    "unit",
    "target",
    "direction",
    "met",
    "met_confidently",
    "published",
    "reproduced",
]

_DIRECTIONS = (">=", "<=")


def kpi_row(
    initiative: str,
    indicator: str,
    *,
    value: float | None,
    ci: tuple[float, float] | None = None,
    unit: str = "",
    target: float | None = None,
    direction: str = ">=",
    published: float | None = None,
    published_decimals: int | None = None,
) -> dict[str, Any]:
    """One key figure with its interval, target verdict and the published figure.

    Parameters
    ----------
    initiative, indicator : str
        Names as the report writes them (e.g. ``"音声認識技術の導入"``, ``"満足度"``).
    value : float or None
        The figure computed from the data; ``None`` for an indicator that
        cannot be measured (a qualitative target): every verdict is then ``None``.
    ci : (float, float), optional
        Its confidence interval.
    unit : str
        Unit of ``value`` (``"ratio"``, ``"hours/month"``, ``"departments"``...).
    target : float, optional
        The target, in the unit of ``value``.
    direction : {">=", "<="}
        Whether the target is a floor (at least) or a ceiling (at most).
    published : float, optional
        The figure the report published, in the unit of ``value``.
    published_decimals : int, optional
        Precision of the published figure, as for :func:`round`: ``2`` for
        0.8387, ``0`` for 62, ``-2`` for "about 1,800". Required with ``published``.

    Returns
    -------
    dict
        Keys of :data:`KPI_COLUMNS`. ``met`` is ``value`` against ``target``;
        ``met_confidently`` is the confidence bound on the unfavourable side
        against ``target`` (``None`` without an interval); ``reproduced`` is
        whether ``value`` rounded to ``published_decimals`` equals ``published``.

    Examples
    --------
    >>> row = kpi_row("RPA", "reduction rate", value=0.8412, ci=(0.81, 0.87),
    ...               unit="ratio", target=0.80, published=0.84, published_decimals=2)
    >>> row["met"], row["met_confidently"], row["reproduced"]
    (True, True, True)
    """
    if direction not in _DIRECTIONS:
        raise EvalkitError(
            f"direction must be one of {_DIRECTIONS}", column="direction", value=direction
        )
    value = None if value is None else _finite(value, "value")
    ci_low = ci_high = None
    if ci is not None and value is not None:
        ci_low, ci_high = (_finite(v, "ci") for v in ci)
    met = met_conf = None
    if target is not None:
        target = _finite(target, "target")
    if target is not None and value is not None:
        met = value >= target if direction == ">=" else value <= target
        if ci is not None:
            met_conf = ci_low >= target if direction == ">=" else ci_high <= target
    reproduced = None
    if published is not None and value is not None:
        if published_decimals is None:
            raise EvalkitError(
                "published_decimals is required with published",
                column="published_decimals",
                value=None,
            )
        published = _finite(published, "published")
        reproduced = math.isclose(
            round(value, published_decimals),
            published,
            rel_tol=0,
            abs_tol=10.0 ** (-published_decimals) / 1e6,
        )
    return {
        "initiative": initiative,
        "indicator": indicator,
        "value": value,
        "ci_low": ci_low,
        "ci_high": ci_high,
        "unit": unit,
        "target": target,
        "direction": direction if target is not None else None,
        "met": met,
        "met_confidently": met_conf,
        "published": published,
        "reproduced": reproduced,
    }


def kpi_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Stack :func:`kpi_row` rows into a frame with the :data:`KPI_COLUMNS`.

    Examples
    --------
    >>> t = kpi_table([kpi_row("RPA", "saved", value=1795.0, unit="hours",
    ...                        published=1800, published_decimals=-2)])
    >>> t.loc[0, "reproduced"]
    np.True_
    """
    rows = list(rows)
    if not rows:
        raise EvalkitError("no key figures given")
    frame = pd.DataFrame.from_records(rows)
    missing = [c for c in KPI_COLUMNS if c not in frame.columns]
    if missing:
        raise EvalkitError(f"rows lack the keys {missing}; build them with kpi_row()")
    frame = frame[KPI_COLUMNS]
    for col in ("value", "ci_low", "ci_high", "target", "published"):
        frame[col] = pd.to_numeric(frame[col]).astype("float64")
    for col in ("met", "met_confidently", "reproduced"):
        frame[col] = frame[col].astype("boolean")
    return frame


def _finite(x: Any, name: str) -> float:
    try:
        out = float(x)
    except (TypeError, ValueError):
        raise EvalkitError("not a number", column=name, value=x) from None
    if not math.isfinite(out):
        raise EvalkitError("not a finite number", column=name, value=x)
    return out
