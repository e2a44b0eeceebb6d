"""The output tables' schema: the one place their columns are defined.

Every table, its columns (name, type, meaning, constraints), its primary key
and its foreign keys are declared here, and everything else is derived from
this declaration:

* :func:`pipeline.write.write_tables` builds each table with exactly these
  columns and types (empty tables included) and refuses rows that break the
  constraints (:mod:`pipeline.dataset.validate`);
* ``datapackage.json`` beside the tables is its Frictionless rendering
  (:mod:`pipeline.dataset.package`);
* ``newsletters.duckdb`` takes its column types, keys and descriptions
  (:mod:`pipeline.dataset.database`);
* the README's table documentation is generated from it
  (:mod:`pipeline.dataset.readme`), and a test keeps the two equal.

Types are Table Schema's (``string``, ``integer``, ``number``, ``boolean``);
:data:`DTYPES` gives the pandas dtype each is written with.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.codes import ErrorCode

# Table Schema type -> pandas dtype the column is written with.
DTYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean"}

# Dates as the text states them: a year, a month or a day.
_MONTH, _DAY = r"(0[1-9]|1[0-2])", r"(0[1-9]|[12][0-9]|3[01])"
ISO_DATE = rf"^[0-9]{{4}}(-{_MONTH}(-{_DAY})?)?$"
ISO_MONTH = rf"^[0-9]{{4}}-{_MONTH}(-{_DAY})?$"
ISO_DAY = rf"^[0-9]{{4}}-{_MONTH}-{_DAY}$"


@dataclass(frozen=True)
class Column:
    """One column: its type, what it means, and what its values must satisfy.

    ``pattern`` is a regular expression the whole value must match; with
    ``iso_date`` the value must also be a real calendar date (``2025-02-30``
    matches the pattern but is refused).
    """

    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    iso_date: bool = False
    minimum: float | None = None
    maximum: float | None = None

    @property
    def dtype(self) -> str:
        return DTYPES[self.type]


@dataclass(frozen=True)
class ForeignKey:
    """``columns`` of this table name a row of ``table`` by its ``reference`` columns.

    Rows with any foreign key column empty refer to nothing and pass (SQL's
    MATCH SIMPLE): a repair made by OCR has a document but no font.
    """

    columns: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table: its columns in order, its keys, and checks across columns.

    ``ordered`` pairs say that the first column is never greater than the
    second (``x0 <= x1``); ``box`` says the table has a ``page`` (1-based)
    and a box (``x0``, ``top``, ``x1``, ``bottom``) that must lie inside that
    page of ``pages``.
    """

    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    ordered: tuple[tuple[str, str], ...] = ()
    box: bool = False

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def dtypes(self) -> dict[str, str]:
        return {column.name: column.dtype for column in self.columns}


def _doc_id(meaning: str = "document") -> Column:
    return Column("doc_id", "string", meaning, required=True)


def _box(thing: str) -> tuple[Column, ...]:
    return (
        Column("page", "integer", f"page of the {thing}", minimum=1),
        Column("x0", "number", f"left of the {thing}'s box"),
        Column("top", "number", f"top of the {thing}'s box"),
        Column("x1", "number", f"right of the {thing}'s box"),
        Column("bottom", "number", f"bottom of the {thing}'s box"),
    )


def _provenance(thing: str) -> tuple[Column, ...]:
    return (
        Column("sentence", "string", f"the sentence the {thing} stands in"),
        Column("char_start", "integer", "start offset in the article body", minimum=0),
        Column("char_end", "integer", "end offset in the article body", minimum=0),
        *_box(thing),
    )


_BOX_ORDER = (("x0", "x1"), ("top", "bottom"))
_MENTION_ORDER = (("char_start", "char_end"), *_BOX_ORDER)
_IN_ARTICLE = ForeignKey(("doc_id", "article_id"), "articles", ("doc_id", "article_id"))
_IN_DOCUMENT = ForeignKey(("doc_id",), "documents", ("doc_id",))

# Set from the auditor's `audit/decisions.csv` on every run (pipeline.audit.decisions).
AUDIT_STATUSES = ("verified", "corrected", "rejected")
_AUDIT = (
    Column("audit_status", "string", "the auditor's decision (`audit/decisions.csv`): `verified`, `corrected` or `rejected`; empty: not reviewed", enum=AUDIT_STATUSES),
    Column("audit_extracted", "string", "for `corrected` rows, the extracted values the correction replaced, as JSON (`{\"value\": 26000.0}`)"),
)

ENTITY_LABELS = ("PERSON", "ORG", "GPE", "FAC", "EVENT", "LAW", "PRODUCT")

SCHEMA: dict[str, Table] = {
    table.name: table
    for table in (
        Table(
            "documents",
            "One row per PDF in the batch, read or not.",
            (
                Column("doc_id", "string", "the file's path in the batch folder without `.pdf`, made safe (`2025_05`)", required=True),
                Column("source", "string", "the file's path in `RAW_DIR` (its name, for a file straight in it)", required=True),
                Column("newsletter", "string", "newsletter name from the running header"),
                Column("issue_label", "string", "issue label from the running header (`2025年4月号 (No.7)`)"),
                Column("issue_date", "string", "issue month, ISO `YYYY-MM`", pattern=ISO_MONTH, iso_date=True),
                Column("n_pages", "integer", "pages in the PDF", minimum=0),
                Column("n_articles", "integer", "articles found", minimum=0),
                Column("status", "string", "`ok`, `partial` or `failed`", required=True, enum=("ok", "partial", "failed")),
                Column("error", "string", "why a document is partial or failed"),
                Column("error_code", "string", "the code of the first reason in `error` (see docs/errors.md); empty when ok", enum=tuple(code.value for code in ErrorCode)),
                Column("pipeline_version", "string", "version of this package that wrote the row"),
                Column("sha256", "string", "hash of the PDF's bytes", pattern=r"^[0-9a-f]{64}$"),
            ),
            primary_key=("doc_id",),
        ),
        Table(
            "pages",
            "One row per page of every document that could be opened.",
            (
                _doc_id(),
                Column("page_index", "integer", "0-based page index", required=True, minimum=0),
                Column("page_label", "string", "the printed page number, where there is one"),
                Column("width", "number", "page width in points", minimum=0),
                Column("height", "number", "page height in points", minimum=0),
                Column("text", "string", "the whole page after repair, in reading order, furniture included"),
                Column("n_chars", "integer", "non-space characters in `text`", minimum=0),
                Column("n_repaired", "integer", "characters the repair stage changed on this page", minimum=0),
                Column("n_unresolved", "integer", "characters still unknown, kept as U+FFFD and listed in `repairs`", minimum=0),
                Column("error", "string", "why the page could not be read"),
                Column("source", "string", "`text`: the PDF's own text layer; `ocr`: read from the page's image (a scan), see docs/ocr.md", enum=("text", "ocr")),
                Column("ocr_confidence", "number", "for an `ocr` page, the mean confidence of its characters (Tesseract's, 0–1)", minimum=0, maximum=1),
                Column(
                    "ocr_unsure",
                    "string",
                    "for an `ocr` page, the words read with a confidence below 0.6, one per line: text, tab, least confidence, tab, "
                    "`x0 top x1 bottom` in points; the audit report boxes them on the page image",
                ),
            ),
            primary_key=("doc_id", "page_index"),
            foreign_keys=(_IN_DOCUMENT,),
        ),
        Table(
            "articles",
            "One row per article: a `【region】title` article, or one headed by typography (see `heading_rule`).",
            (
                _doc_id(),
                Column("article_id", "string", "`DOCID-aHASH`, HASH from the article's region and title (see Ids)", required=True),
                Column("seq", "integer", "position in the issue, from 1", minimum=1),
                Column("region", "string", "the `【…】` tag; empty where the heading has none"),
                Column("title", "string", "the heading without the tag"),
                Column("author", "string", "the `（名前）` sign-off, family and given name separated by a space"),
                Column("page_start", "integer", "first page of the article", minimum=1),
                Column("page_end", "integer", "last page of the article", minimum=1),
                Column(
                    "body",
                    "string",
                    "clean text, paragraphs joined by `\\n`; no running headers, page numbers, footnotes, captions or reference lines",
                ),
                Column("references", "string", "the `参考：` URLs, one per line"),
                Column("footnotes", "string", "the article's footnotes, one per line, each starting with its number"),
                Column(
                    "sections",
                    "string",
                    "the article's sub-headings found by typography, one per line, in order (each is also a line of its own in `body`)",
                ),
                Column(
                    "heading_rule",
                    "string",
                    "what opened the article: `region` (a `【…】` heading), `size` (a larger line in an issue of `【…】` headings), "
                    "`typography` (a heading found by size, weight, numbering and what is drawn with it: underline, box, colour, space above; see docs/articles.md), `opening` (the text before the first heading, "
                    "titled by its first sub-heading or the document's name), `document` (no heading at all: the whole document, so titled)",
                    enum=("region", "size", "typography", "opening", "document"),
                ),
            ),
            primary_key=("article_id",),
            foreign_keys=(_IN_DOCUMENT,),
            ordered=(("page_start", "page_end"),),
        ),
        Table(
            "figures",
            "One row per number that carries a quantity, in article bodies.",
            (
                _doc_id(),
                Column("article_id", "string", "article", required=True),
                Column("figure_id", "string", "`ARTICLEID-fHASH`, HASH from the surface and its occurrence (see Ids)", required=True),
                Column("surface", "string", "the text as printed (`約2.6万TEU`)"),
                Column("value", "number", "the number with 万/億/兆, kanji and full-width digits applied; 割 as percent"),
                Column("unit", "string", "normalised unit: `%`, `t`, `t-CO2`, `TEU`, `MW`…, ISO currency codes, counters"),
                Column("qualifier", "string", "約, 余り, 以上, 以下, 未満, 超, 最大, 程度, 前後 …"),
                Column("range_partner", "string", "`figure_id` of the other end of a range"),
                Column("rule", "string", "the rule that gave the unit (`unit-currency`, `unit-measure`, `kilo-by-context`, `tsu-counted-noun`, …; pipeline/pull/figures.py)"),
                Column("ocr_confidence", "number", "for a figure on a page read by OCR, the least confidence among its digits (0–1; below 0.6: check it); empty for text pages", minimum=0, maximum=1),
                *_provenance("figure"),
                *_AUDIT,
            ),
            primary_key=("figure_id",),
            foreign_keys=(_IN_ARTICLE, ForeignKey(("range_partner",), "figures", ("figure_id",))),
            ordered=_MENTION_ORDER,
            box=True,
        ),
        Table(
            "dates",
            "One row per calendar date in article bodies.",
            (
                _doc_id(),
                Column("article_id", "string", "article", required=True),
                Column("date_id", "string", "`ARTICLEID-dHASH`, HASH from the surface and its occurrence (see Ids)", required=True),
                Column("surface", "string", "the text as printed"),
                Column(
                    "value",
                    "string",
                    "ISO `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, at the precision the text states",
                    pattern=ISO_DATE,
                    iso_date=True,
                ),
                Column("start", "string", "first day covered", pattern=ISO_DAY, iso_date=True),
                Column("end", "string", "last day covered", pattern=ISO_DAY, iso_date=True),
                Column("granularity", "string", "`year`, `month` or `day`"),
                Column("fiscal", "boolean", "a fiscal year (年度, FY)"),
                Column("rule", "string", "how the year was found (`year-stated`, `narrated-year`, `issue-year`, `same-month`, …; pipeline/pull/dates.py)"),
                *_provenance("date"),
                *_AUDIT,
            ),
            primary_key=("date_id",),
            foreign_keys=(_IN_ARTICLE,),
            ordered=(("start", "end"), *_MENTION_ORDER),
            box=True,
        ),
        Table(
            "entities",
            "One row per mention of a name in article bodies, repeats included.",
            (
                _doc_id(),
                Column("article_id", "string", "article", required=True),
                Column("entity_id", "string", "`ARTICLEID-eHASH`, HASH from the surface and its occurrence (see Ids)", required=True),
                Column("surface", "string", "the name as printed"),
                Column("label", "string", ", ".join(ENTITY_LABELS[:-1]) + " or " + ENTITY_LABELS[-1], enum=ENTITY_LABELS),
                Column("ner_label", "string", "GiNZA's own (Sekine extended) label"),
                Column("canonical", "string", "the full name where the surface is its abbreviation"),
                Column("rule", "string", "the rule that proposed or corrected the name; `ginza…` for the model's own span (pipeline/pull/entity_labels.py)"),
                *_provenance("name"),
                *_AUDIT,
            ),
            primary_key=("entity_id",),
            foreign_keys=(_IN_ARTICLE,),
            ordered=_MENTION_ORDER,
            box=True,
        ),
        Table(
            "fonts",
            "One row per font a document draws with: what its program is and the verdict on its ToUnicode map, once per font, with the reasons.",
            (
                _doc_id(),
                Column("font", "string", "the font's PDF name (subset tag included), made unique within the document", required=True),
                Column("base_font", "string", "the name without the subset tag"),
                Column("font_type", "string", "`cid` (Type0, two-byte codes) or `simple`", enum=("cid", "simple")),
                Column("program", "string", "the embedded program: `truetype`, `cff`, or `none` (not embedded or unreadable)", enum=("truetype", "cff", "none")),
                Column(
                    "map_verdict",
                    "string",
                    "`trusted` (checked glyph by glyph), `distrusted` (every code re-read from the glyphs), `absent` (no map), "
                    "`symbol` (decoded through the symbol font's published encoding), `simple` (a one-byte font's encoding)",
                    enum=("trusted", "distrusted", "absent", "symbol", "simple"),
                ),
                Column("reasons", "string", "the evidence for the verdict, in words"),
                Column("glyphs", "integer", "glyphs the document draws with the font", minimum=0),
                Column("repaired", "integer", "of those, glyphs the repair stage changed or dropped", minimum=0),
                Column("unresolved", "integer", "of those, glyphs still unknown (U+FFFD)", minimum=0),
            ),
            primary_key=("doc_id", "font"),
            foreign_keys=(_IN_DOCUMENT,),
        ),
        Table(
            "repairs",
            "One row for every change the repair stage made to a glyph.",
            (
                _doc_id(),
                Column("repair_id", "string", "`DOCID-rHASH`, HASH from the glyph's page, position and raw text (see Ids)", required=True),
                *_box("repaired glyph"),
                Column("raw", "string", "what the PDF's map gave"),
                Column("fixed", "string", "what the pipeline made of it (U+FFFD: could not be recovered; empty: dropped duplicate)"),
                Column("rule", "string", "which repair (`radical_to_ideograph`, `fake_bold_duplicate`, `unmapped_glyph`, …)"),
                Column("confidence", "number", "0–1; 0 for what stays unresolved", minimum=0, maximum=1),
                Column("font", "string", "the font the glyph was drawn with (`fonts.font`); empty for a correction on a page read by OCR (rules `ocr_…`)"),
            ),
            primary_key=("repair_id",),
            foreign_keys=(_IN_DOCUMENT, ForeignKey(("doc_id", "font"), "fonts", ("doc_id", "font"))),
            ordered=_BOX_ORDER,
            box=True,
        ),
        Table(
            "ruby",
            "One row per ruby (furigana, the reading set in small kana beside vertical text or above horizontal text), "
            "kept out of the text it reads (see docs/articles.md).",
            (
                _doc_id(),
                Column("ruby_id", "string", "`DOCID-uHASH`, HASH from the base's page, position and the reading (see Ids)", required=True),
                Column("base", "string", "the text the ruby reads, as the glyphs under (or left of) it give it"),
                Column("reading", "string", "the ruby's kana"),
                *_box("base text"),
            ),
            primary_key=("ruby_id",),
            foreign_keys=(_IN_DOCUMENT,),
            ordered=_BOX_ORDER,
            box=True,
        ),
    )
}

CHANGES = "changes"
"""The table :mod:`pipeline.dataset.changes` derives at write time; callers never pass its rows."""

SCHEMA[CHANGES] = Table(
    CHANGES,
    "What the last run added, changed or removed, compared with the tables it replaced.",
    (
        Column("table_name", "string", "the table of the row", required=True, enum=tuple(SCHEMA)),
        Column(
            "row_key",
            "string",
            "the row's primary key; a key of several columns joined by `/` (pages: `DOCID/PAGE_INDEX`)",
            required=True,
        ),
        Column("doc_id", "string", "document of the row"),
        Column("change", "string", "`added`, `changed` or `removed`", required=True, enum=("added", "changed", "removed")),
        Column("changed_columns", "string", "for `changed` rows, the columns whose values differ, comma-separated"),
    ),
    primary_key=("table_name", "row_key"),
)

# table -> {column: pandas dtype}, for code that only needs names and types.
TABLES: dict[str, dict[str, str]] = {name: table.dtypes for name, table in SCHEMA.items()}
