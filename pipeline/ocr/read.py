"""A prepared page image read by Tesseract into the pipeline's own :class:`~pipeline.records.Char` records.

Through tesserocr, the binding the repair stage already uses
(:mod:`pipeline.repair.ocr_engine`): the model stays loaded in the worker
between pages, and its result iterator gives what the pipeline needs for
provenance, each symbol's box and confidence, without parsing TSV or hOCR
written by a subprocess (pytesseract would start ``tesseract`` per page and
load the Japanese model each time).

Tesseract finds the page's blocks and lines; each symbol becomes a ``Char``
whose box spans its line's height (as a PDF glyph's box spans the em), so
the layout stage (:func:`pipeline.extract.build_lines`) groups and orders
them exactly as it does drawn glyphs.  A small digit standing high in its
line (a footnote marker) keeps its own box, so the split stage can strip it
as it strips a drawn superscript.  Coordinates are turned back from image
pixels to PDF points, undoing the deskew.
"""

from __future__ import annotations

import functools
import math
import os
import statistics
import unicodedata
from dataclasses import dataclass

# Tesseract's OpenMP threads would fight the document workers for the cores: --jobs decides the parallelism.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from pipeline.records import Char, is_wide  # noqa: E402
from pipeline.repair.ocr_engine import tessdata_folder  # noqa: E402

#: The font name OCR glyphs carry: no font drew them.
OCR_FONT = "(ocr)"
#: Orientation and script detection must be at least this sure before a page is turned (Tesseract's own scale).
ORIENTATION_CONFIDENCE = 5.0
#: Tesseract's block types (PolyBlockType) that hold no text to read: pictures, rules, noise.
_NOT_TEXT = frozenset({9, 10, 11, 12, 13, 14})  # FLOWING_IMAGE, HEADING_IMAGE, PULLOUT_IMAGE, HORZ_LINE, VERT_LINE, NOISE
#: How far (a share) a size measured from ink strays from the type size: body lines of the shared renders measure
#: within 3 % of their median once the boxes are drawn in to the ink (:func:`_ink_heights`); 10 % before.
BODY_SIZE_NOISE = 0.05
_SUPERSCRIPT_HEIGHT = 0.65  # of the line's height: a marker digit is set at about half size
_SUPERSCRIPT_RAISE = 0.25  # of the line's height: and stands clear of the baseline


@dataclass(frozen=True)
class Frame:
    """How image pixels map to page points: the render's dpi and the deskew angle about the image's centre."""

    dpi: float
    angle: float = 0.0  # degrees the image was turned (counter-clockwise) to level it
    width: int = 0  # image size in pixels
    height: int = 0

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        """A pixel of the prepared image as a point on the page, in PDF points from the top-left."""
        if self.angle:
            centre_x, centre_y = self.width / 2, self.height / 2
            radians = math.radians(self.angle)
            dx, dy = x - centre_x, y - centre_y
            # the image was turned by -angle (PIL turns counter-clockwise with y down): undo it
            x = centre_x + dx * math.cos(radians) + dy * math.sin(radians)
            y = centre_y - dx * math.sin(radians) + dy * math.cos(radians)
        scale = 72 / self.dpi
        return x * scale, y * scale


@functools.lru_cache(maxsize=2)
def _api(language: str):
    import tesserocr

    # One block: Tesseract's own page segmentation took whole paragraphs of these pages for vertical text or
    # figures (page CER 4.6-7.8 % against 1.3-1.6 % as one block); columns and reading order are the layout
    # stage's work (pipeline.extract.layout), from the symbols' boxes, as for drawn glyphs.
    return tesserocr.PyTessBaseAPI(path=str(tessdata_folder(language.split("+")[0])), lang=language, psm=tesserocr.PSM.SINGLE_BLOCK)


@functools.lru_cache(maxsize=1)
def _osd_api():
    import tesserocr

    return tesserocr.PyTessBaseAPI(path=str(tessdata_folder("osd")), lang="osd", psm=tesserocr.PSM.OSD_ONLY)


def orientation(image) -> tuple[int, float] | None:
    """How far the page is turned (0, 90, 180 or 270 degrees counter-clockwise to set it upright) and how sure
    Tesseract's orientation detection is; None when it cannot tell (no text, or no ``osd`` model)."""
    if tessdata_folder("osd") is None:
        return None
    api = _osd_api()
    api.SetImage(image)
    found = api.DetectOrientationScript()
    if not found:
        return None
    return int(found["orient_deg"]), float(found["orient_conf"])


@dataclass(frozen=True)
class PageReading:
    """What Tesseract read on a page: every char, and those of them that are a picture's text (a chart's labels)."""

    chars: list[Char]
    figure: frozenset[Char]


def read_page(image, frame: Frame, page_index: int, language: str = "jpn") -> PageReading:
    """Every symbol Tesseract reads on ``image``, as chars on page ``page_index`` with their confidence.

    Tesseract's page layout analysis finds the blocks (columns, boxes,
    figures); each text block is then read as one uniform block.  Left to
    its full automatic mode, Tesseract took some horizontal paragraphs of
    plain kanji text for vertical ones and read them down the columns
    (構こ想の…); read as one block the whole page runs its lines across the
    gutter of a two-column page.  Blocks found, read one by one, avoid both.
    Text Tesseract finds set on a picture (:func:`_text_blocks`) is read but
    kept apart: it measures no body size, and its lines are labels.
    """
    import tesserocr

    api = _api(language)
    api.SetPageSegMode(tesserocr.PSM.AUTO)
    api.SetImage(image)
    api.SetSourceResolution(int(frame.dpi))
    blocks = _text_blocks(api, image.size, frame.dpi)
    api.SetPageSegMode(tesserocr.PSM.SINGLE_BLOCK)
    ink = _ink_mask(image)
    lines: list[list] = []
    figure_lines: set[int] = set()
    columns: list[Char] = []
    marked: dict[int, dict[int, tuple[str, float]]] = {}  # line number -> symbol index -> (letter with its marks, confidence)
    for block in blocks:
        left, top, right, bottom = block.box
        api.SetRectangle(left, top, right - left, bottom - top)
        read = [_unread_start(api, symbols, left, ink) for symbols in _unread_lines(api, _recognise(api), block.box, ink)]
        api.SetPageSegMode(tesserocr.PSM.SINGLE_BLOCK)
        if not block.figure and set_vertically([_ink_heights(line, ink) for line in read], block.box):
            columns.extend(_column_chars(api, read, block.box, frame, page_index, ink))
            continue
        if block.figure:
            figure_lines.update(range(len(lines), len(lines) + len(read)))
        else:
            for offset, symbols in enumerate(read):
                found = latin_marks(image, symbols)
                if found:
                    marked[len(lines) + offset] = found
        lines.extend(read)
    ems = [_em(_ink_heights(symbols, ink)) for symbols in lines]
    measured = [(em, len(symbols)) for number, ((em, by), symbols) in enumerate(zip(ems, lines)) if by == KANJI and number not in figure_lines]
    body = _weighted_median(measured) if measured else None
    chars: list[Char] = []
    figure: list[Char] = []
    for number, (symbols, (em, by)) in enumerate(zip(lines, ems)):
        if number in figure_lines:
            figure.extend(_line_chars(symbols, em, frame, page_index))
            continue
        sure = by in (KANJI, LATIN)
        if body is not None and (abs(em - body) <= (1 if sure else 2) * BODY_SIZE_NOISE * body or (by != KANJI and em > body)):
            # within the noise of measuring ink (twice that without kanji, capitals or figures to measure by): the
            # body size.  Without kanji, a line is never taken for larger type: a Gothic face's figures stand taller
            # in the em than a Mincho's (a caption's "2024年)" measured as a heading), and a stray mark only makes an
            # ink box taller, so a large reading is no evidence of a heading, where a small one is evidence of a label.
            em = body
        chars.extend(_line_chars(symbols, em, frame, page_index, marked.get(number, {})))
    return PageReading([*chars, *columns, *figure], frozenset(figure))


#: Japanese vertical text is set solid down the column: glyphs stand at most this share of an em apart.
SOLID_GAP = 0.25


def set_vertically(lines: list[list], box: tuple[int, int, int, int]) -> bool:
    """Whether a block Tesseract read across is vertical text (縦書き), from that reading's shape.

    Read across, the columns of vertical text come out as a stack of
    "lines" of a glyph from each column, set solid: one under the other
    with less than :data:`SOLID_GAP` of an em between them, where lines of
    horizontal text keep their leading between them.  The block is taller
    than wide.  A chart's tick values stack too, but are figures, not
    full-width glyphs; a list of short words stacks too, but with leading.
    """
    left, top, right, bottom = box
    if bottom - top < 2 * (right - left) or len(lines) < 4:
        return False
    symbols = [symbol for line in lines for symbol in line]
    if sum(is_wide(text) for text, *_ in symbols) < 0.6 * len(symbols):  # 縦中横 figures and brackets are half-width
        return False
    heights = [max(box[3] for *_, box, _ in line) - min(box[1] for *_, box, _ in line) for line in lines]
    em = statistics.median(heights)
    gaps = [min(box[1] for *_, box, _ in below) - max(box[3] for *_, box, _ in above) for above, below in zip(lines, lines[1:])]
    return em > 0 and statistics.median(gaps) < SOLID_GAP * em


def _column_chars(api, lines: list[list], box: tuple[int, int, int, int], frame: Frame, page_index: int, ink) -> list[Char]:
    """The glyphs of a block of vertical text, each a char one em square about its own ink, marked as set vertically.

    The layout stage then reads them down the columns, right to left, as it
    reads a PDF's vertical glyphs (:mod:`pipeline.extract.vertical`, 縦中横
    figures included).  The glyphs are those Tesseract's ``jpn`` model read
    across the block, one row at a time: its ``jpn_vert`` model reads the
    columns' words, but in this Tesseract (5.3) gives every symbol of a
    column a box of no width at the column's foot, and read a 縦中横 ``12``
    as two kana; the row-by-row reading places each glyph.
    """
    symbols = [symbol for line in lines for symbol in _ink_heights(line, ink)]
    sides = [max(found[2] - found[0], found[3] - found[1]) for text, _, found, _ in symbols if _is_kanji(text)]
    if not sides:
        return []
    em = statistics.median(sides) / 0.92
    axes = _column_axes([((found[0] + found[2]) / 2, _is_kanji(text)) for text, _, found, _ in symbols if is_wide(text)], em)
    if len(axes) > 1:  # read across, a row runs through every column: each column is read again on its own
        symbols = []
        for axis in axes:
            api.SetRectangle(int(axis - 0.6 * em), box[1], int(1.2 * em), box[3] - box[1])
            symbols.extend(_once([symbol for line in _recognise(api) for symbol in _ink_heights(line, ink)]))
    elif axes:
        symbols = _once(symbols)
    else:
        return []
    scale = 72 / frame.dpi
    half = em * scale / 2
    chars = []
    for text, confidence, (x0, y0, x1, y1), _ in symbols:
        wide = is_wide(text)
        middle = (x0 + x1) / 2
        if wide:  # a glyph's ink stands a little off its column's axis (kana, punctuation): it is set on the axis
            middle = min(axes, key=lambda axis: abs(axis - middle))
        centre_x, centre_y = frame.to_page(middle, (y0 + y1) / 2)
        half_x = half if wide else (x1 - x0) * scale / 2
        half_y = half if wide else (y1 - y0) * scale / 2
        size = em * scale if wide else (y1 - y0) * scale / 0.7
        chars.append(
            Char(text=text, fontname=OCR_FONT, size=round(size, 2), x0=centre_x - half_x, top=centre_y - half_y, x1=centre_x + half_x,
                 bottom=centre_y + half_y, page=page_index, vertical_font=wide, confidence=round(confidence, 3))
        )
    return chars


def _column_axes(middles: list[tuple[float, bool]], em: float) -> list[float]:
    """The axes of a block's columns: the middles of its full-width glyphs' ink (each with whether it is a kanji),
    gathered where they lie within half an em.  A run of kana without a kanji beside a column is its ruby, not a column."""
    groups: list[list[tuple[float, bool]]] = []
    for middle, kanji in sorted(middles):
        if groups and middle - groups[-1][-1][0] < em / 2:
            groups[-1].append((middle, kanji))
        else:
            groups.append([(middle, kanji)])
    return [statistics.median(middle for middle, _ in group) for group in groups if any(kanji for _, kanji in group)]


def _once(column: list) -> list:
    """A column's symbols with a glyph Tesseract read twice (two symbols on one ink, more than half overlapping) kept once, the surer reading."""
    kept: list = []
    for symbol in column:
        if kept and is_wide(symbol[0]) and is_wide(kept[-1][0]):
            above, here = kept[-1][2], symbol[2]
            overlap = min(above[3], here[3]) - max(above[1], here[1])
            if overlap > 0.5 * min(above[3] - above[1], here[3] - here[1]):
                if symbol[1] > kept[-1][1]:
                    kept[-1] = symbol
                continue
        kept.append(symbol)
    return kept


#: The Latin-script model that knows the marks the ``jpn`` model reads without (Vietnamese: ễ, ấ, ồ, đ).
MARKS_MODEL = "vie"


@functools.lru_cache(maxsize=1)
def _marks_api():
    import tesserocr

    return tesserocr.PyTessBaseAPI(path=str(tessdata_folder(MARKS_MODEL)), lang=MARKS_MODEL, psm=tesserocr.PSM.SINGLE_WORD)


def base_letters(text: str) -> str:
    """``text`` with its letters' marks taken off (Unicode: a canonical decomposition's base, or the letter a
    "... WITH ..." name builds on, as Đ is D WITH STROKE)."""
    bases = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        if decomposed != char:
            bases.append(decomposed[0])
            continue
        name = unicodedata.name(char, "")
        if " WITH " in name:
            try:
                bases.append(unicodedata.lookup(name.split(" WITH ")[0]))
                continue
            except KeyError:
                pass
        bases.append(char)
    return "".join(bases)


def latin_marks(image, symbols: list) -> dict[int, tuple[str, float]]:
    """The letters of a line's Latin words with the marks the ``jpn`` model cannot read: symbol index -> (letter, confidence).

    The Japanese model has no Vietnamese letters: Nguyễn comes out as
    Nguyen.  Each word of two or more plain Latin letters is read again,
    alone, with the :data:`MARKS_MODEL` model; its reading is taken only
    when it is the same letters with marks added (base letters equal, one
    for one), so a second model never changes a letter the first read, only
    adds the marks it sees.  Without the model, nothing changes.
    """
    if tessdata_folder(MARKS_MODEL) is None:
        return {}
    words: dict[int, list[int]] = {}
    for index, (text, _, _, word) in enumerate(symbols):
        words.setdefault(word, []).append(index)
    found: dict[int, tuple[str, float]] = {}
    api = None
    for indexes in words.values():
        read = "".join(symbols[index][0] for index in indexes)
        if len(read) < 2 or len(read) != len(indexes) or not all(char.isascii() and char.isalpha() for char in read):
            continue
        if api is None:
            api = _marks_api()
            api.SetImage(image)
        x0 = min(symbols[index][2][0] for index in indexes)
        y0 = min(symbols[index][2][1] for index in indexes)
        x1 = max(symbols[index][2][2] for index in indexes)
        y1 = max(symbols[index][2][3] for index in indexes)
        margin = max(3, (y1 - y0) // 4)
        api.SetRectangle(max(0, x0 - margin), max(0, y0 - 2 * margin), x1 - x0 + 2 * margin, y1 - y0 + 4 * margin)
        marked = unicodedata.normalize("NFC", api.GetUTF8Text().strip())
        if marked == read or len(marked) != len(read) or base_letters(marked) != read:
            continue
        confidence = max(0.0, api.MeanTextConf()) / 100
        for index, letter in zip(indexes, marked):
            if letter != symbols[index][0]:
                found[index] = (letter, min(confidence, symbols[index][1]))
    return found


#: Punctuation whose full-width and ASCII forms share one shape: Tesseract's Japanese model answers the ASCII form.
FULL_WIDTH = {"(": "（", ")": "）", "%": "％", ":": "：", "[": "［", "]": "］", "!": "！", "?": "？"}
#: Between its neighbours' ink, a full-width form leaves about an em (its cell), an ASCII form about a third.
FULL_WIDTH_GAP = 0.75
_PAIRS = {"(": ")", ")": "(", "[": "]", "]": "["}


def widths_by_advance(symbols: list, em: float) -> list[tuple[int, str, float]]:
    """Which of a line's ambiguous punctuation symbols stand in a full-width cell: (index, full-width form, gap in em).

    Shape cannot tell （ from (; the space the glyph takes can.  A
    full-width form is set on a whole em; an ASCII form takes about a third.
    Tesseract's own boxes for these thin glyphs are unreliable, so the
    measure is the gap between the neighbours' ink, either side.  A bracket
    at a line's end, with one neighbour, takes the form of its partner in
    the line (brackets pair in one width), or stays as read.
    """
    found: dict[int, tuple[str, float]] = {}
    undecided = []
    for index, (text, _, box, _) in enumerate(symbols):
        if text not in FULL_WIDTH:
            continue
        if 0 < index < len(symbols) - 1:
            gap = (symbols[index + 1][2][0] - symbols[index - 1][2][2]) / em
            if gap >= FULL_WIDTH_GAP:
                found[index] = (FULL_WIDTH[text], round(gap, 2))
            continue
        undecided.append(index)
    for index in undecided:
        partner = _partner(symbols, index)
        if partner is not None and partner in found:
            found[index] = (FULL_WIDTH[symbols[index][0]], found[partner][1])
    for index in [index for index in found if symbols[index][0] in _PAIRS]:
        # brackets pair in one width; a full-width one measured narrow is one set on half an em before or after
        # punctuation (約物詰め, JIS X 4051: ）、 and 。（ close up), so the full-width measure of its partner decides
        partner = _partner(symbols, index)
        if partner is not None and partner not in found:
            found[partner] = (FULL_WIDTH[symbols[partner][0]], found[index][1])
    return [(index, form, gap) for index, (form, gap) in sorted(found.items())]


def _partner(symbols: list, index: int) -> int | None:
    """The index of the bracket that pairs with the bracket at ``index``, the nearest in the line."""
    text = symbols[index][0]
    if text not in _PAIRS:
        return None
    wanted = _PAIRS[text]
    steps = range(index + 1, len(symbols)) if text in "([" else range(index - 1, -1, -1)
    return next((other for other in steps if symbols[other][0] == wanted), None)


def _advance(text: str, em: float) -> float:
    return em if is_wide(text) else em / 2


def _weighted_median(values: list[tuple[float, int]]) -> float:
    """The median of ``values`` (value, weight): the body size is the size most characters have."""
    ordered = sorted(values)
    half, total = sum(weight for _, weight in ordered) / 2, 0
    for value, weight in ordered:
        total += weight
        if total >= half:
            return value
    return ordered[-1][0]


#: Tesseract's block types (PolyBlockType) of a picture's own ink: images and the rules of its axes.
_PICTURE = frozenset({9, 10, 11, 12, 13})  # FLOWING_IMAGE, HEADING_IMAGE, PULLOUT_IMAGE, HORZ_LINE, VERT_LINE
_IMAGES = frozenset({9, 10, 11})
_CAPTION_TEXT = 8  # Tesseract's CAPTION_TEXT: text it found beside a picture
#: A text block this close to a picture (inches) is set on it: a chart's tick labels stand a hair off its axis.
FIGURE_TEXT_GAP = 1 / 24


@dataclass(frozen=True)
class Block:
    """A block of Tesseract's layout analysis that may hold text (pixels, a margin added), and whether it belongs to a picture."""

    box: tuple[int, int, int, int]
    figure: bool = False


def _text_blocks(api, image_size: tuple[int, int], dpi: float = 300) -> list[Block]:
    """The blocks Tesseract's layout analysis finds that may hold text, each marked when it is a picture's text.

    A chart drawn on the page has its labels set as type: tick values along
    the axes, the categories under them.  A text layer says so by their
    size; on a scan their ink is measured, and Tesseract's layout analysis
    already says where the pictures are (image blocks) and which text it
    takes for their captions (``CAPTION_TEXT``).  A text block touching a
    picture (within :data:`FIGURE_TEXT_GAP`, a hair off an axis) is the
    picture's text, and so is a caption block touching one; body text keeps
    a line's space from a picture.
    """
    import tesserocr

    iterator = api.AnalyseLayout()
    if iterator is None:
        return []
    width, height = image_size
    margin = 4
    found = []
    for item in tesserocr.iterate_level(iterator, tesserocr.RIL.BLOCK):
        box = item.BoundingBox(tesserocr.RIL.BLOCK)
        if box is not None:
            found.append((item.BlockType(), box))
    images = [box for kind, box in found if kind in _IMAGES]
    pictures = [box for kind, box in found if kind in _PICTURE]
    gap = FIGURE_TEXT_GAP * dpi
    blocks = []
    for kind, box in found:
        if kind in _NOT_TEXT:
            continue
        # a picture's text touches an image, or touches a rule of one that itself touches the image (an axis)
        near = [other for other in pictures if _distance(box, other) <= gap and any(_distance(other, image) <= gap for image in images)]
        figure = bool(images) and bool(near)
        left, top, right, bottom = box
        blocks.append(Block((max(0, left - margin), max(0, top - margin), min(width, right + margin), min(height, bottom + margin)), figure))
    return blocks


def _distance(one: tuple[int, int, int, int], other: tuple[int, int, int, int]) -> float:
    """The gap between two boxes (pixels): 0 when they touch or overlap."""
    across = max(0, max(one[0], other[0]) - min(one[2], other[2]))
    down = max(0, max(one[1], other[1]) - min(one[3], other[3]))
    return math.hypot(across, down)


#: Ink left of a line's first symbol, at least this share of the line's height wide, is a glyph Tesseract skipped.
UNREAD_WIDTH = 0.5


#: A band of ink at least this share of the block's line height tall, outside every line read, is a line Tesseract skipped.
UNREAD_LINE_HEIGHT = 0.6


def _unread_lines(api, lines: list[list], box: tuple[int, int, int, int], ink) -> list[list]:
    """``lines`` with any line of the block Tesseract's line finder skipped read again on its own, in its place.

    Read as one block, Tesseract now and then gives no line for a row of
    text between two it reads (a whole line of body text was missing on a
    shared render).  Rows of ink inside the block that no line read covers,
    together at least :data:`UNREAD_LINE_HEIGHT` of a line tall (a rule or
    noise is thinner), are read again as one line; what is read there, with
    its confidences, takes its place between the lines above and below.
    """
    import tesserocr

    if len(lines) < 2:
        return lines
    left, top, right, bottom = box
    spans = [(min(b[1] for *_, b, _ in line), max(b[3] for *_, b, _ in line)) for line in lines]
    height = statistics.median(end - start for start, end in spans)
    covered = ink[top:bottom, left:right].any(axis=1)
    for start, end in spans:
        covered[max(0, start - top) : max(0, end - top)] = False
    bands, run = [], None
    for row, dark in enumerate(covered):
        if dark and run is None:
            run = row
        elif not dark and run is not None:
            bands.append((run + top, row + top))
            run = None
    if run is not None:
        bands.append((run + top, len(covered) + top))
    found = [band for band in bands if band[1] - band[0] >= UNREAD_LINE_HEIGHT * height and spans[0][1] <= band[0] and band[1] <= spans[-1][0]]
    if not found:
        return lines
    api.SetPageSegMode(tesserocr.PSM.SINGLE_LINE)
    margin = max(2, int(height // 6))
    for start, end in found:
        api.SetRectangle(left, start - margin, right - left, end - start + 2 * margin)
        lines = lines + [symbols for symbols in _recognise(api) if symbols]
    api.SetPageSegMode(tesserocr.PSM.SINGLE_BLOCK)
    return sorted(lines, key=lambda line: statistics.median((b[1] + b[3]) / 2 for *_, b, _ in line))


#: Ink further apart than this share of the em, between full-width glyphs, is a space (set solid they stand a fifth apart at most).
SPACE_GAP = 0.33


def _unread_start(api, symbols: list, block_left: int, ink) -> list:
    """``symbols`` with the glyph before the first read again on its own, when Tesseract's line skipped one.

    Read as a block, Tesseract drops a square glyph opening a line (図
    before a caption, read as a frame rather than a character) and gives no
    symbol for its ink.  Ink at least :data:`UNREAD_WIDTH` of the line's
    height wide, left of the first symbol and inside the block, is read
    again alone as one character; what Tesseract answers there, with its
    confidence, opens the line.  Ink it still reads as nothing stays unread.
    """
    import tesserocr

    if not symbols:
        return symbols
    # the line's body, not its extremes: brackets and descenders reach beyond the em
    top = int(statistics.median(box[1] for _, _, box, _ in symbols))
    bottom = int(statistics.median(box[3] for _, _, box, _ in symbols))
    first = symbols[0][2][0]
    height = bottom - top
    if first - block_left < UNREAD_WIDTH * height or height <= 0:
        return symbols
    columns = ink[top:bottom, block_left:first].any(axis=0).nonzero()[0]
    if not len(columns) or columns[-1] - columns[0] + 1 < UNREAD_WIDTH * height:
        return symbols
    x0, x1 = block_left + int(columns[0]), block_left + int(columns[-1]) + 1
    if first - x1 > height:  # ink far from the line: another column's, or a mark in the margin
        return symbols
    api.SetPageSegMode(tesserocr.PSM.SINGLE_CHAR)
    margin = max(2, height // 8)
    api.SetRectangle(x0 - margin, top - margin, x1 - x0 + 2 * margin, height + 2 * margin)
    found = [symbol for line in _recognise(api) for symbol in line]
    if len(found) != 1 or not is_wide(found[0][0]):
        return symbols
    text, confidence, _, _ = found[0]
    word = symbols[0][3] - 1
    opened = [(text, confidence, (x0, top, x1, bottom), word)]
    if first - x1 >= SPACE_GAP * height:  # full-width glyphs set solid stand a fifth of an em apart at most: a space was set
        opened.append(("\u3000", confidence, (x1, top, first, bottom), word))
    return [*opened, *symbols]


def _recognise(api) -> list[list[tuple[str, float, tuple[int, int, int, int], int]]]:
    """The symbols of the current rectangle, line by line: (text, confidence 0–1, box in pixels, word number)."""
    import tesserocr

    if api.Recognize() is False:
        return []
    iterator = api.GetIterator()
    if iterator is None:
        return []
    lines: list[list] = []
    word = 0
    symbol, word_level, textline = tesserocr.RIL.SYMBOL, tesserocr.RIL.WORD, tesserocr.RIL.TEXTLINE
    iterator.Begin()
    while True:
        if iterator.IsAtBeginningOf(textline) or not lines:
            lines.append([])
        if iterator.IsAtBeginningOf(word_level):
            word += 1
        text = iterator.GetUTF8Text(symbol) if not iterator.Empty(symbol) else ""
        box = iterator.BoundingBox(symbol)
        if text and box is not None and not text.isspace():
            lines[-1].append((text, max(0.0, iterator.Confidence(symbol)) / 100, box, word))
        if not iterator.Next(symbol):
            break
    return [line for line in lines if line]


def _ink_mask(image):
    """The page's dark pixels (numpy booleans): where the glyphs' ink is, to measure it tighter than Tesseract's boxes."""
    import numpy as np

    return np.asarray(image.convert("L")) < 128


def _ink_heights(symbols, ink) -> list:
    """``symbols`` with each box's top and bottom drawn in to its own ink.

    Tesseract's LSTM gives symbol boxes that are only roughly placed: they
    often span the whole text line, or reach down to a rule under a running
    header (a header set at 8 pt measured 9.7 pt from them).  The dark
    pixels inside the box are the glyph itself; only the vertical extent is
    tightened, as only the height measures the type size.
    """
    tightened = []
    for text, confidence, box, word in symbols:
        x0, y0, x1, y1 = box
        rows = ink[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)].any(axis=1).nonzero()[0]
        if len(rows):
            box = (x0, y0 + int(rows[0]), x1, y0 + int(rows[-1]) + 1)
        tightened.append((text, confidence, box, word))
    return tightened


#: What a line's size was measured by (:func:`_em`), surest first.
KANJI, LATIN, KANA, OTHER = "kanji", "latin", "kana", "other"


def _em(symbols) -> tuple[float, str]:
    """The line's type size in pixels, from the height of its ink, and whether there was enough to tell.

    A kanji's ink fills nearly its whole em square (about 0.92 of it in
    Mincho and Gothic faces alike); capitals and figures stand about 0.7 em
    tall in Latin faces.  Three of either measure a line surely (but only
    kanji are evidence of larger type, :func:`read_page`).  Kana are
    drawn smaller within the em (about 0.8 of it) and vary more; the ink of
    punctuation (、。（）) fills a corner of the em, not its height, and
    lower-case letters vary with x-height, ascenders and descenders: a line
    measured by those is measured less surely (:func:`read_page` allows it
    twice the noise).  The pitch of characters is no measure: it varies with
    justification and proportional faces.
    """
    kanji = [box[3] - box[1] for text, _, box, _ in symbols if _is_kanji(text)]
    if len(kanji) >= 3:
        return statistics.median(kanji) / 0.92, KANJI
    tall = [box[3] - box[1] for text, _, box, _ in symbols if text.isdigit() or text.isupper()]
    if len(tall) >= 3:
        return statistics.median(tall) / 0.7, LATIN
    letters = [box[3] - box[1] for text, _, box, _ in symbols if is_wide(text) and unicodedata.category(text[0]) == "Lo"]
    if letters:
        return statistics.median(letters) / 0.8, KANA
    return max(statistics.median(tall or [box[3] - box[1] for _, _, box, _ in symbols]) / 0.7, 1), OTHER


def _is_kanji(text: str) -> bool:
    return len(text) == 1 and ("\u4e00" <= text <= "\u9fff" or "\u3400" <= text <= "\u4dbf")


def _line_chars(symbols, em: float, frame: Frame, page_index: int, marked: dict[int, tuple[str, float]] | None = None) -> list[Char]:
    """One Tesseract line's symbols as chars one em tall about the line's middle, superscript digits apart.

    A symbol whose middle lies more than half an em from the line's middle
    was put in the line by Tesseract's line finder but stands in another row
    (a chart label beside the text): it keeps its own middle, and the layout
    stage puts it in its own row.  Within one of Tesseract's words the gaps
    between ink boxes are closed, as a drawn glyph's box spans its advance:
    so a space is seen only where Tesseract saw one (between Latin words).
    """
    if not symbols:
        return []
    wide = [(box[1] + box[3]) / 2 for text, _, box, _ in symbols if is_wide(text)] or [(box[1] + box[3]) / 2 for _, _, box, _ in symbols]
    middle = statistics.median(wide)
    bottom_line = middle + em / 2
    scale = 72 / frame.dpi
    # Tesseract's LSTM places its symbols only roughly (a 、 one pixel wide, a box reaching back over its
    # predecessor) but emits them in reading order: the left edges are made to follow that order, so the
    # layout stage, which sorts by position, keeps it
    lefts, rights = [], []
    for _, _, box, _ in symbols:
        left = box[0] if not lefts else max(box[0], lefts[-1] + 1)
        lefts.append(left)
        rights.append(max(box[2], left + 1))
    for index in range(len(symbols) - 1):  # close the gap to the next symbol of the same word
        if symbols[index][3] == symbols[index + 1][3] and rights[index] < lefts[index + 1]:
            half = (lefts[index + 1] - rights[index]) / 2
            rights[index] += half
            lefts[index + 1] -= half
    full_width = {index: form for index, form, _ in widths_by_advance(symbols, em)}
    chars = []
    for index, ((text, confidence, (x0, y0, x1, y1), _), left, right) in enumerate(zip(symbols, lefts, rights)):
        own_middle = (y0 + y1) / 2
        superscript = text.isdigit() and y1 - y0 < _SUPERSCRIPT_HEIGHT * em and y1 < bottom_line - _SUPERSCRIPT_RAISE * em
        if superscript:
            glyph_middle, glyph_height, size = own_middle, y1 - y0, (y1 - y0) / 0.7
        else:
            glyph_middle = own_middle if abs(own_middle - middle) > em / 2 else middle
            glyph_height, size = em, em
        centre_x, centre_y = frame.to_page((left + right) / 2, glyph_middle)
        half_width, half_height = (right - left) * scale / 2, glyph_height * scale / 2
        chars.append(
            Char(
                text=full_width.get(index, (marked or {}).get(index, (text,))[0]),
                raw=text if index in full_width or index in (marked or {}) else None,
                fontname=OCR_FONT,
                size=round(size * scale, 2),
                x0=centre_x - half_width,
                top=centre_y - half_height,
                x1=centre_x + half_width,
                bottom=centre_y + half_height,
                page=page_index,
                confidence=round(confidence, 3),
            )
        )
    return chars
