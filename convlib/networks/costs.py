"""Published costs against counted ones, and measured time per image.

* `layout_costs`: ResNet-50's parameters and MACs in each layout of
  `convlib.networks.resnet_layouts`, counted by `convlib.summary` (the layouts
  differ only in where they stride, so the parameters agree and the MACs do not).
* `time_per_image`: the median CPU time of one forward pass at batch 1, with a fixed
  number of threads: the data behind "MACs are not speed". Times vary by machine and
  load; compare ratios, not values.

A convolution's MACs, for the record: ``C_out · (C_in / g) · k_h · k_w · o_h · o_w``,
so striding a layer earlier divides its cost by ``s²``.
"""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Any

from .._validate import positive_int

__all__ = ["LayoutCost", "layout_costs", "Timing", "time_per_image"]


@dataclass(frozen=True)
class LayoutCost:
    """One ResNet-50 layout: ``params``, ``macs`` (all layers) and ``fc_macs`` (the
    classifier's share, which endpoint tables such as TF-Slim's leave out)."""

    layout: str
    params: int
    macs: int
    fc_macs: int

    @property
    def gmacs(self) -> float:
        return self.macs / 1e9

    @property
    def gflops(self) -> float:
        """FLOPs = 2 MACs (one multiply and one add)."""
        return 2 * self.macs / 1e9


def layout_costs(input_size: int = 224) -> list[LayoutCost]:
    """`LayoutCost` of every layout in `convlib.networks.resnet_layouts.LAYOUTS`, built
    on the meta device and counted by `convlib.summary` on ``(3, i, i)``.

    >>> [round(c.gmacs, 3) for c in layout_costs()]
    [4.089, 3.858, 3.482, 3.482]
    """
    import torch

    from ..counting.summary import summary
    from .resnet_layouts import LAYOUTS, resnet50_layout
    positive_int("input_size", input_size)
    rows = []
    for layout in LAYOUTS:
        with torch.device("meta"):
            model = resnet50_layout(layout)
        s = summary(model, (3, input_size, input_size))
        fc = sum(r.macs for r in s.rows if r.name == "fc")
        rows.append(LayoutCost(layout, s.total_params, s.total_macs, fc))
    return rows


@dataclass(frozen=True)
class Timing:
    """Median and spread of ``repeats`` timed forward passes (seconds per image)."""

    median: float
    low: float
    high: float
    repeats: int
    threads: int


def time_per_image(model: Any, input_size: tuple[int, ...], repeats: int = 5,
                   warmup: int = 1, threads: int = 1) -> Timing:
    """Time ``model(x)`` for one ``(1, *input_size)`` input of zeros on the CPU, in eval mode
    without autograd, with ``torch.set_num_threads(threads)`` (restored afterwards):
    ``warmup`` untimed passes, then the median of ``repeats`` timed ones.

    >>> from torch import nn
    >>> t = time_per_image(nn.Conv2d(3, 8, 3), (3, 32, 32), repeats=3)
    >>> t.repeats, t.low <= t.median <= t.high
    (3, True)
    """
    import torch
    positive_int("repeats", repeats)
    positive_int("threads", threads)
    if not isinstance(warmup, int) or warmup < 0:
        raise ValueError(f"`warmup` must be a non-negative int, got {warmup!r}")
    before, was_training = torch.get_num_threads(), model.training
    x = torch.zeros((1,) + tuple(input_size))
    torch.set_num_threads(threads)
    model.eval()
    try:
        with torch.inference_mode():
            for _ in range(warmup):
                model(x)
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                model(x)
                times.append(time.perf_counter() - start)
    finally:
        torch.set_num_threads(before)
        model.train(was_training)
    return Timing(statistics.median(times), min(times), max(times), repeats, threads)
