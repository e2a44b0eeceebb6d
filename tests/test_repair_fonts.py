"""Font-level repairs on the project's own broken-font fixture (tests/fixtures/broken-fonts.pdf).

The fixture is built by tests/fixtures/make_broken_fonts.py: intact font
programs, ToUnicode maps broken the way real newsletters break them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.records import Char, Document, Line, Page
from pipeline.repair.font_evidence import char_from_glyph_name, looks_like_language
from pipeline.repair.glyph_ocr import implausible_fonts
from pipeline.run import read_document

FIXTURE = Path(__file__).parent / "fixtures" / "broken-fonts.pdf"


@pytest.fixture(scope="module")
def document():
    document, _ = read_document(FIXTURE)
    return document


def page_lines(document) -> list[str]:
    return [line.text for line in document.pages[0].lines]


def repairs_by_rule(document, rule: str):
    return [r for r in document.repairs if r.rule == rule]


def test_space_mapped_to_kagikakko(document):
    assert page_lines(document)[1].startswith("Viet Nam Newsによると")
    spaces = [r for r in document.repairs if r.raw == "「" and r.fixed == " "]
    assert len(spaces) == 2 and all(r.confidence >= 0.9 for r in spaces)


def test_middle_dot_mapped_to_space(document):
    assert "中国・欧州" in page_lines(document)[1]


def test_glyph_mapped_to_its_neighbour(document):
    assert "中欧班列" in page_lines(document)[1]
    (repair,) = [r for r in document.repairs if r.fixed == "班"]
    assert repair.raw == "列" and repair.rule == "glyph_name_over_tounicode"


def test_kangxi_radical_for_kanji(document):
    assert page_lines(document)[2].startswith("日本向け")


def test_private_use_code_point_for_circled_digit(document):
    assert page_lines(document)[3].startswith("①輸送量")


def test_heading_font_mapping_glyph_ids(document):
    heading = document.pages[0].lines[0]
    assert heading.kind == "heading"
    assert heading.text == "【タイ】中国企業の投資が拡大"
    # one row per glyph, its final fate: the copy drawn for fake bold is dropped, the other decoded
    decoded = repairs_by_rule(document, "tounicode_not_language")
    assert "".join(r.fixed for r in decoded) == "【タイ】中国企業の投資が拡大"
    assert all(not r.raw.isprintable() for r in decoded)  # what the map gave: glyph ids as control codes


def test_fake_bold_heading_drawn_twice(document):
    assert document.pages[0].lines[0].text.count("【") == 1
    assert len(repairs_by_rule(document, "fake_bold_duplicate")) == len("【タイ】中国企業の投資が拡大")


def test_accented_latin_letter_mapped_to_plain_letter(document):
    assert page_lines(document)[4].startswith("Frédéric氏")


def test_digit_mapped_to_replacement_character(document):
    assert "輸送力を3倍に" in page_lines(document)[4]
    assert not any(r.fixed == "\ufffd" for r in document.repairs)


def test_glyph_without_any_mapping(document):
    assert page_lines(document)[5].startswith("鉄道の貨物量")
    (repair,) = repairs_by_rule(document, "unmapped_glyph_named")
    assert repair.raw.startswith("(cid:") and repair.fixed == "鉄"


def test_every_repair_has_a_box_on_the_page(document):
    for repair in document.repairs:
        assert 0 <= repair.x0 <= repair.x1 <= document.pages[0].width
        assert 0 <= repair.top <= repair.bottom <= document.pages[0].height


def test_clean_sample_issues_need_no_repair():
    from conftest import RAW

    for pdf in sorted(RAW.glob("*.pdf")):
        document, _ = read_document(pdf)
        assert document.repairs == [], f"{pdf.name}: a clean file was 'repaired'"


def test_glyph_names_decode_by_kind():
    assert char_from_glyph_name("uni1EC5") == ("ễ", "agl")
    assert char_from_glyph_name("aj3301") == ("年", "cid")
    assert char_from_glyph_name("cid03301", japan1=False) is None
    assert char_from_glyph_name("glyph00042") is None


def test_glyph_ids_read_as_code_points_are_not_language():
    assert all(looks_like_language(c) for c in "日本語ベトナムNguyễn①“”")
    assert not any(looks_like_language(c) for c in "઺ܙୄ܅\u0016\ue7d3")


def reference_ipaex_gothic() -> Path | None:
    """An installed IPAexGothic: Debian's fonts-ipaexfont, or the copy japanize-matplotlib ships."""
    for path in (Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),):
        if path.is_file():
            return path
    try:
        import importlib.resources

        path = Path(str(importlib.resources.files("japanize_matplotlib") / "fonts" / "ipaexg.ttf"))
        return path if path.is_file() else None
    except ImportError:
        return None


def test_nameless_glyph_identified_by_outline_in_installed_font(tmp_path, monkeypatch):
    """A subset with neither glyph names nor cmap: the outline alone says what the glyph is."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from pipeline.repair import reference_fonts

    source = reference_ipaex_gothic()
    if source is None:
        pytest.skip("no IPAexGothic installed (Debian fonts-ipaexfont or japanize-matplotlib)")
    options = subset.Options()
    options.glyph_names = False
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="班列")
    subsetter.subset(font)
    del font["cmap"]
    font.save(tmp_path / "subset.ttf")
    stripped = TTFont(tmp_path / "subset.ttf")
    names = [name for name in stripped.getGlyphOrder() if name != ".notdef"]
    monkeypatch.setenv("NEWSLETTER_EXTRACT_FONT_DIRS", str(source.parent))
    reference_fonts.installed_fonts.cache_clear()
    reference_fonts.reference_for.cache_clear()
    reference = reference_fonts.reference_for("ABCDEF+IPAexGothic")
    assert reference is not None
    found = {reference.char_for(stripped["glyf"], name) for name in names}
    assert found == {"班", "列"}


def read_shared_by_shape(name: str):
    """A real-ja file read with glyph-shape recognition, and its text (skips without it)."""
    from conftest import REAL_JA, need_shared
    from pipeline.repair.glyph_ocr import tesseract_with_japanese

    need_shared(REAL_JA)
    if tesseract_with_japanese() is None:
        pytest.skip("tesseract with the Japanese model is not installed (Debian tesseract-ocr-jpn)")
    document, _ = read_document(REAL_JA / name)
    return document, "\n".join(line.text for page in document.pages for line in page.lines)


def test_digits_mapped_to_replacement_character_read_from_their_shapes():
    """flat-report-r5sp maps its digits to U+FFFD; their outlines read as the digits printed."""
    document, text = read_shared_by_shape("yasutake__flat-report-r5sp.pdf")
    assert "年4回、3ヵ月毎に約1ヵ月間" in text
    assert "この4年間の総集編" in text
    shapes = [r for r in document.repairs if r.rule in ("glyph_shape_ocr", "shape_read_and_matched", "shape_read_in_context")]
    assert sum(1 for r in shapes if r.raw == "\ufffd" and r.fixed.isdigit()) == 57
    assert "\ufffd" not in text


def test_digits_borrowing_symbol_names_read_from_their_shapes():
    """kampo.pdf's header digits decode as ™ — › œ (a subset font naming its digits after symbols)."""
    _, text = read_shared_by_shape("pdfminer__kampo.pdf")
    assert "平成20年4月25日金曜日官報第4817号" in text
    assert not any(symbol in text for symbol in "™›œŸ")


def _document_saying(font_texts: dict[str, str]) -> Document:
    """A mostly Japanese one-line document, plus what each named font says."""
    chars = [Char(c, "Body", 10, 10 * n, 0, 10 * n + 9, 10, 0, cid=n, font_key="Body") for n, c in enumerate("日本語の本文です" * 4)]
    for key, texts in font_texts.items():
        chars += [Char(t, key, 10, 500 + 10 * n, 0, 509 + 10 * n, 10, 0, cid=n, font_key=key) for n, t in enumerate(texts)]
    return Document("d", "d.pdf", "0" * 64, pages=[Page(0, 600, 800, lines=[Line(chars=chars, page=0)])])


def test_font_saying_varied_symbols_is_suspect_but_bullet_fonts_are_not():
    """™ — › œ for the digits of a date are symbol soup; ■ ■ ■ or | · are a font's real bullets and rules."""
    document = _document_saying({"Digits": "›™—œ›Ÿ˜", "Bullets": "■" * 8, "Dingbats": "⚫" * 6, "MathRules": "||||·"})
    assert implausible_fonts(document) == {"Digits"}
