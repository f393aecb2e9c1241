"""convlib.transposed.layout against torch: sizes, the stretched input, window counts."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

import convlib as cl
from ..torch_oracle import torch_shape
from convlib.transposed import layout as tl

configs = st.tuples(st.integers(1, 6), st.integers(1, 5), st.integers(1, 4), st.integers(0, 5),
                    st.integers(0, 4), st.integers(1, 3))


def torch_ones(i, k, s, p, op, d):
    """conv_transpose1d of ones by ones (None where torch refuses or returns nothing)."""
    try:
        out = F.conv_transpose1d(torch.ones(1, 1, i, dtype=torch.float64),
                                 torch.ones(1, 1, k, dtype=torch.float64), stride=s, padding=p,
                                 output_padding=op, dilation=d)
    except RuntimeError:
        return None
    return None if out.numel() == 0 else out[0, 0].numpy()


@given(configs)
def test_axis_size_and_counts_match_torch(cfg):
    want = torch_ones(*cfg)
    if want is None:
        with pytest.raises(ValueError):
            tl.transposed_axis(*cfg)
        return
    lay = tl.transposed_axis(*cfg)
    assert lay.output_size == len(want)
    np.testing.assert_array_equal(tl.window_counts(lay), want)
    assert lay.extent - sum(lay.cells() == tl.CROPPED) == lay.output_size + lay.k_eff - 1


@given(configs, st.integers(0, 2**31 - 1))
def test_stretched_input_convolved_is_conv_transpose(cfg, seed):
    """Paint the layout's values, drop cropped cells, convolve (flipped kernel, dilation d)."""
    if torch_ones(*cfg) is None:
        return
    i, k, s, p, op, d = cfg
    rng = np.random.default_rng(seed)
    y, w = rng.normal(size=(i, i)), rng.normal(size=(k, k))
    lay = tl.transposed_axis(*cfg)
    grid = np.zeros((lay.extent, lay.extent))
    at = [lay.input_index(n) for n in range(i)]
    grid[np.ix_(at, at)] = y
    keep = np.flatnonzero(lay.cells() != tl.CROPPED)
    assert keep[0] == lay.first_active and np.all(np.diff(keep) == 1)
    active = torch.from_numpy(grid[np.ix_(keep, keep)])[None, None]
    ours = F.conv2d(active, torch.from_numpy(w[::-1, ::-1].copy())[None, None], dilation=d)
    want = F.conv_transpose2d(torch.from_numpy(y)[None, None], torch.from_numpy(w)[None, None],
                              stride=s, padding=p, output_padding=op, dilation=d)
    torch.testing.assert_close(ours, want)


@given(configs)
def test_grid_categories_and_taps(cfg):
    if torch_ones(*cfg) is None:
        return
    lay = tl.transposed_axis(*cfg)
    cells = lay.cells()
    assert sum(cells == tl.OUTPAD) <= lay.output_padding
    assert sum(cells == tl.VALUE) <= lay.input_size
    assert set(np.flatnonzero(cells == tl.VALUE)) <= {lay.input_index(n) for n in range(lay.input_size)}
    for j in (0, lay.output_size - 1):
        taps = lay.taps(j)
        assert taps[0] == lay.first_active + j and all(cells[t] != tl.CROPPED for t in taps)
    cats, taps = tl.transposed_grid(lay, lay, (0, lay.output_size - 1))
    assert cats.shape == (lay.extent, lay.extent) and taps.sum() == lay.kernel_size ** 2
    assert cats.max() <= tl.CROPPED and (cats == np.maximum.outer(cells, cells)).all()


def test_categories_of_a_small_case():
    lay = tl.transposed_axis(2, 3, stride=2, padding=1, output_padding=1)
    assert [tl.CATEGORY_NAMES[c] for c in lay.cells()] == [
        "padding zero", "input value", "inserted zero", "input value", "padding zero",
        "output padding"]
    cropped = tl.transposed_axis(4, 3, stride=2, padding=3, output_padding=1)
    assert cropped.before == -1 and cropped.after == 0 and cropped.cells()[0] == tl.CROPPED


def test_view_clamps_the_cell_and_counts_are_2d():
    v = tl.transposed_view(2, 2, stride=2, cell=999)
    o = v.lay_h.output_size
    assert v.j == (o - 1, o - 1)
    want = F.conv_transpose2d(torch.ones(1, 1, 2, 2), torch.ones(1, 1, 2, 2), stride=2)
    np.testing.assert_array_equal(v.counts, want[0, 0].numpy())
    assert tl.transposed_view(2, 2, cell=-3).j == (0, 0)


@pytest.mark.parametrize("k, s", list(itertools.product(range(1, 9), range(1, 5))))
def test_uneven_overlap_is_k_not_divisible_by_s(k, s):
    assert tl.uneven_overlap(k, s) == (k % s != 0)
    lo, hi = k // s, -(-k // s)
    assert tl.interior_counts(k, s) == tuple(sorted({lo, hi}))


def test_overlap_view_matches_torch():
    for k, s, i in itertools.product(range(1, 6), range(1, 4), range(1, 4)):
        v = tl.overlap_view(k, s, i)
        want = F.conv_transpose2d(torch.ones(1, 1, i, i), torch.ones(1, 1, k, k), stride=s)
        np.testing.assert_array_equal(v.counts, want[0, 0].numpy())
        assert f"k={k}, s={s}" in tl.overlap_text(v)


def test_conv_matrix_taps_rebuild_the_matrix():
    rng = np.random.default_rng(0)
    for shape, k, s, p, d in [((4, 4), 3, 1, 0, 1), ((5, 6), (2, 3), 2, 1, 1), ((7, 7), 3, 1, 1, 2)]:
        kh, kw = (k, k) if isinstance(k, int) else k
        w = rng.normal(size=(kh, kw))
        taps = tl.conv_matrix_taps(shape, k, s, p, d)
        np.testing.assert_array_equal(cl.conv_matrix(shape, w, s, p, d),
                                      np.where(taps >= 0, w.ravel()[taps], 0))


def test_texts_contain_torchs_size():
    for cfg in [(3, 3, 2, 1, 1, 1), (4, 3, 2, 3, 1, 1), (2, 2, 1, 0, 0, 3)]:
        lay = tl.transposed_axis(*cfg)
        o = torch_shape(F.conv_transpose1d, torch.zeros(1, 1, cfg[0]), torch.zeros(1, 1, cfg[1]),
                        stride=cfg[2], padding=cfg[3], output_padding=cfg[4], dilation=cfg[5])[-1]
        assert tl.transposed_formula_text(lay, "H").startswith("o_H = ")
        assert tl.transposed_formula_text(lay).endswith(f"= {o}")
        assert ("crop" in tl.stretch_text(lay)) == (lay.before < 0)
        assert "window holds" in tl.transposed_text(tl.transposed_view(*cfg))


@pytest.mark.parametrize("args, name", [((0, 3), "input_size"), ((3, 0), "kernel_size"),
                                        ((3, 3, 0), "stride"), ((3, 3, 1, -1), "padding"),
                                        ((3, 3, 2, 0, 2), "output_padding"),
                                        ((1, 1, 1, 1), "padding")])
def test_errors_name_the_parameter(args, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        tl.transposed_axis(*args)
