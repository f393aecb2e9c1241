"""Separable convolutions: spatially separable kernels and depthwise-separable layers.

Notation (SYLLABUS.md): kernel ``k`` (``k_h x k_w``), channels ``C_in``,
``C_out``, output size ``H_out x W_out``.

* **Spatially separable**: a ``k_h x k_w`` kernel of rank 1 is an outer
  product ``c r^T``; convolving with the column ``c`` (``k_h x 1``) and then
  the row ``r`` (``1 x k_w``) gives the same result for ``k_h + k_w`` instead
  of ``k_h k_w`` multiplications per output. The rank comes from an SVD.
* **Depthwise separable** (MobileNet): a depthwise ``k x k`` conv
  (``groups = C_in``, one filter per channel) then a pointwise ``1 x 1`` conv
  ``C_in -> C_out``. MACs ratio to a standard conv: ``1/C_out + 1/k^2``.

Pure numpy; the torch block builder imports torch lazily.
"""
from __future__ import annotations

from math import prod
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from .._validate import IntOrTuple, n_axes, per_axis, positive_int
from ..counting.formulas import conv2d_macs, conv2d_params

if TYPE_CHECKING:   # annotations only: no torch import at run time
    from torch import nn

__all__ = ["kernel_rank", "separate_kernel", "DepthwiseSeparableCost",
           "depthwise_separable_cost", "separable_macs_ratio", "separable_cost_text", "depthwise_separable_block",
           "mobilenet_layer", "affine_defect"]


# ------------------------------------------------------- spatially separable

def _kernel(kernel: object) -> np.ndarray:
    k = np.asarray(kernel, dtype=float)
    if k.ndim != 2 or k.size == 0:
        raise ValueError(f"`kernel` must be a non-empty 2-D array, got shape {k.shape}")
    return k


def kernel_rank(kernel: np.ndarray, rtol: float = 1e-9) -> int:
    """Rank of a 2-D kernel: the number of singular values above ``rtol * s_max``.

    Rank 1 means the kernel separates into a column times a row.

    >>> sobel_x = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    >>> laplace = [[0, 1, 0], [1, -4, 1], [0, 1, 0]]
    >>> kernel_rank(sobel_x), kernel_rank(laplace)
    (1, 2)
    """
    s = np.linalg.svd(_kernel(kernel), compute_uv=False)
    return int(np.sum(s > rtol * s[0])) if s[0] > 0 else 0


def separate_kernel(kernel: np.ndarray, rtol: float = 1e-9) -> tuple[np.ndarray, np.ndarray]:
    """Column ``c`` and row ``r`` with ``outer(c, r) == kernel``, for a rank-1 kernel.

    K = c r^T  with  c = K[:, j] and r = K[i, :] / K[i, j]  at the largest |K[i, j]|

    (exact for integer kernels; the sign is chosen so ``c``'s largest entry
    is positive). Raises ValueError when the kernel's rank is not 1: such a
    kernel is not a (k_h x 1) conv followed by a (1 x k_w) conv.

    >>> c, r = separate_kernel([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    >>> c, r
    (array([1., 2., 1.]), array([-1.,  0.,  1.]))
    """
    k = _kernel(kernel)
    rank = kernel_rank(k, rtol)
    if rank != 1:
        raise ValueError(f"`kernel` must have rank 1 to separate, got rank {rank}")
    i, j = np.unravel_index(np.argmax(np.abs(k)), k.shape)
    column, row = k[:, j].copy(), k[i, :] / k[i, j]
    if column[np.argmax(np.abs(column))] < 0:
        column, row = -column, -row
    return column, row + 0.0   # + 0.0 turns -0.0 into 0.0


# ------------------------------------------------------ depthwise separable

class DepthwiseSeparableCost(NamedTuple):
    """Counts of a standard conv and of its depthwise + pointwise replacement."""

    in_channels: int
    out_channels: int
    kernel_size: IntOrTuple
    output_size: IntOrTuple
    standard_params: int
    standard_macs: int
    depthwise_params: int
    depthwise_macs: int
    pointwise_params: int
    pointwise_macs: int

    @property
    def separable_params(self) -> int:
        return self.depthwise_params + self.pointwise_params

    @property
    def separable_macs(self) -> int:
        return self.depthwise_macs + self.pointwise_macs

    @property
    def macs_ratio(self) -> float:
        """Separable MACs over standard MACs, from the counts."""
        return self.separable_macs / self.standard_macs

    @property
    def formula_ratio(self) -> float:
        """The closed form 1/C_out + 1/(k_h k_w): equal to `macs_ratio`."""
        return separable_macs_ratio(self.out_channels, self.kernel_size)


def _kernel_area(kernel_size: IntOrTuple) -> int:
    return prod(positive_int("kernel_size", k) for k in
                per_axis("kernel_size", kernel_size, n_axes(kernel_size=kernel_size) or 2))


def separable_macs_ratio(out_channels: int, kernel_size: IntOrTuple) -> float:
    """MACs of depthwise + pointwise over a standard conv: 1/C_out + 1/(k_h k_w).

    (k^2 C_in HW + C_in C_out HW) / (k^2 C_in C_out HW) = 1/C_out + 1/k^2

    >>> round(separable_macs_ratio(64, 3), 4)
    0.1267
    """
    return 1 / positive_int("out_channels", out_channels) + 1 / _kernel_area(kernel_size)


def depthwise_separable_cost(in_channels: int, out_channels: int, kernel_size: IntOrTuple = 3,
                             output_size: IntOrTuple = 8, bias: bool = True
                             ) -> DepthwiseSeparableCost:
    """Parameters and MACs of a standard conv and of depthwise + pointwise.

    standard:  k^2 C_in C_out + C_out params,  k^2 C_in C_out H_out W_out MACs
    depthwise: k^2 C_in + C_in params (one bias per channel, not + 1),  k^2 C_in H_out W_out MACs
    pointwise: C_in C_out + C_out params,  C_in C_out H_out W_out MACs

    All counted on the *output* size (the depthwise conv sets it; the 1x1
    conv keeps it). ``bias=False`` drops every bias.

    >>> c = depthwise_separable_cost(32, 64, 3, output_size=56)
    >>> c.standard_macs, c.depthwise_macs, c.pointwise_macs
    (57802752, 903168, 6422528)
    >>> c.depthwise_params, round(c.macs_ratio, 4), round(c.formula_ratio, 4)
    (320, 0.1267, 0.1267)
    """
    c_in, c_out = in_channels, out_channels
    return DepthwiseSeparableCost(
        in_channels, out_channels, kernel_size, output_size,
        standard_params=conv2d_params(c_in, c_out, kernel_size, bias=bias),
        standard_macs=conv2d_macs(c_in, c_out, kernel_size, output_size),
        depthwise_params=conv2d_params(c_in, c_in, kernel_size, groups=c_in, bias=bias),
        depthwise_macs=conv2d_macs(c_in, c_in, kernel_size, output_size, groups=c_in),
        pointwise_params=conv2d_params(c_in, c_out, 1, bias=bias),
        pointwise_macs=conv2d_macs(c_in, c_out, 1, output_size))


def _dots(size: IntOrTuple, name: str) -> str:
    return "·".join(map(str, per_axis(name, size, n_axes(**{name: size}) or 2)))


def separable_cost_text(cost: DepthwiseSeparableCost) -> str:
    """The MAC formulas with the numbers of `cost`, for a figure or a widget line.

    >>> print(separable_cost_text(depthwise_separable_cost(32, 64, 3, output_size=56)))
    standard  k_h·k_w·C_in·C_out·H_out·W_out = 3·3·32·64·56·56 = 57,802,752 MACs
    depthwise k_h·k_w·C_in·H_out·W_out = 3·3·32·56·56 = 903,168;  pointwise C_in·C_out·H_out·W_out = 32·64·56·56 = 6,422,528
    ratio 7,325,696 / 57,802,752 = 0.1267 = 1/C_out + 1/(k_h·k_w) = 1/64 + 1/9
    """
    c, k, o = cost, _dots(cost.kernel_size, "kernel_size"), _dots(cost.output_size, "output_size")
    return (f"standard  k_h·k_w·C_in·C_out·H_out·W_out = {k}·{c.in_channels}·{c.out_channels}·{o} "
            f"= {c.standard_macs:,} MACs\n"
            f"depthwise k_h·k_w·C_in·H_out·W_out = {k}·{c.in_channels}·{o} = {c.depthwise_macs:,};  "
            f"pointwise C_in·C_out·H_out·W_out = {c.in_channels}·{c.out_channels}·{o} "
            f"= {c.pointwise_macs:,}\n"
            f"ratio {c.separable_macs:,} / {c.standard_macs:,} = {c.macs_ratio:.4f} "
            f"= 1/C_out + 1/(k_h·k_w) = 1/{c.out_channels} + 1/{_kernel_area(c.kernel_size)}")


def depthwise_separable_block(in_channels: int, out_channels: int, kernel_size: int = 3,
                              stride: int = 1, padding: int | None = None,
                              bias: bool = True) -> nn.Sequential:
    """Depthwise ``k x k`` conv (``groups = C_in``) then pointwise ``1 x 1``, in torch.

    ``padding`` defaults to ``k // 2`` (keeps the size at stride 1 for odd k).

    >>> depthwise_separable_block(32, 64)
    Sequential(
      (0): Conv2d(32, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), groups=32)
      (1): Conv2d(32, 64, kernel_size=(1, 1), stride=(1, 1))
    )
    """
    from torch import nn

    c_in = positive_int("in_channels", in_channels)
    c_out = positive_int("out_channels", out_channels)
    k = positive_int("kernel_size", kernel_size)
    pad = k // 2 if padding is None else padding
    return nn.Sequential(
        nn.Conv2d(c_in, c_in, k, stride=stride, padding=pad, groups=c_in, bias=bias),
        nn.Conv2d(c_in, c_out, 1, bias=bias))


def mobilenet_layer(in_channels: int, out_channels: int, kernel_size: int = 3, *,
                    middle_relu: bool = True, final_relu: bool = True,
                    seed: int = 0) -> nn.Sequential:
    """MobileNet's layer: depthwise ``k x k`` – BN – ReLU – pointwise ``1 x 1`` – BN – ReLU.

    The convs have no bias (BN's shift takes its place). The block is in eval mode,
    where each BatchNorm is the per-channel affine map
    ``y = gamma (x - mu) / sqrt(var + eps) + beta``; its statistics and affine
    parameters are drawn from `seed` (``gamma, beta, mu ~ N(0, 1)``,
    ``var ~ U(0.5, 2)``) so that it is not the identity. ``middle_relu`` /
    ``final_relu`` keep or drop each ReLU.

    >>> [type(m).__name__ for m in mobilenet_layer(4, 6, final_relu=False)]
    ['Conv2d', 'BatchNorm2d', 'ReLU', 'Conv2d', 'BatchNorm2d']
    """
    import torch
    from torch import nn

    c_in = positive_int("in_channels", in_channels)
    c_out = positive_int("out_channels", out_channels)
    k = positive_int("kernel_size", kernel_size)
    gen = torch.Generator().manual_seed(seed)
    layers: list[nn.Module] = [nn.Conv2d(c_in, c_in, k, padding=k // 2, groups=c_in, bias=False),
                               nn.BatchNorm2d(c_in)]
    layers += [nn.ReLU()] if middle_relu else []
    layers += [nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out)]
    layers += [nn.ReLU()] if final_relu else []
    block = nn.Sequential(*layers).eval()
    with torch.no_grad():
        for m in block:
            if isinstance(m, nn.Conv2d):
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen))
            elif isinstance(m, nn.BatchNorm2d):
                n = m.num_features
                for t in (m.weight, m.bias, m.running_mean):
                    t.copy_(torch.randn(n, generator=gen))
                m.running_var.copy_(0.5 + 1.5 * torch.rand(n, generator=gen))
    return block


def affine_defect(f, x) -> float:
    """How far `f` is from affine on `x`: ``max |f(x) + f(-x) - 2 f(0)|``.

    Zero (up to rounding) for every affine map ``f(x) = A x + b``: every convolution,
    with or without bias, and every BatchNorm in eval mode; a ReLU makes it non-zero.

    >>> import torch
    >>> affine_defect(torch.nn.Conv2d(2, 3, 3).eval(), torch.randn(1, 2, 5, 5)) < 1e-5
    True
    >>> affine_defect(torch.relu, torch.ones(3))
    1.0
    """
    import torch

    with torch.no_grad():
        return float((f(x) + f(-x) - 2 * f(torch.zeros_like(x))).abs().max())
