"""Open a PDF with pdfplumber and yield its glyphs page by page.

Pages are read one at a time and released, so a 250-page file does not keep
every page's objects in memory.  Everything that can go wrong with a file is
turned into an :class:`ExtractError` whose message a person understands.
"""

from __future__ import annotations

import logging
import re
from unicodedata import normalize as normalize_unicode
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pdfplumber
import pdfplumber.page
from pdfminer.layout import LTChar, LTContainer, LTCurve, LTRect
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdffont import PDFFont
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.page import fix_fontname_bytes

from pipeline.codes import ErrorCode
from pipeline.extract.pdfminer_hooks import reading_hooks
from pipeline.records import Box, Char

# pdfminer logs every odd font at WARNING; the pipeline reports what matters itself.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

_CID = re.compile(r"^\(cid:\d+\)$")
#: Text render modes that fill the glyph and stroke its outline over it (PDF 32000-1 §9.3.6, Table 106): a heavier face.
FILL_AND_STROKE = (2, 6)


class ExtractError(Exception):
    """A file that cannot be read at all, with the reason in plain words and its :class:`ErrorCode`."""

    def __init__(self, message: str, code: ErrorCode):
        super().__init__(message)
        self.code = code


@dataclass
class PdfPage:
    """One page's glyphs, or the reason it could not be read."""

    index: int
    width: float
    height: float
    chars: list[Char]
    error: str | None = None
    fonts: dict[str, PDFFont] | None = None  # fonts first used on this page, by font_key
    off_page: int = 0  # glyphs drawn wholly outside the page, left out (no reader sees them)
    rules: list[Box] | None = None  # thin horizontal strokes (pipeline.records.Page.rules)
    frames: list[Box] | None = None  # rectangles round an area (pipeline.records.Page.frames)


def count_pages(path: Path, password: str | None = None) -> int:
    with reading_hooks(), _open(path, password) as pdf:
        return len(pdf.pages)


def read_pages(path: Path, password: str | None = None) -> Iterator[PdfPage]:
    """Yield every page's chars; a page that fails gives its error instead."""
    font_keys: dict[int, str] = {}
    vertical: dict[int, bool] = {}  # per font object: asked once, not per glyph
    with _open(path, password) as pdf:
        for index, page in enumerate(pdf.pages):
            try:
                new_fonts: dict[str, PDFFont] = {}
                width, height = float(page.width), float(page.height)
                with reading_hooks():  # pdfminer keeps glyph ids only while pdfplumber lays the page out
                    chars = [_char(raw, index, _font_key(raw, font_keys, new_fonts), vertical) for raw in page_glyphs(page)]
                visible = [char for char in (_clipped(char, width, height) for char in chars) if char is not None]
                rules, frames = page_drawings(page, index)
                yield PdfPage(index, width, height, visible, fonts=new_fonts, off_page=len(chars) - len(visible), rules=rules, frames=frames)
            except Exception as error:  # one bad page must not sink the document
                yield PdfPage(index, 0.0, 0.0, [], error=f"page {index + 1} unreadable: {_describe_page_error(error)}")
            finally:
                page.close()


def page_glyphs(page: pdfplumber.page.Page) -> Iterator[dict]:
    """The page's glyphs with the fields of pdfplumber's ``page.chars`` that the pipeline reads.

    Read straight off the layout pdfplumber builds, with the same
    coordinates; pdfplumber's own ``chars`` copies twenty-odd attributes of
    every glyph through ``resolve_all``, which cost more than the
    interpreter itself on text-dense pages.
    """
    mb_x0, mb_top = page.mediabox[:2]
    height = page.height
    normalise = page.pdf.unicode_norm
    for glyph in _layout_chars(page.layout._objs):
        text = glyph.get_text()
        fontname = glyph.fontname
        yield {
            "text": normalize_unicode(normalise, text) if normalise is not None else text,
            "fontname": fix_fontname_bytes(fontname) if isinstance(fontname, bytes) else fontname,
            "size": glyph.size,
            "x0": glyph.x0 + mb_x0,
            "x1": glyph.x1 + mb_x0,
            "top": height - glyph.y1 + mb_top,
            "bottom": height - glyph.y0 + mb_top,
            "upright": glyph.upright,
            "cid": getattr(glyph, "cid", None),
            "pdffont": getattr(glyph, "pdffont", None),
            "baseline": _baseline(glyph, height, mb_top),
            "render_mode": getattr(glyph, "render_mode", 0),
            "color": _fill_colour(getattr(glyph, "graphicstate", None)),
        }


#: A drawn stroke at most this thick (points) is a rule; anything taller is an area (a box, a band).
RULE_THICKNESS = 2.5


def page_drawings(page: pdfplumber.page.Page, index: int) -> tuple[list[Box], list[Box]]:
    """The page's rules (thin horizontal strokes: lines, flat rectangles, flat paths) and frames (rectangles round an area).

    The split stage reads them as a heading's underline, the rules above
    and below it, or the box round it.  Vertical strokes and other shapes
    say nothing about one line and are not kept.
    """
    mb_x0, mb_top = page.mediabox[:2]
    height = page.height
    rules: list[Box] = []
    frames: list[Box] = []
    for shape in _layout_shapes(page.layout._objs):
        box = Box(index, shape.x0 + mb_x0, height - shape.y1 + mb_top, shape.x1 + mb_x0, height - shape.y0 + mb_top)
        thickness, length = box.bottom - box.top, box.x1 - box.x0
        if thickness <= RULE_THICKNESS and length > 2 * RULE_THICKNESS:
            rules.append(box)
        elif isinstance(shape, LTRect) and thickness > RULE_THICKNESS and length > RULE_THICKNESS:
            frames.append(box)
    return rules, frames


def _layout_shapes(objects) -> Iterator[LTCurve]:
    for obj in objects:
        if isinstance(obj, LTCurve):  # LTLine and LTRect are curves too
            yield obj
        elif isinstance(obj, LTContainer) and not isinstance(obj, LTChar):
            yield from _layout_shapes(obj._objs)


def _fill_colour(graphicstate) -> str | None:
    """A glyph's fill (non-stroking) colour as ``#rrggbb``, from a gray, RGB or CMYK value; None for a pattern or anything else.

    CMYK is turned to RGB the naive way (no colour profile): enough to tell
    a red heading from black body text, which is all it is used for.

    >>> class State: ncolor = (0, 1, 1, 0)
    >>> _fill_colour(State()), _fill_colour(type("Gray", (), {"ncolor": 0.0})())
    ('#ff0000', '#000000')
    """
    value = getattr(graphicstate, "ncolor", None)
    if isinstance(value, (int, float)):
        value = (value,)
    if not isinstance(value, (tuple, list)) or not all(isinstance(part, (int, float)) for part in value):
        return None
    if len(value) == 1:
        rgb = (value[0],) * 3
    elif len(value) == 3:
        rgb = tuple(value)
    elif len(value) == 4:
        cyan, magenta, yellow, black = value
        rgb = ((1 - cyan) * (1 - black), (1 - magenta) * (1 - black), (1 - yellow) * (1 - black))
    else:
        return None
    return "#" + "".join(f"{round(min(max(float(part), 0.0), 1.0) * 255):02x}" for part in rgb)


def _baseline(glyph: LTChar, height: float, mb_top: float) -> float | None:
    """Where a horizontal glyph stands, from the page top.

    pdfminer hangs every glyph's box from the font's descent (its box is
    one font size tall from baseline + descent), so the baseline is that
    far above the box's bottom, whatever the glyph's own outline does.
    """
    font = getattr(glyph, "pdffont", None)
    if font is None or not glyph.upright:
        return None
    try:
        if font.is_vertical():
            return None
        descent = font.get_descent()
    except Exception:
        return None
    return height - (glyph.y0 - glyph.size * descent) + mb_top


def _layout_chars(objects) -> Iterator[LTChar]:
    for obj in objects:
        if isinstance(obj, LTChar):
            yield obj
        elif isinstance(obj, LTContainer):
            yield from _layout_chars(obj._objs)


def _open(path: Path, password: str | None):
    head = _head(path)
    if not head:
        raise ExtractError("empty file", ErrorCode.EMPTY_FILE)
    if b"%PDF-" not in head:
        raise ExtractError("not a PDF (no %PDF- header)", ErrorCode.NOT_A_PDF)
    try:
        try:
            pdf = pdfplumber.open(path, password=password or "")
            _ = pdf.pages  # parses the page tree: truncated files fail here
        except PdfminerException as wrapped:  # pdfplumber hides pdfminer's own error inside
            raise _unwrap(wrapped) from None
    except PDFPasswordIncorrect:
        if password:
            raise ExtractError("encrypted PDF: the password given is wrong", ErrorCode.ENCRYPTED_WRONG_PASSWORD) from None
        raise ExtractError("encrypted PDF: give its password with --password", ErrorCode.ENCRYPTED_NEEDS_PASSWORD) from None
    except PDFEncryptionError as error:
        raise ExtractError(f"encrypted PDF with an unsupported scheme: {error}", ErrorCode.ENCRYPTED_UNSUPPORTED) from None
    except (PDFSyntaxError, PSException) as error:
        raise ExtractError(f"damaged or truncated PDF: {_describe(error)}", ErrorCode.DAMAGED_PDF) from None
    except Exception as error:
        raise ExtractError(f"cannot be opened as a PDF: {_describe(error)}", ErrorCode.DAMAGED_PDF) from None
    return pdf


def _head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(1024)


def _font_key(raw: dict, font_keys: dict[int, str], new_fonts: dict[str, PDFFont]) -> str | None:
    """A name for the char's font object, unique within the document."""
    font = raw.get("pdffont")
    if font is None:
        return None
    key = font_keys.get(id(font))
    if key is None:
        name = raw.get("fontname") or "font"
        taken = set(font_keys.values())
        key = name if name not in taken else f"{name}~{len(font_keys)}"
        font_keys[id(font)] = key
        new_fonts[key] = font
    return key


def _char(raw: dict, page_index: int, font_key: str | None, vertical: dict[int, bool]) -> Char:
    font = raw.get("pdffont")
    is_vertical = vertical.get(id(font))
    if is_vertical is None:
        is_vertical = vertical[id(font)] = _is_vertical(font)
    return Char(
        text=raw["text"],
        fontname=raw.get("fontname") or "",
        size=float(raw.get("size") or 0.0),
        x0=float(raw["x0"]),
        top=float(raw["top"]),
        x1=float(raw["x1"]),
        bottom=float(raw["bottom"]),
        page=page_index,
        upright=bool(raw.get("upright", True)),
        cid=raw.get("cid"),
        font_key=font_key,
        vertical_font=is_vertical,
        baseline=raw.get("baseline"),
        fake_bold=raw.get("render_mode") in FILL_AND_STROKE,
        color=raw.get("color"),
    )


def _clipped(char: Char, width: float, height: float) -> Char | None:
    """The char with its box cut to the page, or None when it is drawn wholly outside.

    What lies outside the page (its MediaBox) is never shown, so no reader
    has seen it; a glyph that only overhangs the edge (italics, bleed) keeps
    its place with the part on the page.
    """
    if char.x1 <= 0 or char.x0 >= width or char.bottom <= 0 or char.top >= height:
        return None
    if char.x0 >= 0 and char.top >= 0 and char.x1 <= width and char.bottom <= height:
        return char
    return replace(char, x0=max(0.0, char.x0), top=max(0.0, char.top), x1=min(width, char.x1), bottom=min(height, char.bottom))


def _is_vertical(font) -> bool:
    try:
        return bool(font is not None and font.is_vertical())
    except Exception:
        return False


def is_cid_placeholder(text: str) -> bool:
    """pdfminer writes ``(cid:N)`` for a glyph its font maps to no character."""
    return bool(_CID.match(text))


def _describe(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]


def _unwrap(error: PdfminerException) -> BaseException:
    """pdfminer's own exception, which pdfplumber wraps (as its argument or context)."""
    inner = error.args[0] if error.args and isinstance(error.args[0], BaseException) else error.__context__
    return inner if inner is not None else error


def _describe_page_error(error: Exception) -> str:
    """Why a page failed, naming the font when pdfminer broke on one.

    pdfminer reads a font when a page first uses it; a broken font dictionary
    surfaces as an arbitrary Python error from deep inside, which says
    nothing to a reader until the font is named.
    """
    inner = _unwrap(error) if isinstance(error, PdfminerException) else error
    detail = type(inner).__name__ + (f": {_describe(inner)}" if str(inner).strip() else "")
    frame_info = inner.__traceback__
    resource = None
    while frame_info is not None:
        frame = frame_info.tb_frame
        if frame.f_code.co_filename.endswith("pdfinterp.py"):
            if frame.f_code.co_name == "init_resources":
                resource = frame.f_locals.get("fontid", resource)
            elif frame.f_code.co_name == "get_font":
                spec = frame.f_locals.get("spec")
                spec = spec if isinstance(spec, dict) else {}
                names = [getattr(spec.get(key), "name", None) for key in ("Subtype", "BaseFont")]
                font = " ".join(filter(None, [names[0], "font", names[1] or (f"/{resource}" if resource else None)]))
                return f"pdfminer cannot read its {font} ({detail})"
        frame_info = frame_info.tb_next
    return detail
