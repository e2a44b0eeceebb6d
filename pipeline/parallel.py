"""The unit of work (one PDF in, its table rows out) and the engines that run it.

:func:`extract_one` shares no state with other documents: it reads one file
and returns an :class:`Outcome`, plain data that pickles.  Any engine that
can call a function on many inputs can run it; :func:`run_documents` has
two:

* in this process, one document after another (``--jobs 1``);
* worker processes of its own, one document at a time each, forked from a
  fork server that loaded GiNZA once for all of them (when the run finds
  entities), so that they share the model's pages.

Every document is read under its bounds (:mod:`pipeline.limits`): a
document past its time or memory bound is interrupted and comes back
``failed`` with the bound it broke.  The workers are also watched from
here: one that does not stop (stuck in C code) is killed once its bound and
a grace period are past, its document marked ``failed``, and the worker
replaced.  A worker that dies (a crash in a C library, the kernel's
out-of-memory killer) has its document tried once more on a fresh worker;
a second death marks it ``failed``.  The other documents never notice.
Workers exit when the run that started them dies.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.codes import ENCRYPTED, TRANSIENT, ErrorCode, Status
from pipeline.limits import DocumentGuard, LimitExceeded, Limits, resident_bytes_of
from pipeline.settings import DEFAULT as DEFAULT_SETTINGS



@dataclass
class Outcome:
    """What one document gives the tables, and how it went."""

    source: str
    doc_id: str
    sha256: str | None
    status: str  # ok, partial, failed
    error: str | None
    rows: dict[str, list[dict]]
    error_code: str | None = None  # pipeline.codes.ErrorCode of the first reason; None when ok
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, this run
    cached: bool = False  # taken from the per-document cache, not read now
    transient: bool = False  # failed for a reason that may not recur (a worker died)
    limits: Limits | None = None  # failed past these bounds (others may read it)

    @property
    def reusable(self) -> bool:
        """Worth keeping for the next run: the same file, code and settings give it again."""
        if self.transient or self.error_code in TRANSIENT:
            return False
        return not (self.status == Status.FAILED and self.error_code in ENCRYPTED)

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
    limits: Limits | None = None,
    on_start: Callable[["int | None"], None] | None = None,
    store=None,
    settings=None,
) -> Outcome:
    """Extract, repair, split and pull one PDF into its table rows, within ``limits``.

    Never raises for a bad file, a bug in a stage or a broken bound: the
    document comes back ``failed`` with the reason, so the batch goes on.
    ``on_start`` hears the page count (None when it cannot be read) before
    the first page is read.  ``store`` (a :class:`pipeline.stage_cache.StageCache`)
    keeps stage outputs between runs; ``settings`` (a
    :class:`pipeline.settings.Settings`) the stages' thresholds, defaults if None.
    """
    from pipeline.run import process_document

    limits = limits or Limits()
    load_before = getattr(entity_finder, "load_seconds", 0.0)
    find_before = getattr(entity_finder, "find_seconds", 0.0)
    try:
        with DocumentGuard(limits) as guard:
            n_pages = _count_pages(path, password)
            guard.allow_pages(n_pages)
            if on_start:
                on_start(n_pages)
            result = process_document(path, password, entity_finder, on_page, source, store, settings or DEFAULT_SETTINGS)
    except LimitExceeded as exceeded:
        # The guard's two bounds give two fixed sentences; the memory one is the one that cannot vary.
        code = ErrorCode.MEMORY_LIMIT if exceeded.reason == limits.describe_memory() else ErrorCode.TIME_LIMIT
        outcome = failed_outcome(path, exceeded.reason, source=source, code=code)
        outcome.limits = limits
        return outcome
    except OSError as error:
        return failed_outcome(path, f"cannot read the file: {error.strerror or error}", source=source, code=ErrorCode.CANNOT_READ_FILE)
    except MemoryError:
        outcome = failed_outcome(path, f"ran out of memory ({limits.describe_memory()} or the machine's own)", source=source, code=ErrorCode.MEMORY_LIMIT)
        outcome.limits = limits
        return outcome
    except Exception as error:  # a stage broke on this file: report it, go on
        reason = f"internal error while reading this file: {type(error).__name__}: {error}"[:300]
        return failed_outcome(path, reason, source=source, code=ErrorCode.INTERNAL_ERROR)
    timings = dict(result.timings)
    load = getattr(entity_finder, "load_seconds", 0.0) - load_before
    if load:  # the model's one-off load is no document's pull time
        timings["pull"] = timings.get("pull", 0.0) - load
        timings["load_model"] = load
    entities = getattr(entity_finder, "find_seconds", 0.0) - find_before
    if entities:
        timings["entities"] = entities
    document = result.document
    return Outcome(document.source, document.doc_id, document.sha256, document.status, document.error, result.rows(), document.error_code, timings)


def failed_outcome(
    path: Path, reason: str, transient: bool = False, source: str | None = None, code: ErrorCode = ErrorCode.INTERNAL_ERROR
) -> Outcome:
    """A ``failed`` documents row for a file the pipeline could not run on, with the reason's ``code``."""
    from pipeline.records import Document
    from pipeline.run import doc_id_for, document_row, sha256_of, source_name

    try:
        sha256 = sha256_of(path)
    except OSError:
        sha256 = None
    source = source or source_name(path)
    document = Document(doc_id=doc_id_for(source), source=source, sha256=sha256, status=Status.FAILED, error=reason, error_code=code)
    rows = {"documents": [document_row(document, 0)]}
    return Outcome(document.source, document.doc_id, sha256, Status.FAILED, reason, rows, code, transient=transient)


class LazyEntityFinder:
    """Finds entities with the process's GiNZA, loaded on first use, so a batch of unreadable or
    cached files never pays for it; texts kept in ``store`` (a
    :class:`pipeline.stage_cache.StageCache`) are not read by the model again.

    Counts the seconds spent loading and finding, for the stage timings.
    """

    def __init__(self, store=None) -> None:
        self.store = store
        self._finder = None
        self.find_seconds = 0.0
        self.load_seconds = 0.0  # spent loading the model during this finder's calls

    @property
    def read_by_model(self) -> int:
        """Texts GiNZA read (the others came from the store)."""
        return self._finder.read_by_model if self._finder is not None else 0

    def find(self, texts: list[str]):
        if self._finder is None:
            from pipeline.pull.entities import EntityFinder

            self._finder = EntityFinder(store=self.store)
        start = time.perf_counter()
        load_before = self._finder.load_seconds
        try:
            return self._finder.find(texts)
        finally:
            loading = self._finder.load_seconds - load_before
            self.load_seconds += loading
            self.find_seconds += time.perf_counter() - start - loading


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
    limits: Limits | None = None,
    store_root: Path | None = None,
    settings=None,
) -> Iterator[tuple[int, Outcome]]:
    """Run :func:`extract_one` on every path; yield ``(index, outcome)`` as each finishes.

    ``root``: the batch folder, which documents are named relative to
    (:func:`pipeline.run.source_name`).  ``work`` replaces the worker-side
    function (tests use it to kill a worker).  ``limits`` bound each
    document (default: :class:`pipeline.limits.Limits`).  ``store_root``:
    where stage outputs are kept between runs (:mod:`pipeline.stage_cache`);
    None keeps none.  ``settings``: the stages' thresholds
    (:class:`pipeline.settings.Settings`), defaults if None.
    """
    from pipeline.run import source_name

    on_start = on_start or (lambda index, n_pages: None)
    on_page = on_page or (lambda index: None)
    limits = limits or Limits()
    sources = [source_name(path, root) for path in paths]
    if jobs <= 1 or len(paths) <= 1:
        yield from _run_here(paths, sources, password, entities, on_start, on_page, limits, store_root, settings)
    else:
        pool = _WorkerPool(min(jobs, len(paths)), password, entities, limits, work or _work, store_root, settings)
        yield from pool.run(paths, sources, on_start, on_page)


def _run_here(paths, sources, password, entities, on_start, on_page, limits, store_root=None, settings=None) -> Iterator[tuple[int, Outcome]]:
    store = _stage_store(store_root)
    finder = LazyEntityFinder(store) if entities else None
    for index, (path, source) in enumerate(zip(paths, sources)):
        yield index, extract_one(
            path,
            password,
            finder,
            lambda _page, index=index: on_page(index),
            source,
            limits,
            on_start=lambda n_pages, index=index: on_start(index, n_pages),
            store=store,
            settings=settings,
        )


def _count_pages(path: Path, password: str | None) -> int | None:
    from pipeline.extract.pdf import count_pages

    try:
        return count_pages(path, password)
    except Exception:  # the document's own run says what is wrong with it
        return None


# --- worker processes -------------------------------------------------------

#: A worker still running this long past its document's bound is killed.
GRACE_SECONDS = 20.0
#: ... and one whose memory grew this many times past the bound.
MEMORY_GRACE = 1.5
#: A worker whose resident memory stays above this share of the bound after a
#: document (memory a bomb left behind) is retired and replaced.
RETIRE_SHARE = 0.75

_worker: dict = {}


def _stage_store(root: Path | None):
    """The stage cache under ``root``, or None."""
    if root is None:
        return None
    from pipeline.stage_cache import StageCache

    return StageCache(Path(root))


def _worker_main(
    connection,
    password: str | None,
    entities: bool,
    limits: Limits,
    blas_threads: int,
    work: Callable,
    store_root: Path | None = None,
    settings=None,
) -> None:
    """A worker's life: read the documents it is sent, one at a time, until told to stop."""
    _exit_with_parent()
    _limit_blas_threads(blas_threads)
    store = _stage_store(store_root)
    _worker.update(password=password, finder=LazyEntityFinder(store) if entities else None, send=connection.send, limits=limits, store=store, settings=settings)
    connection.send(("ready", os.getpid(), None))
    baseline = None
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path, source = task
        try:
            outcome = work(index, path, source)
        except Exception as error:  # extract_one never raises; a stand-in ``work`` might
            outcome = failed_outcome(Path(path), f"internal error: {type(error).__name__}: {error}"[:300], source=source, code=ErrorCode.INTERNAL_ERROR)
        resident = resident_bytes_of(os.getpid())
        if baseline is None:
            baseline = resident
        retiring = outcome.limits is not None or bool(
            resident and baseline and limits.memory_mib and resident - baseline > RETIRE_SHARE * limits.memory_bytes
        )
        if retiring:  # said first, so that the run gives this worker nothing more
            connection.send(("retiring", index, None))
        connection.send(("done", index, outcome))
        if retiring:
            return  # memory a broken bound left behind goes with the process


def _work(index: int, path: str, source: str | None = None) -> Outcome:
    """Worker-side: one document, with its progress sent to the run."""
    send = _worker["send"]
    return extract_one(
        Path(path),
        _worker["password"],
        _worker["finder"],
        lambda _page: send(("page", index, None)),
        source,
        _worker["limits"],
        on_start=lambda n_pages: send(("pages", index, n_pages)),
        store=_worker.get("store"),
        settings=_worker.get("settings"),
    )


def _limit_blas_threads(threads: int) -> None:
    """Give each worker its share of the cores for GiNZA's matrix products.

    OpenBLAS (numpy's, which GiNZA's layers multiply with) starts one thread
    per core in every process; with a worker per core that is cores x cores
    threads spinning for cores.  The variables hold where numpy is not yet
    imported; a worker forked from a fork server that loaded the model
    (:mod:`pipeline.model_preload`) has numpy's BLAS running already, and is
    limited through threadpoolctl instead.  A value the user set is kept.
    """
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, str(threads))
    if "numpy" in sys.modules and os.environ.get("OPENBLAS_NUM_THREADS") == str(threads):
        # Forked from a server that loaded the model: numpy's BLAS started before the variables were set.
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=threads, user_api="blas")


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


def start_early(jobs: int, entities: bool) -> bool:
    """Start the fork server, and its model load, before the run asks for a worker.

    Left to itself, ``multiprocessing`` starts the fork server with the first
    worker, after the command's own imports (the pipeline: 1.5 s) and the
    cache lookups; the server's imports and GiNZA's load (2 s more) then come
    before the first document.  ``--jobs 1`` pays the load too, but only once
    and with its imports done.  Started at the top of the command, the
    server's work runs on another core while the command still imports, so
    ``--jobs N`` reaches its first document no later than ``--jobs 1``.  Only
    the server starts here: no worker, no document.  Returns whether it did
    (not for one job, nor where there is no fork server).
    """
    if jobs <= 1:
        return False
    context = _context(preload_model=entities)
    if context.get_start_method() != "forkserver":
        return False
    from multiprocessing import forkserver

    forkserver.ensure_running()
    return True


def _context(preload_model: bool = False):
    """forkserver: workers start from a clean process that has imported the
    pipeline once, not from a copy of this one (threads, open files).  With
    ``preload_model`` that process also loads GiNZA (:mod:`pipeline.model_preload`),
    so N workers share one load and its pages instead of paying N.  The
    fork server is started once per process: its first pool decides what it holds.
    """
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["pipeline.run", "pipeline.parallel", *(["pipeline.model_preload"] if preload_model else [])])
        return context
    return multiprocessing.get_context("spawn")


@dataclass
class _Worker:
    """One worker process, as the run sees it."""

    process: multiprocessing.process.BaseProcess
    connection: multiprocessing.connection.Connection
    ready: bool = False
    index: int | None = None  # the document it is reading
    started: float = 0.0  # when it was given that document
    seconds: float = 0.0  # that document's time bound (grows when its pages are counted)
    baseline: int | None = None  # its resident memory when it was given the document
    closed: bool = False  # its end of the pipe is closed: it has exited or is exiting
    retiring: bool = False  # it said it will exit after its document (memory left behind)

    @property
    def busy(self) -> bool:
        return self.index is not None


class _WorkerPool:
    """Worker processes that each read one document at a time, watched from here.

    Unlike ``concurrent.futures``, a worker that dies or is killed costs
    only the document it was reading: the pool knows which one that was.
    """

    POLL = 0.2  # seconds between looks at the workers' bounds

    def __init__(self, size: int, password, entities: bool, limits: Limits, work: Callable, store_root: Path | None = None, settings=None):
        self.size = size
        self.password = password
        self.entities = entities
        self.store_root = store_root
        self.settings = settings
        self.limits = limits
        self.work = work
        self.context = _context(preload_model=entities)
        self.blas_threads = max(1, default_jobs() // size)
        self.workers: list[_Worker] = []
        self.any_ready = False
        self.failed_starts = 0  # workers that died before saying they were ready

    def _start_worker(self) -> _Worker:
        here, there = self.context.Pipe()
        process = self.context.Process(
            target=_worker_main,
            args=(there, self.password, self.entities, self.limits, self.blas_threads, self.work, self.store_root, self.settings),
            name="newsletter-extract-worker",
            daemon=True,
        )
        process.start()
        there.close()
        worker = _Worker(process, here)
        self.workers.append(worker)
        return worker

    def _stop_worker(self, worker: _Worker, kill: bool = False) -> None:
        if kill and worker.process.is_alive():
            worker.process.kill()
        else:
            try:
                worker.connection.send(None)
            except OSError:
                pass
        worker.process.join(timeout=5 if not kill else None)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.connection.close()
        self.workers.remove(worker)

    def run(self, paths, sources, on_start, on_page) -> Iterator[tuple[int, Outcome]]:
        waiting = deque(range(len(paths)))
        deaths: dict[int, int] = {}
        try:
            for _ in range(self.size):
                self._start_worker()
            while waiting or any(worker.busy for worker in self.workers):
                if not self.any_ready and self.failed_starts >= self.size:
                    # No worker got as far as saying it is ready: they cannot start
                    # here (a script without ``if __name__ == "__main__":`` is the
                    # usual cause).  Read in this process instead.
                    print(
                        "newsletter-extract: worker processes could not start; reading the documents here, one at a time",
                        file=sys.stderr,
                    )
                    rest = sorted(set(waiting) | {w.index for w in self.workers if w.busy})
                    for worker in list(self.workers):
                        self._stop_worker(worker, kill=True)
                    here = _run_here(
                        [paths[i] for i in rest], [sources[i] for i in rest], self.password, self.entities, on_start, on_page, self.limits, self.store_root, self.settings
                    )
                    for position, outcome in here:
                        yield rest[position], outcome
                    return
                for worker in self.workers:
                    if worker.ready and not (worker.busy or worker.closed or worker.retiring) and waiting:
                        self._give(worker, waiting.popleft(), paths, sources, waiting)
                yield from self._collect(paths, sources, waiting, deaths, on_start, on_page)
                while len(self.workers) < min(self.size, len(waiting) + sum(w.busy for w in self.workers)):
                    self._start_worker()
        finally:
            for worker in list(self.workers):
                self._stop_worker(worker, kill=True)

    def _give(self, worker: _Worker, index: int, paths, sources, waiting) -> None:
        try:
            worker.connection.send((index, str(paths[index]), sources[index]))
        except OSError:  # it has just exited: the document waits for another worker
            worker.closed = True
            waiting.appendleft(index)
            return
        worker.index, worker.started = index, time.monotonic()
        worker.seconds = self.limits.time_for(None)
        worker.baseline = resident_bytes_of(worker.process.pid)

    def _collect(self, paths, sources, waiting, deaths, on_start, on_page) -> Iterator[tuple[int, Outcome]]:
        """Messages and deaths of the workers, and bounds broken, for one poll interval."""
        watched = {worker.connection: worker for worker in self.workers if not worker.closed}
        watched.update({worker.process.sentinel: worker for worker in self.workers})
        for handle in multiprocessing.connection.wait(list(watched), timeout=self.POLL):
            worker = watched[handle]
            if worker not in self.workers:
                continue
            if handle is worker.connection:
                message = self._receive(worker)
                if message is None:
                    continue
                kind, index, value = message
                if kind == "ready":
                    worker.ready = self.any_ready = True
                elif kind == "retiring":
                    worker.retiring = True
                elif kind == "pages":
                    worker.seconds = self.limits.time_for(value)
                    on_start(index, value)
                elif kind == "page":
                    on_page(index)
                elif kind == "done":
                    worker.index = None
                    yield index, value
            if not worker.process.is_alive() and (worker.closed or not self._pending(worker)):
                yield from self._buried(worker, paths, sources, waiting, deaths)
        yield from self._enforce_bounds(paths, sources)

    def _receive(self, worker: _Worker):
        try:
            return worker.connection.recv()
        except (EOFError, OSError):
            worker.closed = True
            return None

    def _pending(self, worker: _Worker) -> bool:
        try:
            return worker.connection.poll()
        except (EOFError, OSError):
            return False

    def _buried(self, worker: _Worker, paths, sources, waiting, deaths) -> Iterator[tuple[int, Outcome]]:
        """A worker that exited: its document, if any, goes round once more, then fails."""
        index = worker.index
        if not worker.ready:
            self.failed_starts += 1
        self._stop_worker(worker)
        if index is None:
            return
        deaths[index] = deaths.get(index, 0) + 1
        if deaths[index] < 2:
            waiting.appendleft(index)  # on a fresh worker
            return
        reason = "the worker process died while reading this file, twice (a crash, or out of memory)"
        yield index, failed_outcome(paths[index], reason, transient=True, source=sources[index], code=ErrorCode.WORKER_DIED)

    def _enforce_bounds(self, paths, sources) -> Iterator[tuple[int, Outcome]]:
        """Kill a worker that runs on past its document's bound; its document fails with that bound."""
        now = time.monotonic()
        for worker in list(self.workers):
            if not worker.busy:
                continue
            reason, code = None, ErrorCode.TIME_LIMIT
            if worker.seconds and now - worker.started > worker.seconds + GRACE_SECONDS:
                reason = self.limits.describe_time(worker.seconds)
            elif self.limits.memory_mib:
                resident = resident_bytes_of(worker.process.pid)
                if resident and resident - (worker.baseline or 0) > MEMORY_GRACE * self.limits.memory_bytes:
                    reason, code = self.limits.describe_memory(), ErrorCode.MEMORY_LIMIT
            if reason is None:
                continue
            index = worker.index
            self._stop_worker(worker, kill=True)
            outcome = failed_outcome(paths[index], f"{reason}; its worker was stopped", source=sources[index], code=code)
            outcome.limits = self.limits
            yield index, outcome


# Progress callbacks: on_start(index, n_pages or None) when a document is begun,
# on_page(index) after each of its pages.
StartCallback = Callable[[int, "int | None"], None]
PageCallback = Callable[[int], None]
