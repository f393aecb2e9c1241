"""Counting parameters and operations (chapter 07).

* ``formulas``: parameters and MACs of each layer, in closed form
* ``summary``: a model's table: shapes, parameters, MACs, receptive fields
* ``flops``: what FlopCounterMode counts, and what the MAC count leaves out
* ``memory``: training memory: parameter state and saved tensors
* ``counters``: convlib against torchinfo, ptflops, thop, fvcore and FlopCounterMode
* ``tools``: runs those counters quietly and reads their numbers
* ``_trace``: one forward pass recorded per module and functional op

Submodules load on first use (``convlib.counting.formulas``); the public names
are re-exported at the top (``convlib.<name>``).
"""
from .._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, [
    "formulas", "summary", "flops", "memory", "counters", "tools", "_trace",
])
