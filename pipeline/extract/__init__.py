"""Extract stage: glyphs from the PDF (pdfplumber) and lines in reading order."""

from pipeline.extract.pdf import ExtractError, PdfPage, read_pages
from pipeline.extract.layout import build_lines

__all__ = ["ExtractError", "PdfPage", "read_pages", "build_lines"]
