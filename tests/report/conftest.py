"""Report test helpers: small throwaway notebooks, and a stand-in for the kernel."""

import nbformat
import pytest
from report_helpers import write_notebook


@pytest.fixture
def notebook(tmp_path):
    """``notebook(name, parameters="...", *cells)``: write a notebook in ``tmp_path/src``."""
    folder = tmp_path / "src"
    folder.mkdir()

    def make(name, parameters="data_dir = None\nkpi_csv = None\nthreshold = 0.5", *cells):
        return write_notebook(folder / name, parameters, *cells)

    return make


class FakeKernel:
    """Stands in for papermill: records the parameters each notebook gets, writes its outputs.

    The executed notebook is the source with the parameters in a cell; when the
    notebook receives ``kpi_csv``, one key-figure row is written there with the
    ``threshold`` parameter as its target, and when it receives
    ``progress_sheet``, a stand-in file there. ``fail`` maps a notebook name to an
    exception to raise instead.
    """

    def __init__(self):
        self.calls = {}
        self.fail = {}

    def __call__(self, source, executed, parameters, sockets):
        from evalkit.report.kpis import kpi_row, kpi_table

        self.calls[source.name] = dict(parameters)
        if source.name in self.fail:
            raise self.fail[source.name]
        nb = nbformat.read(str(source), as_version=4)
        nb.cells.insert(0, nbformat.v4.new_code_cell(f"# Parameters\n{parameters!r}"))
        nbformat.write(nb, str(executed))
        if "progress_sheet" in parameters:  # a stand-in workbook, named by the year
            with open(parameters["progress_sheet"], "w", encoding="utf-8") as f:
                f.write(f"sheet of {parameters.get('fiscal_year')}")
        if "kpi_csv" in parameters:
            row = kpi_row("テスト施策", source.stem, value=0.8, target=parameters.get("threshold"))
            kpi_table([row]).to_csv(parameters["kpi_csv"], index=False)


@pytest.fixture
def fake_kernel(monkeypatch):
    """Replace the notebook execution step by a :class:`FakeKernel` (no Jupyter kernel)."""
    from evalkit.report import run

    fake = FakeKernel()
    fake.real = run._execute  # to put the real one back
    monkeypatch.setattr(run, "_execute", fake)
    return fake


@pytest.fixture
def no_kernel(monkeypatch):
    """Fail the test if a notebook is executed (checks must refuse before that)."""
    from evalkit.report import run

    def refuse(source, *args, **kwargs):
        raise AssertionError(f"{source} was executed")

    monkeypatch.setattr(run, "_execute", refuse, raising=False)


@pytest.fixture(autouse=True)
def _failed_notebooks_in_tmp_path(tmp_path, monkeypatch):
    """A notebook that fails is kept in ``tmp_path``, not in the system's temporary folder."""
    from evalkit.report import run

    monkeypatch.setattr(run, "_FAILED_DIR", str(tmp_path))
