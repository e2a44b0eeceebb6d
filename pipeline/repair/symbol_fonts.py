"""Decode glyphs of symbol fonts through the fonts' published encodings.

Newsletters made with Word set their bullets (● ◆ ■ ✓ ➢) in Wingdings,
Wingdings 2, Wingdings 3, Webdings, Symbol or ZapfDingbats. Those fonts
are not Unicode fonts: a glyph is addressed by an 8-bit code, and what
the code means is fixed by the font's own encoding. Extractors lose that
meaning in three ways: they give the Private Use code point Word's
(3,0) "symbol" cmap puts the code at (0x6C becomes U+F06C), or the ASCII
letter of the byte ('l' for Wingdings' ●, 'u' for ◆, 'n' for ■), or
nothing. Guessing the character from the glyph's shape is worse than any
of these (a bullet has been read as the kana を), so this module reads
the code and looks it up in the font's published table instead; where
the table has no character for the code, the answer is None, never a
guess.

The tables live in ``symbol_tables.py``, generated from these sources
(each table's comment there names repository, path and commit):

- Symbol: Adobe's Symbol encoding to Unicode, as in the Unicode
  Consortium's VENDORS/ADOBE/symbol.txt, rebuilt from the Annex D.5 glyph
  names and the Adobe Glyph List and checked against a maintained copy of
  symbol.txt.
- ZapfDingbats: its built-in encoding (PDF 32000-1 Annex D.6, names a1…)
  with Adobe's zapfdingbats.txt glyph list.
- Wingdings, Wingdings 2, Wingdings 3, Webdings: the Unicode 7.0
  mappings in mwilliamson/dingbat-to-unicode (the table mammoth uses).

Codes that a table maps into the Private Use Area (Symbol's bracket
pieces and sans-serif ®©™, for instance) are left out, so they decode to
None: a Private Use character is no better than the glyph we started
with.

How the fonts reach us (see the notes in ``symbol_code``): Word for
Microsoft 365 writes Wingdings as a Type0 font (Identity-H) whose
ToUnicode already gives the Unicode 7.0 character (corpus:
real-ja/yasutake__hamura-taxi.pdf says U+26AB for its bullets, the value
this table has at 0x6C); its codes there are glyph ids, not Wingdings
codes. Simple TrueType embeddings carry the 8-bit code itself, and a
ToUnicode to U+F0xx, to the ASCII letter, or none at all.
"""

from __future__ import annotations

import re

from pipeline.repair import symbol_tables

_TABLES: dict[str, dict[int, int]] = {
    "wingdings": symbol_tables.WINGDINGS,
    "wingdings2": symbol_tables.WINGDINGS_2,
    "wingdings3": symbol_tables.WINGDINGS_3,
    "webdings": symbol_tables.WEBDINGS,
    "symbol": symbol_tables.SYMBOL,
    "zapfdingbats": symbol_tables.ZAPF_DINGBATS,
}
FAMILIES: tuple[str, ...] = tuple(_TABLES)

# Word's (3,0) symbol cmap puts code c at U+F000 + c; 0x00-0x1F hold no glyphs.
_PRIVATE_USE_FIRST = 0xF020
_PRIVATE_USE_LAST = 0xF0FF

_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
_NAME_ESCAPE = re.compile(r"#([0-9A-Fa-f]{2})")

# Style and vendor words that may follow the family in a PostScript or
# PDF name ("Wingdings-Regular", "Symbol,Bold", "SymbolMT", "ZapfDingbatsITC").
# Anything else after the family means another font, and another font's
# text must not be pushed through these tables.
_STYLE = r"(?:regular|roman|normal|medium|bold|italic|oblique|mt|ps|psmt|itc|std)*"
_FAMILY_NAMES = [
    (re.compile(r"wingdings(?P<number>[23]?)" + _STYLE), "wingdings"),
    (re.compile(r"webdings" + _STYLE), "webdings"),
    # StandardSymL / StandardSymbolsPS: URW's metric clones of Symbol, same encoding.
    (re.compile(r"(?:symbol|standardsyml|standardsymbolsps)" + _STYLE), "symbol"),
    # "Dingbats" is URW's ZapfDingbats clone (D050000L), same encoding.
    (re.compile(r"(?:itc)?(?:zapf)?dingbats" + _STYLE), "zapfdingbats"),
]


def symbol_family(font_name: str) -> str | None:
    """The symbol-font family a PDF font name belongs to, or None.

    Names are matched whole, after dropping the subset tag, PDF ``#xx``
    escapes, case and punctuation, so ``ABCDEF+Wingdings-Regular``,
    ``Wingdings#202`` ("Wingdings 2") and ``SymbolMT`` are found. A name
    that only contains a family word is not: ``NotoSansSymbols2-Regular``
    is a Unicode font, and ``SymbolNeu`` is not known to use Adobe's
    Symbol encoding. Missing such a font leaves its text as extracted;
    wrongly claiming it would turn every 'a' into α.

    >>> symbol_family("ABCDEF+Wingdings-Regular"), symbol_family("Wingdings#203")
    ('wingdings', 'wingdings3')
    >>> symbol_family("MS-PGothic") is None
    True
    """
    name = _SUBSET_TAG.sub("", font_name)
    name = _NAME_ESCAPE.sub(lambda escape: chr(int(escape.group(1), 16)), name)
    compact = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())
    for pattern, family in _FAMILY_NAMES:
        match = pattern.fullmatch(compact)
        if match:
            return family + match.groupdict().get("number", "")
    return None


def symbol_code(extracted: str, code: int | None) -> int | None:
    """The glyph's 8-bit code in its symbol font, or None when it cannot be known.

    A Private Use character U+F020…U+F0FF is Word's symbol cmap talking and
    wins: its low byte is the code. Otherwise ``code``, the PDF character
    code, is used when it fits in a byte. Pass ``code`` only for simple
    (single-byte) fonts: in a Type0 font the code is a CID, usually a glyph
    id, which can be below 256 and still mean nothing in these tables.

    >>> symbol_code("\\uf06c", 0x7A), symbol_code("l", 0x6C), symbol_code("", 0x1234)
    (108, 108, None)
    """
    if len(extracted) == 1 and _PRIVATE_USE_FIRST <= ord(extracted) <= _PRIVATE_USE_LAST:
        return ord(extracted) - 0xF000
    if code is not None and 0 <= code < 256:
        return code
    return None


def decode_symbol(family: str, code: int) -> str | None:
    """The Unicode character at ``code`` in the family's published table, or None.

    None means the table has no Unicode character there (an unused code, or
    one the source could only map into the Private Use Area).

    >>> decode_symbol("wingdings", 0x6C), decode_symbol("symbol", 0x61)
    ('⚫', 'α')
    >>> decode_symbol("symbol", 0xE6) is None
    True
    """
    table = _TABLES.get(family)
    if table is None:
        raise ValueError(f"unknown symbol-font family {family!r}; expected one of {', '.join(FAMILIES)}")
    value = table.get(code)
    return None if value is None else chr(value)
