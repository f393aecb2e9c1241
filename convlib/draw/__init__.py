"""Drawing helpers (matplotlib only): one module per idea, re-exported here."""
from .core import PALETTE, figure_png, new_figure, style_grid_axes, value_grid
from .sizes import draw_layout, layout_figure
from .receptive import FieldPanel, draw_effective_field, draw_fields, field_figure
from .convolution import (CellPanel, conv_step_figure, draw_channel_sums, draw_conv_step,
                          draw_grids, draw_im2col)
from .grouped import (GROUP_COLOURS, draw_bottleneck_costs, draw_dependency, draw_groups,
                      draw_shuffle, groups_figure)
from .grouped import SeparableView, draw_outer_product, draw_separable, separable_figure
from .counting import draw_layer_costs
from .transposed import (CATEGORY_COLOURS, count_map, draw_conv_matrix, draw_images,
                         draw_overlap_cases, draw_spread, draw_transposed, freeze_layout,
                         overlap_figure, transposed_figure)
from .dilated import (draw_dilated, draw_dilated_kernels, draw_field_shift, draw_gridding,
                      draw_kernel_mask, draw_receptive_growth, dilated_figure,
                      gridding_figure, gridding_map)
from .sizes import CasePanel, case_figure, case_gallery_figure, draw_case
from .transposed import directions_figure, draw_directions
from .convolution import draw_flip, draw_learned_kernel, draw_photos, show_photo
from .networks import draw_fields_on_image, draw_shares, draw_stage_costs, draw_unet, unet_figure

__all__ = ["PALETTE", "figure_png", "new_figure", "style_grid_axes", "value_grid",
           "draw_layout", "layout_figure",
           "FieldPanel", "draw_effective_field", "draw_fields", "field_figure",
           "CellPanel", "conv_step_figure", "draw_channel_sums", "draw_conv_step", "draw_grids",
           "draw_im2col",
           "GROUP_COLOURS", "draw_bottleneck_costs", "draw_dependency", "draw_groups",
           "draw_shuffle", "groups_figure",
           "SeparableView", "draw_outer_product", "draw_separable", "separable_figure",
           "draw_layer_costs",
           "CATEGORY_COLOURS", "count_map", "draw_conv_matrix", "draw_images",
           "draw_overlap_cases", "draw_spread", "draw_transposed", "freeze_layout",
           "overlap_figure", "transposed_figure",
           "draw_dilated", "draw_dilated_kernels", "draw_field_shift", "draw_gridding",
           "draw_kernel_mask", "draw_receptive_growth", "dilated_figure", "gridding_figure",
           "gridding_map", "CasePanel", "case_figure", "case_gallery_figure", "draw_case",
           "draw_flip", "draw_learned_kernel", "draw_photos", "show_photo",
           "directions_figure", "draw_directions",
           "draw_fields_on_image", "draw_shares", "draw_stage_costs", "draw_unet",
           "unet_figure"]
