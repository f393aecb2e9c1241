"""convlib: the helper package of the convolution-arithmetic course.

``import convlib as cl`` gives the pure functions (shapes, ops, receptive
field, counting), ``cl.draw`` (matplotlib figures), ``cl.widgets`` (sliders)
and the notebook helpers `setup_notebook`, `compare` and `Exercise`.

Everything is loaded on first use (PEP 562 ``__getattr__``): a bare
``import convlib`` imports no numpy-heavy submodule, no torch, matplotlib or
ipywidgets. To export a new name, add it to `_NAMES` under its submodule.
"""
from __future__ import annotations

import importlib
import sys
import types
from typing import Any

#: Submodules reachable as attributes (``cl.draw``, ``cl.windows``, ...).
_SUBMODULES = frozenset({
    "check", "counting", "dilated_layout", "draw", "field_stacks", "flops", "grouped", "ops",
    "pooling", "receptive", "separable", "session", "shapes", "stepping", "summary",
    "transposed", "transposed_layout", "upsampling", "web", "widgets", "windows",
    "answers", "atrous", "cases", "causal", "checkerboard", "counters", "directions",
    "field_join", "field_maps", "hdc", "images", "receptive_graph", "zoo",
    "field_check", "networks",
})

#: Submodule -> the public names it gives to ``convlib``.
_NAMES: dict[str, tuple[str, ...]] = {
    "check": ("compare",),
    "pooling": ("OPS_MAX_BYTES",),
    "session": ("setup_notebook",),
    "widgets": ("Exercise",),
    "ops": ("avg_pool2d", "conv2d", "conv2d_loops", "conv_transpose2d", "im2col", "max_pool2d"),
    "shapes": ("conv_output_size", "conv_transpose_output_size", "effective_kernel_size",
               "output_padding_for", "pool_output_size", "same_padding", "tf_padding"),
    "counting": ("BatchNormParams", "batchnorm_params", "conv2d_macs", "conv2d_params",
                 "conv_transpose2d_macs", "conv_transpose2d_params", "embedding_params",
                 "gru_params", "linear_macs", "linear_params", "lstm_params", "rnn_params"),
    "summary": ("LayerRow", "ModelSummary", "summary"),
    "transposed": ("CONV_MATRIX_MAX_BYTES", "conv_matrix", "dilated_kernel_mask",
                   "gridding_mask", "insert_zeros", "overlap_counts", "transpose_as_conv",
                   "transpose_input_sizes"),
    "receptive": ("FieldMap", "Layer", "ReceptiveFieldRow", "ReceptiveFieldTable",
                  "effective_receptive_field", "empirical_receptive_field", "field_bounds",
                  "receptive_field", "receptive_field_top_down"),
    "field_stacks": ("bounds_size", "build_stack", "central_share", "clip_bounds",
                     "field_inside", "field_state", "gradient_spread", "mask_bounds",
                     "torch_stack"),
    "stepping": ("ConvStep", "conv_step", "convolve2d", "flip_kernel", "shift2d"),
    "grouped": ("BOTTLENECKS", "GroupedConvCost", "bottleneck_block", "bottleneck_macs",
                "channel_groups", "channel_shuffle", "group_connectivity", "grouped_conv_cost",
                "grouped_cost_text", "shuffle_permutation", "stacked_dependency"),
    "separable": ("DepthwiseSeparableCost", "depthwise_separable_block",
                  "depthwise_separable_cost", "kernel_rank", "separable_cost_text",
                  "separable_macs_ratio", "separate_kernel"),
    "flops": ("FlopCount", "UncountedOp", "count_flops", "uncounted_ops"),
    "answers": ("format_answer",),
    "counters": ("CounterComparison", "compare_counters"),
    "receptive_graph": ("GraphFieldRow",),
    "hdc": ("first_hole", "hdc_rates", "hole_free", "wang_condition", "wang_max_distance"),
    "atrous": ("ASPP_RATES", "SMALL_BACKBONE", "AsppBranch", "ConvSpec", "OutputStrideRow",
               "Stage", "aspp_branches", "aspp_rates", "backbone_model", "dilate_stages",
               "output_stride_row", "output_stride_table", "valid_tap_fraction"),
    "causal": ("causal_field", "causal_padding", "causal_stack", "wavenet_dilations"),
    "cases": ("CANONICAL_CASES", "GUIDE_CASES", "Case", "Counterpart", "case_view",
              "padding_regime", "transposed_case", "transposed_counterpart"),
    "images": ("LAPLACIAN", "SOBEL_X", "SOBEL_Y", "LearnedKernel", "box_kernel", "comet_kernel",
               "filter_image", "gaussian_kernel", "learn_kernel", "sample_image"),
    "directions": ("InputReach", "directions_view", "input_reach"),
}

_WHERE = {name: module for module, names in _NAMES.items() for name in names}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    """Import the submodule that holds `name` on first use, then cache the value."""
    if name in _WHERE:  # a name wins over a submodule of the same name (`summary`)
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_SUBMODULES, *_WHERE})


class _Package(types.ModuleType):
    """Importing ``convlib.summary`` binds the submodule on the package; keep the function."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _WHERE and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
