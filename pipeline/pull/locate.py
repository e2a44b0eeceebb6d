"""From a character span in an article body back to the page and its box."""

from __future__ import annotations

import re

from pipeline.records import Article, Box

_SENTENCE_END = re.compile(r"[。！？!?\n]")


def span_box(article: Article, start: int, end: int) -> Box | None:
    """The box around the span's glyphs on the page where the span starts."""
    boxes = [box for box in article.body_boxes[start:end] if box is not None]
    return Box.union(boxes)


#: How far the context of a mention reaches either side when no sentence ends sooner.
CONTEXT_CHARS = 300


def sentence_of(text: str, start: int, end: int) -> str:
    """The sentence holding ``text[start:end]``, for an auditor's context.

    At most :data:`CONTEXT_CHARS` either side: text with no sentence ends
    (a table, a list, a heading-less document read as one article) would
    otherwise give every mention the whole body as its sentence.
    """
    begin = max(0, start - CONTEXT_CHARS)
    for match in _SENTENCE_END.finditer(text, begin, start):
        begin = match.end()
    stop = _SENTENCE_END.search(text, end, end + CONTEXT_CHARS)
    finish = stop.end() if stop and stop.group() != "\n" else (stop.start() if stop else min(len(text), end + CONTEXT_CHARS))
    return text[begin:finish].strip()


def provenance(article: Article, start: int, end: int) -> dict:
    """Columns shared by every mention row: where it is, in text and on paper."""
    box = span_box(article, start, end)
    return {
        "sentence": sentence_of(article.body, start, end),
        "char_start": start,
        "char_end": end,
        "page": box.page + 1 if box else None,
        "x0": round(box.x0, 2) if box else None,
        "top": round(box.top, 2) if box else None,
        "x1": round(box.x1, 2) if box else None,
        "bottom": round(box.bottom, 2) if box else None,
    }
