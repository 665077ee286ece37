"""The committed notebooks: conventions of their stored form, and the nbval regression check.

The notebooks themselves are re-executed and compared by
``pytest --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg notebooks``.
These tests check what that run relies on: every notebook is stored executed, in
order, without errors or warnings, with a papermill ``parameters`` cell of plain
values; and a changed number in a stored output does make the nbval run fail.
"""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
SANITIZE = NOTEBOOK_DIR / "sanitize.cfg"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def _read(path):
    return nbformat.read(str(path), as_version=4)


def _code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def test_the_notebooks_are_there():
    names = [p.name for p in NOTEBOOKS]
    assert "01_voice_recognition.ipynb" in names
    assert "02_rpa_trial.ipynb" in names


def test_sanitize_file_is_ascii_and_masks_nothing():
    from nbval.plugin import get_sanitize_patterns

    text = SANITIZE.read_bytes().decode("ascii")  # raises on any non-ASCII byte
    assert get_sanitize_patterns(text) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_kernel_is_python3(path):
    nb = _read(path)
    assert dict(nb.metadata.get("kernelspec", {})) == KERNELSPEC


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_first_code_cell_holds_plain_parameters(path):
    cells = _code_cells(_read(path))
    assert cells, f"{path.name} has no code cell"
    first = cells[0]
    assert "parameters" in first.metadata.get("tags", []), "first code cell is not tagged"
    for cell in cells:
        assert "injected-parameters" not in cell.metadata.get("tags", []), (
            f"{path.name} was saved with papermill's injected parameters"
        )
    tree = ast.parse(first.source)
    assert tree.body, "the parameters cell is empty"
    for stmt in tree.body:
        where = f"{path.name}, parameters cell, line {stmt.lineno}"
        assert isinstance(stmt, ast.Assign), f"{where}: not an assignment"
        assert len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name), (
            f"{where}: assign to one plain name"
        )
        try:
            ast.literal_eval(stmt.value)
        except ValueError:
            pytest.fail(f"{where}: {ast.unparse(stmt.value)!r} is not a plain value")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_stored_executed_in_order_without_errors_or_stderr(path):
    cells = _code_cells(_read(path))
    counts = [cell.execution_count for cell in cells]
    assert counts == list(range(1, len(cells) + 1)), (
        f"{path.name}: execution counts {counts}; restart the kernel and run all cells"
    )
    for number, cell in enumerate(cells, start=1):
        for out in cell.outputs:
            assert out.output_type != "error", (
                f"{path.name}, code cell {number}: {out.get('ename')}: {out.get('evalue')}"
            )
            assert not (out.output_type == "stream" and out.name == "stderr"), (
                f"{path.name}, code cell {number} wrote to stderr: {out.text[:200]!r}"
            )


# ---------------------------------------------------------------- nbval catches a changed number


def _nbval(notebook, cwd):
    """Run nbval on one notebook in a fresh process, as the README's test command does."""
    env = dict(os.environ)
    # tests/conftest.py sets the Agg backend for this process; the notebook's kernel must
    # use Jupyter's inline backend, as when the notebooks were executed.
    env.pop("MPLBACKEND", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(SANITIZE),
            str(notebook),
            "-p",
            "no:cacheprovider",
            "-q",
        ],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _change_a_shown_figure(nb):
    """Change one digit of the monthly saving the reduction result shows; return the cell."""
    for number, cell in enumerate(_code_cells(nb), start=1):
        for out in cell.outputs:
            text = out.get("data", {}).get("text/plain", "")
            match = re.search(r"mean_saved_per_period\s+(\d)", text)
            if out.output_type == "execute_result" and match:
                pos = match.start(1)
                digit = str((int(text[pos]) + 1) % 10)
                out["data"]["text/plain"] = text[:pos] + digit + text[pos + 1 :]
                return number, text[match.start() : match.end()], digit
    raise AssertionError("no stored output shows mean_saved_per_period")


def test_nbval_fails_when_a_shown_number_changes(tmp_path):
    source = NOTEBOOK_DIR / "01_voice_recognition.ipynb"
    unchanged = tmp_path / "unchanged" / source.name
    changed = tmp_path / "changed" / source.name
    for path in (unchanged, changed):
        path.parent.mkdir()
    unchanged.write_bytes(source.read_bytes())
    nb = _read(source)
    cell, before, digit = _change_a_shown_figure(nb)
    nbformat.write(nb, str(changed))

    ok = _nbval(unchanged, tmp_path)
    assert ok.returncode == 0, ok.stdout[-3000:] + ok.stderr[-2000:]

    bad = _nbval(changed, tmp_path)
    assert bad.returncode != 0, f"nbval passed although {before!r} was changed to end in {digit}"
    assert re.search(r"\b1 failed\b", bad.stdout), bad.stdout[-3000:]
    assert f"Cell {cell - 1}: Cell outputs differ" in bad.stdout  # nbval counts cells from 0
    assert "mismatch 'text/plain'" in bad.stdout
