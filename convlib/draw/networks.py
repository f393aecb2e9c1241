"""Figures of whole networks: the U-Net's sizes and crops, fields drawn on a photo,
and shares of a model's cost. Draws what `convlib.networks.plans` and
`convlib.receptive_field` computed; computes nothing itself.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle

from .core import FIELD_COLOURS, PALETTE, TEXT_PT, new_figure

__all__ = ["unet_figure", "draw_unet", "draw_fields_on_image", "draw_shares", "draw_stage_costs",
           "draw_half_mass"]

#: Fill of a U-Net box whose pool input is odd or whose crop is uneven (light error red).
MISMATCH = PALETTE["error_fill"]


def _box(ax: Any, x: float, y: float, colour: str) -> tuple:
    patch = FancyBboxPatch((x - 0.42, y - 0.22), 0.84, 0.44, boxstyle="round,pad=0.02",
                           fc=colour, ec=PALETTE["line"], lw=1)
    ax.add_patch(patch)
    return patch, ax.text(x, y, "", ha="center", va="center", fontsize=11,
                          color=PALETTE["text"])


def unet_figure(depth: int = 4) -> tuple[Figure, Callable[[Any], None]]:
    """The U of a U-Net (down path left, up path right, skips across) and
    ``update(plan)`` writing a `convlib.networks.plans.UNetPlan`'s sizes and crops in place.

    A level whose pool input is odd (its crop cannot be centred) is drawn in the
    error colour, as is an up level whose crop is uneven. Boxes read "in→out" (the
    two 3x3 convs); arrows across are the skips, labelled with the pixels cropped
    before+after.
    """
    fig, axes = new_figure(10, 3.3)
    ax = axes[0, 0]
    ax.set_xlim(-0.6, 2 * depth + 0.6)
    ax.set_ylim(-depth - 0.5, 0.75)
    ax.axis("off")
    down = [_box(ax, lv, -lv, PALETTE["input"]) for lv in range(depth + 1)]
    up = [_box(ax, 2 * depth - lv, -lv, PALETTE["output"]) for lv in range(depth)]
    skips = []
    for lv in range(depth):
        ax.annotate("", xy=(2 * depth - lv - 0.45, -lv), xytext=(lv + 0.45, -lv),
                    arrowprops=dict(arrowstyle="->", color=PALETTE["line"], lw=1, ls="--"))
        skips.append(ax.text(depth, -lv + 0.1, "", ha="center", va="bottom", fontsize=11))
    for lv in range(depth):
        ax.annotate("", xy=(lv + 0.75, -lv - 0.78), xytext=(lv + 0.25, -lv - 0.22),
                    arrowprops=dict(arrowstyle="->", color=PALETTE["line"], lw=1))
        ax.annotate("", xy=(2 * depth - lv - 0.25, -lv - 0.22),
                    xytext=(2 * depth - lv - 0.75, -lv - 0.78),
                    arrowprops=dict(arrowstyle="->", color=PALETTE["line"], lw=1))
    title = ax.set_title("", fontsize=12)

    def update(plan: Any) -> None:
        for lv, (patch, text) in enumerate(down):
            i, o = plan.down[lv]
            odd = lv < depth and o % 2 == 1
            patch.set_facecolor(MISMATCH if odd else PALETTE["input"])
            text.set_text(f"{i}→{o}")
        for lv, (patch, text) in enumerate(up):
            text.set_text(f"{plan.up[lv]}→{plan.up[lv] - 4 + 4 * plan.padding}")
            before, after = plan.crop[lv]
            uneven = before != after
            patch.set_facecolor(MISMATCH if uneven else PALETTE["output"])
            skips[lv].set_text(f"crop {before}+{after}")
            skips[lv].set_color(PALETTE["error"] if uneven else PALETTE["text"])
        kind = "valid" if plan.padding == 0 else "'same'"
        title.set_text(f"{kind} convs: {plan.input_size}×{plan.input_size} → "
                       f"{plan.output_size}×{plan.output_size}, "
                       f"{plan.macs / 1e9:.1f} GMACs, {plan.params:,} parameters")
    return fig, update


def draw_unet(plan: Any, depth: int = 4) -> Figure:
    """A static `unet_figure` of one plan."""
    fig, update = unet_figure(depth)
    update(plan)
    return fig


def draw_fields_on_image(image: np.ndarray, fields: Mapping[str, tuple],
                         title: str = "", centre: tuple[float, float] | None = None) -> Figure:
    """A grey photo with one rectangle per field, ``label -> ((first_h, last_h),
    (first_w, last_w))`` in input pixels; the axes grow to show fields larger than
    the image (the image's edge is drawn in black)."""
    fig, axes = new_figure(7.4, 5.6)
    ax = axes[0, 0]
    h, w = image.shape[:2]
    ax.imshow(image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.add_patch(Rectangle((-0.5, -0.5), w, h, fill=False, ec="black", lw=1.5))
    lo_h, hi_h, lo_w, hi_w = -0.5, h - 0.5, -0.5, w - 0.5
    for n, (label, ((fh, lh), (fw, lw))) in enumerate(fields.items()):
        colour = FIELD_COLOURS[n % len(FIELD_COLOURS)]
        ax.add_patch(Rectangle((fw - 0.5, fh - 0.5), lw - fw + 1, lh - fh + 1, fill=False,
                               ec=colour, lw=2.2, label=f"{label}: {lh - fh + 1} px"))
        lo_h, hi_h = min(lo_h, fh - 0.5), max(hi_h, lh + 0.5)
        lo_w, hi_w = min(lo_w, fw - 0.5), max(hi_w, lw + 0.5)
    if centre is not None:
        ax.plot([centre[1]], [centre[0]], "+", color=PALETTE["error"], ms=14, mew=2)
    pad = 0.02 * max(hi_h - lo_h, hi_w - lo_w)
    ax.set_xlim(lo_w - pad, hi_w + pad)
    ax.set_ylim(hi_h + pad, lo_h - pad)
    ax.set_facecolor(PALETTE["pad"])
    ax.set_xticks([0, w - 1])
    ax.set_yticks([0, h - 1])
    ax.tick_params(labelsize=TEXT_PT)
    fig.legend(fontsize=TEXT_PT, loc="outside right upper", frameon=False)
    ax.set_title(title, fontsize=12)
    return fig


def draw_shares(values: Mapping[str, float], title: str = "", unit: str = "MACs") -> Figure:
    """One horizontal bar per entry, labelled with its value and share of the total."""
    names, vals = list(values), np.array(list(values.values()), dtype=float)
    fig, axes = new_figure(8.5, 0.55 * len(names) + 1.3)
    ax = axes[0, 0]
    y = np.arange(len(names))
    ax.barh(y, vals, color=PALETTE["accent"], edgecolor=PALETTE["line"])
    total, top = vals.sum() or 1.0, vals.max() or 1.0
    for yi, v in zip(y, vals):
        ax.text(v + 0.02 * top, yi, f"{v:,.0f} ({100 * v / total:.1f}%)", va="center",
                fontsize=11)
    ax.set_yticks(y, names, fontsize=11)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.6 * top)
    ax.set_xlabel(unit, fontsize=11)
    ax.ticklabel_format(axis="x", style="sci", scilimits=(-3, 4))
    ax.set_title(title, fontsize=12)
    return fig



def draw_stage_costs(costs: Mapping[str, Mapping[str, tuple[int, int]]]) -> Figure:
    """Where each model's parameters and MACs sit: ``{model: {stage: (params, macs)}}``
    (as `convlib.networks.plans.stage_costs` gives), one bar per model split into its stages
    (share of the model's total), stages in order from the input to the head, one colour
    per output resolution (legend below). A segment is labelled with its share when the
    label fits inside it."""
    from matplotlib import colormaps
    from matplotlib.patches import Patch
    big = TEXT_PT + 5                     # read on a projected slide
    bar_inches = 4.4
    fig, axes = new_figure(11.5, 0.72 * len(costs) + 2.6, ncols=2, sharey=True)
    stages = []
    for per in costs.values():
        stages += [st for st in per if st not in stages and st != "head"]
    stages = sorted(stages, key=lambda st: -int(st.split("×")[0])) + ["head"]
    cmap = colormaps["viridis"]
    colours = {st: cmap(0.15 + 0.8 * n / max(1, len(stages) - 2)) for n, st in enumerate(stages[:-1])}
    colours["head"] = PALETTE["kernel"]
    names = list(costs)
    for ax, index, label in ((axes[0, 0], 0, "parameters"), (axes[0, 1], 1, "MACs")):
        for y, name in enumerate(names):
            per = costs[name]
            total = sum(v[index] for v in per.values()) or 1
            left = 0.0
            for st in stages:
                if st not in per or not per[st][index]:
                    continue
                share = per[st][index] / total
                ax.barh(y, share, left=left, color=colours[st], edgecolor="white", lw=0.8)
                text = f"{100 * share:.0f}%"
                if share * bar_inches > 0.16 * len(text) + 0.12:   # label only where it fits
                    ax.text(left + share / 2, y, text, ha="center", va="center", fontsize=big - 1,
                            color="white" if st != "head" else PALETTE["text"])
                left += share
        ax.set_xlim(0, 1)
        first = "0" if index == 0 else ""          # one "0" only: the panels touch
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1], [first, "25%", "50%", "75%", "100%"], fontsize=big - 1)
        ax.set_title(f"share of {label}", fontsize=big)
    axes[0, 0].set_yticks(range(len(names)), names, fontsize=big - 1)
    axes[0, 0].invert_yaxis()
    used = [st for st in stages if any(per.get(st, (0, 0)) != (0, 0) for per in costs.values())]
    handles = [Patch(facecolor=colours[st], edgecolor="white", label=st) for st in used]
    fig.legend(handles=handles, loc="outside lower center", ncols=min(6, len(handles)), frameon=False,
               fontsize=big - 1, title="colour: output resolution of the layer (head: after global pooling)",
               title_fontsize=big - 1)
    return fig


def draw_half_mass(effective: Any, half: Any, title: str = "") -> Figure:
    """`draw_effective_field` with the half-mass square of
    `convlib.networks.fields.half_mass_square` as the box (``half.bounds``) and the
    profile's band labelled as that square, not as the analytic field."""
    from .receptive import draw_effective_field
    fig = draw_effective_field(effective, half.bounds, title=title)
    ax = fig.axes[1]
    for patch in ax.patches:
        if str(patch.get_label()).startswith("analytic field"):
            patch.set_label(f"square with half the gradient ({half.side} px)")
    ax.legend(fontsize=TEXT_PT, loc="upper left", frameon=False)
    return fig
