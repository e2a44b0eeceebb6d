"""newsletter-extract: Japanese newsletter PDFs to audited, tidy tables.

Stages, one sub-package each, run in this order by :mod:`pipeline.run`:
extract (chars, lines, blocks from pdfplumber) -> repair (mojibake and broken
font maps) -> split (page furniture and articles) -> pull (figures, dates,
entities) -> write (Parquet and CSV tables).
"""

__version__ = "0.1.0"
