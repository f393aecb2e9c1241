"""Dilated-convolution explorers driven headlessly: every slider over its range, random
combinations, invalid ones show the message, valid ones agree with torch."""
from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import convlib as cl
from .sweep import randomize, sweep_sliders
from convlib.widgets.dilated import PADDING_MODES

PNG_MAGIC = b"\x89PNG"
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")


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


def assert_consistent(ex, check_taps: bool = True) -> None:
    o, _ = torch_reads(ex.values)
    if o is None:
        assert ex.state is None and ex.error
        assert "Not a valid configuration" in ex.message.value
        return
    assert ex.error is None, ex.error
    view = ex.state
    assert view.lay_h.output_size == o and ex.controls["cell"].max >= o * o - 1
    assert view.mask.shape == (cl.effective_kernel_size(view.lay_h.kernel_size,
                                                        view.lay_h.dilation),) * 2
    assert f"+ 1 = {o}" in ex.message.value or f"o = i = {o}" in ex.message.value
    if check_taps:
        _, read = torch_reads(ex.values, view.j)
        th, tw = (np.array(lay.taps(j)) - lay.pad_before for lay, j in
                  ((view.lay_h, view.j[0]), (view.lay_w, view.j[1])))
        want = np.zeros_like(read)
        want[np.ix_(th[(th >= 0) & (th < len(read))], tw[(tw >= 0) & (tw < len(read))])] = True
        np.testing.assert_array_equal(read, want)


def test_every_slider_over_its_range_for_both_modes():
    ex = cl.widgets.dilated_explorer(render=False)
    names = ["input_size", "kernel_size", "dilation", "stride", "padding", "cell"]
    for mode in PADDING_MODES.values():
        ex.controls["mode"].value = mode
        sweep_sliders(ex, names, lambda ex, _: assert_consistent(ex))


def test_random_combinations_never_raise():
    ex = cl.widgets.dilated_explorer(render=False)
    rng = random.Random(0)
    for n in range(2000):
        randomize(ex, rng)
        assert_consistent(ex, check_taps=n % 4 == 0)


def test_invalid_combinations_show_the_message():
    ex = cl.widgets.dilated_explorer(input_size=4, kernel_size=3, dilation=1, padding=0,
                                     render=False)
    ex.controls["dilation"].value = 3                  # k_eff 7 > 4
    assert "kernel_size" in ex.message.value and ex.state is None
    ex.controls["padding"].value = 2                   # 4 + 4 >= 7: valid again
    assert ex.error is None
    with ex.hold():
        ex.controls["mode"].value, ex.controls["stride"].value = "same", 2
    assert "same" in ex.message.value and ex.state is None
    ex.controls["stride"].value = 1
    assert ex.controls["padding"].disabled and ex.state.lay_h.output_size == 4


def test_rendering_updates_the_image_in_place():
    ex = cl.widgets.dilated_explorer()
    fig, first = ex.fig, bytes(ex.image.value)
    n_artists = sum(len(ax.get_children()) for ax in fig.axes)
    assert first.startswith(PNG_MAGIC)
    for values in [dict(dilation=4, kernel_size=5, input_size=12, padding=4),
                   dict(mode="same", kernel_size=4), dict(input_size=1, kernel_size=1)]:
        with ex.hold():
            for name, value in values.items():
                ex.controls[name].value = value
        assert ex.error is None and bytes(ex.image.value) != first
    assert ex.fig is fig and sum(len(ax.get_children()) for ax in fig.axes) == n_artists
    assert ex._repr_mimebundle_()["text/plain"].startswith("DilatedExplorer(input_size=1")


def autograd_paths(dilations, k):
    size = cl.receptive_field([cl.Layer(k, dilation=d) for d in dilations]).size
    x = torch.ones(1, 1, size, size, requires_grad=True)
    y = x
    for d in dilations:
        y = F.conv2d(y, torch.ones(1, 1, k, k), dilation=d)
    y.sum().backward()
    return x.grad[0, 0].numpy()


def assert_gridding(ex) -> None:
    v = ex.values
    ds = [v[f"d{n}"] for n in range(1, v["layers"] + 1)]
    assert ex.error is None and list(ex.state.dilations) == ds
    np.testing.assert_array_equal(ex.state.counts, autograd_paths(ds, v["kernel_size"]))
    assert all(ex.controls[f"d{n}"].disabled == (n > v["layers"]) for n in range(1, 5))
    assert f"= {ex.state.size};" in ex.message.value


def test_gridding_every_slider_and_random_combinations():
    ex = cl.widgets.gridding_explorer(render=False)
    sweep_sliders(ex, list(ex.controls), lambda ex, _: assert_gridding(ex))
    rng = random.Random(1)
    for _ in range(1500):
        randomize(ex, rng)
        assert_gridding(ex)


def test_gridding_renders_and_finds_full_coverage():
    ex = cl.widgets.gridding_explorer()
    first = bytes(ex.image.value)
    with ex.hold():
        ex.controls["d1"].value, ex.controls["d3"].value = 1, 5
    assert "0 holes" in ex.message.value and bytes(ex.image.value) != first
    with ex.hold():
        for n, d in zip(range(1, 5), itertools.repeat(6)):
            ex.controls[f"d{n}"].value = d
        ex.controls["layers"].value, ex.controls["kernel_size"].value = 4, 5
    assert ex.state.size == 97 and bytes(ex.image.value).startswith(PNG_MAGIC)
