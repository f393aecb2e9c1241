"""The named cases of Dumoulin & Visin's guide, padding regimes, and the map from a
convolution to its transposed counterpart.

Notation (SYLLABUS.md): input ``i``, kernel ``k``, stride ``s``, padding ``p``, dilation
``d``, output padding ``op``. A `Case` stores per-axis ``(H, W)`` pairs; sizes are never
typed in: `Case.output_size` comes from `convlib.sizes.shapes`. `case_view` lists the cells of
one frame (which cells are input values, inserted zeros, padding; which the window of an
output cell reads) for `convlib.draw.sizes` to paint.
"""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .._validate import IntOrTuple, nonneg_int, positive_int
from ..sizes.shapes import (_over_axes, conv_output_size, conv_transpose_output_size,
                            output_padding_for)
from ..sizes.windows import INPUT, TAP_INPUT, TAP_PAD, axis_layout, layout_grid
from .layout import CROPPED, INSERTED, OUTPAD, PAD, VALUE, transposed_axis, transposed_grid

__all__ = ["Case", "CANONICAL_CASES", "GUIDE_CASES", "padding_regime", "Counterpart",
           "transposed_counterpart", "transposed_case", "CaseView", "case_view", "case_cells",
           "frame_cells",
           "case_text", "VALUE", "INSERTED", "PAD", "OUTPAD", "CROPPED"]

Pair = tuple[int, int]


def _pair(value: IntOrTuple) -> Pair:
    return tuple(value) if isinstance(value, tuple) else (value, value)


class Case(NamedTuple):
    """One convolution (or transposed convolution) configuration, per axis ``(H, W)``.

    ``padding`` may be ``'same'`` for a stride-1 convolution (PyTorch pads the extra
    pixel of an even kernel after: asymmetric padding).
    """
    name: str
    input_size: Pair
    kernel_size: Pair
    stride: Pair = (1, 1)
    padding: Pair | str = (0, 0)
    dilation: Pair = (1, 1)
    transposed: bool = False
    output_padding: Pair = (0, 0)

    @property
    def output_size(self) -> Pair:
        if self.transposed:
            return conv_transpose_output_size(self.input_size, self.kernel_size, self.stride,
                                              self.padding, self.output_padding, self.dilation)
        return conv_output_size(self.input_size, self.kernel_size, self.stride, self.padding,
                                self.dilation)

    def torch_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``F.conv2d`` / ``F.conv_transpose2d`` for this case."""
        kw = dict(stride=self.stride, padding=self.padding, dilation=self.dilation)
        if self.transposed:
            kw["output_padding"] = self.output_padding
        return kw


def _conv(name: str, i: IntOrTuple, k: IntOrTuple, s: IntOrTuple = 1, p: IntOrTuple | str = 0,
          d: IntOrTuple = 1) -> Case:
    return Case(name, _pair(i), _pair(k), _pair(s), p if isinstance(p, str) else _pair(p),
                _pair(d))


def transposed_case(case: Case) -> Case:
    """The transposed convolution that maps ``case``'s output back to its input size:
    same k, s, p, d, and ``op = (i + 2p - d(k - 1) - 1) mod s`` (`output_padding_for`).

    >>> transposed_case(GUIDE_CASES["padding_strides_odd"]).output_padding
    (1, 1)
    """
    if case.transposed or isinstance(case.padding, str):
        raise ValueError(f"`case` must be a convolution with explicit padding, got {case.name!r}")
    op = output_padding_for(case.input_size, case.kernel_size, case.stride, case.padding,
                            case.dilation)
    return Case(case.name + "_transposed", case.output_size, case.kernel_size, case.stride,
                case.padding, case.dilation, True, op)


_GUIDE = [
    _conv("no_padding_no_strides", 4, 3),
    _conv("arbitrary_padding_no_strides", 5, 4, p=2),
    _conv("same_padding_no_strides", 5, 3, p=1),
    _conv("full_padding_no_strides", 5, 3, p=2),
    _conv("no_padding_strides", 5, 3, s=2),
    _conv("padding_strides", 5, 3, s=2, p=1),
    _conv("padding_strides_odd", 6, 3, s=2, p=1),
    _conv("dilation", 7, 3, d=2),
]
_VARIANTS = [  # what the guide does not draw
    _conv("non_square", (5, 7), (3, 2), s=(2, 1), p=(1, 0)),
    _conv("dilation_strides", 7, 3, s=2, p=1, d=2),
]

#: The guide's eight convolutions (dilation included), by name.
GUIDE_CASES: dict[str, Case] = {c.name: c for c in _GUIDE}

#: Every named case: the guide's convolutions and their transposed counterparts, a
#: non-square and a dilated-strided variant with theirs, and PyTorch's asymmetric
#: ``padding='same'`` for an even kernel.
CANONICAL_CASES: dict[str, Case] = {
    c.name: c for c in [*_GUIDE, *_VARIANTS,
                        *(transposed_case(c) for c in [*_GUIDE, *_VARIANTS]),
                        _conv("asymmetric_same_padding", (5, 6), (4, 3), p="same")]}


def _regime(kernel_size: int, padding: int, dilation: int) -> str:
    k, d = positive_int("kernel_size", kernel_size), positive_int("dilation", dilation)
    p = nonneg_int("padding", padding)
    span = d * (k - 1)
    if p == 0:
        return "valid"
    if 2 * p == span:
        return "same"
    if p == span:
        return "full"
    return "arbitrary"


def padding_regime(kernel_size: IntOrTuple, padding: IntOrTuple,
                   dilation: IntOrTuple = 1) -> str | tuple[str, ...]:
    """Name of a padding: ``'valid'`` (p = 0), ``'same'`` (half: 2p = d(k - 1), so o = i at
    stride 1), ``'full'`` (p = d(k - 1): every window touching the input, o = i + d(k - 1)),
    else ``'arbitrary'``. With k_eff = 1 all three coincide; that is reported as ``'valid'``.

    >>> padding_regime(3, 0), padding_regime(3, 1), padding_regime(3, 2), padding_regime(4, 2)
    ('valid', 'same', 'full', 'arbitrary')
    >>> padding_regime((3, 3), (2, 4), dilation=(1, 2))
    ('full', 'full')
    """
    return _over_axes(_regime, kernel_size=kernel_size, padding=padding, dilation=dilation)


class Counterpart(NamedTuple):
    """The stride-1 convolution that equals a convolution's transposed counterpart."""
    input_size: IntOrTuple        # the convolution's output o
    zeros_inserted: IntOrTuple    # s - 1 between neighbouring inputs
    stretched_size: IntOrTuple    # (o - 1) s + 1
    kernel_size: IntOrTuple       # k' = k (flipped)
    stride: IntOrTuple            # s' = 1
    padding: IntOrTuple           # p' = d (k - 1) - p on both sides (negative: crop)
    extra: IntOrTuple             # a = op, added after (bottom / right)
    dilation: IntOrTuple          # d' = d
    output_size: IntOrTuple       # the convolution's input i


def _counterpart_axis(input_size, kernel_size, stride, padding, dilation) -> Counterpart:
    o = conv_output_size(input_size, kernel_size, stride, padding, dilation)
    a = output_padding_for(input_size, kernel_size, stride, padding, dilation)
    return Counterpart(o, stride - 1, (o - 1) * stride + 1, kernel_size, 1,
                       dilation * (kernel_size - 1) - padding, a, dilation, input_size)


def transposed_counterpart(input_size: IntOrTuple, kernel_size: IntOrTuple,
                           stride: IntOrTuple = 1, padding: IntOrTuple = 0,
                           dilation: IntOrTuple = 1) -> Counterpart:
    """The closed-form map from a convolution (i, k, s, p, d) to its transposed counterpart
    ``ConvTranspose2d(k, s, p, output_padding=a, dilation=d)`` seen as a stride-1 convolution:

    k' = k (flipped),  s' = 1,  p' = d (k - 1) - p,  s - 1 zeros inserted,
    a = (i + 2p - d (k - 1) - 1) mod s  more zeros after,  dilation d' = d

    over the convolution's output ``o``, stretched to ``(o - 1) s + 1``; the result has
    the size ``i`` of the convolution's input. With tuples, every field is per axis.

    >>> transposed_counterpart(6, 3, stride=2, padding=1)
    Counterpart(input_size=3, zeros_inserted=1, stretched_size=5, kernel_size=3, stride=1, padding=1, extra=1, dilation=1, output_size=6)
    >>> transposed_counterpart((7, 5), 3, stride=(2, 1), dilation=(2, 1)).padding
    (4, 2)
    """
    axes = _over_axes(_counterpart_axis, input_size=input_size, kernel_size=kernel_size,
                      stride=stride, padding=padding, dilation=dilation)
    if isinstance(axes, Counterpart):
        return axes
    return Counterpart(*(tuple(field) for field in zip(*axes)))


# ------------------------------------------------------------- frames to draw

class CaseView(NamedTuple):
    """One frame of a case: cell categories (`VALUE`, `INSERTED`, `PAD`, `OUTPAD`,
    `CROPPED`), the cells output ``j`` reads, the output's shape."""
    case: Case
    cells: np.ndarray
    taps: np.ndarray
    output_shape: Pair
    j: Pair


def _conv_layouts(case: Case):
    if isinstance(case.padding, str):
        return [axis_layout(case.input_size[a], case.kernel_size[a], case.stride[a],
                            dilation=case.dilation[a], mode=case.padding) for a in (0, 1)]
    return [axis_layout(case.input_size[a], case.kernel_size[a], case.stride[a],
                        case.padding[a], case.dilation[a]) for a in (0, 1)]


def case_cells(case: Case | str) -> int:
    """How many output cells (frames) a case has.

    >>> case_cells("non_square")
    18
    """
    oh, ow = _named(case).output_size
    return oh * ow


def frame_cells(case: Case, frames: int) -> list[int]:
    """``frames`` output cells to animate, evenly spread over all of them (first and last
    included); every cell, cycling, when the case has fewer.

    >>> frame_cells(CANONICAL_CASES["full_padding_no_strides"], 5)
    [0, 12, 24, 36, 48]
    >>> frame_cells(CANONICAL_CASES["no_padding_strides"], 6)
    [0, 1, 2, 3, 0, 1]
    """
    n, f = case_cells(case), positive_int("frames", frames)
    if n <= f:
        return [t % n for t in range(f)]
    return [int(c) for c in np.linspace(0, n - 1, f).round()]


def _named(case: Case | str) -> Case:
    if isinstance(case, Case):
        return case
    if not isinstance(case, str) or case not in CANONICAL_CASES:
        raise ValueError(f"`case` must be a Case or one of {sorted(CANONICAL_CASES)}, got {case!r}")
    return CANONICAL_CASES[case]


def case_view(case: Case | str, cell: int = 0) -> CaseView:
    """The frame of ``case`` (a `Case` or a name in `CANONICAL_CASES`) for output cell
    ``cell`` (row by row, clamped). A convolution draws its padded input; a transposed
    one its stretched input (zeros inserted, padded by p' and a, see
    `transposed_counterpart`), read by a stride-1 window.

    >>> v = case_view("padding_strides_odd_transposed", cell=8)
    >>> v.cells.shape, v.output_shape, v.j
    ((8, 8), (6, 6), (1, 2))
    """
    case = _named(case)
    oh, ow = case.output_size
    j = divmod(min(max(int(cell), 0), oh * ow - 1), ow)
    if case.transposed:
        lays = [transposed_axis(case.input_size[a], case.kernel_size[a], case.stride[a],
                                case.padding[a], case.output_padding[a], case.dilation[a])
                for a in (0, 1)]
        cells, taps = transposed_grid(*lays, j)
        return CaseView(case, cells.astype(np.int8), taps, (oh, ow), j)
    grid = layout_grid(*_conv_layouts(case), j)
    value = (grid == INPUT) | (grid == TAP_INPUT)
    taps = (grid == TAP_INPUT) | (grid == TAP_PAD)
    cells = np.where(value, VALUE, PAD).astype(np.int8)
    return CaseView(case, cells, taps, (oh, ow), j)


def case_text(view: CaseView) -> str:
    """A short title: the name and the numbers, per axis when they differ.

    >>> case_text(case_view("padding_strides"))
    'padding_strides: i=5, k=3, s=2, p=1 → o=3'
    """
    c = view.case

    def show(v):
        return v if isinstance(v, str) else (v[0] if v[0] == v[1] else f"({v[0]},{v[1]})")

    parts = [f"i={show(c.input_size)}", f"k={show(c.kernel_size)}", f"s={show(c.stride)}",
             f"p={show(c.padding)}"]
    if c.dilation != (1, 1):
        parts.append(f"d={show(c.dilation)}")
    if c.transposed and c.output_padding != (0, 0):
        parts.append(f"op={show(c.output_padding)}")
    return f"{c.name}: {', '.join(parts)} → o={show(view.output_shape)}"
