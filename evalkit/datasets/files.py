"""Finding an input file in a data folder, as ``.csv`` or ``.xlsx``.

A data folder is laid out like the shipped ``data/`` (``voice_recognition/``,
``rpa/``, ``scorecard/``, ``published/``). Each file is documented under its
``.csv`` name in ``data/README.md``; an analyst may keep it as an Excel
workbook of the same name instead (``minutes_work.xlsx``). :func:`data_file`
finds whichever of the two is there.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import EvalkitError
from .loaders import _data_dir

__all__ = ["INPUT_SUFFIXES", "data_file"]

#: Suffixes a data-folder file may have, in the order they are looked for.
INPUT_SUFFIXES = (".csv", ".xlsx")


def data_file(
    data_dir: str | os.PathLike | None, *parts: str, required: bool = True
) -> Path | None:
    """The file ``parts`` of a data folder, as ``.csv`` or as ``.xlsx``.

    Parameters
    ----------
    data_dir : str, path-like or None
        A folder laid out like ``data/``; ``None`` for the shipped sample
        data (``$EVALKIT_DATA`` when set, see
        :func:`evalkit.datasets.data_path`).
    *parts : str
        Path inside the folder, the file named as documented, e.g.
        ``"voice_recognition", "minutes_work.csv"``. A file of the same name
        with the other suffix of :data:`INPUT_SUFFIXES` is found as well.
    required : bool, default True
        Whether a missing file is an error. With ``False`` a missing file
        gives ``None`` (for files that exist only for some years, such as
        ``published/fy2020.csv``).

    Returns
    -------
    pathlib.Path or None
        The file found; ``None`` when it is missing and not required.

    Raises
    ------
    EvalkitError
        When the folder holds both ``name.csv`` and ``name.xlsx`` (which of
        the two is meant cannot be told), or when a required file is
        missing; the message names the folder and both names looked for.

    Examples
    --------
    >>> data_file(None, "rpa", "trial_runs.csv").name
    'trial_runs.csv'
    >>> data_file(None, "published", "fy1999.csv", required=False) is None
    True
    """
    if not parts:
        raise EvalkitError("data_file needs the file's path inside the folder")
    base = _data_dir()[0] if data_dir is None else Path(data_dir)
    wanted = base.joinpath(*parts)
    stem = wanted.with_suffix("") if wanted.suffix.lower() in INPUT_SUFFIXES else wanted
    names = [stem.with_name(stem.name + s) for s in INPUT_SUFFIXES]
    found = [p for p in names if p.is_file()]
    if len(found) > 1:
        raise EvalkitError(
            f"{' and '.join(p.name for p in found)} are both in {stem.parent}: keep one, "
            "so that it is clear which is read",
            file=str(found[0]),
        )
    if found:
        return found[0]
    if not required:
        return None
    raise EvalkitError(
        f"{' or '.join(p.name for p in names)} not found in {stem.parent} "
        f"(the data folder {base}; the files it needs are listed in data/README.md)",
        file=str(names[0]),
    )
