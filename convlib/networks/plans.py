"""Shapes and costs through real networks, computed from the layer settings alone.

Two questions that chapter 08 asks of whole architectures:

* **Which input sizes divide cleanly?** A strided layer maps ``i`` to
  ``o = floor((i + 2p - d(k - 1) - 1) / s) + 1``. The floor drops
  ``unused = (i + 2p) - ((o - 1) s + d(k - 1) + 1)`` positions of the padded input
  after the last window (0: the floor is exact). Those positions are padding or,
  when ``unused > p``, real pixels that no window reads (`SizeStep.lost`).
  `size_chain` follows one chain of layers; `sweep_sizes` tries many input sizes.
* **The original U-Net** (valid 3x3 convs, 2x2 pools, 2x2 up-convolutions,
  crop-and-copy): `unet_plan` gives the size of every level, the crop of every
  skip, the output size, parameters and MACs; `unet_input_sizes` lists the inputs
  whose every 2x2 pool sees an even size, so every crop is centred exactly.

numpy-free and torch-free: `layer_spec` reads a torch module's attributes without
importing torch.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from ..sizes import shapes
from .._validate import nonneg_int, positive_int
from ..counting.formulas import (conv2d_macs, conv2d_params, conv_transpose2d_macs,
                                 conv_transpose2d_params)
from ..receptive.layers import Layer

__all__ = ["SizeStep", "SizeSweep", "UNetPlan", "layer_spec", "size_chain", "sweep_sizes",
           "unet_plan", "unet_input_sizes", "stage_rows", "stage_costs", "resolution"]


class SizeStep(NamedTuple):
    """One layer of a chain: sizes in and out, stride, positions the floor drops
    (``unused``; negative: a ``ceil_mode`` window overhangs) and real pixels lost."""
    name: str
    input_size: int
    output_size: int
    stride: int
    unused: int
    lost: int


class SizeSweep(NamedTuple):
    """One input size through a chain: final size, and whether every floor is exact,
    every stride divides its input exactly (``o s = i``), and how many pixels are lost."""
    input_size: int
    output_size: int
    floor_exact: bool
    divides: bool
    lost: int


def _one(name: str, v: Any) -> int:
    if isinstance(v, (tuple, list)):
        if len(set(v)) != 1:
            raise ValueError(f"`{name}` must be the same on both axes here, got {v!r}")
        v = v[0]
    return v


def layer_spec(module: Any, name: str | None = None) -> Layer:
    """A `convlib.receptive.layers.Layer` from an ``nn.Conv2d``, ``nn.MaxPool2d`` or ``nn.AvgPool2d``.

    >>> class Conv2d: kernel_size, stride, padding, dilation = (7, 7), (2, 2), (3, 3), (1, 1)
    >>> layer_spec(Conv2d(), "conv1")
    Layer(kernel_size=7, stride=2, padding=3, dilation=1, kind='conv', ceil_mode=False, name='conv1')
    """
    kind = "conv" if type(module).__name__ == "Conv2d" else "pool"
    if kind == "pool" and type(module).__name__ not in ("MaxPool2d", "AvgPool2d"):
        raise ValueError(f"`module` must be a Conv2d, MaxPool2d or AvgPool2d, "
                         f"got {type(module).__name__}")
    return Layer(*(_one(a, getattr(module, a, 1)) for a in
                   ("kernel_size", "stride", "padding", "dilation")), kind,
                 bool(getattr(module, "ceil_mode", False)), name)


def _step(layer: Layer, i: int, index: int) -> SizeStep:
    k = positive_int("kernel_size", _one("kernel_size", layer.kernel_size))
    s = k if layer.stride is None and layer.kind == "pool" else positive_int(
        "stride", _one("stride", 1 if layer.stride is None else layer.stride))
    p = nonneg_int("padding", _one("padding", layer.padding))
    d = positive_int("dilation", _one("dilation", layer.dilation))
    name = layer.name or f"{index}: {layer.kind}"
    if layer.kind == "conv":
        o = shapes.conv_output_size(i, k, s, p, d)
    else:
        o = shapes.pool_output_size(i, k, s, p, d, layer.ceil_mode)
    unused = (i + 2 * p) - ((o - 1) * s + d * (k - 1) + 1)
    return SizeStep(name, i, o, s, unused, max(0, unused - p))


def size_chain(layers: Sequence[Layer], input_size: int) -> list[SizeStep]:
    """Follow ``input_size`` through a chain of conv / pool layers (one axis).

    o = floor((i + 2p - d(k - 1) - 1) / s) + 1,  unused = i + 2p - ((o - 1) s + d(k - 1) + 1)

    >>> [(st.output_size, st.unused, st.lost) for st in size_chain([Layer(7, 2, 3), Layer(3, 2, 1, kind="pool")], 224)]
    [(112, 1, 0), (56, 1, 0)]
    >>> size_chain([Layer(2, kind="pool")], 7)[0].lost
    1
    """
    i = positive_int("input_size", input_size)
    steps = []
    for n, layer in enumerate(layers):
        steps.append(_step(layer, i, n))
        i = steps[-1].output_size
    return steps


def sweep_sizes(layers: Sequence[Layer], sizes: Iterable[int]) -> list[SizeSweep]:
    """`size_chain` for every input size in ``sizes`` (sizes too small are skipped).

    >>> resnet_spine = [Layer(7, 2, 3), Layer(3, 2, 1, kind="pool")] + [Layer(3, 2, 1)] * 3
    >>> [r.input_size for r in sweep_sizes(resnet_spine, range(200, 260)) if r.divides]
    [224, 256]
    >>> [r.input_size for r in sweep_sizes(resnet_spine, range(200, 260)) if r.floor_exact]
    [225, 257]
    """
    out = []
    for i in sizes:
        try:
            steps = size_chain(layers, i)
        except ValueError:
            continue
        out.append(SizeSweep(i, steps[-1].output_size, all(st.unused == 0 for st in steps),
                             all(st.output_size * st.stride == st.input_size for st in steps),
                             sum(st.lost for st in steps)))
    return out


class UNetPlan(NamedTuple):
    """Sizes through a U-Net (one axis; level 0 is the top of the U).

    ``down[l]``: (input, after the double conv) at level l; ``pooled[l]``: the 2x2
    pool's output below level l (None at the bottom); ``up[l]``: the up-convolution's
    output arriving at level l; ``crop[l]``: (before, after) pixels cut from the skip
    (``center_crop``: ``(skip - up) // 2`` before); ``even_pools``: every pool input is
    even; ``output_size``; ``params`` and ``macs`` of the whole network (one sample)."""
    input_size: int
    padding: int
    down: tuple
    pooled: tuple
    up: tuple
    crop: tuple
    even_pools: bool
    output_size: int
    params: int
    macs: int


def _double(i: int, padding: int, where: str) -> int:
    o = i + 2 * padding - 2 - 2 + 2 * padding
    if o < 1:
        raise ValueError(f"`input_size` is too small: the two 3x3 convs of {where} "
                         f"get {i} pixels and leave {o}")
    return o


def unet_plan(input_size: int, depth: int = 4, padding: int = 0, in_channels: int = 1,
              num_classes: int = 2, base: int = 64) -> UNetPlan:
    """Sizes, crops and costs of a U-Net (Ronneberger et al. 2015: depth 4, padding 0).

    double conv: o = i - 4 + 4p;  pool: o = floor(i / 2);  up-conv: o = 2 i;
    crop = skip - up, split (crop // 2, crop - crop // 2)

    >>> plan = unet_plan(572)
    >>> plan.output_size, plan.crop, plan.even_pools
    (388, ((88, 88), (40, 40), (16, 16), (4, 4)), True)
    >>> unet_plan(570).crop
    ((95, 95), (43, 44), (17, 18), (4, 5))
    """
    i = positive_int("input_size", input_size)
    depth, p = positive_int("depth", depth), nonneg_int("padding", padding)
    if p > 1:
        raise ValueError(f"`padding` must be 0 (valid) or 1 (same), got {padding!r}")
    widths = [base * 2 ** lv for lv in range(depth + 1)]
    down, pooled, params, macs = [], [], 0, 0
    c_in, x = in_channels, i
    for lv in range(depth + 1):
        o = _double(x, p, f"level {lv} (down)")
        down.append((x, o))
        params += conv2d_params(c_in, widths[lv], 3) + conv2d_params(widths[lv], widths[lv], 3)
        macs += (conv2d_macs(c_in, widths[lv], 3, x + 2 * p - 2)
                 + conv2d_macs(widths[lv], widths[lv], 3, o))
        c_in = widths[lv]
        if lv < depth:
            if o < 2:
                raise ValueError(f"`input_size` is too small: the pool below level {lv} "
                                 f"gets {o} pixel")
            pooled.append(o // 2)
            x = o // 2
    pooled.append(None)
    x, ups, crops = down[-1][1], [None] * depth, [None] * depth
    for lv in reversed(range(depth)):
        c = widths[lv + 1]
        params += conv_transpose2d_params(c, c // 2, 2)
        macs += conv_transpose2d_macs(c, c // 2, 2, input_size=x)
        x = 2 * x
        skip = down[lv][1]
        ups[lv], cut = x, skip - x
        crops[lv] = (cut // 2, cut - cut // 2)
        o = _double(x, p, f"level {lv} (up)")
        params += conv2d_params(c, c // 2, 3) + conv2d_params(c // 2, c // 2, 3)
        macs += conv2d_macs(c, c // 2, 3, x + 2 * p - 2) + conv2d_macs(c // 2, c // 2, 3, o)
        x = o
    params += conv2d_params(base, num_classes, 1)
    macs += conv2d_macs(base, num_classes, 1, x)
    even = all(o % 2 == 0 for _, o in down[:-1])
    return UNetPlan(i, p, tuple(down), tuple(pooled), tuple(ups), tuple(crops), even, x,
                    params, macs)


def unet_input_sizes(sizes: Iterable[int], depth: int = 4, padding: int = 0) -> list[int]:
    """The sizes in ``sizes`` that a U-Net takes with every pool input even.

    >>> unet_input_sizes(range(180, 260))
    [188, 204, 220, 236, 252]
    >>> unet_input_sizes(range(1, 70), padding=1)
    [16, 32, 48, 64]
    """
    out = []
    for i in sizes:
        try:
            if unet_plan(i, depth, padding, base=1).even_pools:
                out.append(i)
        except ValueError:
            continue
    return out


def stage_rows(table: Any, stages: Sequence[str]) -> dict[str, Any]:
    """The last row of each stage of a traced `convlib.receptive_field` table: the row
    named ``stage`` or the last one named ``stage.<something>``.

    >>> class Row(NamedTuple): name: str
    >>> class Table(NamedTuple): rows: tuple
    >>> stage_rows(Table((Row("conv1"), Row("layer1.0.add"), Row("layer1.1.add"))), ["conv1", "layer1"])
    {'conv1': Row(name='conv1'), 'layer1': Row(name='layer1.1.add')}
    """
    out = {}
    for stage in stages:
        rows = [r for r in table.rows if r.name == stage or r.name.startswith(stage + ".")]
        if not rows:
            raise ValueError(f"`stages` must name rows of the table, got {stage!r}")
        out[stage] = rows[-1]
    return out


def resolution(row: Any) -> str:
    """A `convlib.counting.summary.LayerRow`'s output resolution as ``"56×56"``; ``"head"`` once
    the spatial axes are gone.

    >>> class Row(NamedTuple): output_shape: tuple
    >>> resolution(Row((1, 64, 56, 56))), resolution(Row((1, 1000)))
    ('56×56', 'head')
    """
    shape = row.output_shape
    return f"{shape[-2]}×{shape[-1]}" if shape is not None and len(shape) == 4 else "head"


def stage_costs(table: Any, key: Any = resolution) -> dict[str, tuple[int, int]]:
    """``{stage: (params, macs)}`` summed over a `convlib.counting.summary.ModelSummary`'s rows,
    ``key(row)`` naming each row's stage (by default its output resolution), in order of
    first appearance.

    >>> class Row(NamedTuple): output_shape: tuple; params: int; macs: int
    >>> class Table(NamedTuple): rows: tuple
    >>> stage_costs(Table((Row((1, 8, 4, 4), 10, 160), Row((1, 8, 4, 4), 2, 0), Row((1, 3), 27, 27))))
    {'4×4': (12, 160), 'head': (27, 27)}
    """
    out: dict[str, list[int]] = {}
    for row in table.rows:
        acc = out.setdefault(key(row), [0, 0])
        acc[0] += row.params
        acc[1] += row.macs
    return {k: (p, m) for k, (p, m) in out.items()}
