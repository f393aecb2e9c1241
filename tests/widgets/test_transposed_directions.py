"""The both-directions explorer driven headlessly: every slider and mode, random states,
invalid ones show the message, valid ones agree with torch; the figure updates in place."""
from __future__ import annotations

import random

import numpy as np
import torch
import torch.nn.functional as F

import convlib as cl
from .sweep import randomize, sweep_sliders
from convlib.draw.cells import cell_values

PNG_MAGIC = b"\x89PNG"


def torch_out_shape(v: dict):
    i, k = v["input_size"], v["kernel_size"]
    try:
        y = F.conv2d(torch.zeros(1, 1, i, i), torch.zeros(1, 1, k, k), stride=v["stride"],
                     padding=v["padding"], dilation=v["dilation"])
    except RuntimeError:
        return None
    return None if y.numel() == 0 else tuple(y.shape[2:])


def assert_consistent(ex) -> None:
    o = torch_out_shape(ex.values)
    if o is None:
        assert ex.state is None and "Not a valid configuration" in ex.message.value
        return
    v = ex.state
    i = ex.values["input_size"]
    assert ex.error is None
    assert v.out_shape == ((i, i) if v.mode == "transposed" else o)
    grid = v.out_shape if v.select == "output" else v.in_shape
    assert ex.controls["cell"].max == max(grid[0] * grid[1] - 1, 1)
    if v.select == "input":
        assert v.reach.agree and ": True" in ex.message.value


def test_every_slider_in_every_mode():
    ex = cl.widgets.both_directions_explorer(render=False)
    names = ["input_size", "kernel_size", "stride", "padding", "dilation", "cell"]
    for mode in ("conv", "transposed"):
        for select in ("output", "input"):
            with ex.hold():
                ex.controls["mode"].value, ex.controls["select"].value = mode, select
            sweep_sliders(ex, names, lambda ex, _: assert_consistent(ex))


def test_random_states_never_raise():
    ex = cl.widgets.both_directions_explorer(render=False)
    rng = random.Random(0)
    for _ in range(300):
        randomize(ex, rng)
        assert_consistent(ex)


def test_invalid_state_shows_the_message_then_recovers():
    ex = cl.widgets.both_directions_explorer(render=False)
    with ex.hold():
        ex.controls["input_size"].value, ex.controls["kernel_size"].value = 1, 4
        ex.controls["padding"].value = 0
    assert ex.state is None and "kernel_size" in ex.message.value
    ex.controls["padding"].value = 2                   # (1 + 4 - 4) // 2 + 1 = 1
    assert ex.error is None and ex.state.out_shape == (1, 1)


def test_figure_updates_in_place():
    ex = cl.widgets.both_directions_explorer(mode="transposed", select="input")
    fig, first = ex.fig, bytes(ex.image.value)
    n = [len(ax.get_children()) for ax in fig.axes]
    assert first.startswith(PNG_MAGIC)
    ex.controls["cell"].value = 4
    ex.controls["mode"].value = "conv"
    assert ex.fig is fig and bytes(ex.image.value) != first
    assert [len(ax.get_children()) for ax in fig.axes] == n
    np.testing.assert_array_equal(np.asarray(cell_values(fig.axes[2])),
                                  ex.state.out_mask.astype(int))
