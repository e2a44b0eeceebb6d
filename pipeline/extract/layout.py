"""Group a page's glyphs into lines and put them in reading order.

pdfplumber reads a two-column page line by line across both columns.  Here
the page is first searched for a gutter: a vertical strip in the middle
that body text never crosses.  Glyphs left and right of it are grouped into
lines separately; a line whose text runs through the gutter (a full-width
heading, a footnote, the page number) is kept whole.  Reading order is then
band by band: between two full-width lines, the left column top to bottom,
then the right column.
"""

from __future__ import annotations

from bisect import insort
from collections import Counter

from pipeline.extract.vertical import read_vertical, split_vertical
from pipeline.records import Char, Line
from pipeline.settings import LAYOUT, LayoutSettings


def build_lines(chars: list[Char], width: float, settings: LayoutSettings = LAYOUT) -> list[Line]:
    """The page's lines in reading order (full-width lines have column 0).

    Vertical text and slanted titles are read apart
    (:mod:`pipeline.extract.vertical`; upright digits set across a column,
    縦中横, read in it) and each block placed before the first horizontal
    line below its top.
    """
    chars = [c for c in chars if c.text and c.x1 > c.x0 - settings.width_tolerance]
    horizontal, vertical, slanted = split_vertical(chars, settings=settings)
    tiers, horizontal = read_vertical(vertical, horizontal, settings)  # 縦中横 runs read in their columns
    lines = horizontal_lines(horizontal, width, settings=settings)
    blocks = tiers + [[Line(chars=run, page=run[0].page)] for run in slanted]
    for tier in sorted(blocks, key=lambda tier: min(line.top for line in tier)):
        tier_top = min(line.top for line in tier)
        at = next((index for index, line in enumerate(lines) if not line.vertical and line.top > tier_top), len(lines))
        lines[at:at] = tier
    return lines


def horizontal_lines(chars: list[Char], width: float, settings: LayoutSettings = LAYOUT) -> list[Line]:
    """Horizontal lines in reading order, columns found from the gutter."""
    if not chars:
        return []
    gutter = find_gutter(chars, width, settings=settings)
    if gutter is None:
        return _order([_line(row, 0) for row in group_rows(chars, settings=settings)], None)
    middle = (gutter[0] + gutter[1]) / 2
    left = [c for c in chars if (c.x0 + c.x1) / 2 < middle]
    right = [c for c in chars if (c.x0 + c.x1) / 2 >= middle]
    lines = [_line(row, 1) for row in group_rows(left, settings=settings)] + [
        _line(row, 2) for row in group_rows(right, settings=settings)
    ]
    return _order(_join_across_gutter(lines, settings), gutter)


def find_gutter(chars: list[Char], width: float, settings: LayoutSettings = LAYOUT) -> tuple[float, float] | None:
    """The widest vertical strip in the middle of the page that text avoids.

    Coverage is counted in rows (bands of :attr:`~LayoutSettings.row_band`
    points) rather than glyphs, so a few full-width lines (header,
    footnotes, page number) crossing the gutter do not hide it, while a
    one-column page, whose every row crosses the middle, has none.
    """
    bins = int(width) + 1
    row_band = settings.row_band
    rows_at: list[set[int]] = [set() for _ in range(bins)]
    for char in chars:
        band = int(char.middle // row_band)
        for x in range(max(0, int(char.x0)), min(bins, int(char.x1) + 1)):
            rows_at[x].add(band)
    coverage = [len(rows) for rows in rows_at]
    peak = max(coverage)
    if peak < settings.gutter_min_peak:  # too little text to tell columns apart
        return None
    lo, hi = int(width * settings.gutter_search_from), int(width * settings.gutter_search_to)
    threshold = max(settings.gutter_empty_rows, settings.gutter_empty_share * peak)
    best: tuple[int, int] | None = None
    start = None
    for x in range(lo, hi + 1):
        empty = coverage[x] <= threshold
        if empty and start is None:
            start = x
        if (not empty or x == hi) and start is not None:
            end = x if not empty else x + 1
            if best is None or end - start > best[1] - best[0]:
                best = (start, end)
            start = None
    if best is None or best[1] - best[0] < settings.min_gutter_width:
        return None
    left_text = sum(coverage[: best[0]])
    right_text = sum(coverage[best[1] :])
    if min(left_text, right_text) < settings.gutter_min_balance * max(left_text, right_text):
        return None  # an indent or a ragged edge, not two columns
    return float(best[0]), float(best[1])


def group_rows(chars: list[Char], settings: LayoutSettings = LAYOUT) -> list[list[Char]]:
    """Chars that share a baseline, each row sorted left to right.

    Two glyphs share a row when their vertical extents overlap by at least
    :attr:`~LayoutSettings.row_overlap` (40 %) of the smaller one, which
    keeps superscript markers and Latin glyphs (whose boxes sit a point
    lower than kana) on their line.
    """
    min_extent, row_overlap = settings.min_extent, settings.row_overlap
    lookback = settings.row_lookback + 1
    rows: list[list[Char]] = []
    bands: list[tuple[float, float]] = []
    sizes: list[list[float]] = []  # each row's glyph sizes, kept sorted for the median
    for char in sorted(chars, key=lambda c: (c.top, c.x0)):
        height = max(char.bottom - char.top, min_extent)
        placed = False
        for index in range(len(rows) - 1, max(-1, len(rows) - lookback), -1):
            top, bottom = bands[index]
            overlap = min(bottom, char.bottom) - max(top, char.top)
            if overlap >= row_overlap * min(height, bottom - top):
                rows[index].append(char)
                insort(sizes[index], char.size)
                if char.size >= _median(sizes[index]):
                    bands[index] = (min(top, char.top), max(bottom, char.bottom))
                placed = True
                break
        if not placed:
            rows.append([char])
            bands.append((char.top, char.bottom))
            sizes.append([char.size])
    return [sorted(row, key=lambda c: c.x0) for row in rows]


def _median(ordered: list[float]) -> float:
    """``statistics.median`` of an already sorted list."""
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _line(row: list[Char], column: int) -> Line:
    return Line(chars=row, page=row[0].page, column=column)


def _join_across_gutter(lines: list[Line], settings: LayoutSettings) -> list[Line]:
    """Merge a left and a right half that are one line running through the gutter."""
    left = [line for line in lines if line.column == 1]
    right = [line for line in lines if line.column == 2]
    right_boxes = [(other.top, other.bottom, other.x0) for other in right]  # Line computes these from its chars
    used: set[int] = set()
    merged: list[Line] = []
    for line in left:
        partner = None
        top, bottom, x1, size = line.top, line.bottom, line.x1, line.size
        for index, (other_top, other_bottom, other_x0) in enumerate(right_boxes):
            if index in used:
                continue
            overlap = min(bottom, other_bottom) - max(top, other_top)
            gap = other_x0 - x1
            if overlap > settings.join_overlap * min(bottom - top, other_bottom - other_top) and gap < settings.join_gap * size:
                partner = index
                break
        if partner is None:
            merged.append(line)
        else:
            used.add(partner)
            merged.append(Line(chars=line.chars + right[partner].chars, page=line.page, column=0))
    merged.extend(line for index, line in enumerate(right) if index not in used)
    return merged


def _order(lines: list[Line], gutter: tuple[float, float] | None) -> list[Line]:
    """Reading order: bands split by full-width lines, left column before right."""
    if gutter is None:
        return sorted(lines, key=lambda line: (line.top, line.x0))
    full = sorted((line for line in lines if line.column == 0), key=lambda line: line.top)
    columns = sorted((line for line in lines if line.column != 0), key=lambda line: (line.column, line.top))
    ordered: list[Line] = []
    band_top = float("-inf")
    for breaker in full + [None]:
        band_bottom = breaker.top if breaker is not None else float("inf")
        ordered.extend(line for line in columns if band_top <= _mid(line) < band_bottom)
        if breaker is not None:
            ordered.append(breaker)
            band_top = _mid(breaker)
    return ordered


def _mid(line: Line) -> float:
    return (line.top + line.bottom) / 2


def dominant_size(lines: list[Line], settings: LayoutSettings = LAYOUT) -> float:
    """The body text size: the size most glyphs are set in."""
    sizes = Counter(round(c.size, 1) for line in lines for c in line.chars)
    return sizes.most_common(1)[0][0] if sizes else settings.default_body_size
