"""The static site in Chromium over http://127.0.0.1: the index page and a chapter
page load with no console error and no request leaving the machine."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from .browser_util import free_port

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "build" / "site"


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


@pytest.mark.parametrize("path", ["index.html", "notebooks/02_feature_map_size.html"])
def test_page_opens_offline_without_console_errors(page, site_url, path):
    page.goto(f"{site_url}/{path}")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text().strip()
    assert page.log.external == []
    assert page.log.errors == [], page.log.errors


def test_chapter_math_is_typeset_from_the_local_mathjax(page, site_url):
    page.goto(f"{site_url}/notebooks/02_feature_map_size.html")
    page.wait_for_function("() => document.querySelectorAll('.MathJax, .MathJax_CHTML').length > 3",
                           timeout=30_000)
    assert page.log.external == []


def test_index_lists_chapters_in_the_index_notebooks_order(page, site_url):
    page.goto(f"{site_url}/index.html")
    links = page.locator(".bd-main a.reference.internal").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")
    chapters = [h for h in links if h.startswith("notebooks/0")]
    assert chapters == sorted(chapters) and len(chapters) >= 2
