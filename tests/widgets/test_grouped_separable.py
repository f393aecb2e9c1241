"""The depthwise-separable explorer's arithmetic (`separable_view`, which the browser
explorer mirrors; tests/browser/explorers/test_separable.py compares the two) over every
control's range: the counts agree with torch modules and the ratio with 1/C_out + 1/k^2.
And the widget: one synced trait per control, a kernel-free HTML twin."""
from __future__ import annotations

import math
import random

import torch
from torch import nn

import convlib as cl
from convlib.grouped.separable import separable_cost_text
from convlib.widgets.grouped import separable_view

#: The explorer's sliders and their ranges (convlib/web/explorers/separable.js).
RANGES = {"in_channels": (1, 256), "out_channels": (1, 256), "kernel_size": (1, 9),
          "output_size": (1, 112)}
START = dict(in_channels=32, out_channels=64, kernel_size=3, output_size=56)


def assert_consistent(v: dict, with_summary: bool = False) -> None:
    view = separable_view(**v)
    cost = view.cost
    c_in, c_out, k, o = v["in_channels"], v["out_channels"], v["kernel_size"], v["output_size"]
    with torch.device("meta"):
        standard = nn.Conv2d(c_in, c_out, k)
        block = cl.depthwise_separable_block(c_in, c_out, k, padding=0)
    numel = lambda m: sum(p.numel() for p in m.parameters())
    assert cost.standard_params == numel(standard)
    assert cost.separable_params == numel(block)
    assert math.isclose(cost.macs_ratio, 1 / c_out + 1 / k ** 2, rel_tol=1e-12)
    assert math.isclose(view.curve_ratio[c_out - 1], cost.macs_ratio, rel_tol=1e-12)
    assert f"= {cost.standard_macs:,} MACs" in separable_cost_text(cost)
    if with_summary:
        i = o + k - 1
        assert cl.summary(block, (c_in, i, i)).total_macs == cost.separable_macs
        assert cl.summary(standard, (c_in, i, i)).total_macs == cost.standard_macs


def test_every_slider_over_its_range():
    for name, (lo, hi) in RANGES.items():
        for value in range(lo, hi + 1):
            assert_consistent({**START, name: value}, with_summary=value % 16 == 1)


def test_random_states_never_raise():
    rng = random.Random(0)
    for n in range(800):
        assert_consistent({name: rng.randint(lo, hi) for name, (lo, hi) in RANGES.items()},
                          with_summary=n % 50 == 0)


def test_a_1x1_kernel_makes_separable_cost_twice_as_much():
    view = separable_view(**{**START, "kernel_size": 1, "out_channels": 1})
    assert view.cost.macs_ratio == 2.0          # 1/1 + 1/1: nothing to separate


def test_the_widget_carries_its_values_and_a_kernel_free_twin():
    ex = cl.widgets.separable_explorer()
    assert ex.values == START
    ex.kernel_size = 5
    assert repr(ex) == ("SeparableBrowser(in_channels=32, out_channels=64, kernel_size=5, "
                        "output_size=56)")
    html = ex._repr_mimebundle_()[0]["text/html"]
    assert 'data-explorer-static="separable"' in html and "&quot;kernel_size&quot;: 5" in html
