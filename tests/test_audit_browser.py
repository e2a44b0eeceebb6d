"""The audit report in a real browser: headless Chromium (Debian's), driven by Playwright.

Boxes must sit where the tables' bboxes say (bbox * rendered image scale),
a click on a table row must highlight and show its box, and the page must
load nothing from the network.  `.ci/run` installs Debian's chromium; the
tests skip, saying so, only when no chromium can be found.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pdfplumber
import pytest
from PIL import Image

from conftest import RAW
from test_audit_report import copy_tables

from pipeline.audit.report import build_report

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}
TOLERANCE = 1.0  # pixels


def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def chromium():
    executable = find_chromium()
    if executable is None:
        pytest.skip("chromium not found (not on PATH, not /usr/bin/chromium, $CHROMIUM unset): `apt-get install chromium`, as .ci/run does")
    return executable


@pytest.fixture(scope="module")
def report(sample_run, tmp_path_factory):
    out = copy_tables(sample_run[0], tmp_path_factory.mktemp("browser-report"))
    build_report(out, RAW)
    return out


@pytest.fixture(scope="module")
def browser(chromium, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh, empty profile
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=chromium, headless=True, args=CHROMIUM_FLAGS, viewport=VIEWPORT, device_scale_factor=1
        )
        network: list[str] = []

        def only_local(route):
            url = route.request.url
            if url.startswith(("file:", "data:")):
                route.continue_()
            else:
                network.append(url)
                route.abort()

        context.route("**/*", only_local)
        context.network = network
        yield context
        context.close()


@pytest.fixture
def page(browser):
    tab = browser.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    assert not tab.errors, f"JavaScript errors: {tab.errors}"
    assert not browser.network, f"the report asked the network for {browser.network}"
    tab.close()


def open_document(page, report: Path, doc_id: str):
    page.goto((report / "audit" / f"{doc_id}.html").resolve().as_uri())
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(image => image.loading = 'eager')")
    wait_until(page, "Array.from(document.images).every(image => image.complete && image.naturalWidth > 0)")


def wait_until(page, expression: str, timeout: float = 20.0) -> None:
    """Poll an expression from the test side.

    Playwright's wait_for_function polls with code the report's
    Content-Security-Policy forbids (no 'unsafe-eval'); page.evaluate goes
    through DevTools and is not subject to it.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {expression}")
        time.sleep(0.05)


def page_sizes(pdf: Path) -> dict[int, tuple[float, float]]:
    with pdfplumber.open(pdf) as document:
        return {number: (p.width, p.height) for number, p in enumerate(document.pages, start=1)}


BOX_GEOMETRY = """
() => Array.from(document.querySelectorAll('.box.figure')).map(box => {
  const image = box.closest('.sheet').querySelector('img').getBoundingClientRect();
  const rect = box.getBoundingClientRect();
  return {key: box.dataset.key, page: Number(box.closest('figure.page').dataset.page),
          left: rect.left - image.left, top: rect.top - image.top, right: rect.right - image.left, bottom: rect.bottom - image.top,
          imageWidth: image.width, imageHeight: image.height};
})
"""


@pytest.mark.parametrize("doc_id", ["sample-2025-04", "sample-2025-05-2col"])
def test_every_figure_box_is_drawn_where_its_bbox_says(page, report, doc_id):
    figures = pd.read_parquet(report / "figures.parquet")
    figures = figures[figures["doc_id"] == doc_id].set_index("figure_id")
    sizes = page_sizes(RAW / pd.read_parquet(report / "documents.parquet").set_index("doc_id").loc[doc_id, "source"])
    open_document(page, report, doc_id)
    drawn = {box["key"].split(":", 1)[1]: box for box in page.evaluate(BOX_GEOMETRY)}
    assert set(drawn) == set(figures.index), "every figure has exactly one box"
    for figure_id, box in drawn.items():
        figure = figures.loc[figure_id]
        assert box["page"] == figure["page"]
        width, height = sizes[box["page"]]
        scale_x, scale_y = box["imageWidth"] / width, box["imageHeight"] / height
        assert abs(scale_x - scale_y) < 0.01, "the page image keeps its aspect ratio"
        expected = {"left": figure["x0"] * scale_x, "top": figure["top"] * scale_y, "right": figure["x1"] * scale_x, "bottom": figure["bottom"] * scale_y}
        for edge, value in expected.items():
            assert abs(box[edge] - value) <= TOLERANCE, f"{figure_id} {edge}: drawn at {box[edge]:.1f}px, bbox says {value:.1f}px"


def test_click_on_a_row_highlights_and_shows_its_box(page, report, tmp_path):
    doc_id = "sample-2025-04"
    figures = pd.read_parquet(report / "figures.parquet")
    articles = pd.read_parquet(report / "articles.parquet")
    last_article = articles[articles["doc_id"] == doc_id].sort_values("seq").iloc[-1]["article_id"]
    figure = figures[figures["article_id"] == last_article].iloc[-1]  # far down the page: the click must scroll to it
    key = f"figure:{figure['figure_id']}"
    open_document(page, report, doc_id)
    assert page.evaluate("window.scrollY") == 0

    row = page.locator(f'tr[data-key="{key}"]')
    row.scroll_into_view_if_needed()
    row.locator("td.sentence").click()

    active = page.evaluate("Array.from(document.querySelectorAll('.box.active')).map(box => box.dataset.key)")
    assert active == [key], "exactly the clicked row's box is highlighted"
    assert "active" in row.get_attribute("class")
    rect = page.locator(f'.box[data-key="{key}"]').bounding_box()
    assert 0 <= rect["y"] and rect["y"] + rect["height"] <= VIEWPORT["height"], "the box is scrolled into view"
    assert 0 <= rect["x"] and rect["x"] + rect["width"] <= VIEWPORT["width"]

    # The highlight is really painted: just outside the box its orange frame, then the amber (#fab005) outline.
    screenshot = tmp_path / "audit-report.png"
    page.screenshot(path=str(screenshot))
    keep = os.environ.get("AUDIT_SCREENSHOT")
    if keep:
        shutil.copy(screenshot, keep)
    image = Image.open(screenshot).convert("RGB")
    middle = int(rect["y"] + rect["height"] / 2)
    frame = image.getpixel((round(rect["x"]) - 1, middle))
    assert frame[0] > 170 and frame[1] < 150 and frame[2] < 90, f"the figure's orange frame pixel is {frame}"
    outline = image.getpixel((round(rect["x"]) - 4, middle))
    assert abs(outline[0] - 0xFA) < 40 and abs(outline[1] - 0xB0) < 40 and outline[2] < 60, f"the amber outline pixel is {outline}"


def test_click_on_a_box_finds_its_row_and_filter_and_sort_work(page, report):
    doc_id = "sample-2025-05-2col"
    open_document(page, report, doc_id)
    first_panel = page.locator(".panel").first
    box = page.locator(".box.date").first
    key = box.get_attribute("data-key")
    box.click()
    row = page.locator(f'tr[data-key="{key}"]')
    assert row.is_visible() and "active" in row.get_attribute("class"), "the dates tab opens on the clicked date's row"

    page.locator(".tabs button[data-panel]").first.click()  # back to the first article's figures
    units = [text.strip() for text in first_panel.locator("tbody tr td:nth-child(4)").all_inner_texts()]
    wanted = next(unit for unit in units if unit)
    first_panel.locator("input[type=search]").fill(wanted)
    visible = first_panel.locator("tbody tr:visible")
    assert 0 < visible.count() < len(units) or len(set(units)) == 1
    assert all(wanted in text for text in visible.all_inner_texts())
    first_panel.locator("input[type=search]").fill("")

    first_panel.locator("th", has_text="value").click()
    values = [float(value) for value in first_panel.locator("tbody tr td.number[data-sort]").evaluate_all("cells => cells.map(cell => cell.dataset.sort)")]
    assert values == sorted(values)


def test_decide_button_gives_a_line_for_decisions_csv(page, report):
    doc_id = "sample-2025-04"
    figure = pd.read_parquet(report / "figures.parquet").query("doc_id == @doc_id").iloc[0]
    open_document(page, report, doc_id)
    row = page.locator(f'tr[data-key="figure:{figure["figure_id"]}"]')
    row.locator('button[data-decision="wrong"]').click()
    assert page.locator("#decision-bar").is_visible()
    line = page.locator("#decision-line").input_value()
    assert next(csv.reader(io.StringIO(line))) == [figure["figure_id"], "figures", "wrong", "", "", figure["surface"], ""]
    page.locator("#add-line").click()
    assert page.locator("#decision-list").input_value().strip() == line


def test_index_opens_offline_and_links_to_documents(page, report):
    page.goto((report / "audit" / "index.html").resolve().as_uri())
    assert "Audit report" in page.title() or page.locator("h1").inner_text() == "Audit report"
    cards = dict(zip(page.locator(".card .label").all_inner_texts(), page.locator(".card .number").all_inner_texts()))
    assert cards["documents"] == str(len(pd.read_parquet(report / "documents.parquet")))
    assert cards["figures"] == str(len(pd.read_parquet(report / "figures.parquet")))
    page.locator("a", has_text="sample-2025-05-2col").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("sample-2025-05-2col.html")
