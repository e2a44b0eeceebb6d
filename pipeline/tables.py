"""The output tables: their columns and types, in one place.

``write`` builds every table from these definitions, so a table is always
written with all its columns (empty tables included) and the same types.
The README documents the same columns; ``tests/test_write.py`` keeps the
two in step.
"""

from __future__ import annotations

# column -> pandas dtype ("string", "Int64", "float64", "boolean")
_PROVENANCE = {
    "sentence": "string",
    "char_start": "Int64",
    "char_end": "Int64",
    "page": "Int64",
    "x0": "float64",
    "top": "float64",
    "x1": "float64",
    "bottom": "float64",
}

TABLES: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": "string",
        "source": "string",
        "newsletter": "string",
        "issue_label": "string",
        "issue_date": "string",
        "n_pages": "Int64",
        "n_articles": "Int64",
        "status": "string",
        "error": "string",
        "pipeline_version": "string",
        "sha256": "string",
    },
    "pages": {
        "doc_id": "string",
        "page_index": "Int64",
        "page_label": "string",
        "text": "string",
        "n_chars": "Int64",
        "n_repaired": "Int64",
        "n_unresolved": "Int64",
        "error": "string",
    },
    "articles": {
        "doc_id": "string",
        "article_id": "string",
        "seq": "Int64",
        "region": "string",
        "title": "string",
        "author": "string",
        "page_start": "Int64",
        "page_end": "Int64",
        "body": "string",
        "references": "string",
        "footnotes": "string",
    },
    "figures": {
        "doc_id": "string",
        "article_id": "string",
        "figure_id": "string",
        "surface": "string",
        "value": "float64",
        "unit": "string",
        "qualifier": "string",
        "range_partner": "string",
        **_PROVENANCE,
    },
    "dates": {
        "doc_id": "string",
        "article_id": "string",
        "date_id": "string",
        "surface": "string",
        "value": "string",
        "start": "string",
        "end": "string",
        "granularity": "string",
        "fiscal": "boolean",
        **_PROVENANCE,
    },
    "entities": {
        "doc_id": "string",
        "article_id": "string",
        "entity_id": "string",
        "surface": "string",
        "label": "string",
        "ner_label": "string",
        "canonical": "string",
        **_PROVENANCE,
    },
    "repairs": {
        "doc_id": "string",
        "page": "Int64",
        "x0": "float64",
        "top": "float64",
        "x1": "float64",
        "bottom": "float64",
        "raw": "string",
        "fixed": "string",
        "rule": "string",
        "confidence": "float64",
    },
}
