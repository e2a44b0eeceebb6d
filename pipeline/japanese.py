"""Conventions of Japanese writing that more than one stage reads: era years and full-width digits.

The era table (元号) is the modern part of the Japanese calendar as CLDR
gives it (LDML part 4, ``supplementalData.xml``, calendar ``japanese``, eras
232–236): each era with the Gregorian day it began.  Year 1 of an era (元年)
is the Gregorian year of that first day, so one Gregorian year has two era
years (2019 is 平成31年 until April 30 and 令和元年 from May 1).

An era year is not checked against the era's end: plans written before an
era change keep counting in the old one (平成32年度 is fiscal 2020).

>>> gregorian_year("令和", "元"), gregorian_year("平成", 31), gregorian_year("R", 6)
(2019, 2019, 2024)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["ERAS", "ERA_INITIALS", "ERA_NAMES", "FIRST_YEAR", "FULLWIDTH_DIGITS", "Era", "era_named", "gregorian_year"]


@dataclass(frozen=True)
class Era:
    name: str  # 令和
    romanized: str  # Reiwa
    letter: str  # R: the initial written before a year number (R6, H31)
    first_day: dt.date


#: The eras since the Meiji restoration, oldest first (CLDR, calendar ``japanese``).
ERAS = (
    Era("明治", "Meiji", "M", dt.date(1868, 10, 23)),
    Era("大正", "Taisho", "T", dt.date(1912, 7, 30)),
    Era("昭和", "Showa", "S", dt.date(1926, 12, 25)),
    Era("平成", "Heisei", "H", dt.date(1989, 1, 8)),
    Era("令和", "Reiwa", "R", dt.date(2019, 5, 1)),
)

#: How the first year of an era is written: 令和元年 is 令和1年.
FIRST_YEAR = "元"

# Full-width (Ｒ6) as well as ASCII initials: both occur in headings.
_FULLWIDTH_LETTER = {"M": "Ｍ", "T": "Ｔ", "S": "Ｓ", "H": "Ｈ", "R": "Ｒ"}
#: For regular expressions: the names as alternatives (明治|大正|昭和|平成|令和) and
#: the initials, ASCII and full-width, as a character class body (MTSHRＭＴＳＨＲ).
ERA_NAMES = "|".join(era.name for era in ERAS)
ERA_INITIALS = "".join(era.letter for era in ERAS) + "".join(_FULLWIDTH_LETTER[era.letter] for era in ERAS)
_BY_NAME = {
    written: era
    for era in ERAS
    for written in (era.name, era.letter, _FULLWIDTH_LETTER[era.letter])
}


def era_named(written: str) -> Era | None:
    """The era written as its name (平成), its initial (H) or its full-width initial (Ｈ).

    >>> era_named("Ｈ").name, era_named("昭和").first_day.isoformat()
    ('平成', '1926-12-25')
    >>> era_named("西暦") is None
    True
    """
    return _BY_NAME.get(written)


def gregorian_year(era: str, year: int | str | None) -> int | None:
    """The Gregorian year in which year ``year`` of ``era`` begins.

    ``era`` is written as :func:`era_named` reads it; ``year`` is a number,
    decimal digits or 元 (:data:`FIRST_YEAR`).  ``None`` for an unknown era
    or a year that is not a number from 1 up.

    >>> gregorian_year("昭和", 64), gregorian_year("平成", FIRST_YEAR), gregorian_year("Ｓ", "６")
    (1989, 1989, 1931)
    >>> gregorian_year("令和", 0) is None, gregorian_year("令和", "三") is None
    (True, True)
    """
    found = era_named(era)
    if found is None or year is None:
        return None
    if year == FIRST_YEAR:
        year = 1
    elif isinstance(year, str):
        if not year.isdecimal():
            return None
        year = int(year)
    if year < 1:
        return None
    return found.first_day.year + year - 1


# --- full-width digits -------------------------------------------------------

#: ``text.translate(FULLWIDTH_DIGITS)``: ０-９ to 0-9 and nothing else, so
#: offsets hold.  Not NFKC, which would also fold letters, kana and ㈱.
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
