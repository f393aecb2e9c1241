"""convlib.sizes.windows: the geometry the drawings show agrees with convlib.sizes.shapes and torch."""
from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import convlib.sizes.windows as W


@settings(max_examples=500)
@given(i=st.integers(1, 12), k=st.integers(1, 6), s=st.integers(1, 4), p=st.integers(0, 3),
       d=st.integers(1, 3), ceil=st.booleans())
def test_pool_windows_are_the_ones_torch_reads(i, k, s, p, d, ceil):
    """Each output of max pooling equals the max over exactly the listed taps."""
    try:
        lay = W.axis_layout(i, k, s, p, d, op="pool", ceil_mode=ceil)
    except ValueError:
        return
    x = torch.arange(1.0, i + 1).view(1, 1, i)
    out = F.max_pool1d(x, k, s, p, d, ceil_mode=ceil).ravel().tolist()
    assert len(out) == lay.output_size
    for j, value in enumerate(out):
        inside = [t - lay.pad_before for t in lay.taps(j) if 0 <= t - lay.pad_before < i]
        assert value == (max(inside) + 1 if inside else float("-inf"))  # all-padding window


@settings(max_examples=500)
@given(i=st.integers(1, 12), k=st.integers(1, 6), s=st.integers(1, 4), d=st.integers(1, 3),
       mode=st.sampled_from(["tf_same", "tf_valid", "same"]))
def test_padding_modes_reproduce_torch_on_padded_input(i, k, s, d, mode):
    if mode == "same":
        s = 1
    try:
        lay = W.axis_layout(i, k, s, dilation=d, mode=mode)
    except ValueError:
        return
    x = torch.randn(1, 1, i, dtype=torch.float64)
    w = torch.randn(1, 1, k, dtype=torch.float64)
    out = F.conv1d(F.pad(x, (lay.pad_before, lay.pad_after)), w, stride=s, dilation=d)
    assert out.shape[-1] == lay.output_size
    assert lay.extent == lay.pad_before + i + lay.pad_after


def test_layout_grid_marks_taps_and_overhang():
    lay = W.axis_layout(6, 2, 2, 1, op="pool", ceil_mode=True)
    grid = W.layout_grid(lay, lay, (3, 3))
    assert grid.shape == (lay.extent, lay.extent)
    # last window: rows/cols 6 (input) and 7 (right/bottom padding)
    assert (grid == W.TAP_PAD).sum() == 3 and (grid == W.TAP_INPUT).sum() == 1
    lay = W.axis_layout(5, 2, 2, op="pool", ceil_mode=True)   # last window hangs past the input
    assert lay.output_size == 3 and lay.extent == 6
    assert (W.layout_grid(lay, lay, (2, 2)) == W.TAP_OVERHANG).sum() == 3


@pytest.mark.parametrize("kwargs, name", [
    (dict(mode="full"), "mode"), (dict(op="deconv"), "op"),
    (dict(op="pool", mode="same"), "mode"), (dict(ceil_mode=True), "ceil_mode"),
])
def test_layout_errors(kwargs, name):
    with pytest.raises(ValueError, match=name):
        W.axis_layout(5, 3, **kwargs)


@settings(max_examples=300)
@given(i=st.integers(1, 40), o=st.integers(1, 40))
def test_adaptive_windows_are_the_inputs_torch_pools(i, o):
    """Output j of AdaptiveAvgPool1d depends on exactly inputs start_j .. end_j - 1."""
    jac = torch.autograd.functional.jacobian(
        lambda x: F.adaptive_avg_pool1d(x[None, None], o)[0, 0], torch.zeros(i))
    torch_windows = [(int(nz[0]), int(nz[-1]) + 1) for nz in (row.nonzero()[:, 0] for row in jac)]
    assert W.adaptive_windows(i, o) == torch_windows


@pytest.mark.parametrize("args, name", [((0, 3), "input_size"), ((5, 0), "output_size"),
                                        ((5, 2.0), "output_size")])
def test_adaptive_windows_name_a_bad_argument(args, name):
    with pytest.raises(ValueError, match=name):
        W.adaptive_windows(*args)
