"""U-Net explorer driven headlessly: the input size over its whole range for both
paddings; every state agrees with `unet_plan`, and (every few sizes) with the zoo's
U-Net run by torch; too small an input shows a message, never a traceback."""
from __future__ import annotations

import random

import torch

import convlib as cl
from convlib import zoo
from convlib.networks import plans as networks
from .sweep import randomize, sweep_sliders

THIN = {0: zoo.unet(base=1, padding=0), 1: zoo.unet(base=1, padding=1)}


def torch_output(i: int, padding: int) -> int | None:
    try:
        with torch.no_grad():
            return THIN[padding](torch.zeros(1, 1, i, i)).shape[-1]
    except RuntimeError:
        return None


def check(ex, value) -> None:
    i, padding = ex.values["input_size"], ex.values["padding"]
    try:
        plan = networks.unet_plan(i, padding=padding)
    except ValueError as err:
        assert ex.state is None and ex.error == str(err)
        assert "Not a valid configuration" in ex.message.value
        assert "Traceback" not in ex.message.value
        if i % 9 == 0:
            assert torch_output(i, padding) is None
        return
    assert ex.error is None and ex.state == plan
    assert ("every crop centred" in ex.message.value) == plan.even_pools
    odd = [str(lv) for lv in range(4) if plan.down[lv][1] % 2]
    assert plan.even_pools or f"level {', '.join(odd)}:" in ex.message.value
    if i % 9 == 0:
        assert torch_output(i, padding) == plan.output_size


def test_every_input_size_both_paddings():
    ex = cl.widgets.unet_explorer(render=False)
    for padding in (0, 1):
        ex.controls["padding"].value = padding
        sweep_sliders(ex, ["input_size"], check)


def test_random_states_render():
    ex = cl.widgets.unet_explorer()
    rng = random.Random(0)
    for _ in range(4):
        randomize(ex, rng)
        check(ex, None)
        assert ex.png.startswith(b"\x89PNG")
