"""evalkit charts in a real Jupyter kernel: each shows by itself, and so do the figures after it.

The first figure of a kernel session loads matplotlib's inline backend, which
switches interactive mode on; interactive mode is what shows every figure at
the end of its cell without ``plt.show()``. A chart drawn inside
``matplotlib.rc_context`` used to undo that on exit, so after a first evalkit
chart no figure showed. These tests run small notebooks, built here, in a
``python3`` kernel, as the report runner does (IPC sockets, no TCP warning):
one with evalkit charts as the first figures of the session, and the
README's "Reuse evalkit in your own notebook" example exactly as written.
"""

import json
import os
import re
import tempfile
from pathlib import Path

import nbformat
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
SAMPLES = REPO / "data" / "voice_recognition"

# Parameters a chart could disturb: the font (charts draw in IPAexGothic), the
# grid and size a seaborn theme sets, and the colour cycle.
RC_KEYS = ["font.family", "axes.grid", "figure.figsize", "axes.prop_cycle", "legend.fontsize"]


def _kernel_manager(folder):
    """A kernel manager talking over local sockets (IPC) where the platform has them."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            if os.name == "posix":
                kwargs.setdefault("transport", "ipc")
                kwargs.setdefault("ip", os.path.join(folder, "kernel"))
            super().__init__(**kwargs)

    return IPCKernelManager


def _run(sources, cwd):
    """Execute one notebook cell per source in a fresh python3 kernel; return the cells."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python"}
    # tests/conftest.py sets the Agg backend for this process; the kernel must
    # use Jupyter's own inline backend, as a notebook does.
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    with tempfile.TemporaryDirectory(prefix="evalkit-kernel-") as sockets:
        client = NotebookClient(
            nb,
            kernel_name="python3",
            timeout=300,
            kernel_manager_class=_kernel_manager(sockets),
        )
        client.execute(cwd=str(cwd), env=env)
    for number, cell in enumerate(nb.cells):
        for out in cell.outputs:
            assert out.output_type != "error", f"cell {number}: {out.ename}: {out.evalue}"
            assert not (out.output_type == "stream" and out.name == "stderr"), (
                f"cell {number} wrote to stderr: {out.text[:500]!r}"
            )
    return nb.cells


def _images(cell):
    return [out for out in cell.outputs if "image/png" in out.get("data", {})]


def _printed(cell):
    """The JSON object the cell printed last."""
    text = "".join(out.text for out in cell.outputs if out.output_type == "stream")
    return json.loads(text.strip().splitlines()[-1])


_SETUP = f"""\
import json
import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from evalkit import plots

def state():
    rc = {{k: repr(matplotlib.rcParams[k]) for k in {RC_KEYS!r}}}
    print(json.dumps({{"interactive": plt.isinteractive(), "rc": rc}}))

state()
"""

_BEFORE_AFTER = """\
plots.before_after(pd.DataFrame({"unit": ["総務課", "財政課"], "before": [30.0, 20.0],
                                 "after": [12.0, 9.0]}))"""

_ESTIMATE = """\
plots.estimate_vs_target(pd.DataFrame({"metric": ["満足度"], "value": [0.84],
                                       "ci_low": [0.75], "ci_high": [0.9], "target": [0.7]}))"""


def test_charts_show_by_themselves_and_so_does_the_figure_after_them(tmp_path):
    cells = _run(
        [
            _SETUP,  # 0
            _BEFORE_AFTER,  # 1: the first figure of the session, which loads the backend
            _ESTIMATE,  # 2
            "fig, ax = plt.subplots(); ax.plot([1, 2])",  # 3: a plain matplotlib figure
            "state()",  # 4
            f"{_ESTIMATE}\nstate()",  # 5
            "plt.ioff()\nstate()",  # 6
            f"{_BEFORE_AFTER}\nstate()",  # 7
        ],
        tmp_path,
    )
    for number in (1, 2, 3, 5):
        assert len(_images(cells[number])) == 1, f"cell {number} shows no figure"
    fresh, after, on, ioff, still_off = (_printed(cells[n]) for n in (0, 4, 5, 6, 7))
    # the parameters are as before the charts
    assert after["rc"] == fresh["rc"]
    # In a fresh kernel, interactive mode is off until the first figure loads the
    # inline backend, which switches it on, as a plain plt.subplots() does; the
    # chart that loaded it must leave it on.
    assert fresh["interactive"] is False
    assert after["interactive"] is True
    # once the backend is loaded, a chart leaves interactive mode as it finds it: on, or off
    assert on == after
    assert ioff["interactive"] is False
    assert still_off == ioff


def _readme_example():
    """The code block of README's "Reuse evalkit in your own notebook", one source per cell."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Reuse evalkit in your own notebook\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1, "the section should hold one python example"
    cells = [c.strip() for c in re.split(r"^# %%.*$", blocks[0], flags=re.MULTILINE)]
    return [c for c in cells if c]


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="no sample data")
def test_readme_notebook_example_runs_as_written_and_shows_every_chart(tmp_path):
    sources = _readme_example()
    # The files the example reads, with the sample data in them: the minutes as
    # a workbook, the questionnaire as a CP932 (Shift_JIS) CSV, as Excel writes it.
    pd.read_csv(SAMPLES / "minutes_work.csv").to_excel(
        tmp_path / "所属別_議事録作成時間.xlsx", index=False
    )
    survey = (SAMPLES / "satisfaction_survey.csv").read_text(encoding="utf-8")
    (tmp_path / "満足度調査.csv").write_bytes(survey.encode("cp932"))
    cells = _run(sources, tmp_path)
    charts = [n for n, s in enumerate(sources) if "plots." in s]
    assert len(charts) >= 2
    for number, (source, cell) in enumerate(zip(sources, cells, strict=True)):
        shown = len(_images(cell))
        assert shown == (1 if number in charts else 0), (
            f"cell {number} shows {shown} figures:\n{source}"
        )
    assert "text/html" in cells[0].outputs[-1].data, "the result should show as a table"
