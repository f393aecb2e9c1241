"""tools/static_outputs.py: stored widget views become pictures with a kernel note."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from static_outputs import WIDGET_STATE, WIDGET_VIEW, freeze_widgets, notebook_title  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def widget_notebook(models: dict, data: dict):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("w")])
    out = nbformat.v4.new_output("display_data", data={WIDGET_VIEW: {"model_id": "root"}, **data})
    nb.cells[0].outputs = [out]
    nb.metadata["widgets"] = {WIDGET_STATE: {"state": models}}
    return nb


def test_a_box_holding_a_slider_keeps_its_picture_and_gets_the_note():
    models = {"root": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_s", "IPY_MODEL_i"]}},
              "s": {"model_name": "IntSliderModel", "state": {}},
              "i": {"model_name": "ImageModel", "state": {}}}
    nb = freeze_widgets(widget_notebook(models, {"image/png": "iVBORw0KGgo=", "text/plain": "E()"}))
    html = nb.cells[0].outputs[0].data["text/html"]
    assert "needs a live kernel" in html
    assert "data:image/png;base64,iVBORw0KGgo=" in html
    assert "widgets" not in nb.metadata


def test_a_widget_without_controls_shows_its_text_and_no_note():
    models = {"root": {"model_name": "HTMLModel", "state": {}}}
    nb = freeze_widgets(widget_notebook(models, {"text/plain": "a <b> label"}))
    html = nb.cells[0].outputs[0].data["text/html"]
    assert "needs a live kernel" not in html
    assert "a &lt;b&gt; label" in html


def test_html_outputs_and_the_original_notebook_are_left_alone():
    nb = widget_notebook({"root": {"model_name": "ButtonModel", "state": {}}}, {"text/plain": "B"})
    page = nbformat.v4.new_output("display_data", data={"text/html": "<div data-explorer><script>1</script></div>"})
    nb.cells[0].outputs.append(page)
    frozen = freeze_widgets(nb)
    assert frozen.cells[0].outputs[1] == page
    assert WIDGET_VIEW in nb.cells[0].outputs[0].data


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_no_stored_notebook_keeps_a_widget_view_once_frozen(path):
    nb = freeze_widgets(nbformat.read(path, as_version=4))
    views = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
             if WIDGET_VIEW in o.get("data", {})]
    assert views == []
    assert notebook_title(nb)


def test_a_widget_with_a_kernel_free_twin_shows_the_twin_without_a_note():
    """An exercise carries its own kernel-free checker as text/html: that is what the
    page shows, live, with no 'needs a kernel' note."""
    models = {"root": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_t"]}},
              "t": {"model_name": "TextModel", "state": {}}}
    twin = "<div data-exercise='x'><input><button>Check</button><script>1</script></div>"
    nb = freeze_widgets(widget_notebook(models, {"text/html": twin, "text/plain": "Exercise()"}))
    out = nb.cells[0].outputs[0].data
    assert out["text/html"] == twin and WIDGET_VIEW not in out


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_no_stored_notebook_shows_a_needs_a_kernel_note(path):
    """Every control of the course works without a kernel: the decks and the site show no
    frozen picture with a 'needs a live kernel' note."""
    frozen = freeze_widgets(nbformat.read(path, as_version=4))
    shown = [o.data.get("text/html", "") for c in frozen.cells if c.cell_type == "code"
             for o in c.outputs if "data" in o]
    assert not [h for h in shown if "needs-kernel-note" in h]
