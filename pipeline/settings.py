"""Every threshold of the layout and split stages, named, typed and documented.

The stages decide from geometry: how far apart two glyphs may be and still
share a line, how small a line must be to count as a footnote, how high a
digit must stand to be a footnote marker.  Each of those numbers is a field
here, with the value the stage has always used and what it means, so there
is one place to read (and, for an odd newsletter, to change) them:

* :class:`LayoutSettings`: :mod:`pipeline.extract.layout` and
  :mod:`pipeline.extract.vertical` (lines, columns, vertical text);
* :class:`FurnitureSettings`: :mod:`pipeline.split.furniture` (headers,
  page numbers, footnotes, captions, sign-offs);
* :class:`ArticleSettings`: :mod:`pipeline.split.articles` (footnote
  markers, paragraphs, line joints);
* :class:`OcrSettings`: :mod:`pipeline.ocr` (pages read from their image:
  resolution, preparation steps, corrections).

:class:`Settings` holds one of each.  Every stage function takes its
settings as a keyword argument whose default is the instance below
(``classify_page(page, body_size, settings=FURNITURE)``), so calling a
stage without settings does what it always did.

Lengths are in PDF points (1/72 inch) unless a field says *em*, a multiple
of the relevant type size, or *share*, a fraction of the page or of a peak.
Each field's ``metadata["doc"]`` says what it means and why it has its
value; :func:`reference` lists them for the docs.

A config file may override any field in a ``[settings.<area>]`` table
(:meth:`Settings.from_toml`)::

    [settings.furniture]
    header_zone = 0.12
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields, replace
from typing import Any, Iterator, Mapping

from pipeline.limits import ConfigError


def _setting(default: float | int, doc: str, minimum: float | int = 0) -> Any:
    """A settings field: its default, what it means, and the least value a config file may give it (kept in the field's metadata for tests and docs)."""
    return field(default=default, metadata={"doc": doc, "minimum": minimum})


@dataclass(frozen=True)
class LayoutSettings:
    """Lines, columns and reading order from glyph boxes (:mod:`pipeline.extract.layout`, :mod:`pipeline.extract.vertical`)."""

    # --- glyphs kept ---
    width_tolerance: float = _setting(
        0.01,
        "points: a glyph whose right edge lies this far or more left of its left edge is dropped. "
        "Zero-width glyphs (combining marks, some spaces) are kept; the margin absorbs rounding in the PDF's numbers.",
    )
    min_extent: float = _setting(
        0.1,
        "points: the least height (row grouping) or size (vertical text) a glyph is taken to have, "
        "so that a glyph drawn with no height or at size 0 still compares with its neighbours instead of matching nothing.",
    )

    # --- the gutter between two columns (find_gutter) ---
    gutter_search_from: float = _setting(
        0.3,
        "share of the page width where the search for a gutter starts. "
        "A two-column page's gutter is near the middle; outside 0.3-0.7 an empty strip is a margin or an indent.",
    )
    gutter_search_to: float = _setting(
        0.7, "share of the page width where the search for a gutter ends (see gutter_search_from)."
    )
    row_band: float = _setting(
        3.0,
        "points: height of the bands in which coverage is counted (rows, not glyphs). "
        "About a third of body type: fine enough that lines of text stay apart in the profile, "
        "coarse enough that the glyphs of one line, whose boxes differ by a point, fall in the same bands.",
    )
    gutter_min_peak: int = _setting(
        10,
        "rows: with fewer rows of text at the most covered x than this, the page has too little text to tell columns apart "
        "and is read as one column.",
    )
    gutter_empty_share: float = _setting(
        0.12,
        "share of the peak coverage under which an x counts as empty: a few full-width lines "
        "(running header, footnotes, page number) cross the gutter without hiding it.",
    )
    gutter_empty_rows: int = _setting(
        2, "rows: an x crossed by at most this many rows counts as empty whatever the peak (small pages)."
    )
    min_gutter_width: float = _setting(
        6.0,
        "points: the narrowest empty strip taken for a gutter. "
        "Wider than the gap between two words or two glyphs of a line, narrower than any printed gutter.",
    )
    gutter_min_balance: float = _setting(
        0.2,
        "the text on the lighter side of a gutter must be at least this share of the heavier side's; "
        "otherwise the strip is an indent or a ragged edge, not two columns.",
    )

    # --- gutters per region (_region_gutter, _slabs) ---
    band_gap: float = _setting(
        1.5,
        "em of the region's median glyph size: a white band across a region at least this high cuts it into parts searched "
        "for columns apart (a title across the page, a three-column part above a two-column one). "
        "Three times the white between two lines of body type set at 1.5 (half an em), less than the space left between parts.",
    )
    rule_span: float = _setting(
        0.9,
        "share of a region's text width a drawn horizontal rule must span to cut the region across, as a white band does "
        "(a rule under a title, between two parts of the page); an underline or a table's rule is shorter.",
    )
    band_min_rows: int = _setting(
        5,
        "rows: inside a region already cut (a band under a title, a side of a gutter) fewer rows of text than this at the most "
        "covered x are read as one column. Lower than gutter_min_peak, since both sides must also be set as columns there; "
        "high enough that the three or four labels of a diagram are not taken for columns.",
    )
    column_line_min_chars: int = _setting(
        4, "glyphs: shorter lines (a page number, a stray mark) are not counted when a side is tested for being a column."
    )
    column_min_lines: int = _setting(
        3, "lines: a side with fewer lines of column_line_min_chars is not tested as a column (too little to tell)."
    )
    column_edge_rank: float = _setting(
        0.75,
        "share: a side's right edge is the line end at this rank (lowest first), so that a few lines overhanging it "
        "(hanging punctuation) or short last lines of paragraphs do not move it.",
    )
    column_edge_slack: float = _setting(
        1.5, "em: a line ending this close to a side's right edge reaches it (a justified line may end a glyph short or overhang one)."
    )
    column_min_width: float = _setting(
        8.0,
        "em: the lines of a column of running text are at least this wide (a Japanese column holds a dozen glyphs or more, "
        "a Latin one thirty letters); the cells of a table of figures or names are narrower.",
    )
    column_edge_share: float = _setting(
        0.5,
        "share of a side's lines that must reach its right edge for it to be set as a column of running text. "
        "Justified text reaches it but for paragraph ends; a table's labels or a list of short items do not.",
    )

    # --- rows (group_rows) ---
    row_overlap: float = _setting(
        0.4,
        "share of the smaller glyph's height two glyphs' vertical extents must overlap to share a row. "
        "Under half, so superscript markers and Latin glyphs (whose boxes sit a point lower than kana) stay on their line.",
    )
    row_lookback: int = _setting(
        3,
        "rows: how many of the most recent rows a glyph may join. Glyphs come sorted by top, so a glyph's row is among the last few; "
        "looking further would join lines far apart.",
    )

    # --- lines through the gutter (_join_across_gutter) ---
    join_overlap: float = _setting(
        0.5,
        "share of the smaller line's height a left and a right half must overlap to be one line run through the gutter.",
    )
    join_gap: float = _setting(
        0.6,
        "em of the left half's size: the widest gap between a left and a right half that are one line. "
        "More than a word space (about a third of an em), far less than a gutter.",
    )

    gutter_intrusion: float = _setting(
        1.0,
        "points: a half line reaching this far or more into the gutter from its side reaches into it. "
        "When a left and a right half both do, they are one line across the gutter (a caption whose word space falls in it); "
        "a point absorbs rounding where a column's edge defines the gutter's.",
    )

    # --- body size (dominant_size) ---
    default_body_size: float = _setting(
        10.0, "points: the body size taken for a document without any glyph (a common body size; nothing is measured against it then)."
    )

    # --- vertical text (pipeline.extract.vertical) ---
    vertical_min_run: int = _setting(
        3,
        "glyphs: consecutive glyphs stepping down (or along a slant) before they count as a column (or a slanted title). "
        "Two can be a line break; three in a row at the same x and one em apart are a column.",
    )
    step_down_shift: float = _setting(
        0.25,
        "em: how far the centre of the next glyph of a column may stray sideways from the previous one's. "
        "Proportional kana and punctuation shift their centres a little; a glyph of the next horizontal line does not sit under this one.",
    )
    step_min: float = _setting(
        0.5,
        "em: the least step between consecutive glyphs of a column (down) or a slanted title (right). "
        "Half an em admits half-width glyphs and tight setting.",
    )
    step_max: float = _setting(
        1.8,
        "em: the largest such step, short of two ems; a larger step is a new line or column, not the next glyph.",
    )
    slant_rise_min: float = _setting(
        0.06,
        "em: the least rise or fall per glyph along a slanted title; less is a horizontal line's jitter.",
    )
    slant_rise_max: float = _setting(
        0.6,
        "em: the largest rise or fall per glyph along a slanted title (about 30 degrees); more is a new line.",
    )
    slant_tolerance: float = _setting(
        0.08,
        "em: how much two consecutive rises of a slanted title may differ; a straight baseline rises by the same step each glyph.",
    )
    column_lookback: int = _setting(
        6,
        "columns: how many of the most recently opened vertical columns a glyph may continue. "
        "Glyphs come right to left, so its column is among the last few.",
    )
    column_axis_shift: float = _setting(
        0.35,
        "em: how far a glyph's centre may lie from its column's axis (wider than step_down_shift: punctuation sits off-axis in vertical setting).",
    )
    column_overlap: float = _setting(
        0.2,
        "em: how far a glyph may overlap the bottom of the glyph above it and still continue its column (tight setting, ruby).",
    )
    column_max_gap: float = _setting(
        2.5,
        "em: the largest blank inside one column. Up to two and a half ems, so an item's number set at the head of a column "
        "with a blank before its text reads with the text (kokuji.pdf), not as a tier of its own.",
    )
    tier_overlap: float = _setting(
        0.5,
        "share of the shorter extent a column must overlap a tier's height range to belong to that tier (段).",
    )
    upright_max_chars: int = _setting(
        4,
        "glyphs: the longest run of upright half-width glyphs set across a vertical column (縦中横: '12', '(1)') that is read in the column's line. "
        "JIS X 4051 sets two or three digits so; four admits a parenthesised two-digit number.",
        minimum=1,
    )
    upright_gap: float = _setting(
        0.25,
        "em: the widest gap between two glyphs of one 縦中横 run; they touch (kokuji.pdf: 0.8 pt at 12 pt). The runs of neighbouring columns "
        "at the same height stand a column's gutter apart (5 pt there), and are two runs.",
    )
    ruby_size_ratio: float = _setting(
        0.7,
        "of a vertical column's (or a horizontal line's) type size: glyphs no larger than this, just right of the column (just above the line), are its ruby (furigana). "
        "Ruby is set at half the base size (kokuji.pdf: 7 pt beside 14 pt); 0.7 leaves room for larger ruby and stays under "
        "the 縦中横 digits (12 pt in a 14 pt column: 0.86) and full-size text.",
    )
    ruby_offset: float = _setting(
        0.25,
        "em of the column's width: how far ruby may start inside the column's right edge, or beyond the width of ruby type past it, "
        "and still stand beside the column.",
    )
    ruby_above_gap: float = _setting(
        0.5,
        "em of the base line's size: ruby over horizontal text stands in the line gap above its base, its bottom at most this far above "
        "the base line's top, or this far into it (ruby set tight on its base overlaps the base's box a little).",
        minimum=0.0,
    )
    upright_overhang: float = _setting(
        0.5,
        "em of the column's width: how far a 縦中横 run centred on a column may stick out of it on either side and still be read in it "
        "(kokuji.pdf's '(10)', four half-width glyphs, is 23 pt wide over a 14 pt column). Its distance above or below the column "
        "is bounded by column_max_gap, as a blank inside a column is.",
    )


@dataclass(frozen=True)
class FurnitureSettings:
    """Page furniture apart from body text (:mod:`pipeline.split.furniture`)."""

    default_page_height: float = _setting(
        842.0, "points: the page height taken when the PDF gives none (A4, 297 mm, in PDF points)."
    )
    default_page_width: float = _setting(
        595.0, "points: the page width taken when the PDF gives none (A4, 210 mm, in PDF points)."
    )
    header_zone: float = _setting(
        0.10,
        "share of the page height from the top: a small-type line above it is the running header. "
        "A tenth (30 mm on A4) is the top margin, where running headers stand (39 pt from the top in the samples), "
        "and stops short of the first body line.",
    )
    footer_zone: float = _setting(
        0.08,
        "share of the page height from the bottom: a line below it may be the page number, and no body line is measured there. "
        "8 % (24 mm on A4) is the bottom margin; the samples' page numbers stand 44 pt from the bottom.",
    )
    small_ratio: float = _setting(
        0.92,
        "of the body size: a line set smaller is small type (header, footnote, caption, chart label). "
        "Eight per cent under body: more than sizes differ by rounding, less than the step to note type "
        "(captions and references at 9 pt on 10.5 pt body in the samples are 0.86).",
    )
    large_ratio: float = _setting(
        1.06,
        "of the body size: a line set larger is a heading. Six per cent over body: more than sizes differ by rounding, "
        "less than the step to heading type (12 pt headings on 10.5 pt body in the samples are 1.14).",
    )
    body_size_tolerance: float = _setting(
        0.06,
        "of the body size: a line within this of the body size is set in body type (used to find the body's lowest line and fonts).",
    )
    body_line_min_chars: int = _setting(
        4,
        "glyphs: a body-size line needs more than this many to count when finding the lowest body line and the body fonts; "
        "shorter ones are chart labels and stray numbers set in body type.",
    )
    footnote_clearance: float = _setting(
        1.0,
        "points: a small line whose top is no more than this above the lowest body line's bottom still counts as below the body (a footnote); "
        "absorbs rounding in the boxes.",
    )
    caption_wrap_gap: float = _setting(
        1.0,
        "em of the line's size: a small line that starts less than this below a caption is the caption wrapped onto a second line "
        "(one line of leading, no blank line between).",
    )
    page_number_max_chars: int = _setting(
        4, "characters (spaces not counted): the longest text a page number may have ('- 12 -' is 4)."
    )
    page_number_centre: float = _setting(
        0.12,
        "share of the page width: a footer line whose centre is this close to the page's centre is centred (a page number even without digits we can read).",
    )
    page_number_outer_right: float = _setting(
        0.85,
        "share of the page width: a footer line ending right of this is at the outer edge (page numbers of facing pages).",
    )
    page_number_outer_left: float = _setting(
        0.15, "share of the page width: a footer line starting left of this is at the outer edge (see page_number_outer_right)."
    )
    author_indent: float = _setting(
        0.4,
        "share of the column width: a （name） sign-off starts right of this, far from the left edge, "
        "so a parenthesised body line is not taken for one.",
    )
    author_right_margin: float = _setting(
        3.0, "em of the line's size: a sign-off ends within this of the column's right edge (flush right, or nearly)."
    )
    heading_size_step: float = _setting(
        0.5,
        "points: type sizes are compared in steps of this (pipeline.split.headings). Word processors and DTP set type in half points, "
        "so two lines whose sizes round to different half points were set in different sizes on purpose (11 pt headings on 10.5 pt body).",
        minimum=0.01,
    )
    heading_size_tolerance: float = _setting(
        0.05,
        "share: headings in one face and pattern whose sizes are within this of the largest of them are one style "
        "(a long heading shrunk a little to fit its box: 14.5 pt beside 15 pt). Less than the step between heading levels (14 pt under 15 pt is 7 %).",
    )
    heading_max_chars: int = _setting(
        40,
        "characters: the longest line that may be a heading found by typography. A heading is one short line; "
        "a full line of body text in a 10.5 pt A4 column holds about 45.",
        minimum=1,
    )
    heading_min_count: int = _setting(
        2,
        "headings: a style of heading must head at least this many parts of the document to open articles; "
        "a style used once is the document's own title (or a slogan), not a level of its articles.",
        minimum=1,
    )
    heading_text_share: float = _setting(
        0.5,
        "share of a style's headings that must be followed by body text before the next heading of that style or a higher one "
        "for the style to open articles: the entries of a table of contents, a cover or a list head nothing.",
    )
    heading_space_above: float = _setting(
        1.6,
        "body line pitches: a line whose top stands at least this far below the top of the line before it in its column has white space above "
        "(a weak sign of a heading: a blank line is 2 pitches, a paragraph's next line 1).",
        minimum=1.0,
    )
    heading_colour_distance: float = _setting(
        0.25,
        "share of full scale on the channel that differs most: a line whose glyphs' fill colour differs from the body's by at least this is in colour "
        "(a weak sign of a heading; #333333 grey beside black body text is 0.2, still body).",
        minimum=0.0,
    )
    heading_rule_reach: float = _setting(
        0.6,
        "em of the line's size: a rule whose top is within this below the line's box (or inside its lowest part) is its underline, "
        "and rules within this above and below it rule it off.",
        minimum=0.0,
    )


@dataclass(frozen=True)
class ArticleSettings:
    """Articles from classified lines: footnote markers, paragraphs, line joints (:mod:`pipeline.split.articles`)."""

    baseline_size_tolerance: float = _setting(
        0.1,
        "of the line's size: glyphs within this of it are the line's usual size, whose baselines give the line's baseline.",
    )
    marker_size_ratio: float = _setting(
        0.8,
        "of the line's size: without outlines, a digit set smaller than this may be a superscript marker. "
        "Superscripts are set at 60-70 per cent of the text; full-size digits are not markers.",
    )
    marker_box_raise: float = _setting(
        0.12,
        "em: without baselines, a small digit whose box ends this far above the line's lowest box bottom is raised (a marker).",
    )
    marker_ink_raise: float = _setting(
        0.25,
        "em: with the digit's outline placed, its ink must end this far above the line's baseline to be a marker. "
        "A quarter em clears descenders and baseline jitter; superscript figures (OpenType sups) stand higher.",
    )
    marker_ink_height: float = _setting(
        0.6,
        "em: with the outline placed, a marker's ink is shorter than this; a full-height digit above the baseline is not a superscript.",
    )
    marker_baseline_raise: float = _setting(
        0.2,
        "em: with baselines but no outline, a small digit whose baseline is this far above the line's is a marker.",
    )
    note_number_ratio: float = _setting(
        0.9,
        "of the line's size: a footnote line whose first glyph is smaller than this opens a note with its number (set small).",
    )
    paragraph_indent: float = _setting(
        0.5,
        "em of the line's size: a body line whose ink starts more than this right of its column's left edge opens a paragraph. "
        "Japanese paragraphs indent one full em (a drawn ideographic space); half an em tells it from rounding.",
    )
    column_edge_rank: int = _setting(
        4,
        "a column's left edge is the start at position len // column_edge_rank of its lines' sorted starts (4: the lower quartile), "
        "robust to a stray outdented glyph.",
        minimum=1,
    )
    column_edge_min_lines: int = _setting(
        3, "lines: a column with no more lines than this takes its leftmost start as its edge (too few for a quartile)."
    )
    joint_context_before: int = _setting(
        80,
        "characters of the text so far that decide how the next line joins (a URL or a hyphenated word at the end): "
        "enough to hold the start (https://) of a URL broken at the line end, so the break is seen to be inside a URL.",
    )
    joint_context_after: int = _setting(
        40, "characters of the next line that decide how it joins (its first letter and case)."
    )


@dataclass(frozen=True)
class OcrSettings:
    """Pages without a text layer read from their image (:mod:`pipeline.ocr`); each preparation step can be switched off (0) to measure it."""

    min_dpi: float = _setting(
        100.0,
        "dpi: a page scanned below this is not read (its reason says so); between it and 300 the page is rendered at 300, "
        "the upscaling Tesseract's documentation asks for. Below 100 dpi a 10-point kanji has fewer than 14 pixels: too few strokes survive.",
    )
    deskew_from: float = _setting(
        1.0,
        "degrees: a page leaning by this much or more is turned level before reading. Tesseract's own line finder copes with less: "
        "turning the 0.4° shared renders level raised the body CER from 1.3 % to 1.8 % and lost three titles (docs/ocr.md).",
    )
    binarise: int = _setting(0, "1: ink and paper split at Otsu's threshold before reading; 0 (default): Tesseract's own thresholding, which measured better (docs/ocr.md).")
    remove_rules: int = _setting(
        0,
        "1: long thin horizontal and vertical rules painted out before reading, so they are not read as ー, 一 or |. "
        "0 (default): on the shared renders it raised the body CER from 1.3 % to 9.5 % and split an article (docs/ocr.md).",
    )
    correct: int = _setting(1, "1: the safe post-OCR corrections (pipeline/ocr/correct.py), each logged in `repairs`; 0: the OCR text as read.")
    blank_ink: float = _setting(
        0.0005,
        "share: a page with less ink than this (pixels darker than mid-grey) is blank: no text to read, said in the notes, not an error.",
    )


@dataclass(frozen=True)
class Settings:
    """Every stage's settings, one instance per area."""

    layout: LayoutSettings = field(default_factory=LayoutSettings, metadata={"doc": "lines, columns and reading order"})
    furniture: FurnitureSettings = field(default_factory=FurnitureSettings, metadata={"doc": "headers, page numbers, footnotes, captions"})
    articles: ArticleSettings = field(default_factory=ArticleSettings, metadata={"doc": "footnote markers, paragraphs, line joints"})
    ocr: OcrSettings = field(default_factory=OcrSettings, metadata={"doc": "pages read from their image"})

    @classmethod
    def from_toml(cls, mapping: Mapping[str, Any], source: str = "config") -> Settings:
        """Settings from the ``[settings.<area>]`` tables of a parsed TOML document; fields not given keep their defaults.

        Unknown areas and keys, and values of the wrong type, are refused
        with :class:`~pipeline.limits.ConfigError` naming the key, so a typo
        is not silently a default.

        >>> Settings.from_toml({"settings": {"furniture": {"header_zone": 0.12}}}).furniture.header_zone
        0.12
        >>> Settings.from_toml({"settings": {"furniture": {"header_zon": 0.12}}})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pipeline.limits.ConfigError: config: unknown setting 'settings.furniture.header_zon' (known in [settings.furniture]: ...)
        """
        tables = mapping.get("settings", {})
        if not isinstance(tables, Mapping):
            raise ConfigError(f"{source}: [settings] must be a table of [settings.<area>] tables")
        areas = {area.name: area for area in fields(cls)}
        chosen: dict[str, Any] = {}
        for area_name, table in tables.items():
            if area_name not in areas:
                raise ConfigError(f"{source}: unknown settings area [settings.{area_name}] (known: {', '.join(areas)})")
            if not isinstance(table, Mapping):
                raise ConfigError(f"{source}: settings.{area_name} must be a table, not {table!r}")
            default = areas[area_name].default_factory()
            chosen[area_name] = _override(default, table, f"settings.{area_name}", source)
        return cls(**chosen)


def _override(default: Any, table: Mapping[str, Any], prefix: str, source: str) -> Any:
    known = {item.name: item for item in fields(default)}
    values: dict[str, float | int] = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"{source}: unknown setting {prefix + '.' + key!r} (known in [{prefix}]: {', '.join(known)})")
        kind = type(known[key].default)
        minimum = known[key].metadata["minimum"]
        name = f"{prefix}.{key}"
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                raise ConfigError(f"{source}: setting {name!r} must be a whole number of at least {minimum}, not {value!r}")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or not minimum <= value < float("inf"):
            raise ConfigError(f"{source}: setting {name!r} must be a finite number of at least {minimum}, not {value!r}")
        else:
            value = float(value)
        values[key] = value
    return replace(default, **values)


def reference() -> Iterator[tuple[str, str, str, float | int, str]]:
    """Every setting as (area, name, type, default, doc), in the order of the classes, for the docs.

    >>> area, name, kind, default, doc = next(reference())
    >>> area, name, kind, default
    ('layout', 'width_tolerance', 'float', 0.01)
    """
    for area in fields(Settings):
        for item in fields(area.default_factory()):
            default = item.default
            assert default is not MISSING
            yield area.name, item.name, type(default).__name__, default, item.metadata["doc"]


LAYOUT = LayoutSettings()
FURNITURE = FurnitureSettings()
ARTICLES = ArticleSettings()
OCR = OcrSettings()
DEFAULT = Settings(layout=LAYOUT, furniture=FURNITURE, articles=ARTICLES, ocr=OCR)


def markdown() -> str:
    """The reference table of every setting, for ``docs/settings.md`` (kept equal to it by a test)."""
    rows = ["| setting | type | default | meaning |", "|---|---|---|---|"]
    for area, name, kind, default, doc in reference():
        rows.append(f"| `settings.{area}.{name}` | {kind} | {default!r} | {doc.replace('|', '/')} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
