"""Layer-cost explorer: channels, kernel, groups and map size drive one ``nn.Conv2d``'s
parameters and MACs, drawn in the browser (``convlib/web/explorers/layer_cost.js``) as a
table of the counts, each with its rule and numbers, and bars of the parameters and MACs
against those of the dense (g = 1) layer. An invalid combination (a kernel larger than the
padded input, a ``groups`` that does not divide both channel counts) shows a short message
over the greyed picture. The ``groups`` slider spans 1 to gcd(C_in, C_out).
"""
from __future__ import annotations

from typing import NamedTuple

from ..counting.formulas import conv2d_macs, conv2d_params
from ..sizes.shapes import conv_output_size
from .browser import BrowserExplorer, browser_explorer

__all__ = ["LayerCost", "layer_cost", "layer_cost_rows", "layer_cost_explorer"]


class LayerCost(NamedTuple):
    """Counts of ``nn.Conv2d(C_in, C_out, k, stride=s, padding=p, groups=g)`` on an i x i map."""

    in_channels: int
    out_channels: int
    kernel_size: int
    groups: int
    input_size: int
    stride: int
    padding: int
    output_size: int
    params: int
    macs: int
    dense_params: int
    dense_macs: int

    @property
    def weights(self) -> int:
        """k k (C_in / g) C_out: the parameters without the C_out biases."""
        return self.params - self.out_channels

    @property
    def flops(self) -> int:
        """2 x MACs, the convention of ``FlopCounterMode``."""
        return 2 * self.macs


def layer_cost(in_channels: int, out_channels: int, kernel_size: int, groups: int = 1,
               input_size: int = 28, stride: int = 1, padding: int = 0) -> LayerCost:
    """Output size, parameters and MACs of one conv layer (with bias), and of its g = 1 twin.

    o = floor((i + 2p - k) / s) + 1,   params = k k (C_in / g) C_out + C_out,
    MACs = k k (C_in / g) C_out o o

    Raises ValueError (naming the parameter) for a combination PyTorch refuses.

    >>> c = layer_cost(16, 32, 3, groups=4, input_size=10)
    >>> c.output_size, c.params, c.macs, c.dense_macs
    (8, 1184, 73728, 294912)
    """
    o = conv_output_size(input_size, kernel_size, stride=stride, padding=padding)
    return LayerCost(in_channels, out_channels, kernel_size, groups, input_size, stride, padding, o,
                     params=conv2d_params(in_channels, out_channels, kernel_size, groups),
                     macs=conv2d_macs(in_channels, out_channels, kernel_size, o, groups),
                     dense_params=conv2d_params(in_channels, out_channels, kernel_size),
                     dense_macs=conv2d_macs(in_channels, out_channels, kernel_size, o))


def layer_cost_rows(c: LayerCost) -> list[tuple[str, str, str, int]]:
    """The explorer's table: (count, rule, numbers, value) per row.

    >>> layer_cost_rows(layer_cost(16, 32, 3, groups=4, input_size=10))[3]
    ('parameters', 'weights + biases', '1,152 + 32', 1184)
    """
    core = f"{c.kernel_size}·{c.kernel_size}·({c.in_channels}/{c.groups})·{c.out_channels}"
    return [
        ("output size H_out = W_out", "⌊(i + 2p − k)/s⌋ + 1",
         f"⌊({c.input_size} + 2·{c.padding} − {c.kernel_size})/{c.stride}⌋ + 1", c.output_size),
        ("weights", "k·k·(C_in/g)·C_out", core, c.weights),
        ("biases", "C_out", f"{c.out_channels}", c.out_channels),
        ("parameters", "weights + biases", f"{c.weights:,} + {c.out_channels}", c.params),
        ("MACs", "k·k·(C_in/g)·C_out·H_out·W_out", f"{core}·{c.output_size}·{c.output_size}", c.macs),
        ("FLOPs (FlopCounterMode)", "2 × MACs", f"2 · {c.macs:,}", c.flops),
        ("dense layer (g = 1): parameters", "k·k·C_in·C_out + C_out", "", c.dense_params),
        ("dense layer (g = 1): MACs", "k·k·C_in·C_out·H_out·W_out", "", c.dense_macs),
    ]


def layer_cost_explorer(in_channels: int = 16, out_channels: int = 32, kernel_size: int = 3,
                        groups: int = 1, input_size: int = 28, stride: int = 1,
                        padding: int = 0) -> BrowserExplorer:
    """Sliders for C_in, C_out, g, k, i, s and p (in the browser); the layer's counts as a
    table with their rules and numbers (`layer_cost_rows`) and as bars against the dense
    layer's.

    >>> ex = layer_cost_explorer(in_channels=16, out_channels=32, groups=4, input_size=10)
    >>> ex.groups, layer_cost(**ex.values).macs
    (4, 73728)
    """
    return browser_explorer("layer_cost", in_channels=in_channels, out_channels=out_channels,
                            kernel_size=kernel_size, groups=groups, input_size=input_size,
                            stride=stride, padding=padding)
