"""Explain a shape error in a learner's own model: which layer fails, what it expected,
what it got, and the fix.

`explain_shapes` runs the model on ``meta`` tensors (shapes only, no memory for
values) with a forward pre-hook on every leaf module. Each hook records the shape
entering its layer and checks it against what the layer declares:

* ``nn.Linear``: the last axis must be ``in_features``;
* ``nn.ConvNd`` / ``nn.ConvTransposeNd``: axis 1 must be ``in_channels`` and every
  padded spatial size must hold the dilated kernel, ``i + 2p >= d(k - 1) + 1``;
* ``nn.BatchNormNd``: axis 1 must be ``num_features``;
* ``nn.MaxPoolNd`` / ``nn.AvgPoolNd``: ``i + 2p >= d(k - 1) + 1`` as for a conv.

The first layer that fails stops the run; any other error PyTorch raises (in a
``forward`` written by hand, say) is reported with the last layer that ran. The
report gives the fix: the ``in_features`` or ``in_channels`` the layer needs, and,
for a square image input, the input sizes near the given one that run through.
torch is imported inside the functions (``import convlib`` stays light).
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any

from .._validate import nonneg_int

__all__ = ["ShapeReport", "explain_shapes"]


@dataclass(frozen=True)
class ShapeReport:
    """What `explain_shapes` found. ``ok`` is True when the model ran through;
    then ``output_shape`` is its output's shape and the other fields are empty.
    Otherwise ``layer`` names the failing module (``module`` is its repr),
    ``expected`` and ``got`` say in words what it needed and what arrived, and ``fix``
    says what to change. ``trace`` lists ``(layer, input shape)`` of every leaf
    module that ran, in order, the failing one last."""

    ok: bool
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...] | None = None
    layer: str | None = None
    module: str | None = None
    expected: str = ""
    got: str = ""
    fix: str = ""
    working_sizes: tuple[int, ...] = ()
    searched: bool = False
    trace: tuple[tuple[str, tuple[int, ...]], ...] = field(default=(), repr=False)

    @property
    def sentence(self) -> str:
        """One sentence: the output shape, or what the failing layer expected and got."""
        if self.ok:
            return f"No error: input {self.input_shape} gives output {self.output_shape}."
        if self.module is None:
            return f"The {self.layer} failed on {self.got}."
        return f"`{self.layer}` ({self.module}) expected {self.expected}, but got {self.got}."

    def __str__(self) -> str:
        if self.ok:
            return self.sentence
        lines = [self.sentence, f"Fix: {self.fix}"]
        if self.working_sizes:
            lines.append("Input sizes that run through: "
                         + ", ".join(f"{s}×{s}" for s in self.working_sizes) + ".")
        elif self.searched:
            lines.append("No square input size near this one runs through.")
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:   # IPython display
        printer.text(str(self))


class _Stop(Exception):
    """Raised by a pre-hook at the first layer whose input does not fit."""

    def __init__(self, expected: str, got: str, fix: str, size_fixable: bool = True):
        super().__init__(expected)
        self.expected, self.got, self.fix = expected, got, fix
        self.size_fixable = size_fixable


def _dims(shape: tuple[int, ...]) -> str:
    return "×".join(map(str, shape))


def _channels(n: int) -> str:
    return f"{n} channel" if n == 1 else f"{n} channels"


def _features_origin(trace: list[tuple[str, tuple[int, ...]]], features: int) -> str:
    """'= 50×4×4' when an earlier recorded shape (batch dropped) multiplies to `features`."""
    for _, shape in reversed(trace[:-1]):
        if len(shape) > 2 and math.prod(shape[1:]) == features:
            return f" = {_dims(shape[1:])}"
    return ""


def _window_check(name: str, kernel: tuple, padding: tuple, dilation: tuple,
                  spatial: tuple[int, ...]) -> None:
    """Raise `_Stop` when a padded spatial size is smaller than the dilated window."""
    for axis, (i, k, p, d) in enumerate(zip(spatial, kernel, padding, dilation)):
        reach = d * (k - 1) + 1
        if i + 2 * p < reach:
            raise _Stop(f"a padded size of at least d(k − 1) + 1 = {reach} on spatial axis {axis}",
                        f"{i} + 2·{p} = {i + 2 * p}",
                        f"feed a larger input, or lower `kernel_size`/`dilation` or raise "
                        f"`padding` of `{name}`")


def _tuple(value: Any, n: int) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * n


def _check(name: str, module: Any, shape: tuple[int, ...],
           trace: list[tuple[str, tuple[int, ...]]]) -> None:
    """The checks of the module docstring, for one leaf module and its input shape."""
    from torch import nn
    if isinstance(module, nn.Linear) and shape[-1] != module.in_features:
        got = shape[-1]
        raise _Stop(f"{module.in_features} input features (the last axis)",
                    f"{got}{_features_origin(trace, got)} (input shape {_dims(shape)})",
                    f"nn.Linear({got}, {module.out_features}): set in_features={got}")
    conv = (nn.modules.conv._ConvNd,)
    if isinstance(module, conv):
        n = len(module.kernel_size)
        if len(shape) != n + 2:
            raise _Stop(f"a {n + 2}-D input (N, C, {', '.join('HWD'[:n])})",
                        f"a {len(shape)}-D input of shape {_dims(shape)}",
                        f"reshape the input to {n + 2} axes (add the batch axis?)",
                        size_fixable=False)
        if shape[1] != module.in_channels:
            kind = type(module).__name__
            raise _Stop(f"{_channels(module.in_channels)} in the input (axis 1)",
                        f"{shape[1]} (input shape {_dims(shape)})",
                        f"nn.{kind}({shape[1]}, {module.out_channels}, ...): set "
                        f"in_channels={shape[1]}, or make the layer before it give "
                        f"{_channels(module.in_channels)}", size_fixable=False)
        if not isinstance(module, nn.modules.conv._ConvTransposeNd) \
                and not isinstance(module.padding, str):
            _window_check(name, module.kernel_size, module.padding, module.dilation, shape[2:])
    if isinstance(module, nn.modules.batchnorm._BatchNorm) and shape[1] != module.num_features:
        raise _Stop(f"{_channels(module.num_features)} (axis 1)", f"{shape[1]}",
                    f"set num_features={shape[1]}", size_fixable=False)
    if isinstance(module, (nn.modules.pooling._MaxPoolNd, nn.modules.pooling._AvgPoolNd)):
        n = len(shape) - 2
        dilation = _tuple(getattr(module, "dilation", 1), n)
        _window_check(name, _tuple(module.kernel_size, n), _tuple(module.padding, n),
                      dilation, shape[2:])


def _run(model: Any, shape: tuple[int, ...]) -> ShapeReport:
    """One meta run of `model` on a tensor of `shape` (batch included) with the hooks."""
    import torch
    leaves = [(n, m) for n, m in model.named_modules() if not list(m.children())]
    trace: list[tuple[str, tuple[int, ...]]] = []
    state: dict[str, Any] = {"current": None, "done": True, "output": None}

    def pre_hook(name: str):
        def hook(module: Any, args: tuple) -> None:
            first = next((a for a in args if isinstance(a, torch.Tensor)), None)
            if first is None:
                return
            trace.append((name, tuple(first.shape)))
            state.update(current=(name, module), done=False)
            _check(name, module, tuple(first.shape), trace)
        return hook

    def post_hook(module: Any, args: tuple, output: Any) -> None:
        state["done"] = True
        if isinstance(output, torch.Tensor):
            state["output"] = tuple(output.shape)

    handles = []
    for name, module in leaves:
        handles.append(module.register_forward_pre_hook(pre_hook(name)))
        handles.append(module.register_forward_hook(post_hook))
    try:
        with torch.no_grad():
            out = model(torch.zeros(shape, device="meta"))
    except _Stop as stop:
        name, module = state["current"]
        return ShapeReport(False, shape, None, name, repr(module), stop.expected, stop.got,
                           stop.fix, searched=stop.size_fixable, trace=tuple(trace))
    except Exception as error:   # any other error PyTorch raised: say where it happened
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        fix = f"PyTorch says: {message}"
        if state["current"] is not None and not state["done"]:
            name, module = state["current"]
            return ShapeReport(False, shape, None, name, repr(module), "another input shape",
                               f"input shape {_dims(trace[-1][1])}", fix, searched=True,
                               trace=tuple(trace))
        if trace and state["output"] is not None:
            where, got = f"forward code after `{trace[-1][0]}`", \
                f"`{trace[-1][0]}`'s output of shape {_dims(state['output'])}"
        else:
            where, got = "forward code before the first layer", f"the input of shape {_dims(shape)}"
        return ShapeReport(False, shape, None, where, None, "", got, fix, searched=True,
                           trace=tuple(trace))
    finally:
        for h in handles:
            h.remove()
    out_shape = tuple(out.shape) if isinstance(out, torch.Tensor) else ()
    return ShapeReport(True, shape, out_shape, trace=tuple(trace))


def explain_shapes(model: Any, input_size: tuple[int, ...] | list[int],
                   search: int = 16) -> ShapeReport:
    """Run `model` on a meta input of ``(1, *input_size)`` and explain the first shape error.

    ``input_size`` is one example without the batch axis, as for `convlib.summary`:
    ``(C, H, W)`` for an image. A model that runs returns ``ok=True`` and its output
    shape. Otherwise the report names the first failing layer, what it expected and
    got, and the fix; when the input's size (not its channels) is at fault and the input
    is square, ``(C, i, i)``, it also lists the sizes from ``i - search`` to ``i + search``
    that run through (``working_sizes``; ``searched`` says whether it looked).

    The model itself is not changed: a copy is moved to the meta device (a model
    already on ``meta`` is used as it is) and run in eval mode.

    >>> from torch import nn
    >>> net = nn.Sequential(nn.Conv2d(1, 8, 5), nn.MaxPool2d(2), nn.Flatten(),
    ...                     nn.Linear(8 * 12 * 12, 10))
    >>> explain_shapes(net, (1, 28, 28)).ok
    True
    >>> report = explain_shapes(net, (1, 24, 24))
    >>> report.layer, report.got
    ('3', '800 = 8×10×10 (input shape 1×800)')
    >>> report.working_sizes
    (28, 29)
    """
    import torch
    shape = tuple(input_size) if isinstance(input_size, (tuple, list)) else ()
    if not shape or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in shape):
        raise ValueError(f"`input_size` must be a non-empty tuple of positive ints, got {input_size!r}")
    nonneg_int("search", search)
    params = list(model.parameters()) + list(model.buffers())
    meta = model if all(p.device.type == "meta" for p in params) else copy.deepcopy(model).to("meta")
    was_training = meta.training
    meta.eval()                  # eval mode: BatchNorm takes a batch of one 1×1 map
    try:
        with torch.device("meta"):
            report = _run(meta, (1,) + shape)
            if not report.searched or len(shape) != 3 or shape[1] != shape[2] or not search:
                return ShapeReport(**{**report.__dict__, "searched": False})
            sizes = range(max(1, shape[1] - search), shape[1] + search + 1)
            working = tuple(s for s in sizes if _run(meta, (1, shape[0], s, s)).ok)
    finally:
        meta.train(was_training)
    return ShapeReport(**{**report.__dict__, "working_sizes": working})
