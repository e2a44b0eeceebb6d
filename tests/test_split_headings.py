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
from pipeline.records import Char, Line, Page
from pipeline.run import read_document
from pipeline.split import rank_headings, split_articles

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


# --- real newsletters that head their articles without 【region】 -------------------------------

# Titles read from the page images (pypdfium2 renderings), in reading order.
HAMURA_TAXI = [
    "羽村市のタクシー通学に関する調査報告とご提案",  # the letter's title, over its opening
    "タクシー通学のメリット",
    "タクシー通学の課題と対応策案",
    "小平市におけるタクシー通学の試行運用をしていただくご提案",
    "羽村市のタクシー通学事業・調査結果",
]
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
