"""Reference operations in numpy: convolution, transposed convolution, unfold, pooling.

Arrays are NCHW as in ``torch.nn.functional``; a 3-D ``(C, H, W)`` input is an
unbatched image and gives an unbatched result. Weight layouts are PyTorch's:
``(C_out, C_in // g, kH, kW)`` for `conv2d`, ``(C_in, C_out // g, kH, kW)`` for
`conv_transpose2d`. Every size argument is an int or a per-axis pair ``(H, W)``.
Output sizes come from `convlib.shapes` (notation of SYLLABUS.md: input ``i``,
kernel ``k``, stride ``s``, padding ``p``, dilation ``d``, output padding ``op``,
groups ``g``, output ``o``), so a bad size raises the same ``ValueError``; array
ranks, dtypes, channel counts and the bias are checked here. Where PyTorch refuses,
or would return an empty tensor, a ``ValueError`` names the parameter.

Arrays must be float16, float32 or float64 (one dtype for ``x``, ``weight`` and
``bias``, as PyTorch requires); the result has the input's dtype.

`conv2d` and `conv_transpose2d` are vectorized (one matrix product per group and
image block, or one multiply-add per kernel tap); `conv2d_loops` is the same
convolution as plain loops, to read rather than to run.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._validate import positive_int
from .shapes import (conv_output_size, conv_transpose_output_size, pool_output_size,
                     same_padding)

__all__ = ["conv2d", "conv2d_loops", "conv_transpose2d", "im2col", "max_pool2d", "avg_pool2d"]

Pair = int | tuple[int, int]
Pads = tuple[tuple[int, int], tuple[int, int]]

_FLOATS = (np.float16, np.float32, np.float64)
_BLOCK_BYTES = 8 * 2**20  # im2col columns built per block of images: cache-sized


# ------------------------------------------------------------------ checks

def _pair(name: str, value: object) -> tuple:
    """An int (or 'same'/'valid') for both axes, or an ``(H, W)`` pair, as a pair."""
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
        raise ValueError(f"`{name}` must be 4-D (N, C, H, W) or 3-D (C, H, W), got shape {arr.shape}")
    if 0 in arr.shape:  # torch refuses, or returns an empty tensor
        raise ValueError(f"`{name}` must not have a zero-size axis, got shape {arr.shape}")
    return (arr, False) if arr.ndim == 4 else (arr[None], True)


def _like(name: str, value: object, x: np.ndarray, shape: tuple | None = None) -> np.ndarray:
    """``weight`` (4-D, no empty axis) or ``bias`` (given ``shape``) in ``x``'s dtype."""
    arr = np.asarray(value)
    if shape is None and (arr.ndim != 4 or 0 in arr.shape):
        raise ValueError(f"`{name}` must be 4-D without a zero-size axis, got shape {arr.shape}")
    if shape is not None and arr.shape != shape:
        raise ValueError(f"`{name}` must have shape {shape} (one value per output channel), "
                         f"got {arr.shape}")
    if arr.dtype != x.dtype:
        raise ValueError(f"`{name}` has dtype {arr.dtype} but `x` has {x.dtype}; use one dtype")
    return arr


def _groups(groups: object, **channels: int) -> int:
    """Check that ``groups`` is a positive int that splits each channel count."""
    groups = positive_int("groups", groups)
    for what, c in channels.items():
        if c % groups:
            raise ValueError(f"`groups`={groups} must divide {what}={c}")
    return groups


# ---------------------------------------------------------------- geometry

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


def _tap(xp: np.ndarray, i: int, j: int, stride: tuple, dilation: tuple,
         out: tuple) -> np.ndarray:
    """The input pixels kernel tap ``(i, j)`` meets at every output pixel: a view."""
    top, left = i * dilation[0], j * dilation[1]
    return xp[..., top:top + (out[0] - 1) * stride[0] + 1:stride[0],
              left:left + (out[1] - 1) * stride[1] + 1:stride[1]]


def _conv_setup(x, weight, bias, stride, padding, dilation, groups):
    """Validate a conv2d call: (x, weight, bias, pads, stride, dilation, out, unbatched)."""
    x, unbatched = _image("x", x)
    weight = _like("weight", weight, x)
    c_out, c_per_group, kh, kw = weight.shape
    groups = _groups(groups, in_channels=x.shape[1], out_channels=c_out)
    if c_per_group != x.shape[1] // groups:
        raise ValueError(f"`weight` (C_out, C_in // groups, kH, kW) has shape {weight.shape}: "
                         f"expected {x.shape[1]} // {groups} = {x.shape[1] // groups} input "
                         f"channels per group (`x` has {x.shape[1]}, `groups`={groups})")
    if bias is not None:
        bias = _like("bias", bias, x, (c_out,))
    stride, dilation = _pair("stride", stride), _pair("dilation", dilation)
    padding = padding if isinstance(padding, str) else _pair("padding", padding)
    out = conv_output_size(x.shape[2:], (kh, kw), stride, padding, dilation)
    if padding == "same":
        pads = same_padding((kh, kw), dilation)
    else:
        pads = ((0, 0), (0, 0)) if padding == "valid" else tuple((p, p) for p in padding)
    return x, weight, bias, groups, pads, stride, dilation, out, unbatched


def _finish(out: np.ndarray, bias, dtype, unbatched: bool) -> np.ndarray:
    """Add the bias per output channel, restore the dtype and the unbatched shape."""
    if bias is not None:
        out += bias.astype(out.dtype)[:, None, None]
    out = out.astype(dtype, copy=False)
    return out[0] if unbatched else out


def _work(dtype) -> type:
    """Compute float16 in float32 (numpy has no fast float16 matrix product)."""
    return np.float32 if dtype == np.float16 else dtype


# ------------------------------------------------------------ convolution

def _grouped(xp, weight, groups, stride, dilation, out):
    """im2col on a block of images, then one matrix product per group (BLAS)."""
    n, c_in = xp.shape[:2]
    c_out, cg, kh, kw = weight.shape
    cols = _windows(xp, (kh, kw), stride, dilation, out).transpose(0, 1, 4, 5, 2, 3)
    w = weight.reshape(groups, c_out // groups, cg * kh * kw)
    result = np.empty((n, groups, c_out // groups, out[0] * out[1]), xp.dtype)
    block = max(1, _BLOCK_BYTES // (cols[0].size * xp.itemsize))
    buf = np.empty((min(block, n),) + cols.shape[1:], xp.dtype)
    for n0 in range(0, n, block):
        b = buf[:min(block, n - n0)]
        np.copyto(b, cols[n0:n0 + block])
        np.matmul(w, b.reshape(len(b), groups, cg * kh * kw, -1), out=result[n0:n0 + block])
    return result.reshape(n, c_out, *out)


def _depthwise(x, pads, weight, stride, dilation, out):
    """One input channel per group: a multiply-add per kernel tap, over all pixels.

    Images go one at a time through one padded buffer (cache-sized). At stride 1
    the output is computed over the whole padded width, the extra columns cropped
    at the end: a tap is then one contiguous run per channel, which numpy
    multiplies much faster than many short rows.
    """
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    weight = weight.reshape(c_in, c_out // c_in, kh, kw)
    flat = stride == (1, 1)
    buf = _pad(x[:1], pads, extra_rows=flat)[0].copy()  # +1 row: a run passes the last row
    (top, _), (left, _) = pads
    grid = (out[0], buf.shape[-1]) if flat else out
    taps = {}
    for i in range(kh):
        for j in range(kw):
            if flat:
                start = i * dilation[0] * grid[1] + j * dilation[1]
                run = buf.reshape(c_in, 1, -1)[..., start:start + grid[0] * grid[1]]
                taps[i, j] = run.reshape(c_in, 1, *grid)
            else:
                taps[i, j] = _tap(buf, i, j, stride, dilation, out)[:, None]
    acc = np.empty((n, c_in, c_out // c_in) + grid, x.dtype)
    tmp = np.empty_like(acc[0])
    for m in range(n):
        buf[:, top:top + h, left:left + w] = x[m]
        np.multiply(taps[0, 0], weight[:, :, 0, 0, None, None], out=acc[m])
        for (i, j), tap in taps.items():
            if i or j:
                acc[m] += np.multiply(tap, weight[:, :, i, j, None, None], out=tmp)
    return acc.reshape(n, c_out, *grid)[..., :out[1]]


def conv2d(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
           stride: Pair = 1, padding: Pair | str = 0, dilation: Pair = 1,
           groups: int = 1) -> np.ndarray:
    """2-D cross-correlation, as ``torch.nn.functional.conv2d``.

    ``x`` is ``(N, C_in, H, W)``, ``weight`` ``(C_out, C_in // g, kH, kW)``,
    ``bias`` ``(C_out,)``; the output is ``(N, C_out, oH, oW)`` with, per axis,

    o = floor((i + 2p - d(k - 1) - 1) / s) + 1

    ``padding='same'`` pads ``d (k - 1)`` in total, the extra pixel at the bottom /
    right (stride 1 only); ``'valid'`` is p = 0.

    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> conv2d(x, np.ones((1, 1, 3, 3)))[0, 0]
    array([[45., 54.],
           [81., 90.]])
    >>> conv2d(x, np.ones((2, 1, 2, 2)), stride=2, padding=(0, 1)).shape
    (1, 2, 2, 3)
    """
    x, weight, bias, groups, pads, stride, dilation, out, unbatched = _conv_setup(
        x, weight, bias, stride, padding, dilation, groups)
    work = _work(x.dtype)
    xw, w = x.astype(work, copy=False), weight.astype(work, copy=False)
    if w.shape[1] == 1 and groups > 1:  # depthwise: a matrix product would be 1 x kH kW
        result = _depthwise(xw, pads, w, stride, dilation, out)
    else:
        result = _grouped(_pad(xw, pads), w, groups, stride, dilation, out)
    return _finish(result, bias, x.dtype, unbatched)


def conv2d_loops(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
                 stride: Pair = 1, padding: Pair | str = 0, dilation: Pair = 1,
                 groups: int = 1) -> np.ndarray:
    """`conv2d` as plain loops: every output pixel is a sum over its window.

    out[n, o, y, x] = bias[o] + sum over c, i, j of
    x_padded[n, g C_in/g + c, y s + i d, x s + j d] * weight[o, c, i, j],
    where g = o // (C_out / g) is the group of output channel ``o``. Slow on
    purpose; equal to `conv2d` (same arguments, same checks).

    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> conv2d_loops(x, np.ones((1, 1, 3, 3)))[0, 0]
    array([[45., 54.],
           [81., 90.]])
    """
    x, weight, bias, groups, pads, stride, dilation, out, unbatched = _conv_setup(
        x, weight, bias, stride, padding, dilation, groups)
    xp = _pad(x, pads)
    n_images = x.shape[0]
    c_out, c_per_group, kh, kw = weight.shape
    out_per_group = c_out // groups
    result = np.zeros((n_images, c_out) + out, dtype=np.float64)
    for n in range(n_images):
        for o in range(c_out):
            first_channel = (o // out_per_group) * c_per_group  # of this group's inputs
            for y in range(out[0]):
                for x_ in range(out[1]):
                    total = 0.0 if bias is None else float(bias[o])
                    for c in range(c_per_group):
                        for i in range(kh):
                            for j in range(kw):
                                row = y * stride[0] + i * dilation[0]
                                col = x_ * stride[1] + j * dilation[1]
                                total += xp[n, first_channel + c, row, col] * weight[o, c, i, j]
                    result[n, o, y, x_] = total
    return _finish(result, None, x.dtype, unbatched)


def conv_transpose2d(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
                     stride: Pair = 1, padding: Pair = 0, output_padding: Pair = 0,
                     groups: int = 1, dilation: Pair = 1) -> np.ndarray:
    """Transposed convolution, as ``torch.nn.functional.conv_transpose2d``.

    ``x`` is ``(N, C_in, H, W)``, ``weight`` ``(C_in, C_out // g, kH, kW)``,
    ``bias`` ``(C_out,)``; per axis the output size is

    o = (i - 1) s - 2p + d (k - 1) + op + 1

    Every input pixel scatters its kernel, scaled, into the output at ``s``
    times its position: one matrix product gives all the scaled kernels, then
    each tap ``(i, j)`` is added into a strided slice, and ``p`` is cropped.

    >>> x = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    >>> conv_transpose2d(x, np.ones((1, 1, 2, 2)), stride=2)[0, 0]
    array([[1., 1., 2., 2.],
           [1., 1., 2., 2.],
           [3., 3., 4., 4.],
           [3., 3., 4., 4.]])
    """
    x, unbatched = _image("x", x)
    weight = _like("weight", weight, x)
    c_in, out_per_group, kh, kw = weight.shape
    if x.shape[1] != c_in:
        raise ValueError(f"`weight` (C_in, C_out // groups, kH, kW) has shape {weight.shape}: "
                         f"expected {x.shape[1]} input channels like `x`, got {c_in}")
    groups = _groups(groups, in_channels=c_in)  # C_out = groups * weight.shape[1]
    c_out = out_per_group * groups
    if bias is not None:
        bias = _like("bias", bias, x, (c_out,))
    stride, padding = _pair("stride", stride), _pair("padding", padding)
    output_padding, dilation = _pair("output_padding", output_padding), _pair("dilation", dilation)
    out = conv_transpose_output_size(x.shape[2:], (kh, kw), stride, padding, output_padding,
                                     dilation)
    work = _work(x.dtype)
    result = _scatter(x.astype(work, copy=False), weight.astype(work, copy=False), groups,
                      stride, padding, dilation, out)
    return _finish(result, bias, x.dtype, unbatched)


def _scatter(x, weight, groups, stride, padding, dilation, out):
    """Every pixel times every tap in one matrix product, each tap added into the output.

    Tap ``(i, j)`` of input pixel ``(y, x)`` lands at ``(y s + i d, x s + j d)``.
    The output is kept as ``s_H s_W`` phases (phase ``(a, b)`` holds the rows
    ``a, a + s, ...`` and columns ``b, b + s, ...``), in which a tap is a plain shift;
    with the input rows padded to the phase width, each tap's add is then one
    contiguous run per channel. The phases are interleaved and ``p`` cropped at the end.
    """
    n, c_in, h, w = x.shape
    _, out_per_group, kh, kw = weight.shape
    (sh, sw), (dh, dw), c_out = stride, dilation, out_per_group * groups
    hq, wq = -(-(out[0] + 2 * padding[0]) // sh), -(-(out[1] + 2 * padding[1]) // sw)
    w_t = weight.reshape(groups, c_in // groups, -1).transpose(0, 2, 1)
    rows = np.pad(x, ((0, 0), (0, 0), (0, 0), (0, wq - w))).reshape(n, groups, -1, h * wq)
    phases = np.zeros((n, c_out, sh, sw, (hq + 1) * wq), x.dtype)
    for m in range(n):  # one image at a time: cache-sized
        scaled = np.matmul(w_t, rows[m]).reshape(c_out, kh, kw, h * wq)
        for i in range(kh):
            for j in range(kw):
                start = (i * dh // sh) * wq + j * dw // sw
                phases[m, :, i * dh % sh, j * dw % sw, start:start + h * wq] += scaled[:, i, j]
    phases = phases[..., :hq * wq].reshape(n, c_out, sh, sw, hq, wq)
    result = np.empty((n, c_out) + out, x.dtype)
    for a in range(sh):  # interleave the phases, cropping p: output row y is (y + p) of the grid
        for b in range(sw):
            y0, x0 = (a - padding[0]) % sh, (b - padding[1]) % sw
            dst = result[:, :, y0::sh, x0::sw]
            q, r = (y0 + padding[0]) // sh, (x0 + padding[1]) // sw
            dst[...] = phases[:, :, a, b, q:q + dst.shape[2], r:r + dst.shape[3]]
    return result


def im2col(x: np.ndarray, kernel_size: Pair, stride: Pair = 1, padding: Pair = 0,
           dilation: Pair = 1) -> np.ndarray:
    """Every window as a column, as ``torch.nn.functional.unfold``.

    ``(N, C, H, W)`` -> ``(N, C kH kW, L)`` with L = oH oW windows in row-major
    order, o as in `conv2d`; row ``c kH kW + i kW + j`` holds tap ``(i, j)`` of
    channel ``c``. ``conv2d`` without groups is ``weight.reshape(C_out, -1) @
    im2col(x, ...)``.

    >>> im2col(np.arange(9.0).reshape(1, 1, 3, 3), 2)[0]
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.]])
    """
    x, unbatched = _image("x", x)
    kernel, stride = _pair("kernel_size", kernel_size), _pair("stride", stride)
    padding, dilation = _pair("padding", padding), _pair("dilation", dilation)
    if any(isinstance(p, str) for p in padding):
        raise ValueError(f"`padding` must be an int or a pair (H, W), got {padding[0]!r}")
    out = conv_output_size(x.shape[2:], kernel, stride, padding, dilation)
    win = _windows(_pad(x, tuple((p, p) for p in padding)), kernel, stride, dilation, out)
    n, c = x.shape[:2]
    cols = win.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kernel[0] * kernel[1], -1)
    return cols[0] if unbatched else cols


# ---------------------------------------------------------------- pooling

def _pool_setup(x, kernel_size, stride, padding, dilation, ceil_mode, value):
    """Validate a pooling call; pad so that every (ceil_mode) window fits."""
    x, unbatched = _image("x", x)
    kernel = _pair("kernel_size", kernel_size)
    stride = kernel if stride is None else _pair("stride", stride)
    padding, dilation = _pair("padding", padding), _pair("dilation", dilation)
    out = pool_output_size(x.shape[2:], kernel, stride, padding, dilation, ceil_mode)
    pads = tuple((p, max(p, (o - 1) * s + d * (k - 1) + 1 - i - p))  # ceil_mode may hang past
                 for i, k, s, p, d, o in zip(x.shape[2:], kernel, stride, padding, dilation, out))
    windows = _windows(_pad(x, pads, value), kernel, stride, dilation, out)
    return windows, kernel, stride, padding, out, unbatched


def max_pool2d(x: np.ndarray, kernel_size: Pair, stride: Pair | None = None,
               padding: Pair = 0, dilation: Pair = 1, ceil_mode: bool = False) -> np.ndarray:
    """Largest value in each window, as ``torch.nn.functional.max_pool2d``.

    Per axis, o = floor((i + 2p - d(k - 1) - 1) / s) + 1 (or the ceiling with
    ``ceil_mode``, see `convlib.pool_output_size`); ``stride`` defaults to the
    kernel size. Padding and any part of a window past the input count as -inf.

    >>> max_pool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2)[0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    windows, *_, unbatched = _pool_setup(x, kernel_size, stride, padding, dilation,
                                         ceil_mode, -np.inf)
    result = windows.max(axis=(-2, -1))
    return result[0] if unbatched else result


def _divisors(i: int, k: int, s: int, p: int, o: int, count_include_pad: bool) -> np.ndarray:
    """Per-axis count of the cells ``avg_pool2d`` divides by (PyTorch's rule)."""
    start = np.arange(o) * s - p
    end = np.minimum(start + k, i + p)  # a window is clipped at the right padding
    if count_include_pad:
        return end - start
    return np.minimum(end, i) - np.maximum(start, 0)


def avg_pool2d(x: np.ndarray, kernel_size: Pair, stride: Pair | None = None,
               padding: Pair = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> np.ndarray:
    """Mean of each window, as ``torch.nn.functional.avg_pool2d``.

    Output size as `max_pool2d` with d = 1. The divisor counts the window's cells
    inside the padded input (``count_include_pad=True``) or inside the input
    only; cells a ``ceil_mode`` window hangs past the padding never count.

    >>> avg_pool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2)[0, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    >>> avg_pool2d(np.ones((1, 1, 3, 3)), 2, padding=1, count_include_pad=True)[0, 0]
    array([[0.25, 0.5 ],
           [0.5 , 1.  ]])
    """
    windows, kernel, stride, padding, out, unbatched = _pool_setup(
        x, kernel_size, stride, padding, 1, ceil_mode, 0.0)
    div = [_divisors(i, k, s, p, o, bool(count_include_pad))
           for i, k, s, p, o in zip(np.shape(x)[-2:], kernel, stride, padding, out)]
    sums = windows.sum(axis=(-2, -1), dtype=_work(windows.dtype))
    result = (sums / np.multiply.outer(*div)).astype(windows.dtype)
    return result[0] if unbatched else result
