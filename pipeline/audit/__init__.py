"""Audit: a static report of every extracted figure on its page, and the auditor's decisions.

- :mod:`pipeline.audit.pages` renders page images and glyph crops with pypdfium2.
- :mod:`pipeline.audit.report` writes ``OUT_DIR/audit/index.html`` and one page per document.
- :mod:`pipeline.audit.decisions` reads ``OUT_DIR/audit/decisions.csv`` and applies it
  to the tables on the next extract (the batch calls :func:`apply_decisions`).

Only :mod:`decisions` is imported by the batch; the report's imports stay out
of ``extract`` runs.
"""
