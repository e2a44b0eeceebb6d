"""Repair stage: undo mojibake and broken font maps, logging every change.

Order matters: per-font map repairs go first (they drop invisible ghost
glyphs, which would otherwise pass for a bold double of the glyph they
sit on), then duplicates from fake bold, then code-point checks, then ftfy
over the line's text.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.records import Line, Repair
from pipeline.repair.font_maps import FontBook, repair_font_maps
from pipeline.repair.glyphs import UNRESOLVED, drop_fake_bold, fix_code_points, fix_line_encoding


def repair_lines(lines: list[Line], fonts: FontBook | None = None) -> tuple[list[Line], list[Repair]]:
    """Repaired copies of ``lines`` and the repairs made, in page order.

    ``fonts`` holds the document's fonts; without it only the text-level
    checks run.
    """
    repairs: list[Repair] = []
    repaired: list[Line] = []
    for line in lines:
        steps: list[Repair] = []
        chars = repair_font_maps(line.chars, fonts, steps)
        chars = drop_fake_bold(chars, steps)
        chars = fix_code_points(chars, steps)
        chars = fix_line_encoding(chars, steps)
        repairs.extend(final_repairs(steps))
        if chars:
            repaired.append(replace(line, chars=chars))
    return repaired, repairs


def final_repairs(steps: list[Repair]) -> list[Repair]:
    """One row per glyph: its last repair, with what the PDF first gave as ``raw``.

    A glyph can pass several steps (its map distrusted, then dropped as a
    fake-bold copy); the row says what became of it, not each step.
    """
    rows: dict[tuple, Repair] = {}
    for step in steps:
        place = (step.page, step.x0, step.top, step.x1, step.bottom)
        first = rows.get(place)
        rows[place] = step if first is None else replace(step, raw=first.raw)
    return list(rows.values())


__all__ = ["repair_lines", "FontBook", "UNRESOLVED"]
