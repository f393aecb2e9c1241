"""Feature-map explorer (in the browser): input size, kernel, stride, padding, dilation,
padding convention.

The named cases as an explorer and as kernel-free animations (one case, or a gallery).
"""
from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

from ..draw.sizes import case_figure, case_gallery_figure
from ..transposed.cases import (CANONICAL_CASES, Case, case_cells, case_text, case_view, CaseView,
                                frame_cells)
from .browser import BrowserExplorer, browser_explorer
from .core import _offline_player, animate, Explorer, fit_index_slider, int_slider

__all__ = ["feature_map_explorer", "MODE_LABELS", "CaseExplorer",
           "case_explorer", "case_animation", "case_gallery"]

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


class CaseExplorer(Explorer):
    """Explorer whose output-cell slider spans the chosen case's output."""

    def after_compute(self, state: CaseView) -> None:
        fit_index_slider(self.controls["cell"], case_cells(state.case) - 1)


def case_explorer(case: str = "padding_strides_odd", render: bool = True) -> CaseExplorer:
    """A dropdown of `convlib.CANONICAL_CASES` and a slider over the output cells.

    >>> ex = case_explorer("full_padding_no_strides", render=False)
    >>> ex.state.output_shape, ex.controls["cell"].max
    ((7, 7), 48)
    """
    if case not in CANONICAL_CASES:
        raise ValueError(f"`case` must be one of {sorted(CANONICAL_CASES)}, got {case!r}")
    controls = {
        "case": widgets.Dropdown(options=list(CANONICAL_CASES), value=case, description="case",
                                 style={"description_width": "initial"}),
        "cell": int_slider("output cell", 0, 0, 1),
    }
    return CaseExplorer(controls, case_view, case_figure(), case_text, render=render)


def case_animation(case: str, frames: int = 9, interval: int = 700):
    """A kernel-free animation of one named case over ``frames`` output cells (all of them
    when it has no more). Tag the cell ``nbval-ignore-output``."""
    ex = case_explorer(case, render=False)
    cells = sorted(set(frame_cells(CANONICAL_CASES[case], frames)))
    return animate(ex, "cell", cells, interval=interval)


def case_gallery(cases: Sequence[str | Case], frames: int = 6, columns: int = 3,
                 interval: int = 900):
    """One kernel-free animation of several cases side by side, ``frames`` frames (each
    case cycles through its cells, or through ``frames`` of them spread evenly). Returns an
    ``IPython.display.HTML``; tag the cell ``nbval-ignore-output``."""
    from IPython.display import HTML
    from matplotlib.animation import FuncAnimation

    if not cases:
        raise ValueError("`cases` must name at least one case")
    plans = [[case_view(c, cell) for cell in frame_cells(c, frames)] for c in cases]
    fig, update = case_gallery_figure(len(plans), columns=min(columns, len(plans)))
    anim = FuncAnimation(fig, lambda t: update([p[t] for p in plans]), frames=frames,
                         interval=interval, blit=False, repeat=True)
    return HTML(_offline_player(anim.to_jshtml(default_mode="loop")))
