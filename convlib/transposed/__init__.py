"""Transposed convolution (chapter 03).

* ``core``: the matrix view, zero insertion, output padding, overlap counts
* ``cases``: Dumoulin & Visin's named cases, each convolution with its transposed
  counterpart (chapter 02 shows the convolution half)
* ``layout``: where every value, inserted zero and padding cell lands, for the drawings
* ``upsampling``: learned upsampling: transposed-conv stacks against resize-then-convolve
* ``checkerboard``: checkerboard artefacts on a photograph and in a strided conv's gradient
* ``directions``: both directions: the window an output reads, the outputs a pixel feeds
* ``weights``: weight layouts, bilinear initialisation, sub-pixel convolution

Submodules load on first use (``convlib.transposed.core``); the public names
are re-exported at the top (``convlib.<name>``).
"""
from .._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, [
    "core", "cases", "layout", "upsampling", "checkerboard", "directions", "weights",
])
