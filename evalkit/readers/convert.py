"""CSV and Excel files to typed Parquet, read by evalkit's rules: :func:`convert`.

National roll-ups of RPA and speech-recognition run logs (:data:`RUNLOG`:
one row per task, department, municipality and month, or per robot run) are
too large to read from CSV every time. :func:`convert` reads each file once
with :func:`~evalkit.read_table` (UTF-8, BOM or CP932; Japanese headers;
full-width digits; 令和/平成 months), refuses exactly what the reader refuses,
and writes one Parquet file per input with proper types, which
:func:`evalkit.reduction` and :func:`evalkit.usage` read again in memory
(pandas) or out of core (DuckDB, Dask). ``evalkit convert`` is its command
line.

Schemas are addressed by name (:func:`schema_named`): ``runlog``, and the
schemas of the shipped sample files (``minutes_work``, ``rpa_trial``, ...).
"""

from __future__ import annotations

import filecmp
import glob
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from .._validation import ROWS_ATTR, decode_rows
from ..errors import EvalkitError, quote
from .schema import Column, Schema
from .tables import _as_text, _spelling_key, read_table

__all__ = [
    "INPUT_SUFFIXES",
    "RUNLOG",
    "SCHEMA_NAMES",
    "Converted",
    "check_digit",
    "convert",
    "parquet_schema",
    "schema_named",
]

_HOURS = ("時間", "h", "hours")

#: Run logs of RPA robots or speech recognition, national roll-up: one row per
#: task, department, municipality and month (or per robot run; no key).
RUNLOG = Schema(
    "runlog",
    (
        Column("month", "month", aliases=("月", "年月", "対象月", "実行月")),
        # Text, never a number: 01100 keeps its leading zero. Checked further by
        # convert() (5 digits, or 6 with the check digit).
        Column(
            "municipality_code",
            "text",
            aliases=("団体コード", "市区町村コード", "地方公共団体コード", "自治体コード"),
        ),
        Column("department", "text", aliases=("所属", "所属名"), one_spelling=True),
        Column("task", "text", aliases=("業務", "業務名", "対象業務"), one_spelling=True),
        # A month in which the robot did not run may be logged with 0 runs.
        Column(
            "runs",
            "int",
            aliases=("実行回数", "処理件数", "件数"),
            minimum=0,
            units=("回", "件"),
        ),
        Column(
            "hours_before",
            "float",
            aliases=("導入前時間", "導入前作業時間", "削減前時間", "作業時間(導入前)"),
            minimum=0,
            units=_HOURS,
        ),
        # No maximum: hours after may exceed hours before (a negative saving).
        Column(
            "hours_after",
            "float",
            aliases=("導入後時間", "導入後作業時間", "削減後時間", "作業時間(導入後)"),
            minimum=0,
            units=_HOURS,
        ),
    ),
)

# Schemas declared with the loaders of the shipped sample files, by name; they
# are imported on first use so that `import evalkit` does not load evalkit.datasets.
_LOADER_SCHEMAS = {
    "minutes_work": "MINUTES_WORK",
    "satisfaction_survey": "SATISFACTION_SURVEY",
    "rpa_trial": "RPA_TRIAL",
    "rpa_candidates": "RPA_CANDIDATES",
}

#: Names :func:`schema_named` (and ``evalkit convert --schema``) accept.
SCHEMA_NAMES = ("runlog", *_LOADER_SCHEMAS)

#: Files a folder given to :func:`convert` contributes (case-insensitive).
INPUT_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm")

#: The column whose values :func:`convert` checks as municipality codes.
CODE_COLUMN = "municipality_code"


def schema_named(name: str | Schema) -> Schema:
    """The :class:`~evalkit.Schema` called ``name``.

    Parameters
    ----------
    name : str or Schema
        One of :data:`SCHEMA_NAMES`; a :class:`~evalkit.Schema` is returned
        as it is.

    Returns
    -------
    Schema

    Raises
    ------
    EvalkitError
        Listing the known names, for any other name.

    Examples
    --------
    >>> schema_named("runlog").names
    ('month', 'municipality_code', 'department', 'task', 'runs', 'hours_before', 'hours_after')
    >>> schema_named("rpa_trial").key
    ('month', 'department', 'task')
    """
    if isinstance(name, Schema):
        return name
    if name == RUNLOG.name:
        return RUNLOG
    if isinstance(name, str) and name in _LOADER_SCHEMAS:
        from ..datasets import loaders

        return getattr(loaders, _LOADER_SCHEMAS[name])
    raise EvalkitError(f"unknown schema; the schemas are {', '.join(SCHEMA_NAMES)}", value=name)


# ----------------------------------------------------------------------------- municipality codes

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CODE = re.compile(r"[0-9]{5,6}")


def check_digit(code: str) -> int:
    """Check digit of a 5-digit local government code (全国地方公共団体コード).

    The sixth digit of a 6-digit code: the digits weighted 6, 5, 4, 3, 2,
    summed; 11 minus the remainder of the sum by 11, its last digit.

    Examples
    --------
    >>> check_digit("01100"), check_digit("13000")  # 011002 (札幌市), 130001 (東京都)
    (2, 1)
    """
    total = sum(int(d) * w for d, w in zip(code, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def _municipality_code(value: str) -> str:
    """A code as ASCII digits; EvalkitError unless 5 digits, or 6 with their check digit."""
    code = value.translate(_FULL_WIDTH_DIGITS)
    if not _CODE.fullmatch(code):
        hint = ""
        if code.isascii() and code.isdigit() and len(code) < 5:
            hint = (
                " (a leading zero lost? Excel drops it from a number: format the column as "
                "text, or write the code as 01100)"
            )
        raise EvalkitError(
            "a municipality code is 5 digits (01100) or 6 digits with the check digit "
            f"(011002), written with 0-9 or ０-９{hint}"
        )
    if len(code) == 6 and int(code[5]) != check_digit(code[:5]):
        raise EvalkitError(
            f"the check digit of the municipality code is wrong: for {code[:5]} it is "
            f"{check_digit(code[:5])} ({code[:5]}{check_digit(code[:5])}); check the code"
        )
    return code


class _Seen:
    """What earlier inputs held, for the checks across files of one conversion."""

    def __init__(self) -> None:
        self.code_width: dict[int, tuple[str, int, str]] = {}  # width -> (file, row, code)
        self.spelling: dict[tuple[str, str], tuple[str, int, str]] = {}  # (col, key) -> first


def _first_row(frame: pd.DataFrame, column: str, value: Any) -> int:
    """File row of the first record whose ``column`` is ``value``."""
    position = int((frame[column] == value).to_numpy().argmax())
    return int(decode_rows(frame.attrs[ROWS_ATTR])[position])


def _check_codes(frame: pd.DataFrame, source: str, seen: _Seen) -> None:
    """Municipality codes as ASCII digits, checked; one width (5 or 6) across all inputs."""
    values = frame[CODE_COLUMN]
    mapping: dict[str, str] = {}
    for value in pd.unique(values.dropna()):
        try:
            mapping[value] = _municipality_code(value)
        except EvalkitError as err:
            row = _first_row(frame, CODE_COLUMN, value)
            raise EvalkitError(
                err.reason, file=source, row=row, column=CODE_COLUMN, value=value
            ) from None
        width = len(mapping[value])
        if width not in seen.code_width:
            seen.code_width[width] = (source, _first_row(frame, CODE_COLUMN, value), value)
        other = seen.code_width.get(11 - width)  # the other width: 5 <-> 6
        if other is not None:
            here = (source, _first_row(frame, CODE_COLUMN, value), value)
            five, six = (here, other) if width == 5 else (other, here)
            raise EvalkitError(
                f"municipality codes are written with 5 digits ({quote(five[2])}, {five[0]} "
                f"row {five[1]}) and with 6 digits ({quote(six[2])}, {six[0]} row {six[1]}): "
                "one municipality would count as two; write every code the same way",
                file=here[0],
                row=here[1],
                column=CODE_COLUMN,
                value=here[2],
            )
    if any(k != v for k, v in mapping.items()):
        frame[CODE_COLUMN] = values.map(mapping).astype("str")


def _check_spellings(frame: pd.DataFrame, schema: Schema, source: str, seen: _Seen) -> None:
    """``one_spelling`` across inputs: a name written two ways in two files is refused."""
    for col in schema.columns:
        if not col.one_spelling:
            continue
        for value in pd.unique(frame[col.name].dropna()):
            key = (col.name, _spelling_key(value))
            first = seen.spelling.setdefault(key, (source, 0, value))
            if first[2] == value:
                continue
            row = _first_row(frame, col.name, value)
            raise EvalkitError(
                f"{first[0]} writes this name {quote(first[2])}: the two differ only in "
                "full-width/half-width characters or spaces, and would count as two "
                "different names; write them one way in every file (evalkit does not "
                "rewrite your data)",
                file=source,
                row=row,
                column=col.name,
                value=value,
            )


def _read(path: Path, schema: Schema, seen: _Seen) -> pd.DataFrame:
    """:func:`read_table`, then the checks across files and of municipality codes."""
    frame = read_table(path, schema)
    source = frame.attrs["source"]
    col = next((c for c in schema.columns if c.name == CODE_COLUMN), None)
    if col is not None and col.kind == "text":
        _check_codes(frame, source, seen)
    _check_spellings(frame, schema, source, seen)
    return frame


# ----------------------------------------------------------------------------- Parquet


def parquet_schema(schema: str | Schema):
    """The Arrow schema :func:`convert` writes for ``schema``'s columns.

    Months are text ``YYYY-MM`` (text sorts in time order, and pandas,
    DuckDB and Dask all read it as the same label); text is ``string``;
    whole numbers ``int64``; numbers and rates ``float64`` (``double``).
    Columns of a file that the schema does not list follow, as text.

    Examples
    --------
    >>> print(parquet_schema("runlog").to_string(show_schema_metadata=False))
    month: string not null
    municipality_code: string not null
    department: string not null
    task: string not null
    runs: int64 not null
    hours_before: double not null
    hours_after: double not null
    """
    import pyarrow as pa

    types = {
        "text": pa.string(),
        "month": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "rate": pa.float64(),
    }
    schema = schema_named(schema)
    return pa.schema(
        [pa.field(c.name, types[c.kind], nullable=c.nullable) for c in schema.columns],
        metadata={b"evalkit.schema": schema.name.encode()},
    )


def _plain_frame(frame: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """``frame`` with months as ``YYYY-MM`` text and other columns as text."""
    out = {}
    for name in frame.columns:
        s = frame[name]
        if isinstance(s.dtype, pd.PeriodDtype):
            s = pd.Series(s.dt.strftime("%Y-%m"), dtype="str", index=s.index)
        elif name not in schema.names and s.dtype == object:
            s = pd.Series([None if v is None else _as_text(v) for v in s], dtype="str")
        out[name] = s
    return pd.DataFrame(out, index=frame.index)


def _write_parquet(frame: pd.DataFrame, schema: Schema, path: Path, source: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    plain = _plain_frame(frame, schema)
    table = pa.Table.from_pandas(plain, preserve_index=False)
    fields = list(parquet_schema(schema))
    fields += [pa.field(n, pa.string()) for n in plain.columns if n not in schema.names]
    metadata = dict(table.schema.metadata or {})
    metadata[b"evalkit.schema"] = schema.name.encode()
    metadata[b"evalkit.source"] = source.encode()
    table = table.cast(pa.schema(fields, metadata=metadata))
    pq.write_table(table, path, compression="zstd")


# ----------------------------------------------------------------------------- inputs


class Converted(NamedTuple):
    """One input of :func:`convert`: where from, where to, how many rows."""

    source: Path
    target: Path
    rows: int
    #: False when ``target`` already held exactly this file and was left as it was.
    written: bool


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _has_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def _expand(sources: Iterable[Any]) -> list[Path]:
    """Files named by ``sources``: files, folders (their inputs, sorted), globs (sorted)."""
    if isinstance(sources, str | os.PathLike):
        sources = [sources]
    files: list[Path] = []
    for src in sources:
        if not isinstance(src, str | os.PathLike):
            raise EvalkitError(
                f"a source is a file, folder or glob pattern, got {type(src).__name__}", value=src
            )
        path = Path(src)
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.suffix.lower() in INPUT_SUFFIXES
                and p.is_file()
                and not p.name.startswith((".", "~$"))
            )
            if not found:
                raise EvalkitError(
                    f"no {', '.join(INPUT_SUFFIXES)} file in the folder", file=str(path)
                )
            files.extend(found)
        elif not path.exists() and _has_glob(str(src)):
            found = sorted(Path(p) for p in glob.glob(str(src)) if Path(p).is_file())
            if not found:
                raise EvalkitError("no file matches the pattern", file=str(src))
            files.extend(found)
        elif not path.exists():
            raise EvalkitError("file not found", file=str(path))
        else:
            files.append(path)
    unique: dict[Path, Path] = {}
    for f in files:  # the same file named twice (a folder and a file in it) is read once
        unique.setdefault(f.resolve(), f)
    if not unique:
        raise EvalkitError("no input files given")
    return list(unique.values())


def _targets(files: list[Path], out: Path) -> list[Path]:
    """``out/<stem>.parquet`` for each file; EvalkitError for two files of one stem."""
    by_stem: dict[str, Path] = {}
    for f in files:
        other = by_stem.setdefault(f.stem.casefold(), f)
        if other is not f:
            raise EvalkitError(
                f"two inputs would both be written to {f.stem}.parquet: {other} and {f}; "
                "rename one, or convert them into different folders",
                file=str(f),
            )
    return [out / f"{f.stem}.parquet" for f in files]


def convert(
    sources: Any,
    *,
    schema: str | Schema,
    out: str | os.PathLike,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> list[Converted]:
    """Read CSV/Excel files by evalkit's rules and write one typed Parquet file each.

    Parameters
    ----------
    sources : path, glob or folder, or a list of them
        Files (``.csv``, ``.tsv``, ``.xlsx``, ``.xlsm``), folders (every such
        file directly inside, sorted by name; hidden files and Excel lock
        files ``~$...`` skipped) and glob patterns (``"logs/*.csv"``, sorted).
        A file named twice is read once.
    schema : str or Schema
        The columns expected: a name from :data:`SCHEMA_NAMES` (``"runlog"``)
        or a :class:`~evalkit.Schema`.
    out : path
        Output folder, created if missing. Each input ``a.csv`` becomes
        ``out/a.parquet``.
    force : bool, default False
        Replace an existing output file that differs from the new one. An
        existing file identical to the new one is always left as it is.
    progress : callable, optional
        Called with one line of text per input read and written.

    Returns
    -------
    list of Converted
        ``(source, target, rows, written)`` per input, in input order.

    Raises
    ------
    EvalkitError
        As :func:`~evalkit.read_table` (naming the file, row, column and
        value), and for: an unknown schema name; a source that does not
        exist, an empty folder or a pattern matching nothing; two inputs
        with the same stem (``a.csv`` and ``a.xlsx``, or ``x/a.csv`` and
        ``y/a.csv``: both would be ``a.parquet``); an existing output file
        that differs from the new one, without ``force``; in a
        ``municipality_code`` column, a code that is not 5 digits or 6
        digits with a correct check digit, or codes of both widths across
        the inputs; in a ``one_spelling`` column, a name written two ways in
        two files.

    Notes
    -----
    - **Nothing half-written.** Every input is read and written to a hidden
      temporary file in ``out`` (``.a.parquet.*.tmp``) before any output
      file is touched; if any input fails, every temporary file is removed
      and no output file is created or replaced (an ``out`` folder created
      by the call is removed again). Only when all inputs are converted are
      the temporary files renamed to their final names, each rename atomic.
      A rename needs no new space, so a full disk cannot stop them; if one
      still fails (permissions changed meanwhile), the files renamed so far
      are complete and stay, and the other temporary files are removed.
      Ctrl-C during the conversion leaves no file; a machine that stops
      may leave hidden ``.tmp`` files, which neither ``*.parquet`` globs
      nor Parquet folder readers (they skip names starting with ``.``)
      read.
    - **Types.** See :func:`parquet_schema`: ``month`` is text ``YYYY-MM``,
      text columns ``string``, whole numbers ``int64``, numbers and rates
      ``double``. ``pandas.read_parquet`` gives back the frame
      :func:`~evalkit.read_table` gives, except months, which are text;
      ``pd.PeriodIndex(df["month"], freq="M")`` makes them Periods again.
      Each file records the schema name and the input's name in its
      metadata (``evalkit.schema``, ``evalkit.source``). Compression is zstd.
    - **Municipality codes** (a text column named ``municipality_code``):
      5 digits, or 6 digits whose last is the check digit of the first
      five (:func:`check_digit`); full-width digits are written as ASCII
      digits (a code is digits, like a number: ０１１００ and 01100 are one
      code), leading zeros kept. A code of 4 digits or fewer is refused
      with a hint: Excel drops the leading zero of a code typed as a
      number.
    - A workbook is read from the sheet :func:`~evalkit.read_table` reads by
      default (the active sheet, if visible). Each input is read whole into
      memory, one at a time: split very large CSV files, or convert them
      once and keep the Parquet files.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> text = ("年月,団体コード,所属,業務,件数,削減前時間,削減後時間\\n"
    ...         "令和元年５月,99101,総務課,照合,１２,３．５,０．５\\n")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     src = pathlib.Path(d) / "a.csv"
    ...     _ = src.write_bytes(text.encode("cp932"))
    ...     done = convert([src], schema="runlog", out=pathlib.Path(d) / "pq")
    ...     df = pd.read_parquet(done[0].target)
    >>> done[0].rows, done[0].target.name
    (1, 'a.parquet')
    >>> print(df.to_string(index=False))
      month municipality_code department task  runs  hours_before  hours_after
    2019-05             99101        総務課   照合    12           3.5          0.5
    >>> df.dtypes.astype(str).tolist()
    ['str', 'str', 'str', 'str', 'int64', 'float64', 'float64']
    """
    schema = schema_named(schema)
    if not isinstance(force, bool):
        raise EvalkitError("force must be True or False", value=force)
    say = progress or (lambda _: None)
    files = _expand(sources)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise EvalkitError("the output folder is a file", file=str(out))
    targets = _targets(files, out)
    for target in targets:
        if target.exists() and not target.is_file():
            raise EvalkitError("the output name is taken by a folder", file=str(target))
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    temps: list[Path] = []
    results: list[Converted] = []
    seen = _Seen()
    done = False
    try:
        for i, (src, target) in enumerate(zip(files, targets, strict=True), start=1):
            say(f"[{i}/{len(files)}] {src}: reading")
            frame = _read(src, schema, seen)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=out)
            os.close(fd)
            temp = Path(name)
            os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes it private
            temps.append(temp)
            _write_parquet(frame, schema, temp, src.name)
            unchanged = target.exists() and filecmp.cmp(temp, target, shallow=False)
            if target.exists() and not unchanged and not force:
                raise EvalkitError(
                    f"{target.name} already exists in {out} and differs from the "
                    f"conversion of {src.name}; nothing was written. Use --force "
                    "(force=True) to replace it, or choose another output folder",
                    file=str(target),
                )
            note = "unchanged" if unchanged else ("replaced" if target.exists() else "new")
            say(f"[{i}/{len(files)}] {src}: {len(frame):,} rows -> {target.name} ({note})")
            results.append(Converted(src, target, len(frame), not unchanged))
            del frame
        for temp, res in zip(temps, results, strict=True):
            if res.written:
                os.replace(temp, res.target)
        done = True
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)
        if created and not done and not any(out.iterdir()):
            out.rmdir()
    return results
