"""Outputs of single stages kept between runs, each under a key of what made it.

The result cache (:mod:`pipeline.cache`) keeps a document's final rows, and
any change to the code reads every PDF again.  This one keeps what is dear
to make and depends on little:

* ``read``: a PDF's document after extraction and repair, keyed by the
  file's bytes and the code of those two stages (:func:`code_key`), their
  settings and libraries;
* ``analysis``: GiNZA's tokens and entity spans for one text, keyed by the
  text and the model (:mod:`pipeline.pull.entities`).

So editing a figure rule re-runs split and pull over kept documents and
kept analyses: no PDF is read and GiNZA does not run.

Layout, inside the output folder::

    OUT_DIR/.cache/stages/<stage>/<key[:2]>/<key>.json

Entries are JSON (see :mod:`pipeline.record_codec` for why not pickle),
written atomically; one that cannot be read is ignored and made again.
Every entry used or made by a run is touched, and after a whole run the
entries it did not touch are removed (:meth:`StageCache.prune`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from functools import lru_cache
from pathlib import Path

from pipeline.atomic import write_bytes_atomic

STAGES_DIR = "stages"
READ_STAGE = "read"  # a PDF's document after extract and repair
ANALYSIS_STAGE = "analysis"  # GiNZA's tokens and spans for one text
PACKAGE = Path(__file__).resolve().parent


class StageCache:
    """The stage entries of one output folder."""

    def __init__(self, root: Path):
        self.root = root
        self.unwritable: str | None = None  # why entries could not be kept, once said

    def path(self, stage: str, key: str) -> Path:
        return self.root / stage / key[:2] / f"{key}.json"

    def get(self, stage: str, key: str):
        """The value kept for ``key``, or None; the entry is marked as used by this run."""
        path = self.path(stage, key)
        try:
            value = json.loads(path.read_bytes())
            os.utime(path)
        except (OSError, ValueError):
            return None
        return value

    def put(self, stage: str, key: str, value) -> bool:
        """Keep ``value`` (JSON values) for ``key``; False when it could not be written."""
        try:
            data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "backslashreplace")
            # Not flushed to disk: an entry a power cut spoils is unreadable and so made again.
            write_bytes_atomic(self.path(stage, key), data, durable=False)
        except (OSError, ValueError) as error:  # a full disk: the run goes on
            if self.unwritable is None:
                self.unwritable = str(getattr(error, "strerror", None) or error)
                print(f"newsletter-extract: stage cache not kept ({self.unwritable})", file=sys.stderr)
            return False
        return True

    def prune(self, stage: str, used_since: float) -> int:
        """Remove the entries of ``stage`` no run has used since ``used_since`` (a time.time()); returns how many."""
        folder = self.root / stage
        if not folder.is_dir():
            return 0
        removed = 0
        for path in folder.glob("*/*.json"):
            try:
                if path.stat().st_mtime < used_since:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed


def text_key(*parts: str) -> str:
    """A key from text: the hash of the parts, kept apart so that ("ab", "c") and ("a", "bc") differ."""
    digest = hashlib.sha256()
    for part in parts:
        encoded = part.encode("utf-8", "surrogatepass")
        digest.update(len(encoded).to_bytes(8, "big"))
        digest.update(encoded)
    return digest.hexdigest()


def library_versions(names) -> list[str]:
    """``name=version`` for each installed distribution in ``names``, ``name=absent`` for the others:
    the libraries part of a key."""
    from importlib import metadata

    versions = []
    for name in names:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=absent")
    return versions


def code_key(*modules: str) -> str:
    """A fingerprint of the source of ``modules`` and of every ``pipeline`` module they import, directly or not.

    Imports are read from the source (function-level ones included), so the
    key follows the code a stage actually runs: a file the stage does not
    reach can change without invalidating the stage's entries.
    """
    digest = hashlib.sha256()
    for path in sorted(imported_files(modules)):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(_file_hash(path, path.stat().st_mtime_ns))
    return digest.hexdigest()[:16]


def imported_files(modules) -> set[Path]:
    """The files of ``modules`` and of the ``pipeline`` modules they import, transitively.

    A package's ``__init__`` also runs when a module inside it is imported,
    but what it imports is not the module's code (the package patches
    nothing: ``tests/test_no_global_patches.py``), so only explicit imports
    are followed.
    """
    seen: set[Path] = set()
    pending = [name for name in modules]
    while pending:
        name = pending.pop()
        path = _module_file(name)
        if path is None or path in seen:
            continue
        seen.add(path)
        pending.extend(_imports_of(path, path.stat().st_mtime_ns))
    return seen


def _module_file(name: str) -> Path | None:
    if name != "pipeline" and not name.startswith("pipeline."):
        return None
    parts = name.split(".")[1:]
    base = PACKAGE.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


_FROM_IMPORT = re.compile(r"^[ \t]*from[ \t]+([.\w]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n]+)", re.MULTILINE)


@lru_cache(maxsize=512)
def _imports_of(path: Path, _mtime: int) -> tuple[str, ...]:
    """Every ``pipeline`` module ``path`` imports (a name imported from a package may be a submodule).

    Read with two patterns rather than a parse, twenty times as fast: an
    import statement quoted in a docstring only adds a file to the key.
    """
    source = path.read_text(encoding="utf-8")
    # the package a relative import starts from: the folder the file is in
    package = ".".join(("pipeline", *path.relative_to(PACKAGE).parent.parts))
    names: list[str] = []
    for module, imported in _FROM_IMPORT.findall(source):
        if module.startswith("."):
            level = len(module) - len(module.lstrip("."))
            base = package.split(".")
            base = base[: len(base) - (level - 1)]
            module = ".".join(base + ([module.lstrip(".")] if module.lstrip(".") else []))
        names.append(module)
        for name in imported.strip("()").replace("\n", " ").split(","):
            name = name.split("#")[0].split(" as ")[0].strip()
            if name.isidentifier():
                names.append(f"{module}.{name}")
    for imported in _IMPORT.findall(source):
        names.extend(name.split(" as ")[0].strip() for name in imported.split("#")[0].split(","))
    return tuple(name for name in names if name == "pipeline" or name.startswith("pipeline."))


@lru_cache(maxsize=512)
def _file_hash(path: Path, _mtime: int) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def now() -> float:
    """The time entries are compared with in :meth:`StageCache.prune` (file times have a coarse grain: a second's slack)."""
    return time.time() - 1.0
