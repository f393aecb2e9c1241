"""Kernel-free browser elements: their JavaScript and CSS live here, in one place,
as package data (``exercise.js``, ``exercise.css``, ``explorers.js``), and are inlined
into each element's HTML, so a page needs nothing from a CDN and nothing beside itself.

- `exercise_element`: the static twin of `convlib.Exercise` (module `exercise`);
- `kernel_free`: explorers drawn in the browser without a kernel (module `explorers`).
"""
from __future__ import annotations

from .assets import asset
from .esm import bundle, explorer_names, static_html
from .exercise import EXERCISE_CLASS, exercise_element
from .explorers import KERNEL_FREE, KernelFreeExplorer, kernel_free, script

__all__ = ["EXERCISE_CLASS", "asset", "bundle", "explorer_names", "static_html", "exercise_element",
           "KERNEL_FREE", "KernelFreeExplorer", "kernel_free", "script"]
