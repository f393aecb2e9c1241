"""Explorers that run in the browser without a kernel (HTML + JS, no CDN).

`kernel_free` returns an object whose ``_repr_html_`` is a ``<div
data-explorer="NAME">`` and the inlined script ``convlib/web/explorers.js``, which
turns it into controls and a canvas. It works wherever HTML runs: JupyterLab,
the static site, exported decks, GitHub's notebook view does not run scripts
(there the ``<noscript>``-style note stays). The HTML is deterministic (no random
ids), so nbval compares it exactly.

The explorers mirror `convlib.widgets.feature_map_explorer`,
`~convlib.widgets.transposed_explorer` and `~convlib.widgets.receptive_field_explorer`:
same controls, ranges and invalid messages; the arithmetic is a second
implementation in JS, checked against convlib by ``tests/browser/test_explorers_js.py``.
"""
from __future__ import annotations

import html
import json
from collections.abc import Sequence

from .assets import asset

__all__ = ["KERNEL_FREE", "KernelFreeExplorer", "kernel_free", "script"]

#: Names of the kernel-free explorers and their initial control values (the chapters' own).
KERNEL_FREE = {
    "feature_map": dict(H=7, W=6, kH=3, kW=2, stride=2, padding=1, dilation=1, mode="torch",
                        op="conv", ceil_mode=False, window=0),
    "transposed": dict(input_size=3, kernel_size=3, stride=2, padding=1, output_padding=1,
                       dilation=1, cell=0),
    "receptive_field": dict(kernel_sizes=(3, 3, 3), strides=(1, 2, 1), dilations=(1, 1, 2),
                            pools=(False, False, False), size=16, padding="half", unit=None),
}


def script() -> str:
    """The JS of every kernel-free explorer (one file, package data)."""
    return asset("explorers.js")


def _stack_controls(kernel_sizes: Sequence[int], strides: Sequence[int],
                    dilations: Sequence[int], pools: Sequence[bool], size: int, padding: str,
                    unit: tuple[int, int] | None) -> dict:
    """The stack builder's arguments as its flat controls (``k1``, ``s1``, ... ``unit_col``)."""
    from ..receptive.stacks import build_stack
    from ..receptive.fields import receptive_field

    n = len(kernel_sizes)
    if not 1 <= n <= 4:
        raise ValueError(f"`kernel_sizes` must have 1 to 4 entries, got {n}")
    if unit is None:
        o = receptive_field(build_stack(kernel_sizes, strides, dilations, pools, padding),
                            size).output_size
        unit = (o // 2, o // 2)
    values = dict(n_layers=n, size=size, padding=padding, unit_row=unit[0], unit_col=unit[1])
    fill = lambda seq, default: list(seq) + [default] * (4 - len(seq))
    for i, (k, s, d, p) in enumerate(zip(fill(kernel_sizes, 3), fill(strides, 1),
                                         fill(dilations, 1), fill(pools, False)), start=1):
        values.update({f"k{i}": k, f"s{i}": s, f"d{i}": d, f"pool{i}": bool(p)})
    return values


class KernelFreeExplorer:
    """An explorer as self-contained HTML; ``values`` are its initial control values."""

    def __init__(self, name: str, values: dict):
        self.name, self.values = name, values

    def html(self) -> str:
        data = html.escape(json.dumps(self.values, sort_keys=True), quote=True)
        return (f'<div class="convlib-kernel-free" data-explorer="{self.name}" '
                f'data-initial="{data}"><p><i>This explorer runs in the browser: it needs '
                f'JavaScript.</i></p></div>\n<script>\n{script()}</script>')

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"KernelFreeExplorer({self.name!r}, {shown})"


def kernel_free(name: str, **initial) -> KernelFreeExplorer:
    """A kernel-free explorer: ``"feature_map"``, ``"transposed"`` or ``"receptive_field"``,
    with the keyword arguments of the matching `convlib.widgets` explorer.

    >>> ex = kernel_free("transposed", stride=3)
    >>> ex.values["stride"], 'data-explorer="transposed"' in ex._repr_html_()
    (3, True)
    >>> kernel_free("receptive_field").values["unit_row"]
    4
    """
    if name not in KERNEL_FREE:
        raise ValueError(f"`name` must be one of {tuple(KERNEL_FREE)}, got {name!r}")
    unknown = set(initial) - set(KERNEL_FREE[name])
    if unknown:
        raise ValueError(f"unknown argument(s) for {name!r}: {', '.join(sorted(unknown))}")
    values = {**KERNEL_FREE[name], **initial}
    if name == "receptive_field":
        values = _stack_controls(**values)
    return KernelFreeExplorer(name, values)
