"""The explorers (browser widgets, `browser`), the exercises and the case animations: one
module per chapter topic, re-exported here."""
from .core import animation_html
from .convolution import conv_step_explorer
from .browser import BrowserExplorer, browser_explorer
from .sizes import case_gallery, feature_map_explorer
from .transposed import both_directions_explorer, overlap_explorer, transposed_explorer
from .dilated import dilated_explorer, gridding_explorer
from .grouped import groups_explorer, separable_explorer, separable_view
from .receptive import receptive_field_explorer
from .counting import layer_cost_explorer
from .networks import unet_explorer
from .exercise import check_answer, Exercise, judge, parse_answer

__all__ = ["animation_html", "conv_step_explorer",
           "BrowserExplorer", "browser_explorer", "case_gallery", "feature_map_explorer",
           "both_directions_explorer", "overlap_explorer", "transposed_explorer",
           "dilated_explorer", "gridding_explorer",
           "groups_explorer", "separable_explorer", "separable_view", "receptive_field_explorer",
           "layer_cost_explorer", "unet_explorer",
           "check_answer", "Exercise", "judge", "parse_answer"]
