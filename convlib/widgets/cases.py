"""The named cases as an explorer and as kernel-free animations (one case, or a gallery)."""
from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

from ..cases import CANONICAL_CASES, Case, CaseView, case_cells, case_text, case_view, frame_cells
from ..draw.cases import case_figure, case_gallery_figure
from .core import Explorer, _offline_player, animate, fit_index_slider, int_slider

__all__ = ["CaseExplorer", "case_explorer", "case_animation", "case_gallery"]


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
