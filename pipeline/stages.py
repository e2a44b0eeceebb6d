"""The stages of one document's run, declared: what each requires, what it produces, and what does it.

:func:`pipeline.run.process_document` runs :data:`STAGES` in order through
:func:`run_stages`, which hands each stage the values it requires and keeps
what it produces; nothing else passes between stages.  A stage is checked
against its declaration as it runs (it must produce exactly what it says),
and the order is checked before anything runs (each requirement is
produced by an earlier stage or given).  Compare spaCy's
``Language.component(requires=..., assigns=...)``.

The stages, in order (the names of values in brackets)::

    read        [path]                  -> [read]        extract and repair (kept between runs)
    furniture   [read]                  -> [document, body_size]
    articles    [document, body_size]   -> [split]
    figures     [split, document]       -> [figures]
    dates       [split, document]       -> [dates]
    entities    [split]                 -> [entities]    GiNZA's reading kept between runs
    verdict     [document, split]       -> [judged]      ok or partial, with the reasons

A stage that produces a failed document ends the run: the later stages
have nothing to work on, and the document's row says why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.records import Document
from pipeline.settings import DEFAULT, Settings
from pipeline.stage_cache import READ_STAGE
from pipeline.timing import StageClock


@dataclass(frozen=True)
class Stage:
    """One step of a document's run."""

    name: str
    requires: tuple[str, ...]
    produces: tuple[str, ...]
    run: Callable[[Mapping[str, Any], RunContext], dict[str, Any]]
    clock: str | None  # the timing bucket its seconds go to (pipeline.timing); None: it times itself
    why: str  # one line for the docs and errors


@dataclass(frozen=True)
class RunContext:
    """What the stages of one document's run share besides the values: its file, options and services."""

    source: str
    password: str | None = None
    entity_finder: Any = None  # pipeline.pull.mentions.EntityFinding, or None: no entities
    on_page: Callable[[int], None] | None = None
    clock: StageClock = field(default_factory=StageClock)
    store: Any = None  # pipeline.stage_cache.StageCache, or None: nothing kept between runs
    settings: Settings = DEFAULT  # every stage's thresholds (pipeline/settings.py)


class StageError(RuntimeError):
    """A stage list that cannot run: a requirement nothing produces, or a stage that broke its declaration."""


def check_order(stages: tuple[Stage, ...], given: tuple[str, ...]) -> None:
    """Raise :class:`StageError` unless every stage's requirements are given or produced before it."""
    available = set(given)
    for stage in stages:
        missing = [name for name in stage.requires if name not in available]
        if missing:
            raise StageError(f"stage {stage.name!r} requires {missing}, which no earlier stage produces")
        available.update(stage.produces)


def run_stages(stages: tuple[Stage, ...], context: RunContext, given: Mapping[str, Any]) -> dict[str, Any]:
    """Run ``stages`` in order from the ``given`` values; returns every value given and produced.

    Stops after a stage that produces a failed document.
    """
    check_order(stages, tuple(given))
    values = dict(given)
    for stage in stages:
        inputs = {name: values[name] for name in stage.requires}
        if stage.clock is None:
            produced = stage.run(inputs, context)
        else:
            with context.clock.stage(stage.clock):
                produced = stage.run(inputs, context)
        if set(produced) != set(stage.produces):
            raise StageError(f"stage {stage.name!r} produced {sorted(produced)}, not the {list(stage.produces)} it declares")
        values = {**values, **produced}
        if any(isinstance(value, Document) and value.status == "failed" for value in produced.values()):
            break
    return values


# --- the stages ---------------------------------------------------------------------------------


def _read(values, context: RunContext) -> dict:
    """The PDF extracted and repaired, from the stage cache when this file was read before by the same code."""
    from pipeline.reading import read_key, read_pdf
    from pipeline.record_codec import CodecError, decode_document, encode_document
    from pipeline.sources import doc_id_for, sha256_of

    path: Path = values["path"]
    store = context.store
    layout = context.settings.layout
    if store is None:
        return {"read": read_pdf(path, context.password, context.on_page, context.clock, context.source, layout, context.settings.ocr)}
    with context.clock.stage("extract"):
        sha256 = sha256_of(path)
        key = read_key(sha256, layout, context.settings.ocr)
        stored = store.get(READ_STAGE, key)
    if stored is not None:
        with context.clock.stage("read_kept"):
            try:
                document = decode_document(stored)
            except CodecError:
                document = None
        if document is not None and document.sha256 == sha256:
            return {"read": replace(document, doc_id=doc_id_for(context.source), source=context.source)}
    document = read_pdf(path, context.password, context.on_page, context.clock, context.source, layout, context.settings.ocr)
    if document.status != "failed":  # a failure is quick to meet again, and may not recur
        store.put(READ_STAGE, key, encode_document(document))
    return {"read": document}


def _furniture(values, context: RunContext) -> dict:
    from pipeline.split import find_furniture

    document, body_size = find_furniture(values["read"], context.settings)
    return {"document": document, "body_size": body_size}


def _articles(values, context: RunContext) -> dict:
    from pipeline.split import split_articles

    document = values["document"]
    title = Path(document.source).stem  # names an article that no heading names (pipeline.split.articles)
    return {"split": split_articles(document.doc_id, document.pages, values["body_size"], context.settings.articles, title)}


def _figures(values, context: RunContext) -> dict:
    from pipeline.ocr.confidence import char_confidences, digits_confidence
    from pipeline.pull import figure_rows

    confidences = char_confidences(values["document"])
    rows = []
    for article in values["split"].articles:
        for row in figure_rows(article):
            if confidences:  # a figure on a scanned page: how sure OCR was of its digits
                row["ocr_confidence"] = digits_confidence(article, row["char_start"], row["char_end"], confidences)
            rows.append(row)
    return {"figures": rows}


def _dates(values, context: RunContext) -> dict:
    from pipeline.pull import date_rows, reference_date

    reference = reference_date(values["document"].issue_date)
    return {"dates": [row for article in values["split"].articles for row in date_rows(article, reference)]}


def _entities(values, context: RunContext) -> dict:
    from pipeline.pull import entity_rows

    articles = values["split"].articles
    if context.entity_finder is None or not articles:
        return {"entities": []}
    found = context.entity_finder.find([article.body for article in articles])
    return {"entities": [row for article, mentions in zip(articles, found) for row in entity_rows(article, mentions)]}


def _verdict(values, context: RunContext) -> dict:
    from pipeline.verdict import judge

    document = values["document"]
    status, error, code = judge(document, values["split"].articles)
    return {"judged": replace(document, status=status, error=error, error_code=code)}


STAGES: tuple[Stage, ...] = (
    Stage("read", ("path",), ("read",), _read, None, "extract the PDF's glyphs and repair their text"),
    Stage("furniture", ("read",), ("document", "body_size"), _furniture, "split", "tell headers, page numbers, captions and footnotes from body text"),
    Stage("articles", ("document", "body_size"), ("split",), _articles, "split", "cut the issue into articles"),
    Stage("figures", ("split", "document"), ("figures",), _figures, "pull", "numbers with their units (and how sure OCR was of their digits)"),
    Stage("dates", ("split", "document"), ("dates",), _dates, "pull", "dates, resolved against the issue date"),
    Stage("entities", ("split",), ("entities",), _entities, "pull", "named entities (GiNZA, then the project's rules)"),
    Stage("verdict", ("document", "split"), ("judged",), _verdict, None, "ok, or partial with the reasons"),
)
