"""convlib.networks.fields: the corner test against autograd on a strided stack, the error
paths, and the half-mass square on known gradients."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

import convlib as cl
from convlib.networks.fields import corner_test, half_mass_square, inner_sides
from convlib.receptive.check import autograd_bounds, gradient_copy


class Stack(nn.Module):
    """Four 3x3 convs with stride 2 and padding 1: field 31, jump 16."""

    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(*[nn.Conv2d(1, 1, 3, stride=2, padding=1) for _ in range(4)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


def stack() -> Stack:
    return Stack()


def test_corner_test_picks_the_first_size_with_two_sides_inside():
    model = stack()
    tables = {size: cl.receptive_field(model, (1, size, size)) for size in (16, 40, 96)}
    test = corner_test(tables, "body")
    assert test.input_size == 40            # field 31: at 16 the left side leaves the image
    assert inner_sides(test.bounds, test.input_size) == 2
    got = autograd_bounds(gradient_copy(model), (1, test.input_size, test.input_size), "body",
                          test.unit)
    assert got == test.clipped


def test_corner_test_errors_name_the_parameter():
    model = stack()
    tables = {16: cl.receptive_field(model, (1, 16, 16))}
    with pytest.raises(ValueError, match="`tables`"):
        corner_test(tables, "body")
    with pytest.raises(ValueError, match="`stage`"):
        corner_test(tables, "nope")
    with pytest.raises(ValueError, match="`tables`"):
        corner_test({}, "3")


def test_half_mass_square_uniform_gradient_has_concentration_one():
    result = half_mass_square(np.ones((20, 20)), (9.5, 9.5))
    assert result.mass >= 0.5 and abs(result.concentration - 1) < 1e-9


def test_half_mass_square_counts_only_the_image():
    g = np.zeros((10, 10))
    g[0, 0] = 1                             # centre in the corner: the square is cut
    result = half_mass_square(g, (0, 0))
    assert result == (1, 1.0, 0.01, ((0, 0), (0, 0)))


def test_half_mass_square_is_the_smallest_and_its_bounds_hold_the_mass():
    rng = np.random.default_rng(0)
    g = rng.random((30, 30)) * np.exp(-((np.arange(30)[:, None] - 14) ** 2
                                        + (np.arange(30) - 14) ** 2) / 40)
    result = half_mass_square(g, (14, 14))
    (r0, r1), (c0, c1) = result.bounds
    assert abs(g[r0:r1 + 1, c0:c1 + 1].sum() / g.sum() - result.mass) < 1e-6
    assert g[r0 + 1:r1, c0 + 1:c1].sum() / g.sum() < 0.5      # one step smaller: under half


def test_half_mass_square_errors_name_the_parameter():
    with pytest.raises(ValueError, match="`grad`"):
        half_mass_square(np.zeros((4, 4)), (1, 1))
    with pytest.raises(ValueError, match="`mass`"):
        half_mass_square(np.ones((4, 4)), (1, 1), mass=0)


def test_corner_test_names_rows_of_a_plain_sequential_by_index():
    model = nn.Sequential(*[nn.Conv2d(1, 1, 3, stride=2, padding=1) for _ in range(4)])
    tables = {size: cl.receptive_field(model, (1, size, size)) for size in (16, 40)}
    assert tables[40].rows[-1].name.startswith("3: ")      # how the tracer names them
    test = corner_test(tables, "3")
    assert test.input_size == 40
    assert autograd_bounds(gradient_copy(model), (1, 40, 40), "3", test.unit) == test.clipped
