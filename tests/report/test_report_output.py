"""The output folder: only the report's own files are replaced, and only after a full success."""

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from evalkit import EvalkitError
from evalkit.report import main, run_report

MANIFEST_NAME = ".evalkit-report.json"
LOCK_NAME = ".evalkit-report.lock"


def _snapshot(folder):
    """Every file under ``folder`` with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _leftovers(out):
    """Temporary build folders left beside ``out``."""
    return sorted(p.name for p in out.parent.iterdir() if ".evalkit-build-" in p.name)


def test_manifest_lists_every_file_written_with_size_and_hash(notebook, fake_kernel, tmp_path):
    import hashlib

    nb = notebook("01_a.ipynb")
    out = tmp_path / "out"
    run_report(notebooks=[nb], out_dir=out, parameters={"threshold": 0.9})
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    files = set(manifest["files"])
    assert files == {
        "01_a.html",
        "01_a.code.html",
        "notebooks/01_a.ipynb",
        "kpis/01_a.csv",
        "summary.csv",
        "summary.xlsx",
        "provenance.json",
        "index.html",
    }
    assert files == set(_snapshot(out)) - {MANIFEST_NAME}
    for rel, record in manifest["files"].items():
        data = (out / rel).read_bytes()
        assert record == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    info = manifest["notebooks"]["01_a"]
    assert info["parameters"] == {"threshold": 0.9}
    assert info["source"] == str(nb)
    assert not (out / LOCK_NAME).exists()
    assert _leftovers(out) == []


def test_a_second_run_replaces_its_own_files_quietly(notebook, fake_kernel, tmp_path, capsys):
    nb = notebook("01_a.ipynb")
    out = tmp_path / "out"
    argv = ["report", "--notebook", str(nb), "--out", str(out)]
    assert main([*argv, "-p", "threshold=0.5"]) == 0
    (out / "my_notes.txt").write_text("mine", encoding="utf-8")
    capsys.readouterr()
    assert main([*argv, "-p", "threshold=0.95"]) == 0
    assert "error" not in capsys.readouterr().err
    assert pd.read_csv(out / "summary.csv").loc[0, "target"] == 0.95
    assert (out / "my_notes.txt").read_text(encoding="utf-8") == "mine"  # left alone


def test_a_foreign_file_of_the_same_name_stops_the_run_before_any_notebook(
    notebook, no_kernel, tmp_path, capsys
):
    nb = notebook("01_a.ipynb")
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.csv").write_text("my own table\n", encoding="utf-8")
    status = main(["report", "--notebook", str(nb), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 1
    assert (
        f"evalkit report: error: {out}: the report would overwrite a file it did not write: "
        f"{out / 'summary.csv'} (not in the manifest {MANIFEST_NAME}). Move it away or delete "
        "it, or choose another --out\n"
    ) in err
    assert (out / "summary.csv").read_text(encoding="utf-8") == "my own table\n"
    assert sorted(p.name for p in out.iterdir()) == ["summary.csv"]  # no lock, no manifest left


def test_a_file_changed_since_the_report_wrote_it_is_not_overwritten(
    notebook, fake_kernel, tmp_path
):
    nb = notebook("01_a.ipynb")
    out = tmp_path / "out"
    run_report(notebooks=[nb], out_dir=out)
    (out / "01_a.html").write_text("edited by hand", encoding="utf-8")
    with pytest.raises(EvalkitError, match=r"01_a.html \(changed since evalkit report wrote it\)"):
        run_report(notebooks=[nb], out_dir=out)
    assert (out / "01_a.html").read_text(encoding="utf-8") == "edited by hand"


def test_a_subset_run_replaces_its_own_pages_and_keeps_the_others(notebook, fake_kernel, tmp_path):
    a, b = notebook("01_a.ipynb"), notebook("02_b.ipynb")
    out = tmp_path / "out"
    run_report(notebooks=[a, b], out_dir=out, parameters={"threshold": 0.5})
    before = _snapshot(out)
    summary = run_report(notebooks=[b], out_dir=out, parameters={"threshold": 0.9})
    after = _snapshot(out)
    # the notebook run now: replaced; the other: kept, byte for byte
    assert list(summary["notebook"]) == ["02_b.ipynb"]
    for rel in ["01_a.html", "01_a.code.html", "notebooks/01_a.ipynb", "kpis/01_a.csv"]:
        assert after[rel] == before[rel]
    assert after["kpis/02_b.csv"] != before["kpis/02_b.csv"]
    # summary.csv and index.html cover both, saying which run each comes from
    table = pd.read_csv(out / "summary.csv")
    assert list(table["notebook"]) == ["01_a.ipynb", "02_b.ipynb"]
    assert list(table["target"]) == [0.5, 0.9]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="01_a.html">見出し</a>' in index
    assert "<small>(01_a・以前の実行・" in index
    assert "<small>(02_b・今回の実行・" in index
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert set(manifest["notebooks"]) == {"01_a", "02_b"}
    assert "01_a.html" in manifest["files"]


def test_a_full_run_removes_its_own_pages_of_notebooks_gone(
    notebook, fake_kernel, tmp_path, monkeypatch
):
    a, b = notebook("01_a.ipynb"), notebook("02_b.ipynb")
    out = tmp_path / "out"
    run_report(notebooks=[a, b], out_dir=out)
    b.unlink()
    monkeypatch.setenv("EVALKIT_NOTEBOOKS", str(a.parent))
    run_report(out_dir=out)
    assert sorted(_snapshot(out)) == sorted(
        [MANIFEST_NAME, "01_a.html", "01_a.code.html", "notebooks/01_a.ipynb", "kpis/01_a.csv"]
        + ["summary.csv", "summary.xlsx", "provenance.json", "index.html"]
    )


@pytest.mark.parametrize("where", ["notebooks", "notebooks/sub", "data", "data/out"])
def test_out_in_the_notebooks_or_data_folder_is_refused(
    where, notebook, no_kernel, tmp_path, monkeypatch, capsys
):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "data").mkdir()
    monkeypatch.setenv("EVALKIT_NOTEBOOKS", str(tmp_path / "notebooks"))
    nb = notebook("01_a.ipynb")
    out = tmp_path / where
    argv = ["report", "--notebook", str(nb), "--data", str(tmp_path / "data"), "--out", str(out)]
    assert main(argv) == 1
    folder = tmp_path / where.split("/")[0]
    relation = "is" if "/" not in where else "is inside"
    kind = "notebooks" if where.startswith("notebooks") else "data"
    assert f"{out}: --out {relation} the {kind} folder {folder}" in capsys.readouterr().err
    assert (
        not (tmp_path / "notebooks" / "sub").exists() and not (tmp_path / "data" / "out").exists()
    )


def test_out_in_the_repository_notebooks_is_refused_through_a_relative_path(
    notebook, no_kernel, monkeypatch, capsys
):
    from evalkit.report.run import _REPO

    monkeypatch.chdir(_REPO / "notebooks")
    nb = notebook("01_a.ipynb")
    assert main(["report", "--notebook", str(nb), "--out", "."]) == 1
    assert f"--out is the notebooks folder {_REPO / 'notebooks'}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--data", "{tmp}/missing"], "{tmp}/missing: the data folder (--data) does not exist"),
        (["--data", "{tmp}/file.txt"], "{tmp}/file.txt: the data folder (--data) is a file"),
        (["--notebook", "{tmp}/missing.ipynb"], "{tmp}/missing.ipynb: notebook not found"),
        (["--notebook", "{tmp}/file.txt"], "{tmp}/file.txt: not a notebook (an .ipynb file)"),
        (["--notebook", "{tmp}"], "{tmp}: is a folder, not a notebook"),
        (
            ["--notebook", "{tmp}/bad.ipynb"],
            "{tmp}/bad.ipynb: cannot be read as a Jupyter notebook",
        ),
        (["--out", "{tmp}/file.txt"], "{tmp}/file.txt: --out is a file; it must be a folder"),
    ],
)
def test_bad_paths_are_errors_naming_them(
    arguments, message, notebook, no_kernel, tmp_path, capsys
):
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    (tmp_path / "bad.ipynb").write_text("not json", encoding="utf-8")
    argv = ["report", *[a.format(tmp=tmp_path) for a in arguments]]
    if "--notebook" not in argv:
        argv += ["--notebook", str(notebook("01_a.ipynb"))]
    if "--out" not in argv:
        argv += ["--out", str(tmp_path / "out")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message.format(tmp=tmp_path) in err
    assert "Traceback" not in err


def test_a_running_report_holds_the_folder(notebook, no_kernel, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).write_text(f"{os.getpid()}\n", encoding="ascii")  # a live process
    assert main(["report", "--notebook", str(notebook("01_a.ipynb")), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"another evalkit report (PID {os.getpid()}) is writing to this folder" in err
    assert f"lock file {out / LOCK_NAME}" in err
    assert (out / LOCK_NAME).exists()  # not ours to remove


def test_a_stale_lock_is_taken_over_with_a_message(notebook, fake_kernel, tmp_path, capsys):
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).write_text(f"{gone}\n", encoding="ascii")
    assert main(["report", "--notebook", str(notebook("01_a.ipynb")), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"taking over the stale lock {out / LOCK_NAME} (PID {gone} no longer runs)" in err
    assert not (out / LOCK_NAME).exists()


def test_a_failing_notebook_leaves_the_previous_report_untouched(
    notebook, fake_kernel, tmp_path, monkeypatch, capsys
):
    """A real kernel runs a notebook that raises, over a report made before."""
    from evalkit.report import run

    good = notebook("01_a.ipynb")
    broken = notebook("02_b.ipynb", "kpi_csv = None", "raise ValueError('bad data')")
    out = tmp_path / "out"
    run_report(notebooks=[good, broken], out_dir=out)
    before = _snapshot(out)
    monkeypatch.setattr(run, "_execute", fake_kernel.real)  # from here on, a real kernel
    capsys.readouterr()
    assert (
        main(["report", "--notebook", str(good), "--notebook", str(broken), "--out", str(out)]) == 1
    )
    err = capsys.readouterr().err
    assert "02_b.ipynb: notebook failed in cell 3 (execution count 3)" in err
    assert "ValueError: bad data" in err
    assert f"; the previous report in {out} is unchanged" in err
    assert "removed the temporary folder" in err
    kept = err.split("the executed notebook, up to that cell, is ")[1].split(";")[0]
    assert kept.startswith(str(tmp_path)) and os.path.exists(kept)
    assert _snapshot(out) == before
    assert _leftovers(out) == []


@pytest.mark.parametrize("step", ["_execute", "export_html"])
def test_ctrl_c_midway_leaves_the_previous_report_untouched(
    step, notebook, fake_kernel, tmp_path, monkeypatch, capsys
):
    from evalkit.report import run

    a, b = notebook("01_a.ipynb"), notebook("02_b.ipynb")
    out = tmp_path / "out"
    run_report(notebooks=[a, b], out_dir=out)
    before = _snapshot(out)
    if step == "_execute":
        fake_kernel.fail["02_b.ipynb"] = KeyboardInterrupt()
    else:

        def interrupted(*args, **kwargs):
            raise KeyboardInterrupt

        monkeypatch.setattr(run, "export_html", interrupted)
    capsys.readouterr()
    status = main(["report", "--notebook", str(a), "--notebook", str(b), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 130
    assert f"evalkit report: interrupted (Ctrl-C); the previous report in {out} is unchanged" in err
    assert "removed the temporary folder" in err
    assert _snapshot(out) == before
    assert _leftovers(out) == []


def test_ctrl_c_in_a_first_run_leaves_nothing(notebook, fake_kernel, tmp_path, capsys):
    fake_kernel.fail["01_a.ipynb"] = KeyboardInterrupt()
    out = tmp_path / "new" / "out"
    assert main(["report", "--notebook", str(notebook("01_a.ipynb")), "--out", str(out)]) == 130
    assert f"nothing was written to {out}" in capsys.readouterr().err
    assert not out.exists()
    assert _leftovers(out) == []


def test_several_clashes_are_named_together(notebook, no_kernel, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notebooks").write_text("a file, not a folder", encoding="utf-8")
    (out / "index.html").write_text("my page", encoding="utf-8")
    with pytest.raises(EvalkitError) as err:
        run_report(notebooks=[notebook("01_a.ipynb")], out_dir=out)
    assert str(err.value) == (
        f"{out}: the report would overwrite 2 files it did not write: "
        f"{out / 'index.html'} (not in the manifest {MANIFEST_NAME}); "
        f"{out / 'notebooks'} (a file where the report writes a folder). "
        "Move them away or delete them, or choose another --out"
    )


def test_an_unreadable_manifest_is_an_error_naming_it(notebook, no_kernel, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(
        EvalkitError, match=f"{MANIFEST_NAME}: not a readable evalkit report manifest"
    ):
        run_report(notebooks=[notebook("01_a.ipynb")], out_dir=out)
    assert not (out / LOCK_NAME).exists()


def test_a_notebook_whose_page_would_be_the_index_is_refused(notebook, no_kernel, tmp_path):
    nb = notebook("index.ipynb")
    with pytest.raises(EvalkitError, match="index.ipynb: a notebook named index.ipynb would make"):
        run_report(notebooks=[nb], out_dir=tmp_path / "out")
