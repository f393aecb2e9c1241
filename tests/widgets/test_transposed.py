"""Chapter 03's transposed-convolution explorers. They are drawn in the browser
(tests/browser/explorers/test_transposed.py, test_overlap.py); here their pure views
(`convlib.transposed.layout.transposed_view`, `overlap_view`) over every control's range
and random combinations: invalid ones raise the explorer's message, valid ones agree
with torch; and the widgets carry their values."""
from __future__ import annotations

import random

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import convlib as cl
from convlib.transposed.layout import overlap_text, overlap_view, transposed_text, transposed_view

#: The transposed explorer's sliders and their ranges (convlib/web/explorers/transposed.js).
RANGES = {"input_size": (1, 6), "kernel_size": (1, 5), "stride": (1, 4), "padding": (0, 4),
          "output_padding": (0, 3), "dilation": (1, 3), "cell": (0, 35)}
DEFAULTS = dict(input_size=3, kernel_size=3, stride=2, padding=1, output_padding=1, dilation=1,
                cell=0)


def torch_counts(v: dict) -> np.ndarray | None:
    """conv_transpose2d of ones by ones for the explorer's values (None: torch refuses)."""
    i, k = v["input_size"], v["kernel_size"]
    try:
        out = F.conv_transpose2d(torch.ones(1, 1, i, i), torch.ones(1, 1, k, k), stride=v["stride"],
                                 padding=v["padding"], output_padding=v["output_padding"],
                                 dilation=v["dilation"])
    except RuntimeError:
        return None
    return None if out.numel() == 0 else out[0, 0].numpy()


def assert_consistent(v: dict) -> None:
    want = torch_counts(v)
    if want is None:
        with pytest.raises(ValueError):
            transposed_view(**v)
        return
    view = transposed_view(**v)
    np.testing.assert_array_equal(view.counts, want)
    o = want.shape[0]
    jh, jw = view.j
    assert 0 <= jh < o and 0 <= jw < o
    assert view.j == divmod(min(v["cell"], o * o - 1), o)
    assert f"+ 1 = {o}" in transposed_text(view)


def test_every_slider_over_its_range_from_several_states():
    for base in [dict(), dict(stride=1, padding=0, output_padding=0), dict(dilation=3, stride=1),
                 dict(input_size=6, kernel_size=5, stride=4, padding=4, output_padding=3)]:
        for name, (lo, hi) in RANGES.items():
            for value in range(lo, hi + 1):
                assert_consistent({**DEFAULTS, **base, name: value})


def test_random_combinations_never_raise_anything_but_the_message():
    rng = random.Random(0)
    for _ in range(2000):
        assert_consistent({name: rng.randint(lo, hi) for name, (lo, hi) in RANGES.items()})


def test_invalid_combinations_raise_the_message():
    v = dict(DEFAULTS, output_padding=2)                # >= stride and >= dilation
    with pytest.raises(ValueError, match="output_padding"):
        transposed_view(**v)
    v["dilation"] = 3                                   # now < dilation: PyTorch accepts it
    assert transposed_view(**v).lay_h.output_size == torch_counts(v).shape[0]
    v.update(input_size=1, kernel_size=1, padding=2, output_padding=0)
    with pytest.raises(ValueError, match="too large"):  # output size < 1
        transposed_view(**v)


def test_overlap_view_over_every_combination():
    for k in range(1, 8):
        for s in range(1, 5):
            for i in range(1, 6):
                view = overlap_view(k, s, i)
                want = F.conv_transpose2d(torch.ones(1, 1, i, i), torch.ones(1, 1, k, k), stride=s)
                np.testing.assert_array_equal(view.counts, want[0, 0].numpy())
                assert view.uneven == (k % s != 0)
                assert ("uneven" in overlap_text(view)) == (k % s != 0)


def test_overlap_view_refuses_sizes_below_one():
    for name in ("kernel_size", "stride", "input_size"):
        with pytest.raises(ValueError, match=f"`{name}` must be a positive int"):
            overlap_view(**{"kernel_size": 3, "stride": 2, "input_size": 4, name: 0})


def test_the_explorers_are_browser_widgets_with_their_values():
    ex = cl.widgets.transposed_explorer(stride=3, cell=5)
    assert isinstance(ex, cl.widgets.BrowserExplorer) and ex.explorer_name == "transposed"
    assert ex.values == dict(DEFAULTS, stride=3, cell=5)
    ex = cl.widgets.overlap_explorer(kernel_size=4)
    assert ex.explorer_name == "overlap"
    assert ex.values == dict(kernel_size=4, stride=2, input_size=4)
    ex.stride = 3                                       # Python drives the browser's slider
    assert ex.values["stride"] == 3
    bundle = ex._repr_mimebundle_()[0]
    assert 'data-explorer-static="overlap"' in bundle["text/html"]
