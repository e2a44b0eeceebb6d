"""Read the glyphs that no map or name identifies, from the PDF's own evidence.

After the per-font verdicts, some glyphs are unknown (U+FFFD): their font
has no map, or a map the evidence threw out as a whole (glyph ids given as
code points), or a map that gets them plainly wrong (a visible glyph
mapped to a space, two outlines claiming one letter).  Each is read here,
pooled over every place the document draws it, with three kinds of
evidence, strongest first:

1. ``same_outline_as_mapped_glyph``: another font of the document (a
   sibling subset of the same program) draws exactly this outline and
   its map is trusted.
2. ``shape_read_and_matched``: Tesseract, reading the glyph's line on the
   rendered page (or the glyph drawn alone from its program), proposes
   characters, and the document's own known glyphs agree: the proposed
   character's glyphs elsewhere in the document look like this one at
   least as much as any other character's do.
3. ``glyph_shape_ocr``: the reading alone, for a character the document
   shows nowhere else, when the readings agree and no known glyph looks
   clearly more alike; and ``matched_document_glyph``, a known glyph that
   looks far more alike than any other, where no reading was made.

A reading must agree with what the glyph is: a glyph without ink is no
character (it is dropped, or kept as a space where it advances), a dot
cannot be a kanji, a combining mark is never the reading of a glyph that
stands alone.  Where the evidence disagrees or is weak the glyph stays
U+FFFD, and the report says why.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.records import TAKEN_BACK, Char, Document
from pipeline.repair.confusables import choose, confusable_set, script_of
from pipeline.repair.font_evidence import SOFT_DOTTED
from pipeline.repair.font_maps import FontBook
from pipeline.repair.glyph_bank import Match, build_bank
from pipeline.repair.glyph_shapes import GlyphShape
from pipeline.repair.glyphs import UNRESOLVED
from pipeline.repair.line_reading import read_page_line, read_shapes
from pipeline.repair.ocr_engine import OcrSymbol, engine_note
from pipeline.repair.plausible_text import in_jis_x_0208, is_plausible

SAME_OUTLINE_CONFIDENCE = 0.95
CONTEXT_CONFIDENCE = 0.85
AGREED_CONFIDENCE = 0.95
MATCH_ONLY_CONFIDENCE = 0.8
TIE = 0.03
SEEN_ALIKE = 0.8  # a reading confirmed by the document's glyphs must look at least this much like them  # two texts whose pictures score this close are equally alike
STRONG_MATCH, STRONG_MARGIN = 0.9, 0.08  # a known glyph clearly the most alike
SUSPECT_RULE = "two_glyphs_claim_one_character"
_DOT_LIKE = set("・･.,、。·•∙⋅")
_BAR_LIKE = set("ー一－―—–‐-−_＿~～〜")  # a stroke across: long and flat
_POST_LIKE = set("|｜│丨")  # a stroke down: tall and thin


@dataclass(frozen=True)
class Reading:
    text: str  # "" drops the glyph
    rule: str
    confidence: float


@dataclass
class ReadingReport:
    read: int = 0  # glyphs given a character
    dropped: int = 0  # glyphs without ink, dropped
    unread: dict[str, int] = field(default_factory=dict)  # why glyphs stay U+FFFD, with counts
    note: str | None = None  # why shapes could not be read at all


def read_unknown_glyphs(document: Document, path: Path, fonts: FontBook, skip_fonts: set[str] = frozenset()) -> tuple[Document, ReadingReport]:
    """A copy of ``document`` with its unknown glyphs read where the evidence allows, and the report."""
    report = ReadingReport()
    places = _unknown_places(document, fonts, skip_fonts)
    if not places:
        return document, report
    shapes = {key: fonts.evidence(key[0]).reading_shape(key[1]) for key in places}
    readings: dict[tuple[str, int], Reading] = {
        key: Reading(" " if shape.advance > 0.1 else "", "empty_glyph_not_a_character", 0.9)
        for key, shape in shapes.items()
        if shape is not None and shape.empty
    }
    bank = build_bank(document, fonts)
    for key, shape in shapes.items():
        if key not in readings and (text := bank.same_outline(shape)) is not None and _agrees_with_shape(text, shape):
            readings[key] = Reading(text, "same_outline_as_mapped_glyph", SAME_OUTLINE_CONFIDENCE)
    pending = [key for key in places if key not in readings]
    if pending:
        report.note = engine_note()
        readings.update(_read_pending(document, path, fonts, places, pending, shapes, bank, report, readings))
    suspects = {(r.page, r.x0, r.top) for r in document.repairs if r.rule == SUSPECT_RULE}
    _one_glyph_per_claim(document, places, readings, shapes, report, suspects)
    return _apply(document, readings, report, suspects), report


def _read_pending(document, path, fonts, places, pending, shapes, bank, report, settled: dict) -> dict:
    """Readings for the glyphs no identical outline settled: Tesseract weighed against the bank,
    then look-alikes by their neighbours (``settled`` readings among them); what stays unread
    is counted in ``report``."""
    # one outline drawn through several font objects (subsets, Word's ,Bold copies) is read as one;
    # an outline set on another advance may be another character: ) and ）
    kind = {key: ((shapes[key].signature, round(shapes[key].advance, 2)) if shapes[key] is not None else key) for key in pending}
    members: dict = defaultdict(list)
    for key in pending:
        members[kind[key]].append(key)
    matches = {key: bank.match(shapes[key]) for key in pending}
    languages = {font_key: fonts.evidence(font_key).reading_language() for font_key, _ in pending}
    votes = _vote(document, path, places, matches, shapes, kind, languages) if report.note is None else {}
    readings: dict = {}
    to_settle: dict = {}
    for group, keys in members.items():
        counter = votes.get(group, Counter())
        reading, why = _decide(counter, matches[keys[0]], shapes[keys[0]], fonts.evidence(keys[0][0]))
        if reading is not None:
            readings.update(dict.fromkeys(keys, reading))
        seen = {text[5:] for text in counter if text.startswith("#top:")} | ({reading.text} if reading else set())
        if confusable_set(seen) is not None or reading is None:  # look-alikes are for the neighbours to tell apart
            to_settle[group] = (keys, why, seen if confusable_set(seen) else None)
    for keys, why, look_alikes in to_settle.values():
        font = fonts.evidence(keys[0][0])
        known = {**settled, **readings}
        reading = _by_context(document, places, known, keys, look_alikes, shapes[keys[0]], font) if look_alikes else None
        if reading is not None:
            readings.update(dict.fromkeys(keys, reading))
        elif keys[0] not in readings:
            report.unread[why] = report.unread.get(why, 0) + sum(len(places[key]) for key in keys)
    return readings


def _one_glyph_per_claim(document: Document, places, readings: dict, shapes: dict, report: ReadingReport, suspects: set) -> None:
    """Of glyphs whose map claimed one character, at most one outline is read as it.

    Two outlines are two characters.  When more than one is read as the
    claimed character (an accented letter read without its accent), the
    one with the fewest contours keeps it, marks being extra contours;
    the others stay unknown.  ``suspects`` are the places of glyphs whose claim was doubted.
    """
    claims: dict[str, set] = defaultdict(set)
    for key, where in places.items():
        page_number, line_number, index = where[0]
        char = document.pages[page_number].lines[line_number].chars[index]
        if (char.page, char.x0, char.top) in suspects and char.raw:
            claims[char.raw].add(key)
    for claimed, keys in claims.items():
        read_as = [key for key in keys if readings.get(key) is not None and readings[key].text == claimed and shapes[key] is not None]
        if len({shapes[key].signature for key in read_as}) < 2:
            continue
        keeper = min(read_as, key=lambda key: len(shapes[key].drawn))
        if sum(1 for key in read_as if len(shapes[key].drawn) == len(shapes[keeper].drawn)) > 1:
            keeper = None  # no way to tell which outline is the character
        for key in read_as:
            if key != keeper:
                del readings[key]
                why = "two outlines were read as the one character their map claimed"
                report.unread[why] = report.unread.get(why, 0) + len(places[key])


def _by_context(document: Document, places, readings, keys, look_alikes, shape, font) -> Reading | None:
    """A look-alike (O or 0, ロ or 口) chosen by the script of the glyph's neighbours where it is drawn."""
    scripts = []
    kinds = {unicodedata.category(text) for text in look_alikes}
    bracket = "open" if kinds == {"Ps"} else "close" if kinds == {"Pe"} else None
    for key in keys:
        for page_number, line_number, index in places[key]:
            chars = document.pages[page_number].lines[line_number].chars
            if bracket is not None:
                scripts.append(_bracket_company(chars, index, bracket, readings))
                continue
            for step in (-1, 1):
                neighbour = _neighbour_text(chars, index, step, readings)
                if neighbour:
                    scripts.append(script_of(neighbour))
    candidates = [text for text in confusable_set(look_alikes) or () if _fits(text, shape, font)]
    chosen = choose(sorted(set(_width_form(text, shape) for text in candidates)), scripts)
    return Reading(chosen, "shape_read_in_context", CONTEXT_CONFIDENCE) if chosen else None


def _bracket_company(chars, index: int, bracket: str, readings) -> str:
    """Whether a bracket is set the Japanese way or the Latin way, from what stands outside it.

    A full-width bracket carries its own space and touches the Japanese
    text around it (権（KAU）の); a half-width one is set off by a space or
    stands among Latin text (号 (No.4)).  At the line's edge, what it
    encloses says.
    """
    outside, inside = (-1, 1) if bracket == "open" else (1, -1)
    position = index + outside
    if 0 <= position < len(chars):
        text = chars[position].text
        if text.isspace():
            return "latin"
        if text == UNRESOLVED:
            reading = readings.get((chars[position].font_key, chars[position].cid))
            text = reading.text if reading is not None else ""
        return script_of(text) if text else "other"
    neighbour = _neighbour_text(chars, index, inside, readings)
    return script_of(neighbour) if neighbour else "other"


def _neighbour_text(chars, index: int, step: int, readings) -> str | None:
    """The nearest visible character beside ``index`` in the line, read where it was unknown."""
    position = index + step
    while 0 <= position < len(chars):
        char = chars[position]
        text = char.text
        if text == UNRESOLVED:
            reading = readings.get((char.font_key, char.cid))
            text = reading.text if reading is not None and reading.rule != "shape_read_in_context" else None
        if text and not text.isspace():
            return text
        if text is None:
            return None
        position += step
    return None


def _unknown_places(document: Document, fonts: FontBook, skip_fonts) -> dict[tuple[str, int], list[tuple[int, int, int]]]:
    """Each unknown glyph (font, code) and where it is drawn: (page, line, char) positions."""
    places: dict[tuple[str, int], list[tuple[int, int, int]]] = defaultdict(list)
    for page_number, page in enumerate(document.pages):
        for line_number, line in enumerate(page.lines):
            for index, char in enumerate(line.chars):
                if char.text != UNRESOLVED or char.cid is None or char.font_key is None or char.font_key in skip_fonts:
                    continue
                evidence = fonts.evidence(char.font_key)
                if evidence is None or evidence.symbol_family or evidence.program is None:
                    continue
                places[(char.font_key, char.cid)].append((page_number, line_number, index))
    return dict(places)


def _vote(document: Document, path: Path, places, matches: dict, shapes, kind: dict, languages: dict) -> dict:
    """Readings of the pending glyphs: each line they stand in, read on the page, and each glyph
    read fewer than twice there drawn alone from its program, for a second, independent look."""
    import pypdfium2

    by_line: dict[tuple[int, int], set[int]] = defaultdict(set)
    for key in matches:
        for page_number, line_number, index in places[key]:
            by_line[(page_number, line_number)].add(index)
    votes: dict[tuple[str, int], Counter] = defaultdict(Counter)
    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:  # pdfium cannot open what pdfminer could: the glyphs are read alone below
        pdf, by_line = None, {}
    try:
        for (page_number, line_number), indices in sorted(by_line.items()):
            page = document.pages[page_number]
            line = page.lines[line_number]
            if line.vertical:
                continue
            keys = {index: (line.chars[index].font_key, line.chars[index].cid) for index in indices}
            if all(_settled(votes[kind[key]]) for key in keys.values()):
                continue
            likeness = {index: (matches[key].scores if matches[key] else None) for index, key in keys.items()}
            by_char = _line_languages(line, languages)
            try:
                pdf_page = pdf[page.index]
            except pypdfium2.PdfiumError:  # pdfium cannot load a page pdfminer could: no picture to read
                continue
            for index, symbols in read_page_line(pdf_page, line, likeness, lambda char: by_char[id(char)]).items():
                for symbol in symbols:
                    _add(votes[kind[keys[index]]], symbol)
    finally:
        if pdf is not None:
            pdf.close()
    firsts = {kind[key]: key for key in reversed(list(matches))}
    alone = [key for group, key in firsts.items() if not _settled(votes[group]) and shapes[key] is not None]
    by_language: dict[str, list] = defaultdict(list)
    for key in alone:
        by_language[languages.get(key[0], "jpn")].append(key)
    for language, keys in by_language.items():
        for start in range(0, len(keys), 24):  # a row of glyphs per reading, as a line of text would be
            batch = keys[start : start + 24]
            likeness = [matches[key].scores if matches[key] else None for key in batch]
            for key, symbol in zip(batch, read_shapes([shapes[key] for key in batch], likeness, language)):
                if symbol is not None:
                    _add(votes[kind[key]], symbol)
    return votes


def _line_languages(line, languages: dict) -> dict[int, str]:
    """The model each glyph of a line is read with (by ``id`` of its char).

    A font's own language first (Latin fonts: the Latin model); inside a
    Japanese font, a Latin word (its known letters, and narrow unknown
    glyphs that follow them) is read with the Latin model, and a Chinese citation line
    with the Chinese one.
    """
    chinese = _chinese_line(line)
    chosen: dict[int, str] = {}
    previous = None
    for char in line.chars:
        language = languages.get(char.font_key, "jpn")
        if language == "jpn":
            if char.text != UNRESOLVED and script_of(char.text) == "latin":
                language = "vie"
            elif char.text == UNRESOLVED and previous == "vie" and char.x1 - char.x0 < 0.7 * max(char.size, 1e-6):
                language = "vie"  # a narrow glyph in a Latin word; a full-width one is Japanese
            elif chinese:
                language = "chi_sim"
        chosen[id(char)] = language
        if not char.text.isspace():
            previous = language
    return chosen


def _chinese_line(line) -> bool:
    """A line of Chinese (a citation): kanji outside JIS X 0208 among its known text, and no kana."""
    outside = False
    for char in line.chars:
        code = ord(char.text[0]) if char.text else 0
        if 0x3041 <= code <= 0x30FF:
            return False
        if 0x4E00 <= code <= 0x9FFF and not in_jis_x_0208(char.text[0]):
            outside = True
    return outside


def _add(counter: Counter, symbol: OcrSymbol) -> None:
    """One reading: the recognised character (``#top:`` counts), and its alternatives by score."""
    counter["#readings"] += 1
    counter["#top:" + symbol.text] += 1
    for text, score in symbol.choices:
        counter[text] += max(score, symbol.confidence) if text == symbol.text else score


def _settled(counter: Counter) -> bool:
    """Three readings that agree are enough; later lines add nothing."""
    readings = counter.get("#readings", 0)
    return readings >= 3 and max((n for text, n in counter.items() if text.startswith("#top:")), default=0) >= 0.8 * readings


def _decide(counter: Counter, match: Match | None, shape: GlyphShape | None, font=None) -> tuple[Reading | None, str]:
    """Weigh the readings against the document's known glyphs; a reading, or why there is none.

    A character that Tesseract proposed (as its reading or an alternative)
    and that the document's known glyphs confirm wins; else a known glyph
    far more alike than any other; else a reading made at least twice and
    agreed by most readings, when no known glyph clearly says otherwise.
    """
    readings = counter.get("#readings", 0)
    proposals = {
        text: score / readings
        for text, score in counter.items()
        if not text.startswith("#") and readings and _fits(text, shape, font)
    }
    strong = match is not None and match.score >= STRONG_MATCH and match.margin >= STRONG_MARGIN and _fits(match.text, shape, font)
    if match is not None:
        # the best-looking known text, or one as good; alike enough, or clearly ahead of the others
        floor = max(match.score - TIE, SEEN_ALIKE if match.margin < 0.15 else SEEN_ALIKE - 0.1)
        confirmed = [text for text, score in proposals.items() if score >= 0.2 and _alike(match, text) >= floor]
        if confirmed:
            best = max(confirmed, key=proposals.get)
            if unicodedata.normalize("NFKC", best) == unicodedata.normalize("NFKC", match.text):
                best = match.text  # the document's own form of it: full or half width, as the glyph looks
            return Reading(_width_form(best, shape), "shape_read_and_matched", AGREED_CONFIDENCE), ""
    if strong and match.margin >= (2 if match.score >= STRONG_MATCH + 0.05 else 3) * STRONG_MARGIN:
        return Reading(match.text, "matched_document_glyph", MATCH_ONLY_CONFIDENCE), ""
    tops = {text[5:]: n for text, n in counter.items() if text.startswith("#top:") and text[5:] in proposals}
    if tops and not strong:
        best = max(tops, key=tops.get)
        agreeing, possible = tops[best], sum(tops.values())  # readings the outline rules out do not count
        leads = proposals[best] >= max(proposals.values()) - 0.01
        if agreeing >= 2 and agreeing > possible / 2 and proposals[best] >= 0.4 and leads:
            return Reading(_width_form(best, shape), "glyph_shape_ocr", round(0.5 + 0.3 * min(1.0, agreeing / readings * proposals[best]), 2)), ""
        if agreeing == possible and leads and _structure_confirms(best, shape, font.known_letters() if font else None):
            return Reading(best, "accented_letter_read", 0.7), ""
        return None, "the readings disagree or were made only once"
    if tops:
        return None, "the reading and the document's glyphs disagree"
    if shape is None:
        return None, "the glyph's outline could not be read from its font program"
    return None, "no reading and no known glyph alike"


def _fits(text: str, shape: GlyphShape | None, font) -> bool:
    """Whether the outline could be ``text``: by its form, by the font's own glyph for
    ``text`` (another outline is another character), and by the letter it is built on."""
    if not _agrees_with_shape(text, shape):
        return False
    if font is None or shape is None:
        return True
    own = font.own_glyph(text)
    if own is not None and not shape.same_outline(own):
        return False
    return _built_on(text, shape, font.known_letters())


def _built_on(text: str, shape: GlyphShape | None, letters: dict | None) -> bool:
    """Whether a Latin reading fits the letters the font's own glyphs show it is built on.

    A font draws a plain letter with one glyph, so a glyph other than the
    font's own e is not e; an accented letter holds its base letter's
    outline point for point, so one read as ầ must hold the font's a.
    The horn of ơ and ư reshapes the base, and i and j lose their dot
    under a mark, so those are not held to it.
    """
    if not letters or shape is None or len(text) != 1:
        return True
    decomposed = unicodedata.normalize("NFD", text)
    base = decomposed[0]
    if not base.isascii() or not base.isalpha():
        return True
    if len(decomposed) == 1:
        own = letters.get(text)
        return own is None or shape.same_outline(own)  # the font has its own glyph for the letter, and this is another
    if "\u031b" in decomposed or base in SOFT_DOTTED:
        return True
    held = {letter for letter, parts in letters.items() if shape.holds(parts)}
    if held and base not in held:
        return False
    own = letters.get(base)
    if own is None:
        return True
    # each mark is one contour, but two dots (¨) and a ring (˚) are two
    marks = sum(2 if mark in "\u0308\u030a" else 1 for mark in decomposed[1:])
    return shape.holds(own) and len(shape.drawn) - len(own.drawn) == marks


def _round_character(text: str) -> bool:
    """A character drawn inside a ring or as one: circled numbers and kanji, circles, O and 0, 。 and °."""
    code = ord(text)
    return 0x2460 <= code <= 0x24FF or 0x3200 <= code <= 0x32FF or 0x2776 <= code <= 0x2793 or text in "○◯〇◎●⊙⦿OoＯｏ0０Qq@＠©®。｡°˚º゜"


def _structure_confirms(text: str, shape: GlyphShape | None, letters: dict | None) -> bool:
    """An accented Latin reading whose base letter the outline holds, with one more contour per mark."""
    decomposed = unicodedata.normalize("NFD", text)
    base = decomposed[0]
    if len(decomposed) < 2 or not base.isascii() or not letters or letters.get(base) is None or shape is None:
        return False
    return _built_on(text, shape, letters) and "\u031b" not in decomposed


def _alike(match: Match, text: str) -> float:
    """How much the glyph looks like the document's ``text`` (or its full- or half-width form)."""
    folded = unicodedata.normalize("NFKC", text)
    return max((score for known, score in match.scores.items() if known == text or unicodedata.normalize("NFKC", known) == folded), default=-1.0)


def _width_form(text: str, shape: GlyphShape | None) -> str:
    """ASCII or its full-width form, as the glyph's advance says (JIS X 4051: full-width forms fill the em).

    >>> from pipeline.repair.glyph_shapes import GlyphShape
    >>> one = (((0.4, 0.0), (0.6, 0.0), (0.6, 0.7), (0.4, 0.7)),)
    >>> _width_form("1", GlyphShape(one, 1.0)), _width_form("１", GlyphShape(one, 0.5))
    ('１', '1')
    """
    if shape is None or len(text) != 1 or shape.ink is None:
        return text
    code = ord(text)
    ink_width = shape.ink[2] - shape.ink[0]
    if 0x21 <= code <= 0x7E and shape.advance >= 0.95 and ink_width < 0.7 * shape.advance:
        return chr(code + 0xFEE0)
    if 0xFF01 <= code <= 0xFF5E and shape.advance <= 0.65 and unicodedata.category(text)[0] in ("L", "N"):
        return chr(code - 0xFEE0)  # (proportional fonts set full-width punctuation narrow: that is left to the context)
    return text


def _agrees_with_shape(text: str, shape: GlyphShape | None) -> bool:
    """Whether a character could be what this outline draws.

    One visible character that Japanese text uses; never a combining mark
    (it does not stand alone); a dot-sized outline is punctuation, and a
    dot-like character needs a dot-sized outline, a dash a flat one and a
    vertical bar a thin one.
    """
    if len(text) != 1 or text.isspace() or text == UNRESOLVED or not is_plausible(text):
        return False
    category = unicodedata.category(text)
    if category[0] in ("M", "C"):
        return False
    if shape is None:
        return True
    if shape.is_dot():
        return category[0] in ("P", "S")
    if shape.is_ringed() and not _round_character(text):
        return False
    box = shape.ink
    width, height = box[2] - box[0], box[3] - box[1]
    if text in _DOT_LIKE:
        return width < 0.5 and height < 0.5
    if text in _BAR_LIKE:
        return height < 0.3 and width > 1.5 * height
    if text in _POST_LIKE:
        return width < 0.3 and height > 1.5 * width
    return True


def _apply(document: Document, readings: dict[tuple[str, int], Reading], report: ReadingReport, suspects: set) -> Document:
    """The document with each read glyph's text and its repair row replaced; suspects settled."""
    confirmed = _confirmed_claims(document, readings, suspects)
    pages = []
    replaced: dict[tuple[int, float, float], tuple[Char, Reading | None]] = {}
    for page in document.pages:
        lines = []
        for line in page.lines:
            chars = []
            for char in line.chars:
                reading = readings.get((char.font_key, char.cid)) if char.text == UNRESOLVED else None
                if reading is None and char.text == UNRESOLVED and (char.page, char.x0, char.top) in suspects:
                    if char.raw not in confirmed:  # no evidence against the map's text: it stands
                        replaced[(char.page, char.x0, char.top)] = (char, None)
                        chars.append(replace(char, text=char.raw, raw=None))
                        continue
                if reading is None:
                    chars.append(char)
                    continue
                replaced[(char.page, char.x0, char.top)] = (char, reading)
                if reading.text == "":
                    report.dropped += 1
                    continue
                report.read += 1
                if reading.text == char.raw:
                    chars.append(replace(char, text=char.raw, raw=None))
                else:
                    chars.append(replace(char, text=reading.text))
            if chars:
                lines.append(replace(line, chars=chars))
        pages.append(replace(page, lines=lines))
    steps = []  # appended to the document's steps: the earlier "unknown" step stays in the history
    for repair in document.repairs:
        found = replaced.get((repair.page, repair.x0, repair.top)) if repair.fixed == UNRESOLVED else None
        if found is None:
            continue
        char, reading = found
        if reading is None or reading.text == repair.raw:  # the map's text stands: nothing was changed
            steps.append(replace(repair, raw=repair.fixed, fixed=repair.raw, rule=TAKEN_BACK))
        else:
            steps.append(replace(repair, raw=repair.fixed, fixed=reading.text, rule=reading.rule, confidence=reading.confidence))
    return replace(document, pages=pages, repair_steps=document.repair_steps + tuple(steps))


def _confirmed_claims(document: Document, readings: dict[tuple[str, int], Reading], suspects: set) -> set[str]:
    """Characters that a suspect glyph's shape was read as: the glyph that really is that character."""
    out = set()
    for page in document.pages:
        for line in page.lines:
            for char in line.chars:
                reading = readings.get((char.font_key, char.cid))
                if reading is not None and reading.text == char.raw and (char.page, char.x0, char.top) in suspects:
                    out.add(reading.text)
    return out
