"""Chapter 03's overlap (checkerboard) explorer (convlib/web/explorers/overlap.js) against
`convlib.transposed.layout.overlap_view`, in Chromium: the map of taps per output, the
counts along one axis, the even/uneven verdict, and the invalid message (a size below 1,
which only `compute` can be given: the sliders start at 1)."""
from __future__ import annotations

import convlib as cl
from convlib.transposed.layout import overlap_view

from ..explorer_pages import check_explorer, python_error


def expected(v: dict):
    view, error = python_error(overlap_view, v)
    if error:
        return None, error
    axis = cl.overlap_counts(view.kernel_size, view.stride, view.input_size)
    return {"size": len(axis), "axis": axis.tolist(), "counts": view.counts.tolist(),
            "uneven": view.uneven}, None


def config(rng):
    def size(hi):  # the slider's range, and now and then a value below it
        return rng.choice([0, -1]) if rng.random() < 0.05 else rng.randint(1, hi)
    return [("kernel_size", size(7)), ("stride", size(4)), ("input_size", size(5))]


def test_the_explorer_agrees_with_convlib(page, tmp_path):
    check_explorer(page, tmp_path, cl.widgets.overlap_explorer(), config, expected)
