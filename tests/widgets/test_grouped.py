"""Groups explorer driven headlessly: every slider over its range, no exception escapes,
the g slider offers exactly the divisors torch accepts, valid states agree with torch."""
from __future__ import annotations

import random

import torch
from torch import nn

import convlib as cl
from .sweep import assert_invalid_marked, randomize, sweep_sliders

PNG_MAGIC = b"\x89PNG"
SLIDERS = ["in_channels", "out_channels", "groups", "kernel_size", "output_size"]


def torch_refuses(v: dict) -> str | None:
    try:
        nn.Conv2d(v["in_channels"], v["out_channels"], v["kernel_size"], groups=v["groups"],
                  device="meta")
    except ValueError as err:
        return str(err)
    return None


def assert_consistent(ex, with_summary: bool = False) -> None:
    v = ex.values
    refusal = torch_refuses(v)
    if refusal:
        assert ex.state is None and "`groups` must divide" in ex.error
        assert "Not a valid configuration" in ex.message.value
        assert "Traceback" not in ex.message.value
        return
    assert ex.error is None, ex.error
    cost = ex.state
    with torch.device("meta"):
        conv = nn.Conv2d(v["in_channels"], v["out_channels"], v["kernel_size"], groups=v["groups"])
    assert cost.params == sum(p.numel() for p in conv.parameters())
    assert cost.macs * v["groups"] == cost.standard_macs
    assert cost.connectivity.shape == (v["out_channels"], v["in_channels"])
    assert f"= {cost.macs:,}" in ex.message.value
    if with_summary:
        i = v["output_size"] + v["kernel_size"] - 1
        assert cl.summary(conv, (v["in_channels"], i, i)).total_macs == cost.macs


def test_every_slider_over_its_range():
    ex = cl.widgets.groups_explorer(render=False)
    for start in [dict(in_channels=8, out_channels=8, groups=2), dict(in_channels=12,
                  out_channels=6, groups=3), dict(in_channels=16, out_channels=16, groups=16)]:
        with ex.hold():
            ex.controls["in_channels"].value = start["in_channels"]
            ex.controls["out_channels"].value = start["out_channels"]
        ex.controls["groups"].value = start["groups"]  # offered once the channels are set
        sweep_sliders(ex, SLIDERS, lambda ex, _: assert_consistent(ex, with_summary=True))


def test_groups_slider_offers_exactly_what_torch_accepts():
    ex = cl.widgets.groups_explorer(render=False)
    for c_in in range(1, 17):
        for c_out in range(1, 17):
            with ex.hold():
                ex.controls["in_channels"].value = c_in
                ex.controls["out_channels"].value = c_out
            accepted = [g for g in range(1, 17) if torch_refuses(
                dict(in_channels=c_in, out_channels=c_out, kernel_size=3, groups=g)) is None]
            assert list(ex.controls["groups"].options) == accepted
            for g in accepted:
                ex.controls["groups"].value = g
                assert_consistent(ex)
                assert ex.error is None


def test_random_states_never_raise():
    ex = cl.widgets.groups_explorer(render=False)
    rng = random.Random(0)
    for n in range(500):
        randomize(ex, rng)
        assert_consistent(ex, with_summary=n % 10 == 0)
        assert_invalid_marked(ex)


def test_channel_change_keeps_groups_valid_and_renders_update_in_place():
    ex = cl.widgets.groups_explorer()
    fig, first = ex.fig, bytes(ex.image.value)
    assert first.startswith(PNG_MAGIC)
    ex.controls["groups"].value = 4
    assert ex.fig is fig and bytes(ex.image.value) != first
    ex.controls["in_channels"].value = 12  # 4 still divides 12 and 8
    assert ex.state.groups == 4
    ex.controls["out_channels"].value = 6  # divisors of 12 and 6: g = 4 falls to 3
    assert ex.controls["groups"].options == (1, 2, 3, 6)
    assert ex.error is None and ex.state.groups == 3 and ex.state.macs_ratio == 1 / 3
    assert_invalid_marked(ex)
    bundle = ex._repr_mimebundle_()
    assert bundle["text/plain"].startswith("GroupsExplorer(in_channels=12")
    assert "image/png" in bundle
