"""A decisions.csv that is not a decisions file: one line on stderr, and extract and audit go on.

The auditor's file is read by every extract and by the audit.  Whatever is
at its path (a directory, a FIFO, a link to /dev/zero, a field longer than
the csv module reads, a file of 64 MiB and more), both commands say why in
one line naming the file, never block and never print a traceback: the
extract still writes its tables (without the decisions), the audit still
builds its report (with the reason as a warning).
"""

from __future__ import annotations

import io
import os
import shutil
import threading
from pathlib import Path

import pandas as pd
import pytest

from pdf_bytes import pages_pdf, text
from pipeline.audit.decisions import MAX_BYTES, DecisionsFileError, apply_decisions, read_decisions
from pipeline.cli import main

HEADER = "id,table,decision,field,value,surface,note\n"
SECONDS = 60  # a generous bound: every case takes well under a second; a blocked read never returns


def fifo(path: Path) -> None:
    os.mkfifo(path)


def directory(path: Path) -> None:
    path.mkdir()


def link_to_dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def huge_field(path: Path) -> None:
    path.write_text(HEADER + "d-01-f001,figures,corrected,unit," + "x" * 200_000 + ",,\n", encoding="utf-8")


def oversize(path: Path) -> None:
    """Just over the bound, and sparse: no disk is used."""
    with open(path, "wb") as handle:
        handle.write(HEADER.encode())
        handle.truncate(MAX_BYTES + 1)


def broken_link(path: Path) -> None:
    path.symlink_to(path.parent / "no-such-file.csv")


# (what is at the path, the words the one line must have)
CASES = {
    "directory": (directory, "is a directory, not a regular file"),
    "fifo": (fifo, "is a FIFO (named pipe), not a regular file"),
    "dev-zero": (link_to_dev_zero, "a symbolic link to /dev/zero): is a character device, not a regular file"),
    "huge-field": (huge_field, "decisions.csv:2: a field from this line on is longer than 131,072 characters"),
    "oversize": (oversize, "more than the 64 MiB a decisions file may have"),
    "broken-link": (broken_link, "cannot be read: No such file or directory"),
}


def finishes(call, seconds: float = SECONDS):
    """``call()``'s result; fails (instead of hanging the test run) when it blocks."""
    result = {}

    def target():
        try:
            result["value"] = call()
        except BaseException as error:  # SystemExit from the CLI too: re-raised below
            result["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds}s: blocked on the decisions file"
    if "error" in result:
        raise result["error"]
    return result["value"]


@pytest.fixture(params=list(CASES))
def bad_file(request):
    """(maker, expected words); a FIFO left behind is given a writer, so no reader stays blocked."""
    make, words = CASES[request.param]
    made: list[Path] = []

    def put(out_dir: Path) -> Path:
        path = out_dir / "audit" / "decisions.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        make(path)
        made.append(path)
        return path

    yield put, words
    for path in made:
        if make is fifo:
            try:  # only succeeds if someone is blocked reading; then they get end of file
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass


def one_line_naming(err: str, path: Path, words: str) -> str:
    """The one stderr line about the decisions file; checks it names the file and says why."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if "decisions.csv" in line]
    assert len(lines) == 1, err
    assert str(path) in lines[0] and words in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def tiny_raw(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("tiny-raw")
    (raw / "notice.pdf").write_bytes(pages_pdf([text("Notice to readers: 2024"), text("Second page")]))
    return raw


@pytest.fixture(scope="module")
def tiny_tables(tiny_raw, tmp_path_factory) -> Path:
    """Tables of the tiny PDF, extracted once; each audit test works on a copy."""
    out = tmp_path_factory.mktemp("tiny-out")
    assert main(["extract", str(tiny_raw), "--out", str(out), "--no-entities", "--jobs", "1", "--quiet"]) == 0
    return out


def extract_args(raw: Path, out: Path) -> list[str]:
    return ["extract", str(raw), "--out", str(out), "--no-entities", "--jobs", "1", "--quiet"]


# --- the reader ----------------------------------------------------------------------


def test_read_decisions_refuses_with_one_line_naming_the_file(bad_file, tmp_path):
    put, words = bad_file
    path = put(tmp_path)
    with pytest.raises(DecisionsFileError) as raised:
        finishes(lambda: read_decisions(path))
    message = str(raised.value)
    assert "\n" not in message and str(path) in message and words in message


def test_a_fifo_is_never_opened(tmp_path, monkeypatch):
    """Checked before opening: a FIFO is refused without an open() that would wait for a writer."""
    path = tmp_path / "decisions.csv"
    os.mkfifo(path)
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda *args, **kwargs: opened.append(args) or real_open(*args, **kwargs))
    with pytest.raises(DecisionsFileError, match="FIFO"):
        finishes(lambda: read_decisions(path))
    assert opened == []


def test_a_good_file_beside_the_checks_still_reads(tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text(HEADER + '# a comment\n\nd-01-f001,figures,wrong,,,"a, b","two\nlines"\nd-01-f002,,verified,,,,\n', encoding="utf-8")
    first, second = read_decisions(path)
    assert (first.line, first.surface, first.note) == (4, "a, b", "two\nlines")
    assert (second.line, second.id) == (6, "d-01-f002")  # the quoted line break does not shift it


# --- extract ---------------------------------------------------------------------------


def test_apply_decisions_reports_one_line_and_applies_nothing(bad_file, tmp_path):
    put, words = bad_file
    path = put(tmp_path)
    tables = {"figures": [{"doc_id": "d", "article_id": "d-01", "figure_id": "d-01-f001", "surface": "3t", "value": 3.0}]}
    stream = io.StringIO()
    report = finishes(lambda: apply_decisions(tmp_path, tables, stream=stream))
    assert report.outcomes == []
    assert "audit_status" not in tables["figures"][0]
    line = one_line_naming(stream.getvalue(), path, words)
    assert line.startswith("newsletter-extract: decisions not applied: ")


def test_extract_writes_the_tables_without_the_decisions(bad_file, tiny_raw, tmp_path, capsys):
    put, words = bad_file
    out = tmp_path / "out"
    path = put(out)
    assert finishes(lambda: main(extract_args(tiny_raw, out))) == 0
    one_line_naming(capsys.readouterr().err, path, words)
    documents = pd.read_parquet(out / "documents.parquet")
    assert list(documents["source"]) == ["notice.pdf"] and "failed" not in set(documents["status"])
    assert (out / "documents.csv").exists() and (out / "newsletters.duckdb").exists()


# --- audit -------------------------------------------------------------------------------


def test_audit_builds_the_report_with_the_reason_as_a_warning(bad_file, tiny_tables, tiny_raw, tmp_path, capsys):
    put, words = bad_file
    out = tmp_path / "out"
    out.mkdir()
    for table in tiny_tables.iterdir():
        if table.is_file():
            shutil.copy(table, out / table.name)
    path = put(out)
    before = os.lstat(path)
    capsys.readouterr()
    assert finishes(lambda: main(["audit", str(out), "--raw", str(tiny_raw)])) == 0
    line = one_line_naming(capsys.readouterr().err, path, words)
    assert line.startswith("newsletter-extract: audit: decisions not read: ")
    index = (out / "audit" / "index.html").read_text(encoding="utf-8")
    assert "decisions.csv cannot be read" in index
    after = os.lstat(path)  # left as the auditor had it, not replaced by an empty one
    assert (after.st_ino, after.st_mode, after.st_size) == (before.st_ino, before.st_mode, before.st_size)
