"""convlib.grouped.groups against torch: connectivity, costs, channel shuffle, bottleneck blocks."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st
from torch import nn

import convlib as cl
from convlib.counting.flops import count_flops


def torch_reach(layers: nn.Module, channels: int) -> np.ndarray:
    """(C_out, C_in) mask: which input channels reach each output (all-positive weights)."""
    with torch.no_grad():
        for p in layers.parameters():
            p.fill_(1.0)
        out = layers(torch.eye(channels).view(channels, channels, 1, 1))
    return (out[:, :, 0, 0] != 0).numpy().T


@st.composite
def groups_and_channels(draw, max_mult=4):
    g = draw(st.integers(1, 6))
    return g, g * draw(st.integers(1, max_mult)), g * draw(st.integers(1, max_mult))


@given(groups_and_channels())
def test_connectivity_is_what_torch_lets_each_filter_see(case):
    g, c_in, c_out = case
    conv = nn.Conv2d(c_in, c_out, 1, groups=g, bias=False)
    np.testing.assert_array_equal(cl.group_connectivity(c_in, c_out, g), torch_reach(conv, c_in))
    assert cl.group_connectivity(c_in, c_out, g).sum() * g == c_in * c_out


@settings(max_examples=40)
@given(groups_and_channels(), st.integers(1, 5), st.integers(1, 6))
def test_grouped_cost_against_numel_and_flop_counter(case, k, size):
    g, c_in, c_out = case
    cost = cl.grouped_conv_cost(c_in, c_out, k, g, size)
    conv = nn.Conv2d(c_in, c_out, k, groups=g)
    assert cost.params == sum(p.numel() for p in conv.parameters())
    assert cost.weights == conv.weight.numel()
    assert cost.standard_params == sum(p.numel() for p in nn.Conv2d(c_in, c_out, k).parameters())
    assert 2 * cost.macs == count_flops(conv, (c_in, size + k - 1, size + k - 1)).total
    assert cost.macs * g == cost.standard_macs and cost.macs_ratio == 1 / g


@given(st.integers(1, 12), st.integers(1, 12), st.integers(1, 12))
def test_groups_refused_exactly_where_torch_refuses(c_in, c_out, g):
    try:
        nn.Conv2d(c_in, c_out, 1, groups=g)
        refused = False
    except ValueError:
        refused = True
    if refused:
        with pytest.raises(ValueError, match="`groups` must divide"):
            cl.grouped_conv_cost(c_in, c_out, 3, g)
    else:
        assert cl.grouped_conv_cost(c_in, c_out, 3, g).groups == g


def test_cost_text_has_the_numbers():
    text = cl.grouped_cost_text(cl.grouped_conv_cost(16, 12, (3, 1), groups=4, output_size=(8, 6)))
    assert "3·1·(16/4)·12 + 12 = 156" in text and "= 1/4 of" in text


# ----------------------------------------------------------------- shuffle

@given(st.integers(1, 3), st.integers(1, 5), st.integers(1, 5), st.integers(0, 2))
def test_channel_shuffle_equals_torch(n, g, per_group, n_spatial):
    x = torch.randn(n, g * per_group, *([3] * n_spatial), 2)
    ours = cl.channel_shuffle(x.numpy(), g)
    np.testing.assert_array_equal(ours, nn.ChannelShuffle(g)(x).numpy())
    np.testing.assert_array_equal(ours, F.channel_shuffle(x, g).numpy())
    perm = cl.shuffle_permutation(g * per_group, g)
    np.testing.assert_array_equal(ours, x.numpy()[:, perm])


def test_shuffle_is_a_fixed_permutation():
    perm = cl.shuffle_permutation(12, 3)
    assert sorted(perm) == list(range(12))
    torch.manual_seed(1)
    a = nn.ChannelShuffle(3)(torch.arange(12.0).view(1, 12, 1))
    torch.manual_seed(2)
    b = nn.ChannelShuffle(3)(torch.arange(12.0).view(1, 12, 1))
    assert torch.equal(a, b) and a.flatten().long().tolist() == perm.tolist()


@pytest.mark.parametrize("shape, g, name", [((1, 6, 2), 4, "groups"), ((1, 6, 2), 0, "groups"),
                                            ((1, 6), 2, "x")])
def test_shuffle_errors_where_torch_refuses(shape, g, name):
    with pytest.raises(RuntimeError):
        nn.ChannelShuffle(g)(torch.zeros(shape))
    with pytest.raises(ValueError, match=f"`{name}`"):
        cl.channel_shuffle(np.zeros(shape), g)


def test_permutation_errors_name_the_parameter():
    with pytest.raises(ValueError, match="`groups`"):
        cl.shuffle_permutation(6, 4)
    with pytest.raises(ValueError, match="`channels`"):
        cl.shuffle_permutation(0, 1)
    with pytest.raises(ValueError, match="`groups`"):
        cl.channel_groups(6, 4)


@given(st.sampled_from([(12, (3, 3)), (12, (2, 3)), (8, (2, 2, 2)), (12, (4, 2, 3)), (6, (6,))]),
       st.booleans())
def test_stacked_dependency_against_torch(case, shuffle):
    c, gs = case
    layers = []
    for n, g in enumerate(gs):
        layers.append(nn.Conv2d(c, c, 1, groups=g, bias=False))
        if shuffle and n < len(gs) - 1:
            layers.append(nn.ChannelShuffle(g))
    np.testing.assert_array_equal(cl.stacked_dependency(c, gs, shuffle),
                                  torch_reach(nn.Sequential(*layers), c))


def test_stacked_dependency_needs_a_layer():
    with pytest.raises(ValueError, match="`groups`"):
        cl.stacked_dependency(4, [])


# ------------------------------------------------------------- bottlenecks

@settings(max_examples=25)
@given(st.sampled_from(cl.BOTTLENECKS), st.integers(1, 4), st.integers(1, 4),
       st.integers(1, 4), st.integers(1, 5))
def test_bottleneck_formula_equals_summary_and_flop_counter(kind, g, a, b, size):
    channels, mid = g * a * 2, g * b
    block = cl.bottleneck_block(kind, channels, mid, g)
    macs = cl.bottleneck_macs(kind, channels, mid, g, size)
    table = cl.summary(block, (channels, size, size))
    assert table.total_macs == macs
    assert count_flops(block, (channels, size, size)).total == 2 * macs
    assert table.total_params == sum(p.numel() for p in block.parameters())
    assert table.rows[-1].output_shape == (1, channels, size, size)


@settings(max_examples=25)
@given(st.sampled_from(cl.BOTTLENECKS), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4))
def test_bottleneck_weights_are_the_conv_weights_torch_holds(kind, g, a, b):
    channels, mid = g * a * 2, g * b
    block = cl.bottleneck_block(kind, channels, mid, g)
    conv_weights = sum(m.weight.numel() for m in block if isinstance(m, nn.Conv2d))
    assert cl.grouped.groups.bottleneck_weights(kind, channels, mid, g) == conv_weights


def test_shufflenet_table1_widths_give_valid_units_in_every_stage():
    for g, width in cl.grouped.groups.SHUFFLENET_V1_WIDTHS.items():
        for c in (width, 2 * width, 4 * width):      # stages 2, 3, 4
            block = cl.bottleneck_block("shufflenet", c, c // 4, g)
            assert block[0].groups == g and block[-2].out_channels == c


def test_bottleneck_weights_errors():
    with pytest.raises(ValueError, match="`groups`"):
        cl.grouped.groups.bottleneck_weights("shufflenet", 30, 8, 4)


def test_resnext_with_one_group_is_resnet():
    assert cl.bottleneck_macs("resnext", 64, 16, 1, 7) == cl.bottleneck_macs("resnet", 64, 16, 4, 7)


@pytest.mark.parametrize("kind, channels, mid, g, name", [
    ("resnext", 64, 10, 4, "groups"), ("shufflenet", 30, 8, 4, "groups"),
    ("vgg", 64, 16, 1, "kind"), ("resnet", 0, 16, 1, "channels")])
def test_bottleneck_errors(kind, channels, mid, g, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        cl.bottleneck_macs(kind, channels, mid, g)
    with pytest.raises(ValueError, match=f"`{name}`"):
        cl.bottleneck_block(kind, channels, mid, g)
