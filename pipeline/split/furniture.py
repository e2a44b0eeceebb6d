"""Tell page furniture from body text: headers, page numbers, footnotes, captions.

Decided from geometry and type size relative to the body text, not from the
words, so that it works on pages whose fonts are broken: a running header
is small type in the top margin, a page number a short run centred in the
bottom margin, footnotes small type below the last body line, a caption a
line opening with 図/表, its source line opening with 出所/資料/出典.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from pipeline.japanese import FULLWIDTH_DIGITS
from pipeline.records import Line, Page, is_wide
from pipeline.settings import FURNITURE, FurnitureSettings

CAPTION = re.compile(r"^\s*(図|表|グラフ|写真|Figure|Fig\.|Table)\s*[0-9０-９\-－.]*[\s　:：．.]")
SOURCE = re.compile(r"^\s*[（(]?(出所|出典|資料|Source)[)）]?\s*[:：]?")
REFERENCE = re.compile(r"^\s*参考(資料|URL)?\s*[:：]")
AUTHOR = re.compile(r"^\s*[（(]([^（）()]{1,30})[)）]\s*$")
PAGE_NUMBER = re.compile(r"^\s*[-–—‐]?\s*(\d{1,4}|[０-９]{1,4})\s*[-–—‐]?\s*$")

# the defaults, under their old names (the thresholds live in pipeline.settings)
HEADER_ZONE = FURNITURE.header_zone  # top share of the page
FOOTER_ZONE = FURNITURE.footer_zone  # bottom share of the page


def classify_page(page: Page, body_size: float, settings: FurnitureSettings = FURNITURE, running: frozenset[str] = frozenset()) -> Page:
    """A copy of ``page`` whose lines carry their ``kind``, and whose ``label`` is its printed number.

    The lines given are left as they were: each classified line is a new one.
    """
    height = page.height or settings.default_page_height
    width = page.width or settings.default_page_width
    footer_top = (1 - settings.footer_zone) * height
    body_lines = [
        line
        for line in page.lines
        if _is_body_size(line, body_size, settings)
        and line.top < footer_top
        and len(line.chars) > settings.body_line_min_chars
    ]
    lowest_body = max((line.bottom for line in body_lines), default=0.0)
    in_figure = False
    previous_kind, previous_bottom, previous_line = None, 0.0, None
    label = page.label
    classified: list[Line] = []
    for line in page.lines:
        text = line.text.strip()
        small = line.size < settings.small_ratio * body_size
        large = line.size > settings.large_ratio * body_size
        if page.source == "ocr" and line.kind == "label":
            kind = "label"  # OCR found it set on a picture (pipeline.ocr.read): a chart's ticks and categories
        elif CAPTION.match(text) and not large and (small or page.source == "ocr" or line.fontnames.isdisjoint(_body_fonts(body_lines))):
            # on a scan no font tells a caption's face from the body's, and a scan's sizes are measured, not stated
            kind = "caption"
            in_figure = True
        elif previous_kind == "caption" and (small or _within(line, previous_line, page)) and line.top - previous_bottom < settings.caption_wrap_gap * line.size:
            kind = "caption"  # a caption wrapped onto a second line
        elif line.top < settings.header_zone * height and (small or (page.source == "ocr" and not large and running_key(text) in running)):
            kind = "header"  # on a scan, whose sizes are measured, a line repeated atop other pages is the running header too
        elif line.top > footer_top and _is_page_number(line, text, width, settings):
            kind = "page_number"
            label = _page_label(text)
        elif REFERENCE.match(text) or (previous_kind == "reference" and _continues_url(line, text)):
            kind = "reference"
        elif large:
            kind = "heading"
        elif SOURCE.match(text) and (small or in_figure):
            kind = "source"
            in_figure = False
        elif small and line.top >= lowest_body - settings.footnote_clearance:
            kind = "footnote"
        elif small:
            kind = "label"
        elif AUTHOR.match(text) and _right_aligned(line, body_lines, settings):
            kind = "author"
        else:
            kind = "body"
        classified.append(line if line.kind == kind else replace(line, kind=kind))
        previous_kind, previous_bottom, previous_line = kind, line.bottom, line
    return replace(page, lines=classified, label=label)


def running_key(text: str) -> str:
    """A line's text as compared across pages for a running header: NFKC, without spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def running_headers(pages: list[Page], settings: FurnitureSettings = FURNITURE) -> frozenset[str]:
    """The texts (:func:`running_key`) that stand in the header zone of more than one scanned page: the running header.

    A text layer states a header's small type; on a scan the size is
    measured from ink, and a header set a point or two below body size in
    another face can measure as body.  A running header repeats at the top
    of page after page, where body text does not.
    """
    seen: dict[str, set[int]] = {}
    for page in pages:
        if page.source != "ocr":
            continue
        zone = settings.header_zone * (page.height or settings.default_page_height)
        for line in page.lines:
            if line.top < zone and line.text.strip():
                seen.setdefault(running_key(line.text), set()).add(page.index)
    return frozenset(text for text, where in seen.items() if len(where) > 1)


def _within(line: Line, above: Line | None, page: Page) -> bool:
    """On a scan (no stated sizes), a line that stands within the span of the line above it: a caption's wrapped second line."""
    return page.source == "ocr" and above is not None and line.x0 >= above.x0 and line.x1 <= above.x1


def _continues_url(line: Line, text: str) -> bool:
    """The second half of a URL broken over two lines: no Japanese, no spaces."""
    return bool(text) and " " not in text and not any(is_wide(c.text) for c in line.chars)


def _is_body_size(line: Line, body_size: float, settings: FurnitureSettings) -> bool:
    return abs(line.size - body_size) <= settings.body_size_tolerance * body_size


def _body_fonts(body_lines: list[Line]) -> set[str]:
    fonts: set[str] = set()
    for line in body_lines:
        fonts |= line.fontnames
    return fonts


def _is_page_number(line: Line, text: str, width: float, settings: FurnitureSettings) -> bool:
    centre = (line.x0 + line.x1) / 2
    short = len(text.replace(" ", "")) <= settings.page_number_max_chars
    centred = abs(centre - width / 2) < settings.page_number_centre * width
    outer = line.x1 > settings.page_number_outer_right * width or line.x0 < settings.page_number_outer_left * width
    return short and (PAGE_NUMBER.match(text) is not None or centred) and (centred or outer)


def _page_label(text: str) -> str | None:
    match = PAGE_NUMBER.match(text)
    if not match:
        return None
    return match.group(1).translate(FULLWIDTH_DIGITS)


def _right_aligned(line: Line, body_lines: list[Line], settings: FurnitureSettings) -> bool:
    """A sign-off sits at the right edge of its column, far from the left."""
    same_column = [other for other in body_lines if other.column == line.column] or body_lines
    if not same_column:
        return False
    left = min(other.x0 for other in same_column)
    right = max(other.x1 for other in same_column)
    return line.x0 > left + settings.author_indent * (right - left) and line.x1 > right - settings.author_right_margin * line.size
