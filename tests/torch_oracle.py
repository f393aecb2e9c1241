"""What torch itself produces: the oracle every convlib test compares with."""
from __future__ import annotations


def torch_shape(fn, *args, **kwargs):
    """Shape torch produces, or None where torch refuses or returns an empty tensor."""
    try:
        out = fn(*args, **kwargs)
    except (RuntimeError, ValueError):
        return None
    return None if out.numel() == 0 else tuple(out.shape)
