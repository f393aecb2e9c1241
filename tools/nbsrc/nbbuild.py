"""Authoring helper: build a notebook from a list of cells with slide metadata.

from nbbuild import md, code, write
cells = [md("slide", "# Title"), code("-", "import convlib as cl"), ...]
write("notebooks/02_x.ipynb", cells)

slide types: "slide", "subslide", "fragment", "-" (continue), "skip", "notes".
Tags: code(..., tags=["nbval-ignore-output"]).
"""
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def _meta(slide, tags=()):
    m = {"slideshow": {"slide_type": slide}}
    if tags:
        m["tags"] = list(tags)
    return m


def md(slide, text):
    return new_markdown_cell(text.strip("\n"), metadata=_meta(slide))


def code(slide, src, tags=()):
    return new_code_cell(src.strip("\n"), metadata=_meta(slide, tags))


def write(path, cells, title=""):
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
    nbformat.write(nb, path)
