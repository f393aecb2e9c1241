"""Step-through explorer: one output value at a time (window, products, sum, bias, ReLU)."""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..draw.convolution import conv_step_figure
from ..sizes.shapes import conv_output_size
from ..convolution.stepping import ConvStep, conv_step
from ..sizes.windows import axis_layout, formula_text
from .core import Explorer, fit_index_slider, int_slider

__all__ = ["ConvStepExplorer", "conv_step_explorer"]


class ConvStepExplorer(Explorer):
    """Explorer whose step slider (and ▶ button) always spans the current output grid."""

    def after_compute(self, state: ConvStep) -> None:
        last = state.n_steps - 1
        step = self.controls["step"]
        fit_index_slider(step, last)
        if hasattr(self, "play"):  # jslink keeps them in step in a browser; this, in the kernel
            self.play.max = step.max


def _describe(state: ConvStep) -> str:
    (h, w), (kh, kw) = state.input_shape, state.kernel.shape[1:]
    sizes = [formula_text(axis_layout(h, kh, state.stride, state.padding), "H")]
    if (w, kw) != (h, kh):
        sizes.append(formula_text(axis_layout(w, kw, state.stride, state.padding), "W"))
    return (f"step {state.step + 1} of {state.n_steps}: output cell {state.cell}, window starts at "
            f"padded row {state.origin[0]}, col {state.origin[1]} (stride {state.stride})\n"
            + state.equation() + "\n" + "\n".join(sizes))


def conv_step_explorer(x: np.ndarray, weight: np.ndarray, bias: int = 0, *, step: int = 0,
                       stride: int = 1, padding: int = 0, activation: str = "relu",
                       max_stride: int = 3, max_padding: int = 2,
                       render: bool = True) -> ConvStepExplorer:
    """Step through a one-channel convolution, window by window.

    Sliders: the output cell (with a ▶ play button), stride, padding and bias;
    buttons: ReLU or no activation. Each step shows the window on the input,
    the kernel, the products and their sum, and the output filled so far.
    ``x`` is ``(H, W)``, ``weight`` ``(k_H, k_W)``. A kernel larger than the
    padded input shows a message instead of a picture.

    >>> ex = conv_step_explorer(np.arange(25.0).reshape(5, 5), np.ones((3, 3)), render=False)
    >>> ex.controls["step"].value = 4; ex.state.cell, ex.state.value
    ((1, 1), 108.0)
    >>> ex.controls["stride"].value = 3; ex.state.n_steps, ex.state.step
    (1, 0)
    """
    x, weight = np.asarray(x, float), np.asarray(weight, float)

    def compute(step, stride, padding, bias, activation):
        o_h, o_w = conv_output_size(x.shape[-2:], weight.shape[-2:], stride, padding)
        return conv_step(x, weight, bias, stride=stride, padding=padding,
                         step=min(step, o_h * o_w - 1), activation=activation)

    controls = {
        "step": int_slider("output cell", step, 0, max(step, 1)),
        "stride": int_slider("stride s", stride, 1, max(max_stride, stride)),
        "padding": int_slider("padding p", padding, 0, max(max_padding, padding)),
        "bias": int_slider("bias b", bias, min(-5, bias), max(5, bias)),
        "activation": widgets.ToggleButtons(options=[("ReLU", "relu"), ("none", "none")],
                                            value=activation, description="activation",
                                            style={"button_width": "70px"}),
    }
    play = widgets.Play(min=0, max=1, interval=900, description="step through the windows")
    widgets.jslink((play, "value"), (controls["step"], "value"))
    widgets.jslink((controls["step"], "max"), (play, "max"))
    rows = [["step"], ["stride", "padding", "bias", "activation"]]
    ex = ConvStepExplorer(controls, compute, conv_step_figure(), _describe, rows, render)
    ex.play = play
    ex.after_compute(ex.state)
    ex.panel.children = (widgets.HBox([play, ex.panel.children[0]]), *ex.panel.children[1:])
    return ex
