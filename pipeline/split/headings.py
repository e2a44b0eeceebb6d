"""Headings found by typography, for documents that do not head their articles with ``【region】``.

The newsletters this project was built on open every article with a
``【region】title`` line set larger than the body; those keep that rule
(:func:`rank_headings` leaves their lines alone).  City reports, council
newsletters and society bulletins head their parts otherwise: ``■``, ``●``,
``１．``, ``(1)``, ``第1章``, larger or bold lines.  A reader sees a heading
because it stands out from the body, so the candidates are lines that:

* are short (at most :attr:`~FurnitureSettings.heading_max_chars`) and do not
  end a sentence (``。``, ``．``, ``.``) or break one off (``、``, ``，``);
* hold words, not only figures (a chart's ``04 03`` is no heading);
* stand out: set a half point or more larger than the body, in a bold face
  the body does not use, or opened by a numbering or bullet pattern.

Each candidate has a *style*: its size (in half points), whether it is bold,
and which pattern opens it.  Styles rank by size, then weight, then the
pattern, in the order of Japanese official numbering (第1章 > ■ > 1． >
(1) > ［…］ > ① > ア) > ●).  The article level is the highest style that
heads at least :attr:`~FurnitureSettings.heading_min_count` parts, and of
whose headings at least :attr:`~FurnitureSettings.heading_text_share` are
followed by body text before the next heading of the same or a higher
style: a title set once, the entries of a cover's table of contents and a
bulleted list head no article.  Its lines get kind ``heading`` (each opens
an article); every other candidate gets kind ``section``, a sub-heading
kept as a line of its own inside its article.

Beside size, face and pattern, a heading is marked by what is drawn with it
(:func:`signals_of`, one named signal each):

* ``fake_bold``: its glyphs drawn with the outline stroked over the fill
  (text render mode 2, how Word bolds a face with no bold weight) or twice
  a hair apart; weight like a bold face.
* ``underline``: a thin rule just under the line and about as long.
* ``ruled``: a box drawn closely round the line alone (not a cell of a
  grid: no other box touches it), or rules just above and below it no
  wider than it by more than two em each side.
* ``colour``: its glyphs filled in a colour unlike the body's.
* ``space_above``: its top stands well below the line before it in its
  column (:attr:`~FurnitureSettings.heading_space_above` body pitches).
* ``centred``: centred in its column's measure and narrower than it.

Size, weight, a pattern, an underline or a box each set a line apart on
their own.  Colour, white space and centring are weak (a link is blue, a
caption is centred under a figure with space above it): a line needs two
of them.  A coloured underlined line is how a link is set, so its colour
and underline say nothing of a heading.  A line in a table's cell (a box
that touches another) or the last line of a paragraph in heavy type is no
heading, whatever sets it apart.  Decoration (underline, box, colour)
ranks a style after weight and before the pattern.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from pipeline.records import Box, Line, Page
from pipeline.settings import FURNITURE, FurnitureSettings

REGION = re.compile(r"^\s*【([^】]{1,20})】")

#: Numbering and bullet patterns, highest level first (公用文の項目番号: 第1 > 1 > (1) > ア; bullets after).
MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(r"^第[0-9０-９一二三四五六七八九十百]+[章部編節]")),
    ("square", re.compile(r"^[■□◆◇▲△▼▽★☆◎▶▷]")),
    ("number", re.compile(r"^[0-9０-９]{1,2}[．.、](?![0-9０-９])")),
    ("parenthesised", re.compile(r"^[（(][0-9０-９]{1,2}[）)]")),
    ("bracketed", re.compile(r"^[［\[〔〈《][^］\]〕〉》]{1,12}[］\]〕〉》]")),
    ("circled", re.compile(r"^[\u2460-\u2473\u2776-\u277f\u24eb-\u24f4]")),
    ("kana", re.compile(r"^[ア-ンｱ-ﾝ][）)．.](?!\S*[。．])")),
    ("bullet", re.compile(r"^[●○•◉]")),
)
_NO_MARKER = len(MARKERS)

# A face is bold by its name: Bold, Black, Heavy, Demi/SemiBold, ExtraBold, and the Japanese weights W6-W9, DB, B, EB, H.
_BOLD = re.compile(r"(bold|black|heavy|demi|semibold|extrabold|ultra)|(?:^|[-_ ])(?:w[6-9]|db|eb|h|b)$", re.IGNORECASE)
_SENTENCE_END = ("。", "．", ".", "、", "，", ",")
_WORD = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, order=True)
class Style:
    """How a heading is set, in rank order (a smaller value ranks higher)."""

    size_rank: int  # minus the size in steps: larger type ranks first
    light: bool  # False for a bold face (named bold, or fake bold)
    plain: bool  # False when underlined, boxed or in colour
    marker: int  # index in MARKERS, or len(MARKERS) for none
    face: str  # the font (without its subset prefix): one style is one face


@dataclass(frozen=True)
class _Candidate:
    size: float
    light: bool
    plain: bool
    marker: int
    face: str


#: The signals that are weak alone: a line needs two of them (with none of the strong ones) to stand out.
WEAK_SIGNALS = frozenset({"colour", "space_above", "centred"})


@dataclass(frozen=True)
class _Body:
    """What the body text of a document looks like, to tell a heading from it."""

    step: int  # its size in steps
    bold: bool  # set in a bold face (then weight sets nothing apart)
    colour: str | None  # its usual fill colour
    pitch: float  # the usual distance from one line's top to the next's


def marker_of(text: str) -> int:
    """The index in :data:`MARKERS` of the pattern that opens ``text``, or ``len(MARKERS)``.

    >>> [MARKERS[marker_of(t)][0] for t in ("■概要", "１．目的", "(2) 対象", "第3章 結果", "［課題1］費用")]
    ['square', 'number', 'parenthesised', 'chapter', 'bracketed']
    >>> marker_of("1.5万円") == len(MARKERS)
    True
    """
    stripped = text.lstrip(" \u3000")
    for index, (_, pattern) in enumerate(MARKERS):
        if pattern.match(stripped):
            return index
    return _NO_MARKER


def is_bold_font(fontname: str) -> bool:
    """Whether a font's name says it is a bold weight (the subset prefix ``ABCDEF+`` ignored).

    >>> [is_bold_font(n) for n in ("ABCDEF+GothicMB101Pro-Bold", "Arial-BoldMT", "HiraKakuPro-W6", "YuMincho-Regular", "NotoSansJP-Medium")]
    [True, True, True, False, False]
    """
    return bool(_BOLD.search(fontname.split("+")[-1]))


def rank_headings(pages: list[Page], body_size: float, settings: FurnitureSettings = FURNITURE) -> list[Page]:
    """The pages with each heading found by typography marked ``heading`` (opens an article) or ``section`` (a sub-heading).

    Pages whose headings carry ``【region】`` are returned as given: that
    rule stays as it was.
    """
    if any(line.kind == "heading" and REGION.match(line.text) for page in pages for line in page.lines):
        return pages
    body = _body(pages, body_size, settings)
    candidates: dict[tuple[int, int], _Candidate] = {}
    for page in pages:
        measures = _measures(page)
        for position, line in enumerate(page.lines):
            following = page.lines[position + 1] if position + 1 < len(page.lines) else None
            if not _short_text(line, settings):
                continue
            previous = _line_above(page.lines, position)
            signals = signals_of(line, previous, page, measures, body, settings)
            candidate = _candidate(line, following, previous, page, measures.get(line.column), signals, body, settings)
            if candidate is not None:
                candidates[(page.index, position)] = candidate
    styles = _styles(candidates, settings)
    article_style = _article_style(pages, styles, settings)
    result = []
    for page in pages:
        lines = []
        for position, line in enumerate(page.lines):
            style = styles.get((page.index, position))
            if style is not None:
                kind = "heading" if style == article_style else "section"
            elif line.kind == "heading":
                kind = "body" if _WORD.search(line.text) else "label"  # large type that heads nothing: a slogan, a chart's figures
            else:
                kind = line.kind
            lines.append(line if kind == line.kind else replace(line, kind=kind))
        result.append(replace(page, lines=lines))
    return result


def _step(size: float, settings: FurnitureSettings) -> int:
    return round(size / settings.heading_size_step)


def _body(pages: list[Page], body_size: float, settings: FurnitureSettings) -> _Body:
    """The body's size, weight, colour and line pitch, from its lines at the body size."""
    step = _step(body_size, settings)
    body_chars = [c for page in pages for line in page.lines if line.kind == "body" for c in line.chars if _step(c.size, settings) == step]
    fonts = Counter(c.fontname for c in body_chars)
    strokes = sum(c.fake_bold for c in body_chars)
    bold = bool(fonts) and (is_bold_font(fonts.most_common(1)[0][0]) or strokes * 2 > len(body_chars))
    colours = Counter(c.color for c in body_chars if c.color is not None)
    pitches = []
    for page in pages:
        previous = None
        for line in page.lines:
            if line.kind != "body" or line.vertical or _step(line.size, settings) != step:
                continue
            if previous is not None and previous.column == line.column:
                distance = line.top - previous.top
                if 0.8 * body_size <= distance <= 3 * body_size:  # the next line of a paragraph, not across a figure or a column
                    pitches.append(distance)
            previous = line
    pitch = sorted(pitches)[len(pitches) // 2] if pitches else 1.5 * body_size
    return _Body(step, bold, colours.most_common(1)[0][0] if colours else None, pitch)


def signals_of(line: Line, previous: Line | None, page: Page, measures: dict[int, tuple[float, float]], body: _Body, settings: FurnitureSettings = FURNITURE) -> frozenset[str]:
    """The named signals beside size, face and pattern that set ``line`` apart from the body (see the module's list)."""
    if line.vertical:
        return frozenset()  # rules and spacing are read for horizontal lines only
    letters = [c for c in line.chars if _WORD.match(c.text)] or list(line.chars)
    found = set()
    if not body.bold and sum(c.fake_bold for c in letters) * 2 > len(letters):
        found.add("fake_bold")
    if _in_colour(letters, body.colour, settings):
        found.add("colour")
    if _underlined(line, page.rules, settings):
        if "colour" in found:
            found.discard("colour")  # coloured and underlined is how a link is set, not a heading
        else:
            found.add("underline")
    if _boxed(line, page, settings):
        found.add("ruled")
    if previous is not None and line.top - previous.top >= settings.heading_space_above * body.pitch:
        found.add("space_above")
    measure = measures.get(line.column)
    if measure is not None:
        left, right = measure
        if line.x1 - line.x0 < 0.8 * (right - left) and abs((line.x0 + line.x1) / 2 - (left + right) / 2) < line.size:
            found.add("centred")
    return frozenset(found)


def _in_colour(letters, body_colour: str | None, settings: FurnitureSettings) -> bool:
    colours = Counter(c.color for c in letters if c.color is not None)
    if body_colour is None or not colours:
        return False
    colour, count = colours.most_common(1)[0]
    return count * 2 > len(letters) and colour_distance(colour, body_colour) >= settings.heading_colour_distance


def colour_distance(first: str, second: str) -> float:
    """How far apart two ``#rrggbb`` colours are: the largest difference on one channel, 0–1.

    >>> colour_distance("#000000", "#333333"), colour_distance("#000000", "#c00000")
    (0.2, 0.7529411764705882)
    """
    return max(abs(int(first[i : i + 2], 16) - int(second[i : i + 2], 16)) for i in (1, 3, 5)) / 255


def _underlined(line: Line, rules: tuple[Box, ...], settings: FurnitureSettings) -> bool:
    """A rule just under the line, under most of it, and not much longer: an underline (a table's row rule runs on)."""
    width = line.x1 - line.x0
    reach = settings.heading_rule_reach * line.size
    for rule in rules:
        if not (line.bottom - reach <= rule.top <= line.bottom + reach):
            continue
        overlap = min(rule.x1, line.x1) - max(rule.x0, line.x0)
        if overlap >= 0.8 * width and rule.x1 - rule.x0 <= width + 2 * line.size:
            return True
    return False


def _boxed(line: Line, page: Page, settings: FurnitureSettings) -> bool:
    """A box drawn closely round the line alone, not a cell of a grid; or rules just above and below it, about its width."""
    reach = settings.heading_rule_reach * line.size + line.size
    height = line.bottom - line.top
    for frame in page.frames:
        around = frame.x0 <= line.x0 + 1 and line.x1 - 1 <= frame.x1 and frame.top <= line.top + 1 and line.bottom - 1 <= frame.bottom
        if not around or frame.bottom - frame.top > 2.5 * height + 2 * line.size:
            continue
        if _touches_another(frame, page.frames):
            continue  # a cell of a table
        if not any(other is not line and _inside(other.box, frame) for other in page.lines if other.x0 > line.x1 or other.x1 < line.x0):
            return True
    width = line.x1 - line.x0

    def spans(rule: Box) -> bool:
        return rule.x0 <= line.x0 + line.size and line.x1 - line.size <= rule.x1 and rule.x1 - rule.x0 <= width + 4 * line.size

    above = any(spans(rule) and line.top - reach <= rule.bottom <= line.top + 1 for rule in page.rules)
    below = any(spans(rule) and line.bottom - 1 <= rule.top <= line.bottom + reach for rule in page.rules)
    return above and below


def _in_table_cell(line: Line, page: Page) -> bool:
    """Whether the line stands in boxes that share an edge with another: the cells of a table (a row's cells may make one line)."""
    for frame in page.frames:
        overlap_x = min(frame.x1, line.x1) - max(frame.x0, line.x0)
        overlap_y = min(frame.bottom, line.bottom) - max(frame.top, line.top)
        if overlap_x > line.size and overlap_y > 0.5 * (line.bottom - line.top) and _touches_another(frame, page.frames):
            return True
    return False


def _inside(box: Box, frame: Box, slack: float = 0.0) -> bool:
    return frame.x0 <= box.x0 + slack and box.x1 - slack <= frame.x1 and frame.top <= box.top + slack and box.bottom - slack <= frame.bottom


def _touches_another(frame: Box, frames: tuple[Box, ...], gap: float = 2.0) -> bool:
    """Whether another box shares an edge with ``frame`` (within ``gap`` points): the cells of a table do, a heading's box does not."""
    for other in frames:
        if other is frame or _inside(other, frame) or _inside(frame, other):
            continue
        beside = abs(other.x0 - frame.x1) <= gap or abs(frame.x0 - other.x1) <= gap
        stacked = abs(other.top - frame.bottom) <= gap or abs(frame.top - other.bottom) <= gap
        overlaps_v = min(other.bottom, frame.bottom) - max(other.top, frame.top) > gap
        overlaps_h = min(other.x1, frame.x1) - max(other.x0, frame.x0) > gap
        if (beside and overlaps_v) or (stacked and overlaps_h):
            return True
    return False


def _measures(page: Page) -> dict[int, tuple[float, float]]:
    """Each column's measure on the page: the usual left and right edges (quartiles) of its horizontal lines of text."""
    edges: dict[int, list[Line]] = {}
    for line in page.lines:
        if line.kind in ("body", "heading") and not line.vertical:
            edges.setdefault(line.column, []).append(line)
    measures = {}
    for column, lines in edges.items():
        if len(lines) >= 3:  # the usual edges, not the widest line's: a table or a URL can run past the measure
            lefts, rights = sorted(l.x0 for l in lines), sorted(l.x1 for l in lines)
            measures[column] = (lefts[len(lefts) // 4], rights[(3 * len(rights)) // 4])
    return measures


def _line_above(lines: tuple[Line, ...], position: int) -> Line | None:
    """The nearest line before ``lines[position]`` in reading order that stands above it in its column."""
    line = lines[position]
    for earlier in reversed(lines[:position]):
        if earlier.column == line.column and not earlier.vertical and earlier.bottom <= line.top + 1:
            return earlier
        if earlier.column == line.column:
            return None
    return None


def _short_text(line: Line, settings: FurnitureSettings) -> bool:
    """Whether the line's text may be a heading's: body or large type, short, words, and no sentence end."""
    if line.kind not in ("body", "heading"):
        return False
    text = line.text.strip(" \u3000")
    if not text or len(text) > settings.heading_max_chars or text.endswith(_SENTENCE_END):
        return False
    return len(_WORD.findall(text)) >= 2


def _candidate(
    line: Line,
    following: Line | None,
    previous: Line | None,
    page: Page,
    measure: tuple[float, float] | None,
    signals: frozenset[str],
    body: _Body,
    settings: FurnitureSettings,
) -> _Candidate | None:
    """How the line is set, when it may be a heading; None when it is not one."""
    if not _short_text(line, settings):
        return None
    text = line.text.strip(" \u3000")
    step = _step(line.size, settings)
    letters = [c for c in line.chars if _WORD.match(c.text)]
    named_bold = bool(letters) and not body.bold and sum(is_bold_font(c.fontname) for c in letters) * 2 > len(letters)
    bold = named_bold or "fake_bold" in signals
    marker = marker_of(text)
    decorated = bool(signals & {"underline", "ruled", "colour"})
    strong = step > body.step or bold or marker != _NO_MARKER or bool(signals & {"underline", "ruled"})
    if not strong and len(signals & WEAK_SIGNALS) < 2:
        return None
    if step < body.step:
        return None  # small type (a caption, a note) heads nothing
    if marker == _NO_MARKER and _wraps_into(line, following, settings):
        return None
    if marker == _NO_MARKER and step == body.step and _ends_paragraph(line, previous, measure, settings):
        return None  # the last line of a paragraph set in heavy type
    if _in_table_cell(line, page):
        return None  # a table's head row is set apart for the table, not for the document
    faces = Counter(c.fontname.split("+")[-1] for c in letters) or Counter(c.fontname.split("+")[-1] for c in line.chars)
    return _Candidate(line.size, not bold, not decorated, marker, faces.most_common(1)[0][0])


def _ends_paragraph(line: Line, previous: Line | None, measure: tuple[float, float] | None, settings: FurnitureSettings) -> bool:
    """Whether the line is the last of a paragraph: the line before, in the same type, fills the measure and wraps into it.

    A paragraph set bold at the body's size (an item of a list in heavy
    type) ends in a short bold line with no full stop, which would pass for
    a heading.  Larger type that wraps is a heading set on two lines, whose
    second line stays a candidate.
    """
    if previous is None or measure is None or previous.kind not in ("body", "heading") or previous.column != line.column:
        return False
    same_type = _step(previous.size, settings) == _step(line.size, settings) and _main_face(previous) == _main_face(line)
    fills = previous.x1 >= measure[1] - 2 * previous.size
    close = line.top - previous.bottom < previous.size
    return same_type and fills and close and line.x0 >= previous.x0 - previous.size and not previous.text.rstrip().endswith(_SENTENCE_END[:3])


def _main_face(line: Line) -> tuple[str, bool]:
    """The face most of the line's letters are set in, and whether they are drawn heavier (fake bold)."""
    letters = [c for c in line.chars if _WORD.match(c.text)] or list(line.chars)
    return Counter((c.fontname.split("+")[-1], c.fake_bold) for c in letters).most_common(1)[0][0]


def _wraps_into(line: Line, following: Line | None, settings: FurnitureSettings) -> bool:
    """Whether the line is a line of running text that wraps into the next: same type, and it fills the measure as far as the next does.

    Text set in a box in bold or large type is not a run of headings; a
    heading is shorter than the text under it, or set differently.
    """
    if following is None or following.kind not in ("body", "heading") or following.column != line.column:
        return False
    same_type = _step(following.size, settings) == _step(line.size, settings) and following.fontnames == line.fontnames
    return same_type and line.x1 >= following.x1 - line.size and abs(line.x0 - following.x0) < line.size


def _styles(candidates: dict[tuple[int, int], _Candidate], settings: FurnitureSettings) -> dict[tuple[int, int], Style]:
    """Each candidate's style: one face and pattern, sizes within :attr:`~FurnitureSettings.heading_size_tolerance` of the largest taken as one.

    A designer shrinks a long heading a little to fit its box; it is still
    the same heading.  Sizes are grouped from the largest down, so a chain
    of small differences does not merge two sizes set apart on purpose.
    """
    groups: dict[tuple[bool, bool, int, str], list[float]] = {}
    for candidate in candidates.values():
        groups.setdefault((candidate.light, candidate.plain, candidate.marker, candidate.face), []).append(candidate.size)
    top_of: dict[tuple[bool, bool, int, str, float], float] = {}
    for key, sizes in groups.items():
        top = None
        for size in sorted(set(sizes), reverse=True):
            if top is None or size < top * (1 - settings.heading_size_tolerance):
                top = size
            top_of[(*key, size)] = top
    return {
        place: Style(
            -_step(top_of[(c.light, c.plain, c.marker, c.face, c.size)], settings), c.light, c.plain, c.marker, c.face
        )
        for place, c in candidates.items()
    }


def _article_style(pages: list[Page], styles: dict[tuple[int, int], Style], settings: FurnitureSettings) -> Style | None:
    """The highest style that heads several parts of the document, each with body text of its own."""
    sequence: list[Style | None] = []  # each line in reading order: its style, or None for a body line
    for page in pages:
        for position, line in enumerate(page.lines):
            style = styles.get((page.index, position))
            if style is not None:
                sequence.append(style)
            elif line.kind in ("body", "author", "reference"):
                sequence.append(None)
    heads_text: Counter[Style] = Counter()
    count: Counter[Style] = Counter()
    for index, style in enumerate(sequence):
        if style is None:
            continue
        count[style] += 1
        for following in sequence[index + 1 :]:
            if following is None:
                heads_text[style] += 1
                break
            if following <= style:
                break
    for style in sorted(count):
        if count[style] >= settings.heading_min_count and heads_text[style] >= settings.heading_text_share * count[style]:
            return style
    return None
