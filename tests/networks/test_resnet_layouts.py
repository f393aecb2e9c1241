"""ResNet-50 layouts: the zoo's parameter count, strides where each layout puts them,
and each layout's traced receptive field equal to the autograd box of a unit whose
field lies inside a 512 x 512 input."""
from __future__ import annotations

import pytest
import torch

import convlib as cl
from convlib import zoo
from convlib.receptive.check import autograd_bounds, gradient_copy
from convlib.networks.resnet_layouts import LAYOUTS, resnet50_layout


@pytest.mark.parametrize("layout", LAYOUTS)
def test_traced_field_is_the_autograd_box(layout):
    model = resnet50_layout(layout, width=1)
    table = cl.receptive_field(model, (3, 512, 512))
    row = [r for r in table.rows if r.name.startswith("layer4")][-1]
    n = row.output_size
    assert n == model[:-3](torch.zeros(1, 3, 512, 512)).shape[-1]
    box = autograd_bounds(gradient_copy(model), (3, 512, 512), "layer4", (n // 2, n // 2))
    assert box == cl.field_bounds(row, (n // 2, n // 2))
    assert box[0][1] - box[0][0] + 1 == row.size


@pytest.mark.parametrize("layout", LAYOUTS)
def test_same_parameters_as_the_zoo(layout):
    with torch.device("meta"):
        ours, zoo_model = resnet50_layout(layout), zoo.resnet50()
    assert sum(p.numel() for p in ours.parameters()) == \
        sum(p.numel() for p in zoo_model.parameters())


def test_where_the_strides_are():
    tv, s1, last = (resnet50_layout(x, width=1) for x in ("torchvision", "stride-1x1", "last-unit"))
    assert tv.layer2[0].conv2.stride == (2, 2) and tv.layer2[0].conv1.stride == (1, 1)
    assert s1.layer2[0].conv1.stride == (2, 2) and s1.layer2[0].conv2.stride == (1, 1)
    assert last.layer1[2].conv2.stride == (2, 2) and last.layer2[0].conv2.stride == (1, 1)
    assert all(b.conv2.stride == (1, 1) for b in last.layer4)


def test_unknown_layout():
    with pytest.raises(ValueError, match="`layout`"):
        resnet50_layout("caffe")


@pytest.mark.parametrize("blocks", [(3, 4, 23, 3), (3, 8, 36, 3)])
def test_deeper_bottleneck_resnets(blocks):
    # ResNet-101 / -152: the zoo's torchvision layout has the same weights; moving the stride
    # to the first 1x1 changes only the MACs of each stage's first conv1 (torch counts them).
    from torch.utils.flop_counter import FlopCounterMode
    from convlib.zoo.resnet import Bottleneck, ResNet
    with torch.device("meta"):
        ours, ref = resnet50_layout("stride-1x1", blocks=blocks), ResNet(Bottleneck, blocks)
    assert sum(p.numel() for p in ours.parameters()) == sum(p.numel() for p in ref.parameters())
    assert [len(getattr(ours, f"layer{n}")) for n in (1, 2, 3, 4)] == list(blocks)
    x = torch.zeros(1, 3, 224, 224, device="meta")
    with FlopCounterMode(display=False) as counter:
        ours(x)
    assert cl.summary(ours, (3, 224, 224)).total_macs * 2 == counter.get_total_flops()
    per_layer = {r.name: r.macs for r in cl.summary(ours, (3, 224, 224)).rows}
    ref_layer = {r.name: r.macs for r in cl.summary(ref, (3, 224, 224)).rows}
    differ = sorted(n for n in per_layer if n in ref_layer and per_layer[n] != ref_layer[n])
    assert differ == ["layer2.0.conv1", "layer3.0.conv1", "layer4.0.conv1"]
    assert all(per_layer[n] * 4 == ref_layer[n] for n in differ)   # s^2 fewer output positions


@pytest.mark.parametrize("blocks", [(3, 4, 6), (3, 4, 0, 3), (3, 4, 6, 3.0), "3463"])
def test_bad_blocks(blocks):
    with pytest.raises(ValueError, match="`blocks`"):
        resnet50_layout(blocks=blocks)
