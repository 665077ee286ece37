"""The public API: every exported name exists, and `import evalkit` stays light."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

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
    # duckdb, dask and distributed load only when a path, relation or Dask frame is given.
    # pandas 3 itself imports pyarrow when installed; evalkit must not add its Parquet
    # reader (pyarrow.parquet) or datasets.
    code = (
        "import sys, evalkit\n"
        "heavy = ['matplotlib', 'seaborn', 'papermill', 'nbconvert', 'scipy.stats',\n"
        "         'duckdb', 'dask', 'distributed', 'pyarrow.parquet', 'pyarrow.dataset']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_lazy_submodules_load_on_first_use():
    assert "before_after" in dir(evalkit.plots)
    assert callable(evalkit.datasets.load_minutes_work)
    assert "plots" in dir(evalkit)


def _api_table_names():
    """Every name in the first column of README's API table, as ``evalkit.<name>`` addresses.

    In a row such as ``plots.before_after``, ``saved_by``, the names after the
    first dotted one belong to the same subpackage.
    """
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("\n## API\n", 1)[1].split("\n## ", 1)[0]
    names = []
    for line in table.splitlines():
        if not line.startswith("| `") or line.startswith("| `evalkit report"):
            continue
        prefix = ""
        for code in re.findall(r"`([^`]+)`", line.split(" | ", 1)[0]):
            if code.startswith("evalkit "):  # a command, not a name
                continue
            name = code.split("(", 1)[0].strip()
            if "=" in name:  # an argument such as `path=None`
                continue
            if "." in name:
                prefix, name = name.rsplit(".", 1)
            names.append(f"{prefix}.{name}" if prefix else name)
    return sorted(set(names))


def test_readme_api_table_lists_only_names_that_import():
    names = _api_table_names()
    assert {"reduction", "plots.milestones", "scorecard.load_indicators", "read_table"} <= set(
        names
    )
    missing = []
    for name in names:
        obj = evalkit
        for part in name.split("."):
            obj = getattr(obj, part, None)
        if obj is None:
            missing.append(name)
    assert missing == []


@pytest.mark.parametrize(
    ("statement", "name"),
    [
        ("from evalkit.usage import usage", "usage"),
        ("from evalkit.reduction import reduction", "reduction"),
        ("from evalkit.satisfaction import target_sensitivity", "target_sensitivity"),
        ("from evalkit.conversions import expected_savings", "expected_savings"),
        ("from evalkit.tables import read_table", "read_table"),
        ("from evalkit.fiscal import parse_month", "parse_month"),
        ("from evalkit.kpis import kpi_table", "kpi_table"),
        ("from evalkit.scales import get_scale", "get_scale"),
    ],
)
def test_module_paths_of_version_0_1_keep_working(statement, name):
    namespace = {}
    exec(statement, namespace)
    assert namespace[name] is getattr(evalkit, name)


def test_module_attributes_of_version_0_1_keep_working():
    assert evalkit.satisfaction.target_sensitivity is evalkit.target_sensitivity
    assert evalkit.conversions.expected_savings is evalkit.expected_savings
    assert callable(evalkit.usage) and callable(evalkit.reduction)  # the functions, as in 0.1
