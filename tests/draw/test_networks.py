"""convlib.draw.networks: the half-mass figure labels its band as the square, not the field."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from convlib.draw.networks import draw_half_mass  # noqa: E402
from convlib.networks.fields import half_mass_square  # noqa: E402
from convlib.receptive.empirical import FieldMap  # noqa: E402


def test_draw_half_mass_draws_the_square_and_labels_it():
    grad = np.zeros((12, 12))
    grad[4:8, 4:8] = 1.0
    half = half_mass_square(grad, (5.5, 5.5))
    fig = draw_half_mass(FieldMap(grad > 0, grad, (0, 0)), half, title="t")
    labels = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert f"square with half the gradient ({half.side} px)" in labels
    assert not any(label.startswith("analytic field") for label in labels)
