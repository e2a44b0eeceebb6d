"""Audit report: text from a PDF or from decisions.csv is escaped wherever the report shows it."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd

from conftest import RAW
from pipeline.audit import report
from pipeline.cli import main
from test_audit_report import copy_tables

HOSTILE = ("<script>alert(1)</script>", "\"'><img src=x onerror=alert(1)>")
RAW_MARKERS = ("<script>alert(1)", "<img src=x onerror")


def _poison(out: Path) -> None:
    """A hostile title, source name, entity text and decision note, all at once."""
    bad = " ".join(HOSTILE)
    documents = pd.read_parquet(out / "documents.parquet")
    documents["newsletter"] = bad
    documents.to_parquet(out / "documents.parquet")
    articles = pd.read_parquet(out / "articles.parquet")
    articles["title"] = bad
    articles.to_parquet(out / "articles.parquet")
    entities = pd.read_parquet(out / "entities.parquet")
    assert len(entities), "the sample has entities to poison"
    entities["text"] = bad
    entities.to_parquet(out / "entities.parquet")
    note = bad.replace('"', '""')
    (out / "decisions.csv").write_text(
        "id,table,decision,field,value,surface,note\n"
        f'{entities["entity_id"].iloc[0]},entities,wrong,,,,"{note}"\n',
        encoding="utf-8",
    )


def test_hostile_text_is_escaped_in_every_page(sample_run, tmp_path):
    out = copy_tables(sample_run[0], tmp_path / "hostile")
    _poison(out)
    assert main(["audit", str(out), "--raw", str(RAW)]) == 0
    pages = sorted((out / "audit").glob("*.html"))
    assert len(pages) >= 2
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for marker in RAW_MARKERS:
            assert marker not in text, f"{page.name} shows {marker!r} unescaped"
    assert any("&lt;script&gt;alert(1)" in page.read_text(encoding="utf-8") for page in pages)


def _literal_tags(source: str) -> int:
    return sum(node.value.count("<") for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant) and isinstance(node.value, str))


def test_report_module_keeps_its_html_in_templates():
    source = Path(report.__file__).read_text(encoding="utf-8")
    assert "def e(" not in source, "the escape helper e() is gone: Jinja's autoescape does its work"
    assert _literal_tags(source) <= 5
