"""Ids derived from content, so that the same content keeps the same id.

An id is a readable prefix (the document, the article) and a short hash of
what the row *is*, not of where a pipeline version happened to find it:

* article: ``DOCID-a`` + hash(region, title, occurrence)
* figure, date, entity: ``ARTICLEID-f``/``-d``/``-e`` + hash(surface, occurrence)
* repair: ``DOCID-r`` + hash(page, x0, top, raw, occurrence)
* ruby: ``DOCID-u`` + hash(page, x0, top of its base, reading, occurrence)

``occurrence`` counts earlier rows with the same content in the same scope
(``約30％`` the second time in an article is occurrence 1), so repeats get
distinct ids.  A finder that learns to see one more figure changes no other
figure's id, except for later repeats of that very surface; a fixed unit or
value keeps the id and shows as a ``changed`` row.

The hash is the first 8 hex digits of SHA-256 over the parts joined by
U+001F; should two contents of one scope ever share 8 digits, the later one
takes 16, which depends on the content alone and so is stable as well.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence

_SEPARATOR = "\x1f"


def content_hash(*parts: object, length: int = 8) -> str:
    """The first ``length`` hex digits of SHA-256 over ``parts``.

    >>> content_hash("約30％", 0)
    '32fa5b4c'
    """
    text = _SEPARATOR.join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def content_ids(prefix: str, contents: Sequence[tuple]) -> list[str]:
    """One id per content, in the given order; repeats are told apart by occurrence."""
    seen: Counter = Counter()
    used: set[str] = set()
    ids = []
    for content in contents:
        occurrence = seen[content]
        seen[content] += 1
        digest = content_hash(*content, occurrence)
        if digest in used:
            digest = content_hash(*content, occurrence, length=16)
        used.add(digest)
        ids.append(f"{prefix}{digest}")
    return ids


def article_ids(doc_id: str, headings: Iterable[tuple[str | None, str]]) -> list[str]:
    """Ids for a document's articles from their (region, title), in reading order."""
    return content_ids(f"{doc_id}-a", [(region, title) for region, title in headings])


def mention_ids(article_id: str, kind: str, mentions: Sequence) -> list[str]:
    """Ids for an article's mentions (anything with ``surface`` and ``char_start``).

    ``kind`` is ``f`` (figure), ``d`` (date) or ``e`` (entity).  Occurrences
    are counted in text order whatever order the finder returned.
    """
    order = sorted(range(len(mentions)), key=lambda i: (mentions[i].char_start, i))
    in_text_order = content_ids(f"{article_id}-{kind}", [(mentions[i].surface,) for i in order])
    ids = [""] * len(mentions)
    for position, index in enumerate(order):
        ids[index] = in_text_order[position]
    return ids


def repair_ids(doc_id: str, repairs: Sequence) -> list[str]:
    """Ids for a document's repairs from the glyph's page, place and raw text.

    Neither the fix nor the rule is part of the id: a better repair of the
    same glyph is the same row, changed.
    """
    return content_ids(
        f"{doc_id}-r",
        [(repair.page, f"{repair.x0:.2f}", f"{repair.top:.2f}", repair.raw) for repair in repairs],
    )


def ruby_ids(doc_id: str, readings: Sequence) -> list[str]:
    """Ids for a document's ruby (:class:`pipeline.records.Ruby`) from its base's page and place and its reading."""
    return content_ids(
        f"{doc_id}-u",
        [(ruby.base_box.page, f"{ruby.base_box.x0:.2f}", f"{ruby.base_box.top:.2f}", ruby.text) for ruby in readings],
    )
