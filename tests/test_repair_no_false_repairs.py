"""Repair leaves correct text alone: no false repairs where nothing is broken.

Two sets of PDFs whose extracted text is already right:

* every ``.clean.pdf`` of ``../shared/corpus/newsletters/`` and
  ``../shared/corpus/newsletters-fonts/``: the damaged issues' twins, same
  layout, intact fonts (no remapped glyphs, no ghosts, no fake bold);
* the real Japanese PDFs of ``../shared/corpus/real-ja/`` whose characters
  pdfplumber gives right (SOURCES.md there: "yes", or "partial" where only
  the reading order or missing Latin words are wrong).  Left out: those
  with ``(cid:N)``, U+FFFD or symbol-soup digits (issue16176, issue7696,
  kampo, the youroku minutes, flat-report-r5sp), and the 247-page kokuji
  (time; ``make bench`` reads it).

What is asserted, per file: the glyphs after repair are the glyphs the
extract stage gave (``read_pages`` then ``build_lines``, which is what
``read_document`` hands to repair), one for one by box, each with the same
text, and ``document.repairs`` is empty; so no glyph is changed, dropped or
merged, logged or not.  No whitespace normalisation is allowed for either:
nothing broken means nothing to normalise.  The one exception, on the real
files only, is a Kangxi or CJK-supplement radical turned into the unified
ideograph Unicode names as its equivalent (``radical_to_ideograph``): the
radical block is for dictionaries of radicals, and in running Japanese text
it is a kanji a font's map sent there (issue15340's ``⼀つ``, which pdf.js
and poppler also give as U+2F00).  Compatibility ideographs (issue8570's
U+F9E4 理) and full-width forms are not radicals and must stay as drawn.

Files are read once per module (about 10 s for all).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import NEWSLETTERS, REAL_JA, SHARED, need_shared

FONT_MATRIX = SHARED / "corpus" / "newsletters-fonts"
TWIN_FOLDERS = (NEWSLETTERS, FONT_MATRIX)

#: Real PDFs whose every character pdfplumber extracts right (see the docstring).
INTACT_REAL_JA = (
    "pdfjs__90ms_rksj_h_sample.pdf",
    "pdfjs__issue13343.pdf",
    "pdfjs__issue15340.pdf",
    "pdfjs__issue16063.pdf",
    "pdfjs__issue16538.pdf",
    "pdfjs__issue5202.pdf",
    "pdfjs__issue6387.pdf",
    "pdfjs__issue8570.pdf",
    "pdfjs__javauninstall-7r.pdf",
    "pdfjs__noembed-identity.pdf",
    "pdfjs__vertical.pdf",
    "pdfminer__jo.pdf",
    "pdfminer__nlp2004slides.pdf",
    "saka1029-pdf__0000196315-1-2.pdf",
    "saka1029-pdf__0000196315-379-380.pdf",
    "shinryo__001219505.pdf",
    "shinryo__001689078.pdf",
    "yasutake__20220909-ippan-situmon-yasutake-1.pdf",
    "yasutake__hamura-taxi.pdf",
)


def _clean_twins() -> list:
    found = [(folder, pdf.name) for folder in TWIN_FOLDERS for pdf in sorted(folder.glob("*.clean.pdf"))]
    # without the corpus, one case that skips with the reason
    return [pytest.param(folder, name, id=f"{folder.name}/{name}") for folder, name in found] or [pytest.param(NEWSLETTERS, None, id="absent")]


@pytest.fixture(scope="module")
def read_twice():
    """``read(path)`` -> (extracted glyphs, document after repair), each file read once."""
    from pipeline.extract.layout import build_lines
    from pipeline.extract.pdf import read_pages
    from pipeline.run import read_document

    cache: dict[Path, tuple] = {}

    def read(path: Path):
        if path not in cache:
            extracted = [char for page in read_pages(path) for line in build_lines(page.chars, page.width) for char in line.chars]
            document, _ = read_document(path)
            cache[path] = (extracted, document)
        return cache[path]

    return read


def _box(char) -> tuple:
    return (char.page, round(char.x0, 3), round(char.top, 3), round(char.x1, 3), round(char.bottom, 3))


def _differences(extracted, document) -> dict[tuple, tuple[str, str]]:
    """Every box whose text repair changed, dropped or added: box -> (extracted text, final text)."""
    before = Counter((_box(char), char.text) for char in extracted)
    after = Counter((_box(char), char.text) for page in document.pages for line in page.lines for char in line.chars)
    changed: dict[tuple, list[str]] = {}
    for side, counts in enumerate((before - after, after - before)):
        for (box, text), count in counts.items():
            changed.setdefault(box, ["", ""])[side] += text * count
    return {box: (old, new) for box, (old, new) in sorted(changed.items())}


def _shown(differences: dict[tuple, tuple[str, str]]) -> list[str]:
    return [f"page {box[0] + 1} ({box[1]}, {box[2]}): {old!r} -> {new!r}" for box, (old, new) in differences.items()]


def _shown_repair(repair) -> str:
    return f"page {repair.page + 1} ({repair.x0:.2f}, {repair.top:.2f}) {repair.rule}: {repair.raw!r} -> {repair.fixed!r}"


def _is_radical_fold(repair) -> bool:
    from pipeline.repair.radicals import unified_ideograph

    return repair.rule == "radical_to_ideograph" and unified_ideograph(repair.raw) == repair.fixed


@pytest.mark.parametrize("folder, name", _clean_twins())
def test_clean_twin_is_left_as_extracted(read_twice, folder, name):
    """Intact fonts: not one repair, and every glyph's final text is its extracted text."""
    need_shared(folder)
    extracted, document = read_twice(folder / name)
    assert document.status != "failed", document.error
    assert extracted, "no glyphs extracted"
    assert [_shown_repair(repair) for repair in document.repairs] == []
    assert _shown(_differences(extracted, document)) == []


@pytest.mark.parametrize("name", INTACT_REAL_JA)
def test_intact_real_pdf_is_left_as_extracted(read_twice, name):
    """Only radicals become the kanji they stand for; every other glyph keeps its extracted text."""
    need_shared(REAL_JA)
    extracted, document = read_twice(REAL_JA / name)
    assert document.status != "failed", document.error
    assert [_shown_repair(repair) for repair in document.repairs if not _is_radical_fold(repair)] == []
    folds = {(r.page, round(r.x0, 3), round(r.top, 3)): (r.raw, r.fixed) for r in document.repairs if _is_radical_fold(r)}
    unexplained = {box: change for box, change in _differences(extracted, document).items() if folds.get(box[:3]) != change}
    assert _shown(unexplained) == []


def test_radical_in_running_text_is_folded(read_twice):
    """issue15340's ``⼀つ`` (U+2F00) is the kanji 一: the one repair an intact real file needs."""
    need_shared(REAL_JA)
    _, document = read_twice(REAL_JA / "pdfjs__issue15340.pdf")
    assert [(r.raw, r.fixed, r.rule) for r in document.repairs] == [("⼀", "一", "radical_to_ideograph")]


def test_compatibility_ideograph_is_kept(read_twice):
    """issue8570's 理 is U+F9E4 as drawn; NFKC would make it U+7406, and repair must not."""
    need_shared(REAL_JA)
    _, document = read_twice(REAL_JA / "pdfjs__issue8570.pdf")
    text = "".join(char.text for page in document.pages for line in page.lines for char in line.chars)
    assert "\uf9e4" in text
    assert document.repairs == []
