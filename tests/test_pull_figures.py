"""Figures: one test per rule, then ja-timex's duration cases as data.

Durations are figures in this project (10年間 → 10 年), so ja-timex's
absolute duration cases are checked here: the time figures found in a case
are composed into an ISO-8601 duration and compared with the peer's value.
Cases we treat differently are in ``tests/known_differences/ja-timex.jsonl``.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from conftest import SHARED, load_jsonl

import pipeline.pull.figures as module_under_test
from pipeline.pull.figures import find_figures

CASES = SHARED / "bench" / "ja-timex-cases.jsonl"
KNOWN = Path(__file__).resolve().parent / "known_differences" / "ja-timex.jsonl"


def figures(text: str) -> list[tuple[str, float, str | None]]:
    return [(m.surface, m.value, m.unit) for m in find_figures(text)]


def value_units(text: str) -> list[tuple[float, str | None]]:
    return [(m.value, m.unit) for m in find_figures(text)]


peer_cases = pytest.mark.skipif(not CASES.exists(), reason=f"peer cases not found at {CASES} (../shared is absent)")


# --- values and scales --------------------------------------------------------------


def test_man_scale_with_teu():
    assert figures("2.6万TEU(標準コンテナ)の輸送量") == [("2.6万TEU", 26000, "TEU")]


def test_cho_and_oku_with_currency():
    assert figures("累計約1兆2000億ウォン（約8億7000万ドル）") == [
        ("約1兆2000億ウォン", 1_200_000_000_000, "KRW"),
        ("約8億7000万ドル", 870_000_000, "USD"),
    ]


def test_thousands_comma_and_decimal():
    assert value_units("往復16,562列車で161.4万TEU") == [(16562, "列車"), (1_614_000, "TEU")]


def test_full_width_digits_with_counter():
    assert figures("日系の電子部品メーカー１５０社が") == [("１５０社", 150, "社")]


def test_kanji_numeral_with_counter():
    assert value_units("三カ国と五十社") == [(3, "国"), (50, "社")]


def test_wari_to_percent():
    assert figures("約8割のシェア") == [("約8割", 80, "%")]


def test_percent_full_and_half_width():
    assert value_units("約70％と約5%") == [(70, "%"), (5, "%")]


def test_times_ratio():
    assert figures("輸入台数の2倍") == [("2倍", 2, "倍")]


# --- qualifiers ------------------------------------------------------------------------


def test_qualifiers_are_in_surface_and_in_their_own_field():
    found = find_figures("最大10万バーツ、200件以上、100kW未満、416万人以上、50％以上")
    assert [(m.surface, m.qualifier) for m in found] == [
        ("最大10万バーツ", "最大"), ("200件以上", "以上"), ("100kW未満", "未満"), ("416万人以上", "以上"), ("50％以上", "以上")
    ]


def test_amari_between_number_and_counted_noun():
    found = find_figures("150余りの国と30余りの地域及び国際機関")
    assert [(m.surface, m.value, m.unit, m.qualifier) for m in found] == [
        ("150余り", 150, "国", "余り"), ("30余り", 30, "地域", "余り")
    ]


def test_approximate_magnitude_is_a_lower_bound():
    found = find_figures("十数カ国と数百社")
    assert [(m.value, m.unit, m.qualifier) for m in found] == [(10, "国", "以上"), (100, "社", "以上")]


# --- ranges -------------------------------------------------------------------------


def test_range_gives_two_linked_figures():
    found = find_figures("FDIの約35～40％を構成")
    assert [(m.surface, m.value, m.unit) for m in found] == [("約35", 35, "%"), ("40％", 40, "%")]
    assert (found[0].range_partner, found[1].range_partner) == (1, 0)


def test_wari_range_gives_percent_at_both_ends():
    assert value_units("1～2割引き下げ") == [(10, "%"), (20, "%")]


def test_range_takes_scale_of_second_end():
    assert value_units("3～5万人") == [(30000, "人"), (50000, "人")]


def test_range_does_not_scale_a_first_end_already_larger():
    assert value_units("トン当たり8,000～1万ウォン") == [(8000, "KRW"), (10000, "KRW")]


def test_range_with_counter_at_both_ends():
    found = find_figures("約300～400社を対象に")
    assert [(m.value, m.unit, m.range_partner) for m in found] == [(300, "社", 1), (400, "社", 0)]


def test_year_range_is_a_date_range_not_figures():
    assert figures("フェーズ2（2024～2028年）") == []


# --- units ----------------------------------------------------------------------------


def test_currencies_become_iso_codes():
    text = "100億米ドル、50億元、2兆ドン、3億ルピア、5億シンガポールドル、10億ユーロ、3億豪ドル、45リンギット、14兆円、2億ルピー、5億台湾ドル、100ペソ"
    assert [unit for _, unit in value_units(text)] == [
        "USD", "CNY", "VND", "IDR", "SGD", "EUR", "AUD", "MYR", "JPY", "INR", "TWD", "PHP"
    ]


def test_currency_symbol_before_the_number():
    assert figures("$100とUS$5、€30") == [("$100", 100, "USD"), ("US$5", 5, "USD"), ("€30", 30, "EUR")]


def test_price_per_unit_keeps_only_the_currency():
    assert figures("二酸化炭素換算トン当たり200バーツの炭素税") == [("200バーツ", 200, "THB")]


def test_denominator_is_not_a_figure():
    assert figures("1トン当たり45リンギット") == [("45リンギット", 45, "MYR")]


def test_power_and_energy_units():
    assert value_units("10MW以上、月20万kWh以上、約9,500MW、2GW、500kV") == [
        (10, "MW"), (200000, "kWh"), (9500, "MW"), (2, "GW"), (500, "kV")
    ]


def test_length_and_volume_units():
    assert value_units("4km、3,800m、100m3、5ヘクタール") == [(4, "km"), (3800, "m"), (100, "m3"), (5, "ha")]


def test_tonnes_of_co2_by_context():
    assert value_units("温室効果ガス排出量は約30億トンに達する") == [(3_000_000_000, "t-CO2")]
    assert value_units("直接排出量が2.6万トンの二酸化炭素換算に達する") == [(26000, "t-CO2")]
    assert value_units("年間約3.5万トンのCO2排出削減を見込む") == [(35000, "t-CO2")]
    assert value_units("クレジット約18.5万トン分が落札された") == [(185000, "t-CO2")]


def test_tonnes_of_a_good():
    assert value_units("1トンの電解アルミニウムを生産する際の平均炭素排出量は13.8トン") == [(1, "t"), (13.8, "t-CO2")]
    assert value_units("100万トンのコメを輸出した") == [(1_000_000, "t")]
    assert value_units("廃棄物の排出量は100万トン") == [(1_000_000, "t")]


def test_counter_variants_are_folded():
    text = "5カ国、3ヵ国、2ヶ国、4か国、3ヵ所、2ヶ所、12ヶ月、6か月、約1,500社、20企業、3事業者"
    assert [unit for _, unit in value_units(text)] == [
        "国", "国", "国", "国", "カ所", "カ所", "カ月", "カ月", "社", "社", "社"
    ]


def test_duration_in_years_is_a_figure():
    assert figures("今後10年間の発展展望") == [("10年間", 10, "年")]
    assert figures("今後10年の発展目標") == [("10年", 10, "年")]


def test_duration_in_days_is_a_figure():
    assert value_units("以前の15日間から30日間に延長") == [(15, "日"), (30, "日")]


def test_half_durations():
    assert value_units("1年半と半年間、四半世紀") == [(1.5, "年"), (0.5, "年"), (25, "年")]


def test_fraction_is_a_share_without_unit():
    (found,) = find_figures("費用が3分の1未満")
    assert (found.surface, round(found.value, 4), found.unit, found.qualifier) == ("3分の1未満", 0.3333, None, "未満")


def test_negative_values():
    assert value_units("マイナス2.5%、▲3％") == [(-2.5, "%"), (-3, "%")]


# --- counted nouns ----------------------------------------------------------------------


def test_bare_number_takes_counted_noun():
    assert figures("ベトナムには436の工業団地があり") == [("436", 436, "工業団地")]


def test_counted_noun_is_folded():
    assert value_units("約150の大排出企業が参加し、約70の国と地域が導入") == [(150, "社"), (70, "国")]


def test_tsu_takes_the_noun_after_no():
    assert figures("三つの柱と4つの工業団地") == [("三つ", 3, "柱"), ("4つ", 4, "工業団地")]


def test_tsu_after_nouchi_takes_the_unit_of_the_whole():
    assert value_units("世界の10大コンテナ港のうち６つを中国が占める") == [(10, "港"), (6, "港")]
    assert value_units("支援を受ける5カ国のうちの1つに選ばれた") == [(5, "国"), (1, "国")]


def test_tsu_in_a_copula_sentence_takes_the_topic():
    assert value_units("計画の柱は、拡大、強化、見直しの三つである。") == [(3, "柱")]


def test_tsu_alone_keeps_tsu():
    assert value_units("課題は大きく２つ伺いました") == [(2, "つ")]


def test_n_dai_takes_the_head_noun():
    assert figures("世界の10大コンテナ港") == [("10大", 10, "港")]
    assert value_units("5大目標を掲げた") == [(5, "目標")]


def test_bare_number_without_noun_is_not_a_figure():
    assert figures("フェーズ2（支援）と別添6の様式、そして3。") == []


# --- not figures -------------------------------------------------------------------------


def test_ordinal_is_not_a_figure():
    assert figures("第26回締約国会議、第6条、第4次計画、第2期、3年目、2回目、小学校1年生") == []


def test_digits_inside_names_are_not_figures():
    assert figures("（COP26）、GX2040、EV3.5、EV 3.5、PM2.5の濃度、PDP8") == []


def test_latin_prefix_with_a_counter_is_still_a_count():
    assert value_units("ASEAN10カ国、EV100万台、CO2 50%削減") == [(10, "国"), (1_000_000, "台"), (50, "%")]


def test_kanji_after_a_unit_is_not_an_ordinal():
    assert value_units("1.5℃目標と3年目以降") == [(1.5, "℃")]


def test_decree_numbers_are_not_figures():
    assert figures("政令第135/2024/ND-CP号と政令第58号、保医発0305第2号") == []


def test_list_and_footnote_markers_are_not_figures():
    assert figures("①協力②実施※1注1（注2）") == []


def test_numbers_inside_quoted_titles_are_not_figures():
    assert figures("白書「今後10年間の発展展望」を公表した") == []
    assert figures("SUV「ATTO 3」と「30@30」政策") == []


def test_numbers_inside_quoted_speech_are_figures():
    assert value_units("「約150の大排出企業が参加する」と強調した") == [(150, "社")]
    assert value_units("「2割増やす」と述べた") == [(20, "%")]


def test_dates_are_not_figures():
    assert figures("2024年11月30日、2025年6月、令和6年度、令和0年、2018年比、11月22日") == []
    assert figures("11月11日から22日まで") == []


def test_decades_centuries_and_clock_times_are_not_figures():
    assert figures("1990年代、21世紀、15時30分、23:59") == []


def test_urls_and_phone_numbers_are_not_figures():
    assert figures("https://example.com/2024/report と 03-1234-5678") == []


def test_kanji_inside_words_are_not_figures():
    assert figures("一方、十分、四国、九州、二国間クレジット、唯一、一帯一路、千葉、政策の一つ") == []


def test_offsets_point_into_the_text():
    text = "約１億2000万ドル、1～2割、三つの柱、3分の1"
    for mention in find_figures(text):
        assert text[mention.char_start:mention.char_end] == mention.surface


def test_figures_come_in_text_order():
    found = find_figures("半年後に5社、3年間で10件")
    assert [m.char_start for m in found] == sorted(m.char_start for m in found)


def test_docstring_examples():
    assert doctest.testmod(module_under_test).failed == 0


# --- peer cases: ja-timex durations ---------------------------------------------------------

# our time unit -> (ISO-8601 designator, in the time part?)
_DURATION_UNITS = {"年": ("Y", False), "カ月": ("M", False), "週": ("W", False), "日": ("D", False), "時間": ("H", True), "分": ("M", True), "秒": ("S", True)}
_SECONDS = {"Y": 360 * 86400, "M": 30 * 86400, "W": 7 * 86400, "D": 86400, "TH": 3600, "TM": 60, "TS": 1}
_PENDULUM = {"years": "Y", "months": "M", "weeks": "W", "days": "D", "hours": "TH", "minutes": "TM", "seconds": "TS"}


def _duration_parts(text: str) -> dict[str, float]:
    parts: dict[str, float] = {}
    for mention in find_figures(text):
        if mention.unit in _DURATION_UNITS:
            designator, in_time = _DURATION_UNITS[mention.unit]
            key = ("T" if in_time else "") + designator
            parts[key] = parts.get(key, 0) + mention.value
    return parts


def _iso_duration(parts: dict[str, float]) -> str:
    def number(x: float) -> str:
        return str(int(x)) if x == int(x) else repr(x)

    date = "".join(number(parts[k]) + k for k in ("Y", "M", "W", "D") if k in parts)
    time = "".join(number(parts[k]) + k[1] for k in ("TH", "TM", "TS") if k in parts)
    return "P" + date + ("T" + time if time else "")


def _duration_case_passes(case: dict) -> bool | None:
    expected = case["expected"]
    value = expected.get("value", "")
    if value.startswith("P"):
        parts = _duration_parts(case["text"])
        return bool(parts) and _iso_duration(parts) == value
    if "to_duration" in expected:
        parts = _duration_parts(case["text"])
        ours = sum(_SECONDS[k] * v for k, v in parts.items())
        theirs = sum(_SECONDS[_PENDULUM[k]] * v for k, v in expected["to_duration"].items())
        return bool(parts) and abs(ours - theirs) < 1e-6
    return None


@peer_cases
def test_peer_absolute_durations():
    """ja-timex's absolute duration cases, read as time figures."""
    known = {row["id"] for row in load_jsonl(KNOWN)}
    results = {}
    for case in load_jsonl(CASES):
        if case["category"] == "absolute" and case["id"] not in known:
            outcome = _duration_case_passes(case)
            if outcome is not None:
                results[case["id"]] = (outcome, case["text"], case["expected"])
    failures = {k: v for k, v in results.items() if not v[0]}
    assert len(results) >= 80
    assert not failures, "list each in tests/known_differences/ja-timex.jsonl with its reason, or fix it"


@peer_cases
def test_known_duration_differences_still_differ():
    """A listed duration case that starts passing should leave the list."""
    by_id = {c["id"]: c for c in load_jsonl(CASES)}
    now_passing = [row["id"] for row in load_jsonl(KNOWN) if _duration_case_passes(by_id[row["id"]]) is True]
    assert not now_passing


@peer_cases
def test_every_absolute_peer_case_is_checked_or_explained():
    """No absolute case falls between the date test, the duration test and the known differences."""
    known = {row["id"] for row in load_jsonl(KNOWN)}
    date_like = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?|\d{4}-(SP|SU|FA|WI)|FY\d{4}")
    unchecked = [
        case["id"]
        for case in load_jsonl(CASES)
        if case["category"] == "absolute"
        and case["id"] not in known
        and _duration_case_passes(case) is None
        and not date_like.fullmatch(case["expected"].get("value", ""))
        and "to_datetime" not in case["expected"]
    ]
    assert not unchecked


def test_bare_kilo_is_read_from_the_words_around_it():
    def units(text):
        return [(m.value, m.unit) for m in find_figures(text)]

    assert units("港から約40キロの地点に新駅を置く") == [(40.0, "km")]
    assert units("海岸線から12キロ離れた") == [(12.0, "km")]
    assert units("重さ3キロの部品") == [(3.0, "kg")]
    assert units("出荷量は8キロ増えた") == [(8.0, "キロ")]  # the text does not say which: kept as written
    assert units("発電容量は500キロワット") == [(500.0, "kW")]
