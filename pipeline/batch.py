"""Run the pipeline over a folder of PDFs and write the tables.

Each file's failure is reported (stderr and its ``documents`` row) and the
batch goes on.  GiNZA is loaded once per run, and only when some document
has articles to read.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from pipeline.extract.pdf import ExtractError, count_pages
from pipeline.run import DocumentResult, process_document
from pipeline.tables import TABLES
from pipeline.write import write_tables


@dataclass
class BatchSummary:
    statuses: Counter = field(default_factory=Counter)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return self.statuses.get("failed", 0)

    def line(self) -> str:
        documents = sum(self.statuses.values())
        return (
            f"{documents} documents: {self.statuses.get('ok', 0)} ok, {self.statuses.get('partial', 0)} partial, "
            f"{self.failed} failed | articles {self.counts.get('articles', 0)}, figures {self.counts.get('figures', 0)}, "
            f"dates {self.counts.get('dates', 0)}, entities {self.counts.get('entities', 0)}, "
            f"repairs {self.counts.get('repairs', 0)}"
        )


def find_pdfs(raw_dir: Path) -> list[Path]:
    """Every ``*.pdf`` under ``raw_dir``, in a stable order."""
    return sorted(p for p in raw_dir.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")


def run_batch(raw_dir: Path, out_dir: Path, password: str | None = None, progress: bool = True, entities: bool = True) -> BatchSummary:
    paths = find_pdfs(raw_dir)
    finder = _entity_finder() if entities and paths else None
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    summary = BatchSummary()
    for path in tqdm(paths, desc="documents", unit="doc", disable=not progress, file=sys.stderr):
        result = _process_with_progress(path, password, finder, progress)
        document = result.document
        summary.statuses[document.status] += 1
        if document.status == "failed":
            print(f"newsletter-extract: {path}: failed: {document.error}", file=sys.stderr)
        elif document.status == "partial":
            print(f"newsletter-extract: {path}: partial: {document.error}", file=sys.stderr)
        for name, rows in result.rows().items():
            tables[name].extend(rows)
    summary.counts = write_tables(out_dir, tables)
    return summary


def _process_with_progress(path: Path, password: str | None, finder, progress: bool) -> DocumentResult:
    try:
        total = count_pages(path, password) if progress else None
    except ExtractError:
        total = None
    except Exception:
        total = None
    with tqdm(total=total, desc=path.name[:40], unit="page", leave=False, disable=not progress, file=sys.stderr) as bar:
        return process_document(path, password, finder, on_page=lambda _index: bar.update(1))


class _LazyEntityFinder:
    """Loads GiNZA on first use, so a batch of unreadable files never pays for it."""

    def __init__(self):
        self._finder = None

    def find(self, texts: list[str]):
        if self._finder is None:
            from pipeline.pull.entities import get_entity_finder

            self._finder = get_entity_finder()
        return self._finder.find(texts)


def _entity_finder():
    return _LazyEntityFinder()
