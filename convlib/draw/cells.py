"""Grids of cells drawn fast: their colours (`CellColours`) and their numbers
(`CellNumbers`), each one artist per grid.

``imshow`` resamples a small array to the axes' full pixel size on every draw
(about 14 ms for a 576 px square axes at 160 dpi); `CellColours` draws the same
cells as one ``QuadMesh`` of filled quads (under 1 ms), so an explorer's redraw
costs what its grid has cells, not what its picture has pixels.

A `matplotlib.text.Text` per cell is laid out and rasterised again on every
draw (about 1 ms each on Agg), which made an explorer with a hundred numbered
cells take 150 ms per slider move. `CellNumbers` rasterises each distinct
string once per colour, size and dpi, keeps the bitmap, and stamps it centred
on its cell. Same font and size as a `Text`; numbers only (no mathtext).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.collections import QuadMesh
from matplotlib.backends.backend_agg import get_hinting_flag
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, to_rgb
from matplotlib.font_manager import FontProperties, findfont, get_font

from .core import PALETTE, TEXT_PT

__all__ = ["CellColours", "CellNumbers", "cell_values"]

_BITMAPS: dict[tuple, np.ndarray] = {}  # (string, colour, size pt, dpi, font file) -> RGBA


class CellColours:
    """The cells of a rows x cols grid coloured by value, row 0 on top: what
    ``ax.imshow(values, cmap, vmin=..., vmax=...)`` shows, drawn as one ``QuadMesh``.

    ``set_data(values)`` takes a 2-D array (masked cells are not drawn) or an
    (rows, cols, 4) RGBA array; the mesh is rebuilt only when the shape changes.
    The axes limits are the caller's (`grid_lines` sets them). ``mappable`` (one
    for the life of the grid, sharing the norm of every mesh) is what a colourbar takes.

    >>> from convlib.draw.core import new_figure
    >>> fig, axes = new_figure(2, 2)
    >>> cells = CellColours(axes[0, 0], cmap="viridis", vmin=0, vmax=1)
    >>> cells.set_data(np.eye(3)); cell_values(axes[0, 0]).shape
    (3, 3)
    """

    def __init__(self, ax, cmap=None, vmin: float | None = None, vmax: float | None = None,
                 aspect: str = "equal"):
        self.ax = ax
        self.mappable = ScalarMappable(Normalize(vmin, vmax), cmap)
        self.mesh: QuadMesh | None = None
        ax.set_aspect(aspect)

    def set_data(self, values: np.ndarray) -> None:
        values = np.ma.asarray(values)
        rows, cols = values.shape[:2]
        if self.mesh is None or self.mesh.get_coordinates().shape[:2] != (rows + 1, cols + 1):
            if self.mesh is not None:
                self.mesh.remove()
            xs, ys = np.meshgrid(np.arange(cols + 1) - 0.5, np.arange(rows + 1) - 0.5)
            self.mesh = QuadMesh(np.stack([xs, ys], axis=-1), antialiased=False, zorder=0,
                                 cmap=self.mappable.get_cmap(), norm=self.mappable.norm)
            self.ax.add_collection(self.mesh, autolim=False)
        self.mesh.set_array(values)

    def set_clim(self, vmin: float, vmax: float) -> None:
        self.mappable.set_clim(vmin, vmax)


def cell_values(ax) -> np.ndarray:
    """The array an axes' grid of cells shows: its `CellColours` mesh, else its image."""
    meshes = [c for c in ax.collections if isinstance(c, QuadMesh)]
    return np.ma.asarray((meshes or ax.images)[0].get_array())


class CellNumbers(Artist):
    """Strings centred at data points (x, y) of an axes, clipped to the axes.

    >>> from convlib.draw.core import new_figure, figure_png
    >>> fig, axes = new_figure(2, 2)
    >>> numbers = CellNumbers(axes[0, 0]); numbers.set_cells([0, 1], [0, 0], ["1", "-2"])
    >>> figure_png(fig)[:4]
    b'\\x89PNG'
    """

    zorder = 3

    def __init__(self, ax, fontsize: float = TEXT_PT, family: str | None = None):
        super().__init__()
        self.fontsize = fontsize
        self._prop = FontProperties(family=family, size=fontsize)
        self._cells: list[tuple[float, float, str, str]] = []
        ax.add_artist(self)
        self.set_clip_box(ax.bbox)

    def get_fontsize(self) -> float:
        return self.fontsize

    def set_cells(self, xs: Sequence[float], ys: Sequence[float], strings: Sequence[str],
                  colors: Sequence[str] | str = PALETTE["text"]) -> None:
        """Show ``strings[i]`` centred at ``(xs[i], ys[i])``; stale only if something changed."""
        if isinstance(colors, str):
            colors = [colors] * len(strings)
        cells = list(zip(map(float, xs), map(float, ys), strings, colors))
        if cells != self._cells:
            self._cells = cells
            self.stale = True

    @property
    def strings(self) -> list[str]:
        return [s for _, _, s, _ in self._cells]

    def _bitmap(self, text: str, color: str, dpi: float) -> np.ndarray:
        path = findfont(self._prop)
        key = (text, color, self.fontsize, dpi, path)
        if key not in _BITMAPS:
            font = get_font(path)
            font.clear()
            font.set_size(self.fontsize, dpi)
            font.set_text(text, 0, flags=get_hinting_flag())
            font.draw_glyphs_to_bitmap(antialiased=True)
            alpha = np.asarray(font.get_image())
            rgba = np.empty((*alpha.shape, 4), np.uint8)
            rgba[..., :3] = np.round(255 * np.asarray(to_rgb(color))).astype(np.uint8)
            rgba[..., 3] = alpha
            _BITMAPS[key] = np.ascontiguousarray(rgba[::-1])  # Agg images: bottom row first
        return _BITMAPS[key]

    def draw(self, renderer) -> None:
        if not self.get_visible() or not self._cells:
            self.stale = False
            return
        points = self.axes.transData.transform([(x, y) for x, y, _, _ in self._cells])
        gc = renderer.new_gc()
        gc.set_clip_rectangle(self.axes.bbox)
        for (px, py), (_, _, text, color) in zip(points, self._cells):
            if not text:
                continue
            img = self._bitmap(text, color, renderer.dpi)
            h, w = img.shape[:2]
            renderer.draw_image(gc, round(px - w / 2), round(py - h / 2), img)
        gc.restore()
        self.stale = False
