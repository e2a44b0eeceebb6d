"""Read an embedded font program (TrueType, OpenType or bare CFF) with fontTools.

The repair stage needs the same few facts from every kind of program: the
glyphs in order with their names, the characters the program's own cmap
gives them, whether a glyph draws anything, and how wide it is.  This
module hides which kind of program answered.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

from fontTools.cffLib import CFFFontSet
from fontTools.pens.boundsPen import ControlBoundsPen
from fontTools.ttLib import TTFont

# fontTools warns about odd timestamps and tables in embedded subsets; they do not matter here.
logging.getLogger("fontTools").setLevel(logging.ERROR)


@dataclass
class FontProgram:
    glyph_order: list[str]
    glyph_set: object
    cmap_readings: dict[str, set[str]] = field(default_factory=dict)
    advances: dict[str, float] = field(default_factory=dict)
    ttfont: TTFont | None = None  # the TrueType/OpenType program, for outline comparison
    cid_keyed: bool = False  # CFF whose glyphs are named by CID (cid01234)
    registry_ordering: str | None = None  # the CFF's own ROS, e.g. Adobe-Japan1
    units_per_em: float = 1000.0  # font units in one em, to draw glyphs of different fonts alike

    def draws_nothing(self, name: str) -> bool:
        """A glyph without contours: a space, whatever the map says it is."""
        if self.ttfont is not None and "glyf" in self.ttfont:
            # TrueType says it in the glyph's header: no data, or zero contours
            glyph = self.ttfont["glyf"].glyphs.get(name)
            data = getattr(glyph, "data", None)
            if data is not None:
                return len(data) < 2 or data[:2] == b"\x00\x00"
        try:
            pen = ControlBoundsPen(self.glyph_set)
            self.glyph_set[name].draw(pen)
            return pen.bounds is None
        except Exception:
            return False

    def advance(self, name: str) -> float:
        return self.advances.get(name, 1.0)


def load_program(data: bytes) -> FontProgram:
    """Parse an embedded font program; raises if fontTools cannot read it."""
    if data[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf"):
        return _from_sfnt(TTFont(io.BytesIO(data), lazy=True))
    return _from_cff(data)


def _from_sfnt(font: TTFont) -> FontProgram:
    order = font.getGlyphOrder()
    readings: dict[str, set[str]] = {}
    try:
        best = font.getBestCmap() if "cmap" in font else None
    except Exception:
        best = None
    for code, name in (best or {}).items():
        readings.setdefault(name, set()).add(chr(code))
    advances = {name: float(width) for name, (width, _) in font["hmtx"].metrics.items()} if "hmtx" in font else {}
    units = float(font["head"].unitsPerEm) if "head" in font and font["head"].unitsPerEm else 1000.0
    return FontProgram(order, font.getGlyphSet(), readings, advances, ttfont=font, units_per_em=units)


def _from_cff(data: bytes) -> FontProgram:
    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(data), None)
    top = fonts[fonts.fontNames[0]]
    order = list(top.charset)
    ros = getattr(top, "ROS", None)
    ordering = f"{ros[0]}-{ros[1]}" if ros else None
    return FontProgram(order, top.CharStrings, cid_keyed=ros is not None, registry_ordering=ordering, units_per_em=_cff_units_per_em(top))


def _cff_units_per_em(top) -> float:
    """Font units per em from the FontMatrix; a CID-keyed font's matrix is its FD's times the top dict's."""
    try:
        scale = float(top.rawDict.get("FontMatrix", [0.001])[0])
        if hasattr(top, "FDArray") and len(top.FDArray):
            scale *= float(top.FDArray[0].rawDict.get("FontMatrix", [1.0])[0])
        units = 1.0 / abs(scale)
    except (TypeError, ValueError, ZeroDivisionError, AttributeError, IndexError):
        return 1000.0
    return units if 100.0 <= units <= 20000.0 else 1000.0
