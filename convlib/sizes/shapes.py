"""Output sizes of convolution, transposed convolution and pooling.

Notation (SYLLABUS.md): input size ``i``, kernel ``k``, stride ``s``,
padding ``p``, dilation ``d``, output padding ``op``, output size ``o``.
Every size argument is an int or a per-axis tuple ``(H, W, ...)``; a function
returns an int, or a tuple when any argument is a tuple. Parameter names and
validity rules follow PyTorch, and a size is never zero or negative: where
PyTorch would refuse, or would return an empty tensor, a ``ValueError`` names
the parameter and its value.
"""
from __future__ import annotations

from collections.abc import Callable

from .._validate import IntOrTuple, n_axes, nonneg_int, pack, per_axis, positive_int

__all__ = [
    "effective_kernel_size",
    "conv_output_size",
    "conv_transpose_output_size",
    "output_padding_for",
    "pool_output_size",
    "same_padding",
    "tf_padding",
    "tf_paddings_to_pad",
]


def _over_axes(fn: Callable, **args):
    """Apply the one-axis function `fn` on every axis of the arguments."""
    n = n_axes(**args)
    spread = {name: per_axis(name, v, n) for name, v in args.items()}
    results = [fn(**{name: v[a] for name, v in spread.items()})
               for a in range(n or 1)]
    return pack(results, n)


def _k_eff(kernel_size: int, dilation: int) -> int:
    k = positive_int("kernel_size", kernel_size)
    d = positive_int("dilation", dilation)
    return d * (k - 1) + 1


def effective_kernel_size(kernel_size: IntOrTuple, dilation: IntOrTuple = 1) -> IntOrTuple:
    """Span of a dilated kernel: ``k_eff = k + (k - 1)(d - 1) = d (k - 1) + 1``.

    >>> effective_kernel_size(3, dilation=2)
    5
    >>> effective_kernel_size((3, 2), dilation=(1, 3))
    (3, 4)
    """
    return _over_axes(_k_eff, kernel_size=kernel_size, dilation=dilation)


def _check_fits(i: int, padded: int, k_eff: int, pad_text: str) -> None:
    if k_eff > padded:
        raise ValueError(
            f"`kernel_size` too large: effective kernel {k_eff} is larger than "
            f"the padded input {padded} (input_size={i}{pad_text})")


def _same_pair(k: int, d: int) -> tuple[int, int]:
    total = _k_eff(k, d) - 1
    return total // 2, total - total // 2


def _conv_axis(input_size, kernel_size, stride, padding, dilation) -> int:
    i = positive_int("input_size", input_size)
    s = positive_int("stride", stride)
    k_eff = _k_eff(kernel_size, dilation)
    if padding == "valid":
        padding = 0
    if padding == "same":
        return i
    p = nonneg_int("padding", padding)
    _check_fits(i, i + 2 * p, k_eff, f", padding={p}")
    return (i + 2 * p - k_eff) // s + 1


def conv_output_size(input_size: IntOrTuple, kernel_size: IntOrTuple,
                     stride: IntOrTuple = 1, padding: IntOrTuple | str = 0,
                     dilation: IntOrTuple = 1) -> IntOrTuple:
    """Output size of ``nn.Conv2d`` (and Conv1d/Conv3d) along each axis.

    o = floor((i + 2p - d(k - 1) - 1) / s) + 1

    ``padding`` may be ``'valid'`` (p = 0) or ``'same'`` (o = i, stride 1 only;
    see `same_padding` for the split).

    >>> conv_output_size(5, 3, stride=2, padding=1)
    3
    >>> conv_output_size(7, 5, stride=3)
    1
    >>> conv_output_size((28, 20), (3, 5), padding="same")
    (28, 20)
    """
    if isinstance(padding, str):
        if padding not in ("same", "valid"):
            raise ValueError(f"`padding` must be an int, a tuple, 'same' or 'valid', got {padding!r}")
        if padding == "same":
            strides = stride if isinstance(stride, tuple) else (stride,)
            for s in strides:
                positive_int("stride", s)
            if any(s != 1 for s in strides):
                raise ValueError(f"`padding`='same' needs stride 1, got stride={stride!r}")
    return _over_axes(_conv_axis, input_size=input_size, kernel_size=kernel_size,
                      stride=stride, padding=padding, dilation=dilation)


def _conv_t_axis(input_size, kernel_size, stride, padding, output_padding, dilation) -> int:
    i = positive_int("input_size", input_size)
    s = positive_int("stride", stride)
    k_eff = _k_eff(kernel_size, dilation)
    p = nonneg_int("padding", padding)
    op = nonneg_int("output_padding", output_padding)
    if op >= s and op >= dilation:
        raise ValueError(
            f"`output_padding` must be smaller than stride or dilation, got "
            f"output_padding={op}, stride={s}, dilation={dilation}")
    o = (i - 1) * s - 2 * p + k_eff + op
    if o < 1:
        raise ValueError(
            f"`padding`={p} too large: output size would be {o} "
            f"((i-1)s - 2p + d(k-1) + op + 1 with i={i}, s={s}, k_eff={k_eff}, op={op})")
    return o


def conv_transpose_output_size(input_size: IntOrTuple, kernel_size: IntOrTuple,
                               stride: IntOrTuple = 1, padding: IntOrTuple = 0,
                               output_padding: IntOrTuple = 0,
                               dilation: IntOrTuple = 1) -> IntOrTuple:
    """Output size of ``nn.ConvTranspose2d`` along each axis.

    o = (i - 1) s - 2p + d (k - 1) + op + 1

    >>> conv_transpose_output_size(2, 3)
    4
    >>> conv_transpose_output_size(3, 3, stride=2, padding=1, output_padding=1)
    6
    """
    return _over_axes(_conv_t_axis, input_size=input_size, kernel_size=kernel_size,
                      stride=stride, padding=padding, output_padding=output_padding,
                      dilation=dilation)


def _op_axis(input_size, kernel_size, stride, padding, dilation) -> int:
    if isinstance(padding, str):
        raise ValueError(f"`padding` must be an int or a tuple of ints, got {padding!r}")
    _conv_axis(input_size, kernel_size, stride, padding, dilation)  # checks every argument
    return (input_size + 2 * padding - _k_eff(kernel_size, dilation)) % stride


def output_padding_for(input_size: IntOrTuple, kernel_size: IntOrTuple,
                       stride: IntOrTuple = 1, padding: IntOrTuple = 0,
                       dilation: IntOrTuple = 1) -> IntOrTuple:
    """The ``output_padding`` with which ``ConvTranspose2d`` undoes a convolution's size.

    A convolution (k, s, p, d) maps ``i`` to ``o``; ``ConvTranspose2d`` with the
    same k, s, p, d and this ``op`` maps ``o`` back to ``i``. The floor in ``o``
    drops the remainder, and ``op`` puts it back:

    op = (i + 2p - d(k - 1) - 1) mod s

    so ``0 <= op < s`` always (PyTorch needs ``op < max(s, d)``).

    >>> output_padding_for(6, 3, stride=2, padding=1)
    1
    >>> output_padding_for((28, 27), 3, stride=2)
    (1, 0)
    """
    return _over_axes(_op_axis, input_size=input_size, kernel_size=kernel_size,
                      stride=stride, padding=padding, dilation=dilation)


def _pool_axis(input_size, kernel_size, stride, padding, dilation, ceil_mode) -> int:
    i = positive_int("input_size", input_size)
    k = positive_int("kernel_size", kernel_size)
    s = k if stride is None else positive_int("stride", stride)
    k_eff = _k_eff(k, dilation)
    p = nonneg_int("padding", padding)
    if p > k // 2:
        raise ValueError(f"`padding` must be at most half the kernel size, got padding={p}, kernel_size={k}")
    extra = s - 1 if ceil_mode else 0
    o = (i + 2 * p - k_eff + extra) // s + 1
    if ceil_mode and (o - 1) * s >= i + p:
        o -= 1  # PyTorch: the last window must start inside the input or left padding
    if o < 1:
        _check_fits(i, i + 2 * p, k_eff, f", padding={p}, ceil_mode={ceil_mode}")
    return o


def pool_output_size(input_size: IntOrTuple, kernel_size: IntOrTuple,
                     stride: IntOrTuple | None = None, padding: IntOrTuple = 0,
                     dilation: IntOrTuple = 1, ceil_mode: bool = False) -> IntOrTuple:
    """Output size of ``nn.MaxPool2d`` (stride defaults to the kernel size).

    o = floor((i + 2p - d(k - 1) - 1) / s) + 1, or with ``ceil_mode`` the ceiling,
    minus one if that last window would start at or past ``i + p`` (in the right
    padding).

    >>> pool_output_size(5, 2)
    2
    >>> pool_output_size(5, 2, ceil_mode=True)
    3
    >>> pool_output_size(6, 2, stride=2, padding=1, ceil_mode=True)
    4
    """
    if not isinstance(ceil_mode, bool):
        raise ValueError(f"`ceil_mode` must be True or False, got {ceil_mode!r}")
    return _over_axes(_pool_axis, input_size=input_size, kernel_size=kernel_size,
                      stride=stride, padding=padding, dilation=dilation,
                      ceil_mode=ceil_mode)


def same_padding(kernel_size: IntOrTuple, dilation: IntOrTuple = 1):
    """Padding ``(before, after)`` that PyTorch's ``padding='same'`` applies.

    total = d (k - 1), before = floor(total / 2), after = total - before:
    for an even kernel the extra pixel goes to the right / bottom. With tuples,
    one ``(before, after)`` pair per axis.

    >>> same_padding(3)
    (1, 1)
    >>> same_padding(4)
    (1, 2)
    >>> same_padding((2, 3), dilation=(1, 2))
    ((0, 1), (2, 2))
    """
    return _over_axes(_same_pair, k=kernel_size, d=dilation)


def _tf_axis(input_size, kernel_size, stride, dilation, mode) -> tuple[int, int, int]:
    i = positive_int("input_size", input_size)
    s = positive_int("stride", stride)
    k_eff = _k_eff(kernel_size, dilation)
    if mode == "VALID":
        _check_fits(i, i, k_eff, ", mode='VALID'")
        return -(-(i - k_eff + 1) // s), 0, 0
    o = -(-i // s)
    total = max((o - 1) * s + k_eff - i, 0)
    return o, total // 2, total - total // 2


def tf_padding(input_size: IntOrTuple, kernel_size: IntOrTuple, stride: IntOrTuple = 1,
               dilation: IntOrTuple = 1, mode: str = "SAME"):
    """TensorFlow's ``'SAME'`` / ``'VALID'`` rule: ``(output_size, pad_before, pad_after)``.

    VALID: o = ceil((i - k_eff + 1) / s), no padding.
    SAME:  o = ceil(i / s), total = max((o - 1) s + k_eff - i, 0), split with
    the smaller half before (left / top). With tuples, one triple per axis.

    >>> tf_padding(7, 5, stride=3, mode="VALID")
    (1, 0, 0)
    >>> tf_padding(7, 5, stride=3, mode="SAME")
    (3, 2, 2)
    """
    mode_up = mode.upper() if isinstance(mode, str) else mode
    if mode_up not in ("SAME", "VALID"):
        raise ValueError(f"`mode` must be 'SAME' or 'VALID', got {mode!r}")
    return _over_axes(_tf_axis, input_size=input_size, kernel_size=kernel_size,
                      stride=stride, dilation=dilation, mode=mode_up)


def tf_paddings_to_pad(paddings, data_format: str = "NHWC") -> tuple[int, ...]:
    """``F.pad``'s tuple for TensorFlow's explicit ``paddings`` (``tf.pad``, ``tf.nn.conv2d``).

    TensorFlow lists one ``[before, after]`` pair per axis, in the tensor's own axis
    order: ``[[0, 0], [top, bottom], [left, right], [0, 0]]`` for NHWC. ``F.pad`` on the
    NCHW tensor takes the spatial axes **last axis first**: ``(left, right, top, bottom)``.
    ``data_format`` names TF's axes (``'NHWC'``, ``'NCHW'``, ``'NWC'``, ``'NDHWC'`` ...);
    the batch and channel pairs must be zero.

    >>> tf_paddings_to_pad([[0, 0], [1, 2], [3, 4], [0, 0]])
    (3, 4, 1, 2)
    >>> tf_paddings_to_pad([[0, 0], [0, 0], [1, 2], [3, 4]], data_format="NCHW")
    (3, 4, 1, 2)
    """
    fmt = data_format.upper() if isinstance(data_format, str) else data_format
    if (not isinstance(fmt, str) or len(fmt) < 3 or fmt[0] != "N" or "C" not in (fmt[1], fmt[-1])
            or sorted(fmt) != sorted(set(fmt))):
        raise ValueError(f"`data_format` must be like 'NHWC' or 'NCHW', got {data_format!r}")
    try:
        pairs = [tuple(pair) for pair in paddings]
    except TypeError:
        raise ValueError(f"`paddings` must be a list of [before, after] pairs, got {paddings!r}") from None
    if len(pairs) != len(fmt) or any(len(pair) != 2 for pair in pairs):
        raise ValueError(f"`paddings` must hold {len(fmt)} [before, after] pairs for "
                         f"data_format={fmt!r}, got {paddings!r}")
    pairs = [(nonneg_int("paddings", a), nonneg_int("paddings", b)) for a, b in pairs]
    channel = 1 if fmt[1] == "C" else len(fmt) - 1
    if pairs[0] != (0, 0) or pairs[channel] != (0, 0):
        raise ValueError(f"`paddings` must not pad the batch or channel axis, got {paddings!r}")
    spatial = [pair for n, pair in enumerate(pairs) if n not in (0, channel)]
    return tuple(v for pair in reversed(spatial) for v in pair)
