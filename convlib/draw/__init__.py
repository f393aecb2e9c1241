"""Drawing helpers (matplotlib only): one module per chapter topic, re-exported here."""
from .core import (GROUP_COLOURS, PALETTE, figure_png, freeze_layout, new_figure, style_grid_axes,
                   value_grid)
from .convolution import (CellPanel, conv_step_figure, draw_channel_sums, draw_conv_step, draw_flip,
                          draw_grids, draw_im2col, draw_learned_kernel, draw_photos, show_photo)
from .sizes import (CATEGORY_COLOURS, case_figure, case_gallery_figure, CasePanel, draw_case,
                    draw_layout, layout_figure)
from .transposed import (count_map, directions_figure, draw_conv_matrix, draw_directions,
                         draw_images, draw_overlap_cases, draw_spread, draw_transposed,
                         overlap_figure, transposed_figure)
from .dilated import (dilated_figure, draw_dilated, draw_dilated_kernels, draw_field_shift,
                      draw_gridding, draw_kernel_mask, draw_receptive_growth, gridding_figure,
                      gridding_map)
from .grouped import (draw_bottleneck_costs, draw_dependency, draw_groups, draw_outer_product,
                      draw_separable, draw_shuffle, groups_figure, separable_figure, SeparableView)
from .receptive import draw_effective_field, draw_fields, field_figure, FieldPanel
from .counting import draw_layer_costs
from .networks import draw_fields_on_image, draw_shares, draw_stage_costs, draw_unet, unet_figure

__all__ = ["GROUP_COLOURS", "PALETTE", "figure_png", "freeze_layout", "new_figure",
           "style_grid_axes", "value_grid", "CellPanel", "conv_step_figure", "draw_channel_sums",
           "draw_conv_step", "draw_flip", "draw_grids", "draw_im2col", "draw_learned_kernel",
           "draw_photos", "show_photo", "CATEGORY_COLOURS", "case_figure", "case_gallery_figure",
           "CasePanel", "draw_case", "draw_layout", "layout_figure", "count_map",
           "directions_figure", "draw_conv_matrix", "draw_directions", "draw_images",
           "draw_overlap_cases", "draw_spread", "draw_transposed", "overlap_figure",
           "transposed_figure", "dilated_figure", "draw_dilated", "draw_dilated_kernels",
           "draw_field_shift", "draw_gridding", "draw_kernel_mask", "draw_receptive_growth",
           "gridding_figure", "gridding_map", "draw_bottleneck_costs", "draw_dependency",
           "draw_groups", "draw_outer_product", "draw_separable", "draw_shuffle", "groups_figure",
           "separable_figure", "SeparableView", "draw_effective_field", "draw_fields",
           "field_figure", "FieldPanel", "draw_layer_costs", "draw_fields_on_image", "draw_shares",
           "draw_stage_costs", "draw_unet", "unet_figure"]
