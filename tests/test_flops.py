"""convlib.flops: FlopCounterMode's numbers per layer and what it leaves out."""
from __future__ import annotations

import torch
from torch import nn

import convlib as cl


def small_cnn() -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(1, 25, 3), nn.BatchNorm2d(25), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(25, 50, 3), nn.BatchNorm2d(50), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(50 * 5 * 5, 1024), nn.ReLU(), nn.Linear(1024, 128), nn.ReLU(),
        nn.Linear(128, 10))


def test_flop_counter_is_twice_the_summary_macs_layer_by_layer():
    model = small_cnn().train()
    table, flops = cl.summary(model, (1, 28, 28)), cl.count_flops(model, (1, 28, 28))
    assert flops.total == 2 * table.total_macs
    assert flops.by_layer == {r.name: 2 * r.macs for r in table.rows if r.macs}
    assert set(flops.by_operator) == {"aten.convolution", "aten.addmm"}
    assert model.training and all(m.training for m in model.modules())


def test_nested_names_and_things_it_counts_as_zero():
    model = nn.Sequential(nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU()), nn.Flatten(),
                          nn.Linear(4 * 6 * 6, 5))
    flops = cl.count_flops(model, (3, 8, 8))
    assert set(flops.by_layer) == {"0.0", "2"}
    assert cl.count_flops(nn.Embedding(100, 8), 5, dtype=torch.long).total == 0   # a lookup


def test_uncounted_ops_of_the_small_cnn():
    model = small_cnn()
    ops = {(r.name, r.what): r.count for r in cl.uncounted_ops(model, (1, 28, 28))}
    assert ops[("0", "bias additions")] == 25 * 26 * 26
    assert ops[("1", "scale + shift")] == 2 * 25 * 26 * 26
    assert ops[("3", "comparisons")] == 3 * 25 * 13 * 13
    assert ops[("13", "bias additions")] == 10
    assert not any(name == "8" for name, _ in ops)                 # Flatten: no arithmetic
    no_bias = nn.Sequential(nn.Conv2d(1, 2, 3, bias=False))
    assert cl.uncounted_ops(no_bias, (1, 5, 5)) == []


def test_a_single_layer_model_on_the_meta_device():
    with torch.device("meta"):
        conv = nn.Conv2d(256, 512, 3)
    flops = cl.count_flops(conv, (256, 10, 10))
    assert flops.by_layer == {"": flops.total}
    assert flops.total == 2 * cl.conv2d_macs(256, 512, 3, output_size=8)


def test_uncounted_ops_include_a_residual_add():
    from convlib.zoo.resnet import BasicBlock

    rows = {r.name: r for r in cl.uncounted_ops(BasicBlock(4, 4), (4, 6, 6))}
    assert (rows["add"].type, rows["add"].what, rows["add"].count) == (
        "aten.add", "elementwise (functional)", 4 * 6 * 6)
