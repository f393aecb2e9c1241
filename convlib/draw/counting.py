"""Where a model's parameters live and where its multiply-adds are spent.

Draws the rows of a `convlib.counting.summary.ModelSummary`; computes nothing.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..counting.summary import ModelSummary
from .core import PALETTE, new_figure, TEXT_PT

__all__ = ["draw_layer_costs"]


def _millions(v: float, _pos: object = None) -> str:
    """Tick label: 500000 -> '0.5 M', 0 -> '0'."""
    return "0" if v == 0 else f"{v / 1e6:g} M"


def _thousands(v: float, _pos: object = None) -> str:
    """Tick label: 2500 -> '2.5 k', 0 -> '0'."""
    return "0" if v == 0 else f"{v / 1e3:g} k"


def draw_layer_costs(table: ModelSummary, title: str = "") -> Figure:
    """Two bar charts, parameters and MACs per layer, each bar labelled with its share.

    Layers with neither parameters nor MACs (ReLU, pooling, Flatten) are left out.
    Parameters are drawn in the kernel colour, MACs in the accent colour; the
    x-axes end a little past the largest bar (ticks in k or M), whose label sits
    inside it.
    """
    rows = [r for r in table.rows if r.params or r.macs]
    labels = [f"{r.name or '(model)'} {r.type}" for r in rows]
    fig, axes = new_figure(9.5, 0.45 * len(rows) + 1.6, ncols=2, sharey=True)
    y = np.arange(len(rows))
    for ax, key, total, colour, name in (
            (axes[0, 0], "params", table.total_params, PALETTE["kernel"], "parameters"),
            (axes[0, 1], "macs", table.total_macs, PALETTE["accent"], "MACs")):
        values = [getattr(r, key) for r in rows]
        ax.barh(y, values, color=colour, edgecolor=PALETTE["line"])
        top = max(values) if max(values) else 1
        for yi, v in zip(y, values):
            label = f"{v:,} ({100 * v / total:.1f}%)" if total else f"{v:,}"
            if v > 0.6 * top:                      # a long bar carries its label inside
                ax.text(v - 0.02 * top, yi, label, va="center", ha="right", color="white",
                        fontsize=TEXT_PT)
            else:
                ax.text(v + 0.02 * top, yi, label, va="center", fontsize=TEXT_PT)
        ax.set_xlim(0, 1.15 * top)
        ax.set_title(f"{name}: total {total:,}", fontsize=TEXT_PT)
        ax.tick_params(axis="x", labelsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        ax.xaxis.set_major_formatter(FuncFormatter(_millions if top >= 1e6 else _thousands))
    axes[0, 0].set_yticks(y, labels, fontsize=TEXT_PT)
    axes[0, 0].invert_yaxis()
    if title:
        fig.suptitle(title, fontsize=TEXT_PT)
    return fig
