"""Text layers not worth reading: an invisible OCR layer over a page image, or a layer of undecodable text.

Scanning software often puts its own OCR under the page image: the text is
drawn in render mode 3 (invisible, PDF 32000-1 §9.3.6, "neither fill nor
stroke") over one picture of the whole page, so that the file can be
searched.  That text is whatever that OCR made of the scan, sometimes
nothing a reader would recognise, and no reader of the page has ever seen
it: the page's text is the picture.  Such a page is read by the pipeline's
own OCR like a scan without text (:func:`pipeline.ocr.read_scanned_pages`),
and its ``pages.source`` says ``ocr``; the notes say why.

A page drawn as one picture whose text layer is mostly undecodable
(replacement characters, private-use or unassigned code points, controls)
is read the same way: the picture is what the page shows.

Both need the picture: without one covering the page there is nothing
else to read, and a page of drawn text with broken fonts is the repair
stage's (:mod:`pipeline.repair`).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

#: An image covering at least this share of the page is "the page as a picture" (a scan leaves a margin of a few points at most).
PAGE_COVERED = 0.85
#: A text layer with more than this share of undecodable characters is useless.
UNDECODABLE_SHARE = 0.5
#: Unicode categories of characters no text gives: controls, unassigned, private use, surrogates.
_UNDECODABLE = frozenset({"Cc", "Cn", "Co", "Cs"})


def unreadable_layers(path: Path, texts: dict[int, str], password: str | None = None) -> dict[int, str]:
    """Of the pages in ``texts`` (page index -> the text its layer gave), those whose layer is to be replaced by OCR, with why."""
    import pypdfium2 as pdfium

    found: dict[int, str] = {}
    try:
        pdf = pdfium.PdfDocument(str(path), password=password)
    except Exception:  # pdfplumber read it, pdfium does not: the text layer stands
        return found
    try:
        for index, text in texts.items():
            try:
                page = pdf[index]
            except Exception:  # a page pdfium cannot load (pdfplumber could): its text layer stands
                continue
            try:
                covered, invisible, drawn = _page_objects(page)
            except Exception:  # objects pdfium cannot describe: as above
                continue
            finally:
                page.close()
            if not covered:
                continue
            if drawn == 0 and invisible > 0:
                found[index] = "its text layer is invisible text over a picture of the page (an OCR layer)"
            elif undecodable_share(text) > UNDECODABLE_SHARE:
                found[index] = f"its text layer is mostly undecodable ({undecodable_share(text):.0%} of its characters) over a picture of the page"
    finally:
        pdf.close()
    return found


def undecodable_share(text: str) -> float:
    """The share of ``text``'s characters (spaces aside) that no encoding of real text gives: U+FFFD, controls, unassigned, private use."""
    chars = [char for char in text if not char.isspace()]
    if not chars:
        return 0.0
    bad = sum(1 for char in chars if char == "\ufffd" or unicodedata.category(char) in _UNDECODABLE)
    return bad / len(chars)


def _page_objects(page) -> tuple[bool, int, int]:
    """Whether one image covers the page, and how many of its text objects are invisible and how many drawn."""
    import pypdfium2.raw as raw

    width, height = page.get_size()
    area = max(width * height, 1.0)
    covered = False
    invisible = drawn = 0
    for obj in page.get_objects(max_depth=4):
        if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
            left, bottom, right, top = obj.get_bounds()
            if (min(right, width) - max(left, 0)) * (min(top, height) - max(bottom, 0)) >= PAGE_COVERED * area:
                covered = True
        elif obj.type == raw.FPDF_PAGEOBJ_TEXT:
            if raw.FPDFTextObj_GetTextRenderMode(obj.raw) == raw.FPDF_TEXTRENDERMODE_INVISIBLE:
                invisible += 1
            else:
                drawn += 1
    return covered, invisible, drawn
