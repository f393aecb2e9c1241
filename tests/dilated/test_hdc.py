"""convlib.dilated.hdc against autograd: a rate sequence is hole-free exactly when the gradient of
the top unit of a stack of all-ones dilated convolutions is non-zero on its whole field;
the finder lists exactly the hole-free sequences of the target field."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import convlib as cl
from convlib.dilated import hdc

rates_st = st.lists(st.integers(1, 9), min_size=1, max_size=5)


def autograd_mask_1d(rates, k: int) -> np.ndarray:
    """Input pixels the single output of an unpadded Conv1d stack reads (torch autograd)."""
    rf = 1 + (k - 1) * sum(rates)
    x = torch.ones(1, 1, rf, dtype=torch.float64, requires_grad=True)
    y = x
    for r in rates:
        y = F.conv1d(y, torch.ones(1, 1, k, dtype=torch.float64), dilation=r)
    assert y.shape[-1] == 1
    y.sum().backward()
    return x.grad[0, 0].numpy() != 0


def autograd_mask_2d(rates, k: int) -> np.ndarray:
    rf = 1 + (k - 1) * sum(rates)
    x = torch.ones(1, 1, rf, rf, dtype=torch.float64, requires_grad=True)
    y = x
    for r in rates:
        y = F.conv2d(y, torch.ones(1, 1, k, k, dtype=torch.float64), dilation=r)
    y.sum().backward()
    return x.grad[0, 0].numpy() != 0


@settings(max_examples=300)
@given(rates=rates_st, k=st.integers(2, 4))
def test_hole_free_iff_autograd_mask_is_full(rates, k):
    mask = autograd_mask_1d(rates, k)
    assert cl.hole_free(rates, k) == bool(mask.all())
    assert cl.hole_free(rates, k) == bool(cl.gridding_mask(rates, (k, 1)).all())
    hole = cl.first_hole(rates, k)
    if hole is None:
        assert mask.all()
    else:
        assert not mask[hole] and mask[:hole].all()


@settings(max_examples=60)
@given(rates=st.lists(st.integers(1, 6), min_size=1, max_size=3), k=st.integers(2, 3))
def test_the_2d_field_is_hole_free_iff_the_1d_one_is(rates, k):
    assert cl.hole_free(rates, k) == bool(autograd_mask_2d(rates, k).all())


@settings(max_examples=100)
@given(rates=rates_st, k=st.integers(2, 4), seed=st.integers(0, 10**6))
def test_the_order_of_the_layers_does_not_matter(rates, k, seed):
    shuffled = list(np.random.default_rng(seed).permutation(rates))
    assert bool(autograd_mask_1d(shuffled, k).all()) == cl.hole_free(rates, k)


@pytest.mark.parametrize("k", [2, 3])
def test_finder_lists_exactly_the_hole_free_sequences(k):
    target, max_layers = 1 + (k - 1) * 9, 4
    brute = set()
    for n in range(1, max_layers + 1):
        for rates in itertools.product(range(1, 10), repeat=n):
            if sum(rates) == 9 and list(rates) == sorted(rates) and autograd_mask_1d(rates, k).all():
                brute.add(rates)
    found = cl.hdc_rates(target, kernel_size=k, max_layers=max_layers)
    assert set(found) == brute and len(found) == len(brute)
    assert [len(r) for r in found] == sorted(len(r) for r in found)


def test_finder_respects_max_rate_and_every_prefix_is_hole_free():
    found = cl.hdc_rates(37, max_layers=5, max_rate=6)
    assert found and all(max(r) <= 6 for r in found)
    for rates in found:
        assert 1 + 2 * sum(rates) == 37
        assert all(autograd_mask_1d(rates[:j], 3).all() for j in range(1, len(rates) + 1))


def test_wang_condition_is_not_equivalent_to_no_holes():
    assert cl.wang_condition([1, 2, 5]) and autograd_mask_1d([1, 2, 5], 3).all()
    assert cl.wang_condition([2, 3]) and not autograd_mask_1d([2, 3], 3).all()
    assert not cl.wang_condition([1, 3, 1]) and autograd_mask_1d([1, 3, 1], 3).all()
    assert not cl.wang_condition([2, 4, 8])          # common factor 2
    assert hdc.wang_max_distance([1, 2, 9]) == 5


@pytest.mark.parametrize("call, name", [
    (lambda: cl.hole_free([], 3), "rates"),
    (lambda: cl.hole_free([1, 0], 3), "rates"),
    (lambda: cl.hole_free("12", 3), "rates"),
    (lambda: cl.hole_free([1, 2], 0), "kernel_size"),
    (lambda: cl.hdc_rates(0), "target_field"),
    (lambda: cl.hdc_rates(10), "target_field"),
    (lambda: cl.hdc_rates(9, kernel_size=1), "kernel_size"),
    (lambda: cl.hdc_rates(9, max_layers=0), "max_layers"),
    (lambda: cl.hdc_rates(9, max_rate=0), "max_rate"),
    (lambda: cl.wang_condition([1, 2], kernel_size=0), "kernel_size"),
])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
