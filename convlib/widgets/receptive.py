"""Stack builder (in the browser): up to four conv layers (kernel, stride, dilation,
optional 2x2 max pool), the field of one output unit drawn on the input, and the
bottom-up table."""
from __future__ import annotations

from collections.abc import Sequence

from ..receptive.stacks import FieldState, build_stack, field_state
from ..receptive.fields import receptive_field
from .browser import BrowserExplorer, browser_explorer

__all__ = ["receptive_field_explorer", "builder_state", "MAX_LAYERS", "layer_controls"]

#: How many conv layers the builder offers.
MAX_LAYERS = 4


def layer_controls(n: int) -> tuple[str, ...]:
    """Control names of conv layer ``n`` (1-based): kernel, stride, dilation, pool."""
    return f"k{n}", f"s{n}", f"d{n}", f"pool{n}"


def builder_state(n_layers: int, size: int, padding: str, unit_row: int, unit_col: int,
           **per_layer) -> FieldState:
    """The builder's stack from its controls (the first ``n_layers`` layers) -> FieldState,
    with torch's gradient support (what the browser builder's arithmetic is checked with)."""
    settings = [[per_layer[name] for name in layer_controls(n)] for n in range(1, n_layers + 1)]
    kernels, strides, dilations, pools = zip(*settings)
    layers = build_stack(kernels, strides, dilations, pools, padding)
    return field_state(layers, size, (unit_row, unit_col))


def _stack_controls(kernel_sizes: Sequence[int], strides: Sequence[int],
                    dilations: Sequence[int], pools: Sequence[bool], size: int, padding: str,
                    unit: tuple[int, int] | None) -> dict:
    """The builder's arguments as its flat controls (``k1``, ``s1``, ... ``unit_col``); the
    unit defaults to the centre of the last feature map."""
    n = len(kernel_sizes)
    if not 1 <= n <= MAX_LAYERS:
        raise ValueError(f"`kernel_sizes` must have 1 to {MAX_LAYERS} entries, got {n}")
    if padding not in ("none", "half"):
        raise ValueError(f"`padding` must be 'none' or 'half', got {padding!r}")
    if unit is None:
        o = receptive_field(build_stack(kernel_sizes, strides, dilations, pools, padding),
                            size).output_size
        unit = (o // 2, o // 2)
    values = dict(n_layers=n, size=size, padding=padding, unit_row=unit[0], unit_col=unit[1])
    fill = lambda seq, default: list(seq) + [default] * (MAX_LAYERS - len(seq))
    for i, (k, s, d, p) in enumerate(zip(fill(kernel_sizes, 3), fill(strides, 1),
                                         fill(dilations, 1), fill(pools, False)), start=1):
        values.update({f"k{i}": k, f"s{i}": s, f"d{i}": d, f"pool{i}": bool(p)})
    return values


def receptive_field_explorer(kernel_sizes: Sequence[int] = (3, 3, 3),
                             strides: Sequence[int] = (1, 2, 1),
                             dilations: Sequence[int] = (1, 1, 2),
                             pools: Sequence[bool] = (False, False, False),
                             size: int = 16, padding: str = "half",
                             unit: tuple[int, int] | None = None) -> BrowserExplorer:
    """Build a stack layer by layer and see the field of one output unit on the input, in
    the browser (``convlib/web/explorers/receptive_field.js``; its arithmetic is
    `convlib.receptive.fields.receptive_field`'s).

    The first ``len(kernel_sizes)`` layers are on (up to `MAX_LAYERS`); ``unit``
    defaults to the centre of the last feature map.

    >>> ex = receptive_field_explorer()
    >>> ex.n_layers, ex.k3, ex.d3, (ex.unit_row, ex.unit_col)
    (3, 3, 2, (4, 4))
    """
    values = _stack_controls(kernel_sizes, strides, dilations, pools, size, padding, unit)
    return browser_explorer("receptive_field", **values)
