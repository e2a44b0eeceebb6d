"""Bounds on what one document may cost: wall time, memory, and work per page.

A 2 kB PDF can ask for a billion glyphs (Form XObjects that draw each other
ten times over), a gigabyte of operators (a deflated stream of ``q Q``) or
an object stream that inflates without end.  Such a file must cost the
batch a ``failed`` row, not the run.  Three layers bound it:

* **Per page** (:class:`PageTooComplex`): the content-stream reader and the
  glyph collector count operators and glyphs and give up on a page past
  :attr:`Limits.operators_per_page` or :attr:`Limits.glyphs_per_page`.
  Only that page is lost; the document is ``partial`` and says why.
* **Per document, from inside** (:class:`DocumentGuard`): a watch thread
  checks the document's wall time and how far it has grown the process's
  memory, and when either is past its bound it interrupts the reading with
  :class:`LimitExceeded` at the next Python step.  The document comes back
  ``failed`` with ``exceeded the time limit (130 s)`` or ``exceeded the
  memory limit (2 GiB)``.
* **Per document, from outside** (:mod:`pipeline.parallel`): a worker that
  does not stop (stuck in C code) is killed by the run that started it,
  once the bound and a grace period are past, and replaced.

The bounds are settings (:class:`Limits`), given on the command line or in
a config file (:func:`load_config`).
"""

from __future__ import annotations

import os
import signal
import threading
import time
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What one document may cost.  ``0`` turns a bound off."""

    seconds: float = 120.0  # wall time for any document ...
    seconds_per_page: float = 10.0  # ... plus this much per page
    memory_mib: int = 2048  # growth of the reading process's resident memory while it reads the document
    operators_per_page: int = 5_000_000  # content-stream operators and operands, Form XObjects included
    glyphs_per_page: int = 500_000  # glyphs drawn on one page, Form XObjects included
    forms_per_page: int = 20_000  # Form XObjects drawn on one page (a form drawn twice counts twice)

    def time_for(self, n_pages: int | None) -> float:
        """Seconds allowed for a document of ``n_pages`` (unknown: the base alone)."""
        if not self.seconds:
            return 0.0
        return self.seconds + self.seconds_per_page * max(0, n_pages or 0)

    @property
    def memory_bytes(self) -> int:
        return int(self.memory_mib) * MIB

    def describe_time(self, seconds: float) -> str:
        return f"exceeded the time limit ({seconds:.0f} s)"

    def describe_memory(self) -> str:
        return f"exceeded the memory limit ({_size(self.memory_bytes)})"


class ConfigError(ValueError):
    """A config file that cannot be used, with the reason."""


def load_config(path: Path) -> Limits:
    """Limits from the ``[limits]`` table of a TOML file; keys are :class:`Limits`' fields.

    Unknown keys and values of the wrong type are refused, naming the key,
    so a typo is not silently a default.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"config file {path}: cannot be read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"config file {path}: not valid TOML: {error}") from None
    table = data.get("limits", {})
    if not isinstance(table, dict):
        raise ConfigError(f"config file {path}: [limits] must be a table")
    known = {field.name: field.type for field in fields(Limits)}
    values = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"config file {path}: unknown limit {key!r} (known: {', '.join(known)})")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(f"config file {path}: limit {key!r} must be a number of at least 0, not {value!r}")
        values[key] = value
    return replace(Limits(), **values)


# --- per page -------------------------------------------------------------------------

class PageTooComplex(Exception):
    """A page that asks for more operators or glyphs than a page may have."""


_current = Limits()


def set_current(limits: Limits) -> None:
    """The limits the page readers check (one setting per process: documents are read one at a time)."""
    global _current
    _current = limits


def current() -> Limits:
    return _current


# --- per document -------------------------------------------------------------------

class LimitExceeded(BaseException):
    """A document past its time or memory bound.

    A ``BaseException``, like ``KeyboardInterrupt``: the stages' own
    ``except Exception`` (one bad page, one odd font) must not swallow it.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def resident_bytes() -> int | None:
    """This process's resident memory now, or None where it cannot be read."""
    return resident_bytes_of(os.getpid())


def resident_bytes_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


class DocumentGuard:
    """``with DocumentGuard(limits):`` interrupts the reading of one document past its bounds.

    Works from the main thread (the only one Python delivers signals to);
    elsewhere it only records the bound, and the outside watch of
    :mod:`pipeline.parallel` is the one that holds.
    """

    INTERVAL = 0.05  # seconds between checks
    SIGNAL = signal.SIGUSR1

    def __init__(self, limits: Limits):
        self.limits = limits
        self.started = time.monotonic()
        self.seconds = limits.time_for(None)
        self.baseline = resident_bytes() or 0
        self.reason: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._previous_handler = None

    def allow_pages(self, n_pages: int | None) -> None:
        """Extend the time bound once the page count is known."""
        self.seconds = self.limits.time_for(n_pages)

    def __enter__(self) -> DocumentGuard:
        set_current(self.limits)
        if threading.current_thread() is not threading.main_thread():
            return self
        if not (self.limits.seconds or self.limits.memory_mib):
            return self
        self._previous_handler = signal.signal(self.SIGNAL, self._interrupt)
        self._thread = threading.Thread(target=self._watch, name="document-guard", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            signal.signal(self.SIGNAL, self._previous_handler)

    def _interrupt(self, signum, frame) -> None:
        if self.reason is not None and not self._stop.is_set():
            raise LimitExceeded(self.reason)

    def _watch(self) -> None:
        memory = self.limits.memory_bytes
        while not self._stop.wait(self.INTERVAL):
            if self.seconds and time.monotonic() - self.started > self.seconds:
                self.reason = self.limits.describe_time(self.seconds)
            elif memory and (resident_bytes() or 0) - self.baseline > memory:
                self.reason = self.limits.describe_memory()
            else:
                continue
            main = threading.main_thread().ident
            signal.pthread_kill(main, self.SIGNAL)
            # Ask again while the reading has not stopped (it may be inside C code).
            while not self._stop.wait(1.0):
                signal.pthread_kill(main, self.SIGNAL)
            return


def _size(n_bytes: int) -> str:
    if n_bytes >= 1 << 30 and n_bytes % (1 << 30) == 0:
        return f"{n_bytes >> 30} GiB"
    return f"{n_bytes / MIB:.0f} MiB"
