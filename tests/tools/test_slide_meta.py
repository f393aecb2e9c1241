"""tools/slide_meta.py: code collapsed for RISE unless tagged show-code; 1280x720 settings."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from slide_meta import RISE_SETTINGS, SHOW_CODE_TAG, apply  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def test_code_is_collapsed_except_where_it_is_the_lesson():
    cells = [nbformat.v4.new_markdown_cell("# T"), nbformat.v4.new_code_cell("a"),
             nbformat.v4.new_code_cell("b", metadata={"tags": [SHOW_CODE_TAG],
                                                      "jupyter": {"source_hidden": True}})]
    nb = apply(nbformat.v4.new_notebook(cells=cells))
    assert "jupyter" not in nb.cells[0].metadata
    assert nb.cells[1].metadata["jupyter"]["source_hidden"] is True
    assert "jupyter" not in nb.cells[2].metadata


def test_rise_settings_are_merged_and_apply_is_idempotent():
    nb = nbformat.v4.new_notebook(metadata={"rise": {"autolaunch": True, "width": 960}})
    once = apply(nb)
    assert once.metadata["rise"]["autolaunch"] is True
    assert {k: once.metadata["rise"][k] for k in RISE_SETTINGS} == RISE_SETTINGS
    assert apply(nbformat.from_dict(once)) == once


def test_rise_css_sits_next_to_the_notebooks_with_24px_prose():
    css = (ROOT / "notebooks" / "rise.css").read_text(encoding="utf-8")
    sizes = [int(s) for s in __import__("re").findall(r"RenderedMarkdown[^{]*\{[^}]*?font-size: (\d+)px", css)]
    assert sizes and min(sizes) >= 24


def test_notes_are_labelled_and_quoted_once_and_other_cells_untouched():
    from slide_meta import mark_notes, note_text
    note = nbformat.v4.new_markdown_cell("Ask the room.\n\n> A quote.", metadata={
        "slideshow": {"slide_type": "notes"},
        "jupyter": {"outputs_hidden": False, "source_hidden": True}})
    lesson = nbformat.v4.new_markdown_cell("Lesson.")
    nb = mark_notes(nbformat.v4.new_notebook(cells=[note, lesson]))
    again = mark_notes(nbformat.from_dict(nb))
    assert again.cells[0].source == ("> **Notes for presenters**\n>\n> Ask the room.\n>\n"
                                     "> > A quote.")
    assert note_text(again.cells[0]) == "Ask the room.\n\n> A quote."
    assert again.cells[0].metadata["jupyter"] == {"outputs_hidden": False}  # never collapsed
    assert again.cells[1].source == "Lesson." and "jupyter" not in again.cells[1].metadata
