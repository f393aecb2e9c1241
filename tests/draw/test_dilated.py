"""convlib.draw.dilated: every figure renders, shows what it is given, updates in place."""
from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb

import convlib as cl
from convlib.dilated import layout as dl
from convlib.draw import dilated as dd
from convlib.draw.core import PALETTE

PNG_MAGIC = b"\x89PNG"


def test_kernels_label_every_tap_once():
    masks = [cl.dilated_kernel_mask((3, 3), (d, d)) for d in (1, 2, 3)]
    fig = dd.draw_dilated_kernels(masks, 3, ["a", "b", "c"])
    for ax in fig.axes:
        assert sorted(t.get_text() for t in ax.texts) == sorted(
            f"w{r}{c}".translate(str.maketrans("012", "₀₁₂")) for r in range(3) for c in range(3))
    assert cl.draw.figure_png(fig).startswith(PNG_MAGIC)


def test_explorer_figure_updates_in_place():
    fig, update = dd.dilated_figure()
    counts = []
    for cfg in [(9, 3, 2, 1, 1, "torch", 0), (12, 5, 4, 1, 4, "torch", 3), (6, 4, 3, 1, 0, "same", 40),
                (1, 1, 1, 1, 0, "torch", 0)]:
        view = dl.dilated_view(*cfg)
        update(view)
        counts.append(sum(len(ax.get_children()) for ax in fig.axes))
        ax_k, ax_in, ax_out = fig.axes
        assert f"d={cfg[2]}" in ax_k.get_title()
        assert f"output {view.lay_h.output_size}×" in ax_out.get_title()
        x, y = ax_in.collections[0].get_offsets()[0]
        assert (y - view.lay_h.pad_before, x - view.lay_w.pad_before) == view.centre
        assert cl.draw.figure_png(fig).startswith(PNG_MAGIC)
    assert len(set(counts)) == 1
    assert dd.draw_dilated(dl.dilated_view(7, 3, 2)).axes


def test_receptive_growth_plots_each_series():
    fig = dd.draw_receptive_growth({"a": [3, 5, 7], "b": [3, 7, 15]})
    ax = fig.axes[0]
    assert [list(line.get_ydata()) for line in ax.lines] == [[3, 5, 7], [3, 7, 15]]
    assert [t.get_text() for t in ax.texts] == ["7", "15"]


def test_gridding_maps():
    views = [dl.gridding_view(ds) for ds in [(2, 2, 2), (1, 2, 5)]]
    fig = dd.draw_gridding(views, ["x", "y"])
    maps = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert [ax.get_title() for ax in maps] == ["x", "y"]
    assert len(fig.axes) == 4  # a colourbar (paths) beside each map
    assert fig.axes[0].images[0].get_array().mask.sum() == views[0].size ** 2 - views[0].read
    fig, update = dd.gridding_figure()
    for ds in [(2, 2, 2), (6, 6, 6, 6), (1,)]:
        update(dl.gridding_view(ds, 5 if len(ds) == 4 else 3))
        assert cl.draw.figure_png(fig).startswith(PNG_MAGIC)
    assert fig.axes[0].collections[1].get_linewidth()[0] > 0   # small map: cell lines back


def test_field_shift_strips_align_pixel_zero():
    rows = []
    for mode in ("torch", "same"):
        lay = cl.sizes.windows.axis_layout(12, 3, padding=1, dilation=3, mode=mode)
        rows.append((mode, lay, 4, dl.field_centre(lay, 4)))
    fig = dd.draw_field_shift(rows)
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["torch", "same"]
    assert fig.axes[0].get_xlim() == fig.axes[1].get_xlim()
    assert [ax.collections[-2].get_offsets()[0][0] for ax in fig.axes] == [6, 4]   # ▲ centres


def chroma(rgba) -> float:
    """How far a colour is from grey (0 for white, grey and black)."""
    rgb = np.array(rgba[:3])
    return float(rgb.max() - rgb.min())


def assert_holes_hatched(ax, counts: np.ndarray, shown: np.ndarray, cmap, norm) -> None:
    """Read pixels are drawn in a colour (purple, never white or grey, a count of 1
    included); the rest is masked, so the hatched grey background of `show_holes` shows."""
    np.testing.assert_array_equal(np.ma.getmaskarray(shown), counts == 0)
    assert min(chroma(cmap(norm(c))) for c in np.unique(counts[counts > 0])) >= 0.1
    assert ax.patch.get_hatch() and to_rgb(ax.patch.get_facecolor()) == to_rgb(PALETTE["hole"])
    assert chroma(to_rgb(PALETTE["hole"])) == 0


def test_gridding_maps_show_every_read_pixel_coloured_and_holes_hatched():
    """A count of 1 is clearly coloured, unlike a hole: the review found 1-path cells
    drawn white, the colour of holes, so (1, 2, 5) looked full of holes."""
    for ds, read in [((1, 2, 5), 289), ((2, 2, 2), 49), ((3, 3), 25)]:
        view = dl.gridding_view(ds)
        fig, axes = cl.draw.new_figure(4, 4)
        ax = dd.gridding_map(view, axes[0, 0])
        (img,) = ax.images
        assert_holes_hatched(ax, view.counts, img.get_array(), img.cmap, img.norm)
        assert int((view.counts > 0).sum()) == read


def test_gridding_explorer_figure_draws_holes_the_same_way():
    fig, update = dd.gridding_figure()
    view = dl.gridding_view((2, 2, 2))
    update(view)
    ax = fig.axes[0]
    (mesh,) = [c for c in ax.collections if hasattr(c, "get_array") and c.get_array() is not None
               and np.ndim(c.get_array()) == 2]
    assert_holes_hatched(ax, view.counts, mesh.get_array(), mesh.cmap, mesh.norm)
