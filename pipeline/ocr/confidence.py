"""How sure OCR was of a figure's digits: the figures table's ``ocr_confidence``.

A figure read from a scan is only as good as its digits: 3 for 8 changes
the value and nothing downstream can tell.  Each OCR char keeps its
confidence (:attr:`pipeline.records.Char.confidence`); an article's body
keeps each character's box, so a figure's digits are found again by box.
"""

from __future__ import annotations

from pipeline.records import Article, Box, Document


def char_confidences(document: Document) -> dict[Box, float]:
    """Every OCR char's confidence, by its box (empty for a document with no OCR page)."""
    return {
        char.box: char.confidence
        for page in document.pages
        if page.source == "ocr"
        for line in page.lines
        for char in line.chars
        if char.confidence is not None
    }


def digits_confidence(article: Article, start: int, end: int, confidences: dict[Box, float]) -> float | None:
    """The least confidence among the digits of ``article.body[start:end]``; None when none was read by OCR."""
    found = [
        confidences[box]
        for text, box in zip(article.body[start:end], article.body_boxes[start:end])
        if box is not None and text.isdigit() and box in confidences
    ]
    return min(found) if found else None
