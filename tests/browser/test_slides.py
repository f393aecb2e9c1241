"""An exported deck in Chromium, from file:// with the network unused: the title
slide renders, ArrowRight reaches the next slide, and a kernel-free animation plays."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DECKS = ROOT / "build" / "slides"


def deck(name: str) -> Path:
    path = DECKS / f"{name}.slides.html"
    if not path.exists():
        pytest.fail(f"{path} is missing: `make slides` builds it (make test does)")
    return path


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb")))
def test_deck_title_and_next_slide(page, name):
    page.goto(deck(name).as_uri())
    title = page.locator(".reveal .slides > section.present h1").first
    title.wait_for(timeout=30_000)
    assert title.inner_text().strip()
    page.keyboard.press("ArrowRight")  # the next slide, a sub-slide of the title's or the next section
    page.wait_for_function("() => ['#/1', '#/0/1'].includes(location.hash)", timeout=10_000)
    assert page.locator(".reveal .slides > section.present").count() == 1
    assert page.log.external == []
    assert page.log.errors == []


def test_deck_typesets_math_offline(page):
    page.goto(deck("02_feature_map_size").as_uri() + "#/1")
    page.wait_for_function("() => document.querySelectorAll('.MathJax, .MathJax_CHTML').length > 3",
                           timeout=30_000)
    assert page.log.external == []


def test_kernel_free_animation_plays(page):
    page.goto(deck("02_feature_map_size").as_uri())
    page.locator(".reveal .slides > section.present h1").first.wait_for(timeout=30_000)
    # go to the slide holding the animation, then press its play button
    page.evaluate("""() => {
        const img = document.querySelector('img[id^=_anim_img]');
        let s = img.closest('section'), v = 0;
        if (s.parentElement.tagName === 'SECTION') {
            v = [...s.parentElement.children].indexOf(s); s = s.parentElement; }
        location.hash = '#/' + [...s.parentElement.children].indexOf(s) + '/' + v; }""")
    frame = page.locator("img[id^=_anim_img]").first   # the deck may hold several animations
    frame.wait_for(state="visible", timeout=10_000)
    first = frame.get_attribute("src")
    page.locator("button[onclick*='play_animation']").first.click()
    page.wait_for_function("(old) => document.querySelector('img[id^=_anim_img]').src !== old",
                           arg=first, timeout=10_000)
    assert page.log.errors == []
