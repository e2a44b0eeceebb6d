"""Japanese numerals: parse one numeral, or find every numeral in a text.

Shared by :mod:`pipeline.pull.figures` and :mod:`pipeline.pull.dates`.

Choice of parser (for the README): our own regex tokenizer plus a small
grammar check, not ``kanjize`` and not ja-timex.  On the 304 peer ``parse``
cases in ``shared/bench/ja-numbers-cases.jsonl``, ``kanjize.kanji2number``
passes 242 (80 %): it has no thousands commas (``1,000億``), drops decimals
(``1234万5678.123``), reads ``千〇十`` as 1000 and knows no 大字 (``壱阡``,
``弍``).  ja-timex's ``kansuji2number`` passes 148 (49 %): it rewrites kanji
runs inside a string (lengths change, no offsets) rather than parse a
numeral, so 万/億 with Arabic digits and rejections are out of its reach.  Ours
passes 277 (91 %); the other 27 are places where the peers disagree with
each other or with our purpose (twada's strict notation rejects ``一百`` and
``千万``, which prose uses; ya_kansuji reads only the first numeral run), each
listed with its reason in ``tests/known_differences/ja-numbers.jsonl``, so
100 % of the remaining cases pass.  It computes exact
:class:`~decimal.Decimal` values (``9999無量大数…`` stays exact), accepts
Arabic, full-width and kanji digits, 大字, thousands commas, decimals,
万/億/兆… scales and mixed forms (``1億2000万``, ``4千８百万``), and rejects
malformed strings (``十百千``, ``1万0万``, ``三五十``).  No dependency, no
per-character Python loop over a document.

Offsets matter downstream, so :func:`to_ascii_digits` maps character for
character and never changes the length of a text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext

from pipeline.japanese import FULLWIDTH_DIGITS

__all__ = [
    "NumberSpan",
    "find_numbers",
    "parse_exact",
    "parse_number",
    "to_ascii_digits",
]

# --- full-width digits -------------------------------------------------------

# A full-width comma or point is a digit separator only between two digits;
# elsewhere it is punctuation and stays.
_FULLWIDTH_SEPARATOR = re.compile(r"(?<=[0-9])[，．](?=[0-9])")


def to_ascii_digits(text: str) -> str:
    """Full-width digits (and a ，/． between digits) to ASCII; same length.

    >>> to_ascii_digits("１，０００年と句点．")
    '1,000年と句点．'
    """
    text = text.translate(FULLWIDTH_DIGITS)
    return _FULLWIDTH_SEPARATOR.sub(lambda m: "," if m.group() == "，" else ".", text)


# --- characters --------------------------------------------------------------

# 大字 (formal numerals used in contracts) and old forms, folded to the
# everyday characters before parsing.  One character each, so offsets hold.
_DAIJI = str.maketrans(
    {
        "零": "〇", "壱": "一", "壹": "一", "弌": "一", "弐": "二", "貳": "二",
        "弍": "二", "参": "三", "參": "三", "弎": "三", "肆": "四", "伍": "五",
        "陸": "六", "柒": "七", "漆": "七", "捌": "八", "玖": "九",
        "拾": "十", "什": "十", "佰": "百", "陌": "百", "阡": "千", "仟": "千",
        "萬": "万", "秭": "𥝱",
    }
)
# Ligature numerals standing for two characters (廿 = 二十); parse_exact only.
_LIGATURES = {"廿": "二十", "卄": "二十", "卅": "三十", "丗": "三十", "卌": "四十", "皕": "二百"}
_LIGATURE_RE = re.compile("[" + "".join(_LIGATURES) + "]")

_KD = "〇一二三四五六七八九"
_KANJI_DIGIT_VALUE = {c: i for i, c in enumerate(_KD)}
_SMALL_EXPONENT = {"十": 1, "百": 2, "千": 3}
# 万進 system of the 塵劫記: each step is 10^4.
_LARGE_EXPONENT = {
    "万": 4, "億": 8, "兆": 12, "京": 16, "垓": 20, "𥝱": 24, "穣": 28, "溝": 32,
    "澗": 36, "正": 40, "載": 44, "極": 48, "恒河沙": 52, "阿僧祇": 56,
    "那由他": 60, "那由多": 60, "不可思議": 64, "無量大数": 68,
}

_ARABIC = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
# Positional kanji digits (二〇二五), optionally grouped by 、 in threes and
# with a decimal part after ・ or 点 (百二十三点〇一二).
_KANJI_POSITIONAL = rf"[{_KD}]+(?:、[{_KD}]{{3}})*(?:[・点][{_KD}]+)?"
_LARGE_ALTERNATION = "|".join(sorted(_LARGE_EXPONENT, key=len, reverse=True))
_TOKEN = re.compile(
    rf"(?P<arabic>{_ARABIC})|(?P<kanji>{_KANJI_POSITIONAL})|(?P<small>[十百千])|(?P<large>{_LARGE_ALTERNATION})"
)
_SIGN = re.compile(r"^(?:-|−|－|マイナス)")
_SPACES = re.compile(r"\s+")
_SEPARATOR_AFTER_LARGE = re.compile(rf"(?<=[万億兆京])[、,]")


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "small", "large"
    value: Decimal = Decimal(0)
    exponent: int = 0
    positional_kanji_digits: int = 0  # significant digits of a kanji run
    all_zero: bool = False


def _kanji_positional_value(run: str) -> Decimal:
    run = run.replace("、", "")
    integer, _, fraction = run.replace("点", "・").partition("・")
    digits = "".join(str(_KANJI_DIGIT_VALUE[c]) for c in integer)
    if fraction:
        digits += "." + "".join(str(_KANJI_DIGIT_VALUE[c]) for c in fraction)
    return Decimal(digits)


def _tokenize(s: str) -> list[_Token] | None:
    tokens: list[_Token] = []
    pos = 0
    for m in _TOKEN.finditer(s):
        if m.start() != pos:
            return None
        pos = m.end()
        text = m.group()
        if m.lastgroup == "arabic":
            tokens.append(_Token("number", Decimal(text.replace(",", "")), all_zero=not text.strip("0,.")))
        elif m.lastgroup == "kanji":
            integer = re.split("[・点]", text.replace("、", ""))[0]
            significant = integer.lstrip("〇")
            tokens.append(
                _Token(
                    "number",
                    _kanji_positional_value(text),
                    positional_kanji_digits=len(significant),
                    all_zero=not significant and "・" not in text and "点" not in text,
                )
            )
        elif m.lastgroup == "small":
            tokens.append(_Token("small", exponent=_SMALL_EXPONENT[text]))
        else:
            tokens.append(_Token("large", exponent=_LARGE_EXPONENT[text]))
    if pos != len(s) or not tokens:
        return None
    return tokens


def _evaluate(tokens: list[_Token]) -> Decimal | None:
    """Apply the grammar: scales strictly decreasing, each part below its scale."""
    total = Decimal(0)
    section = Decimal(0)
    last_small = 99
    last_large = 999
    pending: _Token | None = None
    for token in tokens:
        if token.kind == "number":
            if pending is not None:
                return None  # two numbers side by side: 12三
            pending = token
        elif token.kind == "small":
            if token.exponent >= last_small:
                return None  # 十百, 十十
            if pending is None:
                coefficient = Decimal(1)
            elif pending.all_zero:
                # 千〇十: a written zero keeping a place, valid only after a higher unit
                if last_small == 99:
                    return None
                coefficient = Decimal(1)
            elif pending.positional_kanji_digits > 1:
                return None  # 三五十, 六七百
            else:
                coefficient = pending.value
            section += coefficient * (Decimal(10) ** token.exponent)
            last_small = token.exponent
            pending = None
        else:  # large
            if token.exponent >= last_large:
                return None  # 1万0万, 四万三億
            if pending is not None:
                if pending.all_zero and section == 0:
                    return None  # 〇万
                if last_small != 99 and pending.value >= Decimal(10) ** last_small:
                    return None
                section += pending.value
                pending = None
            if section == 0:
                return None  # 万 with nothing before it
            if last_large != 999 and section >= Decimal(10) ** (last_large - token.exponent):
                return None
            total += section * (Decimal(10) ** token.exponent)
            section = Decimal(0)
            last_small = 99
            last_large = token.exponent
    if pending is not None:
        if last_small != 99 and pending.value >= Decimal(10) ** last_small:
            return None  # 1千1000
        section += pending.value
    if last_large != 999 and section >= Decimal(10) ** last_large:
        return None  # 1万10千
    return total + section


def parse_exact(s: str) -> Decimal | None:
    """Parse one whole numeral to an exact :class:`Decimal`, else ``None``.

    >>> parse_exact("1億2000万")
    Decimal('120000000')
    >>> parse_exact("百二十三点〇一二")
    Decimal('123.012')
    >>> parse_exact("十百千") is None
    True
    """
    if not s:
        return None
    s = _SPACES.sub("", to_ascii_digits(s)).replace("，", ",").replace("．", ".")
    negative = False
    sign = _SIGN.match(s)
    if sign:
        negative = True
        s = s[sign.end():]
    s = _LIGATURE_RE.sub(lambda m: _LIGATURES[m.group()], s.translate(_DAIJI))
    s = _SEPARATOR_AFTER_LARGE.sub("", s)
    tokens = _tokenize(s)
    if tokens is None:
        return None
    try:
        with localcontext() as context:
            context.prec = 120  # exact up to 無量大数 (10^68) with decimals
            value = _evaluate(tokens)
    except InvalidOperation:
        return None
    if value is None:
        return None
    return -value if negative else value


def parse_number(s: str) -> float | None:
    """Parse one whole numeral (Arabic, full-width, kanji or mixed) to a float.

    >>> parse_number("２０２５"), parse_number("1,500"), parse_number("2.6万")
    (2025.0, 1500.0, 26000.0)
    >>> parse_number("三つ") is None
    True
    """
    value = parse_exact(s)
    return None if value is None else float(value)


# --- finding numerals in running text ----------------------------------------

# Only the scales that occur in prose are searched for: 正, 極, 載, 溝 … are
# everyday characters far more often than numerals.
_SCAN_KANJI_DIGITS = "〇零一二三四五六七八九壱壹弐貳弍参參肆伍陸柒漆捌玖"
_SCAN_SMALL = "十拾什百佰陌千阡仟"
_SCAN_ATOM = rf"(?>[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|[{_SCAN_KANJI_DIGITS}]+|[{_SCAN_SMALL}])"
_SCAN = re.compile(rf"(?:{_SCAN_ATOM})++(?:[万萬億兆京](?:{_SCAN_ATOM})*+)*+")
_SCAN_PIECE = re.compile(rf"{_SCAN_ATOM}|[万萬億兆京]")


@dataclass(frozen=True)
class NumberSpan:
    """A numeral found in a text: ``text[start:end] == surface``."""

    surface: str
    value: float
    start: int
    end: int
    exact: Decimal


def _split_valid(surface: str, offset: int) -> list[NumberSpan]:
    """Cut a scanned run into the longest pieces that parse, left to right."""
    whole = parse_exact(surface)
    if whole is not None:
        return [NumberSpan(surface, float(whole), offset, offset + len(surface), whole)]
    bounds = [m.end() for m in _SCAN_PIECE.finditer(surface)]
    spans: list[NumberSpan] = []
    start = 0
    while start < len(surface):
        for end in reversed([b for b in bounds if b > start]):
            value = parse_exact(surface[start:end])
            if value is not None:
                spans.append(NumberSpan(surface[start:end], float(value), offset + start, offset + end, value))
                start = end
                break
        else:
            start = next((b for b in bounds if b > start), len(surface))
    return spans


def find_numbers(text: str) -> list[NumberSpan]:
    """Every numeral in ``text``, with offsets into ``text``, in order.

    This is the plain scanner: it does not judge whether a numeral is a
    quantity (that is :func:`pipeline.pull.figures.find_figures`'s job).

    >>> [(n.surface, n.value) for n in find_numbers("1億2500万光年と二〇二〇年")]
    [('1億2500万', 125000000.0), ('二〇二〇', 2020.0)]
    """
    ascii_text = to_ascii_digits(text)
    spans: list[NumberSpan] = []
    for m in _SCAN.finditer(ascii_text):
        for piece in _split_valid(m.group(), m.start()):
            spans.append(
                NumberSpan(text[piece.start:piece.end], piece.value, piece.start, piece.end, piece.exact)
            )
    return spans
