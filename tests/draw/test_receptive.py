"""convlib.draw.receptive: figures build, update their artists in place, and render."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

import convlib as cl
from convlib.draw.receptive import FieldPanel, field_figure
from convlib.draw.cells import cell_values

PNG_MAGIC = b"\x89PNG"


def state(kernels=(3, 3), strides=(1, 2), size=12, unit=(0, 0), padding="half"):
    return cl.field_state(cl.build_stack(list(kernels), list(strides), padding=padding), size, unit)


def box_bounds(rect):
    x, y = rect.get_xy()
    return ((y + 0.5, y + rect.get_height() - 0.5), (x + 0.5, x + rect.get_width() - 0.5))


def test_field_figure_updates_the_same_artists():
    fig, update = field_figure()
    ax_in, ax_out = fig.axes
    first = state()
    update(first)
    children, box = len(ax_in.get_children()), ax_in.patches[1]
    assert box_bounds(box) == first.bounds
    assert cell_values(ax_in).shape[:2] == (12, 12)
    assert cell_values(ax_out).shape == (first.table.output_size,) * 2
    second = state(kernels=(5, 3), size=20, unit=(3, 1))
    update(second)
    assert len(ax_in.get_children()) == children and ax_in.patches[1] is box   # in place
    assert box_bounds(box) == second.bounds
    assert cell_values(ax_out)[second.unit] == 1
    assert cl.draw.figure_png(fig).startswith(PNG_MAGIC)


def test_panel_view_covers_image_and_field():
    fig, axes = cl.draw.new_figure(4, 4)
    panel = FieldPanel(axes[0, 0])
    big = cl.field_state(cl.build_stack([3] * 5, [2] * 5, padding="half"), 16)
    panel.update(big)
    (fh, lh), (fw, lw) = big.bounds
    x0, x1 = panel.ax.get_xlim()
    assert x0 < fw - 0.5 and x1 > lw + 0.5 and len(panel.grid.get_segments()) == 0  # no grid
    panel.update(state())
    assert len(panel.grid.get_segments()) == 2 * 13                   # 13 lines per axis


def test_shading_marks_exactly_the_mask():
    s = state(kernels=(3, 3), strides=(1, 1), size=9, unit=(2, 2), padding="none")
    fig, axes = cl.draw.new_figure(4, 4)
    FieldPanel(axes[0, 0]).update(s)
    rgba = cell_values(axes[0, 0])
    blue = np.all(rgba == rgba[-1, -1], axis=-1)            # a pixel the unit does not see
    assert np.array_equal(~blue, s.field.mask)


def test_draw_fields_panels_titles_and_errors():
    fig = cl.draw.draw_fields(state(), state(unit=(2, 2)), titles=["a", "b"])
    assert isinstance(fig, Figure) and [ax.get_title() for ax in fig.axes] == ["a", "b"]
    assert "unit (0, 0)" in cl.draw.draw_fields(state(), legend=False).axes[0].get_title()
    with pytest.raises(ValueError, match="`titles`"):
        cl.draw.draw_fields(state(), titles=["a", "b"])
    with pytest.raises(ValueError, match="`states`"):
        cl.draw.draw_fields()


def test_draw_effective_field():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.ReLU(), torch.nn.Conv2d(2, 2, 3))
    erf = cl.effective_receptive_field(model, 9, n_inputs=2)
    paths = cl.field_state(model, 9)
    fig = cl.draw.draw_effective_field(erf, paths.bounds, paths.field, label="random")
    heat, profile = fig.axes[0], fig.axes[1]
    assert box_bounds(heat.patches[0]) == paths.bounds
    assert [t.get_text() for t in profile.get_legend().get_texts()][:2] == [
        "random", "all weights 1: path counts"]
    assert cl.draw.figure_png(fig).startswith(PNG_MAGIC)


@pytest.mark.parametrize("n_panels", [1, 2])
def test_draw_fields_legend_and_titles_fit_in_the_figure(n_panels):
    fig = cl.draw.draw_fields(*[state(unit=(u, u)) for u in range(n_panels)])
    cl.draw.figure_png(fig)                      # lays the figure out
    renderer, width, height = fig.canvas.get_renderer(), fig.bbox.width, fig.bbox.height
    for artist in [fig.legends[0]] + [ax.title for ax in fig.axes]:
        box = artist.get_window_extent(renderer)
        assert 0 <= box.x0 and box.x1 <= width and 0 <= box.y0 and box.y1 <= height, artist
    legend = fig.legends[0].get_window_extent(renderer)
    panel = fig.axes[0].get_window_extent(renderer)
    assert (legend.x0 >= panel.x1) if n_panels == 1 else (legend.y1 <= panel.y0)   # beside / below


def test_field_figure_legend_fits():
    fig, update = field_figure()
    update(state())
    cl.draw.figure_png(fig)
    box = fig.legends[0].get_window_extent(fig.canvas.get_renderer())
    assert 0 <= box.x0 and box.x1 <= fig.bbox.width


def test_draw_fields_legend_lists_only_pixel_kinds_present():
    labels = lambda fig: [t.get_text() for t in fig.legends[0].get_texts()]
    partial = state()                                    # a field smaller than the image
    assert not partial.field.mask.all()
    assert "input pixel, gradient 0" in labels(cl.draw.draw_fields(partial))
    whole = cl.field_state(cl.build_stack([3] * 6, [2] * 6, padding="half"), 32)
    assert whole.field.mask.all()                        # every image pixel has a gradient
    assert "input pixel, gradient 0" not in labels(cl.draw.draw_fields(whole))
    assert "gradient ≠ 0 (darker: more paths)" in labels(cl.draw.draw_fields(whole))


def test_effective_field_box_uses_the_field_colour_of_the_other_figures():
    from matplotlib.colors import to_rgba
    from convlib.draw.core import PALETTE
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 1, 3))
    erf = cl.effective_receptive_field(model, 7, n_inputs=1)
    fig = cl.draw.draw_effective_field(erf, cl.field_state(model, 7).bounds)
    assert fig.axes[0].patches[0].get_edgecolor() == to_rgba(PALETTE["accent"])
