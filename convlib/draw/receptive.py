"""Receptive-field figures: the analytic field box over the autograd mask, and the
effective receptive field as a heat map.

The input image is drawn in blue, pixels reached by the gradient of the chosen
output unit in light to dark purple (darker: more paths from that pixel to the unit),
the analytic field (`convlib.receptive.fields.field_bounds`) as a dashed box with its
centre marked; the grey around the image is padding. Nothing here computes a
receptive field: the numbers come from `convlib.receptive.stacks.FieldState`.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from ..receptive.stacks import Bounds, FieldState
from ..receptive.empirical import FieldMap
from .cells import CellColours
from .core import HEAT_CMAP, PALETTE, colorbar, grid_lines, new_figure, TEXT_PT

__all__ = ["FieldPanel", "field_figure", "draw_fields", "draw_effective_field", "PATHS_CMAP",
           "HEAT_CMAP"]

#: Reached pixels: few paths (light) to many paths (dark): numbers, so the heat map.
PATHS_CMAP = HEAT_CMAP


def _legend_handles(states: Sequence[FieldState] | None = None) -> list:
    """Legend entries; with ``states``, only the pixel kinds present in their masks
    (a figure where every pixel has a gradient gets no "gradient 0" entry)."""
    zero = states is None or any(not s.field.mask.all() for s in states)
    seen = states is None or any(s.field.mask.any() for s in states)
    return ([Patch(fc=PALETTE["input"], ec=PALETTE["line"], label="input pixel, gradient 0")] * zero
            + [Patch(fc=HEAT_CMAP(0.6), ec=PALETTE["line"],
                     label="gradient ≠ 0 (darker: more paths)")] * seen
            + [Patch(fc=PALETTE["pad"], ec=PALETTE["line"], label="padding / outside the image"),
               Line2D([], [], color=PALETTE["accent"], ls="--", lw=2, label="analytic field"),
               Line2D([], [], color=PALETTE["accent"], marker="+", ls="", ms=10,
                      label="its centre")])


def _cell_lines(rows: int, cols: int) -> list:
    return ([[(-0.5, r - 0.5), (cols - 0.5, r - 0.5)] for r in range(rows + 1)]
            + [[(c - 0.5, -0.5), (c - 0.5, rows - 0.5)] for c in range(cols + 1)])


def _shade(field: FieldMap) -> np.ndarray:
    """RGBA image: blue where the gradient is zero, light to dark purple by path count elsewhere."""
    rgba = np.empty((*field.mask.shape, 4))
    rgba[:] = to_rgba(PALETTE["input"])
    top = float(field.grad.max()) or 1.0
    level = 0.2 + 0.8 * field.grad / top
    rgba[field.mask] = PATHS_CMAP(level[field.mask])
    return rgba


class FieldPanel:
    """Artists of one input panel, redrawn in place by `update`.

    >>> fig, axes = new_figure(4, 4)
    >>> from convlib.receptive.stacks import build_stack, field_state
    >>> panel = FieldPanel(axes[0, 0])
    >>> panel.update(field_state(build_stack([3, 3]), 8, (0, 0)))
    >>> panel.box.get_width(), panel.box.get_xy()
    (5, (-0.5, -0.5))
    """

    def __init__(self, ax: Axes):
        self.ax = ax
        ax.set_facecolor(PALETTE["pad"])
        ax.set_xticks([])
        ax.set_yticks([])
        self.image = CellColours(ax)
        self.grid = ax.add_collection(LineCollection([], colors=PALETTE["line"], linewidths=0.4))
        self.frame = ax.add_patch(Rectangle((0, 0), 1, 1, fill=False, lw=2, ec=PALETTE["line"]))
        self.box = ax.add_patch(Rectangle((0, 0), 1, 1, fill=False, lw=2.2, ls="--",
                                          ec=PALETTE["accent"], zorder=4))
        (self.centre,) = ax.plot([], [], marker="+", ms=12, mew=2, ls="", color=PALETTE["accent"],
                                 zorder=5)

    def update(self, state: FieldState, title: str | None = None) -> None:
        """Show ``state.field`` (mask and path counts) and the box of ``state.bounds``."""
        rows, cols = state.field.mask.shape
        (fh, lh), (fw, lw) = state.bounds
        self.image.set_data(_shade(state.field))
        span = max(rows, cols, lh - fh + 1, lw - fw + 1)  # cells across the view
        self.grid.set_segments(_cell_lines(rows, cols) if span <= 48 else [])
        self.frame.set_bounds(-0.5, -0.5, cols, rows)
        self.box.set_bounds(fw - 0.5, fh - 0.5, lw - fw + 1, lh - fh + 1)
        self.centre.set_data([(fw + lw) / 2], [(fh + lh) / 2])
        margin = 0.5 + span / 40
        self.ax.set_xlim(min(-0.5, fw - 0.5) - margin, max(cols - 0.5, lw + 0.5) + margin)
        self.ax.set_ylim(max(rows - 0.5, lh + 0.5) + margin, min(-0.5, fh - 0.5) - margin)
        self.ax.set_aspect("equal")
        self.ax.set_title(_panel_title(state) if title is None else title, fontsize=TEXT_PT)


def _panel_title(state: FieldState) -> str:
    (fh, lh), (fw, lw) = state.bounds
    rows, cols = state.field.mask.shape
    return (f"input {rows}×{cols}: field of unit {state.unit}\n"
            f"rows {fh}…{lh}, cols {fw}…{lw} ({lh - fh + 1}×{lw - fw + 1})")


def field_figure() -> tuple[Figure, Callable[[FieldState], None]]:
    """The stack builder's figure and ``update(state)`` that redraws it in place.

    Left: the input with the unit's gradient mask and analytic field box. Right: the
    last feature map with the chosen unit in green.
    """
    fig, axes = new_figure(9.5, 5, ncols=2, width_ratios=[3, 2])
    ax_in, ax_out = axes[0]
    panel = FieldPanel(ax_in)
    out_img = CellColours(ax_out, cmap=ListedColormap([PALETTE["output"], PALETTE["current"]]),
                          vmin=0, vmax=1)
    grid_out = grid_lines(ax_out)
    fig.legend(handles=_legend_handles(), loc="outside lower center", ncols=3, fontsize=TEXT_PT,
               frameon=False)

    def update(state: FieldState) -> None:
        panel.update(state)
        o = state.table.output_size
        out = np.zeros((o, o))
        out[state.unit] = 1
        out_img.set_data(out)
        grid_out(o, o, f"last feature map {o}×{o}, unit {state.unit}")
        ax_out.title.set_fontsize(TEXT_PT)

    return fig, update


def draw_fields(*states: FieldState, titles: Sequence[str] | None = None,
                legend: bool = True) -> Figure:
    """One input panel per state, side by side (the analytic box over the autograd mask).

    The legend sits below two or more panels and to the right of a single one (below
    a single panel it would be wider than the figure).
    """
    if not states:
        raise ValueError("`states` must not be empty")
    titles = [None] * len(states) if titles is None else list(titles)
    if len(titles) != len(states):
        raise ValueError(f"`titles` must have one entry per state: {len(titles)} != {len(states)}")
    single = len(states) == 1
    width = 4.2 * len(states) + 0.4 + (3.4 if legend and single else 0)
    fig, axes = new_figure(width, 5 if legend and not single else 4.4, ncols=len(states))
    for ax, state, title in zip(axes[0], states, titles):
        FieldPanel(ax).update(state, title)
    if legend:
        fig.legend(handles=_legend_handles(states), fontsize=TEXT_PT, frameon=False,
                   **(dict(loc="outside right center", ncols=1) if single else
                      dict(loc="outside lower center", ncols=3)))
    return fig


def draw_effective_field(effective: FieldMap, bounds: Bounds, uniform: FieldMap | None = None,
                         title: str = "effective receptive field",
                         label: str = "the model's weights") -> Figure:
    """Heat map of an effective field's gradient with the analytic box, and its column
    profile (summed over rows, normalised to 1), optionally next to ``uniform``'s (the
    all-ones path counts of `empirical_receptive_field`)."""
    fig, axes = new_figure(10, 4.4, ncols=2, width_ratios=[1, 1.3])
    ax_map, ax_prof = axes[0]
    grad = effective.grad / (float(effective.grad.max()) or 1.0)
    shown = ax_map.imshow(grad, cmap=HEAT_CMAP, vmin=0, vmax=1, interpolation="nearest")
    (fh, lh), (fw, lw) = bounds
    ax_map.add_patch(Rectangle((fw - 0.5, fh - 0.5), lw - fw + 1, lh - fh + 1, fill=False,
                               lw=2, ls="--", ec=PALETTE["accent"]))
    ax_map.set_xticks([])
    ax_map.set_yticks([])
    ax_map.set_title(title, fontsize=TEXT_PT)
    colorbar(fig, shown, ax_map, "|∂y/∂x| / max")
    cols = np.arange(grad.shape[1])
    profile = grad.sum(0)  # summed over the rows: the column marginal
    ax_prof.plot(cols, profile / (float(profile.max()) or 1.0), color=PALETTE["heat"],
                 marker="o", ms=3, label=label)
    if uniform is not None:
        counts = uniform.grad.sum(0)
        ax_prof.plot(cols, counts / (float(counts.max()) or 1.0), color=PALETTE["kernel"], ls=":",
                     marker="s", ms=3, label="all weights 1: path counts")
    ax_prof.axvspan(fw - 0.5, lw + 0.5, color=PALETTE["accent"], alpha=0.15,
                    label=f"analytic field ({lw - fw + 1} px)")
    ax_prof.set_xlim(-0.5, grad.shape[1] - 0.5)
    ax_prof.set_xlabel("input column")
    ax_prof.set_ylabel("gradient summed over rows / max")
    ax_prof.set_title("column profile", fontsize=TEXT_PT)
    ax_prof.set_ylim(-0.03, 1.45)  # room for the legend above the curves
    ax_prof.legend(fontsize=TEXT_PT, loc="upper left", frameon=False)
    return fig
