"""Groups explorer: which input channels each filter sees, and what that saves."""
from __future__ import annotations

from ..draw.grouped import groups_figure
from ..grouped import GroupedConvCost, grouped_conv_cost, grouped_cost_text
from .core import Explorer, int_slider

__all__ = ["groups_explorer"]


def groups_explorer(in_channels: int = 8, out_channels: int = 8, groups: int = 2,
                    kernel_size: int = 3, output_size: int = 8,
                    render: bool = True) -> Explorer:
    """Sliders for C_in, C_out, g, k and H_out = W_out of one grouped ``nn.Conv2d``.

    The figure connects every filter to the input channels it reads; the
    text gives parameters and MACs (1/g of the standard conv). A ``g`` that
    does not divide both channel counts shows PyTorch's refusal as a message.

    >>> ex = groups_explorer(render=False)
    >>> ex.state.params, ex.state.macs_ratio
    (296, 0.5)
    >>> ex.controls["groups"].value = 3
    >>> ex.error
    '`groups` must divide in_channels and out_channels, got groups=3, in_channels=8, out_channels=8'
    """
    controls = {
        "in_channels": int_slider("C_in", in_channels, 1, 16),
        "out_channels": int_slider("C_out", out_channels, 1, 16),
        "groups": int_slider("groups g", groups, 1, 16),
        "kernel_size": int_slider("k", kernel_size, 1, 7),
        "output_size": int_slider("H_out = W_out", output_size, 1, 32),
    }
    rows = [["in_channels", "out_channels", "groups"], ["kernel_size", "output_size"]]
    return Explorer(controls, grouped_conv_cost, groups_figure(), _describe, rows, render)


def _describe(cost: GroupedConvCost) -> str:
    return grouped_cost_text(cost)
