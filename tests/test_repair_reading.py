"""Glyphs read without names or installed fonts (tests/fixtures/nameless-fonts.pdf), and the rules that keep readings honest.

The fixture (tests/fixtures/make_nameless_fonts.py) embeds a font with its
glyph names and cmap stripped and renamed, so only outlines are evidence.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from pipeline.records import Char, Document, Line, Page
from pipeline.repair.confusables import choose, script_of
from pipeline.repair.glyph_reading import _agrees_with_shape, _width_form, read_unknown_glyphs
from pipeline.repair.glyph_shapes import GlyphShape
from pipeline.repair.line_reading import Slot, align
from pipeline.repair.ocr_engine import engine_note
from pipeline.repair.plausible_text import is_glyph_id_soup, kind_of, read_map
from pipeline.run import process_document, read_document

FIXTURE = Path(__file__).parent / "fixtures" / "nameless-fonts.pdf"
needs_ocr = pytest.mark.skipif(engine_note() is not None, reason=str(engine_note()))


@pytest.fixture(scope="module")
def document():
    document, _ = read_document(FIXTURE)
    return document


def lines(document) -> list[str]:
    return [line.text for line in document.pages[0].lines]


def fonts_by_verdict(document) -> dict[str, str]:
    return {report.font: report.map_verdict for report in document.fonts}


# --- on the fixture ----------------------------------------------------------------------------


def test_heading_map_of_glyph_ids_is_distrusted_as_a_whole(document):
    verdicts = fonts_by_verdict(document)
    assert "distrusted" in verdicts.values()
    (reason,) = [r.reasons for r in document.fonts if r.map_verdict == "distrusted"]
    assert "glyph ids" in reason


@needs_ocr
def test_heading_in_a_nameless_font_is_read_from_its_outlines(document):
    assert lines(document)[0] == "【インド】再生可能エネルギーの入札を拡大"
    rules = {r.rule for r in document.repairs if r.fixed and r.fixed != "\ufffd"}
    # glyphs the body also draws are known by their identical outline; the rest are read
    assert "same_outline_as_mapped_glyph" in rules
    assert rules & {"glyph_shape_ocr", "shape_read_and_matched"}


@needs_ocr
def test_middle_dot_mapped_to_a_space_is_read_not_dropped(document):
    assert "インド・ニューデリー" in lines(document)[1]


@needs_ocr
def test_glyph_mapped_to_its_neighbour_in_a_nameless_font(document):
    assert "中欧班列" in lines(document)[2]


@needs_ocr
def test_accented_letter_mapped_to_its_base_is_not_left_as_the_base(document):
    assert "Café" in lines(document)[3] or "Caf\ufffd" in lines(document)[3]
    assert "Green" in lines(document)[3]


def test_symbol_font_bullet_is_decoded_by_its_table(document):
    assert lines(document)[4].startswith("◆")
    (bullet,) = [r for r in document.repairs if r.rule == "symbol_font_table"]
    assert bullet.raw == "\uf075" and bullet.fixed == "◆"


def test_empty_glyph_is_never_a_character(document):
    empties = [r for r in document.repairs if r.rule == "empty_glyph_not_a_character"]
    assert empties and all(r.fixed in ("", " ") for r in empties)
    assert "「" not in "".join(lines(document)[1:])  # the space glyph's map said 「


def test_no_font_or_symbol_glyph_becomes_a_letter(document):
    """What symbol fonts and readings give: never a letter or kana for a bullet, never a combining mark."""
    symbol_fonts = {r.font for r in document.fonts if r.map_verdict == "symbol"}
    for page in document.pages:
        for line in page.lines:
            for char in line.chars:
                assert unicodedata.category(char.text[0])[0] != "M"
                if char.font_key in symbol_fonts:
                    assert unicodedata.category(char.text[0])[0] not in ("L", "N")


@needs_ocr
def test_readings_by_shape_alone_make_the_document_partial():
    result = process_document(FIXTURE)
    unconfirmed = [r for r in result.document.repairs if r.fixed and r.confidence < 0.85]
    assert unconfirmed
    assert result.document.status == "partial" and "shape recognition alone" in result.document.error


def test_without_tesseract_unknown_glyphs_stay_unknown_and_are_counted(monkeypatch, document):
    import pipeline.repair.glyph_reading as glyph_reading

    monkeypatch.setattr(glyph_reading, "engine_note", lambda: "glyph shapes not read: test")
    unknown = Char("\ufffd", "X", 10, 0, 0, 10, 10, 0, raw="\u0258", cid=1, font_key="MPDFAA+NamelessGothic")
    page = Page(0, 100, 100, lines=[Line([unknown], page=0)])
    empty = Document("d", "d.pdf", "0" * 64, pages=[page])

    class NoFonts:
        def evidence(self, key):
            return None

    read, report = read_unknown_glyphs(empty, FIXTURE, NoFonts())
    assert read.pages[0].lines[0].chars[0].text == "\ufffd" and report.read == 0


# --- the rules, on shapes and text of our own --------------------------------------------------


def square(x0, y0, x1, y1):
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


def circle(cx, cy, r, steps=24):
    import math

    return tuple((cx + r * math.cos(2 * math.pi * i / steps), cy + r * math.sin(2 * math.pi * i / steps)) for i in range(steps))


DOT = GlyphShape((square(0.45, 0.33, 0.55, 0.43),), 1.0)
BAR_ACROSS = GlyphShape((square(0.05, 0.35, 0.95, 0.41),), 1.0)
POST = GlyphShape((square(0.47, -0.1, 0.53, 0.85),), 1.0)
RING = GlyphShape((circle(0.5, 0.38, 0.45), circle(0.5, 0.38, 0.4), square(0.47, 0.2, 0.53, 0.6)), 1.0)
BOX = GlyphShape((square(0.1, -0.05, 0.9, 0.8), square(0.2, 0.05, 0.8, 0.7)), 1.0)


def test_a_dot_is_never_a_kanji_or_a_letter():
    assert _agrees_with_shape("・", DOT)
    assert not _agrees_with_shape("口", DOT) and not _agrees_with_shape("e", DOT)


def test_a_combining_mark_never_reads_a_glyph_that_stands_alone():
    assert not _agrees_with_shape("\u3099", DOT) and not _agrees_with_shape("\u0301", BOX)


def test_dashes_need_a_flat_outline_and_bars_a_thin_one():
    assert _agrees_with_shape("ー", BAR_ACROSS) and not _agrees_with_shape("ー", POST)
    assert _agrees_with_shape("｜", POST) and not _agrees_with_shape("｜", BAR_ACROSS)


def test_a_ring_is_a_circled_character_not_a_kana():
    assert RING.is_ringed() and not BOX.is_ringed()
    assert _agrees_with_shape("①", RING) and not _agrees_with_shape("ゆ", RING)
    assert _agrees_with_shape("口", BOX)


def test_width_form_follows_the_advance():
    narrow = GlyphShape((square(0.1, 0.0, 0.4, 0.7),), 0.5)
    wide = GlyphShape((square(0.35, 0.0, 0.65, 0.7),), 1.0)
    assert _width_form("5", wide) == "５" and _width_form("５", narrow) == "5"
    assert _width_form("（", narrow) == "（"  # proportional fonts set full-width marks narrow: context decides


def test_accented_letter_holds_its_base_letter_outline():
    e = GlyphShape((circle(0.3, 0.25, 0.2), circle(0.3, 0.25, 0.1)), 0.6)
    e_acute = GlyphShape(e.contours + (square(0.3, 0.55, 0.4, 0.7),), 0.6)
    assert e_acute.holds(e) and not e.holds(e_acute) and not e.holds(e)
    assert e.same_outline(GlyphShape(tuple(tuple((x + 1e-6, y) for x, y in c) for c in e.contours), 0.6))


def test_look_alikes_are_chosen_by_their_neighbours():
    assert choose(["O", "0"], ["digit", "digit"]) == "0"
    assert choose(["ロ", "口"], ["katakana", "katakana"]) == "ロ"
    assert choose(["ー", "一", "－"], ["digit", "digit"]) == "－"
    assert choose(["(", "（"], ["han"]) == "（" and choose(["(", "（"], ["latin"]) == "("
    assert choose(["l", "1", "I"], ["latin"]) is None  # two letters: the neighbours cannot say
    assert script_of("ー") == "katakana" and script_of("５") == "digit"


def test_alignment_keeps_known_glyphs_in_step_and_skips_an_extra_reading():
    slots = [Slot("日", 5, 10), Slot(None, 15, 10), Slot(None, 25, 10), Slot("語", 35, 10)]
    # Tesseract read one glyph as two (了ア) and its boxes drift by half a glyph
    symbols = [("日", 9), ("了", 14), ("ア", 19), ("ジ", 29), ("語", 39)]
    pairs = dict(align(slots, symbols))
    assert pairs[0] == 0 and pairs[3] == 4 and pairs[2] == 3


def test_glyph_ids_read_as_code_points_are_soup_and_one_script_is_not():
    ids = [chr(code) for code in (0x01C7, 0x0258, 0x07A3, 0x0C4F, 0x1F47, 0x2D2B, 0x0A53, 0x05D3, 0x0D3B, 0x3131)]
    assert is_glyph_id_soup(read_map(ids))
    thai = [chr(code) for code in range(0x0E01, 0x0E20)]
    assert not is_glyph_id_soup(read_map(thai))  # a Thai name set in a Thai font: one block
    assert not is_glyph_id_soup(read_map(list("再生可能エネルギーの入札を拡大") + ["\u0258"]))
    assert kind_of("ễ") == "rare" and kind_of("あ") == "common" and kind_of("\u0E01") == "foreign"
