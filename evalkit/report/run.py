"""Running the notebooks: papermill with parameters, then pages and ``summary.csv``.

:func:`run_report` is a pipeline of named steps:

1. check the notebooks (they exist and read as notebooks; the names their
   ``parameters`` cell declares), the parameters (typed literals, declared
   by some notebook), the data folder and the output folder (not inside the
   notebooks or data folder; no file there that the report did not write);
2. take the output folder's lock, and in a temporary folder beside it, for
   each notebook (in name order): execute it with papermill, passing only the
   names it declares (``data_dir`` from ``--data``, ``kpi_csv`` where it
   writes its key figures, ``progress_sheet`` where it writes the year's
   progress sheet ``progress_sheet_fy<YEAR>.xlsx``, and the ``-p`` values);
   write the executed notebook
   to ``notebooks/`` with every absolute path made relative
   (:func:`~evalkit.report.provenance.relativise_notebook`), its key figures
   to ``kpis/`` (UTF-8 with BOM), and two self-contained HTML pages, without
   and with code, each opening with the 要点 block and ending with the
   provenance (no script, style or font is fetched from a network);
3. stack the key figures into ``summary.csv`` and ``summary.xlsx``, write
   ``provenance.json`` and ``index.html``;
4. only when every notebook succeeded, move the new files into the output
   folder and record them in its manifest (see :mod:`evalkit.report.output`).

A notebook that fails, or Ctrl-C, stops the report with the output folder as
it was; the error names the notebook and the cell.
"""

from __future__ import annotations

import difflib
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from ..errors import EvalkitError
from .kpis import KPI_COLUMNS
from .output import Manifest, OutputFolder, file_record
from .pages import (
    _write_index,
    code_page_name,
    export_html,
    page_title,
    provenance_block,
    summary_block,
    verdict_text,
    year_title,
)
from .params import check_parameters, check_rendering, declared_parameters, quote_value
from .provenance import (
    data_source,
    notebook_provenance,
    parameter_defaults,
    provenance_json,
    provenance_rows,
    relativise_notebook,
)
from .sheets import read_kpi_csv, write_kpi_csv, write_summary_xlsx

__all__ = ["default_notebook_dir", "run_report"]

_REPO = Path(__file__).resolve().parents[2]
#: Where a failed notebook is kept to be looked at (None: the system's temporary folder).
_FAILED_DIR: str | None = None
#: Parameters the command sets itself.
_SET_BY_REPORT = ("data_dir", "kpi_csv", "progress_sheet")
#: Files of the whole report (besides each notebook's own).
_REPORT_FILES = ("summary.csv", "summary.xlsx", "provenance.json", "index.html")


def default_notebook_dir() -> Path:
    """The repository's ``notebooks/`` folder (or ``EVALKIT_NOTEBOOKS`` when set)."""
    env = os.environ.get("EVALKIT_NOTEBOOKS")
    return Path(env) if env else _REPO / "notebooks"


#: Whether the kernel can talk over local sockets (IPC): not on Windows.
_IPC = os.name == "posix"


def _kernel_options(folder: str) -> dict:
    """Talk to the kernel over local sockets (IPC), or over encrypted TCP where there is no IPC.

    Over unencrypted TCP, even on the loopback address, ipykernel warns
    "Kernel is running over TCP without encryption". IPC sockets are files
    readable by the user only, in a private temporary folder. Windows has no
    IPC transport: there the kernel manager provisions CurveZMQ keys
    (jupyter_client's ``transport_encryption="auto"``, used when the
    kernelspec declares ``curve`` support, as ipykernel's does), so that the
    TCP traffic is encrypted and the warning is not printed; a pyzmq built
    without CurveZMQ keeps plain TCP, and the warning.
    """
    from jupyter_client.manager import AsyncKernelManager

    if _IPC:

        class IPCKernelManager(AsyncKernelManager):
            def __init__(self, **kwargs):
                kwargs.setdefault("transport", "ipc")
                kwargs.setdefault("ip", os.path.join(folder, "kernel"))
                super().__init__(**kwargs)

        return {"kernel_manager_class": IPCKernelManager}
    import zmq

    if not zmq.has("curve") or "transport_encryption" not in AsyncKernelManager.class_trait_names():
        return {}

    class EncryptedKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "tcp")
            super().__init__(**kwargs)
            self.transport_encryption = "auto"

    return {"kernel_manager_class": EncryptedKernelManager}


def _progress(message: str) -> None:
    print(console_safe(message, sys.stderr), file=sys.stderr, flush=True)


def console_safe(text: str, stream) -> str:
    """``text`` with the characters ``stream``'s encoding lacks replaced (``?``), never an error.

    A Japanese Windows console is CP932, which has no ``–`` (U+2013) or
    ``①``-like characters outside it: printing them would raise
    ``UnicodeEncodeError`` and stop the command after the report was written.

    Examples
    --------
    >>> import io
    >>> console_safe("満足度 83–87 %", io.TextIOWrapper(io.BytesIO(), encoding="cp932"))
    '満足度 83?87 %'
    """
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        return text.encode(encoding, errors="replace").decode(encoding, errors="replace")
    except LookupError:
        return text


@dataclass(frozen=True)
class _Source:
    """A notebook to run and the parameter names its ``parameters`` cell declares."""

    path: Path
    declared: tuple[str, ...]
    fiscal_year: object = None  # the default of its parameters cell, if any

    @property
    def stem(self) -> str:
        return self.path.stem

    def sheet_name(self, params: dict) -> str | None:
        """The progress sheet it writes (``progress_sheet_fy<YEAR>.xlsx``), if it declares one."""
        from ..scorecard.workbook import progress_sheet_file_name

        year = params.get("fiscal_year", self.fiscal_year)
        if "progress_sheet" not in self.declared or isinstance(year, bool):
            return None
        return progress_sheet_file_name(year) if isinstance(year, int) else None

    def files(self) -> list[str]:
        """The files it may add to the report, relative to the output folder."""
        return [
            f"{self.stem}.html",
            code_page_name(self.stem),
            f"notebooks/{self.path.name}",
            f"kpis/{self.stem}.csv",
        ]


def run_report(
    *,
    notebooks: Sequence[Path] | None = None,
    data_dir: Path | None = None,
    out_dir: Path = Path("reports"),
    parameters: dict | None = None,
) -> pd.DataFrame:
    """Execute the notebooks and write HTML pages, executed notebooks and ``summary.csv``.

    Parameters
    ----------
    notebooks : sequence of paths, optional
        Notebooks to run; default every ``NN_*.ipynb`` in :func:`default_notebook_dir`.
        Given, the run updates only these notebooks' files in ``out_dir`` and
        keeps the others of an earlier run (``summary.csv`` and ``index.html``
        cover them all).
    data_dir : path, optional
        Passed as ``data_dir`` to the notebooks that declare it (a folder that exists).
    out_dir : path
        Where the pages, ``notebooks/``, ``kpis/`` and ``summary.csv`` go; not
        the notebooks or data folder. Only files an earlier report wrote there
        (listed in its manifest ``.evalkit-report.json``) are replaced.
    parameters : dict, optional
        Notebook parameters: numbers, strings, booleans, None, and lists and
        dicts of those. Each notebook receives those its ``parameters`` cell
        declares; a name no notebook declares is an error.

    Returns
    -------
    pandas.DataFrame
        The key figures of the notebooks run (``summary.csv`` in ``out_dir``
        also keeps those of the notebooks kept from an earlier run).

    Raises
    ------
    EvalkitError
        Before any notebook runs, for a notebook, parameter, data folder or
        output folder that cannot be used, naming it; when a notebook fails,
        naming the notebook and the cell. The output folder is then unchanged.
    KeyboardInterrupt
        On Ctrl-C, after removing the temporary folder; the output folder is unchanged.
    """
    sources = _check_notebooks(notebooks)
    params = check_parameters(dict(parameters or {}))
    data_dir = _check_data_dir(data_dir, params)
    _check_names(params, sources)
    check_rendering({**params, **({"data_dir": str(data_dir)} if data_dir else {})})
    out = OutputFolder(out_dir, protected=_protected_folders(data_dir))
    try:
        out.open()
        sheets = [name for src in sources if (name := src.sheet_name(params))]
        out.check_clashes(
            [rel for src in sources for rel in src.files()] + sheets + list(_REPORT_FILES)
        )
        build = out.make_build_folder()
        entries, frames = _execute_all(sources, build, data_dir, params, out.path)
        manifest, summary, kept = _assemble(out, build, entries, frames, keep=notebooks is not None)
        out.commit(manifest, remove=out.manifest.listed())
    except EvalkitError as exc:
        state = _abandon(out)
        if state is None:
            raise
        fields = {"file": exc.file, "row": exc.row, "column": exc.column}
        if exc.has_value:
            fields["value"] = exc.value
        raise EvalkitError(f"{exc.reason}; {state}", **fields) from None
    except KeyboardInterrupt:
        state = _abandon(out) or "the output folder is unchanged"
        raise KeyboardInterrupt(f"interrupted (Ctrl-C); {state}") from None
    except BaseException:
        _abandon(out)
        raise
    finally:
        out.remove_build_folder()
        out.release()
    path = out.path / "summary.csv"
    note = f", {kept} kept from earlier runs" if kept else ""
    _progress(
        f"summary: {path}, {path.with_suffix('.xlsx').name} ({len(summary)} key figures{note}); "
        f"pages: {out.path / 'index.html'}"
    )
    return _stack(frames)


# -- step 1: checks -------------------------------------------------------------------------------


def _check_notebooks(notebooks: Sequence[Path] | None) -> list[_Source]:
    if notebooks is None:
        paths = sorted(default_notebook_dir().glob("[0-9][0-9]_*.ipynb"))
        if not paths:
            raise EvalkitError("no notebooks to run", file=str(default_notebook_dir()))
    else:
        paths = [resolve_notebook(p) for p in notebooks]
        if not paths:
            raise EvalkitError("no notebooks to run")
    sources = [_read_source(p) for p in paths]
    stems: dict[str, Path] = {}
    for src in sources:
        if src.stem in ("index", "summary", "provenance") or src.stem.endswith(".code"):
            raise EvalkitError(
                f"a notebook named {src.path.name} would make the page {src.stem}.html, which "
                "clashes with the report's own index.html, summary.csv, summary.xlsx, "
                "provenance.json or a page with code (NAME.code.html); rename it",
                file=src.path,
            )
        if src.stem in stems and stems[src.stem] != src.path:
            raise EvalkitError(
                f"two notebooks would make the same page {src.stem}.html: {stems[src.stem]} "
                f"and {src.path}",
                file=src.path,
            )
        stems[src.stem] = src.path
    return list({src.path: src for src in sources}.values())


def resolve_notebook(given: Path | str) -> Path:
    """The notebook ``--notebook`` names: a path, or a name in the notebooks folder.

    A value without a folder and without an extension is a name in
    :func:`default_notebook_dir`: the notebook's full name (``02_rpa_trial``)
    or the part before its first ``_`` (``02``). A name that matches no
    notebook, or several, is an error listing the notebooks. Anything else
    (``notebooks/02_rpa_trial.ipynb``, ``mine.ipynb``) is a path.
    """
    text = str(given)
    path = Path(text).expanduser()
    if "/" in text or "\\" in text or text.startswith("~") or path.suffix or not text:
        return path
    folder = default_notebook_dir()
    found = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    exact = [p for p in found if p.stem == text]
    if exact:
        return exact[0]
    matches = [p for p in found if p.stem.startswith(text + "_")]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(p.stem for p in found) or "(none)"
    if matches:
        raise EvalkitError(
            f"--notebook {text!r} is ambiguous: it names "
            f"{', '.join(p.stem for p in matches)}; give the full name",
            file=folder,
        )
    raise EvalkitError(
        f"--notebook {text!r}: no notebook of that name in the notebooks folder "
        f"(notebooks: {names}); give a name such as 02_rpa_trial or 02, or a path to an "
        ".ipynb file",
        file=folder,
    )


def _read_source(path: Path) -> _Source:
    import nbformat

    path = path.resolve()
    if not path.exists():
        raise EvalkitError("notebook not found", file=path)
    if path.is_dir():
        raise EvalkitError("is a folder, not a notebook (.ipynb file)", file=path)
    if path.suffix != ".ipynb":
        raise EvalkitError("not a notebook (an .ipynb file)", file=path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # papermill reads it again, and warns
            node = nbformat.read(str(path), as_version=4)
        if not isinstance(node.get("cells"), list):
            raise ValueError("it has no list of cells")
    except Exception as exc:  # a user's file: any failure to read it is bad input
        reason = str(exc).splitlines()[0] if str(exc) else ""
        raise EvalkitError(
            f"cannot be read as a Jupyter notebook ({type(exc).__name__}: {reason})", file=path
        ) from None
    try:
        declared = declared_parameters(node)
    except EvalkitError as exc:
        raise EvalkitError(exc.reason, file=path) from None
    from .provenance import parameter_defaults

    return _Source(path, declared, parameter_defaults(node).get("fiscal_year"))


def _check_data_dir(data_dir: Path | None, params: dict) -> Path | None:
    """The data folder (``--data``, or ``-p data_dir`` which it replaces), resolved and existing."""
    given = params.pop("data_dir", None)
    if given is not None:
        if data_dir is not None:
            raise EvalkitError(
                f"parameter 'data_dir', value {quote_value(given)}: the data folder is given "
                f"twice, by --data {data_dir} and by -p data_dir; give it once (--data)"
            )
        if not isinstance(given, str):
            raise EvalkitError(
                f"parameter 'data_dir', value {quote_value(given)}: the data folder is a path "
                "(text)"
            )
        data_dir = Path(given)
    if data_dir is None:
        return None
    data_dir = Path(data_dir).expanduser().resolve()
    if not data_dir.exists():
        raise EvalkitError("the data folder (--data) does not exist", file=data_dir)
    if not data_dir.is_dir():
        raise EvalkitError("the data folder (--data) is a file, not a folder", file=data_dir)
    return data_dir


def _check_names(params: dict, sources: Sequence[_Source]) -> None:
    for name, what in (
        ("kpi_csv", "where each notebook writes its key figures"),
        ("progress_sheet", "where notebook 03 writes the progress sheet"),
    ):
        if name in params:
            raise EvalkitError(
                f"parameter {name!r}, value {quote_value(params[name])}: evalkit report sets it "
                f"itself ({what})"
            )
    declared = {name for src in sources for name in src.declared}
    unknown = [name for name in params if name not in declared]
    if not unknown:
        return
    known = sorted(declared - set(_SET_BY_REPORT))
    hints = []
    for name in unknown:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        hints.append(f"parameter {name!r}, value {quote_value(params[name])}{hint}")
    names = ", ".join(src.path.name for src in sources)
    raise EvalkitError(
        f"{'; '.join(hints)}: no notebook run ({names}) declares "
        f"{'it' if len(unknown) == 1 else 'them'} in its parameters cell; "
        f"known parameters: {', '.join(known) or '(none)'}"
    )


def _protected_folders(data_dir: Path | None) -> list[tuple[Path, str]]:
    from ..datasets.loaders import _data_dir

    return [
        (_REPO / "notebooks", "notebooks folder"),
        (default_notebook_dir(), "notebooks folder"),
        (data_dir or _data_dir()[0], "data folder"),
        (_REPO / "data", "data folder"),
    ]


# -- step 2: running the notebooks ----------------------------------------------------------------


def _notebook_parameters(src: _Source, params: dict, data_dir: Path | None, build: Path) -> dict:
    """What one notebook receives: the names it declares, and nothing else."""
    given = dict(params)
    if data_dir is not None:
        given["data_dir"] = str(data_dir)
    given["kpi_csv"] = str(build / "kpis" / f"{src.stem}.csv")
    sheet = src.sheet_name(params)
    if sheet is not None:
        given["progress_sheet"] = str(build / sheet)
    return {name: value for name, value in given.items() if name in src.declared}


def _escape_braces(path: Path) -> str:
    """A path papermill's ``str.format`` of paths gives back unchanged (``{`` -> ``{{``)."""
    return str(path).replace("{", "{{").replace("}", "}}")


def _execute(source: Path, executed: Path, parameters: dict, sockets: str) -> None:
    """Execute one notebook with papermill into ``executed``."""
    import papermill as pm

    pm.execute_notebook(
        _escape_braces(source),
        _escape_braces(executed),
        parameters=parameters,
        kernel_name="python3",
        language="python",
        progress_bar=False,
        log_output=False,
        cwd=str(source.parent),
        **_kernel_options(sockets),
    )


def _execute_all(
    sources: Sequence[_Source],
    build: Path,
    data_dir: Path | None,
    params: dict,
    out_path: Path | None = None,
) -> tuple[list[dict], list[pd.DataFrame]]:
    from papermill.exceptions import PapermillExecutionError

    (build / "notebooks").mkdir()
    (build / "kpis").mkdir()
    entries, frames = [], []
    data = data_source(data_dir)
    with tempfile.TemporaryDirectory(prefix="evalkit-kernel-") as sockets:
        for i, src in enumerate(sources, start=1):
            _progress(f"[{i}/{len(sources)}] {src.path.name}: running")
            started = time.perf_counter()
            kpi_csv = build / "kpis" / f"{src.stem}.csv"
            given = _notebook_parameters(src, params, data_dir, build)
            sheet = src.sheet_name(params)
            executed = build / "notebooks" / src.path.name
            try:
                _execute(src.path, executed, given, sockets)
            except PapermillExecutionError as exc:
                kept = _keep_failed(executed)
                raise EvalkitError(
                    f"notebook failed in cell {exc.cell_index} (execution count "
                    f"{exc.exec_count}): {exc.ename}: {exc.evalue}"
                    + (f"; the executed notebook, up to that cell, is {kept}" if kept else ""),
                    file=src.path.name,
                ) from None
            kpis = None
            if kpi_csv.exists():
                kpis = read_kpi_csv(kpi_csv)
                write_kpi_csv(kpis, kpi_csv)  # UTF-8 with BOM, neutralised, 10 digits
                kpis.insert(0, "notebook", src.path.name)
                frames.append(kpis)
            finished = datetime.now(UTC)
            folders = [build, out_path, data_dir]
            entry = _pages(src, build, executed, kpis, given, data, folders, finished)
            given.pop("kpi_csv", None)
            given.pop("progress_sheet", None)
            entries.append(
                {
                    "stem": src.stem,
                    "sheets": [sheet] if sheet and (build / sheet).exists() else [],
                    "source": str(src.path),
                    "finished": finished.isoformat(timespec="seconds"),
                    "data_dir": given.pop("data_dir", None),
                    "parameters": given,
                    **entry,
                }
            )
            elapsed = time.perf_counter() - started
            _progress(f"[{i}/{len(sources)}] {src.path.name}: done in {elapsed:.1f} s")
    return entries, frames


def _pages(
    src: _Source,
    build: Path,
    executed: Path,
    kpis: pd.DataFrame | None,
    given: dict,
    data: dict,
    folders: list,
    finished: datetime,
) -> dict:
    """Clean the executed notebook of absolute paths, write its two pages; title, verdict,
    provenance for the manifest."""
    import nbformat

    from ..datasets.loaders import _data_dir

    node = nbformat.read(str(executed), as_version=4)
    title = year_title(
        page_title(node, src.stem), {**parameter_defaults(node), **given}.get("fiscal_year")
    )
    verdict = verdict_text(node)
    shown = dict(given)
    if "data_dir" in shown:
        shown["data_dir"] = "."
    if "kpi_csv" in shown:
        shown["kpi_csv"] = f"kpis/{src.stem}.csv"
    if "progress_sheet" in shown:
        shown["progress_sheet"] = Path(shown["progress_sheet"]).name
    relativise_notebook(
        node,
        given=shown,
        source_name=src.path.name,
        executed_rel=f"notebooks/{src.path.name}",
        folders=[*folders, _data_dir()[0], src.path.parent, _REPO],
    )
    nbformat.write(node, str(executed))
    record = notebook_provenance(
        source=src.path,
        title=title,
        finished=finished,
        defaults=parameter_defaults(node),
        given=shown,
        data=data,
    )
    confidence = record["parameters"].get("confidence")
    bottom = provenance_block(src.stem, record)
    for code, page, other in (
        (False, f"{src.stem}.html", ("コード付きのページ (with code)", code_page_name(src.stem))),
        (True, code_page_name(src.stem), ("コードなしのページ", f"{src.stem}.html")),
    ):
        top = summary_block(
            kpis,
            title=title,
            verdict=verdict,
            links=[other, ("一覧 (index)", "index.html")],
            confidence=confidence,
        )
        export_html(executed, build / page, code=code, title=title, top=top, bottom=bottom)
    return {"title": title, "verdict": verdict, "provenance": record}


def _keep_failed(executed: Path) -> Path | None:
    """Copy a failed notebook out of the build folder (which is removed) to look at it."""
    if not executed.exists():
        return None
    kept = Path(tempfile.mkdtemp(prefix="evalkit-failed-", dir=_FAILED_DIR)) / executed.name
    shutil.copy2(executed, kept)
    return kept


# -- steps 3 and 4: summary, index, manifest ------------------------------------------------------


def _stack(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if frames:
        return pd.concat(frames, ignore_index=True)
    return pd.DataFrame(columns=["notebook", *KPI_COLUMNS])


def _assemble(
    out: OutputFolder, build: Path, entries: list[dict], frames: list, *, keep: bool
) -> tuple[Manifest, pd.DataFrame, int]:
    """Write ``summary.csv``, ``summary.xlsx``, ``provenance.json`` and ``index.html`` into
    ``build``; the new manifest.

    With ``keep`` (a run of chosen notebooks), the notebooks of the previous
    manifest that did not run now stay, with those of their files that are
    unchanged; their key figures come from their ``kpis/`` file, their
    title, verdict and provenance from the previous manifest.
    """
    old = out.manifest
    run_now = {e["stem"] for e in entries}
    manifest = Manifest()
    frames = list(frames)
    kept = 0
    for entry in entries:
        stem, name = entry["stem"], Path(entry["source"]).name
        made = (f"{stem}.html", code_page_name(stem), f"notebooks/{name}", f"kpis/{stem}.csv")
        made += tuple(entry.pop("sheets", ()))
        entry["files"] = [rel for rel in made if (build / rel).exists()]
        manifest.notebooks[entry["stem"]] = {k: v for k, v in entry.items() if k != "stem"}
    if keep:
        for stem, info in old.notebooks.items():
            if stem in run_now:
                continue
            files = [rel for rel in info.get("files", []) if old.owns(out.path, rel)]
            if not files:
                continue
            manifest.notebooks[stem] = {**info, "files": files}
            manifest.files.update({rel: file_record(out.path / rel) for rel in files})
            if f"kpis/{stem}.csv" in files:
                kpis = read_kpi_csv(out.path / f"kpis/{stem}.csv")
                kpis.insert(0, "notebook", Path(info.get("source", stem + ".ipynb")).name)
                frames.append(kpis)
                kept += len(kpis)
    frames.sort(key=lambda f: str(f["notebook"].iloc[0]) if len(f) else "")
    summary = _stack(frames)
    write_kpi_csv(summary, build / "summary.csv")
    records = {
        stem: info["provenance"]
        for stem, info in manifest.notebooks.items()
        if info.get("provenance")
    }
    write_summary_xlsx(summary, provenance_rows(records), build / "summary.xlsx")
    (build / "provenance.json").write_text(provenance_json(records), encoding="utf-8")
    index = [
        {
            "stem": stem,
            **info,
            "this_run": stem in run_now,
            "page": f"{stem}.html" in info["files"],
            "code_page": code_page_name(stem) in info["files"],
        }
        for stem, info in sorted(manifest.notebooks.items())
    ]
    _write_index(build / "index.html", index, summary)
    for path in sorted(build.rglob("*")):
        if path.is_file():
            manifest.files[path.relative_to(build).as_posix()] = file_record(path)
    return manifest, summary, kept


def _abandon(out: OutputFolder) -> str | None:
    """Remove the temporary folder of a failed or interrupted run; say what the output is now.

    None when the run stopped before building anything (a check failed).
    """
    build = out.remove_build_folder()
    if build is None:
        return None
    if out.moving:
        state = f"the report in {out.path} may be partly replaced: run it again"
    elif out.manifest.files:
        state = f"the previous report in {out.path} is unchanged"
    else:
        state = f"nothing was written to {out.path}"
    _progress(f"evalkit report: removed the temporary folder {build}; {state}")
    return state
