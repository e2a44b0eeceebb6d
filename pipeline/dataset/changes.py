"""What a write adds, changes and removes, compared with the tables it replaces.

Rows are matched by their primary key; ids are derived from content (see
:mod:`pipeline.dataset.ids`), so a row whose content is unchanged keeps its
key from run to run.  A row whose key is new is ``added``, one whose key is
gone is ``removed``, and one whose key stays but some value differs is
``changed``, with the columns that differ.  A downstream job applies the
``changes`` table instead of reloading everything.

The first write into an empty folder lists every row as ``added``.  A
previous table that cannot be read, or that lacks its key columns, counts
as empty.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.dataset.validate import row_keys
from pipeline.tables import CHANGES, SCHEMA

ORDER = {"added": 0, "changed": 1, "removed": 2}


def read_previous(out_dir: Path) -> dict[str, pd.DataFrame | None]:
    """The tables now in ``out_dir``, ``None`` for those absent or unreadable."""
    previous: dict[str, pd.DataFrame | None] = {}
    for name in SCHEMA:
        path = out_dir / f"{name}.parquet"
        try:
            previous[name] = pd.read_parquet(path) if path.is_file() else None
        except Exception:  # a damaged file is replaced, and its rows count as gone unseen
            previous[name] = None
    return previous


def changed_rows(previous: dict[str, pd.DataFrame | None], current: dict[str, pd.DataFrame]) -> list[dict]:
    """Rows of the ``changes`` table for every data table in ``current``."""
    rows: list[dict] = []
    for name, now in current.items():
        if name == CHANGES:
            continue
        before = previous.get(name)
        if before is None or not set(SCHEMA[name].primary_key) <= set(before.columns):
            before = now.iloc[0:0]
        rows.extend(_compare(name, before, now))
    return rows


def _keyed(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    keyed = frame.set_index(row_keys(name, frame))
    return keyed[~keyed.index.duplicated(keep="first")]


def _compare(name: str, before: pd.DataFrame, now: pd.DataFrame) -> list[dict]:
    now, before = _keyed(name, now), _keyed(name, _like(before, now))
    added = now.index.difference(before.index)
    removed = before.index.difference(now.index)
    common = now.index.intersection(before.index)
    differing: dict[str, list[str]] = {}
    if len(common):
        new, old = now.loc[common], before.loc[common]
        same = ((new == old).fillna(False).astype(bool) | (new.isna() & old.isna())).to_numpy()
        columns = list(now.columns)
        for row in (~same.all(axis=1)).nonzero()[0]:
            differing[common[row]] = [columns[c] for c in (~same[row]).nonzero()[0]]
    changed = pd.Index(list(differing), dtype=now.index.dtype)
    rows = [_row(name, key, doc_id, "added") for key, doc_id in _documents(now, added)]
    rows += [_row(name, key, doc_id, "changed", differing[key]) for key, doc_id in _documents(now, changed)]
    rows += [_row(name, key, doc_id, "removed") for key, doc_id in _documents(before, removed)]
    return sorted(rows, key=lambda row: (ORDER[row["change"]], row["row_key"]))


def _documents(frame: pd.DataFrame, keys: pd.Index):
    """(key, doc_id) for ``keys`` of ``frame``."""
    doc_ids = frame.loc[keys, "doc_id"] if "doc_id" in frame.columns else pd.Series(None, index=keys, dtype=object)
    return zip(keys, doc_ids.tolist())


def _like(before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """``before`` with ``now``'s columns and types; a column it lacks is empty."""
    before = before.reindex(columns=now.columns)
    for column, dtype in now.dtypes.items():
        try:
            before[column] = before[column].astype(dtype)
        except (TypeError, ValueError):  # a type that changed: every value differs
            before[column] = pd.Series(pd.NA, index=before.index, dtype=dtype)
    return before


def _row(name: str, key: str, doc_id, change: str, columns: list[str] | None = None) -> dict:
    return {
        "table_name": name,
        "row_key": str(key),
        "doc_id": None if doc_id is None or pd.isna(doc_id) else str(doc_id),
        "change": change,
        "changed_columns": ",".join(columns) if columns else None,
    }
