"""MobileNet's multipliers and MobileNetV2's inverted residual block.

Notation (SYLLABUS.md): kernel ``k``, channels ``C_in``, ``C_out``, stride ``s``,
an ``i x i`` input and an ``o x o`` output. MobileNet (Howard et al. 2017) writes
``D_K = k``, ``M = C_in``, ``N = C_out``, ``D_F`` the feature-map size.

* **Width and resolution multipliers** (MobileNet, eq. 7): a depthwise-separable
  layer thinned by ``alpha`` and run on a map shrunk by ``rho`` costs
  ``D_K·D_K·αM·ρD_F·ρD_F + αM·αN·ρD_F·ρD_F`` MACs, about ``α²ρ²`` of the full layer.
* **Inverted residual with linear bottleneck** (MobileNetV2, Sandler et al. 2018):
  expand ``1 x 1`` ``C_in -> t·C_in``, ReLU6; depthwise ``k x k`` at stride ``s``,
  ReLU6; project ``1 x 1`` ``t·C_in -> C_out`` with no activation; a residual
  connection when ``s = 1`` and ``C_in = C_out``. The torch block is
  `convlib.zoo.mobile.InvertedResidual` (the one the zoo's MobileNetV2 is built from).
* **What a ReLU keeps**: a ``d``-dimensional point embedded in ``n`` dimensions by a
  random ``n x d`` matrix ``T`` can be recovered from ``ReLU(T x)`` exactly when the
  rows of ``T`` left active (positive) still have rank ``d``.

Pure Python; the measurement imports torch lazily.
"""
from __future__ import annotations

from .._validate import positive_int

__all__ = ["scaled_separable_macs", "inverted_residual_macs", "relu_recoverable_fraction"]


def _multiplier(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        raise ValueError(f"`{name}` must be a number in (0, 1], got {value!r}")
    return float(value)


def _scaled(name: str, size: int, factor: float) -> int:
    scaled = factor * size
    if abs(scaled - round(scaled)) > 1e-9 or round(scaled) < 1:
        raise ValueError(f"`{name}` times {size} must be a positive whole number, got {scaled:g}")
    return round(scaled)


def scaled_separable_macs(in_channels: int, out_channels: int, kernel_size: int, feature_size: int,
                          alpha: float = 1.0, rho: float = 1.0) -> int:
    """MACs of a depthwise-separable layer thinned by ``alpha``, on a map shrunk by ``rho``.

    MobileNet's eq. 7, with ``D_K = k``, ``M = C_in``, ``N = C_out``, ``D_F`` the map size
    (stride 1, size kept): ``D_K·D_K·αM·ρD_F·ρD_F + αM·αN·ρD_F·ρD_F``. ``αM``, ``αN`` and
    ``ρD_F`` must be whole numbers (a real layer has whole channels and pixels).

    >>> scaled_separable_macs(512, 512, 3, 14), scaled_separable_macs(512, 512, 3, 14, 0.5, 160 / 224)
    (52283392, 6784000)
    """
    m, n = positive_int("in_channels", in_channels), positive_int("out_channels", out_channels)
    k, d_f = positive_int("kernel_size", kernel_size), positive_int("feature_size", feature_size)
    a, r = _multiplier("alpha", alpha), _multiplier("rho", rho)
    am, an, rd = _scaled("alpha", m, a), _scaled("alpha", n, a), _scaled("rho", d_f, r)
    return k * k * am * rd * rd + am * an * rd * rd


def _block_sizes(in_channels: int, out_channels: int, expansion: int, stride: int,
                 kernel_size: int) -> tuple[int, int, int, int, int]:
    return (positive_int("in_channels", in_channels), positive_int("out_channels", out_channels),
            positive_int("expansion", expansion), positive_int("stride", stride),
            positive_int("kernel_size", kernel_size))


def inverted_residual_macs(in_channels: int, out_channels: int, input_size: int, expansion: int = 6,
                           stride: int = 1, kernel_size: int = 3) -> int:
    """MACs of MobileNetV2's block on an ``i x i`` input (padding ``k // 2``).

    With ``h = t·C_in`` and ``o = floor((i + 2(k // 2) - k) / s) + 1``:
    ``i²·C_in·h + o²·k²·h + o²·h·C_out``. At ``s = 1`` this is the paper's
    ``h·w·d'·t·(d' + k² + d'')`` (section 3.3) for odd ``k``. With ``t = 1`` there is
    no expansion conv (as in torchvision and `convlib.zoo`), so the first term is dropped.

    >>> inverted_residual_macs(24, 24, 56)
    25740288
    """
    c_in, c_out, t, s, k = _block_sizes(in_channels, out_channels, expansion, stride, kernel_size)
    i = positive_int("input_size", input_size)
    hidden, o = t * c_in, (i + 2 * (k // 2) - k) // s + 1
    expand = i * i * c_in * hidden if t > 1 else 0
    return expand + o * o * k * k * hidden + o * o * hidden * c_out


def relu_recoverable_fraction(dim: int, width: int, points: int = 4000, seed: int = 0,
                              relu: bool = True) -> float:
    """Fraction of random pairs ``(T, x)`` for which ``ReLU(T x)`` still determines ``x``.

    ``x`` is a random ``d``-dim point, ``T`` a random ``n x d`` Gaussian matrix
    (``n = width``, a fresh one per point). ``x`` can be recovered from
    ``y = ReLU(T x)`` exactly when the rows of ``T`` with ``(T x)_j > 0`` have rank ``d``:
    those coordinates of ``y`` equal ``T_j x``, the others only say ``T_j x <= 0``.
    ``relu=False`` keeps every row (``y = T x``). Each row is positive with probability
    1/2, so the fraction tends to ``P(Binomial(n, 1/2) >= d)``.

    >>> relu_recoverable_fraction(2, 2, relu=False), relu_recoverable_fraction(2, 30) > 0.99
    (1.0, True)
    """
    import torch

    d, n = positive_int("dim", dim), positive_int("width", width)
    count = positive_int("points", points)
    gen = torch.Generator().manual_seed(seed)
    t = torch.randn(count, n, d, generator=gen, dtype=torch.float64)
    x = torch.randn(count, d, 1, generator=gen, dtype=torch.float64)
    active = (t @ x > 0) if relu else torch.ones(count, n, 1, dtype=torch.bool)
    ranks = torch.linalg.matrix_rank(t * active)     # (points,): rank of the rows ReLU keeps
    return float((ranks == d).double().mean())
