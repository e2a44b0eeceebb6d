"""How an input file is named and identified in the tables: its source name, document id and hash.

Kept apart from the stages so that what a stage's output depends on (see
:func:`pipeline.stage_cache.code_key`) does not include the whole pipeline.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path, PurePosixPath


def source_name(path: Path, root: Path | None = None) -> str:
    """How a file is named in the tables: its path under the batch folder (``2025/05.pdf``).

    Files straight in the folder are named by their file name alone; the
    folders above a nested file are kept, so that ``2024/05.pdf`` and
    ``2025/05.pdf`` stay two documents.
    """
    if root is not None:
        try:
            return readable_name(path.relative_to(root).as_posix())
        except ValueError:
            pass
    return readable_name(path.name)


def readable_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (names from old Windows shares) shown escaped, ``bad\\xff.pdf``.

    Python keeps such bytes as lone surrogates, which no table, JSON or
    Parquet file can hold; the escaped form is stable, so ids stay stable.
    """
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def doc_id_for(source: str) -> str:
    """A stable, readable id: the source name (:func:`source_name`) without extension, made safe (``2025_05``)."""
    name = PurePosixPath(source)
    return re.sub(r"[^\w.\-]+", "_", str(name.with_suffix("")) if name.suffix else str(name))


def sha256_of(path: Path) -> str:
    """The hash of a regular file's bytes; OSError for anything else (a FIFO would block the read forever)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(f"not a regular file: {path}")
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
