"""Where a page's figures come from, and executed notebooks without the analyst's paths.

- :func:`data_source`: the data folder's files (paths relative to ``--data``,
  or to the shipped sample data) with their size and SHA-256;
- :func:`parameter_defaults`: the values a notebook's ``parameters`` cell sets;
- :func:`notebook_provenance`: one notebook's record (evalkit version, run
  date, notebook hash, parameters, data files), kept in the manifest and
  written to ``provenance.json``, the pages and ``summary.xlsx``;
- :func:`relativise_notebook`: the executed notebook with its injected
  parameters written as relative paths (Japanese as text, not ``\\uXXXX``)
  and every absolute path of the build, output, data and notebooks folders
  in its outputs and metadata made relative.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

__all__ = [
    "JST",
    "data_source",
    "format_run_date",
    "notebook_provenance",
    "parameter_defaults",
    "provenance_json",
    "provenance_rows",
    "relativise_notebook",
    "render_parameters",
]

#: Japan Standard Time (no daylight saving time): the time pages show.
JST = timezone(timedelta(hours=9), "JST")
#: Files of a data folder recorded as inputs.
DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".parquet", ".json")
#: Text outputs in which absolute paths are made relative.
_TEXT_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_source(data_dir: Path | None) -> dict[str, Any]:
    """The data folder a run reads: how it was chosen, its name, and its data files.

    Parameters
    ----------
    data_dir : path or None
        ``--data``; None: the loaders' default (``EVALKIT_DATA`` or the shipped sample data).

    Returns
    -------
    dict
        ``folder`` (how it was given: ``--data``, ``EVALKIT_DATA`` or the
        shipped data, in Japanese), ``name`` (the folder's own name, never
        its absolute path) and ``files``: ``path`` (relative to the folder,
        ``/``-separated), ``size`` and ``sha256`` of every file with a suffix
        of :data:`DATA_SUFFIXES`, in path order; hidden files are skipped.
    """
    if data_dir is not None:
        folder, how = Path(data_dir), "--data で指定したフォルダ"
    else:
        from ..datasets.loaders import DATA_ENV, _data_dir

        folder, _ = _data_dir()
        how = (
            f"環境変数 {DATA_ENV} のフォルダ"
            if os.environ.get(DATA_ENV)
            else "同梱のサンプルデータ（合成データ）"
        )
    files = []
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if any(part.startswith(".") for part in rel.parts) or not path.is_file():
                continue
            if path.suffix.lower() not in DATA_SUFFIXES:
                continue
            files.append(
                {"path": rel.as_posix(), "size": path.stat().st_size, "sha256": _sha256(path)}
            )
    return {"folder": how, "name": folder.name, "files": files}


def parameter_defaults(notebook) -> dict[str, Any]:
    """The values the first cell tagged ``parameters`` assigns, in order.

    A value that is not a literal (``Path("x")``) is kept as its source text.
    """
    for cell in notebook.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            break
    else:
        return {}
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:
        return {}
    values: dict[str, Any] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            targets, node = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, node = [stmt.target], stmt.value
        else:
            continue
        try:
            value = ast.literal_eval(node)
            json.dumps(value)
        except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
            value = f"<式> {ast.unparse(node)}"
        for target in targets:
            if isinstance(target, ast.Name):
                values[target.id] = value
    return values


def notebook_provenance(
    *,
    source: Path,
    title: str,
    finished: datetime,
    defaults: Mapping[str, Any],
    given: Mapping[str, Any],
    data: Mapping[str, Any],
) -> dict[str, Any]:
    """One notebook's provenance record (JSON-ready).

    ``given`` are the parameters the run passed, with paths already relative
    (``data_dir`` as ``"."``, ``kpi_csv`` as ``kpis/NAME.csv``).
    """
    from .. import __version__

    return {
        "notebook": source.name,
        "notebook_sha256": _sha256(source),
        "title": title,
        "evalkit_version": __version__,
        "run_date": finished.astimezone(UTC).isoformat(timespec="seconds"),
        "parameters": {**dict(defaults), **dict(given)},
        "given": list(given),
        "data": dict(data),
    }


def format_run_date(iso: str | None) -> str:
    """An ISO time as Japanese readers write it, in Japan time.

    Examples
    --------
    >>> format_run_date("2026-12-02T04:31:30+00:00")
    '2026年12月2日 13:31（日本時間）'
    >>> format_run_date(None)
    '不明'
    """
    if not iso:
        return "不明"
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return str(iso)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    when = when.astimezone(JST)
    return f"{when.year}年{when.month}月{when.day}日 {when:%H:%M}（日本時間）"


def render_parameters(given: Mapping[str, Any]) -> str:
    """The injected-parameters cell as pages show it: relative paths, Japanese as text.

    Examples
    --------
    >>> print(render_parameters({"data_dir": ".", "label": "令和2年度", "n": [10, 20]}))
    # Parameters（evalkit report が設定。パスは --data・--out からの相対パス）
    data_dir = '.'  # --data で指定したフォルダ
    label = '令和2年度'
    n = [10, 20]
    """
    notes = {
        "data_dir": "  # --data で指定したフォルダ",
        "kpi_csv": "  # 出力フォルダ（--out）の中",
    }
    lines = ["# Parameters（evalkit report が設定。パスは --data・--out からの相対パス）"]
    lines += [f"{name} = {value!r}{notes.get(name, '')}" for name, value in given.items()]
    return "\n".join(lines)


def _replacements(folders: Iterable[Path | None]) -> list[tuple[str, str]]:
    """(absolute prefix, replacement) pairs, longest first.

    ``folder/`` becomes ``""`` (a relative path), ``folder`` alone ``.``.
    """
    pairs: dict[str, str] = {}
    for folder in folders:
        if folder is None:
            continue
        text = str(folder)
        if len(text) <= 1:
            continue
        pairs[text + os.sep] = ""
        if os.sep != "/":
            pairs[text.replace(os.sep, "/") + "/"] = ""
        pairs.setdefault(text, ".")
    home = str(Path.home())
    if len(home) > 1:
        pairs.setdefault(home, "~")
    return sorted(pairs.items(), key=lambda kv: -len(kv[0]))


def _relative_text(text: str, pairs: Sequence[tuple[str, str]]) -> str:
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


def relativise_notebook(
    notebook,
    *,
    given: Mapping[str, Any],
    source_name: str,
    executed_rel: str,
    folders: Iterable[Path | None],
):
    """Rewrite an executed notebook (in place) so that it holds no absolute path of this machine.

    - the cell papermill injected (tag ``injected-parameters``) becomes
      :func:`render_parameters` of ``given`` (relative paths, Japanese as text);
    - papermill's metadata names the notebook and its executed copy by
      relative paths and records ``given``;
    - in every cell's source and text outputs, a path under one of
      ``folders`` (build, output, data, notebooks folders), under the Python
      installation or the home folder is made relative (``~`` for the home folder).
    """
    folders = [*folders, Path(sys.prefix), Path(sys.base_prefix)]
    pairs = _replacements(folders)
    for cell in notebook.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags:
            cell.source = render_parameters(given)
        else:
            cell.source = _relative_text(cell.source, pairs)
        for output in cell.get("outputs", []):
            if "text" in output and isinstance(output["text"], str):
                output["text"] = _relative_text(output["text"], pairs)
            data = output.get("data", {})
            for mime in _TEXT_MIMES:
                if isinstance(data.get(mime), str):
                    data[mime] = _relative_text(data[mime], pairs)
            if "traceback" in output:
                output["traceback"] = [_relative_text(t, pairs) for t in output["traceback"]]
    meta = notebook.metadata.get("papermill")
    if meta is not None:
        meta["input_path"] = source_name
        meta["output_path"] = executed_rel
        meta["parameters"] = dict(given)
        if "environment_variables" in meta:
            meta["environment_variables"] = {}
    return notebook


def provenance_json(records: Mapping[str, Mapping[str, Any]]) -> str:
    """``provenance.json``: the evalkit version writing it, and each notebook's record."""
    from .. import __version__

    data = {
        "written_by": "evalkit report",
        "evalkit_version": __version__,
        "written": datetime.now(UTC).isoformat(timespec="seconds"),
        "notebooks": {stem: dict(rec) for stem, rec in sorted(records.items())},
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def _value_cell(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        return repr(value)
    return value


def provenance_rows(records: Mapping[str, Mapping[str, Any]]) -> list[list[Any]]:
    """The second sheet of ``summary.xlsx``: (ノートブック, 項目, 名前, 値) rows."""
    from .. import __version__

    written = datetime.now(UTC).isoformat(timespec="seconds")
    rows: list[list[Any]] = [
        ["", "作成日時 (written)", "summary.xlsx", format_run_date(written)],
        ["", "evalkit のバージョン (version)", "summary.xlsx", __version__],
    ]
    for _stem, rec in sorted(records.items()):
        name = rec.get("notebook", _stem)
        given = set(rec.get("given", []))
        rows.append([name, "表題 (title)", "", rec.get("title", "")])
        rows.append([name, "実行日時 (run date)", "", format_run_date(rec.get("run_date"))])
        rows.append([name, "evalkit のバージョン (version)", "", rec.get("evalkit_version", "")])
        rows.append([name, "ノートブックの SHA-256", name, rec.get("notebook_sha256", "")])
        for pname, value in rec.get("parameters", {}).items():
            how = "パラメータ（実行時に指定）" if pname in given else "パラメータ（既定値）"
            rows.append([name, how, pname, _value_cell(value)])
        data = rec.get("data", {})
        rows.append(
            [name, "データフォルダ (data folder)", data.get("name", ""), data.get("folder")]
        )
        for f in data.get("files", []):
            rows.append([name, "データファイルの SHA-256", f["path"], f["sha256"]])
    return rows
