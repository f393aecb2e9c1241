"""Interactive figures and exercises (ipywidgets): one module per idea, re-exported here."""
from .core import Explorer, controls_row, int_slider
from .exercise import Exercise, judge, parse_answer
from .windows import FeatureMapExplorer, feature_map_explorer
from .receptive import ReceptiveFieldExplorer, receptive_field_explorer

__all__ = ["Explorer", "controls_row", "int_slider", "Exercise", "judge", "parse_answer",
           "FeatureMapExplorer", "feature_map_explorer",
           "ReceptiveFieldExplorer", "receptive_field_explorer"]
