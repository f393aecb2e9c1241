"""convlib.reference.measure: named cases whose values the chapters explain."""
from __future__ import annotations

from convlib.reference import measure as m


def test_same_padding_puts_the_odd_pixel_after():
    assert m.same_split(5, 4) == (5, 1, 2)
    assert m.same_split(6, 3, d=2) == (6, 2, 2)


def test_pooling_drops_a_last_window_that_starts_in_the_right_padding():
    assert m.pool_length(5, 2, 2, 1) == 3


def test_tf_same_on_the_syllabus_example():
    assert m.tf_same(7, 5, 3) == (3, 4)          # SAME pads 2 + 2


def test_three_3x3_layers_see_7_pixels_and_strides_multiply_the_jump():
    assert m.field([(3, 1, 1)] * 3) == (7, 1)
    assert m.field([(3, 2, 1), (3, 2, 1)]) == (7, 4)
    assert m.k_eff_span(3, 2) == 5


def test_checkerboard_only_when_the_stride_does_not_divide_the_kernel():
    assert m.uneven_overlap(3, 2) and not m.uneven_overlap(4, 2)


def test_counts_of_named_layers():
    assert m.conv_params(3, 10, 1, 3, 3, True) == 280
    assert m.conv_macs(3, 10, 1, 3, 3, 50, 50) == 675_000
    assert m.batchnorm_counts(25) == (50, 50)
    assert m.lstm_params(128, 64) == 49664
    assert m.restoring_output_padding(8, 3, 2, 1) == 1


def test_bottleneck_costs_of_the_chapter_05_example():
    assert m.bottleneck_macs("resnext", 240, 60, 3, 28, 28) == 31_046_400
    assert m.bottleneck_macs("shufflenet", 240, 60, 3, 28, 28) == 7_949_760
    assert m.transposed_macs(16, 8, 2, 4, 4, 7, 7) == 50_176
    assert m.embedding_params(10, 4) == 40


def test_batchnorm_buffers_are_the_running_statistics_and_one_counter():
    """The sheet's BatchNorm row counts 2C running statistics and names the extra buffer."""
    from torch import nn
    buffers = {name: b.numel() for name, b in nn.BatchNorm2d(7).named_buffers()}
    assert buffers == {"running_mean": 7, "running_var": 7, "num_batches_tracked": 1}
    assert m.batchnorm_counts(7) == (14, 14)
