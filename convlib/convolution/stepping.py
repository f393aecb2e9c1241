"""One output value at a time: the window, the products, their sum, bias, activation.

`conv_step` is step ``j`` of a convolution (one filter, any number of input
channels): the window the kernel covers, the element-wise products, the sum
per channel and in total, the bias, the activation, and the output map with the
cells computed so far. The windows come from `convlib.convolution.ops.im2col`, so a step is
exactly one column of the im2col matrix. Output cells are filled left to right,
top to bottom: step ``j`` is output cell ``(j // o_W, j % o_W)``, whose window
starts at padded position ``(s * row, s * col)``.

Also here: `flip_kernel` and `convolve2d` (true convolution, with the kernel
rotated by 180 degrees, which deep-learning "convolution" does not do), and
`shift2d` (move an image by whole pixels, for the weight-sharing check),
`shift_changes` (where a shifted input fails to give the shifted output) and `pad2d`
(what each ``padding_mode`` of ``nn.Conv2d`` puts around the input).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import nonneg_int, positive_int
from .ops import conv2d, im2col
from ..sizes.shapes import conv_output_size

__all__ = ["ACTIVATIONS", "PAD_MODES", "ConvStep", "conv_step", "flip_kernel", "convolve2d",
           "shift2d", "shift_changes", "pad2d"]

#: ``padding_mode`` (as in ``nn.Conv2d``) -> ``numpy.pad`` mode.
PAD_MODES = {"zeros": "constant", "replicate": "edge", "reflect": "reflect", "circular": "wrap"}

#: Activation name -> function applied to the pre-activation (sum + bias).
ACTIVATIONS = {"relu": lambda v: np.maximum(v, 0.0), "none": lambda v: v}


def _num(v: float) -> str:
    """A number as written in an equation: ``3``, ``-1.5``, negatives in brackets."""
    text = f"{float(v) + 0.0:g}"  # + 0.0: no "-0"
    return f"({text})" if text.startswith("-") else text


@dataclass(frozen=True, eq=False)
class ConvStep:
    """Everything step ``step`` of a one-filter convolution computes.

    Arrays are channel-first: ``padded`` is the zero-padded input ``(C, H + 2p, W + 2p)``,
    ``kernel``, ``window`` and ``products`` are ``(C, k_H, k_W)``, ``output`` and
    ``pre_output`` are the whole ``(o_H, o_W)`` map after and before the activation.
    """

    padded: np.ndarray
    input_shape: tuple[int, int]
    kernel: np.ndarray
    bias: float
    stride: int
    padding: int
    activation: str
    step: int
    cell: tuple[int, int]
    origin: tuple[int, int]
    window: np.ndarray
    products: np.ndarray
    partial_sums: np.ndarray
    total: float
    pre_activation: float
    value: float
    pre_output: np.ndarray
    output: np.ndarray

    @property
    def n_steps(self) -> int:
        """Number of output cells (one step each)."""
        return self.output.size

    @property
    def filled(self) -> np.ndarray:
        """Boolean ``(o_H, o_W)``: the cells computed up to and including this step."""
        return (np.arange(self.output.size) <= self.step).reshape(self.output.shape)

    @property
    def output_so_far(self) -> np.ndarray:
        """The output map with the cells not yet computed set to NaN."""
        return np.where(self.filled, self.output, np.nan)

    @property
    def in_input(self) -> np.ndarray:
        """Boolean ``(H + 2p, W + 2p)``: True on input pixels, False on the padding."""
        mask = np.zeros(self.padded.shape[1:], bool)
        p, (h, w) = self.padding, self.input_shape
        mask[p:p + h, p:p + w] = True
        return mask

    @property
    def in_window(self) -> np.ndarray:
        """Boolean ``(H + 2p, W + 2p)``: True on the cells the kernel covers at this step."""
        mask = np.zeros(self.padded.shape[1:], bool)
        (r, c), (kh, kw) = self.origin, self.kernel.shape[1:]
        mask[r:r + kh, c:c + kw] = True
        return mask

    def equation(self) -> str:
        """The arithmetic of this step, one line per stage.

        One channel: the products term by term; several channels: the partial
        sum of each channel. Then the bias, then the activation (if any).
        """
        many = self.products.shape[0] > 1
        terms = self.partial_sums if many else self.products.ravel()
        lines = [("sum of channel sums: " if many else "sum of products: ")
                 + " + ".join(_num(t) for t in terms) + f" = {self.total:g}",
                 f"{self.total:g} + bias {_num(self.bias)} = {self.pre_activation:g}"]
        if self.activation == "relu":
            lines.append(f"ReLU({self.pre_activation:g}) = max({self.pre_activation:g}, 0) "
                         f"= {self.value:g}")
        return "\n".join(lines)


def _channels_first(name: str, value: object) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim != 3 or 0 in arr.shape:
        raise ValueError(f"`{name}` must be 2-D (H, W) or 3-D (C, H, W), got shape {arr.shape}")
    return arr


def conv_step(x: np.ndarray, weight: np.ndarray, bias: float = 0.0, *, stride: int = 1,
              padding: int = 0, step: int = 0, activation: str = "relu") -> ConvStep:
    """Step ``step`` of the convolution of ``x`` with one filter ``weight``.

    ``x`` is ``(H, W)`` or ``(C, H, W)``, ``weight`` ``(k_H, k_W)`` or ``(C, k_H, k_W)``.
    Output cell ``(r, c)``, with ``r, c = divmod(step, o_W)``, is

    y[r, c] = act(b + sum over ch, i, j of x_padded[ch, s r + i, s c + j] * w[ch, i, j])

    and o = floor((i + 2p - k) / s) + 1 per axis. ``activation`` is ``'relu'`` or
    ``'none'``.

    >>> st = conv_step(np.arange(16.0).reshape(4, 4), np.ones((3, 3)), bias=-50, step=1)
    >>> st.cell, st.origin, st.total, st.value
    ((0, 1), (0, 1), 54.0, 4.0)
    >>> st.output_so_far
    array([[ 0.,  4.],
           [nan, nan]])
    """
    x3, w3 = _channels_first("x", x), _channels_first("weight", weight)
    if x3.shape[0] != w3.shape[0]:
        raise ValueError(f"`weight` has {w3.shape[0]} channels but `x` has {x3.shape[0]}: "
                         f"one filter has one k×k slice per input channel")
    if activation not in ACTIVATIONS:
        raise ValueError(f"`activation` must be one of {tuple(ACTIVATIONS)}, got {activation!r}")
    bias = float(bias)
    s, p = positive_int("stride", stride), nonneg_int("padding", padding)
    kernel = w3.shape[1:]
    o_h, o_w = conv_output_size(x3.shape[1:], kernel, s, p)
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or not 0 <= step < o_h * o_w:
        raise ValueError(f"`step` must be an int in 0..{o_h * o_w - 1} (the output has "
                         f"{o_h}×{o_w} cells), got {step!r}")
    step = int(step)
    cols = im2col(x3, kernel, s, p)                    # (C k_H k_W, o_H o_W)
    pre_output = (w3.reshape(1, -1) @ cols)[0] + bias
    act = ACTIVATIONS[activation]
    window = cols[:, step].reshape(w3.shape)
    products = window * w3 + 0.0                       # + 0.0 turns -0 into 0
    partial = products.sum(axis=(1, 2)) + 0.0
    total = float(products.sum()) + 0.0
    row, col = divmod(step, o_w)
    return ConvStep(
        padded=np.pad(x3, ((0, 0), (p, p), (p, p))), input_shape=x3.shape[1:], kernel=w3,
        bias=bias, stride=s, padding=p, activation=activation, step=step, cell=(row, col),
        origin=(row * s, col * s), window=window, products=products, partial_sums=partial,
        total=total, pre_activation=total + bias, value=float(act(total + bias)) + 0.0,
        pre_output=pre_output.reshape(o_h, o_w), output=act(pre_output).reshape(o_h, o_w) + 0.0)


def flip_kernel(weight: np.ndarray) -> np.ndarray:
    """The kernel rotated by 180 degrees (flipped along its last two axes).

    >>> flip_kernel(np.array([[1, 2], [3, 4]]))
    array([[4, 3],
           [2, 1]])
    """
    return np.asarray(weight)[..., ::-1, ::-1].copy()


def convolve2d(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
               stride: int = 1, padding: int = 0) -> np.ndarray:
    """True 2-D convolution: `convlib.conv2d` (a cross-correlation) with the kernel flipped.

    y[r, c] = b + sum over i, j of x_padded[s r + i, s c + j] * w[k_H - 1 - i, k_W - 1 - j]

    Arguments and shapes as `convlib.conv2d`. For one channel and p = 0 this is
    ``scipy.signal.convolve2d(x, w, mode='valid')``; with p = k - 1, ``mode='full'``.

    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> convolve2d(x, np.array([[[[1.0, 0.0], [0.0, 0.0]]]]))[0, 0]
    array([[4., 5.],
           [7., 8.]])
    """
    return conv2d(x, flip_kernel(weight), bias, stride=stride, padding=padding)


def shift2d(x: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """``x`` moved down by ``rows`` and right by ``cols`` pixels (negative: up / left).

    Pixels moved past the edge are dropped; the cells left behind are zero.

    >>> shift2d(np.array([[1, 2], [3, 4]]), 1, 0)
    array([[0, 0],
           [1, 2]])
    """
    x = np.asarray(x)
    out = np.zeros_like(x)
    (src_r, dst_r), (src_c, dst_c) = _moved(x.shape[-2], rows), _moved(x.shape[-1], cols)
    out[..., dst_r, dst_c] = x[..., src_r, src_c]
    return out


def _moved(n: int, by: int) -> tuple[slice, slice]:
    """Source and destination slices of an axis of length ``n`` moved by ``by``."""
    by = int(by)
    kept = max(n - abs(by), 0)
    return slice(max(-by, 0), max(-by, 0) + kept), slice(max(by, 0), max(by, 0) + kept)


def shift_changes(content: np.ndarray, kernel: np.ndarray, rows: int, cols: int, *,
                  padding: int = 0, background: float = 0.0,
                  padding_mode: str = "zeros") -> np.ndarray:
    """Cells where convolving the moved input differs from moving the output (stride 1).

    changed[r, c] = (conv(T x) != T conv(x))[r, c], for the cells (r, c) the shift keeps

    ``x`` is ``content`` with its zero pixels set to ``background``; ``T x`` is the content
    moved by (``rows``, ``cols``) (`shift2d`) on the same background, so only the content
    moves. The padding (``padding`` pixels per side, ``padding_mode`` as in ``nn.Conv2d``)
    is what separates the two whenever the frame is not the content's whole world.

    >>> L = np.zeros((7, 7)); L[1:4, 1] = 1; L[3, 1:4] = 1
    >>> int(shift_changes(L, np.ones((3, 3)), 0, 1, padding=1).sum())
    0
    >>> int(shift_changes(L, np.ones((3, 3)), 0, 1, padding=1, background=0.5).sum()) > 0
    True
    """
    a, k = np.asarray(content, dtype=float), np.asarray(kernel, dtype=float)
    if a.ndim != 2 or k.ndim != 2:
        raise ValueError(f"`content` and `kernel` must be 2-D, got shapes {a.shape} and {k.shape}")
    if padding_mode not in PAD_MODES:
        raise ValueError(f"`padding_mode` must be one of {sorted(PAD_MODES)}, got {padding_mode!r}")
    p = nonneg_int("padding", padding)

    def conv(img: np.ndarray) -> np.ndarray:
        padded = np.pad(np.where(img != 0, img, background), p, mode=PAD_MODES[padding_mode])
        return conv2d(padded[None, None], k[None, None])[0, 0]

    y, y_moved = conv(a), conv(shift2d(a, rows, cols))
    kept = shift2d(np.ones_like(y), rows, cols) > 0
    return (shift2d(y, rows, cols) != y_moved) & kept


def pad2d(x: np.ndarray, padding: int, padding_mode: str = "zeros") -> np.ndarray:
    """``x`` padded by ``padding`` pixels on every side of its last two axes, as
    ``nn.Conv2d(padding=p, padding_mode=...)`` pads it before the windows are cut.

    ``padding`` sets how many pixels, ``padding_mode`` what they hold: ``'zeros'`` (0),
    ``'replicate'`` (the border pixel repeated), ``'reflect'`` (mirrored about the border
    pixel, which is not repeated; needs p < i per axis), ``'circular'`` (the opposite
    border wraps round; needs p <= i). The padded size is i + 2p per axis.

    >>> ramp = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    >>> pad2d(ramp, 1, "reflect")[1], pad2d(ramp, 1, "replicate")[1], pad2d(ramp, 1)[1]
    (array([2., 1., 2., 3., 2.]), array([1., 1., 2., 3., 3.]), array([0., 1., 2., 3., 0.]))
    """
    a = np.asarray(x, dtype=float)
    if a.ndim < 2 or 0 in a.shape:
        raise ValueError(f"`x` must have at least 2 non-empty axes (..., H, W), got shape {a.shape}")
    if padding_mode not in PAD_MODES:
        raise ValueError(f"`padding_mode` must be one of {sorted(PAD_MODES)}, got {padding_mode!r}")
    p = nonneg_int("padding", padding)
    if padding_mode == "reflect" and p >= min(a.shape[-2:]):
        raise ValueError(f"`padding` must be smaller than the input's H and W for 'reflect', "
                         f"got {p} for shape {a.shape[-2:]}")
    if padding_mode == "circular" and p > min(a.shape[-2:]):
        raise ValueError(f"`padding` must be at most the input's H and W for 'circular' (it wraps "
                         f"round once), got {p} for shape {a.shape[-2:]}")
    width = [(0, 0)] * (a.ndim - 2) + [(p, p), (p, p)]
    return np.pad(a, width, mode=PAD_MODES[padding_mode])
