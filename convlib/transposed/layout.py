"""Where the cells of a transposed convolution fall, for drawings and explorers.

A transposed convolution with stride ``s``, padding ``p``, output padding
``op`` and dilation ``d`` is a stride-1 convolution (dilation ``d``, flipped
kernel) over a *stretched* input: ``s - 1`` zeros inserted between input
pixels, ``q = d (k - 1) - p`` zeros added on each side (cells cropped where
``q`` is negative), and ``op`` more after (see `convlib.transpose_as_conv`).
`transposed_axis` lists the positions of that picture along one axis, so a
drawing only paints them. Sizes come from `convlib.sizes.shapes`, so invalid
combinations raise its ``ValueError``.

Cell categories (`VALUE` < `INSERTED` < `PAD` < `OUTPAD` < `CROPPED`): a 2-D
cell takes the larger of its row's and column's category.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .._validate import positive_int
from ..sizes.shapes import conv_transpose_output_size, effective_kernel_size
from .core import conv_matrix, overlap_counts

__all__ = ["VALUE", "INSERTED", "PAD", "OUTPAD", "CROPPED", "CATEGORY_NAMES",
           "TransposedAxis", "transposed_axis", "transposed_grid", "window_counts",
           "transposed_formula_text", "stretch_text", "interior_counts", "uneven_overlap", "conv_matrix_taps",
           "TransposedView", "transposed_view", "transposed_text", "OverlapView", "overlap_view",
           "overlap_text"]

#: Cell categories of the stretched input (see the module docstring).
VALUE, INSERTED, PAD, OUTPAD, CROPPED = range(5)
CATEGORY_NAMES = ("input value", "inserted zero", "padding zero", "output padding", "cropped (p)")


@dataclass(frozen=True)
class TransposedAxis:
    """One axis of a transposed convolution seen as a stride-1 convolution.

    Drawn index ``0`` is the first cell of the picture: padding when ``q >= 0``,
    else the first cropped cell. ``output_size`` is
    o = (i - 1) s - 2p + d (k - 1) + op + 1.
    """

    input_size: int
    kernel_size: int
    stride: int
    padding: int
    output_padding: int
    dilation: int
    output_size: int

    @property
    def k_eff(self) -> int:
        return effective_kernel_size(self.kernel_size, self.dilation)

    @property
    def spread(self) -> int:
        """Length after zero insertion: ``(i - 1) s + 1``."""
        return (self.input_size - 1) * self.stride + 1

    @property
    def before(self) -> int:
        """Zeros added before (negative: cells cropped): ``q = d (k - 1) - p``."""
        return self.k_eff - 1 - self.padding

    @property
    def after(self) -> int:
        """Zeros added after (negative: cropped): ``q + op``."""
        return self.before + self.output_padding

    @property
    def extent(self) -> int:
        """Cells drawn: the stretched input, its padding and its cropped cells."""
        return self.spread + max(self.before, 0) + max(self.after, 0)

    @property
    def first_active(self) -> int:
        """Drawn index of the first cell the stride-1 convolution reads."""
        return max(-self.before, 0)

    def input_index(self, n: int) -> int:
        """Drawn index of input pixel ``n``."""
        return max(self.before, 0) + n * self.stride

    def taps(self, j: int) -> tuple[int, ...]:
        """Drawn indices read by output ``j`` (tap ``t`` uses kernel entry ``k - 1 - t``)."""
        return tuple(self.first_active + j + t * self.dilation for t in range(self.kernel_size))

    def cells(self) -> np.ndarray:
        """Category of every drawn cell along this axis.

        >>> transposed_axis(2, 3, stride=2, padding=1, output_padding=1).cells().tolist()
        [2, 0, 1, 0, 2, 3]
        """
        cells = np.full(self.extent, PAD, dtype=np.int8)
        lo = max(self.before, 0)
        cells[lo:lo + self.spread] = INSERTED
        cells[[self.input_index(n) for n in range(self.input_size)]] = VALUE
        if self.before < 0:
            cells[:-self.before] = CROPPED
        if self.after < 0:
            cells[self.extent + self.after:] = CROPPED
        elif self.output_padding:  # the last min(op, after) cells exist only because of op
            cells[self.extent - min(self.output_padding, self.after):] = OUTPAD
        return cells


def transposed_axis(input_size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                    output_padding: int = 0, dilation: int = 1) -> TransposedAxis:
    """Layout of one axis; raises `convlib.conv_transpose_output_size`'s ValueErrors.

    >>> lay = transposed_axis(3, 3, stride=2, padding=1, output_padding=1)
    >>> lay.output_size, lay.spread, lay.before, lay.after, lay.extent
    (6, 5, 1, 2, 8)
    >>> lay.taps(0), lay.input_index(2)
    ((0, 1, 2), 5)
    """
    o = conv_transpose_output_size(input_size, kernel_size, stride, padding, output_padding,
                                   dilation)
    return TransposedAxis(input_size, kernel_size, stride, padding, output_padding, dilation, o)


def transposed_grid(lay_h: TransposedAxis, lay_w: TransposedAxis,
                    j: tuple[int, int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Categories of the drawn 2-D cells, and the mask of cells output ``j`` reads.

    >>> cats, taps = transposed_grid(transposed_axis(2, 2, 2), transposed_axis(1, 1), (0, 0))
    >>> cats.ravel().tolist(), taps.ravel().tolist()
    ([2, 0, 1, 0, 2], [True, True, False, False, False])
    """
    rows, cols = lay_h.cells(), lay_w.cells()
    cats = np.maximum(rows[:, None], cols[None, :])
    taps = np.zeros(cats.shape, dtype=bool)
    if j is not None:
        taps[np.ix_(lay_h.taps(j[0]), lay_w.taps(j[1]))] = True
    return cats, taps


def window_counts(lay: TransposedAxis) -> np.ndarray:
    """Input values (not zeros) under each output's window along one axis.

    The outer product of the H and W counts is ``conv_transpose2d`` of an
    all-ones input with an all-ones kernel: the overlap (checkerboard) map,
    here with padding, output padding and dilation.

    >>> window_counts(transposed_axis(4, 3, stride=2)).tolist()
    [1, 1, 2, 1, 2, 1, 2, 1, 1]
    """
    is_value = lay.cells() == VALUE
    return np.array([int(is_value[list(lay.taps(j))].sum()) for j in range(lay.output_size)])


def transposed_formula_text(lay: TransposedAxis, axis: str = "") -> str:
    """The output-size formula of `lay` with its numbers filled in.

    >>> transposed_formula_text(transposed_axis(3, 3, stride=2, padding=1, output_padding=1))
    'o = (i−1)·s − 2p + d·(k−1) + op + 1 = (3−1)·2 − 2·1 + 1·(3−1) + 1 + 1 = 6'
    """
    sub = f"_{axis}" if axis else ""
    return (f"o{sub} = (i−1)·s − 2p + d·(k−1) + op + 1 = ({lay.input_size}−1)·{lay.stride}"
            f" − 2·{lay.padding} + {lay.dilation}·({lay.kernel_size}−1) + {lay.output_padding}"
            f" + 1 = {lay.output_size}")


def stretch_text(lay: TransposedAxis) -> str:
    """How the stretched input of `lay` is built, in words and numbers.

    >>> stretch_text(transposed_axis(3, 3, stride=2, padding=1, output_padding=1))
    '3 inputs + 1 zero between each = 5 cells; q = d·(k−1) − p = 1: pad 1 before, 1 + op 1 after'
    """
    s, q, op = lay.stride, lay.before, lay.output_padding
    zeros = f"{s - 1} zero{'s' if s != 2 else ''}"
    text = f"{lay.input_size} inputs + {zeros} between each = {lay.spread} cells; q = d·(k−1) − p = {q}: "
    if q >= 0:
        return text + f"pad {q} before, {q} + op {op} after"
    after = f"crop {-lay.after} after" if lay.after < 0 else f"pad {lay.after} after (op {op})"
    return text + f"crop {-q} before, {after}"


def interior_counts(kernel_size: int, stride: int) -> tuple[int, ...]:
    """The distinct tap counts of outputs away from the borders, ascending.

    Output ``j`` gets the taps ``m = j - n s`` in ``[0, k)``: ``floor(k / s)`` or
    ``ceil(k / s)`` of them, depending on ``j mod s``.

    >>> interior_counts(3, 2), interior_counts(4, 2), interior_counts(5, 3)
    ((1, 2), (2,), (1, 2))
    """
    k = int(kernel_size)
    counts = overlap_counts(k, stride, 2 * k + 1)
    return tuple(sorted(set(counts[k - 1:len(counts) - k + 1].tolist())))


def uneven_overlap(kernel_size: int, stride: int) -> bool:
    """Whether a stride-``s`` transposed convolution overlaps unevenly (checkerboard):
    exactly when ``s`` does not divide ``k`` (see `interior_counts`).

    >>> uneven_overlap(3, 2), uneven_overlap(4, 2), uneven_overlap(3, 1)
    (True, False, False)
    """
    return len(interior_counts(kernel_size, stride)) > 1


def conv_matrix_taps(input_shape: tuple[int, int], kernel_size: int | tuple[int, int],
                     stride: int = 1, padding: int = 0, dilation: int = 1) -> np.ndarray:
    """Which kernel tap fills each entry of the convolution matrix ``C`` (-1: zero).

    Tap ``(ky, kx)`` has index ``ky kW + kx``; ``C`` is `convlib.conv_matrix`.

    >>> conv_matrix_taps((3, 3), 2)[0].reshape(3, 3)
    array([[ 0,  1, -1],
           [ 2,  3, -1],
           [-1, -1, -1]])
    """
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    ids = np.arange(1, kh * kw + 1, dtype=float).reshape(kh, kw)
    return conv_matrix(tuple(input_shape), ids, stride, padding, dilation).astype(int) - 1


class TransposedView(NamedTuple):
    """What the transposed-convolution explorer draws (square input and kernel)."""
    lay_h: TransposedAxis
    lay_w: TransposedAxis
    j: tuple[int, int]
    counts: np.ndarray


def transposed_view(input_size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                    output_padding: int = 0, dilation: int = 1, cell: int = 0) -> TransposedView:
    """Both axes, output cell ``cell`` (row by row, clamped) and the 2-D window counts.

    >>> v = transposed_view(3, 3, stride=2, padding=1, output_padding=1, cell=7)
    >>> v.j, v.counts.shape, int(v.counts[v.j])
    ((1, 1), (6, 6), 4)
    """
    lay = transposed_axis(input_size, kernel_size, stride, padding, output_padding, dilation)
    o = lay.output_size
    j = divmod(min(max(int(cell), 0), o * o - 1), o)
    per_axis = window_counts(lay)
    return TransposedView(lay, lay, j, np.outer(per_axis, per_axis))


def transposed_text(view: TransposedView) -> str:
    """Description line of the explorer: the formula, the stretching, the current cell.

    >>> print(transposed_text(transposed_view(2, 3, stride=2)))
    o = (i−1)·s − 2p + d·(k−1) + op + 1 = (2−1)·2 − 2·0 + 1·(3−1) + 0 + 1 = 5
    2 inputs + 1 zero between each = 3 cells; q = d·(k−1) − p = 2: pad 2 before, 2 + op 0 after
    output cell (0, 0): its 3×3 window holds 1 input value(s), 8 zero(s)
    """
    k = view.lay_h.kernel_size
    n = int(view.counts[view.j])
    return (f"{transposed_formula_text(view.lay_h)}\n{stretch_text(view.lay_h)}\n"
            f"output cell {view.j}: its {k}×{k} window holds {n} input value(s), "
            f"{k * k - n} zero(s)")


class OverlapView(NamedTuple):
    """Overlap counts of a square transposed convolution (padding 0, dilation 1)."""
    kernel_size: int
    stride: int
    input_size: int
    counts: np.ndarray
    uneven: bool


def overlap_view(kernel_size: int, stride: int, input_size: int) -> OverlapView:
    """`convlib.overlap_counts` for square k, s, i, and whether the overlap is uneven.

    >>> v = overlap_view(3, 2, 3)
    >>> v.counts.shape, v.uneven
    ((7, 7), True)
    >>> overlap_view(3, 2, 0)
    Traceback (most recent call last):
    ...
    ValueError: `input_size` must be a positive int, got 0
    """
    kernel_size, stride = positive_int("kernel_size", kernel_size), positive_int("stride", stride)
    input_size = positive_int("input_size", input_size)
    counts = overlap_counts((kernel_size,) * 2, (stride,) * 2, (input_size,) * 2)
    return OverlapView(kernel_size, stride, input_size, counts,
                       uneven_overlap(kernel_size, stride))


def overlap_text(view: OverlapView) -> str:
    """Description of an overlap map: the counts along one axis and the verdict.

    >>> overlap_text(overlap_view(4, 2, 3))
    'k=4, s=2: counts along one axis 1 1 2 2 2 2 1 1; even inside (s divides k)'
    """
    axis = " ".join(str(v) for v in overlap_counts(view.kernel_size, view.stride,
                                                   view.input_size))
    verdict = ("uneven: checkerboard (s does not divide k)" if view.uneven
               else "even inside (s divides k)")
    return f"k={view.kernel_size}, s={view.stride}: counts along one axis {axis}; {verdict}"
