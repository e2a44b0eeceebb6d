"""A scanned page made ready for Tesseract: the resolution checked, the page straightened, ink told from paper, rules removed.

Each step is a pure ``image -> image`` function that can be switched off
(:class:`pipeline.settings.OcrSettings`), so its effect on the character
error rate is measured on scans whose text is known
(``bench/ocr_scans.py``; the figures are in ``docs/ocr.md``).

* Resolution: a page scanned below 300 dpi is rendered at 300 all the same
  (pdfium interpolates), which is the upscaling Tesseract's documentation
  asks for; below ``min_dpi`` the glyphs have too few pixels for any
  upscaling to bring back, and the page is not read (:func:`resolution_problem`).
* Deskew: a page laid crooked on the glass has slanted lines, which
  Tesseract's line finder cuts into pieces.  The angle is the one that
  makes the rows of ink sharpest (the variance of the horizontal projection
  profile is greatest when each text line falls in the fewest rows).
* Binarise: Otsu's global threshold, the classic choice for printed pages
  on even paper.
* Rules: long thin horizontal and vertical runs of ink (table borders,
  boxes round a column, underlines) are paper for the reader; Tesseract
  otherwise reads them as ー, 一 or |.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

#: Deskew searches this many degrees either way: a scan laid more crooked than that is re-scanned, not read.
MAX_SKEW = 3.0
SKEW_STEP = 0.05


def resolution_problem(scan_dpi: float | None, min_dpi: float) -> str | None:
    """Why a page scanned at ``scan_dpi`` is not read, or None.

    >>> resolution_problem(150, 100) is None
    True
    >>> resolution_problem(72, 100)
    'scanned at 72 dpi, below the 100 dpi OCR needs (300 recommended): scan it again at 300 dpi'
    """
    if scan_dpi is not None and scan_dpi < min_dpi:
        return f"scanned at {scan_dpi:.0f} dpi, below the {min_dpi:.0f} dpi OCR needs (300 recommended): scan it again at 300 dpi"
    return None


def ink_share(image: Image.Image) -> float:
    """The share of the page that is clearly ink (darker than mid-grey): near 0 on a blank page."""
    pixels = np.asarray(image.reduce(4) if min(image.size) >= 64 else image)
    return float((pixels < 128).mean()) if pixels.size else 0.0


def otsu_threshold(pixels: np.ndarray) -> int:
    """The grey level that best separates ink from paper (Otsu 1979: greatest between-class variance)."""
    histogram = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    total = histogram.sum()
    if total == 0:
        return 128
    levels = np.arange(256)
    weight = np.cumsum(histogram)
    mean = np.cumsum(histogram * levels)
    between = (mean[-1] * weight - mean * total) ** 2 / np.maximum(weight * (total - weight), 1e-9)
    return int(np.argmax(between[:-1]))


def skew_angle(image: Image.Image) -> float:
    """The angle (degrees, counter-clockwise) the page's text lines lean by, 0 when none is clear.

    Searched on a quarter-size ink mask; the profile's variance peaks where
    the rows of text are level.
    """
    small = image.reduce(4) if min(image.size) >= 400 else image
    pixels = np.asarray(small)
    ink = (pixels < otsu_threshold(pixels)).astype(np.uint8) * 255
    if ink.mean() < 0.5:  # next to no ink: nothing to level
        return 0.0
    mask = Image.fromarray(ink, "L")

    def sharpness(angle: float) -> float:
        rows = np.asarray(mask.rotate(-angle, resample=Image.Resampling.NEAREST), dtype=np.float32).sum(axis=1)
        return float(np.var(rows))

    coarse = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.5), key=sharpness)
    fine = max(np.arange(coarse - 0.5, coarse + 0.5 + 1e-9, SKEW_STEP), key=sharpness)
    return round(float(fine), 2)


def deskew(image: Image.Image) -> tuple[Image.Image, float]:
    """``image`` turned level, and the angle it leaned by."""
    angle = skew_angle(image)
    if abs(angle) < SKEW_STEP:
        return image, 0.0
    return image.rotate(-angle, resample=Image.Resampling.BICUBIC, fillcolor=255), angle


def binarise(image: Image.Image) -> Image.Image:
    """Ink black, paper white, at Otsu's threshold."""
    pixels = np.asarray(image)
    return Image.fromarray(np.where(pixels < otsu_threshold(pixels), 0, 255).astype(np.uint8), "L")


def _long_runs(ink: np.ndarray, length: int) -> np.ndarray:
    """Where ``ink`` (bool, rows of pixels) lies in a run along the row of at least ``length`` pixels."""
    height, width = ink.shape
    padded = np.zeros((height, width + 2), dtype=np.int8)
    padded[:, 1:-1] = ink
    edges = np.diff(padded, axis=1)
    starts = np.argwhere(edges == 1)
    ends = np.argwhere(edges == -1)
    out = np.zeros_like(ink, dtype=bool)
    long = (ends[:, 1] - starts[:, 1]) >= length
    for (row, start), (_, end) in zip(starts[long], ends[long]):
        out[row, start:end] = True
    return out


def remove_rules(image: Image.Image, dpi: float, thickness_pt: float = 2.0, length_pt: float = 72.0) -> Image.Image:
    """``image`` with horizontal and vertical rules painted over with paper.

    A rule is a run of ink at least ``length_pt`` long (an inch: longer than
    any glyph's stroke, even a long dash) and at most ``thickness_pt`` thick;
    a filled block of ink (a photograph, a bar of a chart) is thicker, and stays.
    """
    pixels = np.asarray(image)
    ink = pixels < otsu_threshold(pixels)
    length = int(length_pt * dpi / 72)
    thickness = max(1, int(thickness_pt * dpi / 72))
    rules = np.zeros_like(ink)
    for transposed in (False, True):
        grid = ink.T if transposed else ink
        runs = _long_runs(grid, length)
        thick = _long_runs(runs.T, thickness + 1).T  # runs stacked more than `thickness` deep are blocks, not rules
        found = runs & ~thick
        rules |= found.T if transposed else found
    if not rules.any():
        return image
    cleaned = pixels.copy()
    cleaned[rules] = 255
    return Image.fromarray(cleaned, "L")
