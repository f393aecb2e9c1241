"""Chapter figure: the padded input grid, the window positions, the output grid.

Compact frames of the named cases (Dumoulin & Visin style): the padded or stretched
input with the window of one output cell, and the output grid with that cell.

Positions and categories come from `convlib.transposed.cases.case_view`; this module only paints.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure, SubFigure
from matplotlib.patches import Rectangle

from ..transposed.cases import case_text, CaseView
from ..sizes.windows import AxisLayout, formula_text, layout_grid
from .cells import CellColours
from .core import DISPLAY_DPI, PALETTE, TEXT_PT, freeze_layout, grid_lines, new_figure
from .transposed import CATEGORY_COLOURS

__all__ = ["layout_figure", "draw_layout", "CasePanel", "case_figure", "case_gallery_figure",
           "draw_case"]

# Colours in the order of the categories of `convlib.sizes.windows.layout_grid`.
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
            # A long line (a ceil_mode window dropped) continues on the next one.
            text.set_text("\n".join(formula_text(lay, axis).replace(";  ", "\n      ")
                                    for lay, axis in ((lay_h, "H"), (lay_w, "W"))))

    return fig, update


def draw_layout(lay_h: AxisLayout, lay_w: AxisLayout, j: tuple[int, int] = (0, 0)) -> Figure:
    """A static version of the explorer's figure, for one configuration."""
    fig, update = layout_figure()
    update(lay_h, lay_w, j)
    return fig


_TAPS = (PALETTE["tap"],) + (PALETTE["tap_pad"],) * 4
_CELL_CMAP = ListedColormap(list(CATEGORY_COLOURS) + list(_TAPS))
_OUT_CMAP = ListedColormap([PALETTE["output"], PALETTE["current"]])


class CasePanel:
    """Two axes (input left, output right) and ``update(view)`` changing their artists.

    The title (the case's name, then its numbers) is ``title_on``'s suptitle when given
    (a figure or subfigure holding just these two axes, so it spans both and the layout
    makes room for it), else the input axes' left title.
    """

    def __init__(self, ax_in: Axes, ax_out: Axes, title_size: float = TEXT_PT,
                 title_on: Figure | SubFigure | None = None):
        self.ax_in, self.ax_out, self.title_size = ax_in, ax_out, title_size
        self.cells = CellColours(ax_in, cmap=_CELL_CMAP, vmin=-0.5, vmax=9.5)
        self.frame = ax_in.add_patch(Rectangle((0, 0), 1, 1, fill=False, lw=1.8,
                                               ec=PALETTE["line"]))
        self.out = CellColours(ax_out, cmap=_OUT_CMAP, vmin=0, vmax=1)
        self.grid_in, self.grid_out = grid_lines(ax_in, 0.5), grid_lines(ax_out, 0.5)
        if title_on is None:
            self.title = ax_in.set_title("", fontsize=title_size, loc="left")
        else:
            self.title = title_on.suptitle("", fontsize=title_size, x=0.02, ha="left")
        for spine in ax_out.spines.values():  # the output grid is drawn at the input's scale
            spine.set_visible(False)

    def update(self, view: CaseView) -> None:
        rows, cols = view.cells.shape
        self.cells.set_data(view.cells + 5 * view.taps)
        ys, xs = np.nonzero(view.taps)
        self.frame.set_bounds(xs.min() - 0.5, ys.min() - 0.5, xs.max() - xs.min() + 1,
                              ys.max() - ys.min() + 1)
        self.grid_in(rows, cols)
        oh, ow = view.output_shape
        out = np.zeros((oh, ow))
        out[view.j] = 1
        self.out.set_data(out)
        self.grid_out(oh, ow)
        # Same scale for both grids: one cell is one cell.
        self.ax_in.set_xlim(-0.5, cols - 0.5)
        self.ax_out.set_xlim(-0.5, max(ow, cols) - 0.5)
        self.ax_out.set_ylim(max(oh, rows) - 0.5, -0.5)
        self.title.set_text(case_text(view).replace(": ", "\n", 1))


def case_figure(width: float = 4.6, height: float = 2.8) -> tuple[Figure, Callable[[CaseView], None]]:
    """A small figure for one case and ``update(view)`` (in place). Blue: input values,
    white: inserted zeros, grey: padding, dark grey: output padding, orange: the cells the
    window of the dark-green output cell reads."""
    fig, axes = new_figure(width, height, ncols=2)
    panel = CasePanel(*axes[0], title_on=fig)

    def update(view: CaseView) -> None:
        panel.update(view)
        freeze_layout(fig)

    return fig, update


def draw_case(view: CaseView) -> Figure:
    """A static frame of one case."""
    fig, update = case_figure()
    update(view)
    return fig


def case_gallery_figure(n_cases: int, columns: int = 3, panel_width: float = 3.8,
                        panel_height: float = 2.5, title_size: float = TEXT_PT
                        ) -> tuple[Figure, Callable[[Sequence[CaseView]], None]]:
    """A grid of ``n_cases`` panels and ``update(views)`` drawing one frame of each
    (``title_size`` in points: raise it with the panel size for a slide).

    Each case sits in its own subfigure (input and output axes under a two-line title),
    so a long title never runs into the next case and the layout reserves its height.
    """
    rows = -(-n_cases // columns)
    fig = Figure(figsize=(panel_width * columns, panel_height * rows), dpi=DISPLAY_DPI,
                 layout="constrained")
    subfigs = fig.subfigures(rows, columns, squeeze=False, wspace=0.04, hspace=0.04)
    panels = []
    for n, sub in enumerate(subfigs.ravel()):
        if n < n_cases:
            ax_in, ax_out = sub.subplots(1, 2)
            panels.append(CasePanel(ax_in, ax_out, title_size=title_size, title_on=sub))

    def update(views: Sequence[CaseView]) -> None:
        for panel, view in zip(panels, views):
            panel.update(view)
        freeze_layout(fig)

    return fig, update
