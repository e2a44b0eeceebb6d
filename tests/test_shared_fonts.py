"""Repair on fonts this machine does not have: the shared font matrix, per document (read from ../shared).

``../shared/corpus/newsletters-fonts`` holds the two shared issues set in
Motoya, Klee/Hanazono and CID-keyed CFF fonts, none installed here, with
broken maps and a clean twin each.  Levels reached are held per document:
body CER and titles from ``../shared/bench/score.py``, with and without
installed reference fonts (``NEWSLETTER_EXTRACT_REFERENCE_FONTS=0`` hides
them), and the clean twins, whose text repair must leave alone.  The
247-page kokuji notice holds the vertical-form hyphens.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import NEWSLETTERS, REAL_JA, SCORE, SHARED, need_shared

FONTS = SHARED / "corpus" / "newsletters-fonts"
MAX_DOCUMENT_CER = 0.003  # body character error rate, per document
MAX_DOCUMENT_CER_WITHOUT_REFERENCES = 0.005
MAX_CLEAN_CER = 0.001
MIN_TITLES_WITHOUT_REFERENCES = 0.95


def extract_and_score(corpus, tmp_path_factory, clean: bool = False, references: bool = True) -> dict:
    """Extract a shared corpus (damaged files or their clean twins) in a fresh process; score.py's result."""
    need_shared(corpus)
    need_shared(SCORE)
    raw = tmp_path_factory.mktemp("raw")
    for pdf in sorted(corpus.glob("*.pdf")):
        if pdf.name.endswith(".clean.pdf") == clean:
            (raw / pdf.name.replace(".clean.pdf", ".pdf")).symlink_to(pdf)
    out = tmp_path_factory.mktemp("out")
    environment = {**os.environ, "NEWSLETTER_EXTRACT_REFERENCE_FONTS": "1" if references else "0"}
    subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out), "--quiet", "--no-entities"],
        check=True,
        capture_output=True,
        env=environment,
    )
    result = tmp_path_factory.mktemp("score") / "score.json"
    subprocess.run([sys.executable, str(SCORE), "--extracted", str(out), "--gold", str(corpus), "--json", str(result)], check=True, capture_output=True)
    scored = json.loads(result.read_text())
    scored["titles"] = _titles_per_document(out, corpus)
    return scored


def _titles_per_document(out, corpus) -> dict[str, float]:
    """Share of each document's gold titles found exactly (score.py gives the total only)."""
    import importlib.util

    import pandas as pd

    spec = importlib.util.spec_from_file_location("score", SCORE)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    articles = pd.read_parquet(out / "articles.parquet")
    documents = pd.read_parquet(out / "documents.parquet").set_index("doc_id")
    found: dict[str, float] = {}
    for gold in sorted(corpus.glob("*.gold.json")):
        name = gold.name[: -len(".gold.json")]
        titles = {score.norm_title(article["title"]) for article in json.loads(gold.read_text())["articles"]}
        mine = articles[articles["doc_id"].map(lambda doc: documents.loc[doc, "source"]) == f"{name}.pdf"]
        got = {score.norm_title(str(title)) for title in mine["title"]}
        found[name] = len(titles & got) / len(titles)
    return found


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    return extract_and_score(FONTS, tmp_path_factory)


@pytest.fixture(scope="module")
def matrix_without_references(tmp_path_factory):
    return extract_and_score(FONTS, tmp_path_factory, references=False)


def test_every_font_matrix_document_reads_within_the_cer_and_all_titles(matrix):
    for name, document in matrix["per_doc"].items():
        assert document["cer"] <= MAX_DOCUMENT_CER, (name, document)
        assert matrix["titles"][name] == 1.0, (name, matrix["titles"][name])


def test_without_reference_fonts_every_document_still_reads(matrix_without_references):
    scored = matrix_without_references
    for name, document in scored["per_doc"].items():
        assert document["cer"] <= MAX_DOCUMENT_CER_WITHOUT_REFERENCES, (name, document)
        assert scored["titles"][name] >= MIN_TITLES_WITHOUT_REFERENCES, (name, scored["titles"][name])


def test_shared_newsletters_without_reference_fonts(tmp_path_factory):
    scored = extract_and_score(NEWSLETTERS, tmp_path_factory, references=False)
    for name, document in scored["per_doc"].items():
        assert document["cer"] <= MAX_DOCUMENT_CER_WITHOUT_REFERENCES, (name, document)
        assert scored["titles"][name] >= MIN_TITLES_WITHOUT_REFERENCES, (name, scored["titles"][name])


def test_clean_twins_of_the_font_matrix_read_as_they_are(tmp_path_factory):
    scored = extract_and_score(FONTS, tmp_path_factory, clean=True)
    for name, document in scored["per_doc"].items():
        assert document["cer"] <= MAX_CLEAN_CER, (name, document)


def test_vertical_form_hyphens_of_the_kokuji_notice_are_decoded():
    """kokuji's 区分番号 hyphens are a vertical form (cid 18595) its map leaves out: 39 of them."""
    from pipeline.run import read_document

    document, _ = read_document(need_shared(REAL_JA) / "saka1029-pdf__kokuji.pdf")
    text = "\n".join(line.text for page in document.pages for line in page.lines)
    assert "\ufffd" not in text and "(cid:" not in text
    hyphens = [r for r in document.repairs if r.raw == "(cid:18595)"]
    assert len(hyphens) == 39 and {r.fixed for r in hyphens} == {"－"}
    assert "Ｂ００１－２－９" in text
