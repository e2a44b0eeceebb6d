"""What others load: datapackage.json (checked by Frictionless), the DuckDB file and `query`."""

from __future__ import annotations

import json
import shutil

import duckdb
import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.dataset.database import FILE_NAME as DATABASE
from pipeline.dataset.database import display_width, format_table, run_query
from pipeline.dataset.package import FILE_NAME as PACKAGE
from pipeline.tables import SCHEMA


def test_datapackage_validates_with_frictionless(sample_run):
    frictionless = pytest.importorskip("frictionless", reason="frictionless is in the test extra: pip install -e '.[test]'")
    out, _ = sample_run
    report = frictionless.validate(str(out / PACKAGE))
    problems = report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    assert report.valid, problems
    descriptor = json.loads((out / PACKAGE).read_text(encoding="utf-8"))
    assert [resource["name"] for resource in descriptor["resources"]] == list(SCHEMA)
    figures = next(resource for resource in descriptor["resources"] if resource["name"] == "figures")
    assert figures["schema"]["primaryKey"] == ["figure_id"]
    assert {"fields": ["doc_id", "article_id"], "reference": {"resource": "articles", "fields": ["doc_id", "article_id"]}} in figures["schema"]["foreignKeys"]


def test_frictionless_sees_a_broken_foreign_key_too(sample_run, tmp_path):
    """The package's keys are real: a figure pointing at no article fails Frictionless's own check."""
    frictionless = pytest.importorskip("frictionless")
    out, _ = sample_run
    copy = tmp_path / "copy"
    shutil.copytree(out, copy, ignore=shutil.ignore_patterns(".*", "audit", "*.duckdb"))
    figures = pd.read_csv(copy / "figures.csv", dtype=str, keep_default_na=False)
    figures.loc[0, "article_id"] = "no-such-article"
    figures.to_csv(copy / "figures.csv", index=False)
    report = frictionless.validate(str(copy / PACKAGE))
    assert not report.valid
    assert [error[0] for error in report.flatten(["type"])] == ["foreign-key"]


# The tables' documentation (docs/tables.md) and the docs' SQL blocks are checked by
# tests/test_write.py and tests/test_docs.py.


def test_query_command_prints_an_aligned_table(sample_run, capsys):
    out, _ = sample_run
    status = main(["query", "SELECT unit, count(*) AS n FROM figures WHERE unit = 't-CO2' GROUP BY unit", "--out", str(out)])
    assert status == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["unit", "n"]
    assert lines[2].startswith("t-CO2") and lines[-1] == "(1 row)"


def test_query_command_prints_csv(sample_run, capsys):
    out, _ = sample_run
    assert main(["query", "SELECT doc_id, n_pages FROM documents ORDER BY doc_id", "--out", str(out), "--csv"]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[0] == "doc_id,n_pages"
    assert len(printed.splitlines()) == 1 + len(pd.read_parquet(out / "documents.parquet"))


def test_query_errors_say_what_is_wrong(sample_run, tmp_path, capsys):
    out, _ = sample_run
    assert main(["query", "SELECT * FROM no_such_table", "--out", str(out)]) == 2
    assert "no_such_table" in capsys.readouterr().err
    assert main(["query", "SELECT 1", "--out", str(tmp_path / "nothing")]) == 2
    assert "run `newsletter-extract extract" in capsys.readouterr().err


def test_database_holds_every_table_with_keys_and_descriptions(sample_run):
    out, _ = sample_run
    connection = duckdb.connect(str(out / DATABASE), read_only=True)
    try:
        for name, table in SCHEMA.items():
            assert connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == len(pd.read_parquet(out / f"{name}.parquet"))
            columns = connection.execute(
                "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [name]
            ).fetchall()
            assert columns == [(column.name, column.description) for column in table.columns]
        keys = connection.execute("SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = 'pages' AND constraint_type = 'PRIMARY KEY'").fetchall()
        assert keys == [(["doc_id", "page_index"],)]
    finally:
        connection.close()


def test_a_folder_without_the_database_is_queried_through_its_parquet(sample_run, tmp_path):
    out, _ = sample_run
    copy = tmp_path / "old"
    copy.mkdir()
    for parquet in out.glob("*.parquet"):
        shutil.copy(parquet, copy / parquet.name)
    assert run_query(copy, "SELECT count(*) FROM figures")[1] == run_query(out, "SELECT count(*) FROM figures")[1]


def test_wide_characters_are_aligned_by_display_width():
    assert display_width("t-CO2") == 5 and display_width("約30億トン") == 10
    text = format_table(["surface", "value"], [("約30億トン", 3e9), ("2社", 2.0)])
    first, second = text.splitlines()[2:4]
    assert display_width(first) == display_width(second)
    assert first.endswith("3000000000") and second.endswith("2")
