"""convlib.draw.convolution: the figures show the numbers they were given, update in place."""
from __future__ import annotations

import io

import numpy as np
from PIL import Image
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

import convlib as cl
from convlib.draw.cells import CellNumbers
from convlib.draw.convolution import CURRENT, EMPTY, TAP, TAP_PAD, CellPanel
from convlib.draw.cells import cell_values

PNG_MAGIC = b"\x89PNG"


def shown_texts(ax) -> list[str]:
    """The cell numbers shown (one `CellNumbers` artist per panel), row by row."""
    return [s for a in ax.artists if isinstance(a, CellNumbers) and a.get_visible()
            for s in a.strings]


def example(step=0, **kw):
    x = np.arange(25.0).reshape(5, 5) % 4
    return cl.conv_step(x, np.array([[0.0, 1, -1], [1, 0, 1], [-1, 1, 0]]), -3, step=step, **kw)


def test_step_figure_shows_window_products_and_output_so_far():
    st = example(step=4)
    fig = cl.draw.draw_conv_step(st)
    ax_in, ax_k, ax_p, ax_out = fig.axes[:4]
    assert shown_texts(ax_in) == [f"{v:g}" for v in st.padded[0].ravel()]
    assert shown_texts(ax_p) == [f"{v + 0.0:g}" for v in st.products[0].ravel()]
    assert shown_texts(ax_out) == [f"{v:g}" for v in st.output.ravel()[:5]]  # 5 cells so far
    assert cell_values(ax_out)[st.cell] == CURRENT
    assert (np.asarray(cell_values(ax_out)).ravel()[5:] == EMPTY).all()
    assert fig.get_supxlabel() == ""  # the equation is the explorer's HTML line, not drawn
    assert cl.draw.figure_png(fig).startswith(PNG_MAGIC)


def test_step_figure_updates_in_place_when_sizes_change():
    fig, update = cl.draw.conv_step_figure()
    update(example())
    artists = len(fig.axes[0].artists), len(fig.axes[0].collections)
    update(example(step=7, stride=2, padding=2))  # padded 9x9 input, 4x4 output
    ax_in = fig.axes[0]
    assert len(ax_in.collections) == artists[1] and len(shown_texts(ax_in)) == 81
    cats = np.asarray(cell_values(ax_in))
    assert (cats == TAP_PAD).sum() == 6 and (cats == TAP).sum() == 3  # rows 2-4, cols 6-8
    update(example(step=2))  # back to 5x5: the same artists, fewer numbers
    assert len(shown_texts(ax_in)) == 25 and len(ax_in.artists) == artists[0]


def test_channel_sums_figure():
    rng = np.random.default_rng(1)
    x, w = rng.integers(0, 3, (3, 5, 5)).astype(float), rng.integers(-1, 2, (3, 3, 3)).astype(float)
    st = cl.conv_step(x, w, 1, stride=2, padding=1, step=4, activation="none")
    fig = cl.draw.draw_channel_sums(st, ["R", "G", "B"], "feature map 0")
    titles = [ax.get_title() for ax in fig.axes]
    for c in range(3):
        assert f"products: sum = {st.partial_sums[c] + 0.0:g}" in titles
    assert titles[0].startswith("R: input padded by 1")
    assert fig.get_supxlabel() == st.equation()
    assert shown_texts(fig.axes[-1]) == [f"{v:g}" for v in st.output.ravel()]


def test_grids_and_im2col_figures():
    k = np.array([[1.0, 2.0], [3.0, -4.0]])
    fig = cl.draw.draw_grids([k, cl.flip_kernel(k)], ["kernel", "flipped"], ["kernel", "kernel"],
                             highlight=[None, np.eye(2, dtype=bool)])
    assert isinstance(fig, Figure) and [ax.get_title() for ax in fig.axes] == ["kernel", "flipped"]
    assert shown_texts(fig.axes[1]) == ["-4", "3", "2", "1"]
    x = np.arange(9.0).reshape(1, 3, 3)
    cols = cl.im2col(x, 2)
    fig = cl.draw.draw_im2col(k.reshape(1, -1), cols, k.reshape(1, -1) @ cols, column=1)
    assert len(fig.axes) == 3 and len(shown_texts(fig.axes[1])) == cols.size
    assert np.asarray(cell_values(fig.axes[2]))[0, 1] == CURRENT
    assert cl.draw.figure_png(fig).startswith(PNG_MAGIC)


def test_cell_panel_leaves_nan_blank():
    fig, axes = cl.draw.new_figure(3, 3)
    panel = CellPanel(axes[0, 0])
    panel.show(np.array([[1.0, np.nan]]), 0)
    assert shown_texts(axes[0, 0]) == ["1"]


# The im2col figure drawn with one row per window (chapter 01's slide).
def test_windows_as_rows_shows_the_transposed_product():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 3, (3, 5, 5)).astype(float)
    w = rng.integers(-1, 2, (2, 3, 3, 3)).astype(float)
    cols = cl.im2col(x, 3, stride=2, padding=1)
    np.testing.assert_array_equal(cols, F.unfold(torch.from_numpy(x)[None], 3, stride=2, padding=1)[0].numpy())
    result = w.reshape(2, -1) @ cols
    fig = cl.draw.draw_im2col(w.reshape(2, -1), cols, result, column=4, cell=0.38, windows_as_rows=True)
    ax_w, ax_c, ax_r, ax_label = fig.axes
    assert ax_w.get_title().startswith("weights W: 2×27")
    # the result's label sits inside the figure (it was clipped at the right edge once)
    (label,) = ax_label.texts
    assert label.get_text().startswith("W @ im2col(x)")
    cl.draw.core.freeze_layout(fig)                          # as the notebook shows it
    png = np.asarray(Image.open(io.BytesIO(cl.draw.figure_png(fig))).convert("L"))
    assert (png[:, -3:] < 200).sum() == 0                    # no ink on the right edge
    assert ax_c.get_xlabel().startswith("im2col(x) transposed: 9×27")
    # the panels are drawn from cols.T and result.T: their grids are 9×27 and 9×2
    assert ax_c.get_xlim()[1] - ax_c.get_xlim()[0] == 27 and abs(ax_c.get_ylim()[0] - ax_c.get_ylim()[1]) == 9
    assert ax_r.get_xlim()[1] - ax_r.get_xlim()[0] == 2 and abs(ax_r.get_ylim()[0] - ax_r.get_ylim()[1]) == 9
    assert fig.get_size_inches()[0] > fig.get_size_inches()[1]          # wide, for a slide
    assert cl.draw.figure_png(fig).startswith(b"\x89PNG")


def test_default_layout_unchanged():
    cols = cl.im2col(np.arange(9.0).reshape(1, 3, 3), 2)
    k = np.array([[1.0, 2.0, 3.0, -4.0]])
    fig = cl.draw.draw_im2col(k, cols, k @ cols, column=1)
    assert fig.axes[1].get_title() == f"im2col(x): {cols.shape[0]}×{cols.shape[1]}"
