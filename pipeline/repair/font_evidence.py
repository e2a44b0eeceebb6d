"""What an embedded font program says each glyph is, checked against its ToUnicode map.

A PDF shows glyphs from the font program but extracts text through the
font's ToUnicode map; when the map is broken the page looks right and the
text is wrong.  The font program itself keeps evidence the map cannot
overwrite:

* the program's own cmap table, where the subsetter kept one;
* the outline itself, matched point for point in an installed copy of the
  same font (:mod:`reference_fonts`), for glyphs with no name or map;
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

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fontTools import agl
from pdfminer.cmapdb import CMapDB
from pdfminer.pdffont import PDFCIDFont, PDFFont

from pipeline.repair.font_programs import FontProgram, load_program
from pipeline.repair.glyph_shapes import GlyphShape, read_shape
from pipeline.repair.glyphs import UNRESOLVED
from pipeline.repair.plausible_text import in_jis_x_0208, is_glyph_id_soup, read_map
from pipeline.repair.reference_fonts import base_name, reference_for
from pipeline.repair.symbol_fonts import decode_symbol, symbol_code, symbol_family
from pipeline.repair.vertical_forms import horizontal_forms, turned_back

_ADOBE_JAPAN1_NAME = re.compile(r"^(?:aj|cid|CID|Japan1\.)[-_.]?(\d{1,5})$")
# how sure each kind of evidence makes us
NAME_CONFIDENCE = 0.95
EMPTY_OUTLINE_CONFIDENCE = 0.9
GHOST_CONFIDENCE = 0.9
AGREEMENT_TO_TRUST_NAMES = 0.6
SOFT_DOTTED = set("ijJ")  # Latin letters whose accented forms are built on the dotless form


@dataclass
class GlyphMap:
    """One font's glyphs as its program names them and as its map decodes them."""

    named: dict[int, tuple[str, str]] = field(default_factory=dict)  # gid -> (char, "cmap"|"agl"|"cid")
    mapped: dict[int, str] = field(default_factory=dict)  # gid -> ToUnicode text
    readings: dict[int, set[str]] = field(default_factory=dict)  # gid -> every right reading


@dataclass(frozen=True)
class GlyphVerdict:
    """What a glyph really is: ``text`` ("" to drop it), the rule and how sure."""

    text: str
    rule: str
    confidence: float


# poppler-data's table (Debian package poppler-data) covers the later supplements,
# 𠮷 and the other astral kanji among them; it is read where installed.
POPPLER_CID_TABLES = (Path("/usr/share/poppler/cidToUnicode"), Path("/usr/local/share/poppler/cidToUnicode"))


@lru_cache(maxsize=1)
def _adobe_japan1() -> dict[int, str]:
    """Adobe-Japan1 CID -> character: pdfminer's table, completed from poppler-data."""
    try:
        table = dict(CMapDB.get_unicode_map("Adobe-Japan1").cid2unichr)
    except Exception:  # pdfminer without its CMap data
        table = {}
    for folder in POPPLER_CID_TABLES:
        path = folder / "Adobe-Japan1"
        if path.is_file():
            for cid, line in enumerate(path.read_text(encoding="ascii", errors="ignore").splitlines()):
                code = int(line.split()[0], 16) if line.strip() else 0
                if code and cid not in table:
                    table[cid] = chr(code)
            break
    return table


def char_from_glyph_name(name: str, japan1: bool = True) -> tuple[str, str] | None:
    """The character a glyph name stands for and the kind of name, or ``None``.

    ``agl`` names (Adobe Glyph List, ``uniXXXX``) name one character each;
    ``cid`` names go through the Adobe-Japan1 table (``cid01234`` only when
    the font declares Adobe-Japan1; ``aj`` names always), which picks one of
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
    if match and (japan1 or name.startswith("aj")):
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
        self.cid_to_gid: dict[int, int] | None = self._read_cid_to_gid()
        self.code_to_gid: dict[int, int] | None = None
        self.program: FontProgram | None = None
        self._mapped: dict[int, str] = {}  # gid -> ToUnicode text, for the glyphs' emptiness
        self._empty: dict[int, bool] = {}  # gid -> draws nothing, asked as glyphs are met
        self._asked_empty: set[int] = set()  # gids whose empty-outline verdict was sought
        self._shapes: dict[int, GlyphShape | None] = {}  # gid -> outline, drawn when first asked
        self._letters: dict[str, GlyphShape] | None = None  # plain Latin letters, for accented ones
        self._owners: dict[str, int | None] | None = None  # text -> the one glyph the believed map gives it
        self._horizontal: dict[int, int] | None = None  # vertical form's gid -> its horizontal glyph's
        self.map_verdict = "absent"  # the ToUnicode map as a whole: absent, trusted, distrusted
        self.reasons: list[str] = []  # why, in words, for the fonts table
        self.symbol_family = symbol_family(getattr(font, "basefont", "") or key)
        self._learn()

    def _program(self) -> FontProgram | None:
        descriptor = getattr(self.font, "descriptor", None) or {}
        stream = next((descriptor[key] for key in ("FontFile2", "FontFile3", "FontFile") if descriptor.get(key) is not None), None)
        if stream is None:
            self.note = "font not embedded"
            return None
        try:
            data = stream.resolve().get_data() if hasattr(stream, "resolve") else stream.get_data()
            return load_program(data)
        except Exception as error:  # Type1 programs and broken streams: no evidence
            self.note = f"embedded program unreadable by fontTools: {type(error).__name__}"
            return None

    def _read_cid_to_gid(self) -> dict[int, int] | None:
        """The font's CIDToGIDMap stream as code -> glyph index (``None``: Identity)."""
        stream = getattr(self.font, "cid_to_gid_map", None)
        if stream is None or not hasattr(stream, "resolve") and not hasattr(stream, "get_data"):
            return None
        try:
            data = (stream.resolve() if hasattr(stream, "resolve") else stream).get_data()
        except Exception:
            return None
        return {cid: (data[2 * cid] << 8) | data[2 * cid + 1] for cid in range(len(data) // 2)}

    def gid(self, cid: int) -> int:
        """The glyph a code draws in the embedded program (for a simple font, the code)."""
        if self.code_to_gid is not None:
            return self.code_to_gid.get(cid, 0)
        return self.cid_to_gid.get(cid, 0) if self.cid_to_gid is not None else cid

    def _mapped_text(self, cid: int) -> str | None:
        try:
            text = self.font.to_unichr(cid)
        except Exception:
            return None
        return text if isinstance(text, str) and text else None

    def _learn(self) -> None:
        if not isinstance(self.font, PDFCIDFont):
            # codes of a simple font are not glyph ids: no verdicts, but the
            # program is kept so that its glyphs can be drawn and read by shape
            self.program = self._program()
            self.map_verdict = "symbol" if self.symbol_family else "simple"
            return
        if "Japan1" in (getattr(self.font, "cidcoding", "") or ""):
            self.cid_table = _adobe_japan1()
        program = self._program()
        if program is None:
            return
        self.program = program
        order = program.glyph_order
        if program.cid_keyed:
            # a CID-keyed CFF names its glyphs by CID: the PDF's codes are those CIDs
            codes = {cid: gid for gid, cid in enumerate(_cid_numbers(order)) if cid is not None}
        else:
            codes = self.cid_to_gid or {gid: gid for gid in range(len(order))}
        japan1 = bool(self.cid_table) or "Japan1" in (program.registry_ordering or "")
        glyph_map = GlyphMap()
        for cid, gid in codes.items():
            if 0 < gid < len(order) and (text := self._mapped_text(cid)):
                glyph_map.mapped[gid] = text
        self._judge_map(glyph_map.mapped)
        distrusted = self.map_verdict == "distrusted"
        for cid, gid in codes.items():
            if gid == 0 or gid >= len(order):
                continue
            name = order[gid]
            readings = program.cmap_readings.get(name)
            named = (_preferred(readings), "cmap") if readings else char_from_glyph_name(name, japan1)
            text = glyph_map.mapped.get(gid)
            if not named and (distrusted or text is None or not looks_like_language(text) or text == UNRESOLVED):
                named = self._match_reference_outline(program, name)
            if named:
                glyph_map.named[gid] = named
                glyph_map.readings[gid] = readings or {named[0]}
        self.code_to_gid = codes
        self._mapped = glyph_map.mapped
        self._weigh(glyph_map)
        self.ghost_from = len(order)

    def _judge_map(self, mapped: dict[int, str]) -> None:
        """The verdict on the ToUnicode map as a whole, once per font.

        A map whose text spreads over several blocks that Japanese text does
        not use gives glyph ids, not characters: then no code of the font is
        believed, however plausible it looks (a glyph id can land on 8 or Ź).
        """
        if not mapped:
            self.map_verdict = "absent"
            self.reasons.append("no ToUnicode text for the font's glyphs")
            return
        if self.symbol_family:
            self.map_verdict = "symbol"
            self.reasons.append(f"{self.symbol_family} symbol font: codes decoded through its published encoding")
            return
        reading = read_map(mapped.values())
        controls = sum(1 for text in mapped.values() if unicodedata.category(text[0]) in ("Cc", "Cn", "Cs"))
        if len(mapped) >= 3 and controls >= 0.5 * len(mapped):
            self.map_verdict = "distrusted"
            self.reasons.append(f"ToUnicode gives {controls} of {len(mapped)} glyphs control codes: glyph ids, not text")
        elif is_glyph_id_soup(reading):
            self.map_verdict = "distrusted"
            self.reasons.append(
                f"ToUnicode gives {reading.foreign} of {reading.total} glyphs code points from {reading.foreign_blocks} "
                "blocks Japanese text does not use: glyph ids, not text"
            )
        else:
            self.map_verdict = "trusted"

    def _match_reference_outline(self, program: FontProgram, name: str) -> tuple[str, str] | None:
        """The glyph's character from an installed copy of the same font, outline for outline."""
        if program.ttfont is None or "glyf" not in program.ttfont:
            return None
        reference = reference_for(getattr(self.font, "basefont", "") or self.key)
        char = reference.char_for(program.ttfont["glyf"], name, program.advances.get(name)) if reference else None
        return (char, "outline") if char else None

    def _weigh(self, glyphs: GlyphMap) -> None:
        """Turn the font's evidence into verdicts, trusting names only as far as they earn it.

        Where the map is distrusted as a whole, every glyph without a name
        is left unknown (U+FFFD) for the shape reading to decide; where it
        is trusted, nameless glyphs it plainly gets wrong are left unknown too:
        a visible glyph mapped to a space, and two different outlines that
        claim one letter.
        """
        named, mapped = glyphs.named, glyphs.mapped
        both = [gid for gid in named if gid in mapped]
        agree = {gid for gid in both if any(_same(reading, mapped[gid]) for reading in glyphs.readings[gid])}
        agreement = len(agree) / len(both) if both else 0.0
        distrusted = self.map_verdict == "distrusted"
        map_is_language = not distrusted and _share(looks_like_language, mapped.values()) >= 0.5
        names_are_language = _share(looks_like_language, [char for char, _ in named.values()]) >= 0.8
        if not named:
            trust = "none"
        elif (not map_is_language or not mapped) and names_are_language:
            trust = "all"  # the map gives glyph ids or nothing: the names are the text
        elif len(both) >= 3 and agreement >= AGREEMENT_TO_TRUST_NAMES:
            trust = "defects"  # the map is right but for a few glyphs
        else:
            trust = "none"
        if named:
            self.reasons.append(f"{len(named)} glyphs named by the program ({trust} trusted; {len(agree)} of {len(both)} agree with the map)")
        claims = Counter(mapped.values())
        for gid, (char, kind) in named.items():
            text = mapped.get(gid)
            if gid in agree:
                continue
            if trust == "none" and not (names_are_language and self._map_cannot_be_right(gid, text)):
                continue
            if trust == "defects" and text is not None and not self._map_is_wrong(gid, char, kind, text, glyphs, claims):
                continue
            rule = "unmapped_glyph_named" if text is None else ("glyph_name_over_tounicode" if map_is_language else "tounicode_not_language")
            self.verdicts[gid] = GlyphVerdict(char, rule, NAME_CONFIDENCE)
        if distrusted:
            for gid in mapped:
                self.verdicts.setdefault(gid, GlyphVerdict(UNRESOLVED, "tounicode_distrusted", 0.0))
            return
        self._doubt_shared_claims(mapped, claims)
        self._doubt_accented_letters(mapped)

    def _doubt_shared_claims(self, mapped: dict[int, str], claims: Counter) -> None:
        """Two glyphs with different outlines mapped to one letter: one of them is not that letter.

        Which one is for the shapes to say, so both are left unknown and read.
        Glyphs drawn alike (a proportional and a full-width form) may share
        a character, and punctuation has vertical forms that legitimately do.
        """
        shared = {text for text, count in claims.items() if count > 1 and unicodedata.category(text[0])[0] == "L"}
        by_text: dict[str, list[int]] = {}
        for gid, text in mapped.items():
            if text in shared and gid not in self.verdicts:
                by_text.setdefault(text, []).append(gid)
        for text, gids in by_text.items():
            shapes = {gid: self._shape_of_gid(gid) for gid in gids}
            signatures = {shape.signature for shape in shapes.values() if shape is not None and not shape.empty}
            if len(signatures) < 2:
                continue
            self.reasons.append(f"{len(gids)} glyphs with different outlines all mapped to {text}")
            plain = self._plain_among(gids, shapes) if text.isascii() else None
            for gid in gids:
                if gid == plain:
                    continue  # the others hold its outline and more: they are it with marks
                rule = "outline_contradicts_map" if plain is not None else "two_glyphs_claim_one_character"
                self.verdicts[gid] = GlyphVerdict(UNRESOLVED, rule, 0.0)

    @staticmethod
    def _plain_among(gids: list[int], shapes: dict) -> int | None:
        """Of glyphs claiming one Latin letter, the one whose contours every other holds (e inside é)."""
        known = {gid: shape for gid, shape in shapes.items() if shape is not None and not shape.empty}
        for gid, shape in known.items():
            if all(other == gid or known[other].holds(shape) for other in known):
                return gid
        return None

    def _doubt_accented_letters(self, mapped: dict[int, str]) -> None:
        """A Latin letter whose outline is built on another letter than the map says.

        Accented letters are drawn as their base letter plus marks, and the
        base keeps its outline point for point (TrueType composites and
        flattened CFF alike).  A glyph mapped to Å that holds the font's own
        e is not Å (Vietnamese ễ mapped through an 8-bit table, as broken
        Word fonts do); it is left unknown, to be read.
        """
        plain = {text: gid for gid, text in mapped.items() if len(text) == 1 and text.isascii() and text.isalpha() and gid not in self.verdicts}
        if not plain:
            return
        accented = [
            (gid, text)
            for gid, text in mapped.items()
            if gid not in self.verdicts and len(text) == 1 and not text.isascii() and unicodedata.category(text)[0] == "L"
            and (ord(text) < 0x250 or 0x1E00 <= ord(text) <= 0x1EFF)
        ]
        if not accented:
            return
        parts = {letter: shape for letter, gid in plain.items() if (shape := self._shape_of_gid(gid)) is not None and not shape.empty}
        holding = {}
        for gid, text in accented:
            shape = self._shape_of_gid(gid)
            holding[gid] = {letter for letter, base in parts.items() if shape is not None and shape.holds(base)}
        # a font that builds some accented letters on their base letter builds them all so
        composes = any(unicodedata.normalize("NFD", text)[0] in holding[gid] for gid, text in accented)
        doubted = 0
        for gid, text in accented:
            claimed = unicodedata.normalize("NFD", text)[0]
            holds = holding[gid]
            wrong_base = holds and claimed not in holds
            # soft-dotted i and j drop their dot under a mark (Unicode Soft_Dotted), and a horn reshapes its base
            reshaped = claimed in SOFT_DOTTED or "\u031b" in unicodedata.normalize("NFD", text)
            base_missing = composes and claimed in parts and claimed not in holds and not reshaped
            if wrong_base or base_missing:
                self.verdicts[gid] = GlyphVerdict(UNRESOLVED, "outline_contradicts_map", 0.0)
                doubted += 1
        if doubted:
            self.reasons.append(f"{doubted} accented letters mapped to a letter whose base their outline does not hold")

    def own_glyph(self, text: str) -> GlyphShape | None:
        """The outline this font's believed map gives ``text``, when exactly one glyph has it.

        A font draws a character with one glyph; another glyph of the same
        font is another character (or a variant the map would also name).
        """
        if self.map_verdict not in ("trusted", "simple") or self.code_to_gid is None:
            return None
        if self._owners is None:
            owners: dict[str, int | None] = {}
            for gid, mapped in self._mapped.items():
                if gid not in self.verdicts and len(mapped) == 1:
                    owners[mapped] = None if mapped in owners else gid
            self._owners = owners
        gid = self._owners.get(text)
        return self._shape_of_gid(gid) if gid is not None else None

    def known_letters(self) -> dict[str, GlyphShape]:
        """The font's plain Latin letters whose map is believed, with their outlines."""
        if self.map_verdict not in ("trusted", "simple") or self.code_to_gid is None:
            return {}
        if self._letters is None:
            self._letters = {
                text: shape
                for gid, text in self._mapped.items()
                if len(text) == 1 and text.isascii() and text.isalpha() and gid not in self.verdicts
                and (shape := self._shape_of_gid(gid)) is not None and not shape.empty
            }
        return self._letters

    def reading_language(self) -> str:
        """The Tesseract model for this font's glyphs: Latin (Vietnamese, which has the
        most diacritics), simplified Chinese, or Japanese, from the text its map gives."""
        texts = [text for text in self._mapped.values() if len(text) == 1 and not text.isspace()]
        if not texts or self.map_verdict not in ("trusted", "simple"):
            return "jpn"
        latin = sum(1 for text in texts if unicodedata.category(text)[0] in ("L", "N") and ord(text) < 0x2000)
        if latin >= 0.8 * len(texts):
            return "vie"
        han = [text for text in texts if 0x4E00 <= ord(text) <= 0x9FFF]
        if len(han) >= 3 and sum(1 for text in han if not in_jis_x_0208(text)) >= 0.2 * len(han):
            return "chi_sim"
        return "jpn"

    def shape(self, cid: int | None) -> GlyphShape | None:
        """The outline a code draws, in em units (``None`` without a program or glyph)."""
        if cid is None or self.program is None:
            return None
        if not isinstance(self.font, PDFCIDFont):
            name = self._simple_glyph_name(cid)
            return self._shape_of_name(name) if name else None
        return self._shape_of_gid(self.gid(cid))

    def _shape_of_gid(self, gid: int) -> GlyphShape | None:
        if gid not in self._shapes:
            order = self.program.glyph_order if self.program is not None else []
            self._shapes[gid] = self._shape_of_name(order[gid]) if 0 < gid < len(order) else None
        return self._shapes[gid]

    def _shape_of_name(self, name: str) -> GlyphShape | None:
        program = self.program
        advance = program.advances.get(name) if program.advances else None
        return read_shape(program.glyph_set, name, program.units_per_em, advance)

    def summary(self) -> dict:
        """The font and the verdict on its map, for the ``fonts`` table."""
        program = self.program
        kind = "none" if program is None else ("cff" if program.ttfont is None else "truetype")
        return {
            "base_font": base_name(getattr(self.font, "basefont", "") or self.key),
            "font_type": "cid" if isinstance(self.font, PDFCIDFont) else "simple",
            "program": kind,
            "map_verdict": self.map_verdict,
            "reasons": "; ".join(filter(None, [self.note, *self.reasons])) or None,
        }

    def _draws_nothing(self, gid: int) -> bool:
        """Whether the glyph's outline is empty; drawn when first asked, since a
        full embedded CJK font has 20,000 glyphs and a page uses a few hundred."""
        empty = self._empty.get(gid)
        if empty is None:
            order = self.program.glyph_order if self.program is not None else []
            empty = self._empty[gid] = 0 < gid < len(order) and self.program.draws_nothing(order[gid])
        return empty

    def _empty_glyph_verdict(self, gid: int) -> GlyphVerdict | None:
        """An empty outline is no character, unless the map calls it a space or a letter;
        a visible outline mapped to a space is some character the map lost."""
        if self.code_to_gid is None:
            return None
        text = self._mapped.get(gid)
        if text is not None and text.isspace():
            if self.map_verdict == "trusted" and 0 < gid < len(self.program.glyph_order) and not self._draws_nothing(gid):
                return GlyphVerdict(UNRESOLVED, "visible_glyph_mapped_to_space", 0.0)
            return None
        if text is not None and looks_like_language(text) and not _is_bracket(text):
            return None  # an empty glyph mapped to a letter is odd but not proof (and is not drawn to find out)
        if not self._draws_nothing(gid):
            return None
        advance = self.program.advance(self.program.glyph_order[gid])
        return GlyphVerdict(" " if advance else "", "empty_glyph_not_a_character", EMPTY_OUTLINE_CONFIDENCE)

    def _map_cannot_be_right(self, gid: int, text: str | None) -> bool:
        """No text, U+FFFD, no language, or a space for a glyph that draws ink: a name beats that
        however little the rest of the map agrees with the names."""
        if text is None or text == UNRESOLVED or not looks_like_language(text):
            return True
        return text.isspace() and not self._draws_nothing(gid)

    def _map_is_wrong(self, gid: int, char: str, kind: str, text: str, glyphs: GlyphMap, claims: Counter) -> bool:
        """Whether a disagreement between name and map is a defect of the map.

        Adobe Glyph List names and the program's own cmap are unambiguous,
        so they win.  A CID name wins
        where the map cannot be right: a visible glyph mapped to a space, a
        code point that is not language, a character claimed by two glyphs,
        or one letter or kanji given for another.  Punctuation that the
        Adobe-Japan1 table writes differently (～/〜) keeps the map's choice.
        """
        if kind in ("agl", "cmap", "outline"):
            return True
        if not looks_like_language(text) or (text.isspace() and not self._draws_nothing(gid)):
            return True
        if claims[text] > 1:
            return True
        return unicodedata.category(char)[0] == "L" and unicodedata.category(text)[0] == "L"

    def _symbol_verdict(self, cid: int, extracted: str) -> GlyphVerdict | None:
        """A symbol font's glyph through the font's published encoding, never by its shape.

        The code is the PDF's own byte for a simple font; in a Type0 font the
        code is a glyph id, so only text that still carries the symbol code
        (Word's U+F0xx, or the ASCII letter of the code) is decoded, and text
        that is already a symbol is left as it is.
        """
        simple = not isinstance(self.font, PDFCIDFont)
        carries_code = not extracted or extracted.startswith("(cid:") or extracted == UNRESOLVED
        carries_code = carries_code or (len(extracted) == 1 and (extracted.isascii() or 0xF000 <= ord(extracted) <= 0xF0FF))
        if not carries_code:
            return None
        if simple:
            code = symbol_code(extracted, cid)
        else:
            code = symbol_code(extracted, ord(extracted) if len(extracted) == 1 and extracted.isascii() else None)
        char = decode_symbol(self.symbol_family, code) if code is not None else None
        if char is None:
            return GlyphVerdict(UNRESOLVED, "symbol_font_code_unknown", 0.0) if not extracted.isspace() else None
        return GlyphVerdict(char, "symbol_font_table", NAME_CONFIDENCE) if char != extracted else None

    def glyph_name(self, cid: int) -> str | None:
        """The program's name for the glyph a code draws (to render it), if any."""
        if self.program is None:
            return None
        if not isinstance(self.font, PDFCIDFont):
            return self._simple_glyph_name(cid)
        gid = self.gid(cid)
        return self.program.glyph_order[gid] if 0 < gid < len(self.program.glyph_order) else None

    def _simple_glyph_name(self, code: int) -> str | None:
        """A simple font's glyph for a code: the name its encoding gives the decoded text."""
        text = self._mapped_text(code)
        name = agl.UV2AGL.get(ord(text)) if text and len(text) == 1 else None
        if name in self.program.glyph_order:
            return name
        fallback = f"c{code}"  # subsetters name unencoded glyphs by their code
        return fallback if fallback in self.program.glyph_order else None

    def verdict_for(self, cid: int | None, extracted: str, width: float) -> GlyphVerdict | None:
        """The verdict on one drawn glyph, given what was extracted and its drawn width."""
        if cid is None:
            return None
        if self.symbol_family:
            return self._symbol_verdict(cid, extracted)
        gid = self.gid(cid)
        known = self.verdicts.get(gid)
        if known is None and gid not in self._asked_empty:
            self._asked_empty.add(gid)
            known = self._empty_glyph_verdict(gid)
            if known is not None:
                self.verdicts[gid] = known
        if known is not None:
            return known
        if self.ghost_from is not None and (gid == 0 or gid >= self.ghost_from) and cid and width < 0.01:
            return GlyphVerdict("", "ghost_glyph", GHOST_CONFIDENCE)
        unmapped = extracted.startswith("(cid:") or extracted == UNRESOLVED
        if self.cid_table and unmapped and cid in self.cid_table:
            return GlyphVerdict(self.cid_table[cid], "adobe_japan1_cid", NAME_CONFIDENCE)
        if unmapped and (text := self._horizontal_text(gid)):
            return GlyphVerdict(text, "vertical_form_of_mapped_glyph", NAME_CONFIDENCE)
        return None

    def _horizontal_gid(self, gid: int) -> int | None:
        if self._horizontal is None:
            program = self.program
            order = {name: number for number, name in enumerate(program.glyph_order)} if program is not None else {}
            pairs = horizontal_forms(program.ttfont) if program is not None else {}
            self._horizontal = {order[v]: order[h] for v, h in pairs.items() if v in order and h in order}
        return self._horizontal.get(gid)

    def _horizontal_text(self, gid: int) -> str | None:
        """The text of the horizontal glyph a vertical form stands for, where the map or a name gives it."""
        horizontal = self._horizontal_gid(gid)
        if horizontal is None:
            return None
        verdict = self.verdicts.get(horizontal)
        if verdict is not None:
            return verdict.text if verdict.confidence >= NAME_CONFIDENCE and verdict.text not in ("", UNRESOLVED) else None
        text = self._mapped.get(horizontal)
        return text if text and looks_like_language(text) and not text.isspace() else None

    def reading_shape(self, cid: int | None) -> GlyphShape | None:
        """The outline to read a glyph by: a vertical form's horizontal glyph, or the form turned back."""
        shape = self.shape(cid)
        if shape is None or not isinstance(self.font, PDFCIDFont):
            return shape
        horizontal = self._horizontal_gid(self.gid(cid))
        if horizontal is None:
            return shape
        flat = self._shape_of_gid(horizontal)
        return flat if flat is not None and not flat.empty else turned_back(shape)


def _preferred(chars: set[str]) -> str:
    """The reading to write: a unified ideograph or plain character first."""
    return min(chars, key=lambda char: (_preference(char), ord(char)))


def _preference(char: str) -> int:
    code = ord(char)
    if 0x2E80 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF or 0xE000 <= code <= 0xF8FF:
        return 2  # radicals, compatibility ideographs, private use: last resort
    return 1 if unicodedata.category(char) in ("Zs", "Cc", "Cf") else 0


def _cid_numbers(order: list[str]) -> list[int | None]:
    """CIDs from a CID-keyed CFF's glyph names (``cid01234``; .notdef is CID 0)."""
    numbers: list[int | None] = []
    for name in order:
        digits = name[3:] if name.startswith("cid") else ""
        numbers.append(int(digits) if digits.isdigit() else (0 if name == ".notdef" else None))
    return numbers


def _same(a: str, b: str) -> bool:
    """Equal, or the same character up to compatibility forms (⽇ and 日)."""
    return a == b or unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b)


def _is_bracket(text: str) -> bool:
    return unicodedata.category(text[0]) in ("Ps", "Pe", "Pi", "Pf")


def _share(test, values) -> float:
    values = list(values)
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0
