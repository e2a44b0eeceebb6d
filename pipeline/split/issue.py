"""Issue metadata from the running header: newsletter name, issue label, date.

Newsletters print ``<name> <YYYY年M月号> (No.N)`` at the top of each page.
The header is read from whichever page has a readable one, since a broken
header font can leave some pages without text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.japanese import FULLWIDTH_DIGITS, gregorian_year
from pipeline.records import Page

ISSUE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(?:号|発行)")
ERA_ISSUE = re.compile(r"(令和|平成)\s*(\d{1,2}|元)\s*年\s*(\d{1,2})\s*月\s*号")


@dataclass
class IssueInfo:
    newsletter: str | None = None
    issue_label: str | None = None
    issue_date: str | None = None  # YYYY-MM


def read_issue(pages: list[Page]) -> IssueInfo:
    for page in pages:
        header = " ".join(line.text.strip() for line in page.lines if line.kind == "header")
        info = parse_header(header)
        if info.issue_date:
            return info
    return IssueInfo()


def parse_header(header: str) -> IssueInfo:
    """Split a running header into name, issue label and issue month.

    >>> parse_header("アジア環境・経済ニュース2024年12月号 (No.123)")
    IssueInfo(newsletter='アジア環境・経済ニュース', issue_label='2024年12月号 (No.123)', issue_date='2024-12')
    """
    text = header.translate(FULLWIDTH_DIGITS).strip()
    match = ISSUE.search(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
    else:
        match = ERA_ISSUE.search(text)
        if not match:
            return IssueInfo()
        year, month = gregorian_year(match.group(1), match.group(2)), int(match.group(3))
    if year is None or not 1 <= month <= 12:  # 令和0年: no such year
        return IssueInfo()
    name = text[: match.start()].strip(" 　|｜-–") or None
    return IssueInfo(newsletter=name, issue_label=text[match.start():].strip(), issue_date=f"{year:04d}-{month:02d}")
