"""The browser files of the kernel-free elements, read from package data."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

__all__ = ["asset"]


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    """The text of one file of ``convlib/web`` (``'exercise.js'``, ``'exercise.css'``).

    >>> "convlibExercise" in asset("exercise.js")
    True
    """
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
