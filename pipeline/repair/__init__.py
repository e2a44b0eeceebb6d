"""Repair stage: undo mojibake and broken font maps, logging every change.

Order matters: per-font map repairs go first (they drop invisible ghost
glyphs, which would otherwise pass for a bold double of the glyph they
sit on), then duplicates from fake bold, then code-point checks, then ftfy
over the line's text.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.records import Line, Repair, final_repairs
from pipeline.repair.font_maps import FontBook, repair_font_maps
from pipeline.repair.glyphs import UNRESOLVED, drop_fake_bold, fix_code_points, fix_line_encoding


def repair_lines(lines: list[Line], fonts: FontBook | None = None) -> tuple[list[Line], list[Repair]]:
    """Repaired copies of ``lines`` and every step taken, in page order.

    ``fonts`` holds the document's fonts; without it only the text-level
    checks run.  A glyph may take several steps (its map distrusted, then
    dropped as a fake-bold copy); all are returned, and
    :func:`pipeline.records.final_repairs` says what became of each glyph.
    """
    steps: list[Repair] = []
    repaired: list[Line] = []
    for line in lines:
        chars = repair_font_maps(line.chars, fonts, steps)
        chars = drop_fake_bold(chars, steps)
        chars = fix_code_points(chars, steps)
        chars = fix_line_encoding(chars, steps)
        if chars:
            repaired.append(replace(line, chars=chars))
    return repaired, steps


__all__ = ["repair_lines", "final_repairs", "FontBook", "UNRESOLVED"]
