"""Per-layer table of a PyTorch model: output shape, parameters, MACs, memory, field.

`summary` runs the model once on a zero input of shape ``(1, *input_size)``
(batch size 1, under ``torch.no_grad`` and in eval mode, so BatchNorm running
statistics are not touched), with hooks on its modules and a dispatch mode
that sees every aten operator (`convlib.counting._trace`), and returns a
`ModelSummary` that renders as an HTML table in a notebook and as text in a
terminal. Operators run in a container's own ``forward`` (a residual add,
``torch.cat``, ``F.interpolate``, ``x.mean``) get rows of their own; the
footer tallies every operator as counted, not counted, or data movement.

Conventions (stated in the rendered table too):

* Output shapes include the batch dimension, which is 1.
* Params are ``numel()`` of a module's own parameters (``recurse=False``); they
  add up to ``sum(p.numel() for p in model.parameters())``. Buffers such as
  BatchNorm running statistics are not parameters.
* MACs (multiply-accumulates) are computed with the `convlib.counting.formulas`
  formulas from each layer's hyper-parameters and recorded shapes, for Conv,
  ConvTranspose and Linear layers; FLOPs = 2 x MACs, which for a layer with
  a bias equals its multiplications plus additions, the bias additions
  included. Other layers (ReLU, pooling, BatchNorm, ...) show 0 MACs,
  as ``torch.utils.flop_counter.FlopCounterMode`` does not count them either;
  a matmul or convolution run functionally (``F.conv2d``, ``x @ w``) is counted
  as FlopCounterMode counts it.
* Activations = bytes of the row's output in float32 (4 x numel); parameter
  memory = 4 x total parameters.
* The receptive field (size and jump, in input pixels) comes from
  `convlib.receptive.fields.receptive_field` when it can model the network, joined
  by layer name; a layer that keeps the geometry (BatchNorm, ReLU) takes the
  field of its input; "—" where there is none.

torch is imported lazily, inside the functions that need it.
"""
from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass, replace
from math import prod
from typing import TYPE_CHECKING, Any, NamedTuple

from ._trace import Trace, trace_model
from .._validate import positive_int
from ..receptive.join import field_rows, join_fields
from .formulas import (conv2d_macs, conv_transpose2d_macs, gru_macs, linear_macs, lstm_macs,
                       rnn_macs)

if TYPE_CHECKING:   # annotations only: no torch import at run time
    import torch

__all__ = ["LayerRow", "ModelSummary", "summary", "summarize"]

COLUMNS = ("Layer", "Type", "Output shape", "Params (numel)", "MACs (mult-adds)",
           "Activations (B, fp32)")
FIELD_COLUMNS = ("RF size", "RF jump")
BYTES = 4   # float32
MACS_NOTE = ("MACs = multiply-accumulates per forward pass of one sample, counted for "
             "Conv, ConvTranspose, Linear and recurrent layers. FLOPs = 2 x MACs: "
             "for a Conv or Linear with a bias, exactly its multiplications plus "
             "additions (K products, K - 1 additions for the sum, 1 for the bias); "
             "without a bias, one per output value too many. Other layers (ReLU, "
             "pooling, BatchNorm, ...) show 0: not counted, as in "
             "torch.utils.flop_counter.FlopCounterMode. Rows typed "
             "aten.* are operators run in a container's forward (residual add, cat, "
             "interpolate, mean), named <container>.<op>.")
MEMORY_NOTE = ("Activations = bytes of the row's output in float32 (4 x numel); their "
               "sum counts in-place outputs (ReLU(inplace=True), add_) again, so it bounds "
               "what one forward pass holds from above.")
PARAMS_NOTE = ("Params = numel() of each layer's own parameters (shared ones counted "
               "once); buffers such as BatchNorm running statistics are not parameters.")
RECURRENT = ("RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell")
RECURRENT_NOTE = ("RNN / LSTM / GRU rows: MACs computed from the formula per time step, layer "
                  "and direction: h (in + h), 4h (in + h), 3h (in + h), where a stacked "
                  "layer reads in = h (2h if bidirectional); an LSTM with proj_size r costs "
                  "4h (in + r) + rh and its stacked layers read r (2r). On the CPU PyTorch "
                  "runs an LSTM without proj_size as one fused operator that FlopCounterMode "
                  "does not count.")
SHAPE_NOTE = ("Output shapes include the batch dimension (1); '-' = no tensor output "
              "(or the layer was not called).")


class LayerRow(NamedTuple):
    """One leaf module or functional op: name, type, output shape, counts, field.

    ``kind`` is ``"module"`` or ``"op"`` (an aten operator run in a container's
    forward, type ``"aten.add"``); ``rf_size`` / ``rf_jump`` are None where the
    receptive field is unknown.
    """

    name: str
    type: str
    output_shape: tuple[int, ...] | None
    params: int
    macs: int
    activation_bytes: int = 0
    rf_size: Any = None
    rf_jump: Any = None
    kind: str = "module"


def _fmt_field(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, tuple):
        return "(" + ", ".join(_fmt_field(v) for v in value) + ")"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _mib(n: int) -> str:
    """``"1,120 B"``, or with the size in KiB, MiB or GiB when that is at least 1."""
    units = [(u, 2 ** (10 * e)) for e, u in ((3, "GiB"), (2, "MiB"), (1, "KiB"))]
    unit, scale = next(((u, v) for u, v in units if n >= v), ("", 1))
    return f"{n:,} B" + (f" = {n / scale:,.2f} {unit}" if unit else "")


def _tally(ops: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{op} x{n}" for op, n in ops) or "none"


@dataclass(frozen=True, repr=False)
class ModelSummary:
    """Result of `summary`: `rows` plus totals; prints as text, shows as HTML.

    ``mac_ops``, ``arithmetic_ops`` and ``data_ops`` tally the aten operators of
    the pass: counted in MACs, arithmetic left out of MACs, and data movement
    only (views, slicing, copies). ``field_note`` says why the receptive-field
    columns are absent (None when they are shown). ``part_of`` is set by `part`:
    (first row, the whole table).
    """

    input_shape: tuple[int, ...]
    rows: tuple[LayerRow, ...]
    mac_ops: tuple[tuple[str, int], ...] = ()
    arithmetic_ops: tuple[tuple[str, int], ...] = ()
    data_ops: tuple[tuple[str, int], ...] = ()
    field_note: str | None = "receptive field not computed"
    part_of: tuple[int, ModelSummary] | None = None
    show_notes: bool = True

    def part(self, start: int, stop: int, *, notes: bool = True) -> ModelSummary:
        """Rows ``start:stop`` as a table of their own, to show a long model in pieces.

        Its header names the rows (``rows 0-7 of 14``), its totals row reads
        ``Subtotal``, and its notes (shown only with ``notes=True``) are the whole
        model's, with the model's totals.
        """
        return replace(self, rows=self.rows[start:stop], part_of=(start, self),
                       show_notes=notes)

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

    @property
    def total_param_bytes(self) -> int:
        """Parameter memory in float32: 4 x total_params."""
        return BYTES * self.total_params

    @property
    def total_activation_bytes(self) -> int:
        """Sum of the rows' output bytes in float32 (in-place outputs counted again)."""
        return sum(r.activation_bytes for r in self.rows)

    @property
    def has_field(self) -> bool:
        return self.field_note is None

    def _columns(self) -> tuple[str, ...]:
        return COLUMNS + FIELD_COLUMNS if self.has_field else COLUMNS

    def _cells(self) -> list[tuple[str, ...]]:
        return [(r.name or "(model)", r.type,
                 "-" if r.output_shape is None else str(tuple(r.output_shape)),
                 f"{r.params:,}", f"{r.macs:,}", f"{r.activation_bytes:,}")
                + ((_fmt_field(r.rf_size), _fmt_field(r.rf_jump)) if self.has_field else ())
                for r in self.rows]

    def _total(self) -> tuple[str, ...]:
        return ("Subtotal" if self.part_of else "Total", "", "", f"{self.total_params:,}",
                f"{self.total_macs:,}", f"{self.total_activation_bytes:,}") + ("", "") * self.has_field

    def _header(self) -> str:
        head = f"ModelSummary: input shape {self.input_shape}"
        if self.part_of is None:
            return head
        start, whole = self.part_of
        return (f"{head}, rows {start}-{start + len(self.rows) - 1} of {len(whole.rows)} "
                f"(subtotals)")

    def _notes(self) -> list[str]:
        if self.part_of is not None:
            whole = self.part_of[1]
            return ([f"Whole model: {whole.total_params:,} params, {whole.total_macs:,} MACs"]
                    + whole._notes()) if self.show_notes else []
        field = ("RF size / jump = receptive field of the row's output in input pixels "
                 "(convlib.receptive_field, joined by layer name); '—' = none for this row."
                 if self.has_field else f"Receptive field: not shown ({self.field_note}).")
        return [f"Total FLOPs = 2 x MACs = {self.total_flops:,}",
                f"Parameter memory (float32) = 4 x {self.total_params:,} = "
                f"{_mib(self.total_param_bytes)}; activations (float32, sum of rows) = "
                f"{_mib(self.total_activation_bytes)}",
                PARAMS_NOTE, MACS_NOTE, MEMORY_NOTE, SHAPE_NOTE, field,
                f"Operators counted in MACs: {_tally(self.mac_ops)}.",
                f"Operators not counted (arithmetic besides multiply-accumulates): "
                f"{_tally(self.arithmetic_ops)}.",
                f"Operators ignored (data movement only, no arithmetic): "
                f"{_tally(self.data_ops)}."] + (
                    [RECURRENT_NOTE] if any(r.type in RECURRENT for r in self.rows) else [])

    def __str__(self) -> str:
        columns, cells = self._columns(), self._cells()
        table = [columns, *cells, self._total()]
        widths = [max(len(row[c]) for row in table) for c in range(len(columns))]

        def line(row):
            return "  ".join(c.rjust(w) if i > 2 else c.ljust(w)
                             for i, (c, w) in enumerate(zip(row, widths))).rstrip()

        rule = "-" * len(line(columns))
        notes = [textwrap.fill(n, width=88, subsequent_indent="  ")
                 for n in self._notes()]
        return "\n".join([self._header(), rule, line(columns), rule,
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
        details = (f"<details><summary><small>What is counted ({len(self._notes())} notes)"
                   f"</small></summary><p><small>{notes}</small></p></details>"
                   if notes else "")
        return (f"<table><caption>{esc(self._header())}</caption>"
                f"<thead>{row(self._columns(), 'th')}</thead><tbody>{body}</tbody>"
                f"<tfoot>{row(self._total(), 'th')}</tfoot></table>" + details)


def _formula_macs(module: torch.nn.Module, inputs: tuple, out: Any) -> int | None:
    """MACs of one call from the convlib.counting.formulas formulas; None for other types."""
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
    if isinstance(module, (nn.RNNBase, nn.RNNCellBase)):
        return _recurrent_macs(module, inputs[0].shape)
    return None


def _recurrent_macs(module: torch.nn.Module, x: tuple[int, ...]) -> int:
    """A recurrent layer's MACs from its formula: every position of ``x`` but the features
    is one step (sequence length times batch, in either layout, batched or not)."""
    from torch import nn

    steps = prod(x[:-1])
    if isinstance(module, nn.RNNCellBase):
        layers, bidirectional, proj = 1, False, 0
    else:
        layers, bidirectional = module.num_layers, module.bidirectional
        proj = getattr(module, "proj_size", 0)
    args = (module.input_size, module.hidden_size, layers, bidirectional, steps)
    if isinstance(module, (nn.LSTM, nn.LSTMCell)):
        return lstm_macs(*args, proj_size=proj)
    return (gru_macs if isinstance(module, (nn.GRU, nn.GRUCell)) else rnn_macs)(*args)


def _input_shape(input_size: int | tuple[int, ...]) -> tuple[int, ...]:
    sizes = input_size if isinstance(input_size, (tuple, list)) else (input_size,)
    if len(sizes) == 0:
        raise ValueError("`input_size` must not be an empty tuple")
    return (1, *(positive_int("input_size", s) for s in sizes))


def _check_model(model: Any) -> None:
    from torch import nn

    if not isinstance(model, nn.Module):
        raise ValueError(f"`model` must be a torch.nn.Module, got {type(model).__name__} "
                         f"{model!r:.60}")


def _run(model: torch.nn.Module, x: torch.Tensor, named: dict[str, Any]) -> Trace:
    modes = [(m, m.training) for m in model.modules()]
    try:
        model.eval()
        try:   # shapes only, on the meta device: no arithmetic, so fast on big inputs
            return trace_model(model, x, named, _formula_macs, shapes_only=True)
        except Exception:   # values needed, or no meta kernel: run it for real below
            pass
        return trace_model(model, x, named, _formula_macs)
    except (RuntimeError, TypeError, IndexError) as err:
        raise ValueError(f"`input_size` {tuple(x.shape[1:])} does not fit the model: the "
                         f"forward pass on zeros of shape {tuple(x.shape)} failed with "
                         f"{type(err).__name__}: {err}") from err
    finally:
        for m, mode in modes:
            m.training = mode


def summary(model: torch.nn.Module, input_size: int | tuple[int, ...], *,
            dtype: torch.dtype | None = None, field: bool = True) -> ModelSummary:
    """Run `model` once on zeros of shape ``(1, *input_size)`` and tabulate its layers.

    One row per leaf module (a module without children, or a container that
    holds parameters of its own), in the order they are first called; a module
    called several times gets one row whose MACs add up over the calls. An
    operator run in a container's own forward (residual add, cat, interpolate,
    mean) gets a row ``<container>.<op>`` where it happens. The pass runs under
    ``torch.no_grad`` in eval mode, on a copy of the model on the meta device
    (shapes without arithmetic) unless the forward needs values, then on the
    model itself; each module's training flag is restored afterwards, so the
    model (and its BatchNorm statistics) is unchanged.

    params      = sum over own parameters of numel()   (total = sum over model.parameters())
    MACs        = conv2d_macs / conv_transpose2d_macs / linear_macs of the layer
                  (rnn_macs / lstm_macs / gru_macs for recurrent layers and cells)
    activations = 4 numel(output)                       (bytes, float32)

    ``dtype`` is the input's dtype (default: that of the model's first floating
    parameter, else torch's default); pass ``torch.long`` for an Embedding.
    ``field=False`` skips the receptive-field columns.

    >>> import torch.nn as nn
    >>> s = summary(nn.Sequential(nn.Conv2d(3, 10, 3, stride=2, padding=1), nn.ReLU()),
    ...             (3, 100, 100))
    >>> s.rows[0]
    LayerRow(name='0', type='Conv2d', output_shape=(1, 10, 50, 50), params=280, macs=675000, activation_bytes=100000, rf_size=3, rf_jump=2, kind='module')
    >>> s.total_params, s.total_macs, s.total_flops, s.total_param_bytes
    (280, 675000, 1350000, 1120)
    """
    return summarize(model, input_size, dtype=dtype, field=field)[0]


def summarize(model: torch.nn.Module, input_size: int | tuple[int, ...], *,
              dtype: torch.dtype | None = None, field: bool = True) -> tuple[ModelSummary, Trace]:
    """`summary` and the `convlib.counting._trace.Trace` it was built from (input shapes, sources)."""
    import torch

    _check_model(model)
    shape = _input_shape(input_size)
    if dtype is not None and not isinstance(dtype, torch.dtype):
        raise ValueError(f"`dtype` must be a torch.dtype, got {dtype!r}")
    params = list(model.parameters())
    if dtype is None:
        floating = [p.dtype for p in params if p.is_floating_point()]
        dtype = floating[0] if floating else torch.get_default_dtype()
    device = params[0].device if params else torch.device("cpu")
    x = torch.zeros(shape, dtype=dtype, device=device)

    named = {name: m for name, m in model.named_modules()
             if not any(True for _ in m.children())
             or any(True for _ in m.parameters(recurse=False))}
    trace = _run(model, x, named)

    seen: set[int] = set()
    rows = []
    for name in list(trace.rows) + [n for n in named if n not in trace.rows]:
        t = trace.rows.get(name)
        own = [p for p in named[name].parameters(recurse=False)
               if id(p) not in seen] if name in named else []
        seen.update(id(p) for p in own)
        shape_out = None if t is None else t.output_shape
        rows.append(LayerRow(
            name, type(named[name]).__name__ if t is None else t.type, shape_out,
            sum(p.numel() for p in own), 0 if t is None else t.macs,
            0 if shape_out is None else BYTES * prod(shape_out),
            kind="module" if t is None else t.kind))
    fields, note = field_rows(model, shape) if field else (None, "field=False")
    if fields is not None:
        sources = {n: t.source for n, t in trace.rows.items()}
        rows = join_fields(rows, fields, dict(model.named_modules()), sources)
    return ModelSummary(shape, tuple(rows), tuple(trace.mac_ops.items()),
                        tuple(trace.arithmetic_ops.items()), tuple(trace.data_ops.items()),
                        note), trace
