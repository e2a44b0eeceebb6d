"""Safe corrections of what OCR is known to confuse, each logged as a repair.

Only confusions of shape with a rule outside the text to settle them are
corrected; anything else is left as read (and its confidence stays in the
char), never guessed:

* ``ocr_full_width_by_advance``: （ and (, ％ and %, ： and : share one shape;
  the space the glyph takes tells them apart (:func:`pipeline.ocr.read.widths_by_advance`,
  applied where the boxes are read; logged here).
* ``ocr_wave_dash_between_numbers``: a range 2015～2017 whose ～ was read as
  the hiragana て, which never stands between two numerals in Japanese.
* ``ocr_unit_voicing``: a katakana unit after a number with ゛ and ゜ confused
  (ルビー for ルピー, ベソ for ペソ): the two marks differ by a few pixels,
  and the word after a number is settled by the units the figures stage
  knows (:func:`unit_words`: CLDR's currency names and the figures stage's measures).  Only when the word as read is no
  unit and exactly one unit is reached by swapping the marks.
* ``ocr_latin_marks``: a Latin word the ``jpn`` model read without its
  marks (Nguyen for Nguyễn), read again by the Vietnamese model, which
  only added marks (:func:`pipeline.ocr.read.latin_marks`, applied where
  the boxes are read; logged here).
* ``ocr_percent_read_twice``: ``%%`` for the full-width ％, a glyph an em
  wide read as two symbols; two percent signs never follow each other.
* ``ocr_url_scheme``: ``htps://`` or ``htp://`` for ``https://`` and
  ``http://``: Tesseract reads the two touching t's as one symbol.  The
  symbol's text becomes ``tt``.

Each change is a :class:`~pipeline.records.Repair` step on the char, with
the rule and a confidence: the OCR's own confidence in the glyph, capped
by how sure the rule is.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.ocr.read import FULL_WIDTH
from pipeline.records import Char, Line, Repair

#: ゛ and ゜ confused: each voiced (dakuten) katakana and its semi-voiced (handakuten) twin.
VOICING = dict(zip("バビブベボパピプペポ", "パピプペポバビブベボ"))
_DIGITS = set("0123456789０１２３４５６７８９")
_SCALE = set("万億兆千百十")
_KATAKANA = re.compile(r"[\u30a0-\u30ff]+")
RULE_CONFIDENCE = {
    "ocr_full_width_by_advance": 0.95,
    "ocr_wave_dash_between_numbers": 0.95,
    "ocr_unit_voicing": 0.9,
    "ocr_url_scheme": 0.95,
    "ocr_latin_marks": 0.9,
    "ocr_percent_read_twice": 0.9,
}


#: The katakana measures the figures stage reads after a number (pipeline/pull/figures.py's _MEASURES).
#: Written out here so that the read stage does not depend on the figure rules' code (its kept reads
#: would be made again at every change to a figure rule); tests/test_ocr.py keeps the two equal.
MEASURE_WORDS = frozenset({
    "キログラム", "キロボルト", "キロメートル", "キロリットル", "キロワット", "ギガワット", "センチメートル", "テラワット",
    "トン", "バレル", "パーセント", "ヘクタール", "ポイント", "ミリメートル", "メガワット", "メートル", "リットル", "ワット",
})


def unit_words() -> frozenset[str]:
    """The katakana units a number may be followed by: :data:`MEASURE_WORDS` and the currencies' names (CLDR, :mod:`pipeline.currencies`)."""
    from pipeline.currencies import currency_names, shared_currency_words

    currencies = {*currency_names(), *shared_currency_words()}
    return MEASURE_WORDS | {word for word in currencies if _KATAKANA.fullmatch(word)}


def correct_lines(lines: list[Line]) -> tuple[list[Line], list[Repair]]:
    """``lines`` with the safe corrections made, and a repair step for each."""
    units = unit_words()
    corrected: list[Line] = []
    steps: list[Repair] = []
    for line in lines:
        chars = list(line.chars)
        changes: dict[int, tuple[str, str]] = {}  # index -> (fixed text, rule)
        for index, char in enumerate(chars):
            if char.raw is not None and char.raw != char.text:
                rule = "ocr_full_width_by_advance" if char.raw in FULL_WIDTH else "ocr_latin_marks"
                steps.append(_step(char, char.raw, char.text, rule))
        _wave_dashes(chars, changes)
        _unit_voicing(chars, units, changes)
        _url_schemes(chars, changes)
        for index, (fixed, rule) in changes.items():
            char = chars[index]
            steps.append(_step(char, char.text, fixed, rule))
            chars[index] = replace(char, text=fixed, raw=char.raw if char.raw is not None else char.text)
        merged = _percent_read_twice(chars, steps)
        corrected.append(replace(line, chars=merged) if changes or len(merged) != len(chars) else line)
    return corrected, steps


def _step(char: Char, raw: str, fixed: str, rule: str) -> Repair:
    confidence = min(char.confidence if char.confidence is not None else 1.0, RULE_CONFIDENCE[rule])
    return Repair(char.page, char.x0, char.top, char.x1, char.bottom, raw, fixed, rule, round(confidence, 3), font=None)


def _wave_dashes(chars: list[Char], changes: dict) -> None:
    """て between two digits is ～.

    >>> from pipeline.records import Char
    >>> chars = [Char(t, "(ocr)", 10, i, 0, i + 1, 10, 0) for i, t in enumerate("2015て2017")]
    >>> changes = {}; _wave_dashes(chars, changes); changes
    {4: ('～', 'ocr_wave_dash_between_numbers')}
    """
    for index in range(1, len(chars) - 1):
        if chars[index].text == "て" and chars[index - 1].text in _DIGITS and chars[index + 1].text in _DIGITS:
            changes[index] = ("～", "ocr_wave_dash_between_numbers")


def _unit_voicing(chars: list[Char], units: frozenset[str], changes: dict) -> None:
    """A katakana word after a number that is no unit, but one when ゛ and ゜ are swapped.

    >>> from pipeline.records import Char
    >>> chars = [Char(t, "(ocr)", 10, i, 0, i + 1, 10, 0) for i, t in enumerate("500万ルビーを")]
    >>> changes = {}; _unit_voicing(chars, unit_words(), changes); changes
    {5: ('ピ', 'ocr_unit_voicing')}
    >>> changes = {}; _unit_voicing([Char(t, "(ocr)", 10, i, 0, i + 1, 10, 0) for i, t in enumerate("5ルピー")], unit_words(), changes); changes
    {}
    """
    index = 0
    while index < len(chars):
        if chars[index].text in _DIGITS or chars[index].text in _SCALE:
            start = index + 1
            end = start
            while end < len(chars) and _KATAKANA.fullmatch(chars[end].text or "-"):
                end += 1
            if end > start and chars[start - 1].text not in ("ー",):
                _fix_unit(chars, start, end, units, changes)
            index = max(end, index + 1)
        else:
            index += 1


def _fix_unit(chars: list[Char], start: int, end: int, units: frozenset[str], changes: dict) -> None:
    word = "".join(char.text for char in chars[start:end])
    if any(word.startswith(unit) for unit in units):
        return  # a unit as read: nothing to correct
    for length in range(len(word), 0, -1):
        head = word[:length]
        swaps = [offset for offset, letter in enumerate(head) if letter in VOICING]
        reached = set()
        for offset in swaps:
            candidate = head[:offset] + VOICING[head[offset]] + head[offset + 1 :]
            if candidate in units:
                reached.add((offset, candidate))
        if len(reached) == 1:
            offset, candidate = reached.pop()
            changes[start + offset] = (candidate[offset], "ocr_unit_voicing")
            return
        if reached:
            return  # two units reachable: not settled


_PERCENT = ("%", "％")


def _percent_read_twice(chars: list[Char], steps: list[Repair]) -> list[Char]:
    """``chars`` with a percent sign read as two symbols (``%%``, ``％%``) made one full-width ％, logged in ``steps``.

    Tesseract's LSTM now and then emits the full-width ％, a glyph an em
    wide, as two percent signs; two percent signs never follow each other in
    text.  The two become one char over both boxes, in the full-width form
    the em it took says it is.

    >>> from pipeline.records import Char
    >>> chars = [Char(t, "(ocr)", 10, i * 5, 0, i * 5 + 5, 10, 0) for i, t in enumerate("5%%を")]
    >>> steps = []; "".join(c.text for c in _percent_read_twice(chars, steps)), steps[0].rule
    ('5％を', 'ocr_percent_read_twice')
    """
    merged: list[Char] = []
    for char in chars:
        previous = merged[-1] if merged else None
        if previous is not None and previous.text in _PERCENT and char.text in _PERCENT and char.x0 - previous.x0 < previous.size:
            raw = (previous.raw or previous.text) + (char.raw or char.text)
            both = replace(previous, text="％", raw=raw, x1=max(previous.x1, char.x1), bottom=max(previous.bottom, char.bottom))
            steps.append(_step(both, raw, "％", "ocr_percent_read_twice"))
            merged[-1] = both
            continue
        merged.append(char)
    return merged


def _url_schemes(chars: list[Char], changes: dict) -> None:
    """``htps://`` and ``htp://``: the t read once for two.

    >>> from pipeline.records import Char
    >>> chars = [Char(t, "(ocr)", 10, i, 0, i + 1, 10, 0) for i, t in enumerate("htps://x")]
    >>> changes = {}; _url_schemes(chars, changes); changes
    {1: ('tt', 'ocr_url_scheme')}
    """
    text = "".join(char.text if len(char.text) == 1 else "\0" for char in chars)
    for match in re.finditer(r"(?<![A-Za-z])ht(?=ps?://)", text):
        changes[match.start() + 1] = ("tt", "ocr_url_scheme")
