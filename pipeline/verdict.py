"""The verdict stage: whether a document was read whole (``ok``) or in part (``partial``), and why.

Decided from what the stages recorded, never from the text: unreadable
pages, characters left unknown or read by shape alone, glyphs drawn off the
page, pages read by OCR with low confidence, and an issue in which no
article was found.
"""

from __future__ import annotations

from pipeline.codes import ErrorCode
from pipeline.ocr import GOOD_CONFIDENCE, OCR_RULES, low_confidence_pages
from pipeline.reading import OFF_PAGE, page_code
from pipeline.records import Article, Document
from pipeline.repair.glyphs import UNRESOLVED

CONFIRMED = 0.85  # a repair less sure than this is a reading, not evidence: the document says so


def judge(document: Document, articles: list[Article]) -> tuple[str, str | None, ErrorCode | None]:
    """``partial`` with the reasons, and the first one's code, when some of the document could not be read."""
    problems: list[str] = []
    codes: list[ErrorCode] = []
    bad_pages = [page for page in document.pages if page.error]
    if bad_pages:  # the first page's reason says why; the pages table has each one's
        problems.append(f"unreadable pages {[page.index + 1 for page in bad_pages]} ({bad_pages[0].error})")
        codes.append(page_code(bad_pages[0].error, ErrorCode.UNREADABLE_PAGES))
    unresolved = sum(1 for repair in document.repairs if repair.fixed == UNRESOLVED)
    if unresolved:
        problems.append(f"{unresolved} characters could not be decoded (kept as U+FFFD)")
        problems.extend(note for note in document.notes if not note.endswith(OFF_PAGE))
        codes.append(ErrorCode.UNDECODED_CHARACTERS)
    off_page = [note for note in document.notes if note.endswith(OFF_PAGE)]
    if off_page:
        problems.extend(off_page)
        codes.append(ErrorCode.OFF_PAGE_GLYPHS)
    poorly_read = low_confidence_pages(document.pages)
    if poorly_read:
        shown = ", ".join(f"{page.index + 1} ({page.ocr_confidence:.2f})" for page in poorly_read)
        problems.append(f"pages read by OCR with low confidence (mean below {GOOD_CONFIDENCE}): {shown}; check the scan, or scan again at 300 dpi")
        codes.append(ErrorCode.LOW_OCR_CONFIDENCE)
    unconfirmed = sum(
        1
        for repair in document.repairs
        if repair.fixed not in ("", UNRESOLVED) and repair.confidence < CONFIRMED and not repair.rule.startswith(OCR_RULES)
    )  # a page read by OCR is judged by its confidence above, its corrections with it
    if unconfirmed:
        problems.append(f"{unconfirmed} characters read by shape recognition alone, unconfirmed (confidence below {CONFIRMED}; see repairs)")
        codes.append(ErrorCode.UNCONFIRMED_READINGS)
    if not articles:
        problems.append("no article text found (every line is page furniture)")
        codes.append(ErrorCode.NO_ARTICLES)
    return ("partial", "; ".join(problems), codes[0]) if problems else ("ok", None, None)
