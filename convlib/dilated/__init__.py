"""Dilated convolution (chapter 04).

* ``masks``: where a dilated kernel's taps fall; how often a dilated stack reads a pixel
* ``layout``: dilated windows and gridding maps, for the drawings
* ``atrous``: DeepLab's atrous backbones, output stride and ASPP
* ``hdc``: hybrid dilated convolution: which rate sequences leave no holes
* ``causal``: causal dilated 1-D stacks (WaveNet)

Submodules load on first use (``convlib.dilated.masks``); the public names
are re-exported at the top (``convlib.<name>``).
"""
from .._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, [
    "masks", "layout", "atrous", "hdc", "causal",
])
