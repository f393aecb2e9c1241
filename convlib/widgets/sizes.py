"""Feature-map explorer (in the browser): input size, kernel, stride, padding, dilation,
padding convention.

The named cases side by side as a kernel-free animation (`case_gallery`).
"""
from __future__ import annotations

from collections.abc import Sequence

from ..draw.sizes import case_gallery_figure
from ..transposed.cases import Case, case_view, frame_cells
from .browser import BrowserExplorer, browser_explorer
from .core import animation_html

__all__ = ["feature_map_explorer", "MODE_LABELS", "case_gallery"]

#: Dropdown label -> `convlib.sizes.windows.MODES` value.
MODE_LABELS = {"PyTorch, padding p": "torch", "PyTorch padding='same'": "same",
               "TensorFlow 'SAME'": "tf_same", "TensorFlow 'VALID'": "tf_valid"}


def feature_map_explorer(H: int = 7, W: int = 6, kH: int = 3, kW: int = 2, stride: int = 2,
                         padding: int = 1, dilation: int = 1, mode: str = "torch",
                         op: str = "conv", ceil_mode: bool = False,
                         window: int = 0) -> BrowserExplorer:
    """One conv / max-pool layer in the browser: input, padding, the window of one output
    cell and the output (``convlib/web/explorers/feature_map.js``; its arithmetic is
    `convlib.sizes.windows.feature_map_view`'s). ``mode`` is the padding convention
    (``'torch'``, ``'same'``, ``'tf_same'``, ``'tf_valid'``), ``op`` ``'conv'`` or ``'pool'``.

    >>> ex = feature_map_explorer(stride=3)
    >>> ex.stride, ex.mode
    (3, 'torch')
    """
    if mode not in MODE_LABELS.values():
        raise ValueError(f"`mode` must be one of {list(MODE_LABELS.values())}, got {mode!r}")
    if op not in ("conv", "pool"):
        raise ValueError(f"`op` must be 'conv' or 'pool', got {op!r}")
    return browser_explorer("feature_map", H=H, W=W, kH=kH, kW=kW, stride=stride,
                            padding=padding, dilation=dilation, mode=mode, op=op,
                            ceil_mode=bool(ceil_mode), window=window)


def case_gallery(cases: Sequence[str | Case], frames: int = 6, columns: int = 3,
                 interval: int = 900, *, slide: bool = False):
    """One kernel-free animation of several cases side by side, ``frames`` frames (each
    case cycles through its cells, or through ``frames`` of them spread evenly). Returns an
    ``IPython.display.HTML``; tag the cell ``nbval-ignore-output``.

    ``slide=True`` draws all the cases in one row of panels large enough to read on a
    1280x720 slide (at most 3 cases; 16 pt titles): give each slide two or three cases."""
    from IPython.display import HTML
    from matplotlib.animation import FuncAnimation

    if not cases:
        raise ValueError("`cases` must name at least one case")
    if slide and len(cases) > 3:
        raise ValueError(f"`cases` must name at most 3 cases with slide=True, got {len(cases)}")
    plans = [[case_view(c, cell) for cell in frame_cells(c, frames)] for c in cases]
    if slide:
        width = {1: 6.4, 2: 6.2, 3: 4.3}[len(plans)]
        fig, update = case_gallery_figure(len(plans), columns=len(plans), panel_width=width,
                                          panel_height=0.66 * width, title_size=16)
    else:
        fig, update = case_gallery_figure(len(plans), columns=min(columns, len(plans)))
    anim = FuncAnimation(fig, lambda t: update([p[t] for p in plans]), frames=frames,
                         interval=interval, blit=False, repeat=True)
    return HTML(animation_html(anim))
