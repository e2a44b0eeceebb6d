"""Every write is checked against the schema; a broken table is refused and nothing moves."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from pipeline.dataset.validate import TableError
from pipeline.tables import CHANGES, SCHEMA, TABLES
from pipeline.write import write_tables


def rows_of(out) -> dict[str, list[dict]]:
    """The tables in ``out`` as the rows a batch hands to ``write_tables``."""
    tables = {}
    for name in TABLES:
        if name == CHANGES:
            continue
        frame = pd.read_parquet(out / f"{name}.parquet")
        tables[name] = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return tables


def fingerprint(folder) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir()) if path.is_file()}


def small_tables() -> dict[str, list[dict]]:
    """One document, one page, one article, one figure: everything consistent."""
    return {
        "documents": [{"doc_id": "d", "source": "d.pdf", "status": "ok", "issue_date": "2025-04"}],
        "pages": [{"doc_id": "d", "page_index": 0, "width": 595.0, "height": 842.0}],
        "articles": [{"doc_id": "d", "article_id": "d-a1", "seq": 1, "title": "表", "page_start": 1, "page_end": 1}],
        "figures": [
            {"doc_id": "d", "article_id": "d-a1", "figure_id": "d-a1-f1", "surface": "約30％", "value": 30.0, "unit": "%",
             "char_start": 0, "char_end": 4, "page": 1, "x0": 10.0, "top": 20.0, "x1": 50.0, "bottom": 30.0},
        ],
        "dates": [
            {"doc_id": "d", "article_id": "d-a1", "date_id": "d-a1-d1", "surface": "2025年4月", "value": "2025-04",
             "start": "2025-04-01", "end": "2025-04-30", "granularity": "month", "fiscal": False},
        ],
    }


def test_sample_tables_pass_and_a_broken_one_is_refused_leaving_the_previous_tables(sample_run, tmp_path):
    sample_out, _ = sample_run
    tables = rows_of(sample_out)
    write_tables(tmp_path, tables)
    before = fingerprint(tmp_path)

    broken = rows_of(sample_out)
    figure = broken["figures"][3]
    figure["article_id"] = "no-such-article"
    with pytest.raises(TableError) as refused:
        write_tables(tmp_path, broken)

    message = str(refused.value)
    assert "figures.article_id, row 4" in message
    assert figure["figure_id"] in message
    assert "not a row of articles" in message
    assert fingerprint(tmp_path) == before
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".writing-")]


def _break(change):
    tables = small_tables()
    change(tables)
    return tables


BROKEN = {
    "duplicate id": (
        lambda t: t["figures"].append(dict(t["figures"][0])),
        "figures.figure_id, row 2 (figure_id d-a1-f1): duplicate primary key (figure_id), first used by row 1",
    ),
    "empty key": (lambda t: t["articles"][0].update(article_id=None), "articles.article_id, row 1: is empty, but required"),
    "wrong type": (lambda t: t["figures"][0].update(value="30"), "figures.value, row 1: '30' (str) is not of type number"),
    "unknown column": (lambda t: t["figures"][0].update(colour="red"), "figures.colour: not a column of this table"),
    "article missing": (
        lambda t: t["dates"][0].update(article_id="d-a9"),
        "dates.article_id, row 1 (date_id d-a1-d1): d/d-a9 is not a row of articles (doc_id, article_id)",
    ),
    "document missing": (lambda t: t["pages"][0].update(doc_id="e"), "pages.doc_id, row 1 (doc_id/page_index e/0): e is not a row of documents"),
    "range partner missing": (
        lambda t: t["figures"][0].update(range_partner="d-a1-f9"),
        "figures.range_partner, row 1 (figure_id d-a1-f1): d-a1-f9 is not a row of figures",
    ),
    "date that is no date": (lambda t: t["dates"][0].update(value="2025-02-30"), "dates.value, row 1 (date_id d-a1-d1): '2025-02-30' is not a real date"),
    "not ISO": (lambda t: t["documents"][0].update(issue_date="2025年4月"), "documents.issue_date, row 1 (doc_id d): '2025年4月' does not match"),
    "end before start": (lambda t: t["dates"][0].update(end="2025-03-31"), "dates.end, row 1 (date_id d-a1-d1): end '2025-03-31' is before start '2025-04-01'"),
    "box off the page": (lambda t: t["figures"][0].update(x1=700.0), "figures.x1, row 1 (figure_id d-a1-f1): 700 is outside page 1 of d (0–595 pt)"),
    "page not in pages": (lambda t: t["figures"][0].update(page=2), "figures.page, row 1 (figure_id d-a1-f1): page 2 of d is not in pages"),
    "box upside down": (lambda t: t["figures"][0].update(top=40.0), "figures.bottom, row 1 (figure_id d-a1-f1): bottom 30 is before top 40"),
    "label outside the contract": (
        lambda t: t.setdefault("entities", []).append(
            {"doc_id": "d", "article_id": "d-a1", "entity_id": "d-a1-e1", "surface": "日本人", "label": "NORP"}
        ),
        "entities.label, row 1 (entity_id d-a1-e1): 'NORP' is not one of PERSON",
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_each_kind_of_violation_is_named_by_table_column_and_row(case, tmp_path):
    write_tables(tmp_path, small_tables())
    before = fingerprint(tmp_path)
    change, expected = BROKEN[case]
    with pytest.raises(TableError) as refused:
        write_tables(tmp_path, _break(change))
    assert expected in str(refused.value)
    assert fingerprint(tmp_path) == before


def test_all_problems_are_reported_at_once():
    from pipeline.write import checked_frames

    def change(tables):
        tables["dates"][0].update(value="2025-13")
        tables["figures"][0].update(x0=-5.0)

    with pytest.raises(TableError) as refused:
        checked_frames(_break(change))
    # in the schema's table order, whatever order they were found in
    assert [(problem.table, problem.column) for problem in refused.value.problems] == [("figures", "x0"), ("dates", "value")]
    assert str(refused.value).startswith("tables break their schema (pipeline/tables.py), 2 problems:")


def test_the_schema_is_consistent_with_itself():
    for name, table in SCHEMA.items():
        names = table.column_names
        assert len(names) == len(set(names)), f"{name}: a column declared twice"
        assert set(table.primary_key) <= set(names), name
        for foreign_key in table.foreign_keys:
            assert set(foreign_key.columns) <= set(names), name
            assert set(foreign_key.reference) <= set(SCHEMA[foreign_key.table].column_names), name
        for first, second in table.ordered:
            assert {first, second} <= set(names), name
        if table.box:
            assert {"doc_id", "page", "x0", "top", "x1", "bottom"} <= set(names), name
        for column in table.columns:
            assert column.description, f"{name}.{column.name} has no description"
