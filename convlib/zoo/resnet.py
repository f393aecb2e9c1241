"""ResNet-18 and ResNet-50 (He et al. 2015), in torchvision's layout ("ResNet v1.5").

A stem (``conv1`` 7x7 stride 2, ``bn1``, ``relu``, ``maxpool`` 3x3 stride 2),
four stages ``layer1`` .. ``layer4`` of residual blocks, the first block of
stages 2-4 with stride 2, then global average pooling and ``fc``. As in
torchvision (v1.5), a bottleneck strides in its 3x3 conv (``conv2``), not in
the first 1x1. A block whose shape changes adds a ``downsample`` branch
(1x1 conv + BN) to its shortcut:

    out = relu(F(x) + shortcut(x))

224 -> 112 (conv1) -> 56 (maxpool) -> 56, 28, 14, 7 (stages) -> 1 (avgpool).
"""
from __future__ import annotations

import torch
from torch import nn

from ._init import init_weights

__all__ = ["BasicBlock", "Bottleneck", "ResNet", "resnet18", "resnet50"]


def _shortcut(c_in: int, c_out: int, stride: int) -> nn.Module | None:
    """None (identity) when the shape is kept, else a strided 1x1 conv + BN."""
    if stride == 1 and c_in == c_out:
        return None
    return nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False),
                         nn.BatchNorm2d(c_out))


class BasicBlock(nn.Module):
    """Two 3x3 convs (ResNet-18/34): F(x) = bn2(conv2(relu(bn1(conv1(x)))))."""

    expansion = 1

    def __init__(self, c_in: int, width: int, stride: int = 1):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, width, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(width, width, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.downsample = _shortcut(c_in, width, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        identity = x if self.downsample is None else self.downsample(x)   # after, as torchvision
        return self.relu(out + identity)


class Bottleneck(nn.Module):
    """1x1 reduce, 3x3 (strided), 1x1 expand by 4 (ResNet-50/101/152)."""

    expansion = 4

    def __init__(self, c_in: int, width: int, stride: int = 1):
        super().__init__()
        c_out = width * self.expansion
        self.conv1 = nn.Conv2d(c_in, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, c_out, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(c_out)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = _shortcut(c_in, c_out, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        identity = x if self.downsample is None else self.downsample(x)   # after, as torchvision
        return self.relu(out + identity)


class ResNet(nn.Module):
    """Stem, four stages of `block` (widths 64, 128, 256, 512), pooling, classifier."""

    def __init__(self, block: type[BasicBlock] | type[Bottleneck], depths: tuple[int, ...],
                 num_classes: int = 1000, width: int = 64):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        c_in = width
        for stage, n in enumerate(depths):
            w, blocks = width * 2 ** stage, []
            for j in range(n):
                blocks.append(block(c_in, w, stride=2 if stage > 0 and j == 0 else 1))
                c_in = w * block.expansion
            setattr(self, f"layer{stage + 1}", nn.Sequential(*blocks))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(c_in, num_classes)
        init_weights(self, linear_std=None)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def resnet18(num_classes: int = 1000, width: int = 64) -> ResNet:
    """ResNet-18: BasicBlocks (2, 2, 2, 2); 11,689,512 parameters for 1000 classes.

    >>> m = resnet18()
    >>> sum(p.numel() for p in m.parameters()), m.layer3[1].conv2.kernel_size
    (11689512, (3, 3))
    """
    return ResNet(BasicBlock, (2, 2, 2, 2), num_classes, width)


def resnet50(num_classes: int = 1000, width: int = 64) -> ResNet:
    """ResNet-50: Bottlenecks (3, 4, 6, 3); 25,557,032 parameters for 1000 classes.

    >>> m = resnet50()
    >>> sum(p.numel() for p in m.parameters()), m.layer2[0].downsample[0].stride
    (25557032, (2, 2))
    """
    return ResNet(Bottleneck, (3, 4, 6, 3), num_classes, width)
