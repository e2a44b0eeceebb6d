"""Era years (元号) and full-width digits: the one table both the issue header and the date finder use."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.japanese import ERAS, FIRST_YEAR, FULLWIDTH_DIGITS, era_named, gregorian_year
from pipeline.pull.dates import find_dates
from pipeline.split.issue import parse_header


@pytest.mark.parametrize(
    "era, year, gregorian",
    [
        ("明治", FIRST_YEAR, 1868),
        ("明治", 45, 1912),  # last year of Meiji …
        ("大正", FIRST_YEAR, 1912),  # … is the first of Taisho
        ("大正", 15, 1926),
        ("昭和", FIRST_YEAR, 1926),
        ("昭和", 64, 1989),  # 昭和64年 lasted seven days
        ("平成", FIRST_YEAR, 1989),
        ("平成", 1, 1989),
        ("平成", 31, 2019),
        ("令和", FIRST_YEAR, 2019),
        ("令和", "6", 2024),
        ("令和", "６", 2024),
        ("R", 6, 2024),
        ("Ｈ", "30", 2018),
        ("S", 50, 1975),
    ],
)
def test_era_year_to_gregorian(era, year, gregorian):
    assert gregorian_year(era, year) == gregorian


def test_era_boundaries_give_one_gregorian_year_two_era_years():
    for previous, following in zip(ERAS, ERAS[1:]):
        last_year = following.first_day.year - previous.first_day.year + 1
        assert gregorian_year(previous.name, last_year) == gregorian_year(following.name, FIRST_YEAR) == following.first_day.year
        assert previous.first_day < following.first_day


def test_era_first_days_are_cldrs():
    assert [(era.name, era.first_day) for era in ERAS] == [
        ("明治", dt.date(1868, 10, 23)),
        ("大正", dt.date(1912, 7, 30)),
        ("昭和", dt.date(1926, 12, 25)),
        ("平成", dt.date(1989, 1, 8)),
        ("令和", dt.date(2019, 5, 1)),
    ]


def test_year_after_an_era_ended_still_counts_in_it():
    """Plans written before 2019 say 平成32年度 for fiscal 2020."""
    assert gregorian_year("平成", 32) == 2020


@pytest.mark.parametrize("era, year", [("令和", 0), ("令和", "0"), ("平成", -1), ("令和", "三"), ("令和", None), ("西暦", 1), ("X", 1)])
def test_no_year_for_year_zero_a_non_number_or_an_unknown_era(era, year):
    assert gregorian_year(era, year) is None


def test_era_named_reads_name_initial_and_full_width_initial():
    assert {era_named(written).romanized for written in ("令和", "R", "Ｒ")} == {"Reiwa"}
    assert era_named("r") is None


@pytest.mark.parametrize(
    "header, issue_date",
    [
        ("ニュース 平成31年4月号", "2019-04"),
        ("ニュース 令和元年5月号", "2019-05"),
        ("ニュース 令和1年5月号", "2019-05"),
        ("ニュース 令和７年１２月号", "2025-12"),
        ("ニュース 平成元年2月号", "1989-02"),
    ],
)
def test_issue_header_era_month(header, issue_date):
    assert parse_header(header).issue_date == issue_date


def test_issue_header_with_era_year_zero_has_no_date():
    """There is no 令和0年; the header of another page is read instead."""
    assert parse_header("ニュース 令和0年5月号").issue_date is None


@pytest.mark.parametrize(
    "text, value",
    [
        ("平成31年4月30日", "2019-04-30"),
        ("令和元年5月1日", "2019-05-01"),
        ("昭和64年1月7日", "1989-01-07"),
        ("平成元年1月8日", "1989-01-08"),
        ("H31/4/30", "2019-04-30"),
        ("Ｒ2年", "2020"),
    ],
)
def test_dates_at_era_boundaries(text, value):
    assert [mention.value for mention in find_dates(text)] == [value]


def test_fullwidth_digits_become_ascii_and_nothing_else_changes():
    text = "第１２３号 ＡＢ㈱ ｶﾅ ①"
    converted = text.translate(FULLWIDTH_DIGITS)
    assert converted == "第123号 ＡＢ㈱ ｶﾅ ①"
    assert len(converted) == len(text)
