"""ResNeXt's three equivalent forms of a block (Xie et al. 2017, Fig. 3).

The residual branch of a ResNeXt block with cardinality ``g`` (the number of paths)
and path width ``d`` on ``C`` channels, written three ways:

* **(a)** ``g`` paths, each 1x1 ``C -> d``, ReLU, 3x3 ``d -> d``, ReLU, 1x1 ``d -> C``;
  the ``g`` outputs are summed;
* **(b)** the same paths up to their 3x3 convs, concatenated (``g·d`` channels), then
  one shared 1x1 ``g·d -> C``;
* **(c)** 1x1 ``C -> g·d``, ReLU, one grouped 3x3 (``groups = g``), ReLU, 1x1 ``g·d -> C``.

All three take the weights of form (c) (``w1: (g·d, C, 1, 1)``, ``w2: (g·d, d, 3, 3)``,
``w3: (C, g·d, 1, 1)``) and slice them per path, so they compute the same function.
Torch is imported lazily.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .._validate import positive_int

if TYPE_CHECKING:   # annotations only
    import torch

__all__ = ["resnext_weights", "resnext_grouped", "resnext_concatenated", "resnext_paths"]


def resnext_weights(channels: int, cardinality: int, width: int, seed: int = 0
                    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Random weights ``(w1, w2, w3)`` of form (c): ``(g·d, C, 1, 1)``, ``(g·d, d, 3, 3)``, ``(C, g·d, 1, 1)``.

    >>> [tuple(w.shape) for w in resnext_weights(256, 32, 4)]
    [(128, 256, 1, 1), (128, 4, 3, 3), (256, 128, 1, 1)]
    """
    import torch

    c, g = positive_int("channels", channels), positive_int("cardinality", cardinality)
    d = positive_int("width", width)
    gen = torch.Generator().manual_seed(seed)
    shapes = [(g * d, c, 1, 1), (g * d, d, 3, 3), (c, g * d, 1, 1)]
    return tuple(torch.randn(s, generator=gen, dtype=torch.float64) / (s[1] * s[2] * s[3]) ** 0.5
                 for s in shapes)


def _cardinality(w2: torch.Tensor, groups: int) -> int:
    g = positive_int("cardinality", groups)
    if w2.shape[0] % g:
        raise ValueError(f"`cardinality` must divide the {w2.shape[0]} channels of w2, got {g}")
    return g


def resnext_grouped(x, w1, w2, w3, cardinality: int):
    """Form (c): ``conv1x1(w3) ∘ ReLU ∘ grouped conv3x3(w2, groups=g) ∘ ReLU ∘ conv1x1(w1)``."""
    import torch.nn.functional as F

    g = _cardinality(w2, cardinality)
    h = F.relu(F.conv2d(F.relu(F.conv2d(x, w1)), w2, padding=1, groups=g))
    return F.conv2d(h, w3)


def _path_features(x, w1, w2, g: int) -> list:
    import torch.nn.functional as F

    d = w2.shape[0] // g
    return [F.relu(F.conv2d(F.relu(F.conv2d(x, w1[j * d:(j + 1) * d])), w2[j * d:(j + 1) * d], padding=1))
            for j in range(g)]


def resnext_concatenated(x, w1, w2, w3, cardinality: int):
    """Form (b): the ``g`` paths' 1x1 and 3x3 convs, concatenated, then one shared 1x1 (``w3``)."""
    import torch
    import torch.nn.functional as F

    g = _cardinality(w2, cardinality)
    return F.conv2d(torch.cat(_path_features(x, w1, w2, g), dim=1), w3)


def resnext_paths(x, w1, w2, w3, cardinality: int):
    """Form (a): ``g`` paths 1x1 - 3x3 - 1x1 (path ``j``'s slice of ``w3``), summed."""
    import torch.nn.functional as F

    g = _cardinality(w2, cardinality)
    d = w2.shape[0] // g
    return sum(F.conv2d(h, w3[:, j * d:(j + 1) * d]) for j, h in enumerate(_path_features(x, w1, w2, g)))
