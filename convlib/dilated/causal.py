"""Causal dilated 1-D stacks (WaveNet): kernel 2, rates 1, 2, 4, ..., left padding only.

A causal convolution pads ``d (k - 1)`` zeros on the left and none on the right, so
output ``t`` reads inputs ``t - d (k - 1) .. t`` and the length is kept. Stacked with
rates ``d_l``, output ``t`` reads the ``RF`` inputs ending at ``t``:

    RF = 1 + (k - 1) sum_l d_l

With ``k = 2`` and rates doubling from 1 to ``2^(L-1)``, one block of ``L`` layers has
``RF = 2^L`` (WaveNet: 10 layers, 1024 samples), and reads every input in it (no holes).

Pure module: numpy only; torch is imported inside `causal_stack`.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._validate import positive_int

__all__ = ["wavenet_dilations", "causal_padding", "causal_field", "causal_stack"]


def wavenet_dilations(layers_per_block: int = 10, blocks: int = 1) -> tuple[int, ...]:
    """Rates ``1, 2, 4, .., 2^(L-1)``, the block repeated ``blocks`` times.

    >>> wavenet_dilations(4, blocks=2)
    (1, 2, 4, 8, 1, 2, 4, 8)
    """
    n = positive_int("layers_per_block", layers_per_block)
    b = positive_int("blocks", blocks)
    return tuple(2 ** l for l in range(n)) * b


def causal_padding(kernel_size: int = 2, dilation: int = 1) -> int:
    """Zeros padded on the left only: ``d (k - 1)`` (none on the right).

    >>> causal_padding(2, 8), causal_padding(3, 2)
    (8, 4)
    """
    k, d = positive_int("kernel_size", kernel_size), positive_int("dilation", dilation)
    return d * (k - 1)


def causal_field(dilations: Sequence[int], kernel_size: int = 2) -> int:
    """How many past inputs (the current one included) one output of the stack reads.

    RF = 1 + (k - 1) sum_l d_l

    >>> causal_field(wavenet_dilations(10))
    1024
    >>> causal_field(wavenet_dilations(10, blocks=3))
    3070
    """
    if isinstance(dilations, (str, bytes)) or not isinstance(dilations, Sequence) or not dilations:
        raise ValueError(f"`dilations` must be a non-empty sequence of ints, got {dilations!r}")
    k = positive_int("kernel_size", kernel_size)
    ds = [positive_int("dilations", d) for d in dilations]
    return 1 + (k - 1) * sum(ds)


def causal_stack(dilations: Sequence[int], kernel_size: int = 2, channels: int = 1) -> Any:
    """An ``nn.Sequential`` of ``ConstantPad1d((d (k - 1), 0))`` and ``Conv1d`` per rate.

    >>> causal_stack([1, 2], channels=4)
    Sequential(
      (0): ConstantPad1d(padding=(1, 0), value=0.0)
      (1): Conv1d(4, 4, kernel_size=(2,), stride=(1,))
      (2): ConstantPad1d(padding=(2, 0), value=0.0)
      (3): Conv1d(4, 4, kernel_size=(2,), stride=(1,), dilation=(2,))
    )
    """
    from torch import nn
    causal_field(dilations, kernel_size)
    c = positive_int("channels", channels)
    layers: list[Any] = []
    for d in dilations:
        layers += [nn.ConstantPad1d((causal_padding(kernel_size, d), 0), 0.0),
                   nn.Conv1d(c, c, kernel_size, dilation=d)]
    return nn.Sequential(*layers)
