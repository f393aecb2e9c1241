"""Receptive fields: which input pixels a unit of a convolutional stack sees.

Notation (SYLLABUS.md): layer ``l`` has kernel ``k_l``, stride ``s_l``, padding
(before) ``p_l``, dilation ``d_l``, jump ``j_l`` (input pixels between adjacent
units), field size ``r_l`` and ``start_l``: the input coordinate of the centre of
the first unit's field, pixel ``x`` being centred at ``x`` (negative, or ending in
.5, is normal). Padding moves the centre, not the size; a field larger than the
image is reported in full. A table's values are numbers when both axes agree on
every value (input size included), else every value is an ``(h, w)`` tuple.
Output sizes come from `convlib.shapes`: an invalid stack raises its
``ValueError``, with a note naming the layer.
"""
from __future__ import annotations

import copy
import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np

from . import shapes
from ._validate import IntOrTuple, _is_int, nonneg_int, positive_int

__all__ = ["Layer", "ReceptiveFieldRow", "ReceptiveFieldTable", "FieldMap", "receptive_field",
           "receptive_field_top_down", "field_bounds", "empirical_receptive_field",
           "effective_receptive_field"]


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


class ReceptiveFieldRow(NamedTuple):
    """One layer: output size (None without ``input_size``), jump, field size, start."""
    name: str
    output_size: Any
    jump: Any
    size: Any
    start: Any


class FieldMap(NamedTuple):
    """``mask`` (bool H x W): input pixels reached from output unit ``unit``; ``grad``."""
    mask: np.ndarray
    grad: np.ndarray
    unit: tuple[int, int]


class _Geom(NamedTuple):  # a validated layer: per-axis (k, s, p, d), p an int or 'same'
    name: str
    kind: str
    axes: tuple[tuple, tuple]
    ceil_mode: bool


def _fmt(v: Any) -> str:
    return "-" if v is None else f"({v[0]}, {v[1]})" if isinstance(v, tuple) else str(v)


@dataclass(frozen=True, repr=False)
class ReceptiveFieldTable:
    """Rows of `receptive_field` (the properties are the last row's); text and HTML."""

    rows: tuple[ReceptiveFieldRow, ...]
    input_size: Any = None

    output_size = property(lambda self: self.rows[-1].output_size)
    jump = property(lambda self: self.rows[-1].jump)
    size = property(lambda self: self.rows[-1].size)
    start = property(lambda self: self.rows[-1].start)

    def __iter__(self) -> Iterator[ReceptiveFieldRow]:
        return iter(self.rows)

    def __getitem__(self, index: int) -> ReceptiveFieldRow:
        return self.rows[index]

    def _cells(self) -> list[list[str]]:
        square = not isinstance(self.rows[0].jump, tuple)
        one, zero = (1, 0) if square else ((1, 1), (0, 0))
        body = [("input", self.input_size, one, one, zero)] + [tuple(r) for r in self.rows]
        return [["layer", "output", "jump", "size", "start"]] + [
            [_fmt(v) for v in row] for row in body]

    def __repr__(self) -> str:
        cells = self._cells()
        widths = [max(len(row[c]) for row in cells) for c in range(5)]
        return "\n".join("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip()
                         for row in cells)

    def _repr_html_(self) -> str:
        head, *body = self._cells()
        th = "".join(f"<th>{h}</th>" for h in head)
        trs = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>"
                      for row in body)
        return f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>"


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


def _pair(name: str, value: Any, check: Any = positive_int) -> tuple[int, int]:
    """An int or an (H, W) pair as a checked (H, W) pair."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != 2:
            raise ValueError(f"`{name}` must be an int or an (H, W) pair, got {value!r}")
        return tuple(check(name, v) for v in value)
    return (check(name, value),) * 2


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
            raise ValueError(f"`layers` contains {name!r}, which changes the geometry in a way "
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
        specs = _module_layers(layers)
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


def _num(x: Fraction) -> int | float:
    return int(x) if x.denominator == 1 else float(x)


def _out_size(g: _Geom, axis: int, i: int) -> int:
    k, s, p, d = g.axes[axis]
    try:
        if g.kind == "conv":
            return shapes.conv_output_size(i, k, s, p, d)
        return shapes.pool_output_size(i, k, s, p, d, g.ceil_mode)
    except ValueError as err:
        err.add_note(f"in layer {g.name!r}")
        raise


def _axis_rows(geoms: list[_Geom], axis: int, i: int | None) -> list[tuple]:
    j, r, start, rows = 1, 1, Fraction(0), []
    for g in geoms:
        k, s, p, d = g.axes[axis]
        before = (d * (k - 1)) // 2 if p == "same" else p   # PyTorch: the extra pad goes after
        i = None if i is None else _out_size(g, axis, i)
        start += (Fraction(d * (k - 1), 2) - before) * j
        r += (k - 1) * d * j
        j *= s
        rows.append((i, j, r, _num(start)))
    return rows


def _table(geoms: list[_Geom], input_size: Any) -> ReceptiveFieldTable:
    sizes = (None, None) if input_size is None else _pair("input_size", input_size)
    per = [_axis_rows(geoms, a, sizes[a]) for a in (0, 1)]
    square = per[0] == per[1] and sizes[0] == sizes[1]

    def pack(h: Any, w: Any) -> Any:
        return h if square or h is None else (h, w)
    rows = tuple(ReceptiveFieldRow(g.name, *map(pack, rh, rw))
                 for g, rh, rw in zip(geoms, *per))
    return ReceptiveFieldTable(rows, pack(*sizes))


def receptive_field(layers: Any, input_size: IntOrTuple | None = None) -> ReceptiveFieldTable:
    """Bottom-up receptive field of every layer of a stack.

    j_l = j_{l-1} s_l,  r_l = r_{l-1} + (k_l - 1) d_l j_{l-1},
    start_l = start_{l-1} + ((k_l - 1) d_l / 2 - p_l) j_{l-1},  j_0 = r_0 = 1, start_0 = 0

    ``layers`` is an ``nn.Sequential`` (Conv2d, MaxPool2d, AvgPool2d; layers that
    keep the geometry, such as BatchNorm2d, ReLU, Dropout or Identity, add no row;
    any other layer raises ``ValueError`` naming it) or a list of `Layer`, dicts of
    its fields, kernel sizes, or ``(kernel_size, stride, padding, dilation)``
    tuples. ``input_size`` (int or ``(H, W)``) fills ``output_size``.

    >>> receptive_field([3, 3, 3]).size
    7
    >>> print(receptive_field([(3, 2, 1, 1), Layer(2, kind="pool"), (3, 1, 0, 2)], 32))
    layer    output  jump  size  start
    input    32      1     1     0
    0: conv  16      2     3     0
    1: pool  8       4     5     1
    2: conv  4       4     21    9
    """
    return _table(_geoms(layers), input_size)


def receptive_field_top_down(kernel_sizes: Sequence[IntOrTuple], strides: Sequence[IntOrTuple],
                             dilations: Sequence[IntOrTuple] | None = None) -> IntOrTuple:
    """Receptive field of one top unit, from the top layer down to the input.

    RF_i = (RF_{i+1} - 1) s_i + k_i,  RF_L = 1  (a dilated kernel counts as k_eff)

    >>> receptive_field_top_down([7, 3, 3], [2, 2, 1])
    19
    >>> receptive_field_top_down([3, 3], [1, 1], dilations=[(1, 2), 1])
    (5, 7)
    """
    ks, ss = list(kernel_sizes), list(strides)
    ds = [1] * len(ks) if dilations is None else list(dilations)
    if not ks:
        raise ValueError("`kernel_sizes` must not be empty")
    for name, vs in (("strides", ss), ("dilations", ds)):
        if len(vs) != len(ks):
            raise ValueError(f"`{name}` must have one entry per kernel: {len(vs)} != {len(ks)}")
    rf, tuples = (1, 1), False
    for k, s, d in reversed(list(zip(ks, ss, ds))):
        tuples = tuples or any(isinstance(v, Sequence) for v in (k, s, d))
        k, s, d = _pair("kernel_sizes", k), _pair("strides", s), _pair("dilations", d)
        rf = tuple((r - 1) * s[a] + d[a] * (k[a] - 1) + 1 for a, r in enumerate(rf))
    return rf if tuples else rf[0]


def field_bounds(table_or_row: ReceptiveFieldTable | ReceptiveFieldRow,
                 unit: IntOrTuple = (0, 0)) -> tuple:
    """Input pixels ``[first, last]`` of the field of output unit ``unit``.

    first, last = start + u j -/+ (r - 1) / 2   (both are whole pixels)

    A table means its last row. An int ``unit`` on a square row gives ``(first, last)``,
    else one pair per axis. Pixels outside ``[0, i - 1]`` are padding.

    >>> table = receptive_field([(3, 2, 1, 1), (3, 1, 1, 1)])
    >>> field_bounds(table, 2), field_bounds(table, (0, 1))
    ((1, 7), ((-3, 3), (-1, 5)))
    """
    row = table_or_row.rows[-1] if isinstance(table_or_row, ReceptiveFieldTable) else table_or_row
    if not isinstance(row, ReceptiveFieldRow):
        raise ValueError(f"`table_or_row` must be a ReceptiveFieldTable or a ReceptiveFieldRow, "
                         f"got {type(table_or_row).__name__}")
    scalar = _is_int(unit) and not isinstance(row.jump, tuple)
    bounds = []
    for a, u in enumerate(_pair("unit", unit, nonneg_int)):
        o, j, r, start = (v[a] if isinstance(v, tuple) else v for v in row[1:])
        if o is not None and u >= o:
            raise ValueError(f"`unit` must index the output (size {o}), got {u}")
        first = _num(Fraction(start) + u * j - Fraction(r - 1, 2))
        bounds.append((first, first + r - 1))
    return bounds[0] if scalar else tuple(bounds)


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
    the o windows that ``convlib.shapes`` counts (this covers 'same' and ceil_mode)."""
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
