"""Sync each chapter with its MyST twin, then execute it in place.

Usage: python tools/execute_notebooks.py [NN_name | notebooks/NN_name.md ...]   (default: all)

A chapter is a pair: ``notebooks/NN_name.md`` (MyST markdown, the text a lecturer
reads and edits) and ``notebooks/NN_name.ipynb`` (the same cells, stored executed).
jupytext keeps them in sync, whichever one was edited last. This script:

1. syncs the pair with jupytext (the newer file's cells win; outputs stay in the .ipynb);
2. gives every cell a stable id (new cells get one derived from their position and
   text, so diffs show content changes only), and applies the slide settings of
   `slide_meta` (code collapsed unless tagged ``show-code``; RISE at 1280x720);
3. executes the notebook top to bottom in this environment's kernel, storing outputs
   and widget state, with no timings, merges each cell's consecutive prints into one
   output (the kernel flushes them in chunks that vary from run to run), and renames
   the run's random ids (widget models, animation players) to stable ones;
4. syncs again, so the pair's timestamps agree.

Fails on the first cell error, unless the cell is tagged ``raises-exception``.
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import nbformat
from jupytext.cli import jupytext as jupytext_cli
from nbclient import NotebookClient
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

import slide_meta

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
STABLE_ID = re.compile(r"^c[0-9a-f]{3,8}$")
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
RANDOM_HEX = re.compile(r"(?<=_anim_img)[0-9a-f]{32}|(?<=\"model_id\": \")[0-9a-f]{32}")


def chapters(names: list[str]) -> list[Path]:
    """The .ipynb of each named chapter (a stem, a .md or an .ipynb path); all when none."""
    if not names:
        stems = {p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.*") if p.suffix in (".md", ".ipynb")}
        return [NOTEBOOKS / f"{stem}.ipynb" for stem in sorted(stems)]
    return [NOTEBOOKS / f"{Path(n).stem}.ipynb" for n in names]


def sync(path: Path) -> None:
    """jupytext --sync: the more recently edited file of the pair gives the cells."""
    twin = path.with_suffix(".md")
    source = twin if twin.exists() else path
    jupytext_cli(["--sync", "--quiet", str(source)])


def stable_ids(nb: nbformat.NotebookNode, stem: str) -> nbformat.NotebookNode:
    """Keep ids in our form; give any other cell an id from its notebook, position and text."""
    seen = {c.get("id") for c in nb.cells if STABLE_ID.match(c.get("id") or "")}
    for index, cell in enumerate(nb.cells):
        if STABLE_ID.match(cell.get("id") or ""):
            continue
        digest = hashlib.sha1(f"{stem}:{index}:{cell.source}".encode()).hexdigest()
        new = "c" + digest[:7]
        while new in seen:
            digest = hashlib.sha1(digest.encode()).hexdigest()
            new = "c" + digest[:7]
        cell["id"] = new
        seen.add(new)
    return nb


def renamed_random_ids(nb: nbformat.NotebookNode, stem: str) -> nbformat.NotebookNode:
    """Replace the random ids of a run (widget models, animation players) by stable ones.

    ipywidgets and matplotlib's JavaScript player name things with uuid4 hex; each id is
    mapped, in order of appearance, to a hash of the notebook and its ordinal, so that a
    re-execution that changes nothing stores the same bytes.
    """
    text = json.dumps(nb)
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    found = list(state) + RANDOM_HEX.findall(text)
    order = list(dict.fromkeys(i for i in found if len(i) == 32))
    mapping = {old: hashlib.sha1(f"{stem}:{n}".encode()).hexdigest()[:32]
               for n, old in enumerate(order)}
    if mapping:
        text = re.sub("|".join(map(re.escape, mapping)), lambda m: mapping[m.group(0)], text)
    return nbformat.from_dict(json.loads(text))


def execute(path: Path) -> None:
    sync(path)
    nb = slide_meta.apply(stable_ids(nbformat.read(path, as_version=4), path.stem))
    client = NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                            store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    # a cell's prints arrive in as many chunks as the kernel flushed: one output per stream
    nb, _ = CoalesceStreamsPreprocessor().preprocess(nb, {})
    nbformat.write(renamed_random_ids(nb, path.stem), path)
    sync(path)
    print(f"executed {path.relative_to(ROOT)}")


if __name__ == "__main__":
    for notebook in chapters(sys.argv[1:]):
        execute(notebook)
