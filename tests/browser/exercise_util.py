"""Helpers for browser tests of kernel-free exercises (``div.cl-exercise``): serve a
folder on 127.0.0.1, answer an exercise the way a learner does, read its feedback.

A test on a real site page or deck is then a few lines::

    with serve(SITE) as url:
        page.goto(f"{url}/notebooks/02_feature_map_size.html")
        ex = exercises(page).first
        assert "Not quite" in answer(ex, "999")
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path

from .browser_util import free_port


@contextlib.contextmanager
def serve(folder: Path):
    """Serve `folder` over http://127.0.0.1:<free port> while the block runs."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def exercises(page):
    """The mounted kernel-free exercises of the page (a Playwright locator)."""
    page.wait_for_function("() => !document.querySelector('div.cl-exercise:not([data-mounted])')")
    return page.locator("div.cl-exercise[data-mounted]")


def feedback(exercise) -> str:
    return exercise.locator(".cl-ex-feedback").inner_text()


def answer(exercise, text: str, how: str = "check") -> str:
    """Type `text` in the (first) box and submit with the Check button, ``"enter"``
    or ``"blur"``; return the feedback shown."""
    box = exercise.locator("input.cl-ex-input").first
    box.fill(text)
    if how == "enter":
        box.press("Enter")
    elif how == "blur":
        box.evaluate("b => b.blur()")
    else:
        exercise.locator("button", has_text="Check").click()
    return feedback(exercise)


def choose(exercise, option: str) -> str:
    """Pick the option labelled `option`; return the feedback shown."""
    exercise.locator("label.cl-ex-choice", has_text=option).locator("input").check()
    return feedback(exercise)


def press(exercise, label: str) -> str:
    exercise.locator("button", has_text=label).click()
    return feedback(exercise)
