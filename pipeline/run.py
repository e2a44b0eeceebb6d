"""Run the stages over one document, and over a folder of them.

One document in, its table rows out: :func:`process_document` holds no
state between documents, so a batch can be split across processes.  A
document that cannot be read gives a ``failed`` row with the reason, and the
batch goes on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline import __version__
from pipeline.dataset.ids import repair_ids, ruby_ids
from pipeline.dataset.rows import ArticleRow, DocumentRow, FontRow, PageRow, RepairRow, RubyRow
from pipeline.ocr import LOW_CONFIDENCE
from pipeline.ocr.confidence import format_unsure, unsure_words
from pipeline.pull import PulledRows
from pipeline.records import Article, Document, Line, Page
from pipeline.repair import UNRESOLVED
from pipeline.sources import doc_id_for, readable_name, sha256_of, source_name
from pipeline.settings import DEFAULT, Settings
from pipeline.split.articles import Split
from pipeline.stages import STAGES, RunContext, run_stages
from pipeline.timing import StageClock

__all__ = ["DocumentResult", "process_document", "read_document", "doc_id_for", "readable_name", "sha256_of", "source_name"]


@dataclass(frozen=True)
class DocumentResult:
    """Everything one document contributes to the tables."""

    document: Document
    split: Split = Split(())
    pulled: PulledRows = field(default_factory=PulledRows)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (pipeline.timing)

    @property
    def articles(self) -> tuple[Article, ...]:
        return self.split.articles

    def rows(self) -> dict[str, list[dict]]:
        removed = self.split.removed_chars()
        return {
            "documents": [document_row(self.document, len(self.articles))],
            "pages": [page_row(self.document, page, removed) for page in self.document.pages],
            "articles": [article_row(article) for article in self.articles],
            "figures": self.pulled.figures,
            "dates": self.pulled.dates,
            "entities": self.pulled.entities,
            "fonts": font_rows(self.document),
            "repairs": repair_rows(self.document),
            "ruby": ruby_rows(self.document),
        }


def read_document(
    path: Path,
    password: str | None = None,
    on_page: Callable[[int], None] | None = None,
    clock: StageClock | None = None,
    source: str | None = None,
) -> tuple[Document, float]:
    """The first two stages alone: extract and repair every page (:func:`pipeline.reading.read_pdf`),
    then mark its furniture (:func:`pipeline.split.find_furniture`); nothing kept between runs.

    Returns the document and its body text size.  A file that cannot be
    read comes back with ``status="failed"`` and the reason.  ``clock``
    collects the seconds spent in extract, repair and split; ``source`` is
    the file's name in the tables (see :func:`source_name`).
    """
    context = RunContext(source or path.name, password, on_page=on_page, clock=clock or StageClock())
    values = run_stages(STAGES[:2], context, {"path": path})
    if "document" not in values:
        return values["read"], 0.0
    return values["document"], values["body_size"]


def process_document(
    path: Path,
    password: str | None = None,
    entity_finder=None,
    on_page: Callable[[int], None] | None = None,
    source: str | None = None,
    store=None,
    settings: Settings = DEFAULT,
) -> DocumentResult:
    """Run :data:`pipeline.stages.STAGES` on one PDF, and gather what they produced.

    ``store`` (a :class:`pipeline.stage_cache.StageCache`) keeps the read
    document and GiNZA's analyses between runs.
    """
    context = RunContext(source or path.name, password, entity_finder, on_page, StageClock(), store, settings)
    values = run_stages(STAGES, context, {"path": path})
    if "judged" not in values:  # a stage failed the document: the last document produced says why
        failed = values.get("document", values["read"])
        return DocumentResult(failed, timings=context.clock.seconds)
    pulled = PulledRows(values["figures"], values["dates"], values["entities"])
    return DocumentResult(values["judged"], values["split"], pulled, timings=context.clock.seconds)


def font_rows(document: Document) -> list[dict]:
    """Each font with its verdict, and how many of its glyphs were drawn, repaired and left unknown."""
    drawn = Counter(char.font_key for page in document.pages for line in page.lines for char in line.chars)
    repaired = Counter(repair.font for repair in document.repairs if repair.fixed != UNRESOLVED)
    unresolved = Counter(repair.font for repair in document.repairs if repair.fixed == UNRESOLVED)
    return [
        FontRow(
            doc_id=document.doc_id,
            font=report.font,
            base_font=report.base_font,
            font_type=report.font_type,
            program=report.program,
            map_verdict=report.map_verdict,
            reasons=report.reasons,
            glyphs=drawn[report.font] + sum(1 for repair in document.repairs if repair.font == report.font and repair.fixed == ""),
            repaired=repaired[report.font],
            unresolved=unresolved[report.font],
        ).as_dict()
        for report in document.fonts
    ]


def ruby_rows(document: Document) -> list[dict]:
    """Every ruby the read stage kept apart from the text (:attr:`pipeline.records.Line.ruby`), with its base's box, pages counted from 1."""
    readings = [ruby for page in document.pages for line in page.lines for ruby in line.ruby]
    return [
        RubyRow(
            doc_id=document.doc_id,
            ruby_id=ruby_id,
            base=ruby.base,
            reading=ruby.text,
            page=ruby.base_box.page + 1,
            x0=ruby.base_box.x0,
            top=ruby.base_box.top,
            x1=ruby.base_box.x1,
            bottom=ruby.base_box.bottom,
        ).as_dict()
        for ruby_id, ruby in zip(ruby_ids(document.doc_id, readings), readings)
    ]


def repair_rows(document: Document) -> list[dict]:
    """What became of each repaired glyph (:attr:`pipeline.records.Document.repairs`), pages counted from 1."""
    return [
        RepairRow(
            doc_id=document.doc_id,
            repair_id=repair_id,
            page=repair.page + 1,
            x0=repair.x0,
            top=repair.top,
            x1=repair.x1,
            bottom=repair.bottom,
            raw=repair.raw,
            fixed=repair.fixed,
            rule=repair.rule,
            confidence=repair.confidence,
            font=repair.font,
        ).as_dict()
        for repair, repair_id in zip(document.repairs, repair_ids(document.doc_id, document.repairs))
    ]


def document_row(document: Document, n_articles: int) -> dict:
    return DocumentRow(
        doc_id=document.doc_id,
        source=document.source,
        newsletter=document.newsletter,
        issue_label=document.issue_label,
        issue_date=document.issue_date,
        n_pages=document.n_pages,
        n_articles=n_articles,
        status=str(document.status),
        error=document.error,
        error_code=None if document.error_code is None else str(document.error_code),
        pipeline_version=__version__,
        sha256=document.sha256,
    ).as_dict()


def page_row(document: Document, page: Page, removed: frozenset = frozenset()) -> dict:
    """The page's row; its text as the articles read it, without the footnote markers the split stage ``removed``."""
    on_page = [repair for repair in document.repairs if repair.page == page.index]
    text = "\n".join(_without(line, removed).text for line in page.lines)
    return PageRow(
        doc_id=document.doc_id,
        page_index=page.index,
        page_label=page.label,
        width=page.width,
        height=page.height,
        text=text,
        n_chars=sum(1 for ch in text if not ch.isspace()),
        n_repaired=sum(1 for repair in on_page if repair.fixed != UNRESOLVED),
        n_unresolved=sum(1 for repair in on_page if repair.fixed == UNRESOLVED),
        error=page.error,
        source=page.source,
        ocr_confidence=page.ocr_confidence,
        ocr_unsure=format_unsure(unsure_words(page, LOW_CONFIDENCE)),
    ).as_dict()


def _without(line: Line, removed: frozenset) -> Line:
    if removed and not removed.isdisjoint(line.chars):
        return replace(line, chars=[char for char in line.chars if char not in removed])
    return line


def article_row(article: Article) -> dict:
    return ArticleRow(
        doc_id=article.doc_id,
        article_id=article.article_id,
        seq=article.seq,
        region=article.region,
        title=article.title,
        author=article.author,
        page_start=article.page_start + 1,
        page_end=article.page_end + 1,
        body=article.body,
        references="\n".join(article.references),
        footnotes="\n".join(article.footnotes),
        sections="\n".join(article.sections),
        heading_rule=article.heading_rule,
    ).as_dict()
