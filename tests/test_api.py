"""The public API: every exported name exists, and `import evalkit` stays light."""

import subprocess
import sys

import evalkit


def test_every_exported_name_resolves():
    assert [n for n in evalkit.__all__ if not hasattr(evalkit, n)] == []


def test_unknown_attribute_is_an_attribute_error():
    try:
        evalkit.no_such_name  # noqa: B018
    except AttributeError as err:
        assert "no_such_name" in str(err)
    else:  # pragma: no cover - the assertion below reports it
        raise AssertionError("evalkit.no_such_name did not raise AttributeError")


def test_import_does_not_load_plotting_jupyter_or_scipy_stats():
    code = (
        "import sys, evalkit\n"
        "heavy = ['matplotlib', 'seaborn', 'papermill', 'nbconvert', 'scipy.stats']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_lazy_submodules_load_on_first_use():
    assert "before_after" in dir(evalkit.plots)
    assert callable(evalkit.datasets.load_minutes_work)
    assert "plots" in dir(evalkit)
