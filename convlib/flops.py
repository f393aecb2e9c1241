"""What ``torch.utils.flop_counter.FlopCounterMode`` counts, and what it leaves out.

`count_flops` runs a model once under ``FlopCounterMode(display=False)`` on
the same zero input as `convlib.summary` (batch size 1, eval mode, no grad)
and returns its numbers per layer, so they can be set next to the summary's
MACs. FlopCounterMode counts matrix products and convolutions only, as
FLOPs = 2 x MACs; `uncounted_ops` lists the arithmetic it (and the MACs
column of `summary`) skips: bias additions, BatchNorm's scale and shift,
ReLU's comparisons, max pooling's comparisons.

torch is imported lazily, inside the functions.
"""
from __future__ import annotations

from math import prod
from typing import TYPE_CHECKING, NamedTuple

from .summary import summary

if TYPE_CHECKING:   # annotations only: no torch import at run time
    import torch

__all__ = ["FlopCount", "UncountedOp", "count_flops", "uncounted_ops"]

#: functional operators of `summary` rows that do one operation per output value
ELEMENTWISE = frozenset({"aten.add", "aten.add_", "aten.sub", "aten.sub_", "aten.mul",
                         "aten.mul_", "aten.div", "aten.div_"})


class FlopCount(NamedTuple):
    """FlopCounterMode's numbers: the total, per operator and per leaf layer."""

    total: int
    by_operator: dict[str, int]
    by_layer: dict[str, int]


class UncountedOp(NamedTuple):
    """Arithmetic of one layer that FLOP counters of matmuls and convs leave out."""

    name: str
    type: str
    what: str
    count: int


def count_flops(model: torch.nn.Module, input_size: int | tuple[int, ...], *,
                dtype: torch.dtype | None = None) -> FlopCount:
    """Run `model` on zeros ``(1, *input_size)`` under ``FlopCounterMode(display=False)``.

    ``by_layer`` uses the layer names of `convlib.summary` (``'0'``,
    ``'features.3'``, ``''`` for a model that is a single layer); layers with no counted operation are left out. The
    training flags are restored afterwards. ``dtype`` is the input's dtype
    (default: that of the model's first parameter); ``torch.long`` for an
    Embedding.

    >>> import torch.nn as nn
    >>> f = count_flops(nn.Sequential(nn.Conv2d(3, 10, 3, stride=2, padding=1), nn.ReLU()),
    ...                 (3, 100, 100))
    >>> f.total, f.by_operator, f.by_layer
    (1350000, {'aten.convolution': 1350000}, {'0': 1350000})
    """
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    params = list(model.parameters())
    if dtype is None:
        dtype = params[0].dtype if params else torch.get_default_dtype()
    device = params[0].device if params else torch.device("cpu")
    x = torch.zeros((1, *(input_size if isinstance(input_size, (tuple, list))
                          else (input_size,))), dtype=dtype, device=device)
    leaves = {name for name, m in model.named_modules() if not any(m.children())}
    modes = [(m, m.training) for m in model.modules()]
    try:
        model.eval()
        with torch.no_grad(), FlopCounterMode(display=False) as counter:
            model(x)
    finally:
        for m, mode in modes:
            m.training = mode
    counts = counter.get_flop_counts()
    root = type(model).__name__
    by_layer = {}
    for key, ops in counts.items():
        name = "" if key == root else key[len(root) + 1:] if key.startswith(root + ".") else None
        if name in leaves and sum(ops.values()):
            by_layer[name] = int(sum(ops.values()))
    by_operator = {str(op): int(n) for op, n in counts.get("Global", {}).items()}
    return FlopCount(int(counter.get_total_flops()), by_operator, by_layer)


def uncounted_ops(model: torch.nn.Module, input_size: int | tuple[int, ...]) -> list[UncountedOp]:
    """Operations outside the multiply-adds, per layer, for one sample in eval mode.

    * Conv / Linear with bias: one addition per output value;
    * BatchNorm (eval): one multiply and one add per value (the
      normalisation folded into a scale and a shift): 2 per value;
    * ReLU: one comparison per value;
    * MaxPool2d: ``k_h k_w - 1`` comparisons per output value.

    * an elementwise operator in a container's forward (a residual add): one
      operation per output value.

    Other layers (Flatten, Dropout in eval) do no arithmetic. These are
    conventions, stated so that the counts can be compared; FlopCounterMode
    and the MACs column of `summary` count none of them.

    >>> import torch.nn as nn
    >>> m = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.MaxPool2d(2))
    >>> [(r.name, r.what, r.count) for r in uncounted_ops(m, (1, 6, 6))]
    [('0', 'bias additions', 32), ('1', 'comparisons', 32), ('2', 'comparisons', 24)]
    """
    from torch import nn

    table = summary(model, input_size)
    modules = dict(model.named_modules())
    rows = []
    for row in table.rows:
        shape = row.output_shape
        if shape is None:
            continue
        values = prod(shape)
        if row.kind == "op":   # an operator in a container's forward (residual add, ...)
            if row.type in ELEMENTWISE:
                rows.append(UncountedOp(row.name, row.type, "elementwise (functional)", values))
            continue
        m = modules[row.name]
        if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d,
                          nn.ConvTranspose2d, nn.ConvTranspose3d, nn.Linear)) and m.bias is not None:
            rows.append(UncountedOp(row.name, row.type, "bias additions", values))
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)):
            rows.append(UncountedOp(row.name, row.type, "scale + shift", 2 * values))
        elif isinstance(m, nn.ReLU):
            rows.append(UncountedOp(row.name, row.type, "comparisons", values))
        elif isinstance(m, nn.MaxPool2d):
            k = m.kernel_size if isinstance(m.kernel_size, tuple) else (m.kernel_size,) * 2
            rows.append(UncountedOp(row.name, row.type, "comparisons", (prod(k) - 1) * values))
    return rows
