"""Run the stages over one document, and over a folder of them.

One document in, its table rows out: :func:`process_document` holds no
state between documents, so a batch can be split across processes.  A
document that cannot be read gives a ``failed`` row with the reason, and the
batch goes on.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from pipeline import __version__
from pipeline.codes import ErrorCode
from pipeline.extract import ExtractError, build_lines, read_pages
from pipeline.limits import PageTooComplex
from pipeline.dataset.ids import repair_ids
from pipeline.extract.layout import dominant_size
from pipeline.pull import PulledRows, pull_articles
from pipeline.records import Article, Document, Line, Page, Repair
from pipeline.repair import UNRESOLVED, FontBook, repair_lines
from pipeline.repair.glyph_ocr import implausible_fonts, recognise_unresolved
from pipeline.repair.glyph_reading import read_unknown_glyphs
from pipeline.split import classify_page, read_issue, split_articles
from pipeline.split.articles import Split
from pipeline.timing import StageClock


@dataclass(frozen=True)
class DocumentResult:
    """Everything one document contributes to the tables."""

    document: Document
    split: Split = Split(())
    pulled: PulledRows = field(default_factory=PulledRows)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (pipeline.timing)

    @property
    def articles(self) -> tuple[Article, ...]:
        return self.split.articles

    def rows(self) -> dict[str, list[dict]]:
        removed = self.split.removed_chars()
        return {
            "documents": [document_row(self.document, len(self.articles))],
            "pages": [page_row(self.document, page, removed) for page in self.document.pages],
            "articles": [article_row(article) for article in self.articles],
            "figures": self.pulled.figures,
            "dates": self.pulled.dates,
            "entities": self.pulled.entities,
            "fonts": font_rows(self.document),
            "repairs": [
                {"doc_id": self.document.doc_id, "repair_id": repair_id, **vars(repair), "page": repair.page + 1}
                for repair, repair_id in zip(self.document.repairs, repair_ids(self.document.doc_id, self.document.repairs))
            ],
        }


def source_name(path: Path, root: Path | None = None) -> str:
    """How a file is named in the tables: its path under the batch folder (``2025/05.pdf``).

    Files straight in the folder are named by their file name alone; the
    folders above a nested file are kept, so that ``2024/05.pdf`` and
    ``2025/05.pdf`` stay two documents.
    """
    if root is not None:
        try:
            return readable_name(path.relative_to(root).as_posix())
        except ValueError:
            pass
    return readable_name(path.name)


def readable_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (names from old Windows shares) shown escaped, ``bad\\xff.pdf``.

    Python keeps such bytes as lone surrogates, which no table, JSON or
    Parquet file can hold; the escaped form is stable, so ids stay stable.
    """
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def doc_id_for(source: str) -> str:
    """A stable, readable id: the source name (:func:`source_name`) without extension, made safe (``2025_05``)."""
    name = PurePosixPath(source)
    return re.sub(r"[^\w.\-]+", "_", str(name.with_suffix("")) if name.suffix else str(name))


def sha256_of(path: Path) -> str:
    """The hash of a regular file's bytes; OSError for anything else (a FIFO would block the read forever)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(f"not a regular file: {path}")
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_document(
    path: Path,
    password: str | None = None,
    on_page: Callable[[int], None] | None = None,
    clock: StageClock | None = None,
    source: str | None = None,
) -> tuple[Document, float]:
    """Extract and repair every page (:func:`read_pdf`), then mark its furniture (:func:`find_furniture`).

    Returns the document and its body text size.  A file that cannot be
    read comes back with ``status="failed"`` and the reason.  ``clock``
    collects the seconds spent in extract, repair and split; ``source`` is
    the file's name in the tables (see :func:`source_name`).
    """
    clock = clock or StageClock()
    document = read_pdf(path, password, on_page, clock, source)
    if document.status == "failed":
        return document, 0.0
    with clock.stage("split"):
        return find_furniture(document)


def read_pdf(
    path: Path,
    password: str | None = None,
    on_page: Callable[[int], None] | None = None,
    clock: StageClock | None = None,
    source: str | None = None,
) -> Document:
    """The document as the PDF draws it, its glyphs repaired: pages of lines, every repair step, the fonts' verdicts."""
    clock = clock or StageClock()
    source = source or path.name
    with clock.stage("extract"):
        base = Document(doc_id=doc_id_for(source), source=source, sha256=sha256_of(path))
    fonts = FontBook()
    pages: list[Page] = []
    steps: list[Repair] = []
    notes: list[str] = []
    try:
        for pdf_page in clock.timed(read_pages(path, password), "extract"):
            with clock.stage("extract"):
                lines = build_lines(pdf_page.chars, pdf_page.width)
            with clock.stage("repair"):
                fonts.add(pdf_page.fonts)
                lines, repairs = repair_lines(lines, fonts)
            pages.append(Page(pdf_page.index, pdf_page.width, pdf_page.height, lines, error=pdf_page.error))
            steps.extend(repairs)
            if pdf_page.off_page:
                notes.append(f"page {pdf_page.index + 1}: {pdf_page.off_page} glyphs {OFF_PAGE}")
            if on_page:
                on_page(pdf_page.index)
    except ExtractError as error:
        return replace(base, status="failed", error=str(error), error_code=error.code)
    except Exception as error:  # a file that breaks pdfminer mid-way
        return replace(base, status="failed", error=f"unreadable: {type(error).__name__}: {error}"[:300], error_code=ErrorCode.DAMAGED_PDF)
    document = replace(base, pages=pages, repair_steps=steps, notes=notes, n_pages=len(pages))
    with clock.stage("repair"):
        soup = implausible_fonts(document)
        document, reading = read_unknown_glyphs(document, path, fonts, skip_fonts=soup)
        document, ocr = recognise_unresolved(document, path, fonts, soup)
        notes = [*document.notes, *dict.fromkeys(filter(None, (reading.note, ocr.note)))]
        notes.extend(f"{count} unknown glyphs left unread: {why}" for why, count in sorted(reading.unread.items()))
        document = replace(document, fonts=fonts.reports(), notes=notes)
    if not any(page.lines for page in document.pages):
        error, code = _why_no_text(document)
        return replace(document, status="failed", error=error, error_code=code)
    return document


def find_furniture(document: Document) -> tuple[Document, float]:
    """The document with each line's kind, each page's printed number and the issue's name and date; and the body text size."""
    all_lines = [line for page in document.pages for line in page.lines]
    body_size = dominant_size(all_lines)
    pages = [classify_page(page, body_size) for page in document.pages]
    issue = read_issue(pages)
    document = replace(document, pages=pages, newsletter=issue.newsletter, issue_label=issue.issue_label, issue_date=issue.issue_date)
    return document, body_size


def process_document(
    path: Path,
    password: str | None = None,
    entity_finder=None,
    on_page: Callable[[int], None] | None = None,
    source: str | None = None,
) -> DocumentResult:
    """Extract, repair, split and pull one PDF."""
    clock = StageClock()
    document, body_size = read_document(path, password, on_page, clock, source)
    if document.status == "failed":
        return DocumentResult(document, timings=clock.seconds)
    with clock.stage("split"):
        split = split_articles(document.doc_id, document.pages, body_size)
    with clock.stage("pull"):
        pulled = pull_articles(split.articles, document.issue_date, entity_finder)
    status, error, code = _judge(document, split.articles)
    document = replace(document, status=status, error=error, error_code=code)
    return DocumentResult(document, split, pulled, timings=clock.seconds)


def _why_no_text(document: Document) -> tuple[str, ErrorCode]:
    """The reason a document gave no text at all, and its code: no pages, pages that broke, or a scan."""
    if not document.pages:
        return "PDF has no pages", ErrorCode.NO_PAGES
    errors = [page.error for page in document.pages if page.error]
    if not errors:
        return "no text layer: scanned or image-only PDF", ErrorCode.NO_TEXT_LAYER
    if len(errors) == len(document.pages):
        more = f" (and {len(errors) - 1} more pages)" if len(errors) > 1 else ""
        return f"no page could be read: {errors[0]}{more}", _page_code(errors[0], ErrorCode.NO_PAGE_READABLE)
    return (
        f"no text layer on the readable pages, and {len(errors)} pages unreadable: {errors[0]}",
        _page_code(errors[0], ErrorCode.UNREADABLE_PAGES),
    )


def _page_code(page_error: str, otherwise: ErrorCode) -> ErrorCode:
    """``page_too_complex`` when a page broke a per-page bound, else ``otherwise``.

    Pages carry their reason as text only (``PdfPage.error``), with the
    exception's name in it; until they carry a code, that name is the one
    word read here.
    """
    return ErrorCode.PAGE_TOO_COMPLEX if PageTooComplex.__name__ in page_error else otherwise


OFF_PAGE = "drawn outside the page left out"
CONFIRMED = 0.85  # a repair less sure than this is a reading, not evidence: the document says so


def _judge(document: Document, articles: list[Article]) -> tuple[str, str | None, ErrorCode | None]:
    """``partial`` with the reasons, and the first one's code, when some of the document could not be read."""
    problems: list[str] = []
    codes: list[ErrorCode] = []
    bad_pages = [page for page in document.pages if page.error]
    if bad_pages:  # the first page's reason says why; the pages table has each one's
        problems.append(f"unreadable pages {[page.index + 1 for page in bad_pages]} ({bad_pages[0].error})")
        codes.append(_page_code(bad_pages[0].error, ErrorCode.UNREADABLE_PAGES))
    unresolved = sum(1 for repair in document.repairs if repair.fixed == UNRESOLVED)
    if unresolved:
        problems.append(f"{unresolved} characters could not be decoded (kept as U+FFFD)")
        problems.extend(note for note in document.notes if not note.endswith(OFF_PAGE))
        codes.append(ErrorCode.UNDECODED_CHARACTERS)
    off_page = [note for note in document.notes if note.endswith(OFF_PAGE)]
    if off_page:
        problems.extend(off_page)
        codes.append(ErrorCode.OFF_PAGE_GLYPHS)
    unconfirmed = sum(1 for repair in document.repairs if repair.fixed not in ("", UNRESOLVED) and repair.confidence < CONFIRMED)
    if unconfirmed:
        problems.append(f"{unconfirmed} characters read by shape recognition alone, unconfirmed (confidence below {CONFIRMED}; see repairs)")
        codes.append(ErrorCode.UNCONFIRMED_READINGS)
    if not articles:
        problems.append("no 【region】 articles found")
        codes.append(ErrorCode.NO_ARTICLES)
    return ("partial", "; ".join(problems), codes[0]) if problems else ("ok", None, None)


def font_rows(document: Document) -> list[dict]:
    """Each font with its verdict, and how many of its glyphs were drawn, repaired and left unknown."""
    drawn = Counter(char.font_key for page in document.pages for line in page.lines for char in line.chars)
    repaired = Counter(repair.font for repair in document.repairs if repair.fixed != UNRESOLVED)
    unresolved = Counter(repair.font for repair in document.repairs if repair.fixed == UNRESOLVED)
    return [
        {
            "doc_id": document.doc_id,
            **vars(report),
            "glyphs": drawn[report.font] + sum(1 for repair in document.repairs if repair.font == report.font and repair.fixed == ""),
            "repaired": repaired[report.font],
            "unresolved": unresolved[report.font],
        }
        for report in document.fonts
    ]


def document_row(document: Document, n_articles: int) -> dict:
    return {
        "doc_id": document.doc_id,
        "source": document.source,
        "newsletter": document.newsletter,
        "issue_label": document.issue_label,
        "issue_date": document.issue_date,
        "n_pages": document.n_pages,
        "n_articles": n_articles,
        "status": str(document.status),
        "error": document.error,
        "error_code": None if document.error_code is None else str(document.error_code),
        "pipeline_version": __version__,
        "sha256": document.sha256,
    }


def page_row(document: Document, page: Page, removed: frozenset = frozenset()) -> dict:
    """The page's row; its text as the articles read it, without the footnote markers the split stage ``removed``."""
    on_page = [repair for repair in document.repairs if repair.page == page.index]
    text = "\n".join(_without(line, removed).text for line in page.lines)
    return {
        "doc_id": document.doc_id,
        "page_index": page.index,
        "page_label": page.label,
        "width": page.width,
        "height": page.height,
        "text": text,
        "n_chars": sum(1 for ch in text if not ch.isspace()),
        "n_repaired": sum(1 for repair in on_page if repair.fixed != UNRESOLVED),
        "n_unresolved": sum(1 for repair in on_page if repair.fixed == UNRESOLVED),
        "error": page.error,
    }


def _without(line: Line, removed: frozenset) -> Line:
    if removed and not removed.isdisjoint(line.chars):
        return replace(line, chars=[char for char in line.chars if char not in removed])
    return line


def article_row(article: Article) -> dict:
    return {
        "doc_id": article.doc_id,
        "article_id": article.article_id,
        "seq": article.seq,
        "region": article.region,
        "title": article.title,
        "author": article.author,
        "page_start": article.page_start + 1,
        "page_end": article.page_end + 1,
        "body": article.body,
        "references": "\n".join(article.references),
        "footnotes": "\n".join(article.footnotes),
    }
