"""Both directions of a convolution: the window an output reads (a row of the matrix) and
the outputs an input pixel feeds (a column), for a convolution and for its transpose.

A convolution (i, k, s, p, d) on one square channel is ``y = C x`` (`convlib.conv_matrix`).
Its transposed convolution, ``ConvTranspose2d`` with the same k, s, p, d and
``output_padding = (i + 2p - d(k - 1) - 1) mod s`` (`convlib.output_padding_for`), is
``x' = C^T y`` and has the size ``i`` again. Call the operator ``A`` (``C`` in conv mode,
``C^T`` in transposed mode):

- output ``j`` reads the inputs of row ``j`` of ``A``;
- input ``q`` feeds the outputs of column ``q`` of ``A``, which is also ``A`` applied to a
  one-hot ``e_q`` (in transposed mode: the transposed convolution's scatter) and the
  gradient, by autograd, of output ``q`` of the other direction ``A^T`` with respect to
  its input (in transposed mode: d y_q / d x of the convolution).

`input_reach` computes the three independently; `directions_view` lists what the
explorer draws. torch is imported inside `input_reach` only.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import positive_int
from ..convolution.ops import conv2d, conv_transpose2d
from ..sizes.shapes import conv_output_size, output_padding_for
from .core import conv_matrix
from .layout import conv_matrix_taps

__all__ = ["MODES", "SELECTIONS", "InputReach", "input_reach", "DirectionsView",
           "directions_view", "directions_text"]

MODES = ("conv", "transposed")
SELECTIONS = ("output", "input")


def _choice(name: str, value: str, options: tuple[str, ...]) -> str:
    if value not in options:
        raise ValueError(f"`{name}` must be one of {options}, got {value!r}")
    return value


class InputReach(NamedTuple):
    """Column ``q`` of the operator, computed three ways (each shaped as the output)."""
    column: np.ndarray    # from the matrix C (or C^T)
    scatter: np.ndarray   # the operator applied to a one-hot input
    gradient: np.ndarray  # autograd through the other direction

    @property
    def agree(self) -> bool:
        return bool(np.allclose(self.column, self.scatter, rtol=1e-12, atol=1e-12)
                    and np.allclose(self.column, self.gradient, rtol=1e-12, atol=1e-12))


def input_reach(input_size: int, weight: np.ndarray, stride: int = 1, padding: int = 0,
                dilation: int = 1, *, mode: str = "transposed", index: int = 0) -> InputReach:
    """Where input ``index`` (row by row) of the operator goes, computed three ways.

    ``input_size`` is the convolution's ``i``; ``weight`` a ``(k_h, k_w)`` kernel. In
    transposed mode the operator's input is the convolution's output (``o x o``).

    column q of C^T = conv_transpose2d(e_q, w, s, p, op, d) = d y_q / d x   (transposed)
    column q of C   = conv2d(e_q, w, s, p, d) = d (C^T y)_q / d y         (conv)

    >>> r = input_reach(4, np.arange(1.0, 10.0).reshape(3, 3), index=0)
    >>> r.column.astype(int).tolist(), r.agree
    ([[1, 2, 3, 0], [4, 5, 6, 0], [7, 8, 9, 0], [0, 0, 0, 0]], True)
    """
    import torch
    import torch.nn.functional as F

    _choice("mode", mode, MODES)
    i = positive_int("input_size", input_size)
    w = np.asarray(weight, dtype=np.float64)
    if w.ndim != 2:
        raise ValueError(f"`weight` must be a 2-D kernel, got shape {w.shape}")
    o = conv_output_size((i, i), w.shape, stride, padding, dilation)
    op = output_padding_for(i, w.shape[0], stride, padding, dilation), \
        output_padding_for(i, w.shape[1], stride, padding, dilation)
    mat = conv_matrix((i, i), w, stride, padding, dilation)
    transposed = mode == "transposed"
    in_shape, out_shape = (o, (i, i)) if transposed else ((i, i), o)
    n_in = in_shape[0] * in_shape[1]
    if not 0 <= index < n_in:
        raise ValueError(f"`index` must be in [0, {n_in}), got {index!r}")
    column = (mat.T if transposed else mat)[:, index].reshape(out_shape)
    one_hot = np.zeros((1, 1, *in_shape))
    one_hot[0, 0].flat[index] = 1.0
    w4 = w[None, None]
    if transposed:
        scatter = conv_transpose2d(one_hot, w4, None, stride, padding, op, 1, dilation)[0, 0]
    else:
        scatter = conv2d(one_hot, w4, None, stride, padding, dilation)[0, 0]
    wt = torch.from_numpy(w4)
    u = torch.zeros(1, 1, *out_shape, dtype=torch.float64, requires_grad=True)
    if transposed:   # d y_q / d x of the convolution y = conv2d(x)
        back = F.conv2d(u, wt, stride=stride, padding=padding, dilation=dilation)
    else:            # d x'_q / d y of the transposed convolution x' = conv_transpose2d(y)
        back = F.conv_transpose2d(u, wt, stride=stride, padding=padding, output_padding=op,
                                  dilation=dilation)
    back[0, 0].flatten()[index].backward()
    return InputReach(column, scatter, u.grad[0, 0].numpy().copy())


class DirectionsView(NamedTuple):
    """What the both-directions explorer draws."""
    mode: str
    select: str
    in_shape: tuple[int, int]
    out_shape: tuple[int, int]
    taps: np.ndarray          # the operator's matrix as tap ids (-1: zero), rows = outputs
    index: int                # the selected cell, row by row, in its grid
    in_mask: np.ndarray       # operator inputs to highlight
    out_mask: np.ndarray      # operator outputs to highlight
    output_padding: int
    reach: InputReach | None  # for an input selection: the three computations


def directions_view(input_size: int = 5, kernel_size: int = 3, stride: int = 2,
                    padding: int = 1, dilation: int = 1, mode: str = "conv",
                    select: str = "output", cell: int = 0) -> DirectionsView:
    """One state of the explorer (square input and kernel; ``cell`` clamped to its grid).

    >>> v = directions_view(5, 3, 2, 1, mode="transposed", select="input", cell=4)
    >>> v.in_shape, v.out_shape, int(v.out_mask.sum()), v.reach.agree
    ((3, 3), (5, 5), 9, True)
    >>> v = directions_view(5, 3, 2, 1, mode="transposed", select="output", cell=6)
    >>> v.in_mask.astype(int).tolist()
    [[1, 1, 0], [1, 1, 0], [0, 0, 0]]
    """
    _choice("mode", mode, MODES)
    _choice("select", select, SELECTIONS)
    k = positive_int("kernel_size", kernel_size)
    o = conv_output_size(input_size, k, stride, padding, dilation)
    taps = conv_matrix_taps((input_size, input_size), k, stride, padding, dilation)
    op = output_padding_for(input_size, k, stride, padding, dilation)
    if mode == "transposed":
        taps, in_shape, out_shape = taps.T, (o, o), (input_size, input_size)
    else:
        in_shape, out_shape = (input_size, input_size), (o, o)
    grid = out_shape if select == "output" else in_shape
    index = min(max(int(cell), 0), grid[0] * grid[1] - 1)
    reach = None
    if select == "output":
        in_mask = (taps[index] >= 0).reshape(in_shape)
        out_mask = np.zeros(out_shape, bool)
        out_mask.flat[index] = True
    else:
        in_mask = np.zeros(in_shape, bool)
        in_mask.flat[index] = True
        out_mask = (taps[:, index] >= 0).reshape(out_shape)
        weight = np.arange(1.0, k * k + 1).reshape(k, k)   # distinct, positive: no cancelling
        reach = input_reach(input_size, weight, stride, padding, dilation, mode=mode, index=index)
    return DirectionsView(mode, select, in_shape, out_shape, taps, index, in_mask, out_mask,
                          op, reach)


def directions_text(view: DirectionsView) -> str:
    """The explorer's description line.

    >>> print(directions_text(directions_view(5, 3, 2, 1, select="input", cell=6)))
    conv 5×5 → 3×3 (matrix C: 9×25)
    input (1, 1) feeds 4 outputs: column 6 of C = conv2d(one-hot) = autograd of Cᵀ: True
    """
    name = "Cᵀ" if view.mode == "transposed" else "C"
    (ih, iw), (oh, ow) = view.in_shape, view.out_shape
    head = (f"{view.mode} {ih}×{iw} → {oh}×{ow} (matrix {name}: {oh * ow}×{ih * iw})"
            + (f", output_padding={view.output_padding}" if view.mode == "transposed" else ""))
    if view.select == "output":
        rc = divmod(view.index, ow)
        return (f"{head}\noutput {rc} reads {int(view.in_mask.sum())} inputs: "
                f"row {view.index} of {name}")
    rc = divmod(view.index, iw)
    via = ("conv_transpose2d(one-hot) = autograd dy/dx of the conv" if view.mode == "transposed"
           else "conv2d(one-hot) = autograd of Cᵀ")
    return (f"{head}\ninput {rc} feeds {int(view.out_mask.sum())} outputs: column "
            f"{view.index} of {name} = {via}: {view.reach.agree}")
