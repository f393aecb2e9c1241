"""Figures for separable convolutions: a kernel as an outer product, and the
cost of depthwise + pointwise against a standard conv.

The functions draw what `convlib.separable` computed; they compute nothing.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from ..separable import DepthwiseSeparableCost
from .core import PALETTE, TEXT_PT, overlay_axes, static_layer, value_grid

__all__ = ["SeparableView", "separable_figure", "draw_separable", "draw_outer_product"]


class SeparableView(NamedTuple):
    """What the separable figure shows: the costs and the ratio curve over C_out."""

    cost: DepthwiseSeparableCost
    curve_out_channels: Sequence[int]
    curve_ratio: Sequence[float]
    kernel_area: int


def _figure(width: float, height: float, mosaic) -> tuple[Figure, dict]:
    fig = Figure(figsize=(width, height), dpi=80, layout="constrained")
    return fig, fig.subplot_mosaic(mosaic)


def separable_figure() -> tuple[Figure, Callable[[SeparableView], None]]:
    """An empty figure and ``update(view)`` that redraws it in place.

    Left: parameters and MACs of the standard conv (one bar) and of depthwise
    + pointwise (two stacked bars), with their totals. Right: the MACs ratio
    ``1/C_out + 1/k^2`` against C_out for the current k, with the current C_out
    marked and the floor ``1/k^2`` dashed. Each panel is a static axes (labels,
    ticks, legend: drawn once) under an overlay holding what a slider moves.
    """
    fig, ax = _figure(10, 5.2, [["params", "ratio"], ["macs", "ratio"]])
    bars = {}
    for name, label in (("params", "parameters"), ("macs", "MACs")):
        a = static_layer(ax[name])
        a.set_yticks([1, 0], ["standard", "separable"])
        a.set_ylim(-0.6, 1.6)
        a.set_xticks([])  # the totals are printed at the bars' ends
        a.set_title(label, fontsize=TEXT_PT)
        bar_ax = overlay_axes(a, share="y")
        std = bar_ax.barh([1], [0], color=PALETTE["input"], edgecolor=PALETTE["line"])[0]
        dw = bar_ax.barh([0], [0], color=PALETTE["kernel"], edgecolor=PALETTE["line"])[0]
        pw = bar_ax.barh([0], [0], color=PALETTE["accent"], edgecolor=PALETTE["line"])[0]
        texts = [bar_ax.text(0, y, "", va="center", fontsize=TEXT_PT) for y in (1, 0)]
        bars[name] = (bar_ax, std, dw, pw, texts)
    fig.legend([dw, pw], ["depthwise k×k", "pointwise 1×1"], loc="outside lower left", ncols=2,
               fontsize=TEXT_PT)
    r = static_layer(ax["ratio"])
    r.set_xscale("log", base=2)
    r.xaxis.set_minor_locator(NullLocator())  # powers of two only
    r.set_ylim(0, 2.05)
    r.set_yticks([0, 0.5, 1, 1.5, 2])
    r.axhline(1, color=PALETTE["line"], lw=0.8)
    r.set_xlabel("C_out")
    r.set_ylabel("separable MACs / standard MACs")
    r.grid(alpha=0.3)
    r.set_title(" ", fontsize=TEXT_PT)  # room for the overlay's title
    curve_ax = overlay_axes(r)
    curve, = curve_ax.plot([], [], color=PALETTE["accent"], lw=2)
    floor = curve_ax.axhline(0, color=PALETTE["kernel"], ls="--", lw=1.2)
    point, = curve_ax.plot([], [], "o", color=PALETTE["current"], ms=9)
    r.legend([curve, floor], ["1/C_out + 1/k²", "1/k²"], fontsize=TEXT_PT, loc="upper right")

    def update(view: SeparableView) -> None:
        c = view.cost
        for name, (bar_ax, std, dw, pw, texts) in bars.items():
            s, d, p = ((c.standard_params, c.depthwise_params, c.pointwise_params) if name == "params"
                       else (c.standard_macs, c.depthwise_macs, c.pointwise_macs))
            std.set_width(s)
            dw.set_width(d)
            pw.set_x(d)
            pw.set_width(p)
            top = max(s, d + p)
            bar_ax.set_xlim(0, 1.45 * top)
            for t, value in zip(texts, (s, d + p)):
                t.set_position((value + 0.02 * top, t.get_position()[1]))
                t.set_text(f"{value:,}")
        curve.set_data(view.curve_out_channels, view.curve_ratio)
        lo, hi = view.curve_out_channels[0], view.curve_out_channels[-1]
        if r.get_xlim() != (lo, hi):  # the static axes changes only with the range
            r.set_xlim(lo, hi)
            ticks = [t for t in (2 ** n for n in range(12)) if lo <= t <= hi]
            r.set_xticks(ticks, [str(t) for t in ticks])
        floor.set_ydata([1 / view.kernel_area] * 2)
        point.set_data([c.out_channels], [c.macs_ratio])
        curve_ax.set_title(f"ratio for k×k = {view.kernel_area}: {c.macs_ratio:.4f}", fontsize=TEXT_PT)

    return fig, update


def draw_separable(view: SeparableView) -> Figure:
    """A static version of the depthwise-separable explorer's figure."""
    fig, update = separable_figure()
    update(view)
    return fig


def draw_outer_product(column: np.ndarray, row: np.ndarray, kernel: np.ndarray,
                       title: str = "") -> Figure:
    """``column`` (k_h x 1) times ``row`` (1 x k_w) equals ``kernel``, as three grids."""
    column, row, kernel = (np.asarray(a, dtype=float) for a in (column, row, kernel))
    kh, kw = kernel.shape
    fig = Figure(figsize=(1.0 + 0.55 * (2 * kw + 1), 0.55 * kh + 1.3), dpi=80, layout="constrained")
    axes = fig.subplots(1, 3, width_ratios=[1, kw, kw])
    value_grid(column[:, None], axes[0], title="column", color="kernel")
    value_grid(row[None, :], axes[1], title="× row", color="kernel")
    value_grid(kernel, axes[2], title="= kernel", color="kernel")
    if title:
        fig.suptitle(title, fontsize=TEXT_PT)
    return fig
