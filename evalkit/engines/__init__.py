"""Engines for data larger than memory: DuckDB (Parquet files, relations) and Dask.

:func:`evalkit.reduction` and :func:`evalkit.usage` hand a Parquet path, a
``duckdb.DuckDBPyRelation`` or a ``dask.dataframe.DataFrame`` to these
engines, which supply the aggregates of step 2 (``ReductionSums``,
``UsageSums``); the statistics of step 3 are the in-memory ones. Neither
duckdb, pyarrow nor dask is imported before such data are given.
"""

from __future__ import annotations

from typing import Any

from ._common import engine_of, make_spec

__all__ = ["DUCKDB_SETTINGS", "engine_of", "reduction_sums", "usage_sums"]


def __getattr__(name: str) -> Any:
    if name == "DUCKDB_SETTINGS":
        from ._duckdb import DUCKDB_SETTINGS

        return DUCKDB_SETTINGS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _run(data: Any, spec, periods, what: str):
    from . import _common

    build = _common.reduction_sums if what == "reduction" else _common.usage_sums
    if engine_of(data) == "dask":
        from ._dask import DaskSource

        return build(DaskSource(data, spec), spec, periods)
    from ._duckdb import opened

    with opened(data, spec) as source:
        return build(source, spec, periods)


def reduction_sums(data: Any, *, before, after, unit, period, cluster, missing, periods):
    """Step 2 of :func:`evalkit.reduction` by the engine for ``data`` (steps 1 and 2 in one)."""
    spec = make_spec(
        "reduction",
        before=before,
        after=after,
        unit=unit,
        period=period,
        cluster=cluster,
        missing=missing,
    )
    return _run(data, spec, periods, "reduction")


def usage_sums(data: Any, *, unit, period, periods, counts):
    """Step 2 of :func:`evalkit.usage` by the engine for ``data``."""
    spec = make_spec("usage", unit=unit, period=period, counts=counts)
    return _run(data, spec, periods, "usage")
