"""Every chapter is a jupytext pair: a MyST text twin (``notebooks/NN_name.md``, what a
lecturer reads and edits) and the notebook stored executed. The pair must agree, cell
by cell and with its slide metadata, and the notebook must be stored executed with
stable cell ids. `make execute` (tools/execute_notebooks.py) restores both."""
from __future__ import annotations

import re
from pathlib import Path

import jupytext
import nbformat
import pytest
from jupytext.compare import compare_notebooks

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TWINS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.md"))
FIX = "run `make execute CHAPTERS={}`"


def test_every_notebook_has_a_text_twin_and_back():
    assert NOTEBOOKS and [n.stem for n in NOTEBOOKS] == [t.stem for t in TWINS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_pairing_is_declared_in_the_notebook_and_its_twin(path):
    nb = nbformat.read(path, as_version=4)
    twin = jupytext.read(path.with_suffix(".md"))
    assert nb.metadata["jupytext"]["formats"] == "ipynb,md:myst"
    assert twin.metadata["jupytext"]["formats"] == "ipynb,md:myst"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_text_twin_and_notebook_agree(path):
    """jupytext's own comparison: same cells, same sources, same cell metadata."""
    text = jupytext.read(path.with_suffix(".md"))
    stored = jupytext.read(path)
    compare_notebooks(text, stored, fmt="md:myst", allow_expected_differences=False,
                      raise_on_first_difference=True)
    for t, s in zip(text.cells, stored.cells):
        assert t.metadata.get("slideshow") == s.metadata.get("slideshow"), FIX.format(path.stem)
        assert t.metadata.get("tags", []) == s.metadata.get("tags", []), FIX.format(path.stem)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_executed_without_errors(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), FIX.format(path.stem)
    assert not any(o.output_type == "error" for c in code for o in c.outputs)
    assert all("slideshow" in c.metadata for c in nb.cells), "every cell needs a slide type"
    views = [o for c in code for o in c.outputs
             if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    if views:  # the stored widget state lets a page without a kernel show the widgets
        assert nb.metadata.get("widgets"), FIX.format(path.stem)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_cell_stores_one_output_per_stream(path):
    """Prints arrive in chunks that vary from run to run; `make execute` merges them, so
    re-running a chapter stores the same file."""
    for cell in nbformat.read(path, as_version=4).cells:
        kinds = [(o.output_type, o.get("name")) for o in cell.get("outputs", [])]
        assert all(not (a == b and a[0] == "stream") for a, b in zip(kinds, kinds[1:])), \
            FIX.format(path.stem)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_cell_ids_are_stable_and_unique(path):
    ids = [c.id for c in nbformat.read(path, as_version=4).cells]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"c[0-9a-f]{3,8}", i) for i in ids), FIX.format(path.stem)


def test_nothing_builds_notebooks_from_string_literals():
    """The text twins are the sources: no script assembles cells from Python strings."""
    builders = re.compile(r"new_(markdown|code)_cell|nbbuild")
    code_lines = lambda p: [line for line in p.read_text(encoding="utf-8").splitlines()
                            if not line.lstrip().startswith((">>>", "..."))]  # doctests may
    offenders = [p for folder in ("tools", "convlib") for p in (ROOT / folder).rglob("*.py")
                 if any(builders.search(line) for line in code_lines(p))]
    assert offenders == []
    assert not (ROOT / "tools" / "nbsrc").exists()
