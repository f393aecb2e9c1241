"""Chapter figure: the padded input grid, the window positions, the output grid."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..windows import AxisLayout, formula_text, layout_grid
from .cells import CellColours
from .core import PALETTE, grid_lines, new_figure, TEXT_PT

__all__ = ["layout_figure", "draw_layout"]

# Colours in the order of the categories of `convlib.windows.layout_grid`.
_CMAP = ListedColormap([PALETTE[n] for n in
                        ("pad", "input", "tap", "tap_pad", "overhang", "tap_overhang")])


def layout_figure(formula: bool = True) -> tuple[Figure, Callable[[AxisLayout, AxisLayout, tuple[int, int]], None]]:
    """An empty two-panel figure and ``update(lay_h, lay_w, j)`` that redraws it in place.

    Left: the padded input (blue input, grey padding, orange: the cells that
    output ``j`` reads; dots: where every window starts). Right: the output
    grid with cell ``j`` in green. ``formula`` prints the output-size formula
    on top (an explorer shows it as text instead). The update only changes
    existing artists.
    """
    fig, axes = new_figure(9, 4.6, ncols=2, width_ratios=[3, 2])
    ax_in, ax_out = axes[0]
    grid_img = CellColours(ax_in, cmap=_CMAP, vmin=-0.5, vmax=5.5)
    frame = ax_in.add_patch(Rectangle((0, 0), 1, 1, fill=False, lw=2.5, ec=PALETTE["line"]))
    inner = ax_in.add_patch(Rectangle((0, 0), 1, 1, fill=False, lw=1.2, ls="--", ec=PALETTE["accent"]))
    starts = ax_in.scatter([], [], s=14, c=PALETTE["line"], zorder=3)
    out_img = CellColours(ax_out, cmap=ListedColormap([PALETTE["output"], PALETTE["current"]]),
                          vmin=0, vmax=1)
    grid_in, grid_out = grid_lines(ax_in), grid_lines(ax_out)
    text = fig.suptitle("", x=0.02, ha="left", fontsize=TEXT_PT, family="DejaVu Sans Mono")

    def update(lay_h: AxisLayout, lay_w: AxisLayout, j: tuple[int, int] = (0, 0)) -> None:
        grid = layout_grid(lay_h, lay_w, j)
        rows, cols = grid.shape
        grid_img.set_data(grid)
        taps_h, taps_w = lay_h.taps(j[0]), lay_w.taps(j[1])
        frame.set_bounds(taps_w[0] - 0.5, taps_h[0] - 0.5, taps_w[-1] - taps_w[0] + 1,
                         taps_h[-1] - taps_h[0] + 1)
        inner.set_bounds(lay_w.pad_before - 0.5, lay_h.pad_before - 0.5, lay_w.input_size,
                         lay_h.input_size)
        sh, sw = np.meshgrid(lay_h.starts, lay_w.starts, indexing="ij")
        starts.set_offsets(np.column_stack([sw.ravel() - 0.3, sh.ravel() - 0.3]))
        grid_in(rows, cols, f"padded input {rows}×{cols} (input {lay_h.input_size}×{lay_w.input_size})")
        out = np.zeros((lay_h.output_size, lay_w.output_size))
        out[j] = 1
        out_img.set_data(out)
        grid_out(lay_h.output_size, lay_w.output_size,
                 f"output {lay_h.output_size}×{lay_w.output_size}, cell {j}")
        if formula:
            text.set_text(formula_text(lay_h, "H") + "\n" + formula_text(lay_w, "W"))

    return fig, update


def draw_layout(lay_h: AxisLayout, lay_w: AxisLayout, j: tuple[int, int] = (0, 0)) -> Figure:
    """A static version of the explorer's figure, for one configuration."""
    fig, update = layout_figure()
    update(lay_h, lay_w, j)
    return fig
