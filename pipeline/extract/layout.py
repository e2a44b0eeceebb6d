"""Group a page's glyphs into lines and put them in reading order.

pdfplumber reads a page set in columns line by line across them.  Here
the page is cut into regions by white space, a recursive XY-cut
(:func:`_read_region`): a region is searched for a gutter, a vertical strip
in its middle that body text never crosses; glyphs left and right of it are
grouped into lines separately, and a line whose text runs through the
gutter (a title or lead across the page, a caption across two columns, the
page number) is kept whole and splits the region into bands.  Each side of
each band is searched again, so a three-column band is read as a column
and a two-column region.  A region with no gutter is cut across at its wide
white bands (the space under a title, between a three-column and a
two-column part) and each part searched on its own.  Reading order is band
by band, top to bottom, and within a band column by column, left to right.
"""

from __future__ import annotations

from bisect import insort
from collections import Counter
from collections.abc import Sequence

from pipeline.extract.vertical import read_vertical, split_vertical
from pipeline.records import Box, Char, Line
from pipeline.settings import LAYOUT, LayoutSettings


def build_lines(
    chars: list[Char], width: float, settings: LayoutSettings = LAYOUT, rules: Sequence[Box] = ()
) -> list[Line]:
    """The page's lines in reading order (full-width lines have column 0).

    ``rules`` are the thin horizontal strokes drawn on the page: one drawn
    across a region divides it as a white band does (:func:`_slabs`).

    Vertical text and slanted titles are read apart
    (:mod:`pipeline.extract.vertical`; upright digits set across a column,
    縦中横, read in it) and each block placed before the first horizontal
    line below its top.
    """
    chars = [c for c in chars if c.text and c.x1 > c.x0 - settings.width_tolerance]
    horizontal, vertical, slanted = split_vertical(chars, settings=settings)
    tiers, horizontal = read_vertical(vertical, horizontal, settings)  # 縦中横 runs read in their columns
    lines = horizontal_lines(horizontal, width, settings=settings, rules=rules)
    blocks = tiers + [[Line(chars=run, page=run[0].page)] for run in slanted]
    for tier in sorted(blocks, key=lambda tier: min(line.top for line in tier)):
        tier_top = min(line.top for line in tier)
        at = next((index for index, line in enumerate(lines) if not line.vertical and line.top > tier_top), len(lines))
        lines[at:at] = tier
    return lines


def horizontal_lines(
    chars: list[Char], width: float, settings: LayoutSettings = LAYOUT, rules: Sequence[Box] = ()
) -> list[Line]:
    """Horizontal lines in reading order, columns found region by region (:func:`_read_region`).

    Columns are numbered left to right per page (1, 2, …); a line that runs
    across a gutter, and every line of a page with no gutter, has column 0.
    """
    if not chars:
        return []
    placed = _read_region(chars, 0.0, float(width), settings, nested=False, rules=tuple(rules))
    return _number_columns(placed, 0.0, float(width))


def _read_region(
    chars: list[Char], x0: float, x1: float, settings: LayoutSettings, nested: bool, rules: tuple[Box, ...] = ()
) -> list[tuple[Line, tuple[float, float] | None]]:
    """A region's lines in reading order, each with the column it was read in (None: across a gutter).

    A recursive XY-cut.  The region is first searched for a gutter
    (:func:`_region_gutter`); its two sides are grouped into lines apart, a
    line running through the gutter is kept whole and splits the region
    into bands, and within each band the left side is read before the
    right, each side searched again (a three-column band is a column and a
    two-column region).  A region without a gutter is cut across at its
    wide white bands or at rules drawn across it (:func:`_slabs`: the
    space under a title across the page, between a three-column and a
    two-column part) and each slab is searched on its own.  What remains is one column, read top to bottom.
    """
    gutter = _region_gutter(chars, x0, x1, settings, nested)
    if gutter is None:
        slabs = _slabs(chars, settings, rules)
        if len(slabs) > 1:
            return [item for slab in slabs for item in _read_region(slab, x0, x1, settings, True, rules)]
        lines = [_line(row, 0) for row in group_rows(chars, settings=settings)]
        return [(line, (x0, x1)) for line in sorted(lines, key=lambda line: (line.top, line.x0))]
    left, right = _sides(chars, gutter)
    lines = [_line(row, 1) for row in group_rows(left, settings=settings)] + [
        _line(row, 2) for row in group_rows(right, settings=settings)
    ]
    placed: list[tuple[Line, tuple[float, float] | None]] = []
    for band, breaker in _bands(_join_across_gutter(lines, gutter, settings)):
        for side, (side_x0, side_x1) in ((1, (x0, gutter[0])), (2, (gutter[1], x1))):
            side_chars = [char for line in band if line.column == side for char in line.chars]
            if side_chars:
                placed.extend(_read_region(side_chars, side_x0, side_x1, settings, True, rules))
        if breaker is not None:
            placed.append((breaker, None))
    return placed


def _number_columns(placed: list[tuple[Line, tuple[float, float] | None]], x0: float, x1: float) -> list[Line]:
    """Lines with their page's column numbers: leaf regions left to right from 1; the whole page and crossings 0."""
    keys = sorted({key for _, key in placed if key is not None and key != (x0, x1)})
    number = {key: index for index, key in enumerate(keys, start=1)}
    out = []
    for line, key in placed:
        column = number.get(key, 0) if key is not None else 0
        out.append(line if line.column == column else Line(chars=line.chars, page=line.page, column=column))
    return out


def find_gutter(chars: list[Char], width: float, settings: LayoutSettings = LAYOUT) -> tuple[float, float] | None:
    """The page's gutter: the vertical strip in the middle of the page that text avoids (see :func:`_region_gutter`).

    Coverage is counted in rows (bands of :attr:`~LayoutSettings.row_band`
    points) rather than glyphs, so a few full-width lines (header,
    footnotes, page number) crossing the gutter do not hide it, while a
    one-column page, whose every row crosses the middle, has none.
    """
    return _region_gutter(chars, 0.0, float(width), settings, nested=False)


def _region_gutter(
    chars: list[Char], x0: float, x1: float, settings: LayoutSettings, nested: bool
) -> tuple[float, float] | None:
    """The gutter of the region from ``x0`` to ``x1``, or None.

    Searched in the middle of the region (:attr:`~LayoutSettings.gutter_search_from`
    to ``gutter_search_to`` of its width).  Of the strips that text avoids
    (a few rows may cross: a title, a caption), the cleanest is taken, then
    the widest.  Two kinds of strip are gutters:

    * a strip with about as much text on either side (at least
      :attr:`~LayoutSettings.gutter_min_balance`); inside a region already
      cut (``nested``), both sides must also be set as columns are, most
      of their lines reaching one right edge (:func:`_set_as_column`), so
      that a table's label column is no column of text;
    * a strip no row crosses at all, with little text right of it, when the
      left side is set as a column whose right edge is the gutter and the
      right side has text beside that column's lines
      (:func:`_last_column_beside`): the last column of a page holding only
      an article's tail (its 参考 line and sign-off), which the balance test
      alone would read into the lines beside it.
    """
    offset = int(x0)
    bins = int(x1) - offset + 1
    row_band = settings.row_band
    rows_at: list[set[int]] = [set() for _ in range(bins)]
    for char in chars:
        band = int(char.middle // row_band)
        for x in range(max(0, int(char.x0) - offset), min(bins, int(char.x1) - offset + 1)):
            rows_at[x].add(band)
    coverage = [len(rows) for rows in rows_at]
    peak = max(coverage)
    # too little text to tell columns apart; inside a cut region each side must also be set as a column, a test of its own
    if peak < (settings.band_min_rows if nested else settings.gutter_min_peak):
        return None
    span = x1 - x0
    lo, hi = int(span * settings.gutter_search_from), int(span * settings.gutter_search_to)
    threshold = max(settings.gutter_empty_rows, settings.gutter_empty_share * peak)
    for strict in (False, True):
        limit = 0 if strict else threshold
        runs = _empty_runs(coverage, lo, hi, limit)
        runs = [run for run in runs if run[1] - run[0] >= settings.min_gutter_width]
        if not runs:
            continue
        start, end = min(runs, key=lambda run: (min(coverage[run[0] : run[1]]), -(run[1] - run[0]), run[0]))
        left_text = sum(coverage[:start])
        right_text = sum(coverage[end:])
        gutter = (float(start + offset), float(end + offset))
        if not strict and min(left_text, right_text) >= settings.gutter_min_balance * max(left_text, right_text):
            if not nested or _both_sides_set_as_columns(chars, gutter, settings):
                return gutter
        if strict and 0 < right_text < left_text and _last_column_beside(chars, gutter, settings):
            return gutter
    return None  # an indent, a ragged edge or a table, not two columns


def _empty_runs(coverage: list[int], lo: int, hi: int, limit: float) -> list[tuple[int, int]]:
    """Maximal runs of x from ``lo`` to ``hi`` crossed by at most ``limit`` rows, as (start, end)."""
    runs = []
    start = None
    for x in range(lo, hi + 1):
        empty = coverage[x] <= limit
        if empty and start is None:
            start = x
        if (not empty or x == hi) and start is not None:
            runs.append((start, x if not empty else x + 1))
            start = None
    return runs


def _sides(chars: list[Char], gutter: tuple[float, float]) -> tuple[list[Char], list[Char]]:
    """The glyphs left and right of the gutter's middle."""
    middle = (gutter[0] + gutter[1]) / 2
    return [c for c in chars if (c.x0 + c.x1) / 2 < middle], [c for c in chars if (c.x0 + c.x1) / 2 >= middle]


def _both_sides_set_as_columns(chars: list[Char], gutter: tuple[float, float], settings: LayoutSettings) -> bool:
    return all(_set_as_column(side, settings) for side in _sides(chars, gutter))


def _last_column_beside(chars: list[Char], gutter: tuple[float, float], settings: LayoutSettings) -> bool:
    """The left side is a column of text (its lines reach one right edge, at the gutter), and the right side has text beside its lines.

    A running header split by white space above a last page's only column
    is no second column; a reference line or sign-off at the height of that
    column's lines is.  Only a last column may be this light: a light left
    side is a table's labels or a margin note, not a column read first.
    """
    left, right = _sides(chars, gutter)
    edge_lines = _edge_lines(left, settings)
    if edge_lines is None:
        return False
    top = min(c.top for row in edge_lines for c in row)
    bottom = max(c.bottom for row in edge_lines for c in row)
    return any(top <= c.middle <= bottom for c in right)


def _set_as_column(chars: list[Char], settings: LayoutSettings) -> bool:
    """Most of the lines reach one right edge, as justified running text does (a list or a table's labels do not)."""
    return _edge_lines(chars, settings) is not None


def _edge_lines(chars: list[Char], settings: LayoutSettings) -> list[list[Char]] | None:
    """The lines that reach the side's right edge, if they are most of its lines (else None: no column)."""
    lines = [row for row in group_rows(chars, settings=settings) if len(row) >= settings.column_line_min_chars]
    if len(lines) < settings.column_min_lines:
        return None
    ends = sorted(max(c.x1 for c in row) for row in lines)
    edge = ends[int(len(ends) * settings.column_edge_rank)]
    size = _median(sorted(c.size for c in chars))
    reaching = [row for row in lines if abs(max(c.x1 for c in row) - edge) <= settings.column_edge_slack * size]
    if len(reaching) < settings.column_edge_share * len(lines):
        return None
    widths = sorted(max(c.x1 for c in row) - min(c.x0 for c in row) for row in reaching)
    return reaching if _median(widths) >= settings.column_min_width * size else None  # a table's cells are narrower


def _slabs(chars: list[Char], settings: LayoutSettings, rules: tuple[Box, ...] = ()) -> list[list[Char]]:
    """The region cut across at white bands at least :attr:`~LayoutSettings.band_gap` em high, and at rules drawn across it.

    Nothing is cut inside a band of columns whose lines stand at the same
    heights: their leading is far narrower than the space designers leave
    between the parts of a page.  A rule in the white between two lines
    that spans at least :attr:`~LayoutSettings.rule_span` of the region's
    text is a separator a designer drew there, however narrow the white.
    """
    ordered = sorted(chars, key=lambda c: c.top)
    size = _median(sorted(c.size for c in chars))
    left, right = min(c.x0 for c in chars), max(c.x1 for c in chars)
    spans = sorted(
        (rule.top + rule.bottom) / 2
        for rule in rules
        if min(rule.x1, right) - max(rule.x0, left) >= settings.rule_span * (right - left)
    )
    slabs: list[list[Char]] = [[ordered[0]]]
    bottom = ordered[0].bottom
    for char in ordered[1:]:
        ruled = any(bottom <= y <= char.top for y in spans)
        if char.top - bottom >= settings.band_gap * size or ruled:
            slabs.append([])
        slabs[-1].append(char)
        bottom = max(bottom, char.bottom)
    return slabs


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


def _join_across_gutter(lines: list[Line], gutter: tuple[float, float], settings: LayoutSettings) -> list[Line]:
    """Merge a left and a right half that are one line running through the gutter.

    Two halves on one baseline are one line when the gap between them is a
    word space or less (:attr:`~LayoutSettings.join_gap`), or when both
    reach into the gutter (:attr:`~LayoutSettings.gutter_intrusion`): a
    caption or a name centred across two columns whose word space falls in
    the gutter (``本郷 峻``) stays whole.  A column's line reaches in from
    one side only (a hanging 。), never from both.
    """
    inside_left, inside_right = gutter[0] + settings.gutter_intrusion, gutter[1] - settings.gutter_intrusion
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
            crossing = x1 > inside_left and other_x0 < inside_right
            if overlap > settings.join_overlap * min(bottom - top, other_bottom - other_top) and (gap < settings.join_gap * size or crossing):
                partner = index
                break
        if partner is None:
            merged.append(line)
        else:
            used.add(partner)
            merged.append(Line(chars=line.chars + right[partner].chars, page=line.page, column=0))
    merged.extend(line for index, line in enumerate(right) if index not in used)
    return merged


def _bands(lines: list[Line]) -> list[tuple[list[Line], Line | None]]:
    """The region's column lines in bands split by the lines that run across the gutter, each band with the line below it."""
    full = sorted((line for line in lines if line.column == 0), key=lambda line: line.top)
    columns = sorted((line for line in lines if line.column != 0), key=lambda line: (line.column, line.top))
    bands: list[tuple[list[Line], Line | None]] = []
    band_top = float("-inf")
    for breaker in full + [None]:
        band_bottom = breaker.top if breaker is not None else float("inf")
        bands.append(([line for line in columns if band_top <= _mid(line) < band_bottom], breaker))
        if breaker is not None:
            band_top = _mid(breaker)
    return bands


def _mid(line: Line) -> float:
    return (line.top + line.bottom) / 2


def dominant_size(lines: list[Line], settings: LayoutSettings = LAYOUT) -> float:
    """The body text size: the size most glyphs are set in."""
    sizes = Counter(round(c.size, 1) for line in lines for c in line.chars)
    return sizes.most_common(1)[0][0] if sizes else settings.default_body_size
