"""Chapter 04's gridding explorer (convlib/web/explorers/gridding.js) against
`convlib.dilated.layout.gridding_view`, in Chromium: the field size, the path counts along
an axis (the map is their outer product), how many pixels are read, the holes and the
share never read as the text prints it. Every slider position is valid; the invalid
messages are met through `compute` (no layer, a dilation or kernel of 0: convlib's)."""
from __future__ import annotations

import convlib as cl
from convlib.dilated.layout import gridding_view
from convlib.dilated.masks import gridding_mask

from ..explorer_pages import check_explorer, python_error


def view(layers, d1, d2, d3, d4, kernel_size):
    return gridding_view([d1, d2, d3, d4][:layers], kernel_size)


def expected(v: dict):
    g, error = python_error(view, v)
    if error:
        return None, error
    axis = gridding_mask(list(g.dilations), (g.kernel_size, 1))[:, 0]
    total = g.size ** 2
    return {"dilations": list(g.dilations), "size": g.size, "read": g.read,
            "holes": total - g.read, "never_read_pct": int(f"{g.unread_fraction:.0%}"[:-1]),
            "max_paths": int(g.counts.max()), "axis": axis.tolist()}, None


def config(rng):
    # 0 for a dilation or the kernel reaches the slider's minimum through the controls,
    # convlib's ValueError through compute
    ds = [("d1", rng.randint(0, 6)), ("d2", rng.randint(1, 6)), ("d3", rng.randint(1, 6)),
          ("d4", rng.randint(1, 6))]
    return [("layers", rng.choice([0, 1, 2, 3, 4, 4])), *ds,
            ("kernel_size", rng.choice([0, 2, 3, 4, 5]))]


def test_the_explorer_agrees_with_convlib(page, tmp_path):
    check_explorer(page, tmp_path, cl.widgets.gridding_explorer(), config, expected)
