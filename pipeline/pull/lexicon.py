"""Whether a character starts a word of its own, by Sudachi's dictionary and segmentation.

Some characters after a number are affixes or words by themselves (目 of
3年目, 半 of 1年半, 大 of 10大コンテナ港), but the same character also begins
longer words (目標, 半導体, 大学).  Which one it is here, Sudachi's
segmenter says from its dictionary and costs: the word it cuts first from
the text at that point either is the character alone or runs on.  This
replaces lists of exceptions grown from examples (目(?!標|的|…)).
"""

from __future__ import annotations

from functools import lru_cache

#: Characters read after the point: enough for a word (目当て, 大部分), not a sentence.
WINDOW = 6


def begins_longer_word(text: str, pos: int) -> bool:
    """The character at ``pos`` is the first of a longer word in Sudachi's segmentation.

    >>> begins_longer_word("3年目標を掲げた", 2), begins_longer_word("3年目の春", 2)
    (True, False)
    >>> begins_longer_word("1年半導体を", 2), begins_longer_word("1年半の間", 2)
    (True, False)
    """
    return len(first_word(text[pos : pos + WINDOW])) > 1


@lru_cache(maxsize=50_000)
def first_word(text: str) -> str:
    """The first word Sudachi cuts from ``text`` (mode C, the longest units)."""
    if not text:
        return ""
    morphemes = _tokenizer().tokenize(text)
    return morphemes[0].surface() if len(morphemes) else ""


@lru_cache(maxsize=1)
def _tokenizer():
    import sudachipy

    from pipeline.pull.ginza import _dictionary

    return _dictionary().create(sudachipy.SplitMode.C)
