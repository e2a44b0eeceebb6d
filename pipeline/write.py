"""Write the tables as Parquet (for loading) and CSV (for people).

All files of a run are first written into a temporary folder beside the
output and then moved into place one by one with ``os.replace``, which is
atomic: a run that dies half-way leaves the previous tables whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from pipeline.tables import TABLES


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """A table with exactly its declared columns and types."""
    columns = TABLES[name]
    data = pd.DataFrame(rows, columns=list(columns))
    return data.astype(columns)


def write_tables(out_dir: Path, tables: dict[str, list[dict]]) -> dict[str, int]:
    """Write every table of the contract; returns row counts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".writing-", dir=out_dir))
    counts = {}
    try:
        for name in TABLES:
            data = frame(name, tables.get(name, []))
            data.to_parquet(staging / f"{name}.parquet", index=False)
            data.to_csv(staging / f"{name}.csv", index=False)
            counts[name] = len(data)
        for staged in sorted(staging.iterdir()):
            os.replace(staged, out_dir / staged.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return counts
