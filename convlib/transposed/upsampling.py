"""Learned upsampling: stacks of transposed convolutions versus resize-then-convolve.

`transposed_stack` and `resize_conv_stack` build small randomly initialised
(seeded) PyTorch models that upsample by ``2 ** layers``; `numpy_forward` runs
such a model with convlib's numpy ops (the check against torch); `period`
finds the smallest repeat of an output's interior, which is how a
checkerboard artifact shows on a flat input. torch is imported lazily.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._validate import IntOrTuple, nonneg_int, positive_int
from ..sizes.shapes import conv_output_size, output_padding_for
from ..convolution.ops import conv2d, conv_transpose2d

__all__ = ["nearest_upsample", "transposed_stack", "resize_conv_stack", "numpy_forward",
           "period", "ripple", "smooth_image", "encoder_decoder"]


def nearest_upsample(x: np.ndarray, scale: int) -> np.ndarray:
    """Repeat every pixel ``scale`` times along the last two axes.

    As ``F.interpolate(x, scale_factor=scale, mode="nearest")`` for an int scale.

    >>> nearest_upsample(np.array([[1, 2], [3, 4]]), 2)
    array([[1, 1, 2, 2],
           [1, 1, 2, 2],
           [3, 3, 4, 4],
           [3, 3, 4, 4]])
    """
    scale = positive_int("scale", scale)
    return np.repeat(np.repeat(np.asarray(x), scale, axis=-2), scale, axis=-1)


def _channels(channels: Any) -> list[int]:
    chans = [positive_int("channels", c) for c in channels]
    if len(chans) < 2:
        raise ValueError(f"`channels` must list at least 2 channel counts, got {channels!r}")
    return chans


def _make_positive(model: Any) -> Any:
    import torch
    with torch.no_grad():
        for m in model:
            if hasattr(m, "weight"):
                m.weight.abs_()
                m.bias.zero_()
    return model


def transposed_stack(kernel_size: int = 3, stride: int = 2, padding: int | None = None,
                     output_padding: int | None = None, channels=(1, 8, 8, 1), seed: int = 0,
                     positive: bool = False):
    """``ConvTranspose2d`` layers (ReLU between) that each upsample by ``stride``.

    By default ``p = ceil((k - s) / 2)`` and ``op = 2p + s - k``, so each layer
    maps ``i`` to exactly ``s i``: o = (i - 1) s - 2p + k + op = s i.
    Weights are PyTorch's default initialisation after ``torch.manual_seed(seed)``;
    with ``positive=True`` their absolute values and zero biases (every layer a
    random blur: nothing cancels, so the overlap pattern shows).

    >>> transposed_stack(3)[0]
    ConvTranspose2d(1, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))
    """
    import torch
    from torch import nn
    k, s = positive_int("kernel_size", kernel_size), positive_int("stride", stride)
    p = max(-(-(k - s) // 2), 0) if padding is None else nonneg_int("padding", padding)
    op = 2 * p + s - k if output_padding is None else nonneg_int("output_padding", output_padding)
    if op < 0 or (op >= s):
        raise ValueError(f"`output_padding` must be in [0, stride): got {op} for kernel_size={k}, "
                         f"stride={s}, padding={p}")
    chans = _channels(channels)
    torch.manual_seed(seed)
    layers: list[Any] = []
    for c_in, c_out in zip(chans, chans[1:]):
        layers += [nn.ConvTranspose2d(c_in, c_out, k, s, p, op), nn.ReLU()]
    model = nn.Sequential(*layers[:-1]).double()
    return _make_positive(model) if positive else model


def resize_conv_stack(kernel_size: int = 3, scale: int = 2, channels=(1, 8, 8, 1), seed: int = 0,
                      positive: bool = False):
    """Nearest-neighbour ``Upsample`` then a stride-1 ``Conv2d`` ('same' size, replicate
    padding), ReLU between: the checkerboard-free alternative (Odena et al., 2016).
    Initialisation as in `transposed_stack`.

    >>> resize_conv_stack()[:2]
    Sequential(
      (0): Upsample(scale_factor=2.0, mode='nearest')
      (1): Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), padding_mode=replicate)
    )
    """
    import torch
    from torch import nn
    k, scale = positive_int("kernel_size", kernel_size), positive_int("scale", scale)
    if k % 2 == 0:
        raise ValueError(f"`kernel_size` must be odd to keep the size, got {k}")
    chans = _channels(channels)
    torch.manual_seed(seed)
    layers: list[Any] = []
    for c_in, c_out in zip(chans, chans[1:]):
        layers += [nn.Upsample(scale_factor=scale, mode="nearest"),
                   nn.Conv2d(c_in, c_out, k, padding=k // 2, padding_mode="replicate"), nn.ReLU()]
    model = nn.Sequential(*layers[:-1]).double()
    return _make_positive(model) if positive else model


def _np(t: Any) -> np.ndarray | None:
    return None if t is None else t.detach().cpu().numpy()


def numpy_forward(model: Any, x: np.ndarray) -> np.ndarray:
    """Run an ``nn.Sequential`` of ConvTranspose2d, Conv2d (zeros or replicate padding),
    nearest Upsample (int scale) and ReLU with convlib's numpy ops.

    >>> import torch
    >>> model = transposed_stack(3, channels=(1, 2))
    >>> x = np.ones((1, 1, 3, 3))
    >>> bool(np.allclose(numpy_forward(model, x), model(torch.from_numpy(x)).detach().numpy()))
    True
    """
    from torch import nn
    y = np.asarray(x)
    for m in model:
        if isinstance(m, nn.ConvTranspose2d):
            y = conv_transpose2d(y, _np(m.weight), _np(m.bias), m.stride, m.padding,
                                 m.output_padding, m.groups, m.dilation)
        elif isinstance(m, nn.Conv2d) and m.padding_mode in ("zeros", "replicate"):
            pad = m.padding
            if m.padding_mode == "replicate":
                y = np.pad(y, ((0, 0), (0, 0), (pad[0],) * 2, (pad[1],) * 2), mode="edge")
                pad = 0
            y = conv2d(y, _np(m.weight), _np(m.bias), m.stride, pad, m.dilation, m.groups)
        elif (isinstance(m, nn.Upsample) and m.mode == "nearest"
              and float(m.scale_factor).is_integer()):
            y = nearest_upsample(y, int(m.scale_factor))
        elif isinstance(m, nn.ReLU):
            y = np.maximum(y, 0)
        else:
            raise ValueError(f"`model` contains {m!r}, which numpy_forward does not support")
    return y


def period(y: np.ndarray, margin: int = 0, max_period: int = 32,
           rtol: float = 1e-9) -> tuple[int, int]:
    """Smallest ``(ph, pw)`` such that the interior of ``y`` repeats every ph rows, pw cols.

    The interior drops ``margin`` pixels on every side (border effects). A flat
    input gives a flat output away from the borders, ``(1, 1)``, unless the layer
    paints a pattern: a stack of ``L`` stride-2 transposed convolutions repeats
    every ``2 ** L`` pixels. Values are compared with ``rtol`` relative to the
    largest magnitude; returns ``max_period + 1`` on an axis with no repeat.

    >>> period(np.tile([[0.0, 1.0], [1.0, 0.0]], (4, 4)))
    (2, 2)
    >>> period(np.ones((5, 5)))
    (1, 1)
    """
    arr = np.asarray(y, dtype=float)
    margin = nonneg_int("margin", margin)
    inner = arr[..., margin:arr.shape[-2] - margin, margin:arr.shape[-1] - margin]
    if 0 in inner.shape:
        raise ValueError(f"`margin`={margin} leaves no interior of shape {arr.shape}")
    tol = rtol * max(float(np.abs(inner).max()), 1e-300)

    def axis_period(a: np.ndarray, axis: int) -> int:
        n = a.shape[axis]
        for p in range(1, min(max_period, n - 1) + 1):
            head = np.take(a, range(n - p), axis=axis)
            tail = np.take(a, range(p, n), axis=axis)
            if np.all(np.abs(head - tail) <= tol):
                return p
        return max_period + 1 if n > 1 else 1

    return axis_period(inner, -2), axis_period(inner, -1)


def ripple(y: np.ndarray, margin: int = 0) -> float:
    """Relative spread of the interior: ``(max - min) / mean``, ``margin`` pixels dropped
    on every side. 0 for a flat interior; for a flat input it measures the pattern a
    layer paints. The interior's mean must be positive.

    >>> ripple(np.array([[1.0, 3.0], [3.0, 1.0]]))
    1.0
    """
    arr = np.asarray(y, dtype=float)
    margin = nonneg_int("margin", margin)
    inner = arr[..., margin:arr.shape[-2] - margin, margin:arr.shape[-1] - margin]
    if 0 in inner.shape:
        raise ValueError(f"`margin`={margin} leaves no interior of shape {arr.shape}")
    mean = float(inner.mean())
    if mean <= 0:
        raise ValueError(f"`y` must have a positive mean inside the margin, got {mean:.3g}")
    return float(inner.max() - inner.min()) / mean


def smooth_image(size: int = 8) -> np.ndarray:
    """A smooth synthetic ``(1, 1, size, size)`` image in [0, 1]: a soft blob on a ramp.

    >>> img = smooth_image(8)
    >>> img.shape, bool(0 <= img.min() and img.max() <= 1)
    ((1, 1, 8, 8), True)
    """
    n = positive_int("size", size)
    t = np.linspace(-1, 1, n)
    yy, xx = np.meshgrid(t, t, indexing="ij")
    img = 0.6 * np.exp(-((xx - 0.2) ** 2 + (yy + 0.1) ** 2) / 0.3) + 0.2 * (xx + 1)
    return (img / img.max())[None, None]


def encoder_decoder(input_size: IntOrTuple, depth: int = 3, channels: int = 8,
                    kernel_size: int = 3, stride: int = 2, padding: int = 1, seed: int = 0):
    """A segmentation-style encoder-decoder whose output has the input's size, any size.

    ``depth`` stride-``s`` ``Conv2d`` layers go down; ``depth`` ``ConvTranspose2d`` layers
    (same k, s, p) come back up, each with the ``output_padding`` that undoes its mirror
    convolution (`convlib.output_padding_for`): op = (i + 2p - (k - 1) - 1) mod s.

    >>> import torch
    >>> model = encoder_decoder((37, 50))
    >>> [m.output_padding for m in model if isinstance(m, torch.nn.ConvTranspose2d)]
    [(1, 0), (0, 0), (0, 1)]
    >>> model(torch.zeros(1, 1, 37, 50)).shape
    torch.Size([1, 1, 37, 50])
    """
    import torch
    from torch import nn
    n, c = positive_int("depth", depth), positive_int("channels", channels)
    sizes = [input_size]
    for _ in range(n):
        sizes.append(conv_output_size(sizes[-1], kernel_size, stride, padding))
    torch.manual_seed(seed)
    down: list[Any] = []
    for level in range(n):
        down += [nn.Conv2d(1 if level == 0 else c, c, kernel_size, stride, padding), nn.ReLU()]
    up: list[Any] = []
    for level in reversed(range(n)):
        op = output_padding_for(sizes[level], kernel_size, stride, padding)
        up += [nn.ConvTranspose2d(c, 1 if level == 0 else c, kernel_size, stride, padding, op),
               nn.ReLU()]
    return nn.Sequential(*down, *up[:-1])
