"""Per-layer table of a PyTorch model: output shape, parameters and MACs.

`summary` runs the model once on a zero input of shape ``(1, *input_size)``
(batch size 1, under ``torch.no_grad`` and in eval mode, so BatchNorm running
statistics are not touched) with forward hooks on its leaf modules, and
returns a `ModelSummary` that renders as an HTML table in a notebook and as
text in a terminal.

Conventions (stated in the rendered table too):

* Output shapes include the batch dimension, which is 1.
* Params are ``numel()`` of a module's own parameters (``recurse=False``); they
  add up to ``sum(p.numel() for p in model.parameters())``. Buffers such as
  BatchNorm running statistics are not parameters.
* MACs (multiply-accumulates) are computed with the `convlib.counting`
  formulas from each layer's hyper-parameters and recorded shapes, for Conv,
  ConvTranspose and Linear layers; bias additions are not counted and
  FLOPs = 2 x MACs. Other layers (ReLU, pooling, BatchNorm, ...) show 0 MACs,
  as ``torch.utils.flop_counter.FlopCounterMode`` does not count them either.

torch is imported lazily, inside the functions that need it.
"""
from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from math import prod
from typing import TYPE_CHECKING, Any, NamedTuple

from ._validate import positive_int
from .counting import conv2d_macs, conv_transpose2d_macs, linear_macs

if TYPE_CHECKING:   # annotations only: no torch import at run time
    import torch

__all__ = ["LayerRow", "ModelSummary", "summary"]

COLUMNS = ("Layer", "Type", "Output shape", "Params (numel)", "MACs (mult-adds)")
MACS_NOTE = ("MACs = multiply-accumulates per forward pass of one sample, counted for "
             "Conv, ConvTranspose and Linear layers; bias additions not counted; "
             "FLOPs = 2 x MACs. Other layers (ReLU, pooling, BatchNorm, ...) show 0: "
             "not counted, as in torch.utils.flop_counter.FlopCounterMode.")
PARAMS_NOTE = ("Params = numel() of each layer's own parameters (shared ones counted "
               "once); buffers such as BatchNorm running statistics are not parameters.")
SHAPE_NOTE = ("Output shapes include the batch dimension (1); '-' = no tensor output "
              "(or the layer was not called).")


class LayerRow(NamedTuple):
    """One leaf module: its name in the model, class name, output shape, counts."""

    name: str
    type: str
    output_shape: tuple[int, ...] | None
    params: int
    macs: int


@dataclass(frozen=True, repr=False)
class ModelSummary:
    """Result of `summary`: `rows` plus totals; prints as text, shows as HTML."""

    input_shape: tuple[int, ...]
    rows: tuple[LayerRow, ...]

    @property
    def total_params(self) -> int:
        return sum(r.params for r in self.rows)

    @property
    def total_macs(self) -> int:
        return sum(r.macs for r in self.rows)

    @property
    def total_flops(self) -> int:
        """FLOPs = 2 x MACs (FlopCounterMode's convention)."""
        return 2 * self.total_macs

    def _cells(self) -> list[tuple[str, ...]]:
        return [(r.name or "(model)", r.type,
                 "-" if r.output_shape is None else str(tuple(r.output_shape)),
                 f"{r.params:,}", f"{r.macs:,}") for r in self.rows]

    def _total(self) -> tuple[str, ...]:
        return ("Total", "", "", f"{self.total_params:,}", f"{self.total_macs:,}")

    def _header(self) -> str:
        return f"ModelSummary: input shape {self.input_shape}"

    def _notes(self) -> list[str]:
        return [f"Total FLOPs = 2 x MACs = {self.total_flops:,}",
                PARAMS_NOTE, MACS_NOTE, SHAPE_NOTE]

    def __str__(self) -> str:
        cells = self._cells()
        table = [COLUMNS, *cells, self._total()]
        widths = [max(len(row[c]) for row in table) for c in range(len(COLUMNS))]

        def line(row):
            return "  ".join(c.rjust(w) if i > 2 else c.ljust(w)
                             for i, (c, w) in enumerate(zip(row, widths))).rstrip()

        rule = "-" * len(line(COLUMNS))
        notes = [textwrap.fill(n, width=88, subsequent_indent="  ")
                 for n in self._notes()]
        return "\n".join([self._header(), rule, line(COLUMNS), rule,
                          *map(line, cells), rule, line(self._total()), rule, *notes])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        esc = html.escape

        def row(cells, tag):
            return "<tr>" + "".join(
                f'<{tag} style="text-align:{"right" if i > 2 else "left"}">{esc(c)}</{tag}>'
                for i, c in enumerate(cells)) + "</tr>"

        body = "".join(row(cells, "td") for cells in self._cells())
        notes = "<br>".join(esc(n) for n in self._notes())
        return (f"<table><caption>{esc(self._header())}</caption>"
                f"<thead>{row(COLUMNS, 'th')}</thead><tbody>{body}</tbody>"
                f"<tfoot>{row(self._total(), 'th')}</tfoot></table>"
                f"<p><small>{notes}</small></p>")


def _first_tensor(value: Any) -> Any:
    """The first tensor in a module's output (LSTM returns ``(out, (h, c))``)."""
    import torch

    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, (tuple, list)):
        for v in value:
            t = _first_tensor(v)
            if t is not None:
                return t
    return None


def _layer_macs(module: torch.nn.Module, inputs: tuple, out: Any) -> int:
    """MACs of one call, from the module's hyper-parameters and recorded shapes."""
    from torch import nn

    if isinstance(module, (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)):
        n = len(module.kernel_size)
        x = inputs[0].shape
        return prod(x[:-n - 1]) * conv_transpose2d_macs(
            module.in_channels, module.out_channels, tuple(module.kernel_size),
            tuple(x[-n:]), groups=module.groups)
    if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        n = len(module.kernel_size)
        return prod(out.shape[:-n - 1]) * conv2d_macs(
            module.in_channels, module.out_channels, tuple(module.kernel_size),
            tuple(out.shape[-n:]), groups=module.groups)
    if isinstance(module, nn.Linear):
        return linear_macs(module.in_features, module.out_features,
                           positions=out.numel() // module.out_features)
    return 0


def _input_shape(input_size: int | tuple[int, ...]) -> tuple[int, ...]:
    sizes = input_size if isinstance(input_size, (tuple, list)) else (input_size,)
    if len(sizes) == 0:
        raise ValueError("`input_size` must not be an empty tuple")
    return (1, *(positive_int("input_size", s) for s in sizes))


def summary(model: torch.nn.Module, input_size: int | tuple[int, ...], *,
            dtype: torch.dtype | None = None) -> ModelSummary:
    """Run `model` once on zeros of shape ``(1, *input_size)`` and tabulate its layers.

    One row per leaf module (a module without children, or a container that
    holds parameters of its own), in the order they are first called; a module
    called several times gets one row whose MACs add up over the calls. The
    pass runs under ``torch.no_grad`` in eval mode; each module's training flag
    is restored afterwards, so the model (and its BatchNorm statistics) is unchanged.

    params = sum over own parameters of numel()     (total = sum over model.parameters())
    MACs   = conv2d_macs / conv_transpose2d_macs / linear_macs of the layer

    ``dtype`` is the input's dtype (default: that of the model's first floating
    parameter, else torch's default); pass ``torch.long`` for an Embedding.

    >>> import torch.nn as nn
    >>> s = summary(nn.Sequential(nn.Conv2d(3, 10, 3, stride=2, padding=1), nn.ReLU()),
    ...             (3, 100, 100))
    >>> s.rows[0]
    LayerRow(name='0', type='Conv2d', output_shape=(1, 10, 50, 50), params=280, macs=675000)
    >>> s.total_params, s.total_macs, s.total_flops
    (280, 675000, 1350000)
    """
    import torch

    shape = _input_shape(input_size)
    params = list(model.parameters())
    if dtype is None:
        floating = [p.dtype for p in params if p.is_floating_point()]
        dtype = floating[0] if floating else torch.get_default_dtype()
    device = params[0].device if params else torch.device("cpu")
    x = torch.zeros(shape, dtype=dtype, device=device)

    named = [(name, m) for name, m in model.named_modules()
             if not any(True for _ in m.children())
             or any(True for _ in m.parameters(recurse=False))]
    order: list[str] = []
    shapes: dict[str, tuple[int, ...] | None] = {}
    macs = {name: 0 for name, _ in named}

    def hook_for(name):
        def hook(module, inputs, out):
            if name not in shapes:
                order.append(name)
                t = _first_tensor(out)
                shapes[name] = None if t is None else tuple(t.shape)
            macs[name] += _layer_macs(module, inputs, out)
        return hook

    modes = [(m, m.training) for m in model.modules()]
    handles = [m.register_forward_hook(hook_for(name)) for name, m in named]
    try:
        model.eval()
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
        for m, mode in modes:
            m.training = mode

    modules = dict(named)
    seen: set[int] = set()
    rows = []
    for name in order + [n for n, _ in named if n not in shapes]:
        own = [p for p in modules[name].parameters(recurse=False) if id(p) not in seen]
        seen.update(id(p) for p in own)
        rows.append(LayerRow(name, type(modules[name]).__name__, shapes.get(name),
                             sum(p.numel() for p in own), macs[name]))
    return ModelSummary(input_shape=shape, rows=tuple(rows))
