"""The figures a year's progress report published, read from ``published/fy<YEAR>.csv``.

The notebooks compare what they compute with what the report published
(``published`` and ``reproduced`` in ``summary.csv``). Those figures belong
to one fiscal year's report, so they live in one file per year; a year
without a file has no published figures, and the notebooks say so instead
of comparing with another year's numbers.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import EvalkitError
from ..readers.tables import Column, Schema, read_table
from .files import data_file

__all__ = ["PUBLISHED", "Published", "load_published", "published_file_name"]

#: Schema of ``published/fy<YEAR>.csv``: one row per figure the report published.
PUBLISHED = Schema(
    "published figures",
    (
        Column("key", "text", aliases=("キー",), one_spelling=True),
        Column("initiative", "text", aliases=("取組",)),
        Column("figure", "text", aliases=("指標", "項目")),
        Column("value", "float", aliases=("公表値", "値")),
        Column("unit", "text", aliases=("単位",)),
        Column("decimals", "int", aliases=("桁", "小数点以下桁数"), minimum=-6, maximum=6),
        Column("indicator_id", "text", aliases=("指標ID",), nullable=True),
        Column("text", "text", aliases=("公表文", "記載"), nullable=True),
    ),
    key=("key",),
)

_COLUMNS = [c.name for c in PUBLISHED.columns]


def published_file_name(fiscal_year: int) -> str:
    """Name of the published-figures file of a fiscal year.

    Examples
    --------
    >>> published_file_name(2019)
    'fy2019.csv'
    """
    return f"fy{int(fiscal_year)}.csv"


@dataclass(frozen=True)
class Published:
    """The published figures of one fiscal year (empty for a year without a file).

    Attributes
    ----------
    fiscal_year : int
        The year.
    table : pandas.DataFrame
        One row per figure, indexed by ``key``: ``initiative``, ``figure``,
        ``value`` (as the report wrote it, in ``unit``), ``unit``,
        ``decimals`` (the precision published: ``2`` for 83.87, ``-2`` for
        "about 1,800"), ``indicator_id`` (the scorecard indicator it answers,
        if any) and ``text`` (the report's wording).
    path : pathlib.Path or None
        The file read; ``None`` when the year has none.
    """

    fiscal_year: int
    table: pd.DataFrame
    path: Path | None

    @property
    def found(self) -> bool:
        """Whether the year has a published-figures file."""
        return self.path is not None

    def __contains__(self, key: object) -> bool:
        return key in self.table.index

    def kpi(self, key: str, unit: str = "") -> dict[str, Any]:
        """``published`` and ``published_decimals`` for :func:`evalkit.kpi_row`.

        Parameters
        ----------
        key : str
            The figure's ``key``.
        unit : str
            The unit of the key-figure row. ``"ratio"`` takes a figure
            published in % as a proportion (83.87 % with 2 decimals becomes
            0.8387 with 4 decimals); any other unit takes the figure as
            written.

        Returns
        -------
        dict
            ``{"published": value, "published_decimals": decimals}``, both
            ``None`` when the year has no such figure (or no file at all).

        Examples
        --------
        >>> p = load_published(2019)
        >>> p.kpi("voice_recognition.satisfaction_rate", unit="ratio")
        {'published': 0.8387, 'published_decimals': 4}
        >>> load_published(1999).kpi("rpa.saved")
        {'published': None, 'published_decimals': None}
        """
        if key not in self.table.index:
            return {"published": None, "published_decimals": None}
        row = self.table.loc[key]
        value, decimals = float(row["value"]), int(row["decimals"])
        if unit == "ratio":
            if row["unit"] != "%":
                raise EvalkitError(
                    f"published figure {key!r} is in {row['unit']!r}, not %: it cannot be "
                    "compared with a ratio",
                    file=self._source,
                    column="unit",
                    value=row["unit"],
                )
            value, decimals = round(value / 100, decimals + 2), decimals + 2
        return {"published": value, "published_decimals": decimals}

    def by_indicator(self) -> dict[str, tuple[float, int]]:
        """``{indicator_id: (value, decimals)}`` of the figures that answer a scorecard indicator.

        The ``published`` argument of :func:`evalkit.scorecard.scorecard_kpis`.

        Examples
        --------
        >>> load_published(2019).by_indicator()
        {'voice_recognition.o3': (83.87, 2), 'rpa.o2': (84.0, 0)}
        """
        rows = self.table[self.table["indicator_id"].notna()]
        return {str(r.indicator_id): (float(r.value), int(r.decimals)) for r in rows.itertuples()}

    @property
    def _source(self) -> str | None:
        return None if self.path is None else str(self.path)

    def note(self) -> str:
        """A Japanese sentence: where the published figures come from, or that there are none."""
        from ..readers.fiscal import fiscal_year_label

        label = fiscal_year_label(self.fiscal_year)
        if self.path is None:
            return (
                f"{label}の公表値のファイル（published/{published_file_name(self.fiscal_year)}）"
                "がないため、公表値との照合はしていません（公表値・一致は空欄）。"
            )
        return f"{label}の公表値（{self.path.name}、{len(self.table)}件）と照合しています。"

    def _repr_html_(self) -> str:
        if self.path is None:
            return f"<p>{html.escape(self.note())}</p>"
        return self.table.to_html()

    def __repr__(self) -> str:
        if self.path is None:
            return self.note()
        return f"{self.note()}\n{self.table.to_string()}"


def load_published(
    fiscal_year: int,
    data_dir: str | os.PathLike | None = None,
    *,
    path: str | os.PathLike | None = None,
) -> Published:
    """Read the figures a fiscal year's progress report published.

    Parameters
    ----------
    fiscal_year : int
        The year (2019 for 令和元年度).
    data_dir : str, path-like or None
        A folder laid out like ``data/``: the file is
        ``published/fy<YEAR>.csv`` (or ``.xlsx``) in it. ``None``: the
        shipped sample data, which hold ``published/fy2019.csv`` only.
    path : str or path-like, optional
        A file to read instead; it must exist.

    Returns
    -------
    Published
        Empty (``found`` False, every :meth:`Published.kpi` ``None``) when
        the folder has no file for the year: a year without published
        figures is not an error.

    Raises
    ------
    EvalkitError
        As :func:`evalkit.read_table` (schema :data:`PUBLISHED`: a key
        written twice, a value that is not a number...), and for a ratio
        asked of a figure not in % (:meth:`Published.kpi`).

    Examples
    --------
    >>> p = load_published(2019)
    >>> p.found, p.table.loc["rpa.rate", "value"], p.table.loc["rpa.saved", "decimals"]
    (True, np.float64(84.0), np.int64(-2))
    >>> load_published(2020).found
    False
    """
    year = int(fiscal_year)
    if path is None:
        path = data_file(data_dir, "published", published_file_name(year), required=False)
    if path is None:
        empty = pd.DataFrame(columns=_COLUMNS).set_index("key")
        return Published(year, empty, None)
    table = read_table(path, PUBLISHED)
    return Published(year, table[_COLUMNS].set_index("key"), Path(path))
