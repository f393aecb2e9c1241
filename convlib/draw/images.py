"""Figures on the photograph: filters, the kernel flip, a learned kernel, upsamplers.

The pictures and numbers come from `convlib.images` and `convlib.checkerboard`; these
functions only paint them.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .core import PALETTE, TEXT_PT, new_figure, value_grid

__all__ = ["show_photo", "draw_photos", "draw_flip", "draw_learned_kernel"]


Zoom = tuple[float, float, float, float]


def _zoomed(img: np.ndarray, zoom: Zoom | None) -> np.ndarray:
    if zoom is None:
        return img
    top, left, height, width = zoom
    h, w = img.shape
    r0, c0 = int(round(top * h)), int(round(left * w))
    return img[r0:r0 + max(int(round(height * h)), 1), c0:c0 + max(int(round(width * w)), 1)]


def show_photo(image: np.ndarray, ax: Axes, title: str = "", *, signed: bool = False,
               zoom: Zoom | None = None) -> Axes:
    """One grey image, pixels visible (no smoothing). ``signed``: a diverging map centred
    on 0 (filter responses); else grey over the image's own range. ``zoom = (top, left,
    height, width)`` as fractions of the image, so images of different sizes show the
    same region."""
    img = _zoomed(np.asarray(image, dtype=float), zoom)
    if signed:
        lim = max(float(np.abs(img).max()), 1e-12)
        ax.imshow(img, cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
    else:
        lo, hi = float(img.min()), float(img.max())
        ax.imshow(img, cmap="gray", vmin=lo, vmax=hi if hi > lo else lo + 1,
                  interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=TEXT_PT)
    return ax


def draw_photos(images: Mapping[str, np.ndarray], ncols: int = 4, *, size: float = 2.3,
                signed: Mapping[str, bool] | None = None, zoom: Zoom | None = None) -> Figure:
    """A grid of titled grey images (``title -> image``), e.g. a photo and its filtered
    versions; ``signed[title]`` picks the diverging map for filter responses."""
    n = len(images)
    cols = min(ncols, n)
    rows = -(-n // cols)
    fig, axes = new_figure(size * cols, size * rows + 0.3, ncols=cols, nrows=rows)
    for ax, (title, img) in zip(axes.ravel(), images.items()):
        show_photo(img, ax, title, signed=bool((signed or {}).get(title, False)), zoom=zoom)
    for ax in axes.ravel()[n:]:
        ax.set_axis_off()
    return fig


def draw_flip(photo: np.ndarray, kernel: np.ndarray, correlated: np.ndarray,
              convolved: np.ndarray) -> Figure:
    """The kernel, the photo, its cross-correlation (``nn.Conv2d``) and its convolution
    (kernel flipped) with that kernel, side by side."""
    fig, axes = new_figure(10, 2.9, ncols=4)
    ax_k = axes[0, 0]
    ax_k.imshow(kernel, cmap="Greys", interpolation="nearest")
    ax_k.set_xticks([])
    ax_k.set_yticks([])
    ax_k.set_title(f"kernel {kernel.shape[0]}×{kernel.shape[1]}", fontsize=TEXT_PT)
    show_photo(photo, axes[0, 1], "photo")
    show_photo(correlated, axes[0, 2], "cross-correlation (nn.Conv2d)")
    show_photo(convolved, axes[0, 3], "convolution (kernel flipped)")
    return fig


def draw_learned_kernel(losses: np.ndarray, learned: np.ndarray, target: np.ndarray,
                        target_name: str = "target") -> Figure:
    """The loss per step (log scale), the learned kernel and the target, numbers printed."""
    fig, axes = new_figure(9.5, 3.0, ncols=3, width_ratios=[2, 1, 1])
    ax = axes[0, 0]
    ax.semilogy(np.arange(1, len(losses) + 1), losses, color=PALETTE["accent"])
    ax.set_xlabel("step", fontsize=TEXT_PT)
    ax.set_ylabel("mean squared error", fontsize=TEXT_PT)
    ax.grid(alpha=0.3)
    value_grid(np.round(learned, 3), axes[0, 1], title="learned", fmt="{:.3f}")
    value_grid(target, axes[0, 2], title=target_name, fmt="{:g}", color="output")
    return fig
