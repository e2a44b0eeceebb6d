"""The document's own glyphs whose text is known, as shapes to compare unknown glyphs with.

A newsletter sets its headings, body and captions in a few related faces
(a gothic and a mincho, a regular and a bold); most characters of a
heading also occur in the body.  So the glyphs the document decodes
reliably are the best reference for the ones it does not: a heading
glyph whose outline is identical to a body glyph's is that character, and
one that merely looks like it (same character, other weight) scores far
higher against it than against any other character.  No installed font
is needed: the evidence is in the PDF.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import numpy as np

from pipeline.records import Document
from pipeline.repair.font_maps import FontBook
from pipeline.repair.glyphs import UNRESOLVED
from pipeline.repair.glyph_shapes import GlyphShape, likeness
from pipeline.repair.radicals import unified_ideograph

TRUSTED_MAPS = ("trusted", "simple")


@dataclass(frozen=True)
class Match:
    """The bank's best text for a shape, how well it matches, and by how much it beats the next text."""

    text: str
    score: float
    margin: float
    scores: dict[str, float]  # best score per text, for every text the bank holds


@dataclass
class GlyphBank:
    """Known glyphs of one document: their texts by exact outline, and pictures to compare."""

    by_signature: dict[str, set[str]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    pictures: np.ndarray | None = None
    layouts: np.ndarray | None = None

    def same_outline(self, shape: GlyphShape | None) -> str | None:
        """The text of a known glyph with exactly this outline, if the known glyphs agree on one."""
        signature = shape.signature if shape is not None else None
        texts = self.by_signature.get(signature) if signature else None
        if not texts:
            return None
        folded = {unicodedata.normalize("NFKC", text) for text in texts}
        return min(texts) if len(texts) == 1 or len(folded) == 1 else None

    def match(self, shape: GlyphShape | None) -> Match | None:
        """The known text whose pictures look most like this shape."""
        if shape is None or self.pictures is None or not self.texts:
            return None
        similarities = likeness(self.pictures, self.layouts, shape)
        if similarities is None:
            return None
        best: dict[str, float] = {}
        for text, score in zip(self.texts, similarities.tolist()):
            if score > best.get(text, -1.0):
                best[text] = score
        ranked = sorted(best.items(), key=lambda item: -item[1])
        if not ranked:  # no picture was comparable (NaN likeness): no match, not a guess
            return None
        text, score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        return Match(text, score, score - runner_up, best)


def build_bank(document: Document, fonts: FontBook) -> GlyphBank:
    """Every glyph of the document whose text its font's map (or name) gives reliably."""
    known: dict[tuple[str, int], str | None] = {}
    for page in document.pages:
        for line in page.lines:
            for char in line.chars:
                if not _reliable(char, fonts):
                    continue
                key = (char.font_key, char.cid)
                if known.get(key, char.text) != char.text:
                    known[key] = None  # one glyph, two texts: not evidence
                elif key not in known:
                    known[key] = char.text
    bank = GlyphBank()
    pictures, layouts = [], []
    for (font_key, cid), text in known.items():
        if text is None:
            continue
        shape = fonts.evidence(font_key).shape(cid)
        if shape is None or shape.empty:
            continue
        bank.by_signature.setdefault(shape.signature, set()).add(text)
        picture = shape.picture()
        if picture is not None:
            bank.texts.append(text)
            pictures.append(picture)
            layouts.append(shape.layout())
    if pictures:
        bank.pictures = np.vstack(pictures)
        bank.layouts = np.vstack(layouts)
    return bank


def _reliable(char, fonts: FontBook) -> bool:
    """A glyph whose text came from a trusted map untouched (or folded from a radical), or from its name."""
    if char.cid is None or char.font_key is None or len(char.text) != 1:
        return False
    if char.text.isspace() or char.text == UNRESOLVED or unicodedata.category(char.text)[0] in ("C", "M"):
        return False
    evidence = fonts.evidence(char.font_key)
    if evidence is None or evidence.program is None:
        return False
    if char.raw is None or unified_ideograph(char.raw) == char.text:
        return evidence.map_verdict in TRUSTED_MAPS
    verdict = evidence.verdicts.get(evidence.gid(char.cid))
    return verdict is not None and verdict.text == char.text and verdict.confidence >= 0.95
