"""FY2019 sample data and loaders for files of the same shape.

``python -m evalkit.datasets.generate`` regenerates the sample files under
``data/``; the loaders read them, or an analyst's own CSV or Excel file.
:func:`data_file` finds a file of a data folder as ``.csv`` or ``.xlsx``;
:func:`load_published` reads the figures a year's report published.
"""

from .files import INPUT_SUFFIXES, data_file
from .loaders import (
    DATA_ENV,
    DRAFTING_PANEL,
    MINUTES_WORK,
    RPA_CANDIDATES,
    RPA_TRIAL,
    SATISFACTION_SURVEY,
    data_path,
    load_drafting_panel,
    load_minutes_work,
    load_rpa_candidates,
    load_rpa_trial,
    load_satisfaction_survey,
)
from .published import PUBLISHED, Published, load_published, published_file_name

__all__ = [
    "DATA_ENV",
    "DRAFTING_PANEL",
    "INPUT_SUFFIXES",
    "MINUTES_WORK",
    "PUBLISHED",
    "Published",
    "RPA_CANDIDATES",
    "RPA_TRIAL",
    "SATISFACTION_SURVEY",
    "data_file",
    "data_path",
    "load_drafting_panel",
    "load_minutes_work",
    "load_published",
    "load_rpa_candidates",
    "load_rpa_trial",
    "load_satisfaction_survey",
    "published_file_name",
]
