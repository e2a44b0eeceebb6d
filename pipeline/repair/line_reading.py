"""Read a line as text and say which recognised character stands on which glyph.

Tesseract reads a whole line far better than a glyph alone: the line
gives it the context of its language model (て or で, ロ or 口).  But its
symbol boxes drift by a glyph or two, and it sometimes reads one glyph as
two (ア as 了ア).  So recognised characters are not matched to glyphs by
box overlap; the two sequences are aligned, in order, by dynamic
programming, where glyphs whose text is known must meet the same text
and unknown glyphs prefer a character recognised near them.  The known
glyphs keep the alignment in step, as anchors.

Lines are read where they stand on the rendered page (what a reader
sees); glyphs alone are drawn from the font program in a row with their
natural advance (for vertical lines and where a line gave nothing).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from PIL import Image

from pipeline.records import Line
from pipeline.repair.glyph_shapes import GlyphShape
from pipeline.repair.ocr_engine import OcrSymbol, read_line

TEXT_HEIGHT_PX = 48  # pixels per em: Tesseract reads Japanese best with text about this tall
LINE_SCALES_PX = (48, 64)  # a line is read at two sizes: its errors at one are seldom repeated at the other
_SKIP_GLYPH = 0.55  # cost of a glyph the reading left out
_SKIP_SYMBOL = 0.5  # cost of a character read where no glyph stands
_KNOWN_MISMATCH = 0.8  # a known glyph read as another character


@dataclass(frozen=True)
class Slot:
    """One glyph to align: its known text (``None`` if unknown), centre and size in the image's units,
    and for an unknown glyph how much it looks like each of the document's known characters."""

    known: str | None
    centre: float
    size: float
    likeness: dict[str, float] | None = None


def align(slots: list[Slot], symbols: list[tuple[str, float]] | list[tuple[str, float, tuple]]) -> list[tuple[int, int]]:
    """Pairs (slot index, symbol index) of the cheapest in-order alignment.

    ``symbols`` are (text, centre[, alternatives]) in the same units as the
    slots.  Order decides; an unknown glyph is drawn to a character it looks
    like; positions only break ties, since Tesseract's boxes drift.

    An extra character read near the unknown glyph is left out:

    >>> align([Slot("中", 5, 10), Slot(None, 15, 10), Slot("語", 25, 10)], [("中", 5), ("了", 13), ("国", 15), ("語", 25)])
    [(0, 0), (1, 2), (2, 3)]
    """
    n, m = len(slots), len(symbols)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    step = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == inf:
                continue
            if i < n and here + _SKIP_GLYPH < cost[i + 1][j]:
                cost[i + 1][j], step[i + 1][j] = here + _SKIP_GLYPH, (i, j, False)
            if j < m and here + _SKIP_SYMBOL < cost[i][j + 1]:
                cost[i][j + 1], step[i][j + 1] = here + _SKIP_SYMBOL, (i, j, False)
            if i < n and j < m:
                pair = here + _pair_cost(slots[i], symbols[j])
                if pair < cost[i + 1][j + 1]:
                    cost[i + 1][j + 1], step[i + 1][j + 1] = pair, (i, j, True)
    pairs = []
    i, j = n, m
    while step[i][j] is not None:
        pi, pj, matched = step[i][j]
        if matched:
            pairs.append((pi, pj))
        i, j = pi, pj
    return pairs[::-1]


def _pair_cost(slot: Slot, symbol: tuple) -> float:
    text, centre = symbol[0], symbol[1]
    drift = min(3.0, abs(slot.centre - centre) / max(slot.size, 1e-6))
    if slot.known is not None:
        same = unicodedata.normalize("NFKC", slot.known) == unicodedata.normalize("NFKC", text)
        return 0.02 * drift if same else _KNOWN_MISMATCH + 0.02 * drift
    alternatives = symbol[2] if len(symbol) > 2 else (text,)
    likeness = max((slot.likeness or {}).get(choice, 0.0) for choice in alternatives)
    return 0.45 - 0.35 * min(1.0, max(0.0, (likeness - 0.6) / 0.35)) + 0.02 * drift


def read_page_line(pdf_page, line: Line, unknown: dict[int, dict[str, float] | None], language_of=lambda char: "jpn") -> dict[int, list[OcrSymbol]]:
    """Read ``line`` on the rendered page; the symbols aligned with each unknown glyph (by char index),
    one per reading.

    ``unknown`` gives each unknown glyph's likeness to the document's known
    characters.  A line is read run by run: glyphs set apart by more than
    an em, or off its baseline, are often other text (a table cell, a box)
    that only the layout put on one line; and a Latin name inside Japanese
    text is read with the Latin model (``language_of`` says which model a
    glyph's font calls for).
    """
    found: dict[int, list[OcrSymbol]] = {}
    for language, run in _runs(line, language_of):
        if any(index in unknown for index, _ in run):
            for pixels in LINE_SCALES_PX:
                for index, symbol in _read_run(pdf_page, run, unknown, language, pixels).items():
                    found.setdefault(index, []).append(symbol)
    return found


def _runs(line: Line, language_of) -> list[tuple[str, list[tuple[int, object]]]]:
    """The line's visible glyphs in runs that stand together on one baseline, in one script."""
    runs: list[tuple[str, list[tuple[int, object]]]] = []
    previous = None
    for index, char in enumerate(line.chars):
        if char.text.isspace():
            continue
        size = max(char.size, 1.0)
        language = language_of(char)
        if (
            previous is None
            or char.x0 - previous.x1 > 1.0 * size
            or abs(char.bottom - previous.bottom) > 0.4 * size
            or language != runs[-1][0]
        ):
            runs.append((language, []))
        runs[-1][1].append((index, char))
        previous = char
    return runs


def _band(glyphs: list[tuple[int, object]], size: float, margin: float) -> tuple[float, float]:
    """The run's height on the page: the em around its baseline where that is known.

    A font whose descriptor gives a wrong descent puts pdfminer's boxes
    half a line off; the baseline, taken from the same descent, is not.
    """
    baselines = sorted(char.baseline for _, char in glyphs if char.baseline is not None)
    if len(baselines) == len(glyphs):
        base = baselines[len(baselines) // 2]
        return max(0.0, base - 0.9 * size - margin), base + 0.15 * size + margin
    return max(0.0, min(char.top for _, char in glyphs) - margin), max(char.bottom for _, char in glyphs) + margin


def crop_margins(pdf_page, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float] | None:
    """pdfium's crop (left, bottom, right, top margins) for a box, clipped to the page; None when nothing of it is on the page.

    A glyph may be drawn partly or wholly off the page; pdfium refuses a
    crop that reaches past the page's edge.
    """
    width, height = pdf_page.get_width(), pdf_page.get_height()
    x0, x1 = max(0.0, x0), min(width, x1)
    top, bottom = max(0.0, top), min(height, bottom)
    if x1 - x0 < 0.5 or bottom - top < 0.5:
        return None
    return x0, height - bottom, width - x1, top


def _read_run(pdf_page, glyphs: list[tuple[int, object]], unknown: dict[int, dict[str, float] | None], language: str, pixels: int) -> dict[int, OcrSymbol]:
    size = max(max(char.size for _, char in glyphs), 1.0)
    margin = 0.3 * size
    left = max(0.0, min(char.x0 for _, char in glyphs) - margin)
    top, bottom = _band(glyphs, size, margin)
    right = max(char.x1 for _, char in glyphs) + margin
    scale = pixels / size
    crop = crop_margins(pdf_page, left, top, right, bottom)
    if crop is None:
        return {}
    image = pdf_page.render(scale=scale, crop=crop, grayscale=True).to_pil()
    symbols = [symbol for symbol in read_line(image, language) if symbol.text.strip()]
    slots = [
        Slot(char.text, (char.x0 + char.x1) / 2, char.x1 - char.x0 or size)
        if index not in unknown
        else Slot(None, (char.x0 + char.x1) / 2, char.x1 - char.x0 or size, unknown[index])
        for index, char in glyphs
    ]
    centres = [(symbol.text, left + (symbol.x0 + symbol.x1) / 2 / scale, tuple(text for text, _ in symbol.choices)) for symbol in symbols]
    return {glyphs[slot][0]: symbols[read] for slot, read in align(slots, centres) if glyphs[slot][0] in unknown}


def read_shapes(shapes: list[GlyphShape], likeness: list[dict[str, float] | None] | None = None, language: str = "jpn") -> list[OcrSymbol | None]:
    """Draw glyphs from their programs in a row, as set text, and read them; one symbol (or None) each."""
    height = TEXT_HEIGHT_PX * 2
    images = [shape.image(height) for shape in shapes]
    gap = height // 8
    strip = Image.new("L", (sum(image.width for image in images) + gap * (len(images) + 1) + 2 * height, height + 2 * gap), 255)
    slots, x = [], height
    for number, image in enumerate(images):
        strip.paste(image, (x, gap))
        slots.append(Slot(None, x + image.width / 2, image.width or height, likeness[number] if likeness else None))
        x += image.width + gap
    symbols = [symbol for symbol in read_line(strip, language) if symbol.text.strip()]
    found: list[OcrSymbol | None] = [None] * len(shapes)
    for slot, read in align(slots, [(symbol.text, (symbol.x0 + symbol.x1) / 2, tuple(t for t, _ in symbol.choices)) for symbol in symbols]):
        found[slot] = symbols[read]
    return found
