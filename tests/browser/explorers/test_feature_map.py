"""Chapter 02's feature-map explorer (convlib/web/explorers/feature_map.js) against
`convlib.sizes.windows.feature_map_view`, in Chromium: output size, padding on each side,
the output cell and its window, and the invalid message."""
from __future__ import annotations

import convlib as cl
from convlib.sizes.windows import MODES, feature_map_view, formula_text

from ..explorer_pages import check_explorer, python_error


def expected(v: dict):
    view, error = python_error(feature_map_view, v)
    if error:
        return None, error
    lay_h, lay_w, j = view
    th, tw = lay_h.taps(j[0]), lay_w.taps(j[1])
    return {"output": [lay_h.output_size, lay_w.output_size],
            "pads": [lay_h.pad_before, lay_h.pad_after, lay_w.pad_before, lay_w.pad_after],
            "cell": list(j), "window": [th[0], th[-1], tw[0], tw[-1]]}, None


def expected_text(v: dict) -> str:
    lay_h, lay_w, _ = feature_map_view(**v)
    return f"{formula_text(lay_h, 'H')}\n{formula_text(lay_w, 'W')}"


def config(rng):
    return [("H", rng.randint(1, 12)), ("W", rng.randint(1, 12)), ("kH", rng.randint(1, 7)),
            ("kW", rng.randint(1, 7)), ("stride", rng.randint(1, 4)),
            ("padding", rng.randint(0, 3)), ("dilation", rng.randint(1, 3)),
            ("mode", rng.choice(list(MODES))), ("op", rng.choice(["conv", "pool"])),
            ("ceil_mode", rng.random() < 0.5), ("window", rng.randint(0, 143))]


def test_the_explorer_agrees_with_convlib(page, tmp_path):
    check_explorer(page, tmp_path, cl.widgets.feature_map_explorer(), config, expected,
                   expected_text=expected_text)
