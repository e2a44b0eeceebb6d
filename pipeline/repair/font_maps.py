"""Font-level repairs from the PDF's own evidence (fonts, ToUnicode maps, shapes).

This is where broken font maps are undone per font: space glyphs mapped to
``「``, ``・`` mapped to a space, glyph ids given as code points, accented
Latin letters mapped to other letters, glyphs with no map at all.  Each
repair reads the embedded font program and the consistency of its map,
learns per font (a glyph identified once is identified everywhere the font
is used) and logs what it changed.  Until those repairs exist, the glyphs
they would fix pass through unchanged, and the code-point checks of
:mod:`pipeline.repair.glyphs` keep whatever is plainly unreadable visible as
U+FFFD.
"""

from __future__ import annotations

from pipeline.records import Char, Repair


def repair_font_maps(chars: list[Char], repairs: list[Repair]) -> list[Char]:
    """Apply the per-font repairs learned for this document (none yet)."""
    return chars
