"""Layer-cost explorer: channels, kernel, groups and map size drive one ``nn.Conv2d``'s
parameters and MACs, shown as a small table that updates in place.

No figure: the lesson is the table. Like `Explorer` (both are `Controlled`), it has ``controls``, ``values``,
``state``, ``error`` and ``hold()``, so a test can drive it headlessly; an invalid
combination shows a short message and greys the stale table out. The ``groups`` slider
steps only over the common divisors of ``C_in`` and ``C_out``.
"""
from __future__ import annotations

import html
from typing import NamedTuple

import ipywidgets as widgets

from ..counting.formulas import conv2d_macs, conv2d_params
from ..draw.core import PALETTE
from ..sizes.shapes import conv_output_size
from .core import Controlled, choice_slider, controls_row, int_slider
from .grouped import fit_groups, valid_groups

__all__ = ["LayerCost", "layer_cost", "layer_cost_html", "LayerCostExplorer", "layer_cost_explorer"]


class LayerCost(NamedTuple):
    """Counts of ``nn.Conv2d(C_in, C_out, k, stride=s, padding=p, groups=g)`` on an i x i map."""

    in_channels: int
    out_channels: int
    kernel_size: int
    groups: int
    input_size: int
    stride: int
    padding: int
    output_size: int
    params: int
    macs: int
    dense_params: int
    dense_macs: int

    @property
    def weights(self) -> int:
        """k k (C_in / g) C_out: the parameters without the C_out biases."""
        return self.params - self.out_channels

    @property
    def flops(self) -> int:
        """2 x MACs, the convention of ``FlopCounterMode``."""
        return 2 * self.macs


def layer_cost(in_channels: int, out_channels: int, kernel_size: int, groups: int = 1,
               input_size: int = 28, stride: int = 1, padding: int = 0) -> LayerCost:
    """Output size, parameters and MACs of one conv layer (with bias), and of its g = 1 twin.

    o = floor((i + 2p - k) / s) + 1,   params = k k (C_in / g) C_out + C_out,
    MACs = k k (C_in / g) C_out o o

    Raises ValueError (naming the parameter) for a combination PyTorch refuses.

    >>> c = layer_cost(16, 32, 3, groups=4, input_size=10)
    >>> c.output_size, c.params, c.macs, c.dense_macs
    (8, 1184, 73728, 294912)
    """
    o = conv_output_size(input_size, kernel_size, stride=stride, padding=padding)
    return LayerCost(in_channels, out_channels, kernel_size, groups, input_size, stride, padding, o,
                     params=conv2d_params(in_channels, out_channels, kernel_size, groups),
                     macs=conv2d_macs(in_channels, out_channels, kernel_size, o, groups),
                     dense_params=conv2d_params(in_channels, out_channels, kernel_size),
                     dense_macs=conv2d_macs(in_channels, out_channels, kernel_size, o))


def layer_cost_html(c: LayerCost) -> str:
    """The explorer's table: each count with its formula and numbers.

    >>> "1,184" in layer_cost_html(layer_cost(16, 32, 3, groups=4, input_size=10))
    True
    """
    core = f"{c.kernel_size}·{c.kernel_size}·({c.in_channels}/{c.groups})·{c.out_channels}"
    rows = [
        ("output size H_out = W_out", "⌊(i + 2p − k)/s⌋ + 1",
         f"⌊({c.input_size} + 2·{c.padding} − {c.kernel_size})/{c.stride}⌋ + 1", c.output_size),
        ("weights", "k·k·(C_in/g)·C_out", core, c.weights),
        ("biases", "C_out", f"{c.out_channels}", c.out_channels),
        ("parameters", "weights + biases", f"{c.weights:,} + {c.out_channels}", c.params),
        ("MACs", "k·k·(C_in/g)·C_out·H_out·W_out", f"{core}·{c.output_size}·{c.output_size}", c.macs),
        ("FLOPs (FlopCounterMode)", "2 × MACs", f"2 · {c.macs:,}", c.flops),
        ("dense layer (g = 1): parameters", "k·k·C_in·C_out + C_out", "", c.dense_params),
        ("dense layer (g = 1): MACs", "k·k·C_in·C_out·H_out·W_out", "", c.dense_macs),
    ]
    cells = "".join(
        f"<tr><td style='text-align:left'>{html.escape(name)}</td><td style='text-align:left'>{html.escape(rule)}</td>"
        f"<td style='text-align:left'>{html.escape(nums)}</td><td style='text-align:right'><b>{value:,}</b></td></tr>"
        for name, rule, nums, value in rows)
    return ("<table class='layer-cost'><thead><tr><th>count</th><th>rule</th><th>numbers</th>"
            f"<th>value</th></tr></thead><tbody>{cells}</tbody></table>")


class LayerCostExplorer(Controlled, widgets.VBox):
    """Sliders for one ``nn.Conv2d`` and the table of its counts (see `layer_cost`)."""

    def __init__(self, in_channels: int = 16, out_channels: int = 32, kernel_size: int = 3,
                 groups: int = 1, input_size: int = 28, stride: int = 1, padding: int = 0):
        self.controls: dict[str, widgets.ValueWidget] = {
            "in_channels": int_slider("C_in", in_channels, 1, 64),
            "out_channels": int_slider("C_out", out_channels, 1, 64),
            "kernel_size": int_slider("k", kernel_size, 1, 7),
            "groups": choice_slider("groups g", groups, valid_groups(in_channels, out_channels)),
            "input_size": int_slider("H_in = W_in", input_size, 1, 32),
            "stride": int_slider("stride s", stride, 1, 3),
            "padding": int_slider("padding p", padding, 0, 3),
        }
        self.state: LayerCost | None = None
        self.error: str | None = None
        self._busy = self._held = False
        self.message = widgets.HTML()
        self.table = widgets.HTML()
        rows = [["in_channels", "out_channels", "groups"], ["kernel_size", "input_size", "stride", "padding"]]
        super().__init__(children=[*(controls_row(*(self.controls[n] for n in r)) for r in rows),
                                   self.message, self.table])
        self.watch_controls()
        self.refresh()

    def refresh(self) -> None:
        """Recompute from the controls and update the table (or show why not)."""
        if self._busy:
            return
        self._busy = True
        try:
            fit_groups(self.controls["groups"], self.controls["in_channels"].value,
                       self.controls["out_channels"].value)
            self.state = layer_cost(**self.values)
            self.error = None
            self.message.value = ""
            self.table.value = layer_cost_html(self.state)
        except ValueError as err:
            self.state, self.error = None, str(err)
            self.message.value = (f"<span style='color:{PALETTE['error']}'>⚠ Not a valid "
                                  f"configuration: {html.escape(self.error)}</span>")
            self.table.value = f"<div style='opacity:0.3'>{_strip_table(self.table.value)}</div>"
        finally:
            self._busy = False

    def __repr__(self) -> str:
        return f"LayerCostExplorer({', '.join(f'{k}={v!r}' for k, v in self.values.items())})"

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """Widget view with a kernel or stored state; the table as HTML everywhere else."""
        data = super()._repr_mimebundle_(**kwargs)
        data["text/plain"] = repr(self)
        if self.state is not None:
            data["text/html"] = layer_cost_html(self.state)
        return data


def _strip_table(value: str) -> str:
    """The table HTML without an earlier grey wrapper, so greying does not nest."""
    prefix, suffix = "<div style='opacity:0.3'>", "</div>"
    return value[len(prefix):-len(suffix)] if value.startswith(prefix) else value


def layer_cost_explorer(**kwargs: int) -> LayerCostExplorer:
    """Sliders for C_in, C_out, k, g, i, s and p; the layer's counts as a table.

    >>> ex = layer_cost_explorer(in_channels=16, out_channels=32, groups=4, input_size=10)
    >>> ex.state.params, ex.state.macs
    (1184, 73728)
    >>> ex.controls["out_channels"].value = 6          # g = 4 no longer divides: g falls to 2
    >>> ex.controls["groups"].value, ex.state.params
    (2, 438)
    >>> ex.controls["kernel_size"].value = 7
    >>> ex.controls["input_size"].value = 5
    >>> ex.error is not None and ex.state is None
    True
    """
    return LayerCostExplorer(**kwargs)
