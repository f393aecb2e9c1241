"""Exact per-axis field maps: for every unit ``u`` of a feature map, the first and last
input pixel ``[lo(u), hi(u)]`` that it can depend on, along one axis.

A map is two arrays (``lo``, ``hi``; ``+inf`` / ``-inf`` for a unit that sees no input
pixel, such as a hole of a strided transposed conv) and is composed op by op:

    conv / pool (k, s, p, d):   F_out(u) = union_{t < k} F_in(u s - p + t d)
    transposed conv:            F_out(v) = union { F_in(u) : v + p - u s = t d, 0 <= t < k,
                                                   0 <= u < i }
    resampling (interpolate):   F_out(v) = union { F_in(u) : weight(v, u) != 0 }
    join (add, mul, cat on C):  F_out(u) = union_b F_b(u)

A position outside a map (padding, ``i`` the map's length) is extrapolated with the
nominal jump ``j`` from the nearest unit that sees something, then placed outside the
image on its side: left of pixel 0 (``<= -1``) or right of pixel ``n - 1`` (``>= n``),
``n`` the input size. So padding never counts as an image pixel, a field larger than the
image is reported in full, and for a chain of convs and pools ``lo(u) = start + u j -
(r - 1) / 2`` exactly as in `convlib.receptive.fields`. Pure numpy.

>>> m = window(identity(8), 4, k=3, s=2, p=1, d=1)
>>> bounds(m, 0), bounds(m, 3), summary(m)
((-1, 1), (5, 7), (3, 2, 0, True))
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import ceil, floor

import numpy as np

__all__ = ["AxisMap", "identity", "window", "transposed", "gather", "resample", "union",
           "concat", "whole", "broadcast", "bounds", "summary", "centre_spread"]

INF = float("inf")


@dataclass(frozen=True)
class AxisMap:
    """Field of every unit along one axis: ``lo[u]``, ``hi[u]`` (input pixels, floats
    holding ints; +-inf when empty), the nominal ``jump`` (None when unknown), ``whole``
    (every unit sees the union of everything before: a global op) and ``n_image``."""
    lo: np.ndarray
    hi: np.ndarray
    jump: Fraction | None
    whole: bool
    n_image: int

    @property
    def n(self) -> int:
        return len(self.lo)


def identity(n: int) -> AxisMap:
    """The input itself: unit ``u`` is pixel ``u``."""
    u = np.arange(n, dtype=float)
    return AxisMap(u, u.copy(), Fraction(1), False, n)


def _extend(m: AxisMap, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """lo, hi of positions ``q`` (any shape), extrapolated outside ``[0, m.n - 1]``."""
    if m.whole:
        return np.full(q.shape, m.lo.min()), np.full(q.shape, m.hi.max())
    inside = (q >= 0) & (q < m.n)
    qc = np.clip(q, 0, m.n - 1)
    lo, hi = m.lo[qc].copy(), m.hi[qc].copy()
    finite = np.flatnonzero(np.isfinite(m.lo))
    if inside.all():
        return lo, hi
    if not len(finite):
        lo[~inside], hi[~inside] = INF, -INF
        return lo, hi
    j = m.jump if m.jump is not None else Fraction(1)
    for side, e, clamp in ((q < 0, finite[0], np.minimum), (q >= m.n, finite[-1], np.maximum)):
        if not side.any():
            continue
        edge = -1 if clamp is np.minimum else m.n_image
        steps = [(int(x) - int(e)) * j for x in q[side]]
        base_lo, base_hi = Fraction(int(m.lo[e])), Fraction(int(m.hi[e]))
        lo[side] = clamp([floor(base_lo + s) for s in steps], edge)
        hi[side] = clamp([ceil(base_hi + s) for s in steps], edge)
    return lo, hi


def gather(m: AxisMap, index: np.ndarray, jump: Fraction | None = None) -> AxisMap:
    """Unit ``v`` is position ``index[v]`` of ``m`` (slices, pads, crops, reflections).

    >>> bounds(gather(identity(4), np.arange(-1, 5)), 0)
    (-1, -1)
    """
    lo, hi = _extend(m, np.asarray(index, dtype=int))
    return AxisMap(lo, hi, jump if jump is not None else m.jump, m.whole, m.n_image)


def _reduce(m: AxisMap, taps: np.ndarray, valid: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = _extend(m, taps)
    if valid is not None:
        lo, hi = np.where(valid, lo, INF), np.where(valid, hi, -INF)
    return lo.min(1), hi.max(1)


def _scale(m: AxisMap, factor: Fraction) -> Fraction | None:
    return None if m.jump is None else m.jump * factor


def window(m: AxisMap, n_out: int, k: int, s: int, p: int, d: int) -> AxisMap:
    """Conv or pool: unit ``u`` reads positions ``u s - p + t d``, ``t < k``."""
    taps = np.arange(n_out)[:, None] * s - p + np.arange(k)[None, :] * d
    return AxisMap(*_reduce(m, taps), _scale(m, Fraction(s)), m.whole, m.n_image)


def transposed(m: AxisMap, n_out: int, k: int, s: int, p: int, d: int) -> AxisMap:
    """Transposed conv: input unit ``u`` adds into outputs ``u s - p + t d``, ``t < k``.

    >>> [bounds(transposed(identity(3), 7, k=1, s=3, p=0, d=1), v) for v in range(4)]
    [(0, 0), None, None, (1, 1)]
    """
    num = np.arange(n_out)[:, None] + p - np.arange(k)[None, :] * d
    u = num // s
    valid = (num % s == 0) & (u >= 0) & (u < m.n)
    return AxisMap(*_reduce(m, np.where(valid, u, 0), valid), _scale(m, Fraction(1, s)),
                   m.whole, m.n_image)


def resample(m: AxisMap, reads: np.ndarray) -> AxisMap:
    """Unit ``v`` depends on the positions ``u`` where ``reads[v, u]`` is True (the
    non-zero pattern of a resampling matrix: interpolation, adaptive pooling)."""
    n_out = reads.shape[0]
    taps = np.broadcast_to(np.arange(m.n), reads.shape)
    return AxisMap(*_reduce(m, taps, reads), _scale(m, Fraction(m.n, n_out)), m.whole,
                   m.n_image)


def broadcast(m: AxisMap, n: int) -> AxisMap:
    """A map of length 1 spread over ``n`` units (broadcasting); others unchanged."""
    if m.n == n:
        return m
    if m.n != 1:
        raise ValueError(f"a map of {m.n} units cannot broadcast to {n}")
    return AxisMap(np.repeat(m.lo, n), np.repeat(m.hi, n), m.jump, m.whole, m.n_image)


def union(maps: list[AxisMap], n: int) -> AxisMap:
    """Join of branches (add, mul, cat along channels): the union of their fields."""
    spread = [broadcast(m, n) for m in maps]
    lo = np.min([m.lo for m in spread], axis=0)
    hi = np.max([m.hi for m in spread], axis=0)
    jumps = {m.jump for m in maps if not m.whole}
    all_whole = all(m.whole for m in maps)
    jump = jumps.pop() if len(jumps) == 1 else None
    return AxisMap(lo, hi, None if all_whole else jump, all_whole, maps[0].n_image)


def centre_spread(maps: list[AxisMap], n: int) -> Fraction:
    """Largest gap between the branches' field centres over the units where every
    (non-global) branch sees something; 0 when they agree."""
    parts = [broadcast(m, n) for m in maps if not m.whole]
    if len(parts) < 2:
        return Fraction(0)
    centres = np.array([m.lo + m.hi for m in parts])   # 2 x centre, finite where seen
    seen = np.isfinite(centres).all(axis=0)
    if not seen.any():
        return Fraction(0)
    gap = (centres[:, seen].max(axis=0) - centres[:, seen].min(axis=0)).max()
    return Fraction(int(gap), 2)


def concat(maps: list[AxisMap]) -> AxisMap:
    """Concatenation along this axis."""
    jumps = {m.jump for m in maps}
    return AxisMap(np.concatenate([m.lo for m in maps]), np.concatenate([m.hi for m in maps]),
                   jumps.pop() if len(jumps) == 1 else None, all(m.whole for m in maps),
                   maps[0].n_image)


def whole(m: AxisMap, n_out: int = 1) -> AxisMap:
    """A global op (mean over the axis, flatten): every unit sees the union of all."""
    lo, hi = np.full(n_out, m.lo.min()), np.full(n_out, m.hi.max())
    return AxisMap(lo, hi, None, True, m.n_image)


def _num(x: Fraction) -> int | float:
    return int(x) if x.denominator == 1 else float(x)


def bounds(m: AxisMap, u: int) -> tuple[int, int] | None:
    """``(first, last)`` input pixel of unit ``u`` (None: it sees no input pixel)."""
    lo, hi = m.lo[u], m.hi[u]
    return None if lo > hi else (int(lo), int(hi))


def summary(m: AxisMap) -> tuple[int | None, Fraction | int | None, int | float | None, bool]:
    """``(size, jump, start, uniform)``: the largest field size, the nominal jump, the
    centre of unit 0's field and whether every field has the same size with centres
    exactly ``jump`` apart (then ``lo(u) = start + u j - (r - 1) / 2``)."""
    seen = np.isfinite(m.lo)
    size = int((m.hi - m.lo)[seen].max()) + 1 if seen.any() else None
    start = _num(Fraction(int(m.lo[0] + m.hi[0]), 2)) if seen[0] else None
    jump = m.jump
    uniform = bool(seen.all()) and jump is not None and jump.denominator == 1
    if uniform:
        steps = np.arange(m.n) * int(jump)
        uniform = bool(np.all(m.lo - steps == m.lo[0]) and np.all(m.hi - steps == m.hi[0]))
    if jump is not None and jump.denominator == 1:
        jump = int(jump)
    return size, jump, start, uniform
