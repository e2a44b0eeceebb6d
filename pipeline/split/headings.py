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

What typography the read stage does not yet carry is not guessed at: bold
drawn by stroking the outline (text render mode 2) and underlines drawn as
rules are invisible here, so a heading marked only by them stays body text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from pipeline.records import Line, Page
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
    light: bool  # False for a bold face
    marker: int  # index in MARKERS, or len(MARKERS) for none
    face: str  # the font (without its subset prefix): one style is one face


@dataclass(frozen=True)
class _Candidate:
    size: float
    light: bool
    marker: int
    face: str


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
    body_bold = _body_is_bold(pages, body_size, settings)
    body_step = _step(body_size, settings)
    candidates: dict[tuple[int, int], _Candidate] = {}
    for page in pages:
        for position, line in enumerate(page.lines):
            following = page.lines[position + 1] if position + 1 < len(page.lines) else None
            candidate = _candidate(line, following, body_step, body_bold, settings)
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


def _body_is_bold(pages: list[Page], body_size: float, settings: FurnitureSettings) -> bool:
    """Whether the body type itself is a bold face (then bold sets nothing apart)."""
    step = _step(body_size, settings)
    fonts = Counter(c.fontname for page in pages for line in page.lines if line.kind == "body" for c in line.chars if _step(c.size, settings) == step)
    return bool(fonts) and is_bold_font(fonts.most_common(1)[0][0])


def _candidate(line: Line, following: Line | None, body_step: int, body_bold: bool, settings: FurnitureSettings) -> _Candidate | None:
    """How the line is set, when it may be a heading; None when it is not one."""
    if line.kind not in ("body", "heading"):
        return None
    text = line.text.strip(" \u3000")
    if not text or len(text) > settings.heading_max_chars or text.endswith(_SENTENCE_END):
        return None
    if len(_WORD.findall(text)) < 2:
        return None
    step = _step(line.size, settings)
    letters = [c for c in line.chars if _WORD.match(c.text)]
    bold = bool(letters) and not body_bold and sum(is_bold_font(c.fontname) for c in letters) * 2 > len(letters)
    marker = marker_of(text)
    if step <= body_step and not bold and marker == _NO_MARKER:
        return None
    if step < body_step:
        return None  # small type (a caption, a note) heads nothing
    if marker == _NO_MARKER and _wraps_into(line, following, settings):
        return None
    faces = Counter(c.fontname.split("+")[-1] for c in letters) or Counter(c.fontname.split("+")[-1] for c in line.chars)
    return _Candidate(line.size, not bold, marker, faces.most_common(1)[0][0])


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
    groups: dict[tuple[bool, int, str], list[float]] = {}
    for candidate in candidates.values():
        groups.setdefault((candidate.light, candidate.marker, candidate.face), []).append(candidate.size)
    top_of: dict[tuple[bool, int, str, float], float] = {}
    for key, sizes in groups.items():
        top = None
        for size in sorted(set(sizes), reverse=True):
            if top is None or size < top * (1 - settings.heading_size_tolerance):
                top = size
            top_of[(*key, size)] = top
    return {
        place: Style(
            -_step(top_of[(c.light, c.marker, c.face, c.size)], settings), c.light, c.marker, c.face
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
