"""The both-directions explorer's pure view (`convlib.transposed.directions.directions_view`,
drawn in the browser: tests/browser/explorers/test_both_directions.py) over every control's
range in every mode and random states: invalid ones raise the explorer's message, valid
ones agree with torch and the three computations of a column agree."""
from __future__ import annotations

import random

import pytest
import torch
import torch.nn.functional as F

import convlib as cl
from convlib.transposed.directions import directions_text, directions_view

#: The explorer's sliders and their ranges (convlib/web/explorers/both_directions.js).
RANGES = {"input_size": (1, 7), "kernel_size": (1, 4), "stride": (1, 3), "padding": (0, 3),
          "dilation": (1, 2), "cell": (0, 48)}
DEFAULTS = dict(input_size=5, kernel_size=3, stride=2, padding=1, dilation=1, mode="conv",
                select="output", cell=0)


def torch_out_shape(v: dict):
    i, k = v["input_size"], v["kernel_size"]
    try:
        y = F.conv2d(torch.zeros(1, 1, i, i), torch.zeros(1, 1, k, k), stride=v["stride"],
                     padding=v["padding"], dilation=v["dilation"])
    except RuntimeError:
        return None
    return None if y.numel() == 0 else tuple(y.shape[2:])


def assert_consistent(v: dict) -> None:
    o = torch_out_shape(v)
    if o is None:
        with pytest.raises(ValueError):
            directions_view(**v)
        return
    view = directions_view(**v)
    i = v["input_size"]
    assert view.out_shape == ((i, i) if view.mode == "transposed" else o)
    grid = view.out_shape if view.select == "output" else view.in_shape
    assert view.index == min(v["cell"], grid[0] * grid[1] - 1)
    if view.select == "input":
        assert view.reach.agree and directions_text(view).endswith(": True")


def test_every_slider_in_every_mode():
    for mode in ("conv", "transposed"):
        for select in ("output", "input"):
            for name, (lo, hi) in RANGES.items():
                for value in range(lo, hi + 1):
                    assert_consistent({**DEFAULTS, "mode": mode, "select": select, name: value})


def test_random_states_never_raise_anything_but_the_message():
    rng = random.Random(0)
    for _ in range(300):
        v = {name: rng.randint(lo, hi) for name, (lo, hi) in RANGES.items()}
        assert_consistent({**v, "mode": rng.choice(["conv", "transposed"]),
                           "select": rng.choice(["output", "input"])})


def test_invalid_state_raises_the_message_then_recovers():
    v = dict(DEFAULTS, input_size=1, kernel_size=4, padding=0)
    with pytest.raises(ValueError, match="kernel_size"):
        directions_view(**v)
    v["padding"] = 2                                   # (1 + 4 - 4) // 2 + 1 = 1
    assert directions_view(**v).out_shape == (1, 1)
    with pytest.raises(ValueError, match="`mode` must be one of"):
        directions_view(**dict(DEFAULTS, mode="tf_same"))


def test_the_explorer_is_a_browser_widget_with_its_values():
    ex = cl.widgets.both_directions_explorer(mode="transposed", select="input")
    assert isinstance(ex, cl.widgets.BrowserExplorer) and ex.explorer_name == "both_directions"
    assert ex.values == dict(DEFAULTS, mode="transposed", select="input")
