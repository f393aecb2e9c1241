"""Receptive field (chapter 06).

* ``layers``: layer specs (`Layer`) and their validation
* ``fields``: the bottom-up and top-down formulas and their tables
* ``empirical``: fields measured with autograd (`empirical_receptive_field`, ERF)
* ``graph``: any nn.Module traced through its real graph
* ``maps``: exact per-axis maps from output units to input pixels
* ``ops``: how each ATen op moves those maps
* ``stacks``: the stack builder's pure helpers: stacks, bounds, field against gradient
* ``join``: the receptive-field columns of `convlib.counting.summary`
* ``check``: traced fields of any model checked with autograd

Submodules load on first use (``convlib.receptive.layers``); the public names
are re-exported at the top (``convlib.<name>``).
"""
from .._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, [
    "layers", "fields", "empirical", "graph", "maps", "ops", "stacks", "join", "check",
])
