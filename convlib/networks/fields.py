"""Testing and reading the receptive fields of real networks.

* `corner_test`: which input size makes an autograd check of a field exact. The
  check backpropagates from the top-right unit; where its field leaves the image,
  the autograd box is clipped and that side tests nothing. The bottom and the left
  side test the traced bounds only if they lie inside the image, so a large field
  needs a large input.
* `half_mass_square`: how concentrated an effective receptive field is, measured
  against the image (not against a field box that lies mostly on padding, where no
  gradient can be).

numpy only; the tables come from `convlib.receptive_field`.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np

from ..receptive.fields import field_bounds
from ..receptive.stacks import clip_bounds

__all__ = ["CornerTest", "corner_test", "inner_sides", "HalfMass", "half_mass_square"]


class CornerTest(NamedTuple):
    """Input size, unit, its field's bounds and the part on the image (what autograd sees)."""
    input_size: int
    unit: tuple[int, int]
    bounds: tuple
    clipped: tuple


def inner_sides(bounds: tuple, input_size: int) -> int:
    """How many of the box's four sides lie strictly inside the image ``[0, i - 1]``.

    A side on the border or beyond it is clipped: autograd cannot test it.

    >>> inner_sides(((-5, 9), (3, 30)), 20), inner_sides(((2, 9), (3, 12)), 20)
    (2, 4)
    """
    return sum(int(0 < first) + int(last < input_size - 1) for first, last in bounds)


def _row_name(row: Any) -> str:
    """A row's module name (a top-level ``nn.Sequential`` names rows ``"2: MaxPool2d"``)."""
    return row.name.split(": ")[0]


def corner_test(tables: Mapping[int, Any], stage: str) -> CornerTest:
    """The top-right unit ``(0, o - 1)`` of ``stage`` on the smallest input size whose
    field has its bottom and left sides inside the image.

    ``tables`` maps input sizes to `convlib.receptive_field` tables of the same model;
    ``stage`` names a row (its last row when several rows start with ``stage.``); in a
    plain ``nn.Sequential`` the row ``"2: MaxPool2d"`` is named ``"2"``.
    The unit's field is ``start + u j -/+ (r - 1) / 2`` per axis: row 0 reaches
    ``start + (r - 1) / 2`` downwards, column ``o - 1`` starts at
    ``start + (o - 1) j - (r - 1) / 2``; both must lie in ``(0, i - 1)``.

    >>> from convlib import receptive_field
    >>> stack = [(3, 2, 1, 1)] * 4                       # field 31, jump 16
    >>> tables = {size: receptive_field(stack, size) for size in (16, 64)}
    >>> corner_test(tables, tables[16].rows[-1].name)
    CornerTest(input_size=64, unit=(0, 3), bounds=((-15, 15), (33, 63)), clipped=((0, 15), (33, 63)))
    """
    if not tables:
        raise ValueError("`tables` must hold at least one traced table")
    for size in sorted(tables):
        rows = [r for r in tables[size].rows if stage in (r.name, _row_name(r))
                or r.name.startswith(stage + ".")]
        if not rows:
            raise ValueError(f"`stage` must name a row of the table, got {stage!r}")
        row = rows[-1]
        unit = (0, row.output_size - 1)
        bounds = field_bounds(row, unit)
        (_, last_row), (first_col, _) = bounds
        if last_row < size - 1 and first_col > 0:
            return CornerTest(size, unit, bounds, clip_bounds(bounds, size))
    raise ValueError(f"`tables` has no input size on which {stage!r}'s field leaves two sides "
                     f"inside the image (largest: {max(tables)})")


class HalfMass(NamedTuple):
    """The smallest square around the field's centre holding half the gradient."""
    side: int          # pixels per axis of the square (the part on the image)
    mass: float        # share of the gradient inside (>= 0.5)
    area: float        # share of the image's pixels inside
    bounds: tuple      # ((first row, last row), (first col, last col)) of the square

    @property
    def concentration(self) -> float:
        """mass / area: 1 for a gradient spread evenly over the image."""
        return self.mass / self.area


def half_mass_square(grad: np.ndarray, centre: tuple[float, float],
                     mass: float = 0.5) -> HalfMass:
    """Smallest square ``|y - c_y| <= h, |x - c_x| <= h`` (h = 0, 1/2, 1, ...) around
    ``centre`` whose pixels hold at least ``mass`` of ``sum |grad|``.

    area = pixels of the square on the image / pixels of the image

    A gradient spread evenly over the image has concentration ``mass / area`` = 1.

    >>> g = np.zeros((10, 10)); g[4:6, 4:6] = 1; g[0, 0] = 1
    >>> half_mass_square(g, (4.5, 4.5))
    HalfMass(side=2, mass=0.8, area=0.04, bounds=((4, 5), (4, 5)))
    """
    weights = np.abs(np.asarray(grad, float))
    if weights.ndim != 2 or weights.sum() == 0:
        raise ValueError(f"`grad` must be 2-D and not all zero, got shape {weights.shape}")
    if not 0 < mass <= 1:
        raise ValueError(f"`mass` must be in (0, 1], got {mass!r}")
    total = weights.sum()
    ys, xs = np.arange(weights.shape[0]), np.arange(weights.shape[1])
    dy, dx = np.abs(ys - centre[0]), np.abs(xs - centre[1])
    for h in np.arange(0, max(weights.shape) + 1, 0.5):
        rows, cols = dy <= h + 1e-9, dx <= h + 1e-9
        inside = weights[np.ix_(rows, cols)].sum() / total
        if inside >= mass - 1e-12 and rows.any() and cols.any():
            area = rows.sum() * cols.sum() / weights.size
            r, c = np.flatnonzero(rows), np.flatnonzero(cols)
            return HalfMass(int(max(rows.sum(), cols.sum())), round(float(inside), 6),
                            round(float(area), 6),
                            ((int(r[0]), int(r[-1])), (int(c[0]), int(c[-1]))))
    raise AssertionError("unreachable: the whole image holds all the gradient")
