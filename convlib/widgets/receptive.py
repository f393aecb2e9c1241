"""Stack builder: up to four conv layers (kernel, stride, dilation, optional 2x2 max pool),
the field of one output unit drawn on the input, and the bottom-up table."""
from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

from ..draw.receptive import field_figure
from ..receptive.stacks import FieldState, build_stack, field_inside, field_state, mask_bounds
from ..receptive.fields import receptive_field
from .core import Explorer, int_slider

__all__ = ["ReceptiveFieldExplorer", "receptive_field_explorer", "MAX_LAYERS", "layer_controls"]

#: How many conv layers the builder offers.
MAX_LAYERS = 4


def layer_controls(n: int) -> tuple[str, ...]:
    """Control names of conv layer ``n`` (1-based): kernel, stride, dilation, pool."""
    return f"k{n}", f"s{n}", f"d{n}", f"pool{n}"


def _state(n_layers: int, size: int, padding: str, unit_row: int, unit_col: int,
           **per_layer) -> FieldState:
    """Pure compute of the explorer: the first ``n_layers`` layers' controls -> FieldState."""
    settings = [[per_layer[name] for name in layer_controls(n)] for n in range(1, n_layers + 1)]
    kernels, strides, dilations, pools = zip(*settings)
    layers = build_stack(kernels, strides, dilations, pools, padding)
    return field_state(layers, size, (unit_row, unit_col))


def _describe(state: FieldState) -> str:
    (fh, lh), (fw, lw) = state.bounds
    size = state.field.mask.shape[0]
    where = ("inside the image" if field_inside(state.bounds, size) else
             "larger than the image" if state.table.size > size else "partly on padding")
    reached = mask_bounds(state.field.mask)
    if reached is None:  # dilated taps can all land on padding
        torch_line = "autograd (torch): no input pixel reaches this unit (every tap reads padding)"
    else:
        (mh0, mh1), (mw0, mw1) = reached
        torch_line = f"autograd (torch): non-zero gradient on rows {mh0}…{mh1}, cols {mw0}…{mw1}"
    return (f"{state.table!r}\n\nunit {state.unit}: field rows {fh}…{lh}, cols {fw}…{lw} "
            f"(size {state.table.size}, {where})\n{torch_line}")


class ReceptiveFieldExplorer(Explorer):
    """Explorer that greys out unused layers and keeps the unit sliders on the output map."""

    def after_compute(self, state: FieldState) -> None:
        n = self.controls["n_layers"].value
        for layer in range(1, MAX_LAYERS + 1):
            for name in layer_controls(layer):
                self.controls[name].disabled = layer > n
        last = state.table.output_size - 1
        for name, u in zip(("unit_row", "unit_col"), state.unit):
            slider = self.controls[name]
            slider.value = u
            slider.max = last
            slider.disabled = last == 0


def _kernel_slider(name: str, value: int, lo: int, hi: int) -> widgets.IntSlider:
    slider = int_slider(name, value, lo, hi)
    slider.layout.width = "170px"
    return slider


def receptive_field_explorer(kernel_sizes: Sequence[int] = (3, 3, 3),
                             strides: Sequence[int] = (1, 2, 1),
                             dilations: Sequence[int] = (1, 1, 2),
                             pools: Sequence[bool] = (False, False, False),
                             size: int = 16, padding: str = "half",
                             unit: tuple[int, int] | None = None,
                             render: bool = True) -> ReceptiveFieldExplorer:
    """Build a stack layer by layer and see the field of one output unit on the input.

    The first ``len(kernel_sizes)`` layers are on (up to `MAX_LAYERS`); ``unit``
    defaults to the centre of the last feature map.

    >>> ex = receptive_field_explorer(render=False)
    >>> ex.state.table.size, ex.state.unit
    (13, (4, 4))
    >>> ex.controls["padding"].value = "none"; ex.controls["size"].value = 6
    >>> print(ex.error)
    `kernel_size` too large: effective kernel 5 is larger than the padded input 1 (input_size=1, padding=0) (in layer 'conv3')
    """
    n = len(kernel_sizes)
    if not 1 <= n <= MAX_LAYERS:
        raise ValueError(f"`kernel_sizes` must have 1 to {MAX_LAYERS} entries, got {n}")
    pad = lambda values, fill: list(values) + [fill] * (MAX_LAYERS - len(values))
    ks, ss, ds, ps = pad(kernel_sizes, 3), pad(strides, 1), pad(dilations, 1), pad(pools, False)
    if unit is None:
        o = receptive_field(build_stack(kernel_sizes, strides, dilations, pools, padding),
                            size).output_size
        unit = (o // 2, o // 2)
    controls = {
        "n_layers": int_slider("layers", n, 1, MAX_LAYERS),
        "size": int_slider("input size i", size, 4, 32),
        "padding": widgets.ToggleButtons(
            options=[("p = 0", "none"), ("p = ⌊d(k−1)/2⌋", "half")], value=padding,
            description="padding", style={"button_width": "110px", "description_width": "initial"}),
        "unit_row": int_slider("unit row", unit[0], 0, 32),
        "unit_col": int_slider("unit col", unit[1], 0, 32),
    }
    for layer in range(1, MAX_LAYERS + 1):
        k, s, d, pool = layer_controls(layer)
        i = layer - 1
        controls[k] = _kernel_slider(f"conv{layer}: k", ks[i], 1, 7)
        controls[s] = _kernel_slider("s", ss[i], 1, 3)
        controls[d] = _kernel_slider("d", ds[i], 1, 3)
        controls[pool] = widgets.Checkbox(value=bool(ps[i]), description="then max-pool 2×2",
                                          indent=False, layout=widgets.Layout(width="150px"))
    rows = [["n_layers", "size", "padding"],
            *[list(layer_controls(layer)) for layer in range(1, MAX_LAYERS + 1)],
            ["unit_row", "unit_col"]]
    return ReceptiveFieldExplorer(controls, _state, field_figure(), _describe, rows, render)
