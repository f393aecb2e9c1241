"""Checkerboard artifacts on a photograph: upsampling by a stride-2 transposed convolution
against resize-then-convolve, and the same pattern in the gradient of a strided
convolution (Odena et al., 2016).

Every method uses a fixed blur (the uniform kernel, scaled so that a flat image keeps
its mean brightness; for k=3, s=2 the phases of a flat image get 4/9, 8/9, 8/9, 16/9
of it, for k=4 every phase keeps it exactly), so that only the overlap pattern differs.
A stride-``s`` transposed convolution adds ``floor(k / s)`` or ``ceil(k / s)`` kernel taps to an output depending on
its position modulo ``s``: when ``s`` does not divide ``k`` the ``s x s`` phases of the
output get different totals (`phase_spread`). The gradient of a stride-``s`` convolution
with respect to its input is a transposed convolution, so it carries the same pattern.

numpy at the top; torch is imported inside the functions that need it.
"""
from __future__ import annotations

import numpy as np

from .._validate import nonneg_int, positive_int
from ..convolution.ops import conv2d, conv_transpose2d
from .upsampling import nearest_upsample

__all__ = ["UPSAMPLERS", "upsample_image", "phase_spread", "conv_input_gradient"]

#: Methods of `upsample_image`: what each does to an ``n x n`` image.
UPSAMPLERS = {
    "transposed k=3, s=2": "ConvTranspose2d(k=3, s=2, p=1, op=1): 2n, uneven overlap",
    "transposed k=4, s=2": "ConvTranspose2d(k=4, s=2, p=1): 2n, k divisible by s",
    "nearest, then conv": "nearest x2, then Conv2d(k=3, s=1, replicate padding): 2n",
    "bilinear, then conv": "bilinear x2, then Conv2d(k=3, s=1, replicate padding): 2n",
    "nearest, then ConvT s=1": "nearest x2, then ConvTranspose2d(k=3, s=1, p=1) (zero padding): 2n",
}


def _image(image: np.ndarray) -> np.ndarray:
    x = np.asarray(image, dtype=np.float64)
    if x.ndim != 2 or min(x.shape) < 2:
        raise ValueError(f"`image` must be a 2-D array of side >= 2, got shape {x.shape}")
    return x


def _blur_then(x: np.ndarray) -> np.ndarray:
    padded = np.pad(x, 1, mode="edge")
    return conv2d(padded[None, None], np.full((1, 1, 3, 3), 1 / 9))[0, 0]


def upsample_image(image: np.ndarray, method: str = "transposed k=3, s=2") -> np.ndarray:
    """Upsample a grey image with one of `UPSAMPLERS`, every kernel uniform (a blur).

    A stride-``s`` transposed convolution with ``k x k`` weights ``s^2 / k^2`` keeps a
    flat image's mean; a resize is followed by a ``3 x 3`` mean filter (a ``Conv2d`` with
    replicate padding, or a stride-1 ``ConvTranspose2d`` with ``p = 1``, i.e. zero padding).

    >>> y = upsample_image(np.ones((4, 4)))
    >>> y.shape, y[2:6, 2:6].round(3).tolist()[:2]
    ((8, 8), [[0.444, 0.889, 0.444, 0.889], [0.889, 1.778, 0.889, 1.778]])
    """
    x = _image(image)
    if method not in UPSAMPLERS:
        raise ValueError(f"`method` must be one of {list(UPSAMPLERS)}, got {method!r}")
    if method.startswith("transposed"):
        k, s = (3, 2) if "k=3" in method else (4, 2)
        op = (2 - k + 2 * 1) % s   # op = 2p + s - k keeps o = s i
        w = np.full((1, 1, k, k), s * s / (k * k))
        return conv_transpose2d(x[None, None], w, stride=s, padding=1, output_padding=op)[0, 0]
    if method == "nearest, then ConvT s=1":
        big = nearest_upsample(x, 2)[None, None]
        return conv_transpose2d(big, np.full((1, 1, 3, 3), 1 / 9), stride=1, padding=1)[0, 0]
    if method.startswith("nearest"):
        return _blur_then(nearest_upsample(x, 2))
    import torch
    import torch.nn.functional as F
    big = F.interpolate(torch.from_numpy(x)[None, None], scale_factor=2, mode="bilinear",
                        align_corners=False)[0, 0].numpy()
    return _blur_then(big)


def phase_spread(y: np.ndarray, stride: int = 2, margin: int = 2) -> float:
    """How unequal the ``s x s`` phases of an upsampled image are: the means of
    ``y[a::s, b::s]`` (``margin`` pixels dropped on every side), ``(max - min) / mean``.

    About 0 for a smooth upsampling; large for a checkerboard.

    >>> phase_spread(np.tile([[4.0, 2.0], [2.0, 1.0]], (5, 5)))
    1.3333333333333333
    >>> phase_spread(np.ones((8, 8)))
    0.0
    """
    arr = np.asarray(y, dtype=np.float64)
    s, m = positive_int("stride", stride), nonneg_int("margin", margin)
    inner = arr[m:arr.shape[0] - m, m:arr.shape[1] - m]
    if min(inner.shape, default=0) < s:
        raise ValueError(f"`margin`={m} leaves less than one {s} x {s} block of shape {arr.shape}")
    start = -m % s  # keep the phases aligned with the full image
    means = [inner[a::s, b::s].mean() for a in range(start, start + s) for b in range(start, start + s)]
    mean = float(np.mean(means))
    if mean <= 0:
        raise ValueError(f"`y` must have a positive mean inside the margin, got {mean:.3g}")
    return float(max(means) - min(means)) / mean


def conv_input_gradient(input_size: int | tuple[int, int], kernel_size: int = 3,
                        stride: int = 2, upstream: np.ndarray | None = None) -> np.ndarray:
    """Gradient, with respect to its input, of a stride-``s`` convolution with an all-ones
    ``k x k`` kernel (no padding), for an upstream gradient ``upstream`` (ones by default).

    dL/dx = conv_transpose2d(dL/dy, w, stride=s)

    With a uniform upstream gradient this counts, for every input pixel, the windows that
    read it: the overlap pattern, uneven when ``s`` does not divide ``k`` (torch autograd).

    >>> conv_input_gradient(7, 3, 2)[0].astype(int).tolist()
    [1, 1, 2, 1, 2, 1, 1]
    """
    import torch
    import torch.nn.functional as F

    h, w = (input_size, input_size) if isinstance(input_size, int) else input_size
    h, w = positive_int("input_size", h), positive_int("input_size", w)
    k, s = positive_int("kernel_size", kernel_size), positive_int("stride", stride)
    if k > min(h, w):
        raise ValueError(f"`kernel_size`={k} is larger than the input {h} x {w}")
    x = torch.zeros(1, 1, h, w, dtype=torch.float64, requires_grad=True)
    y = F.conv2d(x, torch.ones(1, 1, k, k, dtype=torch.float64), stride=s)
    if upstream is None:
        up = torch.ones_like(y)
    else:
        arr = np.asarray(upstream, dtype=np.float64)
        if arr.shape != tuple(y.shape[2:]):
            raise ValueError(f"`upstream` must have the output's shape {tuple(y.shape[2:])}, "
                             f"got {arr.shape}")
        up = torch.from_numpy(arr)[None, None]
    y.backward(up)
    return x.grad[0, 0].numpy().copy()
