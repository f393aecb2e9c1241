"""Visible comparisons with PyTorch for notebooks: print both, fail loudly.

Every number a chapter shows goes through `compare`, so a notebook cell both
shows the learner that convlib and torch agree and raises (failing nbval in
CI) the moment they do not.
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["compare", "as_numpy"]


def as_numpy(value: Any) -> Any:
    """Tensors and arrays to numpy; ``torch.Size`` and lists to tuples; others unchanged."""
    if hasattr(value, "detach"):
        return value.detach().cpu().numpy()
    if isinstance(value, (list, tuple)) and not isinstance(value, np.ndarray):
        return tuple(as_numpy(v) for v in value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _fmt(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}"
    return str(value)


def compare(label: str, ours: Any, torch_value: Any, rtol: float = 1e-6, atol: float = 1e-8) -> None:
    """Print ``label: convlib X == torch Y ✓``; raise AssertionError if they differ.

    Arrays are compared with `numpy.allclose`; everything else with ``==``.

    >>> compare("output size", 3, 3)
    output size: convlib 3 == torch 3 ✓
    >>> compare("mask", np.array([True, False]), np.array([True, False]))
    mask: convlib == torch ✓ (array of shape (2,), equal within rtol=1e-06)
    """
    a, b = as_numpy(ours), as_numpy(torch_value)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.dtype == bool or b.dtype == bool:  # masks: compare as 0/1
            a, b = a.astype(np.int8), b.astype(np.int8)
        if a.shape != b.shape:
            raise AssertionError(f"{label}: convlib shape {a.shape} != torch shape {b.shape}")
        diff = float(np.max(np.abs(a.astype(float) - b.astype(float)))) if a.size else 0.0
        if not np.allclose(a, b, rtol=rtol, atol=atol):
            raise AssertionError(f"{label}: convlib and torch differ by up to {diff:.3g}")
        # The tolerance, not the difference itself, is printed: stored outputs
        # must not change with the last bits of floating-point rounding.
        print(f"{label}: convlib == torch ✓ ({_fmt(a)}, equal within rtol={rtol:g})")
        return
    if a != b:
        raise AssertionError(f"{label}: convlib {a} != torch {b}")
    print(f"{label}: convlib {a} == torch {b} ✓")
