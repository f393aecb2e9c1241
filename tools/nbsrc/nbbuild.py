"""Build a chapter notebook (sources and slide metadata, no outputs) from its script.

Each ``tools/nbsrc/NN_name.py`` lists its cells with `md` and `code` and calls
``write(sys.argv[1], cells, title)``; `tools/build_notebooks.py` runs every
script into ``notebooks/NN_name.ipynb`` and executes it. The scripts are the
source of truth (reviewable diffs, stable cell ids); tests/test_notebook_sources.py
fails when a stored notebook's cells drift from its script.

slide types: "slide", "subslide", "fragment", "-" (continue), "skip", "notes".
Tags: code(..., tags=["nbval-ignore-output"]).
"""
from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def _meta(slide: str, tags=()) -> dict:
    m = {"slideshow": {"slide_type": slide}}
    if tags:
        m["tags"] = list(tags)
    return m


def md(slide: str, text: str):
    return new_markdown_cell(text.strip("\n"), metadata=_meta(slide))


def code(slide: str, src: str, tags=()):
    return new_code_cell(src.strip("\n"), metadata=_meta(slide, tags))


def notebook(cells, title: str = ""):
    nb = new_notebook(cells=cells)
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i:03d}"  # stable ids: diffs show content changes only
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "rise": {"scroll": True, "theme": "simple", "transition": "none", "enable_chalkboard": False},
    }
    if title:
        nb.metadata["title"] = title
    return nb


def write(path: str, cells, title: str = "") -> None:
    nbformat.write(notebook(cells, title), path)
