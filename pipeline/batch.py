"""Run the pipeline over a folder of PDFs and write the tables.

A run does only what changed: each PDF is known by the hash of its bytes,
and a file whose result is in the output folder's cache (same bytes, same
pipeline, see :mod:`pipeline.cache`) is not read again.  The others are read
in worker processes, ``jobs`` at a time (:mod:`pipeline.parallel`), forked
from a server that has loaded GiNZA once for all of them, or as Dask tasks
(:mod:`pipeline.dask_engine`).

Each file's failure is reported (stderr and its ``documents`` row) and the
batch goes on.  The tables are rebuilt from every document's rows and
published as one set (:mod:`pipeline.atomic`), so a run killed at any moment
leaves the previous tables readable, and the next run completes them, from
the cache for the documents the killed run had finished.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from tqdm import tqdm

from pipeline.atomic import OutputLock, recover, remove_leftovers
from pipeline.audit.decisions import apply_decisions
from pipeline.cache import ResultCache
from pipeline.codes import ErrorCode, Status
from pipeline.dataset.validate import document_problems
from pipeline.limits import Limits
from pipeline.parallel import Outcome, default_jobs, failed_outcome, run_documents, start_early
from pipeline.run import doc_id_for, readable_name, sha256_of, source_name
from pipeline.settings import Settings
from pipeline.stage_cache import ANALYSIS_STAGE, READ_STAGE, STAGES_DIR, StageCache
from pipeline.stage_cache import now as stage_cache_now
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
    first_read: float | None = None  # seconds from the run's start to the first document read in it (start-up: workers, model)
    first_read_at: float | None = None  # the same moment as a Unix time, to measure start-up from a command's launch

    def timings_record(self) -> dict:
        """What ``extract --timings FILE`` writes: the run's clock, its stages and what it read."""
        return {
            "seconds": self.seconds,
            "first_read_s": self.first_read,
            "first_read_at": self.first_read_at,
            "stages": dict(self.timings),
            "read": self.read,
            "reused": self.reused,
            "pages": self.pages,
        }

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


class FoldersOverlapError(ValueError):
    """RAW_DIR and OUT_DIR are one folder, or OUT_DIR holds RAW_DIR: a run would write among the user's own files."""


def check_folders(raw_dir: Path, out_dir: Path) -> None:
    """Refuse an output folder that is, or holds, the input folder.

    The output folder is the pipeline's own: it rewrites its tables and
    clears its temporary files (``.tmp-*``) there, which among the user's
    PDFs would overwrite or delete theirs.  An output folder *inside* the
    input folder is fine: it is left out of the search for PDFs.
    """
    raw, out = raw_dir.resolve(), out_dir.resolve()
    if raw == out:
        raise FoldersOverlapError(f"OUT_DIR {out_dir} is RAW_DIR itself: give an output folder of its own, e.g. --out extracted")
    if out in raw.parents:
        raise FoldersOverlapError(f"OUT_DIR {out_dir} holds RAW_DIR {raw_dir}: give an output folder that does not contain the PDFs")


def find_pdfs(raw_dir: Path, out_dir: Path | None = None) -> list[Path]:
    """Every regular ``*.pdf`` file under ``raw_dir`` (not under ``out_dir``), in a stable order."""
    return find_inputs(raw_dir, out_dir)[0]


def find_inputs(raw_dir: Path, out_dir: Path | None = None) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The PDFs to read, and the ``*.pdf`` names that cannot be read as files, each with the reason.

    A name ending in ``.pdf`` that is a FIFO, a device, a folder or a link
    to nothing is not silently passed over: the batch lists it as failed.
    Reading a FIFO would wait forever, so nothing here opens what it finds.
    """
    out = out_dir.resolve() if out_dir is not None else None
    pdfs, skipped = [], []
    for path in sorted(raw_dir.rglob("*")):
        if not path.name.lower().endswith(".pdf"):
            continue
        if out is not None and (path.resolve() == out or out in path.resolve().parents):
            continue
        reason = _not_a_file(path)
        if reason is None:
            pdfs.append(path)
        else:
            skipped.append((path, reason))
    return pdfs, skipped


def _not_a_file(path: Path) -> str | None:
    """Why ``path`` is not a regular file to read, or None when it is one."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a link to a file that does not exist" if path.is_symlink() else "vanished while the batch was listed"
    except OSError as error:
        return f"cannot be looked at: {error.strerror or error}"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a file: not read"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file: not read"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file: not read"
    return "not a regular file: not read"


def run_batch(
    raw_dir: Path,
    out_dir: Path,
    password: str | None = None,
    progress: bool = True,
    entities: bool = True,
    jobs: int | None = None,
    limits: Limits | None = None,
    settings: Settings | None = None,
    dask: str | None = None,
    keep_stages: bool = True,
) -> BatchSummary:
    """Read every PDF under ``raw_dir`` (unchanged ones from the cache) and write the tables.

    ``jobs``: documents read at once, each in its own process (default: all
    cores; 1 reads them here, one after another).  ``limits``: what one
    document may cost (:class:`pipeline.limits.Limits`).  ``settings``: the
    stages' thresholds (:class:`pipeline.settings.Settings`; defaults if None).
    ``dask``: a Dask cluster's address (``tcp://host:8786`` or ``local:N``) to
    read the files the cache does not have on, instead of ``jobs``
    (:mod:`pipeline.dask_engine`).  Raises :class:`FoldersOverlapError` when
    ``out_dir`` is or holds ``raw_dir``,
    :class:`pipeline.atomic.OutputLockedError` when another run is writing
    ``out_dir``, :class:`pipeline.dask_engine.ClusterUnreachable` (before
    ``out_dir`` is touched) and :class:`pipeline.dask_engine.ClusterLost`
    (the previous tables kept) for a cluster that fails the run.
    ``keep_stages=False`` neither looks up nor keeps stage outputs
    (:mod:`pipeline.stage_cache`): every document is read and every text
    goes through GiNZA, as ``make bench`` needs to time the stages themselves.
    """
    start = time.perf_counter()
    check_folders(raw_dir, out_dir)
    jobs = jobs or default_jobs()
    limits = limits or Limits()
    paths, skipped = find_inputs(raw_dir, out_dir)
    if dask is None and len(paths) > 1:
        start_early(jobs, entities)  # the workers' model loads while the cache is looked up
    summary = BatchSummary()
    with _engine(dask) as cluster, OutputLock(out_dir):
        recover(out_dir)  # tables a killed run had committed go in first
        remove_leftovers(out_dir)
        cache = ResultCache(out_dir, entities=entities, limits=limits, settings=settings)
        stages = StageCache(cache.root / STAGES_DIR)
        store_root = stages.root if keep_stages else None
        run_started = stage_cache_now()
        outcomes: list[Outcome | None] = [None] * len(paths)
        not_read = [
            failed_outcome(path, reason, transient=True, source=source_name(path, raw_dir), code=ErrorCode.NOT_A_REGULAR_FILE)
            for path, reason in skipped
        ]
        with _Progress(progress, len(paths) + len(skipped)) as bar:
            for (path, _), outcome in zip(skipped, not_read):
                bar.finished(path, outcome)
            to_read = []
            clashes = _id_clashes(paths, raw_dir)
            for index, path in enumerate(paths):
                outcome = clashes.get(index) or _from_cache(cache, path, raw_dir)
                if outcome is None:
                    to_read.append(index)
                else:
                    outcomes[index] = outcome
                    bar.finished(path, outcome)
            on_start = lambda position, n_pages: bar.started(n_pages)  # noqa: E731
            if cluster is not None:
                run = cluster.run_documents(
                    [paths[index] for index in to_read],
                    [source_name(paths[index], raw_dir) for index in to_read],
                    password,
                    entities,
                    limits,
                    store_root,
                    settings,
                    on_start=on_start,
                    on_page=lambda position: bar.page(),
                )
            else:
                run = run_documents(
                    [paths[index] for index in to_read],
                    password,
                    entities,
                    jobs,
                    on_start=on_start,
                    on_page=lambda position: bar.page(),
                    root=raw_dir,
                    limits=limits,
                    store_root=store_root,
                    settings=settings,
                )
            for position, outcome in run:
                if summary.first_read is None:
                    summary.first_read = time.perf_counter() - start
                    summary.first_read_at = time.time()
                index = to_read[position]
                cache.put(outcome)  # now, so that a killed run keeps it; checked against the schema below
                outcomes[index] = outcome
                bar.finished(paths[index], outcome)
        outcomes = all_admitted(outcomes, paths, cache)
        outcomes = _without_id_clashes(outcomes + not_read)

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
        if keep_stages:
            _prune_stages(stages, run_started, entities, all_read=len(to_read) == len(paths))
    summary.seconds = time.perf_counter() - start
    return summary


@contextmanager
def _engine(dask: str | None):
    """The Dask session for ``dask``, opened (a remote scheduler reached) before the output folder is touched; None without."""
    if dask is None:
        yield None
        return
    from pipeline.dask_engine import DaskSession

    with DaskSession(dask) as session:
        yield session


def _prune_stages(stages: StageCache, run_started: float, entities: bool, all_read: bool) -> None:
    """Drop stage entries this run did not use: kept reads when every file went through the
    stages (a file answered from the result cache does not touch its read), GiNZA's
    analyses only when entities were found (a run without them touches none)."""
    if all_read:
        stages.prune(READ_STAGE, run_started)
        if entities:
            stages.prune(ANALYSIS_STAGE, run_started)


#: Tables whose rows no other row points to: a bad one can go alone.
LEAF_TABLES = ("figures", "dates", "entities", "repairs", "fonts", "ruby")


def all_admitted(outcomes: list[Outcome], paths: list[Path], cache: ResultCache) -> list[Outcome]:
    """The batch's outcomes as they may join the tables: the rows of all checked against the schema at once,
    and only when that finds a problem, each document's on its own (:func:`admitted`).

    One check of everything costs what one document's check costs (the
    schema's checks are column-wide), so the usual batch, in which every
    row is good, pays for one check instead of one per document.  An
    outcome the check changes is kept in the cache as changed, and said.
    """
    if not document_problems(_merged(outcome.rows for outcome in outcomes)):
        return outcomes
    checked = []
    for outcome, path in zip(outcomes, paths):
        kept = admitted(outcome, path)
        if kept is not outcome:
            if not outcome.cached:
                cache.put(kept)
            tqdm.write(f"newsletter-extract: {readable_name(str(path))}: {kept.status}: {kept.error}", file=sys.stderr)
        checked.append(kept)
    return checked


def _merged(parts) -> dict[str, list[dict]]:
    merged: dict[str, list[dict]] = {}
    for rows in parts:
        for name, table in rows.items():
            merged.setdefault(name, []).extend(table)
    return merged


def admitted(outcome: Outcome, path: Path) -> Outcome:
    """``outcome`` as it may join the batch: its own rows checked against the schema first.

    One file's bad row must cost that file, never the whole write.  Rows of
    leaf tables that break the schema are left out and the document becomes
    ``partial`` with the reason; anything worse fails the document, with
    its first problem as the reason.  The outcome given is not changed.
    """
    problems = document_problems(outcome.rows)
    if not problems:
        return outcome
    first = f"{problems[0]}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
    if all(problem.table in LEAF_TABLES and problem.row is not None for problem in problems):
        bad = {(problem.table, problem.row - 1) for problem in problems}
        rows = {name: [row for n, row in enumerate(table) if (name, n) not in bad] for name, table in outcome.rows.items()}
        if not document_problems(rows):
            reason = f"{len(bad)} rows left out that break the table schema: {first}"
            error = "; ".join(filter(None, [outcome.error, reason]))
            status = Status.PARTIAL if outcome.status == Status.OK else outcome.status
            code = outcome.error_code or ErrorCode.ROWS_BREAK_SCHEMA  # the first reason's code
            rows["documents"] = [{**row, "status": str(status), "error": error, "error_code": str(code)} for row in rows["documents"]]
            return replace(outcome, status=status, error=error, error_code=code, rows=rows)
    reason = f"internal error: its rows break the table schema, so none were kept: {first}"
    failed = failed_outcome(path, reason[:1000], source=outcome.source, code=ErrorCode.ROWS_BREAK_SCHEMA)
    return replace(failed, doc_id=outcome.doc_id, timings=outcome.timings)


def _without_id_clashes(outcomes: list[Outcome]) -> list[Outcome]:
    """Outcomes whose ids are all different (a skipped file may share a read file's id)."""
    taken: set[str] = set()
    kept = []
    for outcome in outcomes:
        if outcome.doc_id in taken:
            doc_id = _free_id(outcome.doc_id, taken)
            rows = {"documents": [{**row, "doc_id": doc_id} for row in outcome.rows["documents"]]}
            outcome = replace(outcome, doc_id=doc_id, rows=rows)
        taken.add(outcome.doc_id)
        kept.append(outcome)
    return kept


def _free_id(doc_id: str, taken) -> str:
    """``doc_id~2``, ``~3``, …: the first that no other document has."""
    number = 2
    while f"{doc_id}~{number}" in taken:
        number += 1
    return f"{doc_id}~{number}"


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
        outcome = failed_outcome(path, reason, transient=True, source=source, code=ErrorCode.ID_CLASH)
        outcome.doc_id = _free_id(doc_id, taken)
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
    return cache.get(source, doc_id_for(source), sha256)  # checked against the schema with the rest (all_admitted)


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
            tqdm.write(f"newsletter-extract: {readable_name(str(path))}: {outcome.status}: {outcome.error}", file=sys.stderr)
        self.documents.update(1)
