"""Audit report bounds: a PDF of thousands of pages, file names at the file system's limit, a run stopped midway.

The 20,000-page case of the probe takes about a minute to *extract* here,
so the test uses 3,000 pages with a small ``--max-page-images``; the bound
it checks is the same.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest

from pdf_bytes import many_pages_pdf, pdf_file, stream
from pipeline.audit import pages as pages_module
from pipeline.audit.pages import STEM_BYTES, file_stem
from pipeline.audit.report import MAX_PAGE_IMAGES, STOPPED_EARLY, TIME_LIMIT, DocumentView, build_report, page_ranges, pages_by_use
from pipeline.cli import main

LINES = (b"Quarterly report 2024", b"Sales rose 12% to 3,400 yen on 2024-04-01", b"Tokyo office opened in May 2023 with 25 staff")


def shared_content_pdf(n_pages: int) -> bytes:
    """``n_pages`` pages that all draw one content stream: a 3,000-page file of 400 KB, made in milliseconds."""
    content = b"\n".join(b"BT /F1 12 Tf 72 %d Td (%s) Tj ET" % (720 - 20 * number, line) for number, line in enumerate(LINES))
    kids = b" ".join(b"%d 0 R" % (6 + n) for n in range(n_pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n_pages),
        b"<< /Font << /F1 4 0 R >> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        stream(zlib.compress(content), b"/Filter /FlateDecode"),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 3 0 R /Contents 5 0 R >>"] * n_pages
    return pdf_file(objects)


def extract(raw: Path, out: Path) -> None:
    assert main(["extract", str(raw), "--out", str(out), "--no-entities", "--jobs", "1", "--quiet"]) == 0


def images_of(out: Path, stem: str) -> list[Path]:
    return pages_module.image_names(out / "audit" / "pages", stem)


@pytest.fixture(scope="module")
def long_run(tmp_path_factory):
    raw = tmp_path_factory.mktemp("long-raw")
    (raw / "long.pdf").write_bytes(shared_content_pdf(3000))
    out = tmp_path_factory.mktemp("long-out")
    extract(raw, out)
    return raw, out


def test_thousands_of_pages_draw_at_most_the_limit_with_a_note(long_run, capsys):
    raw, out = long_run
    assert main(["audit", str(out), "--raw", str(raw), "--max-page-images", "12"]) == 0
    err = capsys.readouterr().err
    assert "long: page images for pages 13–3000 not rendered: over the limit of 12" in err
    index = (out / "audit" / "index.html").read_text(encoding="utf-8")
    assert 'href="long.html"' in index and STOPPED_EARLY not in index
    assert len(images_of(out, "long")) == 12
    page = (out / "audit" / "long.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="warning">page images for pages 13–3000 not rendered: over the limit of 12; run `newsletter-extract audit --max-page-images 3000`', page)


def test_images_drawn_once_are_reused(long_run, monkeypatch):
    raw, out = long_run
    assert main(["audit", str(out), "--raw", str(raw), "--max-page-images", "12"]) == 0

    def no_drawing(*args, **kwargs):
        raise AssertionError("a page was drawn again")

    monkeypatch.setattr(pages_module, "render_page", no_drawing)
    assert main(["audit", str(out), "--raw", str(raw), "--max-page-images", "12"]) == 0
    page = (out / "audit" / "long.html").read_text(encoding="utf-8")
    # pages past the limit say so (the document is one article now, so they are shown); no drawn page is missing
    assert "no image" not in page.replace("13–3000: no image (over the limit of 12 page images)", "")


def test_out_of_time_leaves_the_report_usable_with_a_note(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "short.pdf").write_bytes(many_pages_pdf(3))
    extract(raw, tmp_path / "out")
    assert main(["audit", str(tmp_path / "out"), "--raw", str(raw), "--time-limit", "1e-9"]) == 0
    assert "short: page images for pages 1–3 not rendered: the time limit of 1e-09 s ran out" in capsys.readouterr().err
    assert images_of(tmp_path / "out", "short") == []
    assert 'href="short.html"' in (tmp_path / "out" / "audit" / "index.html").read_text(encoding="utf-8")


def test_negative_time_limit_is_bad_usage(tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["audit", str(tmp_path), "--time-limit", "-1"])
    assert exit_info.value.code == 2


def test_help_gives_the_defaults_the_report_uses(capsys):
    with pytest.raises(SystemExit):
        main(["audit", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert f"(default: {MAX_PAGE_IMAGES})" in help_text and f"(default: {TIME_LIMIT:g};" in help_text


def test_pages_shown_with_boxes_are_drawn_first():
    mention = {"page": 9, "x0": 1.0, "top": 1.0, "x1": 2.0, "bottom": 2.0}
    view = DocumentView(
        document={"doc_id": "d"},
        articles=[{"article_id": "d-a01", "page_start": 5, "page_end": 6}],
        mentions={"figure": {"d-a01": [mention]}, "date": {}, "entity": {}},
        repairs=[{**mention, "page": 2}],
        page_labels={},
        images={},
        crops=[],
        warnings=[],
    )
    # page 9 has a box on a page the article shows; page 2's repair is on no page shown
    assert pages_by_use(view, 10)[:6] == [9, 5, 6, 1, 2, 3]


def test_page_ranges_are_short():
    assert page_ranges([201, *range(202, 20001)]) == "pages 201–20000"
    assert page_ranges(list(range(1, 40, 2)), most=3) == "pages 1, 3, 5 and 17 more"


def test_a_251_character_file_name_gets_its_report_page(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / ("a" * 247 + ".pdf")).write_bytes(many_pages_pdf(2))
    out = tmp_path / "out"
    extract(raw, out)
    report = build_report(out, raw)
    assert len(report.documents) == 1 and report.documents[0].exists()
    stem = file_stem("a" * 247)
    assert report.documents[0].name == f"{stem}.html"
    assert f'href="{stem.replace("=", "%3D")}.html"' in report.index.read_text(encoding="utf-8")
    assert len(images_of(out, stem)) == 2
    for path in (out / "audit").rglob("*"):
        assert len(path.name.encode("utf-8")) <= 255, path.name


@pytest.mark.parametrize(
    "doc_id",
    ["a" * 300, "会報" * 100, "../etc/passwd", "nul\x00and/slash", "lone\udcffsurrogate", ".hidden", "", "x=" + "0" * 12],
)
def test_odd_or_long_ids_give_short_plain_stable_names(doc_id):
    stem = file_stem(doc_id)
    assert stem == file_stem(doc_id)
    assert len(stem.encode("utf-8")) <= STEM_BYTES
    assert re.fullmatch(r"[\w.~=-]+", stem) and not stem.startswith(".")
    assert stem != doc_id  # only plain, short ids are kept as they are, and those have no "="


def test_shortened_names_stay_unique():
    ids = ["a" * 300, "a" * 299 + "b", "a" * 200, "a" * 201, "a/b", "a_b", "a?b"]
    assert len({file_stem(doc_id) for doc_id in ids}) == len(ids)
    assert file_stem("sample-2025-04~2") == "sample-2025-04~2"


def test_index_is_written_before_the_page_images(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "stopped.pdf").write_bytes(many_pages_pdf(4))
    out = tmp_path / "out"
    extract(raw, out)
    index = out / "audit" / "index.html"
    draw = pages_module.render_page
    drawn = []

    def draw_one_then_stop(*args, **kwargs):
        if drawn:
            raise KeyboardInterrupt
        drawn.append(index.exists())
        return draw(*args, **kwargs)

    monkeypatch.setattr(pages_module, "render_page", draw_one_then_stop)
    with pytest.raises(KeyboardInterrupt):
        build_report(out, raw)
    assert drawn == [True]
    text = index.read_text(encoding="utf-8")
    assert STOPPED_EARLY in text and 'href="stopped.html"' in text
    assert "page images for pages 1–4 not drawn yet" in (out / "audit" / "stopped.html").read_text(encoding="utf-8")
    assert len(images_of(out, "stopped")) == 1

    monkeypatch.setattr(pages_module, "render_page", draw)
    build_report(out, raw)
    assert STOPPED_EARLY not in index.read_text(encoding="utf-8")
    assert "not drawn yet" not in (out / "audit" / "stopped.html").read_text(encoding="utf-8")
    assert len(images_of(out, "stopped")) == 4
