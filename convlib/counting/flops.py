"""What ``torch.utils.flop_counter.FlopCounterMode`` counts, and what it leaves out.

`count_flops` runs a model once under ``FlopCounterMode(display=False)`` on
the same zero input as `convlib.counting.summary` (batch size 1, eval mode, no grad)
and returns its numbers per layer, so they can be set next to the summary's
MACs. FlopCounterMode counts matrix products and convolutions only, as
FLOPs = 2 x MACs; `uncounted_ops` lists the arithmetic it (and the MACs
column of `summary`) skips: BatchNorm's scale and shift, the comparisons and
additions of pooling, and the arithmetic of activations. Bias additions are not
in that list: 2 x MACs already includes them (see `uncounted_ops`).

torch is imported lazily, inside the functions.
"""
from __future__ import annotations

from math import prod
from typing import TYPE_CHECKING, Any, NamedTuple

from ..sizes.windows import adaptive_windows
from .summary import summarize

if TYPE_CHECKING:   # annotations only: no torch import at run time
    import torch

__all__ = ["ACTIVATIONS", "FlopCount", "UncountedOp", "count_flops", "uncounted_ops"]

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

    ``by_layer`` uses the layer names of `convlib.counting.summary` (``'0'``,
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


#: Activations: (what is counted, operations per value). Each elementary operation of
#: the cheapest exact evaluation counts 1; exp, tanh and erf count 1 each.
ACTIVATIONS: dict[str, tuple[str, int]] = {
    "ReLU": ("comparisons", 1),                                   # max(0, x)
    "ReLU6": ("comparisons", 2),                                  # min(max(0, x), 6)
    "Hardtanh": ("comparisons", 2),                               # clamp to [min, max]
    "LeakyReLU": ("comparison + multiply", 2),                    # x < 0 ? a x : x
    "PReLU": ("comparison + multiply", 2),
    "ELU": ("comparison, exp, subtract, multiply", 4),            # x < 0 ? a (e^x - 1) : x, any a
    "Tanh": ("tanh", 1),
    "Sigmoid": ("exp, add, divide", 3),                           # e^x / (1 + e^x)
    "SiLU": ("sigmoid (3) + multiply", 4),                        # x sigmoid(x)
    "Hardsigmoid": ("add, 2 clamps, multiply", 4),                # relu6(x + 3) / 6
    "Hardswish": ("add, 2 clamps, 2 multiplies", 5),              # x relu6(x + 3) / 6
    "GELU": ("multiply, erf, add, 2 multiplies", 5),              # x/2 (1 + erf(x / sqrt 2))
}
#: GELU(approximate='tanh'): x/2 (1 + tanh(u)), u = x (c1 + c2 x^2) with the constants folded.
GELU_TANH = ("square, multiply, add, multiply, tanh, add, 2 multiplies", 8)
#: The same activations called as functions in a container's forward (``F.relu(x)``).
FUNCTIONAL_ACTIVATIONS = {
    "aten.relu": "ReLU", "aten.relu_": "ReLU", "aten.hardtanh": "Hardtanh",
    "aten.hardtanh_": "Hardtanh", "aten.leaky_relu": "LeakyReLU", "aten.leaky_relu_": "LeakyReLU",
    "aten.elu": "ELU", "aten.elu_": "ELU", "aten.tanh": "Tanh", "aten.sigmoid": "Sigmoid",
    "aten.silu": "SiLU", "aten.silu_": "SiLU", "aten.hardsigmoid": "Hardsigmoid",
    "aten.hardswish": "Hardswish", "aten.hardswish_": "Hardswish", "aten.gelu": "GELU",
}
#: Adaptive average pooling called as a function (``F.adaptive_avg_pool2d(x, 1)``).
FUNCTIONAL_ADAPTIVE = frozenset({"aten.adaptive_avg_pool2d", "aten._adaptive_avg_pool2d"})


def _activation(m: torch.nn.Module) -> tuple[str, int] | None:
    """(what, operations per value) of an activation module, by its class or a base class."""
    if type(m).__name__ == "GELU" and getattr(m, "approximate", "none") == "tanh":
        return GELU_TANH
    return next((ACTIVATIONS[c.__name__] for c in type(m).__mro__ if c.__name__ in ACTIVATIONS),
                None)


def _window_sums(shape: tuple[int, ...], targets: tuple) -> tuple[int, int, int]:
    """(channels, sum over outputs of window sizes, outputs) of adaptive pooling of an
    input of `shape` to `targets` (its last ``len(targets)`` axes; None keeps an axis)."""
    nd, windows, outputs = len(targets), 1, 1
    for i, o in zip(shape[-nd:], targets):
        o = i if o is None else o
        windows *= sum(end - start for start, end in adaptive_windows(i, o))
        outputs *= o
    return prod(shape[:-nd]), windows, outputs


def _adaptive_sums(module: torch.nn.Module, shape: tuple[int, ...]) -> tuple[int, int, int]:
    """`_window_sums` of one call of an adaptive-pool module."""
    size = module.output_size
    nd = len(size) if isinstance(size, tuple) else int(type(module).__name__[-2])
    return _window_sums(shape, size if isinstance(size, tuple) else (size,) * nd)


def _functional_op(row: Any, traced: Any) -> list[UncountedOp]:
    """The arithmetic of an operator run in a container's forward (no module to read)."""
    if row.type in ELEMENTWISE:
        return [UncountedOp(row.name, row.type, "elementwise (functional)", traced.out_numel)]
    if row.type in FUNCTIONAL_ACTIVATIONS:   # F.gelu is counted in its default (erf) form
        what, per_value = ACTIVATIONS[FUNCTIONAL_ACTIVATIONS[row.type]]
        return [UncountedOp(row.name, row.type, what, per_value * traced.out_numel)]
    if row.type == "aten.mean":   # each input value is added into one mean: n per mean of n
        return [UncountedOp(row.name, row.type, "additions + division", traced.in_numel)]
    if row.type in FUNCTIONAL_ADAPTIVE and traced.input_shape is not None:
        channels, windows, _ = _window_sums(traced.input_shape, row.output_shape[-2:])
        return [UncountedOp(row.name, row.type, "additions + division", channels * windows)]
    return []


def _pool_ops(m: torch.nn.Module, row: Any) -> tuple[str, int] | None:
    """(what, count) of a pooling module over all its calls, or None for other layers."""
    from torch import nn

    if isinstance(m, (nn.AdaptiveAvgPool1d, nn.AdaptiveAvgPool2d, nn.AdaptiveAvgPool3d,
                      nn.AdaptiveMaxPool1d, nn.AdaptiveMaxPool2d, nn.AdaptiveMaxPool3d)):
        sums = [_adaptive_sums(m, shape) for shape in row.input_shapes if shape is not None]
        if "Avg" in type(m).__name__:
            return "additions + division", sum(c * w for c, w, _ in sums)
        return "comparisons", sum(c * (w - o) for c, w, o in sums)
    if isinstance(m, (nn.MaxPool1d, nn.MaxPool2d, nn.MaxPool3d, nn.AvgPool1d, nn.AvgPool2d,
                      nn.AvgPool3d)):
        nd = len(row.output_shape) - 2
        k = m.kernel_size if isinstance(m.kernel_size, tuple) else (m.kernel_size,) * nd
        if isinstance(m, (nn.AvgPool1d, nn.AvgPool2d, nn.AvgPool3d)):
            return "additions + division", prod(k) * row.out_numel
        return "comparisons", (prod(k) - 1) * row.out_numel
    return None


def uncounted_ops(model: torch.nn.Module, input_size: int | tuple[int, ...]) -> list[UncountedOp]:
    """Operations outside the multiply-adds, per layer, for one sample in eval mode.

    Counted over every call of a layer (a ReLU module used twice counts twice):

    * Conv / Linear: nothing. A biased output value is a dot product of ``K`` terms
      plus a bias: ``K`` multiplications, ``K - 1`` additions for the sum and 1 for
      the bias, exactly ``2K`` = 2 x MACs operations, so the bias additions are
      already in FLOPs = 2 x MACs (a transposed conv likewise: each product is added
      into an output that starts at its bias). Without a bias, 2 x MACs overcounts
      by one addition per output value (this function lists no negative counts);
    * BatchNorm (eval): one multiply and one add per value (the
      normalisation folded into a scale and a shift): 2 per value;
    * max pooling: ``prod(k) - 1`` comparisons per output value; average pooling:
      ``prod(k) - 1`` additions and one division per output value, ``prod(k)`` in
      all (the nominal window, padding included);
    * adaptive pooling: each output's exact window (`convlib.sizes.windows.adaptive_windows`):
      average, ``w`` operations for a window of ``w`` values (``w - 1`` additions, one
      division), so a global average pool does one per input value, as fvcore counts
      (fvcore counts one per input value for overlapping windows too, fewer than
      these); max, ``w - 1`` comparisons;
    * activations (`ACTIVATIONS`): each elementary operation of the cheapest exact
      evaluation counts 1, exp, tanh and erf 1 each: ReLU 1 per value, ReLU6 and
      Hardtanh 2, LeakyReLU and PReLU 2, ELU 4 (for any alpha), Tanh 1, Sigmoid 3
      (``e^x / (1 + e^x)``), SiLU 4, Hardsigmoid 4, Hardswish 5, GELU 5 (8 with
      ``approximate='tanh'``);
    * in a container's forward: an elementwise operator (a residual add), one
      operation per output value; an activation called as a function (``F.relu``),
      as its module (``F.gelu`` in its erf form); a mean (``x.mean((2, 3))``), one per
      input value; ``F.adaptive_avg_pool2d``, its exact windows.

    Other layers (Flatten, Dropout in eval, Identity) do no arithmetic; a layer of
    another type, and other functional pooling, is not listed. These are
    conventions, stated so that the counts can be compared; FlopCounterMode and the
    MACs column of `summary` count none of them.

    >>> import torch.nn as nn
    >>> m = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.MaxPool2d(2),
    ...                   nn.AdaptiveAvgPool2d(1))
    >>> [(r.name, r.what, r.count) for r in uncounted_ops(m, (1, 6, 6))]
    [('1', 'comparisons', 32), ('2', 'comparisons', 24), ('3', 'additions + division', 8)]
    """
    from torch import nn

    table, trace = summarize(model, input_size, field=False)
    modules = dict(model.named_modules())
    rows = []
    for row in table.rows:
        traced = trace.rows.get(row.name)
        if row.output_shape is None or traced is None:
            continue
        values = traced.out_numel
        if row.kind == "op":   # an operator in a container's forward (residual add, ...)
            rows.extend(_functional_op(row, traced))
            continue
        m = modules[row.name]
        pool, activation = _pool_ops(m, traced), _activation(m)
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)):
            rows.append(UncountedOp(row.name, row.type, "scale + shift", 2 * values))
        elif pool is not None:
            rows.append(UncountedOp(row.name, row.type, *pool))
        elif activation is not None:
            rows.append(UncountedOp(row.name, row.type, activation[0], activation[1] * values))
    return rows
