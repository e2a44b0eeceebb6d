"""Pages without a text layer read by OCR (pipeline/ocr), on image-only scans of the project's own samples.

The scans are made at test time by ``tests/fixtures/make_scans.py`` from
``raw/`` (grey, 0.4° skew, noise, JPEG 75, as a flatbed scanner returns a
page); their text is known, because the same page of the sample has a text
layer, so each test scores what OCR read against it.  OCR takes seconds a
page: each scan is read once per session, and only a page or two.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from PIL import Image
from rapidfuzz.distance import Levenshtein

from conftest import RAW
from pipeline.ocr import engine_problem
from pipeline.reading import read_pdf
from pipeline.run import page_row, process_document

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from make_scans import make_mixed, make_scan, make_vertical_scan  # noqa: E402
from make_vertical import COLUMNS  # noqa: E402

SAMPLE = RAW / "sample-2025-04.pdf"

pytestmark = pytest.mark.skipif(engine_problem() is not None, reason=f"{engine_problem()}")


def _text(page) -> str:
    """The page's text without spaces or line breaks: what OCR is scored on (spaces next to kanji are typography)."""
    return re.sub(r"\s+", "", "".join(line.text for line in page.lines))


def _cer(read, truth) -> float:
    return Levenshtein.distance(_text(read), _text(truth)) / max(len(_text(truth)), 1)


@pytest.fixture(scope="module")
def truth():
    return read_pdf(SAMPLE)


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scans")
    return {
        "300dpi": make_scan(SAMPLE, folder / "scan-300dpi.pdf", pages=[0]),
        "150dpi": make_scan(SAMPLE, folder / "scan-150dpi.pdf", dpi=150, pages=[0]),
        "turned": make_scan(SAMPLE, folder / "scan-turned.pdf", rotate=90, pages=[0]),
    }


@pytest.fixture(scope="module")
def scanned(scans):
    return read_pdf(scans["300dpi"])


def test_scanned_page_is_read_by_ocr_with_its_confidence(scanned, truth):
    page = scanned.pages[0]
    assert scanned.status == "ok", scanned.error
    assert page.source == "ocr" and page.error is None
    assert 0.8 <= page.ocr_confidence <= 1
    assert all(char.confidence is not None for line in page.lines for char in line.chars)
    assert _cer(page, truth.pages[0]) < 0.05


def test_ocr_chars_lie_where_the_text_is_printed(scanned, truth):
    """Boxes in points on the page, skew undone: the heading's 【 (its ink) stands inside the em box the PDF drew it in."""
    drawn = next(char for line in truth.pages[0].lines for char in line.chars if char.text == "【")
    read = next(char for line in scanned.pages[0].lines for char in line.chars if char.text == "【")
    assert drawn.x0 - 1.5 <= read.x0 < read.x1 <= drawn.x1 + 1.5
    assert abs(read.middle - drawn.middle) < 2


def test_text_pages_keep_their_source_and_no_confidence(truth):
    assert {page.source for page in truth.pages} == {"text"}
    assert {page.ocr_confidence for page in truth.pages} == {None}


def test_pages_rows_say_how_each_page_was_read(scanned, truth):
    row = page_row(scanned, scanned.pages[0])
    assert row["source"] == "ocr" and row["ocr_confidence"] == scanned.pages[0].ocr_confidence
    assert page_row(truth, truth.pages[0])["source"] == "text"


def test_mixed_document_reads_through_with_each_pages_source(scans, truth, tmp_path):
    mixed = make_mixed(SAMPLE, scans["300dpi"], tmp_path / "mixed.pdf", text_pages=[1], scan_pages=[0])
    result = process_document(mixed)
    pages = result.document.pages
    assert [page.source for page in pages] == ["text", "ocr"]
    assert all(page.lines for page in pages)
    assert result.document.status in ("ok", "partial") and result.articles
    rows = result.rows()["pages"]
    assert [row["source"] for row in rows] == ["text", "ocr"]
    figures = result.rows()["figures"]
    on_scan = [row for row in figures if row["page"] == 2]
    on_text = [row for row in figures if row["page"] == 1]
    assert on_scan and on_text
    assert all(0 <= row["ocr_confidence"] <= 1 for row in on_scan if any(ch.isdigit() for ch in row["surface"]))
    assert all(row["ocr_confidence"] is None for row in on_text)


def test_corrections_after_ocr_are_logged_as_repairs(scanned, truth):
    """Each change is a repair step with its ocr_ rule, on the char it changed; the page's text then agrees with the PDF's."""
    steps = [step for step in scanned.repair_steps if step.rule.startswith("ocr_")]
    assert steps, "the sample's page has full-width brackets"
    chars = {char.place: char for line in scanned.pages[0].lines for char in line.chars}
    for step in steps:
        assert chars[step.place].text == step.fixed and chars[step.place].raw == step.raw
        assert 0 < step.confidence <= 1 and step.font is None
    full_width = [step for step in steps if step.rule == "ocr_full_width_by_advance"]
    assert sum(step.fixed in _text(truth.pages[0]) for step in full_width) >= 0.8 * len(full_width)


def test_low_ocr_confidence_makes_the_document_partial_with_its_reason(scanned):
    from dataclasses import replace

    from pipeline.verdict import judge

    blurred = replace(scanned, pages=[replace(scanned.pages[0], ocr_confidence=0.55)])
    status, error, code = judge(blurred, articles=[object()])
    assert (status, code) == ("partial", "low_ocr_confidence")
    assert "pages read by OCR with low confidence" in error and "1 (0.55)" in error
    assert judge(scanned, articles=[object()])[0] == "ok"


def test_page_scanned_at_150_dpi_is_read_upscaled_and_says_so(scans, truth):
    document = read_pdf(scans["150dpi"])
    assert document.pages[0].source == "ocr" and document.pages[0].lines
    assert any("page 1 scanned at 150 dpi" in note for note in document.notes)
    assert _cer(document.pages[0], truth.pages[0]) < 0.15


def test_page_scanned_turned_90_degrees_is_read_upright_and_says_so(scans, truth):
    document = read_pdf(scans["turned"])
    page = document.pages[0]
    assert any("page 1 was scanned turned" in note for note in document.notes), document.notes
    assert page.width < page.height  # the upright page
    assert _cer(page, truth.pages[0]) < 0.1


def test_blank_scanned_page_gives_its_reason(tmp_path):
    blank = tmp_path / "blank.pdf"
    Image.new("L", (2480, 3508), 250).save(blank, "PDF", resolution=300)
    document = read_pdf(blank)
    assert document.status == "failed"
    assert document.error == "no text layer and no ink: every page is blank"
    assert document.notes == ("page 1 is blank: no text layer and no ink",)


def test_unit_words_of_the_corrections_are_the_figures_stages_katakana_units():
    """The OCR correction's units (kept apart so the read stage does not depend on figure rules) do not drift."""
    from pipeline.ocr.correct import _KATAKANA, unit_words
    from pipeline.pull.figures import _UNIT_OF, _CURRENCIES, _MEASURES
    from pipeline.currencies import shared_currency_words

    words = {word for table in (_CURRENCIES, _MEASURES) for names in table.values() for word in names} | set(shared_currency_words())
    assert words <= set(_UNIT_OF)
    assert unit_words() == {word for word in words if _KATAKANA.fullmatch(word)}

def test_vertical_scanned_page_is_read_down_its_columns_right_to_left(tmp_path):
    """The notice's four columns of 縦書き come out as four vertical lines, right to left, each close to its text."""
    document = read_pdf(make_vertical_scan(tmp_path / "vertical-scan.pdf"))
    (page,) = document.pages
    assert page.source == "ocr" and page.error is None
    columns = [line for line in page.lines if line.vertical and len(line.chars) >= 5]
    assert len(columns) == len(COLUMNS)
    assert [line.x0 for line in columns] == sorted((line.x0 for line in columns), reverse=True)  # right to left
    for line, truth in zip(columns, COLUMNS):
        # each column is nearer its own text than any other's: the order holds, whatever OCR misread in it
        distances = [Levenshtein.normalized_distance(re.sub(r"\s+", "", line.text), other) for other in COLUMNS]
        assert distances.index(min(distances)) == COLUMNS.index(truth), (line.text, truth)
        assert min(distances) < 0.45, (line.text, truth)


def test_invisible_ocr_layer_over_a_page_image_is_set_aside_and_the_image_read(truth, tmp_path):
    """A searchable scan whose hidden layer is wrong: the page is read from its picture, and the notes say why."""
    from make_ocr_layer import WRONG_TEXT, make_ocr_layer

    document = read_pdf(make_ocr_layer(SAMPLE, tmp_path / "hidden-layer.pdf", page=0))
    (page,) = document.pages
    assert document.status == "ok", document.error
    assert page.source == "ocr" and page.ocr_confidence is not None
    assert WRONG_TEXT[:6] not in _text(page)
    assert _cer(page, truth.pages[0]) < 0.05
    assert any("invisible text over a picture of the page" in note and note.startswith("page 1") for note in document.notes)


def test_text_layer_of_undecodable_characters_is_told_from_real_text():
    from pipeline.ocr.text_layer import UNDECODABLE_SHARE, undecodable_share

    assert undecodable_share("\ufffd\ufffd\ue000\ue001\x07あ") > UNDECODABLE_SHARE  # replacement, private use, a control
    assert undecodable_share("東京都 2025年4月 (No.7) Việt Nam") == 0.0
    assert undecodable_share("") == 0.0


def test_unsure_words_of_an_ocr_page_are_kept_for_the_audit_report_to_box(scanned):
    """Runs of characters below the low confidence become pages.ocr_unsure and come back as boxes on the page."""
    from dataclasses import replace

    from pipeline.ocr import LOW_CONFIDENCE
    from pipeline.ocr.confidence import format_unsure, parse_unsure, unsure_words

    page = scanned.pages[0]
    line = page.lines[0]
    doubted = [replace(char, confidence=0.3) if position in (1, 2) else char for position, char in enumerate(line.chars)]
    page = replace(page, lines=(replace(line, chars=tuple(doubted)), *page.lines[1:]))
    words = unsure_words(page, LOW_CONFIDENCE)
    assert words[0][0] == line.chars[1].text + line.chars[2].text and words[0][1] == 0.3
    (row,) = [row for row in parse_unsure(format_unsure(words)) if row["text"] == words[0][0]][:1]
    assert row["x0"] == pytest.approx(min(line.chars[1].x0, line.chars[2].x0), abs=0.06)
    assert row["bottom"] == pytest.approx(max(line.chars[1].bottom, line.chars[2].bottom), abs=0.06)
    assert unsure_words(replace(page, source="text"), LOW_CONFIDENCE) == []
    assert parse_unsure("broken line\nx\t0.5\t1 2 3") == []


def test_scanned_page_furniture_is_told_from_the_body_as_on_the_text_page(scanned, truth):
    """Header, heading, chart labels, caption, source, author, reference and footnotes of the scan get the kind the
    text layer's lines at the same place get: sizes measured from ink, a picture's text and captions on scans."""
    from pipeline.split import find_furniture

    drawn, _ = find_furniture(truth)
    read, _ = find_furniture(scanned)
    found, missed = 0, []
    for line in drawn.pages[0].lines:
        if line.kind in ("body", "page_number"):
            continue
        same_place = [
            other for other in read.pages[0].lines
            if min(line.bottom, other.bottom) - max(line.top, other.top) > 0.5 * min(line.bottom - line.top, other.bottom - other.top)
            and min(line.x1, other.x1) > max(line.x0, other.x0)
        ]
        if same_place and all(other.kind == line.kind for other in same_place):
            found += 1
        else:
            missed.append((line.kind, line.text, [(other.kind, other.text) for other in same_place]))
    assert found >= 10 and not missed, missed


def test_base_letters_take_off_marks_only():
    """The second model's reading of a Latin word is kept only when its base letters are the first reading's."""
    from pipeline.ocr.read import base_letters

    assert base_letters("Nguyễn Tuấn Đỗ Hà Frédéric") == "Nguyen Tuan Do Ha Frederic"
    assert base_letters("Erédéric") != "Frederic"  # a changed letter is not a mark: such a reading is refused
    assert base_letters("東京 2025") == "東京 2025"
