"""convlib.transposed.upsampling: the numpy forward pass against torch, sizes, period and ripple."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convlib.transposed import upsampling as up


@pytest.mark.parametrize("scale", [1, 2, 3])
def test_nearest_upsample_is_interpolate_nearest(scale):
    x = np.random.default_rng(scale).normal(size=(2, 3, 4, 5))
    want = F.interpolate(torch.from_numpy(x), scale_factor=scale, mode="nearest")
    np.testing.assert_array_equal(up.nearest_upsample(x, scale), want.numpy())


@pytest.mark.parametrize("k, s", [(k, s) for k in range(1, 7) for s in range(1, 4)])
def test_each_transposed_layer_multiplies_the_size_by_s(k, s):
    if s == 1 and k % 2 == 0:  # would need output_padding 1 >= stride 1: no symmetric choice
        with pytest.raises(ValueError, match="`output_padding`"):
            up.transposed_stack(k, s)
        return
    model = up.transposed_stack(k, s, channels=(1, 2, 1))
    assert model(torch.zeros(1, 1, 5, 3, dtype=torch.float64)).shape[-2:] == (5 * s * s, 3 * s * s)


@pytest.mark.parametrize("make", [lambda: up.transposed_stack(3, seed=1),
                                  lambda: up.transposed_stack(4, positive=True),
                                  lambda: up.transposed_stack(5, 3, channels=(2, 3, 1)),
                                  lambda: up.resize_conv_stack(3, seed=2),
                                  lambda: up.resize_conv_stack(5, 3, positive=True)])
def test_numpy_forward_matches_torch(make):
    model = make()
    c_in = model[0].in_channels if hasattr(model[0], "in_channels") else model[1].in_channels
    x = np.random.default_rng(0).normal(size=(2, c_in, 5, 4))
    with torch.no_grad():
        want = model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(up.numpy_forward(model, x), want, rtol=1e-10, atol=1e-12)


def test_positive_means_absolute_weights_and_zero_bias():
    signed, positive = up.transposed_stack(3, seed=4), up.transposed_stack(3, seed=4, positive=True)
    for a, b in zip(signed[::2], positive[::2]):
        torch.testing.assert_close(a.weight.abs(), b.weight)
        assert not b.bias.any()


def test_flat_input_periods():
    flat = np.ones((1, 1, 8, 8))
    assert up.period(up.numpy_forward(up.transposed_stack(3, positive=True), flat), 8) == (8, 8)
    assert up.period(up.numpy_forward(up.resize_conv_stack(3, seed=3), flat), 8) == (1, 1)
    assert up.ripple(up.numpy_forward(up.resize_conv_stack(3, positive=True), flat), 8) < 1e-12


def test_period_and_ripple_basics():
    assert up.period(np.arange(12.0).reshape(3, 4) % 2) == (1, 2)
    assert up.period(np.random.default_rng(0).normal(size=(6, 6)), max_period=3) == (4, 4)
    assert up.ripple(np.full((4, 4), 2.0)) == 0.0
    img = up.smooth_image(6)
    assert img.shape == (1, 1, 6, 6) and img.max() == 1.0


@pytest.mark.parametrize("call, name", [
    (lambda: up.nearest_upsample(np.ones((2, 2)), 0), "scale"),
    (lambda: up.transposed_stack(3, 2, padding=0), "output_padding"),
    (lambda: up.transposed_stack(3, channels=(1,)), "channels"),
    (lambda: up.resize_conv_stack(4), "kernel_size"),
    (lambda: up.period(np.ones((4, 4)), margin=2), "margin"),
    (lambda: up.ripple(np.ones((4, 4)), margin=-1), "margin"),
    (lambda: up.ripple(-np.ones((4, 4))), "y"),
    (lambda: up.smooth_image(0), "size"),
])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        call()


def test_unsupported_layer_is_named():
    with pytest.raises(ValueError, match="Sigmoid"):
        up.numpy_forward(torch.nn.Sequential(torch.nn.Sigmoid()), np.ones((1, 1, 2, 2)))


@pytest.mark.parametrize("h, w, depth", [(37, 50, 3), (5, 6, 2), (64, 31, 3), (9, 9, 1)])
def test_encoder_decoder_gives_back_the_input_size(h, w, depth):
    model = up.encoder_decoder((h, w), depth=depth, channels=2)
    assert model(torch.zeros(1, 1, h, w)).shape == (1, 1, h, w)
    plain = [torch.nn.ConvTranspose2d(2, 2, 3, 2, 1) for _ in range(depth)]
    x = torch.zeros(1, 2, *model[:2 * depth](torch.zeros(1, 1, h, w)).shape[2:])
    for layer in plain:                       # without output_padding the size is lost
        x = layer(x)
    assert (h % 2, w % 2) == (1, 1) or tuple(x.shape[2:]) != (h, w)
