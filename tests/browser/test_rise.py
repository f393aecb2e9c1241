"""Live presenting: a chapter rendered as slides by jupyterlab-rise inside JupyterLab,
its cells run in the slideshow (Shift+Enter), and a slider dragged with the mouse
recomputes the figure (ArrowRight on a focused slider would change slide). Speaker
notes, collapsed in the notebook, still reach the speaker view in full. At
1280x720 the prose is at least 24 px on screen (notebooks/rise.css). Screenshot:
build/screenshots/rise-02_feature_map_size.png."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from .browser_util import screenshot

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from slide_meta import is_note, note_text  # noqa: E402

FIRST_IMAGE_SLIDE = """() => {
  const img = document.querySelector('.jp-OutputArea .widget-image');
  if (!img) return null;
  const section = img.closest('section');
  return section && section.id;
}"""


PROSE_PX = """() => {
  const p = document.querySelector('.reveal .slides section.present .jp-RenderedMarkdown p');
  const slides = document.querySelector('.reveal .slides');
  const scale = slides.getBoundingClientRect().width / slides.offsetWidth;
  return p ? parseFloat(getComputedStyle(p).fontSize) * scale : null;
}"""


@pytest.fixture
def room_page(browser):
    """A 1280x720 window, a projector's size."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    yield context.new_page()
    context.close()


def test_slider_recomputes_in_a_live_rise_slideshow(room_page, lab_server):
    page = room_page
    base, token = lab_server
    page.goto(f"{base}/rise/02_feature_map_size.ipynb?token={token}")
    page.locator(".reveal .slides section.present h1").first.wait_for(timeout=120_000)
    page.wait_for_function(f"() => ({PROSE_PX})() !== null", timeout=30_000)
    assert page.evaluate(PROSE_PX) >= 24
    nb = nbformat.read(ROOT / "notebooks" / "02_feature_map_size.ipynb", as_version=4)
    first_note = note_text(next(c for c in nb.cells if is_note(c))).split("\n")[0]
    notes = page.evaluate("() => [...document.querySelectorAll('.reveal aside.notes')]"
                          ".map(a => a.innerText.replace(/\\s+/g, ' '))")
    assert any(" ".join(first_note.split()[:8]) in n for n in notes), notes[:2]
    page.locator(".jp-Cell").first.click()
    for _ in range(12):          # run cells in order until the explorer is live
        page.keyboard.press("Shift+Enter")
        page.wait_for_timeout(1500)
        if page.evaluate(FIRST_IMAGE_SLIDE):
            break
    slide = page.evaluate(FIRST_IMAGE_SLIDE)
    assert slide, "the explorer cell did not run in the slideshow"
    page.wait_for_function("() => document.querySelector('.jp-Notebook') && "
                           "!document.querySelector('.jp-InputPrompt')?.textContent.includes('*')",
                           timeout=60_000)
    page.evaluate(f"() => {{ location.hash = '#/{slide}'; }}")
    current = ".reveal .slides section.present:not(.stack)"
    image = page.locator(f"{current} .widget-image").first
    image.wait_for(state="visible", timeout=30_000)
    before = image.get_attribute("src")
    handle = page.locator(f"{current} .noUi-handle").first
    box = handle.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + 60, y, steps=8)
    page.mouse.up()
    page.wait_for_function(f"(old) => document.querySelector('{current} .widget-image').src !== old",
                           arg=before, timeout=30_000)
    assert page.evaluate("() => location.hash").endswith(slide)   # still on the same slide
    screenshot(page, "rise-02_feature_map_size")
    picture = image.bounding_box()
    assert picture["y"] + picture["height"] <= 720, "the explorer's picture runs off the slide"
