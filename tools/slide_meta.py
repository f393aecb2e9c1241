"""Slide metadata for live presenting with RISE (jupyterlab-rise).

Call `apply` on every chapter notebook in the build/execute step, before
writing it::

    from slide_meta import apply
    nb = apply(nbformat.read(path, as_version=4))

It collapses the source of every code cell (``jupyter.source_hidden``, which both
JupyterLab and RISE honour: the output stays, a click on the bar shows the code),
except cells tagged ``show-code`` because their code is the lesson; it marks every
speaker note (``slide_type: notes``) as such: the whole note is a block quote
headed by a bold `NOTES_LABEL`, so in JupyterLab it stands apart from the lesson
text (indented, with a rule at its left) while RISE's speaker view still shows it
in full (a collapsed cell would reach RISE as its collapsed bar only, and "Run all"
expands collapsed Markdown anyway). The site puts notes in a closed "Notes for
presenters" element (tools/build_site.py); the decks show them in the speaker
view without the label. And it sets
the notebook's ``rise`` settings: 1280x720 slides, top-aligned, no transition.
Type sizes (prose >= 24 px) and the explorer's height cap live in
``notebooks/rise.css``, which jupyterlab-rise loads from the notebook's folder.
The exported decks hide code with their own switch (tools/export_slides.py) and
honour the same ``show-code`` tag.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"),
...     nbformat.v4.new_code_cell("conv(x)", metadata={"tags": ["show-code"]})])
>>> nb = apply(nb)
>>> [c.metadata.get("jupyter", {}).get("source_hidden", False) for c in nb.cells]
[True, False]
>>> nb.metadata["rise"]["width"], nb.metadata["rise"]["height"]
(1280, 720)
>>> note = nbformat.v4.new_markdown_cell("Ask the room.",
...     metadata={"slideshow": {"slide_type": "notes"}})
>>> note = mark_notes(nbformat.v4.new_notebook(cells=[note])).cells[0]
>>> note.source.splitlines()
['> **Notes for presenters**', '>', '> Ask the room.']
>>> note_text(note)
'Ask the room.'
"""
from __future__ import annotations

__all__ = ["SHOW_CODE_TAG", "NOTES_LABEL", "RISE_SETTINGS", "apply", "hide_code",
           "NOTES_HEADING", "is_note", "mark_notes", "note_text", "set_rise"]

SHOW_CODE_TAG = "show-code"
NOTES_LABEL = "Notes for presenters"
NOTES_HEADING = f"> **{NOTES_LABEL}**"
RISE_SETTINGS = {
    "width": 1280, "height": 720,  # reveal scales this box to the screen
    "center": False,               # slides start at the top, like the exported decks
    "scroll": True,                # a safety net while presenting; decks must still fit
    "theme": "simple", "transition": "none", "enable_chalkboard": False,
    "controls": True, "progress": True, "slideNumber": "c/t",
}


def hide_code(nb):
    """Collapse each code cell's source unless it is tagged ``show-code``."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        jupyter = dict(cell.metadata.get("jupyter", {}))
        if SHOW_CODE_TAG in cell.metadata.get("tags", []):
            jupyter.pop("source_hidden", None)
        else:
            jupyter["source_hidden"] = True
        if jupyter:
            cell.metadata["jupyter"] = jupyter
        else:
            cell.metadata.pop("jupyter", None)
    return nb


def is_note(cell) -> bool:
    """Whether `cell` is a speaker note (``slide_type: notes``)."""
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type") == "notes"


def _unquote(text: str) -> str:
    """`text` without one level of Markdown block quote, if every line is quoted."""
    lines = text.splitlines()
    if not lines or not all(line.startswith(">") for line in lines):
        return text
    return "\n".join(line[2:] if line.startswith("> ") else line[1:] for line in lines)


def note_text(cell) -> str:
    """A note's text without its quote and its `NOTES_LABEL` line (what a speaker view shows)."""
    text = _unquote(cell.source.strip()).lstrip()
    for label in (f"**{NOTES_LABEL}**", NOTES_LABEL):
        if text.startswith(label):
            text = text[len(label):]
            break
    return text.strip()


def mark_notes(nb):
    """Make each speaker note a block quote headed by `NOTES_LABEL` (idempotent)."""
    for cell in nb.cells:
        if cell.cell_type != "markdown" or not is_note(cell):
            continue
        body = "\n".join(f"> {line}" if line else ">" for line in note_text(cell).splitlines())
        cell.source = f"{NOTES_HEADING}\n>\n{body}"
        jupyter = {k: v for k, v in cell.metadata.get("jupyter", {}).items() if k != "source_hidden"}
        if jupyter:
            cell.metadata["jupyter"] = jupyter
        else:
            cell.metadata.pop("jupyter", None)
    return nb


def set_rise(nb):
    """Merge `RISE_SETTINGS` into the notebook's ``rise`` metadata."""
    nb.metadata["rise"] = {**nb.metadata.get("rise", {}), **RISE_SETTINGS}
    return nb


def apply(nb):
    """All three steps, in place; returns `nb`."""
    return set_rise(mark_notes(hide_code(nb)))
