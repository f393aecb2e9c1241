"""Memory of training: the per-parameter state, and what autograd saves.

Training with an optimizer keeps, per parameter, the value, its gradient and the
optimizer's state (Adam: two moment estimates, ``exp_avg`` and ``exp_avg_sq``):

    state bytes = (2 + optimizer_states) x bytes_per_value x parameters

independent of the batch size. The forward pass also saves, for the backward
pass, the tensors each layer's gradient needs (a conv or Linear its input, a
ReLU its output, max pooling its input and the int64 indices of the maxima,
BatchNorm its input and per-channel statistics); these grow with the batch.
`saved_tensors` records them with ``torch.autograd.graph.saved_tensors_hooks``.

torch is imported lazily, inside the functions.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import torch

__all__ = ["training_state_bytes", "SavedTensor", "saved_tensors"]


def training_state_bytes(params: int, optimizer_states: int = 2, bytes_per_value: int = 4) -> int:
    """Bytes of parameters, gradients and optimizer state while training.

    bytes = (2 + optimizer_states) x bytes_per_value x params

    ``optimizer_states`` is 2 for Adam / AdamW, 1 for SGD with momentum, 0 for
    plain SGD; ``bytes_per_value`` is 4 for float32.

    >>> training_state_bytes(1000)           # Adam, float32: value, grad, 2 moments
    16000
    >>> training_state_bytes(1000, optimizer_states=0)
    8000
    """
    for name, value in (("params", params), ("optimizer_states", optimizer_states),
                        ("bytes_per_value", bytes_per_value)):
        if not isinstance(value, int) or value < 0:
            raise ValueError(f"`{name}` must be an int >= 0, got {value!r}")
    return (2 + optimizer_states) * bytes_per_value * params


class SavedTensor(NamedTuple):
    """One tensor autograd kept for the backward pass (one entry per storage)."""

    shape: tuple[int, ...]
    dtype: str
    nbytes: int


def saved_tensors(model: torch.nn.Module, x: torch.Tensor) -> list[SavedTensor]:
    """The tensors a forward pass of ``model(x)`` saves for backward, parameters excluded.

    Each storage is listed once (a ReLU output that max pooling saves again
    counts once); views of a parameter (Linear's transposed weight) are left out.
    ``nbytes`` is the storage's size.

    >>> import torch
    >>> from torch import nn
    >>> [t.shape for t in saved_tensors(nn.Sequential(nn.Linear(3, 2), nn.ReLU()), torch.ones(1, 3))]
    [(1, 3), (1, 2)]
    """
    import torch

    params = {p.untyped_storage().data_ptr() for p in model.parameters()}
    saved: dict[int, SavedTensor] = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        storage = t.untyped_storage()
        if storage.data_ptr() not in params and storage.data_ptr() not in saved:
            saved[storage.data_ptr()] = SavedTensor(tuple(t.shape), str(t.dtype).removeprefix("torch."),
                                                    storage.nbytes())
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(x)
    return list(saved.values())
