"""Grouped and depthwise-separable convolution explorers, drawn in the browser.

The groups explorer: which input channels each filter of one grouped ``nn.Conv2d`` sees,
and what that saves (``convlib/web/explorers/groups.js``). The depthwise-separable
explorer: a standard conv against depthwise + pointwise (``separable.js``). Both compute
in the browser what `convlib.grouped` computes here.
"""
from __future__ import annotations

from math import gcd

from ..draw.grouped import SeparableView
from ..grouped.separable import depthwise_separable_cost, separable_macs_ratio
from .browser import BrowserExplorer, browser_explorer

__all__ = ["groups_explorer", "valid_groups", "fit_groups", "separable_explorer",
           "separable_view", "MAX_CHANNELS"]


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


def groups_explorer(in_channels: int = 8, out_channels: int = 8, groups: int = 2,
                    kernel_size: int = 3, output_size: int = 8) -> BrowserExplorer:
    """Sliders for C_in, C_out, g (1 to 16), k and H_out = W_out of one grouped
    ``nn.Conv2d``, in the browser.

    The picture connects every filter to the input channels it reads and shows the
    ``C_out x C_in`` matrix of the pairs kept; the text gives parameters and MACs (1/g of
    the standard conv) and the values g may take (`valid_groups`). A g that does not
    divide both channel counts is refused with convlib's message, as PyTorch refuses the
    layer. The arithmetic is `convlib.grouped.groups.grouped_conv_cost`'s.

    >>> ex = groups_explorer(in_channels=12, out_channels=8, groups=4)
    >>> ex.groups, ex.explorer_name
    (4, 'groups')
    """
    return browser_explorer("groups", in_channels=in_channels, out_channels=out_channels,
                            groups=groups, kernel_size=kernel_size, output_size=output_size)


#: Largest C_out on the sliders and on the ratio curve.
MAX_CHANNELS = 256


def separable_view(in_channels: int, out_channels: int, kernel_size: int,
                   output_size: int) -> SeparableView:
    """What the separable explorer shows: the costs, and the ratio curve over
    C_out = 1 .. 256 (`convlib.draw.draw_separable` draws it as a static figure).

    >>> v = separable_view(32, 64, 3, 56)
    >>> v.cost.standard_macs, round(v.cost.macs_ratio, 4), len(v.curve_ratio)
    (57802752, 0.1267, 256)
    """
    cost = depthwise_separable_cost(in_channels, out_channels, kernel_size, output_size)
    xs = list(range(1, MAX_CHANNELS + 1))
    return SeparableView(cost, xs, [separable_macs_ratio(c, kernel_size) for c in xs],
                         kernel_size * kernel_size)


def separable_explorer(in_channels: int = 32, out_channels: int = 64, kernel_size: int = 3,
                       output_size: int = 56) -> BrowserExplorer:
    """Sliders for C_in, C_out (1 to 256), k and H_out = W_out, in the browser: parameters
    and MACs of a standard conv and of depthwise + pointwise as bars, and the ratio
    1/C_out + 1/k^2 against C_out (``convlib/web/explorers/separable.js``; its arithmetic
    is `separable_view`'s).

    >>> ex = separable_explorer()
    >>> ex.kernel_size = 5
    >>> ex.values
    {'in_channels': 32, 'out_channels': 64, 'kernel_size': 5, 'output_size': 56}
    """
    return browser_explorer("separable", in_channels=in_channels, out_channels=out_channels,
                            kernel_size=kernel_size, output_size=output_size)
