"""Transposed-convolution explorers: the stretched input and output, and overlap maps."""
from __future__ import annotations

from ..draw.transposed import overlap_figure, transposed_figure
from ..transposed_layout import (OverlapView, TransposedView, overlap_text, overlap_view,
                                 transposed_text, transposed_view)
from .core import Explorer, fit_index_slider, int_slider

__all__ = ["TransposedExplorer", "transposed_explorer", "overlap_explorer"]


class TransposedExplorer(Explorer):
    """Explorer whose output-cell slider always spans the current output grid."""

    def after_compute(self, state: TransposedView) -> None:
        last = state.lay_h.output_size * state.lay_w.output_size - 1
        fit_index_slider(self.controls["cell"], last)


def transposed_explorer(input_size: int = 3, kernel_size: int = 3, stride: int = 2,
                        padding: int = 1, output_padding: int = 1, dilation: int = 1,
                        render: bool = True) -> TransposedExplorer:
    """Sliders for one ``ConvTranspose2d`` (square): input size, kernel, stride, padding,
    output padding, dilation and the output cell whose window is shown.

    >>> ex = transposed_explorer(render=False)
    >>> ex.state.lay_h.output_size
    6
    >>> ex.controls["output_padding"].value = 2
    >>> ex.error
    '`output_padding` must be smaller than stride or dilation, got output_padding=2, stride=2, dilation=1'
    """
    controls = {
        "input_size": int_slider("input i", input_size, 1, 6),
        "kernel_size": int_slider("kernel k", kernel_size, 1, 5),
        "stride": int_slider("stride s", stride, 1, 4),
        "padding": int_slider("padding p", padding, 0, 4),
        "output_padding": int_slider("output_padding op", output_padding, 0, 3),
        "dilation": int_slider("dilation d", dilation, 1, 3),
        "cell": int_slider("output cell", 0, 0, 1),
    }
    rows = [["input_size", "kernel_size", "stride"], ["padding", "output_padding", "dilation"],
            ["cell"]]
    fig, update = transposed_figure()
    return TransposedExplorer(controls, transposed_view, (fig, lambda v: update(*v)),
                              transposed_text, rows, render)


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

