"""Row types: built from the schema, so a wrong column fails where the row is made.

The row types and :mod:`pipeline.tables` cannot drift apart: their fields
are checked against the schema's columns for every table, and the pull
stage's rows of a small article of our own come out with exactly the
table's columns and pass the schema's checks.
"""

from __future__ import annotations

import dataclasses
import pickle

import pytest

import pipeline.dataset.rows as rows_module
from pipeline.dataset.rows import (
    PYTHON_TYPES,
    ArticleRow,
    DateRow,
    DocumentRow,
    EntityRow,
    FigureRow,
    PageRow,
    _class_name,
    required_columns,
    row_type,
)
from pipeline.dataset.validate import checked_frames
from pipeline.pull import date_rows, entity_rows, figure_rows, pull_articles
from pipeline.pull.mentions import EntityFinding, EntityMention
from pipeline.records import Article, Box
from pipeline.tables import CHANGES, SCHEMA

FIGURE_KEYS = {"doc_id": "d", "article_id": "d-a1", "figure_id": "d-a1-f1"}


# --- the row types are the schema --------------------------------------------------


@pytest.mark.parametrize("name", list(SCHEMA))
def test_fields_are_the_tables_columns_in_order(name):
    assert [field.name for field in dataclasses.fields(row_type(name))] == SCHEMA[name].column_names


@pytest.mark.parametrize("name", list(SCHEMA))
def test_field_types_follow_the_column_types(name):
    table = SCHEMA[name]
    required = required_columns(table)
    for field, column in zip(dataclasses.fields(row_type(name)), table.columns):
        kind = PYTHON_TYPES[column.type]
        assert field.type == (kind if column.name in required else kind | None), column.name


@pytest.mark.parametrize("name", list(SCHEMA))
def test_every_table_has_its_row_type_in_the_module(name):
    assert getattr(rows_module, _class_name(name)) is row_type(name)
    assert row_type(name).TABLE == name


def test_class_names():
    assert [_class_name(name) for name in ("figures", "entities", "repairs", CHANGES)] == [
        "FigureRow",
        "EntityRow",
        "RepairRow",
        "ChangeRow",
    ]


def test_required_columns_are_the_required_and_the_primary_key():
    assert required_columns(SCHEMA["figures"]) == ("doc_id", "article_id", "figure_id")
    assert required_columns(SCHEMA["pages"]) == ("doc_id", "page_index")
    assert required_columns(SCHEMA["documents"]) == ("doc_id", "source", "status")


def test_unknown_table_is_a_key_error():
    with pytest.raises(KeyError):
        row_type("figure")


# --- construction ------------------------------------------------------------------


def test_misspelt_column_is_a_type_error_naming_table_and_column():
    with pytest.raises(TypeError, match=r"^figures has no column 'surfce' \(did you mean 'surface'\?\)"):
        FigureRow(**FIGURE_KEYS, surfce="約2.6万TEU")


def test_column_of_another_table_is_a_type_error():
    with pytest.raises(TypeError, match=r"^dates has no column 'unit'"):
        DateRow(doc_id="d", article_id="d-a1", date_id="d-a1-d1", unit="%")


def test_missing_required_column_is_a_type_error_naming_table_and_column():
    with pytest.raises(TypeError, match=r"^entities row is missing its required column 'entity_id'$"):
        EntityRow(doc_id="d", article_id="d-a1", surface="東京港")


def test_missing_required_columns_are_all_named():
    with pytest.raises(TypeError, match=r"^documents row is missing its required columns 'source', 'status'$"):
        DocumentRow(doc_id="d")


def test_positional_values_are_refused():
    with pytest.raises(TypeError, match=r"^figures rows take their columns by name"):
        FigureRow("d", "d-a1", "d-a1-f1")


def test_optional_columns_default_to_none():
    row = FigureRow(**FIGURE_KEYS)
    assert row.surface is None and row.audit_status is None


def test_rows_are_frozen():
    row = FigureRow(**FIGURE_KEYS, value=1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.value = 2.0
    assert dataclasses.replace(row, value=2.0).value == 2.0


def test_as_dict_has_every_column_in_schema_order():
    row = FigureRow(**FIGURE_KEYS, value=26000.0, unit="TEU")
    assert list(row.as_dict()) == SCHEMA["figures"].column_names
    assert row.as_dict()["value"] == 26000.0 and row.as_dict()["qualifier"] is None


def test_rows_pickle():
    row = FigureRow(**FIGURE_KEYS, value=1.0)
    assert pickle.loads(pickle.dumps(row)) == row


# --- the pull stage's rows ---------------------------------------------------------

BODY = "2025年4月に東京港の取扱量は約2.6万TEUとなった。"


def _article() -> Article:
    boxes = tuple(Box(0, 50.0 + 10 * n, 100.0, 60.0 + 10 * n, 110.0) for n in range(len(BODY)))
    return Article("d", "d-a1", 1, "関東", "取扱量", None, 0, 0, BODY, boxes)


class StubFinder:
    """Finds 東京港 wherever it stands; no model."""

    def find(self, texts: list[str]) -> list[list[EntityMention]]:
        found = []
        for text in texts:
            start = text.find("東京港")
            found.append([EntityMention("東京港", "FAC", "Port", start, start + 3)] if start >= 0 else [])
        return found


def test_stub_and_real_finders_satisfy_the_protocol():
    from pipeline.parallel import LazyEntityFinder
    from pipeline.pull.entities import EntityFinder

    assert isinstance(StubFinder(), EntityFinding)
    assert isinstance(LazyEntityFinder(), EntityFinding)  # the model loads on the first find, not here
    assert issubclass(EntityFinder, EntityFinding)
    assert not isinstance(object(), EntityFinding)


@pytest.mark.parametrize(
    "name, make",
    [
        ("figures", lambda article: figure_rows(article)),
        ("dates", lambda article: date_rows(article, None)),
        ("entities", lambda article: entity_rows(article, StubFinder().find([article.body])[0])),
    ],
)
def test_pull_rows_have_exactly_the_tables_columns(name, make):
    made = make(_article())
    assert made, f"no {name} found in {BODY!r}"
    assert all(list(row) == SCHEMA[name].column_names for row in made)


def test_pulled_rows_pass_the_schema():
    article = _article()
    pulled = pull_articles([article], "2025-04", StubFinder())
    assert [row["surface"] for row in pulled.figures] == ["約2.6万TEU"]
    assert [row["value"] for row in pulled.dates] == ["2025-04"]
    assert [(row["surface"], row["page"], row["x0"]) for row in pulled.entities] == [("東京港", 1, 130.0)]
    tables = {
        "documents": [DocumentRow(doc_id="d", source="d.pdf", status="ok", n_pages=1, n_articles=1).as_dict()],
        "pages": [PageRow(doc_id="d", page_index=0, width=595.0, height=842.0).as_dict()],
        "articles": [
            ArticleRow(doc_id="d", article_id="d-a1", seq=1, region="関東", title="取扱量", page_start=1, page_end=1, body=BODY).as_dict()
        ],
        "figures": pulled.figures,
        "dates": pulled.dates,
        "entities": pulled.entities,
    }
    checked_frames(tables)  # raises TableError listing every problem
