"""Reading the files analysts have, and the dates in them.

- :mod:`~evalkit.readers.tables`: :func:`read_table`, the one reader of CSV
  (UTF-8, BOM, CP932) and ``.xlsx`` files against a :class:`Schema` of
  :class:`Column` (Japanese headers, full-width digits, 1,800, 62時間, △);
- :mod:`~evalkit.readers.fiscal`: Japanese eras, fiscal years (April-March),
  month spellings and schedule timings as a report writes them;
- :mod:`~evalkit.readers.convert`: :func:`convert_to_parquet`
  (:func:`evalkit.readers.convert.convert`), CSV and Excel files read by these
  rules written as typed Parquet (``evalkit convert``), the run-log schema
  :data:`RUNLOG`, and schemas by name (:func:`schema_named`).
"""

from .convert import RUNLOG, SCHEMA_NAMES, parquet_schema, schema_named
from .convert import convert as convert_to_parquet
from .fiscal import (
    Timing,
    fiscal_months,
    fiscal_year,
    fiscal_year_label,
    month_label,
    parse_month,
    parse_schedule,
    parse_timing,
)
from .tables import Column, Schema, parse_number, parse_rate, read_table

__all__ = [
    "RUNLOG",
    "SCHEMA_NAMES",
    "Column",
    "Schema",
    "Timing",
    "convert_to_parquet",
    "fiscal_months",
    "fiscal_year",
    "fiscal_year_label",
    "month_label",
    "parse_month",
    "parse_number",
    "parse_rate",
    "parse_schedule",
    "parse_timing",
    "parquet_schema",
    "read_table",
    "schema_named",
]
