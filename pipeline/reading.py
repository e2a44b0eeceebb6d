"""The read stage: one PDF's pages extracted and repaired into a :class:`Document`.

The dearest part of a run (pdfminer, font evidence, glyph OCR) and the one
that depends on the least: the file's bytes, the extract and repair code,
their libraries and the page bounds.  So its output is kept between runs
(:func:`read_key`, :mod:`pipeline.stage_cache`) and a change to split or
pull reads no PDF again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path

from pipeline import limits
from pipeline.codes import ErrorCode
from pipeline.extract import ExtractError, build_lines, read_pages
from pipeline.extract.ruby import take_horizontal_ruby
from pipeline.limits import PageTooComplex
from pipeline.records import Document, Page, Repair
from pipeline.ocr import read_scanned_pages
from pipeline.settings import LAYOUT, OCR, LayoutSettings, OcrSettings
from pipeline.repair import FontBook, repair_lines
from pipeline.repair.glyph_ocr import implausible_fonts, recognise_unresolved
from pipeline.repair.glyph_reading import read_unknown_glyphs
from pipeline.sources import doc_id_for, sha256_of
from pipeline.timing import StageClock

#: Distributions whose version changes what the read stage gives.
LIBRARIES = ("pdfplumber", "pdfminer.six", "pypdfium2", "ftfy", "fonttools", "tesserocr", "pillow", "numpy")
OFF_PAGE = "drawn outside the page left out"


def read_pdf(
    path: Path,
    password: str | None = None,
    on_page: Callable[[int], None] | None = None,
    clock: StageClock | None = None,
    source: str | None = None,
    layout: LayoutSettings = LAYOUT,
    ocr_settings: OcrSettings = OCR,
) -> Document:
    """The document as the PDF draws it, its glyphs repaired: pages of lines, every repair step, the fonts' verdicts.

    Pages that gave no glyphs (scans, image-only pages) are read from their
    image by OCR (:mod:`pipeline.ocr`); a document may mix both kinds.
    """
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
                lines = take_horizontal_ruby(build_lines(pdf_page.chars, pdf_page.width, layout, rules=pdf_page.rules or ()), layout)
            with clock.stage("repair"):
                fonts.add(pdf_page.fonts)
                lines, repairs = repair_lines(lines, fonts)
            pages.append(
                Page(
                    pdf_page.index,
                    pdf_page.width,
                    pdf_page.height,
                    lines,
                    error=pdf_page.error,
                    rules=pdf_page.rules or (),
                    frames=pdf_page.frames or (),
                )
            )
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
    with clock.stage("extract"):  # a look at the page objects (pdfium), about 1.4 ms a page
        document = _set_aside_unreadable_layers(document, path, password)
    imageless = [page for page in document.pages if not page.lines and page.error is None]
    blank: list[int] = []
    if imageless:
        with clock.stage("ocr"):
            scanned = read_scanned_pages(path, imageless, password, ocr_settings, layout)
        blank = scanned.blank
        document = replace(
            document,
            pages=[scanned.pages.get(page.index, page) for page in document.pages],
            repair_steps=[*document.repair_steps, *scanned.steps],
            notes=[*document.notes, *scanned.notes],
        )
    if not any(page.lines for page in document.pages):
        error, code = _why_no_text(document, blank)
        return replace(document, status="failed", error=error, error_code=code)
    return document


def _set_aside_unreadable_layers(document: Document, path: Path, password: str | None) -> Document:
    """The document with the text of pages whose layer is an invisible OCR layer or undecodable, over a picture of
    the page, set aside (and its repairs), so that the picture is read by OCR like a scan; the notes say why."""
    from pipeline.ocr.text_layer import unreadable_layers

    texts = {page.index: "".join(line.text for line in page.lines) for page in document.pages if page.lines}
    layered = unreadable_layers(path, texts, password) if texts else {}
    if not layered:
        return document
    return replace(
        document,
        pages=[replace(page, lines=()) if page.index in layered else page for page in document.pages],
        repair_steps=[step for step in document.repair_steps if step.page not in layered],
        notes=[*document.notes, *(f"page {index + 1}: {why}: read by OCR instead" for index, why in sorted(layered.items()))],
    )


def _why_no_text(document: Document, blank: list[int] = ()) -> tuple[str, ErrorCode]:
    """The reason a document gave no text at all, and its code: no pages, pages that broke, blank pages, or a scan OCR found nothing on."""
    if not document.pages:
        return "PDF has no pages", ErrorCode.NO_PAGES
    errors = [page.error for page in document.pages if page.error]
    if not errors:
        if len(blank) == len(document.pages):
            return "no text layer and no ink: every page is blank", ErrorCode.NO_TEXT_LAYER
        return "no text layer, and OCR found no text on the page images", ErrorCode.NO_TEXT_LAYER
    scans = [page.error for page in document.pages if page.error and page.source == "ocr"]
    if len(scans) == len(errors):  # every page that failed is a scan OCR could not read: the file is still one without text
        more = f" (and {len(scans) - 1} more pages)" if len(scans) > 1 else ""
        return f"no text layer, and the page images could not be read: {scans[0]}{more}", ErrorCode.NO_TEXT_LAYER
    if len(errors) == len(document.pages):
        more = f" (and {len(errors) - 1} more pages)" if len(errors) > 1 else ""
        return f"no page could be read: {errors[0]}{more}", page_code(errors[0], ErrorCode.NO_PAGE_READABLE)
    return (
        f"no text layer on the readable pages, and {len(errors)} pages unreadable: {errors[0]}",
        page_code(errors[0], ErrorCode.UNREADABLE_PAGES),
    )


def page_code(page_error: str, otherwise: ErrorCode) -> ErrorCode:
    """``page_too_complex`` when a page broke a per-page bound, else ``otherwise``.

    Pages carry their reason as text only (``PdfPage.error``), with the
    exception's name in it; until they carry a code, that name is the one
    word read here.
    """
    return ErrorCode.PAGE_TOO_COMPLEX if PageTooComplex.__name__ in page_error else otherwise


OFF_PAGE = "drawn outside the page left out"


def read_key(sha256: str, layout: LayoutSettings = LAYOUT, ocr: OcrSettings = OCR) -> str:
    """What a kept read of the file with hash ``sha256`` must have been made with.

    The file's bytes; the code the stage runs (:func:`code_key` follows its
    imports); the versions of its libraries; what the repair stage may
    consult besides the PDF (reference fonts, Tesseract's models); the
    per-page bounds, which decide which pages are read at all; the
    layout settings, which decide its lines; and the OCR settings, which
    decide how pages without text are read.
    """
    from pipeline.record_codec import FORMAT
    from pipeline.stage_cache import code_key, library_versions, text_key

    bounds = asdict(limits.current())
    pages = {name: bounds[name] for name in ("operators_per_page", "glyphs_per_page", "forms_per_page")}
    return text_key("read", sha256, code_key(__name__), FORMAT, *library_versions(LIBRARIES), evidence_settings(), repr(sorted(pages.items())), repr(layout), repr(ocr))


def evidence_settings() -> str:
    """What the repair stage may consult besides the PDF: installed reference fonts (or the
    switch that hides them) and Tesseract's models, by name."""
    from pipeline.repair.ocr_engine import engine_note, installed_languages
    from pipeline.repair.reference_fonts import reference_fonts_enabled

    return f"fonts={reference_fonts_enabled()};ocr={engine_note() is None}:{','.join(installed_languages())}"
