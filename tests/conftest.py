"""Shared test fixtures: paths, and one pipeline run per input set per session.

Files under ``../shared`` are read from there (never copied); tests that need
them skip with the reason when the folder is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "raw"
SHARED = REPO.parent / "shared"
NEWSLETTERS = SHARED / "corpus" / "newsletters"
REAL_JA = SHARED / "corpus" / "real-ja"
SCORE = SHARED / "bench" / "score.py"


def load_jsonl(path: Path) -> list[dict]:
    """Peer cases and known differences: one JSON object a line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def assert_known_differences_are_real(cases: Path, known: Path) -> None:
    """Every recorded difference names a real peer case and says why."""
    ids = {case["id"] for case in load_jsonl(cases)}
    for row in load_jsonl(known):
        assert row["id"] in ids, row["id"]
        assert row.get("reason"), row["id"]


def need_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared corpus is not checked out beside the repo")
    return path


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """The whole pipeline on the project's own sample issues in raw/."""
    from pipeline.batch import run_batch

    out = tmp_path_factory.mktemp("sample-out")
    summary = run_batch(RAW, out, progress=False)
    return out, summary


@pytest.fixture(scope="session")
def newsletter_run(tmp_path_factory):
    """The whole pipeline on the shared newsletters (the damaged PDFs, not .clean)."""
    from pipeline.batch import run_batch

    need_shared(NEWSLETTERS)
    raw = tmp_path_factory.mktemp("newsletters-raw")
    for pdf in sorted(NEWSLETTERS.glob("*.pdf")):
        if not pdf.name.endswith(".clean.pdf"):
            (raw / pdf.name).symlink_to(pdf)
    out = tmp_path_factory.mktemp("newsletters-out")
    summary = run_batch(raw, out, progress=False)
    return out, summary
