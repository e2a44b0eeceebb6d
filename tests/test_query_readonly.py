"""`query` is read-only: one reading statement, on a connection that reaches no file and no network."""

from __future__ import annotations

import pytest

from pipeline.cli import main
from pipeline.dataset.database import FILE_NAME, QueryRefused, run_query
from pipeline.write import write_tables

TABLES = {
    "documents": [{"doc_id": "d", "source": "d.pdf", "status": "ok"}],
    "pages": [{"doc_id": "d", "page_index": 0}],
    "articles": [{"doc_id": "d", "article_id": "d-01", "title": "前の表"}],
    "figures": [
        {"doc_id": "d", "article_id": "d-01", "figure_id": "d-01-f001", "surface": "約30億トン", "value": 3e9, "unit": "t", "page": 1},
        {"doc_id": "d", "article_id": "d-01", "figure_id": "d-01-f002", "surface": "12%", "value": 12.0, "unit": "%", "page": 1},
    ],
}


# Shared by the tests of a module: every refusal checks that the folder is left as it was
@pytest.fixture(scope="module", params=["database", "parquet"])
def out(request, tmp_path_factory):
    """An output folder with the database, and one written before the database existed."""
    folder = tmp_path_factory.mktemp(request.param) / "out"
    write_tables(folder, TABLES)
    if request.param == "parquet":
        (folder / FILE_NAME).unlink()
    return folder


def snapshot(folder):
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def refused(out, sql, capsys) -> str:
    """The one-line message of ``sql`` refused, checked both through the library and the CLI."""
    before = snapshot(out)
    with pytest.raises(QueryRefused):
        run_query(out, sql)
    capsys.readouterr()
    assert main(["query", sql, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("newsletter-extract: query: refused") and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err
    assert snapshot(out) == before
    return captured.err


def test_copy_over_a_published_table_is_refused_and_the_table_unchanged(out, capsys):
    figures = (out / "figures.parquet").read_bytes()
    message = refused(out, f"COPY (SELECT * FROM figures WHERE false) TO '{out / 'figures.parquet'}'", capsys)
    assert "(COPY)" in message
    assert (out / "figures.parquet").read_bytes() == figures
    assert run_query(out, "SELECT count(*) FROM figures")[1] == [(2,)]


def test_copy_elsewhere_writes_no_file(out, tmp_path, capsys):
    target = tmp_path / "elsewhere.csv"
    refused(out, f"COPY figures TO '{target}' (HEADER)", capsys)
    assert not target.exists()


def test_export_database_writes_no_folder(out, tmp_path, capsys):
    target = tmp_path / "exported"
    assert "(EXPORT)" in refused(out, f"EXPORT DATABASE '{target}'", capsys)
    assert not target.exists()


def test_a_second_statement_after_a_select_is_refused(out, tmp_path, capsys):
    target = tmp_path / "second.csv"
    message = refused(out, f"SELECT 1; COPY figures TO '{target}'", capsys)
    assert "2 statements" in message and "exactly one" in message
    assert not target.exists()
    assert "2 statements" in refused(out, "SELECT 1; SELECT 2", capsys)


def test_an_empty_query_is_refused(out, capsys):
    assert "0 statements" in refused(out, "  -- nothing\n", capsys)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_blob('/etc/hostname')",
        "SELECT * FROM read_json('/etc/hostname')",
        "SELECT * FROM 'https://example.com/figures.parquet'",
    ],
)
def test_a_select_cannot_read_the_machine_or_the_network(out, sql, capsys):
    with pytest.raises(Exception, match="disabled by configuration"):
        run_query(out, sql)
    assert main(["query", sql, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert captured.err.startswith("newsletter-extract: query: Permission Error")


def test_a_select_cannot_read_the_folders_own_files_either(out, capsys):
    # only the tables loaded at connect time: a path in the query is refused like any other
    with pytest.raises(Exception, match="disabled by configuration"):
        run_query(out, f"SELECT * FROM read_parquet('{out / 'figures.parquet'}')")


@pytest.mark.parametrize("sql", ["INSTALL httpfs", "LOAD httpfs", "FORCE INSTALL httpfs"])
def test_extensions_are_neither_installed_nor_loaded(out, sql, capsys):
    assert "(LOAD)" in refused(out, sql, capsys)


def test_attach_and_detach_are_refused(out, tmp_path, capsys):
    other = tmp_path / "other.duckdb"
    assert "(ATTACH)" in refused(out, f"ATTACH '{other}' AS other", capsys)
    assert not other.exists()
    assert "(DETACH)" in refused(out, "DETACH newsletters", capsys)


@pytest.mark.parametrize(
    "sql", ["SET enable_external_access = true", "RESET lock_configuration", "SET threads = 1", "USE memory", "SET VARIABLE x = 1"]
)
def test_settings_are_not_changed(out, sql, capsys):
    refused(out, sql, capsys)


@pytest.mark.parametrize(
    "sql, kind",
    [
        ("CREATE TABLE copy AS SELECT * FROM figures", "CREATE"),
        ("CREATE TEMP TABLE scratch (x INTEGER)", "CREATE"),
        ("INSERT INTO figures (doc_id) VALUES ('x')", "INSERT"),
        ("UPDATE figures SET value = 0", "UPDATE"),
        ("DELETE FROM figures", "DELETE"),
        ("DROP TABLE figures", "DROP"),
        ("ALTER TABLE figures RENAME TO gone", "ALTER"),
        ("CALL pragma_table_info('figures')", "CALL"),
        ("CHECKPOINT", "CALL"),
        ("PRAGMA enable_profiling", "PRAGMA"),
        ("PRAGMA table_info('figures')", "PRAGMA"),
        ("EXPLAIN COPY figures TO 'x.csv'", "EXPLAIN"),
        ("EXPLAIN ANALYZE DELETE FROM figures", "EXPLAIN"),
        ("BEGIN TRANSACTION", "TRANSACTION"),
        ("VACUUM", "VACUUM"),
        ("PREPARE p AS SELECT 1", "PREPARE"),
    ],
)
def test_statements_that_change_things_are_refused_by_kind(out, sql, kind, capsys):
    assert f"({kind})" in refused(out, sql, capsys)


def test_pragma_refusal_says_what_to_write_instead(out, capsys):
    assert "DESCRIBE figures" in refused(out, "PRAGMA table_info('figures')", capsys)


def test_update_extensions_unknown_to_the_python_enum_is_refused(out, capsys):
    refused(out, "UPDATE EXTENSIONS", capsys)


def test_syntax_errors_are_reported_without_a_traceback(out, capsys):
    assert main(["query", "SELEC 1", "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("newsletter-extract: query: Parser Error") and "Traceback" not in captured.err


def test_select_aggregates_and_joins_still_work(out, capsys):
    assert run_query(out, "SELECT figure_id, value FROM figures ORDER BY figure_id") == (
        ["figure_id", "value"],
        [("d-01-f001", 3e9), ("d-01-f002", 12.0)],
    )
    assert run_query(out, "SELECT unit, count(*) AS n, sum(value) AS total FROM figures GROUP BY unit ORDER BY unit")[1] == [
        ("%", 1, 12.0),
        ("t", 1, 3e9),
    ]
    joined = "SELECT d.source, a.title, count(*) FROM figures f JOIN articles a USING (doc_id, article_id) JOIN documents d USING (doc_id) GROUP BY ALL"
    assert run_query(out, joined)[1] == [("d.pdf", "前の表", 2)]
    assert main(["query", "WITH t AS (FROM figures) SELECT count(*) AS n FROM t;", "--out", str(out), "--csv"]) == 0
    assert capsys.readouterr().out == "n\r\n2\r\n"  # CRLF, as every CSV here (pipeline/dataset/safe_csv.py)


@pytest.mark.parametrize(
    "sql",
    [
        "DESCRIBE figures",
        "SHOW TABLES",
        "SUMMARIZE figures",
        "SELECT * FROM pragma_table_info('figures')",
        "EXPLAIN SELECT * FROM figures",
        "EXPLAIN ANALYZE SELECT count(*) FROM figures",
        "-- the plan\nEXPLAIN /* of */ SELECT 1",
        "VALUES (1), (2)",
    ],
)
def test_introspection_and_explain_of_a_select_are_reads(out, sql):
    columns, rows = run_query(out, sql)
    assert columns and rows


def test_the_folder_is_left_byte_for_byte_as_it_was(out):
    before = snapshot(out)
    for sql in ["SELECT * FROM figures", "SUMMARIZE figures", "SELECT * FROM checkpoint()", "EXPLAIN ANALYZE SELECT * FROM articles"]:
        run_query(out, sql)
    assert snapshot(out) == before


def test_csv_output_neutralises_formula_cells(out, capsys):
    assert main(["query", "SELECT '=1+1' AS a, -3 AS b", "--out", str(out), "--csv"]) == 0
    assert capsys.readouterr().out == "a,b\r\n'=1+1,-3\r\n"  # text neutralised, the number left a number
