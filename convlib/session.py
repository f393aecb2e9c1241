"""One call at the top of every notebook: deterministic, readable output."""
from __future__ import annotations

import random
import warnings

import numpy as np

__all__ = ["setup_notebook"]


def setup_notebook(seed: int = 0) -> None:
    """Seed numpy, torch and random; one torch thread; short number printing.

    Also shows `matplotlib.figure.Figure` objects as PNG when a cell returns
    one (convlib draws without pyplot), at twice the pixels of their display size
    and with that size as width / height, so they are sharp and never upscaled, and silences torch's performance
    warning for even kernels with ``padding='same'``, whose text names a
    temporary file and would change on every run. Stored outputs then
    reproduce exactly (nbval compares them).
    """
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    np.set_printoptions(precision=3, suppress=True, linewidth=100)
    torch.set_printoptions(precision=3, sci_mode=False, linewidth=100)
    warnings.filterwarnings("ignore", message="Using padding='same' with even kernel")
    _show_figures_as_png()


def _show_figures_as_png() -> None:
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib.figure import Figure

    from .draw.core import display_size, figure_png, freeze_layout

    def sharp_png(fig: Figure):
        """2x pixels, shown at the figure's display size (width / height metadata)."""
        freeze_layout(fig)
        width, height = display_size(fig)
        return figure_png(fig), {"width": width, "height": height}

    shell.display_formatter.formatters["image/png"].for_type(Figure, sharp_png)
