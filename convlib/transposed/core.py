"""Transposed convolution: the matrix view, the zero-insertion view, output
padding, and overlap (checkerboard) counts.

Notation (SYLLABUS.md): input size ``i``, kernel ``k``, stride ``s``,
padding ``p``, dilation ``d``, output padding ``op``, groups ``g``; the
effective kernel ``k_eff = d (k - 1) + 1`` is `convlib.effective_kernel_size`.
Arrays are numpy, NCHW, with PyTorch's weight layouts: ``(C_out, C_in // g,
kH, kW)`` for a convolution, ``(C_in, C_out // g, kH, kW)`` for a transposed
one. Per-axis settings are an int or a pair ``(H, W)``. Every bad argument
raises a ``ValueError`` naming the parameter, where PyTorch refuses or would
return an empty tensor.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._validate import nonneg_int, pair as _pair, positive_int
from ..convolution.ops import conv2d
from ..sizes.shapes import conv_output_size, conv_transpose_output_size, effective_kernel_size

__all__ = [
    "CONV_MATRIX_MAX_BYTES",
    "conv_matrix",
    "insert_zeros",
    "transpose_as_conv",
    "transpose_input_sizes",
    "overlap_counts",
]

CONV_MATRIX_MAX_BYTES = 64 * 2**20
"""Largest matrix `conv_matrix` builds (64 MiB, i.e. 8 Mi float64 entries)."""

Pair = int | tuple[int, int]


def _array(name: str, value: object, ndims: tuple[int, ...]) -> np.ndarray:
    arr = np.asarray(value)
    if arr.ndim not in ndims:
        wanted = " or ".join(str(n) for n in ndims)
        raise ValueError(f"`{name}` must have {wanted} dimensions, got shape {arr.shape}")
    return arr


def _nonempty(name: str, arr: np.ndarray) -> np.ndarray:
    if 0 in arr.shape:  # torch refuses, or returns an empty tensor
        raise ValueError(f"`{name}` must not have a zero-size axis, got shape {arr.shape}")
    return arr


def _pad_or_crop(z: np.ndarray, rows: tuple[int, int], cols: tuple[int, int]) -> np.ndarray:
    """Zero-pad the last two axes by ``(before, after)``; a negative amount crops."""
    widths = [(0, 0)] * (z.ndim - 2) + [(max(a, 0), max(b, 0)) for a, b in (rows, cols)]
    z = np.pad(z, widths)
    (t, b), (l, r) = [(max(-a, 0), max(-b, 0)) for a, b in (rows, cols)]
    return z[..., t:z.shape[-2] - b, l:z.shape[-1] - r]


# ------------------------------------------------------------ matrix view

def conv_matrix(input_shape: Sequence[int], weight: np.ndarray, stride: Pair = 1,
                padding: Pair = 0, dilation: Pair = 1) -> np.ndarray:
    """The dense matrix ``C`` of a convolution: ``y = C x`` on flattened arrays.

    ``C @ x.ravel()`` equals ``conv2d(x, weight, ...)`` flattened, for one image
    ``x`` of shape ``input_shape = (C_in, H, W)`` and ``weight (C_out, C_in, kH,
    kW)``; the single-channel case takes ``(H, W)`` and a ``(kH, kW)`` weight.
    ``C`` has shape ``(C_out oH oW, C_in H W)`` with, per axis,

    o = floor((i + 2p - d(k - 1) - 1) / s) + 1

    and row ``(c_out, oy, ox)`` holds ``w[c_out, c_in, ky, kx]`` in column
    ``(c_in, oy s - p + ky d, ox s - p + kx d)`` (zero where that is padding).

    ``C.T @ y.ravel()`` is the transposed convolution ``conv_transpose2d(y,
    weight, ...)``, i.e. the gradient of the convolution with respect to its
    input, and always has the input's size H, W. When the floor drops pixels
    (``(i + 2p - k_eff) % s = r > 0``), ``conv_transpose2d`` without output
    padding returns ``i - r``: ``C.T`` corresponds to ``output_padding = r``
    (see `transpose_input_sizes`). Sizes whose float64 matrix would exceed
    `CONV_MATRIX_MAX_BYTES` are refused with a ``ValueError``.

    >>> C = conv_matrix((4, 4), np.ones((3, 3)))
    >>> C.shape
    (4, 16)
    >>> C[0].reshape(4, 4).astype(int)
    array([[1, 1, 1, 0],
           [1, 1, 1, 0],
           [1, 1, 1, 0],
           [0, 0, 0, 0]])
    >>> (C.T != 0).sum(axis=1).reshape(4, 4)  # outputs each input pixel reaches
    array([[1, 2, 2, 1],
           [2, 4, 4, 2],
           [2, 4, 4, 2],
           [1, 2, 2, 1]])
    """
    shape = tuple(input_shape) if isinstance(input_shape, Sequence) else input_shape
    if not isinstance(shape, tuple) or len(shape) not in (2, 3):
        raise ValueError(f"`input_shape` must be (C_in, H, W) or (H, W), got {input_shape!r}")
    w = _nonempty("weight", _array("weight", weight, (4 if len(shape) == 3 else 2,)))
    if len(shape) == 2:
        shape, w = (1, *shape), w[None, None]
    c_out, c_in, h, wd = w.shape[0], *(positive_int("input_shape", n) for n in shape)
    if w.shape[1] != c_in:
        raise ValueError(f"`weight` has {w.shape[1]} input channels (shape {w.shape}) but "
                         f"`input_shape` {tuple(input_shape)} has {c_in}")
    (sh, sw), (ph, pw) = _pair("stride", stride), _pair("padding", padding, nonneg_int)
    dh, dw = _pair("dilation", dilation)
    kh, kw = w.shape[2:]
    oh, ow = conv_output_size((h, wd), (kh, kw), (sh, sw), (ph, pw), (dh, dw))
    dtype = np.result_type(w.dtype, np.float64)
    rows, cols = c_out * oh * ow, c_in * h * wd
    if rows * cols * dtype.itemsize > CONV_MATRIX_MAX_BYTES:
        raise ValueError(
            f"`input_shape` {tuple(input_shape)} too large: the matrix would be {rows} x {cols} "
            f"{dtype} ({rows * cols * dtype.itemsize / 2**20:.1f} MiB), over "
            f"CONV_MATRIX_MAX_BYTES = {CONV_MATRIX_MAX_BYTES / 2**20:g} MiB")
    mat = np.zeros((c_out, oh, ow, c_in, h, wd), dtype=dtype)
    oy, ox = np.arange(oh)[:, None], np.arange(ow)[None, :]
    for ky in range(kh):
        for kx in range(kw):
            iy, ix = oy * sh - ph + ky * dh, ox * sw - pw + kx * dw
            ry, rx = np.nonzero((iy >= 0) & (iy < h) & (ix >= 0) & (ix < wd))
            mat[:, ry, rx, :, iy[ry, 0], ix[0, rx]] = w[:, :, ky, kx]
    return mat.reshape(rows, cols)


# ---------------------------------------------------- zero-insertion view

def insert_zeros(x: np.ndarray, stride: Pair) -> np.ndarray:
    """Insert ``s - 1`` zeros between neighbouring elements of the last two axes.

    Along each axis the size becomes ``(i - 1) s + 1``; ``stride`` is an int or
    ``(sh, sw)``. This is the input of a stride-``s`` transposed convolution
    seen as a stride-1 convolution (`transpose_as_conv`).

    >>> insert_zeros(np.array([[1, 2], [3, 4]]), 2)
    array([[1, 0, 2],
           [0, 0, 0],
           [3, 0, 4]])
    """
    arr = np.asarray(x)
    if arr.ndim < 2:
        raise ValueError(f"`x` must have at least 2 dimensions, got shape {arr.shape}")
    sh, sw = _pair("stride", stride)
    h, w = arr.shape[-2:]
    out = np.zeros((*arr.shape[:-2], max(h - 1, 0) * sh + min(h, 1),
                    max(w - 1, 0) * sw + min(w, 1)), dtype=arr.dtype)
    out[..., ::sh, ::sw] = arr
    return out


def transpose_as_conv(x: np.ndarray, weight: np.ndarray, stride: Pair = 1, padding: Pair = 0,
                      output_padding: Pair = 0, dilation: Pair = 1, groups: int = 1, *,
                      bias: np.ndarray | None = None) -> np.ndarray:
    """``conv_transpose2d`` as zero insertion, padding, and a stride-1 convolution.

    Per axis: insert ``s - 1`` zeros between inputs (`insert_zeros`), pad
    ``d (k - 1) - p`` on each side (crop where that is negative) plus ``op``
    more on the bottom / right, then convolve at stride 1 and dilation ``d``
    with the spatially flipped kernel, its in/out channels swapped per group.
    The output size is

    o = (i - 1) s - 2p + d (k - 1) + op + 1

    ``x`` is ``(N, C_in, H, W)`` or ``(C_in, H, W)``, ``weight`` is
    ``(C_in, C_out // g, kH, kW)`` and ``bias`` ``(C_out,)`` as in
    ``F.conv_transpose2d``, whose result this equals. Most products are with
    inserted zeros (about ``1 - 1/(sh sw)`` of them): frameworks scatter-add
    instead.

    >>> x = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    >>> transpose_as_conv(x, np.ones((1, 1, 2, 2)), stride=2)[0, 0]
    array([[1., 1., 2., 2.],
           [1., 1., 2., 2.],
           [3., 3., 4., 4.],
           [3., 3., 4., 4.]])
    """
    arr = _array("x", x, (3, 4))
    w = _array("weight", weight, (4,))
    if arr.ndim == 3:
        return transpose_as_conv(arr[None], w, stride, padding, output_padding,
                                 dilation, groups, bias=bias)[0]
    g = positive_int("groups", groups)
    _nonempty("x", arr)
    c_in, c_out_g, kh, kw = _nonempty("weight", w).shape
    if arr.shape[1] != c_in:
        raise ValueError(f"`weight` has {c_in} input channels (shape {w.shape}) but `x` "
                         f"has {arr.shape[1]} (shape {arr.shape})")
    if c_in % g:
        raise ValueError(f"`groups`={g} must divide the input channels {c_in}")
    (sh, sw), (ph, pw) = _pair("stride", stride), _pair("padding", padding, nonneg_int)
    oph, opw = _pair("output_padding", output_padding, nonneg_int)
    dh, dw = _pair("dilation", dilation)
    conv_transpose_output_size(arr.shape[2:], (kh, kw), (sh, sw), (ph, pw), (oph, opw), (dh, dw))
    if bias is not None and np.shape(bias) != (g * c_out_g,):
        raise ValueError(f"`bias` must have shape ({g * c_out_g},), got {np.shape(bias)}")
    qh, qw = dh * (kh - 1) - ph, dw * (kw - 1) - pw
    z = _pad_or_crop(insert_zeros(arr, (sh, sw)), (qh, qh + oph), (qw, qw + opw))
    flipped = w.reshape(g, c_in // g, c_out_g, kh, kw).swapaxes(1, 2)[..., ::-1, ::-1]
    return conv2d(z, flipped.reshape(g * c_out_g, c_in // g, kh, kw), bias,
                  stride=1, padding=0, dilation=(dh, dw), groups=g)


# ----------------------------------------------------------- output padding

def _input_sizes_axis(o: int, k: int, s: int, p: int, d: int) -> list[tuple[int, int]]:
    o, s, p = positive_int("output_size", o), positive_int("stride", s), nonneg_int("padding", p)
    base = (o - 1) * s - 2 * p + effective_kernel_size(k, d)  # conv_transpose size at op = 0
    return [(base + op, op) for op in range(s) if base + op >= 1]


def transpose_input_sizes(output_size: Pair, kernel_size: Pair, stride: Pair = 1,
                          padding: Pair = 0, dilation: Pair = 1):
    """Every input size a convolution maps to ``output_size``, with its ``op``.

    The floor in o = floor((i + 2p - d(k - 1) - 1) / s) + 1 sends the ``s``
    sizes ``i = (o - 1) s - 2p + d (k - 1) + 1 + op``, ``op = 0 .. s - 1``, to
    the same ``o``; ``ConvTranspose2d`` with the same k, s, p, d and
    ``output_padding=op`` returns ``i``. Returns the ``(input_size,
    output_padding)`` pairs, ascending, leaving out sizes below 1 (the list is
    empty when the padding is so large that every input gives a larger
    output). With tuples, a tuple of such lists, one per axis.

    Every listed size is reachable in PyTorch: it needs ``op < stride or op <
    dilation`` and here ``op < s``. A larger ``op``, allowed when ``d > s``,
    gives a size that the convolution maps to another ``o``.

    >>> transpose_input_sizes(3, 3, stride=2, padding=1)
    [(5, 0), (6, 1)]
    >>> transpose_input_sizes((2, 4), (3, 1), stride=(3, 1))
    ([(6, 0), (7, 1), (8, 2)], [(4, 0)])
    """
    args = (output_size, kernel_size, stride, padding, dilation)
    if not any(isinstance(a, Sequence) for a in args):
        return _input_sizes_axis(*args)
    names = ("output_size", "kernel_size", "stride", "padding", "dilation")
    checks = (positive_int,) * 3 + (nonneg_int, positive_int)
    pairs = [_pair(n, a, c) for n, a, c in zip(names, args, checks)]
    return tuple(_input_sizes_axis(*axis) for axis in zip(*pairs))


# ------------------------------------------------------- overlap and masks

def _overlap_axis(k: int, s: int, i: int) -> np.ndarray:
    k, s = positive_int("kernel_size", k), positive_int("stride", s)
    i = positive_int("input_length", i)
    counts = np.zeros((i - 1) * s + k, dtype=int)
    for m in range(k):
        counts[m:m + (i - 1) * s + 1:s] += 1
    return counts


def overlap_counts(kernel_size: Pair, stride: Pair, input_length: Pair) -> np.ndarray:
    """How many kernel taps land on each output of a transposed convolution.

    Input ``n`` writes taps ``m = 0 .. k - 1`` to output ``n s + m``, so output
    ``j`` gets ``#{(n, m) : n s + m = j}`` of them (padding 0), over a length

    o = (i - 1) s + k

    Uneven counts (``k`` not divisible by ``s``) are the checkerboard pattern.
    With tuples, the 2-D map is the outer product of the per-axis counts; it
    equals ``conv_transpose2d`` of all-ones input and kernel.

    >>> overlap_counts(3, 2, 4)
    array([1, 1, 2, 1, 2, 1, 2, 1, 1])
    >>> overlap_counts(4, 2, 4)
    array([1, 1, 2, 2, 2, 2, 2, 2, 1, 1])
    >>> overlap_counts((3, 3), (2, 2), (3, 2))
    array([[1, 1, 2, 1, 1],
           [1, 1, 2, 1, 1],
           [2, 2, 4, 2, 2],
           [1, 1, 2, 1, 1],
           [2, 2, 4, 2, 2],
           [1, 1, 2, 1, 1],
           [1, 1, 2, 1, 1]])
    """
    if not any(isinstance(a, Sequence) for a in (kernel_size, stride, input_length)):
        return _overlap_axis(kernel_size, stride, input_length)
    (kh, kw), (sh, sw) = _pair("kernel_size", kernel_size), _pair("stride", stride)
    ih, iw = _pair("input_length", input_length)
    return np.outer(_overlap_axis(kh, sh, ih), _overlap_axis(kw, sw, iw))
