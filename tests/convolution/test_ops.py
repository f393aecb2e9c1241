"""convlib.convolution.ops against PyTorch: named cases, one test per error path, and
hypothesis sweeps (>= 500 configurations per operation, valid and invalid) in
which torch.nn.functional is the oracle."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import event, given, settings
from hypothesis import strategies as st

import convlib as cl

N = 500  # examples per operation and per property
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")

DTYPES = st.sampled_from([np.float64, np.float32])


def torch_or_none(fn, *args, **kwargs):
    """torch's result as numpy, or None where torch refuses or returns an empty tensor."""
    args = [torch.from_numpy(a) if isinstance(a, np.ndarray) else a for a in args]
    try:
        out = fn(*args, **kwargs)
    except (RuntimeError, ValueError, IndexError):  # IndexError: some empty weights
        return None
    return None if out.numel() == 0 else out.numpy()


def convlib_or_none(fn, *args, **kwargs):
    """convlib's answer, or None where it raises ValueError (and nothing else)."""
    try:
        return fn(*args, **kwargs)
    except ValueError:
        return None


def assert_matches(got, expected):
    """Same shape and dtype; float64 to 1e-10, float32 to 1e-4, relative to the scale."""
    assert got.shape == expected.shape and got.dtype == expected.dtype
    tol = 1e-10 if expected.dtype == np.float64 else 1e-4
    scale = max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(got, expected, rtol=tol, atol=tol * scale)


def randn(rng, shape, dtype):
    return rng.standard_normal(shape).astype(dtype)


def pair(s):
    """A per-axis (H, W) tuple, non-square in general."""
    return st.tuples(s, s)


def int_or_pair(draw, s):
    """An int or an (H, W) tuple, as given to convlib and torch, and as a pair."""
    value = draw(st.one_of(s, pair(s)))
    return value, value if isinstance(value, tuple) else (value, value)


# ---------------------------------------------------------------- named cases

X44 = np.arange(16.0).reshape(1, 1, 4, 4)


def test_conv2d_small_example_by_hand_and_by_torch():
    got = cl.conv2d(X44, np.ones((1, 1, 3, 3)))
    np.testing.assert_array_equal(got[0, 0], [[45, 54], [81, 90]])
    assert_matches(got, torch_or_none(F.conv2d, X44, np.ones((1, 1, 3, 3))))


@pytest.mark.parametrize("k", [(2, 4), (3, 3), (4, 1)])
def test_same_padding_puts_the_extra_pixel_bottom_right(k):
    rng = np.random.default_rng(0)
    x, w = randn(rng, (1, 2, 5, 6), np.float64), randn(rng, (3, 2, *k), np.float64)
    got = cl.conv2d(x, w, padding="same", dilation=(1, 2))
    assert got.shape[2:] == x.shape[2:]
    assert_matches(got, torch_or_none(F.conv2d, x, w, padding="same", dilation=(1, 2)))
    assert_matches(cl.conv2d(x, w, padding="valid"), torch_or_none(F.conv2d, x, w))


def test_unbatched_input_gives_unbatched_output():
    rng = np.random.default_rng(1)
    x = randn(rng, (4, 6, 5), np.float32)
    w, wt = randn(rng, (6, 2, 3, 3), np.float32), randn(rng, (4, 3, 2, 2), np.float32)
    cases = [(cl.conv2d, F.conv2d, (x, w), dict(groups=2, padding=1)),
             (cl.conv2d_loops, F.conv2d, (x, w), dict(groups=2, padding=1)),
             (cl.conv_transpose2d, F.conv_transpose2d, (x, wt), dict(groups=2, stride=2)),
             (cl.im2col, F.unfold, (x, 2), dict(padding=1)),
             (cl.max_pool2d, F.max_pool2d, (x, 2), dict(ceil_mode=True)),
             (cl.avg_pool2d, F.avg_pool2d, (x, 3), dict(stride=2, padding=1))]
    for ours, theirs, args, kwargs in cases:
        assert_matches(ours(*args, **kwargs), torch_or_none(theirs, *args, **kwargs))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_output_dtype_follows_input(dtype):
    x, w = np.ones((1, 2, 6, 6), dtype), np.ones((2, 1, 3, 3), dtype)
    assert cl.conv2d(x, w, np.ones(2, dtype), groups=2).dtype == dtype
    assert cl.conv2d(x, np.ones((3, 2, 3, 3), dtype), padding=1).dtype == dtype
    assert cl.conv2d_loops(x, w, groups=2).dtype == dtype
    assert cl.conv_transpose2d(x, w, stride=2).dtype == dtype
    assert cl.im2col(x, 3).dtype == dtype
    assert cl.max_pool2d(x, 2).dtype == dtype
    assert cl.avg_pool2d(x, 3, padding=1, count_include_pad=False).dtype == dtype


def test_float16_close_to_torch():
    rng = np.random.default_rng(2)
    x, w = randn(rng, (2, 4, 7, 7), np.float16), randn(rng, (4, 2, 3, 3), np.float16)
    expected = torch_or_none(F.conv2d, x, w, padding=1, groups=2)
    np.testing.assert_allclose(cl.conv2d(x, w, padding=1, groups=2), expected, rtol=1e-2, atol=2e-2)


def test_inputs_are_not_modified():
    rng = np.random.default_rng(3)
    x, w, b = randn(rng, (3, 4, 6, 5), np.float64), randn(rng, (4, 1, 3, 3), np.float64), np.ones(4)
    saved = [a.copy() for a in (x, w, b)]
    cl.conv2d(x, w, b, groups=4)
    cl.conv2d(x, w, b, groups=4, stride=2)
    cl.conv_transpose2d(x, w, b, groups=4, stride=2)
    for a, before in zip((x, w, b), saved):
        np.testing.assert_array_equal(a, before)


def test_conv2d_is_weight_times_im2col():
    rng = np.random.default_rng(4)
    x, w = randn(rng, (2, 3, 7, 6), np.float64), randn(rng, (5, 3, 2, 3), np.float64)
    args = dict(stride=(2, 1), padding=(1, 0), dilation=(1, 2))
    cols = cl.im2col(x, (2, 3), **args)
    np.testing.assert_allclose((w.reshape(5, -1) @ cols).reshape(2, 5, 4, 2),
                               cl.conv2d(x, w, **args), rtol=1e-12, atol=1e-12)


def test_depthwise_with_channel_multiplier():
    rng = np.random.default_rng(5)
    x, w = randn(rng, (2, 3, 8, 7), np.float64), randn(rng, (6, 1, 3, 2), np.float64)
    for kwargs in (dict(padding=1), dict(stride=(2, 1), dilation=(1, 2), padding=(1, 2))):
        assert_matches(cl.conv2d(x, w, np.arange(6.0), groups=3, **kwargs),
                       torch_or_none(F.conv2d, x, w, np.arange(6.0), groups=3, **kwargs))


@pytest.mark.parametrize("threads", [1, 3])
def test_large_inputs_match_torch_on_any_thread_count(monkeypatch, threads):
    # Big enough for the threaded code paths (blocks of channels, blocks of columns).
    monkeypatch.setattr("convlib.convolution.ops._THREADS", threads)
    rng = np.random.default_rng(6)
    x = randn(rng, (2, 32, 40, 36), np.float32)
    cases = [(cl.conv2d, F.conv2d, randn(rng, (16, 32, 3, 3), np.float32), dict(padding=1)),
             (cl.conv2d, F.conv2d, randn(rng, (32, 1, 3, 3), np.float32),
              dict(padding=1, groups=32)),
             (cl.conv2d, F.conv2d, randn(rng, (64, 1, 3, 2), np.float32),
              dict(padding=(1, 0), groups=32, stride=2, dilation=(1, 2))),
             (cl.conv_transpose2d, F.conv_transpose2d, randn(rng, (32, 8, 3, 3), np.float32),
              dict(stride=2, padding=1, output_padding=1))]
    for ours, theirs, w, kwargs in cases:
        assert_matches(ours(x, w, **kwargs), torch_or_none(theirs, x, w, **kwargs))


def test_ceil_mode_window_hanging_past_the_input():
    # 5 columns, kernel 2, stride 2, ceil_mode: the 3rd window holds only column 4.
    x = np.arange(10.0).reshape(1, 1, 2, 5)
    np.testing.assert_array_equal(cl.max_pool2d(x, 2, ceil_mode=True)[0, 0], [[6, 8, 9]])
    np.testing.assert_array_equal(cl.avg_pool2d(x, 2, ceil_mode=True)[0, 0], [[3, 5, 6.5]])


@pytest.mark.parametrize("count_include_pad", [True, False])
def test_avg_pool_divisor_rules(count_include_pad):
    x = np.ones((1, 1, 5, 5))
    args = dict(kernel_size=3, stride=2, padding=1, ceil_mode=True,
                count_include_pad=count_include_pad)
    got = cl.avg_pool2d(x, **args)
    assert_matches(got, torch_or_none(F.avg_pool2d, x, **args))
    if count_include_pad:  # corner windows count the padding, never the overhang
        assert got[0, 0, 0, 0] == 4 / 9
    else:
        np.testing.assert_array_equal(got, 1.0)


def test_conv_transpose_undoes_the_shape_of_a_strided_conv():
    x = np.ones((1, 2, 7, 8))
    w = np.ones((3, 2, 3, 3))
    y = cl.conv2d(x, w, stride=2, padding=1)
    back = cl.conv_transpose2d(y, w, stride=2, padding=1, output_padding=(0, 1))
    assert back.shape == x.shape


# ------------------------------------------------------------ error paths

def f64(*shape):
    return np.zeros(shape)


X, W = f64(1, 4, 5, 5), f64(2, 4, 3, 3)


@pytest.mark.parametrize("call, name", [
    (lambda: cl.conv2d(f64(5, 5), W), "x"),
    (lambda: cl.conv2d(np.zeros((1, 4, 5, 5), int), W), "x"),
    (lambda: cl.conv2d(f64(0, 4, 5, 5), W), "x"),
    (lambda: cl.conv2d(X, f64(2, 4, 3)), "weight"),
    (lambda: cl.conv2d(X, f64(0, 4, 3, 3)), "weight"),
    (lambda: cl.conv2d(X, W.astype(np.float32)), "weight"),
    (lambda: cl.conv2d(X, f64(2, 3, 3, 3)), "weight"),
    (lambda: cl.conv2d(X, W, groups=0), "groups"),
    (lambda: cl.conv2d(f64(1, 3, 5, 5), f64(3, 1, 3, 3), groups=2), "groups"),
    (lambda: cl.conv2d(X, f64(3, 2, 3, 3), groups=2), "groups"),
    (lambda: cl.conv2d(X, W, f64(3)), "bias"),
    (lambda: cl.conv2d(X, W, f64(1, 2)), "bias"),
    (lambda: cl.conv2d(X, W, np.zeros(2, np.float32)), "bias"),
    (lambda: cl.conv2d(X, W, stride=(1, 1, 1)), "stride"),
    (lambda: cl.conv2d(X, W, stride=0), "stride"),
    (lambda: cl.conv2d(X, W, padding=-1), "padding"),
    (lambda: cl.conv2d(X, W, padding=("same", 1)), "padding"),
    (lambda: cl.conv2d(X, W, stride=2, padding="same"), "padding"),
    (lambda: cl.conv2d(X, W, padding="full"), "padding"),
    (lambda: cl.conv2d(X, W, dilation=0), "dilation"),
    (lambda: cl.conv2d(X, f64(2, 4, 6, 3)), "kernel_size"),
    (lambda: cl.conv2d_loops(X, W, groups=3), "groups"),
    (lambda: cl.conv_transpose2d(X, f64(3, 2, 3, 3)), "weight"),
    (lambda: cl.conv_transpose2d(X, f64(4, 0, 3, 3)), "weight"),
    (lambda: cl.conv_transpose2d(X, f64(4, 2, 3, 3), groups=3), "groups"),
    (lambda: cl.conv_transpose2d(X, f64(4, 2, 3, 3), groups=-1), "groups"),
    (lambda: cl.conv_transpose2d(X, f64(4, 2, 3, 3), f64(2), groups=2), "bias"),
    (lambda: cl.conv_transpose2d(X, f64(4, 2, 3, 3), stride=2, output_padding=2), "output_padding"),
    (lambda: cl.conv_transpose2d(f64(1, 4, 1, 1), f64(4, 2, 1, 1), padding=1), "padding"),
    (lambda: cl.conv_transpose2d(X, f64(4, 2, 3, 3), padding="same"), "padding"),
    (lambda: cl.conv_transpose2d(X, f64(4, 2, 3, 3), dilation=(1, 0)), "dilation"),
    (lambda: cl.im2col(X, 3, padding="same"), "padding"),
    (lambda: cl.im2col(X, 0), "kernel_size"),
    (lambda: cl.im2col(X, 6), "kernel_size"),
    (lambda: cl.im2col(f64(4, 5), 3), "x"),
    (lambda: cl.max_pool2d(X, 2, padding=2), "padding"),
    (lambda: cl.max_pool2d(X, 2, ceil_mode=1), "ceil_mode"),
    (lambda: cl.max_pool2d(X, 2, stride=0), "stride"),
    (lambda: cl.max_pool2d(X, (2, 2, 2)), "kernel_size"),
    (lambda: cl.max_pool2d(X, 2, dilation=0), "dilation"),
    (lambda: cl.max_pool2d(X, 6), "kernel_size"),
    (lambda: cl.avg_pool2d(X, 3, padding=2), "padding"),
    (lambda: cl.avg_pool2d(np.zeros((1, 1, 4, 4), np.int64), 2), "x"),
    (lambda: cl.avg_pool2d(X, 2, ceil_mode="yes"), "ceil_mode"),
])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=f"`{name}`" if name.isidentifier() else name):
        call()


def test_groups_message_names_weight_and_groups():
    with pytest.raises(ValueError, match=r"`weight`.*`groups`=2"):
        cl.conv2d(X, f64(2, 4, 3, 3), groups=2)


# ----------------------------------------------------- hypothesis vs torch

@st.composite
def conv_cases(draw, extra=4):
    """A valid conv2d configuration: (x, weight, bias, kwargs), all per-axis asymmetric."""
    g = draw(st.integers(1, 3))
    c_in, c_out = g * draw(st.integers(1, 3)), g * draw(st.integers(1, 3))
    k = draw(pair(st.integers(1, 4)))
    dilation, d = int_or_pair(draw, st.integers(1, 3))
    padding, p = int_or_pair(draw, st.integers(0, 3))
    padding = draw(st.sampled_from([padding, padding, "same", "valid"]))
    p = (0, 0) if isinstance(padding, str) else p
    stride = 1 if padding == "same" else int_or_pair(draw, st.integers(1, 3))[0]
    hw = [max(1, d_ * (k_ - 1) + 1 - 2 * p_) + draw(st.integers(0, extra))  # fits, plus extra
          for k_, d_, p_ in zip(k, d, p)]
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    dtype = draw(DTYPES)
    batch = [] if draw(st.booleans()) else [draw(st.integers(1, 3))]  # [] = unbatched
    x = randn(rng, (*batch, c_in, *hw), dtype)
    w = randn(rng, (c_out, c_in // g, *k), dtype)
    b = randn(rng, (c_out,), dtype) if draw(st.booleans()) else None
    kwargs = dict(stride=stride, padding=padding, dilation=dilation, groups=g)
    return x, w, b, kwargs


@settings(max_examples=N)
@given(case=conv_cases())
def test_conv2d_matches_torch(case):
    x, w, b, kwargs = case
    assert_matches(cl.conv2d(x, w, b, **kwargs), torch_or_none(F.conv2d, x, w, b, **kwargs))


@settings(max_examples=N)
@given(case=conv_cases(extra=2))
def test_conv2d_loops_equals_conv2d_and_torch(case):
    x, w, b, kwargs = case
    got = cl.conv2d_loops(x, w, b, **kwargs)
    assert_matches(got, torch_or_none(F.conv2d, x, w, b, **kwargs))
    assert_matches(got, cl.conv2d(x, w, b, **kwargs))


@settings(max_examples=N)
@given(depthwise=st.integers(1, 4), mult=st.integers(1, 2), k=pair(st.integers(1, 4)),
       s=pair(st.integers(1, 2)), d=pair(st.integers(1, 2)), p=pair(st.integers(0, 2)),
       extra=pair(st.integers(0, 5)), n=st.integers(1, 3), dtype=DTYPES,
       seed=st.integers(0, 2**16))
def test_depthwise_conv2d_matches_torch(depthwise, mult, k, s, d, p, extra, n, dtype, seed):
    hw = tuple(max(1, d_ * (k_ - 1) + 1 - 2 * p_) + e for k_, d_, p_, e in zip(k, d, p, extra))
    rng = np.random.default_rng(seed)
    x = randn(rng, (n, depthwise, *hw), dtype)
    w, b = randn(rng, (depthwise * mult, 1, *k), dtype), randn(rng, (depthwise * mult,), dtype)
    kwargs = dict(stride=s, padding=p, dilation=d, groups=depthwise)
    assert_matches(cl.conv2d(x, w, b, **kwargs), torch_or_none(F.conv2d, x, w, b, **kwargs))


@st.composite
def conv_transpose_cases(draw):
    g = draw(st.integers(1, 3))
    c_in, c_out = g * draw(st.integers(1, 3)), g * draw(st.integers(1, 3))
    k, s, d = (draw(pair(st.integers(1, 4))), draw(pair(st.integers(1, 3))),
               draw(pair(st.integers(1, 3))))
    hw = draw(pair(st.integers(1, 6)))
    op = tuple(draw(st.integers(0, max(s_, d_) - 1)) for s_, d_ in zip(s, d))
    p = tuple(draw(st.integers(0, ((i - 1) * s_ + d_ * (k_ - 1) + op_) // 2))
              for i, k_, s_, d_, op_ in zip(hw, k, s, d, op))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    dtype = draw(DTYPES)
    batch = [] if draw(st.booleans()) else [draw(st.integers(1, 3))]
    x = randn(rng, (*batch, c_in, *hw), dtype)
    w = randn(rng, (c_in, c_out // g, *k), dtype)
    b = randn(rng, (c_out,), dtype) if draw(st.booleans()) else None
    return x, w, b, dict(stride=s, padding=p, output_padding=op, groups=g, dilation=d)


@settings(max_examples=N)
@given(case=conv_transpose_cases())
def test_conv_transpose2d_matches_torch(case):
    x, w, b, kwargs = case
    assert_matches(cl.conv_transpose2d(x, w, b, **kwargs),
                   torch_or_none(F.conv_transpose2d, x, w, b, **kwargs))


@st.composite
def unfold_cases(draw):
    k, d, p = (draw(pair(st.integers(1, 4))), draw(pair(st.integers(1, 3))),
               draw(pair(st.integers(0, 2))))
    hw = tuple(max(1, d_ * (k_ - 1) + 1 - 2 * p_) + draw(st.integers(0, 5))
               for k_, d_, p_ in zip(k, d, p))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = randn(rng, (draw(st.integers(1, 2)), draw(st.integers(1, 3)), *hw), draw(DTYPES))
    return x, k, dict(stride=draw(pair(st.integers(1, 3))), padding=p, dilation=d)


@settings(max_examples=N)
@given(case=unfold_cases())
def test_im2col_matches_unfold(case):
    x, k, kwargs = case
    assert_matches(cl.im2col(x, k, **kwargs), torch_or_none(F.unfold, x, k, **kwargs))


@st.composite
def pool_cases(draw, dilated=True):
    k = draw(pair(st.integers(1, 4)))
    s = draw(st.one_of(st.none(), pair(st.integers(1, 3))))
    p = tuple(draw(st.integers(0, k_ // 2)) for k_ in k)
    d = draw(pair(st.integers(1, 3))) if dilated else (1, 1)
    hw = tuple(max(1, d_ * (k_ - 1) + 1 - 2 * p_) + draw(st.integers(0, 5))
               for k_, d_, p_ in zip(k, d, p))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = randn(rng, (draw(st.integers(1, 2)), draw(st.integers(1, 3)), *hw), draw(DTYPES))
    kwargs = dict(stride=s, padding=p, ceil_mode=draw(st.booleans()))
    if dilated:
        kwargs["dilation"] = d
    else:
        kwargs["count_include_pad"] = draw(st.booleans())
    return x, k, kwargs


@settings(max_examples=N)
@given(case=pool_cases())
def test_max_pool2d_matches_torch(case):
    x, k, kwargs = case
    assert_matches(cl.max_pool2d(x, k, **kwargs), torch_or_none(F.max_pool2d, x, k, **kwargs))


@settings(max_examples=N)
@given(case=pool_cases(dilated=False))
def test_avg_pool2d_matches_torch(case):
    x, k, kwargs = case
    assert_matches(cl.avg_pool2d(x, k, **kwargs), torch_or_none(F.avg_pool2d, x, k, **kwargs))


# --------------------------------- invalid configurations: refuse where torch does

def same_answer(ours, theirs, *args, **kwargs):
    """convlib raises ValueError exactly where torch refuses or returns empty; else equal."""
    expected = torch_or_none(theirs, *args, **kwargs)
    got = convlib_or_none(ours, *args, **kwargs)
    event("torch refuses" if expected is None else "torch accepts")
    assert (got is None) == (expected is None), (got is None, expected is None)
    if got is not None:
        assert_matches(got, expected)


SETTINGS = ["stride", "padding", "dilation", "output_padding", "groups", "kernel_size"]


@st.composite
def broken(draw, cases, arrays):
    """A valid case with up to three arguments redrawn from ranges that include bad values.

    ``arrays`` names the case's array slots ("x", "weight", "bias"); ``kernel_size``
    and the settings are keyword arguments, or the case's second slot for pooling.
    """
    *slots, kwargs = draw(cases)
    kwargs = dict(kwargs)
    names = [*arrays, "x size"] + [n for n in SETTINGS if n in kwargs]
    rng = np.random.default_rng(0)
    for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=3)):
        if name in ("x", "weight"):  # one axis resized, possibly to zero
            i = arrays.index(name)
            shape = list(slots[i].shape)
            shape[draw(st.integers(0, len(shape) - 1))] = draw(st.integers(0, 4))
            slots[i] = randn(rng, shape, slots[i].dtype)
        elif name == "bias":
            i = arrays.index(name)
            slots[i] = draw(st.one_of(st.none(), st.integers(0, 4).map(
                lambda n: randn(rng, (n,), slots[0].dtype))))
        elif name == "x size":
            shape = slots[0].shape[:-2] + draw(pair(st.integers(0, 4)))
            slots[0] = randn(rng, shape, slots[0].dtype)
        elif name == "groups":
            kwargs[name] = draw(st.integers(0, 4))
        elif name == "stride" and kwargs[name] is None:
            kwargs[name] = draw(st.one_of(st.none(), pair(st.integers(-1, 3))))
        else:
            kwargs[name] = draw(st.one_of(st.integers(-1, 4), pair(st.integers(-1, 4))))
    return (*slots, kwargs)


@settings(max_examples=N)
@given(case=broken(conv_cases(), ["x", "weight", "bias"]))
def test_conv2d_refuses_where_torch_does(case):
    x, w, b, kwargs = case
    same_answer(cl.conv2d, F.conv2d, x, w, b, **kwargs)


@settings(max_examples=N)
@given(case=broken(conv_transpose_cases(), ["x", "weight", "bias"]))
def test_conv_transpose2d_refuses_where_torch_does(case):
    x, w, b, kwargs = case
    d = kwargs["dilation"]
    if min(d if isinstance(d, tuple) else (d,)) < 1:
        # torch's grouped path forgets this check on an axis where the kernel is 1
        # (groups=1 refuses); convlib refuses every non-positive dilation.
        with pytest.raises(ValueError):
            cl.conv_transpose2d(x, w, b, **kwargs)
        return
    same_answer(cl.conv_transpose2d, F.conv_transpose2d, x, w, b, **kwargs)


def with_kernel(cases):
    """(x, kernel_size, kwargs) -> (x, kwargs with kernel_size), so `broken` can redraw it."""
    return cases.map(lambda c: (c[0], {"kernel_size": c[1], **c[2]}))


@settings(max_examples=N)
@given(case=broken(with_kernel(unfold_cases()), ["x"]))
def test_im2col_refuses_where_torch_does(case):
    x, kwargs = case
    same_answer(cl.im2col, F.unfold, x, **kwargs)


@settings(max_examples=N)
@given(case=broken(with_kernel(pool_cases()), ["x"]))
def test_max_pool2d_refuses_where_torch_does(case):
    x, kwargs = case
    same_answer(cl.max_pool2d, F.max_pool2d, x, **kwargs)


@settings(max_examples=N)
@given(case=broken(with_kernel(pool_cases(dilated=False)), ["x"]))
def test_avg_pool2d_refuses_where_torch_does(case):
    x, kwargs = case
    same_answer(cl.avg_pool2d, F.avg_pool2d, x, **kwargs)


# ------------------------------------------------------------------ memory cap

def test_the_reported_huge_input_is_refused_before_any_allocation():
    x = np.broadcast_to(np.float32(0), (1, 1, 20000, 20000))  # a view: no memory
    with pytest.raises(ValueError, match=r"conv2d.*padded_input \(1, 1, 20002, 20002\).*"
                                         r"OPS_MAX_BYTES = 1024.0 MiB"):
        cl.conv2d(x, np.ones((1, 1, 3, 3), np.float32), padding=1)


def test_conv2d_runs_at_the_cap_and_refuses_one_byte_below(monkeypatch):
    x, w = np.arange(64.0).reshape(1, 1, 8, 8), np.ones((2, 1, 3, 3))
    need = (1 * 1 * 10 * 10 + 1 * 2 * 8 * 8) * 8  # padded input + result, float64
    monkeypatch.setattr("convlib.sizes.pooling.OPS_MAX_BYTES", need)
    assert_matches(cl.conv2d(x, w, padding=1), torch_or_none(F.conv2d, x, w, padding=1))
    monkeypatch.setattr("convlib.sizes.pooling.OPS_MAX_BYTES", need - 1)
    with pytest.raises(ValueError, match=r"padded_input \(1, 1, 10, 10\) 0.0 MiB, result "
                                         r"\(1, 2, 8, 8\)"):
        cl.conv2d(x, w, padding=1)


ALL_OPS = [
    ("conv2d", lambda x: cl.conv2d(x, np.ones((1, 1, 3, 3)))),
    ("conv2d_loops", lambda x: cl.conv2d_loops(x, np.ones((1, 1, 3, 3)))),
    ("conv2d", lambda x: cl.conv2d(x, np.ones((2, 1, 3, 3)), groups=1)),
    ("conv_transpose2d", lambda x: cl.conv_transpose2d(x, np.ones((1, 1, 3, 3)), stride=2)),
    ("im2col", lambda x: cl.im2col(x, 3)),
    ("pooling", lambda x: cl.max_pool2d(x, 2)),
    ("pooling", lambda x: cl.avg_pool2d(x, 2)),
]


@pytest.mark.parametrize("op, call", ALL_OPS)
def test_every_op_refuses_above_the_cap_and_runs_below(monkeypatch, op, call):
    x = np.ones((1, 1, 16, 16))
    monkeypatch.setattr("convlib.sizes.pooling.OPS_MAX_BYTES", 1000)  # below any of these calls
    with pytest.raises(ValueError, match=rf"`x` too large for {op}: it would allocate [\d.]+ MiB "
                                         r"of float64 \(\w+ \(1, \d+, .*\), over OPS_MAX_BYTES"):
        call(x)
    monkeypatch.setattr("convlib.sizes.pooling.OPS_MAX_BYTES", 100_000)
    assert call(x).shape[:2] in {(1, 1), (1, 2), (1, 9)}


def test_depthwise_cap_counts_the_tap_rows(monkeypatch):
    x, w = np.ones((1, 4, 16, 16)), np.ones((4, 1, 3, 3))
    monkeypatch.setattr("convlib.sizes.pooling.OPS_MAX_BYTES", 2 * 4 * 16 * 16 * 8)
    with pytest.raises(ValueError, match=r"tap_rows \(\d, 9, 14, 16\)"):
        cl.conv2d(x, w, groups=4)


@pytest.mark.parametrize("block_bytes", [1, 200, 3000])
def test_conv2d_in_row_chunks_matches_torch(monkeypatch, block_bytes):
    # A columns buffer smaller than one image: im2col runs a few output rows at a time.
    monkeypatch.setattr("convlib.convolution.ops._BLOCK_BYTES", block_bytes)
    rng = np.random.default_rng(7)
    x, w = randn(rng, (3, 4, 11, 9), np.float64), randn(rng, (6, 2, 3, 2), np.float64)
    kwargs = dict(stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2)
    assert_matches(cl.conv2d(x, w, **kwargs), torch_or_none(F.conv2d, x, w, **kwargs))
