"""The stack builder's arithmetic (`convlib.widgets.receptive.builder_state`, what the browser
builder is checked against) over every control's range and a dense random grid: invalid stacks
raise the message naming the layer, valid ones agree with torch's output shape and with the
pixels torch's autograd reaches. The builder itself is a browser widget whose traits drive it."""
from __future__ import annotations

import random

import numpy as np
import pytest
import torch
from torch import nn

import convlib as cl
from convlib.widgets.receptive import MAX_LAYERS, _stack_controls, builder_state, layer_controls

#: The browser builder's controls and their ranges (convlib/web/explorers/receptive_field.js).
RANGES = {"n_layers": range(1, MAX_LAYERS + 1), "size": range(4, 33), "padding": ("none", "half"),
          "unit_row": range(0, 33), "unit_col": range(0, 33)}
for _n in range(1, MAX_LAYERS + 1):
    RANGES.update(dict(zip(layer_controls(_n), (range(1, 8), range(1, 4), range(1, 4), (False, True)))))


def defaults() -> dict:
    """The builder's starting values (those `receptive_field_explorer()` shows)."""
    return _stack_controls((3, 3, 3), (1, 2, 1), (1, 1, 2), (False,) * 3, 16, "half", None)


def random_values(rng: random.Random) -> dict:
    return {name: rng.choice(list(values)) for name, values in RANGES.items()}


def torch_layers(v: dict, ones: bool = False) -> list[nn.Module]:
    """The builder's stack built straight from its control values (not via convlib).
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


def assert_consistent(v: dict, check_mask: bool = False) -> None:
    o = torch_output_size(v)
    if o is None:
        with pytest.raises(ValueError, match=r"in layer '(conv|pool)\d'"):
            builder_state(**v)
        return
    state = builder_state(**v)
    assert state.table.output_size == o
    assert state.unit == (min(v["unit_row"], o - 1), min(v["unit_col"], o - 1))
    assert max(state.unit) < o
    for n in range(v["n_layers"] + 1, MAX_LAYERS + 1):   # layers that are off change nothing
        changed = dict(v, **{f"k{n}": 7 if v[f"k{n}"] != 7 else 1, f"pool{n}": not v[f"pool{n}"]})
        assert builder_state(**changed).bounds == state.bounds
    if check_mask:
        mask = torch_mask(v, state.unit)
        assert np.array_equal(state.field.mask, mask)
        if not mask.any():   # every tap of a dilated layer on padding: nothing reaches the unit
            assert not cl.field_inside(state.bounds, v["size"])
        elif cl.field_inside(state.bounds, v["size"]):
            assert cl.mask_bounds(mask) == state.bounds
        else:
            clipped = cl.clip_bounds(state.bounds, v["size"])
            assert all(c0 <= m0 and m1 <= c1
                       for (m0, m1), (c0, c1) in zip(cl.mask_bounds(mask), clipped))


def test_every_control_over_its_range():
    v = dict(defaults(), n_layers=MAX_LAYERS)
    for name, values in RANGES.items():
        for value in values:                  # the unit: past the last map too (clamped)
            assert_consistent(dict(v, **{name: value}))


def test_dense_random_grid():
    rng = random.Random(0)
    invalid = 0
    for i in range(1000):
        v = random_values(rng)
        assert_consistent(v, check_mask=i % 10 == 0)
        invalid += torch_output_size(v) is None
    assert 0 < invalid < 1000    # the grid reaches both kinds of stacks


def test_the_field_box_agrees_with_torch_on_named_stacks():
    cases = [dict(n_layers=1, k1=3, s1=1, d1=1, pool1=False, size=8),
             dict(n_layers=2, k1=3, s1=2, d1=1, pool1=True, k2=3, s2=1, d2=2, pool2=False,
                  size=32, padding="none"),
             dict(n_layers=4, k1=7, s1=2, k2=3, s2=2, k3=3, s3=2, k4=3, s4=2, size=32,
                  padding="half"),                  # field larger than the image
             dict(n_layers=3, k1=2, s1=1, d1=1, pool1=False, k2=4, s2=1, d2=3, pool2=False,
                  k3=1, s3=1, d3=1, pool3=True, size=17)]
    for case in cases:
        v = dict(defaults(), **case)
        assert_consistent(v, check_mask=True)
        right = dict(v, unit_row=0, unit_col=32)   # past the map: the right edge
        state = builder_state(**right)
        assert state.unit == (0, state.table.output_size - 1)
        assert_consistent(right, check_mask=True)


def test_a_shrinking_map_pulls_the_unit_back():
    v = dict(defaults(), size=32, unit_col=15)        # the last unit of the 16-wide map
    assert builder_state(**v).unit[1] == 15
    small = dict(v, size=10)                            # the map shrinks to 5
    state = builder_state(**small)
    assert state.unit[1] == state.table.output_size - 1 == 4
    assert_consistent(small, check_mask=True)


def test_a_unit_no_pixel_reaches():
    """A dilated last layer on a 1x1 map whose taps all fall on padding: torch's gradient
    is zero everywhere, and the state says so instead of failing."""
    v = dict(defaults(), n_layers=3, size=4, padding="half", k1=1, s1=1, d1=1, pool1=True,
             k2=1, s2=1, d2=1, pool2=True, k3=2, s3=1, d3=2, pool3=False)
    state = builder_state(**v)
    assert state.table.output_size == 1 and not state.field.mask.any()
    assert_consistent(v, check_mask=True)


def test_invalid_stack_raises_the_message_and_recovers():
    v = dict(defaults(), padding="none", size=4)
    with pytest.raises(ValueError, match="conv") as err:
        builder_state(**v)
    assert "Traceback" not in str(err.value)
    fixed = dict(v, size=32)
    assert builder_state(**fixed).table.output_size == torch_output_size(fixed)


def test_the_explorer_is_a_widget_its_traits_drive():
    ex = cl.widgets.receptive_field_explorer()
    assert ex.values == defaults()
    assert builder_state(**ex.values).unit == (ex.unit_row, ex.unit_col) == (4, 4)
    ex.k1 = 5
    assert ex.k1 == 5 and ex.values["k1"] == 5
    ex.pool2 = True
    assert ex.values["pool2"] is True
    data, _ = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data    # alive in JupyterLab
    assert 'data-explorer-static="receptive_field"' in data["text/html"]  # and without a kernel


def test_explorer_arguments_are_checked():
    with pytest.raises(ValueError, match="`kernel_sizes`"):
        cl.widgets.receptive_field_explorer(kernel_sizes=(3,) * (MAX_LAYERS + 1))
    with pytest.raises(ValueError, match="`padding`"):
        cl.widgets.receptive_field_explorer(padding="same")
