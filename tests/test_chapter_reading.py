"""How the stored chapters read: checks quiet, speaker notes marked as notes.

A chapter compares every number with torch, but shows at most `MAX_CHECK_LINES`
check lines (a ``checks`` block shows one line, its comparisons a click away);
a speaker note is a block quote headed "Notes for presenters", set apart from the
lesson text in JupyterLab and still whole in RISE's speaker view.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from slide_meta import NOTES_HEADING, is_note  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MAX_CHECK_LINES = 12


def visible_check_lines(nb: nbformat.NotebookNode) -> list[str]:
    """Lines with a ✓ in printed text and plain-text results (a checks block: its summary)."""
    lines = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("text", "") if out.output_type == "stream" else \
                out.get("data", {}).get("text/plain", "")
            lines += [line for line in "".join(text).splitlines() if "✓" in line]
    return lines


def test_visible_check_lines_counts_prints_and_summaries_only():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="a ✓\nb\nc ✓\n"),
        nbformat.v4.new_output("display_data", data={
            "text/plain": "✓ sizes: 3 of 3 agree", "text/html": "<li>x ✓</li><li>y ✓</li>"})])])
    assert visible_check_lines(nb) == ["a ✓", "c ✓", "✓ sizes: 3 of 3 agree"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_at_most_twelve_check_lines(path):
    lines = visible_check_lines(nbformat.read(path, as_version=4))
    assert len(lines) <= MAX_CHECK_LINES, (
        f"{path.name} shows {len(lines)} check lines; gather a section's comparisons in one "
        "`with cl.checks(...)` block:\n" + "\n".join(lines))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_speaker_notes_are_labelled_quoted_and_not_collapsed(path):
    notes = [c for c in nbformat.read(path, as_version=4).cells if is_note(c)]
    assert notes, f"{path.name} has no speaker notes"
    for cell in notes:
        assert cell.cell_type == "markdown", f"{path.name}: a code cell is a note"
        assert cell.source.startswith(NOTES_HEADING + "\n"), cell.source[:80]
        assert all(line.startswith(">") for line in cell.source.splitlines()), cell.source[:80]
        assert not cell.metadata.get("jupyter", {}).get("source_hidden"), cell.source[:80]
