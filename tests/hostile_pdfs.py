"""Small hostile PDFs, a few kilobytes each, that ask a reader for far more than they are.

Each is built byte by byte (on :mod:`pdf_bytes`), so that what a test
exercises is the one attack it names:

* :func:`off_page_glyph_pdf`: a glyph with no Unicode mapping drawn 20 pt
  left of the page, beside ordinary text;
* :func:`fan_out_pdf`: Form XObjects that each draw the one below ten
  times, nine deep: a billion glyphs from one ``Do``;
* :func:`operator_bomb_pdf`: a deflated content stream of ``q Q`` pairs,
  hundreds of megabytes once inflated;
* :func:`object_stream_bomb_pdf`: the page tree inside an object stream
  that inflates to a huge array;
* :func:`page_tree_cycle_pdf`: a page tree whose node lists itself.

:func:`write_hostile_batch` lays them out in a folder with the odd file
names and file kinds an archive copied from elsewhere has.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

from pdf_bytes import pages_pdf, pdf_file, stream, text

MIB = 1 << 20


def off_page_glyph_pdf() -> bytes:
    """Text, plus a glyph that no map decodes drawn wholly left of the page's edge."""
    unmapped_font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /Differences [65 /g1234] >> >>"
    content = text("A notice with a stray glyph") + b" BT /F2 12 Tf -20 700 Td (A) Tj ET"
    return pages_pdf([content], fonts=b"/F1 4 0 R /F2 5 0 R", extra=[unmapped_font])


def fan_out_pdf(depth: int = 9, fan: int = 10) -> bytes:
    """``fan ** depth`` glyphs: each Form XObject draws the one below ``fan`` times."""
    forms = []
    first = 5  # objects 5 .. 5 + depth are the forms; 5 draws text
    forms.append(stream(b"BT /F1 10 Tf 72 720 Td (x) Tj ET", b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources 3 0 R"))
    for level in range(1, depth + 1):
        body = b" ".join(b"/X%d Do" % (level - 1) for _ in range(fan))
        resources = b"<< /Font << /F1 4 0 R >> /XObject << /X%d %d 0 R >> >>" % (level - 1, first + level - 1)
        forms.append(stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources " + resources))
    top = first + depth
    return pages_pdf([b"/Top Do"], extra=forms, xobjects=b"/Top %d 0 R" % top)


def _deflated(piece: bytes, size: int) -> bytes:
    """``piece`` repeated to ``size`` bytes, deflated in chunks (no need to hold it all)."""
    compressor = zlib.compressobj(9)
    chunk = piece * (MIB // len(piece))
    out = [compressor.compress(chunk) for _ in range(max(1, size // len(chunk)))]
    out.append(compressor.flush())
    return b"".join(out)


def operator_bomb_pdf(size: int = 256 * MIB) -> bytes:
    """A page whose deflated content stream inflates to ``size`` bytes of ``q Q``."""
    data = _deflated(b"q Q ", size)
    page_stream = stream(data, b"/Filter /FlateDecode")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents 4 0 R >>",
        page_stream,
    ]
    return pdf_file(objects)


def object_stream_bomb_pdf(size: int = 256 * MIB) -> bytes:
    """The page tree's root kept in an object stream that inflates to ``size`` bytes of one array.

    Written with a cross-reference stream (PDF 1.5), the only way to point
    into an object stream.
    """
    header = b"2 0 "
    body = b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Junk [" + b"0 " * 16
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(header + body)]
    chunk = b"0 " * (MIB // 2)
    parts += [compressor.compress(chunk) for _ in range(max(1, size // len(chunk)))]
    parts.append(compressor.compress(b"] >>"))
    parts.append(compressor.flush())
    object_stream = stream(b"".join(parts), b"/Type /ObjStm /N 1 /First %d /Filter /FlateDecode" % len(header))

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    plain = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents 5 0 R >>",
        4: object_stream,
        5: stream(b"BT /F1 12 Tf 72 720 Td (bomb) Tj ET"),
    }
    for number, body_bytes in plain.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body_bytes + b"\nendobj\n"
    xref_number = 6
    offsets[xref_number] = len(out)
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    for number in range(1, xref_number + 1):
        if number == 2:
            rows.append(b"\x02" + (4).to_bytes(4, "big") + (0).to_bytes(2, "big"))  # object 2: in stream 4, index 0
        else:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
    table = b"".join(rows)
    xref = stream(table, b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R" % (xref_number + 1))
    out += b"%d 0 obj\n" % xref_number + xref + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


def page_tree_cycle_pdf() -> bytes:
    """A page-tree node that lists itself among its kids."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        stream(text("A page in a looping tree")),
    ]
    return pdf_file(objects)


#: What each file of :func:`write_hostile_batch` is, by file name (bytes: one is not UTF-8).
HOSTILE_FILES = {
    b"off-page-glyph.pdf": off_page_glyph_pdf,
    b"fan-out.pdf": fan_out_pdf,
    b"operator-bomb.pdf": operator_bomb_pdf,
    b"object-stream-bomb.pdf": object_stream_bomb_pdf,
    b"page-tree-cycle.pdf": page_tree_cycle_pdf,
    b"bad\xff-name.pdf": lambda: pages_pdf([text("A file whose name is not UTF-8")]),
}


def write_hostile_batch(folder: Path, odd_kinds: bool = True) -> list[bytes]:
    """Write every hostile file into ``folder``; with ``odd_kinds``, also a FIFO, a device link and a dangling link named ``*.pdf``.

    Returns the names written, as bytes.
    """
    folder.mkdir(parents=True, exist_ok=True)
    base = os.fsencode(folder)
    names = []
    for name, make in HOSTILE_FILES.items():
        with open(os.path.join(base, name), "wb") as handle:
            handle.write(make())
        names.append(name)
    if odd_kinds:
        os.mkfifo(os.path.join(base, b"pipe.pdf"))
        os.symlink(b"/dev/zero", os.path.join(base, b"zero.pdf"))
        os.symlink(b"no-such-file.pdf", os.path.join(base, b"dangling.pdf"))
        names += [b"pipe.pdf", b"zero.pdf", b"dangling.pdf"]
    return names
