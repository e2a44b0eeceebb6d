"""SQL over every issue: the DuckDB database beside the tables, and queries on it.

Every write also builds ``newsletters.duckdb``: one table per output table,
with the schema's types, primary keys and descriptions (``COMMENT ON``), so
that ``duckdb extracted/newsletters.duckdb`` or
``duckdb.connect("extracted/newsletters.duckdb")`` answers questions across
the whole archive.  It is a copy, not views: views over Parquet would hold
the paths of the moment and break when the folder moves.  A folder written
before the database existed is queried through views over its Parquet files.

``end`` (dates) and ``references`` (articles) are SQL keywords: quote them,
``"end"``, ``a."references"``.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.tables import SCHEMA

FILE_NAME = "newsletters.duckdb"
BLOCK_SIZE = 16_384
SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN"}


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def build_database(path: Path, frames: dict[str, pd.DataFrame]) -> Path:
    """Write every table of ``frames`` into a new DuckDB file at ``path``."""
    path.unlink(missing_ok=True)
    connection = duckdb.connect()
    try:
        # 16 kB blocks instead of 256 kB: a few issues make a file of kilobytes, not megabytes
        connection.execute(f"ATTACH {literal(str(path))} AS archive (BLOCK_SIZE {BLOCK_SIZE})")
        connection.execute("USE archive")
        # One transaction for the whole file: a commit per statement cost a tenth of a second
        connection.execute("BEGIN TRANSACTION")
        for name, table in SCHEMA.items():
            columns = [f"{quote(column.name)} {SQL_TYPES[column.type]}" for column in table.columns]
            key = f"PRIMARY KEY ({', '.join(quote(column) for column in table.primary_key)})"
            connection.execute(f"CREATE TABLE {quote(name)} ({', '.join(columns)}, {key})")
            connection.register("incoming", frames[name])
            connection.execute(f"INSERT INTO {quote(name)} SELECT * FROM incoming")
            connection.unregister("incoming")
            comments = [f"COMMENT ON TABLE {quote(name)} IS {literal(table.description)}"]
            comments += [
                f"COMMENT ON COLUMN {quote(name)}.{quote(column.name)} IS {literal(column.description)}" for column in table.columns
            ]
            connection.execute(";\n".join(comments))
        connection.execute("COMMIT")
        connection.execute("USE memory")
        connection.execute("DETACH archive")
    finally:
        connection.close()
    return path


def connect(out_dir: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the tables in ``out_dir``."""
    database = out_dir / FILE_NAME
    if database.is_file():
        return duckdb.connect(str(database), read_only=True)
    tables = {name: out_dir / f"{name}.parquet" for name in SCHEMA if (out_dir / f"{name}.parquet").is_file()}
    if not tables:
        raise FileNotFoundError(f"no tables in {out_dir}: run `newsletter-extract extract RAW_DIR --out {out_dir}` first")
    connection = duckdb.connect()
    for name, path in tables.items():
        connection.execute(f"CREATE VIEW {quote(name)} AS SELECT * FROM read_parquet({literal(str(path.resolve()))})")
    return connection


def run_query(out_dir: Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Column names and rows of ``sql`` run on the tables in ``out_dir``."""
    connection = connect(out_dir)
    try:
        result = connection.execute(sql)
        if result.description is None:
            return [], []
        return [column[0] for column in result.description], result.fetchall()
    finally:
        connection.close()


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: kanji and kana take two."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    return str(value).replace("\r\n", "\n").replace("\n", " ⏎ ")


def _fit(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    kept = ""
    for ch in text:
        if display_width(kept + ch) > width - 1:
            break
        kept += ch
    return kept + "…"


def format_table(columns: Sequence[str], rows: Sequence[tuple], max_width: int = 40) -> str:
    """Rows as an aligned text table (cells cut at ``max_width`` columns), with a row count."""
    if not columns:
        return "(no result)"
    cells = [[_fit(_cell(value), max_width) for value in row] for row in rows]
    numeric = [all(isinstance(row[i], (int, float)) and not isinstance(row[i], bool) for row in rows if row[i] is not None) for i in range(len(columns))]
    widths = [max([display_width(name)] + [display_width(row[i]) for row in cells]) for i, name in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        padded = []
        for i, value in enumerate(values):
            space = " " * (widths[i] - display_width(value))
            padded.append(space + value if numeric[i] and values is not columns else value + space)
        return "  ".join(padded).rstrip()

    out = [line(list(columns)), "  ".join("-" * width for width in widths)]
    out += [line(row) for row in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def format_csv(columns: Sequence[str], rows: Sequence[tuple]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return buffer.getvalue()
