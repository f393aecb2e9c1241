"""Interactive figures and exercises (ipywidgets): one module per chapter topic, re-exported here."""
from .core import animate, controls_row, Explorer, int_slider
from .convolution import conv_step_explorer, ConvStepExplorer
from .browser import BrowserExplorer, browser_explorer
from .sizes import case_animation, case_explorer, case_gallery, CaseExplorer, feature_map_explorer
from .transposed import (both_directions_explorer, DirectionsExplorer, overlap_explorer,
                         transposed_explorer)
from .dilated import dilated_explorer, DilatedExplorer, gridding_explorer, GriddingExplorer
from .grouped import groups_explorer, separable_explorer, separable_view
from .receptive import receptive_field_explorer
from .counting import layer_cost_explorer, LayerCostExplorer
from .networks import unet_explorer
from .exercise import check_answer, Exercise, judge, parse_answer

__all__ = ["animate", "controls_row", "Explorer", "int_slider", "conv_step_explorer",
           "ConvStepExplorer", "BrowserExplorer", "browser_explorer", "case_animation",
           "case_explorer", "case_gallery", "CaseExplorer", "feature_map_explorer",
           "both_directions_explorer", "DirectionsExplorer", "overlap_explorer",
           "transposed_explorer",
           "dilated_explorer", "DilatedExplorer", "gridding_explorer", "GriddingExplorer",
           "groups_explorer", "separable_explorer", "separable_view", "receptive_field_explorer",
           "layer_cost_explorer", "LayerCostExplorer", "unet_explorer",
           "check_answer", "Exercise", "judge", "parse_answer"]
