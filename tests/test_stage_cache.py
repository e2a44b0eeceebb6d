"""Stages declared and run in order; the read document and GiNZA's analyses kept between runs.

A change to split or pull code changes the result cache's key (every file
goes through the stages again) but not the read stage's or the model's:
the re-run must read no PDF and run no GiNZA, and give the same tables.
Run on the project's own sample issues in ``raw/``.
"""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from conftest import RAW
from pipeline import cache as cache_module
from pipeline import reading
from pipeline.batch import run_batch
from pipeline.cache import CACHE_DIR
from pipeline.pull import ginza
from pipeline.record_codec import decode_document, encode_document
from pipeline.stage_cache import ANALYSIS_STAGE, PACKAGE, READ_STAGE, STAGES_DIR, imported_files, text_key
from pipeline.stages import STAGES, RunContext, Stage, StageError, check_order, run_stages

TABLES = ("documents", "pages", "articles", "figures", "dates", "entities", "repairs", "fonts", "ruby")


def relative(files) -> set[str]:
    return {path.relative_to(PACKAGE).as_posix() for path in files}


# --- what each kept stage depends on -------------------------------------------------------------


def test_read_stage_depends_on_extract_and_repair_code_only():
    files = relative(imported_files(["pipeline.reading"]))
    assert {"extract/pdf.py", "repair/glyphs.py", "repair/glyph_ocr.py", "records.py"} <= files
    assert not {name for name in files if name.startswith(("pull/", "split/", "audit/", "dataset/"))}


def test_model_analysis_does_not_depend_on_the_rules_that_correct_it():
    files = relative(imported_files(["pipeline.pull.ginza"]))
    assert "pull/ginza.py" in files
    assert not files & {"pull/entity_labels.py", "pull/entities.py", "pull/figures.py", "pull/dates.py"}


def test_text_key_keeps_parts_apart():
    assert text_key("ab", "c") != text_key("a", "bc")
    assert text_key("x") == text_key("x")


def test_token_fields_match_the_rules_token_record():
    from dataclasses import fields

    from pipeline.pull.entity_labels import Tok

    assert tuple(field.name for field in fields(Tok)) == ginza.TOKEN_FIELDS


def test_analysis_survives_json():
    analysis = ginza.Analysis((("東京", 0, 2, "PROPN", "名詞-固有名詞-地名-一般", "GPE", (("東", "x"), ("京", "y")), False),), ((0, 1, "GPE"),))
    assert ginza.Analysis.from_json(json.loads(json.dumps(analysis.to_json()))) == analysis
    with pytest.raises(ValueError):
        ginza.Analysis.from_json({"tokens": [["too", "short"]], "spans": []})


def test_read_document_survives_json():
    document = reading.read_pdf(RAW / "sample-2025-04.pdf")
    assert decode_document(json.loads(json.dumps(encode_document(document)))) == document


# --- the stage list -------------------------------------------------------------------------------


def test_declared_stages_are_in_an_order_that_can_run():
    check_order(STAGES, ("path",))
    names = [stage.name for stage in STAGES]
    assert names.index("read") < names.index("furniture") < names.index("articles") < names.index("figures")


def test_a_stage_whose_requirement_nothing_produces_is_refused_before_anything_runs():
    ran = []
    first = Stage("first", ("path",), ("a",), lambda values, context: ran.append(1) or {"a": 1}, None, "")
    needy = Stage("needy", ("b",), ("c",), lambda values, context: {"c": 1}, None, "")
    with pytest.raises(StageError, match="needy.*'b'"):
        run_stages((first, needy), RunContext("x.pdf"), {"path": None})
    assert ran == []


def test_a_stage_that_produces_what_it_did_not_declare_is_refused():
    liar = Stage("liar", ("path",), ("a",), lambda values, context: {"a": 1, "extra": 2}, None, "")
    with pytest.raises(StageError, match="liar"):
        run_stages((liar,), RunContext("x.pdf"), {"path": None})


def test_a_stage_sees_only_what_it_requires():
    seen = []
    first = Stage("first", ("path",), ("a",), lambda values, context: {"a": 1}, None, "")
    second = Stage("second", ("a",), ("b",), lambda values, context: seen.append(set(values)) or {"b": 2}, None, "")
    values = run_stages((first, second), RunContext("x.pdf"), {"path": "p"})
    assert seen == [{"a"}] and values == {"path": "p", "a": 1, "b": 2}


# --- a re-run after a pull change ----------------------------------------------------------------


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stage-cache")
    shutil.copytree(RAW, folder / "raw")
    run_batch(folder / "raw", folder / "out", progress=False, jobs=1)
    return folder


@pytest.fixture
def after_first_run(first_run, tmp_path):
    shutil.copytree(first_run / "raw", tmp_path / "raw")
    shutil.copytree(first_run / "out", tmp_path / "out")
    return tmp_path / "raw", tmp_path / "out"


def tables_of(out):
    return {name: pd.read_parquet(out / f"{name}.parquet") for name in TABLES}


def refuse(what):
    def refused(*args, **kwargs):
        raise AssertionError(f"{what} ran, though its output was kept")

    return refused


def test_a_pull_change_reads_no_pdf_and_runs_no_ginza(after_first_run, monkeypatch):
    raw, out = after_first_run
    before = tables_of(out)
    assert any((out / CACHE_DIR / STAGES_DIR / READ_STAGE).rglob("*.json"))
    assert any((out / CACHE_DIR / STAGES_DIR / ANALYSIS_STAGE).rglob("*.json"))
    monkeypatch.setattr(cache_module, "pipeline_key", lambda: "9.9.9+pullchanged")  # what editing pull/figures.py does
    monkeypatch.setattr(reading, "read_pdf", refuse("the read stage"))
    monkeypatch.setattr(ginza.Ginza, "analyse", refuse("GiNZA"))
    summary = run_batch(raw, out, progress=False, jobs=1)
    assert (summary.read, summary.reused) == (len(list(raw.glob("*.pdf"))), 0)  # every file went through the stages again
    assert "repair" not in summary.timings and summary.timings.get("read_kept", 0) > 0
    after = tables_of(out)
    for name in TABLES:
        pd.testing.assert_frame_equal(before[name], after[name], check_dtype=False, obj=name)


def test_a_renamed_copy_is_not_read_again(after_first_run, monkeypatch):
    raw, out = after_first_run
    shutil.copy(raw / "sample-2025-04.pdf", raw / "renamed.pdf")
    monkeypatch.setattr(reading, "read_pdf", refuse("the read stage"))
    others = len(list(raw.glob("*.pdf"))) - 1
    summary = run_batch(raw, out, progress=False, jobs=1, entities=False)
    assert (summary.read, summary.reused) == (1, others)
    documents = pd.read_parquet(out / "documents.parquet").set_index("source")
    assert documents.loc["renamed.pdf", "doc_id"] == "renamed"
    articles = pd.read_parquet(out / "articles.parquet")
    assert (articles["doc_id"] == "renamed").sum() == (articles["doc_id"] == "sample-2025-04").sum() > 0


def test_a_damaged_entry_is_read_again(after_first_run, monkeypatch):
    raw, out = after_first_run
    before = tables_of(out)
    for entry in (out / CACHE_DIR / STAGES_DIR / READ_STAGE).rglob("*.json"):
        entry.write_bytes(entry.read_bytes()[:100])
    monkeypatch.setattr(cache_module, "pipeline_key", lambda: "9.9.9+other")
    run_batch(raw, out, progress=False, jobs=1)
    after = tables_of(out)
    for name in TABLES:
        pd.testing.assert_frame_equal(before[name], after[name], check_dtype=False, obj=name)


def test_entries_no_run_used_are_pruned(after_first_run, monkeypatch):
    raw, out = after_first_run
    (raw / "sample-2025-05-2col.pdf").unlink()
    monkeypatch.setattr(cache_module, "pipeline_key", lambda: "9.9.9+pruned")
    run_batch(raw, out, progress=False, jobs=1)
    assert len(list((out / CACHE_DIR / STAGES_DIR / READ_STAGE).rglob("*.json"))) == len(list(raw.glob("*.pdf")))
