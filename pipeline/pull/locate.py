"""From a character span in an article body back to the page and its box."""

from __future__ import annotations

import re

from pipeline.records import Article, Box

_SENTENCE_END = re.compile(r"[。！？!?\n]")


def span_box(article: Article, start: int, end: int) -> Box | None:
    """The box around the span's glyphs on the page where the span starts."""
    boxes = [box for box in article.body_boxes[start:end] if box is not None]
    return Box.union(boxes)


def sentence_of(text: str, start: int, end: int) -> str:
    """The sentence holding ``text[start:end]``, for an auditor's context."""
    begin = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    stop = _SENTENCE_END.search(text, end)
    finish = stop.end() if stop and stop.group() != "\n" else (stop.start() if stop else len(text))
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
