"""Pure helpers around `convlib.receptive.fields`: build a conv/pool stack from per-layer
settings, and compare an analytic field with a gradient mask.

A field's ``bounds`` are what `convlib.receptive.fields.field_bounds` returns for a
``(row, col)`` unit: ``((first_h, last_h), (first_w, last_w))``, whole input
pixels, possibly outside ``[0, i - 1]`` (padding) when the field leaves the image.
A mask's bounding box is in the same format, so the two compare with ``==`` when
the field stays inside the image. numpy only at top level; torch is used lazily
through `convlib.receptive.empirical.empirical_receptive_field`.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from .._validate import nonneg_int, positive_int
from .empirical import FieldMap, empirical_receptive_field
from .fields import ReceptiveFieldTable, field_bounds, receptive_field, receptive_field_top_down
from .layers import Layer

__all__ = ["PADDING_RULES", "Bounds", "CentralShare", "FieldState", "build_stack", "torch_stack",
           "mask_bounds", "bounds_size", "clip_bounds", "field_inside", "central_share", "gradient_spread",
           "field_state", "top_down_steps", "bottom_up_steps"]

Bounds = tuple[tuple[int, int], tuple[int, int]]

#: Padding rules of `build_stack`: none, or half the dilated kernel (floor).
PADDING_RULES = ("none", "half")


class CentralShare(NamedTuple):
    """Share of the gradient mass in the central box, and that box's share of the area."""
    mass: float
    area: float


class FieldState(NamedTuple):
    """One stack and one output unit: the table, the unit, its analytic bounds, the mask."""
    layers: Any  # a tuple of `Layer` specs, or the nn.Sequential it was given
    table: ReceptiveFieldTable
    unit: tuple[int, int]
    bounds: Bounds
    field: FieldMap


def build_stack(kernel_sizes: Sequence[int], strides: Sequence[int] | None = None,
                dilations: Sequence[int] | None = None, pools: Sequence[bool] | None = None,
                padding: str = "none") -> list[Layer]:
    """Conv layers ``conv1, conv2, ...``, each optionally followed by a 2x2 max pool.

    ``padding='half'`` pads each conv by ``p = floor(d (k - 1) / 2)`` (the size-keeping
    padding at stride 1 for odd ``k``); ``'none'`` pads nothing.

    >>> [(l.name, l.kernel_size, l.stride, l.padding) for l in build_stack([3, 5], [2, 1],
    ...                                                               pools=[True, False],
    ...                                                               padding="half")]
    [('conv1', 3, 2, 1), ('pool1', 2, None, 0), ('conv2', 5, 1, 2)]
    """
    n = len(kernel_sizes)
    if n == 0:
        raise ValueError("`kernel_sizes` must not be empty")
    strides = [1] * n if strides is None else list(strides)
    dilations = [1] * n if dilations is None else list(dilations)
    pools = [False] * n if pools is None else list(pools)
    for name, values in (("strides", strides), ("dilations", dilations), ("pools", pools)):
        if len(values) != n:
            raise ValueError(f"`{name}` must have one entry per kernel: {len(values)} != {n}")
    if padding not in PADDING_RULES:
        raise ValueError(f"`padding` must be one of {PADDING_RULES}, got {padding!r}")
    layers = []
    for i, (k, s, d, pool) in enumerate(zip(kernel_sizes, strides, dilations, pools), start=1):
        k, d = positive_int("kernel_size", k), positive_int("dilation", d)
        p = d * (k - 1) // 2 if padding == "half" else 0
        layers.append(Layer(k, positive_int("stride", s), p, d, name=f"conv{i}"))
        if pool:
            layers.append(Layer(2, kind="pool", name=f"pool{i}"))
    return layers


def torch_stack(layers: Sequence[Layer], channels: int = 1) -> Any:
    """The same stack as an ``nn.Sequential`` of ``Conv2d`` (``channels`` in and out, the
    first one reading 1 channel) and ``MaxPool2d`` layers, named as the specs.

    >>> torch_stack(build_stack([3], pools=[True]))
    Sequential(
      (conv1): Conv2d(1, 1, kernel_size=(3, 3), stride=(1, 1))
      (pool1): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
    )
    """
    from torch import nn
    channels = positive_int("channels", channels)
    modules, c_in = {}, 1
    for i, spec in enumerate(layers):
        name = spec.name or str(i)
        if spec.kind == "conv":
            modules[name] = nn.Conv2d(c_in, channels, spec.kernel_size, spec.stride or 1,
                                      spec.padding, spec.dilation)
            c_in = channels
        elif spec.kind == "pool":
            modules[name] = nn.MaxPool2d(spec.kernel_size, spec.stride, spec.padding,
                                         spec.dilation, ceil_mode=spec.ceil_mode)
        else:
            raise ValueError(f"`kind` must be 'conv' or 'pool', got {spec.kind!r}")
    return nn.Sequential(OrderedDict(modules))


def mask_bounds(mask: np.ndarray) -> Bounds | None:
    """Bounding box ``((first_row, last_row), (first_col, last_col))`` of a 2-D mask.

    >>> mask_bounds(np.eye(4, dtype=bool)[1:3])
    ((0, 1), (1, 2))
    >>> mask_bounds(np.zeros((2, 2), bool)) is None
    True
    """
    mask = np.asarray(mask, bool)
    if mask.ndim != 2:
        raise ValueError(f"`mask` must be 2-D, got shape {mask.shape}")
    rows, cols = np.flatnonzero(mask.any(1)), np.flatnonzero(mask.any(0))
    if rows.size == 0:
        return None
    return (int(rows[0]), int(rows[-1])), (int(cols[0]), int(cols[-1]))


def bounds_size(bounds: Bounds) -> tuple[int, int]:
    """Rows and columns spanned by ``bounds``: ``last - first + 1`` per axis.

    >>> bounds_size(((-2, 4), (3, 12)))
    (7, 10)
    """
    return tuple(last - first + 1 for first, last in bounds)


def _sizes(input_size: int | tuple[int, int]) -> tuple[int, int]:
    if isinstance(input_size, tuple):
        return positive_int("input_size", input_size[0]), positive_int("input_size", input_size[1])
    return (positive_int("input_size", input_size),) * 2


def clip_bounds(bounds: Bounds, input_size: int | tuple[int, int]) -> Bounds:
    """The part of a field that lies on the image: bounds clipped to ``[0, i - 1]``.

    >>> clip_bounds(((-2, 4), (3, 12)), 10)
    ((0, 4), (3, 9))
    """
    return tuple((max(first, 0), min(last, i - 1))
                 for (first, last), i in zip(bounds, _sizes(input_size)))


def field_inside(bounds: Bounds, input_size: int | tuple[int, int]) -> bool:
    """Whether the whole field lies on the image (no padding pixel in it).

    >>> field_inside(((0, 4), (3, 9)), 10), field_inside(((-1, 4), (3, 9)), 10)
    (True, False)
    """
    return clip_bounds(bounds, input_size) == tuple(bounds)


def central_share(grad: np.ndarray, bounds: Bounds, fraction: float = 0.5) -> CentralShare:
    """Share of ``grad``'s total in the central box of the field, and the box's area share.

    The box holds the pixels within ``fraction * r / 2`` of the field's centre on each
    axis (``r`` the field size). A uniform field has ``mass == area``; an effective
    receptive field has ``mass`` well above ``area``.

    >>> central_share(np.ones((8, 8)), ((0, 7), (0, 7)))
    CentralShare(mass=0.25, area=0.25)
    """
    if not 0 < fraction <= 1:
        raise ValueError(f"`fraction` must be in (0, 1], got {fraction!r}")
    grad = np.abs(np.asarray(grad, float))
    keep, area = [], 1.0
    for (first, last), n in zip(bounds, grad.shape):
        centre, half = (first + last) / 2, fraction * (last - first + 1) / 2
        near = lambda x: np.abs(x - centre) <= half - 0.5 + 1e-9  # pixel x in the box
        keep.append(near(np.arange(n)))
        area *= near(np.arange(first, last + 1)).sum() / (last - first + 1)
    total = grad.sum()
    if total == 0:
        raise ValueError("`grad` must not be all zero")
    mass = grad[np.ix_(*keep)].sum() / total
    return CentralShare(round(float(mass), 6), round(float(area), 6))


def gradient_spread(grad: np.ndarray) -> tuple[float, float]:
    """Standard deviation (pixels) of ``|grad|`` read as a distribution, per axis.

    The effective field's width: for n stacked 3x3 all-ones convolutions it is
    ``sqrt(2n/3)`` (a sum of n steps in {-1, 0, 1}), while the field size is 2n + 1.

    >>> gradient_spread(np.outer([1, 2, 1], [0, 1, 0]))
    (0.707107, 0.0)
    """
    weights = np.abs(np.asarray(grad, float))
    if weights.ndim != 2 or weights.sum() == 0:
        raise ValueError(f"`grad` must be 2-D and not all zero, got shape {weights.shape}")
    spreads = []
    for axis in (1, 0):  # summing over the other axis gives this axis's marginal
        marginal = weights.sum(axis)
        x = np.arange(marginal.size)
        mean = (x * marginal).sum() / marginal.sum()
        spreads.append(round(float(np.sqrt(((x - mean) ** 2 * marginal).sum() / marginal.sum())), 6))
    return tuple(spreads)


def field_state(layers: Any, input_size: int,
                unit: tuple[int, int] | None = None) -> FieldState:
    """Table, analytic bounds and empirical (autograd) mask of one unit of a stack.

    ``layers`` is anything `receptive_field` accepts (a list of specs or an
    ``nn.Sequential``); ``unit`` is clamped to the last feature map (``None``: its centre). An invalid stack
    raises `convlib.sizes.shapes`' ``ValueError`` with the layer's name in the message.

    >>> state = field_state(build_stack([3, 3], [2, 1], padding="half"), 9, (0, 9))
    >>> state.unit, state.table.size, state.bounds, mask_bounds(state.field.mask)
    ((0, 4), 7, ((-3, 3), (5, 11)), ((0, 3), (5, 8)))
    """
    input_size = positive_int("input_size", input_size)
    layers = tuple(layers) if isinstance(layers, list) else layers
    spec = list(layers) if isinstance(layers, tuple) else layers
    try:
        table = receptive_field(spec, input_size)
    except ValueError as err:  # the note names the layer: keep it in the message
        notes = "; ".join(getattr(err, "__notes__", []))
        raise ValueError(f"{err} ({notes})" if notes else str(err)) from None
    o = table.output_size
    unit = (o // 2, o // 2) if unit is None else tuple(
        min(nonneg_int("unit", u), o - 1) for u in unit)
    return FieldState(layers, table, unit, field_bounds(table, unit),
                      empirical_receptive_field(spec, input_size, unit))


def _g(x: float) -> str:
    return f"{x:g}".replace("-", "−")


def top_down_steps(kernel_sizes: Sequence[int], strides: Sequence[int],
                   dilations: Sequence[int] | None = None) -> list[str]:
    """The top-down recursion with numbers, one line per layer, from the top unit down.

    Layer ``l`` reads map ``l - 1`` and writes map ``l`` (map 0 is the input):
    RF_{l-1} = (RF_l - 1) s_l + k_l with RF_L = 1 (``k_l`` the dilated kernel
    d_l (k_l - 1) + 1). Each value is `receptive_field_top_down` of the layers above.

    >>> print("\\n".join(top_down_steps([3, 3], [2, 1])))
    RF_2 = 1
    RF_1 = (RF_2 − 1)·s_2 + k_2 = (1 − 1)·1 + 3 = 3
    RF_0 = (RF_1 − 1)·s_1 + k_1 = (3 − 1)·2 + 3 = 7
    """
    ks, ss = list(kernel_sizes), list(strides)
    ds = [1] * len(ks) if dilations is None else list(dilations)
    n = len(ks)
    lines, rf = [f"RF_{n} = 1"], 1
    for l in range(n, 0, -1):
        new = receptive_field_top_down(ks[l - 1:], ss[l - 1:], ds[l - 1:])
        k_text = str(ks[l - 1]) if ds[l - 1] == 1 else f"({ds[l - 1]}·({ks[l - 1]} − 1) + 1)"
        lines.append(f"RF_{l - 1} = (RF_{l} − 1)·s_{l} + k_{l} = ({rf} − 1)·{ss[l - 1]} + "
                     f"{k_text} = {new}")
        rf = new
    return lines


def bottom_up_steps(layers: Sequence[Layer], input_size: int | None = None) -> list[str]:
    """The bottom-up recursion with numbers, one line per layer of a square stack.

    j_l = j_{l-1} s_l,  r_l = r_{l-1} + (k_l - 1) d_l j_{l-1},
    start_l = start_{l-1} + ((k_l - 1) d_l / 2 - p_l) j_{l-1}

    The values printed after ``=`` are `receptive_field`'s; the left-hand sides are
    checked against them (an ``AssertionError`` means the two disagree).

    >>> print("\\n".join(bottom_up_steps(build_stack([3, 3], [2, 1], padding="half"))))
    conv1: j = 1·2 = 2   r = 1 + (3 − 1)·1·1 = 3   start = 0 + ((3 − 1)·1/2 − 1)·1 = 0
    conv2: j = 2·1 = 2   r = 3 + (3 − 1)·1·2 = 7   start = 0 + ((3 − 1)·1/2 − 1)·2 = 0
    """
    table = receptive_field(list(layers), input_size)
    if isinstance(table.jump, tuple):
        raise ValueError("`layers` must be square (the same settings on both axes)")
    j, r, start, lines = 1, 1, 0, []
    width = max(len(row.name) for row in table)
    for spec, row in zip(layers, table):
        k, p, d = spec.kernel_size, spec.padding, spec.dilation
        s = spec.stride if spec.stride is not None else 1 if spec.kind == "conv" else k
        if p in ("same", "valid"):
            raise ValueError(f"`padding` must be a number here, got {p!r}")
        by_hand = (j * s, r + (k - 1) * d * j, start + ((k - 1) * d / 2 - p) * j)
        if (row.jump, row.size, row.start) != by_hand:
            raise AssertionError(f"{row.name}: table {tuple(row)[2:]} != formulas {by_hand}")
        lines.append(f"{row.name + ':':{width + 1}} j = {j}·{s} = {row.jump}   "
                     f"r = {r} + ({k} − 1)·{d}·{j} = {row.size}   "
                     f"start = {_g(start)} + (({k} − 1)·{d}/2 − {p})·{j} = {_g(row.start)}")
        j, r, start = row.jump, row.size, row.start
    return lines
