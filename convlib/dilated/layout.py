"""Dilated convolution geometry for drawings: taps with gaps, where a field sits, gridding.

Notation (SYLLABUS.md): kernel ``k``, dilation ``d`` (``d - 1`` gaps between
taps), effective kernel ``k_eff = k + (k - 1)(d - 1)``, stride ``s``, padding
``p``. Windows come from `convlib.sizes.windows.axis_layout` and kernel masks from
`convlib.dilated.masks.dilated_kernel_mask`; this module only combines them into
what a picture or a one-line description needs. Invalid combinations raise
the ``ValueError`` of `convlib.sizes.shapes`.
"""
from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from ..sizes.shapes import effective_kernel_size
from ..sizes.windows import AxisLayout, axis_layout, formula_text
from .masks import dilated_kernel_mask, gridding_mask

__all__ = ["DilatedView", "dilated_view", "field_centre", "k_eff_text", "dilated_text",
           "GriddingView", "gridding_view", "stack_field_text", "gridding_text", "holes_1d"]


class DilatedView(NamedTuple):
    """One dilated conv layer: per-axis layouts, the output cell ``j`` shown, the
    kernel's tap mask (``k_eff x k_eff``) and the centre of ``j``'s field (input coords)."""
    lay_h: AxisLayout
    lay_w: AxisLayout
    j: tuple[int, int]
    mask: np.ndarray
    centre: tuple[float, float]


def field_centre(lay: AxisLayout, j: int) -> float:
    """Input coordinate of the centre of output ``j``'s window (padding shifts it).

    centre = j s + d (k - 1) / 2 - p_before

    >>> field_centre(axis_layout(9, 3, padding=1, dilation=3), 0)
    2
    >>> field_centre(axis_layout(9, 3, dilation=3, mode="same"), 0)
    0
    """
    taps = lay.taps(j)
    c = Fraction(taps[0] + taps[-1], 2) - lay.pad_before
    return int(c) if c.denominator == 1 else float(c)


def dilated_view(input_size: int, kernel_size: int, dilation: int = 1, stride: int = 1,
                 padding: int = 0, mode: str = "torch", cell: int = 0) -> DilatedView:
    """Everything the dilated-convolution explorer draws, for a square input and kernel.

    ``mode`` is ``'torch'`` (explicit ``padding``) or ``'same'``; ``cell`` indexes
    the output cells row by row (clamped to the last one).

    >>> v = dilated_view(7, 3, dilation=2, padding=1, cell=4)
    >>> v.lay_h.output_size, v.j, v.mask.shape, v.centre
    (5, (0, 4), (5, 5), (1, 5))
    """
    if mode not in ("torch", "same"):
        raise ValueError(f"`mode` must be 'torch' or 'same', got {mode!r}")
    lay = axis_layout(input_size, kernel_size, stride, padding, dilation, mode=mode)
    o = lay.output_size
    j = divmod(min(max(int(cell), 0), o * o - 1), o)
    return DilatedView(lay, lay, j, dilated_kernel_mask((kernel_size,) * 2, (dilation,) * 2),
                       (field_centre(lay, j[0]), field_centre(lay, j[1])))


def k_eff_text(kernel_size: int, dilation: int) -> str:
    """The effective kernel size with numbers.

    >>> k_eff_text(3, 2)
    'k_eff = k + (k−1)(d−1) = 3 + 2·1 = 5'
    """
    k_eff = effective_kernel_size(kernel_size, dilation)
    return f"k_eff = k + (k−1)(d−1) = {kernel_size} + {kernel_size - 1}·{dilation - 1} = {k_eff}"


def dilated_text(view: DilatedView) -> str:
    """Description line of the explorer: k_eff, the output size, the field of cell j.

    >>> print(dilated_text(dilated_view(7, 3, dilation=2, padding=1)))
    k_eff = k + (k−1)(d−1) = 3 + 2·1 = 5
    o = ⌊(7 + 2·1 − 2·(3−1) − 1) / 1⌋ + 1 = 5
    output cell (0, 0) reads a 5×5 span centred on input pixel (1, 1)
    """
    lay = view.lay_h
    k_eff = effective_kernel_size(lay.kernel_size, lay.dilation)
    where = f"({view.centre[0]}, {view.centre[1]})"
    return (f"{k_eff_text(lay.kernel_size, lay.dilation)}\n{formula_text(lay)}\n"
            f"output cell {view.j} reads a {k_eff}×{k_eff} span centred on input pixel {where}")


class GriddingView(NamedTuple):
    """Paths from the centre unit of a dilated stack to each pixel of its field."""
    dilations: tuple[int, ...]
    kernel_size: int
    counts: np.ndarray

    @property
    def read(self) -> int:
        return int((self.counts > 0).sum())

    @property
    def size(self) -> int:
        return self.counts.shape[0]

    @property
    def unread_fraction(self) -> float:
        """Share of the field's box never read: holes / RF²."""
        return 1 - self.read / self.counts.size


def gridding_view(dilations: Sequence[int], kernel_size: int = 3) -> GriddingView:
    """`gridding_mask` of an unpadded stride-1 stack, with what the text needs.

    >>> v = gridding_view([2, 2, 2])
    >>> v.size, v.read
    (13, 49)
    """
    ds = tuple(int(d) for d in dilations) if isinstance(dilations, Sequence) else dilations
    counts = gridding_mask(ds, kernel_size)
    return GriddingView(ds, kernel_size, counts)


def stack_field_text(dilations: Sequence[int], kernel_size: int = 3) -> str:
    """The field of a stride-1 dilated stack, with numbers.

    RF = 1 + (k − 1) Σ d

    >>> stack_field_text([1, 2, 4])
    'RF = 1 + (k−1)·Σd = 1 + 2·(1+2+4) = 15'
    """
    ds = [int(d) for d in dilations]
    field = 1 + (kernel_size - 1) * sum(ds)
    return f"RF = 1 + (k−1)·Σd = 1 + {kernel_size - 1}·({'+'.join(map(str, ds))}) = {field}"


def gridding_text(view: GriddingView) -> str:
    """RF size with numbers, and how much of the field the centre unit reads.

    >>> gridding_text(gridding_view([2, 2, 2]))
    'RF = 1 + (k−1)·Σd = 1 + 2·(2+2+2) = 13;  reads 49 of 169 pixels, 120 holes (71% never read)'
    """
    total = view.size ** 2
    return (f"{stack_field_text(view.dilations, view.kernel_size)};  reads {view.read} of {total} pixels, "
            f"{total - view.read} holes ({view.unread_fraction:.0%} never read)")


def holes_1d(dilations: Sequence[int], kernel_size: int = 3) -> list[int]:
    """Offsets from the centre, along one axis, that a dilated stack never reads.

    >>> holes_1d([1, 5])
    [-3, -2, 2, 3]
    >>> holes_1d([1, 2, 5])
    []
    """
    counts = gridding_mask(list(dilations), (kernel_size, 1))[:, 0]
    centre = (len(counts) - 1) // 2
    return [int(i) - centre for i in np.flatnonzero(counts == 0)]
