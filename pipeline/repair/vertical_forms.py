"""Vertical forms of glyphs, traced back to their horizontal glyph through the font's own GSUB.

In vertical text (縦書き) a Japanese font draws some characters with other
glyphs: the long vowel mark, dashes, brackets and small kana turned or
shifted for the column.  OpenType says which in the ``vert`` and ``vrt2``
features of the GSUB table (single substitutions: horizontal glyph →
vertical glyph).  Generators often leave those vertical glyphs out of
the ToUnicode map, so they extract as ``(cid:N)``; the font program still
says which horizontal glyph each one stands for, and the horizontal glyph
is mapped, named or readable.  A vertical form is the horizontal glyph
turned a quarter clockwise, so turning it back gives the shape to read.
"""

from __future__ import annotations

from pipeline.repair.glyph_shapes import GlyphShape

VERTICAL_FEATURES = ("vert", "vrt2")


def horizontal_forms(ttfont) -> dict[str, str]:
    """Vertical glyph name -> horizontal glyph name, from the program's vert/vrt2 lookups."""
    if ttfont is None or "GSUB" not in ttfont:
        return {}
    try:
        table = ttfont["GSUB"].table
        lookups = {
            index
            for record in table.FeatureList.FeatureRecord
            if record.FeatureTag in VERTICAL_FEATURES
            for index in record.Feature.LookupListIndex
        }
        found: dict[str, str] = {}
        for index in sorted(lookups):
            for subtable in table.LookupList.Lookup[index].SubTable:
                subtable = getattr(subtable, "ExtSubTable", subtable)
                for horizontal, vertical in (getattr(subtable, "mapping", None) or {}).items():
                    found.setdefault(vertical, horizontal)
        return found
    except Exception:  # a damaged GSUB is no evidence
        return {}


def turned_back(shape: GlyphShape) -> GlyphShape:
    """The vertical form turned a quarter anticlockwise about the em's centre: the horizontal glyph's look."""
    centre_x, centre_y = 0.5, 0.38  # the ideographic em box: 0 to 1 across, -0.12 to 0.88 up
    contours = tuple(
        tuple((centre_x - (y - centre_y), centre_y + (x - centre_x)) for x, y in contour) for contour in shape.contours
    )
    return GlyphShape(contours, shape.advance)
