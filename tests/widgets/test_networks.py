"""The U-Net explorer's arithmetic over the slider's whole range for both paddings: every
plan the explorer shows (`unet_plan`, drawn by convlib/web/explorers/unet.js, which
tests/browser/explorers/test_unet.py compares with it) agrees, every few sizes, with the
zoo's U-Net run by torch; too small an input is a ValueError torch refuses too; the text
lines (`unet_text`) say which pools see an odd size and the nearest sizes that do not."""
from __future__ import annotations

import pytest
import torch

import convlib as cl
from convlib import zoo
from convlib.networks import plans as networks
from convlib.widgets.browser import BrowserExplorer
from convlib.widgets.networks import SIZES, unet_nearest_even, unet_text

THIN = {0: zoo.unet(base=1, padding=0), 1: zoo.unet(base=1, padding=1)}


def torch_output(i: int, padding: int) -> int | None:
    try:
        with torch.no_grad():
            return THIN[padding](torch.zeros(1, 1, i, i)).shape[-1]
    except RuntimeError:
        return None


def check(i: int, padding: int) -> None:
    try:
        plan = networks.unet_plan(i, padding=padding)
    except ValueError as err:
        assert str(err).startswith("`input_size` is too small:")
        if i % 9 == 0:
            assert torch_output(i, padding) is None
        return
    text = unet_text(plan)
    assert ("every crop centred" in text) == plan.even_pools
    odd = [str(lv) for lv in range(4) if plan.down[lv][1] % 2]
    assert plan.even_pools or f"level {', '.join(odd)}:" in text
    below, above = unet_nearest_even(i, padding)
    assert f"{below if below else 'none'} below, {above if above else 'none'} above" in text
    if i % 9 == 0:
        assert torch_output(i, padding) == plan.output_size


@pytest.mark.parametrize("padding", [0, 1])
def test_every_input_size_both_paddings(padding):
    for i in SIZES:
        check(i, padding)


def test_the_nearest_even_sizes_are_the_even_pool_sizes_either_side():
    for padding in (0, 1):
        good = networks.unet_input_sizes(SIZES, padding=padding)
        for i in SIZES:
            below, above = unet_nearest_even(i, padding)
            assert below == max((g for g in good if g < i), default=None)
            assert above == min((g for g in good if g > i), default=None)
            assert below is None or networks.unet_plan(below, padding=padding).even_pools


def test_the_explorer_is_a_browser_explorer_with_the_old_keywords():
    ex = cl.widgets.unet_explorer(100, padding=1)
    assert isinstance(ex, BrowserExplorer) and ex.explorer_name == "unet"
    assert ex.values == {"input_size": 100, "padding": 1}
    with pytest.raises(ValueError, match="too small: the two 3x3 convs of level 4"):
        networks.unet_plan(100)
