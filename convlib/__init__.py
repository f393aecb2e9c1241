"""convlib: the helper package of the convolution-arithmetic course.

One package per chapter topic, in the course's order: ``convolution`` (01), ``sizes``
(02), ``transposed`` (03), ``dilated`` (04), ``grouped`` (05), ``receptive`` (06),
``counting`` (07), ``networks`` (08), plus ``exercises``, the model ``zoo``, ``draw``
(matplotlib), ``widgets`` (ipywidgets) and ``web`` (browser code). Imports flow one
way: the pure packages <- draw <- widgets.

``import convlib as cl`` gives every public function at the top (``cl.conv_output_size``),
each package as an attribute (``cl.sizes.windows``), and the notebook helpers
`setup_notebook`, `compare` and `Exercise`. Everything loads on first use (PEP 562):
a bare ``import convlib`` imports no numpy-heavy module, no torch, matplotlib or
ipywidgets. To export a new name, add it to `_NAMES` under its module.
"""
from __future__ import annotations

from ._lazy import attach

#: Packages and modules reachable as attributes (``cl.draw``, ``cl.sizes``, ...).
_SUBMODULES = frozenset({
    "convolution", "sizes", "transposed", "dilated", "grouped", "receptive", "counting",
    "networks", "exercises", "zoo", "draw", "widgets", "web", "check", "session", "reference",
})

#: Module (relative to convlib) -> the public names it gives to ``convlib``.
_NAMES: dict[str, tuple[str, ...]] = {
    "check": ("compare", "checks"),
    "session": ("setup_notebook",),
    "widgets": ("Exercise",),
    "convolution.images": ("LAPLACIAN", "SOBEL_X", "SOBEL_Y", "box_kernel", "comet_kernel",
                           "filter_image", "gaussian_kernel", "learn_kernel", "LearnedKernel",
                           "sample_image"),
    "convolution.ops": ("avg_pool2d", "conv2d", "conv2d_loops", "conv_transpose2d", "im2col",
                        "max_pool2d"),
    "convolution.stepping": ("conv_step", "convolve2d", "ConvStep", "flip_kernel", "shift2d"),
    "transposed.cases": ("CANONICAL_CASES", "GUIDE_CASES", "Case", "case_view", "Counterpart",
                    "padding_regime", "transposed_case", "transposed_counterpart"),
    "sizes.pooling": ("OPS_MAX_BYTES",),
    "sizes.windows": ("adaptive_windows",),
    "sizes.shapes": ("conv_output_size", "conv_transpose_output_size", "effective_kernel_size",
                     "output_padding_for", "pool_output_size", "same_padding", "tf_padding"),
    "transposed.core": ("CONV_MATRIX_MAX_BYTES", "conv_matrix", "insert_zeros",
                        "overlap_counts", "transpose_as_conv", "transpose_input_sizes"),
    "transposed.directions": ("directions_view", "input_reach", "InputReach"),
    "dilated.atrous": ("ASPP_RATES", "SMALL_BACKBONE", "aspp_branches", "aspp_rates",
                       "AsppBranch", "backbone_model", "ConvSpec", "dilate_stages",
                       "output_stride_row", "output_stride_table", "OutputStrideRow", "Stage",
                       "valid_tap_fraction"),
    "dilated.causal": ("causal_field", "causal_padding", "causal_stack", "wavenet_dilations"),
    "dilated.hdc": ("first_hole", "hdc_rates", "hole_free", "wang_condition",
                    "wang_max_distance"),
    "dilated.masks": ("dilated_kernel_mask", "gridding_mask"),
    "grouped.groups": ("BOTTLENECKS", "bottleneck_block", "bottleneck_macs", "channel_groups",
                       "channel_shuffle", "group_connectivity", "grouped_conv_cost",
                       "grouped_cost_text", "GroupedConvCost", "shuffle_permutation",
                       "stacked_dependency"),
    "grouped.separable": ("depthwise_separable_block", "depthwise_separable_cost",
                          "DepthwiseSeparableCost", "kernel_rank", "separable_cost_text",
                          "separable_macs_ratio", "separate_kernel"),
    "receptive.empirical": ("effective_receptive_field", "empirical_receptive_field",
                            "FieldMap"),
    "receptive.fields": ("field_bounds", "receptive_field", "receptive_field_top_down",
                         "ReceptiveFieldRow", "ReceptiveFieldTable"),
    "receptive.graph": ("GraphFieldRow",),
    "receptive.layers": ("Layer",),
    "receptive.stacks": ("bounds_size", "build_stack", "central_share", "clip_bounds",
                         "field_inside", "field_state", "gradient_spread", "mask_bounds",
                         "torch_stack"),
    "counting.counters": ("compare_counters", "CounterComparison"),
    "counting.flops": ("count_flops", "FlopCount", "uncounted_ops", "UncountedOp"),
    "counting.formulas": ("batchnorm_params", "BatchNormParams", "conv2d_macs",
                          "conv2d_params", "conv_transpose2d_macs", "conv_transpose2d_params",
                          "embedding_params", "gru_params", "linear_macs", "linear_params",
                          "lstm_params", "rnn_params", "rnn_macs", "lstm_macs", "gru_macs"),
    "counting.summary": ("LayerRow", "ModelSummary", "summary"),
    "exercises.answers": ("format_answer",),
    "networks.diagnose": ("explain_shapes", "ShapeReport"),
}

_WHERE = {name: module for module, names in _NAMES.items() for name in names}

__getattr__, __dir__, __all__ = attach(__name__, _SUBMODULES, _NAMES)
