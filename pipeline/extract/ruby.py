"""Ruby (furigana, ルビ) beside vertical text: found by size and place, kept out of the line, attached to its base.

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
"""

from __future__ import annotations

from pipeline.records import Box, Char, Ruby, is_wide
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
