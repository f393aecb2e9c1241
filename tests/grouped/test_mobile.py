"""convlib.grouped.mobile against torch: MobileNet's multipliers, MobileNetV2's block, ReLU's loss."""
from __future__ import annotations

from math import comb

import pytest
import torch
from hypothesis import given, settings, strategies as st
from torch import nn

from convlib.counting.flops import count_flops
from convlib.grouped import mobile
from convlib.grouped.separable import depthwise_separable_block
from convlib.zoo.mobile import InvertedResidual


@settings(max_examples=25, deadline=None)
@given(st.sampled_from([8, 16, 32]), st.sampled_from([8, 16, 64]), st.sampled_from([1, 3, 5]),
       st.sampled_from([4, 8, 16]), st.sampled_from([1.0, 0.75, 0.5, 0.25]), st.sampled_from([1.0, 0.75, 0.5]))
def test_scaled_separable_macs_against_flop_counter(m, n, k, d_f, alpha, rho):
    am, an, rd = int(alpha * m), int(alpha * n), int(rho * d_f)
    with torch.device("meta"):
        block = depthwise_separable_block(am, an, k)
    macs = mobile.scaled_separable_macs(m, n, k, d_f, alpha, rho)
    assert macs == count_flops(block, (am, rd, rd)).total // 2
    assert macs == k * k * am * rd * rd + am * an * rd * rd


def test_multipliers_scale_the_cost_by_about_alpha_and_rho_squared():
    full = mobile.scaled_separable_macs(512, 512, 3, 14)
    for alpha, rho in [(0.5, 1.0), (1.0, 0.5), (0.25, 0.5)]:
        ratio = mobile.scaled_separable_macs(512, 512, 3, 14, alpha, rho) / full
        assert rho ** 2 * alpha ** 2 <= ratio <= rho ** 2 * alpha     # alpha² on the 1x1 term, alpha on the depthwise


@pytest.mark.parametrize("kwargs, name", [(dict(alpha=0), "alpha"), (dict(alpha=1.5), "alpha"),
                                          (dict(rho=0.3), "rho"), (dict(alpha=0.3), "alpha")])
def test_scaled_separable_macs_rejects_bad_multipliers(kwargs, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        mobile.scaled_separable_macs(16, 16, 3, 8, **kwargs)


@pytest.mark.parametrize("c_in, c_out, t, s, i", [(24, 24, 6, 1, 56), (16, 24, 6, 2, 112), (32, 32, 1, 1, 7),
                                                  (64, 96, 6, 1, 14), (8, 8, 4, 2, 9), (16, 8, 1, 2, 10)])
def test_inverted_residual_macs_against_the_zoo_block(c_in, c_out, t, s, i):
    block = InvertedResidual(c_in, c_out, s, t).eval()
    assert mobile.inverted_residual_macs(c_in, c_out, i, t, s) == count_flops(block, (c_in, i, i)).total // 2
    assert block.use_res_connect == (s == 1 and c_in == c_out)
    assert isinstance(block.conv[-1], nn.BatchNorm2d)                    # the linear bottleneck: no activation
    if s == 1 and t > 1:
        assert mobile.inverted_residual_macs(c_in, c_out, i, t, s) == i * i * c_in * t * (c_in + 9 + c_out)


def test_inverted_residual_macs_rejects_bad_sizes():
    with pytest.raises(ValueError, match="`expansion`"):
        mobile.inverted_residual_macs(8, 8, 8, 0)
    with pytest.raises(ValueError, match="`input_size`"):
        mobile.inverted_residual_macs(8, 8, 0)


@pytest.mark.parametrize("n", [2, 3, 5, 15])
def test_relu_recoverable_fraction_near_binomial(n):
    expected = sum(comb(n, j) for j in range(2, n + 1)) / 2 ** n
    assert abs(mobile.relu_recoverable_fraction(2, n) - expected) < 0.03
    assert mobile.relu_recoverable_fraction(2, n, relu=False) == 1.0


def test_relu_recoverable_fraction_rejects_bad_sizes():
    with pytest.raises(ValueError, match="`width`"):
        mobile.relu_recoverable_fraction(2, 0)
