"""Chapter 06's stack builder (convlib/web/explorers/receptive_field.js) against
`convlib.receptive.fields`, in Chromium: the last map's size, jump and field size, the
unit and its field's bounds on the input, and the invalid message."""
from __future__ import annotations

import convlib as cl
from convlib.receptive.fields import field_bounds, receptive_field
from convlib.receptive.stacks import build_stack
from convlib.widgets.receptive import builder_state

from ..explorer_pages import check_explorer, python_error


def expected(v: dict):
    layers = [[v[f"{p}{n}"] for p in ("k", "s", "d", "pool")] for n in range(1, v["n_layers"] + 1)]
    try:
        table = receptive_field(build_stack(*zip(*layers), padding=v["padding"]), v["size"])
    except ValueError:  # the builder's own message (its compute stops before autograd)
        return python_error(builder_state, v)
    row = table.rows[-1]
    unit = tuple(min(u, row.output_size - 1) for u in (v["unit_row"], v["unit_col"]))
    (fh, lh), (fw, lw) = field_bounds(table, unit)
    return {"output": row.output_size, "jump": row.jump, "size": row.size,
            "unit": list(unit), "bounds": [fh, lh, fw, lw]}, None


def config(rng):
    values = [("n_layers", rng.randint(1, 4)), ("size", rng.randint(4, 32)),
              ("padding", rng.choice(["none", "half"]))]
    for n in range(1, 5):
        values += [(f"k{n}", rng.randint(1, 7)), (f"s{n}", rng.randint(1, 3)),
                   (f"d{n}", rng.randint(1, 3)), (f"pool{n}", rng.random() < 0.3)]
    return values + [("unit_row", rng.randint(0, 32)), ("unit_col", rng.randint(0, 32))]


def test_the_builder_agrees_with_convlib(page, tmp_path):
    check_explorer(page, tmp_path, cl.widgets.receptive_field_explorer(), config, expected)
