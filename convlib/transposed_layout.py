"""Where the cells of a transposed convolution fall, for drawings and explorers.

A transposed convolution with stride ``s``, padding ``p``, output padding
``op`` and dilation ``d`` is a stride-1 convolution (dilation ``d``, flipped
kernel) over a *stretched* input: ``s - 1`` zeros inserted between input
pixels, ``q = d (k - 1) - p`` zeros added on each side (cells cropped where
``q`` is negative), and ``op`` more after (see `convlib.transpose_as_conv`).
`transposed_axis` lists the positions of that picture along one axis, so a
drawing only paints them. Sizes come from `convlib.shapes`, so invalid
combinations raise its ``ValueError``.

Cell categories (`VALUE` < `INSERTED` < `PAD` < `OUTPAD` < `CROPPED`): a 2-D
cell takes the larger of its row's and column's category.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .shapes import conv_transpose_output_size, effective_kernel_size
from .transposed import overlap_counts

__all__ = ["VALUE", "INSERTED", "PAD", "OUTPAD", "CROPPED", "CATEGORY_NAMES",
           "TransposedAxis", "transposed_axis", "transposed_grid", "window_counts",
           "transposed_formula_text", "stretch_text", "uneven_overlap"]

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


def uneven_overlap(kernel_size: int, stride: int) -> bool:
    """Whether a stride-``s`` transposed convolution overlaps unevenly (checkerboard).

    Away from the borders an output gets ``ceil(k / s)`` or ``floor(k / s)`` taps,
    depending on its position: uneven exactly when ``s`` does not divide ``k``.

    >>> uneven_overlap(3, 2), uneven_overlap(4, 2), uneven_overlap(3, 1)
    (True, False, False)
    """
    counts = overlap_counts(kernel_size, stride, 2 * kernel_size + 1)
    interior = counts[kernel_size - 1:len(counts) - kernel_size + 1]
    return bool(np.ptp(interior) > 0)
