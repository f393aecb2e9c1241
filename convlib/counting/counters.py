"""The same model through every popular counter, and why their totals differ.

`compare_counters` runs torchinfo, ptflops, thop, fvcore, FlopCounterMode and
`convlib.counting.summary` on one model and input, and returns one table: parameters,
and MACs or FLOPs as each tool reports them. Every difference from convlib's
MACs is explained by measurement, not by a list typed in advance:

1. **Unit.** Each tool is run on ``nn.Linear(4, 3, bias=False)`` (12 MACs):
   a tool that reports 24 counts FLOPs, and its total is halved.
2. **Per layer.** For every leaf module, the tool's own count minus convlib's
   MACs is matched exactly against what convlib computes for that layer:
   the bias additions (one per output value), a transposed conv counted on
   its output (weight x output positions) instead of its input, or, for a
   layer convlib counts 0 MACs for (BatchNorm, ReLU, pooling), a whole number
   of operations per input value, per output value, or per parameter.
3. **Functional ops.** What the tool counts outside the leaf modules (its
   total minus its per-layer counts) is matched against the operators run in
   containers' forwards (`summary`'s ``aten.*`` rows): residual adds, cat,
   interpolate, mean (one per output or per input value), and matmuls or
   convolutions that the tool missed.

Whatever no rule matches is reported as an unexplained residual.
"""
from __future__ import annotations

import html
import itertools
from collections import defaultdict
from dataclasses import dataclass
from math import prod
from typing import TYPE_CHECKING, Any, NamedTuple

from ._trace import MOVES_DATA
from .tools import TOOLS, tool_version, unit_factor
from .summary import ModelSummary, _check_model, _input_shape, summarize

if TYPE_CHECKING:
    import torch

__all__ = ["CounterRow", "CounterComparison", "compare_counters", "leaf_options"]


class CounterRow(NamedTuple):
    """One tool: its numbers as reported, in MACs, and the explained difference."""

    tool: str
    version: str
    params: int | None
    reported: float | None
    unit: str
    macs: float | None                     # reported / unit factor
    difference: float | None               # macs - convlib's MACs
    reasons: tuple[tuple[str, float], ...]  # (cause, MACs it adds), summing to difference - residual
    residual: float | None                 # the part no rule explains (0 when all is explained)
    error: str | None = None
    params_note: str = ""                   # why the parameter count differs, if it does


def _num(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.1f}"


def _signed(v: float) -> str:
    return ("+" if v > 0 else "-" if v < 0 else "") + _num(abs(v))


@dataclass(frozen=True, repr=False)
class CounterComparison:
    """Result of `compare_counters`; prints as text, shows as HTML."""

    input_shape: tuple[int, ...]
    convlib_macs: int
    rows: tuple[CounterRow, ...]

    @property
    def explained(self) -> bool:
        """No tool failed, no MACs residual, no unexplained parameter difference."""
        return all(r.error is None and r.residual == 0 and "unexplained" not in r.params_note
                   for r in self.rows)

    def _cells(self) -> list[tuple[str, ...]]:
        out = []
        for r in self.rows:
            why = "error: " + r.error if r.error else "; ".join(
                f"{what} {_signed(v)}" if v else what for what, v in r.reasons) or "same count"
            if r.residual:
                why += f"; UNEXPLAINED {_signed(r.residual)}"
            if r.params_note:
                why += f"; params: {r.params_note}"
            out.append((f"{r.tool} {r.version}".strip(), _num(r.params), _num(r.reported),
                        r.unit, _num(r.macs),
                        "—" if r.difference is None else _signed(r.difference), why))
        return out

    HEAD = ("Tool", "Params", "Reported", "Unit", "As MACs", "vs convlib", "Why")

    def _title(self) -> str:
        return (f"Counters on input {self.input_shape}: convlib counts "
                f"{self.convlib_macs:,} MACs")

    def __str__(self) -> str:
        table = [self.HEAD, *self._cells()]
        widths = [max(len(row[c]) for row in table) for c in range(6)]
        lines = [self._title()]
        for row in table:
            lines.append("  ".join(c.rjust(w) if 0 < i < 6 and i != 3 else c.ljust(w)
                                   for i, (c, w) in enumerate(zip(row[:6], widths))))
            lines.append("    why: " + row[6] if row is not self.HEAD else "-" * len(lines[-1]))
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        def tr(cells, tag):
            return "<tr>" + "".join(f"<{tag} style=\"text-align:{'left' if i in (0, 3, 6) else 'right'}\">"
                                    f"{html.escape(c)}</{tag}>" for i, c in enumerate(cells)) + "</tr>"
        body = "".join(tr(c, "td") for c in self._cells())
        return (f"<table><caption>{html.escape(self._title())}</caption>"
                f"<thead>{tr(self.HEAD, 'th')}</thead><tbody>{body}</tbody></table>")


def _conv_like(module: Any) -> bool:
    from torch import nn
    from torch.nn.modules.conv import _ConvNd
    return isinstance(module, (_ConvNd, nn.Linear))


def leaf_options(module: Any, n_in: int, n_out: int, d: float,
                 calls: int = 1) -> list[list[tuple[str, float]]]:
    """Every way to explain exactly `d`, a tool's count minus convlib's for one layer.

    ``n_in`` / ``n_out`` are the values of the layer's input and output, summed
    over its ``calls`` in the forward pass (a ReLU module is often called twice).
    Conv, transposed conv, Linear: bias = numel(output) (one add per output value);
    transposed conv on its output = numel(weight) (H_out W_out - H_in W_in).
    Other layers (convlib counts 0): k per value (input = output size), per input
    value, per output value, or per parameter (once per call).

    >>> import torch.nn as nn
    >>> leaf_options(nn.Conv2d(1, 2, 3), 25, 18, 18)
    [[('bias counted', 18)]]
    >>> [option[0][0] for option in leaf_options(nn.BatchNorm2d(2), 18, 18, 36)]
    ['BatchNorm2d counted: 2 per value', 'BatchNorm2d counted: 2 per input value', 'BatchNorm2d counted: 2 per output value', 'BatchNorm2d counted: 9 per parameter']
    """
    from torch import nn

    if _conv_like(module):
        terms = []
        if module.bias is not None:
            terms.append(("bias counted", n_out))
        if isinstance(module, nn.modules.conv._ConvTransposeNd) and n_in and n_out:
            pos_out = n_out // module.out_channels
            pos_in = n_in // module.in_channels
            terms.append(("transposed conv counted on its output, not its input",
                          module.weight.numel() * (pos_out - pos_in)))
        return [list(combo) for k in range(1, len(terms) + 1)
                for combo in itertools.combinations(terms, k) if sum(v for _, v in combo) == d]
    kind = type(module).__name__
    params = calls * sum(p.numel() for p in module.parameters())
    per = (("value", n_in if n_in == n_out else 0), ("input value", n_in),
           ("output value", n_out), ("parameter", params))
    return [[(f"{kind} counted: {_num(d // n)} per {what}", d)]
            for what, n in per if n and d % n == 0 and d // n > 0]


def _functional_causes(summary: ModelSummary, traced: dict[str, Any],
                       d: float) -> list[tuple[str, float]] | None:
    """Match `d` (the tool's count outside leaves minus convlib's functional MACs)."""
    groups: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    moves = {f"aten.{op}" for op in MOVES_DATA}
    for row in summary.rows:
        if row.kind != "op" or row.type in moves:   # cat: no arithmetic to count
            continue
        g = groups[row.type]
        g["out"] += traced[row.name].out_numel
        g["in"] += traced[row.name].in_numel
        g["macs"] += row.macs
    options = []
    for op, g in groups.items():
        choice = [None]
        if g["macs"]:
            choice.append((f"functional {op} missed", -g["macs"]))
        else:
            choice += [(f"functional {op} counted: 1 per output value", g["out"]),
                       (f"functional {op} counted: 1 per input value", g["in"])]
        options.append(choice)
    combos = [[c for c in combo if c is not None] for combo in itertools.product(*options)]
    for picked in sorted(combos, key=len):   # the fewest causes first
        if sum(v for _, v in picked) == d:
            return picked
    return None


def _params_note(model: Any, tool_params: int | None, convlib_params: int) -> str:
    """'' when equal; else the measured cause (containers' own parameters) or 'unexplained'."""
    if tool_params is None or tool_params == convlib_params:
        return ""
    d = tool_params - convlib_params
    own = sum(p.numel() for m in model.modules() if any(True for _ in m.children())
              for p in m.parameters(recurse=False))
    if own and d == -own:
        return f"own parameters of containers (not in a leaf module) not counted {_signed(d)}"
    return f"unexplained difference {_signed(d)}"


def _rule(option: list[tuple[str, float]]) -> str:
    """An explanation without its numbers: 'BatchNorm2d counted: k per parameter'."""
    return "; ".join(what.split(":")[0] + ":" + what.split(" per ")[-1] if " per " in what
                     else what for what, _ in option)


def _explain(tool: str, count: Any, factor: float, summary: ModelSummary,
             modules: dict[str, Any], traced: dict[str, Any]) -> tuple[list, float]:
    """(reasons, residual) for one tool's `ToolCount`, in MACs."""
    total = count.total / factor
    diff = total - summary.total_macs
    reasons: dict[str, float] = defaultdict(float)
    residual = 0.0
    per = count.per_leaf or {}
    leaf_sum = 0.0
    choices: list[list[list[tuple[str, float]]]] = []   # per layer: its explanations
    for row in summary.rows:
        m = modules.get(row.name)
        if row.kind != "module" or m is None or any(True for _ in m.children()):
            continue
        if row.name not in per:
            continue     # no per-layer number: its share lands in the remainder below
        tool_macs = per[row.name] / factor
        leaf_sum += tool_macs
        d = tool_macs - row.macs
        if d == 0:
            continue
        t = traced[row.name]
        again = (count.again or {}).get(row.name, 0) / factor
        if again:
            twice = leaf_options(m, t.in_numel, t.out_numel, again, t.calls)
            if twice:
                choices.append([[(w.replace(" counted:", " counted again (patched F call):"), v)
                                 for w, v in option] for option in twice])
            else:
                residual += again
            d -= again
            if d == 0:
                continue
        options = leaf_options(m, t.in_numel, t.out_numel, d, t.calls)
        if options:
            choices.append(options)
        else:
            residual += d
    # the same rule for every layer of a kind where it fits (a BN on a 1x1 map has 2
    # parameters per value: "per parameter" and "2 per value" are then both true)
    votes: dict[str, int] = defaultdict(int)
    for options in choices:
        for option in options:
            votes[_rule(option)] += 1
    for options in choices:
        for what, v in max(options, key=lambda o: votes[_rule(o)]):
            reasons[what] += v
    known = sum(r.macs for r in summary.rows if r.name in per)
    rest = (total - leaf_sum) - (summary.total_macs - known)
    if rest:
        causes = _functional_causes(summary, traced, rest)
        if causes is None:
            residual += rest
        else:
            for what, v in causes:
                reasons[what] += v
    if factor != 1:
        reasons = {f"reports FLOPs ({_num(factor)} per MAC), halved here": 0, **reasons}
    assert abs(sum(reasons.values()) + residual - diff) < 1e-6 * max(1, abs(diff))
    return list(reasons.items()), residual


def compare_counters(model: torch.nn.Module, input_size: int | tuple[int, ...], *,
                     tools: tuple[str, ...] | None = None) -> CounterComparison:
    """Run every counter on ``model`` with zeros of shape ``(1, *input_size)``; explain.

    ``tools`` picks a subset of ``("torchinfo", "ptflops", "thop", "fvcore",
    "FlopCounterMode")`` (default: all). A tool that fails gets a row with its
    error. The model's training flags are restored afterwards.

    difference = tool MACs - convlib MACs = sum of reasons + residual

    >>> import torch.nn as nn
    >>> c = compare_counters(nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU()), (1, 6, 6),
    ...                      tools=("torchinfo", "FlopCounterMode"))
    >>> [(r.tool, r.reported, r.unit, r.reasons) for r in c.rows]   # doctest: +NORMALIZE_WHITESPACE
    [('convlib', 288, 'MACs', ()),
     ('torchinfo', 320, 'MACs', (('bias counted', 32.0),)),
     ('FlopCounterMode', 576, 'FLOPs', (('reports FLOPs (2 per MAC), halved here', 0),))]
    """
    import torch

    _check_model(model)
    shape = _input_shape(input_size)
    chosen = tuple(TOOLS) if tools is None else tuple(tools)
    for t in chosen:
        if t not in TOOLS:
            raise ValueError(f"`tools` must name tools from {tuple(TOOLS)}, got {t!r}")
    modes = [(m, m.training) for m in model.modules()]
    summary, trace = summarize(model, input_size, field=False)
    inputs = {name: row.input_shapes for name, row in trace.rows.items()}
    modules = dict(model.named_modules())
    names = {id(m): n for n, m in modules.items()}
    leaves = {n: m for n, m in modules.items() if not any(True for _ in m.children())}
    params = next(iter(model.parameters()), None)
    x = torch.zeros(shape, dtype=params.dtype if params is not None and params.is_floating_point()
                    else torch.get_default_dtype(),
                    device=params.device if params is not None else "cpu")
    rows = [CounterRow("convlib", "", summary.total_params, summary.total_macs, "MACs",
                       summary.total_macs, 0, (), 0)]
    try:
        for tool in chosen:
            runner = TOOLS[tool][1]
            try:
                model.eval()
                factor = unit_factor(tool)
                extra = {"inputs": inputs} if tool == "ptflops" else {}
                count = runner(model, x, names, leaves, **extra)
                reasons, residual = _explain(tool, count, factor, summary, modules, trace.rows)
                total = count.total
                rows.append(CounterRow(
                    tool, tool_version(tool), count.params,
                    int(total) if float(total).is_integer() else total,
                    "MACs" if factor == 1 else "FLOPs" if factor == 2 else f"x{factor:g} MACs",
                    total / factor, total / factor - summary.total_macs, tuple(reasons), residual,
                    params_note=_params_note(model, count.params, summary.total_params)))
            except Exception as err:   # one tool failing must not hide the others
                rows.append(CounterRow(tool, tool_version(tool), None, None, "", None, None, (),
                                       None, f"{type(err).__name__}: {str(err)[:200]}"))
    finally:
        for m, mode in modes:
            m.training = mode
    return CounterComparison(shape, summary.total_macs, tuple(rows))
