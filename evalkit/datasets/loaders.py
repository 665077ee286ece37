"""Loaders of the FY2019 sample data, and of analysts' own files of the same shape.

Each loader reads the shipped file under ``data/`` by default, or the
``.csv``/``.xlsx`` file given as ``path``, through
:func:`evalkit.read_table` with the loader's :class:`~evalkit.Schema`
(canonical column names, Japanese header aliases, kinds and limits; see
``data/README.md``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..errors import EvalkitError
from ..readers.tables import Column, Schema, read_table

__all__ = [
    "DATA_ENV",
    "MINUTES_WORK",
    "RPA_CANDIDATES",
    "RPA_TRIAL",
    "SATISFACTION_SURVEY",
    "data_path",
    "load_minutes_work",
    "load_drafting_panel",
    "DRAFTING_PANEL",
    "load_rpa_candidates",
    "load_rpa_trial",
    "load_satisfaction_survey",
]

#: Environment variable naming a directory to read the sample data from instead.
DATA_ENV = "EVALKIT_DATA"

_HOURS = ("時間", "h", "hours")
_MONTH = Column("month", "month", aliases=("月", "年月", "対象月"))
_BUREAU = Column("bureau", "text", aliases=("部局",), one_spelling=True)
_DEPARTMENT = Column("department", "text", aliases=("所属", "所属名"), one_spelling=True)
_TASK = Column("task", "text", aliases=("業務", "業務名", "対象業務"), one_spelling=True)
_HOURS_BEFORE = Column(
    "hours_before",
    "float",
    aliases=("導入前時間", "導入前作業時間", "削減前時間"),
    minimum=0,
    units=_HOURS,
)
# hours_after has no maximum: it may exceed hours_before when the tool made the
# work slower, and evalkit.reduction() shows that as a negative saving.
_HOURS_AFTER = Column(
    "hours_after",
    "float",
    aliases=("導入後時間", "導入後作業時間", "削減後時間"),
    minimum=0,
    units=_HOURS,
)

#: Speech-recognition minutes work: one row per department per month.
MINUTES_WORK = Schema(
    "minutes_work",
    (
        _MONTH,
        _BUREAU,
        _DEPARTMENT,
        # A row is a month of use: at least one meeting.
        Column("meetings", "int", aliases=("会議数", "会議件数"), minimum=1, units=("件", "回")),
        # Only >= 0 is checked: the sample data's 15 minutes or more per meeting
        # is how they were generated, not a rule for real files.
        Column(
            "recorded_minutes",
            "int",
            aliases=("録音時間（分）", "録音時間(分)", "録音分数"),
            minimum=0,
            units=("分", "min"),
        ),
        _HOURS_BEFORE,
        _HOURS_AFTER,
    ),
    key=("month", "department"),
)

#: Satisfaction questionnaire: one row per questionnaire, answers as written.
SATISFACTION_SURVEY = Schema(
    "satisfaction_survey",
    (
        Column("respondent_id", "text", aliases=("回答者ID", "回答者番号"), one_spelling=True),
        _BUREAU,
        _DEPARTMENT,
        Column("answer", "text", aliases=("回答", "満足度"), nullable=True),
    ),
    key=("respondent_id",),
)

#: RPA trial: one row per automated task per month.
RPA_TRIAL = Schema(
    "rpa_trial",
    (
        _MONTH,
        _DEPARTMENT,
        _TASK,
        # A row is a month in which the task ran: at least one run.
        Column("runs", "int", aliases=("実行回数", "処理件数"), minimum=1, units=("回", "件")),
        _HOURS_BEFORE,
        _HOURS_AFTER,
    ),
    key=("month", "department", "task"),
)

#: Tasks selected for RPA in the next fiscal year.
RPA_CANDIDATES = Schema(
    "rpa_candidates",
    (
        _DEPARTMENT,
        _TASK,
        Column(
            "annual_hours_before",
            "float",
            aliases=("年間作業時間", "年間想定時間"),
            minimum=0,
            units=_HOURS,
        ),
        Column(
            "expected_reduction_rate",
            "rate",
            aliases=("削減見込み", "想定削減率"),
            minimum=0,
            maximum=1,
        ),
    ),
    key=("department", "task"),
)


#: Drafting hours per department and month, adopters and not (for did()).
DRAFTING_PANEL = Schema(
    "drafting_hours_panel",
    (
        _MONTH,
        _BUREAU,
        _DEPARTMENT,
        Column(
            "hours",
            "float",
            aliases=("議事録作成時間", "作成時間", "作業時間"),
            minimum=0,
            units=_HOURS,
        ),
        Column(
            "first_month",
            "month",
            aliases=("利用開始月", "導入月", "開始月"),
            nullable=True,
        ),
    ),
    key=("month", "department"),
)


def _data_dir() -> tuple[Path, str]:
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env), f"the {DATA_ENV} environment variable"
    return Path(__file__).resolve().parents[2] / "data", "the evalkit source tree"


def data_path(*parts: str) -> Path:
    """Path of a file of the sample data.

    Parameters
    ----------
    *parts : str
        Path inside the data directory, e.g. ``"rpa", "trial_runs.csv"``.

    Returns
    -------
    pathlib.Path
        ``<data directory>/<parts>``, which exists.

    Raises
    ------
    EvalkitError
        If the file or directory does not exist, saying where it was looked for.

    Notes
    -----
    The data directory is ``$EVALKIT_DATA`` when that environment variable
    is set, else the ``data/`` directory next to the ``evalkit`` package in
    a source checkout (the package is installed in editable mode, and the
    data are not part of a wheel).

    Examples
    --------
    >>> data_path("rpa", "trial_runs.csv").name
    'trial_runs.csv'
    """
    base, origin = _data_dir()
    path = base.joinpath(*parts)
    if not path.exists():
        raise EvalkitError(
            f"sample data not found at {path} (data directory from {origin}); run "
            f"`python -m evalkit.datasets.generate` in a source checkout, or set {DATA_ENV} "
            "to the directory holding the sample data folders the loaders read: "
            "voice_recognition/, rpa/ and scorecard/",
            file=str(path),
        )
    return path


def _load(path, default: tuple[str, str], schema: Schema, sheet) -> pd.DataFrame:
    if path is None:
        if sheet is not None:
            raise EvalkitError("sheet= needs path= (the sample data are CSV)", value=sheet)
        path = data_path(*default)
    return read_table(path, schema, sheet=sheet)


def load_minutes_work(path=None, *, sheet=None) -> pd.DataFrame:
    """Load the speech-recognition minutes work: one row per department per month.

    Parameters
    ----------
    path : str or path-like, optional
        An analyst's ``.csv`` or ``.xlsx`` file; by default the sample file
        ``data/voice_recognition/minutes_work.csv``.
    sheet : str or int, optional
        Workbook sheet (see :func:`evalkit.read_table`).

    Returns
    -------
    pandas.DataFrame
        Columns ``month`` (period[M]), ``bureau``, ``department`` (str),
        ``meetings``, ``recorded_minutes`` (int64), ``hours_before``,
        ``hours_after`` (float64, hours), then any other columns of the file.

    Raises
    ------
    EvalkitError
        As :func:`evalkit.read_table` (schema :data:`MINUTES_WORK`), also for
        two rows of the same department and month.

    Examples
    --------
    >>> df = load_minutes_work()
    >>> df["department"].nunique(), str(df["month"].min()), str(df["month"].max())
    (116, '2019-04', '2020-03')
    """
    return _load(path, ("voice_recognition", "minutes_work.csv"), MINUTES_WORK, sheet)


def load_drafting_panel(path=None, *, sheet=None) -> pd.DataFrame:
    """Load the drafting-hours panel: one row per department and month, FY2018-FY2019.

    Every department that drafts minutes, whether or not it adopted speech
    recognition: the input of :func:`evalkit.did` and :func:`evalkit.its`.

    Parameters
    ----------
    path : str or path-like, optional
        An analyst's ``.csv`` or ``.xlsx`` file; by default the sample file
        ``data/voice_recognition/drafting_hours_panel.csv``.
    sheet : str or int, optional
        Workbook sheet (see :func:`evalkit.read_table`).

    Returns
    -------
    pandas.DataFrame
        Columns ``month`` (period[M]), ``bureau``, ``department`` (str),
        ``hours`` (float64, hours spent drafting minutes that month),
        ``first_month`` (period[M], the first month with the tool; missing
        for a department that had not adopted it), then any other columns.

    Raises
    ------
    EvalkitError
        As :func:`evalkit.read_table` (schema :data:`DRAFTING_PANEL`), also for
        two rows of the same department and month.

    Examples
    --------
    >>> df = load_drafting_panel()
    >>> df["department"].nunique(), df["month"].nunique(), int(df["first_month"].isna().sum())
    (156, 24, 960)
    """
    return _load(path, ("voice_recognition", "drafting_hours_panel.csv"), DRAFTING_PANEL, sheet)


def load_satisfaction_survey(path=None, *, sheet=None) -> pd.DataFrame:
    """Load the satisfaction questionnaire: one row per questionnaire.

    Parameters
    ----------
    path : str or path-like, optional
        An analyst's ``.csv`` or ``.xlsx`` file; by default the sample file
        ``data/voice_recognition/satisfaction_survey.csv``.
    sheet : str or int, optional
        Workbook sheet (see :func:`evalkit.read_table`).

    Returns
    -------
    pandas.DataFrame
        Columns ``respondent_id``, ``bureau``, ``department``, ``answer``
        (all str; ``answer`` missing when blank), then any other columns.
        Answers are kept as written: checking them against a scale is
        :func:`evalkit.satisfaction_rate`'s job.

    Raises
    ------
    EvalkitError
        As :func:`evalkit.read_table` (schema :data:`SATISFACTION_SURVEY`),
        also for a repeated ``respondent_id``.

    Examples
    --------
    >>> df = load_satisfaction_survey()
    >>> len(df), int(df["answer"].notna().sum())
    (116, 93)
    """
    return _load(path, ("voice_recognition", "satisfaction_survey.csv"), SATISFACTION_SURVEY, sheet)


def load_rpa_trial(path=None, *, sheet=None) -> pd.DataFrame:
    """Load the RPA trial: one row per automated task per month.

    Parameters
    ----------
    path : str or path-like, optional
        An analyst's ``.csv`` or ``.xlsx`` file; by default the sample file
        ``data/rpa/trial_runs.csv``.
    sheet : str or int, optional
        Workbook sheet (see :func:`evalkit.read_table`).

    Returns
    -------
    pandas.DataFrame
        Columns ``month`` (period[M]), ``department``, ``task`` (str),
        ``runs`` (int64), ``hours_before``, ``hours_after`` (float64, hours),
        then any other columns of the file.

    Raises
    ------
    EvalkitError
        As :func:`evalkit.read_table` (schema :data:`RPA_TRIAL`), also for two
        rows of the same month, department and task.

    Examples
    --------
    >>> df = load_rpa_trial()
    >>> df["task"].nunique(), str(df["month"].min()), str(df["month"].max())
    (10, '2019-07', '2020-03')
    """
    return _load(path, ("rpa", "trial_runs.csv"), RPA_TRIAL, sheet)


def load_rpa_candidates(path=None, *, sheet=None) -> pd.DataFrame:
    """Load the tasks selected for RPA in the next fiscal year.

    Parameters
    ----------
    path : str or path-like, optional
        An analyst's ``.csv`` or ``.xlsx`` file; by default the sample file
        ``data/rpa/candidates_fy2020.csv``.
    sheet : str or int, optional
        Workbook sheet (see :func:`evalkit.read_table`).

    Returns
    -------
    pandas.DataFrame
        Columns ``department``, ``task`` (str), ``annual_hours_before``
        (float64, hours a year), ``expected_reduction_rate`` (float64, a
        fraction 0..1; "80%" in a file is 0.8), then any other columns.

    Raises
    ------
    EvalkitError
        As :func:`evalkit.read_table` (schema :data:`RPA_CANDIDATES`), also
        for a repeated department and task.

    Examples
    --------
    >>> df = load_rpa_candidates()
    >>> len(df), df["department"].nunique()
    (3, 3)
    """
    return _load(path, ("rpa", "candidates_fy2020.csv"), RPA_CANDIDATES, sheet)
