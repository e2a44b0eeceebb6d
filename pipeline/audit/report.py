"""The static audit report: ``OUT_DIR/audit/index.html`` and one page per document.

Everything is read from the written tables (and the PDFs in ``RAW_DIR`` for
the page images); nothing is re-extracted.  The pages open from disk in any
browser: CSS and JavaScript are inline, page images are PNG files beside the
HTML, glyph crops are data URIs, and a Content-Security-Policy forbids the
page any network access.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from pipeline.audit.decisions import (
    CORRECTABLE,
    ID_COLUMNS,
    Decision,
    DecisionsFileError,
    Outcome,
    apply_to_tables,
    csv_line,
    decisions_path,
    ensure_decisions_file,
    read_decisions,
    restore_extracted,
)
from pipeline.audit.pages import (
    PAGE_SCALE,
    GlyphBox,
    PageImage,
    existing_pages,
    file_stem,
    glyph_crops,
    image_names,
    page_count,
    render_pages,
    write_report_file,
)
from pipeline.ocr.confidence import parse_unsure
from pipeline.repair.glyphs import UNRESOLVED
from pipeline.sources import sha256_of

LOW_CONFIDENCE = 0.9  # repairs below this are listed with the unresolved ones
# Bounds that keep a 20,000-page PDF from holding the report up for an hour: page
# images drawn per document (pages with boxes first), and seconds of drawing per run.
MAX_PAGE_IMAGES = 200
TIME_LIMIT = 60.0
TABLE_NAMES = ("documents", "pages", "articles", "figures", "dates", "entities", "repairs")
# kind (CSS class and key prefix) -> its table
KINDS = {"figure": "figures", "date": "dates", "entity": "entities"}
# the field a "corrected" line from the report proposes, per table
PROPOSED_FIELD = {"figures": "value", "dates": "value", "entities": "label"}
STATUSES = ("verified", "corrected", "rejected")
# columns of each kind's table in the report: (header, row key or None, css class)
COLUMNS = {
    "figure": [("surface", "surface", ""), ("value", "value", "number"), ("unit", "unit", ""), ("qualifier", "qualifier", ""), ("rule", "rule", "rule")],
    "date": [("surface", "surface", ""), ("value", "value", ""), ("granularity", "granularity", ""), ("fiscal", "fiscal", ""), ("rule", "rule", "rule")],
    "entity": [("surface", "surface", ""), ("label", "label", ""), ("canonical", "canonical", ""), ("rule", "rule", "rule")],
}
CSP = "default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'"


class ReportError(RuntimeError):
    """The report cannot be built (no tables in OUT_DIR)."""


@dataclass
class DecisionState:
    """decisions.csv as of now, against the tables as written."""

    path: Path
    rows: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    pending: dict[str, str] = field(default_factory=dict)  # id -> status the next extract will give
    error: str | None = None

    @property
    def unapplied(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.outcome != "applied"]


@dataclass
class ReportResult:
    index: Path
    documents: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def format_number(value) -> str:
    """26000.0 -> '26,000'; 0.35 -> '0.35'; 1.2e12 -> '1,200,000,000,000'."""
    if value is None:
        return ""
    return format(float(value), ",.15g")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def plain_number(value) -> str:
    return "" if value is None else format(float(value), ".15g")


# --- loading -------------------------------------------------------------------


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with None for missing values (never pd.NA or NaN)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def load_tables(out_dir: Path) -> dict[str, list[dict]]:
    tables = {}
    for name in TABLE_NAMES:
        path = out_dir / f"{name}.parquet"
        if not path.exists():
            raise ReportError(f"{path} is missing: run `newsletter-extract extract RAW_DIR --out {out_dir}` first")
        tables[name] = records(pd.read_parquet(path))
    return tables


def decision_state(out_dir: Path, tables: dict[str, list[dict]]) -> DecisionState:
    """Replay decisions.csv on the extracted rows and compare with the tables.

    A decision the tables do not show yet (written after the last extract)
    is *pending*; one whose id is gone, stale or invalid is listed as such.
    """
    path = decisions_path(out_dir)
    state = DecisionState(path=path)
    if not path.exists() and not path.is_symlink():  # a broken link is the auditor's to hear about
        return state
    try:
        decisions: list[Decision] = read_decisions(path)
    except (DecisionsFileError, UnicodeDecodeError) as error:
        state.error = str(error)
        return state
    state.rows = len(decisions)
    replay = {name: [restore_extracted(dict(row)) for row in tables[name]] for name in ID_COLUMNS}
    replay["documents"] = tables["documents"]
    state.outcomes = apply_to_tables(decisions, replay)
    for name, id_column in ID_COLUMNS.items():
        for written, expected in zip(tables[name], replay[name]):
            differs = written.get("audit_status") != expected.get("audit_status") or any(
                written.get(column) != expected.get(column) for column in CORRECTABLE[name]
            )
            if differs:
                state.pending[written[id_column]] = expected.get("audit_status") or "undone"
    return state


# --- page images -----------------------------------------------------------------


def find_pdf(raw_dir: Path, source: str) -> Path | None:
    """``RAW_DIR/source``, else a file of that name anywhere under RAW_DIR; None for a name no file has.

    A source with bytes that are not UTF-8 is written ``bad\\xff.pdf`` in the
    tables (:func:`pipeline.run.readable_name`); the file is looked for under
    its real name too.
    """
    names = [source] if source else []
    if "\\x" in source:
        raw = re.sub(rb"\\x([0-9a-f]{2})", lambda match: bytes([int(match[1], 16)]), source.encode("utf-8"))
        names.append(os.fsdecode(raw))
    for name in names:
        try:
            direct = raw_dir / name
            if direct.is_file():
                return direct
            # the name is a name, not a pattern: "[draft] 2024.pdf" matches itself only
            found = next((path for path in sorted(raw_dir.rglob(glob.escape(name))) if path.is_file()), None)
        except (OSError, ValueError, NotImplementedError):  # too long for the file system, absolute, ...
            continue
        if found is not None:
            return found
    return None


def clear_stale_images(image_dir: Path, stem: str, sha256: str) -> None:
    """Delete the page images of ``stem`` unless they were drawn from the PDF with this hash.

    Images are reused page by page, so the hash they were drawn from is
    kept beside them (``STEM.sha256``) and checked before any is reused.
    """
    stamp = image_dir / f"{stem}.sha256"
    if stamp.exists() and stamp.read_text().strip() == sha256:
        return
    for path in image_names(image_dir, stem):
        path.unlink(missing_ok=True)
    write_report_file(stamp, (sha256 + "\n").encode("ascii"))


def page_ranges(pages: list[int], most: int = 8) -> str:
    """[3, 4, 5, 9] -> 'pages 3–5, 9'; [7] -> 'page 7'; past ``most`` runs, the rest counted.

    >>> page_ranges([3, 4, 5, 9])
    'pages 3–5, 9'
    >>> page_ranges([1, 3, 5, 7], most=2)
    'pages 1, 3 and 2 more'
    """
    runs: list[list[int]] = []
    for page in sorted(pages):
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    shown = ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 1 else f"{run[0]}" for run in runs[:most])
    rest = sum(len(run) for run in runs[most:])
    noun = "page" if len(pages) == 1 else "pages"
    return f"{noun} {shown}" + (f" and {rest} more" if rest else "")


# --- templates -------------------------------------------------------------------


def _asset(name: str) -> str:
    return (files("pipeline.audit") / "static" / name).read_text(encoding="utf-8")


def _blank(value):
    """What ``{{ value }}`` shows: a missing value (None) as nothing, not as "None"."""
    return "" if value is None else value


def visible(text: str) -> str:
    """Control characters as their pictures (U+0001 -> ␁), so a glyph the repair stage saw shows at all."""
    return "".join(chr(0x2400 + ord(ch)) if ord(ch) < 0x20 else "␡" if ord(ch) == 0x7F else ch for ch in text)


def codepoints(text: str, most: int = 6) -> str:
    """'「あ' -> 'U+300C U+3042'; past ``most`` characters, an ellipsis."""
    return " ".join(f"U+{ord(ch):04X}" for ch in text[:most]) + (" …" if len(text) > most else "")


def templates() -> Environment:
    """The one Jinja environment: autoescaped HTML, and every formatting filter registered here.

    The templates are compiled once, here, and reused for every page.
    """
    environment = Environment(
        loader=PackageLoader("pipeline.audit", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        finalize=_blank,
    )
    environment.filters["format_number"] = format_number
    environment.filters["plain_number"] = plain_number
    environment.filters["counted"] = _count
    environment.filters["visible"] = visible
    environment.filters["codepoints"] = codepoints
    environment.globals.update(
        csp=Markup(CSP), statuses=STATUSES, columns=COLUMNS, unresolved=UNRESOLVED, low_confidence=LOW_CONFIDENCE
    )
    return environment


TEMPLATES = templates()


def render(template: str, title: str, decision_bar: bool = False, **context) -> str:
    """A whole page: ``template`` extends page.html; the CSS and JavaScript are the package's own text."""
    return TEMPLATES.get_template(template).render(
        title=title, decision_bar=decision_bar, css=Markup(_asset("report.css")), js=Markup(_asset("report.js")), **context
    )


def sentence_parts(sentence: str | None, surface: str | None) -> tuple[str, str, str]:
    """The sentence around the first place it has ``surface``: (before, surface, after).

    >>> sentence_parts("売上は2億円でした", "2億円")
    ('売上は', '2億円', 'でした')
    >>> sentence_parts("売上は2億円でした", "3億円")
    ('売上は2億円でした', '', '')
    """
    if not sentence:
        return "", "", ""
    at = sentence.find(surface) if surface else -1
    if at < 0:
        return sentence, "", ""
    return sentence[:at], surface, sentence[at + len(surface):]


def was_text(row: dict) -> str | None:
    """What the extract gave before a decision changed the row ("value: 26,000; unit: 円"), or None."""
    if not row.get("audit_extracted"):
        return None
    try:
        original = json.loads(row["audit_extracted"])
    except ValueError:
        return None
    return "; ".join(f"{name}: {format_number(value) if isinstance(value, float) else value}" for name, value in sorted(original.items()))


@dataclass(frozen=True)
class Box:
    """A box drawn over a page image, placed in percent of the page size."""

    kind: str  # figure, date, entity or repair
    key: str  # the data-key of the table row it belongs to
    title: str
    status: str | None
    left: float
    top: float
    width: float
    height: float


def box(kind: str, key: str, row: dict, image: PageImage, title: str, status: str | None = None) -> Box:
    return Box(
        kind,
        key,
        title,
        status,
        left=100 * row["x0"] / image.width,
        top=100 * row["top"] / image.height,
        width=100 * (row["x1"] - row["x0"]) / image.width,
        height=100 * (row["bottom"] - row["top"]) / image.height,
    )


def _has_box(row: dict) -> bool:
    return all(row.get(name) is not None for name in ("page", "x0", "top", "x1", "bottom"))


def _mention_title(kind: str, row: dict) -> str:
    if kind == "figure":
        details = " ".join(part for part in (row.get("qualifier"), format_number(row.get("value")), row.get("unit")) if part)
    elif kind == "date":
        details = f"{row.get('value')} ({row.get('granularity')}{', fiscal' if row.get('fiscal') else ''})"
    else:
        details = row.get("label") or ""
    return f"{row.get('surface')} → {details}"


def _decision_value(kind: str, row: dict) -> str:
    if kind == "figure":
        return plain_number(row.get("value"))
    if kind == "date":
        return row.get("value") or ""
    return row.get("label") or ""


@dataclass
class MentionLine:
    """One figure, date or entity as a row of its table in the report, with its decisions.csv line."""

    kind: str
    row: dict
    id: str
    table: str
    surface: str | None  # as extracted, before any correction
    line: str  # the "verified" line for decisions.csv
    decision_value: str  # the value a "corrected" line starts from
    pending: str | None  # the status decisions.csv gives on the next extract
    was: str | None
    sentence: tuple[str, str, str]

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def short_id(self) -> str:
        return self.id.rsplit("-", 1)[-1]

    @property
    def status(self) -> str | None:
        return self.row.get("audit_status")

    @property
    def field(self) -> str:
        return PROPOSED_FIELD[self.table]


def mention_line(kind: str, row: dict, state: DecisionState) -> MentionLine:
    table = KINDS[kind]
    mention_id = row[ID_COLUMNS[table]]
    surface = json.loads(row["audit_extracted"]).get("surface", row.get("surface")) if row.get("audit_extracted") else row.get("surface")
    return MentionLine(
        kind=kind,
        row=row,
        id=mention_id,
        table=table,
        surface=surface,
        line=csv_line([mention_id, table, "verified", "", "", surface, ""]),
        decision_value=_decision_value(kind, row),
        pending=state.pending.get(mention_id),
        was=was_text(row),
        sentence=sentence_parts(row.get("sentence"), row.get("surface")),
    )


@dataclass
class Panel:
    """One tab of an article's side: the figures, dates or entities of the article."""

    kind: str
    id: str
    lines: list[MentionLine]
    hidden: bool

    @property
    def table(self) -> str:
        return KINDS[self.kind]


# --- one document ------------------------------------------------------------------


@dataclass
class DocumentView:
    """What one document page needs, gathered from the tables."""

    document: dict
    articles: list[dict]
    mentions: dict[str, dict[str, list[dict]]]  # kind -> article_id -> rows
    repairs: list[dict]
    page_labels: dict[int, str]
    images: dict[int, PageImage]
    crops: list[str]
    warnings: list[str]
    # why a page has no image: per page where known, else missing_reason
    image_notes: dict[int, str] = field(default_factory=dict)
    # words OCR read with low confidence, by page (1-based): pages.ocr_unsure
    unsure: dict[int, list[dict]] = field(default_factory=dict)
    missing_reason: str = "PDF not found"


def article_pages(article: dict, rows: dict[str, list[dict]]) -> set[int]:
    """The pages an article's section shows: its page range and every page a mention of it is on."""
    pages = set(range(article.get("page_start") or 1, (article.get("page_end") or article.get("page_start") or 1) + 1))
    pages |= {row["page"] for kind_rows in rows.values() for row in kind_rows if row.get("page") is not None}
    return pages


def pages_by_use(view: DocumentView, n_pages: int) -> list[int]:
    """Every page of the document, the most useful first: pages the report shows boxes on,
    then the other pages it shows, then the rest; in page order within each.

    (A repair outside every article has its glyph crop, but no page shows it.)
    """
    boxed = {row["page"] for kind in KINDS for rows in view.mentions[kind].values() for row in rows if _has_box(row)}
    boxed |= {repair["page"] for repair in view.repairs if _has_box(repair)}
    boxed |= {page for page, words in view.unsure.items() if words}
    shown: set[int] = set()
    for article in view.articles:
        shown |= article_pages(article, {kind: view.mentions[kind].get(article["article_id"], []) for kind in KINDS})
    return sorted(range(1, n_pages + 1), key=lambda page: (page not in shown or page not in boxed, page not in shown, page))


def sort_repairs(repairs: list[dict]) -> list[dict]:
    """Unresolved first, then by confidence (lowest first), then in page order."""

    def order(repair: dict):
        unresolved = repair.get("fixed") == UNRESOLVED
        confidence = repair.get("confidence")
        return (not unresolved, confidence if confidence is not None else 0.0, repair.get("page") or 0, repair.get("top") or 0, repair.get("x0") or 0)

    return sorted(repairs, key=order)


@dataclass
class Figure:
    """A page image of an article with its boxes, or one placeholder for a run of pages without images."""

    page: int  # the first of the run, for a placeholder
    caption: str
    image: PageImage | None = None
    boxes: list[Box] = field(default_factory=list)
    note: str | None = None  # why the pages have no image

    @property
    def pixel_width(self) -> int:
        return round(self.image.width * PAGE_SCALE)

    @property
    def pixel_height(self) -> int:
        return round(self.image.height * PAGE_SCALE)


@dataclass
class ArticleView:
    """One article's section: its pages with boxes beside its figures, dates and entities."""

    article: dict
    meta: list[str]  # author, pages, counts
    figures: list[Figure]
    panels: list[Panel]


def _missing_figure(pages: list[int], view: DocumentView) -> Figure:
    """One placeholder for a run of pages without images: a 20,000-page article is one line, not 20,000."""
    first, last = pages[0], pages[-1]
    label = view.page_labels.get(first)
    caption = f"pages {first}–{last}" if last != first else f"page {first}" + (f" (printed {label})" if label else "")
    return Figure(first, caption, note=view.image_notes.get(first, view.missing_reason))


def _page_figure(page: int, view: DocumentView, boxes: list[Box]) -> Figure:
    label = view.page_labels.get(page)
    return Figure(page, f"page {page}" + (f" (printed {label})" if label else ""), image=view.images[page], boxes=boxes)


def article_view(article: dict, view: DocumentView, state: DecisionState, repair_keys: dict[int, list[tuple[str, dict]]]) -> ArticleView:
    article_id = article["article_id"]
    rows = {kind: view.mentions[kind].get(article_id, []) for kind in KINDS}
    boxed_rows: dict[int, list[tuple[str, dict]]] = defaultdict(list)
    for kind, kind_rows in rows.items():
        for row in kind_rows:
            if _has_box(row):
                boxed_rows[row["page"]].append((kind, row))
    figures: list[Figure] = []
    missing: list[int] = []  # consecutive pages without images, same reason
    for page in sorted(article_pages(article, rows)):
        image = view.images.get(page)
        if image is None:
            note = view.image_notes.get(page, view.missing_reason)
            if missing and (page != missing[-1] + 1 or note != view.image_notes.get(missing[0], view.missing_reason)):
                figures.append(_missing_figure(missing, view))
                missing = []
            missing.append(page)
            continue
        if missing:
            figures.append(_missing_figure(missing, view))
            missing = []
        boxes = []
        for kind, row in boxed_rows.get(page, []):
            key = f"{kind}:{row[ID_COLUMNS[KINDS[kind]]]}"
            boxes.append(box(kind, key, row, image, _mention_title(kind, row), row.get("audit_status")))
        for key, repair in repair_keys.get(page, []):
            title = f"repair {repair.get('rule')}: {repair.get('raw')!r} → {repair.get('fixed')!r} ({repair.get('confidence')})"
            boxes.append(box("repair", key, repair, image, title))
        for number, word in enumerate(view.unsure.get(page, [])):
            title = f"OCR unsure: {word['text']!r} read with confidence {word['confidence']:.2f}"
            boxes.append(box("ocr", f"ocr:{page}:{number}", word, image, title))
        figures.append(_page_figure(page, view, boxes))
    if missing:
        figures.append(_missing_figure(missing, view))
    panels = [
        Panel(kind, f"{article_id}-{KINDS[kind]}", [mention_line(kind, row, state) for row in rows[kind]], hidden=position > 0)
        for position, kind in enumerate(KINDS)
    ]
    meta = [article.get("author"), f"pages {article.get('page_start')}–{article.get('page_end')}", f"{len(rows['figure'])} figures, {len(rows['date'])} dates, {len(rows['entity'])} entities"]
    return ArticleView(article, [part for part in meta if part], figures, panels)


def document_page(view: DocumentView, state: DecisionState) -> str:
    document = view.document
    doc_id = document["doc_id"]
    counts = {kind: sum(len(rows) for rows in view.mentions[kind].values()) for kind in KINDS}
    statuses = Counter(row.get("audit_status") for kind in KINDS for rows in view.mentions[kind].values() for row in rows)
    repairs = view.repairs
    unresolved = sum(1 for repair in repairs if repair.get("fixed") == UNRESOLVED)
    low = sum(1 for repair in repairs if repair.get("fixed") != UNRESOLVED and (repair.get("confidence") or 0) < LOW_CONFIDENCE)
    repair_keys: dict[int, list[tuple[str, dict]]] = defaultdict(list)
    for number, repair in enumerate(repairs):
        if _has_box(repair):
            repair_keys[repair["page"]].append((f"repair:{number}", repair))
    cards = [
        ("articles", len(view.articles), ""),
        ("figures", counts["figure"], ""),
        ("dates", counts["date"], ""),
        ("entities", counts["entity"], ""),
        ("verified", statuses["verified"], "verified"),
        ("corrected", statuses["corrected"], "corrected"),
        ("rejected", statuses["rejected"], "rejected"),
        ("unresolved glyphs", unresolved, "unresolved"),
    ]
    return render(
        "document.html",
        f"audit · {doc_id}",
        decision_bar=True,
        heading=" ".join(part for part in (document.get("newsletter"), document.get("issue_label")) if part) or doc_id,
        document=document,
        warnings=view.warnings,
        tally=cards,
        repairs=repairs,
        crops=view.crops,
        unresolved_repairs=unresolved,
        low_repairs=low,
        articles=[article_view(article, view, state, repair_keys) for article in view.articles],
    )


# --- the index -------------------------------------------------------------------


def rule_precision(tables: dict[str, list[dict]]) -> list[tuple[str, str, int, list[int], float | None]]:
    """Per table and rule: rows, their verified / corrected / rejected counts, and the rule's precision.

    Precision is the share of reviewed rows the auditor verified as they
    were: a corrected row was wrong as extracted, a rejected one should not
    be there.  None until a row of the rule is reviewed.
    """
    rows = []
    for name in KINDS.values():
        by_rule: dict[str, Counter] = defaultdict(Counter)
        for row in tables[name]:
            counter = by_rule[row.get("rule") or "(none)"]
            counter["rows"] += 1
            if row.get("audit_status"):
                counter[row["audit_status"]] += 1
        for rule, counter in sorted(by_rule.items(), key=lambda item: (-item[1]["rows"], item[0])):
            reviewed = sum(counter[status] for status in STATUSES)
            precision = counter["verified"] / reviewed if reviewed else None
            rows.append((name, rule, counter["rows"], [counter[status] for status in STATUSES], precision))
    return rows


def index_page(tables: dict[str, list[dict]], state: DecisionState, out_dir: Path, raw_dir: Path, links: dict[str, str], warnings: list[str]) -> str:
    documents = tables["documents"]
    document_status = Counter(row.get("status") for row in documents)
    live = {name: [row for row in tables[name] if row.get("audit_status") != "rejected"] for name in KINDS.values()}
    units = Counter(row.get("unit") or "(none)" for row in live["figures"])
    audit = {name: Counter(row.get("audit_status") for row in tables[name]) for name in KINDS.values()}
    total_status = Counter()
    for counter in audit.values():
        total_status.update(counter)
    repairs = tables["repairs"]
    unresolved = sum(1 for repair in repairs if repair.get("fixed") == UNRESOLVED)
    low = sum(1 for repair in repairs if repair.get("fixed") != UNRESOLVED and (repair.get("confidence") or 0) < LOW_CONFIDENCE)
    reviewed = sum(total_status[status] for status in STATUSES)
    mentions = sum(len(tables[name]) for name in KINDS.values())
    cards = [
        ("documents", len(documents), ""),
        ("articles", len(tables["articles"]), ""),
        ("figures", len(tables["figures"]), ""),
        ("dates", len(tables["dates"]), ""),
        ("entities", len(tables["entities"]), ""),
        ("verified", total_status["verified"], "verified"),
        ("corrected", total_status["corrected"], "corrected"),
        ("rejected", total_status["rejected"], "rejected"),
        ("not reviewed", mentions - reviewed, ""),
        ("unresolved glyphs", unresolved, "unresolved"),
        ("low-confidence repairs", low, "unresolved" if low else ""),
    ]
    # per table: its count of each status, then of rows not reviewed
    audit_rows = [(name, [audit[name][status] for status in STATUSES], len(tables[name]) - sum(audit[name][s] for s in STATUSES)) for name in KINDS.values()]

    by_doc: dict[str, Counter] = defaultdict(Counter)
    for name in KINDS.values():
        for row in tables[name]:
            by_doc[row["doc_id"]][name] += 1
            if row.get("audit_status"):
                by_doc[row["doc_id"]][row["audit_status"]] += 1
    for repair in repairs:
        if repair.get("fixed") == UNRESOLVED:
            by_doc[repair["doc_id"]]["unresolved"] += 1
    rule_rows = rule_precision(tables)
    count_keys = ("figures", "dates", "entities", "verified", "corrected", "rejected", "unresolved")
    document_rows = [(document, links.get(document["doc_id"]), [by_doc[document["doc_id"]][key] for key in count_keys]) for document in documents]
    return render(
        "index.html",
        "audit report",
        out_dir=out_dir,
        raw_dir=raw_dir,
        generated=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        warnings=warnings,
        documents=documents,
        rule_rows=rule_rows,
        status_line=", ".join(f"{count} {status}" for status, count in sorted(document_status.items())),
        tables=tables,
        total_status=total_status,
        unresolved_repairs=unresolved,
        tally=cards,
        units=sorted(units.items(), key=lambda item: (-item[1], item[0])),
        rejected_figures=audit["figures"]["rejected"],
        audit_rows=audit_rows,
        state=state,
        outcomes=Counter(outcome.outcome for outcome in state.outcomes),
        document_rows=document_rows,
    )


# --- the whole report ---------------------------------------------------------------

STOPPED_EARLY = (
    "This index was written before the page images were drawn. If this line is still here, "
    "the audit stopped before it finished: run `newsletter-extract audit` again (images already drawn are reused)."
)


@dataclass
class DocumentJob:
    """One document's report page: written first from the tables, again once its images are drawn."""

    view: DocumentView
    path: Path  # the report page
    stem: str  # of its image files (see pages.file_stem)
    pdf: Path | None = None  # None: no images to draw
    wanted: list[int] = field(default_factory=list)  # pages to draw, the most useful first
    warnings: list[str] = field(default_factory=list)  # lasting: PDF missing or changed, pages over the limit
    notes: list[str] = field(default_factory=list)  # images not drawn yet, or not in time

    @property
    def doc_id(self) -> str:
        return self.view.document["doc_id"]


def prepare_document(view: DocumentView, audit_dir: Path, raw_dir: Path, password: str | None, max_page_images: int) -> DocumentJob:
    """Find the PDF, choose the pages to draw, and take the images already drawn; nothing is drawn."""
    document = view.document
    stem = file_stem(document["doc_id"])
    job = DocumentJob(view=view, path=audit_dir / f"{stem}.html", stem=stem)
    image_dir = audit_dir / "pages"
    pdf = find_pdf(raw_dir, document.get("source") or "")
    if pdf is None:
        job.warnings.append(f"{document.get('source')} is not in {raw_dir}: no page images (pass --raw RAW_DIR)")
        return job
    try:
        sha256 = sha256_of(pdf)
        if document.get("sha256") and sha256 != document["sha256"]:
            job.warnings.append(f"{pdf} has changed since the tables were extracted: boxes may be off; re-run make extract")
        n_pages = page_count(pdf, password)
        order = pages_by_use(view, n_pages)
        job.wanted, over_limit = order[:max_page_images], order[max_page_images:]
        clear_stale_images(image_dir, stem, sha256)
        view.images = {image.page: image for image in existing_pages(pdf, image_dir, stem, job.wanted, password)}
    except Exception as error:  # a PDF pdfium cannot open: the tables still show
        job.warnings.append(f"{pdf}: no page images: {type(error).__name__}: {error}")
        view.missing_reason = "pdfium cannot draw the PDF"
        return job
    job.pdf = pdf
    if over_limit:
        job.warnings.append(
            f"page images for {page_ranges(over_limit)} not rendered: over the limit of {max_page_images}; "
            f"run `newsletter-extract audit --max-page-images {n_pages}` to draw them all"
        )
        view.image_notes.update(dict.fromkeys(over_limit, f"over the limit of {_count(max_page_images, 'page image')}"))
    not_yet = [page for page in job.wanted if page not in view.images]
    if not_yet:
        job.notes = [f"page images for {page_ranges(not_yet)} not drawn yet: if this line is still here, the audit stopped before them; run it again"]
        view.image_notes.update(dict.fromkeys(not_yet, "not drawn yet"))
    return job


def draw_document(job: DocumentJob, image_dir: Path, password: str | None, max_page_images: int, deadline: float | None, time_limit: float) -> bool:
    """Draw the missing page images and the glyph crops until ``deadline``; True when the page must be written again."""
    view = job.view
    boxed = [repair for repair in view.repairs if _has_box(repair)]
    if job.pdf is None or (not boxed and not job.notes):
        return False
    job.notes = []
    boxes = [GlyphBox(r["page"], r["x0"], r["top"], r["x1"], r["bottom"]) for r in boxed]
    try:
        view.images = {image.page: image for image in render_pages(job.pdf, image_dir, job.stem, job.wanted, password, deadline=deadline)}
        made = iter(glyph_crops(job.pdf, boxes, password, max_pages=max_page_images, deadline=deadline))
        view.crops = [next(made) if _has_box(repair) else "" for repair in view.repairs]
    except Exception as error:  # pdfium opened the PDF before but fails on a page: the tables still show
        job.warnings.append(f"{job.pdf}: page images stopped: {type(error).__name__}: {error}")
    late = [page for page in job.wanted if page not in view.images]
    out_of_time = f"the time limit of {time_limit:g} s ran out; run `newsletter-extract audit` again (images already drawn are reused) or raise --time-limit"
    if late:
        job.notes.append(f"page images for {page_ranges(late)} not rendered: {out_of_time}")
        view.image_notes.update(dict.fromkeys(late, f"the time limit of {time_limit:g} s ran out"))
    crop_pages = list(dict.fromkeys(box.page for box in boxes))
    over_limit = set(crop_pages[max_page_images:])
    if over_limit:
        job.warnings.append(
            f"glyph crops for {_count(sum(box.page in over_limit for box in boxes), 'repair')} on {_count(len(over_limit), 'page')} not drawn: "
            f"over the limit of {max_page_images} pages; run `newsletter-extract audit --max-page-images {len(crop_pages)}`"
        )
    if deadline is not None and time.monotonic() >= deadline:
        uncropped = sum(1 for repair, crop in zip(view.repairs, view.crops) if _has_box(repair) and not crop and repair["page"] not in over_limit)
        if uncropped:
            job.notes.append(f"glyph crops for {_count(uncropped, 'repair')} not drawn: {out_of_time}")
    return True


def write_document_page(job: DocumentJob, state: DecisionState) -> None:
    job.view.warnings = job.warnings + job.notes
    write_report_file(job.path, document_page(job.view, state).encode("utf-8"))



def build_report(
    out_dir: Path, raw_dir: Path, password: str | None = None, max_page_images: int = MAX_PAGE_IMAGES, time_limit: float = TIME_LIMIT
) -> ReportResult:
    """Write ``OUT_DIR/audit/index.html`` and ``OUT_DIR/audit/DOCID.html`` per document.

    First every page from the tables and the images already drawn, then the
    index; then the missing page images, at most ``max_page_images`` per
    document (pages with boxes first) and none after ``time_limit`` seconds
    (0: no limit), each document's page written again; last the index again.
    """
    out_dir, raw_dir = Path(out_dir), Path(raw_dir)
    tables = load_tables(out_dir)
    audit_dir = out_dir / "audit"
    audit_dir.mkdir(parents=True, exist_ok=True)
    try:
        ensure_decisions_file(out_dir)
        state = decision_state(out_dir, tables)
    except DecisionsFileError as error:  # it could not be created
        state = DecisionState(path=decisions_path(out_dir), error=str(error))
    result = ReportResult(index=audit_dir / "index.html")
    if state.error:  # the report is built all the same; the reason goes on stderr too
        result.warnings.append(f"decisions not read: {state.error}")

    grouped: dict[str, dict[str, dict[str, list[dict]]]] = {kind: defaultdict(lambda: defaultdict(list)) for kind in KINDS}
    for kind, name in KINDS.items():
        # figures whose digits OCR was unsure of first, then in reading order
        for row in sorted(tables[name], key=lambda r: (not _unsure_digits(r), r.get("char_start") is None, r.get("char_start") or 0)):
            grouped[kind][row["doc_id"]][row["article_id"]].append(row)
    articles_by_doc = defaultdict(list)
    for article in sorted(tables["articles"], key=lambda a: a.get("seq") or 0):
        articles_by_doc[article["doc_id"]].append(article)
    repairs_by_doc = defaultdict(list)
    for repair in tables["repairs"]:
        repairs_by_doc[repair["doc_id"]].append(repair)
    labels_by_doc = defaultdict(dict)
    unsure_by_doc = defaultdict(dict)
    for page in tables["pages"]:
        if page.get("page_index") is not None:
            labels_by_doc[page["doc_id"]][page["page_index"] + 1] = page.get("page_label")
            if page.get("ocr_unsure"):
                unsure_by_doc[page["doc_id"]][page["page_index"] + 1] = parse_unsure(page["ocr_unsure"])

    jobs: list[DocumentJob] = []
    for document in tables["documents"]:
        doc_id = document["doc_id"]
        if document.get("status") == "failed":
            continue
        view = DocumentView(
            document=document,
            articles=articles_by_doc[doc_id],
            mentions={kind: grouped[kind][doc_id] for kind in KINDS},
            repairs=sort_repairs(repairs_by_doc[doc_id]),
            page_labels=labels_by_doc[doc_id],
            unsure=unsure_by_doc[doc_id],
            images={},
            crops=[],
            warnings=[],
        )
        job = prepare_document(view, audit_dir, raw_dir, password, max_page_images)
        write_document_page(job, state)
        jobs.append(job)
        result.documents.append(job.path)
    links = {job.doc_id: job.path.name for job in jobs}

    global_warnings = []
    if state.unapplied:
        global_warnings.append(f"{_count(len(state.unapplied), 'decision')} in decisions.csv match nothing now (see Decisions below)")
    # the index before the images: an audit stopped while drawing leaves a report that opens
    lasting = [f"{job.doc_id}: {warning}" for job in jobs for warning in job.warnings]
    early = index_page(tables, state, out_dir, raw_dir, links, [STOPPED_EARLY, *result.warnings, *lasting, *global_warnings])
    write_report_file(result.index, early.encode("utf-8"), durable=True)
    deadline = time.monotonic() + time_limit if time_limit else None
    for job in jobs:
        if draw_document(job, audit_dir / "pages", password, max_page_images, deadline, time_limit):
            write_document_page(job, state)
        job.view.crops = []  # written: the data URIs need not stay in memory
        result.warnings.extend(f"{job.doc_id}: {warning}" for warning in job.warnings + job.notes)
    write_report_file(result.index, index_page(tables, state, out_dir, raw_dir, links, result.warnings + global_warnings).encode("utf-8"), durable=True)
    return result


def _unsure_digits(row: dict) -> bool:
    """A figure read by OCR whose least sure digit is below :data:`pipeline.ocr.LOW_CONFIDENCE`."""
    from pipeline.ocr import LOW_CONFIDENCE

    value = row.get("ocr_confidence")
    return isinstance(value, (int, float)) and value == value and value < LOW_CONFIDENCE
