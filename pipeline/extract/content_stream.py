"""A faster reader for page content streams, giving pdfminer's own objects.

pdfminer tokenises a content stream one state-machine step at a time, with
a method call and a debug-log call per step; on the newsletters that is
half of all extraction time (16,000 tokens a page, each text run in its own
``q … BT … ET Q`` block).  This reader cuts the whole stream into tokens
with one regular expression and builds the same objects pdfminer builds
(numbers, names, strings, arrays, dictionaries, keywords), so the
interpreter, pdfplumber and everything after see no difference.

It copies pdfminer's quirks on purpose (an odd trailing hex digit is its
own byte, ``\\x`` drops the ``x``, a lone ``-`` is no number): the test
compares the two readers token for token on every PDF the project knows
and on generated streams full of edge cases.  Anything it does not handle
the way pdfminer does (inline images, unbalanced brackets, unterminated
strings, an odd dictionary) is handed back to pdfminer's own parser for
the whole stream.
"""

from __future__ import annotations

import re

import pdfminer.pdfinterp
from pdfminer import settings
from pdfminer.pdfinterp import PDFInterpreterError, PDFPageInterpreter
from pdfminer.pdftypes import stream_value
from pdfminer.psparser import KWD, LIT, PSEOF, PSKeyword, PSLiteral, keyword_name

from pipeline import limits

_ORIGINAL_PARSER = pdfminer.pdfinterp.PDFContentParser
_ORIGINAL_EXECUTE = PDFPageInterpreter.execute

_TOKEN = re.compile(
    rb"""
    (?:[\s\x00]+|%[^\r\n]*)*  # space and comments before each token
    (?:
    (?P<number>[-+][0-9]*(?:\.[0-9]*)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]*)
  | /(?P<name>[^#/%\[\]()<>{}\s]*)(?P<name_hash>\#)?
  | (?P<keyword>[A-Za-z][^#/%\[\]()<>{}\s]*)
  | \((?P<string>[^()\\]*)\)
  | (?P<string_escaped>\()
  | (?P<dict_begin><<)
  | (?P<dict_end>>>)
  | <(?P<hex>[\s0-9a-fA-F]*)(?P<hex_end>[^\s0-9a-fA-F])?
  | (?P<close>>)
  | (?P<other>.)
  | (?P<end>\Z)
    )
    """,
    re.VERBOSE | re.DOTALL,
)
_SPACE = re.compile(rb"\s")
_HEX_PAIR = re.compile(rb"[0-9a-fA-F]{2}|.", re.DOTALL)
_NAME_HASH = re.compile(rb"#([0-9a-fA-F]{0,2})")
_NAME_END = re.compile(rb"[/%\[\]()<>{}\s]")
_LAST_ESCAPE = re.compile(rb"#[0-9a-fA-F]{0,2}$")
_ESCAPES = {ord(k): v for k, v in {"b": 8, "t": 9, "n": 10, "f": 12, "r": 13, "(": 40, ")": 41, "\\": 92}.items()}
_OCTAL = b"01234567"

_INLINE_IMAGE = {KWD(b"BI"), KWD(b"ID")}
_OPENERS = {b"[": "a", b"{": "p"}
_CLOSERS = {b"]": "a", b"}": "p"}


class Unsupported(Exception):
    """The stream needs pdfminer's own parser."""


def tokenise(data: bytes) -> list:
    """The stream's top-level objects, as pdfminer's ``nextobject`` gives them."""
    data += b"\n"  # pdfminer ends the last token as if a newline followed
    results: list = []
    stack: list[tuple[str, list]] = []
    current = results
    position, end = 0, len(data)
    match_token = _TOKEN.match
    # the same few numbers, operators and names recur thousands of times a page
    numbers: dict[bytes, object] = {}
    keywords: dict[bytes, object] = {}
    names: dict[bytes, PSLiteral] = {}
    budget = limits.current().operators_per_page
    while position < end:
        match = match_token(data, position)
        kind = match.lastgroup
        position = match.end()
        if kind == "number":
            text = match.group("number")
            number = numbers.get(text)
            if number is None:
                try:
                    number = numbers[text] = float(text) if b"." in text else int(text)
                except ValueError:  # pdfminer drops a sign or point with no digits
                    continue
            current.append(number)
        elif kind == "keyword":
            word = match.group("keyword")
            if len(results) > budget and budget:
                raise limits.PageTooComplex(f"more than {budget:,} content-stream operators and operands on one page")
            keyword = keywords.get(word)
            if keyword is None:
                keyword = keywords[word] = True if word == b"true" else False if word == b"false" else KWD(word)
                if keyword in _INLINE_IMAGE:
                    raise Unsupported("inline image")
            current.append(keyword)
        elif kind == "name":
            raw = match.group("name")
            name = names.get(raw)
            if name is None:
                name = names[raw] = _name(raw)
            current.append(name)
        elif kind == "name_hash":
            raw, position = _name_with_escapes(data, match.start("name"))
            current.append(_name(raw))
        elif kind == "string":
            current.append(match.group("string"))
        elif kind == "string_escaped":
            text, position = _string_with_escapes(data, position)
            current.append(text)
        elif kind == "hex" or kind == "hex_end":
            if match.group("hex_end") is None:
                raise Unsupported("unterminated hex string")
            position -= 1  # the terminator is read again, as pdfminer does
            digits = _SPACE.sub(b"", match.group("hex"))
            if len(digits) % 2 == 0:
                current.append(bytes.fromhex(digits.decode("ascii")))
            else:  # an odd last digit is a byte of its own in pdfminer
                current.append(_HEX_PAIR.sub(lambda pair: bytes((int(pair.group(0), 16),)), digits))
        elif kind == "dict_begin":
            stack.append(("d", current))
            current = []
        elif kind == "dict_end":
            if not stack or stack[-1][0] != "d" or len(current) % 2:
                raise Unsupported("unbalanced dictionary")
            pairs = current
            current = stack.pop()[1]
            current.append({_literal_name(k): v for k, v in zip(pairs[::2], pairs[1::2]) if v is not None})
        elif kind == "close" or kind == "end":
            continue  # a lone '>' ends a hex string, already read
        else:  # one byte that starts no other token: pdfminer's one-letter keyword
            byte = match.group("other")
            if byte in _OPENERS:
                stack.append((_OPENERS[byte], current))
                current = []
            elif byte in _CLOSERS:
                if not stack or stack[-1][0] != _CLOSERS[byte]:
                    raise Unsupported("unbalanced brackets")
                items = current
                current = stack.pop()[1]
                current.append(items)
            else:
                current.append(KWD(byte))
    if stack:
        raise Unsupported("unclosed array or dictionary")
    return results


def _name(raw: bytes) -> PSLiteral:
    """A name as pdfminer makes it: text when it is UTF-8, bytes otherwise."""
    try:
        return LIT(str(raw, "utf-8"))
    except UnicodeDecodeError:
        return LIT(raw)


def _literal_name(key) -> str:
    """pdfminer's ``literal_name``: dictionary keys are names, anything else its str()."""
    if not isinstance(key, PSLiteral):
        return str(key)
    name = key.name
    if isinstance(name, str):
        return name
    try:
        return str(name, "utf-8")
    except UnicodeDecodeError:
        return str(name)


def _name_with_escapes(data: bytes, start: int) -> tuple[bytes, int]:
    """A name with ``#xx`` escapes; a ``#`` without hex digits is dropped."""
    end = _NAME_END.search(data, start)
    if end is None or (end.start() == len(data) - 1 and _LAST_ESCAPE.search(data, start, end.start())):
        raise Unsupported("name ends in an escape at the end of the stream")  # pdfminer drops it
    raw = _NAME_HASH.sub(lambda m: bytes((int(m.group(1), 16),)) if m.group(1) else b"", data[start : end.start()])
    return raw, end.start()


def _string_with_escapes(data: bytes, position: int) -> tuple[bytes, int]:
    """A literal string with nested parentheses or backslash escapes."""
    out = bytearray()
    depth, end = 1, len(data)
    while position < end:
        byte = data[position]
        position += 1
        if byte == 0x5C:  # backslash
            if position >= end:
                break
            byte = data[position]
            if byte in _OCTAL:
                digits = data[position : position + 3]
                count = next((n for n, d in enumerate(digits) if d not in _OCTAL), len(digits))
                code = int(digits[:count], 8)
                if code > 255:
                    raise Unsupported("octal escape above 255")
                out.append(code)
                position += count
                continue
            if byte in _ESCAPES:
                out.append(_ESCAPES[byte])
            elif byte == 0x0D and data[position + 1 : position + 2] == b"\n":
                position += 1
            position += 1  # any other escaped byte is dropped, as pdfminer does
        elif byte == 0x28:
            depth += 1
            out.append(byte)
        elif byte == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), position
            out.append(byte)
        else:
            out.append(byte)
    raise Unsupported("unterminated string")


class FastContentParser(_ORIGINAL_PARSER):
    """pdfminer's content parser, reading the stream through :func:`tokenise`."""

    def __init__(self, streams) -> None:
        super().__init__(streams)
        self._objects = None
        try:
            data = b"\n".join(d for d in (stream_value(s).get_data() for s in streams) if d)
            self._objects = tokenise(data)
        except limits.PageTooComplex:
            raise
        except Exception:  # Unsupported, or a stream that will not decode: pdfminer reads (or reports) it as always
            self._objects = None
        self._next = 0

    def nextobject(self):
        if self._objects is None:
            return super().nextobject()
        if self._next >= len(self._objects):
            raise PSEOF("end of content stream")
        obj = self._objects[self._next]
        self._next += 1
        return 0, obj


def execute(self: PDFPageInterpreter, streams) -> None:
    """pdfminer's ``execute`` loop, with each operator's method looked up once.

    pdfminer formats the method name, asks ``hasattr`` and reads the
    argument count anew for each of the page's 50,000 operators.  Streams
    this reader hands back to pdfminer, and the odd cases of pdfminer's own
    preamble (streams without an id, a form drawing itself), go through
    pdfminer's loop unchanged.
    """
    self.stream_ids.clear()
    valid = []
    for obj in streams:
        stream = stream_value(obj)
        if stream.objid is None or stream.objid in self.parent_stream_ids:
            return _ORIGINAL_EXECUTE(self, streams)
        valid.append(stream)
        self.stream_ids.add(stream.objid)
    try:
        parser = FastContentParser(valid)
    except PSEOF:
        return None
    if parser._objects is None:
        return _ORIGINAL_EXECUTE(self, streams)
    _count_operators(self.device, len(parser._objects))
    operators = _OPERATORS.setdefault(type(self), {})
    for obj in parser._objects:
        if obj.__class__ is not PSKeyword:
            self.argstack.append(obj)
            continue
        operator = operators.get(obj)
        if operator is None:
            operator = operators[obj] = _operator(self, obj)
        method, nargs = operator
        if method is None:
            if settings.STRICT:
                raise PDFInterpreterError(f"Unknown operator: {keyword_name(obj)!r}")
            continue
        if nargs:
            args = self.pop(nargs)
            if len(args) == nargs:
                getattr(self, method)(*args)
        else:
            getattr(self, method)()
    return None


def _count_operators(device, count: int) -> None:
    """Charge a stream's objects to its page (one device per page, Form XObjects included).

    Each stream read after the page's own is a Form XObject drawn, and each
    costs a fresh interpreter: forms that draw each other ten times over
    are bounded by their number as well as by their operators.
    """
    bounds = limits.current()
    total = getattr(device, "operators_read", 0) + count
    forms = device.streams_read = getattr(device, "streams_read", 0) + 1
    device.operators_read = total
    if bounds.operators_per_page and total > bounds.operators_per_page:
        raise limits.PageTooComplex(f"more than {bounds.operators_per_page:,} content-stream operators and operands on one page")
    if bounds.forms_per_page and forms > bounds.forms_per_page:
        raise limits.PageTooComplex(f"more than {bounds.forms_per_page:,} Form XObjects drawn on one page")


#: interpreter class -> keyword -> (method name or None, argument count)
_OPERATORS: dict[type, dict[PSKeyword, tuple[str | None, int]]] = {}


def _operator(interpreter: PDFPageInterpreter, keyword: PSKeyword) -> tuple[str | None, int]:
    name = keyword_name(keyword)
    method = "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q")
    if not hasattr(interpreter, method):
        return None, 0
    return method, getattr(interpreter, method).__code__.co_argcount - 1
