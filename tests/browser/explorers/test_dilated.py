"""Chapter 04's dilated-convolution explorer (convlib/web/explorers/dilated.js) against
`convlib.dilated.layout.dilated_view`, in Chromium: output size, k_eff, the padded input,
the output cell's window and the centre of its field, and the invalid message."""
from __future__ import annotations

import warnings

import convlib as cl
from convlib.dilated.layout import dilated_view

from ..explorer_pages import check_explorer, python_error


def expected(v: dict):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # padding='same' with an even kernel
        view, error = python_error(dilated_view, v)
    if error:
        return None, error
    lay, j = view.lay_h, view.j
    th, tw = lay.taps(j[0]), lay.taps(j[1])
    return {"output": lay.output_size, "k_eff": view.mask.shape[0], "padded": lay.extent,
            "pads": [lay.pad_before, lay.pad_after], "cell": list(j),
            "window": [th[0], th[-1], tw[0], tw[-1]], "centre": list(view.centre)}, None


def config(rng):
    return [("mode", rng.choice(["torch", "torch", "same"])), ("input_size", rng.randint(1, 12)),
            ("kernel_size", rng.randint(1, 5)), ("dilation", rng.randint(1, 4)),
            ("stride", rng.randint(1, 3)), ("padding", rng.randint(0, 4)),
            ("cell", rng.randint(0, 400))]


def test_the_explorer_agrees_with_convlib(page, tmp_path):
    check_explorer(page, tmp_path, cl.widgets.dilated_explorer(), config, expected)
