"""ResNet-50 in the layouts that publish different receptive fields.

The same network (stem, 3 + 4 + 6 + 3 bottlenecks, widths 64-512) is built in
several layouts that differ only in *where* the downsampling happens:

* ``"torchvision"`` ("ResNet v1.5"): the first bottleneck of stages 2-4 strides in
  its 3x3 conv; max pool 3x3, stride 2, padding 1 on both sides.
* ``"stride-1x1"``: as torchvision, but the stride sits in the first 1x1 conv of the
  block (the layout of the original paper's v1 bottleneck).
* ``"last-unit"``: as torchvision, but the stride sits in the 3x3 conv of the *last*
  bottleneck of stages 1-3 (TF-Slim's placement), stage 4 keeps stride 1; a
  shortcut that only strides is a 1x1 max pool (TF-Slim's ``subsample``).
* ``"tf-slim"``: ``"last-unit"`` plus TF's ``'SAME'`` max pool, which pads
  0 pixels before and 1 after (112 -> 56) instead of 1 and 1.

The weights are left at PyTorch's defaults: these models are for geometry
(`convlib.receptive_field`, shapes) and counting, not for training. torch is
imported when the module is loaded (it is not imported by ``import convlib``).
"""
from __future__ import annotations

import torch
from torch import nn

from ..zoo.resnet import Bottleneck

__all__ = ["LAYOUTS", "LayoutBottleneck", "resnet50_layout"]

LAYOUTS = ("torchvision", "stride-1x1", "last-unit", "tf-slim")


class LayoutBottleneck(Bottleneck):
    """The zoo's `Bottleneck` with the stride in ``stride_in`` (``"3x3"``, torchvision's
    choice, or ``"1x1"``); when only the size changes and ``pool_shortcut``, the shortcut
    is a 1x1 max pool with the stride instead of a strided 1x1 conv + BN."""

    def __init__(self, c_in: int, width: int, stride: int, stride_in: str = "3x3",
                 pool_shortcut: bool = False):
        super().__init__(c_in, width, stride)
        if stride_in == "1x1":
            self.conv1.stride, self.conv2.stride = (stride, stride), (1, 1)
        if pool_shortcut and c_in == width * self.expansion and stride > 1:
            self.downsample = nn.MaxPool2d(1, stride)


class _Stem(nn.Module):
    """conv1 7x7 stride 2 (padding 3), BN, ReLU, then the layout's 3x3 stride-2 max pool."""

    def __init__(self, width: int, tf_same_pool: bool):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        if tf_same_pool:   # 'SAME': total padding 1 for an even input, all of it after
            self.pad = nn.ConstantPad2d((0, 1, 0, 1), float("-inf"))
            self.maxpool = nn.MaxPool2d(3, stride=2)
        else:
            self.pad = nn.Identity()
            self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.maxpool(self.pad(self.relu(self.bn1(self.conv1(x)))))


def resnet50_layout(layout: str = "torchvision", width: int = 64,
                    num_classes: int = 1000,
                    blocks: tuple[int, int, int, int] = (3, 4, 6, 3)) -> nn.Sequential:
    """ResNet-50 (bottlenecks 3, 4, 6, 3) in one of `LAYOUTS`; ``width`` scales every
    channel count (the geometry does not depend on it). ``blocks`` gives the bottlenecks
    per stage: ``(3, 4, 23, 3)`` is ResNet-101, ``(3, 8, 36, 3)`` ResNet-152.

    >>> sum(p.numel() for p in resnet50_layout().parameters())
    25557032
    >>> m = resnet50_layout("tf-slim", width=4)
    >>> m(torch.zeros(1, 3, 224, 224)).shape, m.layer1[2].conv2.stride
    (torch.Size([1, 1000]), (2, 2))
    """
    if layout not in LAYOUTS:
        raise ValueError(f"`layout` must be one of {LAYOUTS}, got {layout!r}")
    if not (isinstance(blocks, (tuple, list)) and len(blocks) == 4 and all(
            isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in blocks)):
        raise ValueError(f"`blocks` must be 4 positive ints (bottlenecks per stage), got {blocks!r}")
    last = layout in ("last-unit", "tf-slim")
    stride_in = "1x1" if layout == "stride-1x1" else "3x3"
    stages, c_in = [], width
    for s, n in enumerate(blocks):
        w = width * 2 ** s
        strides = [1] * n
        if last and s < 3:
            strides[-1] = 2
        elif not last and s > 0:
            strides[0] = 2
        units = []
        for stride in strides:
            units.append(LayoutBottleneck(c_in, w, stride, stride_in, pool_shortcut=last))
            c_in = 4 * w
        stages.append(nn.Sequential(*units))
    model = nn.Sequential()
    model.add_module("stem", _Stem(width, layout == "tf-slim"))
    for s, stage in enumerate(stages):
        model.add_module(f"layer{s + 1}", stage)
    model.add_module("avgpool", nn.AdaptiveAvgPool2d(1))
    model.add_module("flatten", nn.Flatten())
    model.add_module("fc", nn.Linear(c_in, num_classes))
    return model
