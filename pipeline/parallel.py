"""The unit of work (one PDF in, its table rows out) and the engines that run it.

:func:`extract_one` shares no state with other documents: it reads one file
and returns an :class:`Outcome`, plain data that pickles.  Any engine that
can call a function on many inputs can run it; :func:`run_documents` has
two:

* in this process, one document after another (``--jobs 1``);
* a pool of worker processes (``concurrent.futures``), each loading GiNZA
  once, the first time one of its documents has articles.

A worker that dies (a crash in a C library, the kernel's out-of-memory
killer) takes with it the documents it was given; those are then run again
one at a time, so the file that kills a worker is named and marked failed,
and the others are read.  Workers exit when the run that started them dies.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import queue as queue_module
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

#: Failed documents whose reason contains this may read fine with another password.
ENCRYPTED = "encrypted PDF"


@dataclass
class Outcome:
    """What one document gives the tables, and how it went."""

    source: str
    doc_id: str
    sha256: str | None
    status: str  # ok, partial, failed
    error: str | None
    rows: dict[str, list[dict]]
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, this run
    cached: bool = False  # taken from the per-document cache, not read now
    transient: bool = False  # failed for a reason that may not recur (a worker died)

    @property
    def reusable(self) -> bool:
        """Worth keeping for the next run: the same file, code and settings give it again."""
        return not self.transient and not (self.status == "failed" and ENCRYPTED in (self.error or ""))

    @property
    def n_pages(self) -> int:
        documents = self.rows.get("documents") or [{}]
        return int(documents[0].get("n_pages") or 0)


def extract_one(
    path: Path,
    password: str | None = None,
    entity_finder=None,
    on_page: Callable[[int], None] | None = None,
    source: str | None = None,
) -> Outcome:
    """Extract, repair, split and pull one PDF into its table rows.

    Never raises for a bad file or a bug in a stage: the document comes
    back ``failed`` with the reason, so the batch goes on.
    """
    from pipeline.run import process_document

    load_before = getattr(entity_finder, "load_seconds", 0.0)
    find_before = getattr(entity_finder, "find_seconds", 0.0)
    try:
        result = process_document(path, password, entity_finder, on_page, source)
    except OSError as error:
        return failed_outcome(path, f"cannot read the file: {error.strerror or error}", source=source)
    except Exception as error:  # a stage broke on this file: report it, go on
        return failed_outcome(path, f"internal error while reading this file: {type(error).__name__}: {error}"[:300], source=source)
    timings = dict(result.timings)
    load = getattr(entity_finder, "load_seconds", 0.0) - load_before
    if load:  # the model's one-off load is no document's pull time
        timings["pull"] = timings.get("pull", 0.0) - load
        timings["load_model"] = load
    entities = getattr(entity_finder, "find_seconds", 0.0) - find_before
    if entities:
        timings["entities"] = entities
    document = result.document
    return Outcome(document.source, document.doc_id, document.sha256, document.status, document.error, result.rows(), timings)


def failed_outcome(path: Path, reason: str, transient: bool = False, source: str | None = None) -> Outcome:
    """A ``failed`` documents row for a file the pipeline could not run on."""
    from pipeline.records import Document
    from pipeline.run import doc_id_for, document_row, sha256_of

    try:
        sha256 = sha256_of(path)
    except OSError:
        sha256 = None
    source = source or path.name
    document = Document(doc_id=doc_id_for(source), source=source, sha256=sha256, status="failed", error=reason)
    rows = {"documents": [document_row(document, 0)]}
    return Outcome(document.source, document.doc_id, sha256, "failed", reason, rows, transient=transient)


class LazyEntityFinder:
    """Loads GiNZA on first use, so a batch of unreadable or cached files never pays for it.

    Counts the seconds spent loading and finding, for the stage timings.
    """

    def __init__(self) -> None:
        self._finder = None
        self.load_seconds = 0.0
        self.find_seconds = 0.0

    def find(self, texts: list[str]):
        if self._finder is None:
            start = time.perf_counter()
            from pipeline.pull.entities import get_entity_finder

            self._finder = get_entity_finder()
            self.load_seconds += time.perf_counter() - start
        start = time.perf_counter()
        try:
            return self._finder.find(texts)
        finally:
            self.find_seconds += time.perf_counter() - start


# Progress callbacks: on_start(index, n_pages or None) when a document is begun,
# on_page(index) after each of its pages.
StartCallback = Callable[[int, "int | None"], None]
PageCallback = Callable[[int], None]


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_documents(
    paths: list[Path],
    password: str | None = None,
    entities: bool = True,
    jobs: int = 1,
    on_start: StartCallback | None = None,
    on_page: PageCallback | None = None,
    work: Callable | None = None,
    root: Path | None = None,
) -> Iterator[tuple[int, Outcome]]:
    """Run :func:`extract_one` on every path; yield ``(index, outcome)`` as each finishes.

    ``root``: the batch folder, which documents are named relative to
    (:func:`pipeline.run.source_name`).  ``work`` replaces the worker-side
    function (tests use it to kill a worker).
    """
    from pipeline.run import source_name

    on_start = on_start or (lambda index, n_pages: None)
    on_page = on_page or (lambda index: None)
    sources = [source_name(path, root) for path in paths]
    if jobs <= 1 or len(paths) <= 1:
        yield from _run_here(paths, sources, password, entities, on_start, on_page)
    else:
        yield from _run_pool(paths, sources, password, entities, min(jobs, len(paths)), on_start, on_page, work or _work)


def _run_here(paths, sources, password, entities, on_start, on_page) -> Iterator[tuple[int, Outcome]]:
    finder = LazyEntityFinder() if entities else None
    for index, (path, source) in enumerate(zip(paths, sources)):
        on_start(index, _count_pages(path, password))
        yield index, extract_one(path, password, finder, lambda _page, index=index: on_page(index), source)


def _count_pages(path: Path, password: str | None) -> int | None:
    from pipeline.extract.pdf import count_pages

    try:
        return count_pages(path, password)
    except Exception:  # the document's own run says what is wrong with it
        return None


# --- worker processes -------------------------------------------------------

_worker: dict = {}


def _init_worker(password: str | None, entities: bool, progress, blas_threads: int) -> None:
    """Runs once in each worker: its own entity finder, and a watch on the run."""
    _exit_with_parent()
    _limit_blas_threads(blas_threads)
    _worker.update(password=password, finder=LazyEntityFinder() if entities else None, progress=progress)
    # Progress messages still unsent when the worker exits may go: waiting to
    # send them could wait on a run that has stopped reading them.
    progress.cancel_join_thread()
    progress.put(("ready", os.getpid(), None))


def _work(index: int, path: str, source: str | None = None) -> Outcome:
    progress = _worker["progress"]
    password = _worker["password"]
    progress.put(("start", index, None))
    progress.put(("pages", index, _count_pages(Path(path), password)))
    return extract_one(Path(path), password, _worker["finder"], lambda _page: progress.put(("page", index, None)), source)


def _limit_blas_threads(threads: int) -> None:
    """Give each worker its share of the cores for GiNZA's matrix products.

    OpenBLAS (numpy's, which GiNZA's layers multiply with) starts one thread
    per core in every process; with a worker per core that is cores x cores
    threads spinning for cores.  Set before numpy is imported, which it is
    not yet in a new worker; a value the user set is kept.
    """
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, str(threads))


def _exit_with_parent() -> None:
    """Leave as soon as the run that started this worker dies (even by SIGKILL).

    Otherwise a killed run leaves workers reading on, waiting for work that
    never comes.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _context():
    # forkserver: workers start from a clean process that has imported the
    # pipeline once, not from a copy of this one (threads, open files).
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["pipeline.run", "pipeline.parallel"])
        return context
    return multiprocessing.get_context("spawn")


def _pool(context, workers: int, password, entities, progress) -> ProcessPoolExecutor:
    blas_threads = max(1, default_jobs() // workers)
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(password, entities, progress, blas_threads))


def _run_pool(paths, sources, password, entities, workers, on_start, on_page, work) -> Iterator[tuple[int, Outcome]]:
    context = _context()
    progress = context.Queue()
    ready: set[int] = set()  # workers that started
    started: set[int] = set()  # documents a worker began

    def drain() -> None:
        while True:
            try:
                kind, index, value = progress.get_nowait()
            except (queue_module.Empty, OSError, ValueError):
                return
            if kind == "ready":
                ready.add(index)
            elif kind == "start":
                started.add(index)
            elif kind == "pages":
                on_start(index, value)
            else:
                on_page(index)

    def outcomes(pool, futures) -> Iterator[tuple[int, Outcome | None]]:
        """(index, outcome) as futures finish; outcome None when the pool broke under it."""
        pending = set(futures)
        try:
            while pending:
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                drain()
                for future in sorted(done, key=futures.get):
                    index = futures[future]
                    try:
                        yield index, future.result()
                    except BrokenProcessPool:
                        yield index, None
                    except Exception as error:  # the outcome could not come back
                        reason = f"internal error: {type(error).__name__}: {error}"[:300]
                        yield index, failed_outcome(paths[index], reason, source=sources[index])
            drain()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise

    breaks: dict[int, int] = {}
    remaining = list(range(len(paths)))
    try:
        while remaining:
            broken: list[int] = []
            with _pool(context, min(workers, len(remaining)), password, entities, progress) as pool:
                futures = {pool.submit(work, index, str(paths[index]), sources[index]): index for index in remaining}
                for index, outcome in outcomes(pool, futures):
                    if outcome is None:
                        broken.append(index)
                    else:
                        yield index, outcome
            if broken and not ready:
                # No worker got as far as its first document: they cannot start
                # here (a script without ``if __name__ == "__main__":`` is the
                # usual cause).  Read in this process instead.
                print(
                    "newsletter-extract: worker processes could not start; reading the documents here, one at a time",
                    file=sys.stderr,
                )
                here = _run_here([paths[i] for i in broken], [sources[i] for i in broken], password, entities, on_start, on_page)
                for position, outcome in here:
                    yield broken[position], outcome
                return
            # A worker died and took its documents with it.  Those it had begun
            # run one at a time, so that the file that kills a worker is the one
            # that fails; those it had not begun go round again.
            for index in broken:
                breaks[index] = breaks.get(index, 0) + 1
            suspects = [index for index in broken if index in started or breaks[index] > 1]
            remaining = [index for index in broken if index not in suspects]
            for index in suspects:
                yield index, _run_alone(context, password, entities, progress, work, index, paths[index], sources[index], outcomes)
    finally:
        progress.close()


def _run_alone(context, password, entities, progress, work, index, path, source, outcomes) -> Outcome:
    with _pool(context, 1, password, entities, progress) as pool:
        for _, outcome in outcomes(pool, {pool.submit(work, index, str(path), source): index}):
            if outcome is not None:
                return outcome
    reason = "the worker process died while reading this file (a crash, or out of memory)"
    return failed_outcome(path, reason, transient=True, source=source)
