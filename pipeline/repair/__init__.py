"""Repair stage: undo mojibake and broken font maps, logging every change.

Order matters: duplicates from fake bold go first (so that one glyph is
judged once), then per-font map repairs, then code-point checks, then
ftfy over the line's text.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.records import Line, Repair
from pipeline.repair.font_maps import repair_font_maps
from pipeline.repair.glyphs import UNRESOLVED, drop_fake_bold, fix_code_points, fix_line_encoding


def repair_lines(lines: list[Line]) -> tuple[list[Line], list[Repair]]:
    """Repaired copies of ``lines`` and the repairs made, in page order."""
    repairs: list[Repair] = []
    repaired: list[Line] = []
    for line in lines:
        chars = drop_fake_bold(line.chars, repairs)
        chars = repair_font_maps(chars, repairs)
        chars = fix_code_points(chars, repairs)
        chars = fix_line_encoding(chars, repairs)
        if chars:
            repaired.append(replace(line, chars=chars))
    return repaired, repairs


__all__ = ["repair_lines", "UNRESOLVED"]
