"""Quantities in Japanese text: value, unit and qualifier, with offsets.

Rules (they follow the bench README, "Figures (NUM)"):

* ``value`` is the plain number after 万/億/兆, kanji numerals and
  full-width digits; 割 becomes percent (約8割 → 80 %).
* ``unit`` is normalised: ``%``, ``t`` or ``t-CO2`` (tonnes of CO2 when the
  tonnes are "of CO2" or follow emission words in the same clause), ``TEU``,
  ``kW`` … ``GWh``, ``km`` ``m`` ``m3``; currencies as ISO 4217 codes; counters
  as written with variants folded (ヵ国 → 国, 企業 → 社, 10年間 → 年).  A bare
  number or つ takes the counted noun: ``436の工業団地`` → 工業団地, ``三つの柱``
  → 柱, ``10大コンテナ港のうち６つ`` → 港 (the unit of the figure it is a part
  of), ``Xの柱は…の三つである`` → 柱 (the topic); else ``つ``.
* ``surface`` is the number with its unit and the adjacent markers (約, 最大,
  余り, 以上 …); the markers also go to ``qualifier``.
* A range ``約35～40％`` gives two figures linked by ``range_partner``; the
  first end takes the unit (and a 万/億 scale: ``3～5万人`` → 30000) of the
  second.
* 十数カ国, 数百社, 30数名: the magnitude as a lower bound (10, 100, 30)
  with the qualifier ``以上`` — the text gives no better number.
* Durations are figures: 10年間 → 10 年, 1年半 → 1.5 年, and the digitless
  半年 / 半月 / 半日 / 半世紀 / 四半世紀 (0.5 年 … 25 年).
* A fraction 3分の1 is one figure, value 1/3, no unit.
* Tonnes: ``t-CO2`` when "of CO2" follows (トンのCO2, トンの二酸化炭素換算)
  or an emission word (排出, CO2, 温室効果ガス, クレジット …) comes earlier
  in the clause and no waste word does; ``t`` when another noun follows
  (1トンの電解アルミニウム) or nothing points to CO2.
* Kanji-only numerals count only before a counter (三つ, 五十社, 十年間) and
  not inside a word (一方, 十分, 四国, 九州, 二国間); a lone 一 only before a
  duration (一年間), as 一つ/一人/一社 are mostly idioms.
* Latin letters run into a number (COP26, PM2.5, EV3.5) make it a name,
  unless a unit follows (ASEAN10カ国, EV100万台).
* Not figures: dates and their parts, decades, centuries, clock times
  (see :func:`pipeline.pull.dates.temporal_spans`); ordinals and identifiers
  (第26回, 3年目, 1年生, 58号, 別添6, COP26, 135/2024/ND-CP, 30@30); list
  and footnote markers (①, ※1, 注1); numbers inside quoted titles (「…」 or
  『…』 that hold no 。 and are not followed by と+verb of saying, so quoted
  speech keeps its figures); the denominator of a rate (1トン当たり); URLs,
  e-mail addresses, phone numbers; numbers with no unit and no counted noun.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from pipeline.japanese import ERA_NAMES
from pipeline.currencies import currency_names, shared_currency_words
from pipeline.pull.dates import temporal_spans
from pipeline.pull.lexicon import begins_longer_word
from pipeline.pull.mentions import FigureMention
from pipeline.pull.numerals import find_numbers, to_ascii_digits

__all__ = ["find_figures"]

# --- units -------------------------------------------------------------------

# ISO 4217 code -> its Japanese spellings, from CLDR (:mod:`pipeline.currencies`).
_CURRENCIES: dict[str, list[str]] = {}
for _name, _code in sorted(currency_names().items()):
    _CURRENCIES.setdefault(_code, []).append(_name)
_PREFIX_CURRENCIES = {"US$": "USD", "S$": "SGD", "A$": "AUD", "NT$": "TWD", "HK$": "HKD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "￥": "JPY"}

_MEASURES = {
    "%": ["％", "%", "パーセント"],
    "ポイント": ["ポイント"],
    "t-CO2": ["t-CO2e", "t-CO2", "tCO2e", "tCO2", "トンCO2", "トン-CO2", "トンCO2e", "t-CO₂", "トンCO₂", "t-ＣＯ2", "トンＣＯ2"],
    "t": ["トン", "t"],
    "TEU": ["TEU"],
    "kWh": ["kWh", "キロワット時"],
    "MWh": ["MWh", "メガワット時"],
    "GWh": ["GWh", "ギガワット時"],
    "TWh": ["TWh", "テラワット時"],
    "kW": ["kW", "キロワット"],
    "MW": ["MW", "メガワット"],
    "GW": ["GW", "ギガワット"],
    "TW": ["TW", "テラワット"],
    "W": ["ワット"],
    "kV": ["kV", "キロボルト"],
    "km2": ["km2", "km²", "㎢", "平方キロメートル", "平方キロ"],
    "km": ["km", "㎞", "キロメートル"],
    "m3": ["m3", "m³", "㎥", "立方メートル"],
    "m2": ["m2", "m²", "㎡", "平方メートル"],
    "m": ["m", "メートル"],
    "cm": ["cm", "センチメートル"],
    "mm": ["mm", "ミリメートル"],
    "ha": ["ha", "ヘクタール"],
    "kg": ["kg", "キログラム"],
    "kL": ["kL", "キロリットル"],
    "L": ["リットル"],
    "バレル": ["バレル"],
    "℃": ["℃", "°C"],
}
# Counters are kept as written; only spelling variants are folded.
_COUNTERS = {
    "国": ["カ国", "ヵ国", "ヶ国", "か国", "ケ国", "箇国", "ｹ国", "国"],
    "カ所": ["カ所", "ヵ所", "ヶ所", "か所", "箇所", "ケ所"],
    "カ月": ["カ月間", "ヵ月間", "ヶ月間", "か月間", "ケ月間", "箇月間", "カ月", "ヵ月", "ヶ月", "か月", "ケ月", "箇月"],
    "年": ["年間", "年"],
    "日": ["日間", "日"],
    "週": ["週間", "週"],
    "時間": ["時間"],
    "分": ["分間", "分"],
    "秒": ["秒間", "秒"],
    "社": ["社", "企業", "事業者", "会社"],
    "倍": ["倍"],
}
_AS_WRITTEN = (
    "件 台 人 名 列車 回 基 品目 業種 地域 種類 点 項目 分野 隻 機 棟 戸 世帯 店舗 店 工場 拠点 校 都市 港 便 路線 "
    "本 個 枚 冊 頭 匹 羽 団体 機関 議席 席 票 歳 銘柄 案件 施設 州 省 県 市場 市 村 町 品 段階 部門 期 大学 "
    "発電所 病院 空港 事業 プロジェクト 度 桁 トン当たり"
).split()

# キロ alone is a clipped キロメートル or キログラム; which one, the words around say (:func:`_kilo_unit`).
_SPECIAL = {"割": "割", "つ": "つ", "キロ": "キロ"}
# Distance: 東京から, 首都の北, 沖, 全長/延長/距離 before; 離れた, 先, 圏, 地点, 区間 after.
_KILO_DISTANCE_BEFORE = re.compile(r"(?:から|より|沖|北|南|東|西|方|全長|延長|総延長|距離|半径|直線)[^。、]{0,3}$")
_KILO_DISTANCE_AFTER = re.compile(r"\s*(?:[^。、]{0,2})(?:離れ|先|圏|地点|区間|沖|以内|四方|走行|走|の(?:距離|道|道路|路線|鉄道|区間|線|沖|地点|所))")
_KILO_WEIGHT_BEFORE = re.compile(r"(?:重さ|重量|体重|目方)[^。、]{0,3}$")
_KILO_WEIGHT_AFTER = re.compile(r"\s*(?:の)?(?:重さ|重量|体重)")


def _unit_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for groups in (_CURRENCIES, _MEASURES, _COUNTERS):
        for canonical, variants in groups.items():
            for variant in variants:
                table.setdefault(variant, canonical)
    for word in (*_AS_WRITTEN, *sorted(shared_currency_words())):
        table.setdefault(word, word)
    table.update(_SPECIAL)
    del table["トン当たり"]
    return table


_UNIT_OF = _unit_table()
_LATIN_UNIT = re.compile(r"[A-Za-z]")
# Longest first, so that 米ドル wins over ドル and kWh over kW.  A Latin unit
# must not run on into more letters (5G, 3D are names, not 5 g).
_UNIT = re.compile(
    "|".join(
        re.escape(u) + (r"(?![A-Za-z])" if _LATIN_UNIT.search(u[-1]) else "") + (r"(?![一-龥])" if u == "元" else "")
        for u in sorted(_UNIT_OF, key=len, reverse=True)
    )
)
# Counters a kanji numeral may take: 三つ, 五カ国, 十年間 are quantities;
# 四国, 九州, 十分, 一時 are words.
_KANJI_COUNTERS = set(
    "つ 割 人 名 社 企業 事業者 件 台 倍 回 基 年 年間 日間 週間 時間 種類 業種 品目 分野 項目 段階 "
    "カ国 ヵ国 ヶ国 か国 ケ国 箇国 カ所 ヵ所 ヶ所 か所 箇所 カ月 ヵ月 ヶ月 か月 ケ月 カ月間 ヵ月間 ヶ月間 か月間".split()
) | {u for vs in _CURRENCIES.values() for u in vs} | {"％", "%", "パーセント", "トン"}
_KANJI_ONE_COUNTERS = set("年間 日間 週間 時間 カ月間 ヵ月間 ヶ月間 か月間 カ月 ヵ月 ヶ月 か月".split())
_PREFIX_SYMBOLS = sorted(_PREFIX_CURRENCIES, key=len, reverse=True)
_TIME_UNITS = {"年", "カ月", "週", "日", "時間", "分", "秒"}

# --- context -----------------------------------------------------------------

_NOUN = r"[一-龥々〆ヵヶァ-ヴー]+"
_PREFIX_QUALIFIER = re.compile(r"(?:約|およそ|最大|最小|最高|最低|最長|最短|少なくとも|推定|概ね|ほぼ)[ \u3000]?$")
# between the number and its unit: 150余りの国, 30数名 (thirty-odd: at least 30)
_INNER_QUALIFIER = re.compile(r"余り|あまり|余(?![一-龥])|(?<=0)数(?=[一-龥ァ-ヴ])")
_SUFFIX_QUALIFIER = re.compile(r"以上|以下|未満|超え|超|強|弱|余り|あまり|余|程度|前後|近く|ほど|くらい|ぐらい")
_RANGE_DASH = re.compile(r"\s*[～〜~]\s*")
_NEGATIVE = re.compile(r"(?:マイナス|▲|△|−|－)$")
_APPROXIMATE = re.compile(r"(?<![一-龥])(?:十数|数(?:十|百|千))(?P<scale>万|億|兆)?|(?<![一-龥])数(?P<scale_only>万|億|兆)")
# 半 after a time unit is a half (1年半) unless it begins a word (半ば, 半導体): :func:`_is_alone`.
# Durations written with 半 and no digit: 半年 is half a year as surely as 0.5年.
_HALF_WORD = re.compile(r"(?<![上下前後大])(?:四半世紀|半世紀|半年|半月|半日)(?:間)?")
_HALF_WORD_VALUE = {"四半世紀": (25.0, "年"), "半世紀": (50.0, "年"), "半年": (0.5, "年"), "半月": (0.5, "カ月"), "半日": (0.5, "日")}
# after a counter: 3年目, 2回目, 5番目 are ordinals (but in 1.5℃目標 目 begins a word: :func:`_is_alone`)
_IDENTIFIER_AFTER = re.compile(r"番目")
_DENOMINATOR_AFTER = re.compile(r"当たり|あたり|当り")
_LIST_OR_NOTE_BEFORE = re.compile(rf"(?:第|※|注|\*|＊|#|＃|No\.|№|{ERA_NAMES})\s*$")
_NAME_BEFORE = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ][A-Za-zＡ-Ｚａ-ｚ0-9.]*[ \-]?$")
_JOINED_BEFORE = re.compile(r"(?:[/@／＠]|[0-9A-Za-z]-|[A-Za-z]\.)$")
_JOINED_AFTER = re.compile(r"[/@／＠]|-[0-9A-Za-z]")
_KATAKANA_BEFORE = re.compile(r"[ァ-ヴ]$")
_KANJI_BEFORE = re.compile(r"[一-龥々ァ-ヴー]$")
_URL = re.compile(r"https?://[!-~]+|www\.[!-~]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<![0-9])0[0-9]{1,4}-[0-9]{1,4}-[0-9]{3,4}(?![0-9])|\+[0-9]{1,3}[- ][0-9][0-9 -]{6,}")
_QUOTE_MARK = re.compile(r"[「」『』]")
_SPEECH_AFTER = re.compile(
    r"と(?:述べ|語|話|強調|指摘|説明|発表|明らか|し|い[うい]|言|記|要請|表明|説|主張|訴え|呼びかけ|答え|期待|意欲|述|コメント|の)"
)
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_OF_NOUN = re.compile(rf"の({_NOUN})")
_EACH_OF = re.compile(r"(?:のうち|うち)の?\s*$")
_TOPIC = re.compile(rf"({_NOUN})は")
_COPULA_AFTER = re.compile(r"で(?:ある|あり|す)|だ|となる|となって|に(?:絞|集約|分類|大別)")
_BIG_PREFIX_NOUN = re.compile(rf"大({_NOUN})")
_CONJUNCTION_END = re.compile(r"(?:及|並|又|等)$")  # 地域及(び) → 地域
_TRAILING_KANJI = re.compile(r"[一-龥々]+$")
_CO2_AFTER = re.compile(r"(?:分)?の?(?:CO2|ＣＯ2|CO₂|二酸化炭素|炭素|温室効果ガス|GHG)")
_GOOD_AFTER = re.compile(rf"の{_NOUN}")
_EMISSION_WORDS = re.compile(r"CO2|ＣＯ2|CO₂|二酸化炭素|温室効果ガス|GHG|炭素|排出|クレジット|カーボン")
_WASTE_WORDS = re.compile(r"廃棄物|ごみ|ゴミ|汚泥|廃プラ|排水|排ガス")
_YEAR_NOT_DURATION_AFTER = re.compile(r"度|生")
_DIGIT_END = re.compile(r"[0-9]$")
_REFERENCE_BEFORE = re.compile(
    r"(?:別添|別紙|別表|様式|図表|図|表|資料|参考|付録|附則|添付|番号|国道|県道|ステップ|フェーズ|レベル|バージョン|版)\s*$"
)
_FRACTION = re.compile(r"分の")
_DAY_DATE_AFTER = re.compile(r"付|発|電(?![力気池源])")
_BILATERAL = re.compile(r"間")


@dataclass
class _Figure:
    start: int
    end: int
    value: float
    unit: str | None
    qualifiers: list[str] = field(default_factory=list)
    number_start: int = 0
    number_end: int = 0
    pending_range: bool = False  # a bare number waiting for the unit after ～
    factor: float = 1.0  # 10 for 割
    scale: float = 1.0  # the 万/億/兆 of the number, for 3～5万
    partner: "_Figure | None" = None
    rule: str = ""  # which rule gave the unit (the figures table's ``rule``)


def _is_alone(text: str, pos: int, character: str) -> bool:
    """``character`` is at ``pos`` and is a word of its own there, not the start of one (目標, 半導体)."""
    return text.startswith(character, pos) and not begins_longer_word(text, pos)


def _unit_rule(canonical: str) -> str:
    """The rule a unit found in the unit tables comes under: where the table says it is from."""
    if canonical in _CURRENCIES:
        return "unit-currency"
    if canonical in _MEASURES:
        return "unit-measure"
    if canonical in _COUNTERS:
        return "unit-counter"
    return "unit-as-written"


class _Number(NamedTuple):
    start: int
    end: int
    value: float
    kanji_only: bool  # no digit: 三, 十数 — trusted only before a counter
    scale: float  # the 万/億/兆 the numeral ends with, for 3～5万
    approximate: bool = False  # 十数, 数百: a lower bound


_MAGNITUDE = {"十": 10.0, "百": 100.0, "千": 1000.0}
_SCALE = {"万": 1e4, "萬": 1e4, "億": 1e8, "兆": 1e12}


def _numbers(text: str, ascii_text: str) -> list[_Number]:
    """Every numeral, plus 十数/数百 forms, in text order."""
    approximate = [
        _Number(
            m.start(),
            m.end(),
            (10.0 if m.group().startswith("十数") else _MAGNITUDE.get(m.group()[1:2], 1.0)) * _SCALE.get(m.group("scale") or m.group("scale_only") or "", 1.0),
            True,
            _SCALE.get(m.group("scale") or m.group("scale_only") or "", 1.0),
            True,
        )
        for m in _APPROXIMATE.finditer(ascii_text)
    ]
    starts = [a.start for a in approximate]
    numbers = list(approximate)
    for n in find_numbers(text):
        i = bisect.bisect_right(starts, n.start) - 1
        if i >= 0 and approximate[i].start <= n.start < approximate[i].end:
            continue  # the 十 of 十数
        kanji_only = not any(c.isdigit() for c in ascii_text[n.start:n.end])
        scale = _SCALE.get(n.surface[-1], 1.0)
        numbers.append(_Number(n.start, n.end, n.value, kanji_only, scale))
    return sorted(numbers)


def _fold_noun(noun: str) -> str:
    """The counter a counted noun stands for: 大排出企業 → 社, 加盟国 → 国."""
    noun = _CONJUNCTION_END.sub("", noun) or noun
    for suffix, unit in (("企業", "社"), ("事業者", "社"), ("会社", "社"), ("カ国", "国"), ("ヵ国", "国"), ("ヶ国", "国")):
        if noun.endswith(suffix):
            return unit
    if noun.endswith("国"):
        return "国"
    if noun.endswith(("ヵ所", "ヶ所", "箇所")):
        return "カ所"
    return noun


def _blocked(text: str, ascii_text: str) -> bytearray:
    """1 where a number is not a quantity: dates, titles, URLs, phone numbers."""
    mask = bytearray(len(text))

    def block(start: int, end: int) -> None:
        mask[start:end] = b"\x01" * (end - start)

    for start, end in temporal_spans(text):
        block(start, end)
    for pattern in (_URL, _PHONE):
        for m in pattern.finditer(ascii_text):
            block(*m.span())
    stack: list[tuple[str, int]] = []
    for m in _QUOTE_MARK.finditer(text):
        mark = m.group()
        if mark in "「『":
            stack.append((mark, m.start()))
            continue
        opener = "「" if mark == "」" else "『"
        while stack and stack[-1][0] != opener:
            stack.pop()  # an unclosed quote inside: forget it
        if not stack:
            continue
        _, start = stack.pop()
        inner = text[start + 1:m.start()]
        is_speech = "。" in inner or _SPEECH_AFTER.match(text, m.end())
        if not is_speech:
            block(start, m.end())
    return mask


def _sentence_start(position: int, starts: list[int]) -> int:
    return starts[bisect.bisect_right(starts, position) - 1]


def find_figures(text: str) -> list[FigureMention]:
    """Every quantity in ``text``, in order, with offsets into ``text``.

    >>> [(m.surface, m.value, m.unit) for m in find_figures("約1兆2000億ウォンと約8割")]
    [('約1兆2000億ウォン', 1200000000000.0, 'KRW'), ('約8割', 80.0, '%')]
    """
    ascii_text = to_ascii_digits(text)
    mask = _blocked(text, ascii_text)
    sentence_starts = [0] + [m.end() for m in _SENTENCE_END.finditer(ascii_text)]

    numbers = _numbers(text, ascii_text)
    figures: list[_Figure] = []
    consumed_until = -1
    for i, number in enumerate(numbers):
        if number.start < consumed_until or any(mask[number.start:number.end]):
            continue
        following = numbers[i + 1] if i + 1 < len(numbers) else None
        if following is not None and following.start == number.end + 2 and _FRACTION.match(ascii_text, number.end):
            figure = _read_fraction(ascii_text, number, following)
            consumed_until = following.end
        else:
            figure = _read(ascii_text, number, figures, sentence_starts)
        if figure is not None:
            figure.scale = number.scale
            figures.append(figure)

    for m in _HALF_WORD.finditer(ascii_text):
        if not any(mask[m.start():m.end()]):
            figure = _read_half_word(ascii_text, m)
            if figure is not None:
                figures.append(figure)
    figures.sort(key=lambda f: f.start)

    figures = _link_ranges(ascii_text, figures)
    index = {id(f): i for i, f in enumerate(figures)}
    return [
        FigureMention(
            surface=text[f.start:f.end],
            value=f.value,
            unit=f.unit,
            qualifier="・".join(dict.fromkeys(f.qualifiers)) or None,
            char_start=f.start,
            char_end=f.end,
            range_partner=index.get(id(f.partner)) if f.partner is not None else None,
            rule=f.rule or "unit-as-written",
        )
        for f in figures
    ]


def _kilo_unit(ascii_text: str, start: int, after: int) -> str:
    """``km`` or ``kg`` for a bare キロ, from the words around it; ``キロ`` as written when they do not say.

    >>> _kilo_unit("首都から約110キロの地点", 4, 10), _kilo_unit("重さ5キロの袋", 2, 5), _kilo_unit("5キロ増えた", 0, 3)
    ('km', 'kg', 'キロ')
    """
    before = ascii_text[max(0, start - 8):start]
    if _KILO_WEIGHT_BEFORE.search(before) or _KILO_WEIGHT_AFTER.match(ascii_text, after):
        return "kg"
    if _KILO_DISTANCE_BEFORE.search(before) or _KILO_DISTANCE_AFTER.match(ascii_text, after):
        return "km"
    return "キロ"


def _prefix(ascii_text: str, start: int, end: int, kanji_only: bool):
    """(surface start, qualifiers, sign, prefix currency, named), or ``None`` for no quantity.

    ``named``: Latin letters run into the number (COP26, EV 3.5, ASEAN10カ国);
    it is a quantity only if a unit follows.
    """
    before = ascii_text[max(0, start - 12):start]
    if _LIST_OR_NOTE_BEFORE.search(before) or _JOINED_BEFORE.search(before) or _JOINED_AFTER.match(ascii_text, end):
        return None  # 第26回, ※1, 135/2024, 30@30, 03-1234
    symbol = next((s for s in _PREFIX_SYMBOLS if before.endswith(s)), None)
    named = symbol is None and bool(_NAME_BEFORE.search(before))
    surface_start = start - len(symbol or "")
    qualifiers: list[str] = []
    while m := _PREFIX_QUALIFIER.search(ascii_text, max(0, surface_start - 5), surface_start):
        qualifiers.insert(0, m.group().strip())
        surface_start = m.start()
    sign = 1.0
    negative = _NEGATIVE.search(ascii_text, max(0, surface_start - 4), surface_start)
    if negative and not _DIGIT_END.search(ascii_text, max(0, negative.start() - 1), negative.start()):
        sign, surface_start = -1.0, negative.start()
    if kanji_only and _KANJI_BEFORE.search(ascii_text, max(0, surface_start - 1), surface_start):
        return None  # 統一, 唯一, 九州 …: a kanji numeral inside a word
    return surface_start, qualifiers, sign, _PREFIX_CURRENCIES.get(symbol or ""), named


def _read_half_word(ascii_text: str, m: re.Match) -> _Figure | None:
    """半年 → 0.5 年, 四半世紀 → 25 年."""
    prefix = _prefix(ascii_text, m.start(), m.end(), kanji_only=False)
    if prefix is None:
        return None
    surface_start, qualifiers, _, _, _ = prefix
    value, unit = _HALF_WORD_VALUE[m.group().removesuffix("間")]
    figure = _Figure(surface_start, m.end(), value, unit, qualifiers, m.start(), m.end())
    suffix = _SUFFIX_QUALIFIER.match(ascii_text, figure.end)
    if suffix:
        qualifiers.append(suffix.group())
        figure.end = suffix.end()
    return figure


def _read_fraction(ascii_text: str, denominator: _Number, numerator: _Number) -> _Figure | None:
    """3分の1 → 1/3 with no unit: a share of a whole."""
    prefix = _prefix(ascii_text, denominator.start, numerator.end, denominator.kanji_only and numerator.kanji_only)
    if prefix is None or denominator.value == 0:
        return None
    surface_start, qualifiers, sign, _, named = prefix
    if named:
        return None
    value = sign * numerator.value / denominator.value
    figure = _Figure(surface_start, numerator.end, value, None, qualifiers, denominator.start, numerator.end)
    suffix = _SUFFIX_QUALIFIER.match(ascii_text, figure.end)
    if suffix:
        qualifiers.append(suffix.group())
        figure.end = suffix.end()
    return figure


def _read(ascii_text: str, number: _Number, figures: list[_Figure], sentence_starts: list[int]) -> _Figure | None:
    """One number with what surrounds it, or ``None`` when it is no quantity."""
    start, end, value, kanji_only = number.start, number.end, number.value, number.kanji_only
    prefix = _prefix(ascii_text, start, end, kanji_only)
    if prefix is None:
        return None
    surface_start, qualifiers, sign, prefix_currency, named = prefix
    value *= sign
    if number.approximate:
        qualifiers.append("以上")

    pos = end
    inner = _INNER_QUALIFIER.match(ascii_text, pos)
    if inner:
        qualifiers.append("以上" if inner.group() == "数" else inner.group())
        pos = inner.end()
    unit_match = None if prefix_currency else _UNIT.match(ascii_text, pos)
    if named and (unit_match is None or unit_match.group() == "つ"):
        return None  # COP26, PM2.5, Scope3; but ASEAN10カ国, EV100万台 are counts
    figure = _Figure(surface_start, pos, value, prefix_currency, qualifiers, start, end, rule="currency-symbol" if prefix_currency else "")

    if unit_match:
        written = unit_match.group()
        unit = _UNIT_OF[written]
        figure.rule = _unit_rule(unit)
        after = unit_match.end()
        if kanji_only and (written not in _KANJI_COUNTERS or (abs(value) == 1 and written not in _KANJI_ONE_COUNTERS)):
            return None  # 十分, 一時, 四国: words, not quantities
        if _is_alone(ascii_text, after, "目") or _IDENTIFIER_AFTER.match(ascii_text, after) or _DENOMINATOR_AFTER.match(ascii_text, after):
            return None  # 3年目, 2回目: ordinals; 1トン当たり: a rate's denominator
        if unit == "年" and (abs(value) >= 1000 and written == "年" or _YEAR_NOT_DURATION_AFTER.match(ascii_text, after)):
            return None  # a year; 21年度 (a fiscal year); 1年生 (a school grade)
        if unit == "日" and written == "日" and _DAY_DATE_AFTER.match(ascii_text, after):
            return None  # 18日付, 9日電: a day of a month
        if unit == "国" and _BILATERAL.match(ascii_text, after):
            return None  # 二国間 (bilateral) is an adjective
        if unit == "割":
            value, unit = value * 10, "%"
            figure.factor = 10.0
            figure.rule = "wari-as-percent"
        elif unit == "t":
            unit = _tonne_unit(ascii_text, start, after, sentence_starts)
            figure.rule = "tonne-by-context"
        elif unit == "つ":
            unit, figure.rule = _counted_noun(ascii_text, surface_start, after, figures, sentence_starts)
        elif unit == "キロ":
            unit = _kilo_unit(ascii_text, surface_start, after)
            figure.rule = "kilo-by-context"
        if unit in _TIME_UNITS and _is_alone(ascii_text, after, "半"):
            value += 0.5 if value >= 0 else -0.5  # 1年半, 1時間半
            after += 1
        figure.value, figure.unit, figure.end = value, unit, after
    elif prefix_currency is None:
        big = _BIG_PREFIX_NOUN.match(ascii_text, pos)
        if big and not begins_longer_word(ascii_text, pos):  # 10大学, 3大都市圏: 大 begins a word
            # 10大コンテナ港 → 10 港, 5大目標 → 5 目標: the head noun is the counter
            trailing = _TRAILING_KANJI.search(big.group(1))
            figure.unit = _fold_noun(trailing.group() if trailing else big.group(1))
            figure.end = pos + 1
            figure.rule = "big-prefix-noun"
            return figure
        if kanji_only or _KATAKANA_BEFORE.search(ascii_text, max(0, surface_start - 1), surface_start):
            return None  # フェーズ2
        if _REFERENCE_BEFORE.search(ascii_text, max(0, surface_start - 6), surface_start):
            return None  # 別添6, 図1, 様式23: references, not counts

    suffix = _SUFFIX_QUALIFIER.match(ascii_text, figure.end)
    if suffix:
        qualifiers.append(suffix.group())
        figure.end = suffix.end()

    if figure.unit is None:
        if _RANGE_DASH.match(ascii_text, figure.end):
            figure.pending_range = True
            return figure
        counted = _OF_NOUN.match(ascii_text, figure.end)
        if counted is None:
            return None
        figure.unit = _fold_noun(counted.group(1))
        figure.rule = "number-of-noun"
    return figure


def _tonne_unit(ascii_text: str, number_start: int, unit_end: int, sentence_starts: list[int]) -> str:
    """``t-CO2`` for tonnes of CO2, ``t`` for tonnes of a good."""
    if _CO2_AFTER.match(ascii_text, unit_end):
        return "t-CO2"
    if _GOOD_AFTER.match(ascii_text, unit_end):
        return "t"  # 1トンの電解アルミニウム
    clause = ascii_text[max(_sentence_start(number_start, sentence_starts), number_start - 40):number_start]
    if _EMISSION_WORDS.search(clause) and not _WASTE_WORDS.search(clause):
        return "t-CO2"
    return "t"


def _counted_noun(ascii_text: str, surface_start: int, unit_end: int, figures: list[_Figure], sentence_starts) -> tuple[str, str]:
    """What つ counts, and the rule that says so (Japanese grammar, three constructions).

    ``三つの柱`` — the noun after の (tsu-counted-noun); ``10港のうち６つ`` — a
    part taken from a whole already counted in the sentence (tsu-partitive);
    ``柱は…の三つである`` — the topic of a sentence that ends in a copula
    (tsu-topic).  Otherwise つ stays as written.
    """
    counted = _OF_NOUN.match(ascii_text, unit_end)
    if counted:
        return _fold_noun(counted.group(1)), "tsu-counted-noun"
    sentence = _sentence_start(surface_start, sentence_starts)
    if _EACH_OF.search(ascii_text, max(sentence, surface_start - 6), surface_start):
        for previous in reversed(figures):
            if previous.start < sentence:
                break
            if previous.unit and previous.unit != "つ":
                return previous.unit, "tsu-partitive"
    if _COPULA_AFTER.match(ascii_text, unit_end):
        topics = list(_TOPIC.finditer(ascii_text, sentence, surface_start))
        if topics:
            return _fold_noun(topics[-1].group(1)), "tsu-topic"
    return "つ", "tsu-counted-noun"


def _link_ranges(ascii_text: str, figures: list[_Figure]) -> list[_Figure]:
    """Join ``A～B`` into two linked figures; drop bare numbers left alone."""
    kept: list[_Figure] = []
    for i, figure in enumerate(figures):
        nxt = figures[i + 1] if i + 1 < len(figures) else None
        dash = _RANGE_DASH.match(ascii_text, figure.end)
        if dash and nxt is not None and nxt.unit is not None and not nxt.pending_range:
            gap = ascii_text[dash.end():nxt.start]
            if nxt.start >= dash.end() and gap == "" and (figure.pending_range or figure.unit == nxt.unit):
                if figure.pending_range:
                    figure.unit = nxt.unit
                    figure.rule = "range-shares-unit"
                    figure.value *= nxt.factor
                    if figure.scale == 1.0 and nxt.scale > 1.0 and figure.value * nxt.scale < nxt.value * nxt.factor:
                        figure.value *= nxt.scale
                    figure.pending_range = False
                if not nxt.qualifiers and figure.qualifiers:
                    nxt.qualifiers = [q for q in figure.qualifiers]
                figure.partner, nxt.partner = nxt, figure
        if figure.pending_range:
            continue
        kept.append(figure)
    return kept


#: Every rule a figure row can name in its ``rule`` column, and what it rests on.
#: Each has positive and negative cases in ``tests/rule_cases/``.
RULES: dict[str, str] = {
    "unit-currency": "a currency's name after the number: CLDR's Japanese names and the listed conventions (pipeline/currencies.py)",
    "unit-measure": "an SI or trade unit after the number (MW, km, トン CO2, ％)",
    "unit-counter": "a counter whose spellings are folded (カ国/ヵ国 -> 国, 年間 -> 年)",
    "unit-as-written": "any other counter or a currency word several currencies share, kept as written",
    "currency-symbol": "a currency symbol before the number ($, US$, €)",
    "wari-as-percent": "割 is a tenth: N割 -> 10N %",
    "tonne-by-context": "トン is CO2 when the sentence speaks of emissions or credits, else tonnes of a good",
    "tsu-counted-noun": "Nつ counts the noun it modifies (三つの柱 -> 柱), else stays つ",
    "tsu-partitive": "Nつ after のうち counts what the whole before it counted (10港のうち６つ -> 港)",
    "tsu-topic": "Nつ before a copula counts the sentence's topic (柱は…の三つである -> 柱)",
    "kilo-by-context": "a bare キロ is km or kg by the words around it, else kept as written",
    "big-prefix-noun": "N大X counts X (5大銀行 -> 銀行)",
    "number-of-noun": "a bare number before の counts the noun after it (436の工業団地)",
    "range-shares-unit": "the first end of a range takes the unit after the second (35～40％)",
}
