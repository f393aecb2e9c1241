"""tools/export_slides.py: speaker notes, hidden code, no widget manager, a titled index."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from export_slides import deck_entry, export  # noqa: E402


def slide(kind: str) -> dict:
    return {"slideshow": {"slide_type": kind}}


def test_notes_cells_become_reveal_notes_and_code_is_switchable(tmp_path):
    nb = new_notebook(cells=[
        new_markdown_cell("# 09 · Title", metadata=slide("slide")),
        new_markdown_cell("> **Notes for presenters**\n>\n> Say this aloud.", metadata=slide("notes")),
        new_code_cell("1 + 1", metadata=slide("-")),
        new_code_cell("x", metadata={**slide("-"), "tags": ["show-code"]}),
    ], metadata={"widgets": {}})
    path = tmp_path / "09_demo.ipynb"
    nbformat.write(nb, path)
    page = export(path, tmp_path).read_text(encoding="utf-8")
    notes = page.split('<aside class="notes">', 1)[1].split("</aside>", 1)[0]
    assert "Say this aloud." in notes and "Notes for presenters" not in notes
    assert 'id="code-switch"' in page and "celltag_show-code" in page
    assert "width: 1280, height: 720" in page
    assert "require.js" not in page and "embed-amd" not in page and "cdn" not in page.lower()


def test_index_names_each_deck_by_its_notebook_title(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell("# 09 · Strided things")])
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nb, tmp_path / "notebooks" / "09_strided.ipynb")
    deck = tmp_path / "09_strided.slides.html"
    assert deck_entry(deck, tmp_path / "notebooks") == ("09", "Strided things")


def test_the_site_folds_each_note_into_a_closed_presenter_element():
    from build_site import folded_notes
    nb = new_notebook(cells=[
        new_markdown_cell("> **Notes for presenters**\n>\n> Ask the room.", metadata=slide("notes")),
        new_markdown_cell("Lesson text.")])
    notes, lesson = folded_notes(nb).cells
    assert notes.source == ('<details class="presenter-notes">\n<summary>Notes for presenters'
                            '</summary>\n\nAsk the room.\n\n</details>')
    assert lesson.source == "Lesson text."
