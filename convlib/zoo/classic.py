"""AlexNet and VGG: plain stacks of convolutions, ReLUs and max pools.

Layout and names as torchvision's: ``features`` (the convolutional stack),
``avgpool`` (adaptive average pooling to a fixed grid, so any input of at
least the network's minimum size works), ``classifier`` (the linear layers).
"""
from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from ._init import init_weights

__all__ = ["AlexNet", "VGG", "alexnet", "vgg", "vgg16", "VGG16_CONFIG"]

#: VGG-16 (configuration "D"): output channels of each 3x3 conv, "M" = 2x2 max pool.
VGG16_CONFIG = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M",
                512, 512, 512, "M", 512, 512, 512, "M")


class AlexNet(nn.Module):
    """Krizhevsky et al. 2012, in torchvision's single-GPU variant (64-192-384-256-256)."""

    def __init__(self, num_classes: int = 1000, dropout: float = 0.5):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, 11, stride=4, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(3, stride=2),
            nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(3, stride=2),
            nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(3, stride=2))
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(dropout), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(inplace=True),
            nn.Dropout(dropout), nn.Linear(4096, 4096), nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


class VGG(nn.Module):
    """Simonyan & Zisserman 2014: 3x3 convs (padding 1) + ReLU, 2x2 max pools."""

    def __init__(self, config: Sequence[int | str] = VGG16_CONFIG, num_classes: int = 1000,
                 dropout: float = 0.5):
        super().__init__()
        layers: list[nn.Module] = []
        c_in = 3
        for v in config:
            if v == "M":
                layers.append(nn.MaxPool2d(2, stride=2))
            else:
                layers += [nn.Conv2d(c_in, int(v), 3, padding=1), nn.ReLU(inplace=True)]
                c_in = int(v)
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(c_in * 7 * 7, 4096), nn.ReLU(inplace=True), nn.Dropout(dropout),
            nn.Linear(4096, 4096), nn.ReLU(inplace=True), nn.Dropout(dropout),
            nn.Linear(4096, num_classes))
        init_weights(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


def alexnet(num_classes: int = 1000) -> AlexNet:
    """AlexNet as in torchvision (61,100,840 parameters for 1000 classes).

    >>> sum(p.numel() for p in alexnet().parameters())
    61100840
    """
    return AlexNet(num_classes)


def vgg(config: Sequence[int | str], num_classes: int = 1000) -> VGG:
    """A VGG network from its configuration list (ints = conv widths, "M" = pool)."""
    return VGG(config, num_classes)


def vgg16(num_classes: int = 1000) -> VGG:
    """VGG-16 without batch norm, as in torchvision (138,357,544 parameters).

    Built on the meta device here, so the 553 MB of weights are never allocated:

    >>> with torch.device("meta"):
    ...     model = vgg16()
    >>> sum(p.numel() for p in model.parameters()), model.features[28]
    (138357544, Conv2d(512, 512, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1)))
    """
    return VGG(VGG16_CONFIG, num_classes)
