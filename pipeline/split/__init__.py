"""Split stage: page furniture apart from body text, then articles."""

from __future__ import annotations

from dataclasses import replace

from pipeline.extract.layout import dominant_size
from pipeline.records import Document
from pipeline.settings import DEFAULT, Settings
from pipeline.split.articles import Split, split_articles
from pipeline.split.furniture import classify_page, running_headers
from pipeline.split.headings import rank_headings
from pipeline.split.issue import IssueInfo, read_issue


def find_furniture(document: Document, settings: Settings = DEFAULT) -> tuple[Document, float]:
    """The document with each line's kind (headings found by typography where no ``【region】`` heads an article), each page's printed number and the issue's name and date; and the body text size."""
    all_lines = [line for page in document.pages for line in page.lines]
    body_size = dominant_size(all_lines, settings.layout)
    running = running_headers(list(document.pages), settings.furniture)
    pages = [classify_page(page, body_size, settings.furniture, running) for page in document.pages]
    pages = rank_headings(pages, body_size, settings.furniture)
    issue = read_issue(pages)
    document = replace(document, pages=pages, newsletter=issue.newsletter, issue_label=issue.issue_label, issue_date=issue.issue_date)
    return document, body_size


__all__ = ["classify_page", "rank_headings", "find_furniture", "split_articles", "read_issue", "IssueInfo", "Split"]
