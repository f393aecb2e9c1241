"""A learner answers a real exercise on a static-site page and in an exported deck,
without a kernel: a wrong answer gets "Not quite", the right one "Correct". The right
answer is not known to the test: it is read from the page's own reveal ("Show
answer") in a first visit, then typed in a fresh one, as a learner would."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from .browser_util import screenshot
from .exercise_util import answer, exercises, press, serve

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = "02_feature_map_size"
PAGES = {"site": (ROOT / "build" / "site", f"notebooks/{CHAPTER}.html"),
         "deck": (ROOT / "build" / "slides", f"{CHAPTER}.slides.html")}

ONE_BOX = """els => els.findIndex(e => e.querySelectorAll('input.cl-ex-input').length === 1
    && !e.querySelector('label.cl-ex-choice') && /Show answer/.test(e.innerText))"""

SHOW_SLIDE = """el => { const s = el.closest('section');
    if (window.Reveal && s) { const i = Reveal.getIndices(s); Reveal.slide(i.h, i.v || 0); } }"""


def first_numeric_exercise(page):
    found = exercises(page)
    index = found.evaluate_all(ONE_BOX)
    assert index >= 0, "no exercise with one answer box on the page"
    exercise = found.nth(index)
    exercise.evaluate(SHOW_SLIDE)
    page.wait_for_timeout(200)
    return exercise


@pytest.mark.parametrize("where", PAGES)
def test_a_wrong_then_a_right_answer_without_a_kernel(page, where):
    folder, path = PAGES[where]
    if not (folder / path).exists():
        pytest.fail(f"{folder / path} is missing: make test builds the site and the decks")
    with serve(folder) as url:
        page.goto(f"{url}/{path}")
        revealed = press(first_numeric_exercise(page), "Show answer")
        right = re.search(r"The answer is (.+?)\.(\s|$)", revealed).group(1)
        page.goto(f"{url}/{path}")                      # a fresh visit: nothing tried yet
        exercise = first_numeric_exercise(page)
        wrong = answer(exercise, "987654")
        assert "Not quite" in wrong and right not in wrong  # not revealed after one try
        assert "Correct" in answer(exercise, right)
        screenshot(page, f"exercise-{where}-{CHAPTER}")
    assert page.log.external == []
