"""Hostile input: every bad file ends as a documents row with a reason, a line on stderr, and the run goes on.

The files are made here, at run time: small PDFs written byte by byte
(``tests/pdf_bytes.py``), and an encrypted copy of a sample issue (pypdf, a test-only
dependency).  ``tests/test_cli.py`` already covers the empty file and the
file that is not a PDF; the 247-page real file is measured by ``make bench``.
"""

from __future__ import annotations

import contextlib
import gc
import io
import shutil
import tracemalloc

import pandas as pd
import pytest

from conftest import RAW
from pdf_bytes import (
    broken_font_on_page_two_pdf,
    broken_type3_font_pdf,
    garbage_font_program_pdf,
    many_pages_pdf,
    no_pages_pdf,
    scanned_pdf,
)
from pipeline.cli import main

GOOD = RAW / "sample-2025-04.pdf"
PASSWORD = "himitsu"


def encrypted_copy(source, target, password: str = PASSWORD) -> None:
    """``source`` encrypted with AES-256 and a user password."""
    pypdf = pytest.importorskip("pypdf", reason="pypdf (test extra) writes the encrypted fixture")
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(source))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-256")
    with open(target, "wb") as handle:
        writer.write(handle)


# --- one batch of every hostile file, run once -----------------------------------

HOSTILE = {
    "scanned.pdf": scanned_pdf,
    "broken-font-page-2.pdf": broken_font_on_page_two_pdf,
    "broken-font-only.pdf": broken_type3_font_pdf,
    "garbage-font-program.pdf": garbage_font_program_pdf,
    "no-pages.pdf": no_pages_pdf,
    "three-hundred-pages.pdf": lambda: many_pages_pdf(300),
}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """The good sample beside every hostile file, read by two worker processes."""
    raw = tmp_path_factory.mktemp("hostile-raw")
    shutil.copy(GOOD, raw / GOOD.name)
    for name, make in HOSTILE.items():
        (raw / name).write_bytes(make())
    encrypted_copy(GOOD, raw / "encrypted.pdf")
    data = GOOD.read_bytes()
    (raw / "truncated-half.pdf").write_bytes(data[: len(data) // 2])
    out = tmp_path_factory.mktemp("hostile-out")
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = main(["extract", str(raw), "--out", str(out), "--quiet", "--no-entities", "--jobs", "2"])
    documents = pd.read_parquet(out / "documents.parquet").set_index("source")
    return status, documents, stderr.getvalue(), out


def row(hostile_run, source):
    return hostile_run[1].loc[source]


def test_run_goes_on_and_exits_1_when_any_failed(hostile_run):
    status, documents, _, out = hostile_run
    assert status == 1
    assert len(documents) == len(HOSTILE) + 3
    assert documents.loc[GOOD.name, "status"] == "ok"
    assert len(pd.read_parquet(out / "articles.parquet")) >= 3


def test_every_problem_has_a_line_on_stderr(hostile_run):
    _, documents, stderr, _ = hostile_run
    for source, document in documents.iterrows():
        if document["status"] != "ok":
            assert f"{source}: {document['status']}: {document['error']}" in stderr


def test_encrypted_pdf_without_password_asks_for_it(hostile_run):
    document = row(hostile_run, "encrypted.pdf")
    assert document["status"] == "failed"
    assert document["error"] == "encrypted PDF: give its password with --password"


def test_encrypted_pdf_reads_with_its_password(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    encrypted_copy(GOOD, raw / "encrypted.pdf")
    out = tmp_path / "out"
    assert main(["extract", str(raw), "--out", str(out), "--quiet", "--no-entities", "--password", PASSWORD]) == 0
    documents = pd.read_parquet(out / "documents.parquet")
    assert documents.loc[0, "status"] == "ok"
    assert documents.loc[0, "n_articles"] == 4


def test_encrypted_pdf_with_wrong_password_says_so(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    encrypted_copy(GOOD, raw / "encrypted.pdf")
    out = tmp_path / "out"
    assert main(["extract", str(raw), "--out", str(out), "--quiet", "--no-entities", "--password", "wrong"]) == 1
    documents = pd.read_parquet(out / "documents.parquet")
    assert documents.loc[0, "error"] == "encrypted PDF: the password given is wrong"
    assert "encrypted.pdf: failed: encrypted PDF: the password given is wrong" in capsys.readouterr().err


def test_encrypted_failure_is_not_cached_so_a_password_later_works(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    encrypted_copy(GOOD, raw / "encrypted.pdf")
    out = tmp_path / "out"
    assert main(["extract", str(raw), "--out", str(out), "--quiet", "--no-entities"]) == 1
    assert main(["extract", str(raw), "--out", str(out), "--quiet", "--no-entities", "--password", PASSWORD]) == 0


def test_scanned_pdf_too_coarse_for_ocr_says_its_resolution(hostile_run):
    """The page is an 8x8 picture stretched over 400 points (about 1.4 dpi): OCR is not tried, and the reason says why."""
    document = row(hostile_run, "scanned.pdf")
    assert document["status"] == "failed"
    assert document["error_code"] == "no_text_layer"
    assert document["error"].startswith("no text layer, and the page images could not be read: page 1 scanned at 1 dpi, below the 100 dpi")
    assert document["n_pages"] == 1


def test_font_that_breaks_pdfminer_loses_only_its_page(hostile_run):
    document = row(hostile_run, "broken-font-page-2.pdf")
    assert document["status"] == "partial"
    assert "unreadable pages [2]" in document["error"]
    pages = pd.read_parquet(hostile_run[3] / "pages.parquet")
    pages = pages[pages["doc_id"] == "broken-font-page-2"].set_index("page_index")
    assert "Page one reads fine" in pages.loc[0, "text"]
    assert pages.loc[1, "error"] == "page 2 unreadable: pdfminer cannot read its Type0 font BrokenMincho (KeyError: 'DescendantFonts')"


def test_font_that_breaks_every_page_is_named_not_called_a_scan(hostile_run):
    document = row(hostile_run, "broken-font-only.pdf")
    assert document["status"] == "failed"
    assert document["error"].startswith("no page could be read: page 1 unreadable: pdfminer cannot read its Type3 font /F2 (ValueError:")


def test_garbage_font_program_and_map_keep_their_glyphs_as_unknown(hostile_run):
    document = row(hostile_run, "garbage-font-program.pdf")
    assert document["status"] == "partial"
    assert document["error"].startswith("2 characters could not be decoded (kept as U+FFFD)")
    repairs = pd.read_parquet(hostile_run[3] / "repairs.parquet")
    repairs = repairs[repairs["doc_id"] == "garbage-font-program"]
    assert list(repairs["raw"]) == ["(cid:1)", "(cid:2)"]
    assert set(repairs["fixed"]) == {"\ufffd"}


def test_truncated_pdf_says_damaged_or_truncated(hostile_run):
    document = row(hostile_run, "truncated-half.pdf")
    assert document["status"] == "failed"
    assert document["error"].startswith("damaged or truncated PDF")


def test_pdf_without_pages(hostile_run):
    document = row(hostile_run, "no-pages.pdf")
    assert (document["status"], document["error"]) == ("failed", "PDF has no pages")


def test_hundreds_of_pages_are_all_read(hostile_run):
    document = row(hostile_run, "three-hundred-pages.pdf")
    assert document["status"] == "ok"  # no heading on any page: one article of the whole document, not a partial read
    assert document["n_pages"] == 300
    articles = pd.read_parquet(hostile_run[3] / "articles.parquet")
    mine = articles[articles["doc_id"] == "three-hundred-pages"]
    assert list(mine["heading_rule"]) == ["document"] and list(mine["page_end"]) == [300]
    pages = pd.read_parquet(hostile_run[3] / "pages.parquet")
    assert (pages["doc_id"] == "three-hundred-pages").sum() == 300


def test_partial_documents_alone_exit_0(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "broken-font-page-2.pdf").write_bytes(broken_font_on_page_two_pdf())
    assert main(["extract", str(raw), "--out", str(tmp_path / "out"), "--quiet", "--no-entities"]) == 0


def test_pages_are_released_as_they_are_read(tmp_path):
    """Memory for 400 pages is about that for 40: each page is let go once read."""
    from pipeline.extract.pdf import read_pages

    path = tmp_path / "long.pdf"
    path.write_bytes(many_pages_pdf(400))
    tracemalloc.start()
    try:
        for page in read_pages(path):
            if page.index == 40:
                gc.collect()  # pages are freed by the cycle collector, whenever it runs: measure after it
                early = tracemalloc.get_traced_memory()[0]
        gc.collect()
        late = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    # pdfminer keeps each parsed object (a few hundred bytes a page here); the pages' glyphs go
    assert late - early < 1_000_000, f"{(late - early) / 1e6:.1f} MB more after 360 more pages"
