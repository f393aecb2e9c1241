"""Browser elements that need no kernel: their JavaScript and CSS live here, in one place,
as package data, and are inlined into each element's HTML, so a page needs nothing from a
CDN and nothing beside itself.

- `exercise_element`: the static twin of `convlib.Exercise` (module `exercise`, with
  ``exercise.js`` and ``exercise.css``);
- the explorers: one ES module each under ``explorers/``, joined by `bundle` for anywidget
  and rendered from stored values by `static_html` (module `esm`).
"""
from __future__ import annotations

from .assets import asset
from .esm import bundle, explorer_names, static_html
from .exercise import EXERCISE_CLASS, exercise_element

__all__ = ["EXERCISE_CLASS", "asset", "bundle", "explorer_names", "static_html",
           "exercise_element"]
