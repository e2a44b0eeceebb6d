"""Entity finder: one small sentence per correction rule, then the gold newsletters.

The sentences are made up for these tests (none comes from a gold file);
each pins one convention of bench/README.md, "Entities (ENT)".  The model
is loaded once for the module.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter

import pytest

pytest.importorskip("ja_ginza", reason="the entity finder needs the ja_ginza model")

from conftest import NEWSLETTERS as GOLD_DIR  # noqa: E402
from pipeline.pull.entities import MAX_CHUNK_BYTES, get_entity_finder, split_text  # noqa: E402

#: Measured 0.988 (entities) and 0.994 (surfaces only) with GiNZA and rules
#: alone; 0.971 and 0.971 with the trained component beside them (its second version too);
#: 0.974 with its third version and the narrowed checks, which lift the held-out
#: Wikipedia test part from 0.51 to 0.70 (docs/pull.md).
#: Kept a little lower so that a later change cannot lose the level silently.
GOLD_ENTITIES_F1 = 0.97
GOLD_SPANS_F1 = 0.97


@pytest.fixture(scope="module")
def finder():
    return get_entity_finder()


def found(finder, text: str) -> list[tuple[str, str]]:
    [mentions] = finder.find([text])
    return [(m.surface, m.label) for m in mentions]


def test_government_suffix_is_org(finder):
    entities = found(finder, "インドネシア政府は新たな規制を発表し、フィリピン政府も追随した。")
    assert entities == [("インドネシア政府", "ORG"), ("フィリピン政府", "ORG")]


def test_ministry_outermost_name_wins(finder):
    entities = found(finder, "中国国家発展改革委員会と韓国産業通商資源部は協議を続けている。")
    assert entities == [("中国国家発展改革委員会", "ORG"), ("韓国産業通商資源部", "ORG")]


def test_country_used_as_modifier_is_gpe(finder):
    entities = found(finder, "日本企業と中国勢の競争が激しく、米国側も注視している。")
    assert entities == [("日本", "GPE"), ("中国", "GPE"), ("米国", "GPE")]


def test_title_outside_person_name(finder):
    entities = found(finder, "オーストラリアのアンソニー・アルバニージー首相と中国の李強首相が会談した。")
    assert ("アンソニー・アルバニージー", "PERSON") in entities
    assert ("李強", "PERSON") in entities
    assert not any("首相" in surface for surface, _ in entities)


def test_parenthesised_abbreviation_gets_canonical(finder):
    [mentions] = finder.find(["フィリピンエネルギー省（DOE）は入札を実施した。DOEによると応募は20件だった。"])
    assert [(m.surface, m.label, m.canonical) for m in mentions] == [
        ("フィリピンエネルギー省", "ORG", None),
        ("DOE", "ORG", "フィリピンエネルギー省"),
        ("DOE", "ORG", "フィリピンエネルギー省"),
    ]


def test_abbreviation_before_its_latin_name(finder):
    [mentions] = finder.find(["国営電力会社PLN（Perusahaan Listrik Negara）は計画を改定した。"])
    assert ("PLN", "ORG", "Perusahaan Listrik Negara") in [(m.surface, m.label, m.canonical) for m in mentions]


def test_abbreviation_of_a_scheme_is_not_an_entity(finder):
    entities = found(finder, "欧州連合は炭素国境調整メカニズム（CBAM）を導入する。CBAMは2026年から本格適用される。")
    assert not any(surface == "CBAM" for surface, _ in entities)


def test_vietnamese_name_with_diacritics_kept_whole(finder):
    entities = found(finder, "Phạm Minh Chính首相は、Lê Minh Khái副首相とともにハノイで演説した。")
    assert entities == [("Phạm Minh Chính", "PERSON"), ("Lê Minh Khái", "PERSON"), ("ハノイ", "GPE")]


def test_latin_company_name_kept_whole_without_sha(finder):
    entities = found(finder, "シンガポールのKeppel Corporation Limitedは、PT Pertamina社と提携した。")
    assert ("Keppel Corporation Limited", "ORG") in entities
    assert ("PT Pertamina", "ORG") in entities


def test_regions_and_continents_are_gpe(finder):
    entities = found(finder, "製品は東南アジアや中東、アフリカへ輸出され、欧州・中東・アフリカの需要も大きい。")
    assert entities == [(s, "GPE") for s in ("東南アジア", "中東", "アフリカ", "欧州", "中東", "アフリカ")]


def test_policies_markets_titles_and_demonyms_are_not_entities(finder):
    text = "政府は「グリーン成長戦略」を掲げ、排出量取引市場を開設する。日本人の技術者や大臣も参加した。"
    assert found(finder, text) == []


def test_quoted_model_after_product_noun_is_product(finder):
    assert found(finder, "同社の新型EV「シール」は好評だ。") == [("シール", "PRODUCT")]


def test_place_with_administrative_ending_is_gpe(finder):
    entities = found(finder, "ダナン市とホーチミン市、ジャカルタ特別州で実証が進む。")
    assert entities == [("ダナン市", "GPE"), ("ホーチミン市", "GPE"), ("ジャカルタ特別州", "GPE")]


def test_offsets_point_into_text(finder):
    texts = [
        "２０２５年、ベトナム商工省（MOIT）は\nNguyễn Văn Bình副大臣の下で計画を公表した。",
        "",
        "タイ投資委員会（BOI）によると、BOIの承認件数は増えた。",
    ]
    results = finder.find(texts)
    assert len(results) == len(texts)
    assert results[1] == []
    for text, mentions in zip(texts, results):
        for m in mentions:
            assert text[m.char_start : m.char_end] == m.surface
    assert ("Nguyễn Văn Bình", "PERSON") in [(m.surface, m.label) for m in results[0]]


def test_long_text_is_split_and_offsets_kept(finder):
    paragraph = "マレーシア政府はサバ州で、ペナン州の企業と協力する。アンワル・イブラヒム首相が発表した。"
    text = "\n".join(f"{n}. {paragraph}" for n in range(400))
    assert len(text.encode("utf-8")) > 49_149  # SudachiPy's input limit
    pieces = list(split_text(text))
    assert len(pieces) > 1
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece.encode("utf-8")) <= MAX_CHUNK_BYTES for _, piece in pieces)
    assert all(piece.endswith("\n") for _, piece in pieces[:-1])

    [mentions] = finder.find([text])
    for m in mentions:
        assert text[m.char_start : m.char_end] == m.surface
    [one] = finder.find([paragraph])
    assert len(mentions) == 400 * len(one)
    assert mentions[-1].char_start > len(text) - len(paragraph)


def test_one_long_paragraph_is_split_at_sentences():
    sentence = "ベトナム政府は計画を承認した。"
    text = sentence * 4000
    pieces = list(split_text(text))
    assert "".join(piece for _, piece in pieces) == text
    assert all(piece.endswith("。") for _, piece in pieces)


def _f1(tp: int, pred: int, gold: int) -> float:
    precision, recall = tp / pred if pred else 0.0, tp / gold if gold else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@pytest.mark.skipif(not GOLD_DIR.is_dir(), reason=f"gold newsletters not found at {GOLD_DIR}")
def test_gold_newsletters_f1(finder):
    """Scored like bench/score.py: (NFKC surface, label) multisets per article."""
    articles, gold = [], []
    for path in sorted(GOLD_DIR.glob("*.gold.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for article in data["articles"]:
            articles.append(article["body"])
            gold.append(
                Counter(
                    (unicodedata.normalize("NFKC", e["surface"]), e["label"])
                    for e in data["entities"]
                    if e["article_id"] == article["id"]
                )
            )
    assert articles, f"no *.gold.json in {GOLD_DIR}"
    counts = Counter()
    for expected, mentions in zip(gold, finder.find(articles)):
        predicted = Counter((unicodedata.normalize("NFKC", m.surface), m.label) for m in mentions)
        surfaces = Counter(s for s, _ in predicted.elements()), Counter(s for s, _ in expected.elements())
        counts.update(
            tp=sum((predicted & expected).values()),
            pred=sum(predicted.values()),
            gold=sum(expected.values()),
            span_tp=sum((surfaces[0] & surfaces[1]).values()),
        )
    entities, spans = _f1(counts["tp"], counts["pred"], counts["gold"]), _f1(counts["span_tp"], counts["pred"], counts["gold"])
    assert entities >= GOLD_ENTITIES_F1, entities
    assert spans >= GOLD_SPANS_F1, spans


def test_a_transcribed_area_joined_by_nakaguro_is_one_place(finder):
    assert ("マディヤ・プラデーシュ州", "GPE") in found(finder, "新工場はマディヤ・プラデーシュ州に建つ。")
    assert ("タミル・ナドゥ州", "GPE") in found(finder, "タミル・ナドゥ州政府が認可した。") or ("タミル・ナドゥ州政府", "ORG") in found(
        finder, "タミル・ナドゥ州政府が認可した。"
    )
    # a list gives each area its own ending: two places
    assert {("ジャワ島", "GPE"), ("スマトラ島", "GPE")} <= set(found(finder, "送電線はジャワ島・スマトラ島を結ぶ。"))


def test_is_transcribed_area_reads_the_typography_only():
    from pipeline.pull.entity_labels import is_transcribed_area

    assert is_transcribed_area("ノルテ・デ・サンタンデール県")
    assert not is_transcribed_area("欧州・中東")  # no administrative ending
    assert not is_transcribed_area("アチェ州・リアウ州")  # a list: each part has its own


def test_ginza_reading_moves_from_the_entities_to_ent_id(finder):
    """The trained component sees GiNZA's reading as a feature; GiNZA's entities must not stay fixed on the doc."""
    from pipeline.pull.trained_ner import carry_ginza_entities

    with finder.nlp.select_pipes(disable=[p for p in finder.nlp.pipe_names if p not in ("tok2vec", "ner")]):
        doc = finder.nlp("山田花子は大阪府に住む。")
    read = {(t.text, t.ent_iob_, t.ent_type_) for t in doc if t.ent_type_}
    assert read, "GiNZA found no entity in the sentence"
    carry_ginza_entities(doc)
    assert doc.ents == ()
    assert all(t.ent_iob_ == "O" for t in doc)  # spaCy's NER may now place its own entities anywhere
    assert {(t.text, t.ent_id_) for t in doc if t.ent_id_ != "O"} == {(text, f"{iob}-{label}") for text, iob, label in read}
