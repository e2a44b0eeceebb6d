"""Page images and glyph crops for the audit report, rendered with pypdfium2.

pdfium draws the page as a viewer shows it; boxes from the tables (points
from the top-left, as pdfplumber gives them) map onto an image by one
factor, ``pixels / points``.  The report places boxes in percent of the
page size, so they stay on their glyphs at any zoom.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import ImageDraw

PAGE_SCALE = 2.0  # 144 dpi: sharp enough to read 8pt footnotes on screen
CROP_SCALE = 6.0  # glyph crops: one glyph is 60-ish pixels high
CROP_MARGIN = (8.0, 3.0)  # points of context left/right and above/below a glyph


@dataclass(frozen=True)
class PageImage:
    """One rendered page: its file (relative to the report) and size in points."""

    page: int  # 1-based, as in the tables
    file: str
    width: float
    height: float


@dataclass(frozen=True)
class GlyphBox:
    page: int  # 1-based
    x0: float
    top: float
    x1: float
    bottom: float


def render_pages(pdf_path: Path, image_dir: Path, stem: str, password: str | None = None, scale: float = PAGE_SCALE) -> list[PageImage]:
    """Every page of ``pdf_path`` as ``image_dir/STEM-pNNN.png``."""
    image_dir.mkdir(parents=True, exist_ok=True)
    images = []
    pdf = pdfium.PdfDocument(str(pdf_path), password=password)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            name = f"{stem}-p{index + 1:03d}.png"
            # a 128-colour palette: a third of the bytes, text still crisp, photos dithered
            page.render(scale=scale).to_pil().convert("RGB").quantize(colors=128).save(image_dir / name)
            images.append(PageImage(index + 1, f"{image_dir.name}/{name}", width, height))
            page.close()
    finally:
        pdf.close()
    return images


def page_sizes(pdf_path: Path, password: str | None = None) -> dict[int, tuple[float, float]]:
    """1-based page number -> (width, height) in points."""
    pdf = pdfium.PdfDocument(str(pdf_path), password=password)
    try:
        return {index + 1: tuple(pdf[index].get_size()) for index in range(len(pdf))}
    finally:
        pdf.close()


def glyph_crops(pdf_path: Path, boxes: list[GlyphBox], password: str | None = None, scale: float = CROP_SCALE) -> list[str]:
    """A PNG data URI per box: the glyph with a little context, outlined in red.

    Each page with boxes is rendered once at ``scale``; the crops are cut
    from it, so a page with a thousand repairs costs one render.
    """
    crops: list[str] = [""] * len(boxes)
    by_page: dict[int, list[int]] = {}
    for position, box in enumerate(boxes):
        by_page.setdefault(box.page, []).append(position)
    pdf = pdfium.PdfDocument(str(pdf_path), password=password)
    try:
        for page_number, positions in sorted(by_page.items()):
            if not 1 <= page_number <= len(pdf):
                continue
            image = pdf[page_number - 1].render(scale=scale).to_pil().convert("RGB")
            for position in positions:
                box = boxes[position]
                margin_x, margin_y = CROP_MARGIN
                left = max(0, int((box.x0 - margin_x) * scale))
                upper = max(0, int((box.top - margin_y) * scale))
                right = min(image.width, int((box.x1 + margin_x) * scale) + 1)
                lower = min(image.height, int((box.bottom + margin_y) * scale) + 1)
                if right <= left or lower <= upper:
                    continue
                crop = image.crop((left, upper, right, lower))
                ImageDraw.Draw(crop).rectangle(
                    (box.x0 * scale - left, box.top * scale - upper, box.x1 * scale - left, box.bottom * scale - upper),
                    outline=(220, 30, 60),
                    width=2,
                )
                buffer = io.BytesIO()
                crop.save(buffer, format="PNG", optimize=True)
                crops[position] = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    finally:
        pdf.close()
    return crops
