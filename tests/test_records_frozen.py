"""Records are values: no stage changes what it was given, and repair steps are only ever added.

Run on the project's own fixtures: the sample issues in ``raw/`` and the
nameless-font file whose glyphs are read from their outlines.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest

from conftest import RAW
from pipeline.pull import pull_articles
from pipeline.records import TAKEN_BACK, Article, Box, Char, Document, Line, Page, Repair, final_repairs
from pipeline.repair.glyphs import UNRESOLVED
from pipeline.repair.ocr_engine import engine_note
from pipeline.reading import read_pdf
from pipeline.split import find_furniture
from pipeline.split import split_articles

NAMELESS = Path(__file__).parent / "fixtures" / "nameless-fonts.pdf"


def _char(text: str = "日", x0: float = 10.0) -> Char:
    return Char(text, "Mincho", 10.0, x0, 100.0, x0 + 10.0, 110.0, 0)


def _step(raw: str, fixed: str, rule: str, x0: float = 10.0) -> Repair:
    return Repair(0, x0, 100.0, x0 + 10.0, 110.0, raw, fixed, rule, 0.9)


@pytest.mark.parametrize(
    "record, field",
    [
        (_char(), "text"),
        (Line(chars=[_char()], page=0), "kind"),
        (Page(0, 595.0, 842.0), "label"),
        (Document("d", "d.pdf", "0" * 64), "status"),
        (Article("d", "d-a1", 1, None, "t", None, 0, 0, "本", [Box(0, 0, 0, 1, 1)]), "article_id"),
        (_step("a", "b", "r"), "fixed"),
    ],
)
def test_records_refuse_assignment(record, field):
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(record, field, None)


def test_list_fields_are_stored_as_tuples():
    line = Line(chars=[_char("日"), _char("本", 20.0)], page=0)
    page = Page(0, 595.0, 842.0, lines=[line])
    assert isinstance(line.chars, tuple) and isinstance(page.lines, tuple)
    assert line.text == "日本"


@pytest.fixture(scope="module")
def read_sample() -> Document:
    return read_pdf(RAW / "sample-2025-04.pdf")


def test_no_stage_changes_the_document_it_was_given(read_sample):
    before = copy.deepcopy(read_sample)
    classified, body_size = find_furniture(read_sample)
    assert read_sample == before, "find_furniture changed the document it read"
    kinds_before = [line.kind for page in classified.pages for line in page.lines]
    text_before = [line.text for page in classified.pages for line in page.lines]
    split = split_articles(classified.doc_id, classified.pages, body_size)
    assert [line.kind for page in classified.pages for line in page.lines] == kinds_before
    assert [line.text for page in classified.pages for line in page.lines] == text_before, "split changed the lines"
    pull_articles(split.articles, classified.issue_date)
    assert read_sample == before
    # the classification is on the new pages only
    assert {line.kind for page in read_sample.pages for line in page.lines} == {"body"}
    assert {line.kind for page in classified.pages for line in page.lines} >= {"heading", "body"}


def test_removed_markers_are_kept_as_the_split_steps_log(read_sample):
    classified, body_size = find_furniture(read_sample)
    split = split_articles(classified.doc_id, classified.pages, body_size)
    bodies = "".join(article.body for article in split.articles)
    for marker in split.markers:
        assert marker.number and all(char.text.isdigit() for char in marker.chars)
        assert marker.chars[0] in {char for page in classified.pages for line in page.lines for char in line.chars}
    # every removed glyph is gone from the bodies' boxes, and still on its page
    boxes = {box for article in split.articles for box in article.body_boxes if box is not None}
    assert not any(char.box in boxes for char in split.removed_chars())
    assert bodies


def test_final_repairs_collapse_steps_and_honour_a_taken_back_step():
    steps = [
        _step("x", UNRESOLVED, "map_distrusted"),
        _step(UNRESOLVED, "本", "glyph_shape_ocr"),
        _step("y", UNRESOLVED, "map_distrusted", x0=30.0),
        _step(UNRESOLVED, "y", TAKEN_BACK, x0=30.0),
    ]
    (row,) = final_repairs(steps)
    assert (row.raw, row.fixed, row.rule) == ("x", "本", "glyph_shape_ocr")
    again = final_repairs([*steps, _step("y", "ｙ", "later_rule", x0=30.0)])
    assert [(r.raw, r.fixed, r.rule) for r in again] == [("x", "本", "glyph_shape_ocr"), ("y", "ｙ", "later_rule")]


@pytest.mark.skipif(engine_note() is not None, reason=str(engine_note()))
def test_a_glyph_read_after_being_left_unknown_keeps_both_steps():
    document = read_pdf(NAMELESS)
    read = [r for r in document.repairs if r.rule in ("glyph_shape_ocr", "shape_read_and_matched", "same_outline_as_mapped_glyph")]
    assert read
    for row in read:
        history = [step for step in document.repair_steps if step.place == row.place]
        assert len(history) >= 2, f"{row.fixed}: the step that left the glyph unknown is lost"
        assert history[-2].fixed == UNRESOLVED and history[-1].raw == UNRESOLVED
        assert history[-1].fixed == row.fixed and history[0].raw == row.raw
