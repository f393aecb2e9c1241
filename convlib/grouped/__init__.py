"""Grouped and separable convolutions (chapter 05).

* ``groups``: grouped convolution: connectivity, cost, channel shuffle, bottlenecks
* ``separable``: depthwise-separable blocks and separable kernels
* ``mobile``: MobileNet's width and resolution multipliers, MobileNetV2's inverted residual
* ``resnext``: ResNeXt's three equivalent forms of a block
* ``timing``: measured time per MAC of conv layers

Submodules load on first use (``convlib.grouped.groups``); the public names
are re-exported at the top (``convlib.<name>``).
"""
from .._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, ["groups", "separable", "mobile", "resnext", "timing"])
