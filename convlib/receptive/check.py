"""Receptive fields of any model measured with autograd, to check the traced ones.

`gradient_copy` turns a model into one whose gradients reach every pixel a unit
depends on: float64, eval mode, every weight positive (``1 / fan_in``, so values
stay near 1 however deep), biases and BatchNorm shifts zero, activations removed
(a ReLU or ReLU6 could zero a gradient) and every max pool replaced by an average
pool of the same geometry (a max pool's gradient reaches one pixel of each window).
The geometry, and so the receptive field, is unchanged.

`autograd_bounds` backpropagates from one unit of a named module's output and
returns the bounding box of the non-zero input gradient: it equals
``clip_bounds(field_bounds(row, unit), input_size)`` for the matching row of
`convlib.receptive_field` (no dilation here, so no holes at the border).
`effective_field` keeps the model's own weights: the gradient magnitude of one
unit, averaged over seeded random inputs (the effective receptive field).
torch is imported lazily.
"""
from __future__ import annotations

import copy
from typing import Any

import numpy as np

from .._validate import nonneg_int, positive_int
from .stacks import mask_bounds
from .empirical import FieldMap

__all__ = ["gradient_copy", "autograd_bounds", "effective_field", "module_output_sizes"]


class _Stop(Exception):
    """Raised by a forward hook once the wanted module has run."""


def gradient_copy(model: Any) -> Any:
    """A float64 eval-mode copy with positive weights, no activations, avg pools.

    >>> import torch
    >>> net = gradient_copy(torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.ReLU(),
    ...                                          torch.nn.MaxPool2d(2)))
    >>> net
    Sequential(
      (0): Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1))
      (1): Identity()
      (2): AvgPool2d(kernel_size=2, stride=2, padding=0)
    )
    >>> bool(net[0].weight.min() > 0)
    True
    """
    import torch
    from torch import nn
    if not isinstance(model, nn.Module):
        raise ValueError(f"`model` must be an nn.Module, got {type(model).__name__}")
    net = copy.deepcopy(model).to(torch.float64).eval()

    def convert(parent: nn.Module) -> None:
        for name, child in parent.named_children():
            if isinstance(child, nn.MaxPool2d):
                if child.dilation not in (1, (1, 1)):
                    raise ValueError(f"`model` has a dilated max pool {name!r}: no average "
                                     "pool has that geometry")
                setattr(parent, name, nn.AvgPool2d(child.kernel_size, child.stride,
                                                   child.padding, child.ceil_mode))
            elif type(child).__module__ == "torch.nn.modules.activation":
                setattr(parent, name, nn.Identity())
            else:
                convert(child)
    convert(net)
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.running_mean.zero_()
                m.running_var.fill_(1.0)
            for pname, p in m.named_parameters(recurse=False):
                if pname == "weight" and p.dim() > 1:
                    p.fill_(1.0 / (p[0].numel()))
                elif pname == "weight":
                    p.fill_(1.0)
                else:
                    p.zero_()
    return net


def _capture(model: Any, x: Any, module_name: str | None) -> Any:
    """``model(x)``, or the output of submodule ``module_name`` (the forward stops there)."""
    if module_name is None:
        return model(x)
    try:
        target = model.get_submodule(module_name)
    except AttributeError:
        raise ValueError(f"`module_name` must name a submodule of the model, "
                         f"got {module_name!r}") from None
    box = []

    def hook(_m: Any, _inp: Any, out: Any) -> None:
        box.append(out)
        raise _Stop
    handle = target.register_forward_hook(hook)
    try:
        model(x)
    except _Stop:
        pass
    finally:
        handle.remove()
    if not box:
        raise ValueError(f"`module_name` {module_name!r} is not called by the forward pass")
    return box[0]


def _sizes(input_size: Any) -> tuple[int, int, int]:
    size = tuple(input_size) if isinstance(input_size, (tuple, list)) else (input_size,) * 2
    if len(size) == 2:
        size = (3,) + size
    if len(size) != 3:
        raise ValueError(f"`input_size` must be an int, (H, W) or (C, H, W), got {input_size!r}")
    return tuple(positive_int("input_size", v) for v in size)


def autograd_bounds(net: Any, input_size: Any, module_name: str | None,
                    unit: tuple[int, int]) -> tuple:
    """Bounding box ``((first_h, last_h), (first_w, last_w))`` of the input pixels with a
    non-zero gradient of ``unit`` of ``module_name``'s output (all channels summed).

    ``net`` should come from `gradient_copy`; ``input_size`` is an int, (H, W) or
    (C, H, W) (C = 3 by default).

    >>> import torch
    >>> net = gradient_copy(torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, stride=2, padding=1),
    ...                                          torch.nn.MaxPool2d(3, 2)))
    >>> autograd_bounds(net, 16, "1", (0, 2))
    ((0, 5), (7, 13))
    >>> from convlib import receptive_field, field_bounds
    >>> field_bounds(receptive_field(net, (3, 16, 16)), (0, 2))    # row: -1 is padding
    ((-1, 5), (7, 13))
    """
    import torch
    c, h, w = _sizes(input_size)
    x = torch.ones(1, c, h, w, dtype=torch.float64, requires_grad=True)
    y = _capture(net, x, module_name)
    u = tuple(nonneg_int("unit", v) for v in unit)
    if y.dim() != 4 or u[0] >= y.shape[2] or u[1] >= y.shape[3]:
        raise ValueError(f"`unit` must index the feature map {tuple(y.shape[2:])}, got {unit!r}")
    (grad,) = torch.autograd.grad(y[0, :, u[0], u[1]].sum(), x)
    return mask_bounds(grad[0].abs().sum(0).numpy() > 0)


def effective_field(model: Any, input_size: Any, module_name: str | None = None,
                    unit: tuple[int, int] | None = None, *, seed: int = 0,
                    n_inputs: int = 2) -> FieldMap:
    """Effective receptive field of one unit of any model, with its own weights.

    grad[x] = mean over inputs of sum over channels |d y_unit / d input[c, x]|

    ``y_unit`` sums the channels of ``unit`` (default: the centre) of
    ``module_name``'s output (default: the model's output); eval mode, ``n_inputs``
    normal images drawn with ``seed``; the model's parameters get no gradient.

    >>> import torch
    >>> _ = torch.manual_seed(0)
    >>> stack = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3), torch.nn.ReLU(),
    ...                             torch.nn.Conv2d(4, 4, 3))
    >>> effective_field(stack, (1, 9, 9)).mask.sum(1)
    array([0, 0, 5, 5, 5, 5, 5, 0, 0])
    """
    import torch
    if not isinstance(model, torch.nn.Module):
        raise ValueError(f"`model` must be an nn.Module, got {type(model).__name__}")
    c, h, w = _sizes(input_size)
    n = positive_int("n_inputs", n_inputs)
    was_training = model.training
    model.eval()
    try:
        dtype = next((p.dtype for p in model.parameters()), torch.float32)
        g = torch.Generator().manual_seed(seed)
        x = torch.randn(n, c, h, w, generator=g, dtype=dtype).requires_grad_(True)
        y = _capture(model, x, module_name)
        if unit is None:
            unit = (y.shape[2] // 2, y.shape[3] // 2)
        (grad,) = torch.autograd.grad(y[:, :, unit[0], unit[1]].sum(), x)
    finally:
        model.train(was_training)
    out = grad.abs().sum(1).mean(0).to(torch.float64).numpy()
    return FieldMap(out > 0, out, tuple(unit))


def module_output_sizes(model: Any, input_size: Any, names: list[str]) -> dict[str, tuple]:
    """``{name: (H, W)}`` of the named submodules' outputs after one forward pass on a
    zero input, on the model's device (build big models on ``meta``: shapes only).

    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, stride=2), torch.nn.ReLU())
    >>> module_output_sizes(net, (3, 9, 9), ["0"])
    {'0': (4, 4)}
    """
    import torch
    c, h, w = _sizes(input_size)
    found: dict[str, tuple] = {}
    hooks = [model.get_submodule(n).register_forward_hook(
        lambda _m, _i, out, n=n: found.setdefault(n, tuple(out.shape[-2:])) and None)
        for n in names]
    device = next((p.device for p in model.parameters()), None)
    was_training = model.training
    try:
        with torch.no_grad():
            model.eval()(torch.zeros(1, c, h, w, device=device))
    finally:
        model.train(was_training)
        for hk in hooks:
            hk.remove()
    return {n: found[n] for n in names}
