"""Run the pipeline over a folder of PDFs and write the tables.

A run does only what changed: each PDF is known by the hash of its bytes,
and a file whose result is in the output folder's cache (same bytes, same
pipeline, see :mod:`pipeline.cache`) is not read again.  The others are read
in worker processes, ``jobs`` at a time (:mod:`pipeline.parallel`), each
loading GiNZA once and only when one of its documents has articles.

Each file's failure is reported (stderr and its ``documents`` row) and the
batch goes on.  The tables are rebuilt from every document's rows and
published as one set (:mod:`pipeline.atomic`), so a run killed at any moment
leaves the previous tables readable, and the next run completes them, from
the cache for the documents the killed run had finished.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from pipeline.atomic import OutputLock, recover, remove_leftovers
from pipeline.audit.decisions import apply_decisions
from pipeline.cache import ResultCache
from pipeline.parallel import Outcome, default_jobs, failed_outcome, run_documents
from pipeline.run import doc_id_for, sha256_of, source_name
from pipeline.tables import TABLES
from pipeline.timing import add_up
from pipeline.write import write_tables


@dataclass
class BatchSummary:
    statuses: Counter = field(default_factory=Counter)
    counts: dict[str, int] = field(default_factory=dict)
    read: int = 0  # documents read in this run
    reused: int = 0  # documents whose rows came from the cache
    pages: int = 0  # pages of the documents read in this run
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, summed over documents
    seconds: float = 0.0  # the whole run, wall clock

    @property
    def failed(self) -> int:
        return self.statuses.get("failed", 0)

    def line(self) -> str:
        documents = sum(self.statuses.values())
        return (
            f"{documents} documents: {self.statuses.get('ok', 0)} ok, {self.statuses.get('partial', 0)} partial, "
            f"{self.failed} failed | articles {self.counts.get('articles', 0)}, figures {self.counts.get('figures', 0)}, "
            f"dates {self.counts.get('dates', 0)}, entities {self.counts.get('entities', 0)}, "
            f"repairs {self.counts.get('repairs', 0)} | {self.read} read, {self.reused} unchanged"
        )


def find_pdfs(raw_dir: Path) -> list[Path]:
    """Every ``*.pdf`` under ``raw_dir``, in a stable order."""
    return sorted(p for p in raw_dir.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")


def run_batch(
    raw_dir: Path,
    out_dir: Path,
    password: str | None = None,
    progress: bool = True,
    entities: bool = True,
    jobs: int | None = None,
) -> BatchSummary:
    """Read every PDF under ``raw_dir`` (unchanged ones from the cache) and write the tables.

    ``jobs``: documents read at once, each in its own process (default: all
    cores; 1 reads them here, one after another).  Raises
    :class:`pipeline.atomic.OutputLockedError` when another run is writing
    ``out_dir``.
    """
    start = time.perf_counter()
    jobs = jobs or default_jobs()
    paths = find_pdfs(raw_dir)
    summary = BatchSummary()
    out_dir.mkdir(parents=True, exist_ok=True)
    with OutputLock(out_dir):
        recover(out_dir)  # tables a killed run had committed go in first
        remove_leftovers(out_dir)
        cache = ResultCache(out_dir, entities=entities)
        outcomes: list[Outcome | None] = [None] * len(paths)
        with _Progress(progress, len(paths)) as bar:
            to_read = []
            clashes = _id_clashes(paths, raw_dir)
            for index, path in enumerate(paths):
                outcome = clashes.get(index) or _from_cache(cache, path, raw_dir)
                if outcome is None:
                    to_read.append(index)
                else:
                    outcomes[index] = outcome
                    bar.finished(path, outcome)
            run = run_documents(
                [paths[index] for index in to_read],
                password,
                entities,
                jobs,
                on_start=lambda position, n_pages: bar.started(n_pages),
                on_page=lambda position: bar.page(),
                root=raw_dir,
            )
            for position, outcome in run:
                index = to_read[position]
                cache.put(outcome)  # now: the audit below changes rows in place
                outcomes[index] = outcome
                bar.finished(paths[index], outcome)

        tables: dict[str, list[dict]] = {name: [] for name in TABLES}
        for outcome in outcomes:
            summary.statuses[outcome.status] += 1
            if outcome.cached:
                summary.reused += 1
            else:
                summary.read += 1
                summary.pages += outcome.n_pages
                add_up(summary.timings, outcome.timings)
            for name, rows in outcome.rows.items():
                tables.setdefault(name, []).extend(rows)
        apply_decisions(out_dir, tables)  # the auditor's audit/decisions.csv, on every run
        write_start = time.perf_counter()
        summary.counts = write_tables(out_dir, tables)
        summary.timings["write"] = time.perf_counter() - write_start
        cache.prune({outcome.sha256 for outcome in outcomes if outcome.sha256})
    summary.seconds = time.perf_counter() - start
    return summary


def _id_clashes(paths: list[Path], root: Path) -> dict[int, Outcome]:
    """Failed outcomes for files whose id another file already has.

    Ids are names made safe, so ``a b.pdf`` and ``a_b.pdf`` both come out
    ``a_b``; the second is not read (its rows would be taken for the
    first's) but listed as failed under ``a_b~2``, with the fix.
    """
    taken: dict[str, str] = {}
    clashes: dict[int, Outcome] = {}
    for index, path in enumerate(paths):
        source = source_name(path, root)
        doc_id = doc_id_for(source)
        if doc_id not in taken:
            taken[doc_id] = source
            continue
        reason = f"its id {doc_id!r} is already that of {taken[doc_id]!r}: rename one of the two files"
        outcome = failed_outcome(path, reason, transient=True, source=source)
        number = 2
        while f"{doc_id}~{number}" in taken:
            number += 1
        outcome.doc_id = f"{doc_id}~{number}"
        outcome.rows["documents"][0]["doc_id"] = outcome.doc_id
        taken[outcome.doc_id] = source
        clashes[index] = outcome
    return clashes


def _from_cache(cache: ResultCache, path: Path, root: Path) -> Outcome | None:
    try:
        sha256 = sha256_of(path)
    except OSError:
        return None  # reading it says what is wrong
    source = source_name(path, root)
    return cache.get(source, doc_id_for(source), sha256)


class _Progress:
    """A bar over the documents, one over the pages being read, and a line per problem."""

    def __init__(self, enabled: bool, n_documents: int):
        self.documents = tqdm(total=n_documents, desc="documents", unit="doc", disable=not enabled, file=sys.stderr)
        self.pages = tqdm(total=0, desc="pages", unit="page", disable=not enabled, file=sys.stderr, leave=False)

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc_info) -> None:
        self.pages.close()
        self.documents.close()

    def started(self, n_pages: int | None) -> None:
        if n_pages and not self.pages.disable:
            self.pages.total += n_pages
            self.pages.refresh()

    def page(self) -> None:
        self.pages.update(1)

    def finished(self, path: Path, outcome: Outcome) -> None:
        if outcome.status in ("failed", "partial"):
            tqdm.write(f"newsletter-extract: {path}: {outcome.status}: {outcome.error}", file=sys.stderr)
        self.documents.update(1)
