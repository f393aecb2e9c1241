"""One call at the top of every notebook: deterministic, readable output."""
from __future__ import annotations

import random
import warnings

import numpy as np

__all__ = ["setup_notebook"]


def setup_notebook(seed: int = 0) -> None:
    """Seed numpy, torch and random; one torch thread; short number printing.

    Also shows `matplotlib.figure.Figure` objects as PNG when a cell returns
    one (convlib draws without pyplot), and silences torch's performance
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

    from .draw.core import figure_png

    shell.display_formatter.formatters["image/png"].for_type(Figure, figure_png)
