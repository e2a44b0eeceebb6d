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

from pipeline.extract.ruby import attach_ruby, column_frame, is_ruby_of
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
    """The tiers of vertical columns, with each 縦中横 run read in its column and ruby kept apart; and the horizontal glyphs left.

    A 縦中横 run is a short row of upright half-width glyphs (at most
    :attr:`~LayoutSettings.upright_max_chars`) that fits inside one column:
    taken from the horizontal glyphs, or a column of its own made of
    half-width glyphs only (the run's glyphs after the first, which the
    drawing order left behind).  Ruby beside a column
    (:mod:`pipeline.extract.ruby`) leaves the text and is kept on the
    column's line; a full-size glyph standing alone on the column's axis
    (the drawing order broke the column at its ruby) returns to it.
    """
    columns: list[list[Char]] = []
    lookback = settings.column_lookback
    for char in sorted(chars, key=lambda c: (-(c.x0 + c.x1) / 2, c.top)):
        column = next((col for col in reversed(columns[max(0, len(columns) - lookback) :]) if _continues_column(col, char, settings)), None)
        if column is None:
            columns.append([char])
        else:
            column.append(char)
    wide_columns = [column for column in columns if any(is_wide(c.text) for c in column)]
    # a column of small type beside a larger one may be its ruby: decided once the larger one is whole
    maybe_ruby = [column for column in wide_columns if any(other is not column and is_ruby_of(column, other, settings, anywhere=True) for other in wide_columns)]
    hosts: list[list[Char]] = [column for column in wide_columns if not any(column is other for other in maybe_ruby)]
    kept: list[list[Char]] = list(hosts)
    for column in columns:
        if any(is_wide(c.text) for c in column):
            continue
        host = _host(column, hosts, settings) if len(column) <= settings.upright_max_chars else None
        if host is None:
            kept.append(column)
        else:
            host.extend(column)
    ruby: dict[int, list[Char]] = {}  # id(host column) -> its ruby glyphs
    pending = [c for c in horizontal if not c.text.isspace()] if hosts else []
    pieces = [column for column in maybe_ruby] + [[char] for char in pending]
    while pieces:  # each glyph placed lets the next one find its column: ruby, 縦中横, a glyph the drawing order left out
        before = len(pieces)
        left_over = []
        for piece in pieces:
            owner = next((host for host in hosts if is_ruby_of(piece, host, settings)), None)
            if owner is None:
                left_over.append(piece)
            else:
                ruby.setdefault(id(owner), []).extend(piece)
        loose = {id(c) for piece in left_over if len(piece) == 1 for c in piece}
        runs = _upright_runs([c for c in pending if id(c) in loose], settings)
        placed = {id(c) for run in runs for c in run if _host(run, hosts, settings) is not None}
        for run in runs:
            host = _host(run, hosts, settings) if id(run[0]) in placed else None
            if host is not None:
                host.extend(run)
        pieces = [piece for piece in left_over if not (len(piece) == 1 and id(piece[0]) in placed)]
        if len(pieces) == before:
            break
    kept.extend(piece for piece in pieces if len(piece) > 1 or any(piece is column for column in maybe_ruby))
    lines = []
    for column in kept:
        ordered = _in_column_order(column, settings)
        readings = attach_ruby(ordered, ruby.get(id(column), []), settings)
        lines.append(Line(chars=ordered, page=column[0].page, vertical=True, ruby=readings))
    taken = {id(c) for column in kept for c in column} | {id(c) for glyphs in ruby.values() for c in glyphs}
    return _read_tiers(lines, settings), [c for c in horizontal if id(c) not in taken]


def _upright_runs(chars: list[Char], settings: LayoutSettings) -> list[list[Char]]:
    """Runs of touching half-width glyphs, short enough to be 縦中横, and full-width glyphs standing alone.

    Glyphs on one line (their heights overlap by half) that touch (a gap
    under :attr:`~LayoutSettings.upright_gap`) form a run: the runs of
    neighbouring columns at the same height stand apart, and are two.  A
    run is 縦中横 when it is all half-width, no longer than
    :attr:`~LayoutSettings.upright_max_chars`, and no full-width glyph on
    its line stands within an em (then it is part of a horizontal line of
    text: ``平成20年``).  A full-width glyph with no glyph on its line within
    an em is a column's glyph the drawing order left out.
    """
    glyphs = sorted((c for c in chars if not c.text.isspace()), key=lambda c: c.x0)
    band = 8.0
    lines_at: dict[int, list[int]] = {}
    for index, char in enumerate(glyphs):
        lines_at.setdefault(int(char.middle // band), []).append(index)

    def neighbours(index: int, within: float):
        char = glyphs[index]
        key = int(char.middle // band)
        for other_index in (i for k in range(key - 2, key + 3) for i in lines_at.get(k, ())):
            other = glyphs[other_index]
            if other_index == index:
                continue
            height = max(min(char.bottom - char.top, other.bottom - other.top), settings.min_extent)
            if min(char.bottom, other.bottom) - max(char.top, other.top) < 0.5 * height:
                continue
            gap = max(other.x0 - char.x1, char.x0 - other.x1)
            if gap < within:
                yield other_index, gap

    group = list(range(len(glyphs)))

    def find(index: int) -> int:
        while group[index] != index:
            group[index] = group[group[index]]
            index = group[index]
        return index

    for index, char in enumerate(glyphs):
        touch = settings.upright_gap * max(char.size, settings.min_extent)
        for other_index, gap in neighbours(index, touch):
            group[find(index)] = find(other_index)
    members: dict[int, list[int]] = {}
    for index in range(len(glyphs)):
        members.setdefault(find(index), []).append(index)
    runs = []
    for indices in members.values():
        run = [glyphs[i] for i in sorted(indices, key=lambda i: glyphs[i].x0)]
        em = max(max(c.size for c in run), settings.min_extent)
        near = {other for i in indices for other, _ in neighbours(i, em)} - set(indices)
        if len(run) == 1 and is_wide(run[0].text):
            if not near:
                runs.append(run)
        elif len(run) <= settings.upright_max_chars and not any(is_wide(c.text) for c in run):
            if not any(is_wide(glyphs[other].text) for other in near):
                runs.append(run)
    return runs


def _host(run: list[Char], hosts: list[list[Char]], settings: LayoutSettings) -> list[Char] | None:
    """The column a 縦中横 run stands in: centred on its axis, about as wide, and no further above or below than a blank inside a column."""
    x0, x1 = min(c.x0 for c in run), max(c.x1 for c in run)
    top, bottom = min(c.top for c in run), max(c.bottom for c in run)
    for column in hosts:
        left, right, _, _, size = column_frame(column, settings)
        width = max(right - left, settings.min_extent)
        overhang, reach = settings.upright_overhang * width, settings.column_max_gap * width
        centred = abs((x0 + x1) - (left + right)) / 2 <= settings.column_axis_shift * width
        if any(is_wide(c.text) for c in run) and not all(abs(c.size - size) <= settings.column_axis_shift * size for c in run):
            continue  # a full-width glyph returns to a column only in the column's type size
        if min(c.size for c in run) < settings.ruby_size_ratio * size:
            continue  # small type by a column is ruby or a label, not 縦中横
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
