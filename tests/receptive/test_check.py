"""convlib.receptive.check: the autograd box of the gradient copy equals the traced field
(clipped to the image) on zoo models with residual adds, concatenation-free stacks
and depthwise convs; the copy keeps the geometry; effective fields are seeded."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

import convlib as cl
from convlib import zoo
from convlib.receptive.check import (autograd_bounds, effective_field, gradient_copy,
                                     module_output_sizes)

CASES = [(lambda: zoo.resnet18(width=2), 64, ["maxpool", "layer1", "layer2", "layer3"]),
         (lambda: zoo.mobilenet_v2(width_mult=0.1), 64, ["features.3", "features.7"]),
         (lambda: zoo.vgg([4, "M", 4, "M", 8, 8, "M"]), 48, ["features.2", "features.8", "features.10"])]


def last_row(table, prefix):
    return [r for r in table.rows if r.name == prefix or r.name.startswith(prefix + ".")][-1]


@pytest.mark.parametrize("build, size, stages", CASES)
def test_autograd_box_equals_traced_field(build, size, stages):
    model = build()
    table = cl.receptive_field(model, (3, size, size))
    net = gradient_copy(model)
    for stage in stages:
        row = last_row(table, stage)
        n = row.output_size
        for unit in [(0, 0), (n - 1, n // 2), (n // 2, n - 1)]:
            expected = cl.clip_bounds(cl.field_bounds(row, unit), size)
            assert autograd_bounds(net, (3, size, size), stage, unit) == expected, (stage, unit)


def test_gradient_copy_keeps_geometry_and_model():
    model = zoo.resnet18(width=2)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    net = gradient_copy(model)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert not any(isinstance(m, (nn.MaxPool2d, nn.ReLU)) for m in net.modules())
    assert all(bool(p.min() >= 0) for p in net.parameters())
    a, b = cl.receptive_field(model, 64), cl.receptive_field(net, 64)
    assert [(r.name, r.size, r.jump, r.start) for r in a.rows] == \
        [(r.name, r.size, r.jump, r.start) for r in b.rows]


def test_errors_name_the_argument():
    net = gradient_copy(nn.Sequential(nn.Conv2d(3, 2, 3)))
    with pytest.raises(ValueError, match="`module_name`"):
        autograd_bounds(net, 8, "nope", (0, 0))
    with pytest.raises(ValueError, match="`unit`"):
        autograd_bounds(net, 8, "0", (6, 0))
    with pytest.raises(ValueError, match="`model`"):
        gradient_copy("model")
    with pytest.raises(ValueError, match="`input_size`"):
        autograd_bounds(net, (1, 2, 3, 4), "0", (0, 0))


def test_effective_field_is_seeded_and_inside_the_field():
    model = zoo.resnet18(width=2)
    a = effective_field(model, 64, "layer2", seed=1)
    b = effective_field(model, 64, "layer2", seed=1)
    assert np.array_equal(a.grad, b.grad) and model.training
    row = last_row(cl.receptive_field(model, 64), "layer2")
    box = cl.clip_bounds(cl.field_bounds(row, a.unit), 64)
    assert cl.mask_bounds(a.mask) is not None
    (fh, lh), (fw, lw) = cl.mask_bounds(a.mask)
    assert box[0][0] <= fh and lh <= box[0][1] and box[1][0] <= fw and lw <= box[1][1]


def test_module_output_sizes_against_a_forward_pass():
    model = zoo.resnet18(width=2).eval()
    names = ["conv1", "layer1", "layer2", "layer3", "layer4"]
    found = module_output_sizes(model, (3, 100, 100), names)
    x, seen = torch.zeros(1, 3, 100, 100), {}
    for n in names:
        model.get_submodule(n).register_forward_hook(
            lambda m, i, o, n=n: seen.__setitem__(n, tuple(o.shape[-2:])))
    model(x)
    assert found == seen
