"""convlib.transposed.directions against torch: a column of C (or C^T) equals the operator applied to
a one-hot (F.conv2d / F.conv_transpose2d) and autograd's gradient of the other direction;
rows are the windows torch reads."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import convlib as cl
from convlib.transposed import directions as dr


@st.composite
def config(draw):
    k, s, d, p = (draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(1, 2)),
                  draw(st.integers(0, 3)))
    i = max(1, d * (k - 1) + 1 - 2 * p) + draw(st.integers(0, 4))
    return i, k, s, p, d


def t(a):
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float64))


@settings(max_examples=200)
@given(cfg=config(), mode=st.sampled_from(dr.MODES), seed=st.integers(0, 2**16),
       pick=st.floats(0, 1, exclude_max=True))
def test_column_scatter_and_gradient_agree_with_torch(cfg, mode, seed, pick):
    i, k, s, p, d = cfg
    w = np.random.default_rng(seed).normal(size=(k, k))
    o = cl.conv_output_size(i, k, s, p, d)
    op = cl.output_padding_for(i, k, s, p, d)
    n_in = o * o if mode == "transposed" else i * i
    q = int(pick * n_in)
    r = cl.input_reach(i, w, s, p, d, mode=mode, index=q)
    one_hot = torch.zeros(1, 1, n_in, dtype=torch.float64)
    one_hot[0, 0, q] = 1
    if mode == "transposed":
        want = F.conv_transpose2d(one_hot.reshape(1, 1, o, o), t(w)[None, None], stride=s,
                                  padding=p, output_padding=op, dilation=d)
        x = torch.zeros(1, 1, i, i, dtype=torch.float64, requires_grad=True)
        F.conv2d(x, t(w)[None, None], stride=s, padding=p, dilation=d).flatten()[q].backward()
        grad = x.grad
    else:
        want = F.conv2d(one_hot.reshape(1, 1, i, i), t(w)[None, None], stride=s, padding=p,
                        dilation=d)
        y = torch.zeros(1, 1, o, o, dtype=torch.float64, requires_grad=True)
        F.conv_transpose2d(y, t(w)[None, None], stride=s, padding=p, output_padding=op,
                           dilation=d).flatten()[q].backward()
        grad = y.grad
    assert want.shape == grad.shape
    for got in (r.column, r.scatter, r.gradient):
        torch.testing.assert_close(t(got)[None, None], want, rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(t(got)[None, None], grad, rtol=1e-12, atol=1e-12)
    assert r.agree


@settings(max_examples=200)
@given(cfg=config(), mode=st.sampled_from(dr.MODES), select=st.sampled_from(dr.SELECTIONS),
       cell=st.integers(-3, 80))
def test_view_masks_are_what_torch_reads_and_writes(cfg, mode, select, cell):
    i, k, s, p, d = cfg
    v = cl.directions_view(i, k, s, p, d, mode=mode, select=select, cell=cell)
    o = cl.conv_output_size(i, k, s, p, d)
    assert (v.in_shape, v.out_shape) == (((o, o), (i, i)) if mode == "transposed"
                                         else ((i, i), (o, o)))
    grid = v.out_shape if select == "output" else v.in_shape
    assert v.index == min(max(cell, 0), grid[0] * grid[1] - 1)
    # row j of A = inputs whose gradient from output j is non-zero (all-ones kernel)
    ones = torch.ones(1, 1, k, k, dtype=torch.float64)
    u = torch.ones(1, 1, *v.in_shape, dtype=torch.float64, requires_grad=True)
    fwd = (F.conv_transpose2d(u, ones, stride=s, padding=p, output_padding=v.output_padding,
                              dilation=d) if mode == "transposed"
           else F.conv2d(u, ones, stride=s, padding=p, dilation=d))
    assert tuple(fwd.shape[2:]) == v.out_shape
    if select == "output":
        fwd.flatten()[v.index].backward()
        np.testing.assert_array_equal(v.in_mask, u.grad[0, 0].numpy() != 0)
        assert v.out_mask.sum() == 1 and v.out_mask.flat[v.index] and v.reach is None
    else:
        np.testing.assert_array_equal(v.out_mask, v.reach.column != 0)
        assert v.in_mask.sum() == 1 and v.in_mask.flat[v.index] and v.reach.agree


def test_named_case_from_the_syllabus():
    v = cl.directions_view(4, 3, 1, 0, mode="transposed", select="input", cell=0)
    assert v.taps.shape == (16, 4) and int(v.out_mask.sum()) == 9   # one value reaches 9
    assert "feeds 9 outputs" in dr.directions_text(v)


@pytest.mark.parametrize("call, name", [
    (lambda: cl.directions_view(mode="both"), "mode"),
    (lambda: cl.directions_view(select="all"), "select"),
    (lambda: cl.directions_view(0), "input_size"),
    (lambda: cl.directions_view(2, 4, 2, 0), "kernel_size"),
    (lambda: cl.directions_view(5, 3, stride=0), "stride"),
    (lambda: cl.input_reach(5, np.ones((3, 3)), index=25), "index"),
    (lambda: cl.input_reach(5, np.ones(3)), "weight"),
    (lambda: cl.input_reach(5, np.ones((3, 3)), mode="x"), "mode"),
])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        call()
