"""Identify nameless glyphs by their outline in an installed copy of the same font.

A subset embedded in a PDF keeps each glyph's outline exactly as in the
full font, but may keep neither its name nor its code point.  When the
same font (by PostScript name, the subset tag ``ABCDEF+`` removed) is
installed on the machine, a glyph whose outline matches point for point
is that font's character for it: evidence as strong as a name.

Fonts are looked up in the usual font folders (Debian's packages such as
fonts-morisawa-bizud-gothic, fonts-ipaexfont, fonts-liberation2 put them
there).  Without the font installed, nothing is learned and the glyph goes
on to shape recognition.
"""

from __future__ import annotations

import functools
import logging
import os
import struct
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

log = logging.getLogger(__name__)

FONT_FOLDERS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".fonts",
    Path.home() / ".local" / "share" / "fonts",
)
_SUFFIXES = {".ttf", ".otf", ".ttc"}


def base_name(pdf_font_name: str) -> str:
    """``WHAJRZ+BIZUDPGothic-Regular`` -> ``BIZUDPGothic-Regular``."""
    head, plus, tail = pdf_font_name.partition("+")
    return tail if plus and len(head) == 6 and head.isupper() else pdf_font_name


#: Set to 0 to hide installed fonts from the repair stage: the case of a user who has none of a newsletter's fonts.
REFERENCE_FONTS_SWITCH = "NEWSLETTER_EXTRACT_REFERENCE_FONTS"


def reference_fonts_enabled() -> bool:
    return os.environ.get(REFERENCE_FONTS_SWITCH, "1").strip().lower() not in ("0", "no", "off", "false")


@functools.lru_cache(maxsize=1)
def installed_fonts() -> dict[str, tuple[Path, int]]:
    """PostScript name -> (file, index in a collection) for every installed font (none when switched off)."""
    found: dict[str, tuple[Path, int]] = {}
    if not reference_fonts_enabled():
        return found
    extra = os.environ.get("NEWSLETTER_EXTRACT_FONT_DIRS", "")
    folders = [Path(p) for p in extra.split(os.pathsep) if p] + list(FONT_FOLDERS)
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in _SUFFIXES:
                continue
            try:
                fonts = TTCollection(path, lazy=True).fonts if path.suffix.lower() == ".ttc" else [TTFont(path, lazy=True)]
            except Exception:
                continue
            for index, font in enumerate(fonts):
                try:
                    name = font["name"].getDebugName(6)
                except Exception:
                    name = None
                if name and name not in found:
                    found[name] = (path, index)
    return found


class ReferenceFont:
    """An installed font, indexed by outline for the glyphs asked about."""

    def __init__(self, path: Path, index: int):
        self.font = TTFont(path, fontNumber=index, lazy=True)
        # Glyphs are known here by number only: names made up from the ids spare
        # decoding the 'post' table's 14,000 names (50 ms a CJK font); cmap and
        # glyf then refer to the same made-up names.
        self.font.setGlyphOrder([f"gid{number}" for number in range(self.font["maxp"].numGlyphs)])
        self._by_box: dict[tuple, list[str]] | None = None
        self._char_of: dict[str, str] = {}

    def _index(self) -> dict[tuple, list[str]]:
        if self._by_box is None:
            self._by_box = {}
            boxes = _boxes_from_headers(self.font) if "glyf" in self.font.reader else {}
            for code, name in sorted(self.font.getBestCmap().items()):
                if name in self._char_of:
                    continue
                self._char_of[name] = chr(code)
                if name in boxes:
                    self._by_box.setdefault(boxes[name], []).append(name)
        return self._by_box

    def char_for(self, glyf_table, name: str, advance: float | None = None) -> str | None:
        """The character whose outline in this font equals ``name``'s in ``glyf_table``.

        Where several characters share the outline, ``advance`` (the
        subset's own, in font units) keeps those set on the same width: in
        a proportional font ) and ） are drawn alike half an em apart.
        """
        if "glyf" not in self.font:
            return None
        try:
            candidates = self._index().get(_box(glyf_table, name), [])
            wanted = _outline(glyf_table, name)
        except Exception:
            return None
        glyf = self.font["glyf"]
        same = [c for c in candidates if _outline(glyf, c) == wanted]
        if advance is not None and len({self._char_of[c] for c in same}) > 1 and "hmtx" in self.font:
            metrics = self.font["hmtx"].metrics
            same = [c for c in same if metrics.get(c, (None,))[0] == advance] or same
        return _one_reading({self._char_of[c] for c in same})


@functools.lru_cache(maxsize=16)
def reference_for(pdf_font_name: str) -> ReferenceFont | None:
    located = installed_fonts().get(base_name(pdf_font_name))
    if located is None:
        return None
    try:
        return ReferenceFont(*located)
    except Exception as error:
        log.debug("reference font %s unreadable: %s", located, error)
        return None


def _one_reading(matches: set[str]) -> str | None:
    """One character for an outline several code points share, if they are one character.

    ``1`` and full-width ``１`` may be drawn alike in a proportional font;
    when every candidate folds to the same character under NFKC, that
    plain character is the reading.  Different characters: no verdict.
    """
    if len(matches) == 1:
        return next(iter(matches))
    folded = {unicodedata.normalize("NFKC", char) for char in matches}
    if len(folded) == 1:
        plain = folded.pop()
        return plain if len(plain) == 1 else None
    return None


def _box(glyf, name: str) -> tuple:
    """Contour count and bounding box: read from the glyph's 10-byte header when
    it is still packed, which spares expanding every glyph of a large CJK font."""
    glyph = glyf.glyphs.get(name) if hasattr(glyf, "glyphs") else None
    data = getattr(glyph, "data", None) if glyph is not None else None
    if data is not None:
        return _header_box(data, 0, len(data))
    glyph = glyf[name]
    contours = getattr(glyph, "numberOfContours", 0)
    if not contours:
        return (0,)
    return (contours, glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax)


def _boxes_from_headers(font: TTFont) -> dict[str, tuple]:
    """:func:`_box` of every glyph, read from the raw ``glyf`` bytes through ``loca``.

    Indexing a 10,000-glyph CJK font glyph by glyph through fontTools took a
    tenth of a second per font; the headers read directly take a few
    milliseconds, with the same values.
    """
    data = font.reader["glyf"]
    offsets = font["loca"]
    boxes: dict[str, tuple] = {}
    for gid, name in enumerate(font.getGlyphOrder()):
        if gid + 1 >= len(offsets):
            break
        boxes[name] = _header_box(data, offsets[gid], offsets[gid + 1])
    return boxes


def _header_box(data: bytes, start: int, end: int) -> tuple:
    """A packed glyph's contour count and box from its 10-byte header; ``(0,)`` when it draws nothing."""
    if end - start < 10:
        return (0,)
    contours, *box = struct.unpack_from(">hhhhh", data, start)
    return (contours, *box) if contours else (0,)


def _outline(glyf, name: str) -> tuple:
    coordinates, ends, flags = glyf[name].getCoordinates(glyf)
    return (tuple(coordinates), tuple(ends), tuple(f & 1 for f in flags))
