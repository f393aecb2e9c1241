"""Figures of chapter 05: legible text on the Sobel figure, the factorisation diagram's labels."""
from __future__ import annotations

import numpy as np

from convlib.draw import grouped as draw
from convlib.draw.core import PALETTE, TEXT_PT


def test_sobel_digits_have_enough_contrast():
    fig = draw.draw_outer_product(np.array([1, 2, 1]), np.array([-1, 0, 1]), np.outer([1, 2, 1], [-1, 0, 1]))
    for ax in fig.axes:
        fill = ax.images[0].cmap(0)
        text_colours = {t.get_color() for t in ax.texts}
        assert text_colours == {PALETTE["text"]}
        assert draw.contrast_ratio(PALETTE["text"], fill) >= 4.5
    assert draw.contrast_ratio(PALETTE["text"], PALETTE["kernel"]) < 4.5    # why the fill is lightened


def test_factorisation_diagram_labels_the_three_kinds():
    fig = draw.draw_separable_factorisation()
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["(a) standard conv", "(b) depthwise conv", "(c) pointwise conv"]
    captions = [t.get_text() for ax in fig.axes for t in ax.texts if "filters" in t.get_text()]
    assert captions == ["$C_{out}$ filters, each $k$×$k$×$C_{in}$", "$C_{in}$ filters, each $k$×$k$×1",
                        "$C_{out}$ filters, each 1×1×$C_{in}$"]
    assert min(t.get_fontsize() for ax in fig.axes for t in ax.texts) >= TEXT_PT
