"""The only place the pipeline changes pdfminer's or pdfplumber's behaviour, and only while reading.

Four methods are replaced, inside :func:`reading_hooks` and nowhere else:

- ``PDFLayoutAnalyzer.render_char`` keeps each glyph's code (cid) and font
  object on its ``LTChar`` (pdfminer decodes a glyph through the font's
  ToUnicode map and forgets which glyph it was; the repair stage needs both),
  and the text render mode it was drawn in (``render_mode``: 2 is fill and
  stroke, how Word bolds a face that has no bold weight; the split stage
  reads it as weight), and counts glyphs per page against :mod:`pipeline.limits`;
- ``PDFTextDevice.render_string`` notes the render mode of the string it
  draws (``render_char`` is not given the text state that holds it);
- ``PDFCIDFont.__init__`` keeps the font's ``CIDToGIDMap`` (pdfminer reads the
  font dictionary and drops it; pdfminer keeps no copy of the dictionary);
- ``PDFPageInterpreter.execute`` and ``pdfminer.pdfinterp.PDFContentParser``
  read content streams with :mod:`pipeline.extract.content_stream`.

Importing the package changes nothing: a program that uses pdfminer beside
the pipeline sees pdfminer as it shipped, except while a pipeline thread is
inside the context (the replacements are process-wide while any is).  The
context nests and counts entries across threads; the last one out puts back
the exact original objects.
"""

from __future__ import annotations

import inspect
import logging
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import pdfminer
import pdfminer.pdfinterp
import pdfplumber.page
from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdffont import PDFCIDFont
from pdfminer.pdfinterp import PDFPageInterpreter

from pipeline import limits
from pipeline.extract import content_stream

logger = logging.getLogger(__name__)

#: pdfminer.six versions the fast content-stream reader copies (it mirrors
#: pdfminer's tokeniser and ``execute`` loop).  Outside them pdfminer's own
#: reader is used: the same output, slower.
FAST_READER_VERSIONS = ("20250324", "20270000")  # from, up to (not including)
#: Attributes pdfplumber copies from each LTChar when asked for ``page.chars``.
GLYPH_ATTRIBUTES = ("cid", "pdffont", "render_mode")
_RENDER_CHAR_PARAMETERS = ["self", "matrix", "font", "fontsize", "scaling", "rise", "cid", "ncs", "graphicstate"]

_lock = threading.Lock()
_depth = 0
_saved: dict[str, object] = {}
_warned_version = False


class HooksUnsupported(RuntimeError):
    """pdfminer changed where the pipeline must keep each glyph's code: upgrade or pin pdfminer.six."""


def fast_reader_supported(version: str | None = None) -> bool:
    version = version if version is not None else pdfminer.__version__
    low, high = FAST_READER_VERSIONS
    return version.isdigit() and low <= version < high


def cid_to_gid_map(font) -> object | None:
    """The CIDToGIDMap of a CID font read inside :func:`reading_hooks` (a stream or a name), else None."""
    return getattr(font, "cid_to_gid_map", None)


@contextmanager
def reading_hooks() -> Iterator[None]:
    """pdfminer keeping glyph ids and reading content streams fast, for the length of the block."""
    global _depth
    with _lock:
        if _depth == 0:
            _install()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _uninstall()


def active() -> bool:
    return _depth > 0


def _install() -> None:
    global _warned_version
    original_render_char = PDFLayoutAnalyzer.render_char
    if list(inspect.signature(original_render_char).parameters) != _RENDER_CHAR_PARAMETERS:
        raise HooksUnsupported(
            f"pdfminer.six {pdfminer.__version__} changed PDFLayoutAnalyzer.render_char; "
            "the pipeline cannot keep glyph codes with it: install a pdfminer.six that pdfplumber 0.11 pins"
        )
    original_init = PDFCIDFont.__init__
    original_render_string = PDFTextDevice.render_string
    _saved.update(render_char=original_render_char, cid_init=original_init, render_string=original_render_string)

    def render_string(self, textstate, seq, ncs, graphicstate):
        self.render_mode = getattr(textstate, "render", 0)
        return original_render_string(self, textstate, seq, ncs, graphicstate)

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
        glyphs = self.glyphs_drawn = getattr(self, "glyphs_drawn", 0) + 1
        limit = limits.current().glyphs_per_page
        if limit and glyphs > limit:
            raise limits.PageTooComplex(f"more than {limit:,} glyphs on one page")
        advance = original_render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate)
        item = self.cur_item._objs[-1]
        item.cid = cid
        item.pdffont = font
        item.render_mode = getattr(self, "render_mode", 0)
        return advance

    def init(self, rsrcmgr, spec, *args, **kwargs):
        original_init(self, rsrcmgr, spec, *args, **kwargs)
        self.cid_to_gid_map = spec.get("CIDToGIDMap") if hasattr(spec, "get") else None

    render_char.keeps_glyph_ids = True
    init.keeps_cid_to_gid_map = True
    PDFLayoutAnalyzer.render_char = render_char
    PDFCIDFont.__init__ = init
    PDFTextDevice.render_string = render_string
    _saved["added_attributes"] = [name for name in GLYPH_ATTRIBUTES if name not in pdfplumber.page.ALL_ATTRS]
    pdfplumber.page.ALL_ATTRS.update(_saved["added_attributes"])

    if fast_reader_supported():
        _saved.update(parser=pdfminer.pdfinterp.PDFContentParser, execute=PDFPageInterpreter.execute)
        pdfminer.pdfinterp.PDFContentParser = content_stream.FastContentParser
        PDFPageInterpreter.execute = content_stream.execute
    elif not _warned_version:
        _warned_version = True
        message = (
            f"pdfminer.six {pdfminer.__version__} is outside {FAST_READER_VERSIONS[0]}..{FAST_READER_VERSIONS[1]}: "
            "content streams are read by pdfminer's own parser (same output, slower)"
        )
        logger.warning(message)
        warnings.warn(message, RuntimeWarning, stacklevel=3)


def _uninstall() -> None:
    PDFLayoutAnalyzer.render_char = _saved.pop("render_char")
    PDFCIDFont.__init__ = _saved.pop("cid_init")
    PDFTextDevice.render_string = _saved.pop("render_string")
    pdfplumber.page.ALL_ATTRS.difference_update(_saved.pop("added_attributes"))
    if "parser" in _saved:
        pdfminer.pdfinterp.PDFContentParser = _saved.pop("parser")
        PDFPageInterpreter.execute = _saved.pop("execute")
