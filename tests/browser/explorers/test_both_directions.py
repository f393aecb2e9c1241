"""Chapter 03's both-directions explorer (convlib/web/explorers/both_directions.js) against
`convlib.transposed.directions.directions_view`, in Chromium: the operator's grids and
matrix, the selected row or column (its cells and weights), the output padding, the
three computations of a column agreeing (convlib checks them with torch), and the
invalid message."""
from __future__ import annotations

import convlib as cl
from convlib.transposed.directions import directions_view

from ..explorer_pages import check_explorer, python_error


def expected(v: dict):
    view, error = python_error(directions_view, v)
    if error:
        return None, error
    taps = view.taps[view.index] if view.select == "output" else view.taps[:, view.index]
    return {"mode": view.mode, "select": view.select, "in_shape": list(view.in_shape),
            "out_shape": list(view.out_shape), "matrix": list(view.taps.shape),
            "index": view.index, "in_mask": view.in_mask.tolist(),
            "out_mask": view.out_mask.tolist(), "weights": taps.tolist(),
            "output_padding": view.output_padding,
            "agree": None if view.reach is None else view.reach.agree}, None


def config(rng):
    return [("mode", rng.choice(["conv", "transposed"])), ("select", rng.choice(["output", "input"])),
            ("input_size", rng.randint(1, 7)), ("kernel_size", rng.randint(1, 4)),
            ("stride", rng.randint(1, 3)), ("padding", rng.randint(0, 3)),
            ("dilation", rng.randint(1, 2)), ("cell", rng.randint(0, 180))]


def test_the_explorer_agrees_with_convlib(page, tmp_path):
    check_explorer(page, tmp_path, cl.widgets.both_directions_explorer(), config, expected)
