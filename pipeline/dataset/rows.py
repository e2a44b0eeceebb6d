"""Typed rows, derived from the schema in :mod:`pipeline.tables`.

Each table gets a frozen dataclass whose fields are exactly that table's
columns, so a misspelt or forgotten column fails where the row is built,
naming the table and the column, instead of when the tables are written::

    >>> row = FigureRow(doc_id="2025_05", article_id="2025_05-a1", figure_id="2025_05-a1-f1", value=2.6)
    >>> row.as_dict()["value"], row.as_dict()["unit"]
    (2.6, None)
    >>> FigureRow(doc_id="2025_05", article_id="2025_05-a1", figure_id="2025_05-a1-f1", valeu=2.6)
    Traceback (most recent call last):
    ...
    TypeError: figures has no column 'valeu' (did you mean 'value'?); columns are declared in pipeline/tables.py

Columns that are required or part of the primary key must be given; every
other column defaults to None (empty).  Fields are keyword-only and typed
from the Table Schema types (``string`` -> ``str``, ``integer`` -> ``int``
…); the types document, they are not enforced here — the writer checks them
(:func:`pipeline.dataset.validate.typed_frame`).

The writer and the caches take dicts: :meth:`as_dict` gives the row's
columns in the schema's order.
"""

from __future__ import annotations

import dataclasses
import difflib
from functools import cache
from typing import Any

from pipeline.tables import SCHEMA, Table

# Table Schema type -> the Python type of a value in a row.
PYTHON_TYPES: dict[str, type] = {"string": str, "integer": int, "number": float, "boolean": bool}


def required_columns(table: Table) -> tuple[str, ...]:
    """Columns a row must be given: the required ones and the primary key."""
    return tuple(column.name for column in table.columns if column.required or column.name in table.primary_key)


def _class_name(table_name: str) -> str:
    """``figures`` -> ``FigureRow``, ``entities`` -> ``EntityRow``."""
    singular = table_name[:-3] + "y" if table_name.endswith("ies") else table_name.removesuffix("s")
    return "".join(part.capitalize() for part in singular.split("_")) + "Row"


def _unknown_message(table: Table, name: str) -> str:
    close = difflib.get_close_matches(name, table.column_names, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"{table.name} has no column {name!r}{hint}; columns are declared in pipeline/tables.py"


def _as_dict(self) -> dict[str, Any]:
    """The row as the writer takes it: every column, in the schema's order."""
    return {name: getattr(self, name) for name in self.COLUMNS}


@cache
def row_type(table_name: str) -> type:
    """The frozen dataclass of one row of ``table_name``, built once.

    Raises KeyError for a table :mod:`pipeline.tables` does not declare.
    """
    table = SCHEMA[table_name]
    required = required_columns(table)
    fields = []
    for column in table.columns:
        kind = PYTHON_TYPES[column.type]
        if column.name in required:
            fields.append((column.name, kind))
        else:
            fields.append((column.name, kind | None, dataclasses.field(default=None)))
    namespace = {
        "TABLE": table_name,
        "COLUMNS": tuple(table.column_names),
        "REQUIRED": required,
        "as_dict": _as_dict,
        "__doc__": f"One row of ``{table_name}``: {table.description}",
        "__module__": __name__,  # so rows pickle (make_dataclass takes module= only from Python 3.12)
    }
    row_class = dataclasses.make_dataclass(_class_name(table_name), fields, namespace=namespace, frozen=True, kw_only=True)
    row_class.__init__ = _checked_init(table, row_class.__init__)
    return row_class


def _checked_init(table: Table, init):
    """``init`` preceded by a check of the column names, whose errors name the table and the column.

    The dataclass's own errors (``__init__() got an unexpected keyword
    argument``) say neither which table nor where columns are declared.
    """
    columns, required = set(table.column_names), required_columns(table)

    def __init__(self, *args, **values) -> None:
        if args:
            raise TypeError(f"{table.name} rows take their columns by name, not by position")
        for name in values:
            if name not in columns:
                raise TypeError(_unknown_message(table, name))
        missing = [name for name in required if name not in values]
        if missing:
            names = ", ".join(repr(name) for name in missing)
            raise TypeError(f"{table.name} row is missing its required column{'s' if len(missing) > 1 else ''} {names}")
        init(self, **values)

    __init__.__wrapped__ = init
    __init__.__qualname__ = init.__qualname__
    return __init__


def as_dicts(rows) -> list[dict[str, Any]]:
    """Each row's :meth:`as_dict`, for the writer."""
    return [row.as_dict() for row in rows]


DocumentRow = row_type("documents")
PageRow = row_type("pages")
ArticleRow = row_type("articles")
FigureRow = row_type("figures")
DateRow = row_type("dates")
EntityRow = row_type("entities")
FontRow = row_type("fonts")
RepairRow = row_type("repairs")
RubyRow = row_type("ruby")
ChangeRow = row_type("changes")
