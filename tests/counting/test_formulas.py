"""convlib.counting.formulas against PyTorch: named cases from the syllabus, one test per
error path, and hypothesis sweeps in which torch is the oracle (``numel()`` of
real layers for parameters, ``FlopCounterMode`` FLOPs / 2 for MACs)."""
from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

import convlib as cl

N = 300  # examples per property

chan = st.integers(min_value=1, max_value=12)
grp = st.integers(min_value=1, max_value=4)
kern = st.tuples(st.integers(1, 5), st.integers(1, 5))   # non-square (k_h, k_w)


def n_params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def torch_macs(fn, *args, **kwargs) -> int:
    """FlopCounterMode's FLOPs of one call, halved: its MACs."""
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        fn(*args, **kwargs)
    flops = counter.get_total_flops()
    assert flops % 2 == 0
    return flops // 2


def torch_module_or_none(cls, *args, **kwargs):
    """The torch layer, or None where torch refuses to build it."""
    try:
        return cls(*args, **kwargs)
    except (RuntimeError, ValueError):
        return None


def convlib_or_none(fn, *args, **kwargs):
    """convlib's answer, or None where it raises ValueError (and nothing else)."""
    try:
        return fn(*args, **kwargs)
    except ValueError:
        return None


# ---------------------------------------------------------------- named cases

def test_syllabus_worked_example():
    # 100x100x3 input, ten 3x3 filters, stride 2, padding 1 -> 50x50x10:
    # 27 multiplications per output value, 675,000 in all (and 675,000 additions
    # once the bias is added; not 225,000).
    conv = nn.Conv2d(3, 10, 3, stride=2, padding=1)
    x = torch.zeros(1, 3, 100, 100)
    assert conv(x).shape == (1, 10, 50, 50)
    assert cl.conv2d_macs(3, 10, 3, output_size=50) == 675_000 == torch_macs(conv, x)
    assert cl.conv2d_params(3, 10, 3) == 280 == n_params(conv)


def test_conv_params_include_input_channels():
    # The source's Conv2D count without C_in would give 3 * 3 * 10 + 10 = 100.
    assert cl.conv2d_params(3, 10, 3) != 3 * 3 * 10 + 10


def test_depthwise_bias_is_c_in_not_one():
    dw = nn.Conv2d(32, 32, 3, groups=32)
    assert cl.conv2d_params(32, 32, 3, groups=32) == 9 * 32 + 32 == n_params(dw)


def test_depthwise_separable_cost_ratio():
    c_in, c_out, k, o = 32, 64, 3, 14
    standard = cl.conv2d_macs(c_in, c_out, k, o)
    separable = cl.conv2d_macs(c_in, c_in, k, o, groups=c_in) + cl.conv2d_macs(c_in, c_out, 1, o)
    assert separable * c_out * k * k == standard * (c_out + k * k)   # 1/C_out + 1/k^2


def test_grouped_conv_is_one_gth():
    assert cl.conv2d_macs(16, 32, 3, 8, groups=4) * 4 == cl.conv2d_macs(16, 32, 3, 8)
    assert (cl.conv2d_params(16, 32, 3, groups=4, bias=False) * 4
            == cl.conv2d_params(16, 32, 3, bias=False))


def test_int_and_square_tuple_agree():
    assert cl.conv2d_macs(4, 6, 3, 5) == cl.conv2d_macs(4, 6, (3, 3), (5, 5))
    assert cl.conv2d_macs(4, 6, (3, 1), 5) == cl.conv2d_macs(4, 6, (3, 1), (5, 5))
    assert cl.conv_transpose2d_macs(4, 6, 3, 5) == cl.conv_transpose2d_macs(4, 6, (3, 3), (5, 5))


def test_1d_and_3d_tuples():
    c1 = nn.Conv1d(4, 6, 5, groups=2)
    x1 = torch.zeros(1, 4, 20)
    assert cl.conv2d_macs(4, 6, (5,), (16,), groups=2) == torch_macs(c1, x1)
    assert cl.conv2d_params(4, 6, (5,), groups=2) == n_params(c1)
    c3 = nn.ConvTranspose3d(4, 6, (3, 2, 1), stride=2)
    x3 = torch.zeros(1, 4, 3, 4, 5)
    assert cl.conv_transpose2d_macs(4, 6, (3, 2, 1), (3, 4, 5)) == torch_macs(c3, x3)
    assert cl.conv_transpose2d_params(4, 6, (3, 2, 1)) == n_params(c3)


def test_transposed_counts_the_input_size():
    # Stride, padding and output padding change the output size, not the MACs.
    x = torch.zeros(1, 8, 7, 7)
    for kw in ({}, {"stride": 2}, {"stride": 3, "padding": 1, "output_padding": 2}):
        conv_t = nn.ConvTranspose2d(8, 4, 3, **kw)
        assert cl.conv_transpose2d_macs(8, 4, 3, input_size=7) == torch_macs(conv_t, x)


def test_linear_embedding_batchnorm():
    assert cl.linear_params(50 * 5 * 5, 1024) == n_params(nn.Linear(1250, 1024))
    assert cl.embedding_params(10000, 128) == 1_280_000 == n_params(nn.Embedding(10000, 128))
    assert cl.batchnorm_params(25) == (50, 50)
    assert cl.batchnorm_params(25).trainable == 50


@pytest.mark.parametrize("fn, gates", [(cl.rnn_params, 1), (cl.lstm_params, 4)])
def test_torch_keeps_two_bias_vectors_keras_one(fn, gates):
    n_in, h = 128, 64
    core = gates * (n_in + h) * h
    assert fn(n_in, h) == core + 2 * gates * h
    assert fn(n_in, h, style="keras") == core + gates * h


def test_keras_reference_values():
    # Embedding(10000, 128) -> LSTM(64), as in Keras's text-classification examples.
    assert cl.lstm_params(128, 64, style="keras") == 49_408
    assert cl.gru_params(128, 64, style="keras") == 37_248            # reset_after=True (TF2)
    assert cl.gru_params(128, 64, style="keras", reset_after=False) == 37_056
    assert cl.rnn_params(128, 64, style="keras") == 12_352
    assert cl.gru_params(128, 64) == cl.gru_params(128, 64, style="keras")


def test_stacked_bidirectional_layers_read_2h():
    h = 16
    one = cl.lstm_params(8, h, bidirectional=True)
    assert cl.lstm_params(8, h, num_layers=2, bidirectional=True) == one + 2 * (
        4 * (2 * h + h) * h + 8 * h)


@pytest.mark.parametrize("call, name", [
    (lambda: cl.conv2d_params(0, 4, 3), "in_channels"),
    (lambda: cl.conv2d_params(4, -1, 3), "out_channels"),
    (lambda: cl.conv2d_params(4, 4, 0), "kernel_size"),
    (lambda: cl.conv2d_params(4, 4, (3, 0)), "kernel_size"),
    (lambda: cl.conv2d_params(4, 4, 3, groups=0), "groups"),
    (lambda: cl.conv2d_params(6, 4, 3, groups=3), "groups"),      # divides C_in only
    (lambda: cl.conv2d_params(4, 6, 3, groups=3), "groups"),      # divides C_out only
    (lambda: cl.conv2d_params(4, 4, 3, bias=1), "bias"),
    (lambda: cl.conv2d_macs(4, 4, 3, 0), "output_size"),
    (lambda: cl.conv2d_macs(4, 4, 3, 5, groups=3), "groups"),
    (lambda: cl.conv2d_macs(4, 4, (3, 3), (5, 5, 5)), "per-axis"),
    (lambda: cl.conv_transpose2d_params(4, 6, 3, groups=4), "groups"),
    (lambda: cl.conv_transpose2d_params(4, 4, 3, bias=None), "bias"),
    (lambda: cl.conv_transpose2d_macs(4, 4, 3, (5, -1)), "input_size"),
    (lambda: cl.conv_transpose2d_macs(4, 6, 3, 5, groups=4), "groups"),
    (lambda: cl.linear_params(0, 4), "in_features"),
    (lambda: cl.linear_params(4, 2.0), "out_features"),
    (lambda: cl.linear_params(4, 4, bias="yes"), "bias"),
    (lambda: cl.linear_macs(4, 4, positions=0), "positions"),
    (lambda: cl.embedding_params(0, 8), "num_embeddings"),
    (lambda: cl.embedding_params(8, 0), "embedding_dim"),
    (lambda: cl.batchnorm_params(0), "num_features"),
    (lambda: cl.batchnorm_params(4, affine=0), "affine"),
    (lambda: cl.batchnorm_params(4, track_running_stats=None), "track_running_stats"),
    (lambda: cl.lstm_params(0, 4), "input_size"),
    (lambda: cl.lstm_params(4, 0), "hidden_size"),
    (lambda: cl.lstm_params(4, 4, num_layers=0), "num_layers"),
    (lambda: cl.lstm_params(4, 4, bidirectional=2), "bidirectional"),
    (lambda: cl.lstm_params(4, 4, style="tf"), "style"),
    (lambda: cl.lstm_params(4, 4, bias=0), "bias"),
    (lambda: cl.rnn_params(4, 4, style="Torch"), "style"),
    (lambda: cl.gru_params(4, 4, style="jax"), "style"),
    (lambda: cl.gru_params(4, 4, reset_after=False), "reset_after"),
    (lambda: cl.gru_params(4, 4, style="keras", reset_after="no"), "reset_after"),
    (lambda: cl.lstm_macs(0, 4), "input_size"),
    (lambda: cl.gru_macs(4, 4, steps=0), "steps"),
    (lambda: cl.rnn_macs(4, 4, num_layers=0), "num_layers"),
    (lambda: cl.lstm_macs(4, 4, proj_size=4), "proj_size"),
    (lambda: cl.lstm_macs(4, 4, bidirectional="yes"), "bidirectional"),
])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


@pytest.mark.parametrize("cls", [nn.Conv2d, nn.ConvTranspose2d])
def test_torch_refuses_groups_that_do_not_divide(cls):
    for c_in, c_out in [(6, 4), (4, 6)]:
        with pytest.raises(ValueError):
            cls(c_in, c_out, 3, groups=3)


# ----------------------------------------------------- hypothesis vs torch

@settings(max_examples=N)
@given(c_in=chan, c_out=chan, k=kern, g=grp, bias=st.booleans(),
       transposed=st.booleans())
def test_conv_params_match_torch(c_in, c_out, k, g, bias, transposed):
    cls, fn = ((nn.ConvTranspose2d, cl.conv_transpose2d_params) if transposed
               else (nn.Conv2d, cl.conv2d_params))
    layer = torch_module_or_none(cls, c_in, c_out, k, groups=g, bias=bias)
    got = convlib_or_none(fn, c_in, c_out, k, groups=g, bias=bias)
    assert got == (None if layer is None else n_params(layer))


@settings(max_examples=N)
@given(a=st.integers(1, 4), b=st.integers(1, 4), g=grp, k=kern,
       i=st.tuples(st.integers(1, 12), st.integers(1, 12)),
       s=st.tuples(st.integers(1, 3), st.integers(1, 3)),
       p=st.tuples(st.integers(0, 2), st.integers(0, 2)),
       d=st.tuples(st.integers(1, 2), st.integers(1, 2)))
def test_conv2d_macs_match_flop_counter(a, b, g, k, i, s, p, d):
    c_in, c_out = a * g, b * g
    x, w = torch.zeros(1, c_in, *i), torch.zeros(c_out, a, *k)
    try:
        out = F.conv2d(x, w, stride=s, padding=p, dilation=d, groups=g)
    except RuntimeError:   # kernel larger than the padded input
        return
    got = cl.conv2d_macs(c_in, c_out, k, tuple(out.shape[2:]), groups=g)
    assert got == torch_macs(F.conv2d, x, w, stride=s, padding=p, dilation=d, groups=g)


@settings(max_examples=N)
@given(a=st.integers(1, 4), b=st.integers(1, 4), g=grp, k=kern,
       i=st.tuples(st.integers(1, 8), st.integers(1, 8)),
       s=st.tuples(st.integers(1, 3), st.integers(1, 3)),
       p=st.tuples(st.integers(0, 2), st.integers(0, 2)),
       op=st.tuples(st.integers(0, 2), st.integers(0, 2)),
       d=st.tuples(st.integers(1, 2), st.integers(1, 2)))
def test_conv_transpose2d_macs_match_flop_counter(a, b, g, k, i, s, p, op, d):
    c_in, c_out = a * g, b * g
    x, w = torch.zeros(1, c_in, *i), torch.zeros(c_in, b, *k)
    kwargs = dict(stride=s, padding=p, output_padding=op, dilation=d, groups=g)
    try:
        F.conv_transpose2d(x, w, **kwargs)
    except RuntimeError:   # output padding too large, or a negative output size
        return
    # Counted on the input size even where torch returns an empty output (as
    # FlopCounterMode does); conv_transpose_output_size refuses those sizes.
    got = cl.conv_transpose2d_macs(c_in, c_out, k, i, groups=g)
    assert got == torch_macs(F.conv_transpose2d, x, w, **kwargs)


@settings(max_examples=N)
@given(n_in=st.integers(1, 64), n_out=st.integers(1, 64), bias=st.booleans(),
       lead=st.lists(st.integers(1, 4), min_size=0, max_size=2))
def test_linear_matches_torch(n_in, n_out, bias, lead):
    layer = nn.Linear(n_in, n_out, bias=bias)
    assert cl.linear_params(n_in, n_out, bias=bias) == n_params(layer)
    x = torch.zeros(1, *lead, n_in)
    positions = x.numel() // n_in
    assert cl.linear_macs(n_in, n_out, positions=positions) == torch_macs(layer, x)


@settings(max_examples=N)
@given(num=st.integers(1, 200), dim=st.integers(1, 64))
def test_embedding_params_match_torch(num, dim):
    assert cl.embedding_params(num, dim) == n_params(nn.Embedding(num, dim))


@settings(max_examples=N)
@given(c=st.integers(1, 64), affine=st.booleans(), track=st.booleans(),
       cls=st.sampled_from([nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d]))
def test_batchnorm_params_match_torch(c, affine, track, cls):
    bn = cls(c, affine=affine, track_running_stats=track)
    got = cl.batchnorm_params(c, affine=affine, track_running_stats=track)
    buffers = dict(bn.named_buffers())
    assert got.trainable == n_params(bn)
    # running_mean + running_var; torch's 1-element counter is not counted.
    assert got.buffers == sum(b.numel() for n, b in buffers.items()
                              if n != "num_batches_tracked")
    assert ("num_batches_tracked" in buffers) == track
    assert sum(b.numel() for b in bn.buffers()) == got.buffers + track


@settings(max_examples=80)   # each example builds and runs a layer: about 0.1 s
@given(kind=st.sampled_from(["RNN", "LSTM", "GRU"]), n_in=st.integers(1, 12),
       h=st.integers(1, 12), layers=st.integers(1, 3), bi=st.booleans(),
       bias=st.booleans())
def test_recurrent_params_match_torch(kind, n_in, h, layers, bi, bias):
    fn = {"RNN": cl.rnn_params, "LSTM": cl.lstm_params, "GRU": cl.gru_params}[kind]
    layer = getattr(nn, kind)(n_in, h, num_layers=layers, bidirectional=bi, bias=bias)
    assert fn(n_in, h, num_layers=layers, bidirectional=bi, bias=bias) == n_params(layer)


@settings(max_examples=N)
@given(kind=st.sampled_from(["RNN", "LSTM", "GRU", "GRU_v1"]), n_in=st.integers(1, 12),
       h=st.integers(1, 12), layers=st.integers(1, 3), bi=st.booleans())
def test_keras_style_drops_one_bias_vector(kind, n_in, h, layers, bi):
    """Keras = PyTorch minus one bias vector per gate (none for GRU reset_after=True)."""
    gates, fn, extra = {"RNN": (1, cl.rnn_params, {}), "LSTM": (4, cl.lstm_params, {}),
                        "GRU": (3, cl.gru_params, {}),
                        "GRU_v1": (3, cl.gru_params, {"reset_after": False})}[kind]
    keep = 1 if kind == "GRU" else 0
    args = dict(num_layers=layers, bidirectional=bi)
    torch_count = fn(n_in, h, **args)
    keras = fn(n_in, h, style="keras", **args, **extra)
    dirs = 2 if bi else 1
    assert torch_count - keras == (1 - keep) * gates * h * layers * dirs
    assert (fn(n_in, h, style="keras", bias=False, **args, **extra)
            == fn(n_in, h, bias=False, **args))


@settings(max_examples=80)   # each example builds and runs a layer: about 0.1 s
@given(kind=st.sampled_from(["RNN", "LSTM", "GRU"]), n_in=st.integers(1, 9), h=st.integers(2, 9),
       layers=st.integers(1, 3), bi=st.booleans(), steps=st.integers(1, 4),
       proj=st.integers(0, 8))
def test_recurrent_macs_are_the_matmuls_torch_runs(kind, n_in, h, layers, bi, steps, proj):
    """On the meta device torch decomposes a recurrent layer into matmuls that
    FlopCounterMode counts (on the CPU a fused LSTM counts 0)."""
    proj = proj % h if kind == "LSTM" else 0
    kw = dict(proj_size=proj) if kind == "LSTM" else {}
    module = getattr(nn, kind)(n_in, h, num_layers=layers, bidirectional=bi, device="meta", **kw)
    with FlopCounterMode(display=False) as counter:
        module(torch.zeros(steps, 1, n_in, device="meta"))
    ours = {"RNN": cl.rnn_macs, "LSTM": cl.lstm_macs, "GRU": cl.gru_macs}[kind](
        n_in, h, layers, bi, steps, **kw)
    assert ours == counter.get_total_flops() // 2
