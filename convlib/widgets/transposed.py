"""Transposed-convolution explorers: the stretched input and output (in the browser), and
overlap maps.

The both-directions explorer: a convolution or its transpose, one output's window (a row
of the matrix) or one input's reach (a column, checked three ways).
"""
from __future__ import annotations

import ipywidgets as widgets

from ..draw.transposed import directions_figure, overlap_figure
from ..transposed.directions import (MODES, SELECTIONS, directions_text, directions_view,
                                     DirectionsView)
from ..transposed.layout import overlap_text, overlap_view, OverlapView
from .browser import BrowserExplorer, browser_explorer
from .core import Explorer, fit_index_slider, int_slider

__all__ = ["transposed_explorer", "overlap_explorer", "DirectionsExplorer",
           "both_directions_explorer"]

def transposed_explorer(input_size: int = 3, kernel_size: int = 3, stride: int = 2,
                        padding: int = 1, output_padding: int = 1, dilation: int = 1,
                        cell: int = 0) -> BrowserExplorer:
    """One square ``ConvTranspose2d`` in the browser: the stretched input, the window of one
    output cell and the values each output window holds
    (``convlib/web/explorers/transposed.js``; its arithmetic is
    `convlib.transposed.layout.transposed_view`'s).

    >>> transposed_explorer(output_padding=0).output_padding
    0
    """
    return browser_explorer("transposed", input_size=input_size, kernel_size=kernel_size,
                            stride=stride, padding=padding, output_padding=output_padding,
                            dilation=dilation, cell=cell)


def overlap_explorer(kernel_size: int = 3, stride: int = 2, input_size: int = 4,
                     render: bool = True) -> Explorer:
    """Sliders k, s, i: how many kernel taps land on each output (padding 0).

    >>> ex = overlap_explorer(render=False)
    >>> ex.state.uneven, ex.state.counts.shape
    (True, (9, 9))
    """
    controls = {
        "kernel_size": int_slider("kernel k", kernel_size, 1, 7),
        "stride": int_slider("stride s", stride, 1, 4),
        "input_size": int_slider("input i", input_size, 1, 5),
    }
    fig, update = overlap_figure()

    def draw(view: OverlapView) -> None:
        n = view.counts.shape[0]
        update(view.counts, f"taps per output, {n}×{n} (k={view.kernel_size}, "
                            f"s={view.stride}, i={view.input_size})")

    return Explorer(controls, overlap_view, (fig, draw), overlap_text, render=render)


class DirectionsExplorer(Explorer):
    """Explorer whose cell slider spans the selected grid (outputs or inputs)."""

    def after_compute(self, state: DirectionsView) -> None:
        h, w = state.out_shape if state.select == "output" else state.in_shape
        fit_index_slider(self.controls["cell"], h * w - 1)


def _dropdown(description: str, options, value: str) -> widgets.Dropdown:
    return widgets.Dropdown(options=list(options), value=value, description=description,
                            style={"description_width": "initial"},
                            layout=widgets.Layout(width="200px"))


def both_directions_explorer(input_size: int = 5, kernel_size: int = 3, stride: int = 2,
                             padding: int = 1, dilation: int = 1, mode: str = "conv",
                             select: str = "output", render: bool = True) -> DirectionsExplorer:
    """Sliders for a square convolution (i, k, s, p, d); ``mode`` shows it (``'conv'``) or
    its transpose (``'transposed'``, same k, s, p, d and the output padding that gives back
    ``i``); ``select`` an output (its window: a row of the matrix) or an input (the outputs
    it feeds: a column, equal to the one-hot scatter and to autograd's gradient).

    >>> ex = both_directions_explorer(render=False)
    >>> ex.state.out_shape, int(ex.state.in_mask.sum())
    ((3, 3), 4)
    >>> ex.controls["padding"].value = 3
    >>> ex.error is None, ex.state.out_shape
    (True, (5, 5))
    >>> with ex.hold():
    ...     ex.controls["input_size"].value, ex.controls["kernel_size"].value = 1, 4
    ...     ex.controls["padding"].value = 0
    >>> ex.error
    '`kernel_size` too large: effective kernel 4 is larger than the padded input 1 (input_size=1, padding=0)'
    """
    controls = {
        "mode": _dropdown("mode", MODES, mode),
        "select": _dropdown("select", SELECTIONS, select),
        "input_size": int_slider("conv input i", input_size, 1, 7),
        "kernel_size": int_slider("kernel k", kernel_size, 1, 4),
        "stride": int_slider("stride s", stride, 1, 3),
        "padding": int_slider("padding p", padding, 0, 3),
        "dilation": int_slider("dilation d", dilation, 1, 2),
        "cell": int_slider("cell", 0, 0, 1),
    }
    rows = [["mode", "select", "cell"], ["input_size", "kernel_size", "stride"],
            ["padding", "dilation"]]
    return DirectionsExplorer(controls, directions_view, directions_figure(), directions_text,
                              rows, render)
