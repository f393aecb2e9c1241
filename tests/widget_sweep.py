"""Driving an Explorer's controls in the widget tests: random legal values, one redraw per state."""
from __future__ import annotations

import random


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


def sweep_sliders(ex, names, check) -> None:
    """Move each named slider over its whole range, calling ``check(ex, value)`` after every
    value, then put it back where it was."""
    for name in names:
        w = ex.controls[name]
        start = w.value
        for value in range(w.min, w.max + 1):
            w.value = value
            check(ex, value)
        w.value = start
