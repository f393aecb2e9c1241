"""Lazy attributes for convlib and its topic packages (PEP 562 ``__getattr__``).

A package lists its submodules and the public names it re-exports; nothing is imported
until an attribute is first read, so ``import convlib`` (and ``convlib.sizes``) stays
light: no numpy-heavy module, no torch, matplotlib or ipywidgets.
"""
from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["attach"]


def attach(package: str, submodules: Iterable[str] = (),
           names: Mapping[str, Iterable[str]] | None = None,
           ) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` for `package`.

    ``submodules`` are reachable as attributes (``convlib.sizes.windows``); ``names``
    maps a submodule (dotted, relative to `package`) to the names it gives to `package`.
    A name wins over a submodule spelled the same.

    >>> getattr_, dir_, all_ = attach("convlib", ["sizes"], {"sizes.shapes": ["conv_output_size"]})
    >>> getattr_("conv_output_size")(5, 3)
    3
    >>> all_
    ['conv_output_size']
    """
    subs = frozenset(submodules)
    where = {name: module for module, listed in (names or {}).items() for name in listed}

    def __getattr__(name: str) -> Any:
        if name in where:
            value = getattr(importlib.import_module(f"{package}.{where[name]}"), name)
        elif name in subs:
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *subs, *where})

    return __getattr__, __dir__, sorted(where)
