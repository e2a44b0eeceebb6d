#!/usr/bin/env python3
"""Mutants of the shared corpus, and the run that must survive them (``make fuzz``, ``tests/test_fuzz.py``).

    python tests/fuzz_corpus.py OUT_DIR [--count 300] [--seed 1] [--only flate-017 ...]

The sources are the PDFs under ``../shared/corpus/`` of at most
:data:`MAX_SOURCE_BYTES`, read from there at run time (never copied into the
repo).  Each mutant has one defect of one kind, the kinds taken in turn so
that they are spread evenly:

``flip``       a few bytes anywhere XOR-ed with random values;
``truncate``   the file cut at a random point;
``delete``     one ``N G obj … endobj`` blanked out (the other offsets stay right);
``duplicate``  one object defined a second time (an exact copy or another
               object's body), the xref pointing at the original, at the copy,
               or nowhere right (the reader must rebuild it);
``xref``       cross-reference offsets shifted, garbage in the table (or in an
               xref stream), or a wrong ``startxref``;
``flate``      bytes flipped in, or a cut of, a FlateDecode stream's compressed data;
``font``       a font program (FontFile, FontFile2, FontFile3) or a ToUnicode
               CMap replaced: random bytes, random bytes behind a plausible
               header, the original mangled, or a plausible CMap of bad entries.

Where a mutation changes the file's length, the offsets of a classic xref
table and ``startxref`` are moved with it, so that the defect a mutant
exercises is the one its kind names, not a damaged xref as well.

A mutant is named ``KIND-NUMBER.pdf`` (``flate-017.pdf``: the 18th flate
mutant) and made from its own random generator, seeded with the run's seed
and its name: the same seed and corpus give the same bytes, and one mutant
can be made again alone (``--only flate-017``).  ``mutants.jsonl`` beside
them says, for each, its kind, source and what was done.

:func:`run_fuzz` runs ``newsletter-extract extract`` over a folder of
mutants as a subprocess and checks its promises: no traceback, a documents
row for every input, exit status 0 or 1 as the rows say.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import zlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
#: Larger sources (the 31-page slides, the 247-page kokuji) would make the run minutes longer for no new defect.
MAX_SOURCE_BYTES = 500_000
KINDS = ("flip", "truncate", "delete", "duplicate", "xref", "flate", "font")
SEED = 1
MANIFEST = "mutants.jsonl"


@dataclass
class Mutant:
    """One mutated PDF: what it was made from and what was done to it."""

    name: str  # file name without .pdf: KIND-NUMBER
    kind: str
    seed: int  # the run's seed; with the name it decides every random choice
    source: str  # path under the corpus folder
    detail: str  # what was changed, in words
    data: bytes = field(repr=False, default=b"")


# --- reading a PDF's structure with regular expressions over its bytes ----------

_OBJECT_START = re.compile(rb"(?<![0-9])(\d+)[ \t\r\n\f\0]+(\d+)[ \t\r\n\f\0]+obj\b")
_STREAM_KEYWORD = re.compile(rb"(?<!end)stream(?:\r\n|\r|\n)")
_XREF_KEYWORD = re.compile(rb"(?<![A-Za-z])xref[ \t]*(?:\r\n|\r|\n)")
_XREF_SUBSECTION = re.compile(rb"[ \t]*(\d+)[ \t]+(\d+)[ \t]*(?:\r\n|\r|\n)")
_XREF_ENTRY = re.compile(rb"(\d{10})[ \t](\d{5})[ \t]([nf])[ \t]*(?:\r\n|\r|\n)?")
_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_FILTER = re.compile(rb"/Filter\s*(/\w+|\[[^\]]*\])")
_DECODE_PARMS = re.compile(rb"/DecodeParms\s*(?:<<[^<>]*>>|\[[^\]]*\])")
_FONT_REFERENCE = re.compile(rb"/(FontFile[23]?|ToUnicode)\s+(\d+)\s+(\d+)\s+R")


@dataclass(frozen=True)
class PdfObject:
    """A top-level ``N G obj … endobj``, by byte positions; the stream fields are -1 when it has none."""

    number: int
    generation: int
    start: int
    end: int  # just past ``endobj``
    stream_keyword: int = -1  # where ``stream`` starts: the dictionary is data[start:stream_keyword]
    stream_start: int = -1
    stream_end: int = -1  # the data is data[stream_start:stream_end], the end-of-line before endstream excluded

    def header(self, data: bytes) -> bytes:
        return data[self.start : self.stream_keyword if self.stream_keyword >= 0 else self.end]

    def stream(self, data: bytes) -> bytes:
        return data[self.stream_start : self.stream_end] if self.stream_start >= 0 else b""


def pdf_objects(data: bytes) -> list[PdfObject]:
    """Every top-level object, found by its ``obj`` keyword (objects inside object streams are not seen)."""
    objects = []
    position = 0
    while match := _OBJECT_START.search(data, position):
        start = match.start()
        endobj = data.find(b"endobj", match.end())
        if endobj < 0:
            break
        stream = _STREAM_KEYWORD.search(data, match.end(), endobj)
        if stream is None:
            objects.append(PdfObject(int(match[1]), int(match[2]), start, endobj + 6))
            position = endobj + 6
            continue
        # Binary stream data may hold the bytes "endobj": the object ends after its endstream.
        endstream = data.find(b"endstream", stream.end())
        if endstream < 0:
            break
        stream_end = endstream
        if data[stream_end - 2 : stream_end] == b"\r\n":
            stream_end -= 2
        elif data[stream_end - 1 : stream_end] in (b"\n", b"\r"):
            stream_end -= 1
        endobj = data.find(b"endobj", endstream)
        end = endobj + 6 if endobj >= 0 else endstream + 9
        objects.append(PdfObject(int(match[1]), int(match[2]), start, end, stream.start(), stream.end(), max(stream_end, stream.end())))
        position = end
    return objects


@dataclass(frozen=True)
class XrefEntry:
    number: int
    field_start: int  # where the 10-digit offset is written
    offset: int
    in_use: bool


@dataclass(frozen=True)
class XrefSection:
    start: int  # the ``xref`` keyword
    end: int  # just past the last entry
    entries: tuple[XrefEntry, ...]


def xref_sections(data: bytes) -> list[XrefSection]:
    """The classic cross-reference tables, in file order (xref streams are compressed: not here)."""
    sections = []
    for keyword in _XREF_KEYWORD.finditer(data):
        position = keyword.end()
        entries = []
        while subsection := _XREF_SUBSECTION.match(data, position):
            first, count = int(subsection[1]), int(subsection[2])
            position = subsection.end()
            for number in range(first, first + count):
                entry = _XREF_ENTRY.match(data, position)
                if entry is None:
                    break
                entries.append(XrefEntry(number, entry.start(1), int(entry[1]), entry[3] == b"n"))
                position = entry.end()
        if entries:
            sections.append(XrefSection(keyword.start(), position, tuple(entries)))
    return sections


def splice(data: bytes, start: int, end: int, new: bytes) -> bytes:
    """``data[start:end]`` replaced by ``new``, with the xref tables' offsets and ``startxref`` moved to match.

    Offsets into the replaced bytes themselves are left as they were.
    """
    delta = len(new) - (end - start)
    result = bytearray(data[:start] + new + data[end:])
    if delta == 0:
        return bytes(result)
    for section in xref_sections(bytes(result)):
        for entry in section.entries:
            if entry.in_use and entry.offset >= end:
                result[entry.field_start : entry.field_start + 10] = b"%010d" % (entry.offset + delta)
    # From the last to the first, so that a number growing a digit moves nothing still to be read.
    for match in reversed(list(_STARTXREF.finditer(bytes(result)))):
        if int(match[1]) >= end:
            result[match.start(1) : match.end(1)] = b"%d" % (int(match[1]) + delta)
    return bytes(result)


def with_stream(data: bytes, pdf_object: PdfObject, content: bytes, header: bytes | None = None) -> bytes:
    """``pdf_object``'s stream data replaced by ``content`` (already encoded), its direct ``/Length`` set to match.

    ``header``: a new dictionary (from ``N G obj`` to before ``stream``) in place of the old one.
    """
    header = _LENGTH.sub(b"/Length %d" % len(content), pdf_object.header(data) if header is None else header, count=1)
    keyword = data[pdf_object.stream_keyword : pdf_object.stream_start]
    return splice(data, pdf_object.start, pdf_object.stream_end, header + keyword + content)


def is_flate(header: bytes) -> bool:
    return b"/FlateDecode" in header or b"/Fl " in header or b"/Fl]" in header


def decoded(header: bytes, raw: bytes) -> bytes | None:
    """A FlateDecode stream's bytes, as far as they inflate; None when they are not Flate or do not inflate."""
    filters = _FILTER.search(header)
    if not filters or filters[1].strip(b"[] \r\n") not in (b"/FlateDecode", b"/Fl") or _DECODE_PARMS.search(header):
        return None
    try:
        return zlib.decompressobj().decompress(raw)
    except zlib.error:
        return None


def encoded_like(header: bytes, content: bytes) -> tuple[bytes, bytes]:
    """``content`` encoded as the stream's header says, and the header to go with it.

    Flate is kept (the garbage must reach the font or CMap parser, not stop
    at the inflater: that is the ``flate`` kind); any other filter is
    dropped and the bytes written as they are.
    """
    header = _DECODE_PARMS.sub(b"", header)
    if is_flate(header):
        return _FILTER.sub(b"/Filter /FlateDecode", header, count=1), zlib.compress(content, 6)
    return _FILTER.sub(b"", header), content


# --- the mutations: each takes the source's bytes and a generator, returns the bytes and what it did ---


class NotApplicable(Exception):
    """The source has nothing this kind of mutation could change."""


def flip_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    mutated = bytearray(data)
    positions = sorted(rng.sample(range(len(data)), min(len(data), rng.randint(1, 24))))
    for position in positions:
        mutated[position] ^= rng.randint(1, 255)
    return bytes(mutated), f"{len(positions)} bytes flipped at {_positions(positions)}"


def truncate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    # Half the cuts in the last tenth, where the xref and trailer are: the likeliest cut of a download.
    if rng.random() < 0.5:
        cut = rng.randrange(1, len(data))
    else:
        cut = rng.randrange(max(1, len(data) * 9 // 10), len(data))
    return data[:cut], f"cut at byte {cut} of {len(data)}"


def delete_object(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    objects = pdf_objects(data)
    if len(objects) < 2:
        raise NotApplicable("fewer than two top-level objects")
    victim = rng.choice(objects)
    # Blanked rather than cut: the xref still points there, and nothing else moved.
    blank = bytes(byte if byte in b"\r\n" else 0x20 for byte in data[victim.start : victim.end])
    return data[: victim.start] + blank + data[victim.end :], f"object {victim.number} {victim.generation} blanked (bytes {victim.start}-{victim.end})"


def duplicate_object(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    objects = pdf_objects(data)
    if len(objects) < 2:
        raise NotApplicable("fewer than two top-level objects")
    original = rng.choice(objects)
    if rng.random() < 0.5:
        copy, what = data[original.start : original.end], "an exact copy"
    else:
        other = rng.choice([pdf_object for pdf_object in objects if pdf_object is not original])
        body = data[other.start : other.end]
        copy = b"%d %d obj" % (original.number, original.generation) + body[_OBJECT_START.match(body).end() :]
        what = f"object {other.number}'s body"
    place = rng.choice(objects[1:] + [None])
    at = place.start if place else objects[-1].end
    copy = b"\n" + copy + b"\n"
    pointer = rng.choice(("original", "copy", "nowhere"))
    if not xref_sections(data):
        pointer = "nowhere (xref streams are not rewritten)"
    if pointer.startswith("nowhere"):
        mutated = data[:at] + copy + data[at:]
    else:
        mutated = splice(data, at, at, copy)
    if pointer == "copy":
        entry = _entry_of(mutated, original.number)
        if entry is None:
            pointer = "the original (no classic xref entry to move)"
        else:
            mutated = mutated[: entry.field_start] + b"%010d" % (at + 1) + mutated[entry.field_start + 10 :]
    return mutated, f"object {original.number} {original.generation} again at byte {at}, as {what}; the xref points at {pointer}"


def break_xref(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    sections = xref_sections(data)
    startxrefs = list(_STARTXREF.finditer(data))
    xref_streams = [pdf_object for pdf_object in pdf_objects(data) if pdf_object.stream_start >= 0 and re.search(rb"/Type\s*/XRef", pdf_object.header(data))]
    ways = []
    if sections:
        ways += ["shift", "garbage"]
    if startxrefs:
        ways.append("startxref")
    if xref_streams:
        ways.append("stream")
    if not ways:
        raise NotApplicable("no xref table, xref stream or startxref")
    way = rng.choice(ways)
    mutated = bytearray(data)
    if way == "shift":
        entries = [entry for section in sections for entry in section.entries if entry.in_use]
        chosen = entries if rng.random() < 0.3 else rng.sample(entries, rng.randint(1, min(len(entries), 8)))
        delta = rng.choice([-1, 1]) * rng.randint(1, 400)
        for entry in chosen:
            mutated[entry.field_start : entry.field_start + 10] = b"%010d" % max(0, entry.offset + delta)
        return bytes(mutated), f"xref: {len(chosen)} of {len(entries)} offsets moved by {delta:+d}"
    if way == "garbage":
        section = rng.choice(sections)
        length = rng.randint(4, 64)
        start = rng.randrange(section.start, max(section.start + 1, section.end - length))
        alphabet = rng.choice((b"0123456789 \n", b"0123456789nfxref \r\n", bytes(range(256))))
        mutated[start : start + length] = bytes(rng.choice(alphabet) for _ in range(length))
        return bytes(mutated), f"xref: {length} bytes of garbage at {start} (table at {section.start}-{section.end})"
    if way == "startxref":
        match = rng.choice(startxrefs)
        value = int(match[1])
        wrong = rng.choice((rng.randrange(0, len(data)), value + rng.choice([-1, 1]) * rng.randint(1, 64), len(data) + rng.randint(1, 10_000), 0))
        wrong = max(0, wrong)
        return data[: match.start(1)] + b"%d" % wrong + data[match.end(1) :], f"startxref {value} -> {wrong}"
    stream = rng.choice(xref_streams)
    positions = sorted(rng.sample(range(stream.stream_start, stream.stream_end), min(stream.stream_end - stream.stream_start, rng.randint(1, 8))))
    for position in positions:
        mutated[position] ^= rng.randint(1, 255)
    return bytes(mutated), f"xref stream (object {stream.number}): {len(positions)} bytes flipped at {_positions(positions)}"


def corrupt_flate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    streams = [pdf_object for pdf_object in pdf_objects(data) if pdf_object.stream_end > pdf_object.stream_start and is_flate(pdf_object.header(data))]
    if not streams:
        raise NotApplicable("no FlateDecode stream at top level")
    target = rng.choice(streams)
    raw = target.stream(data)
    what = _stream_role(data, target)
    if rng.random() < 0.5:
        mutated = bytearray(raw)
        # Past the two-byte zlib header most of the time: a bad header is the least interesting failure.
        low = 2 if len(raw) > 8 and rng.random() < 0.8 else 0
        positions = sorted(rng.sample(range(low, len(raw)), min(len(raw) - low, rng.randint(1, 12))))
        for position in positions:
            mutated[position] ^= rng.randint(1, 255)
        return with_stream(data, target, bytes(mutated)), f"{what} (object {target.number}): {len(positions)} compressed bytes flipped at {_positions(positions)}"
    cut = rng.randrange(0, len(raw))
    return with_stream(data, target, raw[:cut]), f"{what} (object {target.number}): compressed data cut from {len(raw)} to {cut} bytes"


def garble_font(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    by_number = {pdf_object.number: pdf_object for pdf_object in pdf_objects(data) if pdf_object.stream_start >= 0}
    targets = sorted({(match[1].decode(), int(match[2])) for match in _FONT_REFERENCE.finditer(data) if int(match[2]) in by_number})
    if not targets:
        raise NotApplicable("no font program or ToUnicode stream at top level")
    role, number = rng.choice(targets)
    target = by_number[number]
    header = target.header(data)
    original = decoded(header, target.stream(data))
    if role == "ToUnicode":
        ways = ["random", "plausible CMap"] + (["original mangled"] if original else [])
    else:
        ways = ["random", "random behind a header"] + (["original mangled"] if original else [])
    way = rng.choice(ways)
    if way == "random":
        content = rng.randbytes(rng.choice((0, 1, rng.randint(2, 64), rng.randint(65, 8192))))
    elif way == "random behind a header":
        content = _FONT_MAGIC[role](rng) + rng.randbytes(rng.randint(0, 4096))
    elif way == "plausible CMap":
        content = plausible_cmap(rng)
    else:
        content = _mangle(original, rng, text=role == "ToUnicode")
    new_header, encoded = encoded_like(header, content)
    detail = f"{role} (object {number}): {way}, {len(content)} bytes"
    if re.search(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)", data):
        detail += "; the file is encrypted, so a reader decrypts these bytes into others"
    return with_stream(data, target, encoded, new_header), detail


MUTATIONS = {
    "flip": flip_bytes,
    "truncate": truncate,
    "delete": delete_object,
    "duplicate": duplicate_object,
    "xref": break_xref,
    "flate": corrupt_flate,
    "font": garble_font,
}


def _truetype_header(rng: random.Random) -> bytes:
    tables = rng.randint(1, 40)
    directory = b"".join(rng.choice((b"cmap", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"name", b"post", b"OS/2")) + rng.randbytes(12) for _ in range(tables))
    return b"\x00\x01\x00\x00" + tables.to_bytes(2, "big") + rng.randbytes(6) + directory


_FONT_MAGIC = {
    "FontFile": lambda rng: b"%!PS-AdobeFont-1.0: Fuzz 001\n/FontName /Fuzz def\n/Encoding 256 array\ncurrentfile eexec\n",
    "FontFile2": _truetype_header,
    "FontFile3": lambda rng: rng.choice((b"\x01\x00\x04\x02", b"OTTO" + rng.randbytes(8), b"\x01\x00\x04\x01\x00\x01\x01\x01")),
}

#: Entries a ToUnicode CMap should not have, each one a reader has to survive.
_BAD_CMAP_ENTRIES = (
    b"1 beginbfchar\n<0001> <D800>\nendbfchar",  # a lone surrogate
    b"1 beginbfchar\n<0002> <" + b"0041" * 300 + b">\nendbfchar",  # one code, 300 characters
    b"1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange",  # every code, into the control characters
    b"1 beginbfrange\n<FFFF> <0000> <0041>\nendbfrange",  # a range backwards
    b"1 beginbfrange\n<0010> <0020> [<0041> <0042>]\nendbfrange",  # an array shorter than its range
    b"1 beginbfrange\n<00FF> <0105> <00FF>\nendbfrange",  # a range across the low byte
    b"1 beginbfchar\n<00> <0041>\nendbfchar",  # a one-byte code in a two-byte codespace
    b"1 beginbfchar\n<00000001> <0041>\nendbfchar",  # a four-byte code
    b"1 beginbfchar\n<zz12> <0041>\nendbfchar",  # not hex
    b"1 beginbfchar\n<0003> <>\nendbfchar",  # an empty destination
    b"1 beginbfchar\n<0004> /space\nendbfchar",  # a name for a destination
    b"1 beginbfchar\n<0005> <004\nendbfchar",  # an unclosed string
    b"5 beginbfchar\n<0006> <0041>\nendbfchar",  # fewer entries than announced
    b"2 beginbfchar\n<0007> <0041>\n<0008> <0042>\n<0009>",  # no end
    b"1 begincidrange\n<0000> <FFFF> 0\nendcidrange",  # CID ranges in a ToUnicode map
    b"/Identity-H usecmap",  # a reference to a CMap the reader may not have
    b"1 beginbfchar\n<000A> <FFFE>\nendbfchar",  # a noncharacter
    b"1 beginbfchar\n<000B> <0000>\nendbfchar",  # NUL
    b"1 beginbfrange\n<0000> <0010> <FFFF>\nendbfrange",  # a range running past U+FFFF
    b"1 beginbfchar\n<" + b"00" * 200 + b"> <0041>\nendbfchar",  # a code longer than any codespace
)


def plausible_cmap(rng: random.Random) -> bytes:
    """A ToUnicode CMap whose frame is right and whose entries are a random handful of bad ones."""
    codespace = rng.choice((b"<0000> <FFFF>", b"<00> <FF>", b"<00> <FF>\n<0000> <FFFF>", b"<FF> <00>", b""))
    entries = b"\n".join(rng.sample(_BAD_CMAP_ENTRIES, rng.randint(1, 6)))
    return (
        b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        b"1 begincodespacerange\n" + codespace + b"\nendcodespacerange\n" + entries + b"\n"
        + rng.choice((b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n", b"endcmap\n", b""))
    )


def _mangle(original: bytes, rng: random.Random, text: bool) -> bytes:
    """``original`` with a few edits: bytes flipped, a cut, a piece doubled; in a CMap, hex digits and keywords broken."""
    mangled = bytearray(original)
    edits = rng.randint(1, 6)
    for _ in range(edits):
        if not mangled:
            break
        edit = rng.choice(("flip", "cut", "double", "keyword") if text else ("flip", "flip", "cut", "double"))
        if edit == "flip":
            # Font programs keep their tables' directory at the start: hit it more often than the rest.
            span = min(len(mangled), 512) if rng.random() < 0.5 else len(mangled)
            mangled[rng.randrange(span)] ^= rng.randint(1, 255)
        elif edit == "cut":
            del mangled[rng.randrange(len(mangled)) :]
        elif edit == "double":
            start = rng.randrange(len(mangled))
            mangled[start:start] = mangled[start : start + rng.randint(1, 256)]
        else:
            words = [b"endbfchar", b"endbfrange", b"beginbfchar", b"endcodespacerange", b"endcmap", b"<", b">"]
            word = rng.choice(words)
            at = mangled.find(word)
            if at >= 0:
                mangled[at : at + len(word)] = rng.choice((b"", b"endbfrange", b"<<", b"9999 beginbfchar"))
    return bytes(mangled)


def _entry_of(data: bytes, number: int) -> XrefEntry | None:
    """Object ``number``'s entry in the last classic xref table that lists it (the one a reader believes)."""
    found = None
    for section in xref_sections(data):
        for entry in section.entries:
            if entry.number == number and entry.in_use:
                found = entry
    return found


def _stream_role(data: bytes, pdf_object: PdfObject) -> str:
    header = pdf_object.header(data)
    for role, pattern in (("object stream", rb"/Type\s*/ObjStm"), ("xref stream", rb"/Type\s*/XRef"), ("image", rb"/Subtype\s*/Image"), ("font program", rb"/Length1|/Subtype\s*/(?:CIDFontType0C|Type1C|OpenType)")):
        if re.search(pattern, header):
            return role
    if re.search(rb"/(?:FontFile[23]?|ToUnicode)\s+%d\s+%d\s+R" % (pdf_object.number, pdf_object.generation), data):
        return "font stream"
    return "stream"


def _positions(positions: list[int]) -> str:
    shown = ", ".join(str(position) for position in positions[:6])
    return shown + (f" and {len(positions) - 6} more" if len(positions) > 6 else "")


# --- the corpus of mutants -----------------------------------------------------------


def source_pdfs(corpus: Path = CORPUS, max_bytes: int = MAX_SOURCE_BYTES) -> list[Path]:
    """The corpus PDFs small enough to mutate, in a stable order."""
    return sorted(path for path in corpus.rglob("*.pdf") if path.is_file() and path.stat().st_size <= max_bytes)


def mutant_names(count: int) -> list[str]:
    """``count`` names, the kinds in turn: flip-000, truncate-000, …, font-000, flip-001, …"""
    return [f"{KINDS[index % len(KINDS)]}-{index // len(KINDS):03d}" for index in range(count)]


def make_mutant(name: str, seed: int = SEED, corpus: Path = CORPUS, sources: dict[Path, bytes] | None = None) -> Mutant:
    """The mutant called ``name`` (``flate-017``) for ``seed``: the same bytes every time for the same corpus.

    ``sources`` (path to bytes) saves reading the corpus again for every mutant.
    """
    kind = name.rsplit("-", 1)[0]
    mutate = MUTATIONS[kind]
    if sources is None:
        sources = {path: path.read_bytes() for path in source_pdfs(corpus)}
    if not sources:
        raise FileNotFoundError(f"no PDF of at most {MAX_SOURCE_BYTES} bytes under {corpus}")
    rng = random.Random(f"{seed}:{name}")
    candidates = sorted(sources)
    rng.shuffle(candidates)
    # The first source this kind applies to, in an order this mutant's generator decided.
    for path in candidates:
        try:
            data, detail = mutate(sources[path], rng)
        except NotApplicable:
            continue
        return Mutant(name, kind, seed, str(path.relative_to(corpus)), detail, data)
    raise ValueError(f"no source under {corpus} has anything a {kind} mutation could change")


def write_mutants(out_dir: Path, count: int = 300, seed: int = SEED, corpus: Path = CORPUS, only: list[str] | None = None) -> list[Path]:
    """Write ``count`` mutants (or only those named) to ``out_dir``, with ``mutants.jsonl`` saying what each is."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = {path: path.read_bytes() for path in source_pdfs(corpus)}
    names = mutant_names(count)
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise ValueError(f"not among the first {count} mutants: {', '.join(unknown)}")
        names = [name for name in names if name in only]
    paths = []
    with open(out_dir / MANIFEST, "w", encoding="utf-8") as manifest:
        for name in names:
            mutant = make_mutant(name, seed, corpus, sources)
            path = out_dir / f"{name}.pdf"
            path.write_bytes(mutant.data)
            record = {key: value for key, value in asdict(mutant).items() if key != "data"}
            manifest.write(json.dumps(record, ensure_ascii=False) + "\n")
            paths.append(path)
    return paths


def read_manifest(folder: Path) -> dict[str, dict]:
    """``mutants.jsonl`` by file name (``flate-017.pdf``); empty when there is none."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        return {}
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {record["name"] + ".pdf": record for record in records}


# --- the run and its checks ---------------------------------------------------------------


@dataclass
class FuzzRun:
    """One ``newsletter-extract extract`` over a folder of mutants, and what it left."""

    inputs: list[str]  # file names in the folder
    command: list[str]
    exit_status: int | None  # None: killed after the timeout
    stdout: str
    stderr: str
    seconds: float
    rows: list[dict]  # the documents table (source, status, error), empty when it was not written
    manifest: dict[str, dict]
    document_seconds: dict[str, float]  # source -> seconds, from the pipeline's own per-document timings
    timeout: float | None = None

    def tracebacks(self) -> list[str]:
        """Each Python traceback printed, from ``Traceback`` to its exception line."""
        blocks = []
        for text in (self.stderr, self.stdout):
            lines = text.splitlines()
            for index, line in enumerate(lines):
                if "Traceback (most recent call last)" in line:
                    end = index + 1
                    while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
                        end += 1
                    blocks.append("\n".join(lines[index : end + 1]))
        # A traceback mentioned without the standard header (a worker's formatted one) still counts.
        if not blocks and ("Traceback" in self.stderr or "Traceback" in self.stdout):
            blocks.append(next(line for line in (self.stderr + "\n" + self.stdout).splitlines() if "Traceback" in line))
        return blocks

    def missing(self) -> list[str]:
        """Inputs without a documents row."""
        sources = {row["source"] for row in self.rows}
        return [name for name in self.inputs if name not in sources]

    def extra(self) -> list[str]:
        """Documents rows for no input, or a second row for one."""
        counts = Counter(row["source"] for row in self.rows)
        return sorted(source for source, count in counts.items() if source not in self.inputs or count > 1)

    def statuses(self) -> Counter:
        return Counter(row["status"] for row in self.rows)

    def reasons(self) -> Counter:
        """(status, reason class) for every reason given; a document may give several, ``; ``-separated."""
        counts = Counter()
        for row in self.rows:
            for reason in split_reasons(row.get("error") or ""):
                counts[(row["status"], reason_class(reason))] += 1
        return counts

    def internal_errors(self) -> list[dict]:
        """Rows of documents on which a stage raised: the pipeline caught it, but it is a bug to look at."""
        return [row for row in self.rows if "internal error" in (row.get("error") or "")]

    def problems(self) -> list[str]:
        """Broken promises: each one a line."""
        problems = [f"traceback: {block.splitlines()[-1].strip()}" for block in self.tracebacks()]
        problems += [f"no documents row: {name} {_describe(self.manifest.get(name))}" for name in self.missing()]
        problems += [f"documents row for no input, or twice: {source}" for source in self.extra()]
        problems += [f"status {row['status']!r} is none of ok, partial, failed: {row['source']}" for row in self.rows if row["status"] not in ("ok", "partial", "failed")]
        problems += [f"failed without a reason: {row['source']}" for row in self.rows if row["status"] == "failed" and not row.get("error")]
        if self.exit_status is None:
            problems.append(f"the run did not finish in {self.timeout:.0f} s and was killed")
        elif self.exit_status not in (0, 1):
            problems.append(f"exit status {self.exit_status}, not 0 or 1")
        elif self.rows and self.exit_status != int(self.statuses()["failed"] > 0):
            problems.append(f"exit status {self.exit_status} but {self.statuses()['failed']} documents failed")
        return problems

    def summary(self, slowest: int = 8) -> str:
        statuses = self.statuses()
        lines = [
            f"command:        {' '.join(self.command)}",
            f"files in:       {len(self.inputs)}" + _kind_counts(self.inputs),
            f"documents rows: {len(self.rows)}",
            f"exit status:    {self.exit_status if self.exit_status is not None else 'killed after ' + format(self.timeout, '.0f') + ' s'}",
            f"wall time:      {self.seconds:.1f} s ({self.seconds / max(1, len(self.inputs)):.2f} s a file)",
            "statuses:       " + ", ".join(f"{status} {statuses[status]}" for status in ("ok", "partial", "failed")),
            f"tracebacks:     {len(self.tracebacks())}",
            f"missing rows:   {len(self.missing())}",
            "",
            "reasons (status, first words; a document may give several):",
        ]
        lines += [f"  {count:5d}  {status:8s} {reason}" for (status, reason), count in sorted(self.reasons().items(), key=lambda item: (-item[1], item[0]))]
        lines += ["", "status by kind:"]
        by_kind: dict[str, Counter] = {}
        for row in self.rows:
            by_kind.setdefault(_kind_of(row["source"]), Counter())[row["status"]] += 1
        lines += [f"  {kind:10s} " + ", ".join(f"{status} {counts[status]}" for status in ("ok", "partial", "failed")) for kind, counts in sorted(by_kind.items())]
        if self.document_seconds:
            lines += ["", f"slowest documents (the pipeline's own stage timings; {len(self.document_seconds)} of {len(self.inputs)} reported):"]
            status_of = {row["source"]: row["status"] for row in self.rows}
            for source, seconds in sorted(self.document_seconds.items(), key=lambda item: -item[1])[:slowest]:
                lines.append(f"  {seconds:7.2f} s  {source:20s} {status_of.get(source, '?'):8s} {_describe(self.manifest.get(source))}")
        internal = self.internal_errors()
        if internal:
            lines += ["", f"internal errors (a stage raised; caught, so no promise broken, but each a bug): {len(internal)}"]
            lines += [f"  {row['source']:20s} {row['error']}\n  {'':20s} {_describe(self.manifest.get(row['source']))}" for row in internal]
        problems = self.problems()
        lines += ["", f"problems: {len(problems)}"] + [f"  {problem}" for problem in problems]
        for block in self.tracebacks():
            lines += ["", block]
        return "\n".join(lines)


def split_reasons(error: str) -> list[str]:
    """A documents row's ``error``, one reason each: split at ``; `` outside brackets.

    >>> split_reasons("2 characters read by shape recognition alone (confidence below 0.85; see repairs); no articles")
    ['2 characters read by shape recognition alone (confidence below 0.85; see repairs)', 'no articles']
    """
    reasons, depth, start = [], 0, 0
    for index, character in enumerate(error):
        if character in "([{":
            depth += 1
        elif character in ")]}":
            depth = max(0, depth - 1)
        elif depth == 0 and error.startswith("; ", index):
            reasons.append(error[start:index])
            start = index + 2
    reasons.append(error[start:])
    return [reason.strip() for reason in reasons if reason.strip()]


def reason_class(reason: str) -> str:
    """A reason's first words, numbers as N, up to a colon or bracket after the third word.

    >>> reason_class("page 2: 152 glyphs drawn outside the page left out")
    'page N: N glyphs drawn outside the page'
    >>> reason_class("cannot be opened as a PDF: EOF marker not found")
    'cannot be opened as a PDF'
    """
    reason = reason.strip()
    head = reason
    for delimiter in re.finditer(r"[:(（]", reason):
        if len(reason[: delimiter.start()].split()) >= 3:
            head = reason[: delimiter.start()]
            break
    head = re.sub(r"\d+(?:\.\d+)?", "N", head)
    head = re.sub(r"\[N(?:, N)*\]", "[N…]", head)
    return " ".join(head.split()[:8])


def extract_command() -> list[str]:
    """The installed ``newsletter-extract`` beside this Python, or ``python -m pipeline``."""
    script = Path(sys.executable).parent / "newsletter-extract"
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipeline"]


def extract_options() -> str:
    """``newsletter-extract extract --help``: which options this version has."""
    return subprocess.run([*extract_command(), "extract", "--help"], capture_output=True, text=True, check=False).stdout


def run_fuzz(raw: Path, out: Path, jobs: int = 2, entities: bool = False, extra: list[str] = (), timeout: float | None = None) -> FuzzRun:
    """``newsletter-extract extract raw --out out`` as a subprocess; its output gathered for the checks.

    ``timeout``: seconds before the run (and its workers) is killed and
    reported as a problem; a hang is a finding too.
    """
    import pandas as pd  # the test extra has it; the generator alone does not need it

    raw, out = Path(raw), Path(out)
    inputs = sorted(path.name for path in raw.glob("*.pdf"))
    command = [*extract_command(), "extract", str(raw), "--out", str(out), "--jobs", str(jobs), "--quiet"]
    command += [] if entities else ["--no-entities"]
    command += list(extra)
    start = time.perf_counter()
    # Its own session, so that on a timeout the workers go with it.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace", start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        exit_status = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        exit_status = None
    seconds = time.perf_counter() - start
    rows = []
    documents = out / "documents.parquet"
    if documents.exists():
        table = pd.read_parquet(documents, columns=["source", "status", "error"])
        rows = [{key: (None if pd.isna(value) else value) for key, value in row.items()} for row in table.to_dict("records")]
    return FuzzRun(inputs, command, exit_status, stdout, stderr, seconds, rows, read_manifest(raw), document_seconds(out), timeout)


def document_seconds(out: Path) -> dict[str, float]:
    """Seconds each document took, summed over its stages, from the pipeline's result cache (``pipeline/cache.py``).

    The documents table has no timings; the cache keeps each read
    document's.  Best effort: an entry not there (a worker that died, a
    document past a bound) or a cache of another layout gives nothing.
    """
    seconds = {}
    for entry in (Path(out) / ".cache").glob("*/*.json"):
        try:
            stored = json.loads(entry.read_bytes())
            seconds[stored["source"]] = sum(float(value) for value in stored.get("timings", {}).values())
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
    return seconds


def _kind_of(name: str) -> str:
    return name.removesuffix(".pdf").rsplit("-", 1)[0]


def _kind_counts(names: list[str]) -> str:
    counts = Counter(_kind_of(name) for name in names)
    return " (" + ", ".join(f"{kind} {counts[kind]}" for kind in KINDS if counts[kind]) + ")" if counts else ""


def _describe(record: dict | None) -> str:
    return f"[{record['source']}: {record['detail']}]" if record else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write mutated PDFs of the shared corpus for the fuzz run.")
    parser.add_argument("out_dir", type=Path, help="folder to write KIND-NUMBER.pdf and mutants.jsonl into")
    parser.add_argument("--count", type=int, default=300, help="how many mutants, the kinds in turn (default: 300)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"the run's seed (default: {SEED})")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="make only these mutants (flate-017 …), as the full run would")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"where the source PDFs are (default: {CORPUS})")
    args = parser.parse_args(argv)
    paths = write_mutants(args.out_dir, args.count, args.seed, args.corpus, args.only)
    print(f"{len(paths)} mutants written to {args.out_dir} (seed {args.seed}); {MANIFEST} says what each is")
    return 0


if __name__ == "__main__":
    sys.exit(main())
