"""Figures for grouped convolution: who sees whom, channel shuffle, bottleneck costs.

Every function takes what `convlib.grouped.groups` computed (connectivity, groups,
permutations, costs) and only draws it.

Figures for separable convolutions: a kernel as an outer product, and the
cost of depthwise + pointwise against a standard conv.

The functions draw what `convlib.grouped.separable` computed; they compute nothing.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from ..grouped.groups import channel_groups, GroupedConvCost
from ..grouped.separable import DepthwiseSeparableCost
from .cells import CellColours
from .core import (GROUP_COLOURS, PALETTE, TEXT_PT, grid_lines, new_figure, overlay_axes,
                   static_layer, style_grid_axes, value_grid)

__all__ = ["GROUP_COLOURS", "groups_figure", "draw_groups", "draw_shuffle", "draw_dependency",
           "draw_bottleneck_costs", "SeparableView", "separable_figure", "draw_separable",
           "draw_outer_product", "KERNEL_LIGHT", "contrast_ratio", "draw_separable_factorisation"]

#: Colours of successive groups (cycled when there are more groups).


def _group_colours(groups: np.ndarray) -> list[str]:
    return [GROUP_COLOURS[g % len(GROUP_COLOURS)] for g in groups]


def _column_y(n: int) -> np.ndarray:
    """n positions from top (1) to bottom (0), centred when n == 1."""
    return np.linspace(1, 0, n) if n > 1 else np.array([0.5])


def groups_figure() -> tuple[Figure, Callable[[GroupedConvCost], None]]:
    """An empty figure and ``update(cost)`` that draws a grouped conv in place.

    Left: input channels (left column) and filters (right column), coloured
    by group, with a line from each filter to every input channel it reads.
    Right: the ``C_out x C_in`` connectivity matrix (the block-diagonal part
    of a standard weight tensor that the grouped conv keeps). The formulas
    with numbers are printed on top.
    """
    fig, axes = new_figure(9, 4.8, ncols=2, width_ratios=[3, 2])
    ax_lines, ax_mat = axes[0]
    lines = ax_lines.add_collection(LineCollection([], linewidths=0.9, alpha=0.7))
    inputs = ax_lines.scatter([], [], marker="s", s=60, edgecolors=PALETTE["line"], zorder=3)
    filters = ax_lines.scatter([], [], marker="s", s=60, edgecolors=PALETTE["line"], zorder=3)
    ax_lines.set_xlim(-0.25, 1.25)
    ax_lines.set_ylim(-0.08, 1.08)
    ax_lines.axis("off")
    in_label = ax_lines.text(0, 1.06, "", ha="center", va="bottom", fontsize=TEXT_PT)
    out_label = ax_lines.text(1, 1.06, "", ha="center", va="bottom", fontsize=TEXT_PT)
    cmap = ListedColormap([PALETTE["blank"], *GROUP_COLOURS])
    mat = CellColours(ax_mat, cmap=cmap, vmin=-0.5, vmax=len(GROUP_COLOURS) + 0.5)
    grid = grid_lines(ax_mat)
    ax_mat.set_xlabel("input channel", fontsize=TEXT_PT)
    ax_mat.set_ylabel("filter (output channel)", fontsize=TEXT_PT)

    def update(cost: GroupedConvCost) -> None:
        c_in, c_out, g = cost.in_channels, cost.out_channels, cost.groups
        y_in, y_out = _column_y(c_in), _column_y(c_out)
        g_in, g_out = channel_groups(c_in, g), channel_groups(c_out, g)
        size = 60 if max(c_in, c_out) <= 12 else 30
        inputs.set_offsets(np.column_stack([np.zeros(c_in), y_in]))
        filters.set_offsets(np.column_stack([np.ones(c_out), y_out]))
        for points, grp in ((inputs, g_in), (filters, g_out)):
            points.set_facecolor(_group_colours(grp))
            points.set_sizes([size])
        o, c = np.nonzero(cost.connectivity)
        lines.set_segments([[(0, y_in[ci]), (1, y_out[oi])] for oi, ci in zip(o, c)])
        lines.set_color(_group_colours(g_out[o]))
        in_label.set_text(f"input channels\nC_in = {c_in}")
        out_label.set_text(f"filters\nC_out = {c_out}")
        values = np.where(cost.connectivity, (g_out[:, None] % len(GROUP_COLOURS)) + 1, 0)
        mat.set_data(values)
        grid(c_out, c_in, f"{int(cost.connectivity.sum())} of {c_in * c_out} filter-channel "
                        f"pairs kept (1/{g})")

    return fig, update


def draw_groups(cost: GroupedConvCost) -> Figure:
    """A static version of the groups explorer's figure."""
    fig, update = groups_figure()
    update(cost)
    return fig


def draw_shuffle(permutation: Sequence[int], groups: int, ax: Axes | None = None) -> Axes:
    """Channel shuffle as a permutation: input channels on top, output channels below.

    ``permutation[j]`` is the input channel that lands at output ``j`` (see
    `convlib.grouped.groups.shuffle_permutation`). Channels keep the colour of
    their input group, so the output shows one channel of each group in turn.
    """
    perm = np.asarray(permutation)
    c = len(perm)
    if ax is None:
        _, axes = new_figure(max(4.0, 0.45 * c + 1.5), 2.6)
        ax = axes[0, 0]
    colours = _group_colours(channel_groups(c, groups))
    for j, src in enumerate(perm):
        ax.annotate("", xy=(j, 0.12), xytext=(src, 0.88),
                    arrowprops=dict(arrowstyle="->", color=colours[src], lw=1.2))
    ax.scatter(np.arange(c), np.ones(c), marker="s", s=230, c=colours, edgecolors=PALETTE["line"])
    ax.scatter(np.arange(c), np.zeros(c), marker="s", s=230, c=[colours[s] for s in perm],
               edgecolors=PALETTE["line"])
    for j, src in enumerate(perm):
        ax.text(j, 1, str(j), ha="center", va="center", fontsize=TEXT_PT)
        ax.text(j, 0, str(src), ha="center", va="center", fontsize=TEXT_PT)
    ax.text(-0.8, 1, "in", ha="right", va="center", fontsize=TEXT_PT)
    ax.text(-0.8, 0, "out", ha="right", va="center", fontsize=TEXT_PT)
    ax.set_xlim(-1.8, c - 0.4)
    ax.set_ylim(-0.35, 1.35)
    ax.axis("off")
    ax.set_title(f"channel shuffle, {c} channels, g = {groups} (output shows the source channel)",
                 fontsize=TEXT_PT)
    return ax


def draw_dependency(matrices: Mapping[str, np.ndarray]) -> Figure:
    """Boolean ``(C_out, C_in)`` dependency matrices side by side, one per title."""
    fig, axes = new_figure(3.2 * len(matrices), 3.4, ncols=len(matrices))
    cmap = ListedColormap([PALETTE["blank"], PALETTE["kernel"]])
    for ax, (title, m) in zip(axes[0], matrices.items()):
        m = np.asarray(m)
        ax.imshow(m.astype(int), cmap=cmap, vmin=0, vmax=1)
        style_grid_axes(ax, *m.shape, title=title)
        ax.set_xlabel("input channel", fontsize=TEXT_PT)
        ax.set_ylabel("output channel", fontsize=TEXT_PT)
    return fig


#: Line colours of the bottleneck kinds: the darker `GROUP_COLOURS` (their pale yellow is
#: hard to see as a line on white), and the names as the papers write them.
BLOCK_COLOURS = (GROUP_COLOURS[0], GROUP_COLOURS[1], GROUP_COLOURS[4])
BLOCK_NAMES = {"resnet": "ResNet", "resnext": "ResNeXt", "shufflenet": "ShuffleNet"}


def draw_bottleneck_costs(groups: Sequence[int], macs: Mapping[str, Sequence[int]],
                          checked: Mapping[str, Sequence[int]] | None = None,
                          title: str = "") -> Figure:
    """MACs of bottleneck blocks against the number of groups g (one line per kind).

    ``checked`` optionally gives the MACs measured on torch blocks (drawn as
    open circles over the formula's line).
    """
    fig, axes = new_figure(7, 3.8)
    ax = axes[0, 0]
    colours = dict(zip(macs, BLOCK_COLOURS))
    for kind, values in macs.items():
        ax.plot(groups, np.asarray(values) / 1e6, "-", color=colours[kind], lw=2,
                label=BLOCK_NAMES.get(kind, kind))
        if checked and kind in checked:
            ax.plot(groups, np.asarray(checked[kind]) / 1e6, "o", mfc="none", mec=PALETTE["line"],
                    ms=7)
    if checked:
        ax.plot([], [], "o", mfc="none", mec=PALETTE["line"], label="cl.summary of the torch block")
    ax.set_xscale("log", base=2)
    ax.set_xticks(list(groups), [str(g) for g in groups])
    ax.set_xlabel("groups g")
    ax.set_ylabel("MACs (millions)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=TEXT_PT, loc="upper left", bbox_to_anchor=(1.01, 1))
    if title:
        ax.set_title(title, fontsize=TEXT_PT)
    return fig


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


#: The kernel colour lightened halfway to white: a fill on which the dark text colour has a
#: contrast ratio above 4.5 (WCAG AA), about 8.5; on `PALETTE["kernel"]` itself about 4.2.
KERNEL_LIGHT = PALETTE["kernel_light"]


def _luminance(colour: str) -> float:
    from matplotlib.colors import to_rgb
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio ``(L1 + 0.05) / (L2 + 0.05)`` of two colours (L: relative luminance).

    >>> round(contrast_ratio(PALETTE["text"], PALETTE["blank"]), 1)
    16.3
    """
    hi, lo = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def draw_outer_product(column: np.ndarray, row: np.ndarray, kernel: np.ndarray,
                       title: str = "") -> Figure:
    """``column`` (k_h x 1) times ``row`` (1 x k_w) equals ``kernel``, as three grids."""
    column, row, kernel = (np.asarray(a, dtype=float) for a in (column, row, kernel))
    kh, kw = kernel.shape
    fig = Figure(figsize=(1.0 + 0.55 * (2 * kw + 1), 0.55 * kh + 1.3), dpi=80, layout="constrained")
    axes = fig.subplots(1, 3, width_ratios=[1, kw, kw])
    for ax, values, name in [(axes[0], column[:, None], "column"), (axes[1], row[None, :], "× row"),
                             (axes[2], kernel, "= kernel")]:
        value_grid(values, ax, title=name, color="kernel")
        ax.images[0].set_cmap(ListedColormap([KERNEL_LIGHT, PALETTE["tap"]]))   # dark digits stay legible
    if title:
        fig.suptitle(title, fontsize=TEXT_PT)
    return fig


def _cuboid(ax: Axes, x: float, y: float, w: float, h: float, depth: float, colour: str) -> None:
    """A box drawn in oblique projection: front face ``w x h`` at (x, y), ``depth`` going back."""
    from matplotlib.patches import Polygon
    dx, dy = 0.55 * depth, 0.4 * depth
    faces = [[(x, y), (x + w, y), (x + w, y + h), (x, y + h)],
             [(x, y + h), (x + w, y + h), (x + w + dx, y + h + dy), (x + dx, y + h + dy)],
             [(x + w, y), (x + w + dx, y + dy), (x + w + dx, y + h + dy), (x + w, y + h)]]
    for face, shade in zip(faces, (1.0, 0.85, 0.7)):
        rgb = np.clip(np.array(__import__("matplotlib.colors").colors.to_rgb(colour)) * shade, 0, 1)
        ax.add_patch(Polygon(face, closed=True, facecolor=rgb, edgecolor=PALETTE["line"], lw=1))


def draw_separable_factorisation(kernel_size: str = "k", in_channels: str = "C_in",
                                 out_channels: str = "C_out") -> Figure:
    """MobileNet's Fig. 2 redrawn: the filters of (a) a standard conv, (b) the depthwise
    conv, (c) the pointwise conv. Boxes are width x height x depth = kernel x kernel x the
    channels each filter reads; three filters of each kind are drawn, then "…".
    """
    k, m, n = (f"${v.replace('_', '_{') + '}' if '_' in v else v}$" for v in (kernel_size, in_channels, out_channels))
    fig = Figure(figsize=(12, 3.1), dpi=80, layout="constrained")
    axes = fig.subplots(1, 3)
    big = TEXT_PT + 5                                       # legible on a projected slide
    panels = [("(a) standard conv", 1.0, 1.6, f"{n} filters, each {k}×{k}×{m}", (k, k, m)),
              ("(b) depthwise conv", 1.0, 0.25, f"{m} filters, each {k}×{k}×1", (k, k, "1")),
              ("(c) pointwise conv", 0.35, 1.6, f"{n} filters, each 1×1×{m}", ("1", "1", m))]
    width = max(3 * (p[1] + 0.55 * p[2] + 0.45) + 1.0 for p in panels)     # one scale for all three
    for ax, (title, side, depth, caption, (w_label, h_label, d_label)) in zip(axes, panels):
        step = side + 0.55 * depth + 0.45
        for j in range(3):
            _cuboid(ax, j * step, 0, side, side, depth, KERNEL_LIGHT)
        ax.text(3 * step - 0.1, 0.5 * side, "…", fontsize=big + 4, va="center", color=PALETTE["text"])
        ax.text(0.5 * side, -0.12, w_label, ha="center", va="top", fontsize=big)
        ax.text(-0.1, 0.5 * side, h_label, ha="right", va="center", fontsize=big)
        ax.text(side + 0.275 * depth + 0.1, 0.2 * depth - 0.05, d_label,     # below the receding edge
                ha="left", va="top", fontsize=big)
        ax.set_title(title, fontsize=big + 1)
        ax.text(0.5, -0.16, caption, transform=ax.transAxes, ha="center", va="top", fontsize=big)
        ax.set_xlim(-0.6, -0.6 + width)
        ax.set_ylim(-0.5, 1.0 + 0.4 * 1.6 + 0.3)
        ax.set_aspect("equal")
        ax.axis("off")
    return fig
