"""Processes started under a given one, read from Linux's /proc.

Shared by the bench (peak memory of worker processes) and the kill tests
(no worker outlives a killed run).
"""

from __future__ import annotations

import os


def descendants(pid: int) -> set[int]:
    """Every process started under ``pid``, children of children included."""
    found, frontier = set(), [pid]
    while frontier:
        parent = frontier.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:  # gone meanwhile
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as handle:
                    children = {int(child) for child in handle.read().split()}
            except OSError:
                continue
            frontier.extend(children - found)
            found |= children
    return found
