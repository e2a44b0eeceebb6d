"""Audit decisions: decisions.csv changes the tables on the next run, survives re-runs, and is never lost."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pandas as pd
import pytest

from conftest import RAW
from pipeline.audit.decisions import (
    COLUMNS,
    apply_decisions,
    apply_to_tables,
    csv_line,
    ensure_decisions_file,
    read_decisions,
)
from pipeline.batch import run_batch


def write_decisions(out_dir, rows: list[list[str]], header=COLUMNS) -> None:
    path = out_dir / "audit" / "decisions.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([",".join(header), *(csv_line(row) for row in rows)]) + "\n", encoding="utf-8")


def figure(figure_id="d-01-f001", surface="約2.6万TEU", value=26000.0, unit="TEU", **more) -> dict:
    return {"doc_id": "d", "article_id": "d-01", "figure_id": figure_id, "surface": surface, "value": value, "unit": unit, "qualifier": "約", **more}


def date(date_id="d-01-d001", surface="2024年11月", value="2024-11") -> dict:
    return {"doc_id": "d", "article_id": "d-01", "date_id": date_id, "surface": surface, "value": value, "start": f"{value}-01", "end": f"{value}-30", "granularity": "month", "fiscal": False}


def decisions_from(text: str, tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text(text, encoding="utf-8")
    return read_decisions(path)


# --- the file and its rules, on hand-made rows ---------------------------------


def test_correction_replaces_value_and_keeps_the_extracted_one(tmp_path):
    tables = {"figures": [figure()], "documents": [{"doc_id": "d"}]}
    decisions = decisions_from("id,table,decision,field,value,surface,note\nd-01-f001,figures,corrected,value,2.6億,約2.6万TEU,typo\n", tmp_path)
    [outcome] = apply_to_tables(decisions, tables)
    row = tables["figures"][0]
    assert outcome.outcome == "applied"
    assert row["value"] == 260_000_000.0  # Japanese numerals are read as the pipeline reads them
    assert row["audit_status"] == "corrected"
    assert json.loads(row["audit_extracted"]) == {"value": 26000.0}


def test_strongest_status_wins_whatever_the_row_order(tmp_path):
    lines = ["d-01-f001,,verified,,,,", "d-01-f001,,wrong,,,,", "d-01-f001,,corrected,unit,t,,"]
    for order in (lines, lines[::-1]):
        tables = {"figures": [figure()]}
        apply_to_tables(decisions_from("id,table,decision,field,value,surface,note\n" + "\n".join(order) + "\n", tmp_path), tables)
        assert tables["figures"][0]["audit_status"] == "rejected"
        assert tables["figures"][0]["unit"] == "t"


def test_date_correction_brings_its_start_end_and_granularity(tmp_path):
    tables = {"dates": [date()]}
    apply_to_tables(decisions_from("id,decision,value\nd-01-d001,corrected,2024-02-29\n", tmp_path), tables)
    row = tables["dates"][0]
    assert (row["value"], row["start"], row["end"], row["granularity"]) == ("2024-02-29", "2024-02-29", "2024-02-29", "day")
    assert json.loads(row["audit_extracted"])["value"] == "2024-11"


def test_hand_edited_file_comments_blank_lines_bom_and_missing_columns(tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text("\ufeffid,decision,note\n# checked on 2025-06-01\n\nd-01-f001,OK,looks right\n", encoding="utf-8")
    [decision] = read_decisions(path)
    assert (decision.id, decision.status, decision.note, decision.line) == ("d-01-f001", "verified", "looks right", 4)


@pytest.mark.parametrize(
    "line, outcome, reason",
    [
        ("d-01-f999,figures,verified,,,,", "not found", "has no such id"),
        ("other-01-f001,figures,verified,,,,", "not found", "not in this run"),
        ("d-01-f001,figures,verified,,,約3万TEU,", "stale", "now points at"),
        ("d-01-f001,figures,approved,,,,", "invalid", "not one of"),
        ("d-01-f001,figures,corrected,sentence,x,,", "invalid", "cannot be corrected"),
        ("d-01-f001,figures,corrected,value,たくさん,,", "invalid", "not a number"),
        ("d-01-f001,figures,corrected,range_partner,d-01-f077,,", "invalid", "not a figure_id"),
        ("d-01-d001,dates,corrected,value,2024-13,,", "invalid", "not an ISO date"),
        ("d-01-d001,dates,corrected,start,2025-01-01,,", "invalid", "after it ends"),
        ("d-01-d001,entities,verified,,,,", "not found", "not in entities"),
    ],
)
def test_decisions_that_cannot_be_applied_say_why_and_change_nothing(tmp_path, line, outcome, reason):
    tables = {"figures": [figure()], "dates": [date()], "documents": [{"doc_id": "d"}]}
    before = json.dumps(tables, sort_keys=True)
    [result] = apply_to_tables(decisions_from("id,table,decision,field,value,surface,note\n" + line + "\n", tmp_path), tables)
    assert result.outcome == outcome and reason in result.reason
    assert json.dumps(tables, sort_keys=True) == before


def test_copy_paste_line_reads_back_as_the_same_decision(tmp_path):
    values = ["d-01-f001", "figures", "verified", "", "", "1,500トン", 'he said "ok", twice']
    line = csv_line(values)
    assert next(csv.reader(io.StringIO(line))) == values
    [decision] = decisions_from(",".join(COLUMNS) + "\n" + line + "\n", tmp_path)
    assert decision.surface == "1,500トン"


def test_a_file_without_an_id_column_is_reported_and_the_run_goes_on(tmp_path, capsys):
    write_decisions(tmp_path, [["x"]], header=("figure", "decision"))
    tables = {"figures": [figure()]}
    report = apply_decisions(tmp_path, tables)
    assert not report.outcomes and "audit_status" not in tables["figures"][0]
    assert "no id column" in capsys.readouterr().err


def test_ensure_decisions_file_never_overwrites(tmp_path):
    path = ensure_decisions_file(tmp_path)
    assert path.read_text(encoding="utf-8-sig").strip() == ",".join(COLUMNS)
    path.write_text("id,decision\nx,verified\n", encoding="utf-8")
    ensure_decisions_file(tmp_path)
    assert "x,verified" in path.read_text(encoding="utf-8")


# --- whole runs: the next extract applies them, the third keeps them ------------


def run(raw, out):
    run_batch(raw, out, progress=False, entities=False)
    return {name: pd.read_parquet(out / f"{name}.parquet") for name in ("figures", "dates")}


def test_correction_changes_the_next_run_and_survives_the_third(tmp_path, capsys):
    out = tmp_path / "out"
    first = run(RAW, out)
    figures, dates = first["figures"].set_index("figure_id"), first["dates"].set_index("date_id")
    assert figures["audit_status"].isna().all()
    corrected, rejected = figures.index[0], figures.index[1]
    verified = dates.index[0]
    original_value = figures.loc[corrected, "value"]
    write_decisions(
        out,
        [
            [corrected, "figures", "corrected", "value", "12345", figures.loc[corrected, "surface"], "misread"],
            [rejected, "figures", "wrong", "", "", figures.loc[rejected, "surface"], "not a quantity"],
            [verified, "dates", "verified", "", "", dates.loc[verified, "surface"], ""],
        ],
    )
    decisions_before = (out / "audit" / "decisions.csv").read_bytes()

    for _ in ("second run", "third run"):
        tables = run(RAW, out)
        figures, dates = tables["figures"].set_index("figure_id"), tables["dates"].set_index("date_id")
        assert figures.loc[corrected, "value"] == 12345.0
        assert figures.loc[corrected, "audit_status"] == "corrected"
        assert json.loads(figures.loc[corrected, "audit_extracted"]) == {"value": original_value}
        assert figures.loc[rejected, "audit_status"] == "rejected"
        assert dates.loc[verified, "audit_status"] == "verified"
        others = figures.drop(index=[corrected, rejected])
        assert others["audit_status"].isna().all()
        csv_figures = pd.read_csv(out / "figures.csv").set_index("figure_id")
        assert csv_figures.loc[corrected, "value"] == 12345.0 and csv_figures.loc[corrected, "audit_status"] == "corrected"
        assert (out / "audit" / "decisions.csv").read_bytes() == decisions_before
        outcomes = pd.read_csv(out / "audit" / "decisions-outcome.csv", encoding="utf-8-sig")
        assert list(outcomes["outcome"]) == ["applied"] * 3
    assert "not found" not in capsys.readouterr().err


def test_decision_whose_id_vanished_is_reported_kept_and_applied_again_when_it_returns(tmp_path, capsys):
    out = tmp_path / "out"
    first = run(RAW, out)
    figures = first["figures"].set_index("figure_id")
    gone = figures[figures["doc_id"] == "sample-2025-05-2col"].index[0]
    write_decisions(out, [[gone, "figures", "wrong", "", "", figures.loc[gone, "surface"], "chart label"]])
    decisions_before = (out / "audit" / "decisions.csv").read_bytes()

    only_april = tmp_path / "raw"
    only_april.mkdir()
    shutil.copy(RAW / "sample-2025-04.pdf", only_april)
    capsys.readouterr()
    second = run(only_april, out)
    assert gone not in set(second["figures"]["figure_id"])
    err = capsys.readouterr().err
    assert f"{gone}: not found" in err and "kept in the file" in err
    outcomes = pd.read_csv(out / "audit" / "decisions-outcome.csv", encoding="utf-8-sig")
    assert outcomes.loc[0, "id"] == gone and outcomes.loc[0, "outcome"] == "not found"
    assert (out / "audit" / "decisions.csv").read_bytes() == decisions_before  # never deleted from the file

    third = run(RAW, out)
    assert third["figures"].set_index("figure_id").loc[gone, "audit_status"] == "rejected"
    assert pd.read_csv(out / "audit" / "decisions-outcome.csv", encoding="utf-8-sig").loc[0, "outcome"] == "applied"


def test_a_decision_the_auditor_deletes_is_undone_on_the_next_run(tmp_path):
    out = tmp_path / "out"
    figures = run(RAW, out)["figures"].set_index("figure_id")
    chosen = figures.index[0]
    write_decisions(out, [[chosen, "figures", "corrected", "unit", "kt", figures.loc[chosen, "surface"], ""]])
    assert run(RAW, out)["figures"].set_index("figure_id").loc[chosen, "unit"] == "kt"
    write_decisions(out, [])  # unchanged documents come from the cache: it must hold the extracted rows
    again = run(RAW, out)["figures"].set_index("figure_id")
    assert again.loc[chosen, "unit"] == figures.loc[chosen, "unit"]
    assert pd.isna(again.loc[chosen, "audit_status"]) and pd.isna(again.loc[chosen, "audit_extracted"])
