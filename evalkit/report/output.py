"""The output folder of ``evalkit report``: what it may overwrite, its lock, and the final move.

Rules, so that a report never destroys a file it did not write:

- ``OUT/.evalkit-report.json`` (the manifest) lists every file the report
  wrote, as a path relative to ``OUT`` with its size and SHA-256. A file may
  be replaced or removed only while it is listed there with the same size and
  hash; any other file in ``OUT`` is left alone, and a report that would write
  a file of the same name stops before any notebook runs, naming it.
- ``OUT`` may not be, or be inside, the notebooks folder or the data folder.
- ``OUT/.evalkit-report.lock``, created with ``O_CREAT | O_EXCL`` and holding
  the process id, keeps a second run from writing to the same folder; a lock
  whose process no longer runs is taken over, saying so.
- New files are built in a temporary folder beside ``OUT`` (the same parent,
  so on the same file system) and renamed into ``OUT`` only when every
  notebook succeeded. During that move the manifest also lists the files
  being replaced (``"replacing"``), so that a move cut short by a crash leaves
  every file recognised.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EvalkitError

__all__ = ["LOCK_NAME", "MANIFEST_NAME", "Manifest", "OutputFolder"]

#: The manifest: what ``evalkit report`` wrote in its output folder.
MANIFEST_NAME = ".evalkit-report.json"
#: The lock file held while a report writes to its output folder.
LOCK_NAME = ".evalkit-report.lock"
_FORMAT = 1
_BUILD_MARK = ".evalkit-build-"
# A lock file without a readable process id is taken for one being written
# for this many seconds (between O_EXCL creation and the write of the id).
_LOCK_GRACE_SECONDS = 10.0


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def file_record(path: Path) -> dict:
    """Size and SHA-256 of a file, as the manifest lists them."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}


@dataclass
class Manifest:
    """The manifest's content.

    ``files`` maps a path relative to the output folder (``/``-separated) to
    ``{"size": int, "sha256": str}``; ``notebooks`` maps a page name (the
    notebook's stem) to where it came from and which files it made;
    ``replacing`` lists older versions of files while they are being replaced.
    """

    files: dict[str, dict] = field(default_factory=dict)
    notebooks: dict[str, dict] = field(default_factory=dict)
    replacing: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST_NAME
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != _FORMAT:
                raise ValueError(f"format {data.get('format')!r}, expected {_FORMAT}")
            manifest = cls(
                files=dict(data["files"]),
                notebooks=dict(data.get("notebooks", {})),
                replacing=dict(data.get("replacing", {})),
            )
            for record in [*manifest.files.values(), *manifest.replacing.values()]:
                int(record["size"]), str(record["sha256"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise EvalkitError(
                f"not a readable evalkit report manifest ({exc}); move it away to start a new "
                "report in this folder",
                file=path,
            ) from None
        return manifest

    def to_json(self) -> str:
        data = {
            "format": _FORMAT,
            "written_by": "evalkit report",
            "files": dict(sorted(self.files.items())),
            "notebooks": dict(sorted(self.notebooks.items())),
        }
        if self.replacing:
            data["replacing"] = dict(sorted(self.replacing.items()))
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    def owns(self, folder: Path, rel: str) -> bool:
        """Whether ``folder/rel`` is a file this manifest lists, unchanged since it was written."""
        path = folder / rel
        if path.is_symlink() or not path.is_file():
            return False
        records = [r for r in (self.files.get(rel), self.replacing.get(rel)) if r]
        if not records:
            return False
        size = path.stat().st_size
        if all(r["size"] != size for r in records):
            return False
        return file_record(path) in records

    def listed(self) -> set[str]:
        return set(self.files) | set(self.replacing)


class OutputFolder:
    """The output folder of one report run: checks, lock, build folder and final move."""

    def __init__(self, out_dir: Path, *, protected: Iterable[tuple[Path, str]] = ()):
        self.path = Path(out_dir).expanduser().resolve()
        self.lock_path = self.path / LOCK_NAME
        self.created = False
        self.build: Path | None = None
        self.manifest = Manifest()
        self._locked = False
        self.moving = False
        self._check_location(protected)

    # -- before any notebook runs -------------------------------------------------------------

    def _check_location(self, protected: Iterable[tuple[Path, str]]) -> None:
        if self.path.exists() and not self.path.is_dir():
            raise EvalkitError("--out is a file; it must be a folder", file=self.path)
        for folder, what in protected:
            folder = Path(folder).expanduser().resolve()
            if self.path == folder or self.path.is_relative_to(folder):
                where = "is" if self.path == folder else "is inside"
                raise EvalkitError(
                    f"--out {where} the {what} {folder}; the report would write among its "
                    "files: choose another output folder",
                    file=self.path,
                )

    def open(self) -> None:
        """Create the folder if needed, take the lock and read the manifest."""
        try:
            self.created = not self.path.exists()
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EvalkitError(
                f"cannot create the output folder: {exc.strerror}", file=self.path
            ) from None
        self._lock()
        self.manifest = Manifest.read(self.path)

    def check_clashes(self, rels: Iterable[str]) -> None:
        """Refuse when a file the report would write exists and is not the report's own."""
        clashes = []
        for rel in sorted(set(rels)):
            path = self.path / rel
            parent = path.parent
            while parent != self.path:
                if parent.exists() and not parent.is_dir():
                    clashes.append(f"{parent} (a file where the report writes a folder)")
                    break
                parent = parent.parent
            else:
                if (path.exists() or path.is_symlink()) and not self.manifest.owns(self.path, rel):
                    why = (
                        "changed since evalkit report wrote it"
                        if rel in self.manifest.listed()
                        else f"not in the manifest {MANIFEST_NAME}"
                    )
                    clashes.append(f"{path} ({why})")
        if clashes:
            one = len(clashes) == 1
            raise EvalkitError(
                f"the report would overwrite {'a file' if one else f'{len(clashes)} files'} "
                f"it did not write: {'; '.join(clashes)}. Move {'it' if one else 'them'} away "
                "or delete " + ("it" if one else "them") + ", or choose another --out",
                file=self.path,
            )

    # -- the lock -------------------------------------------------------------------------------

    def _lock(self) -> None:
        for attempt in range(2):
            try:
                fd = os.open(self.lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                pid = _lock_holder(self.lock_path)
                if pid is None or _running(pid) or attempt:
                    who = "a report that is starting" if pid is None else f"PID {pid}"
                    raise EvalkitError(
                        f"another evalkit report ({who}) is writing to this folder "
                        f"(lock file {self.lock_path}); wait until it ends, or delete the lock "
                        "file if no such report runs",
                        file=self.path,
                    ) from None
                gone = f"PID {pid} no longer runs" if pid > 0 else "it holds no process id"
                _say(f"evalkit report: taking over the stale lock {self.lock_path} ({gone})")
                for left in sorted(self.path.parent.glob(f".{self.path.name}{_BUILD_MARK}*")):
                    _say(f"evalkit report: {left} was left by an interrupted run; delete it")
                with contextlib.suppress(FileNotFoundError):
                    self.lock_path.unlink()
                continue
            except OSError as exc:
                raise EvalkitError(
                    f"cannot create the lock file {self.lock_path}: {exc.strerror}",
                    file=self.path,
                ) from None
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(f"{os.getpid()}\n")
            self._locked = True
            return

    def release(self) -> None:
        """Remove the lock (if it is still this process's), then the folder if it was created
        by this run and stayed empty."""
        if self._locked and _lock_holder(self.lock_path) == os.getpid():
            with contextlib.suppress(FileNotFoundError):
                self.lock_path.unlink()
        self._locked = False
        if self.created:
            with contextlib.suppress(OSError):
                self.path.rmdir()  # only when empty

    # -- building and moving into place ---------------------------------------------------------

    def make_build_folder(self) -> Path:
        """A new temporary folder beside the output folder, on the same file system."""
        parent = self.path.parent
        if os.stat(parent).st_dev != os.stat(self.path).st_dev:
            parent = self.path  # OUT is a mount point: build inside it, still one file system
        try:
            self.build = Path(
                tempfile.mkdtemp(prefix=f".{self.path.name}{_BUILD_MARK}", dir=parent)
            )
        except OSError as exc:
            raise EvalkitError(
                f"cannot create a temporary folder in {parent}: {exc.strerror}",
                file=self.path,
            ) from None
        return self.build

    def remove_build_folder(self) -> Path | None:
        build, self.build = self.build, None
        if build is not None:
            shutil.rmtree(build, ignore_errors=True)
        return build

    def commit(self, manifest: Manifest, remove: Iterable[str] = ()) -> None:
        """Move the built files into place, remove the report's own files in ``remove``,
        write the manifest; Ctrl-C waits until this is done."""
        assert self.build is not None
        built = sorted(manifest.files.keys() & _files_under(self.build))
        self.check_clashes(built)  # a file may have appeared while the notebooks ran
        remove = [
            r for r in sorted(set(remove) - set(manifest.files)) if self.manifest.owns(self.path, r)
        ]
        with _interrupts_deferred():
            self.moving = True
            moving = Manifest(
                files={**self.manifest.files, **manifest.files},
                notebooks=manifest.notebooks,
                replacing={
                    rel: self.manifest.files[rel] for rel in built if rel in self.manifest.files
                },
            )
            self._write_manifest(moving)
            for rel in built:
                target = self.path / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.build / rel, target)
            for rel in remove:
                with contextlib.suppress(FileNotFoundError):
                    (self.path / rel).unlink()
            self._write_manifest(manifest)
            self.manifest = manifest
            self.moving = False

    def _write_manifest(self, manifest: Manifest) -> None:
        assert self.build is not None
        staged = self.build / MANIFEST_NAME
        staged.write_text(manifest.to_json(), encoding="utf-8")
        os.replace(staged, self.path / MANIFEST_NAME)


def _files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _lock_holder(path: Path) -> int | None:
    """The process id in a lock file; None while it is being written (or unreadable but new)."""
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
        return int(text.split()[0])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, IndexError):
        try:
            age = time.time() - path.stat().st_mtime
        except OSError:
            return None
        return None if age < _LOCK_GRACE_SECONDS else 0  # 0: no process, a stale lock


def _running(pid: int) -> bool:
    """Whether a process with this id runs (True when it cannot be told)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if os.name == "posix":
        try:
            os.kill(pid, 0)  # signal 0: only checks that the process exists
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # another user's process
        return True
    try:  # Windows: os.kill would terminate the process
        import psutil
    except ImportError:
        return True
    return psutil.pid_exists(pid)


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Ignore Ctrl-C (SIGINT) for the few renames that replace the report."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
