"""Numeral parsing: our own rules, then the peers' cases as data.

The peer cases live in ``../shared/bench/ja-numbers-cases.jsonl`` (7 projects'
tests, see PROVENANCE.md there).  Where we deliberately differ, the case is in
``tests/known_differences/ja-numbers.jsonl`` with the reason.
"""

from __future__ import annotations

import doctest
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import SHARED, assert_known_differences_are_real, load_jsonl

import pipeline.pull.numerals as module_under_test
from pipeline.pull.numerals import find_numbers, parse_exact, parse_number, to_ascii_digits

CASES = SHARED / "bench" / "ja-numbers-cases.jsonl"
KNOWN = Path(__file__).resolve().parent / "known_differences" / "ja-numbers.jsonl"


peer_cases = pytest.mark.skipif(not CASES.exists(), reason=f"peer cases not found at {CASES} (../shared is absent)")


# --- our rules -------------------------------------------------------------------


def test_arabic_with_thousands_commas():
    assert parse_number("16,562") == 16562


def test_decimal_point():
    assert parse_number("73.5") == 73.5


def test_full_width_digits():
    assert parse_number("２０２５") == 2025
    assert parse_number("１，５００") == 1500


def test_man_oku_cho_scale():
    assert parse_number("2.6万") == 26000
    assert parse_number("4,210億") == 421_000_000_000
    assert parse_number("14兆") == 14_000_000_000_000


def test_mixed_arabic_and_scales():
    assert parse_number("1億2000万") == 120_000_000
    assert parse_number("1兆2000億") == 1_200_000_000_000
    assert parse_number("4億9000万") == 490_000_000
    assert parse_number("4千８百万") == 48_000_000


def test_kanji_numerals():
    assert parse_number("三") == 3
    assert parse_number("二千二十五") == 2025
    assert parse_number("五千八百七万六千九十九") == 58_076_099


def test_positional_kanji_digits():
    assert parse_number("二〇三〇") == 2030
    assert parse_number("一九四〇") == 1940


def test_zero_keeps_a_place():
    assert parse_number("千〇十") == 1010
    assert parse_number("二百二十二万零三百零二") == 2_220_302


def test_daiji_formal_numerals():
    assert parse_number("壱萬弐阡") == 12000
    assert parse_number("拾弐万参千弐百拾壱") == 123211


def test_kanji_decimal_point():
    assert parse_exact("百二十三点〇一二") == Decimal("123.012")


def test_exact_beyond_float_precision():
    assert parse_exact("9999京9999兆") == Decimal("99999999000000000000")


def test_sign():
    assert parse_number("マイナス五十") == -50
    assert parse_number("-1.5億") == -150_000_000


def test_malformed_numerals_are_rejected():
    for text in ("十百千", "1万0万", "三五十", "万", "億千万", "1千1000", "1万10千", "123点", "三あ八", "inf", ""):
        assert parse_number(text) is None, text


def test_counters_are_not_part_of_a_numeral():
    assert parse_number("三つ") is None
    assert parse_number("4割") is None


def test_to_ascii_digits_keeps_length_and_punctuation():
    text = "１，０００年と句点．または読点，"
    converted = to_ascii_digits(text)
    assert converted == "1,000年と句点．または読点，"
    assert len(converted) == len(text)


def test_find_numbers_offsets_point_into_the_text():
    text = "約１億2500万光年の距離に二〇二〇個"
    found = find_numbers(text)
    assert [(n.surface, n.value) for n in found] == [("１億2500万", 125_000_000), ("二〇二〇", 2020)]
    assert all(text[n.start:n.end] == n.surface for n in found)


def test_find_numbers_ignores_a_bare_scale_character():
    assert find_numbers("私は億ションに住んでいます") == []
    assert find_numbers("栗沢町万字寿町") == []


def test_find_numbers_splits_a_run_that_does_not_parse():
    assert [n.value for n in find_numbers("大陸5カ国")] == [6, 5]  # 陸 is a 大字 six; 5 stays whole


def test_docstring_examples():
    assert doctest.testmod(module_under_test).failed == 0


# --- peer cases ------------------------------------------------------------------


def _parse_passes(case: dict) -> bool:
    ours = parse_exact(case["input"])
    expected = case["expected"]
    if expected is None:
        return ours is None
    return ours is not None and ours == Decimal(expected)


@peer_cases
def test_known_differences_name_real_cases_with_a_reason():
    assert_known_differences_are_real(CASES, KNOWN)


@peer_cases
def test_peer_parse_cases():
    """Every parse case passes, or is listed as a known difference with its reason: no floor."""
    known = {row["id"] for row in load_jsonl(KNOWN)}
    cases = [c for c in load_jsonl(CASES) if c["task"] == "parse" and c["id"] not in known]
    failures = [(c["id"], c["input"], c["expected"], str(parse_exact(c["input"]))) for c in cases if not _parse_passes(c)]
    assert cases
    assert not failures, "list each in tests/known_differences/ja-numbers.jsonl with its reason, or fix it"


@peer_cases
def test_known_differences_still_differ():
    """A known difference that starts passing should leave the list."""
    by_id = {c["id"]: c for c in load_jsonl(CASES)}
    now_passing = [row["id"] for row in load_jsonl(KNOWN) if row["id"] in by_id and by_id[row["id"]]["task"] == "parse" and _parse_passes(by_id[row["id"]])]
    assert not now_passing


def _is_kanji_numeral(surface: str) -> bool:
    return any(not ch.isdigit() and ch not in ",." for ch in to_ascii_digits(surface))


@peer_cases
def test_peer_find_cases():
    """Every find case: same numerals, values and offsets (geolonia's finder reports kanji numerals only)."""
    failures = []
    for case in (c for c in load_jsonl(CASES) if c["task"] == "find"):
        found = find_numbers(case["input"])
        if "findKanjiNumbers" in case["peer_api"]:
            found = [n for n in found if _is_kanji_numeral(n.surface)]
        expected = case["expected"]
        ok = len(found) == len(expected) and all(
            e.get("text", n.surface) == n.surface and e.get("number", n.value) == n.value and e.get("index", n.start) == n.start
            for e, n in zip(expected, found)
        )
        if not ok:
            failures.append((case["id"], case["input"], [(n.surface, n.value, n.start) for n in found]))
    assert not failures


@peer_cases
def test_peer_full_width_normalisation_cases():
    """ja-timex's full-width-to-ASCII cases; its kanji-rewriting cases are not part of our API."""
    cases = [c for c in load_jsonl(CASES) if c["task"] == "normalize_text" and "_normalize_zen_to_han" in c["peer_api"]]
    assert cases
    assert [to_ascii_digits(c["input"]) for c in cases] == [c["expected"] for c in cases]
