"""Random non-sequential conv programs for tests/test_receptive_graph.py.

A program is a list of steps; each step reads earlier values by index (value 0 is the
input) and appends one value. `ProgramNet` runs it; with ``for_grad=True`` every max
pool becomes an all-ones window of the same geometry (a max pool's gradient reaches one
pixel), so the input gradient of one output unit marks every pixel the unit depends on.
Weights and biases are positive and F.pad pads with ones, so every activation is
positive and no gradient cancels (mul included).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from hypothesis import strategies as st
from torch import nn

import convlib as cl

C = 2   # channels of every conv output


def positive_(model: nn.Module) -> nn.Module:
    """float64, eval mode, every parameter uniform in [0.1, 1]."""
    model.double().eval()
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.rand(p.shape, generator=gen, dtype=p.dtype) * 0.9 + 0.1)
    return model


def centre_crop(x: torch.Tensor, h: int, w: int) -> torch.Tensor:
    """U-Net's crop: the centre h x w of x, computed from the shapes at run time."""
    top, left = (x.shape[-2] - h) // 2, (x.shape[-1] - w) // 2
    return x[:, :, top:top + h, left:left + w]


def ones_pool(x: torch.Tensor, k, s, p, d, ceil: bool) -> torch.Tensor:
    """The windows of max_pool2d(x, k, s, p, d, ceil_mode) as an all-ones depthwise conv
    (zero padding on the right reaches the taps that ceil_mode adds)."""
    o = [cl.pool_output_size(n, k[a], s[a], p[a], d[a], ceil) for a, n in
         enumerate(x.shape[-2:])]
    right = [max(0, (o[a] - 1) * s[a] + d[a] * (k[a] - 1) + 1 - n - p[a])
             for a, n in enumerate(x.shape[-2:])]
    y = F.pad(x, (p[1], right[1], p[0], right[0]))
    w = torch.ones(x.shape[1], 1, *k, dtype=x.dtype)
    return F.conv2d(y, w, stride=s, dilation=d, groups=x.shape[1])[:, :, :o[0], :o[1]]


class ProgramNet(nn.Module):
    def __init__(self, program: list[dict], for_grad: bool = False) -> None:
        super().__init__()
        self.program, self.for_grad = program, for_grad
        self.steps = nn.ModuleList(self._module(step) for step in program)
        # receptive_field traces in the parameters' dtype: float64, like the gradients
        # (bilinear weights are computed in that dtype)
        self.dtype_anchor = nn.Parameter(torch.zeros(()))

    @staticmethod
    def _module(step: dict) -> nn.Module:
        if step["op"] == "conv":
            return nn.Conv2d(step["c_in"], C, step["k"], step["s"], step["p"], step["d"],
                             groups=step["g"])
        if step["op"] == "tconv":
            return nn.ConvTranspose2d(step["c_in"], C, step["k"], step["s"], step["p"],
                                      step["op_"], dilation=step["d"])
        if step["op"] == "max":
            return nn.MaxPool2d(step["k"], step["s"], step["p"], step["d"],
                                ceil_mode=step["ceil"])
        if step["op"] == "avg":
            return nn.AvgPool2d(step["k"], step["s"], step["p"], ceil_mode=step["ceil"],
                                count_include_pad=step["cip"])
        return nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        vals = [x]
        for step, mod in zip(self.program, self.steps):
            a = vals[step["src"]]
            op = step["op"]
            if op == "max" and self.for_grad:
                y = ones_pool(a, *(step[n] for n in "kspd"), step["ceil"])
            elif op in ("conv", "tconv", "max", "avg"):
                y = mod(a)
            elif op == "pad":
                y = F.pad(a, step["pad"], value=1.0)
            elif op == "slice":
                (t, b), (l, r), st_ = step["cut"][0], step["cut"][1], step["step"]
                y = a[:, :, t:a.shape[-2] - b:st_, l:a.shape[-1] - r]
            elif op == "interp":
                y = F.interpolate(a, **step["args"])
            else:   # joins: centre-crop both to the smaller size, then add / mul / cat
                b = vals[step["src2"]]
                h, w = min(a.shape[-2], b.shape[-2]), min(a.shape[-1], b.shape[-1])
                a, b = centre_crop(a, h, w), centre_crop(b, h, w)
                y = a + b if op == "add" else a * b if op == "mul" else torch.cat([a, b], 1)
            vals.append(torch.relu(y) if step.get("relu") else y)
        return vals[-1]


def _pair(draw, lo, hi):
    return (draw(st.integers(lo, hi)), draw(st.integers(lo, hi)))


def _step(draw, op: str, src: int, c_in: int, size: tuple) -> tuple[dict, int, tuple] | None:
    """One step with its output channels and size, or None when it does not fit."""
    h, w = size
    step = dict(op=op, src=src, c_in=c_in, relu=draw(st.booleans()))
    try:
        if op == "conv":
            k, s, d = _pair(draw, 1, 4), _pair(draw, 1, 3), _pair(draw, 1, 3)
            same = s == (1, 1) and draw(st.booleans())
            p = "same" if same else _pair(draw, 0, 3)
            g = draw(st.sampled_from([1, C])) if c_in == C else 1
            step.update(k=k, s=s, d=d, p=p, g=g)
            out = size if same else tuple(cl.conv_output_size(n, k[a], s[a], p[a], d[a])
                                          for a, n in enumerate(size))
            return step, C, out
        if op == "tconv":
            k, s, d = _pair(draw, 1, 4), _pair(draw, 1, 3), _pair(draw, 1, 2)
            p = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
            op_ = tuple(draw(st.integers(0, max(s[a], d[a]) - 1)) for a in (0, 1))
            step.update(k=k, s=s, d=d, p=p, op_=op_)
            out = tuple((n - 1) * s[a] - 2 * p[a] + d[a] * (k[a] - 1) + op_[a] + 1
                        for a, n in enumerate(size))
            return (step, C, out) if min(out) >= 1 and max(out) <= 40 else None
        if op in ("max", "avg"):
            k, s = _pair(draw, 1, 3), _pair(draw, 1, 3)
            p = tuple(draw(st.integers(0, k[a] // 2)) for a in (0, 1))
            d = _pair(draw, 1, 2) if op == "max" else (1, 1)
            step.update(k=k, s=s, p=p, d=d, ceil=draw(st.booleans()), cip=draw(st.booleans()))
            return step, c_in, tuple(cl.pool_output_size(n, k[a], s[a], p[a], d[a],
                                                         step["ceil"])
                                     for a, n in enumerate(size))
        if op == "pad":
            pad = tuple(draw(st.integers(-2, 3)) for _ in range(4))   # (left, right, top, bottom)
            out = (h + pad[2] + pad[3], w + pad[0] + pad[1])
            step["pad"] = pad
            fits = min(h + min(pad[2], 0) + min(pad[3], 0), w + min(pad[0], 0) + min(pad[1], 0))
            return (step, c_in, out) if min(out) >= 1 and fits >= 1 else None
        if op == "slice":
            cut = (_pair(draw, 0, 3), _pair(draw, 0, 3))
            step_ = draw(st.sampled_from([1, 1, 2]))
            step.update(cut=cut, step=step_)
            hh, ww = h - sum(cut[0]), w - sum(cut[1])
            return (step, c_in, (-(-hh // step_), ww)) if min(hh, ww) >= 1 else None
        if op == "interp":
            mode = draw(st.sampled_from(["nearest", "bilinear"]))
            args = dict(mode=mode)
            if mode == "bilinear":
                args["align_corners"] = draw(st.booleans())
            if draw(st.booleans()):
                sf = draw(st.sampled_from([2.0, 3.0, 1.5, 0.5, 0.75]))
                args["scale_factor"] = sf
                out = (int(h * sf), int(w * sf))
            else:
                out = _pair(draw, 1, 30)
                args["size"] = out
            step["args"] = args
            return (step, c_in, out) if min(out) >= 1 and max(out) <= 40 else None
    except ValueError:
        return None
    raise AssertionError(op)


@st.composite
def programs(draw, max_steps: int = 6):
    """(program, input (H, W)): 2-6 steps with at least one join (add, mul or cat)."""
    size = _pair(draw, 4, 24)
    vals = [(1, size)]          # (channels, (H, W)) of each value
    program = []
    n_steps = draw(st.integers(2, max_steps))
    join_at = draw(st.integers(1, n_steps - 1))
    for i in range(n_steps):
        if i == join_at:
            op = draw(st.sampled_from(["add", "mul", "cat"]))
            src, src2 = draw(st.integers(0, len(vals) - 1)), len(vals) - 1
            (ca, sa), (cb, sb) = vals[src], vals[src2]
            if op != "cat" and ca != cb:
                op = "cat"
            out = (min(sa[0], sb[0]), min(sa[1], sb[1]))
            program.append(dict(op=op, src=src, src2=src2, relu=draw(st.booleans())))
            vals.append((ca + cb if op == "cat" else ca, out))
            continue
        op = draw(st.sampled_from(["conv", "conv", "tconv", "max", "avg", "pad", "slice",
                                   "interp"]))
        src = len(vals) - 1 if draw(st.integers(0, 3)) else draw(st.integers(0, len(vals) - 1))
        made = _step(draw, op, src, *vals[src])
        if made is None:
            made = _step(draw, "pad", src, *vals[src]) or (
                dict(op="pad", src=src, pad=(0, 0, 0, 0)), *vals[src])
        step, c, out = made
        program.append(step)
        vals.append((c, out))
    return program, size
