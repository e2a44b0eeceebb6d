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

Two or three half-width digits are set upright side by side across a
column (縦中横, JIS X 4051 §3.6): ``注12``, an item's ``(1)``.  They do not
step down, so the drawing order sees no column in them; a run of such
glyphs that fits inside a column's width is read in that column, at its
height, left to right (:func:`read_vertical`), instead of falling out of
its line to the end of the page.
"""

from __future__ import annotations

from pipeline.records import Char, Line, is_wide
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
    return read_vertical(chars, [], settings)[0]


def read_vertical(
    chars: list[Char], horizontal: list[Char], settings: LayoutSettings = LAYOUT
) -> tuple[list[list[Line]], list[Char]]:
    """The tiers of vertical columns, with each 縦中横 run read in its column; and the horizontal glyphs left.

    A 縦中横 run is a short row of upright half-width glyphs (at most
    :attr:`~LayoutSettings.upright_max_chars`) that fits inside one column:
    taken from the horizontal glyphs, or a column of its own made of
    half-width glyphs only (the run's glyphs after the first, which the
    drawing order left behind).
    """
    columns: list[list[Char]] = []
    lookback = settings.column_lookback
    for char in sorted(chars, key=lambda c: (-(c.x0 + c.x1) / 2, c.top)):
        column = next((col for col in reversed(columns[max(0, len(columns) - lookback) :]) if _continues_column(col, char, settings)), None)
        if column is None:
            columns.append([char])
        else:
            column.append(char)
    hosts = [column for column in columns if any(is_wide(c.text) for c in column)]
    kept: list[list[Char]] = list(hosts)
    for column in columns:
        if column in hosts:
            continue
        host = _host(column, hosts, settings) if len(column) <= settings.upright_max_chars else None
        if host is None:
            kept.append(column)
        else:
            host.extend(column)
    runs = _upright_runs(horizontal, settings) if hosts else []
    while runs:  # an item's number joins its column, and then the circled number above it can
        placed = [(run, _host(run, hosts, settings)) for run in runs]
        runs = [run for run, host in placed if host is None]
        if len(runs) == len(placed):
            break
        for run, host in placed:
            if host is not None:
                host.extend(run)
    lines = [Line(chars=_in_column_order(column, settings), page=column[0].page, vertical=True) for column in kept]
    taken = {id(c) for column in kept for c in column}
    return _read_tiers(lines, settings), [c for c in horizontal if id(c) not in taken]


def _upright_runs(chars: list[Char], settings: LayoutSettings) -> list[list[Char]]:
    """Rows of touching half-width, non-space glyphs on one baseline, short enough to be 縦中横; longer rows are horizontal text.

    Rows are cut where glyphs stand apart (:attr:`~LayoutSettings.upright_gap`):
    the runs of neighbouring columns, side by side at the same height, are
    two runs, not one row of text.
    """
    candidates = sorted((c for c in chars if not is_wide(c.text) and not c.text.isspace()), key=lambda c: (round(c.top), c.x0))
    runs: list[list[Char]] = []
    for char in candidates:
        last = runs[-1][-1] if runs else None
        size = max(char.size, settings.min_extent)
        if last is not None and abs(char.top - last.top) < settings.step_down_shift * size and 0 <= char.x0 - last.x1 + settings.width_tolerance < settings.upright_gap * size:
            runs[-1].append(char)
        else:
            runs.append([char])
    return [run for run in runs if len(run) <= settings.upright_max_chars]


def _host(run: list[Char], hosts: list[list[Char]], settings: LayoutSettings) -> list[Char] | None:
    """The column a 縦中横 run stands in: centred on its axis, about as wide, and no further above or below than a blank inside a column."""
    x0, x1 = min(c.x0 for c in run), max(c.x1 for c in run)
    top, bottom = min(c.top for c in run), max(c.bottom for c in run)
    for column in hosts:
        wide = [c for c in column if is_wide(c.text)]
        left = sorted(c.x0 for c in wide)[len(wide) // 2]
        right = sorted(c.x1 for c in wide)[len(wide) // 2]
        width = max(right - left, settings.min_extent)
        overhang, reach = settings.upright_overhang * width, settings.column_max_gap * width
        centred = abs((x0 + x1) - (left + right)) / 2 <= settings.column_axis_shift * width
        column_top, column_bottom = min(c.top for c in column), max(c.bottom for c in column)
        if centred and left - overhang <= x0 and x1 <= right + overhang and column_top - reach <= top and bottom <= column_bottom + reach:
            return column
    return None


def _in_column_order(column: list[Char], settings: LayoutSettings) -> list[Char]:
    """Top to bottom; glyphs side by side at one height (a 縦中横 run) left to right."""
    ordered: list[Char] = []
    cell: list[Char] = []
    for char in sorted(column, key=lambda c: c.top):
        if cell and char.top - cell[0].top >= settings.step_down_shift * max(cell[0].size, settings.min_extent):
            ordered.extend(sorted(cell, key=lambda c: c.x0))
            cell = []
        cell.append(char)
    return ordered + sorted(cell, key=lambda c: c.x0)


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
