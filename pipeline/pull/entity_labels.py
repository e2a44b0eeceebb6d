"""GiNZA's labels mapped to ours, and the rules that correct GiNZA's spans.

GiNZA (``ja_ginza``) tags Sekine's extended named-entity types (``Country``,
``Government``, ``Position_Vocation`` ...).  The project keeps only names,
under seven labels, following bench/README.md ("Entities (ENT)").  GiNZA is
often right about *where* a name is and wrong about its extent or type in
newsletter prose: ministries come out as job titles, Vietnamese names are cut
in two, titles are glued to people, a country inside a ministry's name is
tagged on its own.  The rules here fix that with general evidence only:

- name endings (…省, …委員会, …政府) and heads (…会議, …法案);
- Sudachi's tags (固有名詞-地名, 人名) and whether a word is in its dictionary;
- script classes (Latin with diacritics, katakana joined by ・);
- the text around a span (a parenthesised abbreviation, a title after a name).

No name from any evaluation corpus is listed; the word lists are suffixes,
titles and category nouns.  Rules propose :class:`Candidate` spans with a
priority; :func:`correct` keeps the best non-overlapping ones, then adds
abbreviations and repeated mentions.  Everything works on plain :class:`Tok`
records, so the rules can be read and tested without spaCy objects.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field, replace

from pipeline.currencies import country_names
from pipeline.japanese import ERA_NAMES

# ==========================================================================
# GiNZA's Sekine labels -> ours.  Labels left out are not names for the
# project: dates, money, counts, Position_Vocation (job titles), Nationality
# (demonyms), Doctrine_Method_Other (policies, methods), works and titles.
ENE_TO_LABEL: dict[str, str] = {
    "Person": "PERSON",
    **dict.fromkeys(
        [
            "Organization_Other", "Company", "Company_Group", "Corporation_Other",
            "Government", "Cabinet", "Military", "International_Organization",
            "Political_Organization_Other", "Political_Party", "Show_Organization",
            "Sports_Organization_Other", "Pro_Sports_Organization", "Sports_League",
            "Newspaper",  # a newspaper named as a source is its publisher
        ],
        "ORG",
    ),
    # countries, their parts, regions and continents
    **dict.fromkeys(
        [
            "Country", "City", "Province", "County", "GPE_Other", "Continental_Region",
            "Domestic_Region", "Region_Other", "Location_Other", "Island",
        ],
        "GPE",
    ),
    **dict.fromkeys(
        [
            "Facility_Other", "Port", "Airport", "Station", "Road", "Railroad", "Bridge",
            "Tunnel", "Canal", "Water_Route", "Line_Other", "Park", "Museum", "Theater",
            "Sports_Facility", "Worship_Place", "Zoo", "Amusement_Park", "Research_Institute",
            "School", "Public_Institution", "Archaeological_Place_Other", "Tumulus",
            "Car_Stop", "GOE_Other",
        ],
        "FAC",
    ),
    **dict.fromkeys(
        ["Conference", "Event_Other", "Occasion_Other", "Incident_Other", "War", "Game",
         "Natural_Disaster", "Earthquake"],
        "EVENT",
    ),
    # Plan counts only when the surface ends like a law (…法案), see validate()
    **dict.fromkeys(["Law", "Treaty", "Rule_Other", "Plan"], "LAW"),
    **dict.fromkeys(
        ["Product_Other", "Car", "Train", "Aircraft", "Ship", "Spaceship", "Vehicle_Other"],
        "PRODUCT",
    ),
}

# ==========================================================================
# Vocabulary: general Japanese (and Chinese-loan) words for kinds of bodies,
# places, events, laws and titles.


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Endings that make a compound an organisation's name (中国国務院, タイ政府).
ORG_SUFFIXES = (
    "政府", "省", "庁", "局", "委員会", "銀行", "公社", "公団", "協会", "連盟", "連合",
    "機関", "機構", "事務局", "大使館", "領事館", "取引所", "共同体", "財団", "基金",
    "研究所", "大学", "党", "議会", "評議会", "協議会", "会議所", "組合", "弁公室",
    "国務院", "公司", "汽車", "当局", "株式会社", "有限会社", "合同会社", "政権", "幕府",
    "理事会", "審議会",
)
#: Endings too short to match inside a word (北部, 病院): they must be a token.
TOKEN_ORG_SUFFIXES = ("部", "院")
#: Endings that make a name only with a proper noun or another organisation
#: word in the compound (ベトナム電力グループ, but not 作業グループ).
WEAK_ORG_SUFFIXES = ("グループ", "集団", "センター", "ホールディングス", "財閥")
#: Endings shared by ministries and provinces: 福建省 is a place, 外務省 a body.
PROVINCE_SUFFIXES = ("省",)
#: Heads of company names made of common words (東邦電力, 毎日新聞); they are
#: enough when GiNZA already calls the span an organisation.
COMPANY_HEADS = (
    "電力", "工業", "技研", "交通", "鉄道", "電鉄", "製紙", "物産", "商事", "証券", "保険", "新聞",
    "放送", "通信", "建設", "電機", "電気", "化学", "製薬", "自動車", "重工", "航空", "海運",
    "商船", "石油", "製作所", "製鉄", "産業", "興業", "食品", "薬品", "ホールディングス", "商会",
    "商店", "通信社", "銀行", "信託", "生命", "損保", "電子", "精機", "紡績", "鉱業", "水産",
)
COMPANY_PREFIXES = ("株式会社", "有限会社", "合同会社")
#: A general modifier plus a suffix is a kind of body (国際機関, 中央銀行).
GENERIC_ORG_MODIFIERS = _words(
    "国際 金融 関係 研究 政府 行政 中央 地方 民間 商業 各国 証券 関連 公的 国営 国有 "
    "監督 規制 主要 外国 海外 国内 現地 地元 専門 業界 国立 公立 私立 多国間 二国間 投資 "
    "他 自国 相手国 途上国 先進国 新興国 傘下 子 親"
)
GENERIC_ORG_NAMES = _words(
    "政府 議会 国会 内閣 閣議 当局 中央政府 地方政府 各国政府 連邦政府 州政府 国際機関 "
    "金融機関 関係機関 研究機関 政府機関 行政機関 中央銀行 商業銀行 民間銀行 関係省庁 省庁 "
    "規制当局 金融当局 税務当局 事務局 委員会 取引所 証券取引所 協会 業界団体 大学 研究所 "
    "データセンター センター 野党 与党 政党 大使館 銀行 グループ"
)
#: Words that point back rather than name (同省, 各国): a compound stops there.
DETERMINERS = _words("同 各 当 両 本 全 諸 該 その この 前記 上記")
ANAPHOR_HEADS = "同当両各"

FAC_SUFFIXES = ("港", "空港", "回廊", "発電所", "ダム", "橋", "運河", "工業団地", "経済特区")
TOKEN_FAC_SUFFIXES = ("港", "橋", "ダム")  # 香港, 高橋 are not facilities

#: Endings of law names; 法 must be a token (方法 is not a law), 協定 and
#: 条約 need a proper noun (パリ協定, not 協力協定).
LAW_SUFFIXES = ("法", "法案", "条約", "協定", "憲章", "議定書", "政令", "法令")
TOKEN_LAW_SUFFIXES = ("法",)
NAMED_LAW_SUFFIXES = ("条約", "協定", "憲章", "議定書")
GENERIC_LAW_MODIFIERS = _words("同 新 旧 関連 改正 現行 本 当該 上記 基本 特別 国内 各 同様 一般 民 刑")
#: What a span GiNZA tags as a law or plan must end with to be one.
LAW_HEADS = (
    "法", "法案", "法律", "条約", "協定", "令", "規則", "条例", "憲章", "議定書", "法典",
    "協約", "政令", "省令", "通達", "指令", "決議", "規程",
)
#: Numbered legal instruments that GiNZA cuts apart: 政令第135/2024/ND-CP号.
LAW_NUMBER = re.compile(
    r"(?:政令|法令|省令|政府令|議定|通達|決定|首相決定|大統領令|法律|決議|指令|規則|通知|布告|命令)"
    r"第[0-9０-９A-Za-zＡ-Ｚａ-ｚ/／\-－・.]+号"
)

#: What a span GiNZA tags as an event must end with to be one.
EVENT_HEADS = (
    "会議", "会合", "サミット", "総会", "大会", "フォーラム", "博覧会", "万博", "選挙",
    "戦争", "大戦", "紛争", "戦い", "の役", "の乱", "の変", "事件", "事変", "事故", "革命", "テロ",
    "空襲", "作戦", "五輪", "オリンピック", "パラリンピック", "地震", "震災", "台風", "祭", "まつり",
    "祭り", "フェスティバル", "見本市", "展示会", "エキスポ", "EXPO", "会談", "シンポジウム",
    "ワールドカップ", "カップ", "杯", "選手権", "トーナメント", "グランプリ", "シリーズ", "予選",
    "対話", "首脳会議", "トリエンナーレ", "ビエンナーレ", "ショー", "コンクール", "コンテスト",
)
LATIN_EVENT = re.compile(r"^(?:COP|CMP|CMA|G|APEC|SB)\d{1,3}$")
#: An era name alone (令和, 平成) is a way of counting years, not a name of a body.
ERA_NAME = re.compile(ERA_NAMES)
#: 令和6年…, 平成元年度: an era's year is a date, not a name (CLDR's Japanese calendar).
ERA_YEAR = re.compile(rf"(?:{ERA_NAMES})(?:元|[0-9０-９〇一二三四五六七八九十]+)年")

#: Job titles and honorifics: a name right before one is a person, and the
#: title stays outside the entity (習近平国家主席 -> 習近平).
TITLE_WORDS = (
    "国家主席", "主席", "首相", "大統領", "大臣", "長官", "局長", "所長", "部長", "課長",
    "室長", "社長", "董事長", "会長", "総裁", "議長", "委員長", "理事長", "事務総長", "総長", "知事",
    "市長", "省長", "書記", "総書記", "国王", "首席", "代表", "ディレクター", "マネージャー",
    "マネジャー", "CEO", "最高経営責任者", "大使", "次官", "報道官", "相", "氏", "議員",
    "教授", "博士", "顧問", "創業者", "会頭", "頭取", "理事", "首長", "当主", "女王", "王子",
    "皇太子", "外相", "蔵相", "副首相", "担当者", "アナリスト", "エコノミスト", "研究員",
)
#: Heads of common-noun phrases that name schemes, not bodies: the
#: abbreviation after them (排出量取引制度（ETS）) is not an entity.
POLICY_HEADS = (
    "制度", "計画", "契約", "目標", "枠", "ロードマップ", "控除", "免除", "投資", "車",
    "自動車", "市場", "政策", "戦略", "構想", "税", "スキーム", "基準", "指数", "価格",
    "取引", "制", "プログラム", "プロジェクト", "イニシアチブ", "メカニズム", "システム",
    "技術", "エネルギー", "ガス", "燃料", "クレジット", "証書", "単位", "コンテナ", "量",
    "率", "額", "貢献", "報告書", "指針", "ガイドライン", "方式", "モデル", "手法",
)
#: Nouns before 「…」 that make the quoted words a product's name.
PRODUCT_CATEGORIES = _words(
    "EV SUV PHEV HEV BEV 車 車種 新型車 新車 モデル ブランド セダン スマートフォン スマホ "
    "端末 機種 製品 新製品 商品 トラック バス バイク 二輪車 航空機 旅客機 機体 船 ワクチン "
    "薬 ソフト アプリ ゲーム 電気自動車 小型車 軽自動車 ピックアップトラック"
)
#: Descriptive words around a place that are not part of its name.
PLACE_PREFIXES = _words(
    "首都 北部 南部 東部 西部 中部 北東部 北西部 南東部 南西部 中西部 州都 省都 県都 "
    "古都 港湾都市 都市 地方 沿岸部 内陸部"
)
PLACE_SUFFIXES_DROPPED = _words(
    "諸国 各国 地域 全域 全土 域内 圏 北部 南部 東部 西部 中部 北東部 北西部 南東部 南西部 沿岸部 内陸部"
)
#: Administrative endings that belong to a place's name (ダナン市, サバ州).
ADMINISTRATIVE_SUFFIXES = _words("市 県 州 省 区 郡 町 村 府 特別州 特別区 特別市 自治区 自治州 直轄市")
#: What follows a country used as a modifier (中国勢, 日本企業): the entity
#: is the country alone.
MODIFIER_TAILS = _words(
    "勢 側 製 産 企業 メーカー 製品 国内 国外 国民 向け 発 市場 経済 ビジネス 版 系企業 資本 "
    "大手 各社 当局 全土 国内外 経済圏 東部 西部 南部 北部 中部 沿岸 沿岸部"
)
#: 中国人, 日系: a place inside a demonym is not an entity.
DEMONYM_TAILS = ("人", "系")

#: Latin words that end an organisation's name.
LATIN_ORG_WORDS = _words(
    "Company Limited Ltd Ltd. Inc Inc. Corp Corp. Corporation Group Holdings Bank Co Co. "
    "LLC PLC JSC News Times Post Journal Press Herald Tribune Daily Express Gazette "
    "Agency Association Institute University Foundation Fund Council Ministry Department "
    "Authority Commission Organization Organisation Federation Union Exchange Partners "
    "Capital Energy Power Motors Motor Industries Electric Airlines Airways"
)
#: Lowercase words allowed inside a Latin name (Ministry of Finance).
LATIN_CONNECTORS = _words("of and for the de du la le van von der del da di bin binti")
#: "X が…伝えた": X is a news outlet.
REPORTING_VERB = re.compile("伝え|報じ|報道")

NAME_ENDINGS = ORG_SUFFIXES + TOKEN_ORG_SUFFIXES + WEAK_ORG_SUFFIXES + FAC_SUFFIXES + EVENT_HEADS + LAW_HEADS

# ==========================================================================
# Script classes

_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
LATIN_TEXT = re.compile(rf"[{_LATIN}0-9'’.\-& ]*[{_LATIN}][{_LATIN}0-9'’.\-& ]*")
LATIN_RUN = re.compile(rf"[{_LATIN}0-9][{_LATIN}0-9'’.\-&]*(?: [{_LATIN}0-9][{_LATIN}0-9'’.\-&]*)*")
ABBREVIATION = re.compile(r"[A-Z][A-Za-z0-9&\-.]*[A-Z0-9]")
ABBREVIATION_IN_PARENS = re.compile(r"[（(]\s*([A-Z][A-Za-z0-9&\-.]*[A-Z0-9])\s*[）)]")
#: PLN（Perusahaan Listrik Negara）: the abbreviation first, the Latin name inside.
EXPANSION_IN_PARENS = re.compile(
    rf"(?<![A-Za-z0-9\-])([A-Z][A-Z0-9&\-]*[A-Z0-9])\s?[（(]\s*([A-Z][{_LATIN}0-9'’.\-& ]{{2,80}}?)\s*[）)]"
)
KATAKANA_NAME = re.compile(r"[ァ-ヴー]{2,}(?:[・=＝][ァ-ヴー]+)+")
KATAKANA = re.compile(r"[ァ-ヴー・]+")
KANJI = re.compile(r"[\u3400-\u9fff]")
KANJI_ONLY = re.compile(r"[\u3400-\u9fff々〆ヶ]+")
#: Letters a Vietnamese name has and English or French words do not.
VIETNAMESE_MARKS = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")


def is_latin(text: str) -> bool:
    """Latin letters (diacritics included), digits and name punctuation only."""
    return LATIN_TEXT.fullmatch(text) is not None


def is_katakana(text: str) -> bool:
    return KATAKANA.fullmatch(text) is not None


def has_kanji(text: str) -> bool:
    return KANJI.search(text) is not None


# ==========================================================================
# Records


@dataclass(frozen=True)
class Tok:
    """One GiNZA token, with offsets into the whole text (not the chunk)."""

    text: str
    start: int
    end: int
    pos: str  # UD part of speech
    tag: str  # Sudachi's tag, e.g. 名詞-固有名詞-地名-国
    ent_type: str = ""  # GiNZA's label on this token ("" outside entities)
    #: Sudachi's short split (mode A), where it differs: 日本勢 -> (日本, 勢)
    parts: tuple[tuple[str, str], ...] = ()
    #: In Sudachi's dictionary as a common noun (ブラウン "brown"); False for
    #: words it does not know (チェプラク, ラヨーン, MNRE), which it also tags
    #: 普通名詞 but which are mostly names.
    common_word: bool = True

    @property
    def is_space(self) -> bool:
        return self.tag == "空白" or not self.text.strip()

    @property
    def is_place(self) -> bool:
        return "地名" in self.tag

    @property
    def is_person_name(self) -> bool:
        return "人名" in self.tag

    @property
    def is_proper(self) -> bool:
        """A proper noun in Sudachi's dictionary, or a noun missing from it."""
        return "固有名詞" in self.tag or (not self.common_word and (self.pos == "PROPN" or self.tag.startswith("名詞-普通名詞")))

    @property
    def is_common_noun(self) -> bool:
        return self.tag.startswith("名詞-普通名詞") and not self.is_proper

    @property
    def is_nounish(self) -> bool:
        """Can be a word of a compound noun (and so of a name)."""
        if self.is_space or self.pos == "NUM":
            return False
        return is_latin(self.text) or self.tag.startswith(("名詞", "接尾辞", "接頭辞")) or self.pos in ("NOUN", "PROPN")


@dataclass
class Candidate:
    """A proposed entity; ``priority`` decides between overlapping rules."""

    start: int
    end: int
    label: str
    ner_label: str
    priority: int
    canonical: str | None = None
    rule: str = ""


#: The labels the project keeps (bench/README.md), which the trained component uses as they are.
OUR_LABELS = frozenset(("PERSON", "ORG", "GPE", "FAC", "EVENT", "LAW", "PRODUCT"))
#: The rule names of spans a model proposed (corrected or not), which specific rules may replace.
MODEL_SOURCES = ("ginza", "wiki-ner")


def is_model_span(candidate: "Candidate") -> bool:
    """Proposed by a model (GiNZA or the trained component), whatever correction it then took."""
    return candidate.rule in ("model-title", "model-modifier") or candidate.rule in MODEL_SOURCES


RULE_PRIORITY = 4  # a rule with specific evidence
TRAINED_PRIORITY = 3  # the trained component's name, checked (plausible_model_names)
GINZA_PRIORITY = 2  # GiNZA's span, corrected
FALLBACK_PRIORITY = 1  # a place name from Sudachi's dictionary alone


@dataclass
class Analysed:
    """A text with its tokens, indexed by character offset."""

    text: str
    toks: list[Tok]
    by_start: dict[int, int] = field(init=False)
    by_end: dict[int, int] = field(init=False)
    starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.by_start = {t.start: n for n, t in enumerate(self.toks)}
        self.by_end = {t.end: n for n, t in enumerate(self.toks)}
        self.starts = [t.start for t in self.toks]

    def token_at(self, offset: int) -> Tok | None:
        n = bisect.bisect_right(self.starts, offset) - 1
        return self.toks[n] if n >= 0 and offset < self.toks[n].end else None

    def ginza_label_at(self, offset: int) -> str:
        tok = self.token_at(offset)
        return tok.ent_type if tok else ""

    def words(self, i: int, j: int) -> str:
        return "".join(t.text for t in self.toks[i:j])

    def ginza_label(self, i: int, j: int) -> str:
        """GiNZA's label on the first labelled token of a span, kept for audit."""
        return next((t.ent_type for t in self.toks[i:j] if t.ent_type), "")

    def candidate(self, i: int, j: int, label: str, priority: int, rule: str, ner_label: str | None = None) -> Candidate:
        """A candidate over tokens ``i`` to ``j`` (exclusive)."""
        ner = self.ginza_label(i, j) if ner_label is None else ner_label
        return Candidate(self.toks[i].start, self.toks[j - 1].end, label, ner, priority, rule=rule)


# ==========================================================================
# Compounds and their words


def adjacent(left: Tok, right: Tok) -> bool:
    return left.end == right.start


def compound_start(toks: list[Tok], i: int) -> int:
    """First token of the compound noun that ends at token ``i``.

    Walks left over nouns, prefixes, Latin words, ``・`` between nouns, an
    adjectival noun before a noun (再生可能エネルギー) and a whole 「…」 right
    in front (「一帯一路」建設推進…弁公室 is one name); stops at particles,
    punctuation, numbers, gaps, determiners (同, 各) and adverb-like nouns
    (結果, 当時), which start a clause rather than a name.
    """
    j = i
    while j > 0:
        prev = toks[j - 1]
        if not adjacent(prev, toks[j]):
            break
        if prev.text == "・" and j >= 2 and toks[j - 2].is_nounish:
            j -= 1
        elif prev.text == "」":
            k = j - 2
            while k >= 0 and toks[k].text not in ("「", "。") and not toks[k].is_space:
                k -= 1
            if k < 0 or toks[k].text != "「" or j - 1 - k > 12:
                break
            j = k
        elif prev.tag.startswith("形状詞") and toks[j].is_nounish:
            j -= 1
        elif prev.is_nounish and prev.text not in DETERMINERS and "副詞可能" not in prev.tag:
            j -= 1
        else:
            break
    return j


def compound_end(toks: list[Tok], j: int, limit: int = 12) -> int:
    """One past the last token of the compound noun starting at token ``j``."""
    k = j
    while k < len(toks) and k - j < limit:
        t = toks[k]
        if k > j and not adjacent(toks[k - 1], t):
            break
        if not (t.is_nounish or (t.text == "・" and k > j)):
            break
        k += 1
    return k


def after_list(doc: Analysed, start: int, i: int) -> int:
    """Start after the last ・ that closes a complete name.

    海軍・郵政庁 is a list of two bodies; エネルギー移行・水転換省 is one.
    """
    for k in range(i - 1, start, -1):
        if doc.toks[k].text == "・" and doc.words(start, k).endswith(NAME_ENDINGS + ("学校", "軍")):
            return k + 1
    return start


def title_after(toks: list[Tok], j: int) -> bool:
    """The compound noun at token ``j`` is a job title (副局長, 計画投資副大臣)."""
    if j >= len(toks) or (j > 0 and not adjacent(toks[j - 1], toks[j])):
        return False
    words = "".join(t.text for t in toks[j : compound_end(toks, j)])
    return bool(words) and (words.endswith(TITLE_WORDS) or words.startswith(TITLE_WORDS))


def title_continues(toks: list[Tok], i: int) -> bool:
    """事務局|長: the organisation word at ``i`` begins a job title."""
    if i + 1 >= len(toks) or not adjacent(toks[i], toks[i + 1]):
        return False
    this, nxt = toks[i].text, toks[i + 1].text
    return nxt.startswith(("長", "次長", "官")) or ((this + nxt).endswith(TITLE_WORDS) and not this.endswith(TITLE_WORDS))


def name_like(toks: list[Tok], i: int, j: int) -> bool:
    """Has a proper noun, a Latin word or a katakana name joined by ・."""
    if any(t.is_proper or is_latin(t.text) for t in toks[i:j]):
        return True
    return KATAKANA_NAME.search("".join(t.text for t in toks[i:j])) is not None


def is_quoted_title(toks: list[Tok], i: int, j: int) -> bool:
    """The span is the whole of a 「…」 and not kanji words alone (with の or ・): a work's title, not a slogan.

    Japanese typography sets titles of works in 「」 or 『』; titles are
    often clauses (風と共に去りぬ) or common words, which the noun-phrase and
    name-word checks would drop.  Slogans and policy names are quoted too,
    and in the newsletters they are kanji compounds (人類運命共同体, 債務の罠).
    Measured on the dev slice (train-only weights): 0.6773 -> 0.6860.
    """
    return is_quoted_whole(toks, i, j) and not all(KANJI_ONLY.fullmatch(t.text) or t.text in NAME_JOINERS for t in toks[i:j])


def is_quoted_whole(toks: list[Tok], i: int, j: int) -> bool:
    """The span is exactly what 「…」 holds: a title or a slogan (人類運命共同体)."""
    return i > 0 and j < len(toks) and toks[i - 1].text in ("「", "『") and toks[j].text in ("」", "』")


def descriptor_before_name(toks: list[Tok], i: int, j: int) -> bool:
    """炭素取引所|ブルサ・カーボン・エクスチェンジ: common nouns right before a
    katakana or Latin name describe it; they are not a name themselves."""
    if j >= len(toks) or not adjacent(toks[j - 1], toks[j]):
        return False
    nxt = toks[j]
    return nxt.is_nounish and (is_katakana(nxt.text) or is_latin(nxt.text)) and not name_like(toks, i, j)


def demonym_follows(toks: list[Tok], j: int) -> bool:
    """中国|人, タイ|系: the place before token ``j`` is part of a demonym."""
    return 0 < j < len(toks) and toks[j].text in DEMONYM_TAILS and adjacent(toks[j - 1], toks[j])


def org_suffix_of(words: str, last: Tok) -> tuple[str, bool] | None:
    """The organisation ending of ``words``, and whether it is a weak one."""
    if last.text in TOKEN_ORG_SUFFIXES:
        return last.text, False
    strong = next((s for s in ORG_SUFFIXES if words.endswith(s)), None)
    if strong:
        return strong, False
    weak = next((s for s in WEAK_ORG_SUFFIXES if words.endswith(s)), None)
    return (weak, True) if weak else None


def is_anaphor(words: str) -> bool:
    """同省, 当局, 各国政府: pointing back, not naming."""
    return words[:1] in ANAPHOR_HEADS and len(words) <= 4


def is_generic_org(doc: Analysed, i: int, j: int, suffix: str) -> bool:
    """政府, 国際機関, 中央銀行 ...: a kind of body rather than a body's name."""
    words = doc.words(i, j)
    if words == suffix or words in GENERIC_ORG_NAMES or doc.toks[i].text in DETERMINERS or is_anaphor(words):
        return True
    return j - i == 2 and doc.toks[i].text in GENERIC_ORG_MODIFIERS


def is_province(doc: Analysed, i: int, j: int, suffix: str) -> bool:
    """福建省 is a province (GPE), 外務省 a ministry: the stem is a place name."""
    stem = doc.words(i, j)[: -len(suffix)]
    places = "".join(t.text for t in doc.toks[i:j] if t.is_place)
    return bool(stem) and (
        places in (stem, stem + suffix)
        or any(t.ent_type in ("Province", "Domestic_Region", "City", "County") for t in doc.toks[i:j])
    )


# ==========================================================================
# Is a span a name of this type?


def validate(label: str, doc: Analysed, i: int, j: int) -> bool:
    """Drops GiNZA's common nouns and spans whose words contradict the label."""
    if j <= i:
        return False
    toks, words, last = doc.toks, doc.words(i, j), doc.toks[j - 1]
    span = toks[i:j]
    if label == "PERSON":
        return any(t.is_person_name or t.is_proper or is_latin(t.text) for t in span) or bool(KATAKANA_NAME.search(words))
    if label == "GPE":
        return any(t.is_proper or is_latin(t.text) for t in span) and not demonym_follows(toks, j)
    if label == "ORG":
        return valid_org(doc, i, j)
    if label == "FAC":
        return any(t.is_proper or is_latin(t.text) for t in span)
    if label == "EVENT":
        return words.endswith(EVENT_HEADS) or LATIN_EVENT.match(unicodedata.normalize("NFKC", words)) is not None
    if label == "LAW":
        return words.endswith(LAW_HEADS)
    if label == "PRODUCT":
        # an unknown Latin word is as likely an abbreviation (SUV, EV3.5) as a model
        return any(t.is_proper and not t.is_place and ("固有名詞" in t.tag or not is_latin(t.text)) for t in span)
    return False


def valid_org(doc: Analysed, i: int, j: int) -> bool:
    toks, words, last = doc.toks, doc.words(i, j), doc.toks[j - 1]
    if descriptor_before_name(toks, i, j):
        return False
    found = org_suffix_of(words, last)
    if found is not None:
        return not is_generic_org(doc, i, j, found[0])
    if words in GENERIC_ORG_NAMES or is_anaphor(words):
        return False
    if any(t.is_proper and not is_latin(t.text) for t in toks[i:j]) or KATAKANA_NAME.search(words):
        return True
    if j - i >= 2 and (words.endswith(COMPANY_HEADS) or words.startswith(COMPANY_PREFIXES)):
        return True
    if any(is_latin(t.text) for t in toks[i:j]):
        # EV購入者, NHK朝ドラ: a Latin word modifying a common noun
        return is_latin(last.text) or last.text == "社" or not (has_kanji(last.text) and last.is_common_noun)
    return j - i >= 2 and (last.tag.startswith("接尾辞") or last.text == "社")


# ==========================================================================
# GiNZA's own spans, corrected


def ginza_spans(doc: Analysed, spans: list[tuple[int, int, str]], source: str = "ginza", checked: bool = True) -> list[Candidate]:
    """GiNZA's entities with the label mapped and the extent corrected.

    In order: cut at an inner parenthesis (the abbreviation rule adds it
    back); drop spans that cut a Latin word (ETS of K-ETS); split a person
    from the title GiNZA glued on (習近平国家主席); reduce a country used as a
    modifier to the country (中国勢 -> 中国); a proper noun with an
    administrative ending is a place (ダナン市); then per label: stop a person
    at the end of the name (進藤本人), drop 社 after a company name,
    trim places (首都, 北部, 諸国), add their administrative ending (ダナン|市),
    call a country's name (CLDR's Japanese territory names) a place
    and split lists (欧州・中東・アフリカ).  Each result must pass validate().

    ``source`` names the model in the rule column (``ginza``, ``wiki-ner``
    for :mod:`pipeline.pull.trained_ner`, whose labels are ours already).
    """
    toks = doc.toks
    out: list[Candidate] = []
    for i, j, ene in spans:
        label = ENE_TO_LABEL.get(ene, ene if ene in OUR_LABELS else None)
        if label in ("ORG", "FAC", "PERSON", "PRODUCT") and doc.words(i, j) in country_names():
            label = "GPE"  # a country's name (CLDR) is a place, 東ティモール as much as タイ
        j = next((k for k in range(i, j) if toks[k].text in ("（", "(")), j)
        while i < j and toks[i].pos == "PUNCT":
            i += 1
        while j > i and toks[j - 1].pos == "PUNCT":
            j -= 1  # SUV「
        if j <= i or cuts_latin_word(toks, i, j):
            continue
        k = i
        while k < j and (toks[k].is_person_name or is_latin(toks[k].text)):
            k += 1
        if i < k < j and doc.words(k, j).endswith(TITLE_WORDS):
            out.append(doc.candidate(i, k, "PERSON", GINZA_PRIORITY, "model-title", ene))
            continue
        k = i
        while k < j and toks[k].is_place and toks[k].is_proper:
            k += 1
        if label != "GPE" and i < k < j and doc.words(k, j) in MODIFIER_TAILS:
            out.append(doc.candidate(i, k, "GPE", GINZA_PRIORITY, "model-modifier", ene))
            continue
        if label in ("ORG", "FAC") and j - i >= 2 and toks[j - 1].text in ADMINISTRATIVE_SUFFIXES and all(
            t.is_proper for t in toks[i : j - 1]
        ):
            label = "GPE"  # ダナン市 tagged as a facility
        if label == "PERSON" and ends_inside_title(doc, i, j):
            continue  # 董|事長: the first character of a title, not a surname
        if label == "PERSON" and checked:  # the trained component learnt where a person's name ends (中村鴈笑)
            names = [n for n in range(i, j) if toks[n].is_person_name]
            rest = toks[names[-1] + 1 : j] if names else []
            if rest and len(doc.words(names[-1] + 1, j)) >= 2 and all(t.is_common_noun for t in rest):
                j = names[-1] + 1  # 進藤|本人, but not 徐|平
        elif label == "ORG" and j - i >= 2 and toks[j - 1].text == "社" and name_like(toks, i, j - 1):
            j -= 1  # ケッペル社 -> ケッペル, as South Pole社 -> South Pole
        elif label == "GPE":
            out.extend(ginza_places(doc, i, j, ene, source, checked))
            continue
        if label and (not checked or validate(label, doc, i, j)):
            out.append(doc.candidate(i, j, label, GINZA_PRIORITY, source, ene))
    return out


def ginza_places(doc: Analysed, i: int, j: int, ene: str, source: str = "ginza", checked: bool = True) -> list[Candidate]:
    toks = doc.toks
    if toks[j - 1].text in DEMONYM_TAILS:
        return []  # バージニア人
    if j < len(toks) and adjacent(toks[j - 1], toks[j]) and toks[j].text in ADMINISTRATIVE_SUFFIXES:
        j += 1
    while i < j and toks[i].text in PLACE_PREFIXES:
        i += 1
    while j > i and toks[j - 1].text in PLACE_SUFFIXES_DROPPED:
        j -= 1
    return [doc.candidate(a, b, "GPE", GINZA_PRIORITY, source, ene) for a, b in split_on_dots(toks, i, j) if not checked or validate("GPE", doc, a, b)]


def ends_inside_title(doc: Analysed, i: int, j: int) -> bool:
    """The span stops inside a title word that goes on in the next token."""
    if j >= len(doc.toks) or not adjacent(doc.toks[j - 1], doc.toks[j]):
        return False
    words = doc.words(i, j)
    joined = words + doc.words(j, compound_end(doc.toks, j))
    return any(0 <= joined.find(t) < len(words) < joined.find(t) + len(t) for t in TITLE_WORDS)


def cuts_latin_word(toks: list[Tok], i: int, j: int) -> bool:
    """GiNZA's span starts or ends inside a Latin word (ETS of K-ETS)."""

    def joined(a: Tok, b: Tok) -> bool:
        left = a.text[-1:]
        return adjacent(a, b) and (left == "-" or is_latin(left)) and (b.text[:1] == "-" or is_latin(b.text[:1]))

    return (i > 0 and joined(toks[i - 1], toks[i])) or (j < len(toks) and joined(toks[j - 1], toks[j]))


#: Endings of an administrative area; in a list each place carries its own (A州・B州).
ADMIN_SUFFIXES = ("自治区", "特別区", "地方", "州", "県", "省", "市", "郡", "区", "島")


def split_on_dots(toks: list[Tok], i: int, j: int) -> list[tuple[int, int]]:
    """欧州・中東・アフリカ -> three places, when every part has a proper noun
    (but not one transcribed area: :func:`is_transcribed_area`)."""
    cuts = [k for k in range(i, j) if toks[k].text == "・"]
    parts = list(zip([i] + [k + 1 for k in cuts], cuts + [j]))
    if len(parts) > 1 and is_transcribed_area("".join(t.text for t in toks[i:j])):
        return [(i, j)]
    if len(parts) > 1 and all(b > a and any(t.is_proper for t in toks[a:b]) for a, b in parts):
        return parts
    return [(i, j)]


def is_transcribed_area(surface: str) -> bool:
    """A foreign area's name in katakana, its words joined by ・, closed by one administrative ending.

    Japanese typography sets the space inside a transcribed name as ・
    (マディヤ・プラデーシュ州, タミル・ナドゥ州); a list of areas gives each
    its own ending (A州・B州), so only the last part may carry one.

    >>> is_transcribed_area("マディヤ・プラデーシュ州"), is_transcribed_area("ジャワ島・スマトラ島"), is_transcribed_area("欧州・中東")
    (True, False, False)
    """
    suffix = next((end for end in ADMIN_SUFFIXES if surface.endswith(end) and len(surface) > len(end)), None)
    if suffix is None:
        return False
    stem = surface[: -len(suffix)]
    return bool(KATAKANA.fullmatch(stem)) and not stem.startswith("・") and not stem.endswith("・")


def joined_areas(text: str, kept: list[Candidate]) -> list[Candidate]:
    """Names GiNZA cut at a ・ inside one transcribed area put back together as one GPE
    (マディヤ + プラデーシュ州), and such an area labelled GPE whatever GiNZA said."""
    out: list[Candidate] = []
    for candidate in sorted(kept, key=lambda c: c.start):
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.end + 1 == candidate.start
            and text[previous.end] == "・"
            and is_transcribed_area(text[previous.start : candidate.end])
        ):
            out[-1] = Candidate(previous.start, candidate.end, "GPE", previous.ner_label, RULE_PRIORITY, rule="dot-joined-area")
            continue
        if candidate.label != "GPE" and "・" in text[candidate.start : candidate.end] and is_transcribed_area(text[candidate.start : candidate.end]):
            candidate = Candidate(candidate.start, candidate.end, "GPE", candidate.ner_label, candidate.priority, candidate.canonical, rule="dot-joined-area")
        out.append(candidate)
    return out


# ==========================================================================
# Rules that propose names GiNZA missed or mis-cut


def suffix_names(doc: Analysed) -> list[Candidate]:
    """Outermost organisation, facility and law names, found by their ending.

    ``中国国務院``, ``MNRE気候変動局``, ``スイス連邦経済省経済事務局``: the whole
    compound up to the ending is one ORG, so the country inside is not a
    separate GPE; ``X政府`` is the same rule with 政府 as ending.  Facilities
    (ハンバントタ港) and laws (再生可能エネルギー法) must end the compound, and
    a facility needs a proper noun in it.
    """
    toks, out = doc.toks, []
    for i, last in enumerate(toks):
        if not last.is_nounish:
            continue
        start = after_list(doc, compound_start(toks, i), i)
        if is_quoted_whole(toks, start, i + 1) or descriptor_before_name(toks, start, i + 1) or title_continues(toks, i):
            continue
        label = org_name(doc, start, i) or facility_or_law(doc, start, i)
        if label:
            out.append(doc.candidate(start, i + 1, label, RULE_PRIORITY, "suffix"))
    return out


def org_name(doc: Analysed, start: int, i: int) -> str | None:
    words = doc.words(start, i + 1)
    found = org_suffix_of(words, doc.toks[i])
    if found is None:
        return None
    suffix, weak = found
    if is_generic_org(doc, start, i + 1, suffix):
        return None
    if suffix in PROVINCE_SUFFIXES and is_province(doc, start, i + 1, suffix):
        return None
    if weak and not (name_like(doc.toks, start, i + 1) or any(s in words[: -len(suffix)] for s in ORG_SUFFIXES)):
        return None
    return "ORG"


def facility_or_law(doc: Analysed, start: int, i: int) -> str | None:
    toks = doc.toks
    if compound_end(toks, i) > i + 1:
        return None  # グローバルエコ工業団地|プログラム is a programme
    words, last = doc.words(start, i + 1), toks[i]
    if any(words.endswith(s) and (s not in TOKEN_FAC_SUFFIXES or last.text == s) for s in FAC_SUFFIXES):
        return "FAC" if name_like(toks, start, i + 1) else None
    law = next((s for s in LAW_SUFFIXES if words.endswith(s) and (s not in TOKEN_LAW_SUFFIXES or last.text == s)), None)
    if law is None or i == start or toks[start].text in GENERIC_LAW_MODIFIERS:
        return None
    if law in NAMED_LAW_SUFFIXES and not name_like(toks, start, i + 1):
        return None
    return "LAW"


def latin_names(doc: Analysed, component_label: dict[tuple[int, int], str] | None = None) -> list[Candidate]:
    """Names written in Latin script, kept whole (Nguyễn Tuấn Quang).

    GiNZA splits them at spaces and labels the parts at random; the label
    here comes from the words around: 社 or a company word (Limited, News)
    -> ORG; a job title after -> PERSON; the subject of 伝えた -> ORG (a news
    outlet); a GiNZA person inside, or Vietnamese letters on two to five
    capitalised words -> PERSON.  Runs with no such evidence are left to GiNZA.
    GiNZA's person inside is its reading alone, which the trained component
    has read too: where the component gives the same words a label
    (``component_label``, by character extent), its label stands (Google,
    read as a person by GiNZA, is a company); on the dev slice this took the
    rule's rows from 2 right in 10 to 5.
    """
    text, toks, out = doc.text, doc.toks, []
    component_label = component_label or {}
    for m in LATIN_RUN.finditer(text):
        words = m.group().split(" ")
        while words and (words[-1].lower() in LATIN_CONNECTORS or not words[-1][0].isalnum()):
            words.pop()
        if not words or not words[0][0].isupper():
            continue
        start = m.start()
        surface = " ".join(words).rstrip(".")
        end = start + len(surface)
        if len(surface) < 2 or (start and text[start - 1] in "・=＝") or text[end : end + 1] in ("・", "=", "＝"):
            continue  # an initial inside a katakana name: ジョン・J・テイラー
        abbreviation = len(words) == 1 and ABBREVIATION.fullmatch(surface) is not None
        i, last = doc.by_start.get(start), doc.by_end.get(end)
        label = None
        if text[end : end + 1] == "社" and text[end : end + 2] != "社会":
            label = "ORG"
        elif len(words) > 1 and words[-1] in LATIN_ORG_WORDS:
            label = "ORG"
        elif not abbreviation and last is not None and title_after(toks, last + 1):
            label = "PERSON"
        elif text[end : end + 1] == "が" and REPORTING_VERB.search(text[end : end + 25].split("。")[0]):
            label = "ORG"
        elif not abbreviation and i is not None and last is not None and any(t.ent_type == "Person" for t in toks[i : last + 1]):
            label = "PERSON?"  # GiNZA's reading alone: the trained component's label decides where it read these words
        elif 2 <= len(words) <= 5 and all(w[0].isupper() for w in words) and VIETNAMESE_MARKS.search(surface):
            label = "PERSON"
        if label == "PERSON?":
            label = "PERSON" if VIETNAMESE_MARKS.search(surface) else component_label.get((start, end), "PERSON")
        if label:
            out.append(Candidate(start, end, label, doc.ginza_label_at(start), RULE_PRIORITY, rule="latin"))
    return out


def people_before_titles(doc: Analysed) -> list[Candidate]:
    """A name right before a job title is a person; the title stays outside.

    The name is a katakana name joined by ・ (エークニティ・ニティタンプラパート
    局長), one katakana word Sudachi does not know (フォンデアライエン委員長) or
    Sudachi's person-name tokens (岸田文雄首相).
    """
    text, toks, out = doc.text, doc.toks, []
    for m in KATAKANA_NAME.finditer(text):
        i, last = doc.by_start.get(m.start()), doc.by_end.get(m.end())
        if i is not None and last is not None and title_after(toks, last + 1):
            out.append(doc.candidate(i, last + 1, "PERSON", RULE_PRIORITY, "katakana-person"))
    for n, t in enumerate(toks):
        starts_compound = n == 0 or not adjacent(toks[n - 1], t) or not toks[n - 1].is_nounish
        if is_katakana(t.text) and not t.common_word and "固有名詞-一般" not in t.tag and starts_compound and title_after(toks, n + 1):
            out.append(doc.candidate(n, n + 1, "PERSON", RULE_PRIORITY, "katakana-person"))
    i = 0
    while i < len(toks):
        if not toks[i].is_person_name:
            i += 1
            continue
        j = i + 1
        while j < len(toks) and toks[j].is_person_name and adjacent(toks[j - 1], toks[j]):
            j += 1
        if title_after(toks, j):
            out.append(doc.candidate(i, j, "PERSON", RULE_PRIORITY, "person-title"))
        i = j
    return out


def katakana_companies(doc: Analysed) -> list[Candidate]:
    """ブルサ・マレーシア: a katakana name ending in a country, not starting
    with a place and not a person, names a company (often a local
    subsidiary) rather than the country."""
    out = []
    for m in KATAKANA_NAME.finditer(doc.text):
        i, last = doc.by_start.get(m.start()), doc.by_end.get(m.end())
        if i is None or last is None:
            continue
        toks = doc.toks
        if (
            toks[last].tag.endswith("地名-国")
            and not toks[i].is_place
            and not title_after(toks, last + 1)
            and doc.ginza_label(i, last + 1) != "Person"
        ):
            out.append(doc.candidate(i, last + 1, "ORG", RULE_PRIORITY, "katakana-company"))
    return out


def law_numbers(doc: Analysed) -> list[Candidate]:
    """Numbered instruments (政令第135/2024/ND-CP号), which GiNZA cuts apart."""
    return [Candidate(m.start(), m.end(), "LAW", doc.ginza_label_at(m.start()), RULE_PRIORITY, rule="law-number") for m in LAW_NUMBER.finditer(doc.text)]


def quoted_products(doc: Analysed) -> list[Candidate]:
    """小型EV「ドルフィン」, SUV「ATTO 3」: a kana or Latin name quoted after a
    product noun.  Other quotes are titles and slogans, not entities."""
    out = []
    for m in re.finditer(r"「([^「」]{1,30})」", doc.text):
        if re.search(r"[\u3040-\u309f\u3400-\u9fff]", m.group(1)):
            continue  # kanji or hiragana: a title, slogan or policy
        before = doc.by_end.get(m.start())
        if before is not None and doc.toks[before].text in PRODUCT_CATEGORIES:
            out.append(Candidate(m.start(1), m.end(1), "PRODUCT", doc.ginza_label_at(m.start(1)), RULE_PRIORITY, rule="quoted-product"))
    return out


def place_tokens(doc: Analysed) -> list[Candidate]:
    """Sudachi's own place names (固有名詞-地名) that GiNZA left untagged.

    Only where the place stands alone, takes an administrative ending
    (ジャカルタ特別州) or modifies a noun (中国企業) -- not inside a longer name
    (東京 of 東京府, 太平洋 of 太平洋戦争).  Also a place heading one Sudachi
    word used as a modifier (日本勢, whose short split is 日本 + 勢).
    """
    toks, out = doc.toks, []
    for n, t in enumerate(toks):
        nxt = toks[n + 1] if n + 1 < len(toks) and adjacent(t, toks[n + 1]) else None
        if t.is_place and t.is_proper and nxt is not None and nxt.text in ADMINISTRATIVE_SUFFIXES:
            out.append(doc.candidate(n, n + 2, "GPE", FALLBACK_PRIORITY, "place-token"))
        elif t.is_place and t.is_proper and standalone(toks, n):
            out.append(doc.candidate(n, n + 1, "GPE", FALLBACK_PRIORITY, "place-token"))
        elif len(t.parts) >= 2 and "地名" in t.parts[0][1]:
            head = t.parts[0][0]
            if t.text.startswith(head) and t.text[len(head) :] in MODIFIER_TAILS:
                out.append(Candidate(t.start, t.start + len(head), "GPE", t.ent_type, FALLBACK_PRIORITY, rule="place-modifier"))
    return out


def standalone(toks: list[Tok], n: int) -> bool:
    before = toks[n - 1] if n > 0 and adjacent(toks[n - 1], toks[n]) else None
    after = toks[n + 1] if n + 1 < len(toks) and adjacent(toks[n], toks[n + 1]) else None
    if before is not None and before.is_nounish and before.text not in PLACE_PREFIXES:
        return False
    if after is not None and after.is_nounish and after.text not in MODIFIER_TAILS:
        return False
    return not demonym_follows(toks, n + 1)


# ==========================================================================
# Putting the candidates together


def resolve(candidates: list[Candidate], length: int) -> list[Candidate]:
    """Keep the highest-priority, then longest, candidates that do not overlap.

    Longest first is the README's "the outermost name wins".
    """
    taken = bytearray(length)
    kept = []
    for c in sorted(candidates, key=lambda c: (-c.priority, c.start - c.end, c.start)):
        if c.end <= c.start or any(taken[c.start : c.end]):
            continue
        kept.append(c)
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
    return sorted(kept, key=lambda c: c.start)


def abbreviations(doc: Analysed, kept: list[Candidate]) -> list[Candidate]:
    """A full name and its parenthesised abbreviation are two entities.

    ``タイ投資委員会（BOI）`` gives BOI, labelled like the name, with
    ``canonical`` = タイ投資委員会; so does every later BOI in the text, and
    the reverse order ``PLN（Perusahaan Listrik Negara）``.  The abbreviation
    of a common-noun phrase (排出量取引制度（ETS）) is a scheme, not a name:
    GiNZA's tags on it are dropped everywhere in the text.
    """
    text = doc.text
    meaning: dict[str, Candidate | None] = {}
    for m in ABBREVIATION_IN_PARENS.finditer(text):
        name, kept = name_before(doc, kept, m.start())
        if name is not None and name.label == "PERSON" and name.rule == "wiki-ner":
            # a name spelt out before a Latin abbreviation names a body (比亜迪（BYD）), not a person
            kept = [replace(c, label="ORG") if c is name else c for c in kept]
            name = replace(name, label="ORG")
        if name is None or name.label == "PERSON":
            meaning.setdefault(m.group(1), None)
        else:
            meaning[m.group(1)] = name
    for m in EXPANSION_IN_PARENS.finditer(text):
        abbr, start, end = m.group(1), m.start(2), m.end(2)
        if meaning.get(abbr) is not None or abbr[0] != m.group(2)[0] or len(m.group(2).split()) < 2:
            continue
        same = next((c for c in kept if (c.start, c.end) == (start, end) and c.label != "PERSON"), None)
        if same is not None and is_model_span(same) and same.label not in ("ORG", "FAC", "EVENT", "LAW"):
            same = replace(same, label="ORG")  # words spelt out from an abbreviation name a body (PLN), not a product
        name = same or Candidate(start, end, "ORG", doc.ginza_label_at(start), RULE_PRIORITY, rule="abbreviation-name")
        kept = [c for c in kept if c.end <= start or c.start >= end] + [name]
        meaning[abbr] = name
    out = [c for c in kept if not (is_model_span(c) and text[c.start : c.end] in meaning)]
    taken = bytearray(len(text))
    for c in out:
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
    for abbr, name in meaning.items():
        if name is None:
            continue
        full = text[name.start : name.end]
        for m in re.finditer(rf"(?<![A-Za-z0-9\-]){re.escape(abbr)}(?![A-Za-z0-9\-])", text):
            if not any(taken[m.start() : m.end()]):
                out.append(Candidate(m.start(), m.end(), name.label, doc.ginza_label_at(m.start()), RULE_PRIORITY, full, "abbreviation"))
                taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    return sorted(out, key=lambda c: c.start)


def name_before(doc: Analysed, kept: list[Candidate], paren: int) -> tuple[Candidate | None, list[Candidate]]:
    """The name an abbreviation in parentheses at ``paren`` stands for.

    The entity ending there; or, where GiNZA found nothing or only the end
    of it (迪 of 比亜迪), the compound noun ending there if it looks like a
    name: a proper noun in it, not ending in a scheme word (制度) or a title
    (最高経営責任者（CEO）).  A descriptor in front (国営電力会社テナガ・
    ナショナル) is left out, and GiNZA's pieces inside are replaced.
    """
    end = paren
    while end > 0 and doc.text[end - 1] == " ":
        end -= 1
    name = next((c for c in kept if c.end == end), None)
    i = doc.by_end.get(end)
    if i is None:
        return name, kept
    outer = compound_start(doc.toks, i)
    start = katakana_name_after_descriptor(doc, outer, i + 1)
    if name is not None and not (is_model_span(name) and name.start > doc.toks[start].start):
        return name, kept
    words = doc.words(start, i + 1)
    if not name_like(doc.toks, start, i + 1) or words.endswith(POLICY_HEADS + TITLE_WORDS) or is_quoted_whole(doc.toks, start, i + 1):
        return name, kept
    name = doc.candidate(start, i + 1, "ORG", RULE_PRIORITY, "abbreviation-name")
    outer_start = doc.toks[outer].start
    kept = [c for c in kept if c.end <= outer_start or c.start >= name.end or not (is_model_span(c) or c.rule.startswith("place"))]
    kept = [c for c in kept if c.end <= name.start or c.start >= name.end] + [name]
    return name, kept


def katakana_name_after_descriptor(doc: Analysed, i: int, j: int) -> int:
    """Where the katakana name starts after kanji words that describe it."""
    for k in range(i + 1, j):
        if KATAKANA_NAME.fullmatch(doc.words(k, j)) and has_kanji(doc.toks[k - 1].text):
            return k
    return i


def repeats(doc: Analysed, kept: list[Candidate]) -> list[Candidate]:
    """Every mention counts: a name found once is found again where GiNZA missed it.

    Whole tokens only, so タイ does not fire inside タイプ; a place may end
    inside a token before a modifier (日本|勢) but not before a demonym (日本|人).
    """
    text, out = doc.text, list(kept)
    taken = bytearray(len(text))
    for c in out:
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
    first: dict[str, Candidate] = {}
    for c in kept:
        if c.end - c.start >= 2:
            first.setdefault(text[c.start : c.end], c)
    for surface, c in first.items():
        for m in re.finditer(re.escape(surface), text):
            s, e = m.start(), m.end()
            if s not in doc.by_start or any(taken[s:e]) or (c.label == "GPE" and text[e : e + 1] in DEMONYM_TAILS):
                continue
            if e not in doc.by_end and not (c.label == "GPE" and modifier_tail(doc, e)):
                continue
            out.append(Candidate(s, e, c.label, doc.ginza_label_at(s), RULE_PRIORITY, c.canonical, "repeat"))
            taken[s:e] = b"\x01" * (e - s)
    return sorted(out, key=lambda c: c.start)


def modifier_tail(doc: Analysed, end: int) -> bool:
    tok = doc.token_at(end)
    return tok is not None and tok.start < end and tok.text[end - tok.start :] in MODIFIER_TAILS


# ==========================================================================
# The trained component's names (pipeline/pull/trained_ner.py), checked


def has_name_word(toks: list[Tok]) -> bool:
    """A word that can make a name: a proper noun, a word Sudachi's dictionary does not know, or Latin letters.

    A compound of dictionary common nouns alone (自動車部品業界, 第4期)
    is a description, whatever a model trained on other text says; so is a
    word the dictionary lacks whose short units it lists as common nouns
    (オフィスビル = オフィス + ビル).
    """
    return any((t.is_proper and not is_common_compound(t)) or is_latin(t.text) for t in toks)


def is_common_compound(tok: Tok) -> bool:
    """A word missing from the dictionary (so tagged a name) whose short units are all dictionary common nouns."""
    from pipeline.pull.ginza import is_common_word

    return "固有名詞" not in tok.tag and len(tok.parts) > 1 and all(is_common_word(surface) for surface, _ in tok.parts)


def read_as_name_by_both(toks: list[Tok], label: str, words: str) -> bool:
    """A compound of common words that is a name all the same: an event by its head word, or a name both models read.

    The name-word check (:func:`has_name_word`) drops what the trained
    component calls a name when every word of it is a dictionary common
    noun; names of events (第一次世界大戦, …大統領選挙, …選手権大会) and of
    bodies (大日本帝国陸軍, 大蔵省証券局) are often made of such words.  Two
    kinds of evidence keep them: an event whose last word is an event's head
    (:data:`EVENT_HEADS`), in more than one word; or a body, facility or
    event written with kanji in more than one word that GiNZA, trained on
    other text, reads under the same label.  A single dictionary word
    (国会, アルミニウム) and katakana compounds (ブラウンエネルギー) stay
    descriptions; so do products, whose common-word names (温室効果ガス
    排出量) the two models agree on too often.  Measured on the dev slice of
    the Wikipedia set (train-only weights): finder 0.6693 -> 0.6773 with the
    next change (:func:`contradicted_by_component`); the newsletters keep 0.971.
    """
    if len(toks) < 2:
        return False
    if label == "EVENT" and head_label(words) == "EVENT":
        return True
    return label in ("ORG", "FAC", "EVENT") and has_kanji(words) and any(ENE_TO_LABEL.get(t.ent_type) == label for t in toks)


def head_label(words: str) -> str | None:
    """The label the name's last word gives, where it gives one: a meeting is an event, a law a law."""
    if words.endswith(EVENT_HEADS) or LATIN_EVENT.match(unicodedata.normalize("NFKC", words)):
        return "EVENT"
    if words.endswith(LAW_HEADS):
        return "LAW"
    return None


#: Heads of schemes, programmes and policies, which the bench README does not count as entities.
SCHEME_HEADS = (
    "制度", "計画", "政策", "戦略", "構想", "プログラム", "プロジェクト", "イニシアチブ", "イニシアティブ",
    "メカニズム", "スキーム", "ロードマップ", "ガイドライン", "指針", "目標",
)
#: Inside a name: nouns, affixes, Latin and digits, and the few joiners names use (の, ・, ー, &).
NAME_JOINERS = frozenset("の・ー&＆-－")
ORDINAL_START = re.compile(r"^第[0-9０-９一二三四五六七八九十百]+")


def is_noun_phrase(toks: list[Tok]) -> bool:
    """A name is a noun phrase: no verb, no case particle but の, no clause punctuation (…の影響を評価することは… is not one)."""
    return all(t.is_nounish or t.text in NAME_JOINERS or t.pos == "NUM" for t in toks)


def plausible_model_names(doc: Analysed, candidates: list[Candidate], others: list[Candidate] = ()) -> list[Candidate]:
    """The trained component's names that read as names, by Japanese typography, Sudachi's dictionary and the bench's conventions.

    Dropped: a name GiNZA's corrected span already gives (same extent and
    label: GiNZA's row stands); a name inside a longer one a rule found (the
    outermost name wins); spans that are not a noun phrase; an era
    name (令和); a compound of dictionary common nouns alone (自動車部品
    業界), unless its head makes it an event or both models read it as the
    same name (:func:`read_as_name_by_both`); an ordinal description (第4期, 第8次…計画) unless its head makes it
    an event or a law; a scheme, programme or policy (…プログラム, …計画), which
    the bench does not count; a "person" of ・-joined dictionary words
    (グリーン・ボンド); a place that is neither in the dictionary nor
    written in katakana or Latin.  A product the component reads as the
    whole of a 「…」 written with kana, katakana or Latin (a work's title,
    風と共に去りぬ) skips the noun-phrase and name-word checks
    (:func:`is_quoted_title`); kanji words in 「」 are a slogan (一帯一路).

    Where the component and GiNZA disagree, the component decides: it reads
    GiNZA's entity reading as one of its features (:mod:`pipeline.pull.trained_ner`),
    so its extent (a shorter name inside GiNZA's longer span, which often
    glues on a descriptor or a tail), its label (GiNZA's place read as a
    facility or a body) and its events without an event's head word (ドイツ
    再統一) are learnt over GiNZA's, not blind to it.  Measured on the dev
    slice of the Wikipedia set, these three checks of GiNZA's word over the
    component's cost 0.017 F1; the newsletters keep 0.971.
    Changed: 諸国, 北部 … stay outside a place (中東諸国 -> 中東);
    a head word (…会議, …法) decides between event, law and the rest; a joiner
    at either end (欧州・) is left out; places joined by ・ are a list.
    """
    agreed = {(o.start, o.end, "GPE" if o.label == "LOC" else o.label) for o in others if is_model_span(o)}
    out = []
    for c in candidates:
        if (c.start, c.end, "GPE" if c.label == "LOC" else c.label) in agreed:
            continue  # GiNZA's corrected span says the same: its row stands
        if any(o.start <= c.start and c.end <= o.end and (o.start, o.end) != (c.start, c.end) and not is_model_span(o) for o in others):
            continue  # part of a longer name a rule found: the outermost name wins
        i, j = doc.by_start.get(c.start), doc.by_end.get(c.end)
        while i is not None and j is not None and i < j and doc.toks[j].text in NAME_JOINERS:
            j -= 1  # 欧州・
        if i is None or j is None or doc.toks[i].text in NAME_JOINERS:
            continue
        c = replace(c, end=doc.toks[j].end)
        toks, words = doc.toks[i : j + 1], doc.text[c.start : c.end]
        quoted_title = c.label == "PRODUCT" and is_quoted_title(doc.toks, i, j + 1)
        if not quoted_title and (not is_noun_phrase(toks) or ERA_NAME.fullmatch(words) or ERA_YEAR.match(words) or not (has_name_word(toks) or read_as_name_by_both(toks, c.label, words))):
            continue
        headed = head_label(words)
        if ORDINAL_START.match(words) and headed is None:
            continue
        if words.endswith(SCHEME_HEADS):
            continue  # initiatives, programmes and policies are not entities (bench README)
        if toks[-1].text in PLACE_SUFFIXES_DROPPED and any(t.is_place for t in toks):
            out.extend(replace(p, priority=c.priority, rule=c.rule) for p in ginza_places(doc, i, j + 1, c.ner_label, c.rule, False))
            continue  # 中東諸国: the place, without 諸国
        if c.label == "PERSON" and sum(t.is_common_noun and KATAKANA.fullmatch(t.text) is not None for t in toks) >= 2:
            continue  # ・-joined dictionary words (グリーン・ボンド) are not a person's names
        parts = split_on_dots(doc.toks, i, j + 1)
        if len(parts) > 1 and all(any(t.is_place for t in doc.toks[a:b]) for a, b in parts):
            out.extend(doc.candidate(a, b, "GPE", c.priority, c.rule, c.ner_label) for a, b in parts)
            continue  # 欧州・中東・アフリカ: a list of places, as ・ lists words
        if (c.label == "GPE" or words in country_names()) and demonym_follows(doc.toks, j + 1):
            continue  # タイ|人: a demonym, not a place (bench README)
        if words in country_names():
            c = replace(c, label="GPE")  # a country's name (CLDR)
        elif headed is not None and c.label in ("PRODUCT", "EVENT", "ORG", "LAW"):
            c = replace(c, label=headed)
        elif c.label == "GPE" and not any(t.is_place or KATAKANA.fullmatch(t.text) or is_latin(t.text) for t in toks):
            continue  # a place the dictionary does not know is written in katakana or Latin letters; 比亜迪 is not one
        out.append(c)
    return out


#: GiNZA's labels that stand where the trained component reads no name: places, which Sudachi's dictionary knows.
GINZA_ALONE_LABELS = frozenset(("GPE", "LOC", "LAW"))
#: GiNZA's labels that yield where the trained component reads another name over the same words.
GINZA_YIELDS_LABELS = frozenset(("ORG", "PERSON", "FAC", "PRODUCT"))


def contradicted_by_component(candidate: Candidate, component_spans: list[tuple[int, int]], headed_event: bool = False) -> bool:
    """GiNZA's span where the trained component, having read GiNZA's reading, saw no such name.

    The component takes GiNZA's entity reading of each token as a feature
    (:func:`pipeline.pull.trained_ner.carry_ginza_entities`), so a span of
    GiNZA's it left out is one it learnt to doubt: GiNZA's name where the
    component found nothing over those words (other than a place or a
    law, or an event with an event's head word: 第2回…首脳会合), and GiNZA's body, person, facility or product where the
    component read a different name over them.  Measured on the dev slice
    of the Wikipedia set with train-only weights, the first were right 9
    times in 38 and the second 1 in 33 (places 8 of 8); on the shared
    newsletters GiNZA has no span of the first kind and only places and
    events of the second.
    """
    over = [(s, e) for s, e in component_spans if s < candidate.end and candidate.start < e]
    if not over:
        return candidate.label not in GINZA_ALONE_LABELS and not (candidate.label == "EVENT" and headed_event)
    return (candidate.start, candidate.end) not in over and candidate.label in GINZA_YIELDS_LABELS


def model_candidates(doc: Analysed, spans: list[tuple[int, int, str]], model_spans=None, rule_candidates=()) -> list[Candidate]:
    """GiNZA's corrected spans, and above them the trained component's names that read as names.

    On text unlike GiNZA's training data the trained component
    (:mod:`pipeline.pull.trained_ner`) finds names GiNZA misses or mislabels;
    where it proposes nothing plausible, GiNZA's span stands unless the
    component contradicts it (:func:`contradicted_by_component`).
    ``model_spans`` is None when the component did not read the text (its
    weights are absent): then every GiNZA span stands.  Rules with specific
    evidence (suffixes, titles, abbreviations) still win over both.
    """
    theirs = ginza_spans(doc, spans)
    if model_spans is not None:
        read = [(doc.toks[i].start, doc.toks[j - 1].end) for i, j, _ in model_spans]
        theirs = [c for c in theirs if not contradicted_by_component(c, read, head_label(doc.text[c.start : c.end]) == "EVENT")]
    theirs += list(rule_candidates)
    own = plausible_model_names(doc, ginza_spans(doc, list(model_spans or ()), "wiki-ner", checked=False), theirs)
    return theirs + [replace(c, priority=TRAINED_PRIORITY) for c in own]


def correct(text: str, toks: list[Tok], spans: list[tuple[int, int, str]], model_spans=None) -> list[Candidate]:
    """All rules on one text: its tokens, GiNZA's spans and the trained component's in, entities out.

    ``model_spans`` is None when the trained component did not read the text.
    """
    doc = Analysed(text, toks)
    rules = (
        suffix_names(doc)
        + latin_names(doc, {(doc.toks[i].start, doc.toks[j - 1].end): label for i, j, label in model_spans or () if label in OUR_LABELS})
        + people_before_titles(doc)
        + katakana_companies(doc)
        + law_numbers(doc)
        + quoted_products(doc)
        + place_tokens(doc)
    )
    candidates = model_candidates(doc, spans, model_spans, rules)
    kept = resolve(candidates, len(text))
    kept = joined_areas(text, kept)
    kept = abbreviations(doc, kept)
    return repeats(doc, kept)


#: Every rule an entity row can name in its ``rule`` column, and what it rests on.
#: Each has positive and negative cases in ``tests/rule_cases/``.
RULES: dict[str, str] = {
    "ginza": "GiNZA's span, its label mapped and its extent corrected, checked against Sudachi's tags",
    "model-title": "a person a model (GiNZA or the trained component) glued to a job title after the name: the name alone",
    "model-modifier": "a place a model (GiNZA or the trained component) glued to a modifier (中国勢): the place alone",
    "suffix": "a compound ending in a body's or place's suffix (…省, …委員会, …政府, …港)",
    "latin": "a run of Latin words that is a name (capitalised words, an abbreviation)",
    "katakana-person": "katakana words joined by ・ or ＝ before a title or as the subject: a person",
    "person-title": "a name Sudachi tags as a person's before a job title",
    "katakana-company": "a katakana name before a company word (社, グループ)",
    "law-number": "a law or decree cited by number (政令第19号)",
    "quoted-product": "a kana or Latin name quoted after a product category (小型EV「…」)",
    "place-token": "a word Sudachi's dictionary tags as a place name, where nothing else claims it",
    "place-modifier": "a place name at the head of a token used as a modifier (日本勢)",
    "dot-joined-area": "katakana words joined by ・ with one administrative ending: one area (…・…州)",
    "abbreviation-name": "the full name before a parenthesised abbreviation",
    "abbreviation": "the abbreviation of a full name, wherever it appears in the text",
    "repeat": "a name found once, found again where the model missed it",
    "wiki-ner": "the trained component's name (pipeline/pull/trained_ner.py), kept where it reads as a name (plausible_model_names)",
}
