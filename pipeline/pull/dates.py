"""Calendar dates in Japanese text, at the precision the text states.

Rules (they follow the bench README, "Dates (DATE)"):

* ``value`` is ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.  A season,
  年末, 前半 … keeps the year's precision (``2013年秋`` → ``2013``); 上旬,
  下旬, 月末 … keep the month's (``12月下旬`` → ``YYYY-12``).  ``start`` and
  ``end`` narrow the span where the text does: spring = March–May, summer =
  June–August, autumn = September–November, winter = December–February;
  年末 = December, 年初/初め = January; 上旬 = days 1–10, 中旬 11–20,
  下旬/末 21–end.
* Era years (明治 … 令和, 元年, R6) become Gregorian; so do kanji and
  full-width digits (令和６年, 平成三十年, 二〇三〇年).  Fiscal years (年度,
  FY2024, 2024/25年度) give their starting year with ``fiscal=True``;
  ``start``/``end`` assume the Japanese April–March year, as the text does
  not say which.  A month inside a fiscal year is a calendar month
  (2024年度3月 → 2025-03).
* Numeric forms: 2021/7/18, 2021.7.18, 令和3/7/18, 2024/11.  Letter-spaced
  headings (令和 6 年 3 月 5 日) are read too.
* A range gives one mention per end (``2024～2028年`` → 2024 and 2028;
  ``2024年1～11月`` → 2024-01 and 2024-11; ``11月11日から22日`` → both days).
* A date without a year is completed from context:

  - 同日 / 同月 / 同年 copy the last date before them that is precise
    enough; 同年 skips deadlines ("2030年までに"), because it points back to
    an event, not a target;
  - 今年/本年/昨年/来年 before a month count from the issue year (来年4月);
    without a reference they are dropped;
  - a bare 11月22日 takes the year of the nearest date before it when
    that date has a month: the time the text is narrating ("2024年8月5日
    … 9月" is September 2024 whatever the issue date; a month after
    December across a range connector rolls over: 2024年12月から1月).  A
    bare year there (2030年までに, 2022年に) is a target or a backdrop,
    not the narrated time, and does not count: the month then takes the
    issue date's year (``reference``), as it does with no date before it;
    with no reference, the year of the last date before it; else it is
    dropped (the convention of ``../shared/bench/README.md``);
  - a bare day is a date only with a weekday (30日（土）); otherwise it is a
    duration figure.

* A year that belongs to the name or number of a law or decree is not a
  date: one followed by a number (政令2025年第19号), or run straight into a
  name ending in 法, 法律, 条例 or 令 without a particle (2010年戦略貿易法).
  Japanese legal citation writes the enactment year into the instrument's
  name; the date a text states is set off by a particle (2010年に施行).
* Durations (10年間, 3カ月), numbers below 1000 before 年 (今後10年),
  decades (1990年代), centuries, BC years, clock times and relative words
  alone (近年, 前年, 今年) are not dates.  :func:`temporal_spans` still
  reports decades, centuries, BC years and clock times so that the figure
  finder leaves them alone.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace

from pipeline.japanese import ERA_INITIALS, ERA_NAMES, FIRST_YEAR, gregorian_year
from pipeline.pull.mentions import DateMention
from pipeline.pull.numerals import parse_number, to_ascii_digits

__all__ = ["find_dates", "temporal_spans"]

_DASH = r"[～〜~\-－–—]"
_SP = r"[ \u3000]?"  # letter-spaced headings: 令和 6 年 3 月 5 日
_KANJI_SMALL_NUMBER = r"[〇一二三四五六七八九十]{1,3}"
# Month and day: Arabic or kanji; validated in code.
_M = rf"(?:[0-9]{{1,2}}|{_KANJI_SMALL_NUMBER})"
_D = _M
_ERA = rf"(?:{ERA_NAMES}|(?<![A-Za-zＡ-Ｚａ-ｚ])[{ERA_INITIALS}](?=[0-9]))"  # 令和, R6, Ｒ6
_ERA_YEAR = rf"(?P<era>{_ERA}){_SP}(?P<era_year>元|[0-9]{{1,2}}|{_KANJI_SMALL_NUMBER})"
_WESTERN_YEAR = r"(?:西暦)?(?P<year>(?<![0-9.,])[0-9]{4}(?![0-9])|(?<![〇一二三四五六七八九十百千])[〇一二三四五六七八九十百千]{2,7})"
_YEAR = rf"(?:{_ERA_YEAR}|{_WESTERN_YEAR})"
_MONTH_PART = r"上旬|中旬|下旬|初旬|初め|初頭|末|半ば|中頃|前半|後半"
_YEAR_PART = r"春|夏|秋|冬|末|暮れ|初め|初頭|年初|前半|後半|上半期|下半期|中(?![一-龥])"
# 年 after a year, but not 年間 (a duration), 年代 (a decade) …
_NEN = r"年(?!間|代|来|ぶり|目|以上|以内|余)"
# 月 that closes a month: not 月曜 (weekday) or 月間 (a duration).
_GATSU = r"月(?!曜|間)"
# A month section: 6月, 6月下旬, 11月22日, 11月22～23日, 1～11月 (but in 11月30日～12月2日 the
# second end is a date of its own, not the month 12).
_MONTH_SECTION = (
    rf"(?P<month>{_M}){_SP}(?:{_GATSU}/?{_SP}(?:(?P<day>{_D}){_SP}(?:日|(?={_DASH}{_D}日))(?:{_DASH}(?P<day2>{_D})日)?"
    rf"|(?P<month_part>{_MONTH_PART}))?|(?={_DASH}{_M}{_GATSU}))(?:{_DASH}(?P<month2>{_M}){_GATSU}(?!{_SP}{_D}{_SP}日))?"
)

_DATE_WITH_YEAR = re.compile(
    rf"{_YEAR}{_SP}{_NEN}(?P<fiscal>度)?(?:/?{_SP}{_MONTH_SECTION}|(?P<year_part>{_YEAR_PART}))?"
)
_YEAR_RANGE = re.compile(
    rf"(?:(?P<era>{_ERA})(?P<era_year>元|[0-9]{{1,2}})|(?<![0-9.,])(?P<year>[0-9]{{4}}))(?:年(?P<fiscal1>度)?)?"
    rf"\s*{_DASH}\s*(?P<era2>{_ERA})?(?P<year2>[0-9]{{4}}|[0-9]{{1,2}})年(?P<fiscal2>度)?"
)
_NUMERIC_DATE = re.compile(
    rf"(?:{_ERA}(?P<era_year>[0-9]{{1,2}})|(?:西暦)?(?<![0-9.,])(?P<year>[0-9]{{4}}))"
    r"(?P<sep>[/.\-・,])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})(?![0-9])"
)
_NUMERIC_ERA = re.compile(rf"(?P<era>{_ERA})")
_YEAR_MONTH_SLASH = re.compile(r"(?<![0-9.,/])(?P<year>[0-9]{4})/(?P<month>[0-9]{1,2})(?![0-9/年])")
_SEASON_NO_NEN = re.compile(r"(?<![0-9.,])(?P<year>[0-9]{4})/?(?P<year_part>春|夏|秋|冬)")
_FISCAL_CODE = re.compile(r"(?<![A-Za-z])FY\s?(?P<year>[0-9]{4}|[0-9]{2})(?![0-9])")
_FISCAL_SLASH = re.compile(r"(?<![0-9.,])(?P<year>[0-9]{4})/[0-9]{2}年度")
_RELATIVE_YEAR = {"今年": 0, "本年": 0, "昨年": -1, "去年": -1, "一昨年": -2, "来年": 1, "再来年": 2}
_YEARLESS = re.compile(
    rf"(?:(?:(?P<same_year>同年)|(?P<relative_year>一昨年|再来年|今年|本年|昨年|去年|来年)){_SP})?(?<![0-9カヵヶかケ箇〇一二三四五六七八九十百千.,]){_MONTH_SECTION}(?<=[月日旬め頭末ば頃半])"
)
_SAME_MONTH = re.compile(
    rf"同月(?:(?P<day>{_D})日(?:{_DASH}(?P<day2>{_D})日)?|(?P<month_part>{_MONTH_PART}))?"
)
_SAME_DAY = re.compile(r"同日")
# 11月11日から22日まで: the second day belongs to the first one's month
_DAY_AFTER_DATE = re.compile(rf"(?:から|より|～|〜|~|－){_SP}(?P<day>{_D})日(?!間)")
_SAME_YEAR = re.compile(r"同年(?P<fiscal>度)?")
_DAY_WITH_WEEKDAY = re.compile(
    rf"(?<![0-9月同〇一二三四五六七八九十])(?P<day>{_D})日\s*(?=[（(][月火水木金土日](?:曜日?)?[)）]|[月火水木金土日]曜)"
)
# Not dates, but not figures either.
_DECADE_OR_CENTURY = re.compile(r"(?<![0-9])[0-9]{1,4}年代|[0-9〇一二三四五六七八九十]{1,3}世紀")
# BC years have no place in an ISO YYYY value; kept away from figures too.
_BEFORE_CHRIST = re.compile(r"(?:紀元前|BC|B\.C\.)[ \u3000]?[0-9〇一二三四五六七八九十百千]+年")
_CLOCK = re.compile(
    r"(?:午前|午後)?(?<![0-9])[0-9]{1,2}時(?!間|点|代|期|半ば)(?:[0-9]{1,2}分(?:[0-9]{1,2}秒)?|半)?"
    r"|(?<![0-9])[0-9]{1,2}[:：][0-9]{2}(?:[:：][0-9]{2})?(?![0-9])"
)
_CLOSING_MARK = re.compile(rf"{_SP}[日月]")
_DEADLINE_AFTER = re.compile(r"\s*(?:まで|迄)")
_RANGE_CONNECTOR = re.compile(r"(?:～|〜|~|－|から)\s*$")


@dataclass(frozen=True)
class _Candidate:
    """A date-like match before its missing parts are filled in."""

    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    fiscal: bool = False
    part: str | None = None  # 秋, 末, 下旬 …
    same: str | None = None  # "年", "月", "日" for 同年 / 同月 / 同日
    relative_year: int | None = None  # 来年4月: +1 from the issue year
    weekday_day: bool = False
    # the range head this candidate completes (2024年1～11月: "11月" takes 2024)
    head: "_Candidate | None" = None


def _small(text: str | None) -> int | None:
    if not text:
        return None
    value = parse_number(text)
    return int(value) if value is not None and value == int(value) else None


def _era_year(era: str, era_year: str) -> int | None:
    return gregorian_year(era, era_year if era_year == FIRST_YEAR else _small(era_year))


def _western_year(text: str) -> int | None:
    value = _small(text)
    if value is None:
        return None
    floor = 1000 if text.isdigit() else 1800  # 千年 is a duration, 二〇三〇 a year
    return value if floor <= value <= 2200 else None


def _year_of(m: re.Match, era_group: str = "era", era_year_group: str = "era_year", year_group: str = "year") -> int | None:
    groups = m.groupdict()
    if groups.get(era_group):
        return _era_year(groups[era_group], groups[era_year_group])
    if groups.get(year_group):
        return _western_year(groups[year_group])
    return None


def _valid(month: int | None, day: int | None) -> bool:
    if month is not None and not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= 31


def _month_section(m: re.Match, base: _Candidate) -> list[_Candidate]:
    """The one or two candidates of a month section (range ends split)."""
    month, day = _small(m.group("month")), _small(m.group("day"))
    month2, day2 = _small(m.group("month2")), _small(m.group("day2"))
    if not _valid(month, day) or not _valid(month2, day2):
        return []
    head_end = m.end("day") if day2 is not None else (m.end("month") if month2 is not None and day is None else None)
    first = replace(base, month=month, day=day, part=m.group("month_part"))
    if head_end is None:
        return [first]
    closing = _CLOSING_MARK.match(m.string, head_end)  # 1日～15日: the 日 belongs to the head
    first = replace(first, end=closing.end() if closing else head_end)
    if day2 is not None:
        second = _Candidate(m.start("day2"), m.end(), month=month, day=day2)
    else:
        second = _Candidate(m.start("month2"), m.end(), month=month2)
    return [first, replace(second, head=first)]


def _scan(ascii_text: str) -> list[_Candidate]:
    """All date-like matches, overlapping ones resolved (earliest, then longest)."""
    found: list[list[_Candidate]] = []

    for m in _DATE_WITH_YEAR.finditer(ascii_text):
        year = _year_of(m)
        if year is None:
            continue
        base = _Candidate(m.start(), m.end(), year=year, fiscal=bool(m.group("fiscal")), part=m.group("year_part"))
        if m.group("month"):
            if base.fiscal:
                # 2024年度3月 is March 2025: a month is a calendar month, not fiscal
                month = _small(m.group("month")) or 0
                base = replace(base, year=year + 1 if month <= 3 else year, fiscal=False)
            found.append(_month_section(m, base))
        else:
            found.append([base])
    for m in _YEAR_RANGE.finditer(ascii_text):
        first = _year_of(m)
        era2 = m.group("era2") or m.group("era")
        if era2:
            second = _era_year(era2, m.group("year2"))
        elif len(m.group("year2")) == 4:
            second = _western_year(m.group("year2"))
        elif first is not None and len(m.group("year2")) == 2:
            second = first // 100 * 100 + int(m.group("year2"))  # 2026～30年
        else:
            second = None
        if first is None or second is None or second < first:
            continue
        fiscal = bool(m.group("fiscal2") or m.group("fiscal1"))
        head_end = m.end("fiscal1") if m.group("fiscal1") else (m.end("era_year") if m.group("era") else m.end("year"))
        if m.group("fiscal1") is None and ascii_text.startswith("年", head_end):
            head_end += 1
        head = _Candidate(m.start(), head_end, year=first, fiscal=fiscal)
        found.append([head, _Candidate(m.start("era2") if m.group("era2") else m.start("year2"), m.end(), year=second, fiscal=fiscal, head=head)])
    for m in _NUMERIC_DATE.finditer(ascii_text):
        era = _NUMERIC_ERA.match(ascii_text, m.start())
        year = _era_year(era.group("era"), m.group("era_year")) if era and m.group("era_year") else _western_year(m.group("year") or "")
        month, day = int(m.group("month")), int(m.group("day"))
        if year is not None and _valid(month, day):
            found.append([_Candidate(m.start(), m.end(), year=year, month=month, day=day)])
    for m in _YEAR_MONTH_SLASH.finditer(ascii_text):
        year, month = _western_year(m.group("year")), int(m.group("month"))
        if year is not None and _valid(month, None):
            found.append([_Candidate(m.start(), m.end(), year=year, month=month)])
    for m in _SEASON_NO_NEN.finditer(ascii_text):
        year = _western_year(m.group("year"))
        if year is not None:
            found.append([_Candidate(m.start(), m.end(), year=year, part=m.group("year_part"))])
    for pattern in (_FISCAL_CODE, _FISCAL_SLASH):
        for m in pattern.finditer(ascii_text):
            year = int(m.group("year"))
            year = year + 2000 if year < 100 else year
            found.append([_Candidate(m.start(), m.end(), year=year, fiscal=True)])
    for m in _YEARLESS.finditer(ascii_text):
        relative = _RELATIVE_YEAR.get(m.group("relative_year") or "")
        base = _Candidate(m.start(), m.end(), same="年" if m.group("same_year") else None, relative_year=relative)
        found.append(_month_section(m, base))
    for m in _SAME_MONTH.finditer(ascii_text):
        day, day2 = _small(m.group("day")), _small(m.group("day2"))
        if not _valid(None, day) or not _valid(None, day2):
            continue
        if day2 is None:
            found.append([_Candidate(m.start(), m.end(), day=day, part=m.group("month_part"), same="月")])
        else:
            head = _Candidate(m.start(), m.end("day"), day=day, same="月")
            found.append([head, _Candidate(m.start("day2"), m.end(), day=day2, same="月", head=head)])
    for m in _SAME_DAY.finditer(ascii_text):
        found.append([_Candidate(m.start(), m.end(), same="日")])
    for m in _SAME_YEAR.finditer(ascii_text):
        found.append([_Candidate(m.start(), m.end(), same="年", fiscal=bool(m.group("fiscal")))])
    for m in _DAY_WITH_WEEKDAY.finditer(ascii_text):
        day = _small(m.group("day"))
        if _valid(None, day):
            found.append([_Candidate(m.start(), m.end(), day=day, weekday_day=True)])

    day_ends = {group[-1].end for group in found if group and group[-1].day is not None}
    for m in _DAY_AFTER_DATE.finditer(ascii_text):
        day = _small(m.group("day"))
        if m.start() in day_ends and _valid(None, day):
            found.append([_Candidate(m.start("day"), m.end(), day=day, same="月")])

    found = [group for group in found if group]
    found.sort(key=lambda group: (group[0].start, -(group[-1].end - group[0].start)))
    chosen: list[_Candidate] = []
    last_end = -1
    for group in found:
        if group[0].start >= last_end:
            chosen.extend(group)
            last_end = group[-1].end
    return chosen


def temporal_spans(text: str) -> list[tuple[int, int]]:
    """Spans holding dates, decades, centuries or clock times, resolvable or not.

    The figure finder skips numbers inside them: the 2024 of 2024年11月 is
    not a quantity even when no year could be resolved for a bare 11月.
    """
    ascii_text = to_ascii_digits(text)
    spans = [(c.start, c.end) for c in _scan(ascii_text)]
    spans += [m.span() for m in _DECADE_OR_CENTURY.finditer(ascii_text)]
    spans += [m.span() for m in _BEFORE_CHRIST.finditer(ascii_text)]
    spans += [m.span() for m in _CLOCK.finditer(ascii_text)]
    return sorted(spans)


# --- resolution ----------------------------------------------------------------

_SEASON_MONTHS = {"春": (3, 5), "夏": (6, 8), "秋": (9, 11)}
_YEAR_PART_MONTHS = {
    "末": (12, 12), "暮れ": (12, 12), "初め": (1, 1), "初頭": (1, 1), "年初": (1, 1),
    "前半": (1, 6), "上半期": (1, 6), "後半": (7, 12), "下半期": (7, 12),
}
_MONTH_PART_DAYS = {
    "上旬": (1, 10), "初旬": (1, 10), "初め": (1, 10), "初頭": (1, 10),
    "中旬": (11, 20), "半ば": (11, 20), "中頃": (11, 20),
    "下旬": (21, 31), "末": (21, 31),
    "前半": (1, 15), "後半": (16, 31),
}


@dataclass(frozen=True)
class _Resolved:
    year: int
    month: int | None
    day: int | None
    fiscal: bool
    part: str | None
    position: int
    deadline: bool
    rule: str = "year-stated"  # how the year was found: the dates table's ``rule``


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _bounds(r: _Resolved) -> tuple[str, str, str, str]:
    """(value, start, end, granularity)."""
    y, m, d = r.year, r.month, r.day
    if d is not None and m is not None:
        iso = dt.date(y, m, d).isoformat()
        return iso, iso, iso, "day"
    if m is not None:
        first, last = _MONTH_PART_DAYS.get(r.part or "", (1, 31))
        last = min(last, _last_day(y, m))
        return f"{y:04d}-{m:02d}", dt.date(y, m, first).isoformat(), dt.date(y, m, last).isoformat(), "month"
    if r.fiscal:
        return f"{y:04d}", f"{y:04d}-04-01", f"{y + 1:04d}-03-31", "year"
    if r.part == "冬":
        return f"{y:04d}", f"{y:04d}-12-01", dt.date(y + 1, 2, _last_day(y + 1, 2)).isoformat(), "year"
    first_month, last_month = _SEASON_MONTHS.get(r.part or "") or _YEAR_PART_MONTHS.get(r.part or "", (1, 12))
    return f"{y:04d}", f"{y:04d}-{first_month:02d}-01", dt.date(y, last_month, _last_day(y, last_month)).isoformat(), "year"


def _exists(year: int, month: int | None, day: int | None) -> bool:
    if month is None or day is None:
        return True
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def find_dates(text: str, reference: dt.date | None = None) -> list[DateMention]:
    """Every date in ``text``, in order, with offsets into ``text``.

    >>> [m.value for m in find_dates("2024年7月4日に開所し、同月17日にも稼働した。")]
    ['2024-07-04', '2024-07-17']
    >>> [(m.value, m.fiscal) for m in find_dates("令和7年度予算")]
    [('2025', True)]
    """
    ascii_text = to_ascii_digits(text)
    history: list[_Resolved] = []
    resolved_by_candidate: dict[int, _Resolved] = {}
    mentions: list[DateMention] = []

    before_christ = [m.span() for m in _BEFORE_CHRIST.finditer(ascii_text)]
    for candidate in _scan(ascii_text):
        if any(start <= candidate.start < end for start, end in before_christ):
            continue
        if candidate.month is None and candidate.year is not None and _names_an_instrument(ascii_text, candidate):
            continue
        resolved = _resolve(candidate, ascii_text, history, resolved_by_candidate, reference)
        if resolved is None or not _exists(resolved.year, resolved.month, resolved.day):
            continue
        resolved_by_candidate[id(candidate)] = resolved
        history.append(resolved)
        value, start, end, granularity = _bounds(resolved)
        mentions.append(
            DateMention(
                surface=text[candidate.start:candidate.end],
                value=value,
                start=start,
                end=end,
                granularity=granularity,
                fiscal=resolved.fiscal,
                char_start=candidate.start,
                char_end=candidate.end,
                rule=resolved.rule,
            )
        )
    return mentions


#: After a year: a number of the instrument (第19号), or a name run into it that ends as a law's does.
_INSTRUMENT_NUMBER_AFTER = re.compile(r"\s*(?:法律|政令|省令|条例|規則|告示|令)?\s*第\s*[0-9]+\s*号")
_LAW_NAME_AFTER = re.compile(r"[\u30A0-\u30FF\u4E00-\u9FFFA-Za-z]{1,20}?(?:法律|条例|法|令)(?![\u4E00-\u9FFF])")


def _names_an_instrument(ascii_text: str, c: _Candidate) -> bool:
    """The year is part of a law's or decree's name or number (see the module docstring)."""
    return bool(_INSTRUMENT_NUMBER_AFTER.match(ascii_text, c.end) or _LAW_NAME_AFTER.match(ascii_text, c.end))


def _resolve(c, ascii_text, history, resolved_by_candidate, reference) -> _Resolved | None:
    deadline = bool(_DEADLINE_AFTER.match(ascii_text, c.end))

    def make(year, month, day, rule, fiscal=c.fiscal, part=c.part):
        return _Resolved(year, month, day, fiscal, part, c.start, deadline, rule)

    if c.year is not None:
        return make(c.year, c.month, c.day, "year-stated")
    if c.head is not None and id(c.head) in resolved_by_candidate:
        head = resolved_by_candidate[id(c.head)]
        return make(head.year, c.month if c.month is not None else head.month, c.day, "range-head", fiscal=head.fiscal or c.fiscal)
    if c.relative_year is not None:
        return reference and make(reference.year + c.relative_year, c.month, c.day, "relative-year")
    if c.same == "日":
        previous = next((r for r in reversed(history) if r.day is not None), None)
        return previous and make(previous.year, previous.month, previous.day, "same-day", fiscal=False, part=None)
    if c.same == "月":
        previous = next((r for r in reversed(history) if r.month is not None), None)
        return previous and make(previous.year, previous.month, c.day, "same-month")
    if c.same == "年":
        previous = next((r for r in reversed(history) if not r.deadline), None) or (history[-1] if history else None)
        if previous is None:
            return None
        return make(previous.year, c.month, c.day, "same-year")
    if c.weekday_day:
        previous = next((r for r in reversed(history) if r.month is not None), None)
        if previous is not None:
            return make(previous.year, previous.month, c.day, "weekday-day")
        return reference and make(reference.year, reference.month, c.day, "weekday-day-issue-month")
    # a month (and day) with no year: the year of the time being narrated
    narrated = history[-1] if history and history[-1].month is not None else None
    if narrated is not None:
        year = narrated.year
        if c.month < narrated.month and _RANGE_CONNECTOR.search(ascii_text, max(0, c.start - 6), c.start):
            year += 1  # 2024年12月から1月にかけて
        return make(year, c.month, c.day, "narrated-year")
    if reference is not None:
        return make(reference.year, c.month, c.day, "issue-year")
    if history:
        return make(history[-1].year, c.month, c.day, "previous-date-year")
    return None


#: Every rule a date row can name in its ``rule`` column: how its year was found.
#: Each has positive and negative cases in ``tests/rule_cases/``.
RULES: dict[str, str] = {
    "year-stated": "the year is written (western, era or fiscal)",
    "range-head": "the second end of a range takes what its first end states (2024年1月10日～20日)",
    "relative-year": "今年, 昨年, 来年 … counted from the issue date",
    "same-day": "同日: the date named just before",
    "same-month": "同月: the month named just before",
    "same-year": "同年: the year named just before (a deadline year skipped)",
    "weekday-day": "a day with its weekday, in the month named just before",
    "weekday-day-issue-month": "a day with its weekday and no month before it: the issue's month",
    "narrated-year": "a month without a year: the year of the nearest preceding date with a month",
    "issue-year": "a month without a year and no date with a month before it: the issue's year",
    "previous-date-year": "no issue date known: the year of the date before it, as a last resort",
}
