"""environment.yml (conda) and pyproject.toml (pip, Makefile, CI) must pin the same versions."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _pyproject_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs.extend(extra)
    pins, loose = {}, []
    for spec in specs:
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;,]+)", spec.strip())
        if m:
            pins[m.group(1).lower()] = m.group(2)
        else:
            loose.append(spec)
    return pins, loose, project["requires-python"]


def _environment():
    """Parse environment.yml's dependency list (plain block YAML, no anchors)."""
    conda, pip, in_pip = {}, [], False
    python = None
    in_deps = False
    for raw in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if not raw.startswith(" "):
            in_deps = line.startswith("dependencies:")
            continue
        if not in_deps:
            continue
        item = line.strip()
        if item == "- pip:":
            in_pip = True
            continue
        if in_pip and raw.startswith("      "):
            pip.append(item.removeprefix("- ").strip())
            continue
        in_pip = False
        name_spec = item.removeprefix("- ").strip()
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(.*)", name_spec)
        name, spec = m.group(1).lower(), m.group(2)
        if name == "python":
            python = spec
        elif name != "pip":
            conda[name] = spec
    return conda, pip, python


def test_every_pin_is_exact_and_mirrored_in_environment_yml():
    pins, _, _ = _pyproject_pins()
    conda, pip, _ = _environment()
    assert "-e .[test,dask]" in pip, (
        "environment.yml must install evalkit itself with pip: -e .[test,dask]"
    )
    # installed through `-e .` from PyPI (not on conda-forge under these names)
    only_from_pip = {"matplotlib-fontja", "differences", "csdid", "duckdb"}
    for name, version in pins.items():
        if name in only_from_pip:
            continue
        assert name in conda, (
            f"{name}=={version} is pinned in pyproject.toml but not in environment.yml"
        )
        assert conda[name] in (f"={version}", f"=={version}"), (
            f"{name}: pyproject.toml pins {version}, environment.yml has {conda[name]!r}"
        )


def test_environment_yml_pins_nothing_that_pyproject_does_not():
    pins, _, _ = _pyproject_pins()
    conda, _, _ = _environment()
    for name, spec in conda.items():
        assert name in pins, f"environment.yml lists {name}{spec}, pyproject.toml does not pin it"


@pytest.mark.parametrize(
    "name", ["numpy", "pandas", "scipy", "matplotlib", "seaborn", "ipykernel", "nbval"]
)
def test_output_changing_packages_are_pinned_exactly(name):
    pins, _, _ = _pyproject_pins()
    assert name in pins, f"{name} changes what notebooks print and must be pinned with =="


def test_python_versions_agree():
    _, _, requires = _pyproject_pins()
    _, _, python = _environment()
    low = re.search(r">=\s*(3\.\d+)", requires).group(1)
    assert python is not None and f">={low}" in python.replace(" ", "")
