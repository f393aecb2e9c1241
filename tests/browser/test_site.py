"""The static site in Chromium over http://127.0.0.1: every page loads with no
console error and no request leaving the machine (screenshot of each under
build/screenshots/site-<page>.png), math is typeset by the local MathJax, the left
navigation lists every chapter on chapter pages, and no widget that needs a
kernel looks live: explorers show their stored picture with a note."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from .browser_util import free_port, screenshot
from .explorer_pages import MOVE_EVERY_EXPLORER

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "build" / "site"
PAGES = ["index", *(f"notebooks/{p.stem}" for p in sorted((ROOT / "notebooks").glob("*.ipynb")))]
DEAD_CONTROLS = ".jupyter-widgets, [class*='widget-']"


@pytest.fixture(scope="module")
def site_url():
    if not (SITE / "index.html").exists():
        pytest.fail(f"{SITE} is missing: `make html` builds it (make test does)")
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep the test output readable
            pass

    handler = functools.partial(Quiet, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("path", PAGES)
def test_page_opens_offline_without_console_errors(page, site_url, path):
    page.goto(f"{site_url}/{path}.html")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text().strip()
    assert page.locator(DEAD_CONTROLS).count() == 0
    screenshot(page, "site-" + path.split("/")[-1], full_page=False)
    assert page.log.external == []
    assert page.log.errors == [], page.log.errors


def test_chapter_math_is_typeset_from_the_local_mathjax(page, site_url):
    page.goto(f"{site_url}/notebooks/02_feature_map_size.html")
    page.wait_for_function("() => document.querySelectorAll('mjx-container').length > 3",
                           timeout=30_000)
    assert page.log.external == []


def test_index_lists_chapters_in_the_index_notebooks_order(page, site_url):
    page.goto(f"{site_url}/index.html")
    links = page.locator(".bd-main a.reference.internal").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")
    chapters = [h for h in links if h.startswith("notebooks/0")]
    assert chapters == sorted(chapters) and len(chapters) >= 2


def test_left_navigation_lists_every_chapter_on_a_chapter_page(page, site_url):
    page.goto(f"{site_url}/notebooks/03_transposed_convolution.html")
    nav = page.locator(".bd-sidebar-primary nav.bd-links")
    assert nav.is_visible()
    hrefs = nav.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    pages = {h.split("#")[0] for h in hrefs}
    assert len(pages) >= len(PAGES) - 1
    current = nav.locator("li.current > a, a.current").first
    assert "Transposed" in current.inner_text()
    nav.locator("a", has_text="Dilated").first.click()
    page.wait_for_url("**/04_dilated_convolution.html*")


def test_explorers_are_alive_without_a_kernel(page, site_url):
    """01's conv-step explorer and 03's three run on the site, from their stored values;
    no page shows a frozen picture with a 'needs a live kernel' note."""
    for chapter, names in (("01_convolution", {"conv_step"}),
                           ("03_transposed_convolution", {"transposed", "both_directions"})):
        page.goto(f"{site_url}/notebooks/{chapter}.html")
        page.wait_for_selector("[data-explorer]")
        moved = page.evaluate(MOVE_EVERY_EXPLORER)
        assert names <= {m["name"] for m in moved} and all(m["moved"] for m in moved), moved
        assert page.locator(".needs-kernel-note").count() == 0
    assert page.log.errors == [] and page.log.external == []


def test_speaker_notes_sit_in_closed_presenter_elements(page, site_url):
    page.goto(f"{site_url}/notebooks/03_transposed_convolution.html")
    notes = page.evaluate("""() => [...document.querySelectorAll('details.presenter-notes')]
        .map(d => ({open: d.open, summary: d.querySelector('summary').innerText,
                    visible: d.querySelector('p') && d.querySelector('p').checkVisibility()}))""")
    assert len(notes) >= 5
    assert all(not n["open"] and not n["visible"] for n in notes), notes
    assert {n["summary"] for n in notes} == {"Notes for presenters"}
    page.locator("details.presenter-notes summary").first.click()
    assert page.evaluate("() => document.querySelector('details.presenter-notes').open")
    assert page.evaluate("() => document.querySelector('details.presenter-notes p').checkVisibility()")
