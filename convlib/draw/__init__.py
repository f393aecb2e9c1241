"""Drawing helpers (matplotlib only): one module per idea, re-exported here."""
from .core import PALETTE, figure_png, new_figure, style_grid_axes, value_grid
from .windows import draw_layout, layout_figure
from .receptive import FieldPanel, draw_effective_field, draw_fields, field_figure

__all__ = ["PALETTE", "figure_png", "new_figure", "style_grid_axes", "value_grid",
           "draw_layout", "layout_figure",
           "FieldPanel", "draw_effective_field", "draw_fields", "field_figure"]
