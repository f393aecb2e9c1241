"""Feature-map explorer: input size, kernel, stride, padding, dilation, padding convention.

The named cases as an explorer and as kernel-free animations (one case, or a gallery).
"""
from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

from ..draw.sizes import case_figure, case_gallery_figure, layout_figure
from ..transposed.cases import (CANONICAL_CASES, Case, case_cells, case_text, case_view, CaseView,
                                frame_cells)
from ..sizes.windows import AxisLayout, formula_text, layouts_2d
from .core import _offline_player, animate, Explorer, fit_index_slider, int_slider

__all__ = ["feature_map_explorer", "FeatureMapExplorer", "MODE_LABELS", "CaseExplorer",
           "case_explorer", "case_animation", "case_gallery"]

#: Dropdown label -> `convlib.sizes.windows.MODES` value.
MODE_LABELS = {"PyTorch, padding p": "torch", "PyTorch padding='same'": "same",
               "TensorFlow 'SAME'": "tf_same", "TensorFlow 'VALID'": "tf_valid"}


def _state(H, W, kH, kW, stride, padding, dilation, mode, op, ceil_mode, window):
    lay_h, lay_w = layouts_2d((H, W), (kH, kW), stride, padding, dilation, mode=mode,
                              op=op, ceil_mode=ceil_mode and op == "pool")
    j = divmod(min(window, lay_h.output_size * lay_w.output_size - 1), lay_w.output_size)
    return lay_h, lay_w, j


def _describe(state: tuple[AxisLayout, AxisLayout, tuple[int, int]]) -> str:
    lay_h, lay_w, _ = state
    return f"{formula_text(lay_h, 'H')}\n{formula_text(lay_w, 'W')}"


class FeatureMapExplorer(Explorer):
    """Explorer whose window slider always spans the current output grid."""

    def after_compute(self, state) -> None:
        lay_h, lay_w, _ = state
        last = lay_h.output_size * lay_w.output_size - 1
        fit_index_slider(self.controls["window"], last)


def feature_map_explorer(H: int = 7, W: int = 6, kH: int = 3, kW: int = 2, stride: int = 2,
                         padding: int = 1, dilation: int = 1, mode: str = "torch",
                         op: str = "conv", ceil_mode: bool = False,
                         render: bool = True) -> FeatureMapExplorer:
    """Sliders for one conv / max-pool layer, drawing input, windows and output.

    >>> ex = feature_map_explorer(render=False)
    >>> ex.state[0].output_size, ex.state[1].output_size
    (4, 4)
    >>> ex.controls["stride"].value = 3; ex.controls["mode"].value = "same"
    >>> ex.error
    "`padding`='same' needs stride 1, got stride=3"
    """
    controls = {
        "H": int_slider("H", H, 1, 12), "W": int_slider("W", W, 1, 12),
        "kH": int_slider("k_H", kH, 1, 7), "kW": int_slider("k_W", kW, 1, 7),
        "stride": int_slider("stride s", stride, 1, 4),
        "padding": int_slider("padding p", padding, 0, 3),
        "dilation": int_slider("dilation d", dilation, 1, 3),
        "mode": widgets.Dropdown(options=list(MODE_LABELS.items()), value=mode,
                                 description="padding convention", style={"description_width": "initial"},
                                 layout=widgets.Layout(width="320px")),
        "op": widgets.ToggleButtons(options=[("convolution", "conv"), ("max pool", "pool")],
                                    value=op, style={"button_width": "110px"}),
        "ceil_mode": widgets.Checkbox(value=ceil_mode, description="ceil_mode (pool)"),
        "window": int_slider("output cell", 0, 0, 1),
    }
    play = widgets.Play(min=0, max=1, interval=700, description="step through windows")
    widgets.jslink((play, "value"), (controls["window"], "value"))
    widgets.jslink((controls["window"], "max"), (play, "max"))
    rows = [["H", "W", "kH", "kW"], ["stride", "padding", "dilation"],
            ["mode", "op", "ceil_mode"], ["window"]]
    ex = FeatureMapExplorer(controls, _state, _figure(), _describe, rows, render)
    rows_ = ex.panel.children
    ex.panel.children = (*rows_[:3], widgets.HBox([play, rows_[3]]), *rows_[4:])
    return ex


def _figure():
    fig, update = layout_figure(formula=False)
    return fig, lambda state: update(*state)


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
