"""Ruby (furigana, ルビ) beside vertical text and above horizontal text: found by size and place, kept out of the line, attached to its base.

Ruby gives the reading of a rare kanji (褥瘡 じよくそう) in kana set at
about half the base's size (the usual setting, and JIS X 4051's) in a
narrow column just right of the base column.  Read as
text it makes junk lines of single kana (``が ん``), and the drawing order,
base glyph, ruby, base glyph, breaks the base column, so its glyphs fall
out of their line.

Here a column's ruby is every glyph that is small against the column (at
most :attr:`~LayoutSettings.ruby_size_ratio` of its size), stands in the
strip just right of it (:attr:`~LayoutSettings.ruby_offset`), and within
its height.  Touching ruby glyphs form one reading, whose base is the
column's glyphs beside it; the line keeps it as a :class:`Ruby` record.

Over horizontal text ruby stands in the line gap above its base, centred
on the base word (group ruby, JIS X 4051), and the layout reads it as a
line of its own: a line of small kana.  :func:`take_horizontal_ruby` takes
such a line out when it stands just above a line of base type at least
``1 / ruby_size_ratio`` its size (:attr:`~LayoutSettings.ruby_above_gap`)
and each of its readings stands over base glyphs that hold a kanji; the
readings go on the base line.  A line that fails any test stays text.
Readings of neighbouring words that touch are read as one reading over both.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from pipeline.records import Box, Char, Line, Ruby, is_wide
from pipeline.settings import LAYOUT, LayoutSettings


def column_frame(column: list[Char], settings: LayoutSettings = LAYOUT) -> tuple[float, float, float, float, float]:
    """A column's em box and extent: (left, right, top, bottom, size), from its full-width glyphs' middle values."""
    wide = [c for c in column if is_wide(c.text)] or column
    left = sorted(c.x0 for c in wide)[len(wide) // 2]
    right = sorted(c.x1 for c in wide)[len(wide) // 2]
    size = sorted(c.size for c in wide)[len(wide) // 2]
    return left, right, min(c.top for c in column), max(c.bottom for c in column), max(size, settings.min_extent)


def is_ruby_of(glyphs: list[Char], column: list[Char], settings: LayoutSettings = LAYOUT, anywhere: bool = False) -> bool:
    """Whether ``glyphs`` are small type just right of ``column``, within its height (at any height with ``anywhere``): its ruby."""
    left, right, top, bottom, size = column_frame(column, settings)
    width = max(right - left, settings.min_extent)
    if max(c.size for c in glyphs) > settings.ruby_size_ratio * size:
        return False
    if not all(is_wide(c.text) for c in glyphs):
        return False  # furigana are kana (full-width letters); small half-width digits beside a column are 縦中横 or notes
    x0, x1 = min(c.x0 for c in glyphs), max(c.x1 for c in glyphs)
    beside = right - settings.ruby_offset * width <= x0 and x1 <= right + (settings.ruby_size_ratio + settings.ruby_offset) * width
    reach = settings.column_max_gap * width  # as far as a blank inside a column
    within = anywhere or (top - reach <= min(c.top for c in glyphs) and max(c.bottom for c in glyphs) <= bottom + reach)
    return beside and within


def attach_ruby(column: list[Char], ruby: list[Char], settings: LayoutSettings = LAYOUT) -> tuple[Ruby, ...]:
    """The column's ruby glyphs grouped into readings, each with the column glyphs it reads.

    ``column`` is in reading order.  Glyphs that touch (a gap under half
    their size) are one reading; its base is every column glyph that
    stands more than half beside it (ruby longer than its base overhangs
    its neighbours by less; shorter ruby is centred on its base).
    """
    groups: list[list[Char]] = []
    for glyph in sorted(ruby, key=lambda c: c.top):
        if groups and glyph.top - groups[-1][-1].bottom < 0.5 * glyph.size:
            groups[-1].append(glyph)
        else:
            groups.append([glyph])
    readings = []
    for group in groups:
        top, bottom = min(c.top for c in group), max(c.bottom for c in group)
        # more than half of a base glyph stands beside its ruby: ruby longer than its base overhangs its neighbours by less
        base = [c for c in column if not c.text.isspace() and min(bottom, c.bottom) - max(top, c.top) > 0.5 * (c.bottom - c.top)]
        if not base:
            continue
        box = Box(base[0].page, min(c.x0 for c in base), min(c.top for c in base), max(c.x1 for c in base), max(c.bottom for c in base))
        readings.append(Ruby(chars=tuple(group), base="".join(c.text for c in base), base_box=box))
    return tuple(readings)


def is_kana(text: str) -> bool:
    """Whether ``text`` is one kana (hiragana, katakana, their small forms, ー): what furigana are written in.

    >>> [is_kana(t) for t in ("ね", "ょ", "ー", "ヴ", "熱", "a")]
    [True, True, True, True, False, False]
    """
    return len(text) == 1 and ("\u3041" <= text <= "\u30ff" or "\u31f0" <= text <= "\u31ff") and text not in "\u30fb"


def _is_ideograph(text: str) -> bool:
    return bool(text) and unicodedata.name(text[0], "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))


def take_horizontal_ruby(lines: list[Line], settings: LayoutSettings = LAYOUT) -> list[Line]:
    """The page's lines with each line of ruby over horizontal text taken out and kept on its base line (:attr:`Line.ruby`).

    ``lines`` are in reading order; the base line keeps its place.
    """
    readings: dict[int, list[Ruby]] = {}
    taken: set[int] = set()
    for index, line in enumerate(lines):
        if line.vertical or line.ruby:
            continue
        glyphs = [c for c in line.chars if not c.text.isspace()]
        if not glyphs or not all(is_kana(c.text) for c in glyphs):
            continue
        base_index = _base_below(index, lines, settings)
        if base_index is None:
            continue
        found = _readings_over(lines[base_index], glyphs, settings)
        if found is None:
            continue
        readings.setdefault(base_index, []).extend(found)
        taken.add(index)
    if not taken:
        return list(lines)
    result = []
    for index, line in enumerate(lines):
        if index in taken:
            continue
        if index in readings:
            ordered = sorted(readings[index], key=lambda ruby: ruby.base_box.x0)
            line = replace(line, ruby=(*line.ruby, *ordered))
        result.append(line)
    return result


def _base_below(index: int, lines: list[Line], settings: LayoutSettings) -> int | None:
    """The line right under ``lines[index]`` that it could be the ruby of: larger type, its top within the ruby gap, under it."""
    ruby = lines[index]
    best = None
    for position, line in enumerate(lines):
        if position == index or line.vertical or line.size * settings.ruby_size_ratio < ruby.size:
            continue
        reach = settings.ruby_above_gap * line.size
        if not (-reach <= line.top - ruby.bottom <= reach):
            continue
        if line.x0 - ruby.size > ruby.x0 or ruby.x1 > line.x1 + ruby.size:
            continue  # ruby stands over its base line, overhanging its ends by less than a ruby glyph
        if best is None or abs(line.top - ruby.bottom) < abs(lines[best].top - ruby.bottom):
            best = position
    return best


def _readings_over(base_line: Line, glyphs: list[Char], settings: LayoutSettings) -> list[Ruby] | None:
    """The ruby glyphs grouped into readings, each with the base glyphs under it; None when one of them reads no kanji.

    Touching glyphs (a gap under half their size) are one reading; its
    base is every glyph of the line whose centre stands under it, less the
    kana and marks at its ends (a long reading overhangs the kana beside
    its kanji), and the reading is centred on that base (within half a base
    glyph).
    """
    groups: list[list[Char]] = []
    for glyph in sorted(glyphs, key=lambda c: c.x0):
        if groups and glyph.x0 - groups[-1][-1].x1 < 0.5 * glyph.size:
            groups[-1].append(glyph)
        else:
            groups.append([glyph])
    found = []
    for group in groups:
        x0, x1 = min(c.x0 for c in group), max(c.x1 for c in group)
        base = [c for c in base_line.chars if not c.text.isspace() and x0 <= (c.x0 + c.x1) / 2 <= x1]
        if not base or not any(_is_ideograph(c.text) for c in base):
            return None
        while not _is_ideograph(base[0].text):
            base = base[1:]  # ruby longer than its base overhangs the kana beside it (JIS X 4051), which it does not read
        while not _is_ideograph(base[-1].text):
            base = base[:-1]
        box = Box(base[0].page, min(c.x0 for c in base), min(c.top for c in base), max(c.x1 for c in base), max(c.bottom for c in base))
        if abs((x0 + x1) / 2 - (box.x0 + box.x1) / 2) > 0.5 * base_line.size:
            return None  # not centred on what stands under it
        found.append(Ruby(chars=tuple(group), base="".join(c.text for c in base), base_box=box))
    return found
