"""One call at the top of every notebook: deterministic, readable output."""
from __future__ import annotations

import random

import numpy as np

__all__ = ["setup_notebook"]


def setup_notebook(seed: int = 0) -> None:
    """Seed numpy, torch and random; one torch thread; short number printing.

    Stored outputs then reproduce exactly on every run (nbval compares them).
    """
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    np.set_printoptions(precision=3, suppress=True, linewidth=100)
    torch.set_printoptions(precision=3, sci_mode=False, linewidth=100)
