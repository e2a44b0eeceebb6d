"""What the pull stage finds in a text, before provenance is attached.

The finders (:mod:`figures`, :mod:`dates`, :mod:`entities`) work on plain
strings so that they can be tested on any sentence; character offsets into
that string are the only link back to the page.  :mod:`pipeline.pull.locate`
turns those offsets into page numbers and bounding boxes.

:class:`EntityFinding` is what the pull stage asks of an entity finder, so
that GiNZA's (:class:`pipeline.pull.entities.EntityFinder`), the lazy one a
worker process holds (:class:`pipeline.parallel.LazyEntityFinder`) and a
test's stub are interchangeable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


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
    rule: str = ""  # the rule that decided the unit (figures.rule)


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
    rule: str = ""  # how the date's year was found (dates.rule)


@dataclass(frozen=True)
class EntityMention:
    """A named entity with the project's label and GiNZA's own."""

    surface: str
    label: str  # PERSON, ORG, GPE, FAC, EVENT, LAW, PRODUCT
    ner_label: str  # GiNZA's Sekine extended label, kept for audit
    char_start: int
    char_end: int
    canonical: str | None = None
    rule: str = ""  # the rule that proposed or corrected the name, "ginza" for the model's span (entities.rule)


@runtime_checkable
class EntityFinding(Protocol):
    """Finds the named entities of many texts in one call.

    ``find`` returns one list of mentions per text, in the order of
    ``texts``, with offsets into that text.  ``isinstance`` checks only that
    a ``find`` method exists, not its signature.
    """

    def find(self, texts: list[str]) -> list[list[EntityMention]]: ...
