"""convlib.dilated.causal against torch: a causal Conv1d stack keeps the length, never reads the
future, and one output reads exactly the RF inputs ending at it (autograd)."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import convlib as cl


def ones_stack(dilations, k):
    model = cl.causal_stack(dilations, k).double()
    with torch.no_grad():
        for m in model:
            if isinstance(m, torch.nn.Conv1d):
                m.weight.fill_(1.0)
                m.bias.zero_()
    return model


def read_by(model, n: int, t: int) -> np.ndarray:
    """Inputs whose gradient from output t is non-zero (all-ones weights: no cancelling)."""
    x = torch.ones(1, 1, n, dtype=torch.float64, requires_grad=True)
    y = model(x)
    assert y.shape[-1] == n
    y[0, 0, t].backward()
    return np.flatnonzero(x.grad[0, 0].numpy())


@settings(max_examples=150)
@given(dilations=st.lists(st.integers(1, 8), min_size=1, max_size=5), k=st.integers(2, 3),
       extra=st.integers(0, 6))
def test_field_and_causality_match_autograd(dilations, k, extra):
    rf = cl.causal_field(dilations, k)
    n = rf + extra
    model = ones_stack(dilations, k)
    last = read_by(model, n, n - 1)
    assert last.min() == n - rf and last.max() == n - 1
    assert (len(last) == rf) == cl.hole_free(dilations, k)
    t = extra // 2
    assert read_by(model, n, t).max() == t               # never reads the future
    assert [m.padding for m in model if isinstance(m, torch.nn.ConstantPad1d)] == [
        (cl.causal_padding(k, d), 0) for d in dilations]


def test_wavenet_block_reads_1024_samples_without_holes():
    ds = cl.wavenet_dilations(10)
    assert ds == tuple(2 ** l for l in range(10))
    assert cl.causal_field(ds) == 1024 and cl.hole_free(ds, 2)
    read = read_by(ones_stack(ds, 2), 1100, 1099)
    assert len(read) == 1024 and read.min() == 1100 - 1024
    assert cl.causal_field(cl.wavenet_dilations(10, blocks=2)) == 2047


@pytest.mark.parametrize("call, name", [
    (lambda: cl.wavenet_dilations(0), "layers_per_block"),
    (lambda: cl.wavenet_dilations(3, blocks=0), "blocks"),
    (lambda: cl.causal_padding(0, 1), "kernel_size"),
    (lambda: cl.causal_padding(2, 0), "dilation"),
    (lambda: cl.causal_field([]), "dilations"),
    (lambda: cl.causal_field([1, 0]), "dilations"),
    (lambda: cl.causal_stack([1, 2], channels=0), "channels"),
])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
