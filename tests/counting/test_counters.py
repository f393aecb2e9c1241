"""convlib.compare_counters: every reason it gives is recomputed here, independently
(forward hooks and convlib.counting.formulas formulas), and the reasons must add up exactly to
each tool's difference from convlib; then every zoo model goes through `summary` and
`compare_counters` with nothing left unexplained."""
from __future__ import annotations

import re
from collections import defaultdict

import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

import convlib as cl
from convlib import zoo

TOOLS = ("torchinfo", "ptflops", "thop", "fvcore", "FlopCounterMode")


def chain() -> nn.Sequential:
    """Conv (bias), BN, ReLU, max pool, transposed conv, global pool, Linear."""
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                         nn.MaxPool2d(2), nn.ConvTranspose2d(8, 4, 4, 2, 1), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 10))


class UpAndJoin(nn.Module):
    """Functional ops in a container: interpolate, cat, a functional 1x1 conv with the
    container's own weight, a residual add, a mean over a crop."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3, stride=2, padding=1)
        self.w = nn.Parameter(torch.ones(4, 6, 1, 1))
        self.relu = nn.ReLU()

    def forward(self, x):
        y = nn.functional.interpolate(self.conv(x), scale_factor=2.0, mode="nearest")
        z = torch.cat((y, y), dim=1)
        z = self.relu(nn.functional.conv2d(z, self.w) + z[:, :1])
        return z[:, :, :4].mean([2, 3])


UP_AND_JOIN_FUNCTIONAL = {   # input (2, 8, 8): conv -> 3x4x4, interpolate -> 3x8x8
    "aten.upsample_nearest2d": {"output value": 3 * 8 * 8},
    "aten.add": {"output value": 4 * 8 * 8},
    "aten.mean": {"input value": 4 * 4 * 8, "output value": 4},
    "aten.convolution": {"macs": cl.conv2d_macs(6, 4, 1, 8)},
}


def calls_by_module(model: nn.Module, input_size) -> dict[nn.Module, list]:
    """(input numel, output numel) of every call of every leaf module, by forward hooks."""
    calls = defaultdict(list)
    hooks = [m.register_forward_hook(
        lambda m, i, o: calls[m].append((i[0].numel(), o.numel())))
        for m in model.modules() if not list(m.children())]
    with torch.no_grad():
        model.eval()(torch.zeros(1, *input_size))
    for h in hooks:
        h.remove()
    return calls


REASON = re.compile(r"(\w+) counted(?: again \(patched F call\))?: (\d+) per "
                    r"(value|input value|output value|parameter)$")


def recompute(reason: str, model: nn.Module, calls: dict, functional: dict) -> int:
    """The MACs a reason stands for, computed without convlib.counting.counters."""
    if reason == "bias counted":
        return sum(out for m, cs in calls.items() if isinstance(m, (nn.Conv2d, nn.Linear,
                   nn.ConvTranspose2d)) and m.bias is not None for _, out in cs)
    if reason == "transposed conv counted on its output, not its input":
        return sum(m.weight.numel() * (out // m.out_channels - n_in // m.in_channels)
                   for m, cs in calls.items() if isinstance(m, nn.ConvTranspose2d)
                   for n_in, out in cs)
    if match := REASON.match(reason):
        kind, k, per = match[1], int(match[2]), match[3]
        total = 0
        for m, cs in calls.items():
            if type(m).__name__ == kind:
                for n_in, out in cs:
                    total += {"value": out, "input value": n_in, "output value": out,
                              "parameter": sum(p.numel() for p in m.parameters())}[per]
        return k * total
    if match := re.match(r"functional (aten\.\w+) counted: 1 per (input|output) value$", reason):
        return functional[match[1]][f"{match[2]} value"]
    if match := re.match(r"functional (aten\.\w+) missed$", reason):
        return -functional[match[1]]["macs"]
    raise AssertionError(f"no independent check for {reason!r}")


def check_every_reason(model: nn.Module, input_size, functional=None) -> cl.CounterComparison:
    c = cl.compare_counters(model, input_size)
    calls = calls_by_module(model, input_size)
    flops = FlopCounterMode(display=False)
    with flops, torch.no_grad():
        model(torch.zeros(1, *input_size))
    assert c.convlib_macs == flops.get_total_flops() // 2
    assert [r.tool for r in c.rows] == ["convlib", *TOOLS]
    for row in c.rows[1:]:
        assert row.error is None, row
        assert row.residual == 0, row
        factor = 2 if row.unit == "FLOPs" else 1
        explained = 0
        for reason, value in row.reasons:
            if reason.startswith("reports FLOPs"):
                assert value == 0 and row.unit == "FLOPs"
                continue
            assert value == recompute(reason, model, calls, functional or {}), (row.tool, reason)
            explained += value
        assert row.reported == factor * (c.convlib_macs + explained), row.tool   # exact
        assert row.difference == explained
    return c


def reasons(c: cl.CounterComparison, tool: str) -> dict[str, float]:
    return dict(next(r for r in c.rows if r.tool == tool).reasons)


def test_chain_every_reason_recomputed():
    c = check_every_reason(chain(), (3, 16, 16))
    assert set(reasons(c, "torchinfo")) == {
        "bias counted", "BatchNorm2d counted: 1 per parameter",
        "transposed conv counted on its output, not its input"}
    assert "transposed conv counted on its output, not its input" in reasons(c, "thop")
    assert "bias counted" not in reasons(c, "thop")            # thop leaves the bias out
    assert "ReLU counted again (patched F call): 1 per value" in reasons(c, "ptflops")
    assert list(reasons(c, "FlopCounterMode")) == ["reports FLOPs (2 per MAC), halved here"]
    assert c.explained


def test_functional_ops_missed_or_counted():
    model = UpAndJoin()
    c = check_every_reason(model, (2, 8, 8), UP_AND_JOIN_FUNCTIONAL)
    for tool in ("torchinfo", "thop", "ptflops"):   # module hooks: F.conv2d is invisible
        assert reasons(c, tool)["functional aten.convolution missed"] == -cl.conv2d_macs(
            6, 4, 1, 8)
    assert "functional aten.upsample_nearest2d counted: 1 per output value" in reasons(
        c, "fvcore")
    thop_row = next(r for r in c.rows if r.tool == "thop")
    own = model.w.numel()
    assert thop_row.params == c.rows[0].params - own           # the container's weight
    assert thop_row.params_note.startswith("own parameters of containers") and c.explained


def test_residual_block_from_the_zoo():
    from convlib.zoo.resnet import BasicBlock

    block = BasicBlock(8, 16, stride=2)
    check_every_reason(block, (8, 10, 10), {"aten.add": {"output value": 16 * 5 * 5}})


def test_quiet_and_leaves_the_model_alone(capfd):
    model = chain().train()
    model[1].eval()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    c = cl.compare_counters(model, (3, 8, 8))
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert model.training and not model[1].training and model[5].training
    assert model.state_dict().keys() == before.keys()
    for k, v in model.state_dict().items():
        assert torch.equal(v, before[k]), k
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())
    text, page = str(c), c._repr_html_()
    for tool in TOOLS:
        assert tool in text and tool in page
    assert "FLOPs" in text and "why: " in text and page.count("<tr>") == len(c.rows) + 1


def test_subset_of_tools_and_bad_arguments():
    c = cl.compare_counters(chain(), (3, 8, 8), tools=("thop",))
    assert [r.tool for r in c.rows] == ["convlib", "thop"]
    with pytest.raises(ValueError, match="`tools` must name tools"):
        cl.compare_counters(chain(), (3, 8, 8), tools=("torchscan",))
    with pytest.raises(ValueError, match="`model` must be a torch.nn.Module"):
        cl.compare_counters("model", (3, 8, 8))
    with pytest.raises(ValueError, match="input_size"):
        cl.compare_counters(chain(), (3, 0, 8))


# ------------------------------------------------------------- the whole zoo

ZOO_CASES = [   # small inputs where the architecture allows
    ("alexnet", {}, (3, 64, 64)), ("vgg16", {"num_classes": 10}, (3, 32, 32)),
    ("resnet18", {}, (3, 32, 32)), ("mobilenet_v2", {}, (3, 32, 32)),
    ("shufflenet_v2_x1_0", {}, (3, 32, 32)), ("unet", {"base": 8}, (1, 188, 188)),
    ("dcgan_generator", {}, (100, 1, 1)),
]


@pytest.mark.parametrize("name, kwargs, size", ZOO_CASES, ids=[c[0] for c in ZOO_CASES])
def test_summary_and_counters_on_the_zoo(name, kwargs, size):
    model = getattr(zoo, name)(**kwargs)
    s = cl.summary(model, size)
    c = cl.compare_counters(model, size)
    assert c.convlib_macs == s.total_macs and c.rows[0].params == s.total_params
    assert c.explained, str(c)


def test_resnet50_at_224_once():
    model = zoo.resnet50()
    s = cl.summary(model, (3, 224, 224))
    assert f"{s.total_macs / 1e9:.3f}" == "4.089"
    assert [r.name for r in s.rows if r.kind == "op"][:2] == ["layer1.0.add", "layer1.1.add"]
    assert dict(s.arithmetic_ops)["aten.add"] == 16               # one residual add per block
    c = cl.compare_counters(model, (3, 224, 224))
    assert c.explained, str(c)
