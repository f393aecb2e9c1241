"""convlib.counting.flops: FlopCounterMode's numbers per layer and what it leaves out."""
from __future__ import annotations

import pytest
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
    assert ops[("1", "scale + shift")] == 2 * 25 * 26 * 26
    assert ops[("3", "comparisons")] == 3 * 25 * 13 * 13
    assert not any(name in ("0", "4", "9", "11", "13") for name, _ in ops)   # biases: in 2 x MACs
    assert not any(name == "8" for name, _ in ops)                 # Flatten: no arithmetic
    no_bias = nn.Sequential(nn.Conv2d(1, 2, 3, bias=False))
    assert cl.uncounted_ops(no_bias, (1, 5, 5)) == []


def test_two_macs_are_the_multiplications_and_additions_of_a_biased_layer():
    conv = nn.Conv2d(3, 4, 3)
    out_values, k = 4 * 3 * 3, 3 * 3 * 3
    products, additions = out_values * k, out_values * ((k - 1) + 1)   # sum, then the bias
    assert cl.count_flops(conv, (3, 5, 5)).total == products + additions
    assert not cl.uncounted_ops(conv, (3, 5, 5))
    no_bias = nn.Conv2d(3, 4, 3, bias=False)                 # 2 x MACs: one addition too many
    assert cl.count_flops(no_bias, (3, 5, 5)).total == products + out_values * (k - 1) + out_values


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


def window_sizes(i: int, o: int) -> list[int]:
    """torch's own adaptive windows along one axis: the inputs each output's gradient reaches."""
    jac = torch.autograd.functional.jacobian(
        lambda x: nn.functional.adaptive_avg_pool1d(x[None, None], o)[0, 0], torch.zeros(i))
    return [int(n) for n in (jac != 0).sum(1)]


def test_activations_count_their_stated_operations_per_value_on_every_call():
    acts = [nn.ReLU6(), nn.Hardtanh(), nn.LeakyReLU(), nn.PReLU(), nn.ELU(), nn.Tanh(),
            nn.Sigmoid(), nn.SiLU(), nn.Hardsigmoid(), nn.Hardswish(), nn.GELU(),
            nn.GELU(approximate="tanh")]
    per_value = [2, 2, 2, 2, 4, 1, 3, 4, 4, 5, 5, 8]
    model = nn.Sequential(nn.Conv2d(3, 4, 3, bias=False), *acts)
    y = model[0](torch.zeros(1, 3, 7, 7))
    rows = cl.uncounted_ops(model, (3, 7, 7))
    assert [r.name for r in rows] == [str(i) for i in range(1, len(acts) + 1)]
    assert [r.count for r in rows] == [n * y.numel() for n in per_value]
    assert {r.type for r in rows} == {type(a).__name__ for a in acts}


def test_a_relu_called_twice_counts_twice():
    class Twice(nn.Module):
        def __init__(self):
            super().__init__()
            self.relu = nn.ReLU()

        def forward(self, x):
            return self.relu(self.relu(x) - 1)

    rows = {r.name: r.count for r in cl.uncounted_ops(Twice(), (2, 5, 5))}
    assert rows["relu"] == 2 * 2 * 5 * 5


def test_average_pooling_adds_the_window_and_divides_once_per_output():
    pool = nn.AvgPool2d(3, stride=2, padding=1)
    out = pool(torch.zeros(1, 4, 7, 7))
    (row,) = cl.uncounted_ops(nn.Sequential(pool), (4, 7, 7))
    assert (row.what, row.count) == ("additions + division", 9 * out.numel())


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_global_average_pool_is_one_operation_per_input_value_as_fvcore_counts():
    from fvcore.nn import FlopCountAnalysis

    x = torch.zeros(1, 8, 7, 7)
    fv = FlopCountAnalysis(nn.AdaptiveAvgPool2d(1), x)
    fv.unsupported_ops_warnings(False)
    (row,) = cl.uncounted_ops(nn.AdaptiveAvgPool2d(1), (8, 7, 7))
    assert row.count == x.numel() == fv.total() == 392


def test_adaptive_pools_count_their_exact_windows():
    sizes_h, sizes_w = window_sizes(7, 3), window_sizes(9, 4)    # overlapping windows
    (avg,) = cl.uncounted_ops(nn.AdaptiveAvgPool2d((3, 4)), (5, 7, 9))
    (mx,) = cl.uncounted_ops(nn.AdaptiveMaxPool2d((3, 4)), (5, 7, 9))
    assert avg.count == 5 * sum(sizes_h) * sum(sizes_w)
    assert mx.count == 5 * sum(h * w - 1 for h in sizes_h for w in sizes_w)
    (keep_w,) = cl.uncounted_ops(nn.AdaptiveAvgPool2d((2, None)), (1, 6, 3))
    assert keep_w.count == sum(window_sizes(6, 2)) * 3


def test_every_layer_the_issue_lists_is_counted():
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ELU(), nn.LeakyReLU(), nn.ReLU6(), nn.Tanh(),
                          nn.Sigmoid(), nn.GELU(), nn.SiLU(), nn.Hardswish(), nn.AvgPool2d(2),
                          nn.AdaptiveMaxPool2d(2), nn.AdaptiveAvgPool2d(1))
    listed = {r.type for r in cl.uncounted_ops(model, (3, 10, 10)) if r.count > 0}
    assert listed == {type(m).__name__ for m in model} - {"Conv2d"}   # its bias: in 2 x MACs


class Functional(nn.Module):
    """Activations and pools called as functions in forward, as MobileNetV2 and
    ShuffleNetV2 end (no module to read the layer from)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, bias=False)

    def forward(self, x):
        y = nn.functional.relu(self.conv(x))
        z = nn.functional.adaptive_avg_pool2d(torch.sigmoid(y), 3)     # overlapping windows
        return y.mean((2, 3)) + z.flatten(1)[:, :4]


def test_functional_activations_and_means_in_a_forward_are_counted():
    y = torch.zeros(1, 4, 7, 7)                       # the conv's output
    rows = {r.type: r for r in cl.uncounted_ops(Functional(), (3, 9, 9))}
    assert rows["aten.relu"].count == y.numel()
    assert rows["aten.sigmoid"].count == 3 * y.numel()
    assert rows["aten.mean"].count == y.numel()       # one per input value, as fvcore
    assert rows["aten._adaptive_avg_pool2d"].count == 4 * sum(window_sizes(7, 3)) ** 2


def test_the_functional_global_pool_of_mobilenet_v2_is_counted_as_fvcore_does():
    from fvcore.nn import FlopCountAnalysis

    from convlib import zoo

    with torch.no_grad():
        head = zoo.mobilenet_v2().features(torch.zeros(1, 3, 64, 64))
    rows = {r.type: r for r in cl.uncounted_ops(zoo.mobilenet_v2(), (3, 64, 64))}
    fv = FlopCountAnalysis(lambda_module(lambda t: nn.functional.adaptive_avg_pool2d(t, 1)), head)
    fv.unsupported_ops_warnings(False)
    assert rows["aten.mean"].count == head.numel() == fv.total()


def lambda_module(fn):
    class Wrapped(nn.Module):
        def forward(self, x):
            return fn(x)
    return Wrapped()
