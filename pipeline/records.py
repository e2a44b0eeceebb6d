"""Typed records that carry provenance from the PDF to the last table row.

Every character keeps the page it was drawn on and its bounding box; lines,
articles and mentions keep their characters (or the boxes of them), so that
any extracted figure can be traced back to the glyphs it came from.
Coordinates are pdfplumber's: points from the top-left corner of the page.
"""

from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass, replace
from functools import cached_property


@dataclass(frozen=True)
class Box:
    """A rectangle on one page (0-based page index, points from top-left)."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float

    @staticmethod
    def union(boxes: list[Box]) -> Box | None:
        """The smallest box around ``boxes`` on the page of the first one."""
        if not boxes:
            return None
        page = boxes[0].page
        same = [b for b in boxes if b.page == page]
        return Box(
            page,
            min(b.x0 for b in same),
            min(b.top for b in same),
            max(b.x1 for b in same),
            max(b.bottom for b in same),
        )


def _freeze(record, *names: str) -> None:
    """Store the list fields ``names`` of a frozen record as tuples, so no stage can change them in place."""
    for name in names:
        value = getattr(record, name)
        if not isinstance(value, tuple):
            object.__setattr__(record, name, tuple(value))


@dataclass(frozen=True)
class Char:
    """One glyph as drawn: its text after repair, and what the PDF said."""

    text: str
    fontname: str
    size: float
    x0: float
    top: float
    x1: float
    bottom: float
    page: int
    upright: bool = True
    raw: str | None = None  # the extracted text when a repair changed it
    cid: int | None = None  # the glyph's code in its font, the key to the font's evidence
    font_key: str | None = None  # which embedded font (names can repeat across fonts)
    vertical_font: bool = False  # the font's CMap sets text vertically (…-V)
    baseline: float | None = None  # where a horizontal glyph was drawn (its rise included), from the page top
    ink_top: float | None = None  # the outline's own top and bottom on the page, where the repair stage read them
    ink_bottom: float | None = None
    confidence: float | None = None  # 0–1, for a glyph read from a page image by OCR (pipeline.ocr); None: drawn as text
    fake_bold: bool = False  # drawn heavier than its face: outline stroked over the fill (render mode 2), or drawn twice a hair apart
    color: str | None = None  # its fill colour as #rrggbb (None: a pattern or unknown), how a heading in colour stands out

    @property
    def box(self) -> Box:
        return Box(self.page, self.x0, self.top, self.x1, self.bottom)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def place(self) -> tuple[int, float, float, float, float]:
        """The glyph's page and exact box: what its repair steps are logged under (:attr:`Repair.place`)."""
        return (self.page, self.x0, self.top, self.x1, self.bottom)


def is_wide(text: str) -> bool:
    """True for characters set on a full em (kanji, kana, full-width forms).

    Japanese lines are joined without a space; Latin words are not.
    """
    return bool(text) and unicodedata.east_asian_width(text[0]) in ("W", "F")


@dataclass(frozen=True)
class Ruby:
    """Furigana (ルビ) set beside base characters to give their reading, kept out of the line's text.

    ``base`` is the text of the glyphs it reads as the layout found them
    (before repair), ``base_box`` their box; the ruby's own glyphs keep
    theirs.
    """

    chars: tuple[Char, ...]
    base: str
    base_box: Box

    def __post_init__(self) -> None:
        _freeze(self, "chars")

    @property
    def text(self) -> str:
        return "".join(char.text for char in self.chars)


@dataclass(frozen=True)
class Line:
    """Characters on one baseline within one column, left to right.

    ``kind`` is given by the split stage, on a new line (see
    :func:`pipeline.split.furniture.classify_page`): body, heading,
    header, page_number, footnote, caption, source, label, reference,
    author.  Text and size are worked out once: the line never changes.
    """

    chars: tuple[Char, ...]
    page: int
    column: int = 0  # 0: single column, or across a gutter; 1, 2, …: the page's columns, left to right
    kind: str = "body"
    vertical: bool = False  # a column of 縦書き glyphs, read top to bottom
    ruby: tuple[Ruby, ...] = ()  # furigana beside its glyphs (pipeline.extract.ruby), not part of its text

    def __post_init__(self) -> None:
        _freeze(self, "chars", "ruby")

    @cached_property
    def text(self) -> str:
        return "".join(text for text, _ in self.text_with_chars())

    def text_with_chars(self) -> list[tuple[str, Char | None]]:
        """The line's text piece by piece, each with the char it came from.

        A space is inserted (with no char) where Latin glyphs stand apart but
        the PDF drew no space glyph, so that ``Viet Nam`` keeps its word break.
        """
        pieces: list[tuple[str, Char | None]] = []
        previous: Char | None = None
        for char in self.chars:
            if (
                previous is not None
                and char.x0 - previous.x1 > 0.2 * min(char.size, previous.size)
                and not previous.text.isspace()
                and not char.text.isspace()
                and not (is_wide(previous.text) or is_wide(char.text))
            ):
                pieces.append((" ", None))
            pieces.append((char.text, char))
            previous = char
        return pieces

    @property
    def x0(self) -> float:
        return min(c.x0 for c in self.chars)

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)

    @cached_property
    def size(self) -> float:
        """The typical glyph size, robust to superscripts and symbols."""
        return statistics.median(c.size for c in self.chars)

    @property
    def box(self) -> Box:
        return Box(self.page, self.x0, self.top, self.x1, self.bottom)

    @property
    def fontnames(self) -> set[str]:
        return {c.fontname for c in self.chars}


@dataclass(frozen=True)
class Repair:
    """One step the repair stage took on one glyph, with where the glyph is on the page.

    Steps are only ever added (see :attr:`Document.repair_steps`): a glyph
    first left unknown and later read by its shape has both steps, and
    the ``repairs`` table shows the last (:func:`final_repairs`).
    """

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    raw: str
    fixed: str
    rule: str
    confidence: float
    font: str | None = None  # the font the glyph was drawn with (``fonts.font``)

    @property
    def place(self) -> tuple[int, float, float, float, float]:
        """The glyph the step was taken on: its page and exact box, as the char holds them."""
        return (self.page, self.x0, self.top, self.x1, self.bottom)


#: The rule of a step that takes an earlier step back: the PDF's own text stands for the glyph.
TAKEN_BACK = "map_text_stands"


def final_repairs(steps) -> list[Repair]:
    """One row per glyph: its last step, with what the PDF first gave as ``raw``.

    A glyph can pass several steps (its map distrusted, then dropped as a
    fake-bold copy; left unknown, then read by its shape); the row says
    what became of it, not each step.  A glyph whose last step is
    :data:`TAKEN_BACK` was not changed, and has no row.
    """
    rows: dict[tuple, Repair] = {}
    for step in steps:
        earlier = rows.get(step.place)
        if earlier is not None and earlier.rule == TAKEN_BACK:
            del rows[step.place]  # changed again after all: a new change, listed where it was made
        rows[step.place] = step if earlier is None else replace(step, raw=earlier.raw)
    return [row for row in rows.values() if row.rule != TAKEN_BACK]


@dataclass(frozen=True)
class FontReport:
    """One font of a document and the repair stage's verdict on its ToUnicode map, with the reasons."""

    font: str  # the font's key in the document (its PDF name, made unique)
    base_font: str
    font_type: str  # cid, simple
    program: str  # truetype, cff, none (not embedded or unreadable)
    map_verdict: str  # trusted, distrusted, absent, symbol, simple
    reasons: str | None = None


@dataclass(frozen=True)
class Page:
    index: int
    width: float
    height: float
    lines: tuple[Line, ...] = ()
    label: str | None = None  # the printed page number (found by the split stage)
    error: str | None = None  # why this page could not be read
    source: str = "text"  # text: the PDF's own text layer; ocr: read from the page image (pipeline.ocr)
    ocr_confidence: float | None = None  # for an OCR page, the mean confidence of its characters (0–1)
    rules: tuple[Box, ...] = ()  # thin horizontal strokes drawn on the page (underlines, rules above and below a heading)
    frames: tuple[Box, ...] = ()  # rectangles drawn round an area, stroked or filled (a boxed heading, a shaded band)

    def __post_init__(self) -> None:
        _freeze(self, "lines", "rules", "frames")


@dataclass(frozen=True)
class Document:
    """One PDF and everything read from it.

    Stages give a new document (``dataclasses.replace``) rather than change
    this one; ``repair_steps`` only grows, in the order the steps were taken.
    """

    doc_id: str
    source: str
    sha256: str
    pages: tuple[Page, ...] = ()
    repair_steps: tuple[Repair, ...] = ()
    n_pages: int = 0
    status: str = "ok"  # ok, partial, failed
    error: str | None = None
    error_code: str | None = None  # pipeline.codes.ErrorCode of the first reason in ``error``
    newsletter: str | None = None
    issue_label: str | None = None
    issue_date: str | None = None  # ISO YYYY-MM or YYYY-MM-DD
    notes: tuple[str, ...] = ()  # what a stage could not do, for the report
    fonts: tuple[FontReport, ...] = ()  # every font drawn with, and the verdict on its map

    def __post_init__(self) -> None:
        _freeze(self, "pages", "repair_steps", "notes", "fonts")

    @cached_property
    def repairs(self) -> list[Repair]:
        """What became of each repaired glyph: one row per glyph (:func:`final_repairs`)."""
        return final_repairs(self.repair_steps)


@dataclass(frozen=True)
class Article:
    """One article (`【region】title`, or headed by typography), with each body character's box.

    ``body_boxes[i]`` is the box of ``body[i]``, or ``None`` for characters
    the split stage inserted (line-joining spaces, paragraph breaks).
    """

    doc_id: str
    article_id: str
    seq: int
    region: str | None
    title: str
    author: str | None
    page_start: int
    page_end: int
    body: str
    body_boxes: tuple[Box | None, ...]
    references: tuple[str, ...] = ()
    footnotes: tuple[str, ...] = ()
    heading_box: Box | None = None
    sections: tuple[str, ...] = ()  # its sub-headings, in order (each also a line of its own in ``body``)
    heading_rule: str = "region"  # what opened it: region, typography, opening, document (pipeline.split.articles)

    def __post_init__(self) -> None:
        _freeze(self, "body_boxes", "references", "footnotes", "sections")
