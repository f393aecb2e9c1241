"""convlib.networks.plans against torch: size chains (output size, dropped positions, lost
pixels) on random conv/pool chains, and the U-Net plan against the zoo's U-Net."""
from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

import convlib as cl
from convlib import zoo
from convlib.networks import plans as networks
from convlib.receptive.check import module_output_sizes
from convlib.receptive.layers import Layer

layer = st.builds(lambda k, s, p, kind, ceil: Layer(k, s, min(p, k // 2), 1, kind, ceil and kind == "pool"),
                  st.integers(1, 7), st.integers(1, 4), st.integers(0, 3),
                  st.sampled_from(["conv", "pool"]), st.booleans())


def torch_layer(spec: Layer) -> nn.Module:
    if spec.kind == "conv":
        return nn.Conv2d(1, 1, spec.kernel_size, spec.stride, spec.padding, bias=False)
    return nn.AvgPool2d(spec.kernel_size, spec.stride, spec.padding, spec.ceil_mode)


def lost_by_autograd(spec: Layer, i: int) -> int:
    """Input pixels (at the end of the row) that no window reads: zero gradient."""
    x = torch.ones(1, 1, 1, i, dtype=torch.float64, requires_grad=True)
    if spec.kind == "conv":
        m = nn.Conv2d(1, 1, (1, spec.kernel_size), (1, spec.stride), (0, spec.padding),
                      bias=False).double()
        nn.init.constant_(m.weight, 1.0)
    else:
        m = nn.AvgPool2d((1, spec.kernel_size), (1, spec.stride), (0, spec.padding), spec.ceil_mode)
    m(x).sum().backward()
    reached = (x.grad[0, 0, 0] > 0).nonzero().flatten()
    return i - 1 - int(reached.max())


@given(st.lists(layer, min_size=1, max_size=5), st.integers(1, 80))
@settings(max_examples=60)
def test_size_chain_against_torch(layers, i):
    try:
        steps = networks.size_chain(layers, i)
    except ValueError:
        with pytest.raises(RuntimeError):
            nn.Sequential(*map(torch_layer, layers))(torch.zeros(1, 1, i, i))
        return
    x = torch.zeros(1, 1, i, i, dtype=torch.float64)
    for spec, step in zip(layers, steps):
        assert step.input_size == x.shape[-1]
        x = torch_layer(spec).double()(x)
        assert step.output_size == x.shape[-1]
        assert step.lost == lost_by_autograd(spec, step.input_size)
        if not spec.ceil_mode:
            assert step.unused == cl.output_padding_for(step.input_size, spec.kernel_size,
                                                        spec.stride, spec.padding)


def test_sweep_sizes_flags():
    spine = [networks.layer_spec(m) for m in (nn.Conv2d(3, 8, 7, 2, 3), nn.MaxPool2d(3, 2, 1),
                                               nn.Conv2d(8, 8, 3, 2, 1))]
    rows = networks.sweep_sizes(spine, range(1, 100))
    for r in rows:
        steps = networks.size_chain(spine, r.input_size)
        assert r.divides == (r.input_size % 8 == 0)
        assert r.floor_exact == all(s.unused == 0 for s in steps)
        assert r.lost == 0   # padding (k - 1) / 2 never loses a real pixel


def test_layer_spec_refuses_other_modules():
    with pytest.raises(ValueError, match="`module`"):
        networks.layer_spec(nn.ReLU())
    with pytest.raises(ValueError, match="`kernel_size`"):
        networks.layer_spec(nn.Conv2d(1, 1, (3, 5)))


@pytest.mark.parametrize("padding", [0, 1])
@pytest.mark.parametrize("i", [188, 201, 252, 255, 270, 572])
def test_unet_plan_against_the_zoo(i, padding):
    model = zoo.unet(base=2, padding=padding)
    plan = networks.unet_plan(i, padding=padding, base=2)
    names = [f"down.{lv}" for lv in range(5)] + [f"up.{lv}" for lv in range(4)] + ["head"]
    sizes = {n: hw[0] for n, hw in module_output_sizes(model, (1, i, i), names).items()}
    assert plan.output_size == sizes["head"]
    for lv in range(5):
        assert plan.down[lv][1] == sizes[f"down.{lv}"]
    for lv in range(4):
        up = sizes[f"up.{3 - lv}"]      # up.0 is the deepest
        skip = sizes[f"down.{lv}"]
        assert plan.up[lv] == up
        assert plan.crop[lv] == ((skip - up) // 2, skip - up - (skip - up) // 2)
    assert plan.even_pools == all(sizes[f"down.{lv}"] % 2 == 0 for lv in range(4))
    table = cl.summary(model, (1, i, i))
    assert (plan.params, plan.macs) == (table.total_params, table.total_macs)


def test_unet_too_small_and_bad_padding():
    with pytest.raises(ValueError, match="`input_size`"):
        networks.unet_plan(60)
    with pytest.raises(RuntimeError):
        zoo.unet(base=1)(torch.zeros(1, 1, 60, 60))
    with pytest.raises(ValueError, match="`padding`"):
        networks.unet_plan(572, padding=2)


def test_unet_input_sizes_are_the_even_pool_sizes():
    sizes = networks.unet_input_sizes(range(150, 400))
    assert sizes == [i for i in range(188, 400) if (i - 188) % 16 == 0]
    assert networks.unet_input_sizes(range(1, 100), padding=1) == [16, 32, 48, 64, 80, 96]


def test_stage_costs_and_rows_on_a_zoo_model():
    with torch.device("meta"):
        model = zoo.resnet18()
    table = cl.summary(model, (3, 96, 96))
    costs = networks.stage_costs(table)
    assert sum(p for p, _ in costs.values()) == sum(p.numel() for p in model.parameters())
    assert sum(m for _, m in costs.values()) == table.total_macs
    sizes = module_output_sizes(model, (3, 96, 96), ["layer1", "layer2", "layer3", "layer4"])
    assert [k for k in costs if k != "head"] == \
        ["48×48"] + [f"{h}×{w}" for h, w in sizes.values()] + ["1×1"]   # conv1, stages, avgpool
    fc = cl.linear_macs(512, 1000)
    assert costs["head"] == (cl.linear_params(512, 1000), fc)
    rows = networks.stage_rows(cl.receptive_field(model, (3, 96, 96)), ["layer2", "layer4"])
    assert [r.output_size for r in rows.values()] == [sizes["layer2"][0], sizes["layer4"][0]]
    with pytest.raises(ValueError, match="`stages`"):
        networks.stage_rows(cl.receptive_field(model, (3, 96, 96)), ["layer9"])
