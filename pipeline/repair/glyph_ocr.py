"""Read the digits of symbol-soup fonts: subsets whose encoding names their digits ™ — › œ.

A font that says nothing but varied symbols and stray Latin-1 letters
inside Japanese text draws the numerals of dates and issue numbers (the
official gazette does this).  Its map passes every code-point check, so
it is found by what it says (:func:`implausible_fonts`), and its glyphs
are read by Tesseract's Latin model twice, free and restricted to digits;
a digit is accepted only where the free reading is that digit or a
letter shaped like it (O for 0, l for 1), and votes pool per glyph.
Every other unknown glyph is read by :mod:`glyph_reading`.
"""

from __future__ import annotations

import functools
import html
import io
import re
import shutil
import subprocess
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.records import Char, Document, Line, Repair
from pipeline.repair.font_evidence import looks_like_language
from pipeline.repair.font_maps import FontBook
from pipeline.repair.glyph_render import render_glyphs
from pipeline.repair.glyphs import UNRESOLVED

_CHAR_BOX = re.compile(r"<span class=.ocrx_cinfo. title=.x_bboxes (\d+) (\d+) (\d+) (\d+); x_conf ([\d.]+).>(.*?)</span>")
TEXT_HEIGHT_PX = 48  # Tesseract reads best with text about this tall
MIN_CONFIDENCE = 85.0  # one very sure reading, or several that agree
DECIDED_AFTER = 2  # agreeing confident votes after which a glyph is known
MIN_DISTINCT_SOUP = 3  # different symbols a font must say to pass for digits in disguise


@dataclass
class OcrReport:
    recognised: int = 0  # glyphs replaced
    note: str | None = None  # why nothing was tried


@functools.lru_cache(maxsize=1)
def tesseract_with_japanese() -> str | None:
    """The tesseract binary, if it has the Japanese model; else ``None``."""
    binary = shutil.which("tesseract")
    if not binary:
        return None
    try:
        languages = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return binary if "jpn" in languages.split() else None


def recognise_unresolved(document: Document, path: Path, fonts: FontBook | None = None, suspect: set[str] | None = None) -> tuple[Document, OcrReport]:
    """A copy of ``document`` with unresolved glyphs replaced by what their shape reads as, and the report.

    First each font's unknown glyphs are drawn alone from the font program
    and read together; what is still unknown is read in its line on the
    rendered page.  Each reading is a new repair step after the one that
    left the glyph unknown.
    """
    suspect = implausible_fonts(document) if suspect is None else suspect
    if not _suspect_lines(document, suspect):
        return document, OcrReport()
    binary = tesseract_with_japanese()
    if binary is None:
        return document, OcrReport(note="glyph shapes not read: tesseract with the Japanese model (tesseract-ocr-jpn) is not installed")
    import pypdfium2

    verdicts = _read_from_programs(binary, _suspect_lines(document, suspect), fonts, suspect) if fonts is not None else {}
    document, recognised = _apply(document, verdicts, suspect)
    votes: dict[tuple[str, int], Counter] = defaultdict(Counter)
    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return document, OcrReport(recognised=recognised, note="glyph shapes not read: pdfium cannot open this file")
    try:
        for page, line in _suspect_lines(document, suspect):
            keys = {_key(line.chars[i]) for i in _unknown_positions(line, suspect)}
            if all(_decided(votes[key]) for key in keys):
                continue
            try:
                pdf_page = pdf[page.index]
            except pypdfium2.PdfiumError:  # a page pdfium cannot load: its glyphs stay unknown
                continue
            for index, (text, confidence) in _read_page_glyphs_as_digits(binary, pdf_page, line, _unknown_positions(line, suspect)).items():
                votes[_key(line.chars[index])][text] += confidence
    finally:
        pdf.close()
    verdicts = {key: verdict for key, counter in votes.items() if (verdict := _verdict(counter))}
    document, more = _apply(document, verdicts, suspect)
    return document, OcrReport(recognised=recognised + more)


def _suspect_lines(document: Document, suspect: set[str]) -> list[tuple]:
    """(page, line) of every horizontal line holding a glyph still to read."""
    return [(page, line) for page in document.pages for line in page.lines if not line.vertical and _unknown_positions(line, suspect)]


def _read_from_programs(binary: str, suspects: list[tuple], fonts: FontBook, suspect: set[str]) -> dict[tuple[str, int], tuple[str, float]]:
    """Each font's unknown glyphs drawn from its program in a row, and read in one go."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for _, line in suspects:
        for index in _unknown_positions(line, suspect):
            char = line.chars[index]
            if char.font_key:
                wanted[char.font_key].add(char.cid)
    verdicts: dict[tuple[str, int], tuple[str, float]] = {}
    for font_key, cids in wanted.items():
        evidence = fonts.evidence(font_key)
        if evidence is None or evidence.program is None:
            continue
        named = [(cid, name) for cid in sorted(cids) if (name := evidence.glyph_name(cid))]
        if not named:
            continue
        strip, spans = render_glyphs(evidence.program.glyph_set, [name for _, name in named])
        reads = _read_digits(binary, strip, spans)
        for (cid, _), (text, confidence) in zip(named, reads):
            if text and confidence >= MIN_CONFIDENCE:
                verdicts[(font_key, cid)] = (text, round(min(0.9, confidence / 100), 2))
    return verdicts


_LOOKS_LIKE = {"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1", "Z": "2", "S": "5", "s": "5", "G": "6", "B": "8"}


def _read_digits(binary: str, strip, spans: list[tuple[int, int]]) -> list[tuple[str | None, float]]:
    """Read a symbol-soup font's glyphs as digits, where their shapes are digits.

    Fonts that say nothing but ™ — › œ inside Japanese text draw numerals
    (dates, issue and page numbers) in every case seen.  The glyphs are read
    by the Latin model twice, free and restricted to digits; a digit is
    accepted only where the free reading is that digit or a letter shaped
    like it (O for 0, l for 1).
    """
    free = _read_strip(binary, strip, spans, language="eng")
    digits = _read_strip(binary, strip, spans, language="eng", extra=("-c", "tessedit_char_whitelist=0123456789"))
    out = []
    for (free_text, _), (digit, confidence) in zip(free, digits):
        agrees = digit is not None and free_text is not None and _LOOKS_LIKE.get(free_text, free_text) == digit
        out.append((digit, confidence) if agrees else (None, 0.0))
    return out


def _read_strip(binary: str, strip, spans: list[tuple[int, int]], language: str = "jpn", extra: tuple[str, ...] = ()) -> list[tuple[str | None, float]]:
    """OCR a row of glyphs; for each glyph's x-range, the one character read there."""
    readings = _hocr_chars(binary, strip, "7", language, extra)
    out = []
    for x0, x1 in spans:
        over = [(text, conf) for rx0, rx1, text, conf in readings if min(x1, rx1) - max(x0, rx0) > 0.5 * max(1, min(x1 - x0, rx1 - rx0))]
        good = len(over) == 1 and len(over[0][0]) == 1 and looks_like_language(over[0][0]) and not over[0][0].isspace()
        out.append(over[0] if good else (None, 0.0))
    return out


def _hocr_chars(binary: str, image, psm: str, language: str = "jpn", extra: tuple[str, ...] = ()) -> list[tuple[float, float, str, float]]:
    """Tesseract's characters with their x-range in image pixels and confidence."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    try:
        result = subprocess.run(
            [binary, "stdin", "stdout", "-l", language, "--psm", psm, "-c", "hocr_char_boxes=1", *extra, "hocr"],
            input=buffer.getvalue(),
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return [
        (int(m.group(1)), int(m.group(3)), html.unescape(m.group(6)), float(m.group(5)))
        for m in _CHAR_BOX.finditer(result.stdout.decode("utf-8", errors="replace"))
    ]


def implausible_fonts(document: Document) -> set[str]:
    """Fonts whose decoded text is symbol soup inside Japanese text.

    A subset font that only draws the digits of a date, but whose encoding
    names them ™ — › œ, passes every code-point check; what gives it away
    is that nearly all it ever says is symbols and stray Latin letters,
    in a document that is mostly Japanese.  It says several different ones
    (a date has several digits): a font that says one or two symbols over
    and over (■ bullets in slides, Wingdings' ⚫, a TeX math font's | and ·)
    draws exactly those, and reading its glyphs as digits only costs time.
    """
    by_font: dict[str, list[str]] = defaultdict(list)
    japanese = total = 0
    for page in document.pages:
        for line in page.lines:
            for char in line.chars:
                total += 1
                japanese += _is_japanese(char.text)
                if char.font_key and char.cid is not None and not char.text.isspace() and char.text != UNRESOLVED:
                    by_font[char.font_key].append(char.text)
    if not total or japanese < 0.3 * total:
        return set()
    return {
        key
        for key, texts in by_font.items()
        if len(set(texts)) >= MIN_DISTINCT_SOUP and sum(map(_symbol_soup, texts)) >= 0.6 * len(texts)
    }


def _is_japanese(text: str) -> bool:
    return bool(text) and (0x3040 <= ord(text[0]) <= 0x30FF or 0x4E00 <= ord(text[0]) <= 0x9FFF)


def _symbol_soup(text: str) -> bool:
    if len(text) != 1:
        return False
    category = unicodedata.category(text)
    return category in ("So", "Sm", "Sk", "Pd", "Pi", "Pf", "Lm") or (category[0] == "L" and 0x80 <= ord(text) < 0x370)


def _unknown_positions(line: Line, suspect: set[str]) -> list[int]:
    """Glyphs of implausible fonts to read as digits: unresolved ones, and those not yet read."""
    return [
        i
        for i, char in enumerate(line.chars)
        if char.font_key in suspect and ((char.text == UNRESOLVED and char.cid is not None) or (char.raw is None and not char.text.isspace()))
    ]


def _key(char: Char) -> tuple[str, int]:
    return (char.font_key or char.fontname, char.cid or 0)


def _decided(counter: Counter) -> bool:
    return bool(counter) and counter.most_common(1)[0][1] >= DECIDED_AFTER * 90


def _verdict(counter: Counter) -> tuple[str, float] | None:
    """The agreed reading and its confidence, or ``None`` when votes disagree."""
    if not counter:
        return None
    text, weight = counter.most_common(1)[0]
    total = sum(counter.values())
    if weight < MIN_CONFIDENCE or weight < 0.7 * total:
        return None
    votes = max(1.0, weight / 100)
    return text, round(min(0.9, 0.5 + 0.4 * (weight / total) * min(1.0, votes / DECIDED_AFTER)), 2)


def _read_page_glyphs_as_digits(binary: str, page, line: Line, unknown: list[int]) -> dict[int, tuple[str, float]]:
    """Crop each glyph of a symbol-soup font from the rendered page and read them as digits."""
    from PIL import Image

    from pipeline.repair.line_reading import crop_margins

    scale = max(2.0, TEXT_HEIGHT_PX / max(line.size, 1.0))
    crops = []
    for index in unknown:
        char = line.chars[index]
        crop = crop_margins(page, char.x0, char.top, char.x1, char.bottom)
        if crop is None:  # drawn off the page: nothing to read
            crops.append(Image.new("L", (1, 1), 255))
            continue
        crops.append(page.render(scale=scale, crop=crop, grayscale=True).to_pil())
    gap = TEXT_HEIGHT_PX
    strip = Image.new("L", (sum(c.width for c in crops) + gap * (len(crops) + 1), max(c.height for c in crops) + 2 * gap), 255)
    spans, x = [], gap
    for crop in crops:
        strip.paste(crop, (x, gap))
        spans.append((x, x + crop.width))
        x += crop.width + gap
    return {index: read for index, read in zip(unknown, _read_digits(binary, strip, spans)) if read[0]}


def _apply(document: Document, verdicts: dict[tuple[str, int], tuple[str, float]], suspect: set[str]) -> tuple[Document, int]:
    """The document with the verdicts written into its lines, a repair step logged for each glyph, and their count."""
    if not verdicts:
        return document, 0
    unknown = {repair.place: repair for repair in document.repairs if repair.fixed == UNRESOLVED}
    steps: list[Repair] = []
    pages = []
    for page in document.pages:
        lines = []
        for line in page.lines:
            chars = []
            taken = len(steps)
            for char in line.chars:
                unread = char.font_key in suspect and char.raw is None
                verdict = verdicts.get(_key(char)) if char.text == UNRESOLVED or unread else None
                if verdict is None or verdict[0] == char.text:
                    chars.append(char)
                    continue
                text, confidence = verdict
                chars.append(replace(char, text=text, raw=char.raw or char.text))
                earlier = unknown.get(char.place)
                font = earlier.font if earlier is not None else char.font_key
                steps.append(Repair(char.page, char.x0, char.top, char.x1, char.bottom, char.text, text, "glyph_shape_ocr", confidence, font))
            lines.append(replace(line, chars=chars) if len(steps) > taken else line)
        pages.append(replace(page, lines=lines))
    return replace(document, pages=pages, repair_steps=document.repair_steps + tuple(steps)), len(steps)
