"""Files that are either wholly written or not there: a run killed at any moment loses nothing.

Three tools, all built on ``os.replace`` (atomic within one file system):

* :func:`write_bytes_atomic` writes one file (a per-document cache entry)
  through a temporary file beside it; :func:`write_text_atomic` does the
  same for text (the audit's ``decisions-outcome.csv``).
* :func:`publish` moves a staged folder of tables into the output folder as
  one set.  The commit point is the rename of the staging folder to
  ``.publishing``: before it, a killed run leaves the previous tables
  untouched; after it, the set is complete on disk and :func:`recover` (run
  by the next run, or by the next ``publish``) finishes moving it in.
  Until then each table file is whole and readable, the old one or the new.
* :class:`OutputLock` keeps two runs from writing one output folder at once
  (an advisory ``flock``, released by the kernel if the run dies).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path

#: A staged set of tables past its commit point (see :func:`publish`).
PUBLISHING = ".publishing"
#: Prefix of staging folders and temporary files a killed run may leave behind.
STAGING_PREFIX = ".writing-"
TEMPORARY_PREFIX = ".tmp-"
LOCK_NAME = ".lock"


def write_bytes_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
            if durable:
                output.flush()
                os.fsync(output.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8", durable: bool = True) -> None:
    """:func:`write_bytes_atomic` for text, its line endings written as they are (no newline translation)."""
    write_bytes_atomic(path, text.encode(encoding), durable)


def publish(staging: Path, out_dir: Path, order=None) -> None:
    """Move every file staged in ``staging`` into ``out_dir`` as one set.

    The files are flushed to disk first, so that after the commit point the
    set survives a power cut as well as a killed process.  ``order`` is a
    sort key for the files (default: by name); files that describe the
    others can go last.
    """
    recover(out_dir)  # a set left half-moved by a killed run goes in first
    for staged in staging.iterdir():
        _fsync_path(staged)
    _fsync_path(staging)
    committed = out_dir / PUBLISHING
    os.replace(staging, committed)  # the commit point
    _fsync_path(out_dir)
    _move_in(committed, out_dir, order)


def recover(out_dir: Path) -> bool:
    """Finish moving in a committed set of tables; True when there was one."""
    committed = out_dir / PUBLISHING
    if not committed.is_dir():
        return False
    _move_in(committed, out_dir)
    return True


def remove_leftovers(out_dir: Path) -> None:
    """Delete staging folders and temporary files of runs that were killed.

    Only call this while holding the :class:`OutputLock`: another live run's
    staging folder looks the same.
    """
    if not out_dir.is_dir():
        return
    for leftover in out_dir.rglob(f"{TEMPORARY_PREFIX}*"):
        leftover.unlink(missing_ok=True)
    for leftover in out_dir.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)


class OutputLockedError(RuntimeError):
    """Another run is writing the same output folder."""


class OutputUnwritableError(RuntimeError):
    """The output folder cannot be created or written (read-only, no permission)."""


class OutputLock:
    """Exclusive use of an output folder for one run (``with OutputLock(out_dir):``)."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / LOCK_NAME
        self._handle = None

    def __enter__(self) -> OutputLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.path, "a+")
        except OSError as error:
            raise OutputUnwritableError(f"cannot write to {self.path.parent}: {error.strerror or error}") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise OutputLockedError(f"another run is writing {self.path.parent}; wait for it to finish") from None
        self._handle = handle
        return self

    def __exit__(self, *exc_info) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def _move_in(committed: Path, out_dir: Path, order=None) -> None:
    for staged in sorted(committed.iterdir(), key=order or (lambda path: path.name)):
        target = out_dir / staged.name
        if staged.is_dir() and target.is_dir():
            shutil.rmtree(target)  # folders cannot replace folders in one step
        os.replace(staged, target)
    _fsync_path(out_dir)
    committed.rmdir()


def _fsync_path(path: Path) -> None:
    """Flush a file's or folder's entry to disk (best effort on odd file systems)."""
    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
