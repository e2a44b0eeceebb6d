"""One bad file never costs the batch: every document bounded in time, memory and work per page.

The hostile files come from :mod:`hostile_pdfs` (a few kilobytes each);
the good issue is the project's own sample in ``raw/``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import hostile_pdfs
from conftest import RAW, REPO
from pdf_bytes import pages_pdf, text
from pipeline import parallel
from pipeline.batch import admitted, all_admitted, run_batch
from pipeline.cache import ResultCache
from pipeline.cli import main
from pipeline.limits import ConfigError, DocumentGuard, LimitExceeded, Limits, load_config
from pipeline.parallel import extract_one

GOOD = RAW / "sample-2025-04.pdf"
LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and uses prlimit")


def documents_of(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "documents.parquet").set_index("source")


# --- the batch of the issue: a good issue among attacks, under an address-space cap ------------------


@pytest.fixture(scope="module")
def attacked_run(tmp_path_factory):
    """The good issue beside every hostile file, two workers, 4 GiB of address space each, GiNZA on."""
    if not shutil.which("prlimit"):
        pytest.skip("prlimit is not installed")
    raw = tmp_path_factory.mktemp("attacked-raw")
    shutil.copy(GOOD, raw / "good-issue.pdf")
    names = hostile_pdfs.write_hostile_batch(raw)
    out = tmp_path_factory.mktemp("attacked-out")
    command = ["prlimit", f"--as={4 << 30}", sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out), "--jobs", "2", "--quiet"]
    command += ["--memory-limit", "1024"]  # the object-stream bomb reaches it sooner than the default's 2 GiB
    started = time.monotonic()
    run = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=600)
    return run, documents_of(out), names, time.monotonic() - started


@LINUX
def test_attacked_batch_gives_every_file_a_row_and_exits_1_without_traceback(attacked_run):
    run, documents, names, seconds = attacked_run
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    expected = {os.fsencode(name).decode("utf-8", "backslashreplace") for name in names} | {"good-issue.pdf"}
    assert set(documents.index) == expected
    assert documents.loc["good-issue.pdf", "status"] == "ok"
    assert seconds < 300


@LINUX
def test_each_attack_is_failed_or_partial_with_its_bound_named(attacked_run):
    _, documents, _, _ = attacked_run
    error = documents["error"].to_dict()
    assert "Form XObjects drawn on one page" in error["fan-out.pdf"]
    assert "content-stream operators" in error["operator-bomb.pdf"]
    assert documents.loc["object-stream-bomb.pdf", "status"] == "failed"
    assert "exceeded the memory limit (1 GiB)" in error["object-stream-bomb.pdf"]
    assert "glyphs drawn outside the page left out" in error["off-page-glyph.pdf"]
    assert documents.loc["bad\\xff-name.pdf", "status"] == "ok"  # read: one article without a heading
    assert "named pipe" in error["pipe.pdf"] and "device" in error["zero.pdf"] and "does not exist" in error["dangling.pdf"]


@LINUX
def test_attacked_batch_keeps_boxes_on_their_pages(attacked_run, tmp_path):
    run, _, _, _ = attacked_run
    out = Path(run.args[run.args.index("--out") + 1])
    pages = pd.read_parquet(out / "pages.parquet").set_index(["doc_id", "page_index"])
    for table in ("repairs", "figures"):
        rows = pd.read_parquet(out / f"{table}.parquet")
        for row in rows.itertuples():
            width, height = pages.loc[(row.doc_id, row.page - 1), ["width", "height"]]
            assert 0 <= row.x0 <= row.x1 <= width + 1 and 0 <= row.top <= row.bottom <= height + 1


# --- bounds inside one document -----------------------------------------------------------------


def test_guard_interrupts_python_work_past_its_time():
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match=r"exceeded the time limit \(1 s\)"):
        with DocumentGuard(Limits(seconds=1, seconds_per_page=0)):
            while True:
                sum(range(1000))
    assert time.monotonic() - started < 5


@LINUX
def test_guard_interrupts_growth_past_its_memory():
    hoard = []
    with pytest.raises(LimitExceeded, match=r"exceeded the memory limit \(64 MiB\)"):
        with DocumentGuard(Limits(memory_mib=64)):
            while True:
                hoard.append(bytearray(1 << 20))
                time.sleep(0.001)
    assert len(hoard) < 1000


def test_guard_lets_a_document_within_bounds_finish():
    with DocumentGuard(Limits(seconds=5)) as guard:
        guard.allow_pages(3)
        total = sum(range(100_000))
    assert total and guard.reason is None


def test_operator_bomb_loses_its_page_not_the_run(tmp_path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(hostile_pdfs.operator_bomb_pdf(size=8 << 20))
    outcome = extract_one(path, limits=Limits(operators_per_page=100_000))
    assert outcome.status == "failed"
    assert "more than 100,000 content-stream operators" in outcome.error


def test_fan_out_is_stopped_by_its_count_of_forms(tmp_path):
    path = tmp_path / "fan-out.pdf"
    path.write_bytes(hostile_pdfs.fan_out_pdf())
    started = time.monotonic()
    outcome = extract_one(path, limits=Limits(forms_per_page=500))
    assert "more than 500 Form XObjects" in outcome.error
    assert time.monotonic() - started < 30


def test_glyph_count_bounds_a_page(tmp_path):
    path = tmp_path / "glyphs.pdf"
    path.write_bytes(pages_pdf([text("x" * 200)]))
    assert "more than 100 glyphs on one page" in extract_one(path, limits=Limits(glyphs_per_page=100)).error
    assert extract_one(path, limits=Limits(glyphs_per_page=1000)).status == "partial"  # read: no articles


def test_slow_document_fails_with_the_time_limit_and_is_cached_only_under_it(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "fan-out.pdf").write_bytes(hostile_pdfs.fan_out_pdf())
    tight = Limits(seconds=1, seconds_per_page=0, forms_per_page=0, operators_per_page=0, glyphs_per_page=0)
    run_batch(raw, out, progress=False, entities=False, jobs=1, limits=tight)
    documents = documents_of(out)
    assert documents.loc["fan-out.pdf", "error"] == "exceeded the time limit (1 s)"
    again = run_batch(raw, out, progress=False, entities=False, jobs=1, limits=tight)
    assert again.reused == 1  # the same bounds give the same answer
    other = run_batch(raw, out, progress=False, entities=False, jobs=1, limits=Limits(forms_per_page=100))
    assert other.read == 1  # other bounds may read it
    assert "more than 100 Form XObjects" in documents_of(out).loc["fan-out.pdf", "error"]


# --- workers that do not stop ---------------------------------------------------------------------


def _deaf_work(index: int, path: str, source: str | None = None):
    """Worker-side work that no signal stops, as a loop in C code would be."""
    if path.endswith("stuck.pdf"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
        time.sleep(3600)
    return parallel._work(index, path, source)


@LINUX
def test_worker_past_its_bound_is_killed_and_replaced(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "GRACE_SECONDS", 1.0)
    for name in ("a.pdf", "stuck.pdf", "b.pdf", "c.pdf"):
        (tmp_path / name).write_bytes(pages_pdf([text(f"This is {name}")]))
    paths = sorted(tmp_path.glob("*.pdf"))
    limits = Limits(seconds=2, seconds_per_page=0)
    started = time.monotonic()
    outcomes = {paths[i].name: o for i, o in parallel.run_documents(paths, entities=False, jobs=2, work=_deaf_work, limits=limits)}
    assert time.monotonic() - started < 60
    stuck = outcomes.pop("stuck.pdf")
    assert stuck.status == "failed" and stuck.error == "exceeded the time limit (2 s); its worker was stopped"
    assert {outcome.status for outcome in outcomes.values()} == {"ok"}  # the others were all read


# --- one document's bad rows cost that document alone ---------------------------------------------


def test_leaf_rows_that_break_the_schema_are_left_out_and_said(tmp_path):
    path = tmp_path / "notice.pdf"
    path.write_bytes(pages_pdf([text("A notice")]))
    outcome = extract_one(path)
    broken = {**outcome.rows, "repairs": [{**_repair_row(outcome.doc_id), "x0": -20.0}]}
    kept = admitted(parallel.Outcome(**{**vars(outcome), "rows": broken}), path)
    assert kept.rows["repairs"] == []
    assert kept.status == "partial" and "1 rows left out that break the table schema" in kept.error
    assert kept.rows["documents"][0]["error"] == kept.error
    assert broken["repairs"]  # the outcome given is not changed


def test_a_document_whose_own_row_is_bad_fails_alone(tmp_path):
    path = tmp_path / "notice.pdf"
    path.write_bytes(pages_pdf([text("A notice")]))
    outcome = extract_one(path)
    broken = {**outcome.rows, "pages": [{**outcome.rows["pages"][0], "width": "wide"}]}
    kept = admitted(parallel.Outcome(**{**vars(outcome), "rows": broken}), path)
    assert kept.status == "failed" and "break the table schema" in kept.error
    assert set(kept.rows) == {"documents"}


def test_a_batch_is_checked_at_once_and_document_by_document_only_when_that_fails(tmp_path):
    paths = []
    for name in ("a.pdf", "b.pdf"):
        paths.append(tmp_path / name)
        paths[-1].write_bytes(pages_pdf([text(f"Notice {name}")]))
    good = [extract_one(path) for path in paths]
    cache = ResultCache(tmp_path / "out")
    assert all_admitted(good, paths, cache) is good  # nothing to change: the very outcomes
    broken = parallel.Outcome(**{**vars(good[1]), "rows": {**good[1].rows, "repairs": [{**_repair_row(good[1].doc_id), "x0": -20.0}]}})
    first, second = all_admitted([good[0], broken], paths, cache)
    assert first is good[0]
    assert second.status == "partial" and second.rows["repairs"] == []
    kept = cache.get(second.source, second.doc_id, second.sha256)
    assert kept is not None and kept.status == "partial"  # the cache holds the checked outcome


def _repair_row(doc_id: str) -> dict:
    return {
        "doc_id": doc_id, "repair_id": "r1", "page": 1, "x0": 10.0, "top": 10.0, "x1": 20.0, "bottom": 20.0,
        "raw": "\ufffd", "fixed": "A", "rule": "test", "confidence": 0.9, "font": None,
    }  # fmt: skip


# --- names and kinds of files ---------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_name_that_is_not_utf8_is_read_cached_and_kept_stable(tmp_path, jobs):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    with open(os.path.join(os.fsencode(raw), b"bad\xff.pdf"), "wb") as handle:
        handle.write(pages_pdf([text("Old share")]))
    (raw / "plain.pdf").write_bytes(pages_pdf([text("Plain")]))
    first = run_batch(raw, out, progress=False, entities=False, jobs=jobs)
    documents = pd.read_parquet(out / "documents.parquet")
    row = documents.set_index("source").loc["bad\\xff.pdf"]
    assert row["doc_id"] == "bad_xff" and row["status"] == "ok"
    assert (out / "documents.csv").read_text(encoding="utf-8")  # the CSV holds it too
    second = run_batch(raw, out, progress=False, entities=False, jobs=jobs)
    assert (first.read, second.reused) == (2, 2)


@LINUX
def test_fifo_device_and_dangling_links_get_rows_and_do_not_block(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    os.mkfifo(raw / "pipe.pdf")
    (raw / "zero.pdf").symlink_to("/dev/zero")
    (raw / "gone.pdf").symlink_to(raw / "nothing.pdf")
    (raw / "folder.pdf").mkdir()
    (raw / ".pdf").write_bytes(pages_pdf([text("Named only by its extension")]))
    summary = run_batch(raw, out, progress=False, entities=False, jobs=1)
    documents = documents_of(out)
    assert set(documents.index) == {"pipe.pdf", "zero.pdf", "gone.pdf", "folder.pdf", ".pdf"}
    assert documents.loc[".pdf", "status"] == "ok"
    assert summary.failed == 4
    assert "named pipe" in documents.loc["pipe.pdf", "error"]


# --- folders --------------------------------------------------------------------------------------


def test_out_equal_to_raw_or_holding_it_is_refused(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "notice.pdf").write_bytes(pages_pdf([text("Notice")]))
    (raw / ".tmp-mine.pdf").write_bytes(b"the user's own file")
    for out in (raw, tmp_path):
        with pytest.raises(SystemExit) as exit_info:
            main(["extract", str(raw), "--out", str(out), "--quiet", "--no-entities", "--jobs", "1"])
        assert exit_info.value.code == 2
    assert "is RAW_DIR itself" in capsys.readouterr().err
    assert (raw / ".tmp-mine.pdf").read_bytes() == b"the user's own file"
    assert not (raw / "documents.csv").exists()


def test_out_inside_raw_is_left_out_of_the_search(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "notice.pdf").write_bytes(pages_pdf([text("Notice")]))
    out = raw / "extracted"
    run_batch(raw, out, progress=False, entities=False, jobs=1)
    (out / "stray.pdf").write_bytes(pages_pdf([text("Not an input")]))
    run_batch(raw, out, progress=False, entities=False, jobs=1)
    assert list(documents_of(out).index) == ["notice.pdf"]


# --- the machine around the run -------------------------------------------------------------------


def test_unwritable_out_is_one_line_and_exit_2(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "notice.pdf").write_bytes(pages_pdf([text("Notice")]))
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", str(raw), "--out", str(tmp_path / "a-file" / "out"), "--quiet", "--no-entities"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "cannot write to" in err and "Traceback" not in err


@LINUX
def test_file_size_limit_is_one_line_and_keeps_the_previous_tables(tmp_path):
    if not shutil.which("prlimit"):
        pytest.skip("prlimit is not installed")
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "notice.pdf").write_bytes(pages_pdf([text("Notice")]))
    base = [sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out), "--quiet", "--no-entities", "--jobs", "1"]
    assert subprocess.run(base, capture_output=True, cwd=REPO, timeout=300).returncode == 0
    before = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file() and path.suffix in (".parquet", ".csv")}
    shutil.copy(GOOD, raw / "issue.pdf")
    limited = subprocess.run(["prlimit", "--fsize=20000", *base], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert limited.returncode == 1
    assert "tables not written" in limited.stderr and "File too large" in limited.stderr
    assert "Traceback" not in limited.stderr
    after = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file() and path.suffix in (".parquet", ".csv")}
    assert after == before


# --- settings -------------------------------------------------------------------------------------


def test_config_file_sets_limits_and_options_win(tmp_path, capsys):
    config = tmp_path / "limits.toml"
    config.write_text("[limits]\nseconds = 30\nmemory_mib = 512\n")
    assert load_config(config) == Limits(seconds=30, memory_mib=512)
    from pipeline.cli import build_parser, limits_from

    args = build_parser().parse_args(["extract", str(tmp_path), "--config", str(config), "--memory-limit", "256"])
    assert limits_from(args) == Limits(seconds=30, memory_mib=256)


@pytest.mark.parametrize("body, message", [("[limits]\nsecond = 3\n", "unknown limit 'second'"), ("[limits]\nseconds = -1\n", "at least 0"), ("[limits\n", "not valid TOML")])
def test_bad_config_file_is_named_with_its_reason(tmp_path, body, message):
    config = tmp_path / "limits.toml"
    config.write_text(body)
    with pytest.raises(ConfigError, match=message):
        load_config(config)
