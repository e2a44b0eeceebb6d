"""Characters that fonts draw alike and only their neighbours tell apart.

O and 0, l and 1, ロ and 口, ー and 一, カ and 力, へ and ヘ, and in a
proportional font ( and （: many fonts draw each pair with the same outline, so no shape evidence can choose between
them.  The script of the characters around them can: a glyph between
capital letters is the letter O, between digits the digit 0; one inside a
katakana word is ロ, inside a kanji compound 口.  Readers of Japanese and of
Latin text resolve these the same way, and so does OCR post-correction.

>>> choose(["O", "0"], ["latin", "latin", "hiragana"])
'O'
>>> choose(["ロ", "口"], ["han", "han"])
'口'
>>> choose(["O", "0"], []) is None
True
"""

from __future__ import annotations

import unicodedata
from collections import Counter

CONFUSABLE_SETS: tuple[tuple[str, ...], ...] = (
    ("O", "0", "Ｏ", "０"),
    ("o", "0", "ｏ", "０"),
    ("l", "1", "I", "|", "ｌ", "１", "Ｉ"),
    ("S", "5", "Ｓ", "５"),
    ("B", "8", "Ｂ", "８"),
    ("Z", "2", "Ｚ", "２"),
    ("ロ", "口"),
    ("ー", "一", "－"),
    ("ニ", "二"),
    ("カ", "力"),
    ("エ", "工"),
    ("タ", "夕"),
    ("ト", "卜"),
    ("ハ", "八"),
    ("へ", "ヘ"),
    ("べ", "ベ"),
    ("ぺ", "ペ"),
    ("(", "（"),
    (")", "）"),
    (":", "："),
)


def script_of(char: str) -> str:
    """digit, latin, hiragana, katakana, han, or other, for the first character of ``char``."""
    if not char:
        return "other"
    folded = unicodedata.normalize("NFKC", char[0])
    code = ord(folded[0]) if folded else ord(char[0])
    if folded.isdigit():
        return "digit"
    if folded.isascii() and folded.isalpha() or 0xC0 <= code <= 0x24F or 0x1E00 <= code <= 0x1EFF:
        return "latin"
    if 0x3041 <= code <= 0x309F:
        return "hiragana"
    if 0x30A0 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
        return "katakana"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or code >= 0x20000 or code == 0x3005:
        return "han"
    return "other"


def confusable_set(texts) -> tuple[str, ...] | None:
    """The set of look-alikes that holds every text given, if there is one."""
    wanted = set(texts)
    if not wanted:
        return None
    for group in CONFUSABLE_SETS:
        if wanted <= set(group):
            return group
    return None


# the scripts a look-alike keeps company with, where that is not its own: a dash joins digits and letters
_COMPANY = {
    "－": ("digit", "latin"),
    "ー": ("katakana", "hiragana"),
    **{form: ("han", "hiragana", "katakana") for form in "（）："},  # JIS X 4051: full-width marks in Japanese text
    **{form: ("latin", "digit") for form in "():"},
}


def choose(candidates, neighbour_scripts) -> str | None:
    """The candidate whose script most neighbours share; ``None`` when the neighbours do not say."""
    votes = Counter(script for script in neighbour_scripts if script != "other")
    support = {candidate: sum(votes[script] for script in _COMPANY.get(candidate, (script_of(candidate),))) for candidate in candidates}
    ranked = sorted(((count, candidate) for candidate, count in support.items() if count), reverse=True)
    if not ranked or len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
        return None
    return ranked[0][1]
