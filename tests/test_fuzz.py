"""The mutation fuzz: mutants of the shared corpus (``tests/fuzz_corpus.py``) never crash the pipeline.

The quick tests check the generator and run the pipeline on one mutant of
each kind; the 300-mutant run is marked ``slow`` and left out of ``make
test`` (``make fuzz`` prints its summary; ``pytest -m slow`` runs it here).
"""

from __future__ import annotations

import doctest
import hashlib

import pytest

import fuzz_corpus
from conftest import SHARED, need_shared
from fuzz_corpus import KINDS, read_manifest, run_fuzz, write_mutants

CORPUS = SHARED / "corpus"


def digests(paths) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}


@pytest.fixture(scope="module")
def two_of_each(tmp_path_factory):
    need_shared(CORPUS)
    folder = tmp_path_factory.mktemp("mutants")
    return folder, write_mutants(folder, count=2 * len(KINDS), seed=7)


def test_two_of_each_kind_written_and_distinct(two_of_each):
    folder, paths = two_of_each
    assert sorted(path.name for path in paths) == sorted(f"{kind}-{number:03d}.pdf" for kind in KINDS for number in (0, 1))
    assert all(path.stat().st_size > 0 for path in paths)
    assert len(set(digests(paths).values())) == len(paths)


def test_each_mutant_differs_from_its_source_and_says_how(two_of_each):
    folder, paths = two_of_each
    manifest = read_manifest(folder)
    assert set(manifest) == {path.name for path in paths}
    for path in paths:
        record = manifest[path.name]
        assert record["kind"] == path.stem.rsplit("-", 1)[0] and record["seed"] == 7 and record["detail"]
        assert path.read_bytes() != (CORPUS / record["source"]).read_bytes(), path.name


def test_same_seed_same_bytes_other_seed_other_bytes(two_of_each, tmp_path):
    folder, paths = two_of_each
    again = write_mutants(tmp_path / "again", count=2 * len(KINDS), seed=7)
    assert digests(again) == digests(paths)
    alone = write_mutants(tmp_path / "alone", count=2 * len(KINDS), seed=7, only=["flate-001"])
    assert digests(alone) == {"flate-001.pdf": digests(paths)["flate-001.pdf"]}
    other = digests(write_mutants(tmp_path / "other", count=2 * len(KINDS), seed=8))
    assert sum(other[name] != digest for name, digest in digests(paths).items()) >= len(paths) - 1


def test_reasons_split_and_classed():
    assert doctest.testmod(fuzz_corpus).failed == 0


def test_one_of_each_kind_gives_a_row_and_no_traceback(two_of_each, tmp_path):
    folder, paths = two_of_each
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in paths:
        if path.stem.endswith("-000"):
            (raw / path.name).symlink_to(path)
    run = run_fuzz(raw, tmp_path / "out", jobs=1, timeout=600)
    assert len(run.inputs) == len(KINDS)
    assert not run.problems(), run.summary()


@pytest.mark.slow
def test_three_hundred_mutants_give_a_row_each_and_no_traceback(tmp_path):
    need_shared(CORPUS)
    write_mutants(tmp_path / "raw", count=300)
    run = run_fuzz(tmp_path / "raw", tmp_path / "out", jobs=2, timeout=1800)
    print(run.summary())
    assert len(run.inputs) == 300
    assert not run.tracebacks(), run.summary()
    assert not run.missing(), run.summary()


def test_mutants_that_once_broke_a_stage_now_read(tmp_path):
    """flip-026 and font-037 left the glyph bank no comparable picture; xref-015 has a page pdfium cannot load."""
    from pipeline.parallel import extract_one

    need_shared(SHARED / "corpus")
    for path in write_mutants(tmp_path, seed=1, only=["flip-026", "font-037", "xref-015"]):
        outcome = extract_one(path)
        assert "internal error" not in (outcome.error or ""), (path.name, outcome.error)
        assert outcome.status == "partial"
