"""Running the notebooks: papermill with parameters, then pages and ``summary.csv``.

For each ``notebooks/NN_*.ipynb`` (in name order) :func:`run_report`

1. executes it with papermill, injecting ``data_dir`` (``--data``), every
   ``-p name=value`` and ``kpi_csv`` (where the notebook writes its key figures);
2. writes the executed notebook to ``OUT/notebooks/`` and a self-contained
   HTML page to ``OUT/`` (no script, style or font is fetched from a network);
3. stacks the key figures of all notebooks into ``OUT/summary.csv``.

A notebook that fails stops the report with an error naming the notebook
and the cell.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..errors import EvalkitError
from .kpis import KPI_COLUMNS
from .pages import _write_index, export_html

__all__ = ["default_notebook_dir", "run_report"]

_REPO = Path(__file__).resolve().parents[2]


def default_notebook_dir() -> Path:
    """The repository's ``notebooks/`` folder (or ``EVALKIT_NOTEBOOKS`` when set)."""
    env = os.environ.get("EVALKIT_NOTEBOOKS")
    return Path(env) if env else _REPO / "notebooks"


def _kernel_options(folder: str) -> dict:
    """Talk to the kernel over local sockets (IPC) where the platform has them.

    Over TCP, even on the loopback address, ipykernel warns that the traffic
    is unencrypted; IPC sockets are files readable by the user only, in a
    private temporary folder. Windows has no IPC transport and keeps TCP.
    """
    if os.name != "posix":
        return {}
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", os.path.join(folder, "kernel"))
            super().__init__(**kwargs)

    return {"kernel_manager_class": IPCKernelManager}


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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
    data_dir : path, optional
        Passed to every notebook as its ``data_dir`` parameter.
    out_dir : path
        Where the pages, ``notebooks/`` and ``summary.csv`` go.
    parameters : dict, optional
        Further notebook parameters (a notebook receives those it declares... and
        papermill injects all of them, so use names the notebooks know).

    Returns
    -------
    pandas.DataFrame
        The summary, also written to ``out_dir / "summary.csv"``.

    Raises
    ------
    EvalkitError
        When a notebook fails; the message names the notebook and the cell.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    if notebooks is None:
        notebooks = sorted(default_notebook_dir().glob("[0-9][0-9]_*.ipynb"))
    notebooks = [Path(p).resolve() for p in notebooks]
    if not notebooks:
        raise EvalkitError("no notebooks to run", file=str(default_notebook_dir()))
    out_dir = Path(out_dir).resolve()
    executed_dir = out_dir / "notebooks"
    executed_dir.mkdir(parents=True, exist_ok=True)
    kpi_dir = out_dir / "kpis"
    kpi_dir.mkdir(exist_ok=True)
    frames = []
    with tempfile.TemporaryDirectory(prefix="evalkit-kernel-") as sockets:
        for i, nb in enumerate(notebooks, start=1):
            _progress(f"[{i}/{len(notebooks)}] {nb.name}: running")
            started = time.perf_counter()
            params = dict(parameters or {})
            if data_dir is not None:
                params["data_dir"] = str(Path(data_dir).resolve())
            kpi_csv = kpi_dir / f"{nb.stem}.csv"
            kpi_csv.unlink(missing_ok=True)
            params["kpi_csv"] = str(kpi_csv)
            executed = executed_dir / nb.name
            try:
                pm.execute_notebook(
                    str(nb),
                    str(executed),
                    parameters=params,
                    kernel_name="python3",
                    progress_bar=False,
                    log_output=False,
                    cwd=str(nb.parent),
                    **_kernel_options(sockets),
                )
            except PapermillExecutionError as exc:
                raise EvalkitError(
                    f"notebook failed in cell {exc.cell_index} (execution count {exc.exec_count}): "
                    f"{exc.ename}: {exc.evalue}; the executed notebook is {executed}",
                    file=nb.name,
                ) from None
            page = export_html(executed, out_dir / f"{nb.stem}.html")
            if kpi_csv.exists():
                kpis = pd.read_csv(kpi_csv)
                kpis.insert(0, "notebook", nb.name)
                frames.append(kpis)
            elapsed = time.perf_counter() - started
            _progress(f"[{i}/{len(notebooks)}] {nb.name}: done in {elapsed:.1f} s -> {page}")
    if frames:
        summary = pd.concat(frames, ignore_index=True)
    else:
        summary = pd.DataFrame(columns=["notebook", *KPI_COLUMNS])
    summary.to_csv(out_dir / "summary.csv", index=False)
    _write_index(out_dir, notebooks, summary)
    _progress(f"summary: {out_dir / 'summary.csv'} ({len(summary)} key figures)")
    return summary
