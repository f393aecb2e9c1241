"""Export every chapter to an offline reveal.js deck under build/slides/.

Usage: python tools/export_slides.py [notebooks/NN_name.ipynb ...]

Decks are 1280x720 with prose of at least 24 px; code is hidden behind a
"show code" switch (cells tagged ``show-code`` always show theirs); cells with
``slide_type: notes`` become speaker notes (press S). Widget views are replaced
by the HTML twin they carry (explorers and exercises, alive in the deck) or by their
stored pictures (tools/static_outputs.py), so no widget manager is shipped. Each deck loads reveal.js and MathJax 3's single
``tex-svg-full`` bundle from build/slides/vendor/ (copied from the npm packages
pinned in tools/web/package.json), never from a CDN, and no source maps.
"""
from __future__ import annotations

import html
import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter
from traitlets.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parent))
from static_images import shrink_images  # noqa: E402
from static_outputs import freeze_widgets, notebook_title  # noqa: E402
from slide_meta import is_note, note_text  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NODE = ROOT / "tools" / "web" / "node_modules"
OUT = ROOT / "build" / "slides"
TEMPLATES = ROOT / "tools" / "web" / "templates"

# what the decks need: npm package path -> path beside the pages (files only, no maps)
MATHJAX = {"mathjax/es5/tex-svg-full.js": "vendor/mathjax/tex-svg-full.js"}
VENDOR = {
    **MATHJAX,
    "reveal.js/dist/reveal.js": "vendor/reveal.js/dist/reveal.js",
    "reveal.js/dist/reveal.css": "vendor/reveal.js/dist/reveal.css",
    "reveal.js/dist/theme/white.css": "vendor/reveal.js/dist/theme/white.css",
    "reveal.js/dist/theme/fonts/source-sans-pro": "vendor/reveal.js/dist/theme/fonts/source-sans-pro",
    "reveal.js/plugin/notes/notes.js": "vendor/reveal.js/plugin/notes/notes.js",
}


def copy_vendor(out: Path, files: dict[str, str] = VENDOR) -> None:
    """Copy the listed npm files into `out` (source maps left out)."""
    for src, dst in files.items():
        source, target = NODE / src, out / dst
        if not source.exists():
            raise SystemExit(f"missing {source}: run `npm ci` in tools/web (make does it)")
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("*.map", "*.eot", "*.ttf"))
        else:
            shutil.copy2(source, target)


def exporter() -> SlidesExporter:
    c = Config()
    c.SlidesExporter.reveal_url_prefix = "vendor/reveal.js"
    c.SlidesExporter.extra_template_basedirs = [str(TEMPLATES)]
    c.SlidesExporter.template_name = "offline_reveal"
    c.SlidesExporter.reveal_theme = "white"   # "simple" imports web fonts
    c.SlidesExporter.reveal_transition = "none"
    c.SlidesExporter.reveal_scroll = False    # a slide must fit, not scroll
    c.SlidesExporter.mathjax_url = "vendor/mathjax/tex-svg-full.js"
    c.SlidesExporter.exclude_input_prompt = True
    c.SlidesExporter.exclude_output_prompt = True
    # an exercise's creating cell holds its answer: its input never reaches a deck
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_input_tags = {"remove-input"}
    c.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
    return SlidesExporter(config=c)


# figures are stored at 2x pixel density for a page about 800 px wide; a projected
# 1280x720 slide shows them larger (at most 1.35x, so still above 1x pixel density)
PROJECT_SCALE, PROJECT_MAX = 1.35, (1180, 360)


def projected(nb):
    """`nb` with each stored figure's display size scaled up for the room (in place)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            size = output.get("metadata", {}).get("image/png", {})
            if "width" in size and "height" in size:
                w, h = size["width"], size["height"]
                scale = max(1.0, min(PROJECT_SCALE, PROJECT_MAX[0] / w, PROJECT_MAX[1] / h))
                size["width"], size["height"] = round(w * scale), round(h * scale)
    return nb


def plain_notes(nb):
    """Speaker notes without their "Notes for presenters" line: the speaker view names them."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and is_note(cell):
            cell.source = note_text(cell)
    return nb


def export(path: Path, out: Path = OUT) -> Path:
    nb = plain_notes(projected(shrink_images(freeze_widgets(nbformat.read(path, as_version=4)))))
    body, _ = exporter().from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
    target = out / f"{path.stem}.slides.html"
    target.write_text(body, encoding="utf-8")
    return target


INDEX_CSS = """
body { font: 20px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2933;
       background: #f5f7fa; margin: 0; }
main { max-width: 960px; margin: 0 auto; padding: 48px 32px; }
h1 { font-size: 40px; margin: 0 0 8px; }
p.lead { color: #52606d; margin: 0 0 32px; }
ol { list-style: none; padding: 0; margin: 0; display: grid; gap: 14px; }
a.deck { display: flex; align-items: baseline; gap: 18px; padding: 18px 24px;
         background: #fff; border: 1px solid #d9e2ec; border-radius: 8px;
         text-decoration: none; color: inherit; }
a.deck:hover, a.deck:focus { border-color: #2a5d8f; box-shadow: 0 2px 8px #2a5d8f33; }
.num { font: 600 28px/1 ui-monospace, monospace; color: #2a5d8f; min-width: 2.2em; }
.title { font-size: 24px; font-weight: 600; }
.hint { color: #52606d; font-size: 16px; margin-top: 32px; }
kbd { border: 1px solid #9aa5b1; border-radius: 3px; padding: 0 4px; font-size: 14px; }
"""


def deck_entry(deck: Path, notebooks: Path = ROOT / "notebooks") -> tuple[str, str]:
    """(number, title) of a deck, read from its notebook's title or first heading."""
    stem = deck.name.split(".")[0]
    number, _, rest = stem.partition("_")
    source = notebooks / f"{stem}.ipynb"
    title = notebook_title(nbformat.read(source, as_version=4), rest.replace("_", " ")) \
        if source.exists() else rest.replace("_", " ")
    if title.startswith(number):
        title = title[len(number):].lstrip(" ·.:-")
    return number, title


def write_index(decks: list[Path], out: Path = OUT) -> Path:
    items = "\n".join(
        f'<li><a class="deck" href="{d.name}"><span class="num">{html.escape(n)}</span>'
        f'<span class="title">{html.escape(t)}</span></a></li>'
        for d in decks for n, t in [deck_entry(d)])
    target = out / "index.html"
    target.write_text(
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>Convolution arithmetic: slide decks</title>"
        f"<style>{INDEX_CSS}</style></head>\n<body><main>"
        "<h1>Convolution arithmetic: slide decks</h1>"
        "<p class='lead'>One deck per chapter, 1280×720, for presenting in a room.</p>"
        f"<ol>\n{items}\n</ol>"
        "<p class='hint'>In a deck: <kbd>→</kbd>, <kbd>Space</kbd> or a clicker's "
        "<kbd>PageDown</kbd> shows the next step, every slide in order (<kbd>←</kbd> goes back); "
        "<kbd>S</kbd> speaker notes, "
        "<kbd>C</kbd> or the <em>show code</em> button shows the code, <kbd>Esc</kbd> overview. "
        "The explorers and exercises work in the decks, with no kernel; click a slider "
        "first to move it with the arrow keys.</p>"
        "</main></body></html>\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not sys.argv[1:]:
        shutil.rmtree(OUT, ignore_errors=True)   # no stale vendor files from older builds
    OUT.mkdir(parents=True, exist_ok=True)
    copy_vendor(OUT)
    decks = [export(p) for p in paths]
    write_index(sorted(OUT.glob("*.slides.html")))
    for d in decks:
        print(f"wrote {d.relative_to(ROOT)}")
