"""Dilated-convolution explorers: a kernel with gaps on its input, and gridding."""
from __future__ import annotations

import ipywidgets as widgets

from ..dilated.layout import (DilatedView, GriddingView, dilated_text, dilated_view,
                              gridding_text, gridding_view)
from ..draw.dilated import dilated_figure, gridding_figure
from .core import Explorer, fit_index_slider, int_slider

__all__ = ["DilatedExplorer", "dilated_explorer", "GriddingExplorer", "gridding_explorer",
           "PADDING_MODES"]

#: Dropdown label -> `convlib.dilated.layout.dilated_view` mode.
PADDING_MODES = {"padding p (fixed)": "torch", "padding='same'": "same"}


class DilatedExplorer(Explorer):
    """Explorer whose output-cell slider always spans the current output grid."""

    def after_compute(self, state: DilatedView) -> None:
        last = state.lay_h.output_size * state.lay_w.output_size - 1
        fit_index_slider(self.controls["cell"], last)
        self.controls["padding"].disabled = state.lay_h.mode == "same"


def dilated_explorer(input_size: int = 9, kernel_size: int = 3, dilation: int = 2,
                     stride: int = 1, padding: int = 1, mode: str = "torch",
                     render: bool = True) -> DilatedExplorer:
    """Sliders for one dilated ``Conv2d`` (square): the kernel drawn with its gaps,
    the window of one output cell on the padded input, the output size.

    >>> ex = dilated_explorer(render=False)
    >>> ex.state.mask.shape, ex.state.lay_h.output_size
    ((5, 5), 7)
    >>> ex.controls["dilation"].value = 4
    >>> ex.state.lay_h.output_size
    3
    """
    controls = {
        "input_size": int_slider("input i", input_size, 1, 12),
        "kernel_size": int_slider("kernel k", kernel_size, 1, 5),
        "dilation": int_slider("dilation d", dilation, 1, 4),
        "stride": int_slider("stride s", stride, 1, 3),
        "padding": int_slider("padding p", padding, 0, 4),
        "mode": widgets.Dropdown(options=list(PADDING_MODES.items()), value=mode,
                                 description="padding", style={"description_width": "initial"}),
        "cell": int_slider("output cell", 0, 0, 1),
    }
    rows = [["input_size", "kernel_size", "dilation"], ["stride", "padding", "mode"], ["cell"]]
    return DilatedExplorer(controls, dilated_view, dilated_figure(), dilated_text, rows, render)


def _gridding(layers: int, d1: int, d2: int, d3: int, d4: int, kernel_size: int) -> GriddingView:
    return gridding_view([d1, d2, d3, d4][:layers], kernel_size)


class GriddingExplorer(Explorer):
    """Explorer that greys out the dilation sliders of absent layers."""

    def after_compute(self, state: GriddingView) -> None:
        for n in range(1, 5):
            self.controls[f"d{n}"].disabled = n > len(state.dilations)


def gridding_explorer(dilations=(2, 2, 2), kernel_size: int = 3,
                      render: bool = True) -> GriddingExplorer:
    """Sliders for up to four stacked stride-1 dilated layers: which pixels of its
    field the centre unit reads (white: never).

    >>> ex = gridding_explorer(render=False)
    >>> ex.state.read, ex.state.size
    (49, 13)
    >>> with ex.hold():
    ...     ex.controls["d1"].value, ex.controls["d3"].value = 1, 5
    >>> ex.state.read == ex.state.size ** 2
    True
    """
    ds = list(dilations) + [1] * (4 - len(dilations))
    controls = {
        "layers": int_slider("layers", len(dilations), 1, 4),
        **{f"d{n + 1}": int_slider(f"d{n + 1}", ds[n], 1, 6) for n in range(4)},
        "kernel_size": int_slider("kernel k", kernel_size, 2, 5),
    }
    rows = [["layers", "kernel_size"], ["d1", "d2", "d3", "d4"]]
    return GriddingExplorer(controls, _gridding, gridding_figure(), gridding_text, rows, render)
