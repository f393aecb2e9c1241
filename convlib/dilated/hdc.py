"""Hybrid dilated convolution (HDC): which rate sequences leave no holes in the field.

A stack of stride-1 convolutions with kernel ``k`` and rates (dilations) ``r_1 .. r_n``
gives its top unit, along one axis, the field of offsets

    {m_1 r_1 + ... + m_n r_n : 0 <= m_l <= k - 1},   RF = 1 + (k - 1) sum_l r_l

(a square kernel's 2-D field is the product of two such sets). The field has no holes
exactly when, with the rates sorted ascending, each rate is at most the field of the
smaller ones:

    r_(j) <= 1 + (k - 1) (r_(1) + ... + r_(j-1))     for every j   (so r_(1) = 1)

Sufficient: adding taps ``{0, r, .., (k-1) r}`` to a hole-free span ``[0, L]`` with
``r <= L + 1`` gives the hole-free ``[0, L + (k-1) r]``. Necessary: at the first rate that
breaks it, offset ``L + 1`` needs a multiple of a rate larger than ``L + 1``, so it is a
hole. The order of the layers does not change the top unit's field; in ascending order
every intermediate layer is hole-free too.

Wang et al. (2018) state HDC as ``M_2 <= k`` with ``M_n = r_n``, ``M_i = max(M_{i+1} -
2 r_i, M_{i+1} - 2 (M_{i+1} - r_i), r_i)`` and no common factor > 1. That rule is a
design heuristic, not equivalent to "no holes": it accepts (2, 3) with k = 3 (offset 1
is never read) and rejects (1, 3, 1), whose field is full. `wang_condition` computes it
so that a chapter can show both; `hole_free` and `hdc_rates` use the exact criterion.

Pure module: numpy only.
"""
from __future__ import annotations

from collections.abc import Sequence
from math import gcd

from .._validate import positive_int

__all__ = ["hole_free", "first_hole", "wang_max_distance", "wang_condition", "hdc_rates"]


def _rates(rates: Sequence[int]) -> list[int]:
    if isinstance(rates, (str, bytes)) or not isinstance(rates, Sequence) or not rates:
        raise ValueError(f"`rates` must be a non-empty sequence of ints, got {rates!r}")
    return [positive_int("rates", r) for r in rates]


def first_hole(rates: Sequence[int], kernel_size: int = 3) -> int | None:
    """Smallest offset (from the field's first pixel) that the top unit never reads, or None.

    With the rates sorted ascending and ``L`` the span of the smaller ones, the first rate
    with ``r > L + 1`` leaves offset ``L + 1`` unread.

    >>> first_hole([2, 2, 2])
    1
    >>> first_hole([1, 2, 9])
    7
    >>> first_hole([1, 2, 5]) is None
    True
    """
    k = positive_int("kernel_size", kernel_size)
    span = 0
    for r in sorted(_rates(rates)):
        if k > 1 and r > span + 1:
            return span + 1
        span += (k - 1) * r
    return None


def hole_free(rates: Sequence[int], kernel_size: int = 3) -> bool:
    """True when the top unit of the stack reads every pixel of its field.

    r_(j) <= 1 + (k - 1) sum_{i<j} r_(i)   for the rates sorted ascending

    >>> hole_free([1, 2, 5]), hole_free([1, 2, 9]), hole_free([2, 4, 8])
    (True, False, False)
    """
    return first_hole(rates, kernel_size) is None


def wang_max_distance(rates: Sequence[int]) -> int:
    """Wang et al.'s "maximum distance between two nonzero values" ``M_2`` (bottom layer first).

    M_n = r_n,  M_i = max(M_{i+1} - 2 r_i, M_{i+1} - 2 (M_{i+1} - r_i), r_i),  i = n-1 .. 2

    For a single layer there is no ``M_2``; this returns ``r_1``.

    >>> wang_max_distance([1, 2, 5]), wang_max_distance([1, 2, 9])
    (2, 5)
    """
    rs = _rates(rates)
    m = rs[-1]
    for r in reversed(rs[1:-1]):
        m = max(m - 2 * r, m - 2 * (m - r), r)
    return m


def wang_condition(rates: Sequence[int], kernel_size: int = 3) -> bool:
    """Wang et al.'s HDC rule: ``M_2 <= k`` and the rates share no factor > 1.

    Not equivalent to `hole_free` (see the module docstring).

    >>> wang_condition([1, 2, 5]), wang_condition([2, 3]), hole_free([2, 3])
    (True, True, False)
    >>> wang_condition([1, 3, 1]), hole_free([1, 3, 1])
    (False, True)
    """
    k = positive_int("kernel_size", kernel_size)
    rs = _rates(rates)
    return wang_max_distance(rs) <= k and gcd(*rs) == 1


def hdc_rates(target_field: int, kernel_size: int = 3, max_layers: int = 4,
              max_rate: int | None = None) -> list[tuple[int, ...]]:
    """Every hole-free rate sequence (ascending) whose field is exactly ``target_field``.

    RF = 1 + (k - 1) sum_l r_l,  with  r_(j) <= 1 + (k - 1) sum_{i<j} r_(i)  (`hole_free`)

    Sequences have at most ``max_layers`` layers and rates at most ``max_rate`` (no limit
    by default); each set of rates is listed once, ascending (the order in which every
    layer is hole-free), fewest layers first, then lexicographically.

    >>> hdc_rates(17, max_layers=3)
    [(1, 2, 5), (1, 3, 4)]
    >>> hdc_rates(9, kernel_size=2, max_layers=4)
    [(1, 1, 2, 4), (1, 1, 3, 3), (1, 2, 2, 3)]
    """
    rf = positive_int("target_field", target_field)
    k = positive_int("kernel_size", kernel_size)
    n_max = positive_int("max_layers", max_layers)
    cap = None if max_rate is None else positive_int("max_rate", max_rate)
    if k == 1:
        raise ValueError("`kernel_size` must be at least 2: a 1-wide kernel's field is 1 pixel")
    if (rf - 1) % (k - 1):
        raise ValueError(f"`target_field`={rf} is not reachable with kernel_size={k}: "
                         f"the field is 1 + {k - 1}·Σr")
    total = (rf - 1) // (k - 1)
    found: list[tuple[int, ...]] = []

    def extend(prefix: list[int], left: int) -> None:
        if left == 0:
            if prefix:
                found.append(tuple(prefix))
            return
        if len(prefix) == n_max:
            return
        lo = prefix[-1] if prefix else 1
        hi = min(left, 1 + (k - 1) * sum(prefix), cap or left)
        for r in range(lo, hi + 1):
            extend(prefix + [r], left - r)

    extend([], total)
    return sorted(found, key=lambda rs: (len(rs), rs))
