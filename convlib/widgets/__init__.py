"""Interactive figures and exercises (ipywidgets): one module per idea, re-exported here."""
from .core import Explorer, animate, controls_row, int_slider
from .exercise import Exercise, check_answer, judge, parse_answer
from .sizes import FeatureMapExplorer, feature_map_explorer
from .receptive import ReceptiveFieldExplorer, receptive_field_explorer
from .convolution import ConvStepExplorer, conv_step_explorer
from .grouped import groups_explorer
from .grouped import separable_explorer, separable_view
from .counting import LayerCostExplorer, layer_cost_explorer
from .transposed import TransposedExplorer, overlap_explorer, transposed_explorer
from .dilated import DilatedExplorer, GriddingExplorer, dilated_explorer, gridding_explorer
from .sizes import CaseExplorer, case_animation, case_explorer, case_gallery
from .transposed import DirectionsExplorer, both_directions_explorer
from ..web import KernelFreeExplorer, kernel_free
from .networks import unet_explorer

__all__ = ["Explorer", "animate", "controls_row", "int_slider", "Exercise", "check_answer", "judge", "parse_answer",
           "FeatureMapExplorer", "feature_map_explorer",
           "ReceptiveFieldExplorer", "receptive_field_explorer",
           "ConvStepExplorer", "conv_step_explorer",
           "groups_explorer", "separable_explorer", "separable_view",
           "LayerCostExplorer", "layer_cost_explorer",
           "TransposedExplorer", "overlap_explorer", "transposed_explorer",
           "DilatedExplorer", "GriddingExplorer", "dilated_explorer", "gridding_explorer",
           "CaseExplorer", "case_animation", "case_explorer", "case_gallery",
           "DirectionsExplorer", "both_directions_explorer",
           "KernelFreeExplorer", "kernel_free", "unet_explorer"]
