"""Batch runs: incremental (the per-document cache), parallel, and one run per output folder.

GiNZA is replaced by a stand-in finder here (one ORG per article), so these
tests need no model; ``test_shared_corpus.py`` runs the real one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from conftest import RAW, REPO
from pdf_bytes import pages_pdf, text
from pipeline import cache as cache_module
from pipeline import parallel
from pipeline.atomic import OutputLock
from pipeline.batch import run_batch
from pipeline.cache import CACHE_DIR
from pipeline.cli import main
from pipeline.pull.mentions import EntityMention
from pipeline.stage_cache import STAGES_DIR

DATA_TABLES = ("documents", "pages", "articles", "figures", "dates", "entities", "repairs")


class StandInFinder:
    """Finds the first two characters of every text as an ORG, and counts its calls."""

    calls = 0

    def find(self, texts):
        StandInFinder.calls += 1
        return [[EntityMention(text[:2], "ORG", "Company", 0, 2)] if len(text) >= 2 else [] for text in texts]


@pytest.fixture
def stand_in_ginza(monkeypatch):
    StandInFinder.calls = 0
    monkeypatch.setattr(parallel.LazyEntityFinder, "find", lambda self, texts: StandInFinder().find(texts))
    return StandInFinder


@pytest.fixture
def archive(tmp_path):
    """A sample issue (3 pages, 4 articles) and a two-page notice without articles (partial)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "sample-2025-04.pdf", raw / "sample-2025-04.pdf")
    (raw / "notice.pdf").write_bytes(pages_pdf([text("Notice to readers"), text("Second page")]))
    return raw


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """The archive and the output of one run over it, to be copied by each test."""
    folder = tmp_path_factory.mktemp("first-run")
    raw = folder / "raw"
    raw.mkdir()
    shutil.copy(RAW / "sample-2025-04.pdf", raw / "sample-2025-04.pdf")
    (raw / "notice.pdf").write_bytes(pages_pdf([text("Notice to readers"), text("Second page")]))
    summary = run(raw, folder / "out")
    assert (summary.read, summary.reused) == (2, 0)
    return folder


@pytest.fixture
def after_first_run(first_run, tmp_path):
    """(archive, out) as the first run left them, in this test's own folder."""
    shutil.copytree(first_run / "raw", tmp_path / "raw")
    shutil.copytree(first_run / "out", tmp_path / "out")
    return tmp_path / "raw", tmp_path / "out"


def tables_of(out):
    return {name: pd.read_parquet(out / f"{name}.parquet") for name in DATA_TABLES}


def assert_same_tables(left, right):
    for name in DATA_TABLES:
        pd.testing.assert_frame_equal(left[name], right[name], obj=name)


def run(raw, out, **options):
    options = {"progress": False, "entities": False, "jobs": 1, **options}
    return run_batch(raw, out, **options)


# --- names ------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_same_file_name_in_two_folders_gives_two_documents(tmp_path, jobs):
    raw = tmp_path / "raw"
    for year in ("2024", "2025"):
        (raw / year).mkdir(parents=True)
        shutil.copy(RAW / "sample-2025-04.pdf", raw / year / "05.pdf")
    (raw / "notice.pdf").write_bytes(pages_pdf([text("Notice to readers")]))
    summary = run(raw, tmp_path / "out", jobs=jobs)
    documents = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    assert sorted(zip(documents["doc_id"], documents["source"])) == [
        ("2024_05", "2024/05.pdf"),
        ("2025_05", "2025/05.pdf"),
        ("notice", "notice.pdf"),
    ]
    articles = pd.read_parquet(tmp_path / "out" / "articles.parquet")
    # a document without headings is one article (issue 17), so the notice is read as one
    assert articles.groupby("doc_id").size().to_dict() == {"2024_05": 4, "2025_05": 4, "notice": 1}
    assert summary.statuses == {"ok": 3}
    assert run(raw, tmp_path / "out", jobs=jobs).reused == 3  # the cache knows them by their paths


def test_names_that_make_the_same_id_fail_the_second_and_keep_the_rest(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "sample-2025-04.pdf", raw / "a b.pdf")
    shutil.copy(RAW / "sample-2025-04.pdf", raw / "a_b.pdf")
    summary = run(raw, tmp_path / "out")
    documents = pd.read_parquet(tmp_path / "out" / "documents.parquet").set_index("source")
    assert documents.loc["a b.pdf", ["doc_id", "status"]].tolist() == ["a_b", "ok"]
    assert documents.loc["a_b.pdf", ["doc_id", "status"]].tolist() == ["a_b~2", "failed"]
    assert "already that of 'a b.pdf': rename one of the two files" in documents.loc["a_b.pdf", "error"]
    assert "a_b.pdf: failed: its id 'a_b' is already" in capsys.readouterr().err
    assert summary.statuses == {"ok": 1, "failed": 1}


# --- incremental -------------------------------------------------------------------


def test_unchanged_archive_is_not_read_again_and_gives_the_same_tables(after_first_run):
    archive, out = after_first_run
    before = tables_of(out)
    second = run(archive, out)
    assert (second.read, second.reused) == (0, 2)
    assert second.statuses == {"ok": 2}  # the notice is one article without a heading
    assert_same_tables(before, tables_of(out))
    assert "0 read, 2 unchanged" in second.line()


def test_unchanged_rerun_does_not_load_ginza(archive, tmp_path, stand_in_ginza):
    out = tmp_path / "out"
    run(archive, out, entities=True)  # fills the cache, the stand-in finding the entities
    assert stand_in_ginza.calls == 2  # one call per document: the notice is one article too
    before = tables_of(out)
    assert len(before["entities"]) == 5  # one per article from the stand-in: the notice is one article too
    script = (
        "import sys\n"
        "from pipeline.cli import main\n"
        "if __name__ == '__main__':\n"
        f"    status = main(['extract', {str(archive)!r}, '--out', {str(out)!r}, '--quiet'])\n"
        "    print('spacy imported:', 'spacy' in sys.modules)\n"
        "    sys.exit(status)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "0 read, 2 unchanged" in result.stdout
    assert "spacy imported: False" in result.stdout
    assert_same_tables(before, tables_of(out))


def test_changed_file_alone_is_read_again(after_first_run):
    archive, out = after_first_run
    changed = archive / "sample-2025-04.pdf"
    changed.write_bytes(changed.read_bytes() + b"\n% one more line\n")
    summary = run(archive, out)
    assert (summary.read, summary.reused) == (1, 1)
    documents = pd.read_parquet(out / "documents.parquet").set_index("source")
    assert documents.loc["sample-2025-04.pdf", "sha256"] == cache_module.hashlib.sha256(changed.read_bytes()).hexdigest()


def test_renamed_copy_is_read_under_its_own_name(after_first_run):
    archive, out = after_first_run
    shutil.copy(archive / "sample-2025-04.pdf", archive / "sample-2025-04-copy.pdf")
    summary = run(archive, out)
    assert (summary.read, summary.reused) == (1, 2)
    articles = pd.read_parquet(out / "articles.parquet")
    assert set(articles["doc_id"]) == {"sample-2025-04", "sample-2025-04-copy", "notice"}


def test_new_pipeline_version_reads_everything_again_and_drops_old_entries(after_first_run, monkeypatch):
    archive, out = after_first_run
    old_entries = sorted(path.name for path in (out / CACHE_DIR).iterdir())
    monkeypatch.setattr(cache_module, "pipeline_key", lambda: "9.9.9+newcode")
    summary = run(archive, out)
    assert (summary.read, summary.reused) == (2, 0)
    entries = sorted(path.name for path in (out / CACHE_DIR).iterdir() if path.name != STAGES_DIR)
    assert len(entries) == 2 and all(name.endswith("-9.9.9+newcode") for name in entries)
    assert not set(entries) & set(old_entries)


def test_removed_file_leaves_tables_and_cache(after_first_run):
    archive, out = after_first_run
    (archive / "sample-2025-04.pdf").unlink()
    summary = run(archive, out)
    assert (summary.read, summary.reused) == (0, 1)
    assert list(pd.read_parquet(out / "documents.parquet")["source"]) == ["notice.pdf"]
    assert len([path for path in (out / CACHE_DIR).iterdir() if path.name != STAGES_DIR]) == 1


def test_run_without_entities_reuses_entries_made_with_them(archive, tmp_path, stand_in_ginza):
    out = tmp_path / "out"
    run(archive, out, entities=True)
    with_entities = tables_of(out)
    summary = run(archive, out, entities=False)
    assert (summary.read, summary.reused) == (0, 2)
    without = tables_of(out)
    assert len(with_entities["entities"]) == 5 and len(without["entities"]) == 0
    pd.testing.assert_frame_equal(with_entities["figures"], without["figures"])
    # and back: the entries without entities cannot serve a run that wants them
    summary = run(archive, out, entities=True)
    assert (summary.read, summary.reused) == (0, 2)  # the entries made with entities are still there


def test_unreadable_cache_entry_is_ignored(after_first_run):
    archive, out = after_first_run
    for entry in (out / CACHE_DIR).rglob("*.json"):
        entry.write_text("{ not json", encoding="utf-8")
    summary = run(archive, out)
    assert (summary.read, summary.reused) == (2, 0)


def test_cache_entry_holds_the_document_rows(after_first_run):
    _, out = after_first_run
    entry = next((out / CACHE_DIR).rglob("sample-2025-04.no-entities.json"))
    stored = json.loads(entry.read_text(encoding="utf-8"))
    assert stored["source"] == "sample-2025-04.pdf"
    assert entry.parent.name == f"{stored['sha256']}-{stored['pipeline_key']}"
    assert set(stored["rows"]) >= {"documents", "pages", "articles", "figures", "dates"}
    assert not list(out.rglob(".tmp-*"))


# --- parallel ----------------------------------------------------------------------


def test_two_jobs_give_the_same_tables_and_summary_as_one(archive, tmp_path, capsys):
    (archive / "empty.pdf").write_bytes(b"")
    serial = run(archive, tmp_path / "serial", jobs=1)
    serial_err = capsys.readouterr().err
    both = run(archive, tmp_path / "parallel", jobs=2)
    parallel_err = capsys.readouterr().err
    assert_same_tables(tables_of(tmp_path / "serial"), tables_of(tmp_path / "parallel"))
    assert both.line() == serial.line()
    assert both.pages == serial.pages == 5
    assert serial_err.count("empty.pdf: failed: empty file") == parallel_err.count("empty.pdf: failed: empty file") == 1


def test_progress_from_workers_counts_every_page(archive):
    paths = sorted(archive.glob("*.pdf"))
    totals, pages = {}, []
    outcomes = dict(
        parallel.run_documents(paths, entities=False, jobs=2, on_start=totals.__setitem__, on_page=pages.append)
    )
    assert sorted(outcomes) == [0, 1]
    assert totals == {0: 2, 1: 3}  # notice.pdf, sample-2025-04.pdf
    assert sorted(pages) == [0, 0, 1, 1, 1]


def _dies_on_victim(index: int, path: str, source: str | None = None):
    """Worker-side work that kills its process on one file, as a crash in C would."""
    if path.endswith("victim.pdf"):
        os._exit(70)
    return parallel._work(index, path, source)


def test_worker_that_dies_fails_only_its_document(tmp_path):
    for name in ("a.pdf", "b.pdf", "victim.pdf", "z.pdf"):
        (tmp_path / name).write_bytes(pages_pdf([text(f"This is {name}")]))
    paths = sorted(tmp_path.glob("*.pdf"))
    outcomes = {paths[index].name: outcome for index, outcome in parallel.run_documents(paths, entities=False, jobs=2, work=_dies_on_victim)}
    assert sorted(outcomes) == ["a.pdf", "b.pdf", "victim.pdf", "z.pdf"]
    victim = outcomes.pop("victim.pdf")
    assert victim.status == "failed" and "worker process died" in victim.error
    assert not victim.reusable  # tried again next run
    assert {outcome.status for outcome in outcomes.values()} == {"ok"}  # read; each one article without a heading


PRELOAD_RUN = """
import json, sys
from pathlib import Path
from pipeline.batch import run_batch

if __name__ == "__main__":
    summary = run_batch(Path(sys.argv[1]), Path(sys.argv[2]), progress=False, jobs=2)
    print(json.dumps({"read": summary.read, "entities": summary.counts["entities"], "load_model": summary.timings.get("load_model", 0.0)}))
"""


@pytest.mark.skipif("forkserver" not in __import__("multiprocessing").get_all_start_methods(), reason="no fork server here")
def test_jobs_workers_start_with_the_model_the_fork_server_loaded(tmp_path):
    """``--jobs 2`` with entities: GiNZA is loaded once, in the fork server, so no worker's document pays a load.

    In a process of its own, since the fork server is started once per process (by its first pool).
    """
    raw = tmp_path / "raw"
    raw.mkdir()
    for pdf in sorted(RAW.glob("*.pdf")):
        shutil.copy(pdf, raw / pdf.name)
    script = tmp_path / "run.py"
    script.write_text(PRELOAD_RUN, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), str(raw), str(tmp_path / "out")], capture_output=True, text=True, cwd=REPO, timeout=600, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout.splitlines()[-1])
    assert measured["read"] == len(list(raw.glob("*.pdf"))) and measured["entities"] > 0  # both workers found entities ...
    assert measured["load_model"] == 0.0  # ... with the model they were forked with


# --- usage -------------------------------------------------------------------------


def test_second_run_on_the_same_output_is_refused(archive, tmp_path, capsys):
    out = tmp_path / "out"
    with OutputLock(out):
        with pytest.raises(SystemExit) as exit_info:
            main(["extract", str(archive), "--out", str(out), "--quiet", "--no-entities"])
    assert exit_info.value.code == 2
    assert "another run is writing" in capsys.readouterr().err


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(archive, tmp_path, jobs):
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", str(archive), "--out", str(tmp_path / "out"), "--jobs", jobs])
    assert exit_info.value.code == 2
