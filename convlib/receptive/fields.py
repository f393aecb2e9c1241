"""Receptive fields: which input pixels a unit of a convolutional stack sees.

Notation (SYLLABUS.md): layer ``l`` has kernel ``k_l``, stride ``s_l``, padding
(before) ``p_l``, dilation ``d_l``, jump ``j_l`` (input pixels between adjacent
units), field size ``r_l`` and ``start_l``: the input coordinate of the centre of
the first unit's field, pixel ``x`` being centred at ``x`` (negative, or ending in
.5, is normal). Padding moves the centre, not the size; a field larger than the
image is reported in full. A table's values are numbers when both axes agree on
every value (input size included), else every value is an ``(h, w)`` tuple.
Output sizes come from `convlib.sizes.shapes`: an invalid stack raises its
``ValueError``, with a note naming the layer.

Any model (the contract other modules rely on):

* ``receptive_field(model, input_size)`` takes a list of layer specs, an
  ``nn.Sequential`` of convs, pools and geometry-keeping layers (the formulas below,
  rows `ReceptiveFieldRow`), or any other ``nn.Module``, traced through its real graph
  by `convlib.receptive.graph` (rows `convlib.receptive.graph.GraphFieldRow`).
* It returns a `ReceptiveFieldTable`: ``.rows``, text (``str``) and HTML forms, and the
  last row's ``output_size``, ``jump``, ``size``, ``start`` and ``is_global``.
* Every row has ``name``, ``output_size``, ``jump`` (an int; a Fraction after
  upsampling; None when global), ``size`` (the largest field), ``start`` (centre of
  unit 0's field), ``is_global`` (every unit sees the whole input) and ``uniform``
  (every unit's field is unit 0's shifted by ``jump``); a traced row adds ``op``,
  ``centre_offset`` (at a join: the gap between the branches' centres) and ``note``.
* ``field_bounds(table, unit)`` gives the last row's per-axis ``(first, last)``
  input pixels of ``unit``, ``field_bounds(row, unit)`` any row's: exact for every
  unit of a traced model, upsampling included.
"""
from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple

from .._validate import IntOrTuple, _is_int, nonneg_int, pair as _pair
from .layers import Layer, _Geom, _geoms, _NotAStack, _out_size  # noqa: F401  (Layer: doctests)

__all__ = ["ReceptiveFieldRow", "ReceptiveFieldTable", "receptive_field",
           "receptive_field_top_down", "field_bounds"]


class ReceptiveFieldRow(NamedTuple):
    """One layer: output size (None without ``input_size``), jump, field size, start.
    Like `convlib.receptive.graph.GraphFieldRow`, it answers ``is_global`` (False) and
    ``uniform`` (True: every unit's field is unit 0's shifted by ``jump``)."""
    name: str
    output_size: Any
    jump: Any
    size: Any
    start: Any

    is_global = property(lambda self: False)
    uniform = property(lambda self: True)


def _fmt(v: Any) -> str:
    return "-" if v is None else f"({_fmt(v[0])}, {_fmt(v[1])})" if isinstance(v, tuple) else str(v)


@dataclass(frozen=True, repr=False)
class ReceptiveFieldTable:
    """Rows of `receptive_field` (the properties are the last row's); text and HTML."""

    rows: tuple[ReceptiveFieldRow, ...]
    input_size: Any = None

    output_size = property(lambda self: self.rows[-1].output_size)
    jump = property(lambda self: self.rows[-1].jump)
    size = property(lambda self: self.rows[-1].size)
    start = property(lambda self: self.rows[-1].start)
    is_global = property(lambda self: self.rows[-1].is_global)

    def __iter__(self) -> Iterator[ReceptiveFieldRow]:
        return iter(self.rows)

    def __getitem__(self, index: int) -> ReceptiveFieldRow:
        return self.rows[index]

    def _cells(self) -> list[list[str]]:
        old = isinstance(self.rows[0], ReceptiveFieldRow)
        square = not isinstance(self.rows[0].jump if old else self.input_size, tuple)
        one, zero = (1, 0) if square else ((1, 1), (0, 0))
        if old:
            body = [("input", self.input_size, one, one, zero)] + [tuple(r) for r in self.rows]
            return [["layer", "output", "jump", "size", "start"]] + [
                [_fmt(v) for v in row] for row in body]
        head = ["layer", "op", "output", "jump", "size", "start", "note"]
        body = [("input", "", self.input_size, one, one, zero, "")] + [
            tuple(getattr(r, c) for c in ("name", "op", "output_size", "jump", "size", "start",
                                          "note")) for r in self.rows]
        return [head] + [[_fmt(v) for v in row] for row in body]

    def __repr__(self) -> str:
        cells = self._cells()
        widths = [max(len(row[c]) for row in cells) for c in range(len(cells[0]))]
        return "\n".join("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip()
                         for row in cells)

    def _repr_html_(self) -> str:
        head, *body = self._cells()
        th = "".join(f"<th>{h}</th>" for h in head)
        trs = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>"
                      for row in body)
        return f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>"


def _num(x: Fraction) -> int | float:
    return int(x) if x.denominator == 1 else float(x)


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
    """Bottom-up receptive field of every layer of a stack, or of any ``nn.Module``.

    j_l = j_{l-1} s_l,  r_l = r_{l-1} + (k_l - 1) d_l j_{l-1},
    start_l = start_{l-1} + ((k_l - 1) d_l / 2 - p_l) j_{l-1},  j_0 = r_0 = 1, start_0 = 0

    ``layers`` is an ``nn.Sequential`` (Conv2d, MaxPool2d, AvgPool2d; layers that
    keep the geometry, such as BatchNorm2d, ReLU, Dropout or Identity, add no row; a
    module made only of those is one row of size 1, jump 1; any other layer raises
    ``ValueError`` naming it) or a list of `Layer`, dicts of
    its fields, kernel sizes, or ``(kernel_size, stride, padding, dilation)``
    tuples. ``input_size`` (int or ``(H, W)``) fills ``output_size``.

    Any other ``nn.Module`` (or a Sequential holding other layers) is traced through
    its real graph by `convlib.receptive.graph` and needs ``input_size`` (int,
    ``(H, W)``, ``(C, H, W)`` or ``(N, C, H, W)``). Its rows are
    `convlib.receptive.graph.GraphFieldRow` objects: ``name``, ``op``, ``output_size``,
    ``jump`` (a Fraction after upsampling, None when global), ``size`` (the largest
    field), ``start``, ``is_global``, ``uniform``, ``centre_offset`` (joins) and
    ``note``; `field_bounds` gives the exact field of every unit of any row.

    >>> receptive_field([3, 3, 3]).size
    7
    >>> print(receptive_field([(3, 2, 1, 1), Layer(2, kind="pool"), (3, 1, 0, 2)], 32))
    layer    output  jump  size  start
    input    32      1     1     0
    0: conv  16      2     3     0
    1: pool  8       4     5     1
    2: conv  4       4     21    9
    """
    if not isinstance(layers, (list, tuple)):
        from torch import nn
        if not isinstance(layers, nn.Module):
            raise ValueError(f"`layers` must be an nn.Module or a list of layer specs, "
                             f"got {type(layers).__name__}")
        sized = isinstance(input_size, Sequence) and len(input_size) in (3, 4)
        if isinstance(layers, nn.Sequential) or next(layers.children(), None) is None:
            try:
                return _table(_geoms(layers), input_size[-2:] if sized else input_size)
            except _NotAStack:
                if input_size is None:
                    raise
        if input_size is None:
            raise ValueError(f"`input_size` is needed to trace a {type(layers).__name__}, "
                             "got None")
        return _graph_table(layers, input_size)
    return _table(_geoms(layers), input_size)


def _graph_table(model: Any, input_size: Any) -> ReceptiveFieldTable:
    from .graph import graph_rows
    try:
        rows, size = graph_rows(model, input_size)
    except RuntimeError as err:   # torch refused the input (too small, wrong channels)
        raise ValueError(f"`input_size` {input_size!r} does not run through the model: "
                         f"{str(err).splitlines()[0]}") from err
    return ReceptiveFieldTable(tuple(rows), size)


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
    else one pair per axis. Pixels outside ``[0, i - 1]`` are padding. For a traced
    model the bounds are exact for every unit, upsampling included (``None``: the unit
    sees no input pixel, a hole of a strided transposed conv).

    >>> table = receptive_field([(3, 2, 1, 1), (3, 1, 1, 1)])
    >>> field_bounds(table, 2), field_bounds(table, (0, 1))
    ((1, 7), ((-3, 3), (-1, 5)))
    """
    row = table_or_row.rows[-1] if isinstance(table_or_row, ReceptiveFieldTable) else table_or_row
    if hasattr(row, "maps") and hasattr(row, "bounds"):   # a traced model's row: exact maps
        per_axis = row.bounds(_pair("unit", unit, nonneg_int))
        if per_axis is not None and _is_int(unit) and not isinstance(row.size, tuple):
            return per_axis[0]
        return per_axis
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
