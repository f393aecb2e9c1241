"""Drawing helpers (matplotlib only): one module per idea, re-exported here."""
from .core import PALETTE, figure_png, new_figure, style_grid_axes, value_grid
from .windows import draw_layout, layout_figure

__all__ = ["PALETTE", "figure_png", "new_figure", "style_grid_axes", "value_grid",
           "draw_layout", "layout_figure"]
