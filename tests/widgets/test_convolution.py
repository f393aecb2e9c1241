"""The step-through explorer driven headlessly: every slider over its range, no exception
escapes, a kernel larger than the padded input shows a message, states agree with torch."""
from __future__ import annotations

import itertools
import random

import numpy as np
import torch
import torch.nn.functional as F

import convlib as cl
from .sweep import randomize
from ..torch_oracle import torch_shape

PNG_MAGIC = b"\x89PNG"
RNG = np.random.default_rng(10)
X = RNG.integers(0, 4, (5, 5)).astype(float)
W = RNG.integers(-1, 2, (3, 3)).astype(float)


def torch_output(x, w, v):
    """What torch gives for the explorer's values (None where torch refuses)."""
    xt, wt = torch.from_numpy(x)[None, None], torch.from_numpy(w)[None, None]
    bias = torch.tensor([float(v["bias"])], dtype=torch.float64)
    if torch_shape(F.conv2d, xt, wt, bias, stride=v["stride"], padding=v["padding"]) is None:
        return None
    out = F.conv2d(xt, wt, bias, stride=v["stride"], padding=v["padding"])
    return (F.relu(out) if v["activation"] == "relu" else out)[0, 0].numpy()


def assert_consistent(ex, x=X, w=W) -> None:
    v = ex.values
    expected = torch_output(x, w, v)
    if expected is None:
        assert ex.state is None and ex.error
        assert "Not a valid configuration" in ex.message.value
        return
    assert ex.error is None, ex.error
    st = ex.state
    np.testing.assert_array_equal(st.output, expected)
    assert st.step == v["step"] < expected.size == st.n_steps
    assert st.value == expected[st.cell]
    assert ex.controls["step"].max == max(expected.size - 1, 1) == ex.play.max
    assert f"step {st.step + 1} of {st.n_steps}" in ex.message.value


def test_every_slider_over_its_range():
    ex = cl.widgets.conv_step_explorer(X, W, bias=-2, render=False)
    for activation in ("relu", "none"):
        ex.controls["activation"].value = activation
        for stride, padding in itertools.product(range(1, 4), range(0, 3)):
            with ex.hold():
                ex.controls["stride"].value, ex.controls["padding"].value = stride, padding
            for bias in range(ex.controls["bias"].min, ex.controls["bias"].max + 1, 3):
                ex.controls["bias"].value = bias
                assert_consistent(ex)
            for step in range(0, 60):  # past the end: the slider clamps
                ex.controls["step"].value = min(step, ex.controls["step"].max)
                assert_consistent(ex)


def test_random_combinations_never_raise():
    ex = cl.widgets.conv_step_explorer(X, W, render=False)
    rng = random.Random(0)
    for _ in range(500):  # the sweep above already covers the whole grid
        randomize(ex, rng)
        assert_consistent(ex)


def test_kernel_larger_than_padded_input_shows_a_message():
    x, w = X[:3, :3], np.ones((5, 5))
    ex = cl.widgets.conv_step_explorer(x, w, padding=1, render=False)
    assert_consistent(ex, x, w)
    ex.controls["padding"].value = 0          # 5x5 kernel on a 3x3 input: refused
    assert_consistent(ex, x, w)
    assert "`kernel_size` too large" in ex.message.value
    ex.controls["padding"].value = 2
    assert_consistent(ex, x, w)
    assert ex.error is None


def test_large_stride_leaves_one_step():
    ex = cl.widgets.conv_step_explorer(X, W, step=8, render=False)
    ex.controls["stride"].value = 3
    assert ex.state.n_steps == 1 and ex.controls["step"].value == 0
    assert ex.controls["step"].disabled


def test_rendering_updates_the_image_in_place():
    ex = cl.widgets.conv_step_explorer(X, W, bias=-2)
    fig, first = ex.fig, bytes(ex.image.value)
    assert first.startswith(PNG_MAGIC)
    ex.controls["step"].value = 4
    assert ex.fig is fig and bytes(ex.image.value) != first
    ex.controls["padding"].value = 2
    assert ex.png.startswith(PNG_MAGIC)
    bundle = ex._repr_mimebundle_()
    assert bundle["text/plain"] == "ConvStepExplorer(step=4, stride=1, padding=2, bias=-2, activation='relu')"
    assert "image/png" in bundle and "application/vnd.jupyter.widget-view+json" in bundle
