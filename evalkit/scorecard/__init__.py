"""The FY2019 scorecard: indicators against targets, schedules against what happened.

The IT division's FY2019 (令和元年度) progress report is a table of seven
initiatives under two themes. Each initiative has activity indicators
(outputs), outcome indicators (targets, numeric or qualitative), a schedule
and a progress statement. ``data/scorecard/`` holds that table as data:

- ``fy2019_indicators.csv``: one row per indicator, with its target and the
  source of its actual (computed from the sample data, or quoted from the
  report);
- ``fy2019_milestones.csv``: one row per scheduled step, its timing exactly
  as written and what the progress column says happened;
- ``platform_migration.csv``: the counts of systems on the common platform;
- ``fy2019_plans.csv``: the plan text of each initiative (今年度何をするか),
  for the progress sheet.

:func:`evaluate_indicators` marks each indicator met, not met or not
assessable, :func:`evaluate_milestones` marks each step done on time, late,
open or not assessable, and :func:`platform_progress` lines up planned and
actual migration counts. :func:`compute_actuals` computes the
speech-recognition and RPA actuals from the sample data with the same calls
the notebooks make, so the figures are never typed in twice.

For reading: :func:`progress_table` and :func:`milestone_table` give the
evaluated rows in Japanese, and :func:`progress_column` writes them out as
the report's progress column (進捗状況) reads, in Markdown;
:func:`status_counts` counts statuses by initiative;
:func:`evalkit.plots.milestones` draws the schedules against what was done;
:func:`target_estimates` feeds
:func:`evalkit.plots.estimate_vs_target`; :func:`scorecard_kpis` turns the
indicators into the key-figure rows of ``summary.csv``; and
:func:`scorecard_verdict` sums the scorecard up in three sentences.

The modules, one per concern; every public name is imported here:

- :mod:`~evalkit.scorecard.load`: the initiatives, the columns and schemas
  of the four files, :func:`load_indicators`, :func:`load_milestones`,
  :func:`load_platform_migration`, :func:`load_plans` and the rules they
  check;
- :mod:`~evalkit.scorecard.actuals`: :class:`Actual` and
  :func:`compute_actuals`;
- :mod:`~evalkit.scorecard.indicators`: :func:`evaluate_indicators`;
- :mod:`~evalkit.scorecard.milestones`: :func:`evaluate_milestones`;
- :mod:`~evalkit.scorecard.platform`: :func:`platform_progress`;
- :mod:`~evalkit.scorecard.tables`: the Japanese tables and labels
  (:func:`progress_table`, :func:`milestone_table`, :data:`KIND_LABELS`,
  the status labels), :func:`status_counts`, :func:`target_estimates` and
  :func:`actuals_table`;
- :mod:`~evalkit.scorecard.sheet`: :func:`progress_sheet` drafts the
  year's progress sheet (:class:`ProgressSheet`, lines to fill marked
  :data:`TO_FILL`), and :mod:`~evalkit.scorecard.workbook`:
  :func:`write_progress_sheet` writes it as ``progress_sheet_fy<YEAR>.xlsx``
  (:func:`progress_sheet_file_name`);
- :mod:`~evalkit.scorecard.summary`: :func:`progress_column`,
  :func:`scorecard_kpis` (with :data:`KPI_UNITS`) and
  :func:`scorecard_verdict`;
- ``_common``: what they share (the status words, errors that name the
  file row, the check that a frame is an evaluation's output).
"""

from ._common import DONE_ON_TIME, LATE, MET, NOT_ASSESSABLE, NOT_MET, OPEN
from .actuals import Actual, compute_actuals
from .indicators import evaluate_indicators
from .load import (
    INDICATOR_COLUMNS,
    INDICATOR_SCHEMA,
    INITIATIVES,
    MILESTONE_COLUMNS,
    MILESTONE_SCHEMA,
    PLAN_COLUMNS,
    PLAN_SCHEMA,
    PLATFORM_COLUMNS,
    PLATFORM_SCHEMA,
    Initiative,
    load_indicators,
    load_milestones,
    load_plans,
    load_platform_migration,
)
from .milestones import evaluate_milestones
from .platform import platform_progress
from .sheet import SHEET_COLUMNS, TO_FILL, ProgressSheet, progress_sheet
from .summary import KPI_UNITS, progress_column, scorecard_kpis, scorecard_verdict
from .tables import (
    INDICATOR_STATUS_LABELS,
    KIND_LABELS,
    MILESTONE_STATUS_LABELS,
    actuals_table,
    milestone_table,
    progress_table,
    status_counts,
    target_estimates,
)
from .workbook import progress_sheet_file_name, write_progress_sheet

__all__ = [
    "DONE_ON_TIME",
    "INDICATOR_COLUMNS",
    "INDICATOR_SCHEMA",
    "INDICATOR_STATUS_LABELS",
    "INITIATIVES",
    "KIND_LABELS",
    "KPI_UNITS",
    "LATE",
    "MET",
    "MILESTONE_COLUMNS",
    "MILESTONE_SCHEMA",
    "MILESTONE_STATUS_LABELS",
    "NOT_ASSESSABLE",
    "NOT_MET",
    "OPEN",
    "PLAN_COLUMNS",
    "PLAN_SCHEMA",
    "PLATFORM_COLUMNS",
    "PLATFORM_SCHEMA",
    "SHEET_COLUMNS",
    "TO_FILL",
    "Actual",
    "Initiative",
    "ProgressSheet",
    "actuals_table",
    "compute_actuals",
    "evaluate_indicators",
    "evaluate_milestones",
    "load_indicators",
    "load_milestones",
    "load_plans",
    "load_platform_migration",
    "milestone_table",
    "platform_progress",
    "progress_column",
    "progress_sheet",
    "progress_sheet_file_name",
    "progress_table",
    "scorecard_kpis",
    "scorecard_verdict",
    "status_counts",
    "target_estimates",
    "write_progress_sheet",
]
