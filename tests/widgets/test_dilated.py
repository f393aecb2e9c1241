"""Chapter 04's dilated-convolution explorers. They are drawn in the browser
(tests/browser/explorers/test_dilated.py, test_gridding.py); here their pure views
(`convlib.dilated.layout.dilated_view`, `gridding_view`) over every control's range and
random combinations: invalid ones raise the explorer's message, valid ones agree with
torch; and the widgets carry their values."""
from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import convlib as cl
from convlib.dilated.layout import dilated_text, dilated_view, gridding_text, gridding_view
from convlib.widgets.dilated import PADDING_MODES

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")

#: The dilated explorer's sliders and their ranges (convlib/web/explorers/dilated.js).
RANGES = {"input_size": (1, 12), "kernel_size": (1, 5), "dilation": (1, 4), "stride": (1, 3),
          "padding": (0, 4), "cell": (0, 399)}
DEFAULTS = dict(input_size=9, kernel_size=3, dilation=2, stride=1, padding=1, mode="torch",
                cell=0)
#: The gridding explorer's sliders (convlib/web/explorers/gridding.js).
GRIDDING_RANGES = {"layers": (1, 4), "d1": (1, 6), "d2": (1, 6), "d3": (1, 6), "d4": (1, 6),
                   "kernel_size": (2, 5)}
GRIDDING_DEFAULTS = dict(layers=3, d1=2, d2=2, d3=2, d4=1, kernel_size=3)


def torch_reads(v: dict, unit: tuple[int, int] | None = None):
    """Output size of torch's Conv2d and the input pixels output `unit` reads (None: refused)."""
    i, k = v["input_size"], v["kernel_size"]
    x = torch.zeros(1, 1, i, i, requires_grad=True)
    pad = "same" if v["mode"] == "same" else v["padding"]
    try:
        y = F.conv2d(x, torch.ones(1, 1, k, k), stride=v["stride"], padding=pad,
                     dilation=v["dilation"])
    except RuntimeError:
        return None, None
    if y.numel() == 0:
        return None, None
    if unit is None:
        return y.shape[-1], None
    y[0, 0, unit[0], unit[1]].backward()
    return y.shape[-1], x.grad[0, 0].numpy() != 0


def assert_consistent(v: dict, check_taps: bool = True) -> None:
    o, _ = torch_reads(v)
    if o is None:
        with pytest.raises(ValueError):
            dilated_view(**v)
        return
    view = dilated_view(**v)
    assert view.lay_h.output_size == o
    assert view.j == divmod(min(v["cell"], o * o - 1), o)
    assert view.mask.shape == (cl.effective_kernel_size(view.lay_h.kernel_size,
                                                        view.lay_h.dilation),) * 2
    text = dilated_text(view)
    assert f"+ 1 = {o}" in text or f"o = i = {o}" in text
    if check_taps:
        _, read = torch_reads(v, view.j)
        th, tw = (np.array(lay.taps(j)) - lay.pad_before for lay, j in
                  ((view.lay_h, view.j[0]), (view.lay_w, view.j[1])))
        want = np.zeros_like(read)
        want[np.ix_(th[(th >= 0) & (th < len(read))], tw[(tw >= 0) & (tw < len(read))])] = True
        np.testing.assert_array_equal(read, want)


def test_every_slider_over_its_range_for_both_modes():
    for mode in PADDING_MODES.values():
        for name, (lo, hi) in RANGES.items():
            for value in range(lo, hi + 1, 7 if name == "cell" else 1):
                assert_consistent({**DEFAULTS, "mode": mode, name: value})


def test_random_combinations_never_raise_anything_but_the_message():
    rng = random.Random(0)
    for n in range(2000):
        v = {name: rng.randint(lo, hi) for name, (lo, hi) in RANGES.items()}
        assert_consistent({**v, "mode": rng.choice(list(PADDING_MODES.values()))},
                          check_taps=n % 4 == 0)


def test_invalid_combinations_raise_the_message():
    v = dict(input_size=4, kernel_size=3, dilation=1, padding=0)
    with pytest.raises(ValueError, match="`kernel_size` too large: effective kernel 7"):
        dilated_view(**{**v, "dilation": 3})                   # k_eff 7 > 4
    assert dilated_view(**{**v, "dilation": 3, "padding": 2}).lay_h.output_size == 2  # 8 >= 7
    with pytest.raises(ValueError, match="`padding`='same' needs stride 1, got stride=2"):
        dilated_view(**v, mode="same", stride=2)
    assert dilated_view(**v, mode="same", stride=1).lay_h.output_size == 4


def test_the_dilated_widget_carries_its_values():
    ex = cl.widgets.dilated_explorer(input_size=7, mode="same", cell=4)
    assert ex.explorer_name == "dilated"
    assert ex.values == {**DEFAULTS, "input_size": 7, "mode": "same", "cell": 4}
    ex.dilation = 3
    assert ex.values["dilation"] == 3 and repr(ex).startswith("DilatedBrowser(input_size=7")


def autograd_paths(dilations, k):
    size = cl.receptive_field([cl.Layer(k, dilation=d) for d in dilations]).size
    x = torch.ones(1, 1, size, size, requires_grad=True)
    y = x
    for d in dilations:
        y = F.conv2d(y, torch.ones(1, 1, k, k), dilation=d)
    y.sum().backward()
    return x.grad[0, 0].numpy()


def assert_gridding(v: dict) -> None:
    ds = [v[f"d{n}"] for n in range(1, v["layers"] + 1)]
    view = gridding_view(ds, v["kernel_size"])
    assert list(view.dilations) == ds
    np.testing.assert_array_equal(view.counts, autograd_paths(ds, v["kernel_size"]))
    assert f"= {view.size};" in gridding_text(view)


def test_gridding_every_slider_and_random_combinations():
    for name, (lo, hi) in GRIDDING_RANGES.items():
        for value in range(lo, hi + 1):
            assert_gridding({**GRIDDING_DEFAULTS, name: value})
    rng = random.Random(1)
    for _ in range(1500):
        assert_gridding({name: rng.randint(lo, hi) for name, (lo, hi) in GRIDDING_RANGES.items()})


def test_gridding_finds_full_coverage_and_the_largest_field():
    assert "0 holes" in gridding_text(gridding_view([1, 2, 5], 3))
    assert gridding_view(list(itertools.repeat(6, 4)), 5).size == 97


def test_the_gridding_widget_carries_its_values():
    ex = cl.widgets.gridding_explorer((1, 5), kernel_size=4)
    assert ex.explorer_name == "gridding"
    assert ex.values == dict(layers=2, d1=1, d2=5, d3=1, d4=1, kernel_size=4)
    with pytest.raises(ValueError, match="1 to 4 rates"):
        cl.widgets.gridding_explorer((1, 2, 3, 4, 5))
