"""Chapter 03's transposed-convolution explorer (convlib/web/explorers/transposed.js)
against `convlib.transposed.layout.transposed_view`, in Chromium: output size, the
stretched input, the output cell's window and how many input values it holds, and the
invalid message."""
from __future__ import annotations

import convlib as cl
from convlib.transposed.layout import transposed_view

from ..explorer_pages import check_explorer, python_error


def expected(v: dict):
    view, error = python_error(transposed_view, v)
    if error:
        return None, error
    lay, j = view.lay_h, view.j
    th, tw = lay.taps(j[0]), lay.taps(j[1])
    return {"output": lay.output_size, "stretched": lay.extent, "cell": list(j),
            "window": [th[0], th[-1], tw[0], tw[-1]],
            "values_in_window": int(view.counts[j])}, None


def config(rng):
    return [("input_size", rng.randint(1, 6)), ("kernel_size", rng.randint(1, 5)),
            ("stride", rng.randint(1, 4)), ("padding", rng.randint(0, 4)),
            ("output_padding", rng.randint(0, 3)), ("dilation", rng.randint(1, 3)),
            ("cell", rng.randint(0, 500))]


def test_the_explorer_agrees_with_convlib(page, tmp_path):
    check_explorer(page, tmp_path, cl.widgets.transposed_explorer(), config, expected)
