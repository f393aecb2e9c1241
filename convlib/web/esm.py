"""One explorer's ES modules joined into the single module that anywidget and a static
page load.

The explorers live in ``convlib/web/explorers/``: one ES module per explorer
(``feature_map.js``, ...), which imports what it needs from the shared modules
(``core.js``: controls, drawing and the widget; ``shapes.js``: output sizes) and ends with
``export default explorer(spec)``. anywidget loads a module from a string, where relative
imports cannot resolve, so `bundle` inlines each imported module once, dependencies first,
and drops the ``import``/``export`` keywords: a plain concatenation, no build tool. The
files keep to what that needs, checked here: single ``import {...} from "./x.js";``
statements and ``export`` only in front of ``const``/``function``/``class``/``let`` (or
``export default`` in the explorer itself).

>>> "feature_map" in explorer_names()
True
>>> src = bundle("feature_map")
>>> src.rstrip().endswith("export default widget;"), "import {" in src
(True, False)
"""
from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from importlib import resources

__all__ = ["bundle", "explorer_names", "static_html"]

IMPORT = re.compile(r'^import\s*\{[^}]*\}\s*from\s*"\./([\w.-]+\.js)";[ \t]*\n', re.M)
EXPORT = re.compile(r"^export (?=(const|function|class|let) )", re.M)
DEFAULT = re.compile(r"^export default ", re.M)
#: A note shown where the script cannot run (an untrusted notebook, a viewer without JS).
HINT = "Run this cell to start the explorer."


def _read(module: str) -> str:
    return resources.files(__package__).joinpath("explorers", module).read_text(encoding="utf-8")


def explorer_names() -> list[str]:
    """The explorers: the modules of ``explorers/`` that end in ``export default``."""
    folder = resources.files(__package__).joinpath("explorers")
    return sorted(f.name[:-3] for f in folder.iterdir()
                  if f.name.endswith(".js") and DEFAULT.search(f.read_text(encoding="utf-8")))


def _order(module: str, done: list[str]) -> list[str]:
    """`module` after everything it imports (each once)."""
    for dep in IMPORT.findall(_read(module)):
        if dep not in done:
            _order(dep, done)
    if module not in done:
        done.append(module)
    return done


def _strip(module: str, main: bool) -> str:
    src = IMPORT.sub("", _read(module))
    src = DEFAULT.sub("const widget = ", src) if main else src
    src = EXPORT.sub("", src)
    left = re.search(r"^\s*(import|export)\b.*$", src, re.M)
    if left:
        raise ValueError(f"`{module}`: cannot bundle {left.group(0).strip()!r}: use "
                         "`import {...} from \"./x.js\";` and `export const|function|class`")
    return f"// ---- {module}\n{src}"


@lru_cache(maxsize=None)
def _joined(name: str) -> str:
    if name not in explorer_names():
        raise ValueError(f"`name` must be one of {explorer_names()}, got {name!r}")
    modules = _order(f"{name}.js", [])
    return "\n".join(_strip(m, m == f"{name}.js") for m in modules)


def bundle(name: str) -> str:
    """The ES module of explorer `name` for anywidget (``export default {render}``)."""
    return f"{_joined(name)}\nexport default widget;\n"


def static_html(name: str, values: dict) -> str:
    """The explorer as self-contained HTML that runs without a kernel: a ``<div>`` holding
    its control values and an inline module script that renders it there (and in any other
    such ``<div>`` of the page not yet rendered). The page's ``window.convlibExplorers[name]``
    holds the explorer's pure ``compute`` and its ``Invalid`` error, for tests. Deterministic, so nbval compares it."""
    data = html.escape(json.dumps(values, sort_keys=True), quote=True)
    return (f'<div class="convlib-explorer-static" data-explorer-static="{name}" '
            f'data-explorer-values="{data}"><p><i>{HINT}</i></p></div>\n'
            f'<script type="module">\n{_joined(name)}\n'
            f'(window.convlibExplorers ||= {{}})["{name}"] = {{compute, widget, Invalid}};\n'
            f'mountAll(widget, "{name}");\n</script>')
