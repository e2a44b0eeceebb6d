"""Split stage: page furniture apart from body text, then articles."""

from pipeline.split.articles import split_articles
from pipeline.split.furniture import classify_page
from pipeline.split.issue import IssueInfo, read_issue

__all__ = ["classify_page", "split_articles", "read_issue", "IssueInfo"]
