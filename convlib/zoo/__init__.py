"""convlib.zoo: classic architectures written out in the course's own code.

torchvision cannot be imported beside the course's CPU build of torch, so the
models are defined here, with torchvision's layer layout and module names
(``features.0``, ``layer3.1.conv2``, ``downsample.0``), hence the same
parameter and MAC counts:

=====================  ==============  ========================
builder                parameters      MACs at 1x3x224x224
=====================  ==============  ========================
`alexnet`              61,100,840      0.714 G
`vgg16`                138,357,544     15.47 G
`resnet18`             11,689,512      1.814 G
`resnet50`             25,557,032      4.089 G
`mobilenet_v2`         3,504,872       0.301 G
`shufflenet_v2_x1_0`   2,278,604       0.145 G
=====================  ==============  ========================

plus `unet` (Ronneberger et al. 2015: 572x572 -> 388x388) and
`dcgan_generator` (Radford et al. 2016, PyTorch tutorial layout: z of 100 -> 64x64x3),
`dcgan_paper_generator` (the same network as the authors' code builds it). No weights are
downloaded: every model starts from its initialisation.

torch is imported only when a builder is first used (``convlib.zoo.resnet18``
loads ``convlib/zoo/resnet.py``). To build a big model without allocating its
weights, build it on the meta device::

    with torch.device("meta"):
        model = convlib.zoo.vgg16()
"""
from __future__ import annotations

import importlib
from typing import Any

__all__ = ["alexnet", "vgg16", "resnet18", "resnet50", "mobilenet_v2",
           "shufflenet_v2_x1_0", "unet", "dcgan_generator",
           "dcgan_paper_generator", "MODELS"]

_FAMILY = {"alexnet": "classic", "vgg16": "classic", "vgg": "classic",
           "resnet18": "resnet", "resnet50": "resnet", "ResNet": "resnet",
           "BasicBlock": "resnet", "Bottleneck": "resnet",
           "mobilenet_v2": "mobile", "MobileNetV2": "mobile", "make_divisible": "mobile",
           "shufflenet_v2_x1_0": "mobile", "ShuffleNetV2": "mobile",
           "unet": "generative", "UNet": "generative", "center_crop": "generative",
           "dcgan_generator": "generative", "dcgan_paper_generator": "generative"}

#: The image classifiers (1000 classes, 3x224x224 input), in order of publication.
MODELS = ("alexnet", "vgg16", "resnet18", "resnet50", "mobilenet_v2", "shufflenet_v2_x1_0")


def __getattr__(name: str) -> Any:
    if name not in _FAMILY:
        raise AttributeError(f"module 'convlib.zoo' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_FAMILY[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_FAMILY))
