"""The layer-cost explorer's arithmetic (`layer_cost`, `layer_cost_rows`) over every
control's range, each state compared with a torch ``nn.Conv2d`` (``numel()`` and
``FlopCounterMode``); invalid states are refused with the message the explorer shows; the
widget carries the controls (its drawing is tested in Chromium:
tests/browser/explorers/test_layer_cost.py)."""
from __future__ import annotations

import random
from math import gcd

import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

import convlib as cl
from convlib.widgets.counting import layer_cost, layer_cost_rows

#: The explorer's sliders (groups spans 1..gcd(C_in, C_out)).
RANGES = {"in_channels": range(1, 65), "out_channels": range(1, 65), "kernel_size": range(1, 8),
          "input_size": range(1, 33), "stride": range(1, 4), "padding": range(0, 4)}


def divisors(c_in: int, c_out: int) -> list[int]:
    g = gcd(c_in, c_out)
    return [d for d in range(1, g + 1) if g % d == 0]


def torch_counts(v: dict) -> tuple[int, int, int] | None:
    """(output size, parameters, FLOPs) of the real layer, or None when torch refuses it."""
    with torch.device("meta"):
        try:
            conv = nn.Conv2d(v["in_channels"], v["out_channels"], v["kernel_size"],
                             stride=v["stride"], padding=v["padding"], groups=v["groups"])
        except ValueError:                     # groups does not divide the channels
            return None
        x = torch.zeros(1, v["in_channels"], v["input_size"], v["input_size"])
        try:
            with FlopCounterMode(display=False) as counter:
                out = conv(x)
        except RuntimeError:                   # kernel larger than the padded input
            return None
    return out.shape[-1], sum(p.numel() for p in conv.parameters()), counter.get_total_flops()


def assert_matches_torch(v: dict) -> None:
    expected = torch_counts(v)
    if expected is None:
        with pytest.raises(ValueError, match="`kernel_size` too large|`groups` must divide"):
            layer_cost(**v)
        return
    o, params, flops = expected
    s = layer_cost(**v)
    assert (s.output_size, s.params, 2 * s.macs, s.flops) == (o, params, flops, flops)
    assert s.dense_params == cl.conv2d_params(v["in_channels"], v["out_channels"], v["kernel_size"])
    assert [r[3] for r in layer_cost_rows(s)] == [o, s.weights, s.out_channels, params, s.macs,
                                                  flops, s.dense_params, s.dense_macs]


def test_every_control_over_its_range():
    start = dict(in_channels=12, out_channels=24, kernel_size=3, groups=4, input_size=10,
                 stride=1, padding=0)
    for name, values in RANGES.items():
        for value in values:
            v = {**start, name: value}
            for g in divisors(v["in_channels"], v["out_channels"]):
                assert_matches_torch({**v, "groups": g})
    for g in range(1, 13):                 # every g up to gcd(12, 24): non-divisors refused
        assert_matches_torch({**start, "groups": g})


def test_a_groups_value_that_does_not_divide_is_refused():
    with pytest.raises(ValueError, match="`groups` must divide in_channels and out_channels, "
                                         "got groups=4, in_channels=12, out_channels=9"):
        layer_cost(12, 9, 3, groups=4)
    assert layer_cost(12, 9, 3, groups=3).params == 3 * 3 * 4 * 9 + 9


def test_random_states_match_torch():
    rng = random.Random(0)
    for _ in range(300):
        v = {name: rng.choice(values) for name, values in RANGES.items()}
        v["groups"] = rng.randint(1, gcd(v["in_channels"], v["out_channels"]))
        assert_matches_torch(v)


def test_invalid_then_valid_again():
    with pytest.raises(ValueError, match="`kernel_size` too large"):
        layer_cost(16, 32, 7, input_size=4)
    assert layer_cost(16, 32, 7, input_size=4, padding=2).output_size == 2  # 4 + 2·2 − 7 ≥ 0


@pytest.mark.parametrize("bad", [dict(groups=3), dict(kernel_size=0), dict(stride=0)])
def test_layer_cost_refuses_with_value_error(bad):
    args = dict(in_channels=8, out_channels=8, kernel_size=3, groups=1, input_size=8, stride=1, padding=0)
    with pytest.raises(ValueError):
        layer_cost(**{**args, **bad})


def test_the_table_shows_every_count_with_its_numbers():
    c = layer_cost(16, 32, 3, groups=4, input_size=10)
    rows = {name: (nums, value) for name, _, nums, value in layer_cost_rows(c)}
    assert rows["weights"] == ("3·3·(16/4)·32", 1152)
    assert rows["MACs"] == ("3·3·(16/4)·32·8·8", 73728)
    assert rows["FLOPs (FlopCounterMode)"] == ("2 · 73,728", 147456)
    assert rows["dense layer (g = 1): MACs"][1] == 294912


def test_the_widget_carries_the_controls():
    ex = cl.widgets.layer_cost_explorer(in_channels=16, out_channels=32, groups=4, input_size=10)
    assert ex.values == dict(in_channels=16, out_channels=32, kernel_size=3, groups=4,
                             input_size=10, stride=1, padding=0)
    ex.kernel_size = 6                      # the presenters' notes: weights ×4, MACs ×1.5625
    assert layer_cost(**ex.values).macs == 115200
    data, _ = ex._repr_mimebundle_()
    assert 'data-explorer-static="layer_cost"' in data["text/html"]
