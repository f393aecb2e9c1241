"""Weights of a transposed convolution: their layout, and the weights of equivalent layers.

* `conv_weight_shape`, `conv_transpose_weight_shape`: PyTorch's two layouts,
  ``(C_out, C_in/g, kH, kW)`` for ``Conv2d`` and ``(C_in, C_out/g, kH, kW)`` for
  ``ConvTranspose2d``;
* `swap_weight_channels`: the channel swap, group by group, that turns one layout
  into the other (``.transpose(0, 1)`` only when g = 1);
* `bilinear_kernel`, `bilinear_upsampling_weight`: FCN's bilinear initialisation;
* `pixel_shuffle`, `subpixel_weight`, `subpixel_conv_transpose`: a convolution that
  makes ``C_out s^2`` channels, then ``PixelShuffle(s)``, written as a transposed
  convolution with k = s m; `icnr_weight`: the sub-pixel weights that equal
  "convolve, then nearest-resize" (Aitken et al. 2017).

Pure numpy; torch is not imported.
"""
from __future__ import annotations

import numpy as np

from .._validate import nonneg_int, pair, positive_int
from ..convolution.ops import conv2d

__all__ = ["conv_weight_shape", "conv_transpose_weight_shape", "swap_weight_channels",
           "bilinear_kernel", "bilinear_upsampling_weight", "pixel_shuffle", "subpixel_weight",
           "subpixel_conv_transpose", "icnr_weight"]


def _groups(groups: object, **channels: int) -> int:
    g = positive_int("groups", groups)
    for name, c in channels.items():
        if c % g:
            raise ValueError(f"`{name}` ({c}) must be divisible by `groups` ({g})")
    return g


def conv_weight_shape(in_channels: int, out_channels: int, kernel_size: int | tuple[int, int],
                      groups: int = 1) -> tuple[int, int, int, int]:
    """``Conv2d(C_in, C_out, k, groups=g).weight.shape``: (C_out, C_in/g, kH, kW).

    >>> conv_weight_shape(8, 4, 3, groups=2)
    (4, 4, 3, 3)
    """
    c_in, c_out = positive_int("in_channels", in_channels), positive_int("out_channels", out_channels)
    g = _groups(groups, in_channels=c_in, out_channels=c_out)
    return (c_out, c_in // g, *pair("kernel_size", kernel_size))


def conv_transpose_weight_shape(in_channels: int, out_channels: int,
                                kernel_size: int | tuple[int, int],
                                groups: int = 1) -> tuple[int, int, int, int]:
    """``ConvTranspose2d(C_in, C_out, k, groups=g).weight.shape``: (C_in, C_out/g, kH, kW).

    The input channels come first: the reverse of `conv_weight_shape`.

    >>> conv_transpose_weight_shape(8, 4, 3, groups=2)
    (8, 2, 3, 3)
    """
    c_in, c_out = positive_int("in_channels", in_channels), positive_int("out_channels", out_channels)
    g = _groups(groups, in_channels=c_in, out_channels=c_out)
    return (c_in, c_out // g, *pair("kernel_size", kernel_size))


def swap_weight_channels(weight: np.ndarray, groups: int = 1) -> np.ndarray:
    """Swap the two channel axes of a 4-D weight inside each of the g groups.

    A ``(A, B, kH, kW)`` weight, A divisible by g, becomes ``(g B, A / g, kH, kW)``:
    group j's block ``weight[j A/g : (j+1) A/g]`` is transposed to
    ``out[j B : (j+1) B]``. It maps a ``ConvTranspose2d(C_in, C_out, groups=g)`` weight
    (C_in, C_out/g, ...) to the ``Conv2d(C_in, C_out, groups=g)`` layout (C_out, C_in/g, ...)
    and back; with g = 1 it is ``weight.transpose(1, 0, 2, 3)``.

    >>> swap_weight_channels(np.zeros((8, 2, 3, 3)), groups=2).shape
    (4, 4, 3, 3)
    """
    w = np.asarray(weight)
    if w.ndim != 4:
        raise ValueError(f"`weight` must be 4-D (A, B, kH, kW), got shape {w.shape}")
    g = _groups(groups, weight_first_axis=w.shape[0])
    a, b = w.shape[:2]
    return w.reshape(g, a // g, b, *w.shape[2:]).transpose(0, 2, 1, 3, 4).reshape(g * b, a // g, *w.shape[2:])


def bilinear_kernel(kernel_size: int) -> np.ndarray:
    """FCN's bilinear kernel (``upsample_filt`` in its ``surgery.py``), shape (k, k).

    With f = ceil(k / 2) and centre c = f - 1 (k odd) or f - 1/2 (k even),
    w[a, b] = (1 - |a - c| / f)(1 - |b - c| / f).

    >>> bilinear_kernel(4)[0]
    array([0.0625, 0.1875, 0.1875, 0.0625])
    """
    k = positive_int("kernel_size", kernel_size)
    f = (k + 1) // 2
    centre = f - 1 if k % 2 else f - 0.5
    t = 1 - np.abs(np.arange(k) - centre) / f
    return np.outer(t, t)


def bilinear_upsampling_weight(channels: int, stride: int) -> np.ndarray:
    """``ConvTranspose2d(C, C, k=2s, stride=s)`` weights that upsample each channel bilinearly.

    Shape (C, C, 2s, 2s): channel c -> c gets `bilinear_kernel(2s)`, every other pair zeros.
    With padding p = s/2 (s even) the layer equals ``F.interpolate(scale_factor=s,
    mode='bilinear', align_corners=False)`` except in the s/2 border rows and columns.
    """
    c, s = positive_int("channels", channels), positive_int("stride", stride)
    w = np.zeros((c, c, 2 * s, 2 * s))
    w[np.arange(c), np.arange(c)] = bilinear_kernel(2 * s)
    return w


def pixel_shuffle(x: np.ndarray, upscale_factor: int) -> np.ndarray:
    """``F.pixel_shuffle``: (N, C s^2, H, W) -> (N, C, H s, W s).

    out[n, c, h s + a, w s + b] = x[n, c s^2 + a s + b, h, w].
    """
    s = positive_int("upscale_factor", upscale_factor)
    x = np.asarray(x)
    if x.ndim != 4 or x.shape[1] % (s * s):
        raise ValueError(f"`x` must be (N, C·{s * s}, H, W), got shape {x.shape}")
    n, cs, h, w = x.shape
    return x.reshape(n, cs // (s * s), s, s, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, cs // (s * s), h * s, w * s)


def subpixel_weight(weight: np.ndarray, stride: int) -> np.ndarray:
    """Conv2d weights that, followed by ``PixelShuffle(s)``, give ``ConvTranspose2d`` (g = 1).

    ``weight`` is a transposed-convolution weight (C_in, C_out, k, k) with k = s m. Output
    phase r of the transposed convolution reads every s-th tap, w[s a + r], a = 0 … m - 1,
    as an ordinary convolution with the m taps flipped:

    W[c s^2 + r_h s + r_w, c_in, b_h, b_w] = w[c_in, c, s(m - 1 - b_h) + r_h, s(m - 1 - b_w) + r_w]

    Shape (C_out s^2, C_in, m, m); `subpixel_conv_transpose` pads and crops.
    """
    s, w = positive_int("stride", stride), np.asarray(weight)
    if w.ndim != 4:
        raise ValueError(f"`weight` must be 4-D (C_in, C_out, k, k), got shape {w.shape}")
    c_in, c_out, kh, kw = w.shape
    if kh % s or kw % s:
        raise ValueError(f"`stride` ({s}) must divide the kernel size, got {kh}×{kw}")
    mh, mw = kh // s, kw // s
    w6 = w.reshape(c_in, c_out, mh, s, mw, s)[:, :, ::-1, :, ::-1, :]
    return w6.transpose(1, 3, 5, 0, 2, 4).reshape(c_out * s * s, c_in, mh, mw).copy()


def subpixel_conv_transpose(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
                            stride: int = 2, padding: int = 0) -> np.ndarray:
    """``conv_transpose2d(x, weight, bias, s, p)`` computed as conv, ``PixelShuffle(s)``, crop.

    The convolution (`subpixel_weight`, padding m - 1) gives (i + m - 1) values per axis;
    the shuffle makes s(i + m - 1) = (i - 1)s + k, the uncropped transposed output; cropping
    p from each side leaves o = (i - 1)s + k - 2p.
    """
    s, p = positive_int("stride", stride), nonneg_int("padding", padding)
    wc = subpixel_weight(weight, s)
    m = (wc.shape[-2] - 1, wc.shape[-1] - 1)
    b = None if bias is None else np.repeat(np.asarray(bias), s * s)
    full = pixel_shuffle(conv2d(np.asarray(x), wc, b, padding=m), s)
    if 2 * p >= min(full.shape[-2:]):
        raise ValueError(f"`padding` ({p}) crops the whole {full.shape[-2]}×{full.shape[-1]} output")
    return full[..., p:full.shape[-2] - p, p:full.shape[-1] - p]


def icnr_weight(weight: np.ndarray, stride: int) -> np.ndarray:
    """Sub-pixel weights with all s^2 phases equal: conv, shuffle = conv, then nearest resize.

    ``weight`` (C_out, C_in, kH, kW) -> (C_out s^2, C_in, kH, kW), each output channel
    repeated s^2 times (Aitken et al. 2017's "convolution NN resize" initialisation).
    """
    s, w = positive_int("stride", stride), np.asarray(weight)
    if w.ndim != 4:
        raise ValueError(f"`weight` must be 4-D (C_out, C_in, kH, kW), got shape {w.shape}")
    return np.repeat(w, s * s, axis=0)
