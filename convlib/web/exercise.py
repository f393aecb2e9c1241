"""The kernel-free exercise element (``exercise.js``, ``exercise.css``, inlined).

`exercise_element` writes the static twin of `convlib.Exercise`: a ``<div>`` with
the question, a JSON block (salted hashes and obfuscated texts only, see
`convlib.exercises.keys`) and the inlined checker. Output is deterministic: no
random ids (the script finds its element through ``document.currentScript``).
"""
from __future__ import annotations

import html
import json

from .assets import asset

__all__ = ["exercise_element", "EXERCISE_CLASS"]

#: The CSS class of every kernel-free exercise element (browser tests look for it).
EXERCISE_CLASS = "cl-exercise"


def _json_in_script(data) -> str:
    """JSON that cannot end or confuse its ``<script>`` element (every ``<`` escaped)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _checked_script(source: str) -> str:
    """`source` without comment lines and indentation (it is inlined in every exercise)."""
    if "</script" in source.lower() or "<!--" in source:
        raise ValueError("`source` must not contain '</script' or '<!--'")
    lines = (line.strip() for line in source.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def exercise_element(tasks: list[dict]) -> str:
    """The self-contained HTML of one exercise (its variants: ``tasks``, from
    `convlib.exercises.task.Task.page_data`); the first task's question shows before
    the script runs, with a note that checking needs JavaScript.

    >>> from convlib.exercises.task import Task
    >>> page = exercise_element([Task("2 + 2?", answer=4).page_data("ab12cd34")])
    >>> 'class="cl-exercise"' in page, "2 + 2?" in page
    (True, True)
    """
    return (f'<div class="{EXERCISE_CLASS}">'
            f"<style>{asset('exercise.css')}</style>"
            f'<div class="cl-ex-question"><b>Exercise.</b> {tasks[0]["question"]}</div>'
            f'<div class="cl-ex-note">{html.escape("Checking answers needs JavaScript: open the course site, a slide deck, or run the notebook.")}</div>'
            f'<script type="application/json" class="cl-ex-data">{_json_in_script(tasks)}</script>'
            f"<script>{_checked_script(asset('exercise.js'))}</script>"
            "</div>")
