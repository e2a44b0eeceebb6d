"""Dates: one test per rule, then ja-timex's cases as data.

The peer cases are in ``../shared/bench/ja-timex-cases.jsonl``.  Their TIMEX3
values are translated to our contract (a season ``2021-SP`` is our year
``2021`` starting in March; ``FY2021`` is ``2021`` with ``fiscal``); the cases
we deliberately treat differently are in
``tests/known_differences/ja-timex.jsonl`` with the reason.  Duration cases
are checked in ``test_pull_figures.py`` (durations are figures).
"""

from __future__ import annotations

import datetime as dt
import doctest
import re
from pathlib import Path

import pytest

from conftest import SHARED, assert_known_differences_are_real, load_jsonl

import pipeline.pull.dates as module_under_test
from pipeline.pull.dates import find_dates, temporal_spans

CASES = SHARED / "bench" / "ja-timex-cases.jsonl"
KNOWN = Path(__file__).resolve().parent / "known_differences" / "ja-timex.jsonl"
ISSUE = dt.date(2024, 12, 2)


def values(text: str, reference: dt.date | None = ISSUE) -> list[str]:
    return [m.value for m in find_dates(text, reference)]


peer_cases = pytest.mark.skipif(not CASES.exists(), reason=f"peer cases not found at {CASES} (../shared is absent)")


# --- precision as stated ------------------------------------------------------------


def test_full_date():
    (mention,) = find_dates("2024年11月30日から実施する")
    assert (mention.value, mention.granularity, mention.start, mention.end) == ("2024-11-30", "day", "2024-11-30", "2024-11-30")


def test_year_month():
    (mention,) = find_dates("2025年6月から試験導入")
    assert (mention.value, mention.granularity, mention.start, mention.end) == ("2025-06", "month", "2025-06-01", "2025-06-30")


def test_bare_year():
    (mention,) = find_dates("2028年の正式運用")
    assert (mention.value, mention.start, mention.end) == ("2028", "2028-01-01", "2028-12-31")


def test_season_keeps_year_precision_with_season_bounds():
    (mention,) = find_dates("2013年秋、構想を打ち上げた")
    assert (mention.surface, mention.value, mention.granularity) == ("2013年秋", "2013", "year")
    assert (mention.start, mention.end) == ("2013-09-01", "2013-11-30")


def test_year_end_keeps_year_precision():
    (mention,) = find_dates("2020年末までに接続された")
    assert (mention.surface, mention.value, mention.start, mention.end) == ("2020年末", "2020", "2020-12-01", "2020-12-31")


def test_month_part_gives_month_precision():
    (mention,) = find_dates("2024年12月下旬、策定した")
    assert (mention.value, mention.start, mention.end) == ("2024-12", "2024-12-21", "2024-12-31")
    assert values("3月上旬に公表", dt.date(2025, 1, 6)) == ["2025-03"]


# --- eras and fiscal years --------------------------------------------------------


def test_reiwa_fiscal_year():
    (mention,) = find_dates("令和7年度当初予算案")
    assert (mention.value, mention.fiscal, mention.start, mention.end) == ("2025", True, "2025-04-01", "2026-03-31")


def test_western_fiscal_year():
    (mention,) = find_dates("2025年度予算案を発表")
    assert (mention.value, mention.fiscal) == ("2025", True)


def test_fiscal_year_codes():
    assert [(m.value, m.fiscal) for m in find_dates("FY2024とFY25、2024/25年度")] == [
        ("2024", True), ("2025", True), ("2024", True)
    ]


def test_era_years_become_gregorian():
    assert values("明治元年、大正2年、昭和64年、平成31年、令和6年10月11日") == ["1868", "1913", "1989", "2019", "2024-10-11"]


def test_gannen_is_the_first_year():
    assert values("令和元年5月1日") == ["2019-05-01"]


def test_era_year_in_full_width_and_kanji_digits():
    assert values("令和６年と平成三十年") == ["2024", "2018"]


def test_letter_spaced_date():
    assert values("平成 30 年３月５日") == ["2018-03-05"]


def test_kanji_year():
    assert values("二〇三〇年までに") == ["2030"]


def test_numeric_dates():
    assert values("2021/7/18、令和3.7.18、2024/11") == ["2021-07-18", "2021-07-18", "2024-11"]


def test_year_zero_of_an_era_is_not_a_date():
    assert values("令和0年") == []


def test_impossible_day_is_not_a_date():
    assert values("2024年2月30日") == []


# --- ranges -----------------------------------------------------------------------


def test_year_range_gives_both_ends():
    found = find_dates("フェーズ2（2024～2028年）で")
    assert [(m.surface, m.value) for m in found] == [("2024", "2024"), ("2028年", "2028")]


def test_year_range_with_two_digit_end():
    assert values("2026～30年の第4期") == ["2026", "2030"]


def test_fiscal_year_range():
    assert [(m.value, m.fiscal) for m in find_dates("令和6～8年度")] == [("2024", True), ("2026", True)]


def test_month_range_within_a_year():
    found = find_dates("2024年1～11月の国内新車販売台数")
    assert [(m.surface, m.value) for m in found] == [("2024年1", "2024-01"), ("11月", "2024-11")]


def test_day_range_within_a_month():
    assert values("2024年11月22～23日に開催") == ["2024-11-22", "2024-11-23"]


def test_second_day_after_kara_takes_the_month_of_the_first():
    found = find_dates("11月11日から22日まで開催された", ISSUE)
    assert [(m.surface, m.value) for m in found] == [("11月11日", "2024-11-11"), ("22日", "2024-11-22")]


def test_range_with_kara():
    assert values("2019年から2020年にかけて") == ["2019", "2020"]


# --- dates without a year ------------------------------------------------------------


def test_date_without_year_takes_previous_year_in_the_sentence():
    assert values("2023年6月から8月にかけて実施した") == ["2023-06", "2023-08"]


def test_month_after_december_in_a_range_rolls_over():
    assert values("2024年12月から1月にかけて") == ["2024-12", "2025-01"]


def test_date_without_year_takes_the_issue_year():
    assert values("2030年の目標を掲げた。11月22日に発表した", dt.date(2024, 12, 2)) == ["2030", "2024-11-22"]


def test_date_without_year_and_nothing_narrated_takes_the_issue_year():
    # the convention of ../shared/bench/README.md: no preceding date with a month -> the issue date's year
    assert values("1月10日に施行する", dt.date(2024, 12, 2)) == ["2024-01-10"]
    assert values("12月27日に閣議決定", dt.date(2025, 1, 6)) == ["2025-12-27"]


def test_date_without_year_takes_the_year_being_narrated_not_the_issue_year():
    text = "工場は2023年8月5日に着工した。操業は9月に始まり、11月には全面稼働した。"
    assert values(text, dt.date(2025, 2, 1)) == ["2023-08-05", "2023-09", "2023-11"]


def test_a_bare_year_sets_no_month_to_narrate():
    assert values("2030年までに達成する。式典は5月に開く。", dt.date(2025, 2, 1)) == ["2030", "2025-05"]


def test_a_year_in_a_law_or_decree_name_is_not_a_date():
    assert values("大統領は政令2019年第7号を改めた。", dt.date(2025, 2, 1)) == []
    assert values("2015年港湾管理法に基づき", dt.date(2025, 2, 1)) == []
    assert values("令和5年法律第22号", dt.date(2025, 2, 1)) == []
    assert values("2015年に港湾管理法を施行した。", dt.date(2025, 2, 1)) == ["2015"]


def test_date_without_year_takes_previous_date_when_no_reference():
    assert values("2022年に始まった。11月9日に発表した", None) == ["2022", "2022-11-09"]


def test_date_without_year_and_without_context_is_skipped():
    assert values("11月22日に発表した", None) == []


def test_month_part_without_year():
    (mention,) = find_dates("12月下旬に策定", dt.date(2024, 3, 6))
    assert (mention.value, mention.start, mention.end) == ("2024-12", "2024-12-21", "2024-12-31")


def test_relative_year_before_a_month_counts_from_the_issue_year():
    assert values("来年4月に開級し、昨年12月に決議した", dt.date(2024, 12, 2)) == ["2025-04", "2023-12"]
    assert values("来年4月に開級", None) == []


def test_month_of_a_fiscal_year_is_a_calendar_month():
    assert [(m.value, m.fiscal) for m in find_dates("2024年度3月に")] == [("2025-03", False)]


def test_same_day_copies_previous_day():
    assert values("2024年10月22日に公布し、同日施行した") == ["2024-10-22", "2024-10-22"]


def test_same_month_copies_previous_month():
    assert values("2024年7月4日に開所した。同月17日には稼働させた") == ["2024-07-04", "2024-07-17"]


def test_same_year_skips_a_deadline():
    text = "2024年4月に承認された。2030年までに導入する。同年7月3日に公布された"
    assert values(text) == ["2024-04", "2030", "2024-07-03"]


def test_day_with_weekday_takes_month_from_context():
    assert values("2024年11月に開催。30日（土）に閉幕") == ["2024-11", "2024-11-30"]


# --- not dates --------------------------------------------------------------------


def test_durations_are_not_dates():
    assert values("10年間、15日間、3カ月、今後10年、12ヶ月") == []


def test_unresolvable_words_are_not_dates():
    assert values("近年、今後、現在、前年、今年") == []


def test_decades_and_centuries_are_not_dates_but_are_temporal():
    text = "1990年代と21世紀"
    assert values(text) == []
    assert temporal_spans(text) == [(0, 6), (7, 11)]


def test_bc_year_is_not_a_date():
    assert values("紀元前202年") == []


def test_offsets_point_into_the_text():
    text = "韓国環境部は2024年12月下旬、令和６年度と２０２５年に"
    for mention in find_dates(text):
        assert text[mention.char_start:mention.char_end] == mention.surface


def test_docstring_examples():
    assert doctest.testmod(module_under_test).failed == 0


# --- peer cases: ja-timex ---------------------------------------------------------------

_SEASON_START_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def _reference(case: dict) -> dt.date | None:
    value = case.get("reference_datetime")
    return dt.date.fromisoformat(value[:10]) if value else None


def _date_case_passes(case: dict) -> bool | None:
    """True/False for a case about a calendar date, None for other cases."""
    expected = case["expected"]
    found = find_dates(case["text"], _reference(case))
    value = expected.get("value")
    if value is not None:
        if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
            return any(m.value == value for m in found)
        season = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value)
        if season:
            return any(
                m.value == season[1] and m.granularity == "year" and int(m.start[5:7]) == _SEASON_START_MONTH[season[2]]
                for m in found
            )
        fiscal = re.fullmatch(r"FY(\d{4})", value)
        if fiscal:
            return any(m.value == fiscal[1] and m.fiscal for m in found)
        if value.startswith("P"):
            return None  # a duration: test_pull_figures.py
        return False  # times, BC years: known differences
    if "to_datetime" in expected:
        return any(m.start == expected["to_datetime"][:10] for m in found)
    return None


@peer_cases
def test_known_differences_name_real_cases_with_a_reason():
    assert_known_differences_are_real(CASES, KNOWN)


@peer_cases
def test_peer_absolute_dates():
    """ja-timex's absolute date cases (full dates, seasons, fiscal years, resolved dates)."""
    known = {row["id"] for row in load_jsonl(KNOWN)}
    results = {}
    for case in load_jsonl(CASES):
        if case["category"] == "absolute" and case["id"] not in known:
            outcome = _date_case_passes(case)
            if outcome is not None:
                results[case["id"]] = (outcome, case["text"], case["expected"])
    failures = {k: v for k, v in results.items() if not v[0]}
    assert len(results) >= 30
    assert not failures, "list each in tests/known_differences/ja-timex.jsonl with its reason, or fix it"


@peer_cases
def test_peer_negative_cases_give_no_dates():
    """Where ja-timex expects nothing, we find no date either (durations may still be figures); every case, no floor."""
    known = {row["id"] for row in load_jsonl(KNOWN)}
    cases = [c for c in load_jsonl(CASES) if c["category"] == "negative" and c["id"] not in known]
    wrong = {c["id"]: values(c["text"], _reference(c)) for c in cases if find_dates(c["text"], _reference(c))}
    assert cases
    assert not wrong


@peer_cases
def test_known_date_differences_still_differ():
    """A listed date case that starts passing should leave the list (durations: test_pull_figures.py)."""
    by_id = {c["id"]: c for c in load_jsonl(CASES)}
    now_passing = [row["id"] for row in load_jsonl(KNOWN) if _date_case_passes(by_id[row["id"]]) is True]
    assert not now_passing
