"""How each ATen op moves the exact field maps of `convlib.receptive.maps` (used by
`convlib.receptive.graph`). A handler gets the op's bound arguments and returns
``(field, op name, is_row, centre_offset)``, a field being one `AxisMap` per spatial axis
(the last two dims). ``Unsupported`` means: this op on a spatial tensor cannot be
modelled exactly; the tracer turns it into a ``ValueError`` naming the node.

Formulas (per axis; see `convlib.receptive.maps`):

    conv, pool:        F_out(u) = union_{t < k} F_in(u s - p + t d)
    transposed conv:   F_out(v) = union { F_in(u) : v + p - u s = t d }
    pad (p_l, p_r):    F_out(u) = F_in(u - p_l)   (negative p crops)
    slice a:b:c:       F_out(u) = F_in(a + u c)

torch is imported lazily.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import maps as fm

__all__ = ["Unsupported", "HANDLERS", "KEEP", "pointwise", "same_holes"]


class Unsupported(Exception):
    """An op that receptive_field cannot model exactly on a spatial tensor."""


def two(v: Any, default: Any = None) -> tuple:
    """A per-axis (H, W) pair from an ATen int list (one value means both axes)."""
    if v is None or (isinstance(v, (list, tuple)) and len(v) == 0):
        v = default
    v = list(v) if isinstance(v, (list, tuple)) else [v]
    return tuple(v * 2 if len(v) == 1 else v[-2:])


def _dim(d: int, nd: int) -> int:
    return d + nd if d < 0 else d


def same_holes(maps: list) -> bool:
    """Whether branches leave the same units empty (then the per-axis union is exact)."""
    pats = {tuple(np.isfinite(m.lo)) for m in maps}
    return len(pats) == 1


def _join(fields: list, n: tuple) -> tuple:
    axes = []
    for a in (0, 1):
        maps = [fm.broadcast(f[a], n[a]) if f[a].n in (1, n[a]) else None for f in fields]
        if None in maps:
            raise Unsupported("inputs whose spatial sizes do not broadcast")
        if not same_holes([m for m in maps if not m.whole]):
            raise Unsupported("a join of branches whose units see nothing at different places")
        axes.append(maps)
    f = tuple(fm.union(axes[a], n[a]) for a in (0, 1))
    offset = tuple(fm.centre_spread(axes[a], n[a]) for a in (0, 1))
    return f, offset


def pointwise(tr: Any, b: dict, tracked: list, out: Any, name: str) -> tuple:
    """Elementwise op: the union of the tracked inputs (broadcast); a join if several."""
    fields = list({id(f): f for f in (tr.field_of(t) for t in tracked)}.values())
    if len(fields) == 1:
        return fields[0], name, False, None
    f, offset = _join(fields, tuple(out.shape[-2:]))
    return f, name.rstrip("_"), True, offset


def keep(tr: Any, b: dict, tracked: list, out: Any, name: str) -> tuple:
    """Same geometry as the (first) tracked input: BN, dropout, clone, type casts."""
    return tr.field_of(tracked[0]), name, False, None


def convolution(tr: Any, b: dict, tracked: list, out: Any, name: str) -> tuple:
    f, w = tr.field_of(b["input"]), b["weight"]
    if w.dim() != 4:
        raise Unsupported(f"a {w.dim() - 2}-d convolution")
    k, s, p, d = w.shape[-2:], two(b["stride"]), two(b["padding"]), two(b["dilation"])
    make, op = (fm.transposed, "conv_transpose") if b["transposed"] else (fm.window, "conv")
    n = out.shape[-2:]
    return tuple(make(f[a], n[a], k[a], s[a], p[a], d[a]) for a in (0, 1)), op, True, None


def pool(tr: Any, b: dict, tracked: list, out: Any, name: str) -> tuple:
    f, k = tr.field_of(b["self"]), two(b["kernel_size"])
    s, p, d = two(b["stride"], k), two(b["padding"], 0), two(b.get("dilation"), 1)
    n = out.shape[-2:]
    op = "avg_pool" if name.startswith("avg") else "max_pool"
    return tuple(fm.window(f[a], n[a], k[a], s[a], p[a], d[a]) for a in (0, 1)), op, True, None


def adaptive(tr: Any, b: dict, tracked: list, out: Any, name: str) -> tuple:
    """Window u of an adaptive pool: [floor(u i / o), ceil((u + 1) i / o))."""
    f, maps = tr.field_of(b["self"]), []
    for a, n_out in enumerate(out.shape[-2:]):
        n_in = f[a].n
        v, u = np.arange(n_out)[:, None], np.arange(n_in)[None, :]
        reads = (u >= (v * n_in) // n_out) & (u < -((-(v + 1) * n_in) // n_out))
        maps.append(fm.whole(f[a]) if n_out == 1 else fm.resample(f[a], reads))
    op = "adaptive_" + ("max" if "max" in name else "avg") + "_pool"
    return tuple(maps), op, True, None


def interpolate(tr: Any, b: dict, tracked: list, out: Any, name: str) -> tuple:
    """Read each axis' resampling pattern off torch's own kernel: an identity probe with
    the same sizes, scales and ``align_corners`` (so edge clamping is exact)."""
    import torch
    x = b["input"] if "input" in b else b["self"]
    f = tr.field_of(x)
    scales = b["scale_factors"] if "scale_factors" in b else (b.get("scales_h"),
                                                               b.get("scales_w"))
    scales = list(scales) if scales else [None, None]
    align = b.get("align_corners")
    maps = []
    for a, n_out in enumerate(out.shape[-2:]):
        n_in = f[a].n
        eye = torch.eye(n_in, dtype=x.dtype)
        probe = eye.reshape(1, n_in, n_in, 1) if a == 0 else eye.reshape(1, n_in, 1, n_in)
        size = [n_out, 1] if a == 0 else [1, n_out]
        sc = [scales[0], None] if a == 0 else [None, scales[1]]
        args = [probe, size] + ([align] if "align_corners" in b else []) + sc
        resp = b["__func__"].overloadpacket.default(*args)
        maps.append(fm.resample(f[a], (resp.reshape(n_in, n_out) != 0).T.numpy()))
    return tuple(maps), "interpolate", True, None


def _pad_index(n: int, before: int, after: int, mode: str) -> np.ndarray:
    q = np.arange(-before, n + after)
    if mode == "reflect":
        q = np.abs(q)
        q = np.where(q > n - 1, 2 * (n - 1) - q, q)
    elif mode == "replicate":
        q = np.clip(q, 0, n - 1)
    return q


def pad(tr: Any, b: dict, tracked: list, out: Any, name: str) -> tuple:
    f = tr.field_of(b["self"])
    widths = list(b["pad"] if "pad" in b else b["padding"]) + [0, 0, 0, 0]
    mode = "reflect" if "reflection" in name else "replicate" if "replication" in name else ""
    pairs = ((widths[2], widths[3]), (widths[0], widths[1]))   # F.pad lists W first
    maps = tuple(fm.gather(f[a], _pad_index(f[a].n, *pairs[a], mode)) for a in (0, 1))
    return maps, f"{mode}_pad" if mode else "pad", True, None


def slice_(tr: Any, b: dict, tracked: list, out: Any, name: str) -> tuple:
    t, f = b["self"], tr.field_of(b["self"])
    a = _dim(b["dim"], t.dim()) - (t.dim() - 2)
    if a < 0:
        return f, "slice", False, None
    start, end, step = b["start"], b["end"], b["step"]
    index = np.arange(f[a].n)[slice(start, end, step)]
    if len(index) == f[a].n:
        return f, "slice", False, None
    new = fm.gather(f[a], index, None if f[a].jump is None else f[a].jump * step)
    return (new, f[1]) if a == 0 else (f[0], new), "slice", True, None


def cat(tr: Any, b: dict, tracked: list, out: Any, name: str) -> tuple:
    nd = out.dim()
    a = _dim(b["dim"], nd) - (nd - 2)
    if a < 0:
        return pointwise(tr, b, tracked, out, "cat")
    parts = b["tensors"]
    if len(tracked) != len(parts):
        raise Unsupported("a spatial concatenation with a constant tensor")
    fields = [tr.field_of(t) for t in parts]
    other = [f[1 - a] for f in fields]
    if any(not (np.array_equal(m.lo, other[0].lo) and np.array_equal(m.hi, other[0].hi))
           for m in other):
        raise Unsupported("a spatial concatenation of parts whose other axis differs")
    joined = fm.concat([f[a] for f in fields])
    return (joined, other[0]) if a == 0 else (other[0], joined), "cat", True, None


def reduce(tr: Any, b: dict, tracked: list, out: Any, name: str) -> tuple:
    t, f = b["self"], tr.field_of(b["self"])
    nd = t.dim()
    dims = b.get("dim")
    dims = range(nd) if dims is None or dims == [] else [dims] if isinstance(dims, int) else dims
    hit = {_dim(d, nd) - (nd - 2) for d in dims} & {0, 1}
    if not hit:
        return f, name, False, None
    if hit == {0, 1}:
        return (fm.whole(f[0]), fm.whole(f[1])), name, True, None
    if not b.get("keepdim", False):
        raise Unsupported("a reduction over one spatial axis that drops it")
    return tuple(fm.whole(f[x]) if x in hit else f[x] for x in (0, 1)), name, True, None


def reshape(tr: Any, b: dict, tracked: list, out: Any, name: str) -> tuple:
    """A view keeping (H, W) last keeps the maps; one merging H and W into a trailing dim
    (flatten) makes the field global; anything else is refused."""
    t, f = b["self"], tr.field_of(b["self"])
    h, w = t.shape[-2:]
    if out.dim() >= 2 and tuple(out.shape[-2:]) == (h, w):
        return f, name, False, None
    if out.dim() >= 1 and out.shape[-1] % (h * w) == 0:
        return (fm.whole(f[0]), fm.whole(f[1])), "flatten", True, None
    raise Unsupported(f"a reshape of {tuple(t.shape)} into {tuple(out.shape)}")


def expand(tr: Any, b: dict, tracked: list, out: Any, name: str) -> tuple:
    f = tr.field_of(b["self"])
    n = out.shape[-2:]
    if any(f[a].n not in (1, n[a]) for a in (0, 1)):
        raise Unsupported("an expand that changes a spatial size")
    return tuple(fm.broadcast(f[a], n[a]) for a in (0, 1)), name, False, None


def moves_axes(tr: Any, b: dict, tracked: list, out: Any, name: str) -> tuple:
    """permute / transpose / unsqueeze / squeeze / select: fine while H and W stay the
    last two dims, untouched."""
    t, f = b["self"], tr.field_of(b["self"])
    nd = t.dim()
    if name == "permute":
        ok = [_dim(d, nd) for d in b["dims"]][-2:] == [nd - 2, nd - 1]
    elif name == "transpose":
        ok = not {_dim(b["dim0"], nd), _dim(b["dim1"], nd)} & {nd - 2, nd - 1}
    elif name == "select":
        ok = _dim(b["dim"], nd) < nd - 2
    else:   # unsqueeze, squeeze: the spatial sizes must stay last and unchanged
        ok = out.dim() >= 2 and tuple(out.shape[-2:]) == tuple(t.shape[-2:]) and (
            name != "unsqueeze" or _dim(b["dim"], out.dim()) < out.dim() - 2)
    if not ok:
        raise Unsupported(f"{name} moves or drops a spatial axis")
    return f, name, False, None


HANDLERS: dict[str, Callable] = {
    "convolution": convolution, "max_pool2d_with_indices": pool, "max_pool2d": pool,
    "avg_pool2d": pool, "_adaptive_avg_pool2d": adaptive, "adaptive_avg_pool2d": adaptive,
    "adaptive_max_pool2d": adaptive, "constant_pad_nd": pad, "reflection_pad2d": pad,
    "replication_pad2d": pad, "slice": slice_, "cat": cat,
    **{n: reduce for n in ("mean", "sum", "amax", "amin", "max", "min", "var", "std",
                           "var_mean", "std_mean", "logsumexp", "prod", "norm")},
    **{n: reshape for n in ("view", "_unsafe_view", "reshape", "view_copy")},
    "expand": expand, "expand_copy": expand,
    **{n: moves_axes for n in ("permute", "transpose", "unsqueeze", "squeeze", "select")},
}
INTERPOLATE = ("upsample_nearest2d", "_upsample_nearest_exact2d", "upsample_bilinear2d",
               "upsample_bicubic2d", "_upsample_bilinear2d_aa", "_upsample_bicubic2d_aa")
KEEP = ("clone", "alias", "detach", "contiguous", "_to_copy", "lift_fresh", "lift_fresh_copy",
        "native_dropout", "dropout", "feature_dropout", "alpha_dropout", "native_batch_norm",
        "_native_batch_norm_legit", "_native_batch_norm_legit_no_training",
        "_batch_norm_with_update", "_batch_norm_no_update", "batch_norm", "native_group_norm",
        "native_layer_norm")


def softmax(tr: Any, b: dict, tracked: list, out: Any, name: str) -> tuple:
    """Softmax over channels keeps the geometry; over a spatial axis it is refused."""
    t = b["self"]
    if _dim(b["dim"], t.dim()) >= t.dim() - 2:
        raise Unsupported(f"{name} over a spatial axis")
    return tr.field_of(t), name, False, None


def copy(tr: Any, b: dict, tracked: list, out: Any, name: str) -> tuple:
    """``dst.copy_(src)``: dst now holds src's values (broadcast)."""
    src = b["src"]
    if id(src) not in tr.fields:
        raise Unsupported("a copy of a constant into a tracked tensor")
    return expand(tr, {"self": src}, tracked, out, name)


HANDLERS.update({"_softmax": softmax, "copy_": copy, "copy": copy, "_log_softmax": softmax,
                 **{n: interpolate for n in INTERPOLATE}, **{n: keep for n in KEEP}})
