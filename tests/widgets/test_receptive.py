"""The stack builder driven headlessly: every control over its range and a dense random grid;
no exception escapes, invalid stacks show the message, valid ones agree with torch's output
shape and with the pixels torch's autograd reaches."""
from __future__ import annotations

import random

import numpy as np
import torch
from torch import nn

import convlib as cl
from .sweep import randomize
from convlib.widgets.receptive import MAX_LAYERS, layer_controls

PNG_MAGIC = b"\x89PNG"


def torch_layers(v: dict, ones: bool = False) -> list[nn.Module]:
    """The explorer's stack built straight from its control values (not via convlib).
    ``ones``: weights 1, no bias, average instead of max pools (every path counts)."""
    mods = []
    for n in range(1, v["n_layers"] + 1):
        k, s, d, pool = (v[name] for name in layer_controls(n))
        p = d * (k - 1) // 2 if v["padding"] == "half" else 0
        conv = nn.Conv2d(1, 1, k, s, p, d, bias=not ones).double()
        if ones:
            nn.init.ones_(conv.weight)
        mods.append(conv)
        if pool:
            mods.append(nn.AvgPool2d(2) if ones else nn.MaxPool2d(2))
    return mods


def torch_output_size(v: dict) -> int | None:
    x = torch.zeros(1, 1, v["size"], v["size"], dtype=torch.float64)
    try:
        return nn.Sequential(*torch_layers(v))(x).shape[-1]
    except RuntimeError:   # torch refuses: a map became smaller than a kernel
        return None


def torch_mask(v: dict, unit: tuple[int, int]) -> np.ndarray:
    x = torch.ones(1, 1, v["size"], v["size"], dtype=torch.float64, requires_grad=True)
    nn.Sequential(*torch_layers(v, ones=True))(x)[0, 0, unit[0], unit[1]].backward()
    return (x.grad[0, 0] != 0).numpy()


def assert_consistent(ex, check_mask: bool = False) -> None:
    v = ex.values
    o = torch_output_size(v)
    if o is None:
        assert ex.state is None and ex.error
        assert "Not a valid configuration" in ex.message.value and "in layer '" in ex.error
        return
    assert ex.error is None, ex.error
    state = ex.state
    assert state.table.output_size == o
    assert state.unit == (v["unit_row"], v["unit_col"]) and max(state.unit) < o
    assert ex.controls["unit_row"].max == ex.controls["unit_col"].max == o - 1
    for n in range(1, MAX_LAYERS + 1):
        assert all(ex.controls[c].disabled == (n > v["n_layers"]) for c in layer_controls(n))
    assert f"size {state.table.size}" in ex.message.value
    if check_mask:
        mask = torch_mask(v, state.unit)
        assert np.array_equal(state.field.mask, mask)
        if not mask.any():   # every tap of a dilated layer on padding: nothing reaches the unit
            assert not cl.field_inside(state.bounds, v["size"]) and "no input pixel" in ex.message.value
        elif cl.field_inside(state.bounds, v["size"]):
            assert cl.mask_bounds(mask) == state.bounds
        else:
            clipped = cl.clip_bounds(state.bounds, v["size"])
            assert all(c0 <= m0 and m1 <= c1
                       for (m0, m1), (c0, c1) in zip(cl.mask_bounds(mask), clipped))


def test_every_control_over_its_range():
    ex = cl.widgets.receptive_field_explorer(render=False)
    ex.controls["n_layers"].value = MAX_LAYERS
    for name, w in ex.controls.items():
        start = w.value
        values = ([o[1] for o in w.options] if hasattr(w, "options") else [False, True]
                  if isinstance(w.value, bool) else range(w.min, 33))   # unit: past the max
        for value in values:
            w.value = min(value, w.max) if hasattr(w, "max") else value
            assert_consistent(ex)
        w.value = start


def test_dense_random_grid_never_raises():
    ex = cl.widgets.receptive_field_explorer(render=False)
    rng = random.Random(0)
    invalid = 0
    for i in range(1000):
        randomize(ex, rng)
        assert_consistent(ex, check_mask=i % 10 == 0)
        invalid += ex.error is not None
    assert 0 < invalid < 1000    # the grid reaches both kinds of stacks


def test_random_grid_with_rendering():
    ex = cl.widgets.receptive_field_explorer()
    rng = random.Random(1)
    for _ in range(15):
        randomize(ex, rng)
        assert_consistent(ex)
        if ex.error is None:
            assert bytes(ex.image.value) == ex.png and ex.png.startswith(PNG_MAGIC)


def test_the_field_box_agrees_with_torch_on_named_stacks():
    ex = cl.widgets.receptive_field_explorer(render=False)
    cases = [dict(n_layers=1, k1=3, s1=1, d1=1, pool1=False, size=8),
             dict(n_layers=2, k1=3, s1=2, d1=1, pool1=True, k2=3, s2=1, d2=2, pool2=False,
                  size=32, padding="none"),
             dict(n_layers=4, k1=7, s1=2, k2=3, s2=2, k3=3, s3=2, k4=3, s4=2, size=32,
                  padding="half"),                  # field larger than the image
             dict(n_layers=3, k1=2, s1=1, d1=1, pool1=False, k2=4, s2=1, d2=3, pool2=False,
                  k3=1, s3=1, d3=1, pool3=True, size=17)]
    for case in cases:
        with ex.hold():
            for name, value in case.items():
                ex.controls[name].value = value
        assert_consistent(ex, check_mask=True)
        with ex.hold():   # the unit sliders now span the new map: pick its right edge
            ex.controls["unit_row"].value = 0
            ex.controls["unit_col"].value = ex.controls["unit_col"].max
        assert ex.state.unit == (0, ex.state.table.output_size - 1)
        assert_consistent(ex, check_mask=True)


def test_a_shrinking_map_pulls_the_unit_back():
    ex = cl.widgets.receptive_field_explorer(size=32, render=False)
    ex.controls["unit_col"].value = ex.controls["unit_col"].max      # 15 on the 16-wide map
    ex.controls["size"].value = 10                                   # the map shrinks to 5
    assert ex.state.unit[1] == ex.state.table.output_size - 1 == ex.controls["unit_col"].value
    assert_consistent(ex, check_mask=True)


def test_a_unit_no_pixel_reaches():
    """A dilated last layer on a 1x1 map whose taps all fall on padding: torch's gradient
    is zero everywhere, and the explorer says so instead of failing."""
    ex = cl.widgets.receptive_field_explorer(render=False)
    case = dict(n_layers=3, size=4, padding="half", k1=1, s1=1, d1=1, pool1=True,
                k2=1, s2=1, d2=1, pool2=True, k3=2, s3=1, d3=2, pool3=False)
    with ex.hold():
        for name, value in case.items():
            ex.controls[name].value = value
    assert ex.state.table.output_size == 1 and not ex.state.field.mask.any()
    assert_consistent(ex, check_mask=True)


def test_invalid_stack_shows_the_message_and_recovers():
    ex = cl.widgets.receptive_field_explorer(render=False)
    with ex.hold():
        ex.controls["padding"].value = "none"
        ex.controls["size"].value = 4
    assert ex.state is None and "Not a valid configuration" in ex.message.value
    assert "conv" in ex.message.value and "Traceback" not in ex.message.value
    ex.controls["size"].value = 32
    assert ex.error is None and ex.state.table.output_size == torch_output_size(ex.values)


def test_rendering_updates_the_image_in_place():
    ex = cl.widgets.receptive_field_explorer()
    fig, first = ex.fig, bytes(ex.image.value)
    assert first.startswith(PNG_MAGIC)
    ex.controls["d3"].value = 3
    assert ex.fig is fig and bytes(ex.image.value) != first
    ex.controls["unit_col"].value = 0
    assert "unit (4, 0)" in ex.message.value
    bundle = ex._repr_mimebundle_()
    assert bundle["text/plain"].startswith("ReceptiveFieldExplorer(n_layers=3")
    assert "image/png" in bundle and "application/vnd.jupyter.widget-view+json" in bundle
