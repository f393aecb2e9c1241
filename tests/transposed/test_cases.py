"""convlib.transposed.cases against torch: every named case's size, its transposed counterpart mapping
back, the padding regimes, the closed-form counterpart (numerically, zero insertion +
padding + stride-1 dilated convolution = conv_transpose2d), and each frame's window."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import convlib as cl
from convlib.transposed import cases


def ones(*shape):
    return torch.ones(*shape, dtype=torch.float64)


def torch_out(case: cl.Case, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    fn = F.conv_transpose2d if case.transposed else F.conv2d
    return fn(x, w, **case.torch_kwargs())


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
@pytest.mark.parametrize("name", list(cl.CANONICAL_CASES))
def test_every_case_has_torchs_size_and_window_counts(name):
    case = cl.CANONICAL_CASES[name]
    counts = torch_out(case, ones(1, 1, *case.input_size), ones(1, 1, *case.kernel_size))[0, 0]
    assert tuple(counts.shape) == case.output_size
    for cell in range(cases.case_cells(case)):
        view = cl.case_view(case, cell)
        assert view.output_shape == case.output_size
        assert view.taps.sum() == np.prod(case.kernel_size)
        # input values under the window = conv of ones by ones at that cell (torch)
        assert (view.taps & (view.cells == cases.VALUE)).sum() == counts[view.j]
    assert (cl.case_view(case).cells == cases.VALUE).sum() == np.prod(case.input_size)


def test_the_guides_cases_and_their_sizes():
    assert list(cl.GUIDE_CASES) == [
        "no_padding_no_strides", "arbitrary_padding_no_strides", "same_padding_no_strides",
        "full_padding_no_strides", "no_padding_strides", "padding_strides",
        "padding_strides_odd", "dilation"]
    for name, conv in cl.GUIDE_CASES.items():
        back = cl.CANONICAL_CASES[name + "_transposed"]
        y = F.conv2d(ones(1, 1, *conv.input_size), ones(1, 1, *conv.kernel_size),
                     **conv.torch_kwargs())
        assert back.input_size == tuple(y.shape[2:])
        z = F.conv_transpose2d(y, ones(1, 1, *conv.kernel_size), **back.torch_kwargs())
        assert tuple(z.shape[2:]) == conv.input_size
    odd = cl.CANONICAL_CASES["padding_strides_odd_transposed"]
    assert odd.output_padding == (1, 1)
    assert cl.CANONICAL_CASES["asymmetric_same_padding"].output_size == (5, 6)


def test_the_named_regimes():
    regimes = {n: cl.padding_regime(c.kernel_size, c.padding, c.dilation)
               for n, c in cl.GUIDE_CASES.items()}
    assert regimes["no_padding_no_strides"] == ("valid", "valid")
    assert regimes["same_padding_no_strides"] == ("same", "same")
    assert regimes["full_padding_no_strides"] == ("full", "full")
    assert regimes["arbitrary_padding_no_strides"] == ("arbitrary", "arbitrary")


@settings(max_examples=300)
@given(i=st.integers(1, 12), k=st.integers(1, 6), p=st.integers(0, 6), d=st.integers(1, 3))
def test_padding_regime_against_torch_sizes(i, k, p, d):
    k_eff = d * (k - 1) + 1
    if i + 2 * p < k_eff:
        return
    o = F.conv2d(ones(1, 1, i, 1), ones(1, 1, k, 1), padding=(p, 0), dilation=(d, 1)).shape[2]
    regime = cl.padding_regime(k, p, d)
    if regime == "valid":
        assert p == 0 and o == i - k_eff + 1
    elif regime == "same":
        assert o == i and p > 0
    elif regime == "full":
        assert o == i + k_eff - 1 and o != i and p > 0
    else:
        assert o not in (i, i + k_eff - 1) and p > 0


@st.composite
def conv_config(draw):
    """Per-axis (i, k, s, p, d) of a valid convolution, non-square in general."""
    ax = []
    for _ in range(2):
        k, s, d, p = (draw(st.integers(1, 4)), draw(st.integers(1, 3)),
                      draw(st.integers(1, 3)), draw(st.integers(0, 4)))
        i = max(1, d * (k - 1) + 1 - 2 * p) + draw(st.integers(0, 5))
        ax.append((i, k, s, p, d))
    return tuple(zip(*ax))


def pad_or_crop(z: np.ndarray, before: tuple, after: tuple) -> np.ndarray:
    z = np.pad(z, [(0, 0), (0, 0)] + [(max(b, 0), max(a, 0)) for b, a in zip(before, after)])
    (t, l), (b, r) = [max(-v, 0) for v in before], [max(-v, 0) for v in after]
    return z[..., t:z.shape[-2] - b, l:z.shape[-1] - r]


@settings(max_examples=300)
@given(cfg=conv_config(), seed=st.integers(0, 2**16))
def test_counterpart_is_zero_insertion_then_a_stride_1_conv(cfg, seed):
    i, k, s, p, d = cfg
    cp = cl.transposed_counterpart(i, k, s, p, d)
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((1, 1, *k))
    o = tuple(F.conv2d(ones(1, 1, *i), torch.from_numpy(w), stride=s, padding=p,
                       dilation=d).shape[2:])
    assert cp.input_size == o and cp.output_size == i and cp.kernel_size == k
    assert cp.stride == (1, 1) and cp.dilation == d
    assert cp.zeros_inserted == tuple(v - 1 for v in s)
    y = rng.standard_normal((1, 1, *o))
    want = F.conv_transpose2d(torch.from_numpy(y), torch.from_numpy(w), stride=s, padding=p,
                              output_padding=cp.extra, dilation=d)
    z = cl.insert_zeros(y, s)
    assert z.shape[2:] == cp.stretched_size
    z = pad_or_crop(z, cp.padding, tuple(q + a for q, a in zip(cp.padding, cp.extra)))
    got = F.conv2d(torch.from_numpy(z), torch.from_numpy(w[..., ::-1, ::-1].copy()),
                   dilation=cp.dilation)
    assert tuple(got.shape[2:]) == i
    torch.testing.assert_close(got, want, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(cl.transpose_as_conv(y, w, s, p, cp.extra, d), want.numpy(),
                               rtol=1e-9, atol=1e-9)
    one = cl.transposed_counterpart(i[0], k[0], s[0], p[0], d[0])
    assert tuple(one) == tuple(f[0] for f in cp)


def test_frame_cells_spread_and_cycle():
    full = cl.CANONICAL_CASES["full_padding_no_strides"]
    cells = cases.frame_cells(full, 9)
    assert cells[0] == 0 and cells[-1] == 48 and cells == sorted(set(cells))
    assert cases.frame_cells("no_padding_strides", 6) == [0, 1, 2, 3, 0, 1]


@pytest.mark.parametrize("call, name", [
    (lambda: cl.padding_regime(0, 1), "kernel_size"),
    (lambda: cl.padding_regime(3, -1), "padding"),
    (lambda: cl.padding_regime(3, 1, dilation=0), "dilation"),
    (lambda: cl.transposed_counterpart(2, 5), "kernel_size"),
    (lambda: cl.transposed_counterpart(5, 3, stride=0), "stride"),
    (lambda: cl.case_view("no_such_case"), "case"),
    (lambda: cl.transposed_case(cl.CANONICAL_CASES["padding_strides_transposed"]), "case"),
    (lambda: cl.transposed_case(cl.CANONICAL_CASES["asymmetric_same_padding"]), "case"),
    (lambda: cases.frame_cells("dilation", 0), "frames"),
])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
