"""What runs on a Dask worker for ``--dask``: the run's shared state (one model per worker) and the task.

Kept apart from :mod:`pipeline.dask_engine` because it imports
``distributed`` at once (a worker plugin must be its subclass), while the
engine's address check and errors must import without the ``dask`` extra.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from distributed import WorkerPlugin

from pipeline.limits import Limits
from pipeline.parallel import LazyEntityFinder, Outcome, extract_one

PLUGIN_NAME = "newsletter-extract"


@dataclass
class ModelPerWorker(WorkerPlugin):
    """A worker plugin: what every task of the run shares on one worker process.

    Dask calls :meth:`setup` once per worker when the plugin is registered
    (and on workers that join later), so the entity finder, and through it
    the process's one GiNZA model, are made once per worker, not per task.
    """

    password: str | None
    entities: bool
    limits: Limits
    store_root: Path | None
    settings: object = None

    def setup(self, worker=None) -> None:
        from pipeline.parallel import _stage_store

        self.store = _stage_store(self.store_root)
        self.finder = LazyEntityFinder(self.store) if self.entities else None
        self.lock = threading.Lock()  # one document at a time per finder, should a worker run several threads

    def teardown(self, worker=None) -> None:
        self.finder = self.store = None


def read_on_worker(index: int, path: str, source: str, data: bytes | None = None) -> Outcome:
    """The task: one document read on this worker with the run's plugin (by path, or from ``data``)."""
    from distributed import get_worker

    plugin = get_worker().plugins[PLUGIN_NAME]
    if data is None:
        return _read(plugin, Path(path), source)
    with tempfile.TemporaryDirectory(prefix="newsletter-extract-") as folder:
        local = Path(folder) / "document.pdf"
        local.write_bytes(data)
        return _read(plugin, local, source)


def _read(plugin: ModelPerWorker, path: Path, source: str) -> Outcome:
    with plugin.lock:
        return extract_one(path, plugin.password, plugin.finder, None, source, plugin.limits, store=plugin.store, settings=plugin.settings)
