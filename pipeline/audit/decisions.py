"""The auditor's decisions: read ``audit/decisions.csv`` and apply it to the tables.

An auditor writes one row per decision, keyed by the stable ids of the
``figures``, ``dates`` and ``entities`` tables::

    id,table,decision,field,value,surface,note
    sample-2025-04-01-f003,figures,verified,,,約2.6万TEU,
    sample-2025-04-01-f004,figures,corrected,value,2.6万,約2.6万TEU,typo in the PDF
    sample-2025-04-02-e007,entities,wrong,,,ASEAN諸国,not a name

``decision`` is ``verified``, ``wrong`` or ``corrected`` (``ok`` and
``rejected`` are read as ``verified`` and ``wrong``).  A correction names a
``field`` (``value`` when left empty for figures and dates) and gives its
right ``value``.  ``surface`` is what the auditor saw at that id: when the
id now points at a different text (ids are positional), the decision is not
applied but reported as stale.  ``table`` may be left empty; ``note`` is
free text.  Lines starting with ``#`` and blank lines are skipped.

:func:`apply_decisions` runs once per batch, right before the tables are
written.  Every table row gets ``audit_status`` (``verified``, ``corrected``,
``rejected`` or null) and, where a correction replaced something,
``audit_extracted``: the extracted values as JSON, so nothing is lost.  The
file itself is only ever read: a decision whose id is gone this run stays
in it, is printed on stderr and listed in ``audit/decisions-outcome.csv``
with every other decision's outcome.

The file is the auditor's, so anything may be at its path.  It is read only
when it is a regular file of at most :data:`MAX_BYTES` (a directory, a FIFO
or a symbolic link to ``/dev/zero`` is never opened for reading, so nothing
blocks), and every way it cannot be read (not a file, too large, not UTF-8, a
field beyond the csv module's limit, no ``id`` column) is one
:class:`DecisionsFileError` whose message names the file: the extract then
writes its tables without the decisions, and the audit builds its report with
the reason as a warning.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import stat
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.atomic import write_text_atomic
from pipeline.dataset.safe_csv import neutralise_cell, restore_cell
from pipeline.tables import ENTITY_LABELS

DECISIONS_FILE = Path("audit") / "decisions.csv"
OUTCOME_FILE = Path("audit") / "decisions-outcome.csv"
COLUMNS = ("id", "table", "decision", "field", "value", "surface", "note")
OUTCOME_COLUMNS = ("line", *COLUMNS, "outcome", "reason")
# A decision is a short line; a file beyond this is not one, and reading it whole would cost memory for nothing.
MAX_BYTES = 64 * 1024 * 1024
#: Longest field a decisions file may hold: the csv module's default limit, held whatever another library set it to.
FIELD_LIMIT = 131_072

ID_COLUMNS = {"figures": "figure_id", "dates": "date_id", "entities": "entity_id"}
# What an auditor may correct; ids, offsets and boxes are the pipeline's.
CORRECTABLE = {
    "figures": ("value", "unit", "qualifier", "surface", "range_partner"),
    "dates": ("value", "start", "end", "granularity", "fiscal", "surface"),
    "entities": ("surface", "label", "canonical"),
}
DEFAULT_FIELD = {"figures": "value", "dates": "value"}
GRANULARITIES = ("year", "month", "day")

# decision word -> the status it gives; the strongest status of an id wins,
# so the meaning of the file does not depend on the order of its rows.
DECISION_STATUS = {"verified": "verified", "ok": "verified", "corrected": "corrected", "wrong": "rejected", "rejected": "rejected"}
STATUS_RANK = {"verified": 1, "corrected": 2, "rejected": 3}

_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f", ""}


@dataclass
class Decision:
    """One row of ``decisions.csv``, as written (``line`` is its line number)."""

    line: int
    id: str
    table: str = ""
    decision: str = ""
    field: str = ""
    value: str = ""
    surface: str = ""
    note: str = ""

    @property
    def status(self) -> str | None:
        return DECISION_STATUS.get(self.decision.lower())

    def as_row(self) -> dict[str, str | int]:
        return {"line": self.line, **{name: getattr(self, name) for name in COLUMNS}}


@dataclass
class Outcome:
    decision: Decision
    outcome: str  # applied, not found, stale, invalid
    reason: str = ""


@dataclass
class DecisionReport:
    """What became of each decision in one run."""

    path: Path | None = None
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(outcome.outcome for outcome in self.outcomes)

    @property
    def unapplied(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.outcome != "applied"]

    def line(self) -> str:
        counts = self.counts
        parts = [f"{counts[name]} {name}" for name in ("applied", "not found", "stale", "invalid") if counts[name]]
        return f"decisions: {', '.join(parts) or 'none'}"


class DecisionsFileError(ValueError):
    """decisions.csv cannot be read as a whole; the message is one line that names the file and says why."""


def decisions_path(out_dir: Path) -> Path:
    return Path(out_dir) / DECISIONS_FILE


def ensure_decisions_file(out_dir: Path) -> Path:
    """Create an empty ``decisions.csv`` (header only) if there is none; never overwrite one.

    Whatever is at the path already is left alone, even a broken symbolic
    link or a directory: :func:`read_decisions` says what is wrong with it.
    Raises :class:`DecisionsFileError` when the file cannot be created.
    """
    path = decisions_path(out_dir)
    if not os.path.lexists(path):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # utf-8 with a BOM so that Excel opens the Japanese text correctly
            with open(path, "x", encoding="utf-8-sig", newline="") as handle:
                csv.writer(handle).writerow(COLUMNS)
        except FileExistsError:  # made meanwhile by someone else: theirs stays
            pass
        except OSError as error:
            raise DecisionsFileError(f"{path}: cannot be created: {error.strerror or error}") from None
    return path


def _named(path: Path) -> str:
    """The path, and where it leads when it is a symbolic link: the reason is often there."""
    try:
        return f"{path} (a symbolic link to {os.readlink(path)})" if os.path.islink(path) else str(path)
    except OSError:
        return str(path)


_FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    """What a file that is not a regular one is, in words."""
    return next((name for test, name in _FILE_KINDS if test(mode)), "a special file")


def _read_text(path: Path) -> str:
    """The file's text, if it is a regular file of at most :data:`MAX_BYTES` in UTF-8 (with or without a BOM).

    The kind is checked before opening, since opening a FIFO blocks until a
    writer comes and ``/dev/zero`` never ends; ``O_NONBLOCK`` and a second
    check of the opened file cover a file swapped in between.
    """
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise DecisionsFileError(f"{_named(path)}: is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > MAX_BYTES:
            raise DecisionsFileError(f"{_named(path)}: {info.st_size:,} bytes, more than the {MAX_BYTES // 2**20} MiB a decisions file may have")
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with open(descriptor, "rb", closefd=True) as handle:
            opened = os.fstat(handle.fileno())
            if not stat.S_ISREG(opened.st_mode):
                raise DecisionsFileError(f"{_named(path)}: is {_kind(opened.st_mode)}, not a regular file")
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise DecisionsFileError(f"{_named(path)}: cannot be read: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:  # it grew after the check
        raise DecisionsFileError(f"{path}: more than the {MAX_BYTES // 2**20} MiB a decisions file may have")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DecisionsFileError(f"{path}:{line}: not UTF-8 text ({error.reason} at byte {error.start}): save it as UTF-8 CSV") from None


def _records(path: Path, text: str):
    """(line number, cells) of each CSV record, skipping blank lines and ``#`` comments.

    The number is the line the record starts on, also when a quoted value
    runs over several lines.  A record the csv module refuses raises
    :class:`DecisionsFileError` with the line it starts on.
    """
    where = {"line": 0, "start": None}

    def kept_lines():
        # newline="": lines end at \n, \r or \r\n and keep their ending, so a quoted value keeps its line breaks
        for number, line in enumerate(io.StringIO(text, newline=""), start=1):
            if line.strip() and not line.lstrip().startswith("#"):
                where["line"] = number
                if where["start"] is None:
                    where["start"] = number
                yield line

    def too_long(start) -> DecisionsFileError:
        return DecisionsFileError(
            f"{path}:{start}: a field from this line on is longer than {FIELD_LIMIT:,} characters, "
            "the csv module's limit (an unclosed quote?)"
        )

    reader = csv.reader(kept_lines())
    try:
        for cells in reader:
            # the csv module's own limit is process-wide, and other libraries raise it (frictionless does)
            if any(len(cell) > FIELD_LIMIT for cell in cells):
                raise too_long(where["start"] or where["line"])
            yield where["start"], cells
            where["start"] = None
    except csv.Error as error:
        start = where["start"] or where["line"]
        if "field larger than field limit" in str(error):
            raise too_long(start) from None
        raise DecisionsFileError(f"{path}:{start}: not CSV: {error}") from None


def read_decisions(path: Path) -> list[Decision]:
    """Every decision row in file order; comments and blank lines skipped.

    Unknown extra columns are ignored and missing optional ones read as
    empty, so a hand-edited file keeps working.  Raises
    :class:`DecisionsFileError` when the file cannot be read as a whole.
    """
    records = _records(path, _read_text(path))
    first = next(records, None)
    if first is None:
        return []
    header = [name.strip().lower() for name in first[1]]
    missing = [name for name in ("id", "decision") if name not in header]
    if missing:
        raise DecisionsFileError(f"{path}: the header has no {' or '.join(missing)} column (expected {','.join(COLUMNS)})")
    decisions = []
    for number, cells in records:
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header) if name in COLUMNS}
        if not any(values.values()):
            continue
        decisions.append(Decision(line=number, **values))
    return decisions


def csv_line(values: list[str]) -> str:
    """One CSV line as the report shows it for copy and paste.

    >>> csv_line(["sample-01-f001", "figures", "verified", "", "", "1,500トン", ""])
    'sample-01-f001,figures,verified,,,"1,500トン",'
    """
    cells = []
    for value in values:
        value = "" if value is None else str(value)
        if any(ch in value for ch in ',"\n\r') or value != value.strip():
            value = '"' + value.replace('"', '""') + '"'
        cells.append(value)
    return ",".join(cells)


# --- checking and applying ---------------------------------------------------


def parse_correction(table: str, field_name: str, value: str):
    """The typed value a correction sets, or ValueError saying why not."""
    value = value.strip()
    if table == "figures" and field_name == "value":
        from pipeline.pull.numerals import parse_number

        number = parse_number(value)
        if number is None:
            raise ValueError(f"{value!r} is not a number")
        return number
    if table == "dates" and field_name in ("value", "start", "end"):
        if not value and field_name != "value":
            return None
        match = _ISO_DATE.match(value)
        if not match or not _date_exists(match):
            raise ValueError(f"{value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
        if field_name != "value" and not match.group(3):
            raise ValueError(f"{field_name} must be a full date YYYY-MM-DD, not {value!r}")
        return value
    if table == "dates" and field_name == "granularity":
        if value not in GRANULARITIES:
            raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}")
        return value
    if table == "dates" and field_name == "fiscal":
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ValueError(f"fiscal must be true or false, not {value!r}")
    if table == "entities" and field_name == "label":
        if value.upper() not in ENTITY_LABELS:
            raise ValueError(f"label must be one of {', '.join(ENTITY_LABELS)}")
        return value.upper()
    if field_name == "surface" and not value:
        raise ValueError("surface cannot be empty")
    return value or None


def _date_exists(match: re.Match) -> bool:
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return False
    return True


def date_bounds(value: str, fiscal: bool) -> dict[str, str]:
    """start, end and granularity that follow from a corrected ISO date value.

    >>> date_bounds("2024-02", False)
    {'start': '2024-02-01', 'end': '2024-02-29', 'granularity': 'month'}
    >>> date_bounds("2025", True)
    {'start': '2025-04-01', 'end': '2026-03-31', 'granularity': 'year'}
    """
    year, month, day = (int(part) if part else None for part in _ISO_DATE.match(value).groups())
    if day is not None:
        return {"start": value, "end": value, "granularity": "day"}
    if month is not None:
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        last = following - dt.timedelta(days=1)
        return {"start": f"{year:04d}-{month:02d}-01", "end": last.isoformat(), "granularity": "month"}
    if fiscal:
        return {"start": f"{year:04d}-04-01", "end": f"{year + 1:04d}-03-31", "granularity": "year"}
    return {"start": f"{year:04d}-01-01", "end": f"{year:04d}-12-31", "granularity": "year"}


def _extracted_surface(row: dict) -> str | None:
    """The surface as the pipeline found it, even after a correction of it."""
    original = row.get("audit_extracted")
    if isinstance(original, str) and original:
        try:
            return json.loads(original).get("surface", row.get("surface"))
        except (ValueError, AttributeError):
            pass
    return row.get("surface")


def check_decisions(decisions: list[Decision], tables: dict[str, list[dict]]) -> list[tuple[Outcome, str | None, dict | None, object]]:
    """Match each decision to its row; (outcome, table, row, parsed value).

    Nothing is changed here, so the report can show the same outcomes as
    the run that applies them.
    """
    by_id: dict[str, tuple[str, dict]] = {}
    for table, id_column in ID_COLUMNS.items():
        for row in tables.get(table, []):
            by_id[str(row.get(id_column))] = (table, row)
    doc_ids = sorted((str(row.get("doc_id")) for row in tables.get("documents", [])), key=len, reverse=True)
    checked = []
    for decision in decisions:
        table_given = decision.table.strip().lower()
        if not decision.id:
            checked.append((Outcome(decision, "invalid", "no id"), None, None, None))
            continue
        if decision.status is None:
            reason = f"decision {decision.decision!r} is not one of verified, wrong, corrected"
            checked.append((Outcome(decision, "invalid", reason), None, None, None))
            continue
        if table_given and table_given not in ID_COLUMNS:
            reason = f"table {decision.table!r} is not one of {', '.join(ID_COLUMNS)}"
            checked.append((Outcome(decision, "invalid", reason), None, None, None))
            continue
        found = by_id.get(decision.id)
        if found is None or (table_given and found[0] != table_given):
            where = table_given or "figures, dates or entities"
            document = next((doc for doc in doc_ids if decision.id.startswith(doc + "-")), None)
            why = f"its document {document} has no such id now" if document else "its document is not in this run"
            checked.append((Outcome(decision, "not found", f"id not in {where}: {why}"), None, None, None))
            continue
        table, row = found
        seen = _extracted_surface(row)
        if decision.surface and seen is not None and decision.surface != seen:
            reason = f"the id now points at {seen!r}, not {decision.surface!r}: check it and update the row"
            checked.append((Outcome(decision, "stale", reason), table, row, None))
            continue
        parsed = None
        if decision.status == "corrected":
            field_name = (decision.field or DEFAULT_FIELD.get(table, "")).strip().lower()
            if field_name not in CORRECTABLE[table]:
                allowed = ", ".join(CORRECTABLE[table])
                reason = f"field {field_name!r} cannot be corrected in {table} (one of: {allowed})" if field_name else f"say which field ({allowed})"
                checked.append((Outcome(decision, "invalid", reason), table, row, None))
                continue
            try:
                parsed = (field_name, parse_correction(table, field_name, decision.value))
            except ValueError as error:
                checked.append((Outcome(decision, "invalid", str(error)), table, row, None))
                continue
            if field_name == "range_partner" and parsed[1] is not None and by_id.get(parsed[1], ("",))[0] != "figures":
                checked.append((Outcome(decision, "invalid", f"range_partner {parsed[1]!r} is not a figure_id of this run"), table, row, None))
                continue
        checked.append((Outcome(decision, "applied"), table, row, parsed))
    return checked


def restore_extracted(row: dict) -> dict:
    """Undo earlier decisions on ``row`` (in place): the extracted values back, no status.

    Rows straight from the pipeline carry no decisions; this keeps applying
    idempotent for rows that do (from a cache, or the written tables).
    """
    original = row.get("audit_extracted")
    if isinstance(original, str) and original:
        try:
            row.update(json.loads(original))
        except ValueError:
            pass
    if "audit_status" in row or "audit_extracted" in row:
        row["audit_status"] = row["audit_extracted"] = None
    return row


def apply_to_tables(decisions: list[Decision], tables: dict[str, list[dict]]) -> list[Outcome]:
    """Set ``audit_status`` and corrected values on the rows in ``tables`` (in place)."""
    for name in ID_COLUMNS:
        for row in tables.get(name, []):
            restore_extracted(row)
    outcomes = []
    by_row: dict[int, tuple[str, dict, list[tuple[Outcome, object]]]] = {}
    for outcome, table, row, parsed in check_decisions(decisions, tables):
        outcomes.append(outcome)
        if outcome.outcome == "applied":
            by_row.setdefault(id(row), (table, row, []))[2].append((outcome, parsed))
    for table, row, applied in by_row.values():
        changes: dict[str, object] = {}
        for _, parsed in applied:
            if parsed is not None:
                field_name, value = parsed
                changes[field_name] = value  # the last row for a field wins
        if table == "dates" and "value" in changes:
            fiscal = bool(changes.get("fiscal", row.get("fiscal")))
            derived = date_bounds(changes["value"], fiscal)
            changes = {**{name: value for name, value in derived.items() if name not in changes}, **changes}
        start, end = changes.get("start", row.get("start")), changes.get("end", row.get("end"))
        if table == "dates" and start and end and start > end:
            for outcome, parsed in applied:
                if parsed is not None:
                    outcome.outcome, outcome.reason = "invalid", f"the corrected date would start ({start}) after it ends ({end})"
            changes = {}
        statuses = [outcome.decision.status for outcome, parsed in applied if outcome.outcome == "applied"]
        if not statuses:
            continue
        row["audit_status"] = max(statuses, key=STATUS_RANK.__getitem__)
        extracted = {name: row.get(name) for name, value in changes.items() if row.get(name) != value}
        row.update(changes)
        if extracted:
            row["audit_extracted"] = json.dumps(extracted, ensure_ascii=False, sort_keys=True)
    return outcomes


def apply_decisions(out_dir: Path, tables: dict[str, list[dict]], stream=None) -> DecisionReport:
    """Apply ``OUT_DIR/audit/decisions.csv`` to this run's table rows.

    Called by the batch once, right before the tables are written.  Prints
    one line per decision that could not be applied, and a summary, on
    ``stream`` (stderr); writes every outcome to ``audit/decisions-outcome.csv``.
    Without a decisions file nothing happens.

    Never raises for the file's sake: one that cannot be read is reported
    as one line and no decision is applied, so the run still writes its
    tables (a bad file must not cost the extraction).
    """
    stream = sys.stderr if stream is None else stream
    path = decisions_path(out_dir)
    outcome_path = Path(out_dir) / OUTCOME_FILE
    report = DecisionReport(path=path)
    if not os.path.lexists(path):
        _write_outcomes(outcome_path, None, stream)  # an outcome without its file would mislead
        return report
    try:
        decisions = read_decisions(path)
    except DecisionsFileError as error:
        print(f"newsletter-extract: decisions not applied: {error}", file=stream)
        _write_outcomes(outcome_path, [], stream)
        return report
    report.outcomes = apply_to_tables(decisions, tables)
    for outcome in report.unapplied:
        decision = outcome.decision
        print(f"newsletter-extract: {path}:{decision.line}: {decision.id}: {outcome.outcome}: {outcome.reason} (kept in the file, not applied)", file=stream)
    if report.outcomes:
        print(f"newsletter-extract: {report.line()} (see {outcome_path})", file=stream)
    _write_outcomes(outcome_path, report.outcomes, stream)
    return report


def _write_outcomes(path: Path, outcomes: list[Outcome] | None, stream) -> None:
    """Replace ``decisions-outcome.csv`` (remove it for ``None``); a failure is one line on ``stream``.

    Auditors open this file in a spreadsheet, and it repeats their values
    (``=HYPERLINK(…)`` among them), so its cells are neutralised like the
    tables' CSVs (:mod:`pipeline.dataset.safe_csv`).
    """
    try:
        if outcomes is None:
            path.unlink(missing_ok=True)
            return
        text = io.StringIO(newline="")
        writer = csv.DictWriter(text, OUTCOME_COLUMNS)  # lines end in \r\n, as the csv module writes them
        writer.writeheader()
        for outcome in outcomes:
            row = {**outcome.decision.as_row(), "outcome": outcome.outcome, "reason": outcome.reason}
            writer.writerow({name: neutralise_cell(value) for name, value in row.items()})
        # utf-8 with a BOM for Excel, like decisions.csv; no fsync: the next run writes it again
        write_text_atomic(path, text.getvalue(), encoding="utf-8-sig", durable=False)
    except OSError as error:
        print(f"newsletter-extract: {path}: outcomes not written: {error.strerror or error}", file=stream)


def read_outcomes(out_dir: Path) -> list[dict[str, str]]:
    """The outcomes the last run wrote, for the report, with the values as the decisions gave them."""
    path = Path(out_dir) / OUTCOME_FILE
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [{name: restore_cell(value) for name, value in row.items()} for row in csv.DictReader(handle)]
