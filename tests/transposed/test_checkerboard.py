"""convlib.transposed.checkerboard against torch: each upsampler on the photo, the phase pattern that
only the uneven transposed convolution paints, and the gradient of a strided convolution."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import convlib as cl
from convlib.transposed import checkerboard as cb


def blur(y: torch.Tensor) -> torch.Tensor:
    return F.conv2d(F.pad(y, (1, 1, 1, 1), mode="replicate"), torch.full((1, 1, 3, 3), 1 / 9,
                                                                      dtype=torch.float64))


def torch_upsample(x: np.ndarray, method: str) -> np.ndarray:
    t = torch.from_numpy(x)[None, None]
    if method == "transposed k=3, s=2":
        y = F.conv_transpose2d(t, torch.full((1, 1, 3, 3), 4 / 9, dtype=torch.float64), stride=2,
                               padding=1, output_padding=1)
    elif method == "transposed k=4, s=2":
        y = F.conv_transpose2d(t, torch.full((1, 1, 4, 4), 1 / 4, dtype=torch.float64), stride=2,
                               padding=1)
    elif method == "nearest, then ConvT s=1":
        y = F.conv_transpose2d(F.interpolate(t, scale_factor=2, mode="nearest"),
                               torch.full((1, 1, 3, 3), 1 / 9, dtype=torch.float64), padding=1)
    elif method == "nearest, then conv":
        y = blur(F.interpolate(t, scale_factor=2, mode="nearest"))
    else:
        y = blur(F.interpolate(t, scale_factor=2, mode="bilinear", align_corners=False))
    return y[0, 0].numpy()


@pytest.mark.parametrize("method", list(cb.UPSAMPLERS))
def test_each_upsampler_matches_torch_on_the_photo(method):
    photo = cl.sample_image(32)
    np.testing.assert_allclose(cb.upsample_image(photo, method), torch_upsample(photo, method),
                               atol=1e-12)


def test_only_the_uneven_transposed_convolution_paints_a_checkerboard():
    photo = cl.sample_image(64)
    spread = {m: cb.phase_spread(cb.upsample_image(photo, m)) for m in cb.UPSAMPLERS}
    assert spread["transposed k=3, s=2"] > 1.0
    assert all(v < 0.05 for m, v in spread.items() if m != "transposed k=3, s=2")
    flat = cb.upsample_image(np.full((16, 16), 0.5), "transposed k=3, s=2")
    assert cl.transposed.upsampling.period(flat, margin=2) == (2, 2)


@settings(max_examples=100)
@given(i=st.integers(3, 14), k=st.integers(1, 5), s=st.integers(1, 4))
def test_conv_input_gradient_is_the_overlap_pattern(i, k, s):
    if k > i:
        return
    grad = cb.conv_input_gradient(i, k, s)
    o = cl.conv_output_size(i, k, s)
    counts = cl.overlap_counts(k, s, o)
    want = np.zeros(i)
    want[:len(counts)] = counts
    np.testing.assert_array_equal(grad, np.outer(want, want))
    y = torch.ones(1, 1, o, o, dtype=torch.float64)
    back = F.conv_transpose2d(y, torch.ones(1, 1, k, k, dtype=torch.float64), stride=s,
                              output_padding=cl.output_padding_for(i, k, s))
    np.testing.assert_array_equal(grad, back[0, 0].numpy())


def test_gradient_checkerboard_only_when_s_does_not_divide_k():
    uneven = cb.conv_input_gradient(15, 3, 2)
    assert set(np.unique(uneven[2:-2, 2:-2])) == {1.0, 2.0, 4.0}
    even = cb.conv_input_gradient(16, 4, 2)
    assert set(np.unique(even[2:-2, 2:-2])) == {4.0}


def test_gradient_with_a_given_upstream():
    up = np.arange(9.0).reshape(3, 3)
    grad = cb.conv_input_gradient(7, 3, 2, upstream=up)
    y = torch.from_numpy(up)[None, None]
    want = F.conv_transpose2d(y, torch.ones(1, 1, 3, 3, dtype=torch.float64), stride=2)
    np.testing.assert_array_equal(grad, want[0, 0].numpy())


@pytest.mark.parametrize("call, name", [
    (lambda: cb.upsample_image(np.ones((4, 4)), "cubic"), "method"),
    (lambda: cb.upsample_image(np.ones(4)), "image"),
    (lambda: cb.phase_spread(np.ones((4, 4)), margin=2), "margin"),
    (lambda: cb.phase_spread(np.ones((4, 4)), stride=0), "stride"),
    (lambda: cb.phase_spread(-np.ones((8, 8))), "y"),
    (lambda: cb.conv_input_gradient(0), "input_size"),
    (lambda: cb.conv_input_gradient(2, 3), "kernel_size"),
    (lambda: cb.conv_input_gradient(7, 3, 0), "stride"),
    (lambda: cb.conv_input_gradient(7, 3, 2, upstream=np.ones((2, 2))), "upstream"),
])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        call()
