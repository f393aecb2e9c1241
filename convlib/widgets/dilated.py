"""Dilated-convolution explorers, drawn in the browser: a kernel with gaps on its input
(``convlib/web/explorers/dilated.js``), and gridding (``gridding.js``).

Their arithmetic is `convlib.dilated.layout.dilated_view` and `gridding_view`'s; the tests
compare the two implementations.
"""
from __future__ import annotations

from collections.abc import Sequence

from .browser import BrowserExplorer, browser_explorer

__all__ = ["dilated_explorer", "gridding_explorer", "PADDING_MODES"]

#: Dropdown label -> `convlib.dilated.layout.dilated_view` mode.
PADDING_MODES = {"padding p (fixed)": "torch", "padding='same'": "same"}


def dilated_explorer(input_size: int = 9, kernel_size: int = 3, dilation: int = 2,
                     stride: int = 1, padding: int = 1, mode: str = "torch",
                     cell: int = 0) -> BrowserExplorer:
    """One dilated ``Conv2d`` (square) in the browser: the kernel drawn with its gaps, the
    window of one output cell on the padded input (``+``: its field's centre), the output
    grid; ``mode`` is ``'torch'`` (explicit ``padding``) or ``'same'``.

    >>> ex = dilated_explorer()
    >>> ex.dilation, ex.mode
    (2, 'torch')
    >>> ex.dilation = 4
    >>> ex.values["dilation"]
    4
    """
    return browser_explorer("dilated", input_size=input_size, kernel_size=kernel_size,
                            dilation=dilation, stride=stride, padding=padding, mode=mode,
                            cell=cell)


def gridding_explorer(dilations: Sequence[int] = (2, 2, 2),
                      kernel_size: int = 3) -> BrowserExplorer:
    """Up to four stacked stride-1 dilated layers in the browser: which pixels of its field
    the centre unit reads, shaded by the number of paths to it (hatched grey: never read).
    Sliders ``layers``, ``d1`` .. ``d4`` and ``kernel_size``.

    >>> ex = gridding_explorer((1, 2, 5))
    >>> ex.layers, ex.d3, ex.d4
    (3, 5, 1)
    """
    ds = [int(d) for d in dilations]
    if not 1 <= len(ds) <= 4:
        raise ValueError(f"`dilations` must hold 1 to 4 rates, got {tuple(dilations)!r}")
    layers, ds = len(ds), ds + [1] * (4 - len(ds))
    return browser_explorer("gridding", layers=layers, d1=ds[0], d2=ds[1], d3=ds[2],
                            d4=ds[3], kernel_size=kernel_size)
