"""Which code points belong in a Japanese newsletter, by Unicode block.

A ToUnicode map that gives glyph ids instead of characters (a heading
font whose glyph 1955 comes out as U+07A3) yields code points spread
over whatever blocks the ids happen to fall in: Latin Extended-B, IPA,
Thaana, Devanagari, Hangul Jamo, Bopomofo, CJK strokes.  A real map of a
Japanese document's font yields kana, kanji, ASCII, CJK punctuation and
a few symbols.  The blocks are read from the Unicode Blocks.txt ranges
(Unicode 15) and sorted into three kinds:

* ``common``: what Japanese text is made of (kana, JIS kanji, ASCII,
  Latin-1, full-width forms, CJK and general punctuation);
* ``rare``: legitimate but uncommon in such text (Greek, Cyrillic,
  Vietnamese and European letters, symbols and arrows, enclosed and
  compatibility forms, kanji outside JIS X 0208, Hangul);
* ``foreign``: scripts and blocks that a Japanese newsletter does not
  set as running text (Hebrew, Arabic, Indic, Thaana, Ethiopic, IPA,
  combining marks on their own, Bopomofo, Yi…).  Glyph ids read as code
  points land here more than half of the time.

Radicals and private-use code points are ``neutral``: they are map
defects with repairs of their own, not evidence either way.

>>> kind_of("あ"), kind_of("α"), kind_of("\u07a3"), kind_of("⽇")
('common', 'rare', 'foreign', 'neutral')
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

# (first code point, kind) from Blocks.txt; each kind holds up to the next entry.
_BLOCKS: list[tuple[int, str]] = [
    (0x0000, "foreign"),  # C0 controls
    (0x0020, "common"),  # Basic Latin
    (0x007F, "foreign"),  # DEL, C1 controls
    (0x00A0, "common"),  # Latin-1 Supplement
    (0x0100, "rare"),  # Latin Extended-A
    (0x0180, "foreign"),  # Latin Extended-B (exceptions below)
    (0x0250, "foreign"),  # IPA, spacing modifiers, combining marks
    (0x0370, "rare"),  # Greek and Coptic
    (0x0400, "rare"),  # Cyrillic
    (0x0500, "foreign"),  # Cyrillic Supplement … Mongolian, Khmer, Georgian, Hangul Jamo, Ethiopic…
    (0x1E00, "rare"),  # Latin Extended Additional (Vietnamese)
    (0x1F00, "foreign"),  # Greek Extended
    (0x2000, "common"),  # General Punctuation
    (0x2070, "rare"),  # Superscripts … Miscellaneous Technical
    (0x2400, "foreign"),  # Control Pictures, OCR
    (0x2460, "rare"),  # Enclosed Alphanumerics … Dingbats
    (0x27C0, "rare"),  # math and arrows
    (0x2800, "foreign"),  # Braille
    (0x2900, "rare"),  # arrows, math, miscellaneous symbols and arrows
    (0x2C00, "foreign"),  # Glagolitic … Supplemental Punctuation
    (0x2E80, "neutral"),  # CJK Radicals Supplement, Kangxi Radicals
    (0x2FE0, "foreign"),  # Ideographic Description Characters
    (0x3000, "common"),  # CJK Symbols and Punctuation, Hiragana, Katakana
    (0x3100, "foreign"),  # Bopomofo, Hangul Compatibility Jamo, Kanbun, CJK Strokes
    (0x31F0, "rare"),  # Katakana Phonetic Extensions
    (0x3200, "rare"),  # Enclosed CJK, CJK Compatibility
    (0x3400, "rare"),  # CJK Extension A
    (0x4DC0, "foreign"),  # Yijing Hexagrams
    (0x4E00, "common"),  # CJK Unified Ideographs (kanji outside JIS X 0208: rare, below)
    (0xA000, "foreign"),  # Yi, Lisu, Vai, Latin Extended-D, Syloti… Hangul Jamo Extended-A
    (0xAC00, "rare"),  # Hangul Syllables
    (0xD7B0, "foreign"),  # Hangul Jamo Extended-B, surrogates
    (0xE000, "neutral"),  # Private Use Area
    (0xF900, "rare"),  # CJK Compatibility Ideographs, Alphabetic Presentation Forms
    (0xFB50, "foreign"),  # Arabic Presentation Forms-A, variation selectors
    (0xFE10, "rare"),  # Vertical Forms
    (0xFE20, "foreign"),  # Combining Half Marks
    (0xFE30, "rare"),  # CJK Compatibility Forms, Small Form Variants
    (0xFE70, "foreign"),  # Arabic Presentation Forms-B
    (0xFF00, "common"),  # Halfwidth and Fullwidth Forms
    (0xFFF0, "neutral"),  # Specials (U+FFFD)
    (0x10000, "foreign"),  # supplementary scripts
    (0x1F000, "rare"),  # game symbols, enclosed supplements, emoji
    (0x1FB00, "foreign"),
    (0x20000, "rare"),  # CJK Extensions B…
    (0x2FA20, "foreign"),
]
_STARTS = [start for start, _ in _BLOCKS]
# Latin Extended-B letters that real text uses: Vietnamese horn letters, pinyin tones, Romanian comma letters.
_LATIN_B_IN_USE = {0x01A0, 0x01A1, 0x01AF, 0x01B0, *range(0x01CD, 0x01DD), *range(0x0218, 0x021C)}


def kind_of(char: str) -> str:
    """``common``, ``rare``, ``foreign`` or ``neutral`` for one character (its first code point)."""
    if not char:
        return "neutral"
    code = ord(char[0])
    if char[0].isspace():
        return "common"
    if code in _LATIN_B_IN_USE:
        return "rare"
    kind = _BLOCKS[bisect_right(_STARTS, code) - 1][1]
    if kind == "common" and 0x4E00 <= code <= 0x9FFF and not in_jis_x_0208(char[0]):
        return "rare"
    if kind != "neutral" and unicodedata.category(char[0]) in ("Cn", "Co", "Cs"):
        return "foreign"
    return kind


def in_jis_x_0208(char: str) -> bool:
    """Whether the character is in JIS X 0208 (Python's iso2022_jp codec encodes exactly that set with ASCII)."""
    try:
        char.encode("iso2022_jp")
    except UnicodeEncodeError:
        return False
    return True


def is_plausible(char: str) -> bool:
    """Not foreign: could stand in a Japanese newsletter's text."""
    return kind_of(char) != "foreign"


@dataclass(frozen=True)
class MapReading:
    """How a font's decoded characters sit in the blocks."""

    total: int  # characters judged (neutral ones left out)
    foreign: int
    foreign_blocks: int  # distinct blocks the foreign characters fall in

    @property
    def foreign_share(self) -> float:
        return self.foreign / self.total if self.total else 0.0


def read_map(texts) -> MapReading:
    """Count the foreign characters among ``texts`` and the blocks they spread over."""
    kinds = Counter()
    blocks = set()
    for text in texts:
        if not text:
            continue
        kind = kind_of(text)
        if kind == "neutral":
            continue
        kinds[kind] += 1
        if kind == "foreign":
            blocks.add(_STARTS[bisect_right(_STARTS, ord(text[0])) - 1] if ord(text[0]) not in range(0x0500, 0x1E00) else ord(text[0]) >> 7)
    return MapReading(sum(kinds.values()), kinds["foreign"], len(blocks))


def is_glyph_id_soup(reading: MapReading) -> bool:
    """Whether a font's map gives glyph ids as code points rather than text.

    Glyph ids spread over several foreign blocks; a font that really sets
    one foreign script (a Thai or Hindi name) stays inside one block, and
    a font with one odd code point among its kanji is not judged by it.
    """
    if reading.total < 3:
        return False
    return reading.foreign_share >= 0.25 and reading.foreign_blocks >= (2 if reading.total < 10 else 3)
