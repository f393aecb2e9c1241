"""convlib.transposed.weights: layouts, the group-wise channel swap, bilinear and sub-pixel weights, against torch."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

from convlib.transposed import weights as wt


@st.composite
def channels(draw):
    g = draw(st.integers(1, 4))
    return draw(st.integers(1, 4)) * g, draw(st.integers(1, 4)) * g, g, draw(st.integers(1, 4)), draw(st.integers(1, 4))


@settings(max_examples=40, deadline=None)
@given(channels())
def test_weight_shapes_are_torchs(c):
    c_in, c_out, g, kh, kw = c
    assert wt.conv_weight_shape(c_in, c_out, (kh, kw), g) == tuple(torch.nn.Conv2d(c_in, c_out, (kh, kw), groups=g).weight.shape)
    assert wt.conv_transpose_weight_shape(c_in, c_out, (kh, kw), g) == \
        tuple(torch.nn.ConvTranspose2d(c_in, c_out, (kh, kw), groups=g).weight.shape)


def test_the_example_layer():
    assert wt.conv_transpose_weight_shape(8, 4, 3, groups=2) == (8, 2, 3, 3)
    assert tuple(torch.nn.ConvTranspose2d(8, 4, 3, groups=2).weight.shape) == (8, 2, 3, 3)


@settings(max_examples=40, deadline=None)
@given(channels(), st.integers(1, 3))
def test_swapped_flipped_weight_makes_the_stride1_transposed_conv_a_conv(c, p):
    c_in, c_out, g, kh, kw = c
    rng = np.random.default_rng(c_in * 100 + c_out * 10 + g)
    w = rng.normal(size=(c_in, c_out // g, kh, kw))
    x = torch.from_numpy(rng.normal(size=(1, c_in, 6, 5)))
    want = F.conv_transpose2d(x, torch.from_numpy(w), groups=g)
    conv_w = wt.swap_weight_channels(w, g)[..., ::-1, ::-1].copy()
    got = F.conv2d(x, torch.from_numpy(conv_w), padding=(kh - 1, kw - 1), groups=g)
    np.testing.assert_allclose(got.numpy(), want.numpy(), atol=1e-12)
    np.testing.assert_array_equal(wt.swap_weight_channels(wt.swap_weight_channels(w, g), g), w)


def test_swap_is_plain_transpose_only_for_one_group():
    w = np.arange(8 * 2 * 9.0).reshape(8, 2, 3, 3)
    np.testing.assert_array_equal(wt.swap_weight_channels(w, 1), w.transpose(1, 0, 2, 3))
    assert wt.swap_weight_channels(w, 2).shape == (4, 4, 3, 3) != w.transpose(1, 0, 2, 3).shape


@pytest.mark.parametrize("groups", [1, 2, 3])
def test_the_gradient_of_a_conv_is_conv_transpose_with_the_same_weight(groups):
    rng = np.random.default_rng(groups)
    w = torch.from_numpy(rng.normal(size=(6, 6 // groups, 3, 3)))
    x = torch.zeros(1, 6, 7, 7, dtype=torch.float64, requires_grad=True)
    y = F.conv2d(x, w, stride=2, groups=groups)
    up = torch.from_numpy(rng.normal(size=tuple(y.shape)))
    y.backward(up)
    torch.testing.assert_close(x.grad, F.conv_transpose2d(up, w, stride=2, groups=groups))


def test_bilinear_kernel_is_fcns():
    np.testing.assert_allclose(wt.bilinear_kernel(4)[0], [1 / 16, 3 / 16, 3 / 16, 1 / 16])
    np.testing.assert_allclose(wt.bilinear_kernel(3), np.outer([.5, 1, .5], [.5, 1, .5]))


@pytest.mark.parametrize("s", [2, 4, 6])
def test_bilinear_transposed_conv_is_interpolate_inside(s):
    x = torch.from_numpy(np.random.default_rng(s).normal(size=(1, 2, 5, 6)))
    w = torch.from_numpy(wt.bilinear_upsampling_weight(2, s))
    got = F.conv_transpose2d(x, w, stride=s, padding=s // 2)
    want = F.interpolate(x, scale_factor=s, mode="bilinear", align_corners=False)
    b = s // 2
    torch.testing.assert_close(got[..., b:-b, b:-b], want[..., b:-b, b:-b])
    assert not torch.allclose(got[..., 0, :], want[..., 0, :])


@pytest.mark.parametrize("s", [2, 3])
def test_pixel_shuffle_is_torchs(s):
    x = np.random.default_rng(0).normal(size=(2, 3 * s * s, 4, 5))
    np.testing.assert_array_equal(wt.pixel_shuffle(x, s), F.pixel_shuffle(torch.from_numpy(x), s).numpy())


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.integers(0, 2), st.integers(2, 5))
def test_subpixel_conv_equals_conv_transpose(s, m, c_in, c_out, p, i):
    rng = np.random.default_rng(s * 1000 + m * 100 + c_in * 10 + c_out)
    w, b = rng.normal(size=(c_in, c_out, s * m, s * m)), rng.normal(size=c_out)
    x = rng.normal(size=(1, c_in, i, i + 1))
    if 2 * p >= s * (i + m - 1):
        with pytest.raises(ValueError, match="`padding`"):
            wt.subpixel_conv_transpose(x, w, b, s, p)
        return
    want = F.conv_transpose2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), stride=s, padding=p)
    np.testing.assert_allclose(wt.subpixel_conv_transpose(x, w, b, s, p), want.numpy(), atol=1e-10)
    # the same with torch's own layers: Conv2d, then PixelShuffle
    conv = F.conv2d(torch.from_numpy(x), torch.from_numpy(wt.subpixel_weight(w, s)), torch.from_numpy(np.repeat(b, s * s)),
                    padding=m - 1)
    full = torch.nn.PixelShuffle(s)(conv)
    torch.testing.assert_close(full[..., p:full.shape[-2] - p, p:full.shape[-1] - p], want)


def test_icnr_is_conv_then_nearest():
    rng = np.random.default_rng(1)
    w, x = torch.from_numpy(rng.normal(size=(2, 3, 3, 3))), torch.from_numpy(rng.normal(size=(1, 3, 5, 5)))
    got = F.pixel_shuffle(F.conv2d(x, torch.from_numpy(wt.icnr_weight(w.numpy(), 2)), padding=1), 2)
    torch.testing.assert_close(got, F.interpolate(F.conv2d(x, w, padding=1), scale_factor=2, mode="nearest"))


@pytest.mark.parametrize("call, name", [
    (lambda: wt.conv_weight_shape(0, 4, 3), "in_channels"),
    (lambda: wt.conv_transpose_weight_shape(8, 0, 3), "out_channels"),
    (lambda: wt.conv_transpose_weight_shape(8, 3, 3, groups=2), "out_channels"),
    (lambda: wt.conv_weight_shape(3, 4, 3, groups=2), "in_channels"),
    (lambda: wt.conv_weight_shape(4, 4, 0), "kernel_size"),
    (lambda: wt.conv_weight_shape(4, 4, 3, groups=0), "groups"),
    (lambda: wt.swap_weight_channels(np.zeros((3, 2)), 1), "weight"),
    (lambda: wt.swap_weight_channels(np.zeros((3, 2, 1, 1)), 2), "weight_first_axis"),
    (lambda: wt.bilinear_kernel(0), "kernel_size"),
    (lambda: wt.bilinear_upsampling_weight(0, 2), "channels"),
    (lambda: wt.bilinear_upsampling_weight(1, 0), "stride"),
    (lambda: wt.pixel_shuffle(np.zeros((1, 3, 2, 2)), 2), "x"),
    (lambda: wt.pixel_shuffle(np.zeros((1, 4, 2, 2)), 0), "upscale_factor"),
    (lambda: wt.subpixel_weight(np.zeros((1, 1, 3, 3)), 2), "stride"),
    (lambda: wt.subpixel_weight(np.zeros((1, 3, 3)), 1), "weight"),
    (lambda: wt.subpixel_conv_transpose(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 2, 2)), padding=-1), "padding"),
    (lambda: wt.subpixel_conv_transpose(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 2, 2)), padding=2), "padding"),
    (lambda: wt.icnr_weight(np.zeros((2, 2)), 2), "weight"),
    (lambda: wt.icnr_weight(np.zeros((2, 2, 1, 1)), 0), "stride"),
])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        call()
