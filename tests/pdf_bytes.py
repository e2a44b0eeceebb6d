"""Small PDFs written byte by byte, for the hostile-input and batch tests.

Each is a few hundred bytes with a correct cross-reference table, so that
what a test exercises is the one defect it names, not a damaged file.
"""

from __future__ import annotations

import zlib


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1; 1 is the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), entries) + data + b"\nendstream"


def pages_pdf(contents: list[bytes], fonts: bytes = b"/F1 4 0 R", extra: list[bytes] = (), xobjects: bytes = b"", own_resources=None) -> bytes:
    """One page per content stream; object 4 is Helvetica, ``extra`` objects follow from 5.

    Pages share the resources (object 3) unless ``own_resources`` gives each its own.
    """
    first_page = 5 + len(extra)
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * n) for n in range(len(contents)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents)),
        b"<< /Font << %s >> /XObject << %s >> >>" % (fonts, xobjects),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *extra,
    ]
    for n, content in enumerate(contents):
        resources = own_resources[n] if own_resources else b"3 0 R"
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R >>" % (resources, first_page + 2 * n + 1))
        objects.append(stream(zlib.compress(content), b"/Filter /FlateDecode"))
    return pdf_file(objects)


def text(line: str, font: bytes = b"/F1") -> bytes:
    """A content stream showing one line of ASCII text in ``font``."""
    return b"BT %s 12 Tf 72 720 Td (%s) Tj ET" % (font, line.encode("ascii"))


def scanned_pdf() -> bytes:
    """A page that is only a picture (an 8x8 grey image) and a drawn rectangle: no text layer."""
    image = stream(bytes(range(0, 256, 4)), b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8")
    drawing = b"q 400 0 0 400 100 300 cm /Im1 Do Q 0.5 g 50 50 200 100 re f"
    return pages_pdf([drawing], extra=[image], xobjects=b"/Im1 5 0 R")


def broken_type0_font() -> bytes:
    """A Type0 font without its DescendantFonts: pdfminer raises on the page that uses it."""
    return b"<< /Type /Font /Subtype /Type0 /BaseFont /BrokenMincho /Encoding /Identity-H /ToUnicode 6 0 R >>"


def broken_font_on_page_two_pdf() -> bytes:
    """Page 1 reads; page 2 draws its text in a font that breaks pdfminer."""
    garbage_map = stream(b"begincmap garbage ((( [[ <00")
    return pages_pdf(
        [text("Page one reads fine"), b"BT /F2 12 Tf 72 720 Td <00010002> Tj ET"],
        extra=[broken_type0_font(), garbage_map],
        own_resources=[b"<< /Font << /F1 4 0 R >> >>", b"<< /Font << /F2 5 0 R >> >>"],
    )


def broken_type3_font_pdf() -> bytes:
    """The only page uses a Type3 font whose FontMatrix has two numbers instead of six."""
    font = b"<< /Type /Font /Subtype /Type3 /FontMatrix [1 0] /FontBBox [0 0 1 1] /CharProcs << >> /FirstChar 0 /LastChar 255 /Widths [] >>"
    return pages_pdf([b"BT /F2 12 Tf 72 720 Td (Hello) Tj ET"], fonts=b"/F1 4 0 R /F2 5 0 R", extra=[font])


def no_pages_pdf() -> bytes:
    return pages_pdf([])


def many_pages_pdf(n_pages: int) -> bytes:
    return pages_pdf([text(f"Page {n + 1} of a long report") for n in range(n_pages)])


def garbage_font_program_pdf() -> bytes:
    """A Type0 font whose embedded TrueType is garbage and whose ToUnicode map is malformed.

    pdfminer reads past both; the glyphs come out as ``(cid:N)``, and nothing
    (map, program, shape) says what they are.
    """
    font = b"<< /Type /Font /Subtype /Type0 /BaseFont /GarbageGothic /Encoding /Identity-H /DescendantFonts [7 0 R] /ToUnicode 6 0 R >>"
    to_unicode = stream(b"/CIDInit /ProcSet findresource begin 1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfchar <0001> <zz> <0002> (x endbfchar")
    cid_font = (
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GarbageGothic /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
        b" /FontDescriptor 8 0 R /W [1 [1000 1000]] >>"
    )
    descriptor = (
        b"<< /Type /FontDescriptor /FontName /GarbageGothic /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0"
        b" /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 /FontFile2 9 0 R >>"
    )
    program = stream(b"\x00\x01\x00\x00garbage, not a TrueType program " * 20)
    return pages_pdf(
        [b"BT /F2 12 Tf 72 720 Td <00010002> Tj ET"], fonts=b"/F2 5 0 R", extra=[font, to_unicode, cid_font, descriptor, program]
    )
