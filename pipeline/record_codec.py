"""A read document as plain JSON values, and back: how the read stage's output is kept between runs.

JSON rather than pickle, because the cache sits in the output folder and
loading a pickle runs whatever code it names: a kept entry can at worst be
wrong data, which the decoder refuses.  Glyphs, the bulk of a document, are
stored as rows of values under one list of field names, so an 8-page issue
takes about 2 MB and loads in tens of milliseconds.

>>> from pipeline.records import Char, Document, Line, Page
>>> line = Line(chars=[Char("日", "Mincho", 10.0, 1.0, 2.0, 11.0, 12.0, 0)], page=0)
>>> document = Document("d", "d.pdf", "0" * 64, pages=[Page(0, 595.0, 842.0, lines=[line])])
>>> decode_document(encode_document(document)) == document
True
"""

from __future__ import annotations

from dataclasses import fields

from pipeline.codes import ErrorCode, Status
from pipeline.records import Box, Char, Document, FontReport, Line, Page, Repair, Ruby

#: Changes when the layout below or a record's fields change: older entries are then not read.
FORMAT = "records-1:" + ",".join(
    f"{record.__name__}({'/'.join(field.name for field in fields(record))})"
    for record in (Char, Ruby, Line, Page, Repair, FontReport, Document)
)

_CHAR_FIELDS = [field.name for field in fields(Char)]
_BOX_FIELDS = [field.name for field in fields(Box)]
_REPAIR_FIELDS = [field.name for field in fields(Repair)]
_FONT_FIELDS = [field.name for field in fields(FontReport)]


class CodecError(ValueError):
    """A kept entry that is not a document of this format."""


def encode_document(document: Document) -> dict:
    """``document`` as JSON-ready values."""
    return {
        "format": FORMAT,
        "document": {
            "doc_id": document.doc_id,
            "source": document.source,
            "sha256": document.sha256,
            "n_pages": document.n_pages,
            "status": str(document.status),
            "error": document.error,
            "error_code": None if document.error_code is None else str(document.error_code),
            "newsletter": document.newsletter,
            "issue_label": document.issue_label,
            "issue_date": document.issue_date,
            "notes": list(document.notes),
        },
        "pages": [
            {
                "index": page.index,
                "width": page.width,
                "height": page.height,
                "label": page.label,
                "error": page.error,
                "source": page.source,
                "ocr_confidence": page.ocr_confidence,
                "rules": [[getattr(box, name) for name in _BOX_FIELDS] for box in page.rules],
                "frames": [[getattr(box, name) for name in _BOX_FIELDS] for box in page.frames],
                "lines": [
                    {
                        "page": line.page,
                        "column": line.column,
                        "kind": line.kind,
                        "vertical": line.vertical,
                        "chars": [[getattr(char, name) for name in _CHAR_FIELDS] for char in line.chars],
                        "ruby": [
                            {
                                "chars": [[getattr(char, name) for name in _CHAR_FIELDS] for char in ruby.chars],
                                "base": ruby.base,
                                "base_box": [getattr(ruby.base_box, name) for name in _BOX_FIELDS],
                            }
                            for ruby in line.ruby
                        ],
                    }
                    for line in page.lines
                ],
            }
            for page in document.pages
        ],
        "repair_steps": [[getattr(step, name) for name in _REPAIR_FIELDS] for step in document.repair_steps],
        "fonts": [[getattr(report, name) for name in _FONT_FIELDS] for report in document.fonts],
    }


def decode_document(stored: dict) -> Document:
    """The document :func:`encode_document` gave ``stored`` for; :class:`CodecError` for anything else."""
    if not isinstance(stored, dict) or stored.get("format") != FORMAT:
        raise CodecError("not a document of this format")
    try:
        head = stored["document"]
        pages = [
            Page(
                page["index"],
                page["width"],
                page["height"],
                lines=[
                    Line(
                        chars=[Char(**dict(zip(_CHAR_FIELDS, values, strict=True))) for values in line["chars"]],
                        page=line["page"],
                        column=line["column"],
                        kind=line["kind"],
                        vertical=line["vertical"],
                        ruby=[
                            Ruby(
                                chars=[Char(**dict(zip(_CHAR_FIELDS, values, strict=True))) for values in ruby["chars"]],
                                base=ruby["base"],
                                base_box=Box(**dict(zip(_BOX_FIELDS, ruby["base_box"], strict=True))),
                            )
                            for ruby in line["ruby"]
                        ],
                    )
                    for line in page["lines"]
                ],
                label=page["label"],
                error=page["error"],
                source=page["source"],
                ocr_confidence=page["ocr_confidence"],
                rules=[Box(**dict(zip(_BOX_FIELDS, values, strict=True))) for values in page["rules"]],
                frames=[Box(**dict(zip(_BOX_FIELDS, values, strict=True))) for values in page["frames"]],
            )
            for page in stored["pages"]
        ]
        return Document(
            doc_id=head["doc_id"],
            source=head["source"],
            sha256=head["sha256"],
            pages=pages,
            repair_steps=[Repair(**dict(zip(_REPAIR_FIELDS, values, strict=True))) for values in stored["repair_steps"]],
            n_pages=head["n_pages"],
            status=Status(head["status"]),
            error=head["error"],
            error_code=None if head["error_code"] is None else ErrorCode(head["error_code"]),
            newsletter=head["newsletter"],
            issue_label=head["issue_label"],
            issue_date=head["issue_date"],
            notes=head["notes"],
            fonts=[FontReport(**dict(zip(_FONT_FIELDS, values, strict=True))) for values in stored["fonts"]],
        )
    except (KeyError, TypeError, ValueError) as error:
        raise CodecError(f"damaged entry: {type(error).__name__}: {error}") from error
