"""Time per MAC of convolution layers, measured with ``torch.utils.benchmark``.

MACs count arithmetic; a layer's time also depends on how many values it moves. This
module measures the time of a forward pass of each layer (``Timer.blocked_autorange``,
the median over blocks of runs, at a fixed number of threads) and divides it by the
layer's MACs, ``k_h k_w (C_in/g) C_out H_out W_out``. Timings vary by machine and load:
compare the ratios, not the numbers.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from .._validate import positive_int

if TYPE_CHECKING:   # annotations only
    from torch import nn

__all__ = ["LayerTiming", "time_per_mac"]


class LayerTiming(NamedTuple):
    """One layer's forward time (median, seconds per run), its MACs and nanoseconds per MAC."""
    seconds: float
    macs: int
    ns_per_mac: float


def time_per_mac(layers: Mapping[str, nn.Conv2d], input_size: tuple[int, int, int], *,
                 batch: int = 1, threads: int = 1, min_run_time: float = 0.2,
                 seed: int = 0) -> dict[str, LayerTiming]:
    """Median forward time of each ``nn.Conv2d`` on a ``(batch, C, H, W)`` input, per MAC.

    MACs per layer: ``batch · k_h k_w (C_in/g) C_out H_out W_out`` (the output size taken
    from running the layer once). ``threads`` is passed to the Timer (``num_threads``).

    >>> import torch.nn as nn
    >>> t = time_per_mac({"dw": nn.Conv2d(4, 4, 3, groups=4)}, (4, 6, 6), min_run_time=0.01)
    >>> t["dw"].macs, t["dw"].ns_per_mac > 0
    (576, True)
    """
    import torch
    from torch.utils import benchmark

    b, n = positive_int("batch", batch), positive_int("threads", threads)
    if len(input_size) != 3:
        raise ValueError(f"`input_size` must be (C, H, W), got {input_size!r}")
    if not min_run_time > 0:
        raise ValueError(f"`min_run_time` must be > 0, got {min_run_time!r}")
    x = torch.randn((b, *input_size), generator=torch.Generator().manual_seed(seed))
    result = {}
    with torch.no_grad():
        for name, layer in layers.items():
            y = layer(x)
            kh, kw = layer.kernel_size
            macs = b * kh * kw * (layer.in_channels // layer.groups) * layer.out_channels * y.shape[-2] * y.shape[-1]
            timer = benchmark.Timer("layer(x)", globals={"layer": layer, "x": x}, num_threads=n)
            seconds = timer.blocked_autorange(min_run_time=min_run_time).median
            result[name] = LayerTiming(seconds, macs, seconds / macs * 1e9)
    return result
