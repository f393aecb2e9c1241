"""Layer specs for the receptive-field formulas: what a stack is made of.

`Layer` is one conv or pool layer with PyTorch's names and defaults; `geoms` turns a
list of specs, or an ``nn.Sequential`` of Conv2d, MaxPool2d, AvgPool2d and layers that
keep the geometry (BatchNorm2d, ReLU, Dropout, Identity, ...), into validated per-axis
``(k, s, p, d)``. A module made only of geometry-keeping layers is one identity layer
(k = 1, s = 1): every unit sees its own pixel, r = 1, j = 1. torch is imported lazily.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from .._validate import IntOrTuple, _is_int, nonneg_int, pair as _pair
from ..sizes import shapes

__all__ = ["Layer"]


class Layer(NamedTuple):
    """One conv or pool layer, with PyTorch's names and defaults (a pool's stride is its
    kernel size; ``padding`` may be ``'same'`` or ``'valid'`` for a conv)."""
    kernel_size: IntOrTuple
    stride: IntOrTuple | None = None
    padding: IntOrTuple | str = 0
    dilation: IntOrTuple = 1
    kind: str = "conv"
    ceil_mode: bool = False
    name: str | None = None


#: What a module that keeps the geometry (ReLU, BatchNorm2d, Identity) amounts to.
_IDENTITY = Layer(1, 1, 0, 1, "conv")


class _Geom(NamedTuple):  # a validated layer: per-axis (k, s, p, d), p an int or 'same'
    name: str
    kind: str
    axes: tuple[tuple, tuple]
    ceil_mode: bool


def _as_layer(entry: Any, index: int) -> Layer:
    if isinstance(entry, Layer):
        return entry
    if isinstance(entry, dict) and "kernel_size" in entry and set(entry) <= set(Layer._fields):
        return Layer(**entry)
    if _is_int(entry):
        return Layer(entry)
    if isinstance(entry, tuple) and len(entry) == 4:
        return Layer(*entry)
    raise ValueError(f"`layers`[{index}] must be a Layer, a dict of its fields, a kernel size or a "
                     f"(kernel_size, stride, padding, dilation) tuple, got {entry!r}")


def _geom(spec: Layer, name: str) -> _Geom:
    kind, pad = spec.kind, spec.padding
    if kind not in ("conv", "pool"):
        raise ValueError(f"`kind` must be 'conv' or 'pool', got {kind!r}")
    if not isinstance(spec.ceil_mode, bool):
        raise ValueError(f"`ceil_mode` must be True or False, got {spec.ceil_mode!r}")
    if isinstance(pad, str) and (kind == "pool" or pad not in ("same", "valid")):
        raise ValueError(f"`padding` must be an int, a pair, or for a conv 'same' or 'valid', "
                         f"got {pad!r}")
    stride = spec.stride if spec.stride is not None else 1 if kind == "conv" else spec.kernel_size
    k, s, d = (_pair(n, v) for n, v in (("kernel_size", spec.kernel_size), ("stride", stride),
                                        ("dilation", spec.dilation)))
    p = ("same",) * 2 if pad == "same" else _pair("padding", 0 if pad == "valid" else pad,
                                                  nonneg_int)
    if pad == "same" and s != (1, 1):
        raise ValueError(f"`padding`='same' needs stride 1, got stride={stride!r}")
    if kind == "pool" and (p[0] > k[0] // 2 or p[1] > k[1] // 2):
        raise ValueError(f"`padding` must be at most half the kernel size, got "
                         f"padding={pad!r}, kernel_size={spec.kernel_size!r}")
    return _Geom(name, kind, tuple(zip(k, s, p, d)), spec.ceil_mode)


def _keeps_geometry(m: Any) -> bool:
    from torch import nn
    kept = (nn.Identity, nn.modules.batchnorm._NormBase, nn.GroupNorm, nn.LayerNorm,
            nn.LocalResponseNorm, nn.modules.dropout._DropoutNd)  # activations too:
    return isinstance(m, kept) or (type(m).__module__ == "torch.nn.modules.activation"
                                   and not isinstance(m, nn.MultiheadAttention))


def _leaves(model: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    from torch import nn
    if not isinstance(model, nn.Sequential):
        yield prefix.rstrip(".") or type(model).__name__, model
        return
    for key, child in model.named_children():
        yield from _leaves(child, f"{prefix}{key}.")


class _NotAStack(ValueError):
    """A module that the sequential formulas cannot take (the graph tracer may)."""


def _module_layers(model: Any) -> list[Layer]:
    from torch import nn
    specs = []
    for path, m in _leaves(model):
        name = path if path == type(m).__name__ else f"{path}: {type(m).__name__}"
        if isinstance(m, nn.Conv2d):
            specs.append(Layer(m.kernel_size, m.stride, m.padding, m.dilation, "conv", name=name))
        elif isinstance(m, (nn.MaxPool2d, nn.AvgPool2d)):  # AvgPool2d has no dilation
            specs.append(Layer(m.kernel_size, m.stride, m.padding, getattr(m, "dilation", 1),
                               "pool", m.ceil_mode, name))
        elif not _keeps_geometry(m):
            raise _NotAStack(f"`layers` contains {name!r}, which changes the geometry in a way "
                             "receptive_field does not model (supported: Conv2d, MaxPool2d, "
                             "AvgPool2d and layers that keep the geometry)")
    return specs


def _geoms(layers: Any) -> list[_Geom]:
    if isinstance(layers, (list, tuple)):
        specs = [_as_layer(e, i) for i, e in enumerate(layers)]
    else:
        from torch import nn
        if not isinstance(layers, nn.Module):
            raise ValueError(f"`layers` must be an nn.Sequential or a list of layer specs, "
                             f"got {type(layers).__name__}")
        specs = _module_layers(layers) or [_IDENTITY._replace(name=type(layers).__name__)]
    if not specs:
        raise ValueError("`layers` must contain at least one conv or pooling layer")
    geoms = []
    for i, spec in enumerate(specs):
        name = spec.name or f"{i}: {spec.kind}"
        try:
            geoms.append(_geom(spec, name))
        except ValueError as err:
            err.add_note(f"in layer {name!r}")
            raise
    return geoms


def _out_size(g: _Geom, axis: int, i: int) -> int:
    k, s, p, d = g.axes[axis]
    try:
        if g.kind == "conv":
            return shapes.conv_output_size(i, k, s, p, d)
        return shapes.pool_output_size(i, k, s, p, d, g.ceil_mode)
    except ValueError as err:
        err.add_note(f"in layer {g.name!r}")
        raise
