"""Check the tables against their schema before anything is written.

:func:`typed_frame` builds one table with exactly its declared columns and
types, refusing values of the wrong type and columns the schema does not
know (they would otherwise be dropped without a word).  :func:`validate`
then checks what the schema declares across rows and tables: required
columns, allowed values, ISO dates that are real dates, unique primary keys,
foreign keys that point at existing rows, ordered pairs (``x0 <= x1``) and
boxes that lie inside their page.

Every problem names its table, column and row (1-based, as the data rows of
the CSV count) and the row's key; all problems are collected and raised
together as one :class:`TableError`, so one run shows everything to fix.
"""

from __future__ import annotations

import datetime as dt
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.tables import SCHEMA, Column, Table

# Glyph boxes may overhang the page edge by a hair (rounding, italics); more than this is a bug.
PAGE_TOLERANCE = 1.0

# Problems listed in the message; the rest are counted.
SHOWN = 20


@dataclass(frozen=True)
class Problem:
    table: str
    column: str
    row: int | None  # 1-based data row, None for the table as a whole
    key: str | None  # the row's primary key, where it has one
    message: str

    def __str__(self) -> str:
        where = f"{self.table}.{self.column}"
        if self.row is not None:
            where += f", row {self.row}"
        if self.key:
            where += f" ({self.key})"
        return f"{where}: {self.message}"


class TableError(ValueError):
    """Tables that break their schema; nothing of them has been written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [str(problem) for problem in problems[:SHOWN]]
        if len(problems) > SHOWN:
            lines.append(f"… and {len(problems) - SHOWN} more")
        count = f"{len(problems)} problem" + ("s" if len(problems) != 1 else "")
        super().__init__(f"tables break their schema (pipeline/tables.py), {count}:\n  " + "\n  ".join(lines))


def _show(value) -> str:
    """A value as a message shows it: strings quoted, numbers plain."""
    if isinstance(value, str):
        return repr(value)
    if _is_number(value):
        number = float(value)
        return str(int(number)) if number.is_integer() and abs(number) < 1e16 else repr(number)
    return str(value)


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _accepts(column: Column, value) -> bool:
    if column.type == "string":
        return isinstance(value, str)
    if column.type == "integer":
        return _is_number(value) and float(value).is_integer()
    if column.type == "number":
        return _is_number(value)
    if column.type == "boolean":
        return isinstance(value, (bool, np.bool_))
    raise ValueError(f"unknown column type {column.type!r}")


#: pandas' verdict on a whole column (``infer_dtype``) that :func:`_accepts` would give every value.
_SURELY_ACCEPTED = {
    "string": {"string", "empty"},
    "integer": {"integer", "empty"},
    "number": {"integer", "floating", "mixed-integer-float", "empty"},
    "boolean": {"boolean", "empty"},
}


def typed_frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """The table ``name`` with exactly its declared columns and types."""
    table = SCHEMA[name]
    problems = []
    unknown = sorted(set().union(*(row.keys() for row in rows)) - set(table.column_names)) if rows else []
    for column in unknown:
        problems.append(Problem(name, column, None, None, "not a column of this table: declare it in pipeline/tables.py"))
    data = pd.DataFrame(rows, columns=table.column_names, dtype=object)
    for column in table.columns:
        values = data[column.name]
        if pd.api.types.infer_dtype(values, skipna=True) in _SURELY_ACCEPTED[column.type]:
            continue  # every value is of a kind the column takes: no need to ask each one
        for position in values.index[values.notna() & ~values.map(lambda value, c=column: _accepts(c, value))]:
            value = values[position]
            problems.append(
                Problem(name, column.name, position + 1, None, f"{value!r} ({type(value).__name__}) is not of type {column.type}")
            )
    if problems:
        raise TableError(problems)
    return data.astype(table.dtypes)


def validate(frames: dict[str, pd.DataFrame]) -> None:
    """Raise :class:`TableError` listing every way ``frames`` break the schema."""
    problems: list[Problem] = []
    frames = {name: frame.reset_index(drop=True) for name, frame in frames.items()}
    for name, frame in frames.items():
        table = SCHEMA[name]
        keys = _row_keys(table, frame)
        problems += _column_problems(table, frame, keys)
        problems += _key_problems(table, frame, keys)
        problems += _foreign_key_problems(table, frame, keys, frames)
        problems += _order_problems(table, frame, keys)
        if table.box:
            problems += _box_problems(table, frame, keys, frames.get("pages"))
    if problems:
        order = list(SCHEMA)
        raise TableError(sorted(problems, key=lambda problem: (order.index(problem.table), problem.row or 0)))


def row_keys(name: str, frame: pd.DataFrame) -> pd.Series:
    """Each row's primary key as text, several columns joined by ``/``."""
    columns = list(SCHEMA[name].primary_key)
    text = frame[columns].astype("string").fillna("")
    keys = text[columns[0]]
    for column in columns[1:]:
        keys = keys + "/" + text[column]
    return keys


def _row_keys(table: Table, frame: pd.DataFrame) -> pd.Series:
    """Keys as messages show them (``figure_id sample-…``), None where the key is empty."""
    keys = row_keys(table.name, frame)
    label = "/".join(table.primary_key) + " "
    return (label + keys).astype(object).where(keys.str.strip("/") != "", None)


def _problems(table: Table, column: str, frame: pd.DataFrame, keys: pd.Series, mask, message) -> list[Problem]:
    """One problem per row where ``mask`` holds; ``message(row)`` says what is wrong."""
    return [
        Problem(table.name, column, position + 1, keys[position], message(frame.loc[position]))
        for position in frame.index[mask.fillna(False).astype(bool)]
    ]


def _column_problems(table: Table, frame: pd.DataFrame, keys: pd.Series) -> list[Problem]:
    problems = []
    for column in table.columns:
        values = frame[column.name]
        present = values.notna()
        if column.required or column.name in table.primary_key:
            problems += _problems(table, column.name, frame, keys, ~present, lambda row: "is empty, but required")
        if column.enum:
            bad = present & ~values.isin(column.enum)
            problems += _problems(
                table, column.name, frame, keys, bad, lambda row, c=column: f"{row[c.name]!r} is not one of {', '.join(c.enum)}"
            )
        if column.pattern:
            bad = present & ~values.astype("string").str.fullmatch(column.pattern).fillna(False)
            problems += _problems(
                table, column.name, frame, keys, bad, lambda row, c=column: f"{row[c.name]!r} does not match {c.pattern}"
            )
        if column.iso_date:
            bad = present & values.map(lambda value: not pd.isna(value) and not _real_date(value)).astype(bool)
            if column.pattern:
                bad &= values.astype("string").str.fullmatch(column.pattern).fillna(False)
            problems += _problems(table, column.name, frame, keys, bad, lambda row, c=column: f"{row[c.name]!r} is not a real date")
        if column.minimum is not None:
            problems += _problems(
                table, column.name, frame, keys, present & (values < column.minimum),
                lambda row, c=column: f"{_show(row[c.name])} is below the minimum {c.minimum:g}",
            )
        if column.maximum is not None:
            problems += _problems(
                table, column.name, frame, keys, present & (values > column.maximum),
                lambda row, c=column: f"{_show(row[c.name])} is above the maximum {c.maximum:g}",
            )
    return problems


def _real_date(text: str) -> bool:
    """``2025``, ``2025-02`` or ``2025-02-28`` naming a day that exists."""
    parts = str(text).split("-")
    try:
        numbers_ = [int(part) for part in parts]
        dt.date(numbers_[0], numbers_[1] if len(numbers_) > 1 else 1, numbers_[2] if len(numbers_) > 2 else 1)
    except (ValueError, IndexError):
        return False
    return len(parts) <= 3


def _key_problems(table: Table, frame: pd.DataFrame, keys: pd.Series) -> list[Problem]:
    columns = list(table.primary_key)
    complete = frame[columns].notna().all(axis=1)
    repeated = frame[columns].duplicated(keep="first") & complete
    if not repeated.any():
        return []
    first_row = {}
    for position in frame.index[complete]:
        first_row.setdefault(tuple(frame.loc[position, columns]), position + 1)
    return _problems(
        table, columns[-1], frame, keys, repeated,
        lambda row: f"duplicate primary key ({', '.join(columns)}), first used by row {first_row[tuple(row[columns])]}",
    )


def _foreign_key_problems(table: Table, frame: pd.DataFrame, keys: pd.Series, frames: dict[str, pd.DataFrame]) -> list[Problem]:
    problems = []
    for foreign_key in table.foreign_keys:
        columns = list(foreign_key.columns)
        target = frames.get(foreign_key.table)
        known = set() if target is None else set(target[list(foreign_key.reference)].itertuples(index=False, name=None))
        given = frame[columns].notna().all(axis=1)  # SQL's MATCH SIMPLE: a key with an empty column refers to nothing (an OCR repair has no font)
        missing = given & ~pd.Series([tuple(values) in known for values in frame[columns].itertuples(index=False, name=None)], index=frame.index, dtype=bool)
        where = f"{foreign_key.table} ({', '.join(foreign_key.reference)})"
        problems += _problems(
            table, columns[-1], frame, keys, missing,
            lambda row: f"{'/'.join(str(row[c]) for c in columns)} is not a row of {where}",
        )
    return problems


def _order_problems(table: Table, frame: pd.DataFrame, keys: pd.Series) -> list[Problem]:
    problems = []
    for first, second in table.ordered:
        both = frame[first].notna() & frame[second].notna()
        reversed_ = both & (frame[first].where(both) > frame[second].where(both))
        problems += _problems(
            table, second, frame, keys, reversed_,
            lambda row, f=first, s=second: f"{s} {_show(row[s])} is before {f} {_show(row[f])}",
        )
    return problems


def _box_problems(table: Table, frame: pd.DataFrame, keys: pd.Series, pages: pd.DataFrame | None) -> list[Problem]:
    """Every box complete, on a page of its document, and inside that page."""
    corners = ["x0", "top", "x1", "bottom"]
    has_box = frame[corners].notna().any(axis=1)
    problems = _problems(
        table, "page", frame, keys, has_box & (frame[corners].isna().any(axis=1) | frame["page"].isna()),
        lambda row: "a box needs its page and all four of x0, top, x1, bottom",
    )
    if pages is None:
        pages = pd.DataFrame({"doc_id": [], "page_index": [], "width": [], "height": []})
    sizes = (
        pages[["doc_id", "page_index", "width", "height"]]
        .assign(page=pages["page_index"].astype("Int64") + 1, known=True)
        .drop(columns="page_index")
        .drop_duplicates(["doc_id", "page"])
    )
    placed = frame[["doc_id", "page", *corners]].astype({"doc_id": "string", "page": "Int64"})
    placed = placed.merge(sizes.astype({"doc_id": "string"}), on=["doc_id", "page"], how="left")
    placed.index = frame.index
    located = has_box & frame["page"].notna()
    problems += _problems(
        table, "page", frame, keys, located & placed["known"].isna(),
        lambda row: f"page {row['page']} of {row['doc_id']} is not in pages",
    )
    for corner, limit in (("x0", "width"), ("x1", "width"), ("top", "height"), ("bottom", "height")):
        outside = located & ((placed[corner] < -PAGE_TOLERANCE) | (placed[corner] > placed[limit] + PAGE_TOLERANCE))
        problems += _problems(
            table, corner, frame, keys, outside,
            lambda row, c=corner, size=placed[limit]: (
                f"{_show(row[c])} is outside page {row['page']} of {row['doc_id']} (0–{size[row.name]:g} pt)"
            ),
        )
    return problems


def checked_frames(tables: dict[str, list[dict]]) -> dict[str, pd.DataFrame]:
    """Every data table typed and validated; raises :class:`TableError` with all problems."""
    from pipeline.tables import CHANGES

    frames, problems = {}, []
    for name in SCHEMA:
        if name == CHANGES:
            continue
        try:
            frames[name] = typed_frame(name, tables.get(name, []))
        except TableError as error:
            problems += error.problems
    if problems:
        raise TableError(problems)
    validate(frames)
    return frames


def document_problems(rows: dict[str, list[dict]]) -> list[Problem]:
    """Every way one document's rows break the schema, checked on their own.

    A batch checks each document before it joins the others, so that one
    file's bad row costs that file, not the whole write.
    """
    try:
        checked_frames(rows)
    except TableError as error:
        return error.problems
    return []
