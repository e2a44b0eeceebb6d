"""The fast content-stream reader gives pdfminer's objects, token for token.

Checked on every page of every PDF the project can reach (its own samples
and fixtures, the shared newsletters and real-ja) and on generated streams
made of the awkward tokens pdfminer treats in its own way.  The glyphs read
straight off pdfplumber's layout are checked against ``page.chars`` the
same way.
"""

from __future__ import annotations

import random
from pathlib import Path

import pdfminer.pdfinterp
import pdfplumber
import pytest
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, stream_value
from pdfminer.psparser import PSEOF

from pipeline.extract import content_stream
from pipeline.extract.content_stream import FastContentParser, Unsupported, tokenise
from pipeline.extract.pdf import page_glyphs
from pipeline.extract.pdfminer_hooks import reading_hooks
from conftest import NEWSLETTERS, RAW, REAL_JA, REPO

FIXTURES = REPO / "tests" / "fixtures"
#: Enough pages of the long files (kokuji has 247) to cover their fonts, without minutes of pdfminer.
MAX_PAGES = 12


def every_pdf() -> list[Path]:
    found = sorted(RAW.glob("*.pdf")) + sorted(FIXTURES.glob("*.pdf"))
    for folder in (NEWSLETTERS, REAL_JA):
        if folder.is_dir():
            found += sorted(folder.glob("*.pdf"))
    return found


def read_all(parser_class, streams) -> list | tuple:
    """Every object the parser gives, or the error it stops with; inline images as plain data."""
    try:
        parser = parser_class(streams)
        objects = []
        while True:
            try:
                objects.append(_comparable(parser.nextobject()[1]))
            except PSEOF:
                return objects
    except Exception as error:
        return ("error", type(error).__name__)


def _comparable(obj):
    if isinstance(obj, PDFStream):
        return ("inline image", obj.attrs, obj.rawdata)
    return obj


def pdfminer_objects(streams):
    return read_all(content_stream._ORIGINAL_PARSER, streams)


def fast_objects(streams):
    return read_all(FastContentParser, streams)


def stream(data: bytes) -> PDFStream:
    return PDFStream({}, data)


FIELDS = ("text", "fontname", "size", "x0", "x1", "top", "bottom", "upright", "cid")


def pdfminers_own_glyphs(pdf: Path) -> list[list[dict] | str]:
    """Each page's glyphs as pdfplumber gives them with pdfminer's own reader and loop."""
    with reading_hooks():  # glyph ids kept; then pdfminer's own reader put back for this block
        fast = pdfminer.pdfinterp.PDFContentParser, PDFPageInterpreter.execute
        pdfminer.pdfinterp.PDFContentParser = content_stream._ORIGINAL_PARSER
        PDFPageInterpreter.execute = content_stream._ORIGINAL_EXECUTE
        try:
            with pdfplumber.open(pdf) as document:
                return [_page_chars(page) for page in document.pages[:MAX_PAGES]]
        finally:
            pdfminer.pdfinterp.PDFContentParser, PDFPageInterpreter.execute = fast


def _page_chars(page) -> list[dict] | str:
    try:
        return [{k: c.get(k) for k in FIELDS} for c in page.chars]
    except Exception as error:
        return type(error).__name__


@pytest.mark.parametrize("pdf", every_pdf(), ids=lambda p: p.name)
def test_same_objects_and_glyphs_as_pdfminer_on_every_page(pdf):
    try:
        wanted_glyphs = pdfminers_own_glyphs(pdf)
    except Exception:
        pytest.skip("not openable: covered by the hostile-input tests")
    read_fast = 0
    with reading_hooks(), pdfplumber.open(pdf) as document:
        for page, wanted in zip(document.pages[:MAX_PAGES], wanted_glyphs):
            try:
                ours = [{k: c[k] for k in FIELDS} for c in page_glyphs(page)]
            except Exception as error:
                ours = type(error).__name__
            assert ours == wanted, f"page {page.page_number}"
            try:
                streams = page.page_obj.contents
                data = b"\n".join(d for d in (stream_value(s).get_data() for s in streams) if d)
                objects = tokenise(data)
            except Exception:
                continue  # handed back to pdfminer whole
            read_fast += 1
            assert objects == pdfminer_objects(streams), f"page {page.page_number}"
    assert read_fast or not wanted_glyphs


EDGE_CASES = [
    b"BT /F1 12 Tf 72 712 Td (Hello) Tj ET",
    b"[(A) -120 (B) 3.5 (C)] TJ",
    b"(nested (paren) s) Tj (esc\\(aped\\)) Tj (tab\\there) Tj",
    b"(octal \\101\\1012\\7 end) Tj (\\0) Tj",
    b"(line\\\ncontinued) Tj (cr\\\r\ncontinued) Tj (lone cr\\\rx) Tj (unknown \\q escape) Tj",
    b"<48656C6C6F> Tj <4 8 65\n6C> Tj <ABC> Tj <> Tj",
    b"/Name /With#20Space /Odd#2 /Bad#GG /Empty# /Caf\xc3\xa9 /\xff\xfe",
    b"-5 +7 .5 -.5 5. 1.2.3 - + . -- --5 +.5 +. 00012",
    b"true false null T* ' \" d0 d1",
    b"<< /MCID 3 /Lang (ja) /Nested << /A [1 2] >> >> BDC EMC",
    b"{ 1 2 add } pop [ [ 1 ] [ 2 [ 3 ] ] ] pop",
    b"% a comment\n1 0 0 1 0 0 cm % trailing comment",
    b"q 1 0 0 RG 0 0 m 10 10 l S Q\x00\x00 f*",
    b"<AB>> <AB/Name 12Tf 3q",
    b"\x80\x81 ) } > ",
]


@pytest.mark.parametrize("data", EDGE_CASES)
def test_edge_cases_read_as_pdfminer_reads_them(data):
    assert fast_objects([stream(data)]) == pdfminer_objects([stream(data)])


AWKWARD_TOKENS = [
    b"-5", b"+7", b".5", b"-.5", b"5.", b"1.2.3", b"-", b"+", b".", b"--5", b"00012", b"3q", b"12Tf",
    b"/N", b"/With#20Space", b"/Odd#2", b"/Bad#GG", b"/Empty#", b"/Caf\xc3\xa9", b"/\xff",
    b"(a (b) c)", b"(\\101\\1012)", b"(\\\n)", b"(\\\r\n)", b"(\\q)", b"()", b"(\\))",
    b"<4 8 65>", b"<ABC>", b"<>", b"true", b"false", b"T*", b"'", b"\"", b"Tj", b"%c\n",
    b"\x00", b"\x80", b")", b">",
]


def random_stream(rng: random.Random, depth: int = 0) -> bytes:
    parts = []
    for _ in range(rng.randint(1, 12)):
        roll = rng.random()
        if roll < 0.1 and depth < 3:
            parts.append(b"[" + random_stream(rng, depth + 1) + b"]")
        elif roll < 0.15 and depth < 3:
            parts.append(b"<< /K [" + random_stream(rng, depth + 1) + b"] /V 1 >>")
        else:
            parts.append(rng.choice(AWKWARD_TOKENS))
        parts.append(rng.choice([b" ", b"", b"\n", b"\t"]))
    return b"".join(parts)


def test_random_streams_of_awkward_tokens_read_as_pdfminer_reads_them():
    rng = random.Random(20261129)
    read_fast = 0
    for _ in range(500):
        data = random_stream(rng)
        assert fast_objects([stream(data)]) == pdfminer_objects([stream(data)]), data
        try:
            tokenise(data)
            read_fast += 1
        except Unsupported:
            pass
    assert read_fast > 400  # most go through the fast reader, not back to pdfminer


def test_several_streams_read_as_one_as_pdfminer_reads_them():
    parts = [stream(b"q 1 0 0 1 0 0 cm BT /F1 1"), stream(b""), stream(b"2 Tf (a) Tj ET"), stream(b"Q")]
    assert fast_objects(parts) == pdfminer_objects(parts)


@pytest.mark.parametrize(
    "data",
    [
        b"q BI /W 2 /H 1 /BPC 8 /CS /G ID \x00\xff EI Q",  # inline image: binary data
        b"[1 2",  # unclosed array
        b"1 2 ] 3",  # stray bracket
        b"<< /A >> BDC",  # odd dictionary
        b"(unterminated",
        b"(\\777) Tj",  # octal above 255
    ],
)
def test_streams_it_does_not_handle_go_to_pdfminer_whole(data):
    with pytest.raises(Unsupported):
        tokenise(data)
    # pdfminer's own reading, or its own failure, is kept as it was
    assert fast_objects([stream(data)]) == pdfminer_objects([stream(data)])


def test_installed_in_pdfminers_interpreter_only_inside_the_hooks():
    with reading_hooks():
        assert pdfminer.pdfinterp.PDFContentParser is FastContentParser
        assert pdfminer.pdfinterp.PDFPageInterpreter.execute is content_stream.execute
    assert pdfminer.pdfinterp.PDFContentParser is content_stream._ORIGINAL_PARSER
    assert pdfminer.pdfinterp.PDFPageInterpreter.execute is content_stream._ORIGINAL_EXECUTE
