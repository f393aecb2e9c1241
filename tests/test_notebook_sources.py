"""Stored notebooks are their tools/nbsrc scripts, executed: no hand edits drift away,
every cell carries slide metadata, and nothing is stored unexecuted or as an error."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "tools" / "nbsrc").glob("[0-9][0-9]_*.py"))
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_every_notebook_has_a_script_and_back():
    assert [s.stem for s in SCRIPTS] == [n.stem for n in NOTEBOOKS]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_stored_cells_match_the_script(script, tmp_path):
    built = tmp_path / "nb.ipynb"
    subprocess.run([sys.executable, str(script), str(built)], check=True)
    want = nbformat.read(built, as_version=4)
    have = nbformat.read(ROOT / "notebooks" / f"{script.stem}.ipynb", as_version=4)
    assert len(have.cells) == len(want.cells), "rebuild with `make execute`"
    for h, w in zip(have.cells, want.cells):
        assert (h.id, h.cell_type, h.source) == (w.id, w.cell_type, w.source), \
            f"cell {w.id} differs from {script.name}: rebuild with `make execute`"
        assert h.metadata.get("slideshow") == w.metadata["slideshow"]
        assert h.metadata.get("tags", []) == w.metadata.get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_executed_without_errors(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "execute with `make execute`"
    assert not any(o.output_type == "error" for c in code for o in c.outputs)
    assert all("slideshow" in c.metadata for c in nb.cells)
    views = [o for c in code for o in c.outputs
             if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    if views:  # the stored widget state lets a page without a kernel show the widgets
        assert nb.metadata.get("widgets"), "execute with `make execute` (stores widget state)"
