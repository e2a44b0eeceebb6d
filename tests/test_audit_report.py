"""Audit report: the static files, without a browser (tests/test_audit_browser.py opens them in one)."""

from __future__ import annotations

import csv
import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import RAW
from pipeline.audit.report import build_report, sort_repairs
from pipeline.batch import run_batch
from pipeline.cli import main


def copy_tables(source: Path, target: Path) -> Path:
    """The session's sample tables in a folder of this test's own (the report writes beside them)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.is_file():
            shutil.copy(path, target / path.name)
    return target


@pytest.fixture(scope="module")
def sample_report(sample_run, tmp_path_factory):
    out = copy_tables(sample_run[0], tmp_path_factory.mktemp("audit-report"))
    assert main(["audit", str(out), "--raw", str(RAW)]) == 0
    return out


def test_index_and_one_page_per_document_with_page_images(sample_report):
    audit = sample_report / "audit"
    documents = pd.read_parquet(sample_report / "documents.parquet")
    assert (audit / "index.html").exists()
    for row in documents.itertuples():
        assert (audit / f"{row.doc_id}.html").exists()
        images = sorted((audit / "pages").glob(f"{row.doc_id}-p*.png"))
        assert len(images) == row.n_pages
    index = (audit / "index.html").read_text(encoding="utf-8")
    for row in documents.itertuples():
        assert f'href="{row.doc_id}.html"' in index


def test_every_figure_date_and_entity_is_boxed_and_listed(sample_report):
    for name, kind, id_column in (("figures", "figure", "figure_id"), ("dates", "date", "date_id"), ("entities", "entity", "entity_id")):
        table = pd.read_parquet(sample_report / f"{name}.parquet")
        for doc_id, rows in table.groupby("doc_id"):
            page = (sample_report / "audit" / f"{doc_id}.html").read_text(encoding="utf-8")
            for mention_id in rows[id_column]:
                assert re.search(f'<div class="box {kind}[^"]*" data-key="{kind}:{re.escape(mention_id)}"', page), mention_id
                assert f'<tr data-key="{kind}:{mention_id}"' in page


def test_each_row_shows_the_rule_that_decided_it(sample_report):
    for name, kind in (("figures", "figure"), ("dates", "date"), ("entities", "entity")):
        table = pd.read_parquet(sample_report / f"{name}.parquet")
        for doc_id, rows in table.groupby("doc_id"):
            page = (sample_report / "audit" / f"{doc_id}.html").read_text(encoding="utf-8")
            for rule in set(rows["rule"]):
                assert f'<td class="rule">{rule}</td>' in page, (name, rule)


def test_report_needs_no_network(sample_report):
    for page in (sample_report / "audit").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<(link|script)[^>]+(src|href)=", text), f"{page.name} loads an external file"
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), f"{page.name} points at the network"
        assert "Content-Security-Policy" in text and "default-src 'none'" in text


def test_summary_counts_documents_articles_figures_by_unit(sample_report):
    index = (sample_report / "audit" / "index.html").read_text(encoding="utf-8")
    figures = pd.read_parquet(sample_report / "figures.parquet")
    articles = pd.read_parquet(sample_report / "articles.parquet")
    documents = pd.read_parquet(sample_report / "documents.parquet")
    assert f"{len(documents)} documents ({len(documents)} ok), {len(articles)} articles, {len(figures)} figures" in index
    unit, count = figures["unit"].value_counts().index[0], figures["unit"].value_counts().iloc[0]
    assert f"<li>{unit}<b>{count}</b></li>" in index
    assert "0 verified, 0 corrected, 0 rejected; 0 glyphs unresolved" in index


def test_decisions_file_is_created_once_and_pending_decisions_show(sample_report):
    path = sample_report / "audit" / "decisions.csv"
    assert path.read_text(encoding="utf-8-sig").startswith("id,table,decision,field,value,surface,note")
    figures = pd.read_parquet(sample_report / "figures.parquet")
    first = figures.iloc[0]
    with open(path, "a", encoding="utf-8", newline="") as handle:  # a surface may hold a comma (1,240トン): quoted as CSV
        csv.writer(handle, lineterminator="\n").writerows(
            [[first.figure_id, "figures", "wrong", "", "", first.surface, ""], ["sample-2025-04-99-f001", "figures", "verified", "", "", "", ""]]
        )
    assert main(["audit", str(sample_report), "--raw", str(RAW)]) == 0
    assert f"{first.figure_id},figures,wrong" in path.read_text(encoding="utf-8-sig")  # not overwritten
    index = (sample_report / "audit" / "index.html").read_text(encoding="utf-8")
    assert "2 decisions; 1 match a row, 1 row will change on the next" in index
    assert "sample-2025-04-99-f001" in index and "not found" in index
    page = (sample_report / "audit" / f"{first.doc_id}.html").read_text(encoding="utf-8")
    assert "pending: rejected" in page


def test_audit_without_tables_is_bad_usage(tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["audit", str(tmp_path)])
    assert exit_info.value.code == 2


def test_missing_pdf_still_gives_the_tables_with_a_warning(sample_run, tmp_path, capsys):
    out = copy_tables(sample_run[0], tmp_path / "out")
    assert main(["audit", str(out), "--raw", str(tmp_path / "nowhere")]) == 0
    assert "is not in" in capsys.readouterr().err
    page = (out / "audit" / "sample-2025-04.html").read_text(encoding="utf-8")
    assert "no image (PDF not found)" in page and '<tr data-key="figure:' in page


def test_repairs_unresolved_and_low_confidence_first_with_glyph_crops(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "broken-fonts.pdf", raw)
    out = tmp_path / "out"
    run_batch(raw, out, progress=False, entities=False)
    repairs = pd.read_parquet(out / "repairs.parquet")
    assert len(repairs) > 0
    build_report(out, raw)
    page = (out / "audit" / "broken-fonts.html").read_text(encoding="utf-8")
    assert page.count('<img class="crop" src="data:image/png;base64,') == len(repairs)
    assert "→" in page and repairs["rule"].iloc[0] in page

    rows = [
        {"fixed": "日", "confidence": 0.98, "page": 1},
        {"fixed": "\ufffd", "confidence": 0.0, "page": 2},
        {"fixed": "ア", "confidence": 0.6, "page": 1},
    ]
    assert [row["fixed"] for row in sort_repairs(rows)] == ["\ufffd", "ア", "日"]


def test_index_lists_each_rule_with_its_rows_and_precision_once_reviewed(sample_report):
    from pipeline.audit.report import rule_precision

    index = (sample_report / "audit" / "index.html").read_text(encoding="utf-8")
    dates = pd.read_parquet(sample_report / "dates.parquet")
    rule, count = dates["rule"].value_counts().index[0], dates["rule"].value_counts().iloc[0]
    assert f'<td>dates</td><td><code>{rule}</code></td><td class="number">{count}</td>' in index

    figure = {"rule": "unit-measure", "audit_status": None}
    tables = {
        "figures": [{**figure, "audit_status": "verified"}, {**figure, "audit_status": "verified"}, {**figure, "audit_status": "corrected"}, figure],
        "dates": [{"rule": "issue-year", "audit_status": None}],
        "entities": [{"rule": "ginza", "audit_status": "rejected"}],
    }
    rows = {(name, rule): (count, counts, precision) for name, rule, count, counts, precision in rule_precision(tables)}
    assert rows[("figures", "unit-measure")] == (4, [2, 1, 0], 2 / 3)
    assert rows[("dates", "issue-year")][2] is None  # nothing reviewed: no precision yet
    assert rows[("entities", "ginza")][2] == 0.0


def test_words_ocr_was_unsure_of_are_boxed_on_the_scanned_page(tmp_path):
    """pages.ocr_unsure (words below the low confidence on an OCR page) become boxes on that page's image."""
    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    from make_scans import make_scan

    from pipeline.ocr import engine_problem

    if engine_problem() is not None:
        pytest.skip(engine_problem())
    raw = tmp_path / "raw"
    make_scan(Path(__file__).parents[1] / "raw" / "sample-2025-04.pdf", raw / "scan.pdf", pages=[0])
    out = tmp_path / "out"
    run_batch(raw, out, progress=False, entities=False)
    pages = pd.read_parquet(out / "pages.parquet")
    assert list(pages["source"]) == ["ocr"]
    pages["ocr_unsure"] = ["字句\t0.420\t100.0 200.0 121.0 211.0"]  # one word, as the pipeline writes it
    pages.to_parquet(out / "pages.parquet")
    build_report(out, raw)
    page = (out / "audit" / "scan.html").read_text(encoding="utf-8")
    assert page.count('class="box ocr"') >= 1  # on the page's image in each article the page holds
    assert "read with confidence 0.42" in page
