"""Windows of an image, and max / average pooling over them, in numpy.

Arrays are NCHW as in ``torch.nn.functional``; a 3-D ``(C, H, W)`` input is an
unbatched image and gives an unbatched result. Every size argument is an int or
a per-axis pair ``(H, W)``. Output sizes come from `convlib.pool_output_size`
(notation of SYLLABUS.md: input ``i``, kernel ``k``, stride ``s``, padding ``p``,
dilation ``d``, output ``o``), so a bad size raises the same ``ValueError``.
Arrays must be float16, float32 or float64; the result has the input's dtype.

The window helpers here (`_image`, `_pair`, `_pad`, `_windows`) are shared with
`convlib.convolution.ops`, which builds convolution on the same windows and re-exports the
two pooling functions. So is the memory cap: a call of a reference op that would
allocate more than `OPS_MAX_BYTES` is refused with a ``ValueError`` giving the
sizes, before anything is allocated (these ops are for learning, not for
20000 x 20000 images; torch handles those).
"""
from __future__ import annotations

from collections.abc import Sequence
from math import prod

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._validate import positive_int
from .shapes import pool_output_size
from .windows import adaptive_windows

__all__ = ["OPS_MAX_BYTES", "max_pool2d", "avg_pool2d", "avg_pool_divisors",
           "adaptive_avg_pool2d", "adaptive_max_pool2d"]

OPS_MAX_BYTES = 2**30
"""Most memory a reference op (`convlib.convolution.ops`, `convlib.sizes.pooling`) allocates for one
call: 1 GiB. The estimate adds the arrays the op makes (padded input, result, work
buffers); a call above it raises ``ValueError`` naming those arrays and sizes."""

Pair = int | tuple[int, int]
Pads = tuple[tuple[int, int], tuple[int, int]]

_FLOATS = (np.float16, np.float32, np.float64)


def _pair(name: str, value: object) -> tuple:
    """An int (or 'same'/'valid') for both axes, or an ``(H, W)`` pair, as a pair.

    The values themselves are checked by `convlib.sizes.shapes`.
    """
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != 2 or any(isinstance(v, str) for v in value):
            raise ValueError(f"`{name}` must be an int or a pair (H, W) of ints, got {value!r}")
        return tuple(value)
    return value, value


def _image(name: str, value: object) -> tuple[np.ndarray, bool]:
    """``value`` as a 4-D float array, and whether it came unbatched (3-D)."""
    arr = np.asarray(value)
    if arr.dtype not in _FLOATS:
        raise ValueError(f"`{name}` must be a float16, float32 or float64 array, got dtype "
                         f"{arr.dtype} (convert with .astype(float))")
    if arr.ndim not in (3, 4):
        raise ValueError(f"`{name}` must be 4-D (N, C, H, W) or 3-D (C, H, W), "
                         f"got shape {arr.shape}")
    if 0 in arr.shape:  # torch refuses, or returns an empty tensor
        raise ValueError(f"`{name}` must not have a zero-size axis, got shape {arr.shape}")
    return (arr, False) if arr.ndim == 4 else (arr[None], True)


def _check_memory(op: str, dtype, **arrays: tuple[int, ...]) -> None:
    """Refuse `op` when the `arrays` it would allocate (shapes, in `dtype`) exceed the cap.

    >>> _check_memory("conv2d", np.float32, output=(1, 1, 4, 4))  # 64 bytes: fine
    """
    itemsize = np.dtype(dtype).itemsize
    sizes = {name: prod(shape) * itemsize for name, shape in arrays.items()}
    total = sum(sizes.values())
    if total > OPS_MAX_BYTES:
        parts = ", ".join(f"{name} {tuple(shape)} {_mib(sizes[name])}"
                          for name, shape in arrays.items())
        raise ValueError(f"`x` too large for {op}: it would allocate {_mib(total)} of "
                         f"{np.dtype(dtype)} ({parts}), over OPS_MAX_BYTES = "
                         f"{_mib(OPS_MAX_BYTES)}; use torch for inputs this size")


def _mib(n_bytes: int) -> str:
    return f"{n_bytes / 2**20:.1f} MiB"


def _work(dtype) -> type:
    """The dtype to compute in: float16 goes through float32 (numpy's float16 is slow)."""
    return np.float32 if dtype == np.float16 else dtype


def _pad(x: np.ndarray, pads: Pads, value: float = 0.0, extra_rows: int = 0) -> np.ndarray:
    """Pad the last two axes by ``((top, bottom + extra_rows), (left, right))``."""
    (top, bottom), (left, right) = pads
    if not (top or bottom or left or right or extra_rows):
        return x
    n, c, h, w = x.shape
    shape = (n, c, top + h + bottom + extra_rows, left + w + right)
    out = np.zeros(shape, x.dtype) if value == 0 else np.full(shape, value, x.dtype)
    out[:, :, top:top + h, left:left + w] = x
    return out


def _windows(xp: np.ndarray, kernel: tuple, stride: tuple, dilation: tuple,
             out: tuple) -> np.ndarray:
    """Every window of the padded input, a view ``(N, C, oH, oW, kH, kW)``."""
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    win = sliding_window_view(xp, span, axis=(2, 3))
    return win[:, :, :(out[0] - 1) * stride[0] + 1:stride[0],
               :(out[1] - 1) * stride[1] + 1:stride[1], ::dilation[0], ::dilation[1]]


def _pool_windows(x, kernel_size, stride, padding, dilation, ceil_mode, value):
    """Validate a pooling call; the windows (padded with ``value``) and the geometry."""
    x, unbatched = _image("x", x)
    kernel = _pair("kernel_size", kernel_size)
    stride = kernel if stride is None else _pair("stride", stride)
    padding, dilation = _pair("padding", padding), _pair("dilation", dilation)
    out = pool_output_size(x.shape[2:], kernel, stride, padding, dilation, ceil_mode)
    pads = tuple((p, max(p, (o - 1) * s + d * (k - 1) + 1 - i - p))  # ceil_mode may hang past
                 for i, k, s, p, d, o in zip(x.shape[2:], kernel, stride, padding, dilation, out))
    n, c, h, w = x.shape
    _check_memory("pooling", _work(x.dtype), padded_input=(n, c, h + sum(pads[0]), w + sum(pads[1])),
                  sums=(n, c, *out), result=(n, c, *out))
    windows = _windows(_pad(x, pads, value), kernel, stride, dilation, out)
    return windows, (x.shape[2:], kernel, stride, padding, out), unbatched


def max_pool2d(x: np.ndarray, kernel_size: Pair, stride: Pair | None = None,
               padding: Pair = 0, dilation: Pair = 1, ceil_mode: bool = False) -> np.ndarray:
    """Largest value in each window, as ``torch.nn.functional.max_pool2d``.

    Per axis o = floor((i + 2p - d(k - 1) - 1) / s) + 1, or with ``ceil_mode`` the
    ceiling, minus one if that last window would start in the right padding (see
    `convlib.pool_output_size`); ``stride`` defaults to the kernel size. Padding,
    and the part of a ``ceil_mode`` window past the padding, count as -inf.

    >>> max_pool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2)[0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    windows, _, unbatched = _pool_windows(x, kernel_size, stride, padding, dilation,
                                          ceil_mode, -np.inf)
    result = windows.max(axis=(-2, -1))
    return result[0] if unbatched else result


def avg_pool_divisors(input_size: int, kernel_size: int, stride: int | None = None,
                      padding: int = 0, ceil_mode: bool = False, count_include_pad: bool = True,
                      divisor_override: int | None = None) -> list[int]:
    """What each output of ``avg_pool1d`` divides its window's sum by (PyTorch's rule).

    Window j starts at a_j = j s - p and ends at b_j = min(a_j + k, i + p): a
    ``ceil_mode`` window that hangs past the padded input is cut there. The divisor is
    ``divisor_override`` when given, else b_j - a_j (``count_include_pad=True``, the
    default: padded zeros count), else min(b_j, i) - max(a_j, 0) (input cells only).
    The number of windows o is `convlib.pool_output_size`'s; along each axis of
    ``avg_pool2d`` the same rule holds, and the 2-D divisor is the product.

    >>> avg_pool_divisors(5, 2, ceil_mode=True)          # the last window holds one cell
    [2, 2, 1]
    >>> avg_pool_divisors(5, 3, stride=2, padding=1)
    [3, 3, 3]
    >>> avg_pool_divisors(5, 3, stride=2, padding=1, count_include_pad=False)
    [2, 3, 2]
    """
    for name, flag in (("ceil_mode", ceil_mode), ("count_include_pad", count_include_pad)):
        if not isinstance(flag, (bool, np.bool_)):
            raise ValueError(f"`{name}` must be True or False, got {flag!r}")
    i, k = positive_int("input_size", input_size), positive_int("kernel_size", kernel_size)
    s = k if stride is None else positive_int("stride", stride)
    o = pool_output_size(i, k, s, padding, 1, bool(ceil_mode))
    if divisor_override is not None:
        return [positive_int("divisor_override", divisor_override)] * o
    return _divisors(i, k, s, padding, o, bool(count_include_pad)).tolist()


def _divisors(i: int, k: int, s: int, p: int, o: int, count_include_pad: bool) -> np.ndarray:
    """Per-axis cell counts ``avg_pool2d`` divides by (`avg_pool_divisors`, unchecked)."""
    start = np.arange(o) * s - p
    end = np.minimum(start + k, i + p)  # a ceil_mode window is cut at the right padding
    if count_include_pad:
        return end - start
    return np.minimum(end, i) - np.maximum(start, 0)


def avg_pool2d(x: np.ndarray, kernel_size: Pair, stride: Pair | None = None,
               padding: Pair = 0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> np.ndarray:
    """Mean of each window, as ``torch.nn.functional.avg_pool2d``.

    Output size as `max_pool2d` with d = 1 (there is no dilation). The divisor
    counts the window's cells inside the padded input (``count_include_pad``) or
    inside the input only; the part of a ``ceil_mode`` window past the padding
    never counts (`avg_pool_divisors`); ``divisor_override`` replaces the divisor.

    >>> avg_pool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2)[0, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    >>> avg_pool2d(np.ones((1, 1, 3, 3)), 2, padding=1)[0, 0]
    array([[0.25, 0.5 ],
           [0.5 , 1.  ]])
    """
    windows, geometry, unbatched = _pool_windows(x, kernel_size, stride, padding, 1,
                                                 ceil_mode, 0.0)
    if not isinstance(count_include_pad, (bool, np.bool_)):
        raise ValueError(f"`count_include_pad` must be True or False, got {count_include_pad!r}")
    sums = windows.sum(axis=(-2, -1), dtype=_work(windows.dtype))
    if divisor_override is not None:
        divisor = positive_int("divisor_override", divisor_override)
    else:
        rows, cols = (_divisors(*axis, bool(count_include_pad)) for axis in zip(*geometry))
        divisor = np.multiply.outer(rows, cols)
    result = (sums / divisor).astype(windows.dtype)
    return result[0] if unbatched else result


def _adaptive(x: np.ndarray, output_size: Pair, reduce) -> np.ndarray:
    """`reduce` over every adaptive window (`convlib.adaptive_windows` on each axis)."""
    x, unbatched = _image("x", x)
    (i_h, i_w), (o_h, o_w) = x.shape[2:], _pair("output_size", output_size)
    rows, cols = adaptive_windows(i_h, o_h), adaptive_windows(i_w, o_w)
    work = x.astype(_work(x.dtype), copy=False)
    out = np.empty((*x.shape[:2], len(rows), len(cols)), dtype=work.dtype)
    for a, (r0, r1) in enumerate(rows):
        for b, (c0, c1) in enumerate(cols):
            out[:, :, a, b] = reduce(work[:, :, r0:r1, c0:c1], axis=(-2, -1))
    out = out.astype(x.dtype)
    return out[0] if unbatched else out


def adaptive_avg_pool2d(x: np.ndarray, output_size: Pair) -> np.ndarray:
    """Mean of each adaptive window, as ``torch.nn.functional.adaptive_avg_pool2d``.

    Along an axis of size i pooled to o, output j averages the cells
    floor(j i / o) .. ceil((j + 1) i / o) - 1: the windows cover the input, differ in
    size by at most one cell, overlap when o does not divide i, and repeat cells when
    o > i. ``output_size=1`` is global average pooling.

    >>> adaptive_avg_pool2d(np.arange(16.0).reshape(1, 1, 4, 4), 1)[0, 0]
    array([[7.5]])
    >>> adaptive_avg_pool2d(np.arange(5.0).reshape(1, 1, 1, 5), (1, 3))[0, 0]
    array([[0.5, 2. , 3.5]])
    """
    return _adaptive(x, output_size, np.mean)


def adaptive_max_pool2d(x: np.ndarray, output_size: Pair) -> np.ndarray:
    """Largest value of each adaptive window (`adaptive_avg_pool2d`'s windows), as
    ``torch.nn.functional.adaptive_max_pool2d``.

    >>> adaptive_max_pool2d(np.arange(5.0).reshape(1, 1, 1, 5), (1, 3))[0, 0]
    array([[1., 3., 4.]])
    """
    return _adaptive(x, output_size, np.max)
