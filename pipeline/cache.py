"""Per-document results kept between runs, so an unchanged file is not read again.

Layout, inside the output folder::

    OUT_DIR/.cache/<sha256>-<pipeline key>/<doc_id>.entities.json
                                          /<doc_id>.no-entities.json

``sha256`` is the hash of the PDF's bytes; the *pipeline key* is the
package version plus a fingerprint of everything else that decides the rows:
the pipeline's own files, the versions of the libraries and model it reads
with, and whether Tesseract is installed (see :func:`pipeline_key`).  So a
changed file is read again, and so is every file after the code, a library
or the model changed; nothing else is.  ``entities`` or ``no-entities``
says whether GiNZA ran; a run without entities also takes an entry made
with them (and drops its entities).  Each entry is the document's table
rows as JSON, written atomically; an entry that cannot be read is ignored.

When the key changes, the stages' own kept outputs (the read document,
GiNZA's analyses: :mod:`pipeline.stage_cache`, under ``.cache/stages/``)
still spare the PDF reading and the model wherever their own code is
unchanged.  Settings from a config file other than the defaults are part
of the key.

Entries are kept for failed documents too (a file that was empty is empty
again), except where a password might change the outcome, and except
outcomes that may not recur (a worker that died).  After a run, entries of
files no longer in the batch and of older pipeline keys are removed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
import shutil
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.atomic import write_bytes_atomic
from pipeline.limits import Limits
from pipeline.settings import DEFAULT as DEFAULT_SETTINGS
from pipeline.parallel import Outcome
from pipeline.stage_cache import STAGES_DIR, library_versions

CACHE_DIR = ".cache"
FORMAT = 2  # 2: entries keep the error code
#: Distributions whose version changes what the pipeline reads or finds.
LIBRARIES = (
    "pdfplumber",
    "pdfminer.six",
    "pypdfium2",
    "ftfy",
    "fonttools",
    "spacy",
    "ginza",
    "ja-ginza",
    "sudachipy",
    "sudachidict-core",
)
#: Programs whose presence changes the rows (the repair stage's OCR).
PROGRAMS = ("tesseract",)


def pipeline_key() -> str:
    """``VERSION+FINGERPRINT``: what a cached result must have been made with.

    Computed afresh for each run (a few milliseconds), so that a long-lived
    process sees code edited since it started.
    """
    from pipeline.reading import evidence_settings

    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for version in library_versions(LIBRARIES):
        digest.update(version.encode())
    for program in PROGRAMS:
        digest.update(f"{program}={bool(shutil.which(program))}".encode())
    digest.update(f"evidence={evidence_settings()}".encode())
    digest.update(f"python={sys.version_info[:2]}".encode())
    return f"{__version__}+{digest.hexdigest()[:12]}"


class ResultCache:
    """The cache of one output folder, for runs with or without entities."""

    def __init__(self, out_dir: Path, entities: bool = True, key: str | None = None, limits: Limits | None = None, settings=None):
        self.root = out_dir / CACHE_DIR
        self.entities = entities
        self.key = key or pipeline_key()
        if settings is not None and settings != DEFAULT_SETTINGS:  # thresholds from a config file decide the rows too
            self.key += "~" + hashlib.sha256(repr(settings).encode()).hexdigest()[:8]
        self.limits = asdict(limits or Limits())
        self.unwritable: str | None = None  # why entries could not be kept, once said

    def folder(self, sha256: str) -> Path:
        return self.root / f"{sha256}-{self.key}"

    def entry(self, sha256: str, doc_id: str, entities: bool) -> Path:
        return self.folder(sha256) / f"{_file_stem(doc_id)}.{'entities' if entities else 'no-entities'}.json"

    def get(self, source: str, doc_id: str, sha256: str) -> Outcome | None:
        """The kept outcome of this file's bytes under this name, or None."""
        variants = [True] if self.entities else [False, True]
        for with_entities in variants:
            stored = _load(self.entry(sha256, doc_id, with_entities))
            if stored is None or (stored.get("source"), stored.get("doc_id"), stored.get("sha256")) != (source, doc_id, sha256):
                continue
            if stored.get("limits") not in (None, self.limits):
                continue  # failed past bounds other than today's: try again
            rows = stored["rows"]
            if with_entities and not self.entities:
                rows = {**rows, "entities": []}
            status, error, code = stored.get("status") or "failed", stored.get("error"), stored.get("error_code")
            return Outcome(source, doc_id, sha256, status, error, rows, code, cached=True)
        return None

    def put(self, outcome: Outcome) -> bool:
        """Keep ``outcome`` for the next run; False when it is not worth keeping."""
        if not outcome.reusable or outcome.cached or not outcome.sha256:
            return False
        stored = {
            "format": FORMAT,
            "pipeline_key": self.key,
            "source": outcome.source,
            "doc_id": outcome.doc_id,
            "sha256": outcome.sha256,
            "entities": self.entities,
            "status": outcome.status,
            "error": outcome.error,
            "error_code": None if outcome.error_code is None else str(outcome.error_code),
            "timings": outcome.timings,
            "limits": self.limits if outcome.limits is not None else None,
            "rows": outcome.rows,
        }
        try:
            data = json.dumps(stored, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "backslashreplace")
            # Not flushed to disk: an entry a power cut spoils is unreadable and so ignored.
            write_bytes_atomic(self.entry(outcome.sha256, outcome.doc_id, self.entities), data, durable=False)
        except (OSError, ValueError) as error:  # a full disk: the run goes on, the file is read again next time
            if self.unwritable is None:
                self.unwritable = str(getattr(error, "strerror", None) or error)
                print(f"newsletter-extract: cache not kept ({self.unwritable}); unchanged files will be read again next run", file=sys.stderr)
            return False
        return True

    def prune(self, sha256s: set[str]) -> int:
        """Remove entries of other files and other pipeline keys; returns how many folders went."""
        if not self.root.is_dir():
            return 0
        keep = {self.folder(sha256).name for sha256 in sha256s} | {STAGES_DIR}  # the stage cache prunes its own
        removed = 0
        for folder in self.root.iterdir():
            if folder.name not in keep:
                if folder.is_dir():
                    shutil.rmtree(folder, ignore_errors=True)
                else:
                    folder.unlink(missing_ok=True)
                removed += 1
        return removed


def _load(path: Path) -> dict | None:
    try:
        stored = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("format") != FORMAT or not isinstance(stored.get("rows"), dict):
        return None
    return stored


def _file_stem(doc_id: str) -> str:
    """``doc_id``, shortened with a hash where it would make too long a file name."""
    if len(doc_id.encode("utf-8")) <= 160:
        return doc_id
    return doc_id[:60] + "~" + hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:16]
