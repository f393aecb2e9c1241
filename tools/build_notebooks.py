"""Rebuild notebooks from tools/nbsrc/NN_name.py and execute them in place.

Usage: python tools/build_notebooks.py [NN_name ...]   (default: every chapter)

Run after changing a chapter script or convlib: the stored outputs must be
current for nbval (make test) and for readers on GitHub.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from execute_notebooks import execute

ROOT = Path(__file__).resolve().parents[1]


def sources(names: list[str]) -> list[Path]:
    scripts = sorted((ROOT / "tools" / "nbsrc").glob("[0-9][0-9]_*.py"))
    return [s for s in scripts if not names or s.stem in names]


def build(script: Path) -> Path:
    target = ROOT / "notebooks" / f"{script.stem}.ipynb"
    subprocess.run([sys.executable, str(script), str(target)], check=True)
    return target


if __name__ == "__main__":
    for script in sources(sys.argv[1:]):
        execute(build(script))
