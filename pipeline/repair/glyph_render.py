"""Draw glyphs from an embedded font program into an image, for shape recognition.

A glyph drawn alone, large and black on white, reads far better than the
same glyph cropped from a page among its neighbours.  Outlines come from
fontTools' glyph sets (TrueType and CFF alike); curves are flattened into
short segments and each contour is filled with the even-odd rule, which
leaves the counters of 0, 8 or 田 open.
"""

from __future__ import annotations

from fontTools.pens.boundsPen import ControlBoundsPen
from PIL import Image, ImageChops, ImageDraw

from pipeline.repair.glyph_shapes import OutlinePen


def render_glyphs(glyph_set, names: list[str], height_px: int = 64, gap_px: int = 48) -> tuple[Image.Image, list[tuple[int, int]]]:
    """The glyphs side by side on one white strip, and each one's x-range in pixels.

    Every glyph is scaled to the same height so that a period stays small
    next to a kanji only when the font draws it small.
    """
    shapes = []
    for name in names:
        pen = OutlinePen(glyph_set)
        bounds_pen = ControlBoundsPen(glyph_set)
        try:
            glyph_set[name].draw(pen)
            glyph_set[name].draw(bounds_pen)
        except Exception:
            shapes.append(None)
            continue
        shapes.append((pen.contours, bounds_pen.bounds))
    units = [b for s in shapes if s and (b := s[1])]
    if not units:
        return Image.new("L", (gap_px, height_px + 2 * gap_px), 255), [(0, 0)] * len(names)
    top = max(b[3] for b in units)
    bottom = min(b[1] for b in units)
    scale = height_px / max(top - bottom, 1)
    widths = [int(((s[1][2] - s[1][0]) if s and s[1] else 0) * scale) + 1 for s in shapes]
    strip = Image.new("L", (sum(widths) + gap_px * (len(names) + 1), height_px + 2 * gap_px), 255)
    spans: list[tuple[int, int]] = []
    x = gap_px
    for shape, width in zip(shapes, widths):
        spans.append((x, x + width))
        if shape and shape[1]:
            ink = Image.new("1", strip.size, 0)
            for contour in shape[0]:
                layer = Image.new("1", strip.size, 0)
                points = [(x + (px - shape[1][0]) * scale, gap_px + (top - py) * scale) for px, py in contour]
                if len(points) > 2:
                    ImageDraw.Draw(layer).polygon(points, fill=1)
                    ink = ImageChops.logical_xor(ink, layer)
            strip.paste(0, mask=ink)
        x += width + gap_px
    return strip, spans
