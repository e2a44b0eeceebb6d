"""How sure OCR was of a figure's digits: the figures table's ``ocr_confidence``.

A figure read from a scan is only as good as its digits: 3 for 8 changes
the value and nothing downstream can tell.  Each OCR char keeps its
confidence (:attr:`pipeline.records.Char.confidence`); an article's body
keeps each character's box, so a figure's digits are found again by box.
"""

from __future__ import annotations

from pipeline.records import Article, Box, Document, Page


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


def unsure_words(page: Page, below: float) -> list[tuple[str, float, Box]]:
    """The runs of characters on an OCR page read with a confidence below ``below``: (text, least confidence, box).

    What the audit report boxes on the page image (``pages.ocr_unsure``):
    a reviewer looks there first.  A run is the neighbouring unsure
    characters of one line, as a word Tesseract hesitated over.
    """
    if page.source != "ocr":
        return []
    found: list[tuple[str, float, Box]] = []
    for line in page.lines:
        run: list = []
        for char in [*line.chars, None]:
            if char is not None and char.confidence is not None and char.confidence < below:
                run.append(char)
                continue
            if run:
                box = Box.union([c.box for c in run])
                found.append(("".join(c.text for c in run), min(c.confidence for c in run), box))
                run = []
    return found


def format_unsure(words: list[tuple[str, float, Box]]) -> str | None:
    """``pages.ocr_unsure``: one word a line, ``text<TAB>confidence<TAB>x0 top x1 bottom`` (points); None when there is none."""
    if not words:
        return None
    return "\n".join(f"{text}\t{confidence:.3f}\t{box.x0:.1f} {box.top:.1f} {box.x1:.1f} {box.bottom:.1f}" for text, confidence, box in words)


def parse_unsure(value: str | None) -> list[dict]:
    """``pages.ocr_unsure`` back as rows with ``text``, ``confidence`` and a box (``x0``, ``top``, ``x1``, ``bottom``); malformed lines are skipped."""
    rows = []
    for line in (value or "").splitlines():
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        try:
            x0, top, x1, bottom = (float(number) for number in parts[2].split())
            rows.append({"text": parts[0], "confidence": float(parts[1]), "x0": x0, "top": top, "x1": x1, "bottom": bottom})
        except ValueError:
            continue
    return rows
