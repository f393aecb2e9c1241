"""One forward pass of a model, recorded per module and per functional op.

`trace_model` runs ``model(x)`` once with a pre- and a post-hook on every
module (a stack of the modules currently running) and a ``TorchDispatchMode``
that sees every aten operator. Each operator is attributed to the innermost
running module:

* inside a leaf module (no children) it belongs to that module's row;
* inside a container's own ``forward`` (a residual ``out + identity``, a
  ``torch.cat``, ``F.interpolate``, ``x.mean([2, 3])``) it gets a row of its
  own, named ``<container>.<op>`` (``layer1.0.add``), unless it only moves
  data (views, slicing, copies, factories): those are tallied, not shown;
  ``torch.cat`` moves data too, but it joins branches, so it gets a row.

Every operator is tallied by kind, so the summary can say what it counts
and what it leaves out. torch is imported lazily.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Trace", "TracedRow", "meta_copy", "trace_model", "first_tensor", "MOVES_DATA", "JOINS"]

#: aten operators that do no arithmetic (besides views): copies, factories, joins by index.
MOVES_DATA = frozenset({
    "clone", "_to_copy", "copy_", "contiguous", "detach", "lift_fresh", "lift_fresh_copy",
    "empty", "empty_like", "zeros", "zeros_like", "ones", "ones_like", "full", "full_like",
    "new_zeros", "new_empty", "new_ones", "new_full", "fill_", "zero_", "_unsafe_view",
    "split", "split_with_sizes", "unsafe_split", "unsafe_chunk", "unbind", "expand", "slice", "select", "narrow",
    "_local_scalar_dense", "index_select", "gather", "stack", "constant_pad_nd", "pad",
    "reflection_pad2d", "replication_pad2d", "repeat", "flip", "roll", "arange", "scalar_tensor",
    "cat",
})

#: data movement that still gets a row in a container's forward: it joins branches.
JOINS = frozenset({"cat"})


@dataclass
class TracedRow:
    """What one row saw: first output shape, MACs over all calls, first input's producer."""

    name: str
    type: str
    kind: str                      # "module" or "op"
    output_shape: tuple[int, ...] | None = None
    macs: int = 0
    source: str | None = None      # the row whose output was this row's first input
    calls: int = 0
    input_shape: tuple[int, ...] | None = None   # first tensor input, first call
    in_numel: int = 0              # values of the first tensor input, summed over the calls
    out_numel: int = 0             # values of the first tensor output, summed over the calls
    input_shapes: list = field(default_factory=list)   # first tensor input of every call


@dataclass
class Trace:
    """Rows in call order, and every aten operator tallied by how it was counted."""

    rows: dict[str, TracedRow] = field(default_factory=dict)
    mac_ops: Counter = field(default_factory=Counter)        # counted as MACs
    arithmetic_ops: Counter = field(default_factory=Counter)  # arithmetic, not MACs
    data_ops: Counter = field(default_factory=Counter)        # move data only


def first_tensor(value: Any) -> Any:
    """The first tensor in a (nested) output: LSTM returns ``(out, (h, c))``."""
    import torch

    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, (tuple, list)):
        for v in value:
            t = first_tensor(v)
            if t is not None:
                return t
    return None


def _op_macs(func: Any, args: tuple, kwargs: dict, out: Any) -> int | None:
    """FlopCounterMode's FLOPs / 2 for a matmul or convolution operator, else None."""
    from torch.utils.flop_counter import flop_registry

    count = flop_registry.get(func.overloadpacket)
    if count is None:
        return None
    return int(count(*args, **kwargs, out_val=out)) // 2


def meta_copy(model: Any) -> Any:
    """A copy of `model` whose parameters and buffers are meta tensors (no data copied).

    Shared modules and tied weights stay shared. Raises ValueError for recurrent
    and attention layers (their meta operators differ from the CPU ones).
    """
    import copy

    import torch
    from torch import nn

    if any(isinstance(m, (nn.RNNBase, nn.MultiheadAttention)) for m in model.modules()):
        raise ValueError("`model` has recurrent or attention layers: no shapes-only pass")
    memo: dict[int, Any] = {}
    for t in [*model.parameters(), *model.buffers()]:
        meta = torch.empty_like(t, device="meta")
        memo[id(t)] = nn.Parameter(meta, t.requires_grad) if isinstance(t, nn.Parameter) else meta
    return copy.deepcopy(model, memo)


def trace_model(model: Any, x: Any, row_modules: dict[str, Any],
                module_macs: Any, *, shapes_only: bool = False) -> Trace:
    """Run ``model(x)`` once and record rows for `row_modules` and functional ops.

    ``shapes_only=True`` runs a copy of the model on the meta device (`meta_copy`):
    shapes and counts without the arithmetic. It raises where the forward needs
    values (``if x.sum() > 0``) or an operator has no meta kernel, and refuses
    recurrent and attention layers, whose operators decompose differently on
    meta; the caller then runs the model itself.

    ``module_macs(module, inputs, out)`` gives a module call's MACs from its
    formula, or None for a type without one (then the MACs of the matmul and
    convolution operators run inside it are used, as FlopCounterMode counts them).
    """
    import torch
    from torch.utils._python_dispatch import TorchDispatchMode

    if shapes_only:
        model, x = meta_copy(model), torch.zeros(x.shape, dtype=x.dtype, device="meta")
    trace = Trace()
    names = {id(m): n for n, m in model.named_modules()}
    parents = {n for n, m in model.named_modules() if any(True for _ in m.children())}
    stack: list[str] = []
    inner_macs: list[int] = []        # per running leaf: MACs of its operators
    producer: dict[int, str] = {}
    alive: list[Any] = []             # keep outputs alive: ids stay unique during the pass

    def produced(value: Any, name: str) -> None:
        t = first_tensor(value)
        if t is not None:
            producer[id(t)] = name
            alive.append(t)

    def source_of(args: Any) -> str | None:
        t = first_tensor(list(args))
        return None if t is None else producer.get(id(t))

    def shape_of(args: Any) -> tuple[int, ...] | None:
        t = first_tensor(list(args))
        return None if t is None else tuple(t.shape)

    def pre(module, inputs):
        name = names[id(module)]
        stack.append(name)
        inner_macs.append(0)
        if name in row_modules and name not in trace.rows:
            trace.rows[name] = TracedRow(name, type(module).__name__, "module",
                                         source=source_of(inputs), input_shape=shape_of(inputs))

    def post(module, inputs, out):
        name = stack.pop()
        inside = inner_macs.pop()
        row = trace.rows.get(name)
        if row is None or out is None:   # not a row, or the forward failed (always_call)
            return
        t = first_tensor(out)
        if row.calls == 0:
            row.output_shape = None if t is None else tuple(t.shape)
        row.calls += 1
        row.out_numel += 0 if t is None else t.numel()
        t_in = first_tensor(list(inputs))
        row.in_numel += 0 if t_in is None else t_in.numel()
        row.input_shapes.append(None if t_in is None else tuple(t_in.shape))
        if name not in parents:
            macs = module_macs(module, inputs, out)
            row.macs += inside if macs is None else macs
        produced(out, name)

    class Recorder(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            out = func(*args, **kwargs)
            op = func.overloadpacket.__name__
            macs = _op_macs(func, args, kwargs, out)
            tally = (trace.mac_ops if macs is not None else trace.data_ops
                     if func.is_view or op in MOVES_DATA else trace.arithmetic_ops)
            tally[f"aten.{op}"] += 1
            owner = stack[-1] if stack else ""
            if stack and owner not in parents:          # inside a leaf module
                inner_macs[-1] += macs or 0
            elif tally is not trace.data_ops or op in JOINS:   # a functional op: own row
                base = f"{owner}.{op.rstrip('_')}" if owner else op.rstrip("_")
                name, k = base, 0
                while name in trace.rows or name in row_modules:
                    k += 1
                    name = f"{base}_{k}"
                t, t_in = first_tensor(out), first_tensor(list(args))
                trace.rows[name] = TracedRow(
                    name, f"aten.{op}", "op", None if t is None else tuple(t.shape), macs or 0,
                    source_of(args), 1, shape_of(args), 0 if t_in is None else t_in.numel(),
                    0 if t is None else t.numel())
                produced(out, name)
            return out

    handles = []
    for module in model.modules():
        handles.append(module.register_forward_pre_hook(pre))
        handles.append(module.register_forward_hook(post, always_call=True))
    try:
        with torch.no_grad(), Recorder():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return trace
