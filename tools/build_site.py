"""Build the static site of the whole course into build/site/ (Sphinx + myst-nb).

Usage: python tools/build_site.py

Chapters appear in the order the index notebook links them. Pages are the
stored, executed notebooks (no kernel needed). Every widget view is replaced by
the HTML twin it carries (an explorer or an exercise, which run in the page), or by
its stored picture (tools/static_outputs.py), so no widget manager is shipped. MathJax 3's single bundle is copied next to the
pages (no CDN, no source maps), so the site works offline.

Each chapter page links to its notebook, a copy with the same outputs (pictures
re-encoded smaller) saved beside the page, and, when course.toml names the public
repository, to the notebook there and on Binder (tools/links.py).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "build" / "site-src"
OUT = ROOT / "build" / "site"
sys.path.insert(0, str(ROOT / "tools"))
from export_slides import MATHJAX, copy_vendor  # noqa: E402
from static_images import shrink_images  # noqa: E402
from static_outputs import freeze_widgets  # noqa: E402
from slide_meta import NOTES_LABEL, is_note, note_text  # noqa: E402
import links  # noqa: E402


def folded_notes(nb):
    """Each speaker note inside a closed "Notes for presenters" element (in place)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and is_note(cell):
            cell.source = (f'<details class="presenter-notes">\n<summary>{NOTES_LABEL}</summary>'
                           f"\n\n{note_text(cell)}\n\n</details>")
    return nb


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
    (SRC / "extra" / "notebooks").mkdir(parents=True)
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        stored = nbformat.read(path, as_version=4)
        nbformat.write(folded_notes(shrink_images(freeze_widgets(stored))), SRC / "notebooks" / path.name)
        nbformat.write(shrink_images(stored), SRC / "extra" / "notebooks" / path.name)  # the download
    repo, branch = links.setting()
    (SRC / "links.json").write_text(json.dumps({name: links.page_links(repo, branch, name)
                                                for name in chapter_order()}), encoding="utf-8")
    shutil.copy2(ROOT / "site" / "conf.py", SRC / "conf.py")
    shutil.copytree(ROOT / "site" / "_static", SRC / "_static")
    shutil.copytree(ROOT / "site" / "_templates", SRC / "_templates")
    copy_vendor(SRC / "_static", MATHJAX)
    toc = "\n".join(f"notebooks/{name}" for name in chapter_order())
    (SRC / "index.md").write_text(
        "# Convolution arithmetic, interactively\n\n"
        "Every number on these pages was computed by `convlib` and checked against PyTorch "
        "when the notebooks were executed. The explorers and the exercises run in this page, "
        "with no kernel; to change the code, open the notebooks in JupyterLab "
        "(`make lab`) or on Binder. Slide decks: `make slides`.\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n:caption: Chapters\n\n{toc}\n```\n", encoding="utf-8")


def drop_source_maps(out: Path) -> None:
    """Delete the theme's *.map files and the comments that point at them."""
    for path in out.rglob("*.map"):
        path.unlink()
    for path in [*out.rglob("*.js"), *out.rglob("*.css")]:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        kept = re.sub(r"\n?/[/*][#@] sourceMappingURL=\S+( \*/)?", "", text)
        if kept != text:
            path.write_text(kept, encoding="utf-8", errors="surrogateescape")


if __name__ == "__main__":
    prepare()
    shutil.rmtree(OUT, ignore_errors=True)   # no stale files from older builds
    subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going",
                    "-d", str(SRC / ".doctrees"), str(SRC), str(OUT)], check=True)
    drop_source_maps(OUT)
    print(f"site: {OUT / 'index.html'}")
