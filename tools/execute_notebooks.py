"""Re-execute notebooks in place, the way CI's nbval expects them stored.

Usage: python tools/execute_notebooks.py notebooks/*.ipynb

Runs each notebook top to bottom in this environment's kernel, with the
working directory set to the notebook's folder, stores outputs and widget
state, and records no timings (so diffs only show real changes). Fails on the
first cell error, unless the cell is tagged ``raises-exception``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                            store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nbformat.write(nb, path)
    print(f"executed {path}")


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        execute(Path(arg))
