"""What PyTorch measures for each rule of the formula sheet (torch imported lazily).

Every function builds real torch layers on a configuration and reads the quantity off
them: an output length, a parameter count, a FlopCounterMode count, the span of a
gradient. None of them uses a convlib formula, so a wrong formula on the sheet fails.
"""
from __future__ import annotations

import warnings
from fractions import Fraction
from typing import Any, Sequence

__all__ = ["conv_length", "same_split", "k_eff_span", "pool_length", "tf_same", "transposed_length",
           "restoring_output_padding", "uneven_overlap", "field", "conv_params", "transposed_params",
           "conv_macs", "separable_ratio", "linear_params", "batchnorm_counts", "lstm_params",
           "transposed_macs", "bottleneck_macs", "embedding_params"]


def _zeros(*shape: int) -> Any:
    import torch
    return torch.zeros(*shape, dtype=torch.float64)


def conv_length(i: int, k: int, s: int = 1, p: int | str = 0, d: int = 1) -> int:
    """Length of ``Conv1d(k, stride=s, padding=p, dilation=d)`` applied to length ``i``."""
    import torch.nn.functional as F
    return F.conv1d(_zeros(1, 1, i), _zeros(1, 1, k), stride=s, padding=p, dilation=d).shape[-1]


def same_split(i: int, k: int, d: int = 1) -> tuple[int, int, int]:
    """(o, before, after) of ``padding='same'``: the explicit ``F.pad`` that gives its values."""
    import torch
    import torch.nn.functional as F
    g = torch.Generator().manual_seed(i * 1000 + k * 10 + d)
    x = torch.randn(1, 1, i, generator=g, dtype=torch.float64)
    w = torch.randn(1, 1, k, generator=g, dtype=torch.float64)
    with warnings.catch_warnings():      # even k: torch warns that it copies the input
        warnings.simplefilter("ignore", UserWarning)
        y = F.conv1d(x, w, padding="same", dilation=d)
    span = 2 * d * (k - 1) + 1
    for before in range(span):
        for after in range(span):
            z = F.conv1d(F.pad(x, (before, after)), w, dilation=d) if i + before + after >= \
                d * (k - 1) + 1 else None
            if z is not None and z.shape == y.shape and torch.allclose(z, y):
                return y.shape[-1], before, after
    raise AssertionError("no explicit padding reproduces padding='same'")


def k_eff_span(k: int, d: int = 1) -> int:
    """Input pixels from the first to the last one that one output of a dilated conv reads."""
    import torch
    x = torch.ones(1, 1, d * (k - 1) + 8, dtype=torch.float64, requires_grad=True)
    torch.nn.functional.conv1d(x, torch.ones(1, 1, k, dtype=torch.float64), dilation=d)[0, 0, 0].backward()
    hit = torch.nonzero(x.grad[0, 0]).flatten()
    return int(hit[-1] - hit[0] + 1)


def pool_length(i: int, k: int, s: int, p: int = 0, d: int = 1) -> int:
    """Length of ``MaxPool1d(k, s, p, d, ceil_mode=True)`` applied to length ``i``."""
    import torch
    pool = torch.nn.MaxPool1d(k, s, p, d, ceil_mode=True)
    return pool(_zeros(1, 1, i)).shape[-1]


def tf_same(i: int, k: int, s: int, d: int = 1) -> tuple[int, int]:
    """TF 'SAME' keeps ceil(i / s) outputs: that count and the least total padding with which
    a torch conv gives it."""
    want = -(-i // s)
    total = 0
    while i + total < d * (k - 1) + 1 or conv_length(i + total, k, s, 0, d) < want:
        total += 1
    return want, total


def transposed_length(i: int, k: int, s: int = 1, p: int = 0, op: int = 0, d: int = 1) -> int:
    """Length of ``ConvTranspose1d(k, s, p, op, dilation=d)`` applied to length ``i``."""
    import torch.nn.functional as F
    return F.conv_transpose1d(_zeros(1, 1, i), _zeros(1, 1, k), stride=s, padding=p,
                              output_padding=op, dilation=d).shape[-1]


def restoring_output_padding(i: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> int:
    """The ``output_padding`` with which the transposed conv maps the conv's output back to i."""
    o = conv_length(i, k, s, p, d)
    for op in range(max(s, d)):
        try:
            if transposed_length(o, k, s, p, op, d) == i:
                return op
        except RuntimeError:         # torch refuses an empty output: not this op
            continue
    raise AssertionError("no output_padding restores the input size")


def uneven_overlap(k: int, s: int) -> bool:
    """Whether a transposed conv of all-ones input and kernel is uneven away from the borders."""
    import torch
    y = torch.nn.functional.conv_transpose1d(torch.ones(1, 1, 16), torch.ones(1, 1, k), stride=s)
    inner = y[0, 0, k:-k]
    return bool((inner != inner[0]).any())


def field(layers: Sequence[tuple[int, int, int]]) -> tuple[int, int]:
    """(r, j) of a stack of ``(k, s, d)`` Conv1d layers (no padding), from autograd: the
    span of input pixels unit 0 depends on, and how far unit 1's field is shifted."""
    import torch
    from torch import nn
    stack = nn.Sequential(*(nn.Conv1d(1, 1, k, s, 0, d, bias=False) for k, s, d in layers)).double()
    for conv in stack:
        nn.init.ones_(conv.weight)
    n = 1 + sum((k - 1) * d for k, _, d in layers) * _prod(s for _, s, _ in layers) * 2 + \
        2 * _prod(s for _, s, _ in layers)
    first = []
    for unit in (0, 1):
        x = torch.ones(1, 1, n, dtype=torch.float64, requires_grad=True)
        stack(x)[0, 0, unit].backward()
        hit = torch.nonzero(x.grad[0, 0]).flatten()
        first.append((int(hit[0]), int(hit[-1])))
    return first[0][1] - first[0][0] + 1, first[1][0] - first[0][0]


def _prod(values: Any) -> int:
    out = 1
    for v in values:
        out *= v
    return out


def conv_params(c_in: int, c_out: int, g: int, k_h: int, k_w: int, bias: bool) -> int:
    """``sum(p.numel())`` of ``nn.Conv2d``."""
    from torch import nn
    return sum(q.numel() for q in nn.Conv2d(c_in, c_out, (k_h, k_w), groups=g, bias=bias).parameters())


def transposed_params(c_in: int, c_out: int, g: int, k_h: int, k_w: int, bias: bool) -> int:
    """``sum(p.numel())`` of ``nn.ConvTranspose2d``."""
    from torch import nn
    return sum(q.numel() for q in nn.ConvTranspose2d(c_in, c_out, (k_h, k_w), groups=g,
                                                     bias=bias).parameters())


def _macs(module: Any, shape: tuple[int, ...]) -> int:
    import torch
    from torch.utils.flop_counter import FlopCounterMode
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        module(torch.zeros(*shape))
    return counter.get_total_flops() // 2          # FlopCounterMode counts 2 FLOPs per MAC


def conv_macs(c_in: int, c_out: int, g: int, k_h: int, k_w: int, h_out: int, w_out: int) -> int:
    """MACs of ``nn.Conv2d`` (no padding) producing ``h_out x w_out``, from FlopCounterMode."""
    from torch import nn
    conv = nn.Conv2d(c_in, c_out, (k_h, k_w), groups=g)
    return _macs(conv, (1, c_in, h_out + k_h - 1, w_out + k_w - 1))


def separable_ratio(c_in: int, c_out: int, k: int, size: int) -> float:
    """FlopCounterMode's MACs of depthwise + pointwise over those of a standard conv."""
    from torch import nn
    shape = (1, c_in, size, size)
    separable = nn.Sequential(nn.Conv2d(c_in, c_in, k, padding=k // 2, groups=c_in),
                              nn.Conv2d(c_in, c_out, 1))
    return float(Fraction(_macs(separable, shape), _macs(nn.Conv2d(c_in, c_out, k, padding=k // 2),
                                                         shape)))


def linear_params(n_in: int, n_out: int) -> int:
    """``sum(p.numel())`` of ``nn.Linear``."""
    from torch import nn
    return sum(q.numel() for q in nn.Linear(n_in, n_out).parameters())


def batchnorm_counts(c: int) -> tuple[int, int]:
    """(trainable parameters, running-statistics elements) of ``nn.BatchNorm2d``."""
    from torch import nn
    bn = nn.BatchNorm2d(c)
    return (sum(q.numel() for q in bn.parameters()),
            bn.running_mean.numel() + bn.running_var.numel())


def lstm_params(n_in: int, h: int) -> int:
    """``sum(p.numel())`` of a one-layer ``nn.LSTM``."""
    from torch import nn
    return sum(q.numel() for q in nn.LSTM(n_in, h).parameters())


def transposed_macs(c_in: int, c_out: int, g: int, k_h: int, k_w: int, h_in: int, w_in: int) -> int:
    """MACs of ``nn.ConvTranspose2d`` on an ``h_in x w_in`` input, from FlopCounterMode."""
    from torch import nn
    return _macs(nn.ConvTranspose2d(c_in, c_out, (k_h, k_w), groups=g), (1, c_in, h_in, w_in))


def bottleneck_macs(kind: str, c: int, m: int, g: int, h: int, w: int) -> int:
    """FlopCounterMode's MACs of the three convs of a stride-1 ResNeXt bottleneck (1x1,
    3x3 with g groups, 1x1) or ShuffleNet unit (grouped 1x1, depthwise 3x3, grouped 1x1)."""
    from torch import nn
    if kind == "resnext":
        convs = (nn.Conv2d(c, m, 1), nn.Conv2d(m, m, 3, padding=1, groups=g), nn.Conv2d(m, c, 1))
    else:
        convs = (nn.Conv2d(c, m, 1, groups=g), nn.Conv2d(m, m, 3, padding=1, groups=m),
                 nn.Conv2d(m, c, 1, groups=g))
    return _macs(nn.Sequential(*convs), (1, c, h, w))


def embedding_params(num: int, dim: int) -> int:
    """``sum(p.numel())`` of ``nn.Embedding``."""
    from torch import nn
    return sum(q.numel() for q in nn.Embedding(num, dim).parameters())
