"""U-Net explorer: the input size (and valid or 'same' convs) drive every level's
size, every skip's crop, the output size and the cost."""
from __future__ import annotations

import ipywidgets as widgets

from ..draw.networks import unet_figure
from ..networks.plans import UNetPlan, unet_plan
from .core import Explorer, int_slider

__all__ = ["unet_explorer"]

PADDINGS = (("valid (padding 0)", 0), ("'same' (padding 1)", 1))


def unet_explorer(input_size: int = 572, padding: int = 0, render: bool = True) -> Explorer:
    """A slider over the input size of the original U-Net (64 base channels, 1 input
    channel, 2 classes) and a choice of valid or 'same' 3x3 convs.

    The figure's title gives the output size and the cost; the text line says whether
    every 2x2 pool sees an even size (so every crop is centred) or which levels do not;
    too small an input shows a message.

    >>> ex = unet_explorer(render=False)
    >>> ex.state.output_size, ex.state.crop[0]
    (388, (88, 88))
    >>> ex.controls["input_size"].value = 100
    >>> ex.error
    '`input_size` is too small: the two 3x3 convs of level 4 (down) get 2 pixels and leave -2'
    """
    controls = {
        "input_size": int_slider("input size", input_size, 16, 700),
        "padding": widgets.Dropdown(options=PADDINGS, value=padding, description="3×3 convs",
                                    style={"description_width": "initial"},
                                    layout=widgets.Layout(width="260px")),
    }
    return Explorer(controls, unet_plan, unet_figure(), _describe, render=render)


def _describe(plan: UNetPlan) -> str:
    if plan.even_pools:
        return "every 2×2 pool sees an even size: every crop centred"
    odd = [lv for lv, (_, o) in enumerate(plan.down[:-1]) if o % 2]
    return (f"odd pool input at level {', '.join(map(str, odd))}: a floor drops a row, "
            "a crop is off centre")
