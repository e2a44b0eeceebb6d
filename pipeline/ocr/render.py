"""A page of the PDF as a grey image, and the resolution it was scanned at.

pypdfium2 (already the audit report's renderer) draws the page as a viewer
would, whatever its images' filters.  The scan's own resolution is read
from the largest image on the page: its pixels over the inches it covers.
A page drawn at 150 dpi and rendered at 300 has no more detail than at
150; the resolution check (:mod:`pipeline.ocr.prepare`) needs the scan's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Tesseract's models were trained on text of about 10 pt at 300 dpi (its documentation's advice).
RENDER_DPI = 300


@dataclass(frozen=True)
class PageImage:
    """One page drawn in grey at ``dpi``, with the page's size in points and the scan's own resolution."""

    image: object  # PIL.Image.Image, mode "L"
    dpi: float
    width: float  # page size in points
    height: float
    scan_dpi: float | None  # the largest image's pixels per inch on the page; None: no image


def render_page(pdf, index: int, dpi: float = RENDER_DPI) -> PageImage:
    """Page ``index`` of an open ``pypdfium2.PdfDocument`` in grey at ``dpi``."""
    page = pdf[index]
    try:
        width, height = page.get_size()
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        image = bitmap.to_pil().convert("L")
        return PageImage(image, dpi, float(width), float(height), _scan_dpi(page))
    finally:
        page.close()


def _scan_dpi(page) -> float | None:
    """Pixels per inch of the largest image drawn on ``page`` (by area on the page)."""
    import pypdfium2.raw as pdfium_c

    best: tuple[float, float] | None = None
    try:
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            left, bottom, right, top = obj.get_bounds()
            pixels = obj.get_px_size()
            inches = (right - left) / 72
            if inches <= 0 or not pixels or not pixels[0]:
                continue
            area = (right - left) * (top - bottom)
            if best is None or area > best[0]:
                best = (area, pixels[0] / inches)
    except Exception:  # an image pdfium cannot describe: the check is skipped, the page still read
        return None
    return None if best is None else best[1]


def open_pdf(path: Path, password: str | None = None):
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(str(path), password=password or None)
