"""Receptive fields measured with autograd: the pixels one output unit reaches
(`empirical_receptive_field`, an all-ones copy of a conv/pool stack) and the effective
receptive field of a trained or initialised model (`effective_receptive_field`).
torch is imported lazily."""
from __future__ import annotations

import copy
from typing import Any, NamedTuple

import numpy as np

from .._validate import IntOrTuple, nonneg_int, pair as _pair, positive_int
from .fields import _table
from .layers import _Geom, _geoms, _leaves, _out_size

__all__ = ["FieldMap", "empirical_receptive_field", "effective_receptive_field"]


class FieldMap(NamedTuple):
    """``mask`` (bool H x W): input pixels reached from output unit ``unit``; ``grad``."""
    mask: np.ndarray
    grad: np.ndarray
    unit: tuple[int, int]


def _backprop(x: Any, y: Any, unit: Any) -> FieldMap:
    """|d y[unit] / d x|, summed over channels (and the batch), averaged over the batch."""
    out_hw = tuple(y.shape[2:])
    unit = (out_hw[0] // 2, out_hw[1] // 2) if unit is None else _pair("unit", unit, nonneg_int)
    if unit[0] >= out_hw[0] or unit[1] >= out_hw[1]:
        raise ValueError(f"`unit` must index the last feature map {out_hw}, got {unit}")
    y[:, :, unit[0], unit[1]].sum().backward()  # samples are independent (eval mode)
    grad = x.grad.abs().sum(1).mean(0).numpy()
    return FieldMap(grad > 0, grad, unit)


def _ones_layer(y: Any, g: _Geom) -> Any:
    """One layer of the all-ones, single-channel copy: pad (or crop) each axis to exactly
    the o windows that ``convlib.sizes.shapes`` counts (this covers 'same' and ceil_mode)."""
    import torch
    import torch.nn.functional as F
    pads = []
    for a in (1, 0):  # F.pad lists the last axis first
        (k, s, p, d), i = g.axes[a], y.shape[2 + a]
        before = (d * (k - 1)) // 2 if p == "same" else p
        pads += [before, (_out_size(g, a, i) - 1) * s + d * (k - 1) + 1 - i - before]
    k, s, _, d = zip(*g.axes)
    return F.conv2d(F.pad(y, pads), torch.ones(1, 1, *k, dtype=y.dtype), stride=s, dilation=d)


def empirical_receptive_field(model: Any, input_size: IntOrTuple,
                              unit: tuple[int, int] | None = None) -> FieldMap:
    """Input pixels whose gradient, backpropagated from one output unit, is non-zero.

    r = max - min + 1 of the marked pixels, per axis (where the field stays inside the image)

    ``model`` (anything `receptive_field` accepts) runs as a deterministic one-channel
    copy: each conv or pool is an all-ones window of the same geometry (max pooling too),
    and activations and normalisations are dropped (ReLU would zero gradients), so no
    gradient cancels: ``grad[x]`` counts the paths from pixel ``x`` to ``unit`` (by
    default the centre unit of the last feature map).

    >>> field = empirical_receptive_field([3, 3], (7, 7))
    >>> field.unit, int(field.mask.sum()), field.grad[3].astype(int)
    ((1, 1), 25, array([0, 3, 6, 9, 6, 3, 0]))
    """
    import torch
    geoms = _geoms(model)
    _table(geoms, input_size)  # shapes' ValueErrors before torch's
    y = x = torch.ones(1, 1, *_pair("input_size", input_size), dtype=torch.float64,
                       requires_grad=True)
    for g in geoms:
        y = _ones_layer(y, g)
    return _backprop(x, y, unit)


def _in_channels(model: Any) -> int:
    found = [getattr(m, a) for _, m in _leaves(model)
             for a in ("in_channels", "num_features", "num_channels") if hasattr(m, a)]
    return found[0] if found else 1


def effective_receptive_field(model: Any, input_size: IntOrTuple,
                              unit: tuple[int, int] | None = None, *, seed: int = 0,
                              n_inputs: int = 8) -> FieldMap:
    """Effective receptive field: gradient magnitude of one output unit w.r.t. the input.

    grad[x] = mean over inputs of sum over channels |d y_unit / d input[c, x]|

    Unlike `empirical_receptive_field`, the model keeps its weights and activations (a
    float64 copy in eval mode); ``y_unit`` sums the channels of ``unit`` (the centre by
    default); the inputs are ``n_inputs`` normal images drawn with ``seed``. The mass
    concentrates near the centre of the theoretical field.

    >>> import torch
    >>> _ = torch.manual_seed(0)
    >>> stack = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3), torch.nn.ReLU(),
    ...                             torch.nn.Conv2d(4, 4, 3))
    >>> effective_receptive_field(stack, (9, 9)).mask.sum(1)
    array([0, 0, 5, 5, 5, 5, 5, 0, 0])
    """
    import torch
    if not isinstance(model, torch.nn.Module):
        raise ValueError(f"`model` must be an nn.Module, got {type(model).__name__}")
    n_inputs = positive_int("n_inputs", n_inputs)
    _table(_geoms(model), input_size)
    net = copy.deepcopy(model).to(torch.float64).eval()
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n_inputs, _in_channels(model), *_pair("input_size", input_size), generator=g,
                    dtype=torch.float64, requires_grad=True)
    return _backprop(x, net(x), unit)
