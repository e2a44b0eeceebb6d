"""Pull stage: figures, dates and named entities from article bodies.

The finders work on plain text (see :mod:`pipeline.pull.mentions`); this
module runs them over a document's articles and turns their mentions into
table rows with provenance (page and box) and stable ids.  Rows are built
as the schema's row types (:mod:`pipeline.dataset.rows`), so a misspelt
column fails here, and handed on as dicts, as the writer takes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.dataset.ids import mention_ids
from pipeline.dataset.rows import DateRow, EntityRow, FigureRow
from pipeline.pull.dates import find_dates
from pipeline.pull.figures import find_figures
from pipeline.pull.locate import provenance
from pipeline.pull.mentions import EntityFinding, EntityMention
from pipeline.records import Article


@dataclass
class PulledRows:
    figures: list[dict] = field(default_factory=list)
    dates: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)


def reference_date(issue_date: str | None) -> dt.date | None:
    """The issue's first day: the year for dates that state none."""
    if not issue_date:
        return None
    parts = [int(p) for p in issue_date.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def pull_articles(articles: list[Article], issue_date: str | None, entity_finder: EntityFinding | None = None) -> PulledRows:
    """The figures, dates and (with ``entity_finder``) entities of ``articles``, as table rows."""
    rows = PulledRows()
    reference = reference_date(issue_date)
    for article in articles:
        rows.figures.extend(figure_rows(article))
        rows.dates.extend(date_rows(article, reference))
    if entity_finder is not None and articles:
        for article, mentions in zip(articles, entity_finder.find([a.body for a in articles])):
            rows.entities.extend(entity_rows(article, mentions))
    return rows


def figure_rows(article: Article) -> list[dict]:
    mentions = find_figures(article.body)
    ids = mention_ids(article.article_id, "f", mentions)
    rows = []
    for mention, figure_id in zip(mentions, ids):
        partner = mention.range_partner
        row = FigureRow(
            doc_id=article.doc_id,
            article_id=article.article_id,
            figure_id=figure_id,
            surface=mention.surface,
            value=float(mention.value),
            unit=mention.unit,
            qualifier=mention.qualifier,
            range_partner=ids[partner] if partner is not None else None,
            rule=mention.rule or None,
            **provenance(article, mention.char_start, mention.char_end),
        )
        rows.append(row.as_dict())
    return rows


def date_rows(article: Article, reference: dt.date | None) -> list[dict]:
    rows = []
    mentions = find_dates(article.body, reference)
    for mention, date_id in zip(mentions, mention_ids(article.article_id, "d", mentions)):
        row = DateRow(
            doc_id=article.doc_id,
            article_id=article.article_id,
            date_id=date_id,
            surface=mention.surface,
            value=mention.value,
            start=mention.start,
            end=mention.end,
            granularity=mention.granularity,
            fiscal=bool(mention.fiscal),
            rule=mention.rule or None,
            **provenance(article, mention.char_start, mention.char_end),
        )
        rows.append(row.as_dict())
    return rows


def entity_rows(article: Article, mentions: Iterable[EntityMention]) -> list[dict]:
    rows = []
    mentions = list(mentions)
    for mention, entity_id in zip(mentions, mention_ids(article.article_id, "e", mentions)):
        row = EntityRow(
            doc_id=article.doc_id,
            article_id=article.article_id,
            entity_id=entity_id,
            surface=mention.surface,
            label=mention.label,
            ner_label=mention.ner_label,
            canonical=mention.canonical,
            rule=mention.rule or None,
            **provenance(article, mention.char_start, mention.char_end),
        )
        rows.append(row.as_dict())
    return rows
