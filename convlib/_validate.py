"""Argument checks shared by every convlib module.

Each check names the parameter and the value it got, so that a learner who
types a bad slider value or a bad call sees what to change:

>>> positive_int("stride", 0)
Traceback (most recent call last):
...
ValueError: `stride` must be a positive int, got 0
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from numbers import Integral

__all__ = ["positive_int", "nonneg_int", "pair", "per_axis", "n_axes", "pack"]

IntOrTuple = int | tuple[int, ...]


def _is_int(value: object) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def positive_int(name: str, value: object) -> int:
    """Return `value` as an int if it is an int >= 1, else raise ValueError."""
    if not _is_int(value) or value < 1:
        raise ValueError(f"`{name}` must be a positive int, got {value!r}")
    return int(value)


def nonneg_int(name: str, value: object) -> int:
    """Return `value` as an int if it is an int >= 0, else raise ValueError."""
    if not _is_int(value) or value < 0:
        raise ValueError(f"`{name}` must be a non-negative int, got {value!r}")
    return int(value)


def n_axes(**args: object) -> int | None:
    """Number of axes implied by the tuple arguments (None if all are scalars).

    Raises ValueError naming the parameters whose tuple lengths disagree.
    """
    lengths = {name: len(v) for name, v in args.items()
               if isinstance(v, Sequence) and not isinstance(v, str)}
    if not lengths:
        return None
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"`{k}` has {n}" for k, n in lengths.items())
        raise ValueError(f"per-axis tuples must have the same length: {shown}")
    n = next(iter(lengths.values()))
    if n == 0:
        raise ValueError(f"`{next(iter(lengths))}` must not be an empty tuple")
    return n


def per_axis(name: str, value: object, n: int | None) -> list:
    """Spread `value` over `n` axes (a scalar repeats; a tuple is checked)."""
    if n is None:
        return [value]
    if isinstance(value, Sequence) and not isinstance(value, str):
        return list(value)
    return [value] * n


def pack(values: list, n: int | None):
    """Inverse of `per_axis`: a scalar when no tuple was given, else a tuple."""
    return values[0] if n is None else tuple(values)


def pair(name: str, value: object, check: Callable[[str, object], int] = positive_int) -> tuple[int, int]:
    """An int for both axes, or an ``(H, W)`` pair, each value passed through `check`.

    >>> pair("kernel_size", 3), pair("padding", (0, 2), nonneg_int)
    ((3, 3), (0, 2))
    >>> pair("stride", (1, 2, 3))
    Traceback (most recent call last):
    ...
    ValueError: `stride` must be an int or a pair (H, W), got (1, 2, 3)
    """
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != 2:
            raise ValueError(f"`{name}` must be an int or a pair (H, W), got {value!r}")
        return check(name, value[0]), check(name, value[1])
    v = check(name, value)
    return v, v
