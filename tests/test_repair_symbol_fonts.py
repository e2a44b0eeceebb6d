"""Symbol-font glyphs decode through the fonts' published encodings, never by guess."""

from __future__ import annotations

import doctest
import unicodedata

import pytest

from pipeline.repair import symbol_fonts
from pipeline.repair.symbol_fonts import FAMILIES, decode_symbol, symbol_code, symbol_family


def name_of(family: str, code: int) -> str | None:
    character = decode_symbol(family, code)
    return None if character is None else unicodedata.name(character)


# --- what the codes mean ---------------------------------------------------


def test_wingdings_bullets_are_the_shapes_word_shows():
    assert "BLACK CIRCLE" in name_of("wingdings", 0x6C)
    assert name_of("wingdings", 0x75) == "BLACK DIAMOND"
    assert name_of("wingdings", 0xA7) == "BLACK SMALL SQUARE"
    assert name_of("wingdings", 0xFC) == "CHECK MARK"
    square = name_of("wingdings", 0x6E)
    assert "BLACK" in square and "SQUARE" in square


def test_wingdings_bullet_read_as_ascii_letter_decodes_to_its_shape():
    # A simple Wingdings font without ToUnicode extracts as the byte's letter.
    for letter, expected in [("l", "BLACK CIRCLE"), ("u", "BLACK DIAMOND"), ("n", "SQUARE")]:
        code = symbol_code(letter, ord(letter))
        assert expected in unicodedata.name(decode_symbol("wingdings", code))


def test_word_private_use_bullet_decodes_through_its_low_byte():
    code = symbol_code("\uf06c", None)
    assert code == 0x6C
    assert "BLACK CIRCLE" in unicodedata.name(decode_symbol("wingdings", code))


def test_symbol_font_letters_are_greek_and_math():
    assert name_of("symbol", 0x61) == "GREEK SMALL LETTER ALPHA"
    assert name_of("symbol", 0xB3) == "GREATER-THAN OR EQUAL TO"
    assert name_of("symbol", 0xB7) == "BULLET"


def test_symbol_double_mappings_keep_the_greek_letter():
    # symbol.txt lists INCREMENT, OHM SIGN and MICRO SIGN beside the Greek letters.
    assert name_of("symbol", 0x44) == "GREEK CAPITAL LETTER DELTA"
    assert name_of("symbol", 0x57) == "GREEK CAPITAL LETTER OMEGA"
    assert name_of("symbol", 0x6D) == "GREEK SMALL LETTER MU"


def test_symbol_codes_published_only_as_private_use_have_no_character():
    assert decode_symbol("symbol", 0xE6) is None  # parenlefttp
    assert decode_symbol("symbol", 0xD2) is None  # registerserif
    assert decode_symbol("symbol", 0x60) is None  # radicalex


def test_zapf_dingbats_bullet_and_check():
    assert name_of("zapfdingbats", 0x6C) == "BLACK CIRCLE"
    assert name_of("zapfdingbats", 0x33) == "CHECK MARK"


def test_unused_codes_have_no_character():
    assert decode_symbol("wingdings", 0x11) is None  # control range
    assert decode_symbol("symbol", 0x80) is None
    assert decode_symbol("zapfdingbats", 0xF0) is None


def test_unknown_family_is_an_error_not_a_miss():
    with pytest.raises(ValueError, match="unknown symbol-font family"):
        decode_symbol("arial", 0x6C)


# --- properties over every code -------------------------------------------


def _invented_text(character: str) -> bool:
    """Kana, kanji or an ASCII letter: what a bullet must never become."""
    name = unicodedata.name(character, "")
    return (
        (character.isascii() and character.isalpha())
        or name.startswith(("HIRAGANA", "KATAKANA", "CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))
    )


@pytest.mark.parametrize("family", ["wingdings", "wingdings2", "wingdings3", "webdings", "zapfdingbats"])
def test_dingbat_tables_never_give_kana_kanji_or_letters(family):
    decoded = [decode_symbol(family, code) for code in range(256)]
    invented = [hex(code) for code, character in enumerate(decoded) if character and _invented_text(character)]
    assert invented == []
    assert sum(character is not None for character in decoded) > 150


@pytest.mark.parametrize("family", FAMILIES)
def test_every_table_gives_named_characters_outside_private_use(family):
    for code in range(256):
        character = decode_symbol(family, code)
        if character is None:
            continue
        assert len(character) == 1
        assert unicodedata.category(character) != "Co", hex(code)
        assert unicodedata.name(character, None), hex(code)


# --- which code a glyph has -----------------------------------------------


def test_private_use_code_point_wins_over_the_char_code():
    # Word's Type0 fonts: the CID (here 0x7A, a glyph id) is not the Wingdings code.
    assert symbol_code("\uf06c", 0x7A) == 0x6C


def test_char_code_is_used_when_it_fits_in_a_byte():
    assert symbol_code("l", 0x6C) == 0x6C
    assert symbol_code("", 0xA7) == 0xA7


def test_no_code_when_neither_source_gives_a_byte():
    assert symbol_code("", None) is None
    assert symbol_code("⚫", 0x1234) is None
    assert symbol_code("\uf010", None) is None  # below Word's symbol range
    assert symbol_code("\uf06c\uf06c", None) is None


# --- which fonts are symbol fonts ----------------------------------------


@pytest.mark.parametrize(
    "font_name, family",
    [
        ("Wingdings", "wingdings"),
        ("ABCDEF+Wingdings-Regular", "wingdings"),
        ("BCDGEE+Wingdings-Regular", "wingdings"),
        ("Wingdings,Bold", "wingdings"),
        ("wingdings", "wingdings"),
        ("Wingdings2", "wingdings2"),
        ("Wingdings-2", "wingdings2"),
        ("Wingdings#202", "wingdings2"),
        ("QWERTY+Wingdings#203", "wingdings3"),
        ("Webdings", "webdings"),
        ("Symbol", "symbol"),
        ("Symbol-Italic", "symbol"),
        ("SymbolMT", "symbol"),
        ("ABCDEF+SymbolMT,Bold", "symbol"),
        ("ZapfDingbats", "zapfdingbats"),
        ("ZapfDingbatsITC", "zapfdingbats"),
        ("ITCZapfDingbats", "zapfdingbats"),
        ("Dingbats", "zapfdingbats"),
    ],
)
def test_symbol_font_names_as_pdfs_write_them(font_name, family):
    assert symbol_family(font_name) == family


@pytest.mark.parametrize(
    "font_name",
    [
        "IPAexGothic",
        "MS-Mincho",
        "MS-PGothic",
        "ABCDEF+MS-PGothic",
        "Arial",
        "Arial,Bold",
        "NotoSansSymbols-Regular",
        "NotoSansSymbols2-Regular",
        "SegoeUISymbol",
        "SymbolNeu",
        "#82l#82r#83S#83V#83b#83N",  # ＭＳ ゴシック in Shift_JIS escapes
        "",
    ],
)
def test_other_fonts_are_not_symbol_fonts(font_name):
    assert symbol_family(font_name) is None


def test_every_detected_family_has_a_table():
    for name in ["Wingdings", "Wingdings 2", "Wingdings 3", "Webdings", "Symbol", "ZapfDingbats"]:
        assert symbol_family(name) in FAMILIES


def test_docstring_examples_hold():
    results = doctest.testmod(symbol_fonts)
    assert results.attempted > 0 and results.failed == 0
