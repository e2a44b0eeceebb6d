"""Pages without a text layer, read from their image by OCR into the same records as drawn text.

Scanned issues (old numbers, issues printed and scanned back) draw each page
as one picture.  The read stage (:mod:`pipeline.reading`) hands every page
that gave no glyphs to :func:`read_scanned_pages`, which

1. draws the page in grey at 300 dpi and checks the scan's own resolution
   (:mod:`pipeline.ocr.render`);
2. tells a blank page from a scanned one by its ink, and a page laid
   sideways or upside down by Tesseract's orientation detection (it is read
   turned upright);
3. prepares the image (:mod:`pipeline.ocr.prepare`) and reads it with
   Tesseract (:mod:`pipeline.ocr.read`) into :class:`~pipeline.records.Char`
   records, each with its box in points and its confidence;
4. puts them in lines and reading order with the layout stage's own
   :func:`~pipeline.extract.build_lines`, and corrects what OCR is known to
   confuse, safely, logging each change as a repair (:mod:`pipeline.ocr.correct`).

Split, pull, the tables and the audit report then work unchanged; the page
says it was read by OCR (``Page.source``) and how sure the reading was
(``Page.ocr_confidence``), and the verdict stage marks a document whose OCR
pages read poorly as ``partial``.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.records import Page, Repair
from pipeline.settings import LAYOUT, OCR, LayoutSettings, OcrSettings

#: An OCR page whose characters read with a mean confidence below this is reported (documents.status partial).
GOOD_CONFIDENCE = 0.80
#: The rules of the corrections made on OCR pages (pipeline.ocr.correct) start with this.
OCR_RULES = "ocr_"
#: A character read with less confidence than this is boxed in the audit report, and a figure holding one is flagged.
LOW_CONFIDENCE = 0.60


@dataclass
class OcrOutcome:
    """What OCR made of a document's pages without text: the pages read, the corrections, the notes."""

    pages: dict[int, Page] = field(default_factory=dict)
    steps: list[Repair] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    blank: list[int] = field(default_factory=list)


def engine_problem() -> str | None:
    """Why pages cannot be read by OCR here (no tesserocr, no Japanese model), or None."""
    from pipeline.repair.ocr_engine import engine_note

    note = engine_note()
    return None if note is None else note.replace("glyph shapes not read", "no OCR")


def read_scanned_pages(
    path: Path,
    pages: list[Page],
    password: str | None = None,
    settings: OcrSettings = OCR,
    layout: LayoutSettings = LAYOUT,
) -> OcrOutcome:
    """Read each of ``pages`` (pages that gave no glyphs) from its image; a page that cannot be read gets its reason as its error."""
    from pipeline.extract import build_lines
    from pipeline.ocr import prepare
    from pipeline.ocr.correct import correct_lines
    from pipeline.ocr.read import Frame, orientation, read_page
    from pipeline.ocr.render import RENDER_DPI, open_pdf, render_page

    outcome = OcrOutcome()
    if not pages:
        return outcome
    problem = engine_problem()
    try:
        pdf = open_pdf(path, password)
    except Exception as error:  # pdfplumber read it, pdfium does not: the pages stay unread, with the reason
        problem = f"page image cannot be drawn ({type(error).__name__}: {error})"
        pdf = None
    try:
        for page in pages:
            number = page.index + 1
            if pdf is None:
                outcome.pages[page.index] = replace(page, source="ocr", error=f"page {number} has no text layer and {problem}")
                continue
            try:
                drawn = render_page(pdf, page.index, RENDER_DPI)
            except Exception as error:
                outcome.pages[page.index] = replace(page, source="ocr", error=f"page {number} has no text layer and its image cannot be drawn: {type(error).__name__}: {error}"[:300])
                continue
            if prepare.ink_share(drawn.image) < settings.blank_ink:
                outcome.blank.append(page.index)
                outcome.notes.append(f"page {number} is blank: no text layer and no ink")
                continue
            if problem is not None:
                outcome.pages[page.index] = replace(page, source="ocr", error=f"page {number} is an image without text and {problem}")
                continue
            too_coarse = prepare.resolution_problem(drawn.scan_dpi, settings.min_dpi)
            if too_coarse is not None:
                outcome.pages[page.index] = replace(page, source="ocr", error=f"page {number} {too_coarse}")
                continue
            if drawn.scan_dpi is not None and drawn.scan_dpi < 0.9 * RENDER_DPI:
                outcome.notes.append(f"page {number} scanned at {drawn.scan_dpi:.0f} dpi: read from an upscaled image, below the 300 dpi OCR is best at")
            image, width, height = drawn.image, drawn.width, drawn.height
            turned = orientation(image)
            if turned is not None and turned[0] and turned[1] >= _orientation_confidence():
                image = image.rotate(turned[0], expand=True)
                if turned[0] in (90, 270):
                    width, height = height, width
                outcome.notes.append(
                    f"page {number} was scanned turned {turned[0]}°: read turned upright (its boxes are on the upright page, {width:.0f}×{height:.0f} pt)"
                )
            angle = 0.0
            if settings.deskew_from > 0:
                leaning = prepare.skew_angle(image)
                if abs(leaning) >= settings.deskew_from:
                    image, angle = image.rotate(-leaning, resample=_bicubic(), fillcolor=255), leaning
            if settings.binarise:
                image = prepare.binarise(image)
            if settings.remove_rules:
                image = prepare.remove_rules(image, drawn.dpi)
            reading = read_page(image, Frame(drawn.dpi, angle, *image.size), page.index)
            lines = [_picture_label(line, reading.figure) for line in build_lines(reading.chars, width, layout)]
            if settings.correct:
                lines, steps = correct_lines(lines)
                outcome.steps.extend(steps)
            confidences = [char.confidence for line in lines for char in line.chars if char.confidence is not None]
            mean = round(statistics.fmean(confidences), 3) if confidences else 0.0
            outcome.pages[page.index] = replace(page, width=width, height=height, lines=lines, source="ocr", ocr_confidence=mean)
            if not lines:
                outcome.notes.append(f"page {number}: OCR found no text on its image")
    finally:
        if pdf is not None:
            pdf.close()
    return outcome


def _picture_label(line, figure: frozenset):
    """``line`` as a label when every char of it is a picture's text (a chart's ticks and categories, :func:`pipeline.ocr.read.read_page`).

    The split stage keeps the kind (:func:`pipeline.split.furniture.classify_page`):
    a text layer tells a chart's labels by their small type, a scan by where they stand.
    """
    if line.chars and all(char in figure for char in line.chars):
        return replace(line, kind="label")
    return line


def _orientation_confidence() -> float:
    from pipeline.ocr.read import ORIENTATION_CONFIDENCE

    return ORIENTATION_CONFIDENCE


def _bicubic():
    from PIL import Image

    return Image.Resampling.BICUBIC


def low_confidence_pages(pages) -> list[Page]:
    """The OCR pages whose mean confidence is below :data:`GOOD_CONFIDENCE`."""
    return [page for page in pages if page.source == "ocr" and page.ocr_confidence is not None and page.ocr_confidence < GOOD_CONFIDENCE]
