"""The kernel-free explorers (convlib/web/explorers.js) against convlib, in Chromium.

For each explorer, 1,000 seeded random configurations are set through the controls (value
+ input event, every control, invalid combinations included). What the page shows (sizes,
window bounds or field bounds, the invalid message) must equal what convlib computes from
the same final control values, with the Python explorers' own compute functions."""
from __future__ import annotations

import random

import pytest

from convlib.receptive.stacks import build_stack
from convlib.receptive.fields import field_bounds, receptive_field
from convlib.transposed.layout import transposed_view
from convlib.widgets.receptive import _state as stack_state
from convlib.widgets.sizes import MODE_LABELS
from convlib.widgets.sizes import _state as feature_map_state

from .explorer_pages import DRIVER, served_page

N_CONFIGS = 1000


def python_error(compute, values) -> tuple[object, str | None]:
    """The Python explorer's (state, message): its compute, and its error text."""
    try:
        return compute(**values), None
    except ValueError as err:
        return None, " ".join([str(err), *getattr(err, "__notes__", [])])


def feature_map_expected(v):
    state, error = python_error(feature_map_state, v)
    if error:
        return None, error
    lay_h, lay_w, j = state
    th, tw = lay_h.taps(j[0]), lay_w.taps(j[1])
    return {"output": [lay_h.output_size, lay_w.output_size],
            "pads": [lay_h.pad_before, lay_h.pad_after, lay_w.pad_before, lay_w.pad_after],
            "cell": list(j), "window": [th[0], th[-1], tw[0], tw[-1]]}, None


def transposed_expected(v):
    view, error = python_error(transposed_view, v)
    if error:
        return None, error
    lay, j = view.lay_h, view.j
    th, tw = lay.taps(j[0]), lay.taps(j[1])
    return {"output": lay.output_size, "stretched": lay.extent, "cell": list(j),
            "window": [th[0], th[-1], tw[0], tw[-1]],
            "values_in_window": int(view.counts[j])}, None


def stack_expected(v):
    layers = [[v[f"{p}{n}"] for p in ("k", "s", "d", "pool")] for n in range(1, v["n_layers"] + 1)]
    try:
        table = receptive_field(build_stack(*zip(*layers), padding=v["padding"]), v["size"])
    except ValueError:  # the explorer's own message (its compute stops before autograd)
        return python_error(stack_state, v)
    row = table.rows[-1]
    unit = tuple(min(u, row.output_size - 1) for u in (v["unit_row"], v["unit_col"]))
    (fh, lh), (fw, lw) = field_bounds(table, unit)
    return {"output": row.output_size, "jump": row.jump, "size": row.size,
            "unit": list(unit), "bounds": [fh, lh, fw, lw]}, None


def feature_map_config(rng):
    return [("H", rng.randint(1, 12)), ("W", rng.randint(1, 12)), ("kH", rng.randint(1, 7)),
            ("kW", rng.randint(1, 7)), ("stride", rng.randint(1, 4)),
            ("padding", rng.randint(0, 3)), ("dilation", rng.randint(1, 3)),
            ("mode", rng.choice(list(MODE_LABELS.values()))), ("op", rng.choice(["conv", "pool"])),
            ("ceil_mode", rng.random() < 0.5), ("window", rng.randint(0, 143))]


def transposed_config(rng):
    return [("input_size", rng.randint(1, 6)), ("kernel_size", rng.randint(1, 5)),
            ("stride", rng.randint(1, 4)), ("padding", rng.randint(0, 4)),
            ("output_padding", rng.randint(0, 3)), ("dilation", rng.randint(1, 3)),
            ("cell", rng.randint(0, 500))]


def stack_config(rng):
    config = [("n_layers", rng.randint(1, 4)), ("size", rng.randint(4, 32)),
              ("padding", rng.choice(["none", "half"]))]
    for n in range(1, 5):
        config += [(f"k{n}", rng.randint(1, 7)), (f"s{n}", rng.randint(1, 3)),
                   (f"d{n}", rng.randint(1, 3)), (f"pool{n}", rng.random() < 0.3)]
    return config + [("unit_row", rng.randint(0, 32)), ("unit_col", rng.randint(0, 32))]


CASES = {"feature_map": (feature_map_config, feature_map_expected),
         "transposed": (transposed_config, transposed_expected),
         "receptive_field": (stack_config, stack_expected)}


@pytest.mark.parametrize("name", list(CASES))
def test_explorer_agrees_with_convlib_over_1000_configurations(page, tmp_path, name):
    make, expected = CASES[name]
    rng = random.Random(f"explorers-{name}")
    configs = [make(rng) for _ in range(N_CONFIGS)]
    with served_page(tmp_path) as url:
        page.goto(url)
        shown = page.evaluate(DRIVER, [name, configs])
    assert not page.log.errors and not page.log.external
    invalid = 0
    for config, got in zip(configs, shown):
        state, error = expected(got["values"])
        assert (got["state"], got["error"]) == (state, error), (config, got["values"])
        if error:
            invalid += 1
            assert got["message"] == f"⚠ Not a valid configuration: {error}"
    assert 0 < invalid < N_CONFIGS  # both kinds were met
