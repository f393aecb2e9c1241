"""Parameter counts and multiply-accumulates (MACs) of common layers.

Notation (SYLLABUS.md): kernel ``k_h x k_w``, groups ``g``, channels ``C_in``,
``C_out``, output size ``H_out x W_out``, input size ``H_in x W_in``; for
recurrent layers input features ``in`` and hidden size ``h``.

Conventions used by every function here:

* **Parameters** are what ``sum(p.numel() for p in module.parameters())``
  counts: trainable tensors. Buffers (BatchNorm running statistics) are not
  parameters; `batchnorm_params` reports them separately.
* **MACs** are multiply-accumulates for one sample (batch size 1): one
  multiplication plus one addition each. **FLOPs = 2 x MACs** (the convention
  of ``torch.utils.flop_counter.FlopCounterMode``). The bias adds no MACs, and
  2 x MACs already includes its additions: an output value with a bias is ``K``
  products, ``K - 1`` additions for their sum and 1 for the bias, ``2K`` operations
  in all (without a bias, 2 x MACs is one addition per output value too many).

Kernel and spatial sizes are an int (a square, two axes) or a per-axis tuple
``(H, W)``; a tuple of another length (``(L,)``, ``(D, H, W)``) counts the 1d /
3d layer with the same formula. Invalid input raises ``ValueError`` naming the
parameter, including ``groups`` that does not divide both channel counts
(PyTorch refuses those layers too).
"""
from __future__ import annotations

from math import prod
from typing import NamedTuple

from .._validate import IntOrTuple, n_axes, per_axis, positive_int

__all__ = [
    "BatchNormParams",
    "conv2d_params",
    "conv2d_macs",
    "conv_transpose2d_params",
    "conv_transpose2d_macs",
    "linear_params",
    "linear_macs",
    "embedding_params",
    "batchnorm_params",
    "rnn_params",
    "lstm_params",
    "gru_params",
    "rnn_macs",
    "lstm_macs",
    "gru_macs",
]

STYLES = ("torch", "keras")


# ------------------------------------------------------------------ checks

def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"`{name}` must be True or False, got {value!r}")
    return value


def _sizes(**args: IntOrTuple) -> list[int]:
    """Product over axes of each size argument (an int spreads over 2 axes)."""
    n = n_axes(**args) or 2
    return [prod(positive_int(name, v) for v in per_axis(name, value, n))
            for name, value in args.items()]


def _channels(in_channels: int, out_channels: int, groups: int) -> tuple[int, int, int]:
    c_in = positive_int("in_channels", in_channels)
    c_out = positive_int("out_channels", out_channels)
    g = positive_int("groups", groups)
    if c_in % g or c_out % g:
        raise ValueError(
            f"`groups` must divide in_channels and out_channels, got groups={g}, "
            f"in_channels={c_in}, out_channels={c_out}")
    return c_in, c_out, g


def _style(style: object) -> str:
    if style not in STYLES:
        raise ValueError(f"`style` must be 'torch' or 'keras', got {style!r}")
    return style


# ------------------------------------------------------------ convolutions

def conv2d_params(in_channels: int, out_channels: int, kernel_size: IntOrTuple,
                  groups: int = 1, bias: bool = True) -> int:
    """Parameters of ``nn.Conv2d`` (weight ``(C_out, C_in / g, k_h, k_w)`` plus bias).

    params = k_h k_w (C_in / g) C_out + C_out   (the ``+ C_out`` only with bias)

    >>> conv2d_params(3, 10, 3)
    280
    >>> conv2d_params(32, 32, 3, groups=32)   # depthwise: + C_in biases, not + 1
    320
    """
    c_in, c_out, g = _channels(in_channels, out_channels, groups)
    (k,) = _sizes(kernel_size=kernel_size)
    return k * (c_in // g) * c_out + (c_out if _flag("bias", bias) else 0)


def conv2d_macs(in_channels: int, out_channels: int, kernel_size: IntOrTuple,
                output_size: IntOrTuple, groups: int = 1) -> int:
    """Multiply-accumulates of one ``nn.Conv2d`` forward pass on one sample.

    MACs = k_h k_w (C_in / g) C_out H_out W_out

    Each of the ``C_out H_out W_out`` output values is a dot product of length
    ``k_h k_w C_in / g``. The bias adds no MACs; FLOPs = 2 x MACs equals the
    multiplications plus additions with the ``C_out H_out W_out`` bias additions
    (module docstring). Uses the *output* size, not the input size.

    >>> conv2d_macs(3, 10, 3, output_size=50)   # 100x100x3 -> 50x50x10
    675000
    >>> conv2d_macs(16, 32, (3, 1), output_size=(8, 6), groups=4)
    18432
    """
    c_in, c_out, g = _channels(in_channels, out_channels, groups)
    k, o = _sizes(kernel_size=kernel_size, output_size=output_size)
    return k * (c_in // g) * c_out * o


def conv_transpose2d_params(in_channels: int, out_channels: int, kernel_size: IntOrTuple,
                            groups: int = 1, bias: bool = True) -> int:
    """Parameters of ``nn.ConvTranspose2d`` (weight ``(C_in, C_out / g, k_h, k_w)``).

    params = k_h k_w C_in (C_out / g) + C_out   (the same number as `conv2d_params`)

    >>> conv_transpose2d_params(16, 8, 4, groups=2)
    1032
    """
    c_in, c_out, g = _channels(in_channels, out_channels, groups)
    (k,) = _sizes(kernel_size=kernel_size)
    return k * c_in * (c_out // g) + (c_out if _flag("bias", bias) else 0)


def conv_transpose2d_macs(in_channels: int, out_channels: int, kernel_size: IntOrTuple,
                          input_size: IntOrTuple, groups: int = 1) -> int:
    """Multiply-accumulates of one ``nn.ConvTranspose2d`` forward pass on one sample.

    MACs = k_h k_w C_in (C_out / g) H_in W_in

    The scatter view: every input value is multiplied by a ``k_h x k_w x C_out / g``
    block of the kernel and added into the output. Counted on the *input* size,
    so stride, padding, dilation and output padding do not change it (products
    that land in the cropped padding are counted). This is what
    ``FlopCounterMode`` counts (FLOPs = 2 x MACs); the bias adds no MACs.

    >>> conv_transpose2d_macs(16, 8, 4, input_size=7, groups=2)
    50176
    >>> conv_transpose2d_macs(16, 8, (4, 2), input_size=(7, 5))
    35840
    """
    c_in, c_out, g = _channels(in_channels, out_channels, groups)
    k, i = _sizes(kernel_size=kernel_size, input_size=input_size)
    return k * c_in * (c_out // g) * i


# ------------------------------------------------ linear, embedding, norm

def linear_params(in_features: int, out_features: int, bias: bool = True) -> int:
    """Parameters of ``nn.Linear`` (Keras ``Dense``).

    params = in * out + out   (the ``+ out`` only with bias)

    >>> linear_params(50 * 5 * 5, 1024)
    1281024
    """
    n_in = positive_int("in_features", in_features)
    n_out = positive_int("out_features", out_features)
    return n_in * n_out + (n_out if _flag("bias", bias) else 0)


def linear_macs(in_features: int, out_features: int, positions: int = 1) -> int:
    """Multiply-accumulates of ``nn.Linear`` applied to `positions` input vectors.

    MACs = in * out * positions

    `positions` is the number of vectors the layer sees: 1 for a flat
    ``(1, in)`` input, ``L`` for a ``(1, L, in)`` sequence (the product of all
    leading dimensions). The bias adds no MACs; FLOPs = 2 x MACs (which, with
    the bias, equals the multiplications plus additions).

    >>> linear_macs(128, 10)
    1280
    >>> linear_macs(64, 64, positions=20)
    81920
    """
    n_in = positive_int("in_features", in_features)
    n_out = positive_int("out_features", out_features)
    return n_in * n_out * positive_int("positions", positions)


def embedding_params(num_embeddings: int, embedding_dim: int) -> int:
    """Parameters of ``nn.Embedding`` (Keras ``Embedding``, not a ``Dense`` layer).

    params = num * dim   (a lookup table; no bias, and no MACs)

    >>> embedding_params(10000, 128)
    1280000
    """
    return positive_int("num_embeddings", num_embeddings) * positive_int(
        "embedding_dim", embedding_dim)


class BatchNormParams(NamedTuple):
    """Trainable parameters and running-statistics buffers of a BatchNorm layer."""

    trainable: int
    buffers: int


def batchnorm_params(num_features: int, affine: bool = True,
                     track_running_stats: bool = True) -> BatchNormParams:
    """Trainable parameters and buffers of ``nn.BatchNorm1d/2d/3d``.

    trainable = 2C (scale gamma and shift beta, only with ``affine``)
    buffers   = 2C (running mean and running variance, only with
    ``track_running_stats``): buffers are saved in the state dict but are not
    parameters, so ``module.parameters()`` only sees the ``2C`` trainable ones.
    PyTorch also keeps a one-element ``num_batches_tracked`` counter buffer,
    which is not counted here: ``sum(b.numel() for b in bn.buffers())`` is
    ``buffers + 1`` when running statistics are tracked.

    >>> batchnorm_params(25)
    BatchNormParams(trainable=50, buffers=50)
    >>> sum(batchnorm_params(25, affine=False))
    50
    """
    c = positive_int("num_features", num_features)
    return BatchNormParams(trainable=2 * c if _flag("affine", affine) else 0,
                           buffers=2 * c if _flag("track_running_stats",
                                                  track_running_stats) else 0)


# ------------------------------------------------------------- recurrent

def _recurrent(gates: int, biases: int, input_size: int, hidden_size: int,
               num_layers: int, bidirectional: bool) -> int:
    """Stacked (bi)directional layers: gates (in + h) h + biases * gates * h each.

    Layer 1 reads ``input_size`` features; later layers read the previous
    layer's output, ``h`` (or ``2h`` when bidirectional: both directions
    concatenated, as with Keras's default ``merge_mode='concat'``).
    """
    n_in = positive_int("input_size", input_size)
    h = positive_int("hidden_size", hidden_size)
    layers = positive_int("num_layers", num_layers)
    directions = 2 if _flag("bidirectional", bidirectional) else 1
    total = 0
    for layer in range(layers):
        x = n_in if layer == 0 else directions * h
        total += directions * (gates * (x + h) * h + biases * gates * h)
    return total


def _n_biases(style: str, bias: bool, torch_biases: int, keras_biases: int) -> int:
    style = _style(style)
    if not _flag("bias", bias):
        return 0
    return torch_biases if style == "torch" else keras_biases


def rnn_params(input_size: int, hidden_size: int, num_layers: int = 1,
               bidirectional: bool = False, style: str = "torch", bias: bool = True) -> int:
    """Parameters of a plain (Elman) RNN: ``nn.RNN`` or Keras ``SimpleRNN``.

    PyTorch: (in + h) h + 2h   (two bias vectors, ``bias_ih`` and ``bias_hh``)
    Keras:   (in + h) h + h    (one bias vector)

    per layer and direction; stacked layers read ``h`` (``2h`` if bidirectional).
    ``bias=False`` drops the bias terms (Keras ``use_bias=False``).

    >>> rnn_params(10, 20), rnn_params(10, 20, style="keras")
    (640, 620)
    """
    biases = _n_biases(style, bias, torch_biases=2, keras_biases=1)
    return _recurrent(1, biases, input_size, hidden_size, num_layers, bidirectional)


def lstm_params(input_size: int, hidden_size: int, num_layers: int = 1,
                bidirectional: bool = False, style: str = "torch", bias: bool = True) -> int:
    """Parameters of an LSTM: ``nn.LSTM`` or Keras ``LSTM`` (4 gates).

    PyTorch: 4 (in + h) h + 8h   (two bias vectors per gate)
    Keras:   4 (in + h) h + 4h   (one bias vector per gate)

    per layer and direction; stacked layers read ``h`` (``2h`` if bidirectional).
    ``bias=False`` drops the bias terms. (PyTorch's ``proj_size`` is not covered.)

    >>> lstm_params(128, 64), lstm_params(128, 64, style="keras")
    (49664, 49408)
    >>> lstm_params(8, 16, num_layers=2, bidirectional=True)
    9728
    """
    biases = _n_biases(style, bias, torch_biases=2, keras_biases=1)
    return _recurrent(4, biases, input_size, hidden_size, num_layers, bidirectional)


def gru_params(input_size: int, hidden_size: int, num_layers: int = 1,
               bidirectional: bool = False, style: str = "torch", bias: bool = True,
               reset_after: bool = True) -> int:
    """Parameters of a GRU: ``nn.GRU`` or Keras ``GRU`` (3 gates).

    PyTorch:                     3 (in + h) h + 6h   (two bias vectors per gate)
    Keras, ``reset_after=True``: 3 (in + h) h + 6h   (the TF2 default; also two)
    Keras, ``reset_after=False``: 3 (in + h) h + 3h  (one bias vector; TF1 style)

    per layer and direction; stacked layers read ``h`` (``2h`` if bidirectional).
    PyTorch's GRU always applies the reset gate after the recurrent matmul, so
    ``reset_after=False`` is only valid with ``style='keras'``.

    >>> gru_params(10, 20), gru_params(10, 20, style="keras", reset_after=False)
    (1920, 1860)
    """
    if not _flag("reset_after", reset_after) and _style(style) == "torch":
        raise ValueError("`reset_after`=False needs style='keras': PyTorch's GRU "
                         "always resets after the recurrent matmul")
    biases = _n_biases(style, bias, torch_biases=2, keras_biases=2 if reset_after else 1)
    return _recurrent(3, biases, input_size, hidden_size, num_layers, bidirectional)


def _recurrent_macs(gates: int, input_size: int, hidden_size: int, num_layers: int,
                    bidirectional: bool, steps: int, proj_size: int = 0) -> int:
    """steps * sum over layers and directions of gates h (in_l + r) + r h [projection]."""
    n_in = positive_int("input_size", input_size)
    h = positive_int("hidden_size", hidden_size)
    layers = positive_int("num_layers", num_layers)
    n_steps = positive_int("steps", steps)
    if not isinstance(proj_size, int) or isinstance(proj_size, bool) or not 0 <= proj_size < h:
        raise ValueError(f"`proj_size` must be an int in [0, hidden_size), got {proj_size!r}")
    directions = 2 if _flag("bidirectional", bidirectional) else 1
    r = proj_size or h                       # what the recurrence (and the next layer) reads
    per_step = 0
    for layer in range(layers):
        x = n_in if layer == 0 else directions * r
        per_step += directions * (gates * h * (x + r) + (r * h if proj_size else 0))
    return n_steps * per_step


def rnn_macs(input_size: int, hidden_size: int, num_layers: int = 1,
             bidirectional: bool = False, steps: int = 1) -> int:
    """MACs of a plain RNN (``nn.RNN``, ``nn.RNNCell``) over ``steps`` time steps.

    MACs = steps * sum over layers and directions of h (in_l + h)

    (the input matmul ``W_ih x`` and the recurrent one ``W_hh h``). Layer 1 reads
    ``in_1 = input_size``, later layers ``h`` (``2h`` if bidirectional). ``steps`` counts
    every position: sequence length times batch size. Biases and the nonlinearity are
    not MACs.

    >>> rnn_macs(10, 20, steps=5)
    3000
    """
    return _recurrent_macs(1, input_size, hidden_size, num_layers, bidirectional, steps)


def lstm_macs(input_size: int, hidden_size: int, num_layers: int = 1,
              bidirectional: bool = False, steps: int = 1, proj_size: int = 0) -> int:
    """MACs of an LSTM (``nn.LSTM``, ``nn.LSTMCell``) over ``steps`` time steps.

    MACs = steps * sum over layers and directions of 4h (in_l + h)

    (4 gates, each an input and a recurrent matmul). Layer 1 reads ``in_1 =
    input_size``, later layers ``h`` (``2h`` if bidirectional); ``steps`` is sequence
    length times batch size. With PyTorch's ``proj_size = r``, the recurrence and the next
    layer read ``r`` features, and each step adds the projection: 4h (in_l + r) + r h.

    >>> lstm_macs(10, 20, steps=5), lstm_macs(10, 20, num_layers=2, bidirectional=True)
    (12000, 14400)
    """
    return _recurrent_macs(4, input_size, hidden_size, num_layers, bidirectional, steps,
                           proj_size)


def gru_macs(input_size: int, hidden_size: int, num_layers: int = 1,
             bidirectional: bool = False, steps: int = 1) -> int:
    """MACs of a GRU (``nn.GRU``, ``nn.GRUCell``) over ``steps`` time steps.

    MACs = steps * sum over layers and directions of 3h (in_l + h)

    (3 gates; PyTorch applies the reset gate after the recurrent matmul, which does not
    change the count). Layer 1 reads ``in_1 = input_size``, later layers ``h`` (``2h``
    if bidirectional); ``steps`` is sequence length times batch size.

    >>> gru_macs(10, 20, steps=5)
    9000
    """
    return _recurrent_macs(3, input_size, hidden_size, num_layers, bidirectional, steps)
