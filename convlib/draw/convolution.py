"""Figures of how a convolution computes: window, products, sums, output cells, im2col.

Everything drawn here was computed elsewhere (`convlib.convolution.stepping`, `convlib.convolution.ops`):
these functions only place numbers in coloured cells. Colours: blue input, grey
padding, orange the cells the window covers, pink kernel taps, green output
cells already computed, dark green the cell being computed, white cells not
computed yet.

Figures on the photograph: filters, the kernel flip, a learned kernel, upsamplers.

The pictures and numbers come from `convlib.convolution.images` and `convlib.transposed.checkerboard`; these
functions only paint them.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..convolution.stepping import ConvStep
from .cells import CellColours, CellNumbers
from .core import DISPLAY_DPI, PALETTE, TEXT_PT, grid_lines, new_figure, value_grid

__all__ = ["CellPanel", "conv_step_figure", "draw_conv_step", "draw_channel_sums", "draw_grids",
           "draw_im2col", "show_photo", "draw_photos", "draw_flip", "draw_learned_kernel"]

#: Cell colours, by category index.
CATEGORIES = ("pad", "input", "tap", "tap_pad", "kernel", "output", "current", "overhang")
PAD, INPUT, TAP, TAP_PAD, KERNEL, OUTPUT, CURRENT, EMPTY = range(len(CATEGORIES))
_CMAP = ListedColormap([PALETTE[c] for c in CATEGORIES])
_MONO = "DejaVu Sans Mono"


class CellPanel:
    """An axes showing a grid of numbered, coloured cells, updated in place.

    ``show(values, categories, title)`` changes the existing image and text
    artists (more text artists are created only when a larger grid than ever
    before is shown). NaN values leave their cell blank. ``frame(r, c, h, w)``
    outlines a block of cells (the window).
    """

    def __init__(self, ax: Axes, fontsize: float = TEXT_PT):
        self.ax, self.fontsize = ax, max(fontsize, TEXT_PT)
        self.grid = grid_lines(ax)
        self.cells = CellColours(ax, cmap=_CMAP, vmin=-0.5, vmax=len(CATEGORIES) - 0.5)
        self.numbers = CellNumbers(ax, self.fontsize)
        self._shape: tuple[int, int] | None = None
        self._cats: np.ndarray | None = None
        self.box = ax.add_patch(Rectangle((0, 0), 1, 1, fill=False, lw=2.5,
                                          ec=PALETTE["line"], visible=False, zorder=3))

    def show(self, values: np.ndarray, categories: np.ndarray | int, title: str = "",
             fmt: str = "{:g}") -> None:
        values = np.asarray(values, float) + 0.0  # no "-0"
        rows, cols = values.shape
        cats = np.broadcast_to(categories, values.shape)
        if self._cats is None or not np.array_equal(self._cats, cats):  # else: not stale
            self.cells.set_data(cats)
            self._cats = cats.copy()
        shown = np.isfinite(values)
        rr, cc = np.nonzero(shown)
        self.numbers.set_cells(cc, rr, [fmt.format(v) for v in values[shown]],
                               ["white" if k == CURRENT else PALETTE["text"] for k in cats[shown]])
        if (rows, cols) != self._shape:  # one LineCollection: no tick machinery to redraw
            self.grid(rows, cols)
            self._shape = (rows, cols)
        if self.ax.get_title() != title:
            self.ax.set_title(title, fontsize=TEXT_PT + 1)

    def frame(self, top: int, left: int, height: int, width: int, visible: bool = True) -> None:
        bounds = (left - 0.5, top - 0.5, width, height)
        if self.box.get_bbox().bounds != bounds:
            self.box.set_bounds(*bounds)
        self.box.set_visible(visible)


def _input_categories(step: ConvStep) -> np.ndarray:
    window = step.in_window
    return np.where(step.in_input, np.where(window, TAP, INPUT), np.where(window, TAP_PAD, PAD))


def _output_categories(step: ConvStep) -> np.ndarray:
    cats = np.where(step.filled, OUTPUT, EMPTY)
    cats[step.cell] = CURRENT
    return cats


def _title_window(step: ConvStep) -> str:
    (r, c), (kh, kw) = step.origin, step.kernel.shape[1:]
    return f"rows {r}–{r + kh - 1}, cols {c}–{c + kw - 1}"


def conv_step_figure(channel: int = 0) -> tuple[Figure, Callable[[ConvStep], None]]:
    """An empty four-panel figure and ``update(step)`` that redraws it in place.

    Panels: the (padded) input with the window outlined, the kernel, the
    element-wise products, and the output map with the cells computed so far
    (the current one dark green). The arithmetic of the step is not drawn: the
    explorer's text line above the figure shows it (`ConvStep.equation`).
    For a multi-channel step, ``channel`` selects the slice drawn.
    """
    fig, axes = new_figure(11, 4.2, ncols=4, width_ratios=[9, 4, 4, 7])
    panels = [CellPanel(ax) for ax in axes[0]]

    def update(step: ConvStep) -> None:
        (hp, wp), (kh, kw) = step.padded.shape[1:], step.kernel.shape[1:]
        h, w = step.input_shape
        where = (f"input {h}×{w}" + (f", padded to {hp}×{wp}" if step.padding else "")
                 + f"\nwindow: {_title_window(step)}")
        panels[0].show(step.padded[channel], _input_categories(step), where)
        panels[0].frame(*step.origin, kh, kw)
        panels[1].show(step.kernel[channel], KERNEL, f"kernel {kh}×{kw}\n(the same at every step)")
        panels[2].show(step.products[channel], TAP, "products\nwindow × kernel")
        o_h, o_w = step.output.shape
        what = "ReLU(sum + bias)" if step.activation == "relu" else "sum + bias"
        panels[3].show(step.output_so_far, _output_categories(step),
                       f"output {o_h}×{o_w}: {what}\ncell {step.cell}, step {step.step + 1} of {step.n_steps}")

    return fig, update


def draw_conv_step(step: ConvStep, channel: int = 0) -> Figure:
    """A static `conv_step_figure` for one step."""
    fig, update = conv_step_figure(channel)
    update(step)
    return fig


def draw_channel_sums(step: ConvStep, channel_names: Sequence[str] | None = None,
                      output_name: str = "output") -> Figure:
    """One output value of a multi-channel input: a row per input channel.

    Each row: that channel of the padded input with the window, the kernel's
    slice for that channel, and the products with their partial sum. On the
    right, the output map of this filter with the current cell; below, the
    partial sums added up with the bias.
    """
    n = step.padded.shape[0]
    names = list(channel_names or [f"channel {c}" for c in range(n)])
    fig = Figure(figsize=(10.0, 2.3 * n + 0.8), dpi=80, layout="constrained")
    grid = fig.add_gridspec(n, 4, width_ratios=[7, 3, 3, 5], wspace=0.08)
    kh, kw = step.kernel.shape[1:]
    for c in range(n):
        ax_in, ax_k, ax_p = (fig.add_subplot(grid[c, j]) for j in range(3))
        panel = CellPanel(ax_in, fontsize=TEXT_PT)
        panel.show(step.padded[c], _input_categories(step),
                   f"{names[c]}: input" + (f" padded by {step.padding}" if step.padding else ""))
        panel.frame(*step.origin, kh, kw)
        CellPanel(ax_k).show(step.kernel[c], KERNEL, f"kernel slice {c}")
        CellPanel(ax_p).show(step.products[c], TAP, f"products: sum = {step.partial_sums[c]:g}")
    ax_out = fig.add_subplot(grid[:, 3])
    o_h, o_w = step.output.shape
    CellPanel(ax_out).show(step.output, np.where(np.arange(step.output.size).reshape(o_h, o_w)
                                                 == step.step, CURRENT, OUTPUT),
                           f"{output_name} {o_h}×{o_w}\ncell {step.cell}")
    fig.supxlabel(step.equation(), fontsize=TEXT_PT + 1, family=_MONO)
    return fig


def draw_grids(arrays: Sequence[np.ndarray], titles: Sequence[str],
               colors: Sequence[str] | None = None, highlight: Sequence | None = None,
               fmt: str = "{:g}", width: float | None = None, height: float | None = None) -> Figure:
    """A row of numbered grids, one per 2-D array, with titles.

    ``colors``: a `PALETTE` name per grid (``"input"``, ``"kernel"``, ``"output"``...);
    ``highlight``: per grid, ``None`` or a boolean mask of cells drawn in orange.
    """
    n = len(arrays)
    colors = list(colors or ["input"] * n)
    highlight = list(highlight or [None] * n)
    widths = [max(np.shape(a)[1], 2) for a in arrays]
    rows = max(np.shape(a)[0] for a in arrays)
    fig, axes = new_figure(width or min(0.5 * sum(widths) + 0.6 * n + 0.4, 12),
                           height or 0.5 * rows + 1.0, ncols=n, width_ratios=widths)
    for ax, arr, title, color, mask in zip(axes[0], arrays, titles, colors, highlight):
        cats = np.full(np.shape(arr), CATEGORIES.index(color))
        if mask is not None:
            cats = np.where(mask, TAP, cats)
        CellPanel(ax).show(arr, cats, title, fmt)
    return fig


def draw_im2col(weight_rows: np.ndarray, cols: np.ndarray, result: np.ndarray,
                column: int | None = None, cell: float = 0.23, *,
                windows_as_rows: bool = False) -> Figure:
    """The im2col view: ``weight_rows @ cols = result``, one column per window.

    ``weight_rows`` is ``(C_out, C k_H k_W)``, ``cols`` ``(C k_H k_W, L)``, ``result``
    ``(C_out, L)``; ``column`` (optional) is highlighted in ``cols`` and ``result``.
    Laid out as a written-out matrix product: ``cols`` above ``result``, ``weight_rows``
    to its left, so every result cell sits in its weight row and its window column.
    ``windows_as_rows=True`` draws the same product transposed, which fits a wide slide
    when ``C k_H k_W`` is large: the weight rows on top, ``cols.T`` (one row per window)
    below them, ``result.T`` to its right, so every result cell sits in its window's row
    and its filter's column, under nothing but the window's values it dots with.
    ``cell`` is the side of one cell in inches. The axes are, in order: weights, windows,
    result (and, with ``windows_as_rows``, the result's label).
    """
    k, L = cols.shape
    n_out = weight_rows.shape[0]
    on = np.zeros((1, L), bool) if column is None else (np.arange(L) == column)[None]
    if windows_as_rows:
        label_cells = 4  # a third column, as wide as 4 cells, holds the result's label
        fig = Figure(figsize=(cell * (k + n_out + label_cells) + 1.0, cell * (n_out + L) + 1.2),
                     dpi=DISPLAY_DPI, layout="constrained")
        grid = fig.add_gridspec(2, 3, width_ratios=[k, n_out, label_cells], height_ratios=[n_out, L])
        ax_w, ax_c, ax_r = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[1, 0]), fig.add_subplot(grid[1, 1])
        CellPanel(ax_w).show(weight_rows, KERNEL, f"weights W: {n_out}×{k}, one row per filter")
        CellPanel(ax_c).show(cols.T, np.where(on.T, TAP, INPUT))
        CellPanel(ax_r).show(result.T, np.where(on.T, CURRENT, OUTPUT))
        ax_c.set_xlabel(f"im2col(x) transposed: {L}×{k}, one row per window (a column of im2col)",
                        fontsize=TEXT_PT + 1)
        ax_label = fig.add_subplot(grid[1, 2])
        ax_label.set_axis_off()
        ax_label.text(0.0, 0.5, f"W @ im2col(x),\ntransposed:\n{L}×{n_out}, a\ncolumn per\nfilter",
                      transform=ax_label.transAxes, ha="left", va="center", fontsize=TEXT_PT + 1)
        return fig
    fig = Figure(figsize=(cell * (k + L) + 1.2, cell * (k + n_out) + 1.3), dpi=DISPLAY_DPI,
                 layout="constrained")
    grid = fig.add_gridspec(2, 2, width_ratios=[k, L], height_ratios=[k, n_out])
    ax_w, ax_c, ax_r = fig.add_subplot(grid[1, 0]), fig.add_subplot(grid[0, 1]), fig.add_subplot(grid[1, 1])
    CellPanel(ax_w).show(weight_rows, KERNEL)
    CellPanel(ax_c).show(cols, np.where(on, TAP, INPUT), f"im2col(x): {k}×{L}")
    CellPanel(ax_r).show(result, np.where(on, CURRENT, OUTPUT))
    ax_w.set_xlabel(f"weights W: {n_out}×{k}, one row per filter", fontsize=TEXT_PT + 1)
    ax_r.set_xlabel(f"W @ im2col(x): {n_out}×{L}", fontsize=TEXT_PT + 1)
    ax_c.text(-0.5 - 0.6, (k - 1) / 2, "one column\nper window:\nrows = the\nC·k·k values\nof the window",
              ha="right", va="center", fontsize=TEXT_PT + 1, in_layout=False)
    return fig


Zoom = tuple[float, float, float, float]


def _zoomed(img: np.ndarray, zoom: Zoom | None) -> np.ndarray:
    if zoom is None:
        return img
    top, left, height, width = zoom
    h, w = img.shape
    r0, c0 = int(round(top * h)), int(round(left * w))
    return img[r0:r0 + max(int(round(height * h)), 1), c0:c0 + max(int(round(width * w)), 1)]


def show_photo(image: np.ndarray, ax: Axes, title: str = "", *, signed: bool = False,
               zoom: Zoom | None = None) -> Axes:
    """One grey image, pixels visible (no smoothing). ``signed``: a diverging map centred
    on 0 (filter responses); else grey over the image's own range. ``zoom = (top, left,
    height, width)`` as fractions of the image, so images of different sizes show the
    same region."""
    img = _zoomed(np.asarray(image, dtype=float), zoom)
    if signed:
        lim = max(float(np.abs(img).max()), 1e-12)
        ax.imshow(img, cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
    else:
        lo, hi = float(img.min()), float(img.max())
        ax.imshow(img, cmap="gray", vmin=lo, vmax=hi if hi > lo else lo + 1,
                  interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=TEXT_PT)
    return ax


def draw_photos(images: Mapping[str, np.ndarray], ncols: int = 4, *, size: float = 2.3,
                signed: Mapping[str, bool] | None = None, zoom: Zoom | None = None) -> Figure:
    """A grid of titled grey images (``title -> image``), e.g. a photo and its filtered
    versions; ``signed[title]`` picks the diverging map for filter responses."""
    n = len(images)
    cols = min(ncols, n)
    rows = -(-n // cols)
    fig, axes = new_figure(size * cols, size * rows + 0.3, ncols=cols, nrows=rows)
    for ax, (title, img) in zip(axes.ravel(), images.items()):
        show_photo(img, ax, title, signed=bool((signed or {}).get(title, False)), zoom=zoom)
    for ax in axes.ravel()[n:]:
        ax.set_axis_off()
    return fig


def draw_flip(photo: np.ndarray, kernel: np.ndarray, correlated: np.ndarray,
              convolved: np.ndarray) -> Figure:
    """The kernel, the photo, its cross-correlation (``nn.Conv2d``) and its convolution
    (kernel flipped) with that kernel, side by side."""
    fig, axes = new_figure(10, 2.9, ncols=4)
    ax_k = axes[0, 0]
    ax_k.imshow(kernel, cmap="Greys", interpolation="nearest")
    ax_k.set_xticks([])
    ax_k.set_yticks([])
    ax_k.set_title(f"kernel {kernel.shape[0]}×{kernel.shape[1]}", fontsize=TEXT_PT)
    show_photo(photo, axes[0, 1], "photo")
    show_photo(correlated, axes[0, 2], "cross-correlation (nn.Conv2d)")
    show_photo(convolved, axes[0, 3], "convolution (kernel flipped)")
    return fig


def draw_learned_kernel(losses: np.ndarray, learned: np.ndarray, target: np.ndarray,
                        target_name: str = "target") -> Figure:
    """The loss per step (log scale), the learned kernel and the target, numbers printed."""
    fig, axes = new_figure(9.5, 3.0, ncols=3, width_ratios=[2, 1, 1])
    ax = axes[0, 0]
    ax.semilogy(np.arange(1, len(losses) + 1), losses, color=PALETTE["accent"])
    ax.set_xlabel("step", fontsize=TEXT_PT)
    ax.set_ylabel("mean squared error", fontsize=TEXT_PT)
    ax.grid(alpha=0.3)
    value_grid(np.round(learned, 3) + 0.0, axes[0, 1], title="learned", fmt="{:.3f}")
    value_grid(target, axes[0, 2], title=target_name, fmt="{:g}", color="output")
    return fig
