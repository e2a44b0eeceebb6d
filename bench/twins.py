"""A damaged PDF and its clean twin, read by the pipeline and lined up glyph by glyph.

The shared corpus pairs every damaged newsletter (``NAME.pdf``) with a clean
twin (``NAME.clean.pdf``): the same layout with intact fonts, so each glyph of
the damaged file is drawn where its true character is drawn in the twin.
Both are read through extract and repair (:func:`pipeline.run.read_document`);
the twin's *extracted* text (``char.raw or char.text``) is the truth, so a
repair that went wrong on the twin cannot make itself right here.

How glyphs are paired, page by page:

* Every glyph of the damaged file is a :class:`Glyph`: the final glyphs of
  ``document.pages[i].lines[j].chars``, and the glyphs a repair dropped
  (``fixed == ""``), which are rebuilt from their repair rows.  Repair rows
  are attached to their glyph by box (page, x0, top, x1, bottom, rounded to
  0.01 pt): repairs copy the box of the glyph they change.
* A clean glyph's partner is the damaged glyph whose ``x0`` and ``top`` are
  within :data:`TOLERANCE` of its own.  Where several are (a ghost glyph is
  drawn with no advance at the left edge of the bracket it precedes), the one
  of the same width wins, then the nearest.  Each glyph pairs at most once.
* A damaged glyph left without a partner is an extra: its truth is ``""``,
  "no character".  An extra drawn within a point of a paired glyph with the
  same extracted text and width is a fake-bold copy (Word draws the heading
  again 0.4 pt to the right); it *draws* its neighbour's character.
* A clean glyph left without a partner is counted (``unmatched_clean``):
  none on the shared files today.  One would appear where ftfy merges
  several glyphs into one (``encoding_mojibake``): the merged glyph keeps
  the first one's place.

``Glyph.truth`` is what the final text should have at the glyph's place;
``Glyph.draws`` is which character the glyph's shape is (the truth, a
copy's original, or ``""`` for a ghost).  A repair that changes a glyph's
text is judged against ``draws``, a repair that drops one against ``truth``
(see ``bench/repair_precision.py``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.records import Char, Document, Repair
from pipeline.run import read_document

#: Points two drawings of one glyph may lie apart (float noise is ~1e-6 pt;
#: fake-bold copies stand 0.4 pt off, so they stay apart).
TOLERANCE = 0.1
#: How far a fake-bold copy may stand from the glyph it doubles.
COPY_DISTANCE = 1.0
SPACES = (" ", "\u3000")


@dataclass
class Glyph:
    """One glyph of the damaged file, as the pipeline left it, with the truth at its place."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    raw: str  # what extraction gave
    final: str  # the text after repair; "" when repair dropped the glyph
    font: str  # font name without the subset tag ("" when the glyph was dropped and has no partner)
    truth: str = ""  # the clean twin's text at this place; "" where the twin draws nothing (an extra glyph)
    draws: str = ""  # the character the glyph's shape is: ``truth``, a fake-bold copy's original, "" for a ghost
    partner: Char | None = None  # the clean twin's glyph
    copy_of: Glyph | None = None  # for a fake-bold copy, the glyph it doubles
    repairs: list[Repair] = field(default_factory=list)  # in the order they were made

    @property
    def dropped(self) -> bool:
        return self.final == ""

    @property
    def right(self) -> bool:
        """The final text is the truth (a space and U+3000 count as one; see :func:`same_text`)."""
        return same_text(self.final, self.truth)


@dataclass
class Alignment:
    """A damaged PDF and its clean twin, glyph by glyph."""

    damaged_path: Path
    clean_path: Path
    damaged: Document
    clean: Document
    glyphs: list[Glyph]  # every glyph of the damaged file: final ones and dropped ones
    repairs: list[tuple[Repair, Glyph]]  # every repair row of the damaged file with its glyph
    unmatched_clean: list[Char]  # clean glyphs no damaged glyph stands for
    unplaced_repairs: list[Repair]  # repair rows whose box is no glyph's (none expected)

    @property
    def final_glyphs(self) -> list[Glyph]:
        return [glyph for glyph in self.glyphs if not glyph.dropped]

    @property
    def extras(self) -> list[Glyph]:
        return [glyph for glyph in self.glyphs if glyph.partner is None]

    def repair_truths(self) -> list[tuple[Repair, str, str]]:
        """Every repair row with the truth at its place and the character its glyph draws."""
        return [(repair, glyph.truth, glyph.draws) for repair, glyph in self.repairs]

    def glyph_truths(self) -> list[tuple[str, str]]:
        """Every final glyph's text with the truth at its place."""
        return [(glyph.final, glyph.truth) for glyph in self.final_glyphs]


def same_text(found: str, truth: str) -> bool:
    """Equal, counting a space and an ideographic space (U+3000) as one.

    The damage maps space glyphs elsewhere, and the repair stage can tell a
    glyph is blank but not how wide a blank it is: either space is right.
    """
    return found == truth or (found in SPACES and truth in SPACES)


def twin_of(damaged: Path) -> Path:
    return damaged.with_name(damaged.name.removesuffix(".pdf") + ".clean.pdf")


def damaged_pdfs(folder: Path) -> list[Path]:
    """The damaged PDFs of a corpus folder that have a clean twin."""
    return [path for path in sorted(folder.glob("*.pdf")) if not path.name.endswith(".clean.pdf") and twin_of(path).exists()]


def align(damaged_path: Path, clean_path: Path | None = None) -> Alignment:
    """Read ``damaged_path`` and its clean twin through extract and repair and pair their glyphs."""
    clean_path = clean_path or twin_of(damaged_path)
    damaged, _ = read_document(damaged_path)
    clean, _ = read_document(clean_path)
    if damaged.status == "failed" or clean.status == "failed":
        raise ValueError(f"cannot align {damaged_path.name}: {damaged.error or clean.error}")
    glyphs, unplaced = _glyphs_with_repairs(damaged)
    truths = _extracted_glyphs(clean)
    unmatched = _pair(glyphs, truths)
    _find_copies(glyphs)
    repairs = [(repair, glyph) for glyph in glyphs for repair in glyph.repairs]
    order = {id(repair): index for index, repair in enumerate(damaged.repairs)}
    repairs.sort(key=lambda pair: order[id(pair[0])])
    return Alignment(damaged_path, clean_path, damaged, clean, glyphs, repairs, unmatched, unplaced)


def _box_key(page: int, x0: float, top: float, x1: float, bottom: float) -> tuple:
    return (page, round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))


def _glyphs_with_repairs(document: Document) -> tuple[list[Glyph], list[Repair]]:
    """The damaged file's glyphs, final and dropped, each with the repairs made to it."""
    glyphs: list[Glyph] = []
    by_box: dict[tuple, list[Glyph]] = defaultdict(list)
    for page in document.pages:
        for line in page.lines:
            for char in line.chars:
                glyph = Glyph(char.page, char.x0, char.top, char.x1, char.bottom, char.raw or char.text, char.text, font_family(char.fontname))
                glyphs.append(glyph)
                by_box[_box_key(char.page, char.x0, char.top, char.x1, char.bottom)].append(glyph)
    unplaced: list[Repair] = []
    pending: dict[tuple, list[Repair]] = defaultdict(list)  # repairs of a box not yet known to be a glyph
    for repair in document.repairs:
        key = _box_key(repair.page, repair.x0, repair.top, repair.x1, repair.bottom)
        if repair.fixed == "":  # a dropped glyph: the drop and the repairs before it on this box are its own
            glyph = Glyph(repair.page, repair.x0, repair.top, repair.x1, repair.bottom, repair.raw, "", "")
            glyph.repairs = pending.pop(key, []) + [repair]
            glyph.raw = glyph.repairs[0].raw
            glyphs.append(glyph)
        else:
            pending[key].append(repair)
    for key, repairs in pending.items():
        owners = by_box.get(key)
        if owners:
            owners[0].repairs.extend(repairs)
        else:
            unplaced.extend(repairs)
    glyphs.sort(key=lambda glyph: (glyph.page, glyph.top, glyph.x0))
    return glyphs, unplaced


def _extracted_glyphs(document: Document) -> list[Char]:
    """The clean twin's glyphs with their extracted text, dropped ones included."""
    chars = [char for page in document.pages for line in page.lines for char in line.chars]
    truths = [Char(char.raw or char.text, char.fontname, char.size, char.x0, char.top, char.x1, char.bottom, char.page) for char in chars]
    truths += [
        Char(repair.raw, "", 0.0, repair.x0, repair.top, repair.x1, repair.bottom, repair.page) for repair in document.repairs if repair.fixed == ""
    ]
    return truths


def _pair(glyphs: list[Glyph], truths: list[Char]) -> list[Char]:
    """Give each clean glyph its damaged partner; return the clean glyphs left without one."""
    grid: dict[tuple[int, int, int], list[Glyph]] = defaultdict(list)
    for glyph in glyphs:
        grid[(glyph.page, round(glyph.x0), round(glyph.top))].append(glyph)
    unmatched: list[Char] = []
    for truth in truths:
        column, row = round(truth.x0), round(truth.top)
        candidates = [
            glyph
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for glyph in grid.get((truth.page, column + dx, row + dy), ())
            if glyph.partner is None and abs(glyph.x0 - truth.x0) <= TOLERANCE and abs(glyph.top - truth.top) <= TOLERANCE
        ]
        if not candidates:
            unmatched.append(truth)
            continue
        width = truth.x1 - truth.x0
        best = min(candidates, key=lambda g: (abs((g.x1 - g.x0) - width), abs(g.x0 - truth.x0) + abs(g.top - truth.top)))
        best.partner, best.truth, best.draws = truth, truth.text, truth.text
        if not best.font:
            best.font = font_family(truth.fontname)
    return unmatched


def _find_copies(glyphs: list[Glyph]) -> None:
    """Mark the extras that double a paired glyph (fake bold): they draw its character."""
    paired = defaultdict(list)
    for glyph in glyphs:
        if glyph.partner is not None:
            paired[(glyph.page, glyph.raw)].append(glyph)
    for extra in glyphs:
        if extra.partner is not None:
            continue
        width = extra.x1 - extra.x0
        for original in paired.get((extra.page, extra.raw), ()):
            if (
                abs(original.x0 - extra.x0) <= COPY_DISTANCE
                and abs(original.top - extra.top) <= COPY_DISTANCE
                and abs((original.x1 - original.x0) - width) <= TOLERANCE
                and width > 0
            ):
                extra.copy_of, extra.draws = original, original.truth
                extra.font = extra.font or original.font
                break


def font_family(fontname: str) -> str:
    """``ABCDEF+IPAexMincho`` -> ``IPAexMincho``: subset tags differ between the twins."""
    head, plus, rest = fontname.partition("+")
    return rest if plus and len(head) == 6 and head.isupper() else fontname
