"""Documents as Dask tasks: ``extract --dask ADDRESS`` reads an archive on a cluster.

The batch (:mod:`pipeline.batch`) stays where it is: it looks every file up
in the result cache, orders the outcomes by file name and publishes the
tables as one set.  This module only replaces the engine that reads the
cache's misses (:func:`pipeline.parallel.run_documents`), so the tables of
a Dask run are those of a ``--jobs 1`` run, row for row.

``ADDRESS`` is ``tcp://host:8786`` (a running ``dask scheduler``) or
``local:N``, a :class:`distributed.LocalCluster` of N worker processes here.

* Each worker process holds one model: a worker plugin
  (:class:`pipeline.dask_worker.ModelPerWorker`) gives it one entity finder for the run, and
  GiNZA itself is loaded once per process (:func:`pipeline.pull.entities.shared_ginza`),
  the first time one of its documents has articles; a worker that lives on
  into the next run keeps it.
* Workers that see the client's files (a shared file system, or
  ``local:N``) read the PDFs by path and share the stage cache under
  ``OUT_DIR/.cache/stages``; otherwise each task carries the file's bytes
  and the stage cache is not used there.
* A worker that dies holding a document (crash, out-of-memory killer, a
  killed machine) costs the document one more try on another worker, then
  it is ``failed`` with the reason, as with the process pool.  A local
  cluster is set up so; a scheduler of your own should be started with
  ``DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=1`` for the same count
  (Dask's default retries three times).
* A scheduler that cannot be reached fails the run before the output folder
  is touched (:class:`ClusterUnreachable`); one lost mid-run raises
  :class:`ClusterLost`, which leaves the previous tables in place while the
  result cache keeps every document that finished.

The time and memory bounds of :mod:`pipeline.limits` are enforced by
signals in the main thread, and a Dask worker reads in a thread of its own:
there the per-page bounds (operators, glyphs, forms) still hold, but a
document is not interrupted for time; Dask's own nanny restarts a worker
past its memory limit, which counts as a death.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from pipeline.codes import ErrorCode
from pipeline.limits import Limits
from pipeline.parallel import Outcome, failed_outcome

#: ``local:N``: a cluster of N worker processes on this machine.
LOCAL = re.compile(r"local:(\d+)")
#: ``scheme://host:port``, as Dask's own ``Client`` takes it.
REMOTE = re.compile(r"[a-z][a-z0-9+]*://\S+")
#: Seconds to wait for a scheduler before the run is given up.
CONNECT_SECONDS = 5
#: Times a document may go round again after its worker died.
RETRIES_AFTER_DEATH = 1


class ClusterError(RuntimeError):
    """The Dask cluster failed the run (the tables are not written)."""


class ClusterUnreachable(ClusterError):
    """No scheduler answered at the address given: nothing was read or written."""


class ClusterFailed(ClusterError):
    """The cluster could not run a task (its environment, not the document): the run stops, the previous tables stay."""


class ClusterLost(ClusterError):
    """The scheduler went away mid-run: the previous tables stay, the cache keeps what finished."""


def check_address(text: str) -> str:
    """``text`` if it is an address ``--dask`` takes, else ValueError with what it should look like.

    >>> check_address("local:2"), check_address("tcp://10.0.0.5:8786")
    ('local:2', 'tcp://10.0.0.5:8786')
    >>> check_address("local:0")
    Traceback (most recent call last):
    ...
    ValueError: 'local:0' is not local:N with N at least 1, nor a scheduler address such as tcp://host:8786
    """
    local = LOCAL.fullmatch(text)
    if (local and int(local.group(1)) >= 1) or REMOTE.fullmatch(text):
        return text
    raise ValueError(f"{text!r} is not local:N with N at least 1, nor a scheduler address such as tcp://host:8786")


class DaskSession:
    """A connection to a cluster for one run; ``local:N`` starts its cluster only when a file must be read.

    :meth:`open` checks a remote scheduler at once (before the output folder
    is touched); a local cluster cannot be unreachable, and a run whose files
    all come from the cache never pays for starting one.
    """

    def __init__(self, address: str):
        self.address = check_address(address)
        self._client = None
        self._cluster = None
        self._log_levels: dict[str, int] = {}

    @property
    def local_workers(self) -> int | None:
        local = LOCAL.fullmatch(self.address)
        return int(local.group(1)) if local else None

    def open(self) -> DaskSession:
        if self.local_workers is None:
            _check_workers(self.client, self.address)  # connects, or raises ClusterUnreachable
        return self

    @property
    def client(self):
        if self._client is None:
            self._client = self._connect()
        return self._client

    def _connect(self):
        import dask
        from distributed import Client, LocalCluster

        # Dask logs each failed reconnection with its traceback; this run says what went wrong in one line.
        self._log_levels = _quiet_loggers("distributed")

        if self.local_workers is not None:
            with dask.config.set({"distributed.scheduler.allowed-failures": RETRIES_AFTER_DEATH}):
                self._cluster = LocalCluster(
                    n_workers=self.local_workers, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=50
                )
            return Client(self._cluster)
        try:
            return Client(self.address, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError) as error:
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise ClusterUnreachable(f"no Dask scheduler answered at {self.address} within {CONNECT_SECONDS} s: {reason}") from None

    def close(self) -> None:
        for part in (self._client, self._cluster):
            if part is not None:
                try:
                    part.close()
                except Exception:  # closing a cluster that is already gone
                    pass
        self._client = self._cluster = None
        for name, level in self._log_levels.items():
            logging.getLogger(name).setLevel(level)
        self._log_levels = {}

    def __enter__(self) -> DaskSession:
        return self.open()

    def __exit__(self, *exc_info) -> None:
        self.close()

    def run_documents(
        self,
        paths: list[Path],
        sources: list[str],
        password: str | None,
        entities: bool,
        limits: Limits,
        store_root: Path | None,
        settings=None,
        on_start: Callable | None = None,
        on_page: Callable | None = None,
        work: Callable | None = None,
    ) -> Iterator[tuple[int, Outcome]]:
        """Read ``paths`` on the cluster; yield ``(index, outcome)`` as each finishes (the batch orders them).

        ``work`` replaces the task function (tests use it to kill a worker).
        """
        if not paths:
            return
        from distributed import as_completed

        from pipeline.dask_worker import PLUGIN_NAME, ModelPerWorker, read_on_worker

        client = self.client
        shared = self.local_workers is not None or _workers_see(client, paths[0])
        plugin = ModelPerWorker(password, entities, limits, store_root if shared else None, settings)
        client.register_plugin(plugin, name=PLUGIN_NAME)
        task = work or read_on_worker
        workers = max(1, sum(client.nthreads().values()))
        # Bytes travel only when the workers cannot open the paths: then at most a few files per worker are held here at once.
        window = len(paths) if shared else 2 * workers
        waiting = list(range(len(paths)))[::-1]

        def submit(index: int):
            data = None if shared else Path(paths[index]).read_bytes()
            return client.submit(task, index, str(paths[index]), sources[index], data, pure=False, key=f"newsletter-extract-{index}-{os.urandom(6).hex()}")

        try:
            running = {}
            while waiting and len(running) < window:
                index = waiting.pop()
                running[submit(index)] = index
            finished = as_completed(list(running))
            for future in finished:
                index = running.pop(future)
                outcome = _outcome_of(future, paths[index], sources[index], self.address)
                if on_start:
                    on_start(index, outcome.n_pages or None)
                for _ in range(outcome.n_pages if on_page else 0):
                    on_page(index)
                yield index, outcome
                if waiting:
                    index = waiting.pop()
                    new = submit(index)
                    running[new] = index
                    finished.add(new)
        except ClusterError:
            raise
        except (OSError, TimeoutError) as error:
            raise ClusterLost(f"lost the Dask scheduler at {self.address} mid-run: {error}") from None


def _quiet_loggers(package: str) -> dict[str, int]:
    """Only critical records from ``package``'s loggers (its sub-loggers have levels of their own); their levels before."""
    names = [name for name in list(logging.root.manager.loggerDict) if name == package or name.startswith(package + ".")]
    levels = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    return levels


class WorkersMismatch(ClusterUnreachable):
    """The scheduler answered, but its workers cannot run this pipeline, or run another version of it."""


#: Runs on each worker, sent by value (a lambda), so that it arrives even where ``pipeline`` is missing or older.
_worker_key = lambda: __import__("pipeline.cache", fromlist=["pipeline_key"]).pipeline_key()  # noqa: E731


def _check_workers(client, address: str) -> None:
    """The scheduler (which unpickles the tasks) and every worker have this very pipeline (code, libraries, model):
    else their rows would be cached under the wrong key.

    A cluster with no worker yet is let through: tasks wait for workers, as Dask's do.
    """
    from pipeline.cache import pipeline_key

    try:
        keys = {"the scheduler": client.run_on_scheduler(_worker_key), **client.run(_worker_key)}
    except Exception as error:  # the far side's own exception, e.g. ModuleNotFoundError: no module named 'pipeline'
        raise WorkersMismatch(
            f"the Dask scheduler or workers at {address} cannot run the pipeline: {type(error).__name__}: {error}; "
            "install newsletter-extract[dask] on the scheduler and every worker"
        ) from None
    here = pipeline_key()
    other = sorted(worker for worker, key in keys.items() if key != here)
    if other:
        raise WorkersMismatch(
            f"{', '.join(other)} at {address}: another version of the pipeline or its libraries than this client's; install the same on every machine"
        )


def _outcome_of(future, path: Path, source: str, address: str) -> Outcome:
    """The task's outcome; a worker that died twice holding it, or a task that raised, is this document's failure."""
    from concurrent.futures import CancelledError

    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker:
        reason = "the Dask worker died while reading this file, twice (a crash, out of memory, or its machine went away)"
        return failed_outcome(Path(path), reason, transient=True, source=source, code=ErrorCode.WORKER_DIED)
    except CancelledError:
        raise ClusterLost(f"the Dask scheduler at {address} cancelled the task of {source} (lost or restarted mid-run)") from None
    except (OSError, TimeoutError):
        raise
    except Exception as error:
        # extract_one never raises, so the cluster could not run the task (a scheduler or worker
        # without the package, a task that did not unpickle): no document's fault, and none is kept as failed.
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise ClusterFailed(f"the Dask cluster at {address} could not run the task of {source}: {type(error).__name__}: {first}") from None


def _workers_see(client, path: Path) -> bool:
    """Whether every worker can open ``path`` and finds it the same size: then they read by path."""
    size = Path(path).stat().st_size
    answers = client.run(_same_size, str(path), size)
    return bool(answers) and all(answers.values())


def _same_size(path: str, size: int) -> bool:
    try:
        return os.path.getsize(path) == size
    except OSError:
        return False
