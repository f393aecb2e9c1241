"""Grouped and separable convolutions (chapter 05).

* ``groups``: grouped convolution: connectivity, cost, channel shuffle, bottlenecks
* ``separable``: depthwise-separable blocks and separable kernels

Submodules load on first use (``convlib.grouped.groups``); the public names
are re-exported at the top (``convlib.<name>``).
"""
from .._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, ["groups", "separable"])
