"""Export every chapter to an offline reveal.js deck under build/slides/.

Usage: python tools/export_slides.py [notebooks/NN_name.ipynb ...]

Each deck loads reveal.js, MathJax, require.js, jQuery and the Jupyter
widgets HTML manager from build/slides/vendor/ (copied from the npm packages
pinned in tools/web/package.json), never from a CDN. Stored widget state shows
each explorer's last picture; the `animate` cells give kernel-free motion.
"""
from __future__ import annotations

import html
import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[1]
NODE = ROOT / "tools" / "web" / "node_modules"
OUT = ROOT / "build" / "slides"

# what each deck needs: npm package path -> path beside the pages
VENDOR = {
    "reveal.js/dist": "vendor/reveal.js/dist",
    "reveal.js/plugin": "vendor/reveal.js/plugin",
    "mathjax": "vendor/mathjax",
    "requirejs/require.js": "vendor/require.js",
    "jquery/dist/jquery.min.js": "vendor/jquery.min.js",
    "@jupyter-widgets/html-manager/dist": "vendor/html-manager",
    # the manager's icon fonts, where its webpack public path looks for them
    "@jupyter-widgets/html-manager/dist/": "@jupyter-widgets",
}


def copy_vendor(out: Path) -> None:
    for src, dst in VENDOR.items():
        source, target = NODE / src, out / dst
        if not source.exists():
            raise SystemExit(f"missing {source}: run `make web-vendor` (npm ci in tools/web)")
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target)


def exporter() -> SlidesExporter:
    c = Config()
    c.SlidesExporter.reveal_url_prefix = "vendor/reveal.js"
    c.SlidesExporter.extra_template_basedirs = [str(ROOT / "tools" / "web" / "templates")]
    c.SlidesExporter.template_name = "offline_reveal"
    c.SlidesExporter.reveal_theme = "white"   # "simple" imports web fonts
    c.SlidesExporter.reveal_transition = "none"
    c.SlidesExporter.reveal_scroll = True
    c.SlidesExporter.require_js_url = "vendor/require.js"
    c.SlidesExporter.jquery_url = "vendor/jquery.min.js"
    c.SlidesExporter.mathjax_url = "vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
    c.SlidesExporter.widget_renderer_url = "vendor/html-manager/embed-amd.js"
    c.SlidesExporter.exclude_input_prompt = True
    c.SlidesExporter.exclude_output_prompt = True
    return SlidesExporter(config=c)


def export(path: Path, out: Path = OUT) -> Path:
    nb = nbformat.read(path, as_version=4)
    body, _ = exporter().from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
    target = out / f"{path.stem}.slides.html"
    target.write_text(body, encoding="utf-8")
    return target


def write_index(decks: list[Path], out: Path = OUT) -> None:
    items = "\n".join(f'<li><a href="{d.name}">{html.escape(d.name.split(".")[0])}</a></li>'
                      for d in decks)
    (out / "index.html").write_text(
        "<!doctype html><meta charset='utf-8'><title>Convolution arithmetic: slides</title>"
        f"<h1>Convolution arithmetic: slide decks</h1><ul>\n{items}\n</ul>\n", encoding="utf-8")


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    OUT.mkdir(parents=True, exist_ok=True)
    copy_vendor(OUT)
    decks = [export(p) for p in paths]
    write_index(sorted(OUT.glob("*.slides.html")))
    for d in decks:
        print(f"wrote {d.relative_to(ROOT)}")
