"""Headings found by typography: articles in documents that do not head them with 【region】.

The project's own bulletins (``tests/fixtures/make_heading_styles.py``, which
knows their truth) exercise ■ / numbered / boxed headings; two real
newsletters of ``../shared/corpus/real-ja`` are checked against the titles a
reader sees on their pages.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import RAW, REAL_JA, need_shared
from dataclasses import replace

from pipeline.records import Box, Char, Line, Page
from pipeline.run import read_document
from pipeline.split import rank_headings, split_articles
from pipeline.split.headings import signals_of

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
import make_heading_styles  # noqa: E402  (the generator's truth; it needs fpdf2 only to rebuild the PDFs)


def _articles(path: Path):
    document, body_size = read_document(path)
    return split_articles(document.doc_id, document.pages, body_size, document_title=path.stem).articles


@pytest.fixture(scope="module", params=sorted(make_heading_styles.STYLES))
def bulletin(request):
    style = request.param
    return style, _articles(RAW / f"headings-{style}.pdf")


def test_each_heading_style_gives_the_articles_and_titles_of_its_truth(bulletin):
    style, articles = bulletin
    truth = make_heading_styles.expected(style)
    assert [article.title for article in articles] == [title for title, _ in truth]  # articles F1 1.0, titles exact
    assert [list(article.sections) for article in articles] == [sections for _, sections in truth]
    assert {article.heading_rule for article in articles} == {"typography"}
    assert all(article.region is None for article in articles)


def test_sub_headings_stand_on_lines_of_their_own_in_the_body(bulletin):
    _, articles = bulletin
    for article in articles:
        for section in article.sections:
            assert f"\n{section}\n" in article.body


def test_each_article_keeps_its_own_text_and_figures(bulletin):
    _, articles = bulletin
    for article, part in zip(articles, make_heading_styles.PARTS):
        assert part.lead in article.body.replace("\n", "")
        for _, text in part.subparts:
            assert text in article.body.replace("\n", "")


def _line(text: str, top: float, size: float = 10.0, font: str = "Mincho", kind: str = "body") -> Line:
    chars = [Char(t, font, size, 50 + i * size, top, 50 + (i + 1) * size, top + size, 0) for i, t in enumerate(text)]
    return Line(chars=chars, page=0, kind=kind)


def test_a_document_without_headings_is_one_article_named_after_it():
    page = Page(0, 595, 842, lines=[_line("本文の一行目です。市は3億円を使いました。", 100), _line("本文の二行目です。", 115)])
    pages = rank_headings([page], 10.0)
    (article,) = split_articles("doc", pages, 10.0, document_title="city-report").articles
    assert (article.title, article.heading_rule, article.region) == ("city-report", "document", None)
    assert "3億円" in article.body


def test_text_before_the_first_heading_opens_an_article_titled_by_its_first_heading_like_line():
    lines = [
        _line("調査報告", 60, size=14),  # a title set once: not a level of the articles
        _line("前書きの本文です。", 90),
        _line("■第一の話題", 120),
        _line("第一の本文です。", 135),
        _line("■第二の話題", 165),
        _line("第二の本文です。", 180),
    ]
    pages = rank_headings([Page(0, 595, 842, lines=lines)], 10.0)
    articles = split_articles("doc", pages, 10.0, document_title="report").articles
    assert [(a.title, a.heading_rule) for a in articles] == [
        ("調査報告", "opening"),
        ("■第一の話題", "typography"),
        ("■第二の話題", "typography"),
    ]


def test_entries_that_head_no_text_open_no_article():
    """A list of ● items (or a cover's contents) heads nothing: its entries are sections, not articles."""
    lines = [_line("本文の一行目です。", 60)] + [_line(f"●項目{n}の名前", 80 + 15 * n) for n in range(4)] + [_line("本文の続きです。", 160)]
    pages = rank_headings([Page(0, 595, 842, lines=lines)], 10.0)
    (article,) = split_articles("doc", pages, 10.0, document_title="list").articles
    assert article.heading_rule == "document"
    assert len(article.sections) == 3  # the first ● line titles the document, the rest are its sections


def test_a_sentence_or_a_wrapped_line_is_no_heading():
    lines = [
        _line("■これは文です。", 60),  # ends a sentence
        _line("大きな字の本文が次の行へ", 80, size=14),  # runs into the next line, same type, as wide
        _line("続いていきます", 100, size=14),
    ]
    kinds = [line.kind for line in rank_headings([Page(0, 595, 842, lines=lines)], 10.0)[0].lines]
    assert kinds[:2] == ["body", "body"]


# --- signals beside size, face and pattern ------------------------------------------------------


def _styled(line: Line, **fields) -> Line:
    return replace(line, chars=[replace(char, **fields) for char in line.chars])


def _body_page(extra: list[Line], rules=(), frames=(), top: float = 60) -> list[Line]:
    """Two paragraphs of body text (a line every 15 pt) with ``extra`` lines between them."""
    before = [_line("本文の一行目です。市の事業について説明します。", top + 15 * n) for n in range(3)]
    after_top = max([line.bottom for line in extra], default=top + 45) + 8
    after = [_line("本文の続きです。詳しくは窓口へお問い合わせください。", after_top + 15 * n) for n in range(3)]
    return Page(0, 595, 842, lines=[*before, *extra, *after], rules=tuple(rules), frames=tuple(frames))


def _kinds(page: Page) -> dict[str, str]:
    return {line.text: line.kind for line in rank_headings([page], 10.0)[0].lines}


def test_a_line_drawn_in_stroked_bold_at_body_size_stands_out():
    heading = _styled(_line("事業の概要", 108), fake_bold=True)
    assert _kinds(_body_page([heading]))["事業の概要"] == "section"
    assert _kinds(_body_page([_line("事業の概要", 108)]))["事業の概要"] == "body"  # the same line, not stroked: body


def test_an_underline_marks_a_heading_but_a_rule_that_runs_on_past_it_does_not():
    heading = _line("事業の概要", 108)  # 50 to 100 pt, 108 to 118
    underline = Box(0, 50, 119, 100, 119.6)
    assert _kinds(_body_page([heading], rules=[underline]))["事業の概要"] == "section"
    table_rule = Box(0, 50, 119, 545, 119.6)  # a rule across the measure: a table's or a divider, not this line's
    assert _kinds(_body_page([heading], rules=[table_rule]))["事業の概要"] == "body"


def test_a_coloured_underlined_line_is_set_as_a_link_not_as_a_heading():
    link = _styled(_line("市のホームページ", 108), color="#0563c1")
    page = _body_page([link], rules=[Box(0, 50, 119, 130, 119.6)])
    body = replace(page, lines=[_styled(line, color="#000000") if line is not link else line for line in page.lines])
    assert _kinds(body)["市のホームページ"] == "body"


def test_colour_alone_is_weak_but_with_white_space_above_it_marks_a_heading():
    coloured = _styled(_line("事業の概要", 108), color="#c00000")
    spaced = _styled(_line("事業の概要", 130), color="#c00000")  # 40 pt below the line before: more than 1.6 pitches of 15

    def black(page: Page) -> Page:
        return replace(page, lines=[line if line.text == "事業の概要" else _styled(line, color="#000000") for line in page.lines])

    assert _kinds(black(_body_page([coloured])))["事業の概要"] == "body"
    assert _kinds(black(_body_page([spaced])))["事業の概要"] == "section"


def test_a_box_round_the_line_marks_it_unless_the_box_is_a_cell_of_a_table():
    heading = _line("事業の概要", 108)
    box = Box(0, 46, 105, 104, 121)
    assert _kinds(_body_page([heading], frames=[box]))["事業の概要"] == "section"
    neighbour = Box(0, 104.5, 105, 300, 121)  # a cell beside it: a table's head row
    assert _kinds(_body_page([_styled(heading, fake_bold=True)], frames=[box, neighbour]))["事業の概要"] == "body"


def test_the_last_line_of_a_paragraph_set_in_stroked_bold_is_no_heading():
    paragraph = [
        _styled(_line("①朝の到着時間が早いため、担当者が勤務時間の前に出勤して受け入れを", 108), fake_bold=True),
        _styled(_line("している", 123), fake_bold=True),
    ]
    kinds = _kinds(_body_page(paragraph))
    assert kinds["している"] == "body"


@pytest.mark.parametrize(("style", "expected_signals"), [("stroked", {"fake_bold", "underline"}), ("coloured", {"colour", "space_above"})])
def test_the_fixture_headings_are_found_by_the_signals_they_are_drawn_with(style, expected_signals):
    from pipeline.split import headings

    document, body_size = read_document(RAW / f"headings-{style}.pdf")
    body = headings._body(list(document.pages), body_size, headings.FURNITURE)
    titles = {title for title, _ in make_heading_styles.expected(style)}
    found = {}
    for page in document.pages:
        measures = headings._measures(page)
        for position, line in enumerate(page.lines):
            if line.text.strip() in titles:
                found[line.text.strip()] = signals_of(line, headings._line_above(page.lines, position), page, measures, body)
    assert set(found) == titles
    assert all(signals & {"fake_bold", "underline", "colour", "space_above", "ruled"} == expected_signals for signals in found.values())
    assert all(line.size == pytest.approx(body_size) for page in document.pages for line in page.lines if line.text.strip() in titles)


# --- real newsletters that head their articles without 【region】 -------------------------------

# Titles read from the page images (pypdfium2 renderings), in reading order.
HAMURA_TAXI = [
    "羽村市のタクシー通学に関する調査報告とご提案",  # the letter's title, over its opening
    "タクシー通学のメリット",
    "タクシー通学の課題と対応策案",
    "小平市におけるタクシー通学の試行運用をしていただくご提案",
    "羽村市のタクシー通学事業・調査結果",
]
# Two sub-headings of the last part, set at body size and marked only by stroked bold (text render mode 2).
HAMURA_TAXI_BOLD_SECTIONS = ["羽村市の特別支援学級（情緒固定級と知的固定級）", "羽村市教育委員会のご回答まとめ"]
FLAT_REPORT = [
    "市議会議員とはなんぞや",
    "よくある誤解",
    "小平市議・安竹洋平の4年間ハイライト",
    "特別支援学級の通学支援",
    "３月定例会でのトピックス",
    "小平市の課題は…たくさんあります",
]


def test_hamura_taxi_report_comes_out_as_the_parts_a_reader_sees():
    articles = _articles(need_shared(REAL_JA / "yasutake__hamura-taxi.pdf"))
    assert [article.title for article in articles] == HAMURA_TAXI
    assert [article.heading_rule for article in articles] == ["opening"] + ["typography"] * 4
    merits = articles[1]
    assert merits.sections[0].startswith("［メリット1］")
    results = articles[-1]
    assert [section for section in results.sections if section in HAMURA_TAXI_BOLD_SECTIONS] == HAMURA_TAXI_BOLD_SECTIONS
    assert "羽村市ホームページより" not in results.sections  # a link (blue, underlined) under a figure: no heading
    for article in articles:  # the last lines of items set in bold are no headings
        assert not any(section.startswith(("把握し", "育支援課")) for section in article.sections)


def test_flat_report_comes_out_as_the_articles_a_reader_sees():
    articles = _articles(need_shared(REAL_JA / "yasutake__flat-report-r5sp.pdf"))
    cover, *rest = articles
    # the cover: its masthead mixes horizontal and vertical type, read as the glyphs are drawn
    assert cover.heading_rule == "opening" and cover.title.startswith("ふらっとレポート")
    assert [article.title for article in rest] == FLAT_REPORT
    assert "よくある誤解" in cover.sections  # the cover's contents head no text: sections, not articles


@pytest.mark.parametrize(
    "name",
    sorted(path.name for path in REAL_JA.glob("*.pdf") if "kokuji" not in path.name) if REAL_JA.exists() else ["absent"],
)
def test_no_real_document_with_text_is_left_without_articles(name):
    """Every real-ja document whose text is read gives articles (kokuji, 247 pages, is checked by hand: see the closing note)."""
    path = need_shared(REAL_JA / name)
    document, body_size = read_document(path)
    if not any(line.kind in ("body", "section", "heading") for page in document.pages for line in page.lines):
        pytest.skip(f"{name}: only page furniture was read (nothing for an article)")
    assert split_articles(document.doc_id, document.pages, body_size, document_title=path.stem).articles


def test_flat_report_boxes_set_in_two_columns_are_read_column_by_column():
    """Page 4's two boxes side by side (07 and its neighbour) and page 7's two-column box: each column read whole.

    With one gutter per page their lines were read row across row, the two
    boxes' sentences interleaved line by line (``…のため採択困難とも…``).
    """
    articles = _articles(need_shared(REAL_JA / "yasutake__flat-report-r5sp.pdf"))
    bodies = "".join(article.body.replace("\n", "") for article in articles)
    assert "関係者のために法整備された重大事態の扱い。市が真摯に向き合ってこなかったことから" in bodies
    assert "情報公開の徹底/庁内連携推進/内部統制の試行推進" in bodies
