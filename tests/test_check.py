"""convlib.check.compare: prints agreement, raises on any disagreement."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import convlib as cl


def test_equal_values_print_a_tick(capsys):
    cl.compare("size", (3, 2), torch.Size([3, 2]))
    cl.compare("values", np.ones((2, 2)), torch.ones(2, 2))
    cl.compare("mask", np.array([True, False]), torch.tensor([True, False]))
    out = capsys.readouterr().out
    assert out.count("✓") == 3 and "convlib (3, 2) == torch (3, 2)" in out


@pytest.mark.parametrize("ours, theirs, match", [
    (3, 4, "convlib 3 != torch 4"),
    (np.zeros(3), torch.zeros(4), "shape"),
    (np.zeros(3), torch.tensor([0.0, 0.0, 1e-3]), "differ by up to 0.001"),
    (np.array([True, True]), torch.tensor([True, False]), "differ"),
])
def test_differences_raise(ours, theirs, match):
    with pytest.raises(AssertionError, match=match):
        cl.compare("x", ours, theirs)
