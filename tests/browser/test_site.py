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


def test_header_is_one_row_at_1280(page, site_url):
    """The header holds the title and the search field on one row (the chapters are in
    the left sidebar): no wrapped row of long chapter titles."""
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{site_url}/notebooks/02_feature_map_size.html")
    height = page.evaluate("() => document.querySelector('header').getBoundingClientRect().height")
    assert height <= 80, height


@pytest.mark.parametrize("name", [p.split("/")[-1] for p in PAGES if p.startswith("notebooks/")])
def test_every_chapter_page_offers_its_notebook(page, site_url, name):
    """A download of the page's own notebook, with its outputs, that JupyterLab can open;
    no repository or Binder link while course.toml names no repository."""
    import json
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    import links

    page.goto(f"{site_url}/notebooks/{name}.html")
    link = page.locator(".notebook-links a.notebook-download")
    assert link.is_visible() and link.get_attribute("href") == f"{name}.ipynb"
    body = page.evaluate("async url => (await fetch(url)).text()", f"{name}.ipynb")
    nb = json.loads(body)
    stored = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    assert [c["source"] for c in nb["cells"]] == [c["source"] for c in stored["cells"]]
    assert sum(len(c.get("outputs", [])) for c in nb["cells"]) == \
        sum(len(c.get("outputs", [])) for c in stored["cells"])
    expected = links.page_links(*links.setting(), name)
    shown = {cls: page.locator(f".notebook-links a.notebook-{cls}") for cls in ("repository", "binder")}
    for cls, loc in shown.items():
        if cls in expected:
            assert loc.get_attribute("href") == expected[cls]
        else:
            assert loc.count() == 0
    header = ".notebook-links a[href*='mybinder.org'], .notebook-links a[href*='github.com']"
    assert page.locator(header).count() == len(expected)   # (the chapter's own references may link GitHub)


def test_search_snippets_show_formulas_as_text(page, site_url):
    """A search hit on a page with formulas shows them read as text (⌊…⌋), not LaTeX."""
    page.goto(f"{site_url}/search.html?q=floor")
    page.wait_for_selector("#search-results ul.search li p.context", timeout=30_000)
    snippets = page.locator("#search-results li p.context").all_inner_texts()
    assert snippets and not any("\\" in s for s in snippets), snippets[:3]
    assert page.evaluate("() => latexToText('\\\\(\\\\lfloor (i - k)/s \\\\rfloor + 1\\\\)')") \
        == "⌊ (i - k)/s ⌋ + 1"
    screenshot(page, "site-search-floor", full_page=False)


def test_chinese_glossary_terms_render_in_a_cjk_font(page, site_url):
    """The page's font stack names CJK fonts, and on this machine (make browser-deps installs
    fonts-wqy-microhei) fontconfig resolves Chinese text to one, so the glossary's terms are
    drawn as glyphs, not boxes (screenshot: site-glossary-cjk.png)."""
    import subprocess

    zh = subprocess.run(["fc-match", ":lang=zh-cn", "family"], capture_output=True, text=True)
    assert "WenQuanYi" in zh.stdout, f"no CJK font: apt-get install fonts-wqy-microhei ({zh.stdout!r})"
    page.goto(f"{site_url}/notebooks/00_index.html")
    page.locator("td", has_text="卷积").first.scroll_into_view_if_needed()
    family = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "WenQuanYi Micro Hei" in family and "Noto Sans CJK SC" in family, family
    screenshot(page, "site-glossary-cjk", full_page=False)
