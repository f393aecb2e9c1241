"""convlib.convolution.stepping against PyTorch and scipy: every step of a convolution, the true
(flipped-kernel) convolution, the pixel shift, and one test per error path."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.signal
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import convlib as cl
from convlib.convolution.stepping import conv_step, convolve2d, flip_kernel, pad2d, shift2d, shift_changes


def torch_conv(x, w, b, stride, padding, activation):
    """F.conv2d (+ ReLU) on one image and one filter, as an (o_H, o_W) array."""
    out = F.conv2d(torch.from_numpy(x[None]), torch.from_numpy(w[None]),
                   torch.tensor([float(b)], dtype=torch.float64), stride=stride, padding=padding)
    return (F.relu(out) if activation == "relu" else out)[0, 0].numpy()


@st.composite
def configs(draw):
    c = draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    p, s = draw(st.integers(0, 2)), draw(st.integers(1, 3))
    h = draw(st.integers(max(1, kh - 2 * p), 7))
    w = draw(st.integers(max(1, kw - 2 * p), 7))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    x = rng.integers(-3, 4, (c, h, w)).astype(float)
    weight = rng.integers(-2, 3, (c, kh, kw)).astype(float)
    o = (h + 2 * p - kh) // s + 1, (w + 2 * p - kw) // s + 1
    step = draw(st.integers(0, o[0] * o[1] - 1))
    return x, weight, draw(st.integers(-4, 4)), s, p, step, draw(st.sampled_from(["relu", "none"]))


@settings(max_examples=300)
@given(configs())
def test_every_step_agrees_with_torch(cfg):
    x, w, b, s, p, step, act = cfg
    st_ = conv_step(x, w, b, stride=s, padding=p, step=step, activation=act)
    expected = torch_conv(x, w, b, s, p, act)
    np.testing.assert_allclose(st_.output, expected)
    np.testing.assert_allclose(st_.pre_output, torch_conv(x, w, b, s, p, "none"))
    o_w = expected.shape[1]
    assert st_.cell == divmod(step, o_w) and st_.n_steps == expected.size
    assert st_.value == expected[st_.cell] and st_.pre_activation == st_.total + b
    # the window is torch's unfold column, the products sum to the output value
    cols = F.unfold(torch.from_numpy(x[None]), w.shape[1:], padding=p, stride=s)[0].numpy()
    np.testing.assert_array_equal(st_.window.ravel(), cols[:, step])
    np.testing.assert_array_equal(st_.window, st_.padded[:, st_.origin[0]:st_.origin[0] + w.shape[1],
                                                         st_.origin[1]:st_.origin[1] + w.shape[2]])
    np.testing.assert_allclose(st_.partial_sums.sum(), st_.total)
    # cells filled so far, in row-major order
    assert st_.filled.sum() == step + 1 and st_.filled.ravel()[step]
    assert np.isnan(st_.output_so_far).sum() == expected.size - step - 1
    assert st_.in_input.sum() == x.shape[1] * x.shape[2]
    assert st_.in_window.sum() == w.shape[1] * w.shape[2]


def test_worked_example_equation():
    st_ = conv_step(np.arange(16.0).reshape(4, 4), np.ones((3, 3)), bias=-60, step=3)
    assert st_.cell == (1, 1) and st_.value == 30.0
    assert st_.equation().splitlines() == [
        "sum of products: 5 + 6 + 7 + 9 + 10 + 11 + 13 + 14 + 15 = 90",
        "90 + bias (-60) = 30", "ReLU(30) = max(30, 0) = 30"]
    rgb = conv_step(np.ones((3, 3, 3)), -np.ones((3, 2, 2)), 1, activation="none")
    assert rgb.equation().splitlines() == ["sum of channel sums: (-4) + (-4) + (-4) = -12",
                                           "-12 + bias 1 = -11"]


def test_no_negative_zero_in_products():
    st_ = conv_step(np.zeros((3, 3)), -np.ones((3, 3)))
    assert not np.signbit(st_.products).any() and "-0" not in st_.equation()


@pytest.mark.parametrize("kwargs, name", [
    (dict(step=9), "`step`"), (dict(step=-1), "`step`"), (dict(step=1.0), "`step`"),
    (dict(step=True), "`step`"), (dict(stride=0), "`stride`"), (dict(padding=-1), "`padding`"),
    (dict(activation="tanh"), "`activation`"),
])
def test_errors_name_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        conv_step(np.ones((5, 5)), np.ones((3, 3)), **kwargs)


def test_shape_errors():
    with pytest.raises(ValueError, match="`x` must be 2-D"):
        conv_step(np.ones(5), np.ones((3, 3)))
    with pytest.raises(ValueError, match="`weight` has 2 channels but `x` has 3"):
        conv_step(np.ones((3, 5, 5)), np.ones((2, 3, 3)))
    with pytest.raises(ValueError, match="`kernel_size` too large"):
        conv_step(np.ones((2, 2)), np.ones((3, 3)))


@settings(max_examples=100)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(1, 3), st.integers(1, 3),
       st.integers(0, 2**16))
def test_convolve2d_is_scipy_convolution(h, w, kh, kw, seed):
    rng = np.random.default_rng(seed)
    x, k = rng.standard_normal((h + kh, w + kw)), rng.standard_normal((kh, kw))
    ours = convolve2d(x[None, None], k[None, None])[0, 0]
    np.testing.assert_allclose(ours, scipy.signal.convolve2d(x, k, mode="valid"), atol=1e-12)
    full = convolve2d(x[None, None], k[None, None], padding=(kh - 1, kw - 1))[0, 0]
    np.testing.assert_allclose(full, scipy.signal.convolve2d(x, k, mode="full"), atol=1e-12)
    corr = cl.conv2d(x[None, None], k[None, None])[0, 0]
    np.testing.assert_allclose(corr, scipy.signal.correlate2d(x, k, mode="valid"), atol=1e-12)
    flipped = F.conv2d(torch.from_numpy(x[None, None]), torch.from_numpy(k[None, None]).flip(-1, -2))
    np.testing.assert_allclose(ours, flipped[0, 0].numpy(), atol=1e-12)


def test_flip_kernel_twice_is_identity():
    k = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(flip_kernel(flip_kernel(k)), k)
    np.testing.assert_array_equal(flip_kernel(k), torch.from_numpy(k).flip(-1, -2).numpy())


@pytest.mark.parametrize("rows, cols", [(0, 0), (1, 2), (-1, 0), (0, -3), (2, -2), (9, 0), (0, -9)])
def test_shift2d_moves_every_pixel(rows, cols):
    x = np.arange(1.0, 21.0).reshape(1, 4, 5)
    expected = np.zeros_like(x)
    for r, c in np.ndindex(4, 5):
        if 0 <= r + rows < 4 and 0 <= c + cols < 5:
            expected[0, r + rows, c + cols] = x[0, r, c]
    np.testing.assert_array_equal(shift2d(x, rows, cols), expected)


def test_shift_then_convolve_is_convolve_then_shift():
    rng = np.random.default_rng(0)
    x, w = rng.integers(0, 4, (1, 1, 8, 8)).astype(float), rng.integers(-1, 2, (1, 1, 3, 3)).astype(float)
    out, shifted = cl.conv2d(x, w), cl.conv2d(shift2d(x, 1, 2), w)
    np.testing.assert_array_equal(shifted[..., 1:, 2:], out[..., :-1, :-2])


def _torch_changes(content, kernel, by, padding, background, mode):
    """The same mask with torch: F.pad (nn.Conv2d's padding_mode) then F.conv2d."""
    put = lambda m: torch.from_numpy(np.where(m != 0, m, background))[None, None]
    conv = lambda m: F.conv2d(F.pad(put(m), (padding,) * 4, mode="constant" if mode == "zeros" else mode),
                              torch.from_numpy(kernel)[None, None])[0, 0].numpy()
    y, y_moved = conv(content), conv(shift2d(content, *by))
    return (shift2d(y, *by) != y_moved) & (shift2d(np.ones_like(y), *by) > 0)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2), st.integers(-2, 2), st.integers(-2, 2), st.sampled_from([0.0, 0.5]),
       st.sampled_from(["zeros", "replicate", "reflect", "circular"]), st.integers(0, 10 ** 6))
def test_shift_changes_matches_torch(padding, rows, cols, background, mode, seed):
    rng = np.random.default_rng(seed)
    content = np.zeros((7, 8)); content[2:5, 2:6] = rng.integers(1, 3, (3, 4))
    kernel = rng.integers(-1, 2, (3, 3)).astype(float)
    np.testing.assert_array_equal(shift_changes(content, kernel, rows, cols, padding=padding,
                                                background=background, padding_mode=mode),
                                  _torch_changes(content, kernel, (rows, cols), padding, background, mode))


def test_shift_changes_separates_frame_from_padding():
    L = np.zeros((7, 7)); L[1:4, 1] = 1; L[3, 1:4] = 1
    w = np.random.default_rng(10).integers(-1, 2, (3, 3)).astype(float)
    assert shift_changes(L, w, 4, 4, padding=1).any()                       # the L is cut
    assert not shift_changes(np.pad(L, (0, 8)), w, 4, 4, padding=1).any()   # room enough: exact
    assert shift_changes(L, w, 0, 1, padding=1, background=0.5).any()       # zeros are not grey
    assert not shift_changes(L, w, 0, 1, padding=1, background=0.5, padding_mode="replicate").any()


@pytest.mark.parametrize("kw, name", [({"padding": -1}, "padding"), ({"padding_mode": "same"}, "padding_mode")])
def test_shift_changes_names_bad_values(kw, name):
    with pytest.raises(ValueError, match=name):
        shift_changes(np.ones((4, 4)), np.ones((3, 3)), 0, 1, **kw)


def test_shift_changes_needs_2d():
    with pytest.raises(ValueError, match="content"):
        shift_changes(np.ones((1, 4, 4)), np.ones((3, 3)), 0, 1)


TORCH_PAD = {"zeros": "constant", "replicate": "replicate", "reflect": "reflect", "circular": "circular"}


@settings(max_examples=120)
@given(st.integers(1, 3), st.integers(1, 6), st.integers(1, 6), st.integers(0, 3),
       st.sampled_from(sorted(TORCH_PAD)), st.integers(0, 2**16))
def test_pad2d_is_torch_pad_and_conv2d_padding_mode(c, h, w, p, mode, seed):
    x = np.random.default_rng(seed).integers(-5, 6, (1, c, h, w)).astype(float)
    if (mode == "reflect" and p >= min(h, w)) or (mode == "circular" and p > min(h, w)):
        with pytest.raises(ValueError, match="padding"):
            pad2d(x, p, mode)
        with pytest.raises(RuntimeError):                       # torch refuses too
            F.pad(torch.from_numpy(x), (p,) * 4, mode=mode)
        return
    ours = pad2d(x, p, mode)
    np.testing.assert_array_equal(ours, F.pad(torch.from_numpy(x), (p,) * 4, mode=TORCH_PAD[mode]).numpy())
    if p > 0:
        layer = torch.nn.Conv2d(c, 1, 3, padding=p, padding_mode=mode, bias=False).double()
        if h + 2 * p >= 3 and w + 2 * p >= 3:
            expected = layer(torch.from_numpy(x)).detach().numpy()
            np.testing.assert_allclose(cl.conv2d(ours, layer.weight.detach().numpy()), expected)


def test_pad2d_shapes_and_modes():
    ramp = np.arange(16.0).reshape(4, 4)
    assert pad2d(ramp, 2).shape == (8, 8) and pad2d(ramp[None], 1).shape == (1, 6, 6)
    assert pad2d(ramp, 1)[0].sum() == 0                                   # zeros
    np.testing.assert_array_equal(pad2d(ramp, 1, "replicate")[0, 1:-1], ramp[0])
    np.testing.assert_array_equal(pad2d(ramp, 1, "reflect")[0, 1:-1], ramp[1])
    np.testing.assert_array_equal(pad2d(ramp, 1, "circular")[0, 1:-1], ramp[-1])


@pytest.mark.parametrize("args, name", [((np.zeros(3), 1), "x"), ((np.zeros((0, 3)), 1), "x"),
                                        ((np.zeros((3, 3)), -1), "padding"),
                                        ((np.zeros((3, 3)), 1, "constant"), "padding_mode"),
                                        ((np.zeros((3, 3)), 3, "reflect"), "padding"),
                                        ((np.zeros((3, 3)), 4, "circular"), "padding")])
def test_pad2d_errors_name_the_parameter(args, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        pad2d(*args)
