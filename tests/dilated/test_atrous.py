"""convlib.dilated.atrous against torch: the output-stride trade (field by autograd, MACs by
FlopCounterMode, parameters by numel) and the share of ASPP taps on the feature map."""
from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import convlib as cl


@st.composite
def backbones(draw):
    n = draw(st.integers(1, 4))
    stages = [cl.Stage(draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 2)),
                       draw(st.sampled_from([1, 3, 5]))) for _ in range(n)]
    reachable, acc = [1], 1
    for s in stages:
        acc *= s.stride
        reachable.append(acc)
    return stages, draw(st.sampled_from(sorted(set(reachable))))


def empirical_field(model, field: int, output_stride: int) -> int:
    """Side of the bounding box of the centre unit's autograd field, on an image large
    enough that the field stays inside it."""
    size = 2 * field + 4 * output_stride + 1
    fmap = cl.empirical_receptive_field(model, (size, size))
    h, w = cl.bounds_size(cl.mask_bounds(fmap.mask))
    assert h == w
    return h


@settings(max_examples=40)
@given(spec=backbones(), input_size=st.integers(8, 24))
def test_output_stride_row_matches_torch(spec, input_size):
    stages, os_ = spec
    row = cl.output_stride_row(stages, input_size, os_, in_channels=2)
    model = cl.backbone_model(stages, os_, in_channels=2)
    out = model(torch.zeros(1, 2, input_size, input_size))
    assert tuple(out.shape[2:]) == (row.feature_size, row.feature_size)
    assert cl.count_flops(model, (2, input_size, input_size)).total == 2 * row.macs
    assert sum(p.numel() for p in model.parameters()) == row.params
    assert empirical_field(model, row.field, os_) == row.field
    assert tuple(m.dilation[0] for m in model if isinstance(m, torch.nn.Conv2d)) == row.dilations


@settings(max_examples=40)
@given(spec=backbones(), input_size=st.integers(8, 40))
def test_lowering_the_output_stride_keeps_field_and_params(spec, input_size):
    stages, _ = spec
    strides = [1]
    for s in stages:
        strides.append(strides[-1] * s.stride)
    rows = cl.output_stride_table(stages, input_size, sorted(set(strides), reverse=True))
    assert len({r.field for r in rows}) == 1 and len({r.params for r in rows}) == 1
    assert [r.macs for r in rows] == sorted(r.macs for r in rows)   # lower OS, more MACs


def test_small_backbone_at_32_16_8_against_torch():
    rows = cl.output_stride_table(cl.SMALL_BACKBONE, 64, (32, 16, 8))
    assert [r.feature_size for r in rows] == [2, 4, 8]
    for row in rows:
        model = cl.backbone_model(cl.SMALL_BACKBONE, row.output_stride)
        assert cl.count_flops(model, (3, 64, 64)).total == 2 * row.macs
        assert empirical_field(model, row.field, row.output_stride) == row.field
    assert rows[2].macs > 3 * rows[0].macs


@settings(max_examples=200)
@given(rate=st.integers(1, 40), n=st.integers(1, 40), k=st.sampled_from([1, 3, 5]))
def test_valid_tap_fraction_matches_a_conv_of_ones(rate, n, k):
    pad = rate * (k - 1) // 2
    counts = F.conv2d(torch.ones(1, 1, n, n, dtype=torch.float64),
                      torch.ones(1, 1, k, k, dtype=torch.float64), padding=pad, dilation=rate)
    assert counts.shape[-1] == n
    assert cl.valid_tap_fraction(rate, n, k) == pytest.approx(float(counts.mean()) / k ** 2,
                                                               rel=1e-12)


def test_aspp_rates_and_effective_kernels():
    assert cl.aspp_rates(16) == (6, 12, 18) and cl.aspp_rates(8) == (12, 24, 36)
    for os_ in (16, 8):
        for b in cl.aspp_branches(os_, feature_size=33):
            w = torch.zeros(1, 1, 3, 3)
            assert F.conv2d(torch.zeros(1, 1, b.k_eff, b.k_eff), w, dilation=b.rate).shape[-1] == 1
    fractions = [b.valid_fraction for b in cl.aspp_branches(16, feature_size=33)]
    assert fractions == sorted(fractions, reverse=True)
    assert cl.valid_tap_fraction(33, 33) == pytest.approx(1 / 9)   # only the centre tap left


@pytest.mark.parametrize("call, name", [
    (lambda: cl.dilate_stages([], 8), "stages"),
    (lambda: cl.dilate_stages([cl.Stage(0, 2)], 2), "out_channels"),
    (lambda: cl.dilate_stages([cl.Stage(4, 2, 1, 2)], 2), "kernel_size"),
    (lambda: cl.dilate_stages(cl.SMALL_BACKBONE, 12), "output_stride"),
    (lambda: cl.dilate_stages(cl.SMALL_BACKBONE, 8, in_channels=0), "in_channels"),
    (lambda: cl.output_stride_row(cl.SMALL_BACKBONE, 0, 8), "input_size"),
    (lambda: cl.aspp_rates(32), "output_stride"),
    (lambda: cl.valid_tap_fraction(0, 33), "rate"),
    (lambda: cl.valid_tap_fraction(6, 0), "feature_size"),
    (lambda: cl.valid_tap_fraction(6, 33, 2), "kernel_size"),
])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
