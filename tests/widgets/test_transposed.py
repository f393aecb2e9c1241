"""Transposed-convolution explorers driven headlessly: every slider over its range, random
combinations, invalid ones show the message, valid ones agree with torch."""
from __future__ import annotations

import random

import numpy as np
import torch
import torch.nn.functional as F

import convlib as cl
from .sweep import randomize, sweep_sliders

PNG_MAGIC = b"\x89PNG"


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


def assert_consistent(ex) -> None:
    want = torch_counts(ex.values)
    if want is None:
        assert ex.state is None and ex.error
        assert "Not a valid configuration" in ex.message.value
        return
    assert ex.error is None, ex.error
    np.testing.assert_array_equal(ex.state.counts, want)
    o = want.shape[0]
    jh, jw = ex.state.j
    assert 0 <= jh < o and 0 <= jw < o and ex.controls["cell"].max >= o * o - 1
    assert f"+ 1 = {o}" in ex.message.value


def sweep(ex, names) -> None:
    sweep_sliders(ex, names, lambda ex, _: assert_consistent(ex))


def test_every_slider_over_its_range_from_several_states():
    ex = cl.widgets.transposed_explorer(render=False)
    names = ["input_size", "kernel_size", "stride", "padding", "output_padding", "dilation", "cell"]
    for base in [dict(), dict(stride=1, padding=0, output_padding=0), dict(dilation=3, stride=1),
                 dict(input_size=6, kernel_size=5, stride=4, padding=4, output_padding=3)]:
        with ex.hold():
            for name, value in base.items():
                ex.controls[name].value = value
        sweep(ex, names)


def test_random_combinations_never_raise():
    ex = cl.widgets.transposed_explorer(render=False)
    rng = random.Random(0)
    for _ in range(2000):
        randomize(ex, rng)
        assert_consistent(ex)


def test_invalid_combinations_show_the_message():
    ex = cl.widgets.transposed_explorer(stride=2, dilation=1, output_padding=1, render=False)
    ex.controls["output_padding"].value = 2            # >= stride and >= dilation
    assert "output_padding" in ex.message.value and ex.state is None
    ex.controls["dilation"].value = 3                  # now < dilation: PyTorch accepts it
    assert ex.error is None and ex.state.lay_h.output_size == torch_counts(ex.values).shape[0]
    with ex.hold():
        ex.controls["input_size"].value, ex.controls["kernel_size"].value = 1, 1
        ex.controls["padding"].value, ex.controls["output_padding"].value = 2, 0
    assert "too large" in ex.message.value             # output size < 1


def test_rendering_updates_the_image_in_place():
    ex = cl.widgets.transposed_explorer()
    fig, first = ex.fig, bytes(ex.image.value)
    n_artists = len(fig.axes[0].get_children()) + len(fig.axes[1].get_children())
    assert first.startswith(PNG_MAGIC)
    for values in [dict(input_size=6, stride=4, dilation=3, kernel_size=5, padding=0,
                        output_padding=3), dict(input_size=4, stride=2, padding=3, output_padding=1),
                   dict(input_size=1, kernel_size=1, stride=1, padding=0, output_padding=0)]:
        with ex.hold():
            for name, value in values.items():
                ex.controls[name].value = value
        assert ex.error is None and bytes(ex.image.value) != first
    assert ex.fig is fig
    assert len(fig.axes[0].get_children()) + len(fig.axes[1].get_children()) == n_artists
    bundle = ex._repr_mimebundle_()
    assert bundle["text/plain"].startswith("TransposedExplorer(input_size=1")
    assert "image/png" in bundle


def test_overlap_explorer_over_every_combination():
    ex = cl.widgets.overlap_explorer(render=False)
    c = ex.controls
    for k in range(c["kernel_size"].min, c["kernel_size"].max + 1):
        for s in range(c["stride"].min, c["stride"].max + 1):
            for i in range(c["input_size"].min, c["input_size"].max + 1):
                with ex.hold():
                    c["kernel_size"].value, c["stride"].value, c["input_size"].value = k, s, i
                want = F.conv_transpose2d(torch.ones(1, 1, i, i), torch.ones(1, 1, k, k), stride=s)
                np.testing.assert_array_equal(ex.state.counts, want[0, 0].numpy())
                assert ex.state.uneven == (k % s != 0)
                assert ("uneven" in ex.message.value) == (k % s != 0)


def _numbers(ax) -> list[str]:
    """The counts printed in a map (one `CellNumbers` artist)."""
    from convlib.draw.cells import CellNumbers
    return [s for a in ax.artists if isinstance(a, CellNumbers) for s in a.strings]


def test_overlap_explorer_renders():
    ex = cl.widgets.overlap_explorer()
    first = bytes(ex.image.value)
    ex.controls["kernel_size"].value = 7
    ex.controls["input_size"].value = 5                 # 4*2 + 7 = 15 cells: numbers shown
    assert len(_numbers(ex.fig.axes[0])) == 15 * 15
    assert bytes(ex.image.value) != first and bytes(ex.image.value).startswith(PNG_MAGIC)
    ex.controls["stride"].value = 4                     # 23 cells: numbers hidden
    assert _numbers(ex.fig.axes[0]) == []
