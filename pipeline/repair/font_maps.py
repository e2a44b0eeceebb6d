"""Font-level repairs: undo broken ToUnicode maps with the font program's evidence.

The verdicts are learned once per font (:mod:`font_evidence`) and applied
to every glyph drawn with it, so a glyph identified once is identified
everywhere that font is used.  Each change is logged as a repair.
"""

from __future__ import annotations

from dataclasses import replace

from pdfminer.pdffont import PDFFont

from pipeline.records import Char, FontReport, Repair
from pipeline.repair.font_evidence import FontEvidence


class FontBook:
    """The document's fonts, each studied on first use."""

    def __init__(self):
        self._fonts: dict[str, PDFFont] = {}
        self._evidence: dict[str, FontEvidence] = {}

    def add(self, fonts: dict[str, PDFFont] | None) -> None:
        if fonts:
            self._fonts.update(fonts)

    def reports(self) -> list[FontReport]:
        """Every font studied so far, with the verdict on its map and why."""
        return [FontReport(key, **self.evidence(key).summary()) for key in self._fonts]

    def evidence(self, key: str | None) -> FontEvidence | None:
        if key is None or key not in self._fonts:
            return None
        if key not in self._evidence:
            self._evidence[key] = FontEvidence(key, self._fonts[key])
        return self._evidence[key]


def repair_font_maps(chars: list[Char], fonts: FontBook | None, repairs: list[Repair]) -> list[Char]:
    """Replace (or drop) glyphs whose map the font program contradicts."""
    if fonts is None:
        return chars
    out: list[Char] = []
    for char in chars:
        evidence = fonts.evidence(char.font_key)
        verdict = evidence.verdict_for(char.cid, char.text, char.x1 - char.x0) if evidence else None
        if verdict is None or verdict.text == char.text:
            out.append(with_ink(char, evidence))
            continue
        repairs.append(
            Repair(char.page, char.x0, char.top, char.x1, char.bottom, char.text, verdict.text, verdict.rule, verdict.confidence, char.font_key)
        )
        if verdict.text:
            out.append(with_ink(replace(char, text=verdict.text, raw=char.raw or char.text), evidence))
    return out


def with_ink(char: Char, evidence: FontEvidence | None) -> Char:
    """A digit with its outline's top and bottom on the page, which tell a superscript figure
    (drawn full size, raised in its outline) from a digit on the baseline.  Only digits:
    they are what footnote markers are made of, and drawing every glyph would cost time."""
    if evidence is None or char.baseline is None or not char.text.isdigit():
        return char
    shape = evidence.shape(char.cid)
    ink = shape.ink if shape is not None else None
    if ink is None:
        return char
    return replace(char, ink_top=char.baseline - ink[3] * char.size, ink_bottom=char.baseline - ink[1] * char.size)
