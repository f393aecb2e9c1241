"""convlib.grouped.separable against torch: kernel rank and factors, depthwise-separable costs."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st
from torch import nn

import convlib as cl
from convlib.counting.flops import count_flops

SOBEL_X = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
LAPLACE = [[0, 1, 0], [1, -4, 1], [0, 1, 0]]


@given(st.integers(1, 6), st.integers(1, 6), st.integers(1, 3), st.integers(0, 1000))
def test_rank_matches_torch(kh, kw, r, seed):
    rng = np.random.default_rng(seed)
    k = rng.integers(-3, 4, (kh, r)) @ rng.integers(-3, 4, (r, kw))
    assert cl.kernel_rank(k) == int(torch.linalg.matrix_rank(torch.tensor(k, dtype=torch.float64)))


@given(st.lists(st.integers(-4, 4), min_size=1, max_size=6),
       st.lists(st.integers(-4, 4), min_size=1, max_size=6))
def test_rank_one_kernels_separate_and_convolve_the_same(col, row):
    kernel = np.outer(col, row).astype(float)
    if not kernel.any():
        with pytest.raises(ValueError, match="`kernel`.*rank 0"):
            cl.separate_kernel(kernel)
        return
    c, r = cl.separate_kernel(kernel)
    np.testing.assert_array_equal(np.outer(c, r), kernel)
    x = torch.randn(1, 1, 9, 8, dtype=torch.float64)
    two = F.conv2d(F.conv2d(x, torch.tensor(c).view(1, 1, -1, 1)), torch.tensor(r).view(1, 1, 1, -1))
    full = F.conv2d(x, torch.tensor(kernel).view(1, 1, *kernel.shape))
    torch.testing.assert_close(two, full)


def test_sobel_separates_laplace_does_not():
    c, r = cl.separate_kernel(SOBEL_X)
    assert c.tolist() == [1, 2, 1] and r.tolist() == [-1, 0, 1]
    with pytest.raises(ValueError, match="`kernel` must have rank 1.*rank 2"):
        cl.separate_kernel(LAPLACE)
    with pytest.raises(ValueError, match="`kernel`"):
        cl.kernel_rank([1, 2, 3])


@settings(max_examples=40)
@given(st.integers(1, 24), st.integers(1, 24), st.integers(1, 5), st.integers(1, 9))
def test_depthwise_separable_cost_against_torch(c_in, c_out, k, size):
    cost = cl.depthwise_separable_cost(c_in, c_out, k, size)
    with torch.device("meta"):
        standard = nn.Conv2d(c_in, c_out, k)
        block = cl.depthwise_separable_block(c_in, c_out, k, padding=0)
    numel = lambda m: sum(p.numel() for p in m.parameters())
    assert cost.standard_params == numel(standard)
    assert (cost.depthwise_params, cost.pointwise_params) == (numel(block[0]), numel(block[1]))
    assert cost.depthwise_params == k * k * c_in + c_in          # + C_in biases, not + 1
    i = size + k - 1
    table = cl.summary(block, (c_in, i, i))
    assert [r.macs for r in table.rows] == [cost.depthwise_macs, cost.pointwise_macs]
    assert cl.summary(standard, (c_in, i, i)).total_macs == cost.standard_macs
    assert math.isclose(cost.macs_ratio, cost.formula_ratio, rel_tol=1e-12)
    assert math.isclose(cost.formula_ratio, 1 / c_out + 1 / k ** 2, rel_tol=1e-12)


def test_flop_counter_agrees_on_real_tensors():
    block = cl.depthwise_separable_block(8, 16, 3)
    cost = cl.depthwise_separable_cost(8, 16, 3, output_size=10)
    assert count_flops(block, (8, 10, 10)).total == 2 * cost.separable_macs


def test_without_bias_and_per_axis():
    cost = cl.depthwise_separable_cost(4, 6, (3, 1), (5, 7), bias=False)
    assert cost.depthwise_params == 3 * 4 and cost.pointwise_params == 24
    assert math.isclose(cost.formula_ratio, 1 / 6 + 1 / 3)
    assert "= 1/6 + 1/3" in cl.separable_cost_text(cost)


@pytest.mark.parametrize("call, name", [
    (lambda: cl.separable_macs_ratio(0, 3), "out_channels"),
    (lambda: cl.separable_macs_ratio(4, 0), "kernel_size"),
    (lambda: cl.depthwise_separable_cost(0, 4), "in_channels"),
    (lambda: cl.depthwise_separable_block(4, 4, 0), "kernel_size")])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        call()


def test_mobilenet_layer_is_affine_only_without_the_middle_relu():
    import torch
    x = torch.randn(2, 4, 7, 7, generator=torch.Generator().manual_seed(3))
    sep = cl.grouped.separable
    layer = sep.mobilenet_layer(4, 6, final_relu=False)
    linear = sep.mobilenet_layer(4, 6, middle_relu=False, final_relu=False)
    assert not layer.training
    assert all(float(m.running_var.min()) >= 0.5 for m in layer if isinstance(m, nn.BatchNorm2d))
    assert sep.affine_defect(linear, x) < 1e-4
    assert sep.affine_defect(layer, x) > 1e-2
    assert sep.affine_defect(sep.mobilenet_layer(4, 6, middle_relu=False), x) > 1e-2   # the final ReLU alone
    # BN in eval mode is not the identity: the no-ReLU block is not the bare two-conv block
    bare = cl.depthwise_separable_block(4, 6, 3, bias=False)
    bare[0].weight.data, bare[1].weight.data = linear[0].weight.data, linear[2].weight.data
    with torch.no_grad():
        assert not torch.allclose(bare(x), linear(x), atol=1e-3)
    # the same seed gives the same layer
    assert torch.equal(sep.mobilenet_layer(4, 6, seed=1)[1].running_mean,
                       sep.mobilenet_layer(4, 6, seed=1)[1].running_mean)


def test_affine_defect_of_an_affine_map_is_zero():
    import torch
    x = torch.randn(1, 3, 6, 6)
    conv = nn.Conv2d(3, 5, 3, padding=1)                       # with a bias
    assert cl.grouped.separable.affine_defect(conv, x) < 1e-5
    assert cl.grouped.separable.affine_defect(lambda t: conv(t) + 1.0, x) < 1e-5
    assert cl.grouped.separable.affine_defect(lambda t: conv(t) ** 2, x) > 1e-2


def test_mobilenet_layer_errors_name_the_parameter():
    with pytest.raises(ValueError, match="`out_channels`"):
        cl.grouped.separable.mobilenet_layer(4, 0)
