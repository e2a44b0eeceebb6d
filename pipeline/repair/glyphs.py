"""Glyph-level repairs: each takes the chars of a line and says what it changed.

These fixes need the glyph's position or font, not just its text, so they
work on :class:`~pipeline.records.Char` records and return a
:class:`~pipeline.records.Repair` for every change.  Anything that cannot be
recovered becomes U+FFFD, so it stays visible and countable downstream.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from difflib import SequenceMatcher

from pipeline.extract.pdf import is_cid_placeholder
from pipeline.records import Char, Repair
from pipeline.repair.radicals import unified_ideograph
from pipeline.repair.text_fixes import fix_encoding

UNRESOLVED = "\ufffd"


def repair_record(char: Char, fixed: str, rule: str, confidence: float) -> Repair:
    return Repair(char.page, char.x0, char.top, char.x1, char.bottom, char.raw or char.text, fixed, rule, confidence, char.font_key)


def drop_fake_bold(chars: list[Char], repairs: list[Repair]) -> list[Char]:
    """Word sets bold for a font without a bold face by drawing it twice.

    The copy has the same glyph, font and size, shifted by a fraction of a
    point; a real repeated character (``ここ``, or a narrow ``ll``) stands a
    full advance further on.  The glyph kept is marked ``fake_bold``: the
    split stage reads the double as weight, as a reader does.
    """
    kept: list[Char] = []
    for char in chars:
        twin = kept[-1] if kept else None
        if (
            twin is not None
            and twin.text == char.text
            and twin.fontname == char.fontname
            and twin.cid == char.cid
            and abs((twin.x1 - twin.x0) - (char.x1 - char.x0)) < 0.1 * char.size
            and abs(twin.x0 - char.x0) < min(0.15 * char.size, 0.3 * max(char.x1 - char.x0, 0.1))
            and abs(twin.top - char.top) < 0.25 * char.size
        ):
            repairs.append(repair_record(char, "", "fake_bold_duplicate", 0.95))
            if not twin.fake_bold:
                kept[-1] = replace(twin, fake_bold=True)
            continue
        kept.append(char)
    return kept


def classify_code_point(text: str) -> tuple[str, str, float] | None:
    """What is wrong with one glyph's text, as (fixed, rule, confidence).

    >>> classify_code_point("⽇")
    ('日', 'radical_to_ideograph', 0.98)
    >>> classify_code_point("(cid:123)")
    ('\ufffd', 'unmapped_glyph', 0.0)
    >>> classify_code_point("日") is None
    True
    """
    if is_cid_placeholder(text):
        return UNRESOLVED, "unmapped_glyph", 0.0
    if len(text) != 1:
        return None
    ideograph = unified_ideograph(text)
    if ideograph:
        return ideograph, "radical_to_ideograph", 0.98
    category = unicodedata.category(text)
    if category == "Co":
        return UNRESOLVED, "private_use_code_point", 0.0
    if category == "Cc" and text not in "\t\n\r":
        return UNRESOLVED, "control_code_point", 0.0
    if text == UNRESOLVED:
        return UNRESOLVED, "replacement_character", 0.0
    return None


def fix_code_points(chars: list[Char], repairs: list[Repair]) -> list[Char]:
    out: list[Char] = []
    for char in chars:
        # a glyph an earlier step left unknown keeps that step's reason
        verdict = None if char.raw is not None and char.text == UNRESOLVED else classify_code_point(char.text)
        if verdict is None:
            out.append(char)
            continue
        fixed, rule, confidence = verdict
        repairs.append(repair_record(char, fixed, rule, confidence))
        out.append(replace(char, text=fixed, raw=char.raw or char.text))
    return out


def fix_line_encoding(chars: list[Char], repairs: list[Repair]) -> list[Char]:
    """Run ftfy over the line and map its changes back onto the glyphs.

    Mojibake spans several glyphs (``æ—¥`` is one kanji), so the fix is made
    on the line's text and aligned back: each new character takes the box of
    the glyphs it replaced.
    """
    text = "".join(c.text for c in chars)
    fixed = fix_encoding(text)
    if fixed == text:
        return chars
    # map every text offset back to its char
    owner: list[int] = [i for i, c in enumerate(chars) for _ in c.text]
    out: list[Char] = []
    matcher = SequenceMatcher(a=text, b=fixed, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            seen: set[int] = set()
            for position in range(a0, a1):
                if owner[position] not in seen:
                    seen.add(owner[position])
                    out.append(chars[owner[position]])
            continue
        sources = sorted({owner[p] for p in range(a0, a1)}) or [owner[min(a0, len(owner) - 1)]]
        first, last = chars[sources[0]], chars[sources[-1]]
        raw = "".join(chars[i].text for i in sources)
        new_text = fixed[b0:b1]
        merged = replace(first, text=new_text, x1=last.x1, bottom=max(first.bottom, last.bottom), raw=raw)
        repairs.append(Repair(first.page, first.x0, first.top, last.x1, merged.bottom, raw, new_text, "encoding_mojibake", 0.9, first.font_key))
        if new_text:
            out.append(merged)
    return out
