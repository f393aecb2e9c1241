"""convlib.transposed.core against PyTorch: the conv matrix against ``F.conv2d``,
its transpose and the zero-insertion route against ``F.conv_transpose2d`` and
autograd, output padding against ``ConvTranspose2d``, overlap and gridding
maps against all-ones convolutions; named cases and one test per error path."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import convlib as cl
import convlib.transposed.core as tr
from ..torch_oracle import torch_shape

N = 300  # examples per property


def pair(s):
    """A per-axis (H, W) tuple, non-square in general."""
    return st.tuples(s, s)


def randn(seed: int, *shape: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape)


def t(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(a))


def close(a, b) -> None:
    torch.testing.assert_close(t(np.asarray(a, dtype=np.float64)), b, rtol=1e-9, atol=1e-9)


def grad_of_conv(z_shape, w, y, **conv_args) -> torch.Tensor:
    """d/dz of sum(conv2d(z, w) * y): the transposed convolution of y."""
    z = torch.zeros(z_shape, dtype=torch.float64, requires_grad=True)
    (F.conv2d(z, t(w), **conv_args) * t(y)).sum().backward()
    return z.grad


@st.composite
def conv_axis(draw):
    """(i, k, s, p, d) along one axis with a valid convolution."""
    k, s, d, p = (draw(st.integers(1, 4)), draw(st.integers(1, 3)),
                  draw(st.integers(1, 3)), draw(st.integers(0, 2)))
    i = max(1, d * (k - 1) + 1 - 2 * p) + draw(st.integers(0, 5))
    return i, k, s, p, d


@st.composite
def transpose_axis(draw):
    """(i, k, s, p, op, d) along one axis with a valid transposed convolution."""
    i, k, s, d = (draw(st.integers(1, 5)), draw(st.integers(1, 4)),
                  draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    op = draw(st.integers(0, max(s, d) - 1))
    p = draw(st.integers(0, min(3, ((i - 1) * s + d * (k - 1) + op) // 2)))
    return i, k, s, p, op, d


# ---------------------------------------------------------------- named cases

def test_syllabus_4x4_input_3x3_kernel():
    w = randn(0, 3, 3)
    C = cl.conv_matrix((4, 4), w)
    assert C.shape == (4, 16) and C.T.shape == (16, 4)
    assert ((C != 0).sum(axis=1) == 9).all()  # one value of y reaches 9 outputs under C^T
    y = randn(1, 2, 2)
    expected = F.conv_transpose2d(t(y)[None, None], t(w)[None, None])[0, 0]
    close((C.T @ y.ravel()).reshape(4, 4), expected)


def test_conv_matrix_transpose_needs_output_padding_when_floor_drops_pixels():
    w = randn(0, 1, 1, 3, 3)
    C = cl.conv_matrix((1, 6, 5), w, stride=2, padding=1)  # 6 -> 3 and 5 -> 3
    y = randn(1, 1, 3, 3)
    assert F.conv_transpose2d(t(y)[None], t(w), stride=2, padding=1).shape[-2:] == (5, 5)
    expected = F.conv_transpose2d(t(y)[None], t(w), stride=2, padding=1, output_padding=(1, 0))
    close((C.T @ y.ravel()).reshape(1, 1, 6, 5), expected)


def test_transpose_input_sizes_explain_output_padding():
    assert cl.transpose_input_sizes(3, 3, stride=2, padding=1) == [(5, 0), (6, 1)]
    assert cl.transpose_input_sizes(4, 3) == [(6, 0)]
    assert cl.transpose_input_sizes(1, 1, padding=3) == []  # any input gives o >= 7


def test_output_padding_past_stride_is_not_a_conv_input():
    # Dilation 3 > stride 1 lets torch accept op = 1, but that size convolves to o + 1.
    o, k, d = 4, 2, 3
    assert cl.transpose_input_sizes(o, k, dilation=d) == [(7, 0)]
    big = F.conv_transpose2d(torch.zeros(1, 1, o, o), torch.zeros(1, 1, k, k),
                             output_padding=1, dilation=d)
    assert big.shape[-1] == 8 and cl.conv_output_size(8, k, dilation=d) == o + 1


def test_checkerboard_only_when_stride_does_not_divide_kernel():
    assert len(set(cl.overlap_counts(3, 2, 6)[2:-2])) == 2
    assert set(cl.overlap_counts(4, 2, 6)[2:-2]) == {2}


def test_gridding_equal_dilations_leave_holes_mixed_ones_cover():
    grid = cl.gridding_mask([2, 2, 2])
    assert grid.shape == (13, 13) and (grid[1::2] == 0).all() and (grid[::2, ::2] > 0).all()
    assert cl.gridding_mask([1, 2, 5]).shape == (17, 17) and (cl.gridding_mask([1, 2, 5]) > 0).all()


def test_transpose_as_conv_unbatched_and_bias():
    x, w, b = randn(0, 2, 3, 4), randn(1, 2, 3, 2, 3), randn(2, 3)
    got = cl.transpose_as_conv(x, w, stride=2, padding=1, bias=b)
    close(got, F.conv_transpose2d(t(x), t(w), t(b), stride=2, padding=1))


def test_conv_matrix_memory_bound():
    with pytest.raises(ValueError, match=r"input_shape.*4096 x 4096.*CONV_MATRIX_MAX_BYTES"):
        cl.conv_matrix((64, 64), np.ones((1, 1)))
    assert cl.conv_matrix((40, 40), np.ones((1, 1))).shape == (1600, 1600)


# ------------------------------------------------------------------ errors

def tconv(x=(1, 1, 3, 3), w=(1, 1, 2, 2), **kwargs):
    return cl.transpose_as_conv(np.ones(x), np.ones(w), **kwargs)


@pytest.mark.parametrize("call, name", [
    (lambda: cl.conv_matrix((1, 4), np.ones((1, 1, 3, 3))), "weight"),
    (lambda: cl.conv_matrix((1, 2, 4, 4), np.ones((1, 1, 3, 3))), "input_shape"),
    (lambda: cl.conv_matrix(5, np.ones((3, 3))), "input_shape"),
    (lambda: cl.conv_matrix((0, 4, 4), np.ones((1, 1, 3, 3))), "input_shape"),
    (lambda: cl.conv_matrix((4, 0), np.ones((3, 3))), "input_shape"),
    (lambda: cl.conv_matrix((2, 4, 4), np.ones((1, 1, 3, 3))), "weight"),
    (lambda: cl.conv_matrix((1, 4, 4), np.ones((0, 1, 3, 3))), "weight"),
    (lambda: cl.conv_matrix((4, 4), np.ones((3, 3)), stride=0), "stride"),
    (lambda: cl.conv_matrix((4, 4), np.ones((3, 3)), padding=-1), "padding"),
    (lambda: cl.conv_matrix((4, 4), np.ones((3, 3)), padding="same"), "padding"),
    (lambda: cl.conv_matrix((4, 4), np.ones((3, 3)), padding=(1, 1, 1)), "padding"),
    (lambda: cl.conv_matrix((4, 4), np.ones((3, 3)), dilation=0), "dilation"),
    (lambda: cl.conv_matrix((4, 4), np.ones((3, 3)), dilation=2), "kernel_size"),
    (lambda: cl.insert_zeros(np.ones(3), 2), "x"),
    (lambda: cl.insert_zeros(np.ones((3, 3)), 0), "stride"),
    (lambda: cl.insert_zeros(np.ones((3, 3)), (2, 2, 2)), "stride"),
    (lambda: tconv((3, 3), (1, 1, 2, 2)), "x"),
    (lambda: tconv((1, 1, 0, 3), (1, 1, 2, 2)), "x"),
    (lambda: tconv((1, 1, 3, 3), (1, 2, 2)), "weight"),
    (lambda: tconv((1, 2, 3, 3), (1, 1, 2, 2)), "weight"),
    (lambda: tconv((1, 1, 3, 3), (1, 0, 2, 2)), "weight"),
    (lambda: tconv(groups=0), "groups"),
    (lambda: tconv((1, 3, 3, 3), (3, 1, 2, 2), groups=2), "groups"),
    (lambda: tconv(stride=0), "stride"),
    (lambda: tconv(padding=-1), "padding"),
    (lambda: tconv((1, 1, 1, 1), (1, 1, 1, 1), padding=1), "padding"),
    (lambda: tconv(output_padding=1), "output_padding"),
    (lambda: tconv(dilation=0), "dilation"),
    (lambda: tconv((1, 1, 3, 3), (1, 2, 2, 2), bias=[1]), "bias"),
    (lambda: cl.transpose_input_sizes(0, 3), "output_size"),
    (lambda: cl.transpose_input_sizes(3, 0), "kernel_size"),
    (lambda: cl.transpose_input_sizes(3, 3, stride=0), "stride"),
    (lambda: cl.transpose_input_sizes(3, 3, padding=-1), "padding"),
    (lambda: cl.transpose_input_sizes(3, 3, dilation=0), "dilation"),
    (lambda: cl.transpose_input_sizes((3, 3, 3), 3), "output_size"),
    (lambda: cl.overlap_counts(0, 2, 3), "kernel_size"),
    (lambda: cl.overlap_counts(3, 0, 3), "stride"),
    (lambda: cl.overlap_counts(3, 2, 0), "input_length"),
    (lambda: cl.overlap_counts((3, 3), 2, (3, 0)), "input_length"),
    (lambda: cl.dilated_kernel_mask(0, 2), "kernel_size"),
    (lambda: cl.dilated_kernel_mask((3, 3), (2, 0)), "dilation"),
    (lambda: cl.gridding_mask([]), "dilations"),
    (lambda: cl.gridding_mask(2), "dilations"),
    (lambda: cl.gridding_mask([2, 0]), "dilations"),
    (lambda: cl.gridding_mask([2], kernel_size=0), "kernel_size"),
    (lambda: cl.gridding_mask([2], input_size=(5, 0)), "input_size"),
])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# ----------------------------------------------------- hypothesis vs torch

@settings(max_examples=N)
@given(axes=pair(conv_axis()), c_in=st.integers(1, 3), c_out=st.integers(1, 3),
       single=st.booleans(), seed=st.integers(0, 2**16))
def test_conv_matrix_is_conv2d_and_its_transpose(axes, c_in, c_out, single, seed):
    (h, kh, sh, ph, dh), (w_, kw, sw, pw, dw) = axes
    c_in, c_out = (1, 1) if single else (c_in, c_out)
    args = dict(stride=(sh, sw), padding=(ph, pw), dilation=(dh, dw))
    w, x = randn(seed, c_out, c_in, kh, kw), randn(seed + 1, 1, c_in, h, w_)
    C = (cl.conv_matrix((h, w_), w[0, 0], **args) if single
         else cl.conv_matrix((c_in, h, w_), w, **args))
    y = F.conv2d(t(x), t(w), **args)
    close((C @ x.ravel()).reshape(y.shape), y)
    # C^T: the transposed convolution with the output padding the floor dropped ...
    y = randn(seed + 2, *y.shape)
    op = tuple((i + 2 * p - d * (k - 1) - 1) % s for i, k, s, p, d in axes)
    ct = (C.T @ y.ravel()).reshape(x.shape)
    close(ct, F.conv_transpose2d(t(y), t(w), output_padding=op, **args))
    # ... which is the gradient of the convolution with respect to its input.
    close(ct, grad_of_conv(x.shape, w, y, **args))


@settings(max_examples=N)
@given(shape=st.lists(st.integers(1, 5), min_size=2, max_size=4), s=pair(st.integers(1, 4)),
       scalar=st.booleans(), seed=st.integers(0, 2**16))
def test_insert_zeros_is_a_stride_s_transpose_of_a_1x1_ones_kernel(shape, s, scalar, seed):
    s = s[0] if scalar else s
    x = randn(seed, *shape)
    x4 = x.reshape(-1, 1, *shape[-2:])
    expected = F.conv_transpose2d(t(x4), torch.ones(1, 1, 1, 1, dtype=torch.float64), stride=s)
    got = cl.insert_zeros(x, s)
    assert got.shape == (*shape[:-2], *expected.shape[-2:])
    close(got.reshape(expected.shape), expected)


@settings(max_examples=N)
@given(axes=pair(transpose_axis()), g=st.integers(1, 3), cin_g=st.integers(1, 2),
       cout_g=st.integers(1, 2), n=st.integers(1, 2), bias=st.booleans(),
       seed=st.integers(0, 2**16))
def test_transpose_as_conv_is_conv_transpose2d_and_autograd(axes, g, cin_g, cout_g, n, bias, seed):
    (h, kh, sh, ph, oph, dh), (w_, kw, sw, pw, opw, dw) = axes
    args = dict(stride=(sh, sw), padding=(ph, pw), dilation=(dh, dw), groups=g)
    x, w = randn(seed, n, g * cin_g, h, w_), randn(seed + 1, g * cin_g, cout_g, kh, kw)
    b = randn(seed + 2, g * cout_g) if bias else None
    got = cl.transpose_as_conv(x, w, output_padding=(oph, opw), bias=b, **args)
    expected = F.conv_transpose2d(t(x), t(w), None if b is None else t(b),
                                  output_padding=(oph, opw), **args)
    close(got, expected)
    if not bias and oph < sh and opw < sw:  # op >= s: the conv of that size is not this x's size
        close(got, grad_of_conv(expected.shape, w, x, **args))


invalid = st.integers(-1, 3)
size = st.integers(0, 3)  # 0: an empty axis, which torch refuses or returns empty


def convlib_shape(fn, *args, **kwargs):
    """Shape of convlib's answer, or None where it raises ValueError (and nothing else)."""
    try:
        return fn(*args, **kwargs).shape
    except ValueError:
        return None


@settings(max_examples=N)
@given(i=pair(size), k=pair(size), s=pair(invalid), p=pair(invalid), op=pair(invalid),
       d=pair(invalid), g=invalid, c_in=size, c_x=size)
def test_transpose_as_conv_refuses_where_torch_does(i, k, s, p, op, d, g, c_in, c_x):
    x, w = np.zeros((1, c_x, *i)), np.zeros((c_in, 1, *k))
    args = dict(stride=s, padding=p, output_padding=op, dilation=d, groups=g)
    assert convlib_shape(cl.transpose_as_conv, x, w, **args) == torch_shape(
        F.conv_transpose2d, t(x), t(w), **args)


@settings(max_examples=N)
@given(i=pair(invalid), k=pair(size), s=pair(invalid), p=pair(invalid), d=pair(invalid),
       c_in=size, c_w=size)
def test_conv_matrix_refuses_where_torch_does(i, k, s, p, d, c_in, c_w):
    expected = None if min(i) < 0 else torch_shape(
        F.conv2d, torch.zeros(1, c_in, *i), torch.zeros(2, c_w, *k),
        stride=s, padding=p, dilation=d)
    got = convlib_shape(cl.conv_matrix, (c_in, *i), np.zeros((2, c_w, *k)),
                        stride=s, padding=p, dilation=d)
    if expected is not None:  # C_out oH oW rows, C_in H W columns
        expected = (2 * expected[2] * expected[3], c_in * i[0] * i[1])
    assert got == expected


def _torch_conv_size(i, k, s, p, d, op=None):
    """Size along H of torch's conv (op None) or conv_transpose on zeros of size i."""
    x, w = torch.zeros(1, 1, i, 1), torch.zeros(1, 1, k, 1)
    if op is None:
        return F.conv2d(x, w, stride=(s, 1), padding=(p, 0), dilation=(d, 1)).shape[2]
    return F.conv_transpose2d(x, w, stride=(s, 1), padding=(p, 0), output_padding=(op, 0),
                              dilation=(d, 1)).shape[2]


@settings(max_examples=N)
@given(o=pair(st.integers(1, 5)), k=pair(st.integers(1, 4)), s=pair(st.integers(1, 4)),
       p=pair(st.integers(0, 3)), d=pair(st.integers(1, 3)), scalar=st.booleans())
def test_transpose_input_sizes_are_all_and_only_the_conv_inputs(o, k, s, p, d, scalar):
    if scalar:
        got = (cl.transpose_input_sizes(o[0], k[0], s[0], p[0], d[0]),)
        o, k, s, p, d = ((v[0],) for v in (o, k, s, p, d))
    else:
        got = cl.transpose_input_sizes(o, k, stride=s, padding=p, dilation=d)
    for pairs, *axis in zip(got, o, k, s, p, d):
        o_, k_, s_, p_, d_ = axis
        assert [i for i, _ in pairs] == sorted(i for i, _ in pairs)
        for i, op in pairs:  # ConvTranspose2d with that output_padding returns i
            assert _torch_conv_size(o_, k_, s_, p_, d_, op) == i
        inputs = [i for i in range(1, (o_ + 1) * s_ + d_ * k_ + 1)
                  if torch_shape(F.conv2d, torch.zeros(1, 1, i, 1), torch.zeros(1, 1, k_, 1),
                                 stride=(s_, 1), padding=(p_, 0), dilation=(d_, 1)) is not None
                  and _torch_conv_size(i, k_, s_, p_, d_) == o_]
        assert [i for i, _ in pairs] == inputs
    if not scalar:  # both axes at once, through nn.ConvTranspose2d
        for (ih, oph), (iw, opw) in itertools.product(*got):
            layer = torch.nn.ConvTranspose2d(1, 1, k, stride=s, padding=p, dilation=d,
                                             output_padding=(oph, opw), bias=False)
            assert layer(torch.zeros(1, 1, *o)).shape[2:] == (ih, iw)


@settings(max_examples=N)
@given(k=pair(st.integers(1, 6)), s=pair(st.integers(1, 4)), i=pair(st.integers(1, 6)),
       scalar=st.booleans())
def test_overlap_counts_are_conv_transpose_of_ones(k, s, i, scalar):
    if scalar:
        k, s, i = k[0], s[0], i[0]
        expected = F.conv_transpose1d(torch.ones(1, 1, i), torch.ones(1, 1, k), stride=s)[0, 0]
    else:
        expected = F.conv_transpose2d(torch.ones(1, 1, *i), torch.ones(1, 1, *k), stride=s)[0, 0]
    got = cl.overlap_counts(k, s, i)
    assert got.dtype.kind == "i"
    assert torch.equal(torch.from_numpy(got).float(), expected)


@settings(max_examples=N)
@given(k=pair(st.integers(1, 5)), d=pair(st.integers(1, 4)), scalar=st.booleans())
def test_dilated_kernel_mask_is_where_a_dilated_ones_kernel_lands(k, d, scalar):
    if scalar:
        k, d = k[0], d[0]
        spread = F.conv_transpose1d(torch.ones(1, 1, 1), torch.ones(1, 1, k), dilation=d)[0, 0]
    else:
        spread = F.conv_transpose2d(torch.ones(1, 1, 1, 1), torch.ones(1, 1, *k), dilation=d)[0, 0]
    got = cl.dilated_kernel_mask(k, d)
    assert got.dtype == bool and got.shape == spread.shape
    assert np.array_equal(got, spread.numpy() != 0)


@pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")
@settings(max_examples=N)
@given(dilations=st.lists(st.integers(1, 4), min_size=1, max_size=3), k=pair(st.integers(1, 4)),
       size=st.one_of(st.none(), pair(st.integers(1, 16))))
def test_gridding_mask_is_autograd_of_a_stack_of_ones_convs(dilations, k, size):
    rf = tuple(1 + sum(d * (n - 1) for d in dilations) for n in k)
    x = torch.zeros(1, 1, *(rf if size is None else size), dtype=torch.float64, requires_grad=True)
    out = x
    for d in dilations:
        out = F.conv2d(out, torch.ones(1, 1, *k, dtype=torch.float64), dilation=d,
                       padding=0 if size is None else "same")
    out[0, 0, (out.shape[2] - 1) // 2, (out.shape[3] - 1) // 2].backward()
    got = cl.gridding_mask(dilations, kernel_size=k, input_size=size)
    assert got.dtype.kind == "i"
    assert torch.equal(torch.from_numpy(got).double(), x.grad[0, 0])


def test_public_names_are_reexported():
    assert all(getattr(cl, name) is getattr(tr, name) for name in tr.__all__)
