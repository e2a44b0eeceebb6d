"""Settings: every threshold named, typed and documented; defaults are today's behaviour; each one moves its stage."""

from __future__ import annotations

import dataclasses
import inspect
import tomllib
from collections import Counter
from dataclasses import fields, replace

import pytest

from conftest import RAW
from pipeline.extract import read_pages
from pipeline.extract.layout import build_lines, dominant_size, find_gutter, group_rows, horizontal_lines
from pipeline.extract.vertical import split_vertical, vertical_tiers
from pipeline.limits import ConfigError
from pipeline.records import Char, Line, Page
from pipeline.settings import (
    ARTICLES,
    DEFAULT,
    FURNITURE,
    LAYOUT,
    OCR,
    ArticleSettings,
    FurnitureSettings,
    LayoutSettings,
    OcrSettings,
    Settings,
    reference,
)
from pipeline.split import furniture
from pipeline.split.articles import join_body, split_articles
from pipeline.split.furniture import classify_page

AREAS = [LayoutSettings, FurnitureSettings, ArticleSettings, OcrSettings]


# --- every field named, typed and documented ---------------------------------------


@pytest.mark.parametrize("area", AREAS, ids=lambda area: area.__name__)
def test_every_setting_has_a_type_a_default_and_a_description(area):
    assert area.__dataclass_params__.frozen
    assert area.__doc__
    for item in fields(area):
        assert item.type in ("float", "int"), item.name
        assert type(item.default).__name__ == item.type, f"{item.name}: default {item.default!r} is not {item.type}"
        doc = item.metadata.get("doc", "")
        assert len(doc) > 30 and doc.rstrip().endswith((".", ")")), f"{item.name}: {doc!r} says too little"
        assert 0 <= item.metadata["minimum"] <= item.default, item.name


def test_one_place_holds_every_area_and_the_reference_lists_every_field():
    assert {item.name: item.type for item in fields(Settings)} == {
        "layout": "LayoutSettings",
        "furniture": "FurnitureSettings",
        "articles": "ArticleSettings",
        "ocr": "OcrSettings",
    }
    assert Settings() == DEFAULT == Settings(layout=LAYOUT, furniture=FURNITURE, articles=ARTICLES, ocr=OCR)
    rows = list(reference())
    assert len(rows) == sum(len(fields(area)) for area in AREAS)
    assert len({(area, name) for area, name, *_ in rows}) == len(rows)


def test_settings_cannot_be_changed_in_place():
    with pytest.raises(dataclasses.FrozenInstanceError):
        FURNITURE.header_zone = 0.5  # type: ignore[misc]


@pytest.mark.parametrize(
    "stage, default",
    [
        (build_lines, LAYOUT),
        (horizontal_lines, LAYOUT),
        (find_gutter, LAYOUT),
        (group_rows, LAYOUT),
        (dominant_size, LAYOUT),
        (split_vertical, LAYOUT),
        (vertical_tiers, LAYOUT),
        (classify_page, FURNITURE),
        (split_articles, ARTICLES),
        (join_body, ARTICLES),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_stage_takes_its_settings_by_keyword_with_the_default_instance(stage, default):
    assert inspect.signature(stage).parameters["settings"].default is default


def test_old_module_names_are_the_defaults():
    assert furniture.HEADER_ZONE == FURNITURE.header_zone == 0.10
    assert furniture.FOOTER_ZONE == FURNITURE.footer_zone == 0.08


# --- the defaults are today's behaviour -----------------------------------------------

# What extract (without repair) and split made of the samples before the thresholds had names:
# body size, gutters, printed page numbers, line kinds per page, and per article its pages,
# body length, paragraph breaks, footnotes, references and sign-off; then the markers taken out.
TODAY = {
    "sample-2025-04.pdf": {
        "body_size": 10.5,
        "gutters": [None, None, None],
        "labels": ["2", "3", "4"],
        "kinds": [
            {"author": 1, "body": 21, "caption": 2, "footnote": 2, "header": 1, "heading": 2, "label": 6, "page_number": 1, "reference": 1},
            {"author": 1, "body": 28, "footnote": 1, "header": 1, "heading": 1, "page_number": 1, "reference": 2},
            {"body": 8, "header": 1, "heading": 1, "page_number": 1, "reference": 1},
        ],
        "articles": [(0, 0, 708, 3, 1, 1, True), (0, 1, 653, 3, 1, 2, False), (1, 1, 641, 3, 1, 0, True), (2, 2, 328, 1, 0, 1, False)],
        "markers": [(0, "1"), (0, "2"), (1, "3")],
    },
    "sample-2025-05-2col.pdf": {
        "body_size": 10.5,
        "gutters": [(285.0, 307.0), (287.0, 307.0), None],
        "labels": ["2", "3", "4"],
        "kinds": [
            {"author": 1, "body": 58, "caption": 2, "footnote": 1, "header": 2, "heading": 2, "label": 7, "page_number": 1, "reference": 1},
            {"author": 1, "body": 64, "footnote": 1, "header": 2, "heading": 2, "page_number": 1, "reference": 3},
            {"body": 13, "header": 1, "page_number": 1},
        ],
        "articles": [(0, 0, 792, 5, 1, 1, True), (0, 1, 655, 4, 0, 1, False), (1, 1, 670, 4, 0, 2, True), (1, 2, 547, 4, 1, 0, False)],
        "markers": [(0, "1"), (1, "2")],
    },
}


def every_default_as_toml() -> str:
    """A config file that writes out every setting at its default value."""
    text = []
    for area in fields(Settings):
        text.append(f"[settings.{area.name}]")
        text.extend(f"{item.name} = {item.default!r}" for item in fields(area.default_factory()))
    return "\n".join(text)


def summary(name: str, settings: Settings | None) -> dict:
    given = {} if settings is None else {"settings": settings.layout}
    raw_pages = list(read_pages(RAW / name))
    pages = [Page(p.index, p.width, p.height, build_lines(p.chars, p.width, **given)) for p in raw_pages]
    gutters = [find_gutter(p.chars, p.width, **given) for p in raw_pages]
    body_size = dominant_size([line for page in pages for line in page.lines], **given)
    given = {} if settings is None else {"settings": settings.furniture}
    pages = [classify_page(page, body_size, **given) for page in pages]
    given = {} if settings is None else {"settings": settings.articles}
    split = split_articles("doc", pages, body_size, **given)
    return {
        "body_size": body_size,
        "gutters": gutters,
        "labels": [page.label for page in pages],
        "kinds": [dict(Counter(line.kind for line in page.lines)) for page in pages],
        "articles": [
            (a.page_start, a.page_end, len(a.body), a.body.count("\n"), len(a.footnotes), len(a.references), a.author is not None)
            for a in split.articles
        ],
        "markers": [(marker.page, marker.number) for marker in split.markers],
    }


@pytest.mark.parametrize("name", sorted(TODAY))
def test_defaults_reproduce_the_samples_as_before(name):
    assert summary(name, None) == TODAY[name]
    written_out = Settings.from_toml(tomllib.loads(every_default_as_toml()))
    assert written_out == DEFAULT
    assert summary(name, written_out) == TODAY[name]


# --- each threshold moves its stage the expected way ----------------------------------


def glyphs(text: str, x: float, top: float, size: float = 10.0, font: str = "Mincho") -> list[Char]:
    return [Char(t, font, size, x + i * size, top, x + (i + 1) * size, top + size, 0) for i, t in enumerate(text)]


def line_of(text: str, top: float, size: float = 10.0, x: float = 60.0, font: str = "Mincho") -> Line:
    return Line(glyphs(text, x, top, size, font), page=0)


def kinds(lines: list[Line], settings: FurnitureSettings = FURNITURE) -> list[str]:
    page = classify_page(Page(0, 595.0, 842.0, lines), 10.0, settings=settings)
    return [line.kind for line in page.lines]


BODY = [line_of("本文の行がここに続いている。", 200 + 14 * i) for i in range(5)]


def test_a_deeper_header_zone_makes_a_small_line_near_the_top_a_header():
    near_top = line_of("東アジア環境経済レター", 100.0, size=8.0)  # below 10 % of 842 pt, above the body
    assert kinds([near_top] + BODY)[0] == "label"
    assert kinds([near_top] + BODY, replace(FURNITURE, header_zone=0.15))[0] == "header"


def test_a_higher_small_ratio_makes_slightly_smaller_type_small():
    slightly_smaller = line_of("少し小さい文字の行である。", 300.0, size=9.5)
    assert kinds(BODY + [slightly_smaller])[-1] == "body"
    assert kinds(BODY + [slightly_smaller], replace(FURNITURE, small_ratio=0.96))[-1] == "label"  # small, inside the body


def test_a_higher_large_ratio_makes_a_slightly_larger_line_body():
    slightly_larger = line_of("少し大きい見出し", 150.0, size=11.0, font="Gothic")
    assert kinds([slightly_larger] + BODY)[0] == "heading"
    assert kinds([slightly_larger] + BODY, replace(FURNITURE, large_ratio=1.12))[0] == "body"


def test_a_larger_author_indent_keeps_a_half_right_name_in_the_body():
    name = line_of("（山田 太郎）", 280.0, x=140.0)  # starts 80 pt into a column 150 pt wide (60-210 pt with the name)
    assert kinds(BODY + [name])[-1] == "author"
    assert kinds(BODY + [name], replace(FURNITURE, author_indent=0.6))[-1] == "body"


def test_a_wider_centre_band_makes_an_off_centre_footer_line_a_page_number():
    off_centre = line_of("ii", 800.0, x=378.0)  # 90 pt right of the centre of a 595 pt page, no digits
    assert kinds(BODY + [off_centre])[-1] == "body"
    assert kinds(BODY + [off_centre], replace(FURNITURE, page_number_centre=0.2))[-1] == "page_number"


def articles_of(lines: list[Line], settings: ArticleSettings = ARTICLES):
    heading = line_of("【中国】見出し", 80.0, size=12.0, font="Gothic")
    page = classify_page(Page(0, 595.0, 842.0, [heading] + lines), 10.0)
    return split_articles("doc", [page], 10.0, settings=settings).articles


def test_a_smaller_paragraph_indent_makes_a_small_indent_a_new_paragraph():
    lines = [line_of("一行目の文章である。", 200.0), line_of("二行目の文章である。", 214.0, x=64.0), line_of("三行目。", 228.0)]
    (article,) = articles_of(lines)
    assert "\n" not in article.body  # 4 pt is under half an em of 10 pt
    (article,) = articles_of(lines, replace(ARTICLES, paragraph_indent=0.3))
    assert article.body == "一行目の文章である。\n二行目の文章である。三行目。"


def test_a_smaller_marker_size_ratio_keeps_a_raised_digit_in_the_text():
    marker = Char("1", "Mincho", 6.0, 100.0, 199.0, 103.0, 205.0, 0)
    body = Line(glyphs("発表した", 60.0, 200.0) + [marker] + glyphs("。", 103.0, 200.0), page=0)
    (article,) = articles_of([body])
    assert article.body == "発表した。"
    (article,) = articles_of([body], replace(ARTICLES, marker_size_ratio=0.5))
    assert article.body == "発表した1。"


def two_columns(rows: int = 20) -> list[Char]:
    """Rows of twenty 10-pt glyphs from 50 to 250 pt and from 270 to 470 pt: a 20 pt gutter."""
    return [char for row in range(rows) for x in (50.0, 270.0) for char in glyphs("あ" * 20, x, 100 + 14 * row)]


def test_a_wider_minimum_gutter_reads_two_columns_as_one():
    chars = two_columns()
    assert find_gutter(chars, 520.0) is not None
    assert find_gutter(chars, 520.0, settings=replace(LAYOUT, min_gutter_width=30.0)) is None


def test_a_larger_row_overlap_splits_glyphs_half_a_line_apart():
    chars = glyphs("あ", 60.0, 100.0) + glyphs("い", 70.0, 105.0)  # boxes overlap by half their height
    assert len(group_rows(chars)) == 1
    assert len(group_rows(chars, settings=replace(LAYOUT, row_overlap=0.6))) == 2


def test_a_longer_minimum_run_reads_three_stacked_glyphs_as_horizontal():
    column = [Char(t, "Mincho", 10.0, 200.0, 100 + 10 * i, 210.0, 110 + 10 * i, 0) for i, t in enumerate("縦書き")]
    horizontal, vertical, _ = split_vertical(column)
    assert (len(horizontal), len(vertical)) == (0, 3)
    horizontal, vertical, _ = split_vertical(column, settings=replace(LAYOUT, vertical_min_run=4))
    assert (len(horizontal), len(vertical)) == (3, 0)


def test_the_default_body_size_is_used_only_without_glyphs():
    assert dominant_size([]) == 10.0
    assert dominant_size([], settings=replace(LAYOUT, default_body_size=9.0)) == 9.0


# --- from_toml ------------------------------------------------------------------------


def test_from_toml_overrides_only_the_keys_given():
    settings = Settings.from_toml(tomllib.loads("[settings.furniture]\nheader_zone = 0.15\nbody_line_min_chars = 2\n"))
    assert settings.furniture == replace(FURNITURE, header_zone=0.15, body_line_min_chars=2)
    assert settings.layout == LAYOUT and settings.articles == ARTICLES


def test_from_toml_without_settings_gives_the_defaults():
    assert Settings.from_toml({}) == DEFAULT
    assert Settings.from_toml(tomllib.loads("[limits]\nseconds = 30\n")) == DEFAULT


def test_a_whole_number_is_taken_for_a_float_setting():
    settings = Settings.from_toml({"settings": {"layout": {"min_gutter_width": 8}}})
    assert settings.layout.min_gutter_width == 8.0 and isinstance(settings.layout.min_gutter_width, float)


@pytest.mark.parametrize(
    "table, message",
    [
        ({"furniture": {"header_zon": 0.1}}, "unknown setting 'settings.furniture.header_zon'"),
        ({"furnitures": {"header_zone": 0.1}}, r"unknown settings area \[settings.furnitures\]"),
        ({"furniture": 0.1}, "settings.furniture must be a table"),
        ({"furniture": {"header_zone": "0.1"}}, "'settings.furniture.header_zone' must be a finite number of at least 0"),
        ({"furniture": {"header_zone": True}}, "'settings.furniture.header_zone' must be a finite number"),
        ({"furniture": {"header_zone": -0.1}}, "'settings.furniture.header_zone' must be a finite number of at least 0"),
        ({"furniture": {"header_zone": float("nan")}}, "'settings.furniture.header_zone' must be a finite number"),
        ({"furniture": {"body_line_min_chars": 4.5}}, "'settings.furniture.body_line_min_chars' must be a whole number"),
        ({"articles": {"column_edge_rank": 0}}, "'settings.articles.column_edge_rank' must be a whole number of at least 1"),
    ],
)
def test_from_toml_refuses_unknown_keys_and_wrong_values_naming_the_key(table, message):
    with pytest.raises(ConfigError, match=message):
        Settings.from_toml({"settings": table})


def test_settings_that_are_not_a_table_are_refused():
    with pytest.raises(ConfigError, match=r"\[settings\] must be a table"):
        Settings.from_toml({"settings": 3})


def test_an_unknown_key_names_the_config_file():
    with pytest.raises(ConfigError, match=r"^config file news\.toml: unknown setting 'settings\.layout\.gutter'"):
        Settings.from_toml({"settings": {"layout": {"gutter": 6}}}, source="config file news.toml")


def test_docs_list_every_setting_as_generated():
    from pathlib import Path

    from pipeline.settings import markdown

    docs = (Path(__file__).resolve().parents[1] / "docs" / "settings.md").read_text(encoding="utf-8")
    generated = docs.split("<!-- BEGIN GENERATED: python -m pipeline.settings -->\n")[1].split("<!-- END GENERATED -->")[0]
    assert generated == markdown(), "docs/settings.md is out of date: python -m pipeline.settings"


def test_a_config_file_sets_the_stages_thresholds_for_a_run(tmp_path, capsys):
    import shutil

    import pandas as pd

    from conftest import RAW
    from pipeline.cli import main

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "sample-2025-04.pdf", raw / "issue.pdf")
    config = tmp_path / "config.toml"
    # no line is large enough to be a 【region】 heading, nor short enough to be one found by typography
    config.write_text("[settings.furniture]\nlarge_ratio = 5.0\nheading_max_chars = 1\n", encoding="utf-8")
    common = [str(raw), "--quiet", "--no-entities", "--jobs", "1"]
    assert main(["extract", *common, "--out", str(tmp_path / "default")]) == 0
    main(["extract", *common, "--out", str(tmp_path / "configured"), "--config", str(config)])
    default = pd.read_parquet(tmp_path / "default" / "articles.parquet")
    configured = pd.read_parquet(tmp_path / "configured" / "articles.parquet")
    assert len(default) > 1 and set(default["heading_rule"]) == {"region"}
    # nothing heads an article: the whole issue is one, named after the file, and flagged so
    assert list(configured["heading_rule"]) == ["document"] and list(configured["title"]) == ["issue"]

    config.write_text("[settings.furniture]\nlarge_ration = 5.0\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        main(["extract", *common, "--out", str(tmp_path / "refused"), "--config", str(config)])
    assert stopped.value.code == 2 and "large_ration" in capsys.readouterr().err
    assert not (tmp_path / "refused").exists()
