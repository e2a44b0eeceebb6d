"""Vertical Japanese text (縦書き): find it, and read it top to bottom, right to left.

Two kinds of evidence say a glyph is set vertically.  A font with a
vertical CMap (``Identity-V``, ``UniJIS-UCS2-V``) is vertical by
definition.  Other writers place each glyph of an upright font one under
the other; on a grid of kanji the page geometry alone cannot tell columns
from lines, but the drawing order can: consecutive glyphs that step down by
about one em at the same x are a column.

Titles set along a tilted baseline are found the same way (glyphs that
step right and rise or fall by the same amount each time) and kept as one
line in drawing order.

A vertical line is a column of glyphs; columns whose extents overlap in
height form a tier (段), tiers are read top to bottom and, within a tier,
columns right to left.
"""

from __future__ import annotations

from pipeline.records import Char, Line
from pipeline.settings import LAYOUT, LayoutSettings


def split_vertical(
    chars: list[Char], settings: LayoutSettings = LAYOUT
) -> tuple[list[Char], list[Char], list[list[Char]]]:
    """``chars`` (in drawing order) split into horizontal glyphs, vertical
    glyphs, and slanted lines (runs set along a tilted baseline)."""
    is_vertical = [char.vertical_font for char in chars]
    slanted: list[list[Char]] = []
    taken: set[int] = set()
    for step, mark in ((_steps_down, "down"), (_steps_slanted, "slant")):
        run_start = 0
        for index in range(1, len(chars) + 1):
            continues = index < len(chars) and step(chars[index - 1], chars[index], settings)
            if continues and mark == "slant" and index - run_start >= 2:
                continues = _same_slant(chars[index - 2], chars[index - 1], chars[index], settings)
            if not continues:
                run = range(run_start, index)
                if len(run) >= settings.vertical_min_run and not taken.intersection(run):
                    if mark == "down":
                        for position in run:
                            is_vertical[position] = True
                    else:
                        slanted.append([chars[position] for position in run])
                    taken.update(run)
                run_start = index
    in_slant = {id(char) for run in slanted for char in run}
    horizontal = [c for c, v in zip(chars, is_vertical) if not v and id(c) not in in_slant]
    vertical = [c for c, v in zip(chars, is_vertical) if v and id(c) not in in_slant]
    return horizontal, vertical, slanted


def _steps_down(previous: Char, char: Char, settings: LayoutSettings) -> bool:
    """The next glyph sits right under the previous one, about an em lower."""
    size = max(previous.size, char.size, settings.min_extent)
    centre_shift = abs((previous.x0 + previous.x1) - (char.x0 + char.x1)) / 2
    drop = char.top - previous.top
    return centre_shift < settings.step_down_shift * size and settings.step_min * size < drop < settings.step_max * size


def _steps_slanted(previous: Char, char: Char, settings: LayoutSettings) -> bool:
    """The next glyph follows on the right along a tilted baseline (a rotated title)."""
    size = max(previous.size, char.size, settings.min_extent)
    advance = char.x0 - previous.x0
    rise = char.top - previous.top
    return (
        settings.step_min * size < advance < settings.step_max * size
        and settings.slant_rise_min * size < abs(rise) < settings.slant_rise_max * size
    )


def _same_slant(first: Char, second: Char, third: Char, settings: LayoutSettings) -> bool:
    size = max(first.size, settings.min_extent)
    return abs((third.top - second.top) - (second.top - first.top)) < settings.slant_tolerance * size


def vertical_tiers(chars: list[Char], settings: LayoutSettings = LAYOUT) -> list[list[Line]]:
    """Columns of vertical glyphs grouped in tiers, each in reading order.

    Tiers come top to bottom; within a tier, columns right to left.
    """
    columns: list[list[Char]] = []
    lookback = settings.column_lookback
    for char in sorted(chars, key=lambda c: (-(c.x0 + c.x1) / 2, c.top)):
        column = next((col for col in reversed(columns[max(0, len(columns) - lookback) :]) if _continues_column(col, char, settings)), None)
        if column is None:
            columns.append([char])
        else:
            column.append(char)
    lines = [Line(chars=sorted(column, key=lambda c: c.top), page=column[0].page, vertical=True) for column in columns]
    return _read_tiers(lines, settings)


def _continues_column(column: list[Char], char: Char, settings: LayoutSettings) -> bool:
    last = column[-1]
    size = max(last.size, char.size, settings.min_extent)
    same_axis = abs((last.x0 + last.x1) - (char.x0 + char.x1)) / 2 < settings.column_axis_shift * size
    return same_axis and -settings.column_overlap * size <= char.top - last.bottom < settings.column_max_gap * size


def _read_tiers(lines: list[Line], settings: LayoutSettings) -> list[list[Line]]:
    """Group columns that share a height range into tiers; read each right to left."""
    tiers: list[list[Line]] = []
    for line in sorted(lines, key=lambda line: line.top):
        tier = next((t for t in tiers if _overlaps(t, line, settings)), None)
        if tier is None:
            tiers.append([line])
        else:
            tier.append(line)
    return [sorted(tier, key=lambda line: -line.x1) for tier in sorted(tiers, key=lambda t: min(line.top for line in t))]


def _overlaps(tier: list[Line], line: Line, settings: LayoutSettings) -> bool:
    top = min(other.top for other in tier)
    bottom = max(other.bottom for other in tier)
    overlap = min(bottom, line.bottom) - max(top, line.top)
    return overlap > settings.tier_overlap * min(line.bottom - line.top, bottom - top)
