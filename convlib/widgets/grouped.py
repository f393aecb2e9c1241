"""Groups explorer: which input channels each filter sees, and what that saves.

Depthwise-separable explorer: standard conv against depthwise + pointwise.
"""
from __future__ import annotations

from math import gcd

from ..draw.grouped import groups_figure, separable_figure, SeparableView
from ..grouped.groups import grouped_conv_cost, grouped_cost_text, GroupedConvCost
from ..grouped.separable import depthwise_separable_cost, separable_cost_text, separable_macs_ratio
from .core import choice_slider, Explorer, int_slider

__all__ = ["GroupsExplorer", "groups_explorer", "valid_groups", "fit_groups", "separable_explorer",
           "separable_view"]

def valid_groups(in_channels: int, out_channels: int) -> list[int]:
    """The values of ``groups`` PyTorch accepts: the divisors of both channel counts.

    >>> valid_groups(12, 8)
    [1, 2, 4]
    """
    g = gcd(in_channels, out_channels)
    return [d for d in range(1, g + 1) if g % d == 0]


def fit_groups(slider, in_channels: int, out_channels: int) -> None:
    """Let a ``groups`` selection slider offer only `valid_groups`; keep its value when
    still valid, else take the nearest valid value below (1 always is)."""
    options = valid_groups(in_channels, out_channels)
    if list(slider.options) != options:
        keep = max(g for g in options if g <= slider.value)
        slider.options = options
        slider.value = keep


class GroupsExplorer(Explorer):
    """Explorer whose ``groups`` slider steps only over the divisors of C_in and C_out."""

    def before_compute(self) -> None:
        fit_groups(self.controls["groups"], self.controls["in_channels"].value,
                   self.controls["out_channels"].value)


def groups_explorer(in_channels: int = 8, out_channels: int = 8, groups: int = 2,
                    kernel_size: int = 3, output_size: int = 8,
                    render: bool = True) -> Explorer:
    """Sliders for C_in, C_out, g, k and H_out = W_out of one grouped ``nn.Conv2d``.

    The figure connects every filter to the input channels it reads; the
    text gives parameters and MACs (1/g of the standard conv). The ``g`` slider
    offers only the divisors of both channel counts (`valid_groups`).

    >>> ex = groups_explorer(render=False)
    >>> ex.state.params, ex.state.macs_ratio
    (296, 0.5)
    >>> ex.controls["groups"].options
    (1, 2, 4, 8)
    >>> ex.controls["in_channels"].value = 12; ex.controls["groups"].options, ex.state.groups
    ((1, 2, 4), 2)
    """
    if (in_channels % groups or out_channels % groups) or groups < 1:
        raise ValueError(f"`groups` must divide in_channels and out_channels, got "
                         f"groups={groups}, in_channels={in_channels}, out_channels={out_channels}")
    controls = {
        "in_channels": int_slider("C_in", in_channels, 1, 16),
        "out_channels": int_slider("C_out", out_channels, 1, 16),
        "groups": choice_slider("groups g", groups, valid_groups(in_channels, out_channels)),
        "kernel_size": int_slider("k", kernel_size, 1, 7),
        "output_size": int_slider("H_out = W_out", output_size, 1, 32),
    }
    rows = [["in_channels", "out_channels", "groups"], ["kernel_size", "output_size"]]
    return GroupsExplorer(controls, grouped_conv_cost, groups_figure(), _describe, rows, render)


def _describe(cost: GroupedConvCost) -> str:
    return grouped_cost_text(cost)


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
