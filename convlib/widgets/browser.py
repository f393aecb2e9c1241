"""Explorers drawn in the browser: one anywidget per explorer, alive everywhere.

`browser_explorer(name, **values)` returns a widget whose picture, controls and
arithmetic run in the browser (the ES module ``convlib/web/explorers/<name>.js``), so
every move redraws within a frame with no kernel round trip. Python holds one trait per
control and can drive it (``ex.stride = 2``) or read it (``ex.stride``) while a kernel
runs. The same display also carries a ``text/html`` twin (`convlib.web.static_html`)
that runs the same module from the values it was displayed with: the static site and the
exported decks show that, alive, with no kernel and no widget manager.

>>> ex = browser_explorer("feature_map", H=7, W=6, kH=3, kW=2, stride=2, padding=1,
...                       dilation=1, mode="torch", op="conv", ceil_mode=False, window=0)
>>> ex.stride, ex.values["mode"]
(2, 'torch')
>>> ex
FeatureMapBrowser(H=7, W=6, kH=3, kW=2, stride=2, padding=1, dilation=1, mode='torch', op='conv', ceil_mode=False, window=0)
"""
from __future__ import annotations

from functools import lru_cache

import anywidget
import traitlets

from ..web.esm import bundle, explorer_names, static_html

__all__ = ["BrowserExplorer", "browser_explorer"]


class BrowserExplorer(anywidget.AnyWidget):
    """An explorer whose control values are synced traits (see `browser_explorer`)."""

    explorer_name = ""
    controls: tuple[str, ...] = ()

    @property
    def values(self) -> dict:
        """The control values, by name."""
        return {name: getattr(self, name) for name in self.controls}

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"{type(self).__name__}({shown})"

    def _repr_mimebundle_(self, **kwargs):
        data, metadata = super()._repr_mimebundle_(**kwargs)
        data["text/html"] = static_html(self.explorer_name, self.values)
        return data, metadata


KINDS = {bool: traitlets.Bool, int: traitlets.Int, str: traitlets.Unicode,
         float: traitlets.Float, list: traitlets.List}


def _trait(value, name: str = "value") -> traitlets.TraitType:
    if type(value) not in KINDS:
        raise ValueError(f"`{name}` must be a bool, int, float, str or list, got {value!r}")
    return KINDS[type(value)](value).tag(sync=True)


@lru_cache(maxsize=None)
def _widget_class(name: str, controls: tuple[tuple[str, type], ...]) -> type[BrowserExplorer]:
    """One class per explorer and set of controls: a synced trait per control."""
    title = "".join(part.title() for part in name.split("_")) + "Browser"
    return type(title, (BrowserExplorer,), {
        "__module__": __name__, "__doc__": f"The browser explorer {name!r}.",
        "_esm": bundle(name), "explorer_name": name,
        "controls": tuple(n for n, _ in controls),
        **{n: _trait(kind(), n) for n, kind in controls}})


def browser_explorer(name: str, **values: bool | int | float | str | list) -> BrowserExplorer:
    """The browser explorer `name` (one of `convlib.web.explorer_names`), with the initial
    value of every one of its controls, and any fixed data it reads (a list, such as an
    image as nested lists of numbers: the module's ``spec.data`` names)."""
    if name not in explorer_names():
        raise ValueError(f"`name` must be one of {explorer_names()}, got {name!r}")
    for key, value in values.items():
        _trait(value, key)  # a ValueError naming the control if its value has no trait type
    cls = _widget_class(name, tuple((k, type(v)) for k, v in values.items()))
    return cls(**values)
