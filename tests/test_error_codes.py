"""Codes beside messages: every failed or partial document names its reason with a stable code.

Code and tests branch on ``documents.error_code`` (:mod:`pipeline.codes`),
never on the wording of ``documents.error``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

import hostile_pdfs
from conftest import RAW
from pdf_bytes import no_pages_pdf, pages_pdf, scanned_pdf, text
from pipeline import codes
from pipeline.batch import run_batch
from pipeline.codes import ErrorCode, Status
from pipeline.limits import Limits
from pipeline.parallel import Outcome, extract_one
from pipeline.tables import SCHEMA
from test_hostile import encrypted_copy

LINUX = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
PIPELINE = Path(__file__).resolve().parents[1] / "pipeline"


def _code_of(tmp_path: Path, data: bytes, limits: Limits | None = None) -> Outcome:
    path = tmp_path / "input.pdf"
    path.write_bytes(data)
    return extract_one(path, limits=limits)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", ErrorCode.EMPTY_FILE),
        (b"just some text, not a PDF", ErrorCode.NOT_A_PDF),
        (pages_pdf([text("a notice")])[:120], ErrorCode.DAMAGED_PDF),
        (no_pages_pdf(), ErrorCode.NO_PAGES),
        (scanned_pdf(), ErrorCode.NO_TEXT_LAYER),
    ],
    ids=["empty", "not-a-pdf", "truncated", "no-pages", "scanned"],
)
def test_failed_file_has_its_code(tmp_path, data, code):
    outcome = _code_of(tmp_path, data)
    assert (outcome.status, outcome.error_code) == (Status.FAILED, code)
    assert outcome.rows["documents"][0]["error_code"] == code.value
    assert outcome.error  # the message stays beside the code


def test_encrypted_without_password_is_encrypted_needs_password_and_not_reused(tmp_path):
    target = tmp_path / "locked.pdf"
    encrypted_copy(RAW / "sample-2025-04.pdf", target)
    outcome = extract_one(target)
    assert outcome.error_code == ErrorCode.ENCRYPTED_NEEDS_PASSWORD
    assert outcome.error == "encrypted PDF: give its password with --password"
    assert not outcome.reusable
    wrong = extract_one(target, password="wrong")
    assert wrong.error_code == ErrorCode.ENCRYPTED_WRONG_PASSWORD


def test_fan_out_bomb_is_page_too_complex(tmp_path):
    outcome = _code_of(tmp_path, hostile_pdfs.fan_out_pdf(), Limits(forms_per_page=10))
    assert outcome.error_code == ErrorCode.PAGE_TOO_COMPLEX
    assert "more than 10 Form XObjects" in outcome.error


def test_slow_document_is_time_limit(tmp_path):
    tight = Limits(seconds=1, seconds_per_page=0, forms_per_page=0, operators_per_page=0, glyphs_per_page=0)
    outcome = _code_of(tmp_path, hostile_pdfs.fan_out_pdf(), tight)
    assert (outcome.error, outcome.error_code) == ("exceeded the time limit (1 s)", ErrorCode.TIME_LIMIT)


def test_readable_text_without_a_heading_is_one_article_not_partial(tmp_path):
    outcome = _code_of(tmp_path, pages_pdf([text("a notice without any region heading")]))
    assert (outcome.status, outcome.error_code) == (Status.OK, None)
    assert [(row["title"], row["heading_rule"]) for row in outcome.rows["articles"]] == [("input", "document")]


def test_a_page_of_furniture_alone_is_partial_no_articles(tmp_path):
    page_number_only = b"BT /F1 10 Tf 295 30 Td (3) Tj ET"  # centred in the bottom margin: a page number, no text of an article
    outcome = _code_of(tmp_path, pages_pdf([page_number_only]))
    assert (outcome.status, outcome.error_code) == (Status.PARTIAL, ErrorCode.NO_ARTICLES)


@LINUX
def test_batch_rows_carry_codes_fifo_and_id_clash(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    os.mkfifo(raw / "pipe.pdf")
    (raw / "a b.pdf").write_bytes(b"")
    (raw / "a_b.pdf").write_bytes(b"")
    run_batch(raw, out, progress=False, entities=False, jobs=1)
    documents = pd.read_parquet(out / "documents.parquet").set_index("source")
    assert documents.loc["pipe.pdf", "error_code"] == ErrorCode.NOT_A_REGULAR_FILE
    assert documents.loc["pipe.pdf", "error"] == "a named pipe (FIFO), not a file: not read"
    assert sorted(documents.loc[["a b.pdf", "a_b.pdf"], "error_code"]) == [ErrorCode.EMPTY_FILE, ErrorCode.ID_CLASH]


def test_ok_document_has_no_code(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "sample.pdf").write_bytes((RAW / "sample-2025-04.pdf").read_bytes())
    run_batch(raw, out, progress=False, entities=False, jobs=1)
    documents = pd.read_parquet(out / "documents.parquet")
    assert documents["error_code"].isna().all() == (documents["status"] == "ok").all()


# --- the codes themselves -----------------------------------------------------------------------


def test_schema_allows_exactly_the_codes():
    column = next(column for column in SCHEMA["documents"].columns if column.name == "error_code")
    assert set(column.enum) == {code.value for code in ErrorCode}
    names = [column.name for column in SCHEMA["documents"].columns]
    assert names.index("error_code") == names.index("error") + 1


def test_every_code_used_in_the_code_is_in_the_enum_and_documented():
    used = set()
    for path in PIPELINE.rglob("*.py"):
        used |= set(re.findall(r"ErrorCode\.([A-Z_]+)", path.read_text(encoding="utf-8")))
    assert used <= set(ErrorCode.__members__)
    documented = (PIPELINE.parent / "docs" / "errors.md").read_text(encoding="utf-8")
    assert all(f"`{code.value}`" in documented for code in ErrorCode)


def _outcome(status: str, code: ErrorCode | None, transient: bool = False) -> Outcome:
    return Outcome("x.pdf", "x", "0" * 64, status, "some words that do not matter", {}, code, transient=transient)


def test_reusable_follows_codes_not_words():
    assert _outcome(Status.OK, None).reusable
    assert _outcome(Status.FAILED, ErrorCode.DAMAGED_PDF).reusable
    assert _outcome(Status.FAILED, ErrorCode.TIME_LIMIT).reusable  # kept under its bounds
    for code in codes.ENCRYPTED:
        assert not _outcome(Status.FAILED, code).reusable
    assert not _outcome(Status.FAILED, ErrorCode.WORKER_DIED).reusable
    assert not _outcome(Status.FAILED, ErrorCode.DAMAGED_PDF, transient=True).reusable
    wording_only = Outcome("x.pdf", "x", "0" * 64, Status.FAILED, "encrypted PDF: give its password with --password", {}, ErrorCode.DAMAGED_PDF)
    assert wording_only.reusable  # the words no longer decide
