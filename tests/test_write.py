"""Write stage: every table with its columns, atomic replacement, docs/tables.md in step."""

from __future__ import annotations

import re

import pandas as pd

from conftest import REPO
from pipeline.dataset import readme
from pipeline.tables import TABLES
from pipeline.write import write_tables


def test_empty_run_still_writes_every_table_with_its_columns(tmp_path):
    counts = write_tables(tmp_path, {})
    assert set(counts) == set(TABLES)
    for name, columns in TABLES.items():
        parquet = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert list(parquet.columns) == list(columns)
        csv = pd.read_csv(tmp_path / f"{name}.csv")
        assert list(csv.columns) == list(columns)


# the least a figure needs: its document, its page and its article
ONE_ARTICLE = {
    "documents": [{"doc_id": "d", "source": "d.pdf", "status": "ok"}],
    "pages": [{"doc_id": "d", "page_index": 0}],
    "articles": [{"doc_id": "d", "article_id": "d-01", "title": "前の表"}],
}


def test_rows_get_declared_types_and_no_staging_folder_is_left(tmp_path):
    row = {"doc_id": "d", "article_id": "d-01", "figure_id": "d-01-f001", "surface": "約30億トン", "value": 3e9, "unit": "t", "page": 1}
    write_tables(tmp_path, {**ONE_ARTICLE, "figures": [row]})
    figures = pd.read_parquet(tmp_path / "figures.parquet")
    assert figures.loc[0, "value"] == 3e9 and str(figures["page"].dtype) == "Int64"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".writing-")]


def test_previous_tables_survive_a_write_that_fails(tmp_path):
    write_tables(tmp_path, ONE_ARTICLE)
    bad = {"figures": [{"value": "not a number"}]}
    try:
        write_tables(tmp_path, bad)
    except ValueError:  # TableError: the value is not a number
        pass
    articles = pd.read_parquet(tmp_path / "articles.parquet")
    assert articles.loc[0, "title"] == "前の表"


TABLES_DOC = REPO / "docs" / "tables.md"


def documented_columns() -> dict[str, list[str]]:
    text = TABLES_DOC.read_text(encoding="utf-8")
    sections = re.split(r"^### `(\w+)`\s*$", text, flags=re.M)
    found = {}
    for name, body in zip(sections[1::2], sections[2::2]):
        body = re.split(r"^#|^<!--", body, flags=re.M)[0]  # up to the next heading
        found[name] = re.findall(r"^\| `(\w+)` \|", body, flags=re.M)
    return found


def test_docs_document_every_column_of_every_table():
    documented = documented_columns()
    for name, columns in TABLES.items():
        assert documented.get(name) == list(columns), f"docs/tables.md section for {name} disagrees with pipeline/tables.py"


def test_docs_tables_section_is_the_generators_output():
    text = TABLES_DOC.read_text(encoding="utf-8")
    assert readme.section(text) == readme.render(), "docs/tables.md differs from pipeline/tables.py: run python -m pipeline.dataset.readme"
    assert readme.DOC == TABLES_DOC


def test_generator_rewrites_only_its_section(tmp_path):
    doc = tmp_path / "tables.md"
    doc.write_text(f"# before\n\n{readme.BEGIN}\nstale\n{readme.END}\n\nafter\n", encoding="utf-8")
    assert readme.main(["--check", "--file", str(doc)]) == 1
    assert readme.main(["--file", str(doc)]) == 0
    assert doc.read_text(encoding="utf-8") == f"# before\n\n{readme.render()}\n\nafter\n"
    assert readme.main(["--check", "--file", str(doc)]) == 0


def test_ruby_reaches_its_table_with_its_base_reading_and_box(tmp_path):
    """The furigana fixture's readings (tests/fixtures/make_furigana.py) as rows of `ruby`, checked against the schema as they are written."""
    import sys

    from conftest import RAW
    from pipeline.run import DocumentResult, read_document

    sys.path.insert(0, str(REPO / "tests" / "fixtures"))
    import make_furigana

    document, _ = read_document(RAW / "furigana-notice.pdf")
    rows = DocumentResult(document).rows()
    write_tables(tmp_path, {name: rows[name] for name in ("documents", "pages", "ruby")})
    ruby = pd.read_parquet(tmp_path / "ruby.parquet")
    assert list(zip(ruby["base"], ruby["reading"])) == [(base, reading) for _, base, reading in make_furigana.RUBY]
    assert set(ruby["page"]) == {1} and (ruby["x0"] < ruby["x1"]).all() and (ruby["top"] < ruby["bottom"]).all()
    assert ruby["ruby_id"].str.startswith(f"{document.doc_id}-u").all() and ruby["ruby_id"].is_unique
