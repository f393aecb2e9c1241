"""The groups explorer's arithmetic (`convlib.grouped.groups.grouped_conv_cost`, which the
browser explorer mirrors; tests/browser/explorers/test_groups.py compares the two) over
every control's range: the values of g are exactly those torch accepts, valid states agree
with torch, invalid ones are refused with the message the explorer shows. And the widget:
one synced trait per control, a kernel-free HTML twin; `fit_groups` for the sliders that
still use it."""
from __future__ import annotations

import random

import ipywidgets as widgets
import pytest
import torch
from torch import nn

import convlib as cl
from convlib.grouped.groups import grouped_conv_cost, grouped_cost_text
from convlib.widgets.grouped import fit_groups, valid_groups

#: The explorer's sliders and their ranges (convlib/web/explorers/groups.js).
RANGES = {"in_channels": (1, 16), "out_channels": (1, 16), "groups": (1, 16),
          "kernel_size": (1, 7), "output_size": (1, 32)}


def torch_refuses(v: dict) -> str | None:
    try:
        nn.Conv2d(v["in_channels"], v["out_channels"], v["kernel_size"], groups=v["groups"],
                  device="meta")
    except ValueError as err:
        return str(err)
    return None


def assert_consistent(v: dict, with_summary: bool = False) -> None:
    refusal = torch_refuses(v)
    if refusal:
        with pytest.raises(ValueError, match="`groups` must divide in_channels and out_channels"):
            grouped_conv_cost(**v)
        return
    cost = grouped_conv_cost(**v)
    with torch.device("meta"):
        conv = nn.Conv2d(v["in_channels"], v["out_channels"], v["kernel_size"], groups=v["groups"])
    assert cost.params == sum(p.numel() for p in conv.parameters())
    assert cost.macs * v["groups"] == cost.standard_macs
    assert cost.connectivity.shape == (v["out_channels"], v["in_channels"])
    assert f"= {cost.macs:,}" in grouped_cost_text(cost)
    if with_summary:
        i = v["output_size"] + v["kernel_size"] - 1
        assert cl.summary(conv, (v["in_channels"], i, i)).total_macs == cost.macs


@pytest.mark.parametrize("start", [dict(in_channels=8, out_channels=8, groups=2),
                                   dict(in_channels=12, out_channels=6, groups=3),
                                   dict(in_channels=16, out_channels=16, groups=16)])
def test_every_slider_over_its_range(start):
    base = {"kernel_size": 3, "output_size": 8, **start}
    for name, (lo, hi) in RANGES.items():
        for value in range(lo, hi + 1):
            assert_consistent({**base, name: value}, with_summary=True)


def test_the_valid_groups_are_exactly_what_torch_accepts():
    for c_in in range(1, 17):
        for c_out in range(1, 17):
            accepted = [g for g in range(1, 17) if torch_refuses(
                dict(in_channels=c_in, out_channels=c_out, kernel_size=3, groups=g)) is None]
            assert valid_groups(c_in, c_out) == accepted
            for g in accepted:
                assert_consistent(dict(in_channels=c_in, out_channels=c_out, groups=g,
                                       kernel_size=3, output_size=8))


def test_random_states_never_raise_anything_but_the_groups_message():
    rng = random.Random(0)
    for n in range(500):
        v = {name: rng.randint(lo, hi) for name, (lo, hi) in RANGES.items()}
        assert_consistent(v, with_summary=n % 10 == 0)


def test_fit_groups_keeps_groups_valid_when_the_channels_change():
    slider = widgets.SelectionSlider(options=valid_groups(8, 8), value=4)
    fit_groups(slider, 12, 8)             # 4 still divides 12 and 8
    assert slider.options == (1, 2, 4) and slider.value == 4
    fit_groups(slider, 12, 6)             # divisors of 12 and 6: g = 4 falls to 3
    assert slider.options == (1, 2, 3, 6) and slider.value == 3


def test_the_widget_carries_its_values_and_a_kernel_free_twin():
    ex = cl.widgets.groups_explorer(in_channels=12, out_channels=8, groups=4)
    assert ex.values == dict(in_channels=12, out_channels=8, groups=4, kernel_size=3,
                             output_size=8)
    ex.groups = 3                         # refused in the browser, with convlib's message
    assert repr(ex).startswith("GroupsBrowser(in_channels=12, out_channels=8, groups=3")
    html = ex._repr_mimebundle_()[0]["text/html"]
    assert 'data-explorer-static="groups"' in html and "&quot;groups&quot;: 3" in html
