"""Where the sliding windows fall: the geometry behind the shape formulas.

`axis_layout` turns one axis of a convolution or pooling configuration into
explicit numbers (padding before/after, window starts, taps) so that a
drawing can show them without computing any formula itself. Sizes come from
`convlib.sizes.shapes`; this module only lists positions.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import shapes
from .._validate import positive_int

__all__ = ["MODES", "AxisLayout", "axis_layout", "layouts_2d", "formula_text", "layout_grid",
           "adaptive_windows", "feature_map_view",
           "PAD", "INPUT", "TAP_INPUT", "TAP_PAD", "OVERHANG", "TAP_OVERHANG"]

#: Padding conventions of the explorer (how the padding, hence the size, is chosen; not
#: torch's ``padding_mode``, which only sets the padded values): PyTorch explicit
#: padding, PyTorch 'same', TensorFlow 'SAME' and 'VALID'.
MODES = ("torch", "same", "tf_same", "tf_valid")


@dataclass(frozen=True)
class AxisLayout:
    """One axis of a sliding-window operation, in padded coordinates.

    Input pixel ``x`` sits at padded index ``pad_before + x``. Window ``j``
    reads the padded indices ``starts[j] + d * t`` for ``t = 0 .. k - 1``.
    ``extent`` is the number of padded cells drawn: ``pad_before + i +
    pad_after``, longer when a ``ceil_mode`` window hangs past the padding.
    """

    input_size: int
    kernel_size: int
    stride: int
    dilation: int
    pad_before: int
    pad_after: int
    output_size: int
    mode: str
    op: str
    ceil_mode: bool

    @property
    def starts(self) -> tuple[int, ...]:
        return tuple(j * self.stride for j in range(self.output_size))

    def taps(self, j: int) -> tuple[int, ...]:
        """Padded indices read by output ``j``."""
        return tuple(self.starts[j] + self.dilation * t for t in range(self.kernel_size))

    @property
    def extent(self) -> int:
        last = self.taps(self.output_size - 1)[-1] + 1
        return max(self.pad_before + self.input_size + self.pad_after, last)


def axis_layout(input_size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                dilation: int = 1, *, mode: str = "torch", op: str = "conv",
                ceil_mode: bool = False) -> AxisLayout:
    """Layout of one axis; raises the same ValueErrors as `convlib.sizes.shapes`.

    ``mode`` is one of `MODES` (``padding`` is used by ``'torch'`` only);
    ``op`` is ``'conv'`` or ``'pool'`` (max pooling, where ``ceil_mode`` applies
    and ``'same'`` / TF modes are not offered, as in PyTorch).

    >>> lay = axis_layout(7, 5, stride=3, mode="tf_same")
    >>> lay.pad_before, lay.pad_after, lay.starts
    (2, 2, (0, 3, 6))
    """
    if mode not in MODES:
        raise ValueError(f"`mode` must be one of {MODES}, got {mode!r}")
    if op not in ("conv", "pool"):
        raise ValueError(f"`op` must be 'conv' or 'pool', got {op!r}")
    if op == "pool" and mode != "torch":
        raise ValueError(f"`mode`={mode!r} applies to convolution; pooling takes explicit padding")
    if ceil_mode and op != "pool":
        raise ValueError("`ceil_mode` applies to pooling only")
    if mode == "torch":
        before = after = padding
        if op == "pool":
            o = shapes.pool_output_size(input_size, kernel_size, stride, padding,
                                        dilation, ceil_mode=ceil_mode)
        else:
            o = shapes.conv_output_size(input_size, kernel_size, stride, padding, dilation)
    elif mode == "same":
        o = shapes.conv_output_size(input_size, kernel_size, stride, "same", dilation)
        before, after = shapes.same_padding(kernel_size, dilation)
    else:
        tf_mode = "SAME" if mode == "tf_same" else "VALID"
        o, before, after = shapes.tf_padding(input_size, kernel_size, stride, dilation, tf_mode)
    return AxisLayout(input_size, kernel_size, positive_int("stride", stride), dilation,
                      before, after, o, mode, op, ceil_mode)


def formula_text(lay: AxisLayout, axis: str = "") -> str:
    """The output-size formula of `lay` with its numbers filled in.

    >>> formula_text(axis_layout(7, 5, stride=3, padding=1))
    'o = ⌊(7 + 2·1 − 1·(5−1) − 1) / 3⌋ + 1 = 2'
    >>> formula_text(axis_layout(6, 4, mode="same"))
    'o = i = 6,  total pad = d·(k−1) = 1·(4−1) = 3 → 1 before + 2 after'
    >>> formula_text(axis_layout(7, 2, 2, 1, op="pool", ceil_mode=True))
    'o = ⌈(7 + 2·1 − 1·(2−1) − 1) / 2⌉ + 1 = 5;  but window 4 would start at 8 ≥ i + p = 8, in the right padding: drop it → o = 4'
    """
    o, i, k, s, d = lay.output_size, lay.input_size, lay.kernel_size, lay.stride, lay.dilation
    sub = f"_{axis}" if axis else ""
    if lay.mode == "same":
        return (f"o{sub} = i = {i},  total pad = d·(k−1) = {d}·({k}−1) = {d * (k - 1)}"
                f" → {lay.pad_before} before + {lay.pad_after} after")
    if lay.mode == "tf_same":
        return (f"o{sub} = ⌈{i} / {s}⌉ = {o},  total pad = max(({o}−1)·{s} + {d * (k - 1) + 1} − {i}, 0)"
                f" = {lay.pad_before + lay.pad_after} → {lay.pad_before} + {lay.pad_after}")
    if lay.mode == "tf_valid":
        return f"o{sub} = ⌈({i} − {d * (k - 1) + 1} + 1) / {s}⌉ = {o}"
    p = lay.pad_before
    if lay.ceil_mode:
        text = f"o{sub} = ⌈({i} + 2·{p} − {d}·({k}−1) − 1) / {s}⌉ + 1"
        plain = -(-(i + 2 * p - d * (k - 1) - 1) // s) + 1
        if plain == o:
            return f"{text} = {o}"
        return (f"{text} = {plain};  but window {plain - 1} would start at {(plain - 1) * s}"
                f" ≥ i + p = {i + p}, in the right padding: drop it → o{sub} = {o}")
    return f"o{sub} = ⌊({i} + 2·{p} − {d}·({k}−1) − 1) / {s}⌋ + 1 = {o}"


#: Cell categories of `layout_grid` (indices into `convlib.draw.PALETTE` colours).
PAD, INPUT, TAP_INPUT, TAP_PAD, OVERHANG, TAP_OVERHANG = range(6)


def _axis_cells(lay: AxisLayout, j: int) -> tuple[np.ndarray, np.ndarray]:
    cells = np.full(lay.extent, PAD, dtype=np.int8)
    cells[lay.pad_before:lay.pad_before + lay.input_size] = INPUT
    cells[lay.pad_before + lay.input_size + lay.pad_after:] = OVERHANG
    tapped = np.zeros(lay.extent, dtype=bool)
    tapped[list(lay.taps(j))] = True
    return cells, tapped


def layout_grid(lay_h: AxisLayout, lay_w: AxisLayout, j: tuple[int, int] = (0, 0)) -> np.ndarray:
    """Category of every padded cell (rows x cols), with window ``j`` marked.

    Categories: `PAD`, `INPUT`, `OVERHANG` (a ``ceil_mode`` window reading
    past the padding) and ``TAP_*`` for the cells that window ``j`` reads.

    >>> g = layout_grid(axis_layout(2, 2, padding=1), axis_layout(1, 1))
    >>> g.ravel().tolist()
    [3, 2, 1, 0]
    """
    rows, taps_h = _axis_cells(lay_h, j[0])
    cols, taps_w = _axis_cells(lay_w, j[1])
    base = np.where((rows[:, None] == OVERHANG) | (cols[None, :] == OVERHANG), OVERHANG,
                    np.where((rows[:, None] == PAD) | (cols[None, :] == PAD), PAD, INPUT))
    tapped = taps_h[:, None] & taps_w[None, :]
    as_tap = np.select([base == PAD, base == INPUT], [TAP_PAD, TAP_INPUT], TAP_OVERHANG)
    return np.where(tapped, as_tap, base).astype(np.int8)


def layouts_2d(input_size: tuple[int, int], kernel_size: tuple[int, int], stride: int = 1,
               padding: int = 0, dilation: int = 1, *, mode: str = "torch", op: str = "conv",
               ceil_mode: bool = False) -> tuple[AxisLayout, AxisLayout]:
    """`axis_layout` for the H and W axes (stride, padding, dilation shared)."""
    kw = dict(mode=mode, op=op, ceil_mode=ceil_mode)
    return (axis_layout(input_size[0], kernel_size[0], stride, padding, dilation, **kw),
            axis_layout(input_size[1], kernel_size[1], stride, padding, dilation, **kw))


def adaptive_windows(input_size: int, output_size: int) -> list[tuple[int, int]]:
    """The ``[start, end)`` window of each output of an adaptive pooling layer, along one axis.

    start_j = floor(j i / o),  end_j = ceil((j + 1) i / o),  j = 0 .. o - 1

    as ``AdaptiveAvgPool2d`` and ``AdaptiveMaxPool2d`` compute them: the windows cover
    the input, have nearly equal sizes, and overlap when ``o`` does not divide ``i``.

    >>> adaptive_windows(7, 3)
    [(0, 3), (2, 5), (4, 7)]
    >>> adaptive_windows(6, 1)
    [(0, 6)]
    """
    i, o = positive_int("input_size", input_size), positive_int("output_size", output_size)
    return [(j * i // o, -(-(j + 1) * i // o)) for j in range(o)]


def feature_map_view(H: int, W: int, kH: int, kW: int, stride: int, padding: int,
                     dilation: int, mode: str, op: str, ceil_mode: bool, window: int
                     ) -> tuple[AxisLayout, AxisLayout, tuple[int, int]]:
    """What the feature-map explorer shows: both axes' layouts and the output cell
    ``j = divmod(min(window, o_H·o_W − 1), o_W)`` whose window is drawn (``ceil_mode``
    applies to pooling only).

    >>> lay_h, lay_w, j = feature_map_view(7, 6, 3, 2, 2, 1, 1, "torch", "conv", False, 5)
    >>> lay_h.output_size, lay_w.output_size, j
    (4, 4, (1, 1))
    """
    lay_h, lay_w = layouts_2d((H, W), (kH, kW), stride, padding, dilation, mode=mode,
                              op=op, ceil_mode=ceil_mode and op == "pool")
    j = divmod(min(window, lay_h.output_size * lay_w.output_size - 1), lay_w.output_size)
    return lay_h, lay_w, j
