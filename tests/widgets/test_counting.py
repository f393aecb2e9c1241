"""Layer-cost explorer driven headlessly: every control over its range, each state compared
with a torch ``nn.Conv2d`` (``numel()`` and ``FlopCounterMode``); invalid states show a message
and grey the table; ``groups`` only ever offers common divisors of C_in and C_out."""
from __future__ import annotations

import random

import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

import convlib as cl
from convlib.widgets.counting import layer_cost, layer_cost_html
from .sweep import randomize


def torch_counts(v: dict) -> tuple[int, int, int] | None:
    """(output size, parameters, FLOPs) of the real layer, or None when torch refuses it."""
    with torch.device("meta"):
        conv = nn.Conv2d(v["in_channels"], v["out_channels"], v["kernel_size"], stride=v["stride"],
                         padding=v["padding"], groups=v["groups"])
        x = torch.zeros(1, v["in_channels"], v["input_size"], v["input_size"])
        try:
            with FlopCounterMode(display=False) as counter:
                out = conv(x)
        except RuntimeError:                   # kernel larger than the padded input
            return None
    return out.shape[-1], sum(p.numel() for p in conv.parameters()), counter.get_total_flops()


def assert_matches_torch(ex) -> None:
    v = ex.values
    groups = ex.controls["groups"]
    assert all(v["in_channels"] % g == 0 and v["out_channels"] % g == 0 for g in groups.options)
    assert v["groups"] in groups.options
    expected = torch_counts(v)
    if expected is None:
        assert ex.state is None and ex.error
        assert "Not a valid configuration" in ex.message.value
        assert "opacity:0.3" in ex.table.value
        return
    assert ex.error is None, ex.error
    o, params, flops = expected
    s = ex.state
    assert (s.output_size, s.params, 2 * s.macs) == (o, params, flops)
    assert s.dense_params == cl.conv2d_params(v["in_channels"], v["out_channels"], v["kernel_size"])
    assert f"<b>{s.params:,}</b>" in ex.table.value and f"<b>{s.macs:,}</b>" in ex.table.value
    assert "opacity" not in ex.table.value and ex.message.value == ""


def test_every_control_over_its_range():
    ex = cl.widgets.layer_cost_explorer(in_channels=12, out_channels=24, groups=4, input_size=10)
    for name, w in ex.controls.items():
        start = w.value
        values = list(w.options) if name == "groups" else range(w.min, w.max + 1)
        for value in values:
            w.value = value
            assert w.value == value
            assert_matches_torch(ex)
        w.value = start
        assert ex.values[name] == start


def test_groups_follow_the_channels():
    ex = cl.widgets.layer_cost_explorer(in_channels=12, out_channels=24, groups=4)
    assert list(ex.controls["groups"].options) == [1, 2, 3, 4, 6, 12]
    ex.controls["out_channels"].value = 9          # common divisors of 12 and 9: 1, 3
    assert list(ex.controls["groups"].options) == [1, 3]
    assert ex.controls["groups"].value == 3        # the largest valid g not above 4
    assert_matches_torch(ex)


def test_random_states_match_torch():
    ex = cl.widgets.layer_cost_explorer()
    rng = random.Random(0)
    for _ in range(300):
        randomize(ex, rng)
        assert_matches_torch(ex)


def test_invalid_then_valid_again():
    ex = cl.widgets.layer_cost_explorer(kernel_size=7, input_size=8)
    table = ex.table.value
    ex.controls["input_size"].value = 4
    assert ex.state is None and "opacity:0.3" in ex.table.value
    ex.controls["padding"].value = 2                # 4 + 2·2 − 7 ≥ 0: valid again
    assert ex.state is not None and ex.table.value != table
    assert "image/png" not in ex._repr_mimebundle_() and "text/html" in ex._repr_mimebundle_()


@pytest.mark.parametrize("bad", [dict(groups=3), dict(kernel_size=0), dict(stride=0)])
def test_layer_cost_refuses_with_value_error(bad):
    args = dict(in_channels=8, out_channels=8, kernel_size=3, groups=1, input_size=8, stride=1, padding=0)
    with pytest.raises(ValueError):
        layer_cost(**{**args, **bad})


def test_table_shows_every_count():
    c = layer_cost(16, 32, 3, groups=4, input_size=10)
    page = layer_cost_html(c)
    for n in (c.output_size, c.weights, c.params, c.macs, c.flops, c.dense_params, c.dense_macs):
        assert f"<b>{n:,}</b>" in page
