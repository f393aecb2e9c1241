"""Figures of grouped and separable convolutions and of per-layer costs: they draw
what convlib computed (one line per connection, one arrow per channel, ...)."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from torch import nn

import convlib as cl
from convlib.draw.cells import cell_values


def test_groups_figure_draws_one_line_per_connection_and_updates_in_place():
    fig, update = cl.draw.groups_figure()
    for c_in, c_out, g in [(8, 8, 2), (16, 12, 4), (1, 1, 1), (16, 16, 16)]:
        cost = cl.grouped_conv_cost(c_in, c_out, 3, g, 8)
        update(cost)
        ax_lines, ax_mat = fig.axes
        assert len(ax_lines.collections[0].get_segments()) == c_in * c_out // g
        assert cell_values(ax_mat).shape == (c_out, c_in)
        assert f"(1/{g})" in ax_mat.get_title()
    assert len(fig.axes) == 2


def test_static_figures_are_figures():
    perm = cl.shuffle_permutation(12, 3)
    ax = cl.draw.draw_shuffle(perm, 3)
    assert len(ax.texts) == 3 * 12 + 2          # 12 arrows (annotations), 24 labels, in/out
    deps = {"no shuffle": cl.stacked_dependency(6, [3, 3]),
            "shuffle": cl.stacked_dependency(6, [3, 3], shuffle=True)}
    assert len(cl.draw.draw_dependency(deps).axes) == 2
    gs = [1, 2, 4]
    macs = {k: [cl.bottleneck_macs(k, 48, 12, g, 7) for g in gs] for k in cl.BOTTLENECKS}
    fig = cl.draw.draw_bottleneck_costs(gs, macs, checked=macs, title="t")
    assert len(fig.axes[0].lines) == 2 * len(macs) + 1
    c, r = cl.separate_kernel([[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    assert isinstance(cl.draw.draw_outer_product(c, r, np.outer(c, r), "t"), Figure)


def test_separable_figure_bars_follow_the_costs():
    fig = cl.draw.draw_separable(cl.widgets.separable_view(32, 64, 3, 56))
    cost = cl.depthwise_separable_cost(32, 64, 3, 56)
    macs_ax = next(a for a in fig.axes if a.get_title() == "MACs")
    bars = next(a for a in macs_ax.get_shared_y_axes().get_siblings(macs_ax) if a is not macs_ax)
    widths = sorted(p.get_width() for p in bars.patches)  # on the overlay over the MACs axes
    assert widths == sorted([cost.standard_macs, cost.depthwise_macs, cost.pointwise_macs])


def test_layer_costs_skip_layers_without_params_or_macs():
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 4 * 4, 3))
    fig = cl.draw.draw_layer_costs(cl.summary(model, (1, 6, 6)))
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["0 Conv2d", "3 Linear"]
    assert cl.draw.figure_png(fig).startswith(b"\x89PNG")


def test_bottleneck_costs_legend_and_colours():
    from matplotlib.colors import to_rgb
    gs = [1, 2, 4]
    macs = {k: [cl.bottleneck_macs(k, 48, 12, g, 7) for g in gs] for k in cl.BOTTLENECKS}
    ax = cl.draw.draw_bottleneck_costs(gs, macs).axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["ResNet", "ResNeXt", "ShuffleNet"]
    luma = lambda c: float(np.dot(to_rgb(c), (0.2126, 0.7152, 0.0722)))
    assert luma(cl.draw.GROUP_COLOURS[2]) > 0.75                 # the pale yellow a line must not be
    for line in ax.lines:
        assert luma(line.get_color()) < 0.75
