"""convlib.draw.core: a partial redraw (blitting) of a figure updated in place gives the
pixels of a full draw."""
from __future__ import annotations

import numpy as np

from convlib.convolution.stepping import conv_step
from convlib.draw.convolution import conv_step_figure
from convlib.draw.core import figure_png


def test_blitted_picture_equals_a_full_draw():
    rng = np.random.default_rng(3)
    x, w = rng.integers(0, 4, (5, 5)), rng.integers(-1, 2, (3, 3))
    fig, update = conv_step_figure()
    compared = 0
    for step in (0, 4, 8, 3):
        update(conv_step(x, w, -2, step=step))
        figure_png(fig)                            # the partial redraw
        blitted = np.asarray(fig.canvas.buffer_rgba()).copy()
        fig.canvas.draw()                          # a full draw of the same state
        full = np.asarray(fig.canvas.buffer_rgba())
        assert (blitted == full).all(), f"step {step}: {(blitted != full).any(axis=2).sum()} px differ"
        compared += 1
    assert compared == 4
