"""Depthwise-separable explorer: standard conv against depthwise + pointwise."""
from __future__ import annotations

from ..draw.separable import SeparableView, separable_figure
from ..separable import depthwise_separable_cost, separable_cost_text, separable_macs_ratio
from .core import Explorer, int_slider

__all__ = ["separable_explorer", "separable_view"]

#: Largest C_out on the sliders and on the ratio curve.
MAX_CHANNELS = 256


def separable_view(in_channels: int, out_channels: int, kernel_size: int,
                   output_size: int) -> SeparableView:
    """The explorer's state: the costs, and the ratio curve over C_out = 1 .. 256.

    >>> v = separable_view(32, 64, 3, 56)
    >>> v.cost.standard_macs, round(v.cost.macs_ratio, 4), len(v.curve_ratio)
    (57802752, 0.1267, 256)
    """
    cost = depthwise_separable_cost(in_channels, out_channels, kernel_size, output_size)
    xs = list(range(1, MAX_CHANNELS + 1))
    return SeparableView(cost, xs, [separable_macs_ratio(c, kernel_size) for c in xs],
                         kernel_size * kernel_size)


def separable_explorer(in_channels: int = 32, out_channels: int = 64, kernel_size: int = 3,
                       output_size: int = 56, render: bool = True) -> Explorer:
    """Sliders for C_in, C_out, k and H_out = W_out; bars and the ratio 1/C_out + 1/k^2.

    >>> ex = separable_explorer(render=False)
    >>> ex.controls["kernel_size"].value = 5
    >>> round(ex.state.cost.macs_ratio, 4)
    0.0556
    """
    controls = {
        "in_channels": int_slider("C_in", in_channels, 1, MAX_CHANNELS),
        "out_channels": int_slider("C_out", out_channels, 1, MAX_CHANNELS),
        "kernel_size": int_slider("k", kernel_size, 1, 9),
        "output_size": int_slider("H_out = W_out", output_size, 1, 112),
    }
    rows = [["in_channels", "out_channels"], ["kernel_size", "output_size"]]
    return Explorer(controls, separable_view, separable_figure(),
                    lambda view: separable_cost_text(view.cost), rows, render)
