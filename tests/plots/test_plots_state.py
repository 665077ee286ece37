"""Charts leave matplotlib's global state as they found it: rcParams and interactive mode.

In Jupyter, the first figure of a session loads the inline backend, and
loading it switches interactive mode on (IPython's ``activate_matplotlib``);
interactive mode is what makes every later figure show without
``plt.show()``. Charts used to draw inside ``matplotlib.rc_context``, which
on exit restored every parameter, ``interactive`` included, to its value
before the backend was loaded: after a first evalkit chart no figure showed.
``test_the_first_chart_keeps_what_loading_the_backend_set`` replays that with
a stand-in backend; tests/test_notebook_display.py does it in a real kernel.
"""

import copy
import os
import pickle
import subprocess
import sys

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from plots_helpers import CHART_FUNCTIONS, EVERY_CHART_NAMES, ONE_PER_FUNCTION, render

from evalkit import plots


def _rc():
    return copy.deepcopy(dict(matplotlib.rcParams))


def _changed(before):
    return sorted(k for k, v in matplotlib.rcParams.items() if before[k] != v)


@pytest.fixture(params=["ioff-defaults", "ion-set_theme"])
def user_state(request):
    """The state a notebook may be in: interactive mode off or on, defaults or a theme."""
    was = matplotlib.is_interactive()
    with matplotlib.rc_context():
        interactive = request.param.startswith("ion")
        matplotlib.interactive(interactive)
        if request.param.endswith("set_theme"):
            plots.set_theme()
        yield interactive
    matplotlib.interactive(was)


def test_the_fixtures_cover_every_public_chart_function():
    others = {"FONT_NAME", "FONT_FAMILY", "set_theme", "japanese_font"}
    assert CHART_FUNCTIONS == set(plots.__all__) - others
    assert {name.removesuffix("_unit") for name in ONE_PER_FUNCTION} == CHART_FUNCTIONS
    assert set(ONE_PER_FUNCTION) <= set(EVERY_CHART_NAMES)


def test_chart_leaves_rcparams_and_interactive_mode_as_found(every_chart, user_state):
    _, func, data, kwargs = every_chart
    before = _rc()
    render(func(data, **kwargs))
    _, given = plt.subplots()
    render(func(data, ax=given, **kwargs))
    assert matplotlib.is_interactive() is user_state
    assert plt.isinteractive() is user_state
    assert _changed(before) == []


def test_a_failed_chart_leaves_rcparams_alone_and_closes_its_new_figure(monkeypatch):
    from evalkit.plots import savings

    def broken(*args, **kwargs):
        raise RuntimeError("broken while drawing")

    monkeypatch.setattr(savings, "_legend", broken)
    before, figures = _rc(), plt.get_fignums()
    frame = pd.DataFrame({"unit": ["総務課"], "before": [3.0], "after": [1.0]})
    with pytest.raises(RuntimeError, match="broken while drawing"):
        plots.before_after(frame)
    assert plt.get_fignums() == figures
    assert _changed(before) == []
    _, given = plt.subplots()
    with pytest.raises(RuntimeError, match="broken while drawing"):
        plots.before_after(frame, ax=given)
    assert plt.fignum_exists(given.figure.number), "the caller's figure is the caller's"


# A stand-in for Jupyter's inline backend: loading it switches interactive mode
# on, as matplotlib_inline does through IPython's activate_matplotlib, and sets
# a parameter, as matplotlib_inline's InlineBackend.rc may.
_BACKEND = """\
import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg as FigureCanvas

matplotlib.interactive(True)
matplotlib.rcParams["figure.dpi"] = 72.0
"""

_SCRIPT = """\
import os, pickle, sys, traceback
import matplotlib
import matplotlib.pyplot as plt
from evalkit import plots


def first_chart(name, data, kwargs):
    assert not matplotlib.is_interactive(), "the backend is not loaded yet"
    before = dict(matplotlib.rcParams)
    ax = getattr(plots, name)(data, **kwargs)
    assert matplotlib.get_backend() == "module://stand_in_backend", matplotlib.get_backend()
    assert matplotlib.is_interactive(), "interactive mode, switched on by the backend, is off"
    assert matplotlib.rcParams["figure.dpi"] == 72.0, "the backend's parameter was undone"
    changed = [k for k, v in matplotlib.rcParams.items()
               if k not in ("backend", "interactive", "figure.dpi") and before[k] != v]
    assert not changed, changed
    ax.figure.savefig(__import__("io").BytesIO())


# each chart in a forked copy of this process, whose pyplot has loaded no backend yet
failed = []
for name, data, kwargs in pickle.load(open(sys.argv[1], "rb")):
    pid = os.fork()
    if pid == 0:
        try:
            first_chart(name, data, kwargs)
        except BaseException:
            print(f"{name}:", file=sys.stderr)
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(1)
        os._exit(0)
    if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0:
        failed.append(name)
assert not failed, failed
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_the_first_chart_keeps_what_loading_the_backend_set(chart_calls, tmp_path):
    calls = [chart_calls[name] for name in ONE_PER_FUNCTION]
    (tmp_path / "stand_in_backend.py").write_text(_BACKEND, encoding="utf-8")
    (tmp_path / "first_chart.py").write_text(_SCRIPT, encoding="utf-8")
    with open(tmp_path / "charts.pkl", "wb") as f:
        pickle.dump([(func.__name__, data, kwargs) for _, func, data, kwargs in calls], f)
    env = dict(os.environ)
    env["MPLBACKEND"] = "module://stand_in_backend"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(tmp_path), env.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, "-W", "error", str(tmp_path / "first_chart.py"), "charts.pkl"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
