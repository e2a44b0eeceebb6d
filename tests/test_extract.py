"""Extract stage: glyph records and reading order, on the project's own samples."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from conftest import RAW
from pipeline.extract import ExtractError, build_lines, read_pages
from pipeline.extract.layout import find_gutter

ONE_COLUMN = RAW / "sample-2025-04.pdf"
TWO_COLUMNS = RAW / "sample-2025-05-2col.pdf"


def first_page(path: Path):
    return next(iter(read_pages(path)))


def test_chars_keep_font_size_and_box():
    page = first_page(ONE_COLUMN)
    assert page.chars, "the sample has a text layer"
    char = next(c for c in page.chars if c.text == "【")
    assert "IPAexGothic" in char.fontname
    assert char.size > 10
    assert 0 <= char.x0 < char.x1 <= page.width
    assert 0 <= char.top < char.bottom <= page.height


def test_one_column_page_has_no_gutter():
    page = first_page(ONE_COLUMN)
    assert find_gutter(page.chars, page.width) is None


def test_two_column_page_reads_left_column_before_right():
    page = first_page(TWO_COLUMNS)
    gutter = find_gutter(page.chars, page.width)
    assert gutter is not None and gutter[0] > page.width * 0.35 and gutter[1] < page.width * 0.65
    text = "\n".join(line.text for line in build_lines(page.chars, page.width))
    # the first article runs down the left column and on at the top of the right one
    left_end = text.index("摘している。")
    right_start = text.index("対象企業の負担を和らげる")
    next_heading = text.index("【韓国】")
    assert left_end < right_start < next_heading


def test_lines_are_whole_sentences_not_column_interleavings():
    page = first_page(TWO_COLUMNS)
    lines = build_lines(page.chars, page.width)
    heading = next(line for line in lines if line.text.startswith("【ベトナム】"))
    assert heading.text == "【ベトナム】排出量取引の試験運用へ"
    assert heading.column == 1


def test_not_a_pdf_raises_a_readable_error(tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_text("hello")
    with pytest.raises(ExtractError, match="not a PDF"):
        list(read_pages(fake))


def test_empty_file_raises_a_readable_error(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(ExtractError, match="empty file"):
        list(read_pages(empty))


def column_of(text: str, x: float, top: float = 100.0, size: float = 10.0, page: int = 0):
    """Glyphs drawn one under the other, as vertical text is."""
    from pipeline.records import Char

    return [Char(t, "Mincho", size, x, top + i * size, x + size, top + (i + 1) * size, page) for i, t in enumerate(text)]


def test_vertical_columns_read_top_to_bottom_right_to_left():
    chars = column_of("あいうえお", 200.0) + column_of("かきくけこ", 185.0)
    lines = build_lines(chars, 300.0)
    assert [line.text for line in lines] == ["あいうえお", "かきくけこ"]
    assert all(line.vertical for line in lines)


def test_vertical_tiers_read_top_tier_first():
    top_tier = column_of("一段目右", 200.0, top=50.0) + column_of("一段目左", 185.0, top=50.0)
    bottom_tier = column_of("二段目右", 200.0, top=200.0) + column_of("二段目左", 185.0, top=200.0)
    lines = build_lines(top_tier + bottom_tier, 300.0)
    assert [line.text for line in lines] == ["一段目右", "一段目左", "二段目右", "二段目左"]


def test_vertical_font_cmap_marks_text_vertical_even_for_two_glyphs():
    chars = [replace(char, vertical_font=True) for char in column_of("日本", 200.0)]
    (line,) = build_lines(chars, 300.0)
    assert line.vertical and line.text == "日本"


def test_slanted_title_kept_as_one_line_in_drawing_order():
    from pipeline.records import Char

    title = [Char(t, "Gothic", 10.0, 50 + 9 * i, 40 + 1.3 * i, 59 + 9 * i, 50 + 1.3 * i, 0) for i, t in enumerate("最近の主な活動")]
    under = [Char(t, "Gothic", 10.0, 45 + 9 * i, 52 + 1.3 * i, 54 + 9 * i, 62 + 1.3 * i, 0) for i, t in enumerate("お知らせします")]
    lines = build_lines(title + under, 300.0)
    assert [line.text for line in lines] == ["最近の主な活動", "お知らせします"]


def test_real_vertical_files_read_in_order():
    from conftest import REAL_JA, need_shared

    need_shared(REAL_JA)
    jo = [line.text for page in read_pages(REAL_JA / "pdfminer__jo.pdf") for line in build_lines(page.chars, page.width)]
    assert jo[1:4] == ["わたくしといふ現象は", "假定された有機交流電燈の", "ひとつの青い照明です"]
    first = next(iter(read_pages(REAL_JA / "pdfjs__vertical.pdf")))
    assert [line.text for line in build_lines(first.chars, first.width)][:2] == ["あいうえお", "日本語"]


def _tatechuyoko(before: str, digits: str, after: str, x: float, top: float = 100.0, size: float = 10.0):
    """A column with half-width digits set upright side by side in one em (縦中横), as Word and InDesign draw them."""
    from pipeline.records import Char

    head = column_of(before, x, top, size)
    cell_top = top + len(before) * size
    left = x + (size - len(digits) * size / 2) / 2
    run = [Char(d, "Mincho", size, left + i * size / 2, cell_top, left + (i + 1) * size / 2, cell_top + size, 0) for i, d in enumerate(digits)]
    tail = column_of(after, x, cell_top + size, size)
    return head + run + tail  # drawing order: down the column, the digits left to right


def test_sideways_numbers_in_vertical_text_stay_in_their_line():
    chars = _tatechuyoko("この規則の注", "12", "に規定する基準", 200.0) + _tatechuyoko("次の項目", "(3)", "の通りとする", 180.0)
    lines = build_lines(chars, 300.0)
    assert [line.text for line in lines] == ["この規則の注12に規定する基準", "次の項目(3)の通りとする"]
    assert all(line.vertical for line in lines)


def test_two_digit_item_numbers_wider_than_their_column_and_side_by_side_stay_in_their_columns():
    """kokuji sets (10) (11) … across neighbouring columns at one height: each run is centred on its own column, wider than it."""
    from pipeline.records import Char

    chars = []
    for number, x in (("(11)", 180.0), ("(10)", 200.0)):  # 8.5 pt digits in 10 pt columns; the two runs stand 5 pt apart
        run = [Char(t, "Mincho", 8.5, x - 2.5 + i * 3.75, 86.0, x - 2.5 + (i + 1) * 3.75, 94.5, 0) for i, t in enumerate(number)]
        chars = run + column_of("当該病棟の基準", x, top=100.0) + chars
    lines = build_lines(chars, 300.0)
    assert [line.text for line in lines] == ["(10)当該病棟の基準", "(11)当該病棟の基準"]


def test_kokuji_item_numbers_and_note_numbers_stay_in_their_lines():
    """kokuji.pdf sets (1) (2) and 注10 upright across its columns; page 8 had them on a line after the page, page 40 split 注10."""
    from conftest import REAL_JA, need_shared

    pages = {}
    for page in read_pages(need_shared(REAL_JA) / "saka1029-pdf__kokuji.pdf"):
        if page.index in (7, 39):
            pages[page.index] = [line for line in build_lines(page.chars, page.width)]
        if page.index >= 39:
            break
    eight = [line.text.strip() for line in pages[7]]
    assert any(text.startswith("(1) 療養の給付") for text in eight) and any(text.startswith("(2) 保険医療機関") for text in eight)
    forty = [line.text.strip() for line in pages[39]]
    assert sum("注10の場合を除く" in text for text in forty) == 2
    for lines in pages.values():  # no digit left on a line of its own, nor any horizontal text on these all-vertical pages
        assert all(line.vertical for line in lines if line.text.strip())
        assert not any(line.text.strip().isdigit() for line in lines)


def test_ruby_beside_a_vertical_column_leaves_its_text_and_is_kept_with_its_base():
    """Furigana in half-size kana just right of the base column, drawn between the base glyphs as Word draws them."""
    from pipeline.records import Char

    base = column_of("患者の褥瘡対策を行う", 200.0, size=14.0)
    ruby = [Char(t, "Mincho", 7.0, 214.0, 142.0 + i * 7.0, 221.0, 149.0 + i * 7.0, 0) for i, t in enumerate("じよくそう")]
    chars = base[:4] + ruby[:3] + base[4:5] + ruby[3:] + base[5:] + column_of("次の列です", 180.0, size=14.0)
    lines = build_lines(chars, 300.0)
    assert [line.text for line in lines] == ["患者の褥瘡対策を行う", "次の列です"]
    (reading,) = lines[0].ruby
    assert (reading.base, reading.text) == ("褥瘡", "じよくそう")


def test_kokuji_ruby_is_kept_apart_from_the_text():
    from conftest import REAL_JA, need_shared

    for page in read_pages(need_shared(REAL_JA) / "saka1029-pdf__kokuji.pdf"):
        if page.index == 15:
            lines = build_lines(page.chars, page.width)
            break
    line = next(line for line in lines if "褥瘡対策" in line.text)
    assert line.text.startswith("(2)褥瘡対策を行う") and [(r.base, r.text) for r in line.ruby] == [("褥瘡", "じよくそう")]
    assert not any("じよく" in other.text for other in lines)


def test_the_projects_vertical_notice_reads_as_its_truth():
    """tests/fixtures/make_vertical.py: 縦中横 numbers (第12条, (3), 10年) and ruby (褥瘡 じよくそう, 罹患 りかん), drawn as Word draws them."""
    import sys
    from pathlib import Path

    fixtures = Path(__file__).resolve().parent / "fixtures"
    sys.path.insert(0, str(fixtures))
    import make_vertical

    (page,) = list(read_pages(fixtures.parents[1] / "raw" / "vertical-notice.pdf"))
    lines = [line for line in build_lines(page.chars, page.width) if line.text.strip()]
    assert [line.text for line in lines] == make_vertical.COLUMNS
    assert all(line.vertical for line in lines)
    found = [(index, ruby.base, ruby.text) for index, line in enumerate(lines) for ruby in line.ruby]
    assert found == make_vertical.RUBY


def test_the_projects_furigana_notice_reads_as_its_truth():
    """tests/fixtures/make_furigana.py: half-size kana centred over horizontal base words, a long reading overhanging the kana beside its kanji."""
    import sys

    from pipeline.reading import read_pdf

    fixtures = Path(__file__).resolve().parent / "fixtures"
    sys.path.insert(0, str(fixtures))
    import make_furigana

    (page,) = read_pdf(RAW / "furigana-notice.pdf").pages
    lines = [line for line in page.lines if line.text.strip()]
    assert [line.text for line in lines] == [make_furigana.TITLE, *make_furigana.LINES]  # no line of ruby among them
    found = [(index, ruby.base, ruby.text) for index, line in enumerate(lines[1:]) for ruby in line.ruby]
    assert found == make_furigana.RUBY
    for line in lines[1:]:
        for ruby in line.ruby:  # the reading's base box is its base glyphs' box on the line
            assert ruby.base_box.top == pytest.approx(line.top) and line.x0 <= ruby.base_box.x0 < ruby.base_box.x1 <= line.x1


def _horizontal(text: str, x: float, top: float, size: float):
    from pipeline.records import Char

    return [Char(t, "Gothic", size, x + i * size, top, x + (i + 1) * size, top + size, 0) for i, t in enumerate(text)]


def test_small_kana_over_horizontal_text_is_ruby_only_when_centred_over_kanji():
    from pipeline.extract.ruby import take_horizontal_ruby
    from pipeline.records import Line

    base = Line(chars=_horizontal("市の褥瘡対策です", 50.0, 100.0, 12.0), page=0)
    reading = Line(chars=_horizontal("じょくそう", 71.0, 93.5, 6.0), page=0)  # 30 pt centred over 褥瘡 (74 to 98)
    (line,) = take_horizontal_ruby([reading, base])
    assert line.text == "市の褥瘡対策です" and [(r.base, r.text) for r in line.ruby] == [("褥瘡", "じょくそう")]

    over_kana = Line(chars=_horizontal("のです", 134.0, 93.5, 6.0), page=0)  # over です: kana read no kana
    assert take_horizontal_ruby([over_kana, base]) == [over_kana, base]
    same_size = Line(chars=_horizontal("おしらせ", 50.0, 86.0, 12.0), page=0)  # a line of text above, not small type
    assert take_horizontal_ruby([same_size, base]) == [same_size, base]
    far_above = Line(chars=_horizontal("じょくそう", 71.0, 70.0, 6.0), page=0)  # a note well above, not in the line gap
    assert take_horizontal_ruby([far_above, base]) == [far_above, base]
