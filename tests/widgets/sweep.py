"""Driving an Explorer's controls in the widget tests: random legal values, one redraw per state,
and the two rules of invalid states: the picture is greyed out while the message shows, and a
slider with few valid values offers only those."""
from __future__ import annotations

import io
import random

import numpy as np


def random_value(w, rng: random.Random):
    """A random legal value for one control: an option, a bool, or an int in [min, max]."""
    if hasattr(w, "options"):
        return rng.choice([o[1] if isinstance(o, tuple) else o for o in w.options])
    if isinstance(w.value, bool):
        return rng.random() < 0.5
    return rng.randint(w.min, w.max)


def randomize(ex, rng: random.Random) -> None:
    """Give every control of `ex` a random value, then recompute and redraw once."""
    with ex.hold():
        for w in ex.controls.values():
            w.value = random_value(w, rng)


def legal_values(w) -> list:
    """Every value of a control: its options, or min..max."""
    if hasattr(w, "options"):
        return [o[1] if isinstance(o, tuple) else o for o in w.options]
    return list(range(w.min, w.max + 1))


def assert_invalid_marked(ex) -> None:
    """While the message shows, the picture is greyed out (never the old one unmarked);
    otherwise the picture is the current one."""
    if ex.error is None:
        assert not ex.greyed
        if ex.render:
            assert bytes(ex.image.value) == ex.png
        return
    assert ex.greyed and "Not a valid configuration" in ex.message.value
    if ex.render and ex.png:
        from PIL import Image
        shown = np.asarray(Image.open(io.BytesIO(bytes(ex.image.value))).convert("RGB"), int)
        assert bytes(ex.image.value) != ex.png
        assert (shown.max(axis=2) - shown.min(axis=2)).max() <= 2  # grey: no colour left
        assert shown.min() >= 255 * 0.7 - 1  # washed out


def sweep_sliders(ex, names, check) -> None:
    """Move each named control over all its values, calling ``check(ex, value)`` and
    `assert_invalid_marked` after every value, then put it back where it was."""
    for name in names:
        w = ex.controls[name]
        start = w.value
        for value in legal_values(w):
            w.value = value
            check(ex, value)
            assert_invalid_marked(ex)
        if start in legal_values(w):
            w.value = start
