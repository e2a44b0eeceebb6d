"""Kangxi radicals and CJK radical supplements back to the kanji a Japanese font draws.

Broken font maps send kanji to the radical code points that look the same
(⽇ U+2F47 for 日, ⻑ U+2ED1 for 長).  Blanket NFKC would fix those but also
rewrite ①, ㈱, full-width forms and the compatibility ideographs people use
in names, so the fold is limited to the two radical blocks.

Each radical starts from the Unicode ``Equivalent_Unified_Ideograph`` property
(EquivalentUnifiedIdeograph.txt, Unicode Character Database, Unicode License
v3).  For the Kangxi block that property agrees with each code point's own
compatibility decomposition, so it is read from :mod:`unicodedata`; the
supplement block has no decompositions and its values are listed here.

That property sometimes names a form Japanese does not use: ⼾ U+2F3E is
戶 U+6236, but Japanese text and fonts have 戸 U+6238 (神戸, not 神戶).  So
where the property's ideograph is outside JIS X 0208 and a form of the same
character is inside it, the JIS X 0208 form wins (the table and how it was
derived are in :mod:`pipeline.repair.radical_variants`).  Radicals whose
ideograph is already in JIS X 0208 fold exactly as the property says.
:func:`ideograph_candidates` lists every candidate, preferred first, for a
later step that can ask the PDF's font which outline it actually drew.

>>> fold_radicals("神⼾")
'神戸'
>>> fold_radicals("⽇本の⻑期計画")
'日本の長期計画'
>>> fold_radicals("①㈱")
'①㈱'
"""

from __future__ import annotations

import unicodedata

from pipeline.repair.radical_variants import CANDIDATES

KANGXI_BLOCK = range(0x2F00, 0x2FE0)
SUPPLEMENT_BLOCK = range(0x2E80, 0x2F00)

# Equivalent_Unified_Ideograph for U+2E80..U+2EF3, from EquivalentUnifiedIdeograph.txt of Unicode
# 17.0.0 (github.com/unicode-org/unicodetools, unicodetools/data/ucd/17.0.0/, commit
# 48afe632bf194a20bcd27c3488b49dc23274b684, sha256 38619c05a17e...3eb0f4320).  Eight older entries
# differ from that file and are kept as they were; for three of them the IPAex fonts draw the
# radical with the glyph of the kanji kept here, not of Unicode's (U+2E97 㣺, U+2EAB 罒, U+2ECF 阝).
# Unicode's values: U+2E80 none, U+2E95 U+2B739, U+2E97 U+5FC3, U+2EAB U+76EE, U+2EB4 U+5197,
# U+2EBC U+8089, U+2EBD U+26951, U+2ECF U+9091.
_SUPPLEMENT = {
    0x2E80: 0x51AB, 0x2E81: 0x5382, 0x2E82: 0x4E5B, 0x2E83: 0x4E5A, 0x2E84: 0x4E59,
    0x2E85: 0x4EBB, 0x2E86: 0x5182, 0x2E87: 0x20628, 0x2E88: 0x5200, 0x2E89: 0x5202,
    0x2E8A: 0x535C, 0x2E8B: 0x353E, 0x2E8C: 0x5C0F, 0x2E8D: 0x5C0F, 0x2E8E: 0x5140,
    0x2E8F: 0x5C23, 0x2E90: 0x5C22, 0x2E91: 0x21BC2, 0x2E92: 0x5DF3, 0x2E93: 0x5E7A,
    0x2E94: 0x5F51, 0x2E95: 0x5F50, 0x2E96: 0x5FC4, 0x2E97: 0x38FA, 0x2E98: 0x624C,
    0x2E99: 0x6535, 0x2E9B: 0x65E1, 0x2E9C: 0x65E5, 0x2E9D: 0x6708, 0x2E9E: 0x6B7A,
    0x2E9F: 0x6BCD, 0x2EA0: 0x6C11, 0x2EA1: 0x6C35, 0x2EA2: 0x6C3A, 0x2EA3: 0x706C,
    0x2EA4: 0x722B, 0x2EA5: 0x722B, 0x2EA6: 0x4E2C, 0x2EA7: 0x725B, 0x2EA8: 0x72AD,
    0x2EA9: 0x738B, 0x2EAA: 0x24D14, 0x2EAB: 0x7F52, 0x2EAC: 0x793A, 0x2EAD: 0x793B,
    0x2EAE: 0x25AD7, 0x2EAF: 0x7CF9, 0x2EB0: 0x7E9F, 0x2EB1: 0x7F53, 0x2EB2: 0x7F52,
    0x2EB3: 0x34C1, 0x2EB4: 0x34C1, 0x2EB5: 0x2626B, 0x2EB6: 0x7F8A, 0x2EB7: 0x2634C,
    0x2EB8: 0x2634B, 0x2EB9: 0x8002, 0x2EBA: 0x8080, 0x2EBB: 0x807F, 0x2EBC: 0x6708,
    0x2EBD: 0x81FC, 0x2EBE: 0x8279, 0x2EBF: 0x8279, 0x2EC0: 0x8279, 0x2EC1: 0x864E,
    0x2EC2: 0x8864, 0x2EC3: 0x8980, 0x2EC4: 0x897F, 0x2EC5: 0x89C1, 0x2EC6: 0x89D2,
    0x2EC7: 0x278B2, 0x2EC8: 0x8BA0, 0x2EC9: 0x8D1D, 0x2ECA: 0x27FB7, 0x2ECB: 0x8F66,
    0x2ECC: 0x8FB6, 0x2ECD: 0x8FB6, 0x2ECE: 0x8FB6, 0x2ECF: 0x961D, 0x2ED0: 0x9485,
    0x2ED1: 0x9577, 0x2ED2: 0x9578, 0x2ED3: 0x957F, 0x2ED4: 0x95E8, 0x2ED5: 0x28E0F,
    0x2ED6: 0x961D, 0x2ED7: 0x96E8, 0x2ED8: 0x9752, 0x2ED9: 0x97E6, 0x2EDA: 0x9875,
    0x2EDB: 0x98CE, 0x2EDC: 0x98DE, 0x2EDD: 0x98DF, 0x2EDE: 0x2967F, 0x2EDF: 0x98E0,
    0x2EE0: 0x9963, 0x2EE1: 0x29810, 0x2EE2: 0x9A6C, 0x2EE3: 0x9AA8, 0x2EE4: 0x9B3C,
    0x2EE5: 0x9C7C, 0x2EE6: 0x9E1F, 0x2EE7: 0x5364, 0x2EE8: 0x9EA6, 0x2EE9: 0x9EC4,
    0x2EEA: 0x9EFE, 0x2EEB: 0x6589, 0x2EEC: 0x9F50, 0x2EED: 0x6B6F, 0x2EEE: 0x9F7F,
    0x2EEF: 0x7ADC, 0x2EF0: 0x9F99, 0x2EF1: 0x9F9C, 0x2EF2: 0x4E80, 0x2EF3: 0x9F9F,
}


def in_jis_x_0208(char: str) -> bool:
    """Whether Japanese text and fonts have the character: JIS X 0208 (or ASCII, JIS X 0201 Roman).

    The ``iso2022_jp`` codec encodes exactly those sets.

    >>> in_jis_x_0208("戸"), in_jis_x_0208("戶")
    (True, False)
    """
    try:
        char.encode("iso2022_jp")
    except UnicodeEncodeError:
        return False
    return True


def _equivalent_table() -> dict[int, str]:
    table = {cp: chr(target) for cp, target in _SUPPLEMENT.items()}
    for cp in KANGXI_BLOCK:
        folded = unicodedata.normalize("NFKC", chr(cp))
        if folded != chr(cp) and len(folded) == 1:
            table[cp] = folded
    return table


# The Equivalent_Unified_Ideograph of each radical (before the JIS X 0208 preference).
EQUIVALENT_IDEOGRAPH: dict[int, str] = _equivalent_table()

RADICAL_TO_IDEOGRAPH: dict[int, str] = {
    cp: CANDIDATES[cp][0] if cp in CANDIDATES else ideograph for cp, ideograph in EQUIVALENT_IDEOGRAPH.items()
}


def unified_ideograph(char: str) -> str | None:
    """The kanji a radical code point stands for, in its Japanese form, or ``None`` if it is not one.

    >>> unified_ideograph("⾭"), unified_ideograph("⽇"), unified_ideograph("日")
    ('青', '日', None)
    """
    return RADICAL_TO_IDEOGRAPH.get(ord(char)) if len(char) == 1 else None


def ideograph_candidates(char: str) -> list[str]:
    """Every kanji a radical code point may stand for, preferred first; empty if it is not one.

    >>> ideograph_candidates("⼾")
    ['戸', '戶', '户']
    >>> ideograph_candidates("⽇"), ideograph_candidates("日")
    (['日'], [])
    """
    if len(char) != 1 or ord(char) not in RADICAL_TO_IDEOGRAPH:
        return []
    return list(CANDIDATES.get(ord(char), RADICAL_TO_IDEOGRAPH[ord(char)]))


def fold_radicals(text: str) -> str:
    """Replace radical code points by their preferred kanji, nothing else."""
    return text.translate(RADICAL_TO_IDEOGRAPH)
