"""Transposed convolution figures: the matrix C, one input spreading, the stretched
input of the explorer, overlap (checkerboard) maps, and upsampled images.

Every position and count comes from `convlib.transposed.layout` / `convlib.transposed.core`;
these functions only paint them.

The both-directions figure: the operator's input grid, its matrix, its output grid.

What to highlight comes from `convlib.transposed.directions.directions_view`; this module paints it.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap, to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from ..transposed.directions import DirectionsView
from ..transposed.layout import CATEGORY_NAMES, transposed_grid, TransposedAxis
from .cells import CellColours, CellNumbers
from .core import (HEAT_CMAP, PALETTE, TEXT_PT, colorbar, freeze_layout, grid_lines, new_figure,
                   style_grid_axes)

__all__ = ["CATEGORY_COLOURS", "freeze_layout", "grid_lines", "draw_conv_matrix", "draw_spread",
           "transposed_figure", "draw_transposed", "count_map", "overlap_figure",
           "draw_overlap_cases", "draw_images", "directions_figure", "draw_directions"]

def _tint(name: str, amount: float) -> str:
    """`PALETTE[name]` mixed with white (amount 0: the colour, 1: white)."""
    rgb = np.array(to_rgb(PALETTE[name]))
    return to_hex(rgb + (1 - rgb) * amount)


#: Colours of `convlib.transposed.layout` categories: value, inserted zero, padding,
#: output padding, cropped (tints of the course palette).
CATEGORY_COLOURS = (PALETTE["input"], PALETTE["overhang"], PALETTE["pad"], _tint("line", 0.6),
                    _tint("error", 0.75))
_TAP_COLOURS = (PALETTE["tap"], PALETTE["tap_pad"], PALETTE["tap_pad"], PALETTE["tap_pad"],
                PALETTE["tap_pad"])
_CAT_CMAP = ListedColormap(CATEGORY_COLOURS + _TAP_COLOURS)
_COUNT_CMAP = HEAT_CMAP  # overlap counts are numbers: heat
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _sub(text: str) -> str:
    return text.translate(_SUB)


def _ax(ax: Axes | None, width: float, height: float) -> Axes:
    return new_figure(width, height)[1][0, 0] if ax is None else ax


# ------------------------------------------------------------------ matrix view

def draw_conv_matrix(taps: np.ndarray, kernel_width: int, row_names: Sequence[str],
                     col_names: Sequence[str], ax: Axes | None = None, *, title: str = "",
                     cell: float = 0.42) -> Axes:
    """Draw a convolution matrix cell by cell: entry ``w_ab`` where ``taps >= 0``.

    ``taps`` is `convlib.transposed.layout.conv_matrix_taps` (or its transpose),
    tap ``t`` is drawn as ``w_{t // kernel_width, t % kernel_width}``; empty cells are 0.
    """
    rows, cols = taps.shape
    ax = _ax(ax, cell * cols + 1.2, cell * rows + 0.9)
    ax.imshow((taps >= 0).astype(int), cmap=ListedColormap([PALETTE["blank"], PALETTE["kernel"]]),
              vmin=0, vmax=1)
    for (r, c), t in np.ndenumerate(taps):
        label = _sub(f"w{t // kernel_width}{t % kernel_width}") if t >= 0 else "0"
        ax.text(c, r, label, ha="center", va="center", fontsize=TEXT_PT,
                color=PALETTE["text"] if t >= 0 else PALETTE["muted"])
    style_grid_axes(ax, rows, cols, title)
    ax.set_xticks(range(cols), [_sub(n) for n in col_names], fontsize=TEXT_PT, rotation=90)
    ax.set_yticks(range(rows), [_sub(n) for n in row_names], fontsize=TEXT_PT)
    ax.tick_params(length=0)
    return ax


def draw_spread(taps_row: np.ndarray, kernel_width: int, in_shape: tuple[int, int],
                index: int, out_shape: tuple[int, int]) -> Figure:
    """One input value ``y_index`` (left) and the outputs it reaches (right).

    ``taps_row`` is row ``index`` of ``C`` (column ``index`` of ``C^T``), as taps:
    output ``q`` receives ``w_t * y_index`` where ``taps_row[q] = t >= 0``.
    """
    fig, axes = new_figure(7.2, 3.2, ncols=2, width_ratios=[in_shape[1] + 1, out_shape[1]])
    ax_in, ax_out = axes[0]
    mark = np.zeros(in_shape, int)
    mark[np.unravel_index(index, in_shape)] = 1
    ax_in.imshow(mark, cmap=ListedColormap([PALETTE["input"], PALETTE["tap"]]), vmin=0, vmax=1)
    for (r, c), _ in np.ndenumerate(mark):
        ax_in.text(c, r, _sub(f"y{r}{c}"), ha="center", va="center", fontsize=TEXT_PT)
    style_grid_axes(ax_in, *in_shape, f"input y ({in_shape[0]}×{in_shape[1]})")
    grid = taps_row.reshape(out_shape)
    ax_out.imshow((grid >= 0).astype(int), cmap=ListedColormap([PALETTE["blank"], PALETTE["tap"]]),
                  vmin=0, vmax=1)
    y = _sub(f"y{index // in_shape[1]}{index % in_shape[1]}")
    for (r, c), t in np.ndenumerate(grid):
        if t >= 0:
            ax_out.text(c, r, _sub(f"w{t // kernel_width}{t % kernel_width}") + f"·{y}",
                        ha="center", va="center", fontsize=TEXT_PT)
    reached = int((grid >= 0).sum())
    style_grid_axes(ax_out, *out_shape, f"output ({out_shape[0]}×{out_shape[1]}): "
                                        f"{y} reaches {reached} cells")
    return fig


# ------------------------------------------------------------ explorer figure

def _pool_texts(ax: Axes, n: int) -> CellNumbers:
    """One artist for all the counts of a map (``n`` is kept for the callers' symmetry)."""
    return CellNumbers(ax, TEXT_PT)


def _show_counts(numbers: CellNumbers, counts: np.ndarray, max_side: int) -> None:
    """Counts in their cells (white on the dark half of the heat map), or none past
    ``max_side`` cells per side, where they would not be readable."""
    if max(counts.shape) > max_side:
        numbers.set_cells([], [], [])
        return
    rows, cols = np.indices(counts.shape)
    dark = counts > 0.55 * max(int(counts.max()), 1)
    numbers.set_cells(cols.ravel(), rows.ravel(), [str(v) for v in counts.ravel()],
                      [PALETTE["blank"] if d else PALETTE["text"] for d in dark.ravel()])


def transposed_figure(max_text: int = 12) -> tuple[Figure, Callable[..., None]]:
    """An empty two-panel figure and ``update(lay_h, lay_w, j, counts)`` (in place).

    Left: the stretched input of `convlib.transposed.layout` (blue input values,
    white inserted zeros, grey padding, output padding and cropped cells tinted;
    orange: the cells output ``j`` reads, dark where they hold an input value).
    Right: ``counts`` (input values under each window), ``j`` outlined; numbers
    are printed when the output has at most ``max_text`` cells per side.
    """
    fig, axes = new_figure(10, 5.2, ncols=2, width_ratios=[3, 2])
    ax_in, ax_out = axes[0]
    cat_img = CellColours(ax_in, cmap=_CAT_CMAP, vmin=-0.5, vmax=9.5)
    frame = ax_in.add_patch(Rectangle((0, 0), 1, 1, fill=False, lw=2.2, ec=PALETTE["line"]))
    out_img = CellColours(ax_out, cmap=_COUNT_CMAP, vmin=0, vmax=1)
    colorbar(fig, out_img.mappable, ax_out, "input values read", integer=True)
    current = ax_out.add_patch(Rectangle((0, 0), 1, 1, fill=False, lw=2.5, ec=PALETTE["tap"]))
    texts = _pool_texts(ax_out, max_text * max_text)
    grid_in, grid_out = grid_lines(ax_in), grid_lines(ax_out)
    handles = [Patch(fc=c, ec=PALETTE["line"], label=n) for c, n in zip(CATEGORY_COLOURS,
                                                                         CATEGORY_NAMES)]
    handles.append(Patch(fc=PALETTE["tap"], ec=PALETTE["line"], label="read by the cell"))
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=TEXT_PT, frameon=False)

    def update(lay_h: TransposedAxis, lay_w: TransposedAxis, j: tuple[int, int],
               counts: np.ndarray) -> None:
        cats, taps = transposed_grid(lay_h, lay_w, j)
        rows, cols = cats.shape
        cat_img.set_data(cats + 5 * taps)
        th, tw = lay_h.taps(j[0]), lay_w.taps(j[1])
        frame.set_bounds(tw[0] - 0.5, th[0] - 0.5, tw[-1] - tw[0] + 1, th[-1] - th[0] + 1)
        grid_in(rows, cols, f"stretched input {rows}×{cols} "
                            f"(input {lay_h.input_size}×{lay_w.input_size})")
        oh, ow = counts.shape
        out_img.set_data(counts)
        out_img.set_clim(0, max(int(counts.max()), 1))
        current.set_bounds(j[1] - 0.5, j[0] - 0.5, 1, 1)
        _show_counts(texts, counts, max_text)
        grid_out(oh, ow, f"output {oh}×{ow}: input values per window")
        freeze_layout(fig)

    return fig, update


def draw_transposed(lay_h: TransposedAxis, lay_w: TransposedAxis, j: tuple[int, int],
                    counts: np.ndarray) -> Figure:
    """A static version of the explorer's figure."""
    fig, update = transposed_figure()
    update(lay_h, lay_w, j, counts)
    return fig


# ------------------------------------------------------------- overlap maps

def count_map(counts: np.ndarray, ax: Axes | None = None, *, title: str = "",
              vmax: int | None = None, numbers: bool = True) -> Axes:
    """A 2-D map of overlap counts (white 0 to dark green), numbers in the cells."""
    counts = np.asarray(counts)
    ax = _ax(ax, 0.35 * counts.shape[1] + 1, 0.35 * counts.shape[0] + 1)
    img = ax.imshow(counts, cmap=_COUNT_CMAP, vmin=0, vmax=vmax or max(int(counts.max()), 1))
    colorbar(ax.figure, img, ax, "overlaps", integer=True)
    if numbers:
        for (r, c), v in np.ndenumerate(counts):
            ax.text(c, r, str(v), ha="center", va="center", fontsize=TEXT_PT)
    style_grid_axes(ax, *counts.shape, title)
    return ax


def overlap_figure(max_text: int = 15) -> tuple[Figure, Callable[..., None]]:
    """An empty figure and ``update(counts, title)`` drawing a 2-D overlap map in place."""
    fig, axes = new_figure(6, 5.4)
    ax = axes[0, 0]
    img = CellColours(ax, cmap=_COUNT_CMAP, vmin=0, vmax=1)
    colorbar(fig, img.mappable, ax, "windows overlapping the cell", integer=True)
    texts = _pool_texts(ax, max_text * max_text)
    grid = grid_lines(ax)

    def update(counts: np.ndarray, title: str = "") -> None:
        rows, cols = counts.shape
        img.set_data(counts)
        img.set_clim(0, max(int(counts.max()), 1))
        _show_counts(texts, counts, max_text)
        grid(rows, cols, title)
        freeze_layout(fig)

    return fig, update


def draw_overlap_cases(cases: Sequence[Sequence[tuple[str, np.ndarray]]]) -> Figure:
    """A grid of overlap maps: ``cases[row][col] = (title, counts)``, one colour scale."""
    nrows, ncols = len(cases), max(len(r) for r in cases)
    fig, axes = new_figure(2.6 * ncols, 2.6 * nrows, ncols=ncols, nrows=nrows)
    vmax = max(int(c.max()) for row in cases for _, c in row)
    for r, row in enumerate(cases):
        for c in range(ncols):
            if c < len(row):
                count_map(row[c][1], axes[r, c], title=row[c][0], vmax=vmax,
                          numbers=max(row[c][1].shape) <= 11)
            else:
                axes[r, c].set_axis_off()
    return fig


def draw_images(rows: Sequence[Sequence[np.ndarray]], titles: Sequence[str],
                row_labels: Sequence[str] = ()) -> Figure:
    """Grey-scale images in a grid (each scaled to its own range, a flat one mid grey),
    titled per column."""
    nrows, ncols = len(rows), len(titles)
    fig, axes = new_figure(2.5 * ncols, 2.5 * nrows + 0.3, ncols=ncols, nrows=nrows)
    for r, row in enumerate(rows):
        for c, img in enumerate(row):
            ax = axes[r, c]
            img = np.asarray(img).squeeze()
            lo, hi = float(img.min()), float(img.max())
            if hi - lo <= 1e-9 * max(abs(hi), 1.0):  # flat: mid grey, not black
                lo, hi = lo - 1, hi + 1
            ax.imshow(img, cmap="gray", vmin=lo, vmax=hi, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(titles[c], fontsize=TEXT_PT)
            if c == 0 and r < len(row_labels):
                ax.set_ylabel(row_labels[r], fontsize=TEXT_PT)
    return fig


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
