"""Memory of training: the per-parameter state, and what autograd saves.

Training with an optimizer keeps, per parameter, the value, its gradient and the
optimizer's state (Adam: two moment estimates, ``exp_avg`` and ``exp_avg_sq``):

    state bytes = (2 + optimizer_states) x bytes_per_value x parameters

independent of the batch size. The forward pass also saves, for the backward
pass, the tensors each layer's gradient needs (a conv or Linear its input, a
ReLU its output, max pooling its input and the int64 indices of the maxima,
BatchNorm its input and per-channel statistics); these grow with the batch.
`saved_tensors` records them with ``torch.autograd.graph.saved_tensors_hooks``;
`layer_output_bytes` measures each layer's output with forward hooks, and
`torchinfo_pass_bytes` reproduces torchinfo's "Forward/backward pass size"
estimate from a summary's rows.

torch is imported lazily, inside the functions.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, NamedTuple

if TYPE_CHECKING:
    import torch

__all__ = ["training_state_bytes", "SavedTensor", "saved_tensors", "layer_output_bytes",
           "torchinfo_pass_bytes"]


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


def layer_output_bytes(model: torch.nn.Module, x: torch.Tensor) -> dict[str, int]:
    """Bytes of each leaf layer's output in one forward pass, measured with forward hooks.

    bytes = numel(output) x element size

    Keys are the layers' names in ``model.named_modules()``; a layer called
    twice is summed. Nothing is kept: the hooks only read sizes.

    >>> import torch
    >>> from torch import nn
    >>> layer_output_bytes(nn.Sequential(nn.Linear(3, 2), nn.ReLU()), torch.ones(4, 3))
    {'0': 32, '1': 32}
    """
    import torch

    if not isinstance(model, torch.nn.Module):
        raise ValueError(f"`model` must be an nn.Module, got {type(model).__name__}")
    sizes: dict[str, int] = {}

    def hook(name: str):
        def record(module: torch.nn.Module, args: object, out: object) -> None:
            tensors = [t for t in (out if isinstance(out, (tuple, list)) else (out,))
                       if isinstance(t, torch.Tensor)]
            sizes[name] = sizes.get(name, 0) + sum(t.numel() * t.element_size() for t in tensors)
        return record

    leaves = [(n, m) for n, m in model.named_modules() if not any(True for _ in m.children())]
    handles = [m.register_forward_hook(hook(n)) for n, m in leaves]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return sizes


def torchinfo_pass_bytes(rows: Iterable) -> int:
    """torchinfo's "Forward/backward pass size": its estimate of activation memory, in bytes.

    bytes = 2 x sum of output bytes over the layers that have parameters

    (the factor 2 stands for the output and its gradient; layers without
    parameters, such as ReLU or pooling, are left out). ``rows`` are a
    `convlib.summary` table's rows (``.params``, ``.activation_bytes``).

    >>> from convlib.counting.summary import LayerRow
    >>> torchinfo_pass_bytes([LayerRow("0", "Conv2d", (1, 2, 3, 3), 20, 0, 72),
    ...                       LayerRow("1", "ReLU", (1, 2, 3, 3), 0, 0, 72)])
    144
    """
    try:
        return 2 * sum(r.activation_bytes for r in rows if r.params > 0)
    except (AttributeError, TypeError):
        raise ValueError("`rows` must be a summary's rows (with .params and .activation_bytes), "
                         f"got {rows!r:.60}") from None
