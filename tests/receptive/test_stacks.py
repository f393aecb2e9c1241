"""convlib.receptive.stacks: stacks built from per-layer settings agree with torch, masks and
bounds helpers, the effective-field statistics, and every error path."""
from __future__ import annotations

import math
import random

import numpy as np
import pytest
import torch
from torch import nn

import convlib as cl
from convlib.receptive.stacks import bottom_up_steps, top_down_steps
from convlib.receptive.layers import Layer


def ones_mask(layers, size, unit):
    """Pixels that reach `unit` in a real torch copy of `layers`: conv weights 1, no bias,
    max pools as average pools of the same geometry (so no gradient is zero by choice)."""
    mods = []
    for spec in layers:
        if spec.kind == "conv":
            conv = nn.Conv2d(1, 1, spec.kernel_size, spec.stride or 1, spec.padding,
                             spec.dilation, bias=False).double()
            nn.init.ones_(conv.weight)
            mods.append(conv)
        else:
            mods.append(nn.AvgPool2d(spec.kernel_size, spec.stride, spec.padding))
    x = torch.ones(1, 1, size, size, dtype=torch.float64, requires_grad=True)
    nn.Sequential(*mods)(x)[0, 0, unit[0], unit[1]].backward()
    return (x.grad[0, 0] != 0).numpy()


def random_stack(rng):
    n = rng.randint(1, 4)
    return cl.build_stack([rng.randint(1, 5) for _ in range(n)], [rng.randint(1, 3) for _ in range(n)],
                          [rng.randint(1, 3) for _ in range(n)], [rng.random() < 0.3 for _ in range(n)],
                          rng.choice(["none", "half"]))


# ------------------------------------------------------------------ build_stack, torch_stack

def test_build_stack_names_padding_and_pools():
    layers = cl.build_stack([3, 4], [1, 2], [2, 3], [True, False], padding="half")
    assert [l.name for l in layers] == ["conv1", "pool1", "conv2"]
    assert [l.padding for l in layers] == [2, 0, 4]           # floor(d (k - 1) / 2)
    assert layers[1] == Layer(2, kind="pool", name="pool1")
    assert all(l.padding == 0 for l in cl.build_stack([3, 5], padding="none"))


@pytest.mark.parametrize("kwargs, name", [
    (dict(kernel_sizes=[]), "kernel_sizes"), (dict(kernel_sizes=[3], strides=[1, 2]), "strides"),
    (dict(kernel_sizes=[3], dilations=[]), "dilations"), (dict(kernel_sizes=[3], pools=[1, 1]), "pools"),
    (dict(kernel_sizes=[3], padding="same"), "padding"), (dict(kernel_sizes=[0]), "kernel_size"),
    (dict(kernel_sizes=[3], strides=[0]), "stride"), (dict(kernel_sizes=[3], dilations=[0]), "dilation"),
])
def test_build_stack_errors_name_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        cl.build_stack(**kwargs)


def test_torch_stack_has_the_tables_output_size():
    rng = random.Random(1)
    for _ in range(60):
        layers, size = random_stack(rng), rng.randint(4, 24)
        try:
            expected = cl.receptive_field(layers, size).output_size
        except ValueError:
            with pytest.raises(RuntimeError):
                cl.torch_stack(layers)(torch.zeros(1, 1, size, size))
            continue
        assert cl.torch_stack(layers, 3)(torch.zeros(1, 1, size, size)).shape[-2:] == (expected,) * 2


def test_torch_stack_rejects_unknown_kinds():
    with pytest.raises(ValueError, match="`kind`"):
        cl.torch_stack([Layer(3, kind="fold")])
    with pytest.raises(ValueError, match="`channels`"):
        cl.torch_stack([Layer(3)], channels=0)


# ------------------------------------------------------------------ bounds helpers

def test_mask_bounds_and_sizes():
    mask = np.zeros((6, 7), bool)
    mask[1, 2] = mask[4, 5] = True
    assert cl.mask_bounds(mask) == ((1, 4), (2, 5))
    assert cl.bounds_size(cl.mask_bounds(mask)) == (4, 4)
    assert cl.mask_bounds(np.zeros((3, 3))) is None
    with pytest.raises(ValueError, match="`mask`"):
        cl.mask_bounds(np.zeros(3))


def test_clip_and_inside_per_axis():
    assert cl.clip_bounds(((-1, 3), (2, 9)), (5, 8)) == ((0, 3), (2, 7))
    assert cl.field_inside(((0, 4), (0, 7)), (5, 8))
    assert not cl.field_inside(((0, 5), (0, 7)), (5, 8))
    with pytest.raises(ValueError, match="`input_size`"):
        cl.clip_bounds(((0, 1), (0, 1)), 0)


# ------------------------------------------------------------------ effective field statistics

def test_central_share_uniform_and_peaked():
    uniform = cl.central_share(np.ones((9, 9)), ((0, 8), (0, 8)), fraction=1 / 3)
    assert uniform.mass == pytest.approx(uniform.area) and uniform.area == pytest.approx(1 / 9)
    peaked = np.outer([1, 2, 4, 2, 1], [1, 2, 4, 2, 1])
    share = cl.central_share(peaked, ((0, 4), (0, 4)), fraction=0.6)
    assert share.area == pytest.approx(9 / 25) and share.mass == pytest.approx(64 / 100)


@pytest.mark.parametrize("grad, fraction, name", [
    (np.ones((3, 3)), 0, "fraction"), (np.ones((3, 3)), 1.5, "fraction"),
    (np.zeros((3, 3)), 0.5, "grad")])
def test_central_share_errors(grad, fraction, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        cl.central_share(grad, ((0, 2), (0, 2)), fraction)


@pytest.mark.parametrize("n", [1, 3, 6])
def test_spread_of_path_counts_is_sqrt_2n_over_3(n):
    state = cl.field_state(cl.build_stack([3] * n, padding="half"), 2 * n + 5)
    assert cl.gradient_spread(state.field.grad) == pytest.approx((math.sqrt(2 * n / 3),) * 2,
                                                                 abs=1e-5)
    with pytest.raises(ValueError, match="`grad`"):
        cl.gradient_spread(np.zeros((3, 3)))


# ------------------------------------------------------------------ field_state against torch

def test_field_state_agrees_with_real_torch_autograd():
    rng = random.Random(2)
    checked = 0
    while checked < 40:
        layers, size = random_stack(rng), rng.randint(6, 24)
        try:
            o = cl.receptive_field(layers, size).output_size
        except ValueError:
            continue
        unit = (rng.randrange(o), rng.randrange(o))
        state = cl.field_state(layers, size, unit)
        mask = ones_mask(layers, size, unit)
        assert state.unit == unit and np.array_equal(state.field.mask, mask)
        inside = cl.field_inside(state.bounds, size)
        assert (cl.mask_bounds(mask) == state.bounds) if inside else (
            all(c0 <= m0 and m1 <= c1 for (m0, m1), (c0, c1)
                in zip(cl.mask_bounds(mask), cl.clip_bounds(state.bounds, size))))
        checked += 1


def test_field_state_clamps_the_unit_and_names_the_layer():
    state = cl.field_state(cl.build_stack([3, 3]), 9, (0, 99))
    assert state.unit == (0, 4)
    assert cl.field_state(cl.build_stack([3, 3]), 9).unit == (2, 2)
    with pytest.raises(ValueError, match=r"in layer 'conv3'"):
        cl.field_state(cl.build_stack([3, 3, 3]), 5)
    with pytest.raises(ValueError, match="`unit`"):
        cl.field_state(cl.build_stack([3]), 5, (-1, 0))


def test_field_state_accepts_a_sequential():
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2))
    state = cl.field_state(model, 10)
    assert state.layers is model and state.table.size == 4 and state.unit == (2, 2)


# ------------------------------------------------------------------ formula text

def test_steps_end_in_the_tables_values():
    assert top_down_steps([7, 3, 3], [2, 2, 1])[-1].endswith(
        f"= {cl.receptive_field_top_down([7, 3, 3], [2, 2, 1])}")
    assert "(2·(3 − 1) + 1)" in top_down_steps([3, 3], [1, 1], [2, 1])[-1]
    layers = [Layer(3, 2, 1), Layer(2, kind="pool"), Layer(4, 1, 0, 2)]
    table = cl.receptive_field(layers)
    last = bottom_up_steps(layers)[-1]
    assert f"j = 4·1 = {table.jump}" in last and f"= {table.size}" in last
    assert last.endswith(f"= {table.start:g}")


def test_bottom_up_steps_errors():
    with pytest.raises(ValueError, match="square"):
        bottom_up_steps([Layer((3, 1))])
    with pytest.raises(ValueError, match="`padding`"):
        bottom_up_steps([Layer(3, padding="same")])
