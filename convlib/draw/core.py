"""Shared drawing pieces: the palette, figure creation, grids, PNG export.

Figures are `matplotlib.figure.Figure` objects made without pyplot, so a
notebook shows them only when a cell returns them, and a widget can render
them to PNG without the inline backend printing a second copy. Nothing here
changes rcParams or computes a formula.
"""
from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

__all__ = ["PALETTE", "new_figure", "figure_png", "freeze_layout", "grid_lines",
           "style_grid_axes", "value_grid"]

#: The one palette of the course (colour-blind safe, Okabe-Ito based).
PALETTE = {
    "input": "#9ecae1",      # input pixels
    "pad": "#f0f0f0",        # zero padding
    "tap": "#e69f00",        # cells the current window reads
    "tap_pad": "#f5c983",    # window reading padding
    "overhang": "#ffffff",   # ceil_mode window past the padding
    "tap_overhang": "#fbe3bd",
    "output": "#a1d99b",     # output cells
    "current": "#009e73",    # the output cell being computed
    "kernel": "#cc79a7",     # kernel taps
    "line": "#404040",       # grid lines and outlines
    "text": "#202020",
    "error": "#b00020",
    "accent": "#0072b2",
}


def new_figure(width: float = 8.0, height: float = 4.0, ncols: int = 1, nrows: int = 1,
               **subplot_kw) -> tuple[Figure, np.ndarray]:
    """A pyplot-free figure with a grid of axes (always returned as an array)."""
    fig = Figure(figsize=(width, height), dpi=80, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **subplot_kw)
    return fig, axes


def figure_png(fig: Figure, dpi: int = 80) -> bytes:
    """Render `fig` to PNG bytes (Agg), for an `ipywidgets.Image`."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def style_grid_axes(ax: Axes, rows: int, cols: int, title: str = "") -> None:
    """Cell grid lines for an ``imshow`` of a rows x cols array; no ticks."""
    ax.set_xticks(np.arange(-0.5, cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, rows, 1), minor=True)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(which="minor", color=PALETTE["line"], linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    if title:
        ax.set_title(title, fontsize=11)


def value_grid(values: np.ndarray, ax: Axes | None = None, *, title: str = "",
               color: str = "input", fmt: str = "{:g}", highlight=None) -> Axes:
    """Draw a 2-D array as labelled cells (numbers printed in each cell).

    ``highlight`` is an optional boolean mask of cells to colour as taps.
    """
    values = np.asarray(values)
    if ax is None:
        _, axes = new_figure(0.5 * values.shape[1] + 1, 0.5 * values.shape[0] + 1)
        ax = axes[0, 0]
    mask = np.zeros(values.shape, bool) if highlight is None else np.asarray(highlight, bool)
    cmap = ListedColormap([PALETTE[color], PALETTE["tap"]])
    ax.imshow(mask.astype(int), cmap=cmap, vmin=0, vmax=1)
    for (r, c), v in np.ndenumerate(values):
        ax.text(c, r, fmt.format(v), ha="center", va="center", fontsize=9, color=PALETTE["text"])
    style_grid_axes(ax, *values.shape, title=title)
    return ax


def freeze_layout(fig: Figure) -> None:
    """Lay `fig` out once (constrained layout), then keep those positions.

    Explorers call this after every update; only the first call does anything. Later
    slider moves then skip the layout solver, which roughly halves the time per PNG.
    """
    if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
        fig.draw_without_rendering()
        fig.set_layout_engine("none")


def grid_lines(ax: Axes, linewidth: float = 0.6) -> Callable[..., None]:
    """Cell lines of an ``imshow`` grid as one `LineCollection`, and ``update(rows, cols,
    title, linewidth=None)`` resizing them in place: the look of `style_grid_axes`
    without rebuilding ticks (an explorer's redraw stays cheap)."""
    ax.set_xticks([])
    ax.set_yticks([])
    lines = ax.add_collection(LineCollection([], colors=PALETTE["line"], linewidths=linewidth))

    def update(rows: int, cols: int, title: str = "", width: float | None = None) -> None:
        xs, ys = np.arange(cols + 1) - 0.5, np.arange(rows + 1) - 0.5
        lines.set_segments([((x, -0.5), (x, rows - 0.5)) for x in xs]
                           + [((-0.5, y), (cols - 0.5, y)) for y in ys])
        if width is not None:
            lines.set_linewidth(width)
        ax.set_xlim(-0.5, cols - 0.5)
        ax.set_ylim(rows - 0.5, -0.5)
        ax.set_title(title, fontsize=11)

    return update
