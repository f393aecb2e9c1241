"""convlib.sizes.pooling against PyTorch: the adaptive windows' pools and the average-pool
divisor rules, over hypothesis-drawn configurations (i not divisible by o, overlapping
windows, o > i; ceil_mode, count_include_pad, divisor_override), and every error path."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import convlib.sizes.pooling as P
import convlib.sizes.shapes as S

sizes = st.integers(min_value=1, max_value=13)


def image(h: int, w: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((2, 3, h, w))


@settings(max_examples=300)
@given(i=sizes, o=sizes)
def test_adaptive_pools_1d_match_torch(i, o):
    """One axis (H = 1): AdaptiveAvgPool1d and AdaptiveMaxPool1d, o below, equal to, above i."""
    x = image(1, i, seed=i * 31 + o)
    t = torch.from_numpy(x[:, :, 0])
    np.testing.assert_allclose(P.adaptive_avg_pool2d(x, (1, o))[:, :, 0],
                               torch.nn.AdaptiveAvgPool1d(o)(t).numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(P.adaptive_max_pool2d(x, (1, o))[:, :, 0],
                                  torch.nn.AdaptiveMaxPool1d(o)(t).numpy())


@settings(max_examples=300)
@given(h=sizes, w=sizes, oh=sizes, ow=sizes)
def test_adaptive_pools_2d_match_torch(h, w, oh, ow):
    x = image(h, w, seed=h + 13 * w + 169 * oh + 2197 * ow)
    t = torch.from_numpy(x)
    np.testing.assert_allclose(P.adaptive_avg_pool2d(x, (oh, ow)),
                               torch.nn.AdaptiveAvgPool2d((oh, ow))(t).numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(P.adaptive_max_pool2d(x, (oh, ow)),
                                  torch.nn.AdaptiveMaxPool2d((oh, ow))(t).numpy())


def test_adaptive_named_cases_cover_the_hard_ones():
    """7 -> 3 overlaps (cell 2 and 4 are shared), 3 -> 5 repeats cells, 1 is global pooling."""
    for i, o in [(7, 3), (3, 5), (10, 4), (6, 1)]:
        x = image(i, i, seed=i + o)
        np.testing.assert_allclose(P.adaptive_avg_pool2d(x, o),
                                   F.adaptive_avg_pool2d(torch.from_numpy(x), o).numpy(), atol=1e-12)
    x = image(5, 4, seed=0)
    np.testing.assert_allclose(P.adaptive_avg_pool2d(x, 1)[..., 0, 0], x.mean(axis=(-2, -1)))
    assert P.adaptive_avg_pool2d(x[0], (2, 3)).shape == (3, 2, 3)          # unbatched stays unbatched


def torch_divisors(i, k, s, p, ceil_mode, count_include_pad, divisor_override=None):
    """The divisor torch uses per output: a window's sum (divisor 1) over its average."""
    x = torch.ones(1, 1, i, dtype=torch.float64)
    kw = dict(kernel_size=k, stride=s, padding=p, ceil_mode=ceil_mode, count_include_pad=count_include_pad)
    sums = F.avg_pool2d(x[..., None], (k, 1), (s, 1), (p, 0), ceil_mode, count_include_pad, 1)[0, 0, :, 0]
    means = F.avg_pool1d(x, **kw)[0, 0] if divisor_override is None else \
        F.avg_pool2d(x[..., None], (k, 1), (s, 1), (p, 0), ceil_mode, count_include_pad, divisor_override)[0, 0, :, 0]
    return (sums / means).round().long().tolist()


@settings(max_examples=1500)
@given(i=sizes, k=st.integers(1, 6), s=st.integers(1, 4), p=st.integers(0, 3),
       ceil_mode=st.booleans(), count_include_pad=st.booleans())
def test_avg_pool_divisors_match_torch(i, k, s, p, ceil_mode, count_include_pad):
    assume(p <= k // 2 and k <= i + 2 * p)
    ours = P.avg_pool_divisors(i, k, s, p, ceil_mode=ceil_mode, count_include_pad=count_include_pad)
    assert ours == torch_divisors(i, k, s, p, ceil_mode, count_include_pad)


@settings(max_examples=300)
@given(h=sizes, w=sizes, k=st.integers(1, 4), s=st.integers(1, 3), p=st.integers(0, 2),
       ceil_mode=st.booleans(), count_include_pad=st.booleans(),
       divisor_override=st.none() | st.integers(1, 9))
def test_avg_pool2d_divisor_rules_match_torch(h, w, k, s, p, ceil_mode, count_include_pad, divisor_override):
    assume(p <= k // 2 and k <= min(h, w) + 2 * p)
    x = image(h, w, seed=h * 7 + w)
    kw = dict(kernel_size=k, stride=s, padding=p, ceil_mode=ceil_mode,
              count_include_pad=count_include_pad, divisor_override=divisor_override)
    np.testing.assert_allclose(P.avg_pool2d(x, **kw), F.avg_pool2d(torch.from_numpy(x), **kw).numpy(),
                               rtol=1e-12, atol=1e-12)


def test_divisor_named_cases():
    """The three rules on one line each, as the chapter states them."""
    last = F.avg_pool1d(torch.ones(1, 1, 5), 2, 2, ceil_mode=True)[0, 0, -1].item()
    assert last == 1.0 and P.avg_pool_divisors(5, 2, 2, ceil_mode=True)[-1] == 1
    assert P.avg_pool_divisors(5, 3, 2, 1) == torch_divisors(5, 3, 2, 1, False, True) == [3, 3, 3]
    assert P.avg_pool_divisors(5, 3, 2, 1, count_include_pad=False) == [2, 3, 2]
    assert P.avg_pool_divisors(5, 3, 2, 1, divisor_override=4) == [4, 4, 4]
    assert torch_divisors(5, 3, 2, 1, False, True, divisor_override=4) == [4, 4, 4]


@pytest.mark.parametrize("call, name", [
    (lambda: P.avg_pool_divisors(0, 2), "input_size"),
    (lambda: P.avg_pool_divisors(5, 0), "kernel_size"),
    (lambda: P.avg_pool_divisors(5, 2, stride=0), "stride"),
    (lambda: P.avg_pool_divisors(5, 2, padding=2), "padding"),
    (lambda: P.avg_pool_divisors(5, 2, ceil_mode=1), "ceil_mode"),
    (lambda: P.avg_pool_divisors(5, 2, count_include_pad="yes"), "count_include_pad"),
    (lambda: P.avg_pool_divisors(5, 2, divisor_override=0), "divisor_override"),
    (lambda: P.avg_pool2d(np.ones((1, 1, 4, 4)), 2, divisor_override=-1), "divisor_override"),
    (lambda: P.avg_pool2d(np.ones((1, 1, 4, 4)), 2, count_include_pad=None), "count_include_pad"),
    (lambda: P.adaptive_avg_pool2d(np.ones((1, 1, 4, 4)), 0), "output_size"),
    (lambda: P.adaptive_max_pool2d(np.ones((1, 1, 4, 4)), (2, 2, 2)), "output_size"),
    (lambda: P.adaptive_avg_pool2d(np.ones((1, 4, 4), dtype=int), 2), "x"),
])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        call()


def test_torch_refuses_what_convlib_refuses():
    """divisor_override=0 and output_size=0: torch refuses too (or returns nothing)."""
    with pytest.raises(RuntimeError):
        F.avg_pool2d(torch.ones(1, 1, 4, 4), 2, divisor_override=0)
    assert F.adaptive_avg_pool2d(torch.ones(1, 1, 4, 4), 0).numel() == 0


# --- TensorFlow's explicit paddings -> F.pad (convlib.sizes.shapes.tf_paddings_to_pad) ---

pads = st.tuples(st.integers(0, 3), st.integers(0, 3))


@settings(max_examples=300)
@given(h=sizes, w=sizes, hp=pads, wp=pads, channels_last=st.booleans())
def test_tf_paddings_give_f_pad_the_same_result(h, w, hp, wp, channels_last):
    """np.pad pads per axis in axis order, as tf.pad does; F.pad on NCHW must agree."""
    nchw = np.random.default_rng(h * 17 + w).standard_normal((2, 3, h, w))
    if channels_last:
        paddings, fmt = [[0, 0], list(hp), list(wp), [0, 0]], "NHWC"
        tf_result = np.pad(nchw.transpose(0, 2, 3, 1), paddings).transpose(0, 3, 1, 2)
    else:
        paddings, fmt = [[0, 0], [0, 0], list(hp), list(wp)], "NCHW"
        tf_result = np.pad(nchw, paddings)
    ported = F.pad(torch.from_numpy(nchw), S.tf_paddings_to_pad(paddings, data_format=fmt))
    np.testing.assert_array_equal(ported.numpy(), tf_result)


def test_tf_paddings_one_and_three_axes():
    x = np.arange(12.0).reshape(1, 2, 6)                                 # NCW
    assert S.tf_paddings_to_pad([[0, 0], [2, 1], [0, 0]], "NWC") == (2, 1)
    np.testing.assert_array_equal(F.pad(torch.from_numpy(x), (2, 1)).numpy(), np.pad(x, [[0, 0], [0, 0], [2, 1]]))
    assert S.tf_paddings_to_pad([[0, 0], [1, 2], [3, 4], [5, 6], [0, 0]], "NDHWC") == (5, 6, 3, 4, 1, 2)


@pytest.mark.parametrize("args, name", [
    (([[0, 0], [1, 2], [3, 4]],), "paddings"),                       # too few pairs for NHWC
    (([[0, 0], [1, 2, 3], [3, 4], [0, 0]],), "paddings"),
    (([[1, 0], [1, 2], [3, 4], [0, 0]],), "paddings"),               # pads the batch axis
    (([[0, 0], [1, 2], [3, 4], [0, 1]],), "paddings"),               # pads the channel axis
    (([[0, 0], [-1, 2], [3, 4], [0, 0]],), "paddings"),
    ((5,), "paddings"),
    (([[0, 0], [1, 2], [3, 4], [0, 0]], "HWNC"), "data_format"),
    (([[0, 0], [1, 2], [3, 4], [0, 0]], 4), "data_format"),
])
def test_tf_paddings_errors_name_the_parameter(args, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        S.tf_paddings_to_pad(*args)
