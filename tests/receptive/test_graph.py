"""convlib.receptive.graph (with field_maps and receptive_ops): the receptive field of
any nn.Module against autograd. Weights are positive, so the input gradient of one
output unit is non-zero exactly on the pixels the unit depends on; its bounding box is
compared with `field_bounds` on random non-sequential programs and on named blocks."""
from __future__ import annotations

from fractions import Fraction

import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

import convlib as cl
from .programs import ProgramNet, centre_crop, positive_, programs

N = 300   # random programs per run (each: one trace, a few backward passes)


def gradient_box(model, size, unit, channels=1):
    """Per-axis (first, last) input pixel with a non-zero gradient (None: no pixel)."""
    x = torch.ones(1, channels, *size, dtype=torch.float64, requires_grad=True)
    y = model(x)
    y[0, :, unit[0], unit[1]].sum().backward()
    mask = (x.grad[0].abs().sum(0) > 0).numpy()
    if not mask.any():
        return None
    rows, cols = mask.any(1).nonzero()[0], mask.any(0).nonzero()[0]
    return (int(rows[0]), int(rows[-1])), (int(cols[0]), int(cols[-1]))


def inside(v, n):
    return 0 <= v <= n - 1


def assert_matches(analytic, measured, size):
    """Autograd's box lies in the analytic one; an analytic extreme inside the image is
    exact when the other axis' field lies inside the image (a dilated kernel may skip
    the image near its border, and a field may reach the image only through padding)."""
    if analytic is None:
        assert measured is None
        return
    if measured is None:   # no image pixel: the field reaches into padding somewhere
        assert not all(inside(lo, n) and inside(hi, n) for (lo, hi), n in zip(analytic, size))
        return
    for a, ((lo, hi), (first, last), n) in enumerate(zip(analytic, measured, size)):
        assert lo <= first <= last <= hi
        (olo, ohi), on = analytic[1 - a], size[1 - a]
        if inside(olo, on) and inside(ohi, on):
            assert first == lo if inside(lo, n) else True
            assert last == hi if inside(hi, n) else True


def check_units(model, grad_model, size, units, channels=1):
    table = cl.receptive_field(model, (channels, *size))
    for unit in units:
        assert_matches(cl.field_bounds(table, unit),
                       gradient_box(grad_model, size, unit, channels), size)
    return table


def spread_units(out_hw, count=6):
    """Corners, the centre and a few between: the units checked on each model."""
    h, w = out_hw
    picks = {(0, 0), (h - 1, w - 1), (0, w - 1), (h - 1, 0), (h // 2, w // 2)}
    picks |= {((i * 7) % h, (i * 5) % w) for i in range(count)}
    return sorted(picks)


# ----------------------------------------------------- hypothesis vs autograd

@settings(max_examples=N, suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.filter_too_much])
@given(prog=programs())
def test_random_programs_match_autograd(prog):
    program, size = prog
    model = positive_(ProgramNet(program))
    grad_model = positive_(ProgramNet(program, for_grad=True))
    with torch.no_grad():
        out_hw = tuple(model(torch.ones(1, 1, *size, dtype=torch.float64)).shape[-2:])
    try:
        table = cl.receptive_field(model, (1, *size))
    except ValueError as err:   # the one refusal a program can meet
        assert "see nothing at different places" in str(err)
        return
    assert tuple(table.output_size if isinstance(table.output_size, tuple)
                 else (table.output_size,) * 2) == out_hw
    for unit in spread_units(out_hw):
        assert_matches(cl.field_bounds(table, unit), gradient_box(grad_model, size, unit),
                       size)


@settings(max_examples=50)
@given(k=st.integers(1, 5), s=st.integers(1, 3), p=st.integers(0, 2), d=st.integers(1, 3),
       n=st.integers(8, 20), depth=st.integers(1, 3))
def test_plain_chains_agree_with_the_sequential_formulas(k, s, p, d, n, depth):
    """On a chain, the traced table has the classic jump, size and start."""
    layers = [nn.Conv2d(1, 1, k, s if i == 0 else 1, p, d) for i in range(depth)]
    try:
        classic = cl.receptive_field(nn.Sequential(*layers), n)
    except ValueError:
        return

    class Wrapped(nn.Module):   # not a Sequential: goes through the tracer
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(*layers)

        def forward(self, x):
            return self.body(x)
    traced = cl.receptive_field(Wrapped(), n)
    for old, new in zip(classic.rows, traced.rows):
        assert (old.output_size, old.jump, old.size, old.start) == \
            (new.output_size, new.jump, new.size, new.start)
    units = range(traced.output_size)
    if all(r.uniform for r in traced.rows):
        assert [cl.field_bounds(traced, u) for u in units] == \
            [cl.field_bounds(classic, u) for u in units]


# ---------------------------------------------------------------- named cases

class BasicBlock(nn.Module):
    """ResNet basic block with a strided 1x1 downsample on the shortcut."""
    def __init__(self, c_in=1, c=2, stride=2):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        self.conv2 = nn.Conv2d(c, c, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c)
        self.downsample = nn.Sequential(nn.Conv2d(c_in, c, 1, stride, bias=False),
                                        nn.BatchNorm2d(c))

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += self.downsample(x)
        return torch.relu(out)


def test_resnet_basic_block():
    model = positive_(nn.Sequential(nn.Conv2d(1, 1, 7, 2, 3), BasicBlock()))
    table = check_units(model, model, (20, 20), [(0, 0), (2, 3), (4, 4)])
    names = [r.name for r in table.rows]
    assert names == ["0", "1.conv1", "1.conv2", "1.downsample.0", "1.add"]
    join = table.rows[-1]
    assert (join.op, join.size, join.jump, join.start) == ("add", 19, 4, 0)
    assert join.centre_offset == 0 and join.uniform and not join.is_global
    assert cl.field_bounds(table, 1) == (-5, 13)


class UNetBlock(nn.Module):
    """Valid convs, a 2x2 max pool, a 2x2 up-convolution and crop-and-copy."""
    def __init__(self, c=2):
        super().__init__()
        self.down = nn.Sequential(nn.Conv2d(1, c, 3), nn.ReLU(), nn.Conv2d(c, c, 3), nn.ReLU())
        self.pool = nn.MaxPool2d(2)
        self.bottom = nn.Sequential(nn.Conv2d(c, c, 3), nn.ReLU())
        self.up = nn.ConvTranspose2d(c, c, 2, 2)
        self.out = nn.Conv2d(2 * c, 1, 3)

    def forward(self, x):
        skip = self.down(x)
        y = self.up(self.bottom(self.pool(skip)))
        return self.out(torch.cat([centre_crop(skip, *y.shape[-2:]), y], 1))


class UNetForGrad(UNetBlock):
    def forward(self, x):   # the max pool as an average of the same window
        skip = self.down(x)
        y = self.up(self.bottom(F.avg_pool2d(skip, 2)))
        return self.out(torch.cat([centre_crop(skip, *y.shape[-2:]), y], 1))


def test_unet_block_with_centre_crop():
    model, grad = positive_(UNetBlock()), positive_(UNetForGrad())
    table = check_units(model, grad, (16, 16), [(0, 0), (1, 2), (3, 3)])
    ops = [r.op for r in table.rows]
    assert ops == ["conv", "conv", "max_pool", "conv", "conv_transpose", "slice", "cat",
                   "conv"]
    up = table.rows[4]
    assert up.jump == Fraction(1) and not up.uniform     # 2 x 2 up-conv: fields alternate
    assert table.rows[-2].centre_offset == Fraction(1, 2)   # branches disagree on the centre
    assert "centres differ" in table.rows[-2].note
    assert table.size == 12   # 10 at the bottom conv, + 2 bottom units under a 3x3


class Inception(nn.Module):
    def __init__(self):
        super().__init__()
        self.b1 = nn.Conv2d(1, 1, 1)
        self.b3 = nn.Sequential(nn.Conv2d(1, 1, 1), nn.Conv2d(1, 1, 3, padding=1))
        self.b5 = nn.Sequential(nn.Conv2d(1, 1, 1), nn.Conv2d(1, 1, 5, padding=2))
        self.pool = nn.Sequential(nn.MaxPool2d(3, 1, 1), nn.Conv2d(1, 1, 1))

    def forward(self, x, pool=None):
        p = self.pool(x) if pool is None else self.pool[1](pool(x))
        return torch.cat([self.b1(x), self.b3(x), self.b5(x), p], 1)


def test_inception_concat_is_the_union():
    model = positive_(Inception())
    grad = positive_(Inception())
    grad.forward = lambda x: Inception.forward(grad, x, lambda t: F.avg_pool2d(t, 3, 1, 1))
    table = check_units(model, grad, (9, 9), [(0, 0), (4, 4), (8, 3)])
    cat = table.rows[-1]
    assert (cat.name, cat.op, cat.size, cat.centre_offset) == ("cat", "cat", 5, 0)
    assert cl.field_bounds(table, 4) == (2, 6)


def test_global_pool_and_linear_head():
    class Head(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 2, 3, 2)
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(2, 3)

        def forward(self, x):
            return self.fc(torch.flatten(self.pool(self.conv(x)), 1))
    model = positive_(Head())
    table = cl.receptive_field(model, (1, 11, 9))
    assert [(r.name, r.is_global) for r in table.rows] == [
        ("conv", False), ("pool", True), ("fc", True)]
    assert table.is_global and "global" in str(table) and table.rows[-1].jump == (None, None)
    assert cl.field_bounds(table, (0, 0)) == ((0, 10), (0, 8))
    x = torch.ones(1, 1, 11, 9, dtype=torch.float64, requires_grad=True)
    model(x)[0, 1].backward()
    assert (x.grad != 0).all()        # every pixel reaches the logit


def test_upsampling_fields_vary_by_unit():
    up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
    model = positive_(nn.Sequential(nn.Conv2d(1, 1, 3), up, nn.Conv2d(1, 1, 1)))
    table = check_units(model, model, (8, 8), [(u, u) for u in range(12)])
    row = table.rows[1]
    assert (row.op, row.jump, row.uniform, row.output_size) == ("interpolate",
                                                                Fraction(1, 2), False, 12)
    assert cl.field_bounds(row, 0) == (0, 2) and cl.field_bounds(row, 11) == (5, 7)


def test_transposed_holes_see_nothing():
    model = positive_(nn.Sequential(nn.ConvTranspose2d(1, 1, 1, stride=3)))
    table = cl.receptive_field(model, 4)
    assert cl.field_bounds(table, (3, 3)) == ((1, 1), (1, 1))
    assert cl.field_bounds(table, (1, 3)) is None
    assert gradient_box(model, (4, 4), (1, 3)) is None


def test_sequential_with_other_layers_is_traced():
    model = nn.Sequential(nn.Conv2d(1, 1, 3), nn.Upsample(scale_factor=2), nn.Flatten())
    table = cl.receptive_field(model, 8)
    assert [r.op for r in table.rows] == ["conv", "interpolate", "flatten"]
    assert table.rows[-1].is_global


def test_forward_that_reads_values_gets_a_real_pass():
    class Gate(nn.Module):   # data-dependent control flow: meta tensors cannot run it
        def __init__(self):
            super().__init__()
            self.conv, self.other = nn.Conv2d(1, 1, 3), nn.Conv2d(1, 1, 5)

        def forward(self, x):
            return self.conv(x) if x.sum() >= 0 else self.other(x)
    table = cl.receptive_field(Gate(), 9)
    assert [(r.name, r.size) for r in table.rows] == [("conv", 3)]


def test_sub_and_mul_joins_and_the_text_forms():
    class Joins(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = nn.Conv2d(1, 1, 3, padding=1), nn.Conv2d(1, 1, 5, padding=2)

        def forward(self, x):
            return (x - self.a(x)) * self.b(x)
    table = cl.receptive_field(Joins(), 8)
    assert [(r.name, r.op, r.size) for r in table.rows] == [
        ("a", "conv", 3), ("sub", "sub", 3), ("b", "conv", 5), ("mul", "mul", 5)]
    assert str(table).splitlines()[0].split() == ["layer", "op", "output", "jump", "size",
                                                 "start", "note"]
    page = table._repr_html_()
    assert page.count("<tr>") == 6 and "<td>mul</td>" in page


# ---------------------------------------------------------------- refusals

class Flip(nn.Module):
    def __init__(self, how):
        super().__init__()
        self.conv, self.how = nn.Conv2d(1, 1, 3), how

    def forward(self, x):
        return self.how(self.conv(x))


def _into_view(y):
    y[:, :, 1:] += y[:, :, :-1].clone()
    return y


@pytest.mark.parametrize("how, op", [
    (lambda y: torch.flip(y, [3]), "flip"),
    (lambda y: y.transpose(2, 3), "transpose"),
    (lambda y: F.pad(y, (1, 1, 1, 1), mode="circular"), "copy_"),
    (lambda y: F.pixel_shuffle(torch.cat([y] * 4, 1), 2), "pixel_shuffle"),
    (_into_view, "add_"),
    (lambda y: y.reshape(1, 1, -1, 1), "view"),
])
def test_unsupported_ops_name_the_node(how, op):
    with pytest.raises(ValueError, match=f"receptive_field cannot model node .*op aten.{op}"):
        cl.receptive_field(Flip(how), 9)


def test_unsupported_op_inside_a_named_module():
    class Roll(nn.Module):
        def forward(self, x):
            return torch.roll(x, 1, 3)
    model = nn.Sequential(nn.Conv2d(1, 1, 3), Roll())
    with pytest.raises(ValueError, match="node '1', op aten.roll"):
        cl.receptive_field(model, 9)


@pytest.mark.parametrize("call, name", [
    (lambda: cl.receptive_field(Flip(torch.relu), None), "input_size"),
    (lambda: cl.receptive_field(Flip(torch.relu), (1, 2, 3, 4, 5)), "input_size"),
    (lambda: cl.receptive_field(Flip(torch.relu), 0), "input_size"),
    (lambda: cl.receptive_field(Flip(torch.relu), 2), "input_size"),
    (lambda: cl.field_bounds(cl.receptive_field(Flip(torch.relu), 9), (7, 0)), "unit"),
])
def test_graph_errors_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
