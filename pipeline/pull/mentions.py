"""What the pull stage finds in a text, before provenance is attached.

The finders (:mod:`figures`, :mod:`dates`, :mod:`entities`) work on plain
strings so that they can be tested on any sentence; character offsets into
that string are the only link back to the page.  :mod:`pipeline.pull.locate`
turns those offsets into page numbers and bounding boxes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FigureMention:
    """A number that carries a quantity, normalised.

    ``value`` has 万/億/兆, kanji numerals and full-width digits applied;
    割 is turned into percent.  ``range_partner`` is the index (in the list
    returned by the finder) of the other end of a range, else ``None``.
    """

    surface: str
    value: float
    unit: str | None
    qualifier: str | None
    char_start: int
    char_end: int
    range_partner: int | None = None


@dataclass(frozen=True)
class DateMention:
    """A calendar date at the precision the text states.

    ``value`` is ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``start`` and
    ``end`` are the first and last day it covers (``YYYY-MM-DD``), so that a
    month or a 上旬 can be compared with full dates.
    """

    surface: str
    value: str
    start: str
    end: str
    granularity: str  # "day", "month", "year" (and "decade" etc. later)
    fiscal: bool
    char_start: int
    char_end: int


@dataclass(frozen=True)
class EntityMention:
    """A named entity with the project's label and GiNZA's own."""

    surface: str
    label: str  # PERSON, ORG, GPE, FAC, EVENT, LAW, PRODUCT
    ner_label: str  # GiNZA's Sekine extended label, kept for audit
    char_start: int
    char_end: int
    canonical: str | None = None
