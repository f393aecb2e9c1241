"""Shared drawing pieces: the palette, figure creation, grids, PNG export.

Figures are `matplotlib.figure.Figure` objects made without pyplot, so a
notebook shows them only when a cell returns them, and a widget can render
them to PNG without the inline backend printing a second copy. Nothing here
changes rcParams or computes a formula.

Sizes: a figure of w x h inches is shown at ``DISPLAY_DPI`` CSS pixels per
inch and rendered at ``PIXEL_DENSITY`` times that (sharp on 2x screens, never
upscaled by the browser: `display_size` gives the CSS size to put on the
``<img>``). Text is at least ``TEXT_PT`` points, i.e. 12 CSS pixels.

The palette has one meaning per colour in every chapter:

========  =============================================  =====================
key       meaning                                        colour
========  =============================================  =====================
input     input pixels (values)                          light blue
pad       zero padding, outside the image                light grey
tap       the window: cells a kernel / output reads      orange
kernel    kernel taps and kernel-sized costs             dark orange
output    output cells                                   light green
current   the output cell being computed                 dark green
heat      numbers (counts, gradients): `HEAT_CMAP`       white to purple,
                                                         with a colourbar
paths     counts from 1 up (every cell read): `PATHS_CMAP`  light to dark purple
hole      a cell that is never read (gridding)           grey, hatched
blank     nothing there (zero weight, not computed)      white
========  =============================================  =====================

Group identity (grouped convolutions) uses `GROUP_COLOURS`, never one of these;
several fields outlined on one photo use `FIELD_COLOURS`. Every module of
`convlib.draw` takes its colours from here (a test greps for colour literals
elsewhere).
"""
from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, ListedColormap
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

__all__ = ["PALETTE", "HEAT_CMAP", "PATHS_CMAP", "show_holes", "GROUP_COLOURS", "FIELD_COLOURS", "DISPLAY_DPI", "PIXEL_DENSITY", "TEXT_PT", "new_figure",
           "figure_png", "png_bytes", "redraw", "static_layer", "overlay_axes", "legible", "display_size", "colorbar", "freeze_layout", "grid_lines",
           "style_grid_axes", "value_grid"]

#: CSS pixels per inch of figure size, and rendered pixels per CSS pixel.
DISPLAY_DPI, PIXEL_DENSITY = 80, 2
#: Smallest text in points: 11 pt at 80 CSS px per inch is 12.2 CSS px.
TEXT_PT = 11

#: The one palette of the course (colour-blind safe, Okabe-Ito based); meanings above.
PALETTE = {
    "input": "#9ecae1",      # input pixels
    "pad": "#e6e6e6",        # zero padding, outside the image
    "tap": "#e69f00",        # the window: cells the current output reads
    "tap_pad": "#f5c983",    # window reading padding
    "overhang": "#ffffff",   # ceil_mode window past the padding; inserted zeros
    "tap_overhang": "#fbe3bd",
    "output": "#a1d99b",     # output cells
    "current": "#009e73",    # the output cell being computed
    "kernel": "#d55e00",     # kernel taps, kernel-sized costs
    "kernel_light": "#eaaf80",  # the kernel colour halfway to white: a fill under dark text
    "heat": "#54278f",       # the dark end of HEAT_CMAP (counts, gradients)
    "line": "#404040",       # grid lines and outlines
    "text": "#202020",
    "error": "#b00020",
    "accent": "#0072b2",     # outlines and curves: analytic field, ratio curves
    "blank": "#ffffff",      # nothing there: a zero weight, a cell not computed or not read
    "muted": "#b0b0b0",      # text of a cell that takes no part
    "error_fill": "#f4b6c2", # a box whose sizes do not fit (an uneven crop, an odd pool input)
    "hole": "#bdbdbd",       # a cell never read (a gridding hole): grey, drawn hatched
}

#: Which group a channel belongs to (grouped convolutions): identity only, no other
#: meaning, so none of these is a colour of `PALETTE`.
#: Several receptive fields drawn on one photo, one outline colour each (identity only).
FIELD_COLOURS = ("#e69f00", "#009e73", "#0072b2", "#cc79a7", "#d55e00", "#56b4e9")
GROUP_COLOURS = ("#56b4e9", "#cc79a7", "#f0e442", "#7f7f7f", "#8c564b", "#17becf")

#: Numbers drawn as colour (overlap counts, path counts, gradients): white = 0 to purple.
HEAT_CMAP = LinearSegmentedColormap.from_list(
    "heat", [PALETTE["blank"], "#dadaeb", "#9e9ac8", "#6a51a3", PALETTE["heat"]])
#: Counts that start at 1 (paths to a unit: every coloured cell is read): the purple of
#: `HEAT_CMAP` without its white end, so that a count of 1 is clearly coloured and never
#: looks like a hole (`show_holes`).
PATHS_CMAP = LinearSegmentedColormap.from_list(
    "paths", ["#c6c3e0", "#9e9ac8", "#6a51a3", PALETTE["heat"]])


def show_holes(ax: Axes) -> None:
    """Cells left transparent (masked: never read) show the axes background: hatched grey."""
    ax.set_facecolor(PALETTE["hole"])
    ax.patch.set_hatch("///")
    ax.patch.set_edgecolor(PALETTE["blank"])


def new_figure(width: float = 8.0, height: float = 4.0, ncols: int = 1, nrows: int = 1,
               **subplot_kw) -> tuple[Figure, np.ndarray]:
    """A pyplot-free figure with a grid of axes (always returned as an array)."""
    fig = Figure(figsize=(width, height), dpi=DISPLAY_DPI, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **subplot_kw)
    for ax in axes.flat:
        ax.tick_params(labelsize=TEXT_PT)
    return fig, axes


def display_size(fig: Figure) -> tuple[int, int]:
    """CSS pixel size (width, height) at which `fig` is shown: its inches x `DISPLAY_DPI`."""
    w, h = fig.get_size_inches()
    return round(w * DISPLAY_DPI), round(h * DISPLAY_DPI)


def figure_png(fig: Figure, density: int = PIXEL_DENSITY, *, faded: bool = False) -> bytes:
    """Render `fig` to PNG bytes at `density` pixels per CSS pixel (Agg).

    Fast path for sliders: Agg draws the RGBA buffer, stored by `png_bytes` as RGB
    (about 2.5x faster than matplotlib's PNG writer, similar size). ``faded=True``
    does not redraw: it returns the last drawn picture washed out to light grey,
    the look of a stale picture while an explorer's controls are invalid.
    """
    dpi = DISPLAY_DPI * density
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    if not faded or fig.dpi != dpi:
        if fig.dpi != dpi:
            fig.set_dpi(dpi)
        redraw(fig, canvas)
    rgb = np.asarray(canvas.buffer_rgba())[..., :3]
    if faded:
        grey = rgb.mean(axis=2, keepdims=True, dtype=np.float32)
        rgb = (255 - 0.3 * (255 - grey)).astype(np.uint8).repeat(3, axis=2)
    return png_bytes(rgb)


def static_layer(artist):
    """Mark a figure-level artist (usually an axes) as never changing after the first
    draw: `redraw` keeps it in a background picture and never draws it again, so an
    explorer can put its ticks, labels and legend on a static axes and the moving
    artists on an `overlay_axes` above it. Returns `artist`."""
    artist._convlib_static = True
    return artist


def overlay_axes(under: Axes, share: str = "xy") -> Axes:
    """A transparent axes exactly over `under` (same position; the x and/or y scale and
    limits of `under` as `share` says; no frame, ticks or background), for the artists
    that change on every slider move."""
    fig = under.get_figure()
    ax = fig.add_axes(under.get_position(), sharex=under if "x" in share else None,
                      sharey=under if "y" in share else None, label=f"overlay {len(fig.axes)}")
    ax.set_axes_locator(lambda _ax, _renderer: under.get_position(original=True))
    ax.patch.set_visible(False)
    ax.axis("off")
    ax.set_autoscale_on(False)  # else a shared autoscale would touch (and restale) `under`
    return ax


class _Blit:
    """What a partial redraw needs: the renderer it drew on, the last drawn extent of
    each layer (an axes or a figure-level artist such as a `supxlabel`) that may
    change, and the background those layers are drawn on: the figure's plain colour
    with the `static_layer` layers (which must come before the others in drawing
    order) already drawn."""

    def __init__(self, fig: Figure, canvas: FigureCanvasAgg):
        legible(fig)
        canvas.draw()
        self.renderer = canvas.get_renderer()
        layers = _layers(fig)
        self.all = layers
        self.static = _static_prefix(layers)
        self.layers = [a for a in layers if a not in self.static]
        self.layout = [ax.get_position(original=True).bounds for ax in fig.axes]
        self.extents = {a: _extent(a, self.renderer) for a in self.layers}
        patch = fig.patch
        self.plain = (patch.get_visible() and patch.get_linewidth() == 0
                      and patch.get_facecolor()[3] == 1.0)
        self.face = np.round(255 * np.asarray(patch.get_facecolor())).astype(np.uint8)
        self.background = None
        if self.static and self.plain:
            buf = np.asarray(canvas.buffer_rgba())
            frame = buf.copy()
            buf[:] = self.face
            for layer in self.static:
                layer.draw(self.renderer)
            self.background = buf.copy()
            buf[:] = frame

    def valid(self, fig: Figure, canvas: FigureCanvasAgg) -> bool:
        return (self.plain and canvas.get_renderer() is self.renderer and _layers(fig) == self.all
                and [ax.get_position(original=True).bounds for ax in fig.axes] == self.layout
                and not fig.patch.stale and not any(a.stale for a in self.static))

    def clear(self, buf: np.ndarray, rows: slice, cols: slice) -> None:
        buf[rows, cols] = self.face if self.background is None else self.background[rows, cols]


def _layers(fig: Figure) -> list:
    """The figure's visible artists in the order `Figure.draw` stacks them."""
    layers = [a for a in fig.get_children() if a is not fig.patch and a.get_visible()]
    return sorted(layers, key=lambda a: a.get_zorder())


def _static_prefix(layers: list) -> list:
    """The `static_layer` layers, if all of them are drawn before every other layer
    (so a background picture can hold them); else none."""
    marked = [getattr(a, "_convlib_static", False) for a in layers]
    n = sum(marked)
    return layers[:n] if all(marked[:n]) else []


def _extent(artist, renderer) -> np.ndarray:
    """(x0, y0, x1, y1) display pixels covered by `artist`, with a 3 px margin."""
    box = artist.get_tightbbox(renderer) if hasattr(artist, "get_tightbbox") else None
    if box is None:
        box = artist.get_window_extent(renderer)
    ext = np.array([box.x0 - 3, box.y0 - 3, box.x1 + 3, box.y1 + 3])
    return ext if np.isfinite(ext).all() else np.array([np.inf, np.inf, -np.inf, -np.inf])


def _overlap(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def redraw(fig: Figure, canvas: FigureCanvasAgg) -> None:
    """Draw `fig` on its Agg canvas, redrawing only the layers whose artists changed.

    Blitting: while the layout and the set of axes and figure-level texts stay as
    they were, each changed ("stale") layer has the region it covered before and
    covers now restored from the background (the plain figure colour, with any
    `static_layer` drawn on it), then only that layer is drawn again (a layer whose
    region overlaps is redrawn with it, in z-order). Anything else, and the first
    call, is a full draw. The pixels are the same as a full draw's (tested).
    """
    blit = getattr(fig, "_convlib_blit", None)
    if blit is None or not blit.valid(fig, canvas):
        fig._convlib_blit = _Blit(fig, canvas)
        return
    renderer = blit.renderer
    regions = {}
    for layer in blit.layers:
        if layer.stale:
            old, new = blit.extents[layer], _extent(layer, renderer)
            regions[layer] = np.r_[np.minimum(old[:2], new[:2]), np.maximum(old[2:], new[2:])]
            blit.extents[layer] = new
    if not regions:
        return
    grown = True
    while grown:  # redraw the neighbours a changed region reaches into
        grown = False
        for layer in blit.layers:
            if layer not in regions and any(_overlap(blit.extents[layer], r)
                                            for r in regions.values()):
                regions[layer] = blit.extents[layer]
                grown = True
    buf = np.asarray(canvas.buffer_rgba())
    height, width = buf.shape[:2]
    for r in regions.values():
        if not np.isfinite(r).all():  # nothing drawn before or now (an empty text)
            continue
        x0, x1 = max(int(r[0]), 0), min(int(np.ceil(r[2])), width)
        y0, y1 = max(height - int(np.ceil(r[3])), 0), min(height - int(r[1]), height)
        blit.clear(buf, slice(y0, y1), slice(x0, x1))
    for layer in blit.layers:  # in z-order, as Figure.draw stacks them
        if layer in regions:
            layer.draw(renderer)
    fig.stale = False


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(rgb: np.ndarray) -> bytes:
    """An (H, W, 3) uint8 image as PNG: every row "Up"-filtered (difference with the row
    above, vectorised), then zlib level 1. Figures are mostly flat colour, so the
    differences are mostly zero and compress fast and small.

    >>> png_bytes(np.zeros((2, 3, 3), np.uint8))[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    h, w, _ = rgb.shape
    flat = rgb.reshape(h, 3 * w)
    rows = np.empty((h, 1 + 3 * w), np.uint8)
    rows[:, 0] = 2  # filter type Up
    rows[0, 1:] = flat[0]
    np.subtract(flat[1:], flat[:-1], out=rows[1:, 1:])
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + _chunk(b"IEND", b""))


def colorbar(fig: Figure, image, ax: Axes, label: str, integer: bool = False):
    """A colourbar for a colour that encodes numbers (``integer``: counts, whole ticks)."""
    from matplotlib.ticker import MaxNLocator
    bar = fig.colorbar(image, ax=ax, shrink=0.8, pad=0.02)
    if integer:
        bar.locator = MaxNLocator(integer=True, nbins=5)
    bar.set_label(label, fontsize=TEXT_PT)
    bar.ax.tick_params(labelsize=TEXT_PT)
    return bar


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
        ax.set_title(title, fontsize=TEXT_PT + 1)


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
        ax.text(c, r, fmt.format(v), ha="center", va="center", fontsize=TEXT_PT,
                color=PALETTE["text"])
    style_grid_axes(ax, *values.shape, title=title)
    return ax


def legible(fig: Figure) -> None:
    """Raise every text of `fig` under `TEXT_PT` to it (tick labels, offsets, labels,
    titles, texts), and make the ticks drawn later that size too. Called before a
    full draw, so no figure shows text under 12 CSS px."""
    from matplotlib.text import Text
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = axis.get_ticklabels(which="both")
            if not labels or min(t.get_fontsize() for t in labels) < TEXT_PT:
                axis.set_tick_params(which="both", labelsize=TEXT_PT)
    for text in fig.findobj(Text):
        if text.get_fontsize() < TEXT_PT:
            text.set_fontsize(TEXT_PT)


def freeze_layout(fig: Figure) -> None:
    """Lay `fig` out once (constrained layout), then keep those positions.

    Explorers call this after every update; only the first call does anything. Later
    slider moves then skip the layout solver, which roughly halves the time per PNG.
    """
    if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
        legible(fig)
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
        ax.set_title(title, fontsize=TEXT_PT + 1)

    return update
