"""Kernel-free copies of executed notebooks, for the exported decks and the static site.

Without a kernel a stored ipywidgets view can show a slider, but moving it does
nothing. `freeze_widgets` replaces every stored widget view by what it showed (the
explorer's picture, kept in the output's ``image/png``; otherwise its text) and,
when the widget holds a control, a visible note that it needs a live kernel. The
notebook's widget state is dropped, so no widget manager is loaded at all.
Plain ``text/html`` outputs (kernel-free explorers, animations) are kept as they are,
and so is the ``text/html`` twin a widget may carry (the exercises' kernel-free checker),
which then replaces the widget view, with no note.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("w")])
>>> nb.cells[0].outputs = [nbformat.v4.new_output("display_data", data={
...     WIDGET_VIEW: {"model_id": "a"}, "text/plain": "Slider(1)"})]
>>> nb.metadata["widgets"] = {WIDGET_STATE: {"state": {"a": {"model_name": "IntSliderModel",
...     "state": {}}}}}
>>> frozen = freeze_widgets(nb)
>>> out = frozen.cells[0].outputs[0]
>>> sorted(out.data), "needs a live kernel" in out.data["text/html"], "widgets" in frozen.metadata
(['text/html', 'text/plain'], True, False)
"""
from __future__ import annotations

import copy
import html
import re

import nbformat

__all__ = ["WIDGET_VIEW", "WIDGET_STATE", "CONTROL_MODELS", "KERNEL_NOTE", "freeze_widgets",
           "notebook_title"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# ipywidgets models a reader can act on: each needs a kernel to do anything
CONTROL_MODELS = re.compile(r"Slider|Button|Text|Dropdown|Checkbox|Select|Radio|Toggle|Play|"
                            r"Combobox|Picker|Upload|Valid|Password")
KERNEL_NOTE = ("<p class='needs-kernel-note' style='display:inline-block;margin:0 0 .3em;"
               "padding:.2em .6em;color:#5b4500;background:#fff4cf;border-left:4px solid "
               "#d9a400'>This control needs a live kernel: open the "
               "notebook in JupyterLab (<code>make lab</code>) or on Binder to move it. "
               "Shown: what it showed when the notebook was executed.</p>")


def _models(model_id: str, state: dict) -> list[str]:
    """Model names of a widget and everything it contains (children, links)."""
    seen, todo, names = set(), [model_id], []
    while todo:
        mid = todo.pop()
        if mid in seen or mid not in state:
            continue
        seen.add(mid)
        names.append(state[mid].get("model_name", ""))
        refs = re.findall(r"IPY_MODEL_(\w+)", repr(state[mid].get("state", {})))
        todo.extend(refs)
    return names


def _picture(output) -> str:
    data = output.get("data", {})
    if "image/png" in data:
        meta = output.get("metadata", {}).get("image/png", {})
        size = "".join(f" {k}='{int(meta[k])}'" for k in ("width", "height") if k in meta)
        return f"<img alt='stored picture' src='data:image/png;base64,{data['image/png']}'{size}>"
    if "text/html" in data:
        return "".join(data["text/html"])
    text = "".join(data.get("text/plain", ""))
    return f"<pre class='stored-text'>{html.escape(text)}</pre>"


def _frozen(output, state: dict):
    if "text/html" in output["data"]:  # the widget carries a kernel-free twin (exercises)
        data = {k: output["data"][k] for k in ("text/html", "text/plain") if k in output["data"]}
        return nbformat.v4.new_output("display_data", data=data)
    view = output["data"][WIDGET_VIEW]
    live = any(CONTROL_MODELS.search(n) for n in _models(view.get("model_id", ""), state))
    body = (KERNEL_NOTE if live else "") + _picture(output)
    cls = "needs-kernel" if live else "stored-widget"
    data = {"text/html": f"<div class='{cls}'>{body}</div>",
            "text/plain": output["data"].get("text/plain", "")}
    return nbformat.v4.new_output("display_data", data=data)


def freeze_widgets(nb):
    """A copy of `nb` whose widget views are stored pictures (with a note on live
    controls) and which carries no widget state."""
    nb = copy.deepcopy(nb)
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = [_frozen(o, state) if WIDGET_VIEW in o.get("data", {}) else o
                        for o in cell.outputs]
    nb.metadata.pop("widgets", None)
    return nb


def notebook_title(nb, default: str = "") -> str:
    """The notebook's title: its metadata ``title``, else its first Markdown heading.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 02 · Sizes\\ntext")])
    >>> notebook_title(nb)
    '02 · Sizes'
    """
    if nb.metadata.get("title"):
        return str(nb.metadata["title"])
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#+\s+(.+)$", cell.source, re.MULTILINE)
            if match:
                return match.group(1).strip()
    return default
