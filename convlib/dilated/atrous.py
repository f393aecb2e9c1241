"""Dilation in segmentation backbones (DeepLab): the output-stride trade and ASPP rates.

A backbone is a list of `Stage` s; each stage is ``layers`` convolutions (kernel ``k``,
'same'-style padding ``p = d (k - 1) / 2``), the first of which has the stage's stride.
Its output stride (OS) is the product of the strides. DeepLab lowers the OS by setting
the last stages' strides to 1 and multiplying every later dilation by the removed
stride; the first convolution of a converted stage keeps the dilation it had (as
torchvision's ``replace_stride_with_dilation``). Per layer ``d_l j_l`` is then what
``j_l`` was before, so the field is unchanged,

    r_l = r_{l-1} + (k_l - 1) d_l j_{l-1},

while every later feature map is ``s x s`` times larger and so are its MACs,
``k_h k_w C_in C_out H_out W_out``. Parameters do not change.

ASPP (DeepLabv3) runs parallel 3 x 3 branches with rates (6, 12, 18) at OS 16, doubled
at OS 8; a rate's effective kernel is ``k_eff = d (k - 1) + 1``. With 'same' padding,
a tap that lands outside the feature map reads padding; `valid_tap_fraction` measures
how much of a branch is left (a 3 x 3 kernel degenerates to its centre tap as the rate
approaches the feature size).

Pure module: numpy only; torch is imported inside `backbone_model`.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from .._validate import positive_int
from ..counting.formulas import conv2d_macs, conv2d_params
from ..receptive.fields import receptive_field
from ..receptive.layers import Layer
from ..sizes.shapes import conv_output_size, effective_kernel_size

__all__ = ["Stage", "ConvSpec", "SMALL_BACKBONE", "dilate_stages", "OutputStrideRow",
           "output_stride_row", "output_stride_table", "backbone_model", "ASPP_RATES",
           "AsppBranch", "aspp_rates", "aspp_branches", "valid_tap_fraction"]


class Stage(NamedTuple):
    """``layers`` convolutions to ``out_channels``; the first has stride ``stride``."""
    out_channels: int
    stride: int = 1
    layers: int = 1
    kernel_size: int = 3


class ConvSpec(NamedTuple):
    """One ``nn.Conv2d`` of a backbone (square kernel, stride, padding, dilation)."""
    in_channels: int
    out_channels: int
    kernel_size: int
    stride: int
    padding: int
    dilation: int


#: A small five-stage backbone of output stride 32 (a ResNet-like shape, 8 convolutions).
SMALL_BACKBONE = (Stage(16, 2), Stage(32, 2), Stage(64, 2, 2), Stage(128, 2, 2),
                  Stage(256, 2, 2))


def _stages(stages: Sequence[Stage]) -> list[Stage]:
    if isinstance(stages, (str, bytes)) or not isinstance(stages, Sequence) or not stages:
        raise ValueError(f"`stages` must be a non-empty sequence of Stage, got {stages!r}")
    out = []
    for st in stages:
        st = Stage(*st)
        for name, v in zip(Stage._fields, st):
            positive_int(f"stages.{name}", v)
        if st.kernel_size % 2 == 0:
            raise ValueError(f"`stages.kernel_size` must be odd (symmetric padding), got "
                             f"{st.kernel_size}")
        out.append(st)
    return out


def _reachable(stages: list[Stage]) -> list[int]:
    strides, acc = [1], 1
    for st in stages:
        acc *= st.stride
        strides.append(acc)
    return strides


def dilate_stages(stages: Sequence[Stage], output_stride: int,
                  in_channels: int = 3) -> list[ConvSpec]:
    """The convolutions of a backbone run at ``output_stride`` (strides become dilations).

    Once the running stride reaches ``output_stride``, a stage's stride ``s`` becomes 1,
    its first convolution keeps the current dilation and the rest use ``d s``.

    >>> [(c.stride, c.dilation) for c in dilate_stages(SMALL_BACKBONE, 8)]
    [(2, 1), (2, 1), (2, 1), (1, 1), (1, 1), (1, 2), (1, 2), (1, 4)]
    """
    sts = _stages(stages)
    os_ = positive_int("output_stride", output_stride)
    if os_ not in _reachable(sts):
        raise ValueError(f"`output_stride`={os_} is not a product of the first strides "
                         f"{[s.stride for s in sts]}: choose one of {_reachable(sts)}")
    c_in, running, dilation, convs = positive_int("in_channels", in_channels), 1, 1, []
    for st in sts:
        keep = running * st.stride <= os_
        for n in range(st.layers):
            stride = st.stride if keep and n == 0 else 1
            d = dilation if keep or n == 0 else dilation * st.stride
            convs.append(ConvSpec(c_in, st.out_channels, st.kernel_size, stride,
                                  d * (st.kernel_size - 1) // 2, d))
            c_in = st.out_channels
        if keep:
            running *= st.stride
        else:
            dilation *= st.stride
    return convs


class OutputStrideRow(NamedTuple):
    """One output stride: last feature map side, field, MACs, parameters, dilations."""
    output_stride: int
    feature_size: int
    field: int
    macs: int
    params: int
    dilations: tuple[int, ...]


def output_stride_row(stages: Sequence[Stage], input_size: int, output_stride: int,
                      in_channels: int = 3) -> OutputStrideRow:
    """Field and cost of a backbone at one output stride (square input).

    >>> row = output_stride_row(SMALL_BACKBONE, 224, 16)
    >>> row.feature_size, row.field, row.dilations
    (14, 175, (1, 1, 1, 1, 1, 1, 1, 2))
    """
    i = positive_int("input_size", input_size)
    convs = dilate_stages(stages, output_stride, in_channels)
    layers = [Layer(c.kernel_size, c.stride, c.padding, c.dilation) for c in convs]
    table = receptive_field(layers, i)
    macs, size = 0, i
    for c in convs:
        size = conv_output_size(size, c.kernel_size, c.stride, c.padding, c.dilation)
        macs += conv2d_macs(c.in_channels, c.out_channels, c.kernel_size, size)
    params = sum(conv2d_params(c.in_channels, c.out_channels, c.kernel_size) for c in convs)
    return OutputStrideRow(output_stride, size, table.size, macs, params,
                           tuple(c.dilation for c in convs))


def output_stride_table(stages: Sequence[Stage] = SMALL_BACKBONE, input_size: int = 224,
                        output_strides: Sequence[int] = (32, 16, 8),
                        in_channels: int = 3) -> list[OutputStrideRow]:
    """`output_stride_row` for each output stride: same field and parameters, more MACs.

    >>> [(r.output_stride, r.field, r.macs) for r in output_stride_table()]
    [(32, 175, 149925888), (16, 175, 279982080), (8, 175, 930263040)]
    """
    return [output_stride_row(stages, input_size, os_, in_channels) for os_ in output_strides]


def backbone_model(stages: Sequence[Stage], output_stride: int, in_channels: int = 3) -> Any:
    """The backbone as an ``nn.Sequential`` of ``Conv2d`` and ``ReLU`` (for checks)."""
    from torch import nn
    layers: list[Any] = []
    for c in dilate_stages(stages, output_stride, in_channels):
        layers += [nn.Conv2d(c.in_channels, c.out_channels, c.kernel_size, c.stride, c.padding,
                             c.dilation), nn.ReLU()]
    return nn.Sequential(*layers)


#: DeepLabv3's ASPP rates of the three 3 x 3 branches, by output stride.
ASPP_RATES = {16: (6, 12, 18), 8: (12, 24, 36)}


def aspp_rates(output_stride: int = 16) -> tuple[int, ...]:
    """ASPP rates: (6, 12, 18) at output stride 16, doubled at 8.

    >>> aspp_rates(8)
    (12, 24, 36)
    """
    if output_stride not in ASPP_RATES:
        raise ValueError(f"`output_stride` must be 16 or 8 for ASPP, got {output_stride!r}")
    return ASPP_RATES[output_stride]


def _inside_mean(rate: int, n: int, k: int) -> float:
    half = (k - 1) // 2
    inside = sum(sum(0 <= x + (m - half) * rate < n for m in range(k)) for x in range(n))
    return inside / (n * k)


def valid_tap_fraction(rate: int, feature_size: int, kernel_size: int = 3) -> float:
    """Share of a 'same'-padded dilated ``k x k`` kernel's taps that land on the feature map,
    averaged over all output positions of an ``n x n`` map (1.0: no tap reads padding).

    fraction = (1 / (n k))^2 (sum_x #{m : 0 <= x + (m - (k-1)/2) d < n})^2

    >>> round(valid_tap_fraction(6, 33), 3), round(valid_tap_fraction(36, 33), 3)
    (0.772, 0.111)
    """
    d = positive_int("rate", rate)
    n = positive_int("feature_size", feature_size)
    k = positive_int("kernel_size", kernel_size)
    if k % 2 == 0:
        raise ValueError(f"`kernel_size` must be odd, got {k}")
    return _inside_mean(d, n, k) ** 2


class AsppBranch(NamedTuple):
    """One ASPP branch: rate, effective kernel size, share of taps on the feature map."""
    rate: int
    k_eff: int
    valid_fraction: float


def aspp_branches(output_stride: int = 16, feature_size: int = 33,
                  kernel_size: int = 3) -> list[AsppBranch]:
    """The 3 x 3 ASPP branches at an output stride, on an ``n x n`` feature map (513 / 16
    rounded up is 33, DeepLab's crop).

    k_eff = d (k - 1) + 1

    >>> [(b.rate, b.k_eff) for b in aspp_branches(16)]
    [(6, 13), (12, 25), (18, 37)]
    """
    return [AsppBranch(r, effective_kernel_size(kernel_size, r),
                       valid_tap_fraction(r, feature_size, kernel_size))
            for r in aspp_rates(output_stride)]
