"""convlib.draw.convolution: the pictures drawn are the arrays given, zoomed by fractions."""
from __future__ import annotations

import numpy as np

import convlib as cl
from convlib.draw import convolution as di

PNG_MAGIC = b"\x89PNG"


def shown(ax) -> np.ndarray:
    return np.asarray(ax.images[0].get_array())


def test_photos_grid_shows_each_image_and_hides_spare_axes():
    p = cl.sample_image(32)
    edges = cl.filter_image(p, cl.SOBEL_X)
    fig = di.draw_photos({"photo": p, "edges": edges, "blur": cl.filter_image(p, cl.box_kernel(3))},
                         ncols=2, signed={"edges": True})
    axes = fig.axes
    np.testing.assert_array_equal(shown(axes[0]), p)
    lo, hi = axes[1].images[0].get_clim()
    assert lo == -hi == -np.abs(edges).max()
    assert not axes[3].axison and axes[0].get_title() == "photo"
    assert cl.draw.figure_png(fig).startswith(PNG_MAGIC)


def test_zoom_takes_the_same_region_at_every_size():
    small, big = np.arange(64.0).reshape(8, 8), np.arange(256.0).reshape(16, 16)
    fig = di.draw_photos({"a": small, "b": big}, zoom=(0.25, 0.5, 0.5, 0.25))
    np.testing.assert_array_equal(shown(fig.axes[0]), small[2:6, 4:6])
    np.testing.assert_array_equal(shown(fig.axes[1]), big[4:12, 8:12])


def test_flip_and_learned_kernel_figures():
    p, c = cl.sample_image(32), cl.comet_kernel(5)
    a, b = cl.filter_image(p, c), cl.filter_image(p, c, flip=True)
    fig = di.draw_flip(p, c, a, b)
    np.testing.assert_array_equal(shown(fig.axes[2]), a)
    np.testing.assert_array_equal(shown(fig.axes[3]), b)
    r = cl.learn_kernel(p, steps=150)
    fig = di.draw_learned_kernel(r.losses, r.kernel, cl.SOBEL_X, "Sobel x")
    np.testing.assert_array_equal(fig.axes[0].lines[0].get_ydata(), r.losses)
    assert [t.get_text() for t in fig.axes[2].texts] == ["-1", "0", "1", "-2", "0", "2",
                                                          "-1", "0", "1"]
    assert fig.axes[2].get_title() == "Sobel x"
