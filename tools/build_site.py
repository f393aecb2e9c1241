"""Build the static site of the whole course into build/site/ (Sphinx + myst-nb).

Usage: python tools/build_site.py

Chapters appear in the order the index notebook links them. Pages are the
stored, executed notebooks (no kernel needed); MathJax, require.js and the
widgets manager are copied next to the pages, so the site works offline.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "build" / "site-src"
OUT = ROOT / "build" / "site"
sys.path.insert(0, str(ROOT / "tools"))
from export_slides import NODE, VENDOR  # noqa: E402


def chapter_order() -> list[str]:
    index = json.loads((ROOT / "notebooks" / "00_index.ipynb").read_text(encoding="utf-8"))
    text = "".join("".join(c["source"]) for c in index["cells"] if c["cell_type"] == "markdown")
    seen: list[str] = []
    for name in re.findall(r"\]\((\d\d_\w+)\.ipynb\)", text):
        if name not in seen:
            seen.append(name)
    return ["00_index", *seen]


def prepare() -> None:
    shutil.rmtree(SRC, ignore_errors=True)
    (SRC / "notebooks").mkdir(parents=True)
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy2(nb, SRC / "notebooks" / nb.name)
    shutil.copy2(ROOT / "site" / "conf.py", SRC / "conf.py")
    shutil.copytree(ROOT / "site" / "_static", SRC / "_static")
    for src, dst in VENDOR.items():
        if src.startswith("reveal.js"):
            continue
        target = SRC / "_static" / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if (NODE / src).is_dir() else shutil.copy2)(NODE / src, target)
    toc = "\n".join(f"notebooks/{name}" for name in chapter_order())
    (SRC / "index.md").write_text(
        "# Convolution arithmetic, interactively\n\n"
        "Every number on these pages was computed by `convlib` and checked against PyTorch "
        "when the notebooks were executed. Sliders need a live kernel: open the notebooks "
        "in JupyterLab (`make lab`) or on Binder to move them.\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n:caption: Chapters\n\n{toc}\n```\n", encoding="utf-8")


if __name__ == "__main__":
    prepare()
    subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going",
                    str(SRC), str(OUT)], check=True)
    print(f"site: {OUT / 'index.html'}")
