"""Feature-map size, padding and pooling (chapter 02).

* ``shapes``: output sizes of every layer: the formulas of the course
* ``windows``: where each window falls along an axis, for the drawings
* ``pooling``: numpy max and average pooling and the window machinery `convolution.ops` shares

Submodules load on first use (``convlib.sizes.shapes``); the public names
are re-exported at the top (``convlib.<name>``).
"""
from .._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, ["shapes", "windows", "pooling"])
