"""The receptive-field columns of `convlib.counting.summary`: rows joined by layer name.

`field_rows` asks `convlib.receptive.fields.receptive_field` for the model's table
(and says why when it cannot model the network); `join_fields` copies each
field row's ``size`` and ``jump`` onto the summary row of the same name, and
lets a layer that keeps the geometry (BatchNorm, ReLU) take the field of the
layer that produced its input. Any rows with ``name``, ``size`` and ``jump``
attributes will do, so a graph-aware `receptive_field` joins the same way.
torch is imported lazily.
"""
from __future__ import annotations

from typing import Any

__all__ = ["field_rows", "join_fields"]


def _keeps_geometry(module: Any) -> bool:
    """A module whose output pixel (i, j) depends on input pixel (i, j) only."""
    from torch import nn
    from torch.nn.modules import conv, pooling

    windows = (conv._ConvNd, pooling._MaxPoolNd, pooling._AvgPoolNd, pooling._AdaptiveAvgPoolNd,
               pooling._AdaptiveMaxPoolNd, nn.Upsample, nn.Flatten, nn.Unflatten, nn.Linear)
    return not isinstance(module, windows)


def join_fields(rows: list[Any], fields: Any, modules: dict[str, Any],
                sources: dict[str, str | None]) -> list[Any]:
    """Fill ``rf_size`` / ``rf_jump`` from rows having ``name``, ``size``, ``jump``.

    A field row named ``"layer3.1.conv2"`` or ``"3: Conv2d"`` (name, then the
    type) matches the summary row of that name. A module row without a match
    that keeps the geometry (BatchNorm, ReLU, Dropout: same spatial size as its
    input, no window) takes the field of the row that produced its input.

    >>> from types import SimpleNamespace as R
    >>> from convlib.counting.summary import LayerRow
    >>> rows = [LayerRow("0", "Conv2d", (1, 2, 6, 6), 20, 0), LayerRow("1", "ReLU", (1, 2, 6, 6), 0, 0)]
    >>> [(r.rf_size, r.rf_jump) for r in join_fields(
    ...     rows, [R(name="0: Conv2d", size=3, jump=1)], {}, {"1": "0"})]
    [(3, 1), (3, 1)]
    """
    by_name: dict[str, tuple[Any, Any]] = {}
    for f in fields:
        for key in (str(f.name), str(f.name).split(": ")[0]):
            by_name.setdefault(key, (f.size, f.jump))
    done: dict[str, Any] = {}
    out = []
    for row in rows:
        field = by_name.get(row.name)
        source = done.get(sources.get(row.name) or "")
        if (field is None and row.kind == "module" and source is not None
                and source.rf_size is not None and row.output_shape is not None
                and source.output_shape is not None
                and row.output_shape[2:] == source.output_shape[2:]
                and _keeps_geometry(modules.get(row.name))):
            field = (source.rf_size, source.rf_jump)
        if field is not None:
            row = row._replace(rf_size=field[0], rf_jump=field[1])
        done[row.name] = row
        out.append(row)
    return out


def field_rows(model: Any, shape: tuple[int, ...]) -> tuple[Any, str | None]:
    """`receptive_field` rows of the model, or None and the reason."""
    if len(shape) != 4:
        return None, "2-D inputs (C, H, W) only"
    from .fields import receptive_field

    errors = []
    for size in (tuple(shape[2:]), tuple(shape[1:])):
        try:
            return list(receptive_field(model, size)), None
        except Exception as err:   # optional column: say why it is missing
            errors.append(f"{type(err).__name__}: {str(err).splitlines()[0]:.120}")
    return None, "receptive_field cannot model this network: " + errors[0]
