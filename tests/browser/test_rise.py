"""Live presenting: a chapter rendered as slides by jupyterlab-rise inside JupyterLab. Its
browser explorer is alive on its slide with no cell run: a slider dragged with the mouse
redraws the picture, and ArrowRight on the focused slider moves the slider, not the
slide. Speaker
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

EXPLORER_SLIDE = """() => {
  const root = document.querySelector('.reveal [data-explorer]');
  const section = root && root.closest('section');
  return section && section.id;
}"""

EXPLORER_STATE = """() => {
  const root = document.querySelector('.reveal section.present [data-explorer]');
  const input = root.querySelector('input[type=range]');
  return {state: root.dataset.state || root.dataset.error, value: Number(input.value),
          hash: location.hash};
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
    page.wait_for_function(f"() => ({EXPLORER_SLIDE})()", timeout=60_000)
    slide = page.evaluate(EXPLORER_SLIDE)
    page.evaluate(f"() => {{ location.hash = '#/{slide}'; }}")
    current = ".reveal .slides section.present:not(.stack)"
    slider = page.locator(f"{current} [data-explorer] input[type=range]").first
    slider.wait_for(state="visible", timeout=30_000)
    page.wait_for_timeout(500)  # reveal's slide transition
    before = page.evaluate(EXPLORER_STATE)
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 4, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.8, y, steps=8)
    page.mouse.up()
    dragged = page.evaluate(EXPLORER_STATE)
    assert dragged["value"] > before["value"] and dragged["state"] != before["state"]
    assert dragged["hash"] == before["hash"] and before["hash"].endswith(slide)
    slider.focus()
    page.keyboard.press("ArrowLeft")
    keyed = page.evaluate(EXPLORER_STATE)
    assert (keyed["value"], keyed["hash"]) == (dragged["value"] - 1, before["hash"]), page.evaluate(
        "() => [document.activeElement.tagName, document.activeElement.name]")
    screenshot(page, "rise-02_feature_map_size")
    root = page.locator(f"{current} [data-explorer] canvas").first.bounding_box()
    assert root["y"] + root["height"] <= 720, "the explorer's picture runs off the slide"


def test_the_palette_opens_the_slideshow_full_size(room_page, lab_server):
    """The toolbar's RISE button opens a narrow preview beside the notebook (jupyterlab-rise
    inserts it in code; no setting changes that). What 00 tells a presenter to use instead,
    the command palette's "Open as Reveal Slideshow", opens the deck in its own tab at full
    size: the slide fills the 1280x720 window and its prose stays at least 24 px."""
    page = room_page
    base, token = lab_server
    page.goto(f"{base}/lab/tree/02_feature_map_size.ipynb?token={token}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=120_000)
    page.evaluate("() => window.jupyterapp.restored")   # the menu bar is built, not rebuilding
    page.locator(".lm-MenuBar-itemLabel", has_text="View").click()
    page.locator(".lm-Menu-itemLabel", has_text="Activate Command Palette").click()
    page.locator(".lm-CommandPalette-input").fill("Open as Reveal Slideshow")
    with page.context.expect_page(timeout=60_000) as opened:
        page.locator(".lm-CommandPalette-item", has_text="Open as Reveal Slideshow").first.click()
    deck = opened.value
    deck.set_viewport_size({"width": 1280, "height": 720})
    deck.locator(".reveal .slides section.present h1").first.wait_for(timeout=120_000)
    assert "/rise/02_feature_map_size.ipynb" in deck.url
    width = deck.evaluate("() => document.querySelector('.reveal .slides').getBoundingClientRect().width")
    assert width >= 1200, width
    deck.wait_for_function(f"() => ({PROSE_PX})() !== null", timeout=30_000)
    assert deck.evaluate(PROSE_PX) >= 24
    screenshot(deck, "rise-full-size-02")
