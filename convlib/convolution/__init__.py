"""How a convolution is computed (chapter 01).

* ``ops``: numpy reference ops: conv2d, conv_transpose2d, im2col (pooling: `convlib.sizes.pooling`)
* ``stepping``: one window at a time: `conv_step`, `convolve2d`, kernel flipping
* ``images``: a real photograph, the filters the chapter applies to it, a learned kernel
* ``drills``: new numbers for the chapter's exercises (`one_value_task`)

Submodules load on first use (``convlib.convolution.ops``); the public names
are re-exported at the top (``convlib.<name>``).
"""
from .._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, ["ops", "stepping", "images", "drills"])
