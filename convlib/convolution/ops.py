"""Reference operations in numpy: convolution, transposed convolution, unfold.

Arrays are NCHW as in ``torch.nn.functional``; a 3-D ``(C, H, W)`` input is an
unbatched image and gives an unbatched result. Weight layouts are PyTorch's:
``(C_out, C_in // g, kH, kW)`` for `conv2d`, ``(C_in, C_out // g, kH, kW)`` for
`conv_transpose2d`. Every size argument is an int or a per-axis pair ``(H, W)``.
Output sizes come from `convlib.sizes.shapes` (notation of SYLLABUS.md: input ``i``,
kernel ``k``, stride ``s``, padding ``p``, dilation ``d``, output padding ``op``,
groups ``g``, output ``o``), so a bad size raises the same ``ValueError``; array
ranks, dtypes, channel counts and the bias are checked here. Where PyTorch refuses,
or would return an empty tensor, a ``ValueError`` names the parameter. Arrays must
be float16, float32 or float64, one dtype for ``x``, ``weight`` and ``bias`` (as
PyTorch requires); the result has the input's dtype.

`conv2d` and `conv_transpose2d` are vectorized: matrix products (BLAS, with its own
threads) and whole-array multiply-adds, which run on as many threads as BLAS uses
(numpy releases the GIL in its loops). `conv2d_loops` is the same convolution as
plain loops, to read rather than to run. Pooling lives in `convlib.sizes.pooling` and is
re-exported here.

Memory: the im2col columns are built a few images (or, for a large image, a few
output rows) at a time, so `conv2d` needs about its padded input plus its result.
A call whose arrays would exceed `convlib.sizes.pooling.OPS_MAX_BYTES` (1 GiB) is refused
with a ``ValueError`` giving their sizes.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .._validate import positive_int
from ..sizes.pooling import (Pair, _check_memory, _image, _pad, _pair, _windows, _work, avg_pool2d,
                             max_pool2d)
from ..sizes.shapes import conv_output_size, conv_transpose_output_size, same_padding

__all__ = ["conv2d", "conv2d_loops", "conv_transpose2d", "im2col", "max_pool2d", "avg_pool2d"]

_BLOCK_BYTES = 8 * 2**20  # im2col columns are built for a few images at a time (cache)
_TAP_BYTES = 2 * 2**20  # depthwise: a thread copies the taps of this many bytes at a time
_MIN_PARALLEL = 2**16  # elements below which threads cost more than they save


def _blas_threads() -> int:
    """As many threads as numpy's BLAS: its environment variables, else every core."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        value = os.environ.get(var, "")
        if value.isdigit() and int(value) > 0:
            return int(value)
    return os.cpu_count() or 1


_THREADS = _blas_threads()
_pool: ThreadPoolExecutor | None = None


def _in_parallel(fn, n: int, size: int) -> None:
    """Call ``fn(start, stop)`` on blocks of ``range(n)``, one block per thread.

    numpy releases the GIL inside its loops, so copies and element-wise arithmetic on
    separate blocks run at the same time. ``size`` (elements touched) below
    ``_MIN_PARALLEL`` runs in this thread.
    """
    global _pool
    k = min(n, _THREADS) if size >= _MIN_PARALLEL else 1
    if k == 1:
        fn(0, n)
        return
    if _pool is None:
        _pool = ThreadPoolExecutor(_THREADS, thread_name_prefix="convlib")
    bounds = [n * t // k for t in range(k + 1)]
    for job in [_pool.submit(fn, a, b) for a, b in zip(bounds, bounds[1:])]:
        job.result()


# ------------------------------------------------------------------ checks

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


def _conv_setup(x, weight, bias, stride, padding, dilation, groups):
    """Validate a conv2d call; return the arrays, groups, pads and per-axis settings."""
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


# ------------------------------------------------------------ convolution

def _grouped(xp, weight, groups, stride, dilation, out):
    """im2col for a block of images (or of output rows), then one matrix product per
    group (BLAS). The columns buffer stays near ``_BLOCK_BYTES`` whatever the image size."""
    n, c_in = xp.shape[:2]
    c_out, cg, kh, kw = weight.shape
    cols = _windows(xp, (kh, kw), stride, dilation, out).transpose(0, 1, 4, 5, 2, 3)
    w = weight.reshape(groups, c_out // groups, cg * kh * kw)
    result = np.empty((n, groups, c_out // groups, out[0], out[1]), xp.dtype)
    per_row = c_in * kh * kw * out[1] * xp.itemsize
    rows = max(1, min(out[0], _BLOCK_BYTES // per_row))
    block = max(1, _BLOCK_BYTES // (per_row * out[0])) if rows == out[0] else 1
    buf = np.empty(min(block, n) * c_in * kh * kw * rows * out[1], xp.dtype)
    for n0 in range(0, n, block):
        nb = min(block, n - n0)
        for r0 in range(0, out[0], rows):
            nr = min(rows, out[0] - r0)
            b = buf[:nb * c_in * kh * kw * nr * out[1]].reshape(nb, c_in, kh, kw, nr, out[1])
            src = cols[n0:n0 + nb, ..., r0:r0 + nr, :]
            _in_parallel(lambda c0, c1: np.copyto(b[:, c0:c1], src[:, c0:c1]), c_in, b.size)
            lhs = b.reshape(nb, groups, cg * kh * kw, nr * out[1])
            dst = result[n0:n0 + nb, ..., r0:r0 + nr, :]
            if nr == out[0]:  # whole images: write straight into the result
                np.matmul(w, lhs, out=dst.reshape(nb, groups, c_out // groups, -1))
            else:
                dst[...] = np.matmul(w, lhs).reshape(dst.shape)
    return result.reshape(n, c_out, *out)


def _depthwise(x, pads, weight, stride, dilation, out):
    """One input channel per group: im2col for a block of channels, then per channel a
    (C_out / C_in) x kH kW times kH kW x (oH oW) matrix product (BLAS).

    A multiply-add per tap would pass over the output 2 kH kW - 1 times; copying the taps
    into rows (one pass each, in blocks of ``_TAP_BYTES``) and letting BLAS do the sums
    is faster. Each thread takes a block of channels, and its images one at a time
    through one padded buffer. At stride 1 the output is computed over the whole padded
    width and the extra columns are cropped at the end: a tap is then one contiguous run
    per channel, at a fixed offset in the flat buffer.
    """
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    flat = stride == (1, 1)
    (top, bottom), (left, right) = pads
    hp, wp = top + h + bottom, left + w + right
    grid = (out[0], wp) if flat else out
    size = grid[0] * grid[1]
    wts = weight.reshape(c_in, c_out // c_in, kh * kw)
    result = np.empty((n, c_in, c_out // c_in, size), x.dtype)
    block = max(1, _TAP_BYTES // (kh * kw * size * x.itemsize))

    def channels(c0: int, c1: int) -> None:
        k = min(block, c1 - c0)
        buf = np.zeros((k, hp + int(flat), wp), x.dtype)  # a run passes the last row
        if flat:  # tap (i, j) starts at i d_H wp + j d_W
            s = buf.strides[2]
            taps = as_strided(buf, (k, kh, kw, size), (buf.strides[0], dilation[0] * wp * s,
                                                       dilation[1] * s, s), writeable=False)
        else:
            taps = _windows(buf[None], (kh, kw), stride, dilation, out)[0]
            taps = taps.transpose(0, 3, 4, 1, 2)
        cols = np.empty((k, kh * kw, size), x.dtype)
        for m in range(n):
            for a in range(c0, c1, k):
                b = min(a + k, c1)
                buf[:b - a, top:top + h, left:left + w] = x[m, a:b]
                np.copyto(cols[:b - a].reshape(taps[:b - a].shape), taps[:b - a])
                np.matmul(wts[a:b], cols[:b - a], out=result[m, a:b])

    _in_parallel(channels, c_in, result.size * kh * kw)
    return result.reshape(n, c_out, *grid)[..., :out[1]]


def _conv_memory(op, x, weight, pads, out, work, depthwise: bool) -> None:
    """The memory cap for `conv2d`: padded input, result, and the depthwise tap rows."""
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    padded = (n, c_in, h + sum(pads[0]), w + sum(pads[1]))
    if depthwise:  # one channel's tap rows per thread, over the padded width
        _check_memory(op, work, padded_input=padded, result=(n, c_out, out[0], padded[3]),
                      tap_rows=(min(_THREADS, c_in), kh * kw, out[0], padded[3]))
    else:
        _check_memory(op, work, padded_input=padded, result=(n, c_out, *out))


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
    depthwise = weight.shape[1] == 1 and groups > 1
    _conv_memory("conv2d", x, weight, pads, out, work, depthwise)
    xw, w = x.astype(work, copy=False), weight.astype(work, copy=False)
    if depthwise:  # depthwise: a matrix product would be 1 x kH kW
        result = _depthwise(xw, pads, w, stride, dilation, out)
    else:
        result = _grouped(_pad(xw, pads), w, groups, stride, dilation, out)
    return _finish(result, bias, x.dtype, unbatched)


def conv2d_loops(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
                 stride: Pair = 1, padding: Pair | str = 0, dilation: Pair = 1,
                 groups: int = 1) -> np.ndarray:
    """`conv2d` as plain loops: every output pixel is a sum over its window.

    out[n, o, y, x] = bias[o] + sum over c, i, j of
    x_padded[n, first + c, y s + i d, x s + j d] * weight[o, c, i, j],
    where ``first`` is the first input channel of output channel o's group. Slow on
    purpose; equal to `conv2d` (same arguments, same checks).

    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> conv2d_loops(x, np.ones((1, 1, 3, 3)))[0, 0]
    array([[45., 54.],
           [81., 90.]])
    """
    x, weight, bias, groups, pads, stride, dilation, out, unbatched = _conv_setup(
        x, weight, bias, stride, padding, dilation, groups)
    _conv_memory("conv2d_loops", x, weight, pads, out, np.float64, False)
    xp = _pad(x, pads)
    n_images = x.shape[0]
    c_out, c_per_group, kh, kw = weight.shape
    out_per_group = c_out // groups
    result = np.zeros((n_images, c_out) + out, dtype=np.float64)
    for n in range(n_images):
        for o in range(c_out):
            first = (o // out_per_group) * c_per_group  # the group's first input channel
            for y in range(out[0]):
                for x_ in range(out[1]):
                    total = 0.0 if bias is None else float(bias[o])
                    for c in range(c_per_group):
                        for i in range(kh):
                            for j in range(kw):
                                row = y * stride[0] + i * dilation[0]
                                col = x_ * stride[1] + j * dilation[1]
                                total += xp[n, first + c, row, col] * weight[o, c, i, j]
                    result[n, o, y, x_] = total
    return _finish(result, None, x.dtype, unbatched)


# ------------------------------------------------------- transposed convolution

def conv_transpose2d(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
                     stride: Pair = 1, padding: Pair = 0, output_padding: Pair = 0,
                     groups: int = 1, dilation: Pair = 1) -> np.ndarray:
    """Transposed convolution, as ``torch.nn.functional.conv_transpose2d``.

    ``x`` is ``(N, C_in, H, W)``, ``weight`` ``(C_in, C_out // g, kH, kW)``,
    ``bias`` ``(C_out,)``; per axis the output size is

    o = (i - 1) s - 2p + d (k - 1) + op + 1

    Every input pixel scatters its kernel, scaled by the pixel, into the output at
    ``s`` times its position; ``p`` is cropped from each side.

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
    if bias is not None:
        bias = _like("bias", bias, x, (out_per_group * groups,))
    stride, padding = _pair("stride", stride), _pair("padding", padding)
    output_padding, dilation = _pair("output_padding", output_padding), _pair("dilation", dilation)
    out = conv_transpose_output_size(x.shape[2:], (kh, kw), stride, padding, output_padding,
                                     dilation)
    work = _work(x.dtype)
    _transpose_memory(x, weight, groups, stride, padding, out, work)
    result = _scatter(x.astype(work, copy=False), weight.astype(work, copy=False), groups,
                      stride, padding, dilation, out)
    return _finish(result, bias, x.dtype, unbatched)


def _transpose_memory(x, weight, groups, stride, padding, out, work) -> None:
    """The memory cap for `conv_transpose2d`: the arrays `_scatter` makes."""
    n, c_in, h, w = x.shape
    _, out_per_group, kh, kw = weight.shape
    c_out, (sh, sw) = out_per_group * groups, stride
    hq, wq = -(-(out[0] + 2 * padding[0]) // sh), -(-(out[1] + 2 * padding[1]) // sw)
    _check_memory("conv_transpose2d", work, padded_input=(n, c_in, h, wq),
                  scaled_taps=(n, c_out, kh, kw, h * wq), phases=(n, c_out, sh, sw, (hq + 1) * wq),
                  result=(n, c_out, *out))


def _scatter(x, weight, groups, stride, padding, dilation, out):
    """Every pixel times every tap in one matrix product, then each tap added in place.

    Tap ``(i, j)`` of input pixel ``(y, x)`` lands at ``(y s + i d, x s + j d)``. The
    output is kept as ``s_H s_W`` phases (phase ``(a, b)`` holds rows ``a, a + s, ...``
    and columns ``b, b + s, ...``), where a tap is a plain shift: with the input rows
    padded to the phase width, a tap's add is one contiguous run per channel. The
    phases are then interleaved, cropping ``p``.
    """
    n, c_in, h, w = x.shape
    _, out_per_group, kh, kw = weight.shape
    (sh, sw), (dh, dw), c_out = stride, dilation, out_per_group * groups
    hq, wq = -(-(out[0] + 2 * padding[0]) // sh), -(-(out[1] + 2 * padding[1]) // sw)
    w_t = weight.reshape(groups, c_in // groups, -1).transpose(0, 2, 1)
    rows = _pad(x, ((0, 0), (0, wq - w))).reshape(n, groups, -1, h * wq)
    scaled = np.matmul(w_t, rows).reshape(n, c_out, kh, kw, h * wq)
    phases = np.zeros((n, c_out, sh, sw, (hq + 1) * wq), x.dtype)
    result = np.empty((n, c_out) + out, x.dtype)

    def channels(c0: int, c1: int) -> None:
        for i in range(kh):
            for j in range(kw):
                start = (i * dh // sh) * wq + j * dw // sw
                phases[:, c0:c1, i * dh % sh, j * dw % sw, start:start + h * wq] += \
                    scaled[:, c0:c1, i, j]
        grid = phases[:, c0:c1, ..., :hq * wq].reshape(n, c1 - c0, sh, sw, hq, wq)
        for a in range(sh):  # output row y is row y + p of the grid, in phase (y + p) % s
            for b in range(sw):
                y0, x0 = (a - padding[0]) % sh, (b - padding[1]) % sw
                dst = result[:, c0:c1, y0::sh, x0::sw]
                q, r = (y0 + padding[0]) // sh, (x0 + padding[1]) // sw
                dst[...] = grid[:, :, a, b, q:q + dst.shape[2], r:r + dst.shape[3]]

    _in_parallel(channels, c_out, phases.size)
    return result


# ------------------------------------------------------------------ unfold

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
    n, c, h, w = x.shape
    _check_memory("im2col", x.dtype, padded_input=(n, c, h + 2 * padding[0], w + 2 * padding[1]),
                  columns=(n, c * kernel[0] * kernel[1], out[0] * out[1]))
    win = _windows(_pad(x, tuple((p, p) for p in padding)), kernel, stride, dilation, out)
    cols = win.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kernel[0] * kernel[1], -1)
    return cols[0] if unbatched else cols
