"""The both-directions figure: the operator's input grid, its matrix, its output grid.

What to highlight comes from `convlib.directions.directions_view`; this module paints it.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..directions import DirectionsView
from .cells import CellColours
from .core import PALETTE, TEXT_PT, freeze_layout, grid_lines, new_figure

__all__ = ["directions_figure", "draw_directions"]

_GRID = ListedColormap([PALETTE["input"], PALETTE["tap"]])
_OUT = ListedColormap([PALETTE["output"], PALETTE["tap"]])
#: matrix cells: zero, weight, zero in the selected row/column, weight in it
_MATRIX = ListedColormap([PALETTE["blank"], PALETTE["kernel"], PALETTE["tap_overhang"], PALETTE["tap"]])


def directions_figure() -> tuple[Figure, Callable[[DirectionsView], None]]:
    """An empty three-panel figure and ``update(view)`` (in place): the operator's input
    (orange: the cells in play), its matrix (rows: outputs, columns: inputs; the selected
    row or column tinted, its weights orange), and its output. The selected cell is
    outlined."""
    fig, axes = new_figure(10.5, 4.0, ncols=3, width_ratios=[1, 1.6, 1])
    ax_in, ax_mat, ax_out = axes[0]
    img_in = CellColours(ax_in, cmap=_GRID, vmin=0, vmax=1)
    img_mat = CellColours(ax_mat, cmap=_MATRIX, vmin=-0.5, vmax=3.5, aspect="auto")
    img_out = CellColours(ax_out, cmap=_OUT, vmin=0, vmax=1)
    marks = [ax.add_patch(Rectangle((0, 0), 1, 1, fill=False, lw=2.4, ec=PALETTE["line"]))
             for ax in (ax_in, ax_out)]
    band = ax_mat.add_patch(Rectangle((0, 0), 1, 1, fill=False, lw=1.5, ec=PALETTE["line"]))
    grid_in, grid_out = grid_lines(ax_in), grid_lines(ax_out)
    ax_mat.set_xticks([])
    ax_mat.set_yticks([])

    def update(view: DirectionsView) -> None:
        (ih, iw), (oh, ow) = view.in_shape, view.out_shape
        for img, mask in ((img_in, view.in_mask), (img_out, view.out_mask)):
            img.set_data(mask.astype(int))
        on = view.taps >= 0
        cats = on.astype(int)
        rows, cols = view.taps.shape
        if view.select == "output":
            cats[view.index] += 2
            band.set_bounds(-0.5, view.index - 0.5, cols, 1)
        else:
            cats[:, view.index] += 2
            band.set_bounds(view.index - 0.5, -0.5, 1, rows)
        img_mat.set_data(cats)
        ax_mat.set_xlim(-0.5, cols - 0.5)
        ax_mat.set_ylim(rows - 0.5, -0.5)
        name = "C^T" if view.mode == "transposed" else "C"
        ax_mat.set_title(f"{name}: {rows}×{cols} (rows: outputs, columns: inputs)", fontsize=TEXT_PT)
        shape = view.out_shape if view.select == "output" else view.in_shape
        r, c = divmod(view.index, shape[1])
        target = marks[1] if view.select == "output" else marks[0]
        other = marks[0] if view.select == "output" else marks[1]
        target.set_bounds(c - 0.5, r - 0.5, 1, 1)
        target.set_visible(True)
        other.set_visible(False)
        grid_in(ih, iw, f"input {ih}×{iw}")
        grid_out(oh, ow, f"output {oh}×{ow}")
        freeze_layout(fig)

    return fig, update


def draw_directions(view: DirectionsView) -> Figure:
    """A static version of the explorer's figure."""
    fig, update = directions_figure()
    update(view)
    return fig
