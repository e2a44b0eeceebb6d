"""Split stage: furniture kept out of bodies, articles as printed (samples in raw/)."""

from __future__ import annotations

import pytest

from conftest import RAW
from pipeline.records import Char, Line, Page
from pipeline.run import read_document
from pipeline.split import split_articles
from pipeline.split.furniture import classify_page
from pipeline.split.issue import parse_header


@pytest.fixture(scope="module", params=["sample-2025-04.pdf", "sample-2025-05-2col.pdf"])
def sample(request):
    document, body_size = read_document(RAW / request.param)
    return document, split_articles(document.doc_id, document.pages, body_size).articles


def test_four_articles_with_region_and_title(sample):
    _, articles = sample
    assert len(articles) == 4
    for article in articles:
        assert article.region and article.title
        assert "【" not in article.title and "】" not in article.title
        assert len(article.body) > 200


def test_running_header_and_page_numbers_not_in_bodies(sample):
    document, articles = sample
    for article in articles:
        assert "東アジア環境経済レター" not in article.body
        assert "月号" not in article.body
    labels = [page.label for page in document.pages]
    assert labels == ["2", "3", "4"]


def test_captions_sources_and_chart_labels_not_in_bodies(sample):
    _, articles = sample
    bodies = "".join(article.body for article in articles)
    assert "図 " not in bodies and "出所：" not in bodies
    assert "2020 2021 2022" not in bodies


def test_references_and_footnotes_go_to_their_article(sample):
    _, articles = sample
    for article in articles:
        assert "参考：" not in article.body and "https://" not in article.body
        for reference in article.references:
            assert reference.startswith("https://example.")
        for note in article.footnotes:
            assert note[0].isdigit() and "https://example." in note
    assert sum(len(a.references) for a in articles) >= 4
    assert sum(len(a.footnotes) for a in articles) >= 2


def test_footnote_markers_removed_from_body(sample):
    _, articles = sample
    with_notes = [a for a in articles if a.footnotes]
    for article in with_notes:
        number = article.footnotes[0].split()[0]
        assert f"）{number}" not in article.body and f"{number}の活用" not in article.body


def test_author_sign_off_is_taken_out_of_body(sample):
    _, articles = sample
    authors = [a.author for a in articles if a.author]
    assert len(authors) == 2
    for name in authors:
        family, given = name.split(" ")
        assert family and given
    for article in articles:
        assert not article.body.rstrip().endswith("）") or article.author is None


def test_article_flows_across_page_break(sample):
    _, articles = sample
    assert any(a.page_end > a.page_start for a in articles)


def test_paragraphs_joined_with_newline_and_no_space_between_japanese_lines(sample):
    _, articles = sample
    body = articles[0].body
    assert "\n" in body
    assert " " not in body.replace("\n", "").strip() or any(c.isascii() and c.isalpha() for c in body)
    assert not body.startswith("\u3000")


def test_every_body_character_has_a_box_or_was_inserted(sample):
    _, articles = sample
    for article in articles:
        assert len(article.body_boxes) == len(article.body)
        for letter, box in zip(article.body, article.body_boxes):
            assert box is not None or letter in " \n"


def test_issue_metadata_read_from_running_header(sample):
    document, _ = sample
    assert document.newsletter == "東アジア環境経済レター"
    assert document.issue_date in ("2025-04", "2025-05")
    assert document.issue_label.startswith(document.issue_date[:4] + "年")


def test_header_split_into_name_label_and_month():
    info = parse_header("東アジア環境経済レター 令和7年5月号")
    assert info.newsletter == "東アジア環境経済レター" and info.issue_date == "2025-05"


def test_superscript_marker_is_stripped_and_remembered():
    body = [Char(t, "Mincho", 10.0, 10 + 10 * i, 100.0, 20 + 10 * i, 110.0, 0) for i, t in enumerate("発表した")]
    marker = Char("1", "Mincho", 6.0, 50.0, 99.0, 53.0, 105.0, 0)
    period = Char("。", "Mincho", 10.0, 53.0, 100.0, 63.0, 110.0, 0)
    heading = Line([Char(t, "Gothic", 12.0, 10 + 12 * i, 60.0, 22 + 12 * i, 72.0, 0) for i, t in enumerate("【中国】題")], page=0)
    note = Line([Char(t, "Mincho", 7.0, 10 + 7 * i, 780.0, 17 + 7 * i, 787.0, 0) for i, t in enumerate("1出典")], page=0)
    page = Page(0, 595.0, 842.0, [heading, Line(body + [marker, period], page=0), note])
    page = classify_page(page, 10.0)
    (article,) = split_articles("doc", [page], 10.0).articles
    assert article.body == "発表した。"
    assert article.footnotes == ("1 出典",)


def text_line(text: str, top: float, size: float = 10.0, x: float = 60.0, font: str = "Mincho") -> Line:
    step = size if any(ord(c) > 0x2E80 for c in text) else size * 0.5
    return Line([Char(t, font, size, x + i * step, top, x + (i + 1) * step, top + size, 0) for i, t in enumerate(text)], page=0)


def one_page_articles(lines: list[Line]):
    page = Page(0, 595.0, 842.0, lines)
    page = classify_page(page, 10.0)
    return split_articles("doc", [page], 10.0).articles


def test_heading_set_on_two_lines_is_one_title():
    (article,) = one_page_articles(
        [
            text_line("【ベトナム】自家消費型屋根置き太陽光の政令を公布、", 80, size=12, font="Gothic"),
            text_line("企業の再エネ調達に道", 96, size=12, font="Gothic"),
            text_line("政府は政令を公布した。", 130),
        ]
    )
    assert article.region == "ベトナム"
    assert article.title == "自家消費型屋根置き太陽光の政令を公布、企業の再エネ調達に道"
    assert article.body == "政府は政令を公布した。"


def test_url_broken_across_body_lines_is_rejoined_without_space():
    (article,) = one_page_articles(
        [
            text_line("【タイ】題", 80, size=12, font="Gothic"),
            text_line("詳細はhttps://example.org/vn-needs-an-appropriate-ets-", 120),
            text_line("mechanism.htmlを参照。", 134),
        ]
    )
    assert "https://example.org/vn-needs-an-appropriate-ets-mechanism.html" in article.body


def test_latin_words_keep_their_space_across_lines_and_hyphenation_is_undone():
    (article,) = one_page_articles(
        [
            text_line("【タイ】題", 80, size=12, font="Gothic"),
            text_line("報道によるとViet Nam", 120),
            text_line("Newsはenviron-", 134),
            text_line("mentを重視。", 148),
        ]
    )
    assert "Viet Nam News" in article.body
    assert "environment" in article.body


def test_paragraph_break_from_indent_of_a_drawn_full_width_space():
    (article,) = one_page_articles(
        [
            text_line("【タイ】題", 80, size=12, font="Gothic"),
            text_line("一段落目の文。", 120),
            text_line("\u3000二段落目の文。", 134),
        ]
    )
    assert article.body == "一段落目の文。\n二段落目の文。"


def test_superscript_glyph_drawn_full_size_on_the_baseline_is_a_marker():
    # A font with a superscript figure (OpenType ``sups``) draws the marker at
    # the body size on the baseline: its box is a normal digit's, shifted by
    # the Latin font's deeper descent; only the glyph's outline is raised.
    baseline = 108.0

    def body(text: str, x: float) -> Char:
        return Char(text, "Gothic", 10.0, x, 99.0, x + 10, 110.0, 0, baseline=baseline, ink_top=99.5, ink_bottom=109.0)

    def latin(text: str, x: float, ink: tuple[float, float]) -> Char:
        # descent 0.44 em: the box hangs 4.4 pt below the baseline
        return Char(text, "Serif", 10.0, x, 102.4, x + 4, 112.4, 0, baseline=baseline, ink_top=ink[0], ink_bottom=ink[1])

    regular = (baseline - 5.0, baseline)  # a lining figure: from the baseline up half an em
    raised = (baseline - 7.6, baseline - 4.1)  # the superscript figure: 0.41-0.76 em above
    chars = [latin("2", 10, regular), body("年", 14), *(body(t, 24 + 10 * i) for i, t in enumerate("に公表した"))]
    chars += [latin("1", 74, raised), body("。", 78)]
    heading = text_line("【中国】題", 60, size=12, font="Mincho")
    note = text_line("1出典", 780, size=7)
    page = Page(0, 595.0, 842.0, [heading, Line(chars, page=0), note])
    page = classify_page(page, 10.0)
    (article,) = split_articles("doc", [page], 10.0).articles
    assert article.body == "2年に公表した。"
    assert article.footnotes == ("1 出典",)
