"""Seconds spent in each stage, measured without changing what a stage does.

A :class:`StageClock` travels with one document through :mod:`pipeline.run`;
the batch adds the write stage and sums the clocks.  ``make bench`` reads the
sums (see ``bench/run_bench.py``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

#: The pipeline's stages, in order; ``entities`` is the part of ``pull`` spent
#: in GiNZA, ``load_model`` the one-off model load (in no stage).
STAGES = ("extract", "repair", "split", "pull", "write")


class StageClock:
    """Accumulates wall-clock seconds per stage name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)

    def timed(self, items: Iterable, name: str) -> Iterator:
        """Yield from ``items``, counting the time spent producing each item as ``name``.

        For generators that do a stage's work lazily (pages read one by one):
        the consumer's own work between items is not counted.
        """
        iterator = iter(items)
        try:
            while True:
                start = time.perf_counter()
                try:
                    item = next(iterator)
                except StopIteration:
                    return
                finally:
                    self.add(name, time.perf_counter() - start)
                yield item
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()  # release what the producer holds (an open PDF) at once

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds


def add_up(total: dict[str, float], part: dict[str, float]) -> dict[str, float]:
    """``total`` with every stage of ``part`` added to it."""
    for name, seconds in part.items():
        total[name] = total.get(name, 0.0) + seconds
    return total
