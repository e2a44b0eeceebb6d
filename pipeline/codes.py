"""Stable codes for how a document went and why, beside the human messages.

Code branches on these (caching, tests, a reader's filters), never on the
wording of ``documents.error``, which may be improved at any time.  Each
code is documented in ``docs/errors.md``.
"""

from __future__ import annotations

import enum


class Status(enum.StrEnum):
    """``documents.status``."""

    OK = "ok"
    PARTIAL = "partial"
    FAILED = "failed"


class ErrorCode(enum.StrEnum):
    """``documents.error_code``: the kind of the first reason in ``documents.error``."""

    # the file itself
    EMPTY_FILE = "empty_file"
    NOT_A_PDF = "not_a_pdf"
    DAMAGED_PDF = "damaged_pdf"
    ENCRYPTED_NEEDS_PASSWORD = "encrypted_needs_password"
    ENCRYPTED_WRONG_PASSWORD = "encrypted_wrong_password"
    ENCRYPTED_UNSUPPORTED = "encrypted_unsupported"
    CANNOT_READ_FILE = "cannot_read_file"
    NOT_A_REGULAR_FILE = "not_a_regular_file"
    ID_CLASH = "id_clash"
    # its pages and text
    NO_PAGES = "no_pages"
    NO_TEXT_LAYER = "no_text_layer"
    NO_PAGE_READABLE = "no_page_readable"
    UNREADABLE_PAGES = "unreadable_pages"
    PAGE_TOO_COMPLEX = "page_too_complex"
    UNDECODED_CHARACTERS = "undecoded_characters"
    UNCONFIRMED_READINGS = "unconfirmed_readings"
    OFF_PAGE_GLYPHS = "off_page_glyphs"
    LOW_OCR_CONFIDENCE = "low_ocr_confidence"
    NO_ARTICLES = "no_articles"
    # bounds and the machine
    TIME_LIMIT = "time_limit"
    MEMORY_LIMIT = "memory_limit"
    WORKER_DIED = "worker_died"
    # the pipeline's own faults
    ROWS_BREAK_SCHEMA = "rows_break_schema"
    INTERNAL_ERROR = "internal_error"


#: A document failed with one of these may read fine with another password: never cached.
ENCRYPTED = frozenset({ErrorCode.ENCRYPTED_NEEDS_PASSWORD, ErrorCode.ENCRYPTED_WRONG_PASSWORD, ErrorCode.ENCRYPTED_UNSUPPORTED})

#: Reasons that may not recur on the same bytes (the machine's, or the batch's listing): never cached.
TRANSIENT = frozenset({ErrorCode.WORKER_DIED, ErrorCode.NOT_A_REGULAR_FILE, ErrorCode.ID_CLASH, ErrorCode.CANNOT_READ_FILE})
