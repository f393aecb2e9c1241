"""convlib.receptive.fields against PyTorch: syllabus facts, error paths, and hypothesis
stacks on which the analytic field equals the pixels that autograd reaches."""
from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

import convlib as cl
from ..torch_oracle import torch_shape
from convlib.receptive.layers import Layer

N = 200  # examples per property (each runs a forward and backward pass)


def pair(s):
    """A per-axis (H, W) tuple, non-square in general."""
    return st.tuples(s, s)


def axes(value):
    """A table value per axis: tuples stay, a scalar means the same on both axes."""
    return value if isinstance(value, tuple) else (value, value)


@st.composite
def stacks(draw, min_layers=2, max_layers=5):
    """Random conv / max-pool / avg-pool stacks as `Layer` specs (per-axis settings)."""
    layers = []
    for _ in range(draw(st.integers(min_layers, max_layers))):
        kind = draw(st.sampled_from(["conv", "conv", "max", "avg"]))
        k = draw(pair(st.integers(1, 5)))
        s = draw(pair(st.integers(1, 3)))
        p = tuple(draw(st.integers(0, ki // 2)) for ki in k)
        d = draw(pair(st.integers(1, 3))) if kind != "avg" else 1
        ceil = kind != "conv" and draw(st.booleans())
        layers.append(Layer(k, s, p, d, "conv" if kind == "conv" else "pool", ceil,
                            name=kind))
    return layers


def to_sequential(layers, channels=2):
    """The same stack as torch modules, with layers that keep the geometry in between."""
    mods, c = [], 1
    for spec in layers:
        if spec.kind == "conv":
            mods += [nn.Conv2d(c, channels, spec.kernel_size, spec.stride, spec.padding,
                               spec.dilation), nn.BatchNorm2d(channels), nn.ReLU()]
            c = channels
        elif spec.name == "avg":
            mods.append(nn.AvgPool2d(spec.kernel_size, spec.stride, spec.padding,
                                     ceil_mode=spec.ceil_mode))
        else:
            mods.append(nn.MaxPool2d(spec.kernel_size, spec.stride, spec.padding,
                                     spec.dilation, ceil_mode=spec.ceil_mode))
    return nn.Sequential(*mods, nn.Dropout(), nn.Identity())


def values(table):
    return [tuple(row)[1:] for row in table.rows]


def mask_bounds(mask):
    """(first, last) marked index per axis."""
    rows, cols = mask.any(1).nonzero()[0], mask.any(0).nonzero()[0]
    return (int(rows[0]), int(rows[-1])), (int(cols[0]), int(cols[-1]))


# ---------------------------------------------------------------- named cases

def test_stacked_3x3_convs_grow_3_5_7():
    assert [r.size for r in cl.receptive_field([3, 3, 3])] == [3, 5, 7]
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Conv2d(4, 4, 3), nn.Conv2d(4, 1, 3))
    assert [r.size for r in cl.receptive_field(model)] == [3, 5, 7]
    assert cl.empirical_receptive_field(model, 9).mask.sum() == 7 * 7


def test_dilated_3x3_grows_3_7_15_and_sees_k_eff():
    table = cl.receptive_field([Layer(3, dilation=d) for d in (1, 2, 4)])
    assert [r.size for r in table] == [3, 7, 15]
    assert [cl.receptive_field([Layer(3, dilation=d)]).size for d in (1, 2, 3)] == [3, 5, 7]
    assert cl.receptive_field_top_down([3, 3, 3], [1, 1, 1], dilations=[1, 2, 4]) == 15


def test_field_larger_than_the_image_is_reported():
    table = cl.receptive_field([Layer(3, padding=1)] * 5, input_size=4)
    assert (table.output_size, table.size, table.start) == (4, 11, 0)
    assert cl.field_bounds(table, 0) == (-5, 5)   # not clipped to [0, 3]
    assert cl.empirical_receptive_field([Layer(3, padding=1)] * 5, 4).mask.all()


def test_padding_moves_the_centre_not_the_size():
    plain, padded = cl.receptive_field([3, 3]), cl.receptive_field([(3, 1, 1, 1)] * 2)
    assert (plain.size, plain.start) == (padded.size, padded.start + 2) == (5, 2)


def test_even_kernel_centre_ends_in_half():
    table = cl.receptive_field([2, Layer(2, kind="pool")])
    assert [(r.size, r.start, r.jump) for r in table] == [(2, 0.5, 1), (3, 1, 2)]
    assert cl.field_bounds(table[0], 0) == (0, 1)


def test_same_padding_even_kernel_pads_after():
    table = cl.receptive_field(nn.Sequential(nn.Conv2d(1, 1, 4, padding="same")), 6)
    assert (table.output_size, table.size, table.start) == (6, 4, 0.5)
    assert mask_bounds(cl.empirical_receptive_field(
        nn.Sequential(nn.Conv2d(1, 1, 4, padding="same")), 6, unit=(3, 3)).mask) == ((2, 5),) * 2


def test_values_are_tuples_when_axes_differ():
    assert cl.receptive_field([3], 8).size == 3
    table = cl.receptive_field([Layer((3, 1), stride=(1, 2))], (8, 6))
    assert table.rows[0][1:] == ((6, 3), (1, 2), (3, 1), (1, 0))
    assert cl.receptive_field([3], (8, 9)).rows[0][1:] == ((6, 7), (1, 1), (3, 3), (1, 1))


def test_nested_sequential_and_names():
    model = nn.Sequential(nn.Sequential(nn.Conv2d(1, 2, 3), nn.GELU()), nn.MaxPool2d(2))
    assert [r.name for r in cl.receptive_field(model)] == ["0.0: Conv2d", "1: MaxPool2d"]
    assert cl.receptive_field(nn.Conv2d(1, 1, 5)).rows[0].name == "Conv2d"


def test_table_renders_as_text_and_html():
    table = cl.receptive_field([Layer(3, name="conv1"), Layer(2, kind="pool")], (9, 8))
    assert str(table) == repr(table) == (
        "layer    output  jump    size    start\n"
        "input    (9, 8)  (1, 1)  (1, 1)  (0, 0)\n"
        "conv1    (7, 6)  (1, 1)  (3, 3)  (1, 1)\n"
        "1: pool  (3, 3)  (2, 2)  (4, 4)  (1.5, 1.5)")
    assert str(cl.receptive_field([3])).splitlines()[-1] == "0: conv  -       1     3     1"
    page = table._repr_html_()
    assert page.startswith("<table>") and page.count("<tr>") == 4 and "<td>conv1</td>" in page


def test_dict_and_tuple_specs_agree():
    assert values(cl.receptive_field([{"kernel_size": 3, "stride": 2}, (3, 1, 1, 2)], 20)) == \
        values(cl.receptive_field([Layer(3, 2), Layer(3, 1, 1, 2)], 20))


def test_effective_receptive_field_is_concentrated_in_the_centre():
    torch.manual_seed(0)
    convs = [nn.Conv2d(1 if n == 0 else 8, 8, 3, padding=1) for n in range(6)]
    model = nn.Sequential(*[m for conv in convs for m in (conv, nn.ReLU())])
    erf = cl.effective_receptive_field(model, (31, 31), seed=0)
    theory = cl.empirical_receptive_field(model, (31, 31))
    assert erf.unit == theory.unit == (15, 15)
    assert not (erf.mask & ~theory.mask).any()          # inside the analytic 13 x 13 field
    assert mask_bounds(theory.mask) == ((9, 21), (9, 21))
    centre = erf.grad[12:19, 12:19].sum() / erf.grad.sum()
    assert centre > 1.5 * (7 * 7) / (13 * 13)           # far more than its share of area


# ---------------------------------------------------------------- error paths

@pytest.mark.parametrize("call, name", [
    (lambda: cl.receptive_field([]), "layers"),
    (lambda: cl.receptive_field([(3, 3)]), "layers"),
    (lambda: cl.receptive_field(["conv"]), "layers"),
    (lambda: cl.receptive_field([{"kernel": 3}]), "layers"),
    (lambda: cl.receptive_field("conv"), "layers"),
    (lambda: cl.receptive_field(nn.Sequential(nn.Conv2d(1, 1, 3), nn.Flatten())), "1: Flatten"),
    (lambda: cl.receptive_field(nn.Sequential(nn.Conv1d(1, 1, 3))), "0: Conv1d"),
    (lambda: cl.receptive_field([Layer(3, kind="dense")]), "kind"),
    (lambda: cl.receptive_field([Layer(0)]), "kernel_size"),
    (lambda: cl.receptive_field([Layer(3, stride=0)]), "stride"),
    (lambda: cl.receptive_field([Layer(3, padding=-1)]), "padding"),
    (lambda: cl.receptive_field([Layer(3, padding="full")]), "padding"),
    (lambda: cl.receptive_field([Layer(3, padding="same", kind="pool")]), "padding"),
    (lambda: cl.receptive_field([Layer(3, stride=2, padding="same")]), "padding"),
    (lambda: cl.receptive_field([Layer(3, padding=2, kind="pool")]), "padding"),
    (lambda: cl.receptive_field([Layer(3, dilation=0)]), "dilation"),
    (lambda: cl.receptive_field([Layer(3, kind="pool", ceil_mode=1)]), "ceil_mode"),
    (lambda: cl.receptive_field([Layer((3, 3, 3))]), "kernel_size"),
    (lambda: cl.receptive_field([3], 0), "input_size"),
    (lambda: cl.receptive_field([3], (5, 5, 5)), "input_size"),
    (lambda: cl.receptive_field([3, 3], 4), "kernel_size"),
    (lambda: cl.receptive_field_top_down([], []), "kernel_sizes"),
    (lambda: cl.receptive_field_top_down([3, 3], [1]), "strides"),
    (lambda: cl.receptive_field_top_down([3], [1], dilations=[1, 1]), "dilations"),
    (lambda: cl.receptive_field_top_down([0], [1]), "kernel_sizes"),
    (lambda: cl.receptive_field_top_down([3], [0]), "strides"),
    (lambda: cl.receptive_field_top_down([3], [1], [0]), "dilations"),
    (lambda: cl.receptive_field_top_down([(3, 3)], [(1, 1, 1)]), "strides"),
    (lambda: cl.field_bounds(3), "table_or_row"),
    (lambda: cl.field_bounds(cl.receptive_field([3]), -1), "unit"),
    (lambda: cl.field_bounds(cl.receptive_field([3]), (1, 2, 3)), "unit"),
    (lambda: cl.field_bounds(cl.receptive_field([3], 5), 3), "unit"),
    (lambda: cl.empirical_receptive_field([3], 5, unit=(3, 0)), "unit"),
    (lambda: cl.empirical_receptive_field([3], 5, unit=(1, 2, 3)), "unit"),
    (lambda: cl.empirical_receptive_field([3], 0), "input_size"),
    (lambda: cl.empirical_receptive_field([5], 4), "kernel_size"),
    (lambda: cl.effective_receptive_field([3], 5), "model"),
    (lambda: cl.effective_receptive_field(nn.Conv2d(1, 1, 3), 5, n_inputs=0), "n_inputs"),
])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_shape_errors_note_the_layer():
    with pytest.raises(ValueError, match="kernel_size") as info:
        cl.receptive_field([3, Layer(5, name="big")], 6)
    assert info.value.__notes__ == ["in layer 'big'"]


# ----------------------------------------------------- hypothesis vs torch

@settings(max_examples=N)
@given(layers=stacks(), extra=pair(st.integers(0, 1)), margin=pair(st.integers(0, 2)))
def test_analytic_field_is_the_empirical_bounding_box(layers, extra, margin):
    """Pick a unit whose field lies inside the input: autograd reaches exactly it."""
    free = cl.receptive_field(layers)
    unit, size = [], []
    for j, r, start, e, m in zip(axes(free.jump), axes(free.size), axes(free.start), extra,
                                 margin):
        before = int((r - 1) / 2 - start)          # sum of p_l j_{l-1}: left padding reach
        u = -(-before // j) + e                    # first unit whose field starts at >= 0
        unit.append(u)
        size.append(u * j - before + r + m)        # last pixel of the field + 1 + margin
    model = to_sequential(layers)
    table = cl.receptive_field(model, tuple(size))
    expected = cl.field_bounds(table, tuple(unit))
    assert all(0 <= first <= last < n for (first, last), n in zip(expected, size))
    field = cl.empirical_receptive_field(model, tuple(size), unit=tuple(unit))
    assert mask_bounds(field.mask) == expected
    assert tuple(r - 1 for r in axes(table.size)) == tuple(b - a for a, b in expected)
    assert receptive_top_down(layers) == axes(table.size)


def receptive_top_down(layers):
    return tuple(cl.receptive_field_top_down(
        [axes(spec.kernel_size)[a] for spec in layers], [axes(spec.stride)[a] for spec in layers],
        [axes(spec.dilation)[a] for spec in layers]) for a in (0, 1))


@settings(max_examples=N)
@given(layers=stacks(1, 4), size=pair(st.integers(1, 40)))
def test_specs_and_sequential_agree_with_torch_shapes(layers, size):
    """Both forms give the same rows, and raise ValueError exactly where torch refuses."""
    model = to_sequential(layers)
    expected = torch_shape(model.eval(), torch.zeros(1, 1, *size))
    try:
        from_specs, from_model = cl.receptive_field(layers, size), cl.receptive_field(model, size)
    except ValueError:
        assert expected is None
        return
    assert values(from_specs) == values(from_model)
    assert axes(from_model.output_size) == expected[2:]


class TorchRelu(nn.Module):
    def forward(self, x):
        return torch.relu(x)


@pytest.mark.parametrize("module", [nn.ReLU(), nn.Identity(), nn.BatchNorm2d(3),
                                    nn.Sequential(nn.BatchNorm2d(3), nn.ReLU(), nn.Dropout())])
def test_a_module_that_keeps_the_geometry_sees_one_pixel(module):
    table = cl.receptive_field(module, (3, 8, 8))
    traced = cl.receptive_field(TorchRelu(), (3, 8, 8))            # the graph tracer agrees
    assert (table.size, table.jump, table.output_size) == (traced.size, traced.jump, 8) == (1, 1, 8)
    measured = cl.empirical_receptive_field(nn.Sequential(nn.Identity()), (8, 8), unit=(3, 5))
    assert cl.field_bounds(table, (3, 5)) == ((3, 3), (5, 5)) == cl.mask_bounds(measured.mask)
    assert cl.receptive_field(module).size == 1                     # no input size needed


def test_an_empty_list_of_layers_is_still_refused():
    with pytest.raises(ValueError, match="layers"):
        cl.receptive_field([])
