"""Dilated convolution figures: kernels with gaps, the explorer, receptive-field growth,
gridding maps and where a field sits under padding.

Positions, masks and counts come from `convlib.dilated.layout`, `convlib.sizes.windows`,
`convlib.transposed.core` and `convlib.receptive.fields`; these functions only paint them.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..dilated.layout import DilatedView, GriddingView
from ..sizes.windows import AxisLayout, axis_layout, layout_grid
from .cells import CellColours
from .core import (PALETTE, PATHS_CMAP, colorbar, freeze_layout, grid_lines, new_figure,
                   show_holes, style_grid_axes, TEXT_PT)

__all__ = ["draw_kernel_mask", "draw_dilated_kernels", "dilated_figure", "draw_dilated",
           "draw_receptive_growth", "gridding_map", "gridding_figure", "draw_gridding",
           "draw_field_shift"]

# Colours in the order of the categories of `convlib.sizes.windows.layout_grid`.
_LAYOUT_CMAP = ListedColormap([PALETTE[n] for n in
                               ("pad", "input", "tap", "tap_pad", "overhang", "tap_overhang")])
_MASK_CMAP = ListedColormap([PALETTE["blank"], PALETTE["kernel"]])
_PATHS_CMAP = PATHS_CMAP  # path counts from 1 up; holes: show_holes
#: The colour bar of a gridding map says what a hole looks like.
HOLES_LABEL = "paths to the unit (hatched grey: never read)"
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def draw_kernel_mask(mask: np.ndarray, kernel_size: int, ax: Axes, *, title: str = "",
                     labels: bool = True) -> Axes:
    """A ``k_eff x k_eff`` kernel: taps (pink, labelled ``w_ab``) and gaps (white)."""
    mask = np.asarray(mask, bool)
    ax.imshow(mask.astype(int), cmap=_MASK_CMAP, vmin=0, vmax=1)
    if labels:
        rows, cols = np.nonzero(mask)
        for n, (r, c) in enumerate(zip(rows, cols)):
            ax.text(c, r, f"w{n // kernel_size}{n % kernel_size}".translate(_SUB),
                    ha="center", va="center", fontsize=TEXT_PT)
    style_grid_axes(ax, *mask.shape, title)
    return ax


def draw_dilated_kernels(masks: Sequence[np.ndarray], kernel_size: int,
                         titles: Sequence[str]) -> Figure:
    """Kernels side by side at one cell size (the largest sets the scale)."""
    sizes = [m.shape[1] for m in masks]
    # Width ratios = sizes and a generous height: every panel is width-limited, so all
    # cells come out the same size (smaller kernels centred vertically).
    fig, axes = new_figure(0.4 * sum(sizes) + 0.3 * len(masks) + 0.3, 0.43 * max(sizes) + 0.75,
                           ncols=len(masks), width_ratios=sizes)
    for ax, mask, title in zip(axes[0], masks, titles):
        draw_kernel_mask(mask, kernel_size, ax, title=title)
    return fig


# ------------------------------------------------------------ explorer figure

def dilated_figure() -> tuple[Figure, Callable[[DilatedView], None]]:
    """An empty three-panel figure and ``update(view)`` that redraws it in place.

    Left: the kernel with its gaps. Middle: the padded input (blue input, grey
    padding, orange: the cells the output cell reads), ``+`` at the centre of
    that cell's field. Right: the output grid with the cell in green.
    """
    fig, axes = new_figure(11, 4.6, ncols=3, width_ratios=[1.2, 3, 2])
    ax_k, ax_in, ax_out = axes[0]
    k_img = CellColours(ax_k, cmap=_MASK_CMAP, vmin=0, vmax=1)
    grid_img = CellColours(ax_in, cmap=_LAYOUT_CMAP, vmin=-0.5, vmax=5.5)
    frame = ax_in.add_patch(Rectangle((0, 0), 1, 1, fill=False, lw=2.2, ec=PALETTE["line"]))
    inner = ax_in.add_patch(Rectangle((0, 0), 1, 1, fill=False, lw=1.2, ls="--",
                                      ec=PALETTE["accent"]))
    centre = ax_in.scatter([0], [0], marker="+", s=160, linewidths=2.5, c=PALETTE["line"],
                           zorder=4)
    out_img = CellColours(ax_out, cmap=ListedColormap([PALETTE["output"], PALETTE["current"]]),
                          vmin=0, vmax=1)
    grid_k, grid_in, grid_out = grid_lines(ax_k), grid_lines(ax_in), grid_lines(ax_out)

    def update(view: DilatedView) -> None:
        lay_h, lay_w, j = view.lay_h, view.lay_w, view.j
        k_img.set_data(view.mask.astype(int))
        grid_k(*view.mask.shape, f"kernel {lay_h.kernel_size}×{lay_w.kernel_size}, "
                                 f"d={lay_h.dilation}")
        grid = layout_grid(lay_h, lay_w, j)
        rows, cols = grid.shape
        grid_img.set_data(grid)
        th, tw = lay_h.taps(j[0]), lay_w.taps(j[1])
        frame.set_bounds(tw[0] - 0.5, th[0] - 0.5, tw[-1] - tw[0] + 1, th[-1] - th[0] + 1)
        inner.set_bounds(lay_w.pad_before - 0.5, lay_h.pad_before - 0.5, lay_w.input_size,
                         lay_h.input_size)
        centre.set_offsets([[view.centre[1] + lay_w.pad_before,
                             view.centre[0] + lay_h.pad_before]])
        grid_in(rows, cols, f"padded input {rows}×{cols} "
                            f"(input {lay_h.input_size}×{lay_w.input_size})")
        oh, ow = lay_h.output_size, lay_w.output_size
        out = np.zeros((oh, ow))
        out[j] = 1
        out_img.set_data(out)
        grid_out(oh, ow, f"output {oh}×{ow}, cell {j}")
        freeze_layout(fig)

    return fig, update


def draw_dilated(view: DilatedView) -> Figure:
    """A static version of the explorer's figure."""
    fig, update = dilated_figure()
    update(view)
    return fig


# ------------------------------------------------------- receptive fields

def draw_receptive_growth(series: Mapping[str, Sequence[int]], *,
                          title: str = "receptive field of a stack of 3×3 layers") -> Figure:
    """Receptive-field size after each layer, one line per schedule (label -> sizes)."""
    fig, axes = new_figure(6.4, 3.6)
    ax = axes[0, 0]
    colours = [PALETTE["accent"], PALETTE["tap"], PALETTE["current"], PALETTE["kernel"]]
    for n, (label, sizes) in enumerate(series.items()):
        depth = np.arange(1, len(sizes) + 1)
        ax.plot(depth, sizes, marker="o", color=colours[n % len(colours)], label=label)
        ax.annotate(str(sizes[-1]), (depth[-1], sizes[-1]), textcoords="offset points",
                    xytext=(6, -3), fontsize=TEXT_PT)
    ax.set_xlabel("layers")
    ax.set_ylabel("receptive field (pixels per side)")
    ax.set_xticks(np.arange(1, max(len(s) for s in series.values()) + 1))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=TEXT_PT, frameon=False)
    ax.set_title(title, fontsize=TEXT_PT + 1)
    return fig


_CENTRE = dict(marker="s", s=70, facecolors="none", edgecolors=PALETTE["tap"], linewidths=2,
               zorder=3)


def _grid_width(n: int) -> float:
    """Cell lines for small maps only: past ~30 cells they would hide the pattern."""
    return 0.6 if n <= 30 else 0.0


def gridding_map(view: GriddingView, ax: Axes, *, title: str = "") -> Axes:
    """Pixels of the field: hatched grey never read, purple shaded by the number of paths
    (a single path is clearly coloured)."""
    counts = view.counts
    shown = np.ma.masked_equal(counts, 0)
    show_holes(ax)
    img = ax.imshow(shown, cmap=_PATHS_CMAP, vmin=1, vmax=max(int(counts.max()), 2))
    colorbar(ax.figure, img, ax, HOLES_LABEL, integer=True)
    c = (counts.shape[0] - 1) / 2
    ax.scatter([c], [c], **_CENTRE)
    style_grid_axes(ax, *counts.shape, title)
    ax.grid(which="minor", linewidth=_grid_width(counts.shape[0]))
    return ax


def gridding_figure() -> tuple[Figure, Callable[[GriddingView], None]]:
    """An empty figure and ``update(view)`` drawing one gridding map in place."""
    fig, axes = new_figure(5.6, 5.8)
    ax = axes[0, 0]
    show_holes(ax)
    img = CellColours(ax, cmap=_PATHS_CMAP, vmin=1, vmax=2)
    colorbar(fig, img.mappable, ax, HOLES_LABEL, integer=True)
    dot = ax.scatter([0], [0], **_CENTRE)
    grid = grid_lines(ax)

    def update(view: GriddingView) -> None:
        counts = view.counts
        n = counts.shape[0]
        img.set_data(np.ma.masked_equal(counts, 0))
        img.set_clim(1, max(int(counts.max()), 2))
        dot.set_offsets([[(n - 1) / 2, (n - 1) / 2]])
        grid(n, n, f"field of the centre unit, dilations {', '.join(map(str, view.dilations))}",
             _grid_width(n))
        freeze_layout(fig)

    return fig, update


def draw_gridding(views: Sequence[GriddingView], titles: Sequence[str]) -> Figure:
    """Gridding maps side by side (each at its own size)."""
    fig, axes = new_figure(4.2 * len(views), 4.4, ncols=len(views))
    for ax, view, title in zip(axes[0], views, titles):
        gridding_map(view, ax, title=title)
    return fig


# ----------------------------------------------------------- field position

def draw_field_shift(rows: Sequence[tuple[str, AxisLayout, int, float]]) -> Figure:
    """One strip per configuration: the padded input row, the cells unit ``u`` reads
    (orange), ``▲`` at its field centre and ``●`` under input pixel ``u``.

    ``rows`` holds ``(label, layout, u, centre)``; input pixel 0 is aligned in every strip.
    """
    lo = min(-lay.pad_before for _, lay, _, _ in rows)
    hi = max(lay.extent - lay.pad_before for _, lay, _, _ in rows)
    fig, axes = new_figure(0.4 * (hi - lo) + 0.6, 0.85 * len(rows) + 0.5, nrows=len(rows))
    fig.suptitle("orange: the taps unit u reads    grey ▲: centre of its field    green ●: input pixel u",
                 fontsize=TEXT_PT)
    one = axis_layout(1, 1)
    for ax, (label, lay, u, centre) in zip(axes[:, 0], rows):
        cells = layout_grid(one, lay, (0, u))
        x0 = -lay.pad_before
        ax.imshow(cells, cmap=_LAYOUT_CMAP, vmin=-0.5, vmax=5.5, aspect="auto",
                  extent=(x0 - 0.5, x0 + cells.shape[1] - 0.5, 0.5, -0.5))
        ax.vlines(np.arange(x0, x0 + cells.shape[1] + 1) - 0.5, -0.5, 0.5,
                  color=PALETTE["line"], lw=0.6)
        ax.scatter([centre], [0.78], marker="^", s=60, c=PALETTE["line"], clip_on=False)
        ax.scatter([u], [-0.8], marker="o", s=40, c=PALETTE["current"], clip_on=False)
        ax.set_xlim(lo - 0.5, hi - 0.5)
        ax.set_ylim(0.95, -0.95)
        ax.set_yticks([])
        ax.set_xticks(range(lo, hi))
        ax.tick_params(labelsize=7, length=0)
        for side in ("top", "right", "left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.set_title(label, fontsize=TEXT_PT, loc="left")
    return fig
