"""Key figures side by side: published, computed, target and verdict.

Notebooks end with a table built here, and ``evalkit report`` gathers these
rows from every notebook into ``reports/summary.csv``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

import numpy as np
import pandas as pd

from .._compare import reaches
from ..errors import EvalkitError

__all__ = ["DEFAULT_DECIMALS", "KPI_COLUMNS", "default_decimals", "kpi_row", "kpi_table"]

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
    "decimals",
]

#: Display precision (as for :func:`round`) of a figure without a published one, by unit.
DEFAULT_DECIMALS = {
    "ratio": 3,  # 83.9 %
    "hours": 0,  # 1,800 時間
    "hours/month": 1,  # 62.0 時間/月
    "yen": 0,
    "departments": 0,
    "tasks": 0,
    "systems": 0,
    "cases": 0,
    "people": 0,
    "FTE": 2,
    "p": 3,
}

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
    decimals: int | None = None,
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
        Its confidence interval. NaN bounds (as :func:`evalkit.reduction`
        gives when no interval can be computed) mean "no usable interval":
        they are kept as NaN and ``met_confidently`` is False.
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
        The value is rounded half up (四捨五入, as Japanese reports round:
        62.5 to 63, 0.125 to 0.13, 1,850 to 1,900; halves of negative values
        away from zero), in decimal: ``Decimal(repr(value))`` quantized with
        ``ROUND_HALF_UP``, not Python's :func:`round`, which rounds halves to
        even and sees 0.835 as the binary 0.83499999999999996.
    decimals : int, optional
        Precision the report pages and ``summary.xlsx`` show ``value``, its
        interval and target with, as for :func:`round` in the unit of
        ``value`` (``4`` shows the ratio 0.8387 as 83.87 %). Default: the
        published precision, else :func:`default_decimals` of ``unit``.

    Returns
    -------
    dict
        Keys of :data:`KPI_COLUMNS`. ``met`` is ``value`` against ``target``;
        ``met_confidently`` is the confidence bound on the unfavourable side
        against ``target`` (``None`` without an interval, False when the
        interval has NaN bounds); ``reproduced`` is whether ``value`` rounded
        half up to ``published_decimals`` equals ``published``;
        ``decimals`` is the display precision (None without a value).

    Notes
    -----
    A value or bound within a relative 1e-9 of the target counts as equal to
    it (:math:`|x - t| \\le 10^{-9} \\max(1, |t|)`, the rule of every evalkit
    verdict), so that a rate computed as 0.7999999999999999 meets a target
    of 0.8.

    Examples
    --------
    >>> row = kpi_row("RPA", "reduction rate", value=0.8412, ci=(0.81, 0.87),
    ...               unit="ratio", target=0.80, published=0.84, published_decimals=2)
    >>> row["met"], row["met_confidently"], row["reproduced"], row["decimals"]
    (True, True, True, 2)
    """
    if direction not in _DIRECTIONS:
        raise EvalkitError(
            f"direction must be one of {_DIRECTIONS}", column="direction", value=direction
        )
    value = None if value is None else _finite(value, "value")
    ci_low = ci_high = None
    if ci is not None and value is not None:
        ci_low, ci_high = (_finite(v, "ci", allow_nan=True) for v in ci)
    met = met_conf = None
    if target is not None:
        target = _finite(target, "target")
    if target is not None and value is not None:
        met = reaches(value, target, direction)
        if ci is not None:
            usable = not (math.isnan(ci_low) or math.isnan(ci_high))
            bound = ci_low if direction == ">=" else ci_high
            met_conf = usable and reaches(bound, target, direction)
    reproduced = None
    if published is not None and value is not None:
        if published_decimals is None:
            raise EvalkitError(
                "published_decimals is required with published",
                column="published_decimals",
                value=None,
            )
        if isinstance(published_decimals, bool) or not isinstance(
            published_decimals, (int, np.integer)
        ):
            raise EvalkitError(
                "published_decimals must be a whole number (2 for 0.84, -2 for 1,800)",
                column="published_decimals",
                value=published_decimals,
            )
        published_decimals = int(published_decimals)
        published = _finite(published, "published")
        reproduced = math.isclose(
            _round_half_up(value, int(published_decimals)),
            published,
            rel_tol=0,
            abs_tol=10.0 ** (-int(published_decimals)) / 1e6,
        )
    if decimals is not None:
        decimals = _whole(decimals, "decimals")
    elif value is not None:
        decimals = published_decimals if reproduced is not None else default_decimals(unit)
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
        "decimals": None if value is None else decimals,
    }


def default_decimals(unit: str) -> int:
    """Display precision of a figure in ``unit`` that has no published precision.

    Examples
    --------
    >>> default_decimals("ratio"), default_decimals("hours/month"), default_decimals("所属")
    (3, 1, 2)
    """
    return DEFAULT_DECIMALS.get(str(unit), 2)


def _whole(x: Any, name: str) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        raise EvalkitError(
            "must be a whole number (2 for 0.84, -2 for 1,800)", column=name, value=x
        )
    return int(x)


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
    if "decimals" not in frame.columns and "unit" in frame.columns and "value" in frame.columns:
        # rows of an older kpi_row, without the display precision
        frame["decimals"] = [
            None if pd.isna(v) else default_decimals(u)
            for u, v in zip(frame["unit"], frame["value"], strict=True)
        ]
    missing = [c for c in KPI_COLUMNS if c not in frame.columns]
    if missing:
        raise EvalkitError(f"rows lack the keys {missing}; build them with kpi_row()")
    frame = frame[KPI_COLUMNS]
    for col in ("value", "ci_low", "ci_high", "target", "published"):
        frame[col] = pd.to_numeric(frame[col]).astype("float64")
    for col in ("met", "met_confidently", "reproduced"):
        frame[col] = frame[col].astype("boolean")
    frame["decimals"] = pd.array(
        [None if pd.isna(d) else int(d) for d in frame["decimals"]], dtype="Int64"
    )
    return frame


def _round_half_up(value: float, decimals: int) -> float:
    """Round half up (四捨五入) to ``decimals`` places of the decimal number ``value`` shows.

    ``Decimal(repr(value))`` is the shortest decimal that reads back as
    ``value`` (0.835, not the binary 0.83499999999999996), rounded with
    ``ROUND_HALF_UP`` (halves away from zero); negative ``decimals`` round
    to tens, hundreds, ...

    Examples
    --------
    >>> _round_half_up(62.5, 0), _round_half_up(0.835, 2), _round_half_up(1850.0, -2)
    (63.0, 0.84, 1900.0)
    >>> _round_half_up(-2.5, 0)
    -3.0
    """
    exact = Decimal(repr(float(value)))
    step = Decimal(1).scaleb(-decimals)  # 1E-2 for 2 decimals, 1E+2 for -2
    with localcontext() as ctx:  # enough digits for any float and any decimals
        ctx.prec = max(28, exact.adjusted() + decimals + 3)
        return float(exact.quantize(step, rounding=ROUND_HALF_UP))


def _finite(x: Any, name: str, *, allow_nan: bool = False) -> float:
    try:
        out = float(x)
    except (TypeError, ValueError):
        raise EvalkitError("not a number", column=name, value=x) from None
    if allow_nan and math.isnan(out):
        return out
    if not math.isfinite(out):
        raise EvalkitError("not a finite number", column=name, value=x)
    return out
