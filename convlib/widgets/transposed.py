"""Transposed-convolution explorers, drawn in the browser: the stretched input and output,
overlap maps, and both directions of one matrix (a convolution or its transpose, one
output's window (a row) or one input's reach (a column, checked three ways)).
"""
from __future__ import annotations

from .browser import BrowserExplorer, browser_explorer

__all__ = ["transposed_explorer", "overlap_explorer", "both_directions_explorer"]

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


def overlap_explorer(kernel_size: int = 3, stride: int = 2, input_size: int = 4) -> BrowserExplorer:
    """Sliders k, s, i: how many kernel taps land on each output (padding 0), in the
    browser (``convlib/web/explorers/overlap.js``; its arithmetic is
    `convlib.transposed.layout.overlap_view`'s and its line `overlap_text`).

    >>> ex = overlap_explorer()
    >>> ex.kernel_size, ex.stride, ex.input_size
    (3, 2, 4)
    """
    return browser_explorer("overlap", kernel_size=kernel_size, stride=stride,
                            input_size=input_size)


def both_directions_explorer(input_size: int = 5, kernel_size: int = 3, stride: int = 2,
                             padding: int = 1, dilation: int = 1, mode: str = "conv",
                             select: str = "output", cell: int = 0) -> BrowserExplorer:
    """A square convolution (i, k, s, p, d) in the browser; ``mode`` shows it (``'conv'``)
    or its transpose (``'transposed'``, same k, s, p, d and the output padding that gives
    back ``i``); ``select`` an output (its window: a row of the matrix) or an input (the
    outputs it feeds: a column, equal to the one-hot scatter and to the gradient)
    (``convlib/web/explorers/both_directions.js``; its arithmetic is
    `convlib.transposed.directions.directions_view`'s and its lines `directions_text`).

    >>> ex = both_directions_explorer(mode="transposed", select="input")
    >>> ex.mode, ex.select, ex.cell
    ('transposed', 'input', 0)
    """
    return browser_explorer("both_directions", mode=mode, select=select,
                            input_size=input_size, kernel_size=kernel_size, stride=stride,
                            padding=padding, dilation=dilation, cell=cell)
