"""Grouped convolution, channel shuffle and the cost of bottleneck blocks.

Notation (SYLLABUS.md): channels ``C_in``, ``C_out``, groups ``g``, kernel
``k``; a bottleneck block has ``C`` outer channels, ``m`` inner channels and
a ``H x W`` feature map.

A grouped convolution splits the ``C_in`` input channels into ``g`` groups of
``C_in / g``; group ``j`` is convolved with its own ``C_out / g`` filters and
the results are concatenated. ``g`` must divide both channel counts.
Channel shuffle (ShuffleNet) is the fixed reshape-transpose-reshape
permutation that lets the next grouped layer see every group.

The functions are pure numpy; the torch block builders import torch lazily.
"""
from __future__ import annotations

from math import prod
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from .._validate import IntOrTuple, n_axes, per_axis, positive_int
from ..counting.formulas import _channels, conv2d_macs, conv2d_params

if TYPE_CHECKING:   # annotations only: no torch import at run time
    from torch import nn

__all__ = ["GroupedConvCost", "BOTTLENECKS", "channel_groups", "group_connectivity",
           "grouped_conv_cost", "grouped_cost_text",
           "shuffle_permutation", "channel_shuffle", "stacked_dependency",
           "bottleneck_weights", "bottleneck_macs", "bottleneck_block", "SHUFFLENET_V1_WIDTHS"]

#: Bottleneck kinds understood by `bottleneck_macs` and `bottleneck_block`.
BOTTLENECKS = ("resnet", "resnext", "shufflenet")

#: ShuffleNet (Zhang et al. 2018), Table 1: output channels of stage 2 for each number of
#: groups g (each later stage doubles the previous one's width; a unit's bottleneck has a
#: quarter of its outputs).
SHUFFLENET_V1_WIDTHS = {1: 144, 2: 200, 3: 240, 4: 272, 8: 384}


# ------------------------------------------------------------ grouped conv

def channel_groups(channels: int, groups: int) -> np.ndarray:
    """The group of each of `channels` channels: ``c // (channels / g)``.

    >>> channel_groups(6, 3)
    array([0, 0, 1, 1, 2, 2])
    """
    c, g = positive_int("channels", channels), positive_int("groups", groups)
    if c % g:
        raise ValueError(f"`groups` must divide `channels`, got groups={g}, channels={c}")
    return np.arange(c) // (c // g)


def group_connectivity(in_channels: int, out_channels: int, groups: int) -> np.ndarray:
    """Which input channels each filter sees: a boolean ``(C_out, C_in)`` matrix.

    Filter ``o`` belongs to group ``o // (C_out / g)`` and reads the input
    channels of the same group: the matrix is block diagonal with ``g`` blocks
    of ``(C_out / g) x (C_in / g)``. It is the nonzero pattern of a standard
    weight tensor that the grouped layer keeps (a fraction 1/g of it).

    >>> group_connectivity(4, 2, 2).astype(int)
    array([[1, 1, 0, 0],
           [0, 0, 1, 1]])
    """
    c_in, c_out, g = _channels(in_channels, out_channels, groups)
    return (np.arange(c_out)[:, None] // (c_out // g)) == (np.arange(c_in)[None, :] // (c_in // g))


class GroupedConvCost(NamedTuple):
    """Counts of one grouped ``nn.Conv2d`` and of the standard conv it replaces."""

    in_channels: int
    out_channels: int
    groups: int
    kernel_size: IntOrTuple
    output_size: IntOrTuple
    connectivity: np.ndarray     # (C_out, C_in) boolean, see `group_connectivity`
    params: int                  # weights + C_out biases
    macs: int
    standard_params: int
    standard_macs: int

    @property
    def weights(self) -> int:
        """Weights without the bias: k_h k_w (C_in / g) C_out."""
        return self.params - self.out_channels

    @property
    def standard_weights(self) -> int:
        return self.standard_params - self.out_channels

    @property
    def macs_ratio(self) -> float:
        """MACs of the grouped conv over the standard one: exactly 1/g."""
        return self.macs / self.standard_macs


def grouped_conv_cost(in_channels: int, out_channels: int, kernel_size: IntOrTuple = 3,
                      groups: int = 1, output_size: IntOrTuple = 8) -> GroupedConvCost:
    """Parameters and MACs of a grouped conv next to the standard (g = 1) conv.

    params = k_h k_w (C_in / g) C_out + C_out,   MACs = k_h k_w (C_in / g) C_out H_out W_out

    Weights and MACs are 1/g of the standard conv's; the ``C_out`` biases are
    not divided. Raises ValueError when ``g`` does not divide both channel
    counts (PyTorch refuses such a layer).

    >>> c = grouped_conv_cost(8, 8, 3, groups=2, output_size=8)
    >>> c.params, c.standard_params, c.macs, c.standard_macs, c.macs_ratio
    (296, 584, 18432, 36864, 0.5)
    """
    conn = group_connectivity(in_channels, out_channels, groups)
    return GroupedConvCost(
        in_channels, out_channels, groups, kernel_size, output_size, conn,
        params=conv2d_params(in_channels, out_channels, kernel_size, groups),
        macs=conv2d_macs(in_channels, out_channels, kernel_size, output_size, groups),
        standard_params=conv2d_params(in_channels, out_channels, kernel_size),
        standard_macs=conv2d_macs(in_channels, out_channels, kernel_size, output_size))


def _k_text(kernel_size: IntOrTuple) -> str:
    ks = per_axis("kernel_size", kernel_size, n_axes(kernel_size=kernel_size) or 2)
    return "·".join(map(str, ks))


def grouped_cost_text(cost: GroupedConvCost) -> str:
    """The two formulas with the numbers of `cost`, for a figure or a widget line.

    >>> print(grouped_cost_text(grouped_conv_cost(8, 8, 3, groups=2, output_size=8)))
    params = k_h·k_w·(C_in/g)·C_out + C_out = 3·3·(8/2)·8 + 8 = 296   (g=1: 584)
    MACs = k_h·k_w·(C_in/g)·C_out·H_out·W_out = 3·3·(8/2)·8·8·8 = 18,432 = 1/2 of 36,864
    """
    c, k = cost, _k_text(cost.kernel_size)
    o = "·".join(map(str, per_axis("output_size", c.output_size,
                                   n_axes(output_size=c.output_size) or 2)))
    core = f"{k}·({c.in_channels}/{c.groups})·{c.out_channels}"
    return (f"params = k_h·k_w·(C_in/g)·C_out + C_out = {core} + {c.out_channels} = "
            f"{c.params:,}   (g=1: {c.standard_params:,})\n"
            f"MACs = k_h·k_w·(C_in/g)·C_out·H_out·W_out = {core}·{o} = {c.macs:,} "
            f"= 1/{c.groups} of {c.standard_macs:,}")


# --------------------------------------------------------- channel shuffle

def shuffle_permutation(channels: int, groups: int) -> np.ndarray:
    """The channel order after a shuffle: output channel ``j`` is input ``perm[j]``.

    Write the channels as a ``g x (C / g)`` table row by row, transpose it and
    read it row by row again: ``perm = arange(C).reshape(g, C / g).T.ravel()``.
    The same every time (a fixed permutation, not a random one).

    >>> shuffle_permutation(6, 2)
    array([0, 3, 1, 4, 2, 5])
    """
    c = positive_int("channels", channels)
    g = positive_int("groups", groups)
    if c % g:
        raise ValueError(f"`groups` must divide `channels`, got groups={g}, channels={c}")
    return np.arange(c).reshape(g, c // g).T.ravel()


def channel_shuffle(x: np.ndarray, groups: int) -> np.ndarray:
    """Channel shuffle of ``x`` with shape ``(N, C, *spatial)``, as ``nn.ChannelShuffle``.

    reshape ``(N, g, C/g, *)`` -> swap the two group axes -> reshape ``(N, C, *)``

    >>> channel_shuffle(np.arange(6).reshape(1, 6, 1), 3).ravel()
    array([0, 2, 4, 1, 3, 5])
    """
    x = np.asarray(x)
    if x.ndim < 3:
        raise ValueError(f"`x` must have shape (N, C, *spatial) with > 2 dims, got shape {x.shape}")
    n, c, *spatial = x.shape
    g = positive_int("groups", groups)
    if c % g:
        raise ValueError(f"`groups` must divide the channels, got groups={g}, channels={c}")
    return x.reshape(n, g, c // g, *spatial).swapaxes(1, 2).reshape(x.shape)


def stacked_dependency(channels: int, groups: tuple[int, ...] | list[int],
                       shuffle: bool = False) -> np.ndarray:
    """Which inputs reach which outputs through stacked grouped 1x1 convs (``C -> C``).

    Boolean ``(C, C)`` matrix ``D`` with ``D[o, c]`` true when output channel
    ``o`` of the last layer depends on input channel ``c`` of the first. Each
    layer has its own number of groups; with ``shuffle`` a channel shuffle
    (with that layer's ``g``) follows every layer but the last. Without it,
    information never leaves its group.

    >>> stacked_dependency(4, [2, 2]).astype(int)
    array([[1, 1, 0, 0],
           [1, 1, 0, 0],
           [0, 0, 1, 1],
           [0, 0, 1, 1]])
    >>> bool(stacked_dependency(4, [2, 2], shuffle=True).all())
    True
    """
    c = positive_int("channels", channels)
    if len(groups) == 0:
        raise ValueError("`groups` must list at least one layer, got []")
    dep = np.eye(c, dtype=int)
    for n, g in enumerate(groups):
        dep = (group_connectivity(c, c, g).astype(int) @ dep > 0).astype(int)
        if shuffle and n < len(groups) - 1:
            dep = dep[shuffle_permutation(c, g)]
    return dep.astype(bool)


# -------------------------------------------------------------- bottlenecks

def _kind(kind: object) -> str:
    if kind not in BOTTLENECKS:
        raise ValueError(f"`kind` must be one of {BOTTLENECKS}, got {kind!r}")
    return kind


def _bottleneck_check(kind: str, channels: int, mid: int, groups: int) -> tuple[int, int, int]:
    c, m, g = (positive_int(n, v) for n, v in
               (("channels", channels), ("mid", mid), ("groups", groups)))
    if kind == "resnext" and m % g:
        raise ValueError(f"`groups` must divide `mid` (grouped 3x3), got groups={g}, mid={m}")
    if kind == "shufflenet" and (c % g or m % g):
        raise ValueError(f"`groups` must divide `channels` and `mid` (grouped 1x1), "
                         f"got groups={g}, channels={c}, mid={m}")
    return c, m, g


def bottleneck_weights(kind: str, channels: int, mid: int, groups: int = 1) -> int:
    """Conv weights of a bottleneck block's residual branch (BatchNorm not counted).

    ResNet     (1x1 C->m, 3x3 m->m, 1x1 m->C):                2Cm + 9m^2
    ResNeXt    (1x1, 3x3 with g groups, 1x1):                  2Cm + 9m^2/g
    ShuffleNet (1x1 g groups, shuffle, 3x3 depthwise, 1x1 g):  2Cm/g + 9m

    At stride 1 every weight is used once per output pixel, so the MACs are
    these weights times HW (`bottleneck_macs`). ``groups`` is ignored for ``'resnet'``.

    >>> [bottleneck_weights(k, 240, 60, groups=3) for k in BOTTLENECKS]
    [61200, 39600, 10140]
    """
    c, m, g = _bottleneck_check(_kind(kind), channels, mid, groups)
    if kind == "resnet":
        return 2 * c * m + 9 * m * m
    if kind == "resnext":
        return 2 * c * m + 9 * m * m // g
    return 2 * c * m // g + 9 * m


def bottleneck_macs(kind: str, channels: int, mid: int, groups: int = 1,
                    size: IntOrTuple = 1) -> int:
    """MACs of a stride-1 bottleneck block on a ``H x W`` map (the shortcut add not counted).

    ResNet     HW(2Cm + 9m^2),   ResNeXt  HW(2Cm + 9m^2/g),   ShuffleNet  HW(2Cm/g + 9m)

    that is, HW times `bottleneck_weights`. ``groups`` is ignored for ``'resnet'``.

    >>> [bottleneck_macs(k, 240, 60, groups=3, size=28) for k in BOTTLENECKS]
    [47980800, 31046400, 7949760]
    """
    weights = bottleneck_weights(kind, channels, mid, groups)
    return weights * prod(positive_int("size", v) for v in per_axis("size", size, n_axes(size=size) or 2))


def bottleneck_block(kind: str, channels: int, mid: int, groups: int = 1) -> nn.Sequential:
    """The residual branch of a bottleneck block as a torch ``nn.Sequential``.

    Convs have no bias (each is followed by BatchNorm), stride 1 and padding
    1 for the 3x3, so the map keeps its size. ShuffleNet: grouped 1x1, BN,
    ReLU, ``nn.ChannelShuffle(g)``, depthwise 3x3, BN, grouped 1x1, BN. The
    shortcut addition is outside the branch (and is not a multiply-add).

    >>> bottleneck_block("resnext", 64, 16, groups=4)[3]
    Conv2d(16, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), groups=4, bias=False)
    """
    from torch import nn

    c, m, g = _bottleneck_check(_kind(kind), channels, mid, groups)
    if kind == "resnet":
        g = 1
    if kind == "shufflenet":
        return nn.Sequential(
            nn.Conv2d(c, m, 1, groups=g, bias=False), nn.BatchNorm2d(m), nn.ReLU(),
            nn.ChannelShuffle(g),
            nn.Conv2d(m, m, 3, padding=1, groups=m, bias=False), nn.BatchNorm2d(m),
            nn.Conv2d(m, c, 1, groups=g, bias=False), nn.BatchNorm2d(c))
    return nn.Sequential(
        nn.Conv2d(c, m, 1, bias=False), nn.BatchNorm2d(m), nn.ReLU(),
        nn.Conv2d(m, m, 3, padding=1, groups=g, bias=False), nn.BatchNorm2d(m), nn.ReLU(),
        nn.Conv2d(m, c, 1, bias=False), nn.BatchNorm2d(c))
