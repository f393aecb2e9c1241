"""Depthwise-separable explorer driven headlessly: every slider over its range, no exception
escapes, the counts agree with torch modules and the ratio with 1/C_out + 1/k^2."""
from __future__ import annotations

import math
import random

import torch
from torch import nn

import convlib as cl
from .sweep import randomize, sweep_sliders

PNG_MAGIC = b"\x89PNG"


def assert_consistent(ex, with_summary: bool = False) -> None:
    v = ex.values
    assert ex.error is None, ex.error
    cost = ex.state.cost
    c_in, c_out, k, o = v["in_channels"], v["out_channels"], v["kernel_size"], v["output_size"]
    with torch.device("meta"):
        standard = nn.Conv2d(c_in, c_out, k)
        block = cl.depthwise_separable_block(c_in, c_out, k, padding=0)
    numel = lambda m: sum(p.numel() for p in m.parameters())
    assert cost.standard_params == numel(standard)
    assert cost.separable_params == numel(block)
    assert math.isclose(cost.macs_ratio, 1 / c_out + 1 / k ** 2, rel_tol=1e-12)
    assert math.isclose(ex.state.curve_ratio[c_out - 1], cost.macs_ratio, rel_tol=1e-12)
    assert f"= {cost.standard_macs:,} MACs" in ex.message.value
    if with_summary:
        i = o + k - 1
        assert cl.summary(block, (c_in, i, i)).total_macs == cost.separable_macs
        assert cl.summary(standard, (c_in, i, i)).total_macs == cost.standard_macs


def test_every_slider_over_its_range():
    ex = cl.widgets.separable_explorer(render=False)
    sweep_sliders(ex, list(ex.controls),
                  lambda ex, value: assert_consistent(ex, with_summary=value % 16 == 1))


def test_random_states_never_raise():
    ex = cl.widgets.separable_explorer(render=False)
    rng = random.Random(0)
    for n in range(800):
        randomize(ex, rng)
        assert_consistent(ex, with_summary=n % 50 == 0)


def test_renders_update_in_place():
    ex = cl.widgets.separable_explorer()
    fig, first = ex.fig, bytes(ex.image.value)
    assert first.startswith(PNG_MAGIC)
    ex.controls["kernel_size"].value = 1
    ex.controls["out_channels"].value = 1
    assert ex.fig is fig and bytes(ex.image.value) != first
    assert ex.state.cost.macs_ratio == 2.0          # 1/1 + 1/1: separable costs twice as much
    assert "image/png" in ex._repr_mimebundle_()
