"""convlib: the helper package of the convolution-arithmetic course.

``import convlib as cl`` gives the pure functions (shapes, ops, receptive
field, counting), ``cl.draw`` (matplotlib figures), ``cl.widgets`` (sliders)
and the notebook helpers `setup_notebook`, `compare` and `Exercise`.
"""
from . import dilated_layout, draw, transposed_layout, upsampling, widgets, windows, zoo
from .check import compare
from .session import setup_notebook
from .widgets import Exercise
from .answers import format_answer
from .ops import avg_pool2d, conv2d, conv2d_loops, conv_transpose2d, im2col, max_pool2d
from .shapes import (conv_output_size, conv_transpose_output_size, effective_kernel_size,
                     output_padding_for, pool_output_size, same_padding, tf_padding)
from .counting import (BatchNormParams, batchnorm_params, conv2d_macs, conv2d_params,
                       conv_transpose2d_macs, conv_transpose2d_params, embedding_params,
                       gru_params, linear_macs, linear_params, lstm_params, rnn_params)
from .summary import LayerRow, ModelSummary, summary
from .counters import CounterComparison, compare_counters
from .transposed import (CONV_MATRIX_MAX_BYTES, conv_matrix, dilated_kernel_mask, gridding_mask,
                         insert_zeros, overlap_counts, transpose_as_conv, transpose_input_sizes)
from .receptive import (FieldMap, Layer, ReceptiveFieldRow, ReceptiveFieldTable,
                        effective_receptive_field, empirical_receptive_field, field_bounds,
                        receptive_field, receptive_field_top_down)
from .receptive_graph import GraphFieldRow
from .field_stacks import (bounds_size, build_stack, central_share, clip_bounds, field_inside,
                           field_state, gradient_spread, mask_bounds, torch_stack)
from .stepping import ConvStep, conv_step, convolve2d, flip_kernel, shift2d
from .grouped import (BOTTLENECKS, GroupedConvCost, bottleneck_block, bottleneck_macs,
                      channel_groups, channel_shuffle, group_connectivity, grouped_conv_cost,
                      grouped_cost_text, shuffle_permutation, stacked_dependency)
from .separable import (DepthwiseSeparableCost, depthwise_separable_block,
                        depthwise_separable_cost, kernel_rank, separable_cost_text,
                        separable_macs_ratio, separate_kernel)
from .flops import FlopCount, UncountedOp, count_flops, uncounted_ops
from .hdc import first_hole, hdc_rates, hole_free, wang_condition, wang_max_distance
from .atrous import (ASPP_RATES, SMALL_BACKBONE, AsppBranch, ConvSpec, OutputStrideRow, Stage,
                     aspp_branches, aspp_rates, backbone_model, dilate_stages, output_stride_row,
                     output_stride_table, valid_tap_fraction)
from .causal import causal_field, causal_padding, causal_stack, wavenet_dilations
from .cases import (CANONICAL_CASES, GUIDE_CASES, Case, Counterpart, case_view, padding_regime,
                    transposed_case, transposed_counterpart)
from .images import (LAPLACIAN, SOBEL_X, SOBEL_Y, LearnedKernel, box_kernel, comet_kernel,
                     filter_image, gaussian_kernel, learn_kernel, sample_image)
from . import checkerboard
from .directions import InputReach, directions_view, input_reach
from . import field_check, networks
