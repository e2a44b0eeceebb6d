"""``datapackage.json``: the tables as a Frictionless (Tabular) Data Package.

One resource per table, pointing at its CSV, with a Table Schema rendered
from :mod:`pipeline.tables`: fields with type, description and constraints,
the primary key and the foreign keys.  Any Frictionless tool (``frictionless
validate datapackage.json``, the R and JavaScript libraries, CKAN) can then
load and check the tables; the Parquet twin of each CSV has the same columns.

The descriptor holds no time stamp and no counts, so it changes only when the
schema or the pipeline's version does.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline import __version__
from pipeline.tables import SCHEMA, Column, Table

FILE_NAME = "datapackage.json"


def field(column: Column) -> dict:
    descriptor = {"name": column.name, "type": column.type, "description": column.description}
    constraints = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if column.pattern:
        # Table Schema patterns match the whole value (XML Schema style): no anchors.
        constraints["pattern"] = column.pattern.removeprefix("^").removesuffix("$")
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if column.maximum is not None:
        constraints["maximum"] = column.maximum
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def table_schema(table: Table) -> dict:
    schema = {
        "fields": [field(column) for column in table.columns],
        "missingValues": [""],
        "primaryKey": list(table.primary_key),
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(foreign_key.columns),
                # "" is Table Schema's name for the resource itself
                "reference": {"resource": "" if foreign_key.table == table.name else foreign_key.table, "fields": list(foreign_key.reference)},
            }
            for foreign_key in table.foreign_keys
        ]
    return schema


def descriptor() -> dict:
    return {
        "profile": "tabular-data-package",
        "name": "newsletter-extract",
        "title": "Japanese newsletter issues as tidy tables",
        "description": (
            "Articles, figures, dates and named entities read from Japanese newsletter PDFs, each row traced to its "
            "page and box. Every table is also written as Parquet beside its CSV (NAME.parquet), and all of them as "
            "one DuckDB database (newsletters.duckdb)."
        ),
        "version": __version__,
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": table.name,
                "path": f"{table.name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": table.description,
                "schema": table_schema(table),
            }
            for table in SCHEMA.values()
        ],
    }


def write_package(folder: Path) -> Path:
    path = folder / FILE_NAME
    path.write_text(json.dumps(descriptor(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
