"""convlib.draw.transposed: every figure renders, shows what it is given, updates in place."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

import convlib as cl
from convlib.transposed import layout as tl
from convlib.draw import transposed as dt

PNG_MAGIC = b"\x89PNG"


def labels(ax) -> list[str]:
    """Texts shown in `ax`: `Text` artists, then `CellNumbers` (count maps), row by row."""
    from convlib.draw.cells import CellNumbers
    return ([t.get_text() for t in ax.texts if t.get_visible()]
            + [s for a in ax.artists if isinstance(a, CellNumbers) and a.get_visible()
               for s in a.strings])


def test_conv_matrix_cells_are_the_taps():
    taps = tl.conv_matrix_taps((4, 4), 3)
    ax = dt.draw_conv_matrix(taps, 3, [f"y{n}" for n in range(4)], [f"x{n}" for n in range(16)])
    shown = labels(ax)
    assert len(shown) == 64 and shown.count("0") == int((taps < 0).sum())
    assert shown[0] == "w₀₀" and shown.count("w₂₂") == 4
    assert cl.draw.figure_png(ax.figure).startswith(PNG_MAGIC)


def test_spread_labels_the_nine_cells():
    taps = tl.conv_matrix_taps((4, 4), 3)
    fig = dt.draw_spread(taps[3], 3, (2, 2), 3, (4, 4))
    out = labels(fig.axes[1])
    assert len(out) == 9 and all(t.endswith("y₁₁") for t in out)
    assert "reaches 9 cells" in fig.axes[1].get_title()


def test_explorer_figure_updates_in_place():
    fig, update = dt.transposed_figure()
    sizes = []
    for cfg in [(3, 3, 2, 1, 1, 1, 7), (6, 5, 4, 0, 3, 3, 0), (4, 3, 2, 3, 1, 1, 5), (1, 1, 1, 0, 0, 1, 0)]:
        view = tl.transposed_view(*cfg)
        update(*view)
        n = sum(len(ax.get_children()) for ax in fig.axes)
        sizes.append(n)
        assert cl.draw.figure_png(fig).startswith(PNG_MAGIC)
        o = view.lay_h.output_size
        assert len(labels(fig.axes[1])) == (o * o if o <= 12 else 0)
        assert f"output {o}×{o}" in fig.axes[1].get_title()
    assert len(set(sizes)) == 1
    assert fig.get_layout_engine() is not None and not fig.get_constrained_layout()
    static = dt.draw_transposed(*tl.transposed_view(3, 3, 2, 1, 1))
    assert isinstance(static, Figure)


def test_overlap_maps():
    fig, update = dt.overlap_figure()
    update(cl.overlap_counts((3, 3), (2, 2), (3, 3)), "t")
    assert labels(fig.axes[0])[:3] == ["1", "1", "2"]
    cases = [[("a", cl.overlap_counts((2, 2), (1, 1), (3, 3))), ("b", np.ones((12, 12), int))]]
    fig = dt.draw_overlap_cases(cases)
    maps = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert [ax.get_title() for ax in maps] == ["a", "b"]
    assert len(fig.axes) == 4  # a colourbar (counts) beside each map
    assert labels(fig.axes[1]) == []                     # too large for numbers


def test_images_grid_shows_flat_images_grey():
    fig = dt.draw_images([[np.ones((4, 4)), np.arange(16.0).reshape(4, 4)]], ["flat", "ramp"],
                         ["row"])
    flat = fig.axes[0].images[0]
    assert flat.norm.vmin < 1 < flat.norm.vmax
    assert fig.axes[0].get_ylabel() == "row" and fig.axes[1].get_title() == "ramp"


def test_grid_lines_follow_the_size():
    _, axes = cl.draw.new_figure()
    update = dt.grid_lines(axes[0, 0])
    update(3, 5, "title")
    segments = axes[0, 0].collections[0].get_segments()
    assert len(segments) == (5 + 1) + (3 + 1)
    assert axes[0, 0].get_xlim() == (-0.5, 4.5) and axes[0, 0].get_title() == "title"


def test_category_colours_are_distinct():
    assert len(set(dt.CATEGORY_COLOURS)) == len(tl.CATEGORY_NAMES)
