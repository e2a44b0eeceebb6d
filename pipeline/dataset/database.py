"""SQL over every issue: the DuckDB database beside the tables, and queries on it.

Every write also builds ``newsletters.duckdb``: one table per output table,
with the schema's types, primary keys and descriptions (``COMMENT ON``), so
that ``duckdb extracted/newsletters.duckdb`` or
``duckdb.connect("extracted/newsletters.duckdb")`` answers questions across
the whole archive.  It is a copy, not views: views over Parquet would hold
the paths of the moment and break when the folder moves.  A folder written
before the database existed is queried through in-memory copies of its
Parquet files.

``end`` (dates) and ``references`` (articles) are SQL keywords: quote them,
``"end"``, ``a."references"``.

``newsletter-extract query`` is read-only twice over.  DuckDB's own parser
must find exactly one statement, of a reading kind (:func:`check_read_only`);
and the connection is sealed (:data:`SEALED`), so that even a SELECT cannot
read or write a file, reach the network, load an extension or change a
setting back.
"""

from __future__ import annotations

import csv
import io
import re
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


# Settings of every query connection.  Without external access DuckDB refuses
# COPY, EXPORT, ATTACH, INSTALL, LOAD and every file or URL a table function
# names (read_csv, read_text, glob, ...); no extension is fetched or loaded
# behind the query's back; an empty temp_directory keeps a large query from
# spilling into OUT_DIR/newsletters.duckdb.tmp; and the lock comes last, since
# after it not even SET or PRAGMA can undo the others.
SEALED = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "temp_directory": "",
    "lock_configuration": True,
}

READS = "SELECT (also WITH, FROM, VALUES), DESCRIBE, SHOW, SUMMARIZE, EXPLAIN [ANALYZE] SELECT"
# What EXPLAIN may put before the statement it explains; the rest must be a read itself
EXPLAIN_PREFIX = re.compile(r"(?:\s|--[^\n]*(?:\n|\Z)|/\*.*?\*/)*EXPLAIN\s+(?:ANALY[SZ]E\s+|\([^()]*\)\s*)?", re.IGNORECASE | re.DOTALL)


class QueryRefused(ValueError):
    """SQL that ``query`` does not run: more than one statement, or one that is not a read."""


def _excerpt(sql: str, width: int = 40) -> str:
    text = " ".join(sql.split()).rstrip(";")
    return text if len(text) <= width else text[: width - 1] + "…"


def _kind(statement) -> str:
    try:
        return statement.type.name
    except ValueError:  # a kind the Python enum has no name for (UPDATE EXTENSIONS in 2.0): never a read
        return "unknown kind"


def check_read_only(sql: str) -> None:
    """Raise :class:`QueryRefused` unless ``sql`` is exactly one reading statement.

    DESCRIBE, SHOW and SUMMARIZE reach here as SELECTs (DuckDB's parser
    rewrites them).  PRAGMA and CALL are refused as a kind: the parser does
    not tell ``PRAGMA table_info`` from ``PRAGMA enable_profiling``, and
    ``SELECT * FROM pragma_table_info('figures')`` or ``DESCRIBE figures``
    answer the same question.
    """
    statements = duckdb.extract_statements(sql)
    if len(statements) != 1:
        raise QueryRefused(f"refused {len(statements)} statements: query runs exactly one")
    statement = statements[0]
    kind = _kind(statement)
    if kind == "SELECT":
        return
    if kind == "EXPLAIN":
        prefix = EXPLAIN_PREFIX.match(statement.query)
        explained = duckdb.extract_statements(statement.query[prefix.end() :]) if prefix else []
        if len(explained) == 1 and _kind(explained[0]) == "SELECT":
            return
    hint = "; for columns write DESCRIBE figures or SELECT * FROM pragma_table_info('figures')" if kind in ("PRAGMA", "CALL") else ""
    raise QueryRefused(f"refused {_excerpt(statement.query)!r} ({kind}): query runs one of {READS}{hint}")


def connect(out_dir: Path) -> duckdb.DuckDBPyConnection:
    """A sealed, read-only connection to the tables in ``out_dir`` (see :data:`SEALED`)."""
    database = out_dir / FILE_NAME
    if database.is_file():
        return duckdb.connect(str(database), read_only=True, config=SEALED)
    tables = {name: out_dir / f"{name}.parquet" for name in SCHEMA if (out_dir / f"{name}.parquet").is_file()}
    if not tables:
        raise FileNotFoundError(f"no tables in {out_dir}: run `newsletter-extract extract RAW_DIR --out {out_dir}` first")
    unsealed = ("enable_external_access", "lock_configuration")
    connection = duckdb.connect(config={key: value for key, value in SEALED.items() if key not in unsealed})
    try:
        # Copied into memory, not views: a view would read its Parquet file at query
        # time, which the sealed connection refuses.  Folders without the database are
        # small and old.
        for name, path in tables.items():
            connection.execute(f"CREATE TABLE {quote(name)} AS SELECT * FROM read_parquet({literal(str(path.resolve()))})")
        connection.execute("SET enable_external_access = false")
        connection.execute("SET lock_configuration = true")
    except BaseException:
        connection.close()
        raise
    return connection


def run_query(out_dir: Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Column names and rows of ``sql`` run on the tables in ``out_dir``.

    Raises :class:`QueryRefused` for anything but one reading statement.
    """
    check_read_only(sql)
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
    """Rows as CSV that a spreadsheet will not evaluate (see :mod:`pipeline.dataset.safe_csv`)."""
    from pipeline.dataset.safe_csv import LINE_END, neutralise_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=LINE_END)
    writer.writerow([neutralise_cell(column) for column in columns])
    writer.writerows(["" if value is None else neutralise_cell(value) for value in row] for row in rows)
    return buffer.getvalue()
