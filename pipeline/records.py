"""Typed records that carry provenance from the PDF to the last table row.

Every character keeps the page it was drawn on and its bounding box; lines,
articles and mentions keep their characters (or the boxes of them), so that
any extracted figure can be traced back to the glyphs it came from.
Coordinates are pdfplumber's: points from the top-left corner of the page.
"""

from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass, field


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


@dataclass
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

    @property
    def box(self) -> Box:
        return Box(self.page, self.x0, self.top, self.x1, self.bottom)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def is_wide(text: str) -> bool:
    """True for characters set on a full em (kanji, kana, full-width forms).

    Japanese lines are joined without a space; Latin words are not.
    """
    return bool(text) and unicodedata.east_asian_width(text[0]) in ("W", "F")


@dataclass
class Line:
    """Characters on one baseline within one column, left to right.

    ``kind`` is set by the split stage: body, heading, header, page_number,
    footnote, caption, source, label, reference, author.
    """

    chars: list[Char]
    page: int
    column: int = 0  # 0: single column or full width; 1, 2: left, right
    kind: str = "body"
    vertical: bool = False  # a column of 縦書き glyphs, read top to bottom
    # positions in ``chars`` that are superscript footnote markers
    markers: list[int] = field(default_factory=list)

    @property
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

    @property
    def size(self) -> float:
        """The typical glyph size, robust to superscripts and symbols."""
        return statistics.median(c.size for c in self.chars)

    @property
    def box(self) -> Box:
        return Box(self.page, self.x0, self.top, self.x1, self.bottom)

    @property
    def fontnames(self) -> set[str]:
        return {c.fontname for c in self.chars}


@dataclass
class Repair:
    """One change the repair stage made, with where it was on the page."""

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


@dataclass(frozen=True)
class FontReport:
    """One font of a document and the repair stage's verdict on its ToUnicode map, with the reasons."""

    font: str  # the font's key in the document (its PDF name, made unique)
    base_font: str
    font_type: str  # cid, simple
    program: str  # truetype, cff, none (not embedded or unreadable)
    map_verdict: str  # trusted, distrusted, absent, symbol, simple
    reasons: str | None = None


@dataclass
class Page:
    index: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    label: str | None = None  # the printed page number
    error: str | None = None  # why this page could not be read


@dataclass
class Document:
    """One PDF and everything read from it."""

    doc_id: str
    source: str
    sha256: str
    pages: list[Page] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    n_pages: int = 0
    status: str = "ok"  # ok, partial, failed
    error: str | None = None
    error_code: str | None = None  # pipeline.codes.ErrorCode of the first reason in ``error``
    newsletter: str | None = None
    issue_label: str | None = None
    issue_date: str | None = None  # ISO YYYY-MM or YYYY-MM-DD
    notes: list[str] = field(default_factory=list)  # what a stage could not do, for the report
    fonts: list[FontReport] = field(default_factory=list)  # every font drawn with, and the verdict on its map


@dataclass
class Article:
    """One `【region】title` article, with each body character's box.

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
    body_boxes: list[Box | None]
    references: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    heading_box: Box | None = None
