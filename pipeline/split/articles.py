"""Cut an issue's classified lines into articles.

A heading line (larger type, usually ``【region】title``, or a heading found
by typography, :mod:`pipeline.split.headings`) opens an article; its body
runs across columns and pages until the next heading.  Sub-headings
(kind ``section``) stay in the body as lines of their own and are listed in
the article's ``sections``.  Where no ``【region】`` heads the articles,
nothing is dropped: the text before the first heading is an article of its
own (rule ``opening``), and a document with no heading at all is one
article (rule ``document``), each titled by its first heading-like line or,
failing one, by the document.  Reference
lines (``参考：``), the right-aligned ``（名前）`` sign-off and the footnotes
whose markers stand in its body belong to it; running headers, page
numbers, captions and chart labels belong to no article; the head of a
column read after a column that opened the next article may end the article
open when the page began, on evidence (:class:`_ColumnTails`).  Body text keeps
the box of every character, so later stages can point back at the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from pipeline.dataset.ids import article_ids
from pipeline.records import Article, Box, Char, Line, Page, is_wide
from pipeline.settings import ARTICLES, ArticleSettings
from pipeline.split.furniture import AUTHOR, REFERENCE

REGION = re.compile(r"^\s*【([^】]{1,20})】\s*")
FOOTNOTE_START = re.compile(r"^\s*([0-9０-９]{1,2})\s*")
URL_START = re.compile(r"^\s*https?://")


@dataclass
class _Draft:
    heading: list[Line]
    rule: str = "region"  # region, typography, opening, document (see Article.heading_rule)
    title: str | None = None  # for an opening or a whole document: its first sub-heading, or the document's name
    sections: list[str] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    author: str | None = None
    references: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    markers: set[tuple[int, str]] = field(default_factory=set)  # (page, number)
    pages: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class RemovedMarker:
    """A superscript footnote marker the split stage took out of a body line: the glyphs, kept as the step's log."""

    page: int
    number: str
    chars: tuple[Char, ...]


@dataclass(frozen=True)
class Split:
    """What the split stage made of an issue's classified pages: its articles, and the markers it removed from their bodies."""

    articles: tuple[Article, ...]
    markers: tuple[RemovedMarker, ...] = ()

    def removed_chars(self) -> frozenset[Char]:
        """Every glyph of a removed marker, to leave out where page text is shown as the articles read it."""
        return frozenset(char for marker in self.markers for char in marker.chars)


def split_articles(
    doc_id: str, pages: list[Page], body_size: float, settings: ArticleSettings = ARTICLES, document_title: str | None = None
) -> Split:
    """Articles in reading order.

    In an issue headed by ``【region】`` lines, the lines before the first
    heading are front matter (the masthead, the contents) and belong to no
    article.  Elsewhere they open an article of their own, titled by their
    first sub-heading or by ``document_title`` (the document's name).

    The pages and lines given are read, not changed: a body line that
    loses its footnote markers is a new line, and the markers go to
    :attr:`Split.markers`.
    """
    regional = any(line.kind == "heading" and REGION.match(line.text) for page in pages for line in page.lines)
    drafts: list[_Draft] = []
    removed: list[RemovedMarker] = []
    current: _Draft | None = None
    pending_footnotes: list[tuple[int, list[Line]]] = []
    for page in pages:
        previous_kind = None
        tails = _ColumnTails(current)
        for line in page.lines:
            kind = line.kind
            owner = tails.owner(line, current)
            if kind == "heading":
                if current is not None and current.heading and previous_kind == "heading" and not current.body:
                    current.heading.append(line)  # a heading set on two lines
                else:
                    rule = "region" if REGION.match(line.text) else ("size" if regional else "typography")
                    current = _Draft(heading=[line], rule=rule)
                    drafts.append(current)
                current.pages.add(page.index)
                previous_kind = kind
                continue
            if current is None and not regional and kind in ("body", "section"):
                current = _Draft(heading=[], rule="opening")  # text before any heading: kept, not front matter
                drafts.append(current)
            if current is None:
                pass
            elif kind == "section":
                current.sections.append(line.text.strip())
                current.body.append(line)
                current.pages.add(page.index)
            elif kind == "body":
                target = owner or current
                line, markers = _strip_markers(line, body_size, settings)
                target.markers.update((marker.page, marker.number) for marker in markers)
                removed.extend(markers)
                target.body.append(line)
                target.pages.add(page.index)
            elif kind == "reference":
                _add_reference(owner or current, line.text.strip())
            elif kind == "author":
                match = AUTHOR.match(line.text)
                (owner or current).author = _clean_name(match.group(1)) if match else None
            elif kind == "footnote":
                if pending_footnotes and pending_footnotes[-1][0] == page.index:
                    pending_footnotes[-1][1].append(line)
                else:
                    pending_footnotes.append((page.index, [line]))
            previous_kind = kind
    _attach_footnotes(drafts, pending_footnotes, settings)
    # an opening with no running text is a cover's masthead and contents, unless it is all the document holds
    drafts = [draft for draft in drafts if draft.heading or any(line.kind == "body" for line in draft.body) or len(drafts) == 1]
    for draft in drafts:
        if not draft.heading:
            draft.rule = "opening" if len(drafts) > 1 else "document"
            first = next((line for line in draft.body if line.kind == "section"), None)
            if first is None:
                draft.title = document_title or doc_id
            else:  # its first heading-like line is its heading
                draft.heading = [first]
                draft.body = [line for line in draft.body if line is not first]
                draft.sections = draft.sections[1:]
    headings = [_heading(draft) for draft in drafts]
    # ids from the content, not the position: an article found earlier in the issue renames no other
    ids = article_ids(doc_id, headings)
    articles = tuple(
        _finish(doc_id, article_id, seq, draft, heading, settings)
        for seq, (draft, heading, article_id) in enumerate(zip(drafts, headings, ids), start=1)
    )
    return Split(articles, tuple(removed))


class _ColumnTails:
    """Which article the head of a column ends, on one page, when it is not the one read just before it.

    Columns are read left to right, so the lines at the top of a column
    follow whatever the column before it ended with.  When that column
    opened a new article, the head of the next column (its lines above any
    heading of its own) may instead be the end of the article that was
    open when the page began, set apart in a short last column.  It goes
    back to that article on evidence, never by default:

    * a ``参考：`` line or ``（名前）`` sign-off, when that article still
      lacks its sign-off while the new one already has its own;
    * body text, when that article's last line breaks off mid-sentence
      (it runs to its column's edge with no sentence end: ``。``, ``．``,
      ``！``, ``？``, a closing bracket) while the new one's last line or
      sign-off closes it.

    The sign-off closes the tail: lines after it are the column's own.
    """

    def __init__(self, page_start: _Draft | None):
        self.page_start = page_start
        self.seen: set[int] = set()  # columns whose head has been looked at on this page
        self.fragment: dict[int, _Draft] = {}  # column -> the article its head ends

    def owner(self, line: Line, current: _Draft | None) -> _Draft | None:
        """The article ``line`` belongs to when it is such a tail, else None (the current article)."""
        column, kind = line.column, line.kind
        if column == 0:
            return None
        if kind in ("heading", "section"):
            self.seen.add(column)
            self.fragment.pop(column, None)
            return None
        if kind not in ("body", "reference", "author"):
            return None
        if column not in self.seen:
            self.seen.add(column)
            start = self.page_start
            if start is not None and current is not None and start is not current and _continues(start, current, kind):
                self.fragment[column] = start
        owner = self.fragment.get(column)
        if owner is not None and kind == "author":
            self.fragment.pop(column)  # the sign-off closes the tail
        return owner


_SENTENCE_CLOSE = ("。", "．", ".", "！", "？", "!", "?", "」", "』", "）", ")")


def _continues(earlier: _Draft, later: _Draft, kind: str) -> bool:
    """Whether a column head of ``kind`` read after ``later`` is the evidence-backed end of ``earlier``."""
    if kind == "body":
        return _breaks_off(earlier) and (later.author is not None or not _breaks_off(later))
    return earlier.author is None and later.author is not None


def _breaks_off(draft: _Draft) -> bool:
    """The draft's last body line runs to its column's right edge and ends without closing its sentence.

    A line cut short by the column, not a paragraph's or a list item's end
    (those stop short of the edge): its text goes on somewhere else.
    """
    lines = [line for line in draft.body if line.kind == "body"]
    if not lines:
        return False
    last = lines[-1]
    if last.text.rstrip().endswith(_SENTENCE_CLOSE):
        return False
    ends = sorted(line.x1 for line in lines if line.column == last.column)
    edge = ends[len(ends) // 2]  # most lines of running text are full: the middle end is the column's edge
    return last.x1 >= edge - last.size


def _strip_markers(line: Line, body_size: float, settings: ArticleSettings) -> tuple[Line, list[RemovedMarker]]:
    """The body line without its superscript footnote markers, and the markers.

    A marker is a digit raised above the line's baseline; the footnote that
    repeats the number belongs to this article.  Where the repair stage read
    the digit's outline, its ink decides: a font with superscript figures
    (OpenType ``sups``) draws the marker at full size on the baseline, and
    only the outline is raised.  Otherwise a smaller digit lifted off the
    baseline is one; without baselines, the boxes are compared.
    """
    size = line.size  # a median over the line's chars: computed once, not per char
    baseline = _line_baseline(line, size, settings)
    box_baseline = max(c.bottom for c in line.chars)
    kept: list[Char] = []
    digits: list[Char] = []
    markers: list[RemovedMarker] = []
    for char in line.chars:
        if char.text.isdigit() and _is_superscript(char, baseline, box_baseline, size, settings):
            digits.append(char)
            continue
        if digits:
            markers.append(RemovedMarker(line.page, "".join(c.text for c in digits), tuple(digits)))
            digits = []
        kept.append(char)
    if digits:
        markers.append(RemovedMarker(line.page, "".join(c.text for c in digits), tuple(digits)))
    return (replace(line, chars=kept) if markers else line), markers


def _line_baseline(line: Line, size: float, settings: ArticleSettings) -> float | None:
    """Where the line's glyphs of its usual size stand (the middle one of their baselines)."""
    tolerance = settings.baseline_size_tolerance * size
    drawn = sorted(c.baseline for c in line.chars if c.baseline is not None and abs(c.size - size) <= tolerance)
    return drawn[len(drawn) // 2] if drawn else None


def _is_superscript(
    char: Char, baseline: float | None, box_baseline: float, size: float, settings: ArticleSettings
) -> bool:
    if baseline is None or char.baseline is None:
        return char.size < settings.marker_size_ratio * size and char.bottom < box_baseline - settings.marker_box_raise * size
    if char.ink_bottom is not None and char.ink_top is not None:
        return (
            char.ink_bottom < baseline - settings.marker_ink_raise * size
            and char.ink_bottom - char.ink_top < settings.marker_ink_height * size
        )
    return char.size < settings.marker_size_ratio * size and char.baseline < baseline - settings.marker_baseline_raise * size


def _add_reference(draft: _Draft, text: str) -> None:
    """A ``参考：`` line opens a reference; a bare URL piece continues the last one."""
    if REFERENCE.match(text) or URL_START.match(text) or not draft.references:
        draft.references.append(REFERENCE.sub("", text).strip())
    else:
        draft.references[-1] += text


def _attach_footnotes(drafts: list[_Draft], blocks: list[tuple[int, list[Line]]], settings: ArticleSettings) -> None:
    """Give each footnote to the article whose body carries its marker."""
    for page_index, lines in blocks:
        for number, text in _footnote_items(lines, settings):
            owner = next((d for d in drafts if (page_index, number) in d.markers), None)
            if owner is None:
                owner = next((d for d in reversed(drafts) if page_index in d.pages), None)
            if owner is not None:
                owner.footnotes.append(f"{number} {text}".strip())


def _footnote_items(lines: list[Line], settings: ArticleSettings) -> list[tuple[str, str]]:
    """Footnote lines grouped into numbered notes (a note may wrap).

    A note opens with its number set small or followed by text; a wrapped
    line that merely starts with a digit (the rest of a URL) continues it.
    """
    items: list[list[str]] = []
    for line in lines:
        text = line.text.strip()
        match = FOOTNOTE_START.match(text)
        starts_note = match is not None and _looks_like_note_number(line, match.end(), text, settings)
        if starts_note or not items:
            number = match.group(1) if starts_note else ""
            items.append([number, text[match.end():] if starts_note else text])
        else:
            joiner = "" if _joins_tight(items[-1][1], text) else " "
            items[-1][1] += joiner + text
    return [(number, text) for number, text in items]


def _looks_like_note_number(line: Line, end: int, text: str, settings: ArticleSettings) -> bool:
    first = line.chars[0]
    if first.size < settings.note_number_ratio * line.size:
        return True
    rest = text[end:]
    return bool(rest) and (rest[0].isspace() or is_wide(rest[0])) and not URL_START.match(text)


def _joins_tight(before: str, after: str) -> bool:
    if not before or not after:
        return True
    return is_wide(before[-1]) or is_wide(after[0]) or before[-1] in "/-_.=?&"


_URL_TAIL = re.compile(r"(?:https?://|www\.)\S*$")
_HYPHENATED = re.compile(r"[A-Za-z]-$")


def line_joint(before: str, after: str) -> tuple[int, str]:
    """How two lines meet: (characters to drop from ``before``, text to insert).

    >>> line_joint("排出量取引", "制度")
    (0, '')
    >>> line_joint("Viet Nam", "News")
    (0, ' ')
    >>> line_joint("vn-needs-an-appropriate-ets-", "mechanism")
    (1, '')
    >>> line_joint("https://vietnamnews.vn/vn-needs-an-appropriate-ets-", "mechanism")
    (0, '')
    """
    if not before or not after or is_wide(before[-1]) or is_wide(after[0]):
        return 0, ""
    if _URL_TAIL.search(before) or before[-1] == "/":
        return 0, ""  # a URL broken over two lines
    if _HYPHENATED.search(before) and after[0].islower():
        return 1, ""  # a word hyphenated at the line end
    if before[-1] == "-":
        return 0, ""
    return 0, " "


def _clean_name(name: str) -> str:
    return re.sub(r"[\s\u3000]+", " ", name).strip()


def _heading(draft: _Draft) -> tuple[str | None, str]:
    """The article's region (from ``【region】``) and title."""
    if not draft.heading:
        return None, draft.title or ""
    heading = _join_plain(draft.heading)
    match = REGION.match(heading)
    region = match.group(1).strip() if match else None
    title = heading[match.end():].strip() if match else heading.strip()
    return region, title


def _finish(
    doc_id: str, article_id: str, seq: int, draft: _Draft, heading: tuple[str | None, str], settings: ArticleSettings
) -> Article:
    region, title = heading
    body, boxes = join_body(draft.body, settings)
    pages = sorted(draft.pages) or [(draft.heading or draft.body)[0].page]
    return Article(
        doc_id=doc_id,
        article_id=article_id,  # from the content (pipeline.dataset.ids)
        seq=seq,
        region=region,
        title=title,
        author=draft.author,
        page_start=pages[0],
        page_end=pages[-1],
        body=body,
        body_boxes=boxes,
        references=draft.references,
        footnotes=draft.footnotes,
        heading_box=Box.union([line.box for line in draft.heading]),
        sections=draft.sections,
        heading_rule=draft.rule,
    )


def _join_plain(lines: list[Line]) -> str:
    text = ""
    for line in lines:
        piece = line.text.strip()
        text += piece if _joins_tight(text, piece) else " " + piece
    return text


def join_body(lines: list[Line], settings: ArticleSettings = ARTICLES) -> tuple[str, list[Box | None]]:
    """Body text the Japanese way, with each character's box.

    Lines join without a space unless Latin text meets Latin text; a line
    indented from its column's left edge opens a new paragraph (``\\n``),
    and a sub-heading (kind ``section``) stands on a line of its own.
    """
    text: list[str] = []
    boxes: list[Box | None] = []
    edges = _column_edges(lines, settings)
    for index, line in enumerate(lines):
        pieces = [(t, c) for t, c in line.text_with_chars()]
        while pieces and pieces[0][0].isspace():
            pieces.pop(0)
        while pieces and pieces[-1][0].isspace():
            pieces.pop()
        if not pieces:
            continue
        if index > 0 and text:
            left = edges.get((line.page, line.column), line.x0)
            own_line = line.kind == "section" or lines[index - 1].kind == "section"
            if own_line or _ink_left(line) > left + settings.paragraph_indent * line.size:
                text.append("\n")
                boxes.append(None)
            else:
                before = "".join(text[max(0, len(text) - settings.joint_context_before) :])
                drop, joiner = line_joint(before, "".join(p for p, _ in pieces[: settings.joint_context_after]))
                del text[len(text) - drop :], boxes[len(boxes) - drop :]
                if joiner:
                    text.append(joiner)
                    boxes.append(None)
        for piece, char in pieces:
            for letter in piece:
                text.append(letter)
                boxes.append(char.box if char is not None else None)
    return "".join(text), boxes


def _ink_left(line: Line) -> float:
    """Where the line's first visible glyph starts: an indent may be a drawn space."""
    return next((c.x0 for c in line.chars if not c.text.isspace()), line.x0)


def _column_edges(lines: list[Line], settings: ArticleSettings) -> dict[tuple[int, int], float]:
    """The left edge of each column on each page: where unindented lines start."""
    starts: dict[tuple[int, int], list[float]] = {}
    for line in lines:
        starts.setdefault((line.page, line.column), []).append(_ink_left(line))
    edges = {}
    for key, values in starts.items():
        values.sort()
        # the most common low value, robust to a stray outdented glyph
        edges[key] = values[len(values) // settings.column_edge_rank] if len(values) > settings.column_edge_min_lines else values[0]
    return edges
