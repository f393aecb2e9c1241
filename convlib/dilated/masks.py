"""Dilated kernels as masks: where a dilated kernel's taps fall, and how often a stack
of dilated convolutions reads each input pixel (gridding).

Notation (SYLLABUS.md): kernel ``k``, dilation ``d``, effective kernel
``k_eff = d (k - 1) + 1`` (`convlib.effective_kernel_size`). Per-axis settings are
an int or a pair ``(H, W)``; a bad argument raises a ``ValueError`` naming it.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._validate import pair as _pair, positive_int
from ..sizes.shapes import effective_kernel_size

__all__ = ["dilated_kernel_mask", "gridding_mask", "polyphase_conv2d"]

Pair = int | tuple[int, int]


def _mask_axis(k: int, d: int) -> np.ndarray:
    mask = np.zeros(effective_kernel_size(k, d), dtype=bool)
    mask[::d] = True
    return mask


def dilated_kernel_mask(kernel_size: Pair, dilation: Pair) -> np.ndarray:
    """Where the taps of a dilated kernel fall in its span ``k_eff``.

    k_eff = d (k - 1) + 1, with ``d - 1`` gaps between taps. A 1-D mask for
    ints, a 2-D mask (outer product) for pairs.

    >>> dilated_kernel_mask(3, 2).astype(int)
    array([1, 0, 1, 0, 1])
    >>> dilated_kernel_mask((2, 3), (3, 1)).shape
    (4, 3)
    """
    if not any(isinstance(a, Sequence) for a in (kernel_size, dilation)):
        return _mask_axis(kernel_size, dilation)
    (kh, kw), (dh, dw) = _pair("kernel_size", kernel_size), _pair("dilation", dilation)
    return np.outer(_mask_axis(kh, dh), _mask_axis(kw, dw))


def _paths_axis(dilations: list[int], k: int, n: int | None) -> np.ndarray:
    if n is None:  # valid convolutions: the whole field of the single output
        counts = np.ones(1, dtype=int)
        for d in dilations:
            counts = np.convolve(counts, _mask_axis(k, d).astype(int))
        return counts
    counts = np.zeros(n, dtype=int)
    counts[(n - 1) // 2] = 1
    for d in reversed(dilations):  # back through padding='same' layers, top to bottom
        below, before = np.zeros(n, dtype=int), d * (k - 1) // 2
        for m in range(k):
            shift = m * d - before  # output j reads input j + shift
            lo, hi = max(0, -shift), min(n, n - shift)
            if lo < hi:
                below[lo + shift:hi + shift] += counts[lo:hi]
        counts = below
    return counts


def gridding_mask(dilations: Sequence[int], kernel_size: Pair = 3,
                  input_size: Pair | None = None) -> np.ndarray:
    """Paths from the centre output of a dilated stack to each input pixel.

    For stride-1 convolutions with these dilations (bottom layer first), entry
    ``[y, x]`` counts the chains of kernel taps linking the centre output to
    input pixel ``(y, x)``: the gradient of that output with all-ones weights.
    Zero entries are pixels the unit never reads; ``> 0`` gives the mask.
    Equal dilations (2, 2, 2) leave a grid of holes ("gridding"); a mixed
    schedule such as (1, 2, 5) covers its whole field, of size

    RF = 1 + sum_l d_l (k - 1)

    With ``input_size=None`` the convolutions are unpadded and the map is the
    ``RF x RF`` field of the single output. With an ``input_size`` they use
    ``padding='same'`` (as dilated segmentation networks do), the map has that
    size, the centre is ``((H - 1) // 2, (W - 1) // 2)``, and paths through
    the zero padding are lost.

    >>> gridding_mask([2, 2, 2])[:2]
    array([[1, 0, 3, 0, 6, 0, 7, 0, 6, 0, 3, 0, 1],
           [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]])
    >>> bool(gridding_mask([1, 2, 5]).all())
    True
    """
    if isinstance(dilations, (str, bytes)) or not isinstance(dilations, Sequence) or not dilations:
        raise ValueError(f"`dilations` must be a non-empty sequence of ints, got {dilations!r}")
    ds = [positive_int("dilations", d) for d in dilations]
    kh, kw = _pair("kernel_size", kernel_size)
    nh, nw = (None, None) if input_size is None else _pair("input_size", input_size)
    return np.outer(_paths_axis(ds, kh, nh), _paths_axis(ds, kw, nw))


def polyphase_conv2d(x: np.ndarray, weight: np.ndarray, dilation: Pair) -> np.ndarray:
    """An unpadded stride-1 dilated convolution as ``d_h d_w`` ordinary ones, one per phase.

    y[a + d m, b + d n] = conv2d(x[a::d, b::d], w)[m, n]   for phases 0 <= a, b < d

    Output pixels of phase ``(a, b)`` read only input pixels of the same phase (the
    polyphase or space-to-batch view), so a stack of equal dilations never mixes phases.
    ``x`` is ``(N, C_in, H, W)``, ``weight`` ``(C_out, C_in, kH, kW)``; the result equals
    ``conv2d(x, weight, dilation=dilation)``.

    >>> x = np.arange(36.0).reshape(1, 1, 6, 6)
    >>> polyphase_conv2d(x, np.ones((1, 1, 2, 2)), 2)[0, 0, 0]
    array([28., 32., 36., 40.])
    """
    from ..convolution.ops import conv2d

    dh, dw = (positive_int("dilation", d) for d in _pair("dilation", dilation))
    (kh, kw), (h, w) = weight.shape[-2:], x.shape[-2:]
    oh, ow = h - dh * (kh - 1), w - dw * (kw - 1)
    if oh < 1 or ow < 1:
        raise ValueError(f"`dilation` {dilation!r} makes the kernel span "
                         f"{dh * (kh - 1) + 1}x{dw * (kw - 1) + 1}, larger than the input {h}x{w}")
    out = np.zeros((x.shape[0], weight.shape[0], oh, ow), dtype=np.result_type(x, weight))
    for a, b in np.ndindex(min(dh, oh), min(dw, ow)):
        out[..., a::dh, b::dw] = conv2d(x[..., a::dh, b::dw], weight)
    return out
