import copy

import pytest
import torch
from torch import nn

import convlib as cl
from convlib.counting.memory import (layer_output_bytes, saved_tensors, torchinfo_pass_bytes,
                                    training_state_bytes)


def small_net():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(4 * 3 * 3, 5))


def test_training_state_matches_adam_after_a_step():
    net = small_net()
    opt = torch.optim.Adam(net.parameters())
    net(torch.randn(2, 1, 8, 8)).sum().backward()
    opt.step()
    n = sum(p.numel() for p in net.parameters())
    measured = (sum(p.nbytes + p.grad.nbytes for p in net.parameters())
                + sum(s[k].nbytes for s in opt.state.values() for k in ("exp_avg", "exp_avg_sq")))
    assert training_state_bytes(n) == measured
    assert training_state_bytes(n, optimizer_states=1) == measured - 4 * n


@pytest.mark.parametrize("bad", [-1, 1.5])
def test_training_state_rejects_bad_counts(bad):
    with pytest.raises(ValueError, match="`params`"):
        training_state_bytes(bad)


def test_saved_tensors_of_a_small_cnn():
    net = small_net().train()
    saved = saved_tensors(net, torch.randn(2, 1, 8, 8))
    shapes = [(t.shape, t.dtype) for t in saved]
    assert ((2, 1, 8, 8), "float32") in shapes           # the conv's input
    assert ((2, 4, 3, 3), "int64") in shapes             # max pooling's indices
    assert all(t.nbytes == 4 * torch.Size(t.shape).numel() for t in saved if t.dtype == "float32")
    params = {tuple(p.shape) for p in net.parameters()}
    assert not any(t.shape in params and t.shape != (4,) for t in saved)   # no weights


def test_saved_tensors_grow_with_the_batch_but_statistics_do_not():
    net = small_net().train()
    one, eight = (saved_tensors(copy.deepcopy(net), torch.randn(b, 1, 8, 8)) for b in (1, 8))
    per_channel = sum(t.nbytes for t in one if len(t.shape) == 1)
    assert sum(t.nbytes for t in eight) - per_channel == 8 * (sum(t.nbytes for t in one) - per_channel)


def test_nothing_is_saved_without_grad():
    with torch.no_grad():
        assert saved_tensors(small_net(), torch.randn(1, 1, 8, 8)) == []


def test_layer_output_bytes_match_the_summary_rows():
    net = small_net().eval()
    measured = layer_output_bytes(net, torch.zeros(1, 1, 8, 8))
    table = cl.summary(net, (1, 8, 8))
    assert measured == {r.name: r.activation_bytes for r in table.rows}
    assert measured["0"] == 4 * 4 * 6 * 6 and measured["5"] == 4 * 5     # float32 outputs


def test_layer_output_bytes_scale_with_the_batch_and_dtype():
    net = small_net().eval()
    one = layer_output_bytes(net, torch.zeros(1, 1, 8, 8))
    three = layer_output_bytes(net.double(), torch.zeros(3, 1, 8, 8, dtype=torch.float64))
    assert three == {n: 2 * 3 * b for n, b in one.items()}
    assert not any(m._forward_hooks for m in net.modules())              # hooks removed


def test_torchinfo_pass_bytes_reproduces_torchinfo():
    torchinfo = pytest.importorskip("torchinfo")
    for net, size in [(small_net().eval(), (1, 8, 8)),
                      (nn.Sequential(nn.Conv2d(3, 8, 3, stride=2), nn.ReLU(), nn.Conv2d(8, 2, 1, bias=False)),
                       (3, 11, 9))]:
        stats = torchinfo.summary(net, input_size=(1, *size), verbose=0)
        assert torchinfo_pass_bytes(cl.summary(net, size).rows) == stats.total_output_bytes


def test_layer_output_bytes_rejects_a_non_module():
    with pytest.raises(ValueError, match="`model`"):
        layer_output_bytes(lambda x: x, torch.zeros(1, 3))


@pytest.mark.parametrize("bad", [None, [1, 2]])
def test_torchinfo_pass_bytes_rejects_rows_without_counts(bad):
    with pytest.raises(ValueError, match="`rows`"):
        torchinfo_pass_bytes(bad)
