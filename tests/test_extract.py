"""Extract stage: glyph records and reading order, on the project's own samples."""

from __future__ import annotations

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
