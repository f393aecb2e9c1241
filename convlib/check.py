"""Comparisons with PyTorch for notebooks: quiet when they agree, loud when not.

Every number a chapter shows is compared with torch in the notebook, so that a
cell raises (failing nbval in CI) the moment convlib and torch disagree. A
section gathers its comparisons in one `checks` block and shows one line, with
the individual comparisons a click away::

    with cl.checks("output sizes") as ck:
        for layer in layers:
            ck.compare(str(layer), convlib_size, torch_size)

shows "✓ output sizes: 14 of 14 agree with PyTorch". `compare` on its own prints
one line, for the rare cell whose single comparison is the point.
"""
from __future__ import annotations

import html
from typing import Any

import numpy as np

__all__ = ["Checks", "checks", "compare", "as_numpy", "verdict"]


def as_numpy(value: Any) -> Any:
    """Tensors and arrays to numpy (a 0-d integer one to ``int``); ``torch.Size`` and lists to
    tuples; others unchanged."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iu":
        return int(value)
    if isinstance(value, (list, tuple)) and not isinstance(value, np.ndarray):
        return tuple(as_numpy(v) for v in value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _fmt(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}"
    return str(value)


def _judge(label: str, ours: Any, torch_value: Any, rtol: float, atol: float) -> tuple[str, str]:
    """(statement, detail) of a comparison; raise AssertionError naming `label` if they differ."""
    a, b = as_numpy(ours), as_numpy(torch_value)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.dtype == bool or b.dtype == bool:
            a, b = a.astype(np.int8), b.astype(np.int8)
        if a.shape != b.shape:
            raise AssertionError(f"{label}: convlib shape {a.shape} != torch shape {b.shape}")
        diff = float(np.max(np.abs(a.astype(float) - b.astype(float)))) if a.size else 0.0
        if not np.allclose(a, b, rtol=rtol, atol=atol):
            raise AssertionError(f"{label}: convlib and torch differ by up to {diff:.3g}")
        # the tolerance, not the difference, is shown: stored outputs must not
        # change with the last bits of floating-point rounding
        return f"{label}: convlib == torch", f" ({_fmt(a)}, equal within rtol={rtol:g})"
    if a != b:
        raise AssertionError(f"{label}: convlib {a} != torch {b}")
    return f"{label}: convlib {a} == torch {b}", ""


def verdict(label: str, ours: Any, torch_value: Any, rtol: float = 1e-6, atol: float = 1e-8) -> str:
    """``label: convlib X == torch Y``; raise AssertionError naming `label` if they differ.

    Arrays are compared with `numpy.allclose` (masks as 0/1); everything else with ``==``.

    >>> verdict("output size", 3, 3)
    'output size: convlib 3 == torch 3'
    >>> verdict("mask", np.array([True, False]), np.array([True, True]))
    Traceback (most recent call last):
    AssertionError: mask: convlib and torch differ by up to 1
    """
    statement, detail = _judge(label, ours, torch_value, rtol, atol)
    return statement + detail


def compare(label: str, ours: Any, torch_value: Any, rtol: float = 1e-6, atol: float = 1e-8) -> None:
    """Print ``label: convlib X == torch Y ✓``; raise AssertionError if they differ.

    >>> compare("output size", 3, 3)
    output size: convlib 3 == torch 3 ✓
    >>> compare("mask", np.array([True, False]), np.array([True, False]))
    mask: convlib == torch ✓ (array of shape (2,), equal within rtol=1e-06)
    """
    statement, detail = _judge(label, ours, torch_value, rtol, atol)
    print(f"{statement} ✓{detail}")


class Checks:
    """The comparisons behind one idea: one visible line, the details a click away.

    Use as a context manager (`checks`); each `compare` or `holds` raises at once
    if it fails, and on a clean exit the block shows its summary: a ``<details>``
    element in JupyterLab, on the site and in the decks, one line in plain text.

    >>> with checks("output sizes") as ck:
    ...     ck.compare("k=3", 5, 5)
    ...     ck.holds("k=3 keeps 5 with p=1", 5 == 5)
    ✓ output sizes: 2 of 2 agree with PyTorch
    >>> ck.lines
    ['k=3: convlib 5 == torch 5', 'k=3 keeps 5 with p=1']
    """

    def __init__(self, subject: str) -> None:
        if not subject:
            raise ValueError("`subject` must name what is checked")
        self.subject = subject
        self.lines: list[str] = []

    def compare(self, label: str, ours: Any, torch_value: Any,
                rtol: float = 1e-6, atol: float = 1e-8) -> None:
        """Record `verdict` (which raises if convlib and torch differ)."""
        self.lines.append(verdict(label, ours, torch_value, rtol, atol))

    def holds(self, label: str, condition: Any) -> None:
        """Record a fact computed with torch; raise AssertionError naming `label` if false."""
        if not bool(condition):
            raise AssertionError(f"{label}: does not hold")
        self.lines.append(label)

    def summary(self) -> str:
        n = len(self.lines)
        if n == 0:
            raise AssertionError(f"{self.subject}: nothing was checked")
        return f"✓ {self.subject}: {n} of {n} agree with PyTorch"

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines)
        return (f'<details class="convlib-checks"><summary>{html.escape(self.summary())}'
                f"</summary><ul>{items}</ul></details>")

    def __enter__(self) -> "Checks":
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        if exc_type is None:
            _show(self)
        return False


def checks(subject: str) -> Checks:
    """A `Checks` block for `subject` (what the comparisons are about)."""
    return Checks(subject)


def _show(block: Checks) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python: the summary line
        print(block.summary())
        return
    if get_ipython() is None:
        print(block.summary())
    else:
        display(block)
