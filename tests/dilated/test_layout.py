"""convlib.dilated.layout against torch autograd and convlib.receptive.fields."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

import convlib as cl
from convlib.dilated import layout as dl

layers = st.tuples(st.integers(1, 14), st.integers(1, 5), st.integers(1, 4), st.integers(1, 3),
                   st.integers(0, 4), st.sampled_from(["torch", "same"]), st.integers(0, 300))


def torch_reads(i, k, d, s, p, mode, unit):
    """Input pixels (sorted) whose gradient from output `unit` is non-zero, or None."""
    x = torch.zeros(1, 1, i, dtype=torch.float64, requires_grad=True)
    try:
        y = F.conv1d(x, torch.ones(1, 1, k, dtype=torch.float64), stride=s,
                     padding="same" if mode == "same" else p, dilation=d)
    except RuntimeError:
        return None, None
    if y.numel() == 0:
        return None, None
    unit = min(unit, y.shape[-1] - 1)
    y[0, 0, unit].backward()
    return y.shape[-1], np.flatnonzero(x.grad[0, 0].numpy())


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
@given(layers)
def test_view_matches_torch(cfg):
    i, k, d, s, p, mode, cell = cfg
    o, _ = torch_reads(i, k, d, s, p, mode, 0)
    if o is None:
        with pytest.raises(ValueError):
            dl.dilated_view(i, k, d, s, p, mode, cell)
        return
    view = dl.dilated_view(i, k, d, s, p, mode, cell)
    assert view.lay_h.output_size == o and view.j == divmod(min(cell, o * o - 1), o)
    _, read = torch_reads(i, k, d, s, p, mode, view.j[1])
    taps = np.array(view.lay_w.taps(view.j[1])) - view.lay_w.pad_before
    np.testing.assert_array_equal(taps[(taps >= 0) & (taps < i)], read)
    assert view.centre[1] == (taps[0] + taps[-1]) / 2
    assert view.mask.shape == (cl.effective_kernel_size(k, d),) * 2 and view.mask.sum() == k * k


@given(layers)
def test_field_centre_agrees_with_receptive_field(cfg):
    i, k, d, s, p, mode, unit = cfg
    try:
        lay = cl.sizes.windows.axis_layout(i, k, s, p, d, mode=mode)
    except ValueError:
        return
    u = min(unit, lay.output_size - 1)
    table = cl.receptive_field([cl.Layer(k, s, "same" if mode == "same" else p, d)], i)
    first, last = cl.field_bounds(table, u)
    assert dl.field_centre(lay, u) == (first + last) / 2


def test_texts():
    view = dl.dilated_view(7, 3, dilation=2, padding=1)
    text = dl.dilated_text(view)
    assert dl.k_eff_text(3, 2) in text and "= 5\n" in text and "(1, 1)" in text
    assert dl.k_eff_text(1, 4).endswith("= 1")


def autograd_paths(dilations, k):
    size = cl.receptive_field([cl.Layer(k, dilation=d) for d in dilations]).size
    x = torch.ones(1, 1, size, size, dtype=torch.float64, requires_grad=True)
    y = x
    for d in dilations:
        y = F.conv2d(y, torch.ones(1, 1, k, k, dtype=torch.float64), dilation=d)
    y.sum().backward()
    return x.grad[0, 0].numpy()


@given(st.lists(st.integers(1, 5), min_size=1, max_size=3), st.integers(2, 4))
def test_gridding_view_and_holes_match_autograd(dilations, k):
    view = dl.gridding_view(dilations, k)
    paths = autograd_paths(dilations, k)
    np.testing.assert_array_equal(view.counts, paths)
    assert view.read == int((paths > 0).sum()) and view.size == paths.shape[0]
    centre = (paths.shape[0] - 1) // 2  # a row is a hole when no pixel in it is read
    assert dl.holes_1d(dilations, k) == [int(n) - centre
                                         for n in np.flatnonzero(paths.sum(axis=1) == 0)]
    assert f"{view.read} of {view.size ** 2}" in dl.gridding_text(view)
    assert view.unread_fraction == pytest.approx(float((paths == 0).mean()))
    assert f"({float((paths == 0).mean()):.0%} never read)" in dl.gridding_text(view)
    assert dl.stack_field_text(dilations, k).endswith(f"= {paths.shape[0]}")


def test_common_factor_always_leaves_holes():
    for ds in [(2, 2, 2), (2, 4), (3, 6, 9)]:
        assert dl.holes_1d(ds)
    assert dl.holes_1d((1, 5)) == [-3, -2, 2, 3] and dl.holes_1d((1, 2, 5)) == []


@pytest.mark.parametrize("call, name", [
    (lambda: dl.dilated_view(5, 3, mode="SAME"), "mode"),
    (lambda: dl.dilated_view(5, 3, dilation=0), "dilation"),
    (lambda: dl.dilated_view(3, 3, dilation=2), "kernel_size"),
    (lambda: dl.dilated_view(5, 3, stride=2, mode="same"), "padding"),
    (lambda: dl.gridding_view([]), "dilations"),
    (lambda: dl.gridding_view([2, 0]), "dilations"),
])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        call()
