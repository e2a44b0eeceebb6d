"""Page images and glyph crops for the audit report, rendered with pypdfium2.

pdfium draws the page as a viewer shows it; boxes from the tables (points
from the top-left, as pdfplumber gives them) map onto an image by one
factor, ``pixels / points``.  The report places boxes in percent of the
page size, so they stay on their glyphs at any zoom.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import math
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from pipeline.atomic import write_bytes_atomic

PAGE_SCALE = 2.0  # 144 dpi: sharp enough to read 8pt footnotes on screen
CROP_SCALE = 6.0  # glyph crops: one glyph is 60-ish pixels high
CROP_MARGIN = (8.0, 3.0)  # points of context left/right and above/below a glyph
# a file name is at most 255 bytes; the stem leaves room for "-p00001.png", ".sha256"
# and the temporary names of atomic writes
STEM_BYTES = 200
PLAIN_NAME = re.compile(r"[\w.~-]+")  # what a doc_id is made of today


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


def file_stem(doc_id: str) -> str:
    """The stem of the report's files for ``doc_id``: the id itself when it is plain and short.

    An id too long for a file name (255 bytes, less room for ``-p00001.png``),
    or with characters a file name should not carry, becomes a readable
    prefix, ``=``, and 12 hex digits of its SHA-256: the same on every run,
    and never equal to a plain id (those have no ``=``) nor, short of a hash
    collision, to another shortened one.

    >>> file_stem("sample-2025-04~2")
    'sample-2025-04~2'
    >>> file_stem("a/b")
    'a_b=c14cddc033f6'
    """
    if PLAIN_NAME.fullmatch(doc_id) and not doc_id.startswith(".") and len(doc_id.encode("utf-8")) <= STEM_BYTES:
        return doc_id
    digest = hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    readable = "".join(character if PLAIN_NAME.fullmatch(character) else "_" for character in doc_id).lstrip(".")
    # cut on a character boundary: the prefix is whole UTF-8
    prefix = readable.encode("utf-8")[: STEM_BYTES - len(digest) - 1].decode("utf-8", "ignore")
    return f"{prefix or 'document'}={digest}"


def write_report_file(path: Path, data: bytes, durable: bool = False) -> None:
    """Write a file of the report whole or not at all, readable as a plain write leaves it.

    The temporary file behind an atomic write is private (0600); a report
    is meant to be opened by others too, from a shared folder or a web server.
    """
    write_bytes_atomic(path, data, durable)
    os.chmod(path, 0o666 & ~_umask())


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it
    os.umask(mask)
    return mask


def image_name(stem: str, page: int) -> str:
    return f"{stem}-p{page:03d}.png"


def image_names(image_dir: Path, stem: str) -> list[Path]:
    """The page images of ``stem`` in ``image_dir`` (not those of a longer stem that starts alike)."""
    if not image_dir.is_dir():
        return []
    pattern = re.compile(re.escape(stem) + r"-p\d+\.png")
    return [path for path in image_dir.iterdir() if pattern.fullmatch(path.name)]


def page_count(pdf_path: Path, password: str | None = None) -> int:
    pdf = pdfium.PdfDocument(str(pdf_path), password=password)
    try:
        return len(pdf)
    finally:
        pdf.close()


def render_page(pdf: pdfium.PdfDocument, index: int, path: Path, scale: float = PAGE_SCALE) -> tuple[float, float]:
    """Page ``index`` (0-based) as a PNG at ``path``; its size in points."""
    page = pdf[index]
    try:
        width, height = page.get_size()
        # a 128-colour palette: a third of the bytes, text still crisp, photos dithered;
        # fast octree quantizes a page in a tenth of median cut's time, text looks the same
        image = page.render(scale=scale).to_pil().convert("RGB").quantize(colors=128, method=Image.Quantize.FASTOCTREE)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        # whole or absent: a run killed mid-save leaves no half image to be reused next time
        write_report_file(path, buffer.getvalue())
        return width, height
    finally:
        page.close()


def render_pages(
    pdf_path: Path,
    image_dir: Path,
    stem: str,
    pages: Iterable[int],
    password: str | None = None,
    scale: float = PAGE_SCALE,
    deadline: float | None = None,
) -> list[PageImage]:
    """``pages`` (1-based, in the order given) as ``image_dir/STEM-pNNN.png``.

    An image already there is reused, not redrawn (the caller clears the
    images of a PDF that changed).  No page is drawn once ``time.monotonic()``
    has reached ``deadline``; those already there are still returned.  Pages
    the PDF does not have are left out.
    """
    image_dir.mkdir(parents=True, exist_ok=True)
    images = []
    pdf = pdfium.PdfDocument(str(pdf_path), password=password)
    try:
        for page in pages:
            if not 1 <= page <= len(pdf):
                continue
            name = image_name(stem, page)
            if (image_dir / name).exists():
                width, height = pdf.get_page_size(page - 1)
            elif deadline is not None and time.monotonic() >= deadline:
                continue
            else:
                width, height = render_page(pdf, page - 1, image_dir / name, scale)
            images.append(PageImage(page, f"{image_dir.name}/{name}", width, height))
    finally:
        pdf.close()
    return images


def existing_pages(pdf_path: Path, image_dir: Path, stem: str, pages: Iterable[int], password: str | None = None) -> list[PageImage]:
    """The images of ``pages`` already rendered; none is drawn."""
    return render_pages(pdf_path, image_dir, stem, pages, password, deadline=-math.inf)


def glyph_crops(
    pdf_path: Path,
    boxes: list[GlyphBox],
    password: str | None = None,
    scale: float = CROP_SCALE,
    max_pages: int | None = None,
    deadline: float | None = None,
) -> list[str]:
    """A PNG data URI per box: the glyph with a little context, outlined in red.

    Each page with boxes is rendered once at ``scale``; the crops are cut
    from it, so a page with a thousand repairs costs one render.  Pages go
    in the order of their first box, at most ``max_pages`` of them and none
    once ``time.monotonic()`` reaches ``deadline``; boxes left over get "".
    """
    crops: list[str] = [""] * len(boxes)
    by_page: dict[int, list[int]] = {}
    for position, box in enumerate(boxes):
        by_page.setdefault(box.page, []).append(position)
    pdf = pdfium.PdfDocument(str(pdf_path), password=password)
    try:
        for rendered, (page_number, positions) in enumerate(by_page.items()):
            if max_pages is not None and rendered >= max_pages:
                break
            if deadline is not None and time.monotonic() >= deadline:
                break
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
