"""Columns found by white space, region by region (``pipeline.extract.layout``).

The project's own pages (``tests/fixtures/make_columns.py``, which knows their
truth) hold a three-column flyer under a title and a lead across the page,
with a photo caption over two of its columns and a second page of a
three-column band above a two-column one, and a two-column page whose
last column holds only the tail of the article before.  Small pages of
glyphs built here check the parts alone: bands of one, three and two columns
on one page, a table that is no pair of columns.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import RAW
from pipeline.extract.layout import horizontal_lines
from pipeline.records import Char
from pipeline.run import read_document
from pipeline.split import split_articles

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
import make_columns  # noqa: E402  (the generator's truth; it needs fpdf2 only to rebuild the PDFs)


def _read(name: str):
    path = RAW / make_columns.DOCUMENTS[name].file
    document, body_size = read_document(path)
    articles = split_articles(document.doc_id, document.pages, body_size, document_title=path.stem).articles
    return document, articles


@pytest.fixture(scope="module", params=sorted(make_columns.DOCUMENTS))
def generated(request):
    return request.param, *_read(request.param)


def test_articles_and_titles_are_those_of_the_truth(generated):
    name, _, articles = generated
    truth = make_columns.expected(name)
    assert [article.title for article in articles] == [item["title"] for item in truth]  # articles F1 1.0, titles exact


def test_each_body_is_its_article_text_in_reading_order_with_nothing_interleaved(generated):
    """Equal to the generator's text: no line of a neighbouring column spliced in, none lost, none moved."""
    name, _, articles = generated
    for article, item in zip(articles, make_columns.expected(name)):
        assert article.body.replace("\n", "") == item["body"], article.title


def test_each_article_keeps_its_own_sign_off_and_references(generated):
    name, _, articles = generated
    truth = make_columns.expected(name)
    assert [(article.author, list(article.references)) for article in articles] == [
        (item["author"], item["references"]) for item in truth
    ]


def test_the_flyer_is_read_in_three_columns_below_lines_across_the_page():
    document, _ = _read("flyer")
    first, second = document.pages
    body_columns = {line.column for line in first.lines if line.kind in ("body", "heading", "author")}
    assert body_columns == {0, 1, 2, 3}  # the lead across the page, then three columns
    title = next(line for line in first.lines if line.text == make_columns.FLYER_TITLE)
    assert title.column == 0
    # page 2: three columns, then two below a white band, each column its own number
    three, two = (sorted({line.column for line in second.lines if line.text.strip() and _in(line, story)}) for story in make_columns.FLYER_BANDS)
    assert len(three) == 3 and len(two) == 2 and not set(three) & set(two)


def _in(line, story) -> bool:
    """A body line long enough to tell which story it is from (a short paragraph end may be in both)."""
    text = line.text.strip()
    return line.kind == "body" and len(text) >= 8 and text in "".join(story.paragraphs)


def test_a_photo_caption_across_a_gutter_stays_whole_and_in_order():
    document, articles = _read("flyer")
    captions = [line.text for page in document.pages for line in page.lines if line.kind == "caption"]
    assert captions == list(make_columns.FLYER_CAPTION)
    for article in articles:
        assert not any(piece in article.body for piece in ("本郷", "中洲で羽を休める"))


def test_a_last_column_holding_only_a_tail_is_a_column_of_its_own():
    document, _ = _read("tail")
    second = document.pages[1]
    tail = [line for line in second.lines if line.kind in ("reference", "author") and line.column == 2]
    assert [line.kind for line in tail] == ["reference", "author"]
    assert all(line.column == 1 for line in second.lines if line.kind in ("body", "heading"))


# --- pages of glyphs built here ------------------------------------------------------------------


def glyphs(text: str, x: float, top: float, size: float = 10.0) -> list[Char]:
    return [Char(t, "Mincho", size, x + i * size, top, x + (i + 1) * size, top + size, 0) for i, t in enumerate(text)]


def column(label: str, x: float, top: float, rows: int, width: int) -> list[Char]:
    """``rows`` lines of ``width`` glyphs, each line ``label`` and its number (so every line is told apart)."""
    return [char for row in range(rows) for char in glyphs(f"{label}{row:02d}".ljust(width, "あ"), x, top + 15 * row)]


def test_bands_of_one_three_and_two_columns_read_band_by_band_column_by_column():
    """A title across the page, three columns, then two: each band's columns in turn, top to bottom."""
    chars = glyphs("題" * 30, 100, 40, size=14)
    chars += column("A", 40, 100, 12, 15) + column("B", 215, 100, 12, 15) + column("C", 390, 100, 12, 15)
    chars += column("D", 40, 330, 10, 24) + column("E", 305, 330, 10, 24)
    lines = horizontal_lines(chars, 595.0)
    labels = [line.text[:1] for line in lines]
    assert labels == ["題"] + ["A"] * 12 + ["B"] * 12 + ["C"] * 12 + ["D"] * 10 + ["E"] * 10
    assert [line.text[:3] for line in lines if line.text[0] == "B"] == [f"B{row:02d}" for row in range(12)]
    assert {line.column for line in lines if line.text[0] in "ABCDE"} == {1, 2, 3, 4, 5}


def test_a_table_of_short_cells_is_not_read_as_columns():
    """Under a paragraph across the page, a table of names and figures stays row by row."""
    chars = [char for row in range(4) for char in glyphs("本文" * 25, 40, 40 + 15 * row)]
    for row in range(12):
        chars += glyphs(f"名前{row:02d}", 60, 160 + 15 * row) + glyphs(f"{row * 7:03d}", 330, 160 + 15 * row)
    lines = horizontal_lines(chars, 595.0)
    table = [line.text for line in lines if line.text.startswith("名前")]
    assert table == [f"名前{row:02d} {row * 7:03d}" for row in range(12)]


# --- which article a column's tail ends ------------------------------------------------------------


def _page_lines(spec: list[tuple[str, str, int]]) -> list:
    from pipeline.records import Line

    return [Line(chars=tuple(glyphs(text, 40 + 200 * (column - 1), 40 + 15 * n)), page=1, column=column, kind=kind) for n, (kind, text, column) in enumerate(spec)]


def _split_two_pages(first_page_author: bool, second_author_column: int):
    from pipeline.records import Line, Page

    first = [("heading", "■前の記事", 1), ("body", "前の記事の本文です。", 1)]
    if first_page_author:
        first.append(("author", "（前田）", 1))
    page0 = Page(0, 595, 842, lines=[Line(chars=tuple(glyphs(t, 40, 40 + 15 * n)), page=0, column=c, kind=k) for n, (k, t, c) in enumerate(first)])
    second = [
        ("body", "前の記事の終わりです。", 1),
        ("heading", "■次の記事", 1),
        ("body", "次の記事の本文です。", 1),
        ("author", "（次田）", 1),
        ("reference", "参考：https://example.org/a", second_author_column),
        ("author", "（後藤）", second_author_column),
    ]
    page1 = Page(1, 595, 842, lines=_page_lines(second))
    return split_articles("doc", [page0, page1], 10.0).articles


def test_a_tail_alone_at_the_head_of_the_last_column_ends_the_article_open_when_the_page_began():
    before, after = _split_two_pages(first_page_author=False, second_author_column=2)
    assert (before.author, list(before.references)) == ("後藤", ["https://example.org/a"])
    assert (after.author, list(after.references)) == ("次田", [])


def test_a_tail_read_in_the_same_column_or_for_a_signed_article_stays_where_it_is_read():
    before, after = _split_two_pages(first_page_author=False, second_author_column=1)
    assert before.author is None and after.author == "後藤"  # in the column of the new article: its own
    before, after = _split_two_pages(first_page_author=True, second_author_column=2)
    assert before.author == "前田" and after.author == "後藤"  # the earlier article is signed already


def test_a_name_centred_across_a_gutter_with_its_word_space_in_it_stays_one_line():
    """``本郷 峻`` under a photo set over two columns: the space between the words falls in the gutter."""
    chars = column("A", 40, 40, 20, 24) + column("B", 305, 40, 20, 24)  # a gutter from 280 to 305
    name = glyphs("撮影本郷", 254, 400, size=8) + glyphs("峻", 294, 400, size=8)  # both words reach into it
    lines = horizontal_lines(chars + name, 595.0)
    assert [(line.column, line.text) for line in lines if line.text[0] not in "AB"] == [(0, "撮影本郷峻")]


def test_a_hanging_mark_beside_the_next_column_does_not_join_it():
    """A left line whose 。 hangs into the gutter, beside a right column's line: two lines, not one."""
    chars = column("A", 40, 40, 20, 24) + column("B", 305, 40, 20, 24)
    chars += glyphs("。", 280, 40 + 15 * 5)  # hangs from the sixth line of the left column
    lines = horizontal_lines(chars, 595.0)
    assert [line.column for line in lines if line.text.startswith("A05")] == [1]
    assert [line.text[:3] for line in lines] == [f"A{row:02d}" for row in range(20)] + [f"B{row:02d}" for row in range(20)]


def _split_broken_off(last_line: str):
    from pipeline.records import Page

    first = [("heading", "■前の記事", 1), ("body", "前の記事の本文の一行目です", 1)]
    second = [
        ("body", last_line, 1),  # as wide as the line above: it runs to the column's edge
        ("heading", "■次の記事", 1),
        ("body", "次の記事の本文です。", 1),
        ("author", "（次田）", 1),
        ("body", "の続きです。", 2),
        ("author", "（後藤）", 2),
    ]
    pages = [Page(0, 595, 842, lines=_page_lines(first)), Page(1, 595, 842, lines=_page_lines(second))]
    return split_articles("doc", pages, 10.0).articles


def test_words_broken_off_at_a_column_end_continue_at_the_head_of_the_last_column():
    before, after = _split_broken_off("前の記事の最後の文は途中で")
    assert before.body.replace("\n", "").endswith("途中での続きです。") and before.author == "後藤"
    assert after.body.replace("\n", "") == "次の記事の本文です。" and after.author == "次田"


def test_a_column_head_after_a_finished_article_stays_in_reading_order():
    before, after = _split_broken_off("前の記事はここで終わる。")
    assert "続き" not in before.body and before.author is None
    assert after.body.replace("\n", "").endswith("の続きです。")


def test_a_rule_drawn_across_the_page_parts_bands_with_little_white_between():
    """Three columns, a rule across the page, two columns: the white round the rule is narrower than band_gap."""
    from pipeline.records import Box

    chars = column("A", 40, 100, 12, 15) + column("B", 215, 100, 12, 15) + column("C", 390, 100, 12, 15)
    last_bottom = 100 + 15 * 11 + 10
    chars += column("D", 40, last_bottom + 10, 10, 24) + column("E", 305, last_bottom + 10, 10, 24)  # 10 pt of white
    rule = Box(0, 40, last_bottom + 5, 545, last_bottom + 5.5)
    labels = "".join(line.text[0] for line in horizontal_lines(chars, 595.0, rules=[rule]))
    assert labels == "A" * 12 + "B" * 12 + "C" * 12 + "D" * 10 + "E" * 10
    unruled = horizontal_lines(chars, 595.0)
    assert "B00" in unruled[0].text  # without the rule the two bands are one region, read row across row
