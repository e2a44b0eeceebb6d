"""Currency names in Japanese, from CLDR (through Babel), mapped to ISO 4217 codes.

The names come from the Unicode CLDR's Japanese locale data, which Babel
ships and keeps current: ``ベトナム ドン`` -> VND, written in running text
as ベトナムドン or ベトナム・ドン.  Only currencies some territory uses
today count (CLDR's territory data), so a retired name is not a unit.  A
currency's last word stands for it alone (ドン, バーツ, リンギット) when
no other current currency ends with that word.

Where the last word is shared (ドル, ルピー, ポンド, ペソ), Japanese usage
and the output contract (``../shared/bench/README.md``) pick one:
:data:`CONVENTIONS`, each with its reason.  So do the customary one-kanji
country abbreviations (米ドル, 豪ドル, 英ポンド) that CLDR does not list.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

#: Short forms whose currency Japanese usage decides, not CLDR.
CONVENTIONS: dict[str, str] = {
    "ドル": "USD",  # ドル alone is the US dollar, as $ alone is (contract: ドル -> USD)
    "円": "JPY",
    "元": "CNY",  # 元 alone is the renminbi's unit (contract: 元 -> CNY)
    "ルピー": "INR",  # the contract's reading; Pakistan's or Sri Lanka's are written with the country
    "ペソ": "PHP",  # the Asian economy newsletters' peso; others are written with the country
    "ポンド": "GBP",  # sterling; ポンド as a weight is not used in Japanese economic prose
    "ウォン": "KRW",  # the contract's reading; North Korea's is written with the country
    "ルーブル": "RUB",  # Russia's; Belarus's is written with the country
    "ユーロ": "EUR",
    "人民元": "CNY",
    "日本円": "JPY",
    # one-kanji or Latin country abbreviations before the currency
    "米ドル": "USD", "USドル": "USD", "米国ドル": "USD", "豪ドル": "AUD", "NZドル": "NZD",
    "Sドル": "SGD", "英ポンド": "GBP", "台湾ドル": "TWD", "新台湾ドル": "TWD", "台湾元": "TWD",
    "香港ドル": "HKD", "カナダドル": "CAD",
    # a transcription CLDR does not give
    "リンギ": "MYR", "キップ": "LAK",
}


@lru_cache(maxsize=1)
def current_codes(today: date | None = None) -> frozenset[str]:
    """ISO 4217 codes some territory uses as tender today, by CLDR's territory data."""
    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    when = today or date.today()
    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, start_date=when, tender=True))
    return frozenset(code for code in codes if not code.startswith("X"))  # X..: metals, funds, test codes


@lru_cache(maxsize=1)
def currency_names() -> dict[str, str]:
    """Every Japanese way of writing a current currency's name -> its ISO 4217 code.

    >>> names = currency_names()
    >>> names["ベトナムドン"], names["ドン"], names["タイ・バーツ"], names["ドル"]
    ('VND', 'VND', 'THB', 'USD')
    """
    names: dict[str, str] = {}
    spelt = _spellings()
    for code, words in spelt.items():
        for spelling in ("".join(words), "・".join(words)):
            names.setdefault(spelling, code)
    for code, words in spelt.items():
        if len(words) > 1 and not _shared(words[-1], code, spelt):
            names.setdefault(words[-1], code)
    names.update(CONVENTIONS)
    return names


@lru_cache(maxsize=1)
def shared_currency_words() -> frozenset[str]:
    """Last words that name several current currencies (ディナール, フラン) and no convention settles: units as written.

    >>> "フラン" in shared_currency_words(), "ドル" in shared_currency_words()
    (True, False)
    """
    spelt = _spellings()
    return frozenset(words[-1] for code, words in spelt.items() if len(words) > 1 and _shared(words[-1], code, spelt)) - set(CONVENTIONS)


@lru_cache(maxsize=1)
def _spellings() -> dict[str, list[str]]:
    """Each current currency's Japanese name (CLDR), as its words: VND -> [ベトナム, ドン]."""
    from babel import Locale

    japanese = Locale("ja").currencies
    return {code: japanese[code].split() for code in sorted(current_codes()) if japanese.get(code, code) != code}


def _shared(word: str, code: str, spelt: dict[str, list[str]]) -> bool:
    """Another current currency is called ``word`` too: its last word, or the end of a name written without a space (UAE's and Morocco's ディルハム)."""
    return any(other != code and (w[-1] == word or (len(w) == 1 and w[0].endswith(word))) for other, w in spelt.items())


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """Japanese names of countries and territories (CLDR), without the bracketed variants (ミャンマー (ビルマ) -> ミャンマー).

    >>> {"ベトナム", "東ティモール", "ミャンマー"} <= country_names()
    True
    """
    from babel import Locale

    names = set()
    for code, name in Locale("ja").territories.items():
        if code.isalpha() and len(code) == 2 and code not in ("EU", "EZ", "UN", "QO", "ZZ"):
            names.add(name.split(" (")[0].strip())
    return frozenset(names)
