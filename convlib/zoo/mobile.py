"""MobileNetV2 and ShuffleNetV2: cheap networks built on depthwise convolutions.

MobileNetV2 (Sandler et al. 2018) stacks inverted residuals: a 1x1 conv
expands C_in to t C_in channels, a 3x3 depthwise conv (g = t C_in) filters
them, a linear 1x1 conv projects to C_out; the input is added back when
stride 1 and C_in = C_out. ShuffleNetV2 (Ma et al. 2018) splits the channels
in two, convolves one half (1x1, 3x3 depthwise, 1x1), concatenates and
shuffles the channels so the halves mix in the next unit.

Layout and names as torchvision's (``features.3.conv.1.0``, ``stage2.0.branch1``).
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from ._init import init_weights

__all__ = ["InvertedResidual", "MobileNetV2", "ShuffleNetV2", "ShuffleUnit", "make_divisible",
           "mobilenet_v2", "shufflenet_v2_x1_0", "MOBILENET_V2_SETTINGS"]

#: MobileNetV2 stages: (expansion t, output channels c, repeats n, first stride s).
MOBILENET_V2_SETTINGS = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                         (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1))


def make_divisible(v: float, divisor: int = 8) -> int:
    """Round a scaled channel count to a multiple of `divisor`, losing at most 10%.

    >>> make_divisible(32 * 0.75), make_divisible(24 * 0.35), make_divisible(1280)
    (24, 8, 1280)
    """
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


def conv_bn_act(c_in: int, c_out: int, kernel_size: int = 3, stride: int = 1,
                groups: int = 1, act: type[nn.Module] | None = nn.ReLU6) -> nn.Sequential:
    """Conv (no bias, 'same'-style padding (k - 1) / 2) + BN [+ activation]."""
    layers = [nn.Conv2d(c_in, c_out, kernel_size, stride, (kernel_size - 1) // 2,
                        groups=groups, bias=False), nn.BatchNorm2d(c_out)]
    return nn.Sequential(*layers, act(inplace=True)) if act else nn.Sequential(*layers)


class InvertedResidual(nn.Module):
    """Expand (1x1, skipped when t = 1), depthwise 3x3, linear projection (1x1)."""

    def __init__(self, c_in: int, c_out: int, stride: int, expand_ratio: int):
        super().__init__()
        hidden = round(c_in * expand_ratio)
        self.use_res_connect = stride == 1 and c_in == c_out
        layers = [conv_bn_act(c_in, hidden, 1)] if expand_ratio != 1 else []
        layers += [conv_bn_act(hidden, hidden, 3, stride, groups=hidden),
                   nn.Conv2d(hidden, c_out, 1, bias=False), nn.BatchNorm2d(c_out)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv(x) if self.use_res_connect else self.conv(x)


class MobileNetV2(nn.Module):
    """32-channel stem, 17 inverted residuals, 1x1 conv to 1280, pooling, classifier."""

    def __init__(self, num_classes: int = 1000, width_mult: float = 1.0, dropout: float = 0.2):
        super().__init__()
        c_in = make_divisible(32 * width_mult)
        self.last_channel = make_divisible(1280 * max(1.0, width_mult))
        layers: list[nn.Module] = [conv_bn_act(3, c_in, 3, stride=2)]
        for t, c, n, s in MOBILENET_V2_SETTINGS:
            c_out = make_divisible(c * width_mult)
            for j in range(n):
                layers.append(InvertedResidual(c_in, c_out, s if j == 0 else 1, t))
                c_in = c_out
        layers.append(conv_bn_act(c_in, self.last_channel, 1))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Dropout(dropout),
                                        nn.Linear(self.last_channel, num_classes))
        init_weights(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.adaptive_avg_pool2d(self.features(x), (1, 1))   # functional, as torchvision
        return self.classifier(torch.flatten(x, 1))


def mobilenet_v2(num_classes: int = 1000, width_mult: float = 1.0) -> MobileNetV2:
    """MobileNetV2; `width_mult` scales every width (3,504,872 parameters at 1.0).

    >>> sum(p.numel() for p in mobilenet_v2().parameters())
    3504872
    >>> sum(p.numel() for p in mobilenet_v2(width_mult=0.5).parameters())
    1968680
    """
    return MobileNetV2(num_classes, width_mult)


def channel_shuffle(x: torch.Tensor, groups: int) -> torch.Tensor:
    """(N, g C', H, W) -> view (N, g, C', H, W) -> swap g and C' -> (N, C' g, H, W)."""
    n, c, h, w = x.shape
    x = x.view(n, groups, c // groups, h, w).transpose(1, 2).contiguous()
    return x.view(n, c, h, w)


class ShuffleUnit(nn.Module):
    """ShuffleNetV2 unit (torchvision calls it InvertedResidual).

    Stride 1: split the channels, convolve the second half (branch2), concat.
    Stride 2: both branches see the whole input and each gives half the output.
    """

    def __init__(self, c_in: int, c_out: int, stride: int):
        super().__init__()
        half = c_out // 2
        self.stride = stride
        if stride > 1:
            self.branch1 = nn.Sequential(
                nn.Conv2d(c_in, c_in, 3, stride, 1, groups=c_in, bias=False),
                nn.BatchNorm2d(c_in),
                nn.Conv2d(c_in, half, 1, bias=False), nn.BatchNorm2d(half), nn.ReLU(inplace=True))
        else:
            self.branch1 = nn.Sequential()
        self.branch2 = nn.Sequential(
            nn.Conv2d(c_in if stride > 1 else half, half, 1, bias=False),
            nn.BatchNorm2d(half), nn.ReLU(inplace=True),
            nn.Conv2d(half, half, 3, stride, 1, groups=half, bias=False), nn.BatchNorm2d(half),
            nn.Conv2d(half, half, 1, bias=False), nn.BatchNorm2d(half), nn.ReLU(inplace=True))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.stride == 1:
            x1, x2 = x.chunk(2, dim=1)
            out = torch.cat((x1, self.branch2(x2)), dim=1)
        else:
            out = torch.cat((self.branch1(x), self.branch2(x)), dim=1)
        return channel_shuffle(out, 2)


class ShuffleNetV2(nn.Module):
    """Stem (3x3 stride 2 + max pool), stages 2-4 of ShuffleUnits, conv5, mean, fc."""

    def __init__(self, repeats: tuple[int, ...] = (4, 8, 4),
                 widths: tuple[int, ...] = (24, 116, 232, 464, 1024), num_classes: int = 1000):
        super().__init__()
        self.conv1 = conv_bn_act(3, widths[0], 3, stride=2, act=nn.ReLU)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        c_in = widths[0]
        for i, (n, c_out) in enumerate(zip(repeats, widths[1:])):
            units = [ShuffleUnit(c_in, c_out, 2)] + [ShuffleUnit(c_out, c_out, 1)
                                                      for _ in range(n - 1)]
            setattr(self, f"stage{i + 2}", nn.Sequential(*units))
            c_in = c_out
        self.conv5 = conv_bn_act(c_in, widths[-1], 1, act=nn.ReLU)
        self.fc = nn.Linear(widths[-1], num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.conv1(x))
        x = self.conv5(self.stage4(self.stage3(self.stage2(x))))
        return self.fc(x.mean([2, 3]))   # global average pooling


def shufflenet_v2_x1_0(num_classes: int = 1000) -> ShuffleNetV2:
    """ShuffleNetV2 1.0x: stages (4, 8, 4) of widths 116, 232, 464 (2,278,604 parameters).

    >>> sum(p.numel() for p in shufflenet_v2_x1_0().parameters())
    2278604
    """
    return ShuffleNetV2(num_classes=num_classes)
