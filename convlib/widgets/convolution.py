"""Step-through explorer: one output value at a time (window, products, sum, bias, ReLU),
drawn and computed in the browser (``convlib/web/explorers/conv_step.js``)."""
from __future__ import annotations

import numpy as np

from .browser import BrowserExplorer, browser_explorer

__all__ = ["conv_step_explorer"]


def _grid(name: str, value: np.ndarray) -> list[list[float]]:
    arr = np.asarray(value, dtype=float)
    if arr.ndim != 2 or 0 in arr.shape or not np.isfinite(arr).all():
        raise ValueError(f"`{name}` must be a 2-D array of finite numbers, got shape {arr.shape}")
    return (arr + 0.0).tolist()


def conv_step_explorer(x: np.ndarray, weight: np.ndarray, bias: int = 0, *, step: int = 0,
                       stride: int = 1, padding: int = 0, activation: str = "relu",
                       max_stride: int = 3, max_padding: int = 2) -> BrowserExplorer:
    """Step through a one-channel convolution, window by window, in the browser.

    Sliders: the output cell, stride (1 to ``max_stride``), padding (0 to ``max_padding``)
    and bias (−5 to 5); a choice: ReLU or no activation. Each step shows the window on the
    input, the kernel, the products and their sum, and the output filled so far; its
    arithmetic is `convlib.convolution.stepping.conv_step`'s. ``x`` is ``(H, W)``,
    ``weight`` ``(k_H, k_W)``, both fixed. A kernel larger than the padded input shows a
    message instead of a picture.

    >>> ex = conv_step_explorer(np.arange(25.0).reshape(5, 5), np.ones((3, 3)), bias=-2)
    >>> ex.step = 4; ex.stride, ex.bias, len(ex.x), ex.weight[0]
    (1, -2, 5, [1.0, 1.0, 1.0])
    """
    if activation not in ("relu", "none"):
        raise ValueError(f"`activation` must be one of ('relu', 'none'), got {activation!r}")
    return browser_explorer("conv_step", x=_grid("x", x), weight=_grid("weight", weight),
                            max_stride=max(int(max_stride), int(stride)),
                            max_padding=max(int(max_padding), int(padding)),
                            step=int(step), stride=int(stride), padding=int(padding),
                            bias=int(bias), activation=activation)
