"""A glyph's outline as evidence: its exact identity, its ink, and a picture to compare.

The embedded font program is the one thing a broken ToUnicode map cannot
touch.  Three facts are read from each outline, in em units so that
glyphs of different fonts (and different units per em) line up:

* ``signature``: the outline's points, rounded to a thousandth of an em.
  Two subsets of one font program (Word's ``,Bold`` subset of a font that
  has no bold face, a heading and a body subset) draw a character with
  the same points, so equal signatures mean the same character.
* ``ink``: the outline's box.  A glyph without ink is no character; a
  glyph whose ink is a small dot cannot be a kanji.
* ``picture`` and ``layout``: the outline filled (even-odd, which keeps
  the counters of 口 and 8 open) on a small grid it fills, blurred and
  normalised, and apart from it the ink's size and height in the em and
  the advance, so that the same character in another weight or face of
  the document's fonts scores high, while a different character scores
  low (:func:`likeness`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from fontTools.pens.basePen import BasePen
from PIL import Image, ImageChops, ImageDraw, ImageFilter

PICTURE_SIZE = 40  # grid cells per em; enough to tell 末 from 未 after the blur
_SUPERSAMPLE = 2
_EM_TOP, _EM_BOTTOM = 0.95, -0.2  # the grid's em window above and below the baseline
_CURVE_STEPS = 6


class OutlinePen(BasePen):
    """Each contour as points, curves flattened into short segments."""

    def __init__(self, glyph_set):
        super().__init__(glyph_set)
        self.contours: list[list[tuple[float, float]]] = []

    def _moveTo(self, point):
        self.contours.append([point])

    def _lineTo(self, point):
        self.contours[-1].append(point)

    def _curveToOne(self, p1, p2, p3):
        p0 = self.contours[-1][-1]
        for step in range(1, _CURVE_STEPS + 1):
            t = step / _CURVE_STEPS
            u = 1 - t
            self.contours[-1].append(
                (
                    u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                    u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
                )
            )

    def _qCurveToOne(self, p1, p2):
        p0 = self.contours[-1][-1]
        for step in range(1, _CURVE_STEPS + 1):
            t = step / _CURVE_STEPS
            u = 1 - t
            self.contours[-1].append((u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0], u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1]))

    def _closePath(self):
        pass


@dataclass(frozen=True)
class GlyphShape:
    """One glyph's outline in em units (baseline at 0, y up)."""

    contours: tuple[tuple[tuple[float, float], ...], ...]
    advance: float  # em

    @property
    def empty(self) -> bool:
        return not self.drawn

    @cached_property
    def drawn(self) -> tuple[tuple[tuple[float, float], ...], ...]:
        """The contours that enclose ink (three points or more; a pen's stray moves are not)."""
        return tuple(contour for contour in self.contours if len(contour) > 2)

    @cached_property
    def ink(self) -> tuple[float, float, float, float] | None:
        """``(x0, y0, x1, y1)`` of the outline in em, or ``None`` when it draws nothing."""
        points = [point for contour in self.contours for point in contour]
        if self.empty:
            return None
        xs, ys = [x for x, _ in points], [y for _, y in points]
        return min(xs), min(ys), max(xs), max(ys)

    @cached_property
    def signature(self) -> str | None:
        """Equal for the same outline in any subset of the same font program."""
        if self.empty:
            return None
        text = ";".join(",".join(f"{round(x * 1000)}:{round(y * 1000)}" for x, y in contour) for contour in self.contours)
        return hashlib.sha1(text.encode()).hexdigest()[:20]

    def holds(self, other: GlyphShape, strictly: bool = True) -> bool:
        """Whether every contour of ``other`` is one of this outline's, point for point (to a
        thousandth of an em, which absorbs CFF's fixed-point noise): é holds e."""
        mine, theirs = self.drawn, other.drawn
        if not theirs or len(theirs) > len(mine) or (strictly and len(theirs) == len(mine)):
            return False
        free = list(mine)
        for contour in theirs:
            match = next((candidate for candidate in free if _same_contour(candidate, contour)), None)
            if match is None:
                return False
            free.remove(match)
        return True

    def same_outline(self, other: GlyphShape) -> bool:
        return self.holds(other, strictly=False) and len(self.drawn) == len(other.drawn)

    def is_ringed(self) -> bool:
        """Whether one round contour encloses all the others: ① ㊤ ○ O, not ゆ or 国.

        Round: every point of the outer contour lies within a tenth of the
        mean radius of its centre.
        """
        return self._ringed

    @cached_property
    def _ringed(self) -> bool:
        drawn = self.drawn
        if len(drawn) < 2:
            return False
        boxes = [(min(x for x, _ in c), min(y for _, y in c), max(x for x, _ in c), max(y for _, y in c)) for c in drawn]
        outer = max(range(len(drawn)), key=lambda i: (boxes[i][2] - boxes[i][0]) * (boxes[i][3] - boxes[i][1]))
        x0, y0, x1, y1 = boxes[outer]
        if not all(b[0] >= x0 and b[1] >= y0 and b[2] <= x1 and b[3] <= y1 for b in boxes):
            return False
        centre_x, centre_y = (x0 + x1) / 2, (y0 + y1) / 2
        ring = drawn[outer]
        # points along every edge, not only the corners a square would share with a circle
        points = [
            (ax + (bx - ax) * t / 4, ay + (by - ay) * t / 4)
            for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1])
            for t in range(4)
        ]
        radii = [((x - centre_x) ** 2 + (y - centre_y) ** 2) ** 0.5 for x, y in points]
        mean = sum(radii) / len(radii)
        return mean > 0 and max(abs(r - mean) for r in radii) < 0.1 * mean

    def is_dot(self) -> bool:
        """Ink no larger than a quarter em each way: a period, a middle dot, a bullet."""
        box = self.ink
        return box is not None and box[2] - box[0] < 0.25 and box[3] - box[1] < 0.25

    def picture(self) -> np.ndarray | None:
        """The outline scaled to fill the grid, as a blurred, zero-mean, unit-length vector.

        Filling the grid gives a Latin letter as many cells as a kanji; the
        size and place of the ink, which the scaling loses, are compared
        apart (:func:`likeness`).  ``None`` for an empty glyph.  Drawn once.
        """
        return self._picture

    @cached_property
    def _picture(self) -> np.ndarray | None:
        box = self.ink
        if box is None:
            return None
        cells = PICTURE_SIZE * _SUPERSAMPLE
        span = max(box[2] - box[0], box[3] - box[1], 0.05)
        scale = cells * 0.9 / span
        centre_x, centre_y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        ink = Image.new("1", (cells, cells), 0)
        for contour in self.contours:
            if len(contour) < 3:
                continue
            layer = Image.new("1", (cells, cells), 0)
            points = [(cells / 2 + (x - centre_x) * scale, cells / 2 - (y - centre_y) * scale) for x, y in contour]
            ImageDraw.Draw(layer).polygon(points, fill=1)
            ink = ImageChops.logical_xor(ink, layer)
        small = ink.convert("L").resize((PICTURE_SIZE, PICTURE_SIZE), Image.BOX).filter(ImageFilter.GaussianBlur(1.0))
        vector = np.asarray(small, dtype=np.float32).ravel()
        vector = vector - vector.mean()
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else None

    def layout(self) -> np.ndarray | None:
        """Where the ink sits in the em: width, height, vertical centre, and the advance (em)."""
        box = self.ink
        if box is None:
            return None
        return np.array([box[2] - box[0], box[3] - box[1], (box[1] + box[3]) / 2, self.advance], dtype=np.float32)

    def image(self, height_px: int) -> Image.Image:
        """The glyph drawn black on white, one em tall, for shape recognition."""
        scale = height_px / (_EM_TOP - _EM_BOTTOM)
        width = max(1, int(round(max(self.advance, (self.ink or (0, 0, 1, 0))[2]) * scale)))
        ink = Image.new("1", (width, height_px), 0)
        for contour in self.contours:
            if len(contour) < 3:
                continue
            layer = Image.new("1", (width, height_px), 0)
            ImageDraw.Draw(layer).polygon([(x * scale, (_EM_TOP - y) * scale) for x, y in contour], fill=1)
            ink = ImageChops.logical_xor(ink, layer)
        page = Image.new("L", (width, height_px), 255)
        page.paste(0, mask=ink)
        return page


def _same_contour(a, b) -> bool:
    return len(a) == len(b) and all(abs(xa - xb) < 1e-3 and abs(ya - yb) < 1e-3 for (xa, ya), (xb, yb) in zip(a, b))


def read_shape(glyph_set, name: str, units_per_em: float, advance_units: float | None = None) -> GlyphShape | None:
    """The glyph ``name`` of a program's glyph set in em units; ``None`` if it cannot be drawn."""
    pen = OutlinePen(glyph_set)
    try:
        glyph = glyph_set[name]
        glyph.draw(pen)
    except Exception:
        return None
    width = advance_units if advance_units is not None else getattr(glyph, "width", None)
    scale = 1.0 / units_per_em
    contours = tuple(tuple((x * scale, y * scale) for x, y in contour) for contour in pen.contours)
    return GlyphShape(contours, float(width) * scale if width else 1.0)


def likeness(pictures: np.ndarray, layouts: np.ndarray, shape: GlyphShape) -> np.ndarray | None:
    """How much ``shape`` looks like each row of ``pictures``/``layouts`` (about -1 to 1).

    The cosine of the pictures, less what the ink's size and height in the
    em and the advance give away: a ( is not a （, a ・ not a 。, though
    scaled to fill the grid they may look alike.
    """
    picture, layout = shape.picture(), shape.layout()
    if picture is None:
        return None
    ink_difference = np.abs(layouts[:, :3] - layout[:3]).max(axis=1)
    width_difference = np.abs(layouts[:, 3] - layout[3])
    return pictures @ picture - ink_difference - 0.5 * np.maximum(0.0, width_difference - 0.15)
