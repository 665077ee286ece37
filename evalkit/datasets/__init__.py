"""FY2019 sample data and loaders for files of the same shape.

``python -m evalkit.datasets.generate`` regenerates the sample files under
``data/``; the loaders read them, or an analyst's own CSV or Excel file.
"""

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

__all__ = [
    "DATA_ENV",
    "DRAFTING_PANEL",
    "MINUTES_WORK",
    "RPA_CANDIDATES",
    "RPA_TRIAL",
    "SATISFACTION_SURVEY",
    "data_path",
    "load_drafting_panel",
    "load_minutes_work",
    "load_rpa_candidates",
    "load_rpa_trial",
    "load_satisfaction_survey",
]
