"""Receptive field of any ``nn.Module``, following its real computation graph.

The model runs once (eval mode and ``torch.no_grad``, modes restored afterwards) on a
zero input under a ``TorchDispatchMode`` that sees every ATen op, so forward code with
shape-dependent slicing (U-Net's centre crop) works. Every tensor computed from the
input carries one exact `convlib.receptive.maps.AxisMap` per spatial axis (the last two
dims), moved op by op by `convlib.receptive.ops`. Module forward hooks name the nodes:
the module path inside a leaf module (``layer3.1.conv2``), ``path.op`` for a functional
op (``layer1.0.add``, ``up1.interpolate``, ``slice`` at the top level).

Modelled: convolution and transposed convolution (groups, dilation, any padding,
``output_padding``), max / avg / adaptive pooling (``ceil_mode`` too), constant,
reflect and replicate padding (negative padding crops), slicing (``narrow``,
``x[..., a:b]``), interpolation (every mode, read off torch's kernel), pointwise ops (a
join of several inputs is the union of their fields), ``cat`` (channels: a join; a
spatial axis: maps side by side), normalisations (their statistics ignored: the
inference convention), views and permutations that keep H and W last. Global ops
(reductions over H and W, adaptive pooling to 1, flatten) make every later unit see the
union of everything. Anything else that touches a spatial tensor raises ``ValueError``
naming the node and the op; so does an in-place write into a view.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import maps as fm
from . import ops

__all__ = ["GraphFieldRow", "trace_fields", "graph_rows"]

ROW_WHEN_GLOBAL = ("convolution", "mm", "addmm", "bmm", "linear")


@dataclass(frozen=True)
class GraphFieldRow:
    """One geometry-changing node of a traced model.

    ``name`` (module path or ``path.op``), ``op`` (``conv``, ``conv_transpose``,
    ``max_pool``, ``avg_pool``, ``adaptive_avg_pool``, ``pad``, ``slice``, ``interpolate``,
    ``cat``, ``add``, ``mul``, ``mean``, ``flatten``, ``output``, ...), ``output_size``
    (None once H and W are gone), ``jump`` (nominal input pixels per unit: an int, a
    Fraction after upsampling, None when global), ``size`` (the largest field),
    ``start`` (centre of unit 0's field), ``is_global`` (every unit sees the union of
    everything before), ``uniform`` (every unit's field is unit 0's shifted by ``jump``:
    the classic case), ``centre_offset`` (at a join: the largest gap between the
    branches' field centres, 0 when they agree; None elsewhere) and ``note``. Values are
    numbers when both axes agree in the whole table, else ``(h, w)`` pairs.
    """
    name: str
    op: str
    output_size: Any
    jump: Any
    size: Any
    start: Any
    is_global: bool
    uniform: bool
    centre_offset: Any
    note: str
    maps: tuple = field(repr=False, compare=False)

    def bounds(self, unit: tuple[int, int]) -> tuple:
        """``((first, last), (first, last))`` input pixels of ``unit``; ``None`` for a unit
        that sees no input pixel (a hole of a strided transposed conv)."""
        out = []
        for m, u in zip(self.maps, unit):
            if not m.whole and u >= m.n:
                raise ValueError(f"`unit` must index the output (size {m.n}), got {u}")
            out.append(fm.bounds(m, 0 if m.whole else u))
        return None if None in out else tuple(out)


class _Tracer:
    """One trace: fields by tensor id (tensors kept alive), module stack, nodes."""

    def __init__(self) -> None:
        self.fields: dict[int, tuple[Any, tuple]] = {}
        self.stack: list[tuple[str, bool, str]] = [("", False, "")]
        self.nodes: list[dict] = []
        self.names: dict[str, int] = {}
        self.producers: dict[int, frozenset] = {}   # tensor id -> rows it comes from

    def field_of(self, t: Any) -> tuple:
        return self.fields[id(t)][1]

    def set_field(self, t: Any, f: tuple) -> None:
        self.fields[id(t)] = (t, f)

    def node_name(self, op: str) -> str:
        path, leaf, kind = self.stack[-1]
        own = leaf and (not op.endswith("pad") or "Pad" in kind)
        base = path if own else f"{path}.{op}" if path else op
        count = self.names.get(base, 0)
        self.names[base] = count + 1
        self.last_base = base
        return base if count == 0 else f"{base}_{count}"

    def record(self, op: str, out: Any, f: tuple, offset: Any = None,
               parents: frozenset = frozenset()) -> None:
        """A row for ``out``; it becomes the producer of ``out``."""
        spatial = out.dim() >= 2 and not (f[0].whole and f[1].whole and out.dim() < 4)
        name = self.node_name(op)
        self.producers[id(out)] = frozenset([len(self.nodes)])
        self.nodes.append(dict(name=name, base=self.last_base, op=op, field=f, offset=offset,
                               size=tuple(out.shape[-2:]) if spatial else None,
                               parents=parents))

    def ancestors(self, t: Any) -> list[dict]:
        """The rows that ``t`` depends on, in execution order (side computations such as
        a ``x.sum()`` read by an ``if`` are dropped)."""
        seen, todo = set(), list(self.producers.get(id(t), ()))
        while todo:
            i = todo.pop()
            if i not in seen:
                seen.add(i)
                todo.extend(self.nodes[i]["parents"])
        return [self.nodes[i] for i in sorted(seen)]

    def where(self, func: Any) -> str:
        path = self.stack[-1][0] or "the model's forward"
        return f"node {path!r}, op {func}"

    def handle(self, func: Any, args: tuple, kwargs: dict, out: Any) -> None:
        import torch
        from torch.utils._pytree import tree_flatten
        flat = tree_flatten((args, kwargs))[0]
        tracked = [t for t in flat if isinstance(t, torch.Tensor) and id(t) in self.fields]
        outs = [t for t in tree_flatten(out)[0] if isinstance(t, torch.Tensor)]
        if not tracked or not outs:
            return
        name = func.overloadpacket.__name__
        if name.endswith("_like") or name.startswith("new_"):
            return  # zeros_like, new_empty: the values do not depend on the input
        bound = {a.name: args[i] if i < len(args) else kwargs.get(a.name, a.default_value)
                 for i, a in enumerate(func._schema.arguments)}
        main = outs[0]
        fields = [self.field_of(t) for t in tracked]
        parents = frozenset().union(*(self.producers.get(id(t), ()) for t in tracked))
        self.producers[id(main)] = parents
        if all(f[0].whole and f[1].whole for f in fields):
            f = tuple(fm.union([g[a] for g in fields], 1) for a in (0, 1))
            self.set_field(main, f)
            if name in ROW_WHEN_GLOBAL:
                op = "linear" if name != "convolution" else "conv"
                self.record(op, main, f, parents=parents)
            return
        if torch.Tag.pointwise in func.tags or name in ("add", "mul", "sub", "div"):
            handler = ops.pointwise
        elif name in ops.HANDLERS:
            handler = ops.HANDLERS[name]
        else:
            raise ValueError(f"receptive_field cannot model {self.where(func)} on a "
                             f"spatial tensor of shape {tuple(tracked[0].shape)}")
        bound["__func__"] = func
        try:
            f, op, row, offset = handler(self, bound, tracked, main, name)
        except ops.Unsupported as err:
            raise ValueError(f"receptive_field cannot model {self.where(func)}: {err}") \
                from None
        self.check_writes(func, args, f)
        self.set_field(main, f)
        last = self.nodes[-1] if self.nodes else None
        if row and op == "slice" and last and last["op"] == "slice" and \
                last["field"] is self.field_of(bound["self"]):
            self.nodes.pop()   # x[..., a:b, c:d] is one crop: one row
            self.names[last["base"]] -= 1
            parents = last["parents"]
        if row:
            self.record(op, main, f, offset, parents)

    def check_writes(self, func: Any, args: tuple, f: tuple) -> None:
        """An in-place write that changes the field of a view would change its base
        behind our back: refused."""
        for i, a in enumerate(func._schema.arguments):
            if a.alias_info is not None and a.alias_info.is_write and i < len(args):
                t = args[i]
                if t._is_view() and (id(t) not in self.fields or self.field_of(t) is not f):
                    raise ValueError(f"receptive_field cannot model {self.where(func)}: an "
                                     "in-place write into a view of another tensor")


def _input_shape(model: Any, input_size: Any) -> tuple[int, ...]:
    from .._validate import positive_int
    size = tuple(input_size) if isinstance(input_size, (tuple, list)) else (input_size,) * 2
    if len(size) not in (2, 3, 4):
        raise ValueError(f"`input_size` must be an int, (H, W), (C, H, W) or (N, C, H, W), "
                         f"got {input_size!r}")
    size = tuple(positive_int("input_size", v) for v in size)
    if len(size) == 2:
        found = [getattr(m, a) for m in model.modules()
                 for a in ("in_channels", "num_features", "num_channels") if hasattr(m, a)]
        size = (found[0] if found else 1,) + size
    return size if len(size) == 4 else (1,) + size


def _dtype(model: Any) -> Any:
    import torch
    for p in model.parameters():
        if p.is_floating_point():
            return p.dtype
    return torch.get_default_dtype()


BATCH_NORMS = ("_native_batch_norm_legit_no_training", "native_batch_norm",
               "_native_batch_norm_legit")


def _meta_shortcut(func: Any, args: tuple) -> Any:
    """The result of a shape-keeping op on meta tensors without running its (slow,
    Python) meta kernel: batch norms and in-place pointwise ops; None otherwise."""
    import torch
    x = args[0] if args else None
    if not isinstance(x, torch.Tensor) or x.device.type != "meta":
        return None
    name = func.overloadpacket.__name__
    if name in BATCH_NORMS:
        empty = torch.empty(0, device="meta", dtype=x.dtype)
        return torch.empty_like(x), empty, empty.clone()
    first = func._schema.arguments[0].alias_info
    if torch.Tag.pointwise in func.tags and first is not None and first.is_write and all(
            a.shape == x.shape or a.dim() == 0 for a in args if isinstance(a, torch.Tensor)):
        return x
    return None


def _run(model: Any, shape: tuple, on_meta: bool) -> tuple[_Tracer, Any]:
    """One forward pass under the tracer; on ``meta`` tensors (shapes only) if asked."""
    import torch
    from torch.utils._python_dispatch import TorchDispatchMode
    from torch.utils._pytree import tree_map
    tracer = _Tracer()

    def meta(t: Any) -> Any:
        return t.to("meta") if isinstance(t, torch.Tensor) and t.device.type != "meta" else t

    class Mode(TorchDispatchMode):
        def __torch_dispatch__(self, func: Any, types: Any, args: tuple = (),
                               kwargs: dict | None = None) -> Any:
            kwargs = kwargs or {}
            if on_meta:
                out = _meta_shortcut(func, args)
                if out is None:
                    out = func(*tree_map(meta, args), **tree_map(meta, kwargs))
            else:
                out = func(*args, **kwargs)
            tracer.handle(func, args, kwargs, out)
            return out

    hooks, modes = [], {m: m.training for m in model.modules()}
    for path, m in model.named_modules():
        entry = (path, next(m.children(), None) is None, type(m).__name__)
        hooks.append(m.register_forward_pre_hook(
            lambda mod, inp, e=entry: tracer.stack.append(e)))   # returns None
        hooks.append(m.register_forward_hook(lambda mod, inp, out: tracer.stack.pop() and None))
    x = torch.zeros(shape, dtype=_dtype(model), device="meta" if on_meta else None)
    tracer.set_field(x, (fm.identity(shape[2]), fm.identity(shape[3])))
    try:
        model.eval()
        with torch.no_grad(), Mode():
            y = model(x)
    finally:
        for h in hooks:
            h.remove()
        for m, training in modes.items():
            m.train(training)
    return tracer, y


def trace_fields(model: Any, input_size: Any) -> tuple[list[dict], tuple[int, int]]:
    """Run ``model`` once and return its nodes (name, op, field, offset, size) and the
    input's (H, W). ``input_size``: int, (H, W), (C, H, W) or (N, C, H, W); C defaults
    to the first module's ``in_channels``. The pass runs on ``meta`` tensors (shapes
    only, fast); forward code that reads values (``if x.sum() > 0``) gets a second
    pass on a real zero input."""
    import torch
    from torch.utils._pytree import tree_flatten
    shape = _input_shape(model, input_size)
    try:
        tracer, y = _run(model, shape, on_meta=True)
    except (RuntimeError, NotImplementedError):
        tracer, y = _run(model, shape, on_meta=False)
    outs = [t for t in tree_flatten(y)[0] if isinstance(t, torch.Tensor)
            and id(t) in tracer.fields]
    if not outs:
        raise ValueError("`model`'s output does not depend on its input")
    final = tracer.field_of(outs[0])
    nodes = tracer.ancestors(outs[0])
    if not nodes or nodes[-1]["field"] is not final:
        tracer.record("output", outs[0], final)
        nodes.append(dict(tracer.nodes[-1], name="output"))
    return nodes, shape[2:]


def _pack(h: Any, w: Any, square: bool) -> Any:
    return h if square else (h, w)


def graph_rows(model: Any, input_size: Any) -> tuple[list[GraphFieldRow], Any]:
    """The rows of `receptive_field` for any module, and the packed input size."""
    nodes, image = trace_fields(model, input_size)
    per_node = []
    for node in nodes:
        f, size = node["field"], node["size"]
        axes = [fm.summary(m) for m in f]            # (size, jump, start, uniform) per axis
        offset = node["offset"]
        per_node.append((axes, size, offset))
    square = image[0] == image[1] and all(
        a[0] == a[1] and (size is None or size[0] == size[1])
        and (offset is None or offset[0] == offset[1]) for a, size, offset in per_node)
    rows = []
    for node, (axes, size, offset) in zip(nodes, per_node):
        f = node["field"]
        is_global = f[0].whole and f[1].whole
        uniform = all(a[3] for a in axes)
        off = None if offset is None else tuple(fm._num(o) for o in offset)
        notes = ["global: sees the whole input"] if is_global else []
        if not is_global and not uniform:
            notes.append("field varies by unit")
        if off is not None and any(off):
            notes.append(f"branch centres differ by {_pack(*off, square)}")
        rows.append(GraphFieldRow(
            node["name"], node["op"], None if size is None else _pack(*size, square),
            *(_pack(axes[0][i], axes[1][i], square) for i in (1, 0, 2)), is_global, uniform,
            None if off is None else _pack(*off, square), "; ".join(notes), f))
    return rows, _pack(*image, square)
