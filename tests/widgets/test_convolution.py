"""The step-through explorer's arithmetic (`conv_step`, with the explorer's clamped step)
over every control's range, against torch; a kernel larger than the padded input is refused
with the message the explorer shows; the widget carries the image, the kernel and the
controls (its drawing is tested in Chromium: tests/browser/explorers/test_conv_step.py)."""
from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import convlib as cl
from convlib.convolution.stepping import conv_step
from convlib.sizes.shapes import conv_output_size
from ..torch_oracle import torch_shape

RNG = np.random.default_rng(10)
X = RNG.integers(0, 4, (5, 5)).astype(float)
W = RNG.integers(-1, 2, (3, 3)).astype(float)
#: The explorer's controls: stride 1..3, padding 0..2, bias −5..5, ReLU or none.
STRIDES, PADDINGS, BIASES, ACTIVATIONS = range(1, 4), range(0, 3), range(-5, 6), ("relu", "none")


def explorer_step(x, w, step, stride, padding, bias, activation):
    """What the explorer shows: `conv_step` with the step clamped to the output grid (the
    output-cell slider spans it)."""
    o_h, o_w = conv_output_size(x.shape, w.shape, stride, padding)
    return conv_step(x, w, bias, stride=stride, padding=padding,
                     step=min(step, o_h * o_w - 1), activation=activation)


def torch_output(x, w, v):
    """What torch gives for the explorer's values (None where torch refuses)."""
    xt, wt = torch.from_numpy(x)[None, None], torch.from_numpy(w)[None, None]
    bias = torch.tensor([float(v["bias"])], dtype=torch.float64)
    if torch_shape(F.conv2d, xt, wt, bias, stride=v["stride"], padding=v["padding"]) is None:
        return None
    out = F.conv2d(xt, wt, bias, stride=v["stride"], padding=v["padding"])
    return (F.relu(out) if v["activation"] == "relu" else out)[0, 0].numpy()


def assert_consistent(v: dict, x=X, w=W) -> None:
    expected = torch_output(x, w, v)
    if expected is None:
        with pytest.raises(ValueError, match="`kernel_size` too large"):
            explorer_step(x, w, **v)
        return
    st = explorer_step(x, w, **v)
    np.testing.assert_array_equal(st.output, expected)
    assert st.step == min(v["step"], expected.size - 1) < expected.size == st.n_steps
    assert st.value == expected[st.cell]
    assert st.origin == (st.cell[0] * v["stride"], st.cell[1] * v["stride"])
    assert st.total == float((st.window * w).sum())


def test_every_control_over_its_range():
    for activation, stride, padding in itertools.product(ACTIVATIONS, STRIDES, PADDINGS):
        for bias in BIASES[::3]:
            assert_consistent(dict(step=0, stride=stride, padding=padding, bias=bias,
                                   activation=activation))
        for step in range(0, 60):  # past the end: the slider clamps
            assert_consistent(dict(step=step, stride=stride, padding=padding, bias=-2,
                                   activation=activation))


def test_random_combinations_agree_with_torch():
    rng = random.Random(0)
    for _ in range(500):
        assert_consistent(dict(step=rng.randint(0, 30), stride=rng.choice(STRIDES),
                               padding=rng.choice(PADDINGS), bias=rng.choice(BIASES),
                               activation=rng.choice(ACTIVATIONS)))


def test_kernel_larger_than_padded_input_is_refused():
    x, w = X[:3, :3], np.ones((5, 5))
    for padding in (1, 0, 2):          # 5x5 kernel on a 3x3 input: refused at padding 0
        assert_consistent(dict(step=0, stride=1, padding=padding, bias=0, activation="relu"),
                          x, w)


def test_large_stride_leaves_one_step():
    st = explorer_step(X, W, step=8, stride=3, padding=0, bias=0, activation="relu")
    assert st.n_steps == 1 and st.step == 0


def test_the_widget_carries_the_data_and_the_controls():
    ex = cl.widgets.conv_step_explorer(X, W, bias=-2)
    assert ex.x == X.tolist() and ex.weight == W.tolist()
    ex.step, ex.padding = 4, 2
    assert {k: ex.values[k] for k in ("step", "stride", "padding", "bias", "activation")} == \
        dict(step=4, stride=1, padding=2, bias=-2, activation="relu")
    assert (ex.max_stride, ex.max_padding) == (3, 2)
    data, _ = ex._repr_mimebundle_()
    assert 'data-explorer-static="conv_step"' in data["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in data
    assert cl.widgets.conv_step_explorer(X, W, stride=5).max_stride == 5  # the value fits


@pytest.mark.parametrize("bad, match", [(dict(x=np.ones((1, 5, 5))), "`x` must be a 2-D"),
                                        (dict(weight=np.ones(3)), "`weight` must be a 2-D"),
                                        (dict(activation="tanh"), "`activation` must be one of")])
def test_bad_arguments_are_refused(bad, match):
    with pytest.raises(ValueError, match=match):
        cl.widgets.conv_step_explorer(**{"x": X, "weight": W, **bad})
