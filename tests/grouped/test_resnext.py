"""convlib.grouped.resnext: the three forms of ResNeXt's Fig. 3 compute the same function."""
from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings, strategies as st
from torch import nn

from convlib.grouped import resnext


@settings(max_examples=15, deadline=None)
@given(st.sampled_from([8, 16]), st.sampled_from([1, 2, 4, 8]), st.sampled_from([1, 2, 4]), st.integers(0, 99))
def test_three_forms_agree(c, g, d, seed):
    w = resnext.resnext_weights(c, g, d, seed)
    x = torch.randn(2, c, 5, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    c_form = resnext.resnext_grouped(x, *w, g)
    torch.testing.assert_close(resnext.resnext_paths(x, *w, g), c_form)
    torch.testing.assert_close(resnext.resnext_concatenated(x, *w, g), c_form)


def test_form_c_is_a_torch_block_with_a_grouped_conv():
    w1, w2, w3 = resnext.resnext_weights(16, 4, 2)
    block = nn.Sequential(nn.Conv2d(16, 8, 1, bias=False), nn.ReLU(),
                          nn.Conv2d(8, 8, 3, padding=1, groups=4, bias=False), nn.ReLU(),
                          nn.Conv2d(8, 16, 1, bias=False)).double()
    with torch.no_grad():
        for conv, w in zip(block[::2], (w1, w2, w3)):
            conv.weight.copy_(w)
        x = torch.randn(1, 16, 6, 6, dtype=torch.float64)
        torch.testing.assert_close(resnext.resnext_grouped(x, w1, w2, w3, 4), block(x))


def test_cardinality_must_divide():
    w = resnext.resnext_weights(8, 4, 2)
    with pytest.raises(ValueError, match="`cardinality`"):
        resnext.resnext_paths(torch.zeros(1, 8, 4, 4, dtype=torch.float64), *w, 3)
