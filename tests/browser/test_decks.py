"""Every exported deck walked slide by slide in Chromium at 1280x720 with all
fragments shown: no slide taller or wider than 1280x720, no code shown unless the
cell is tagged ``show-code``, prose of at least 24 px, no live-looking control
without a kernel, no console error and nothing loaded from outside. Each deck's report (deck, #/h/v, height, problems, title) is
written to build/slide-report/<deck>.txt and printed on failure; chapter authors
get the same list with `python tools/slide_report.py build/slides/<deck>.slides.html`.
Screenshots: build/screenshots/deck-<deck>-title.png and -content.png."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .browser_util import PageLog, screenshot
from .explorer_pages import MOVE_EVERY_EXPLORER

ROOT = Path(__file__).resolve().parents[2]
DECKS = ROOT / "build" / "slides"
REPORTS = ROOT / "build" / "slide-report"
sys.path.insert(0, str(ROOT / "tools"))
from slide_report import HEIGHT, WIDTH, format_report, measure_deck, problems  # noqa: E402

NAMES = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
# Decks with slides still taller than 720 px since code wraps at the slide edge and the
# chapters' second editorial pass (issue 22, not done): each such slide is reported and
# the test is an expected failure only while nothing but height is wrong; a deck that
# fits must leave this list.
NOT_YET_FITTED: set[str] = set()
# widgets that would look live but cannot do anything without a kernel
DEAD_CONTROLS = ".jupyter-widgets, [class*='widget-']"


def deck(name: str) -> Path:
    path = DECKS / f"{name}.slides.html"
    if not path.exists():
        pytest.fail(f"{path} is missing: `make slides` builds it (make test does)")
    return path


@pytest.fixture
def slide_page(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.log = PageLog(page)
    yield page
    context.close()


@pytest.mark.parametrize("name", NAMES)
def test_every_slide_fits_1280x720_with_no_code_and_no_dead_control(slide_page, name):
    """One load of the deck: measured slide by slide, then checked for widgets that would
    look live without a kernel, console errors and requests that leave the machine."""
    rows = measure_deck(slide_page, deck(name))
    assert slide_page.locator(DEAD_CONTROLS).count() == 0
    assert slide_page.log.external == [] and slide_page.log.errors == [], slide_page.log.errors
    report = format_report(rows, everything=True)
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{name}.txt").write_text(report + "\n", encoding="utf-8")
    assert rows and all(r["scale"] == 1 for r in rows), "slides must be shown at scale 1"
    slide_page.evaluate("() => Reveal.slide(0, 0)")
    screenshot(slide_page, f"deck-{name}-title")
    pictured = slide_page.evaluate("""() => [...document.querySelectorAll('.reveal .slides section')]
        .filter(s => !s.classList.contains('stack') && s.querySelector('img'))
        .map(s => Reveal.getIndices(s))""")
    h, v = (pictured[0]["h"], pictured[0]["v"] or 0) if pictured else (1, 0)
    slide_page.evaluate(f"() => Reveal.slide({h}, {v})")
    slide_page.wait_for_timeout(300)
    screenshot(slide_page, f"deck-{name}-content")
    bad = [r for r in rows if problems(r)]
    if name in NOT_YET_FITTED:
        assert bad, f"{name} fits now: remove it from NOT_YET_FITTED"
        if all(p.endswith("too tall") for r in bad for p in problems(r)):
            pytest.xfail(f"{len(bad)} slides of {name} are too tall (issue 22):\n{report}")
    assert not bad, f"{len(bad)} of {len(rows)} slides of {name} need work:\n{report}"


WALK = """() => {
  const i = Reveal.getIndices();
  return {at: `${i.h}/${i.v || 0}/${i.f === undefined ? -1 : i.f}`, slide: `${i.h}/${i.v || 0}`,
          last: Reveal.isLastSlide() && !Reveal.availableFragments().next,
          total: Reveal.getTotalSlides()};
}"""


@pytest.mark.parametrize("name, key", [(n, "ArrowRight") for n in NAMES]
                         + [("02_feature_map_size", "PageDown")])
def test_the_right_arrow_and_a_clicker_walk_every_slide_and_fragment_in_order(slide_page, name, key):
    """A clicker sends → or PageDown: from the first slide, each press moves exactly one
    step (a fragment or the next slide, sub-slides included) until the last slide."""
    slide_page.goto(deck(name).as_uri())
    slide_page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
    state = slide_page.evaluate(WALK)
    seen, steps = [state["slide"]], [state["at"]]
    for _ in range(2000):
        if state["last"]:
            break
        slide_page.keyboard.press(key)
        state = slide_page.evaluate(WALK)
        assert state["at"] != steps[-1], f"{key} did nothing at {steps[-1]}"
        steps.append(state["at"])
        if state["slide"] != seen[-1]:
            seen.append(state["slide"])
    assert state["last"], f"{key} stopped before the end of {name}"
    assert len(seen) == len(set(seen)) == state["total"], \
        f"{key} visited {len(set(seen))} of {state['total']} slides of {name}"
    assert seen == sorted(seen, key=lambda s: tuple(map(int, s.split("/"))))


def test_explorers_are_alive_in_the_decks_without_a_kernel(page):
    """Every explorer of every deck renders from its stored values and redraws when a
    slider moves; no deck shows a 'needs a live kernel' note."""
    seen = set()
    for name in NAMES:
        page.goto(deck(name).as_uri())
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
        moved = page.evaluate(MOVE_EVERY_EXPLORER)
        assert all(m["moved"] for m in moved), (name, moved)
        assert page.locator(".needs-kernel-note").count() == 0, name
        seen |= {m["name"] for m in moved}
    assert len(seen) == 12, sorted(seen)


def test_the_code_switch_shows_and_hides_code(slide_page):
    slide_page.goto(deck("02_feature_map_size").as_uri())
    slide_page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
    hidden = ".jp-CodeCell:not(.celltag_show-code) .jp-InputArea"   # code that is not the lesson
    slide_page.evaluate(f"""() => {{ const s = document.querySelector('{hidden}').closest('section');
        const i = Reveal.getIndices(s); Reveal.slide(i.h, i.v || 0); }}""")
    code = slide_page.locator(f"section.present {hidden}").first
    assert not code.is_visible()
    slide_page.locator("#code-switch").click()
    assert code.is_visible()
    assert slide_page.locator("#code-switch").get_attribute("aria-pressed") == "true"
    slide_page.keyboard.press("c")
    assert not code.is_visible()


def test_deck_index_lists_the_chapter_titles(page):
    page.goto((DECKS / "index.html").as_uri())
    titles = page.locator("a.deck .title").all_inner_texts()
    assert len(titles) == len(NAMES)
    assert any("Feature-map size" in t for t in titles)
    screenshot(page, "deck-index")


def test_arrow_keys_on_a_focused_explorer_slider_move_the_slider_not_the_slide(page):
    page.goto(deck("02_feature_map_size").as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
    page.evaluate("""() => { const s = document.querySelector('[data-explorer]').closest('section');
        const i = Reveal.getIndices(s); Reveal.slide(i.h, i.v || 0); }""")
    slider = page.locator("section.present [data-explorer] input[name=kW]")
    slider.focus()
    before = (slider.input_value(), page.evaluate("() => location.hash"))
    page.keyboard.press("ArrowRight")
    after = (slider.input_value(), page.evaluate("() => location.hash"))
    assert after == (str(int(before[0]) + 1), before[1]), (before, after)
