"""Write the tables as Parquet (for loading), CSV (for people) and a dataset around them.

Nothing is written until every table has passed its schema
(:mod:`pipeline.dataset.validate`): a violation raises
:class:`~pipeline.dataset.validate.TableError` naming table, column and row,
and the tables already in the folder stay as they were.

A write then compares the new tables with the ones they replace (the
``changes`` table), and puts ``datapackage.json`` and ``newsletters.duckdb``
beside them.  All files are first written into a temporary folder beside the
output and then moved into place as one set (:func:`pipeline.atomic.publish`):
a run that dies before the set is committed leaves the previous tables whole,
and one that dies after it has its set finished by the next run.  The data
tables move first, the files that describe them last.

People open the CSVs in spreadsheets, so there a text cell that a spreadsheet
would evaluate as a formula gets a leading ``'``
(:mod:`pipeline.dataset.safe_csv`); Parquet and DuckDB keep every value as it is.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd

from pipeline.atomic import STAGING_PREFIX, publish
from pipeline.dataset.changes import changed_rows, read_previous
from pipeline.dataset.database import build_database
from pipeline.dataset.database import FILE_NAME as DATABASE
from pipeline.dataset.package import FILE_NAME as PACKAGE
from pipeline.dataset.package import write_package
from pipeline.dataset.safe_csv import write_csv
from pipeline.dataset.validate import TableError, checked_frames, typed_frame, validate
from pipeline.tables import CHANGES, TABLES

__all__ = ["TableError", "TABLES", "frame", "write_tables"]


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """A table with exactly its declared columns and types."""
    return typed_frame(name, rows)


def write_tables(out_dir: Path, tables: dict[str, list[dict]]) -> dict[str, int]:
    """Write every table of the contract; returns row counts.

    ``tables`` maps table names to rows (dicts); tables left out are written
    empty.  The ``changes`` table is derived here, never passed in.
    """
    frames = checked_frames(tables)
    frames[CHANGES] = typed_frame(CHANGES, changed_rows(read_previous(out_dir), frames))
    validate({CHANGES: frames[CHANGES]})
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    try:
        for name, data in frames.items():
            data.to_parquet(staging / f"{name}.parquet", index=False)
            write_csv(data, staging / f"{name}.csv")  # cells a spreadsheet would evaluate get a leading '
        write_package(staging)
        build_database(staging / DATABASE, frames)
        last = {PACKAGE: 1, DATABASE: 2}
        publish(staging, out_dir, order=lambda path: (last.get(path.name, 0), path.name))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {name: len(data) for name, data in frames.items()}
