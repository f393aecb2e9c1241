"""A real photograph for the chapters, and what convolutions do to it.

`sample_image` loads the portrait of Grace Hopper that ships with matplotlib (its sample
data; nothing is downloaded) and shrinks it deterministically. The kernels are the
classic ones (Sobel, Laplacian, box and Gaussian blur) and an asymmetric "comet" that
makes the kernel flip visible: cross-correlation (what ``nn.Conv2d`` computes) smears
the photo one way, true convolution the other. `learn_kernel` recovers a Sobel filter by
gradient descent from (input, output) pairs.

numpy at the top; matplotlib (the image reader) and torch are imported inside functions.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import positive_int
from .ops import conv2d
from .stepping import flip_kernel

__all__ = ["sample_image", "SOBEL_X", "SOBEL_Y", "LAPLACIAN", "box_kernel", "gaussian_kernel",
           "comet_kernel", "filter_image", "LearnedKernel", "learn_kernel"]

#: Horizontal-gradient Sobel kernel (as ``nn.Conv2d`` weights: responds to x increasing).
SOBEL_X = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
#: Vertical-gradient Sobel kernel.
SOBEL_Y = SOBEL_X.T.copy()
#: 4-neighbour Laplacian (edges in every direction).
LAPLACIAN = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])

_LUMA = np.array([0.299, 0.587, 0.114])  # ITU-R BT.601


def sample_image(size: int | None = None, gray: bool = True) -> np.ndarray:
    """Grace Hopper's portrait from matplotlib's sample data, floats in [0, 1].

    ``size=None``: the full 600 x 512 picture. An int ``n``: the centred 512 x 512 square,
    cropped (centred) to a multiple of ``n`` and averaged over ``m x m`` blocks,
    ``m = 512 // n`` (deterministic, no interpolation), giving ``n x n``. ``gray``: luma
    ``0.299 R + 0.587 G + 0.114 B``, shape ``(H, W)``; else ``(H, W, 3)``.

    >>> img = sample_image(64)
    >>> img.shape, img.dtype, bool(0 <= img.min() and img.max() <= 1)
    ((64, 64), dtype('float64'), True)
    """
    from matplotlib import cbook
    from matplotlib.image import imread

    if not isinstance(gray, bool):
        raise ValueError(f"`gray` must be True or False, got {gray!r}")
    with cbook.get_sample_data("grace_hopper.jpg") as f:
        rgb = imread(f).astype(np.float64) / 255.0
    if size is not None:
        n = positive_int("size", size)
        side = min(rgb.shape[:2])
        if n > side:
            raise ValueError(f"`size` must be at most {side} (the photo's short side), got {n}")
        m = side // n
        top, left = (rgb.shape[0] - n * m) // 2, (rgb.shape[1] - n * m) // 2
        rgb = rgb[top:top + n * m, left:left + n * m].reshape(n, m, n, m, 3).mean(axis=(1, 3))
    return rgb @ _LUMA if gray else rgb


def box_kernel(size: int = 3) -> np.ndarray:
    """A ``size x size`` mean filter (weights ``1 / size^2``).

    >>> box_kernel(3).sum()
    np.float64(1.0)
    """
    n = positive_int("size", size)
    return np.full((n, n), 1.0 / n ** 2)


def gaussian_kernel(size: int = 5, sigma: float = 1.0) -> np.ndarray:
    """A normalised ``size x size`` Gaussian, ``exp(-(y^2 + x^2) / (2 sigma^2))``.

    >>> k = gaussian_kernel(5, 1.0)
    >>> k.shape, round(float(k.sum()), 12), bool((k == k.T).all())
    ((5, 5), 1.0, True)
    """
    n = positive_int("size", size)
    if not sigma > 0:
        raise ValueError(f"`sigma` must be positive, got {sigma!r}")
    t = np.arange(n) - (n - 1) / 2
    g = np.exp(-t ** 2 / (2 * sigma ** 2))
    k = np.outer(g, g)
    return k / k.sum()


def comet_kernel(size: int = 9) -> np.ndarray:
    """An asymmetric kernel: weights decaying along the diagonal from the top-left corner.

    With the kernel centred, cross-correlation makes every pixel take in mostly the pixel
    above and to its left, so a bright spot moves down-right and leaves a faint tail
    up-left (see `filter_image`'s doctest); convolution, which flips it, does the mirror.

    >>> comet_kernel(3).round(3)
    array([[0.571, 0.   , 0.   ],
           [0.   , 0.286, 0.   ],
           [0.   , 0.   , 0.143]])
    """
    n = positive_int("size", size)
    w = np.diag(2.0 ** -np.arange(n))
    return w / w.sum()


def filter_image(image: np.ndarray, kernel: np.ndarray, *, flip: bool = False) -> np.ndarray:
    """Filter a grey image with a ``k_h x k_w`` kernel, keeping its size.

    y[r, c] = sum_{a, b} x_edge[r + a, c + b] w[a, b]   (cross-correlation, as ``nn.Conv2d``)

    ``x_edge`` repeats the border pixels ``(k - 1) / 2`` times (odd kernels), so the
    border is not darkened. ``flip=True`` uses ``w`` rotated by 180 degrees: true
    convolution (``scipy.ndimage.convolve``).

    >>> x = np.zeros((5, 5)); x[2, 2] = 1
    >>> filter_image(x, comet_kernel(3))[1:4, 1:4].round(3)   # impulse: the kernel, flipped
    array([[0.143, 0.   , 0.   ],
           [0.   , 0.286, 0.   ],
           [0.   , 0.   , 0.571]])
    """
    x = np.asarray(image, dtype=np.float64)
    w = np.asarray(kernel, dtype=np.float64)
    if x.ndim != 2 or 0 in x.shape:
        raise ValueError(f"`image` must be a non-empty 2-D array, got shape {x.shape}")
    if w.ndim != 2 or w.shape[0] % 2 == 0 or w.shape[1] % 2 == 0:
        raise ValueError(f"`kernel` must be 2-D with odd sides, got shape {w.shape}")
    ph, pw = w.shape[0] // 2, w.shape[1] // 2
    padded = np.pad(x, ((ph, ph), (pw, pw)), mode="edge")
    w = flip_kernel(w) if flip else w
    return conv2d(padded[None, None], w[None, None])[0, 0]


class LearnedKernel(NamedTuple):
    """`learn_kernel`'s result: the kernel, the loss at every step, the final max error."""
    kernel: np.ndarray
    losses: np.ndarray
    error: float


def learn_kernel(image: np.ndarray, target_kernel: np.ndarray = SOBEL_X, steps: int = 300,
                 lr: float = 0.1, seed: int = 0, momentum: float = 0.9) -> LearnedKernel:
    """Recover ``target_kernel`` by gradient descent from the pair (image, its filtered
    version), as a ``Conv2d`` would learn it.

    loss(w) = mean over outputs of (conv2d(x, w) - conv2d(x, w*))^2

    ``x`` is the image standardised (zero mean, unit variance); ``w`` starts from
    ``N(0, 0.1^2)`` drawn with ``seed``; each step is SGD with ``momentum`` on the full
    image (float64, deterministic). ``error = max |w - w*|``.

    >>> r = learn_kernel(sample_image(32), steps=200)
    >>> r.error < 1e-3, bool(r.losses[0] > 1e3 * r.losses[-1])
    (True, True)
    """
    import torch
    import torch.nn.functional as F

    x = np.asarray(image, dtype=np.float64)
    w_star = np.asarray(target_kernel, dtype=np.float64)
    if x.ndim != 2 or min(x.shape) < 3 or not np.isfinite(x).all() or x.std() == 0:
        raise ValueError(f"`image` must be a finite, non-constant 2-D array of side >= 3, "
                         f"got shape {x.shape}")
    if w_star.ndim != 2 or w_star.shape[0] > x.shape[0] or w_star.shape[1] > x.shape[1]:
        raise ValueError(f"`target_kernel` must be 2-D and fit the image, got shape {w_star.shape}")
    n = positive_int("steps", steps)
    if not lr > 0:
        raise ValueError(f"`lr` must be positive, got {lr!r}")
    if not 0 <= momentum < 1:
        raise ValueError(f"`momentum` must be in [0, 1), got {momentum!r}")
    xt = torch.from_numpy((x - x.mean()) / x.std())[None, None]
    target = torch.from_numpy(w_star)[None, None]
    y = F.conv2d(xt, target)
    g = torch.Generator().manual_seed(int(seed))
    w = (0.1 * torch.randn(target.shape, generator=g, dtype=torch.float64)).requires_grad_()
    opt = torch.optim.SGD([w], lr=lr, momentum=momentum)
    losses = []
    for _ in range(n):
        opt.zero_grad()
        loss = ((F.conv2d(xt, w) - y) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    learned = w.detach()[0, 0].numpy().copy()
    return LearnedKernel(learned, np.array(losses), float(np.abs(learned - w_star).max()))
