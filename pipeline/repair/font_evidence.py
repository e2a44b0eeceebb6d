"""What an embedded font program says each glyph is, checked against its ToUnicode map.

A PDF shows glyphs from the font program but extracts text through the
font's ToUnicode map; when the map is broken the page looks right and the
text is wrong.  The font program itself keeps evidence the map cannot
overwrite:

* glyph names: ``uni53D1``, ``ecircumflextilde``, ``space`` (Adobe Glyph
  List) and ``aj3301`` / ``cid3301`` (an Adobe-Japan1 CID, decoded with the
  Adobe-Japan1 table that pdfminer ships);
* the outline: a glyph with no contours draws nothing, so it is a space
  whatever the map says;
* existence and advance: a code beyond the font's glyphs, drawn with zero
  advance, is an invisible ghost.

Evidence is weighed per font, once, over all its glyphs: when most named
glyphs agree with the map, the few that disagree are map defects; when the
map's text is not language at all (glyph ids given as code points) and
the names are, the names win throughout.  Fonts whose names say nothing
(``glyph00001``) keep their map, and the code-point checks downstream
still flag what is plainly unreadable.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from fontTools import agl
from fontTools.pens.boundsPen import ControlBoundsPen
from fontTools.ttLib import TTFont
from pdfminer.cmapdb import CMapDB
from pdfminer.pdffont import PDFCIDFont, PDFFont

_ADOBE_JAPAN1_NAME = re.compile(r"^(?:aj|cid|CID|Japan1\.)[-_.]?(\d{1,5})$")
# how sure each kind of evidence makes us
NAME_CONFIDENCE = 0.95
EMPTY_OUTLINE_CONFIDENCE = 0.9
GHOST_CONFIDENCE = 0.9
AGREEMENT_TO_TRUST_NAMES = 0.6


@dataclass
class GlyphMap:
    """One font's glyphs as its program names them and as its map decodes them."""

    named: dict[int, tuple[str, str]] = field(default_factory=dict)  # gid -> (char, "agl"|"cid")
    mapped: dict[int, str] = field(default_factory=dict)  # gid -> ToUnicode text
    empty: set[int] = field(default_factory=set)  # gids whose outline draws nothing
    advance: dict[int, int] = field(default_factory=dict)  # advance of the empty glyphs


@dataclass(frozen=True)
class GlyphVerdict:
    """What a glyph really is: ``text`` ("" to drop it), the rule and how sure."""

    text: str
    rule: str
    confidence: float


@lru_cache(maxsize=1)
def _adobe_japan1() -> dict[int, str]:
    try:
        return dict(CMapDB.get_unicode_map("Adobe-Japan1").cid2unichr)
    except Exception:  # pdfminer without its CMap data: no names from CIDs
        return {}


def char_from_glyph_name(name: str) -> tuple[str, str] | None:
    """The character a glyph name stands for and the kind of name, or ``None``.

    ``agl`` names (Adobe Glyph List, ``uniXXXX``) name one character each;
    ``cid`` names go through the Adobe-Japan1 table, which picks one of
    several code points for some punctuation (～ or 〜, — or ―).

    >>> char_from_glyph_name("uni53D1"), char_from_glyph_name("ecircumflextilde")
    (('发', 'agl'), ('ễ', 'agl'))
    >>> char_from_glyph_name("aj690")
    ('【', 'cid')
    >>> char_from_glyph_name("glyph00012") is None
    True
    """
    if not name or name.startswith(".") or name.startswith("glyph"):
        return None
    match = _ADOBE_JAPAN1_NAME.match(name)
    if match:
        char = _adobe_japan1().get(int(match.group(1)))
        return (char, "cid") if char else None
    text = agl.toUnicode(name)
    return (text, "agl") if len(text) == 1 else None


def looks_like_language(text: str) -> bool:
    """Whether a character belongs in a Japanese document (with Latin and Chinese quotes).

    Glyph ids read as code points land in Latin Extended, IPA, Greek,
    Cyrillic, Hebrew, Arabic, Indic and Thai blocks and in control codes.
    """
    if not text:
        return False
    code = ord(text[0])
    if text.isspace() or code < 0x7F and text.isprintable():
        return True
    if 0xA0 <= code <= 0x24F or 0x1E00 <= code <= 0x1EFF:  # Latin-1, Latin Extended, Vietnamese
        return True
    if 0x2000 <= code <= 0x2BFF or 0x3000 <= code <= 0x9FFF or 0xF900 <= code <= 0xFFEF or code >= 0x20000:
        return unicodedata.category(text[0]) not in ("Co", "Cn", "Cs")
    return False


class FontEvidence:
    """Per-font verdicts, computed once from the embedded program."""

    def __init__(self, key: str, font: PDFFont):
        self.key = key
        self.font = font
        self.verdicts: dict[int, GlyphVerdict] = {}  # by glyph id
        self.ghost_from: int | None = None  # glyph ids from here on do not exist
        self.cid_table: dict[int, str] = {}  # a public CID -> Unicode table, for unembedded fonts
        self.note: str | None = None  # why nothing could be learned
        self._learn()

    def _program(self) -> TTFont | None:
        descriptor = getattr(self.font, "descriptor", None) or {}
        stream = None
        for key in ("FontFile2", "FontFile3", "FontFile"):
            if descriptor.get(key) is not None:
                stream = descriptor[key]
                break
        if stream is None:
            self.note = "font not embedded"
            return None
        try:
            data = stream.resolve().get_data() if hasattr(stream, "resolve") else stream.get_data()
            return TTFont(io.BytesIO(data), lazy=True)
        except Exception as error:  # Type1 programs and broken streams: no evidence
            self.note = f"embedded program unreadable by fontTools: {type(error).__name__}"
            return None

    @staticmethod
    def _gid(cid: int) -> int:
        """Glyph index for a code: Identity, as Word and most writers set CIDToGIDMap.

        pdfminer does not keep a CIDToGIDMap stream; fonts that have one are
        rare in newsletters and would show as low agreement, which makes the
        names lose to the map rather than rewrite good text.
        """
        return cid

    def _mapped_text(self, cid: int) -> str | None:
        try:
            text = self.font.to_unichr(cid)
        except Exception:
            return None
        return text if isinstance(text, str) and text else None

    def _learn(self) -> None:
        if not isinstance(self.font, PDFCIDFont):
            self.note = "simple font: codes are not glyph ids"
            return
        program = self._program()
        if program is None:
            self._learn_from_ordering()
            return
        try:
            order = program.getGlyphOrder()
            glyphs = program.getGlyphSet()
            advances = program["hmtx"].metrics if "hmtx" in program else {}
        except Exception as error:
            self.note = f"font tables unreadable: {type(error).__name__}"
            return
        glyph_map = GlyphMap()
        for gid, name in enumerate(order):
            if gid == 0:
                continue
            named = char_from_glyph_name(name)
            if named:
                glyph_map.named[gid] = named
            text = self._mapped_text(gid)
            if text:
                glyph_map.mapped[gid] = text
            if _draws_nothing(glyphs, name):
                glyph_map.empty.add(gid)
                glyph_map.advance[gid] = advances.get(name, (0, 0))[0]
        self._weigh(glyph_map)
        self.ghost_from = len(order)

    def _weigh(self, glyphs: GlyphMap) -> None:
        """Turn the font's evidence into verdicts, trusting names only as far as they earn it."""
        named, mapped = glyphs.named, glyphs.mapped
        both = [gid for gid in named if gid in mapped]
        agreement = sum(1 for gid in both if _same(named[gid][0], mapped[gid])) / len(both) if both else 0.0
        map_is_language = _share(looks_like_language, mapped.values()) >= 0.5
        names_are_language = _share(looks_like_language, [char for char, _ in named.values()]) >= 0.8
        if not named:
            trust = "none"
        elif (not map_is_language or not mapped) and names_are_language:
            trust = "all"  # the map gives glyph ids or nothing: the names are the text
        elif len(both) >= 3 and agreement >= AGREEMENT_TO_TRUST_NAMES:
            trust = "defects"  # the map is right but for a few glyphs
        else:
            trust = "none"
        claims = Counter(mapped.values())
        for gid, (char, kind) in named.items():
            text = mapped.get(gid)
            if trust == "none" or (text is not None and _same(char, text)):
                continue
            if trust == "defects" and text is not None and not self._map_is_wrong(gid, char, kind, text, glyphs, claims):
                continue
            rule = "unmapped_glyph_named" if text is None else ("glyph_name_over_tounicode" if map_is_language else "tounicode_not_language")
            self.verdicts[gid] = GlyphVerdict(char, rule, NAME_CONFIDENCE)
        for gid in glyphs.empty - set(self.verdicts):
            text = mapped.get(gid)
            if text is not None and (text.isspace() or (looks_like_language(text) and not _is_bracket(text))):
                continue  # an empty glyph mapped to a letter is odd but not proof
            self.verdicts[gid] = GlyphVerdict(" " if glyphs.advance.get(gid) else "", "empty_glyph_not_a_character", EMPTY_OUTLINE_CONFIDENCE)

    @staticmethod
    def _map_is_wrong(gid: int, char: str, kind: str, text: str, glyphs: GlyphMap, claims: Counter) -> bool:
        """Whether a disagreement between name and map is a defect of the map.

        Adobe Glyph List names are unambiguous, so they win.  A CID name wins
        where the map cannot be right: a visible glyph mapped to a space, a
        code point that is not language, a character claimed by two glyphs,
        or one letter or kanji given for another.  Punctuation that the
        Adobe-Japan1 table writes differently (～/〜) keeps the map's choice.
        """
        if kind == "agl":
            return True
        if not looks_like_language(text) or (text.isspace() and gid not in glyphs.empty):
            return True
        if claims[text] > 1:
            return True
        return unicodedata.category(char)[0] == "L" and unicodedata.category(text)[0] == "L"

    def _learn_from_ordering(self) -> None:
        """No program, but the font declares Adobe-Japan1: its CIDs have a public table."""
        if "Japan1" in (getattr(self.font, "cidcoding", "") or ""):
            self.cid_table = _adobe_japan1()

    def verdict_for(self, cid: int | None, extracted: str, width: float) -> GlyphVerdict | None:
        """The verdict on one drawn glyph, given what was extracted and its drawn width."""
        if cid is None:
            return None
        known = self.verdicts.get(self._gid(cid))
        if known is not None:
            return known
        if self.ghost_from is not None and self._gid(cid) >= self.ghost_from and width < 0.01:
            return GlyphVerdict("", "ghost_glyph", GHOST_CONFIDENCE)
        if self.cid_table and extracted.startswith("(cid:") and cid in self.cid_table:
            return GlyphVerdict(self.cid_table[cid], "adobe_japan1_cid", NAME_CONFIDENCE)
        return None


def _draws_nothing(glyphs, name: str) -> bool:
    try:
        glyph = glyphs[name]
        pen = ControlBoundsPen(glyphs)
        glyph.draw(pen)
        return pen.bounds is None
    except Exception:
        return False


def _same(a: str, b: str) -> bool:
    """Equal, or the same character up to compatibility forms (⽇ and 日)."""
    return a == b or unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b)


def _is_bracket(text: str) -> bool:
    return unicodedata.category(text[0]) in ("Ps", "Pe", "Pi", "Pf")


def _share(test, values) -> float:
    values = list(values)
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0
