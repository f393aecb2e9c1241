"""The exported decks and the static site together stay small enough to host and
download: under 30 MB, with no source maps and no whole MathJax tree."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILDS = [ROOT / "build" / "slides", ROOT / "build" / "site"]
LIMIT = 30 * 1024 * 1024


def files() -> list[Path]:
    missing = [b for b in BUILDS if not b.exists()]
    if missing:
        pytest.fail(f"{missing} missing: `make slides html` builds them (make test does)")
    return [f for b in BUILDS for f in b.rglob("*") if f.is_file()]


def test_decks_and_site_together_stay_under_30_mb():
    sizes = {b.name: sum(f.stat().st_size for f in b.rglob("*") if f.is_file()) for b in BUILDS}
    print({k: f"{v / 2**20:.1f} MB" for k, v in sizes.items()})
    assert sum(sizes.values()) < LIMIT, sizes


def test_no_source_maps_and_only_the_single_mathjax_bundle():
    names = files()
    assert [f for f in names if f.suffix == ".map"] == []
    mathjax = [f.name for f in names if "mathjax" in str(f.relative_to(ROOT)).lower()]
    assert sorted(set(mathjax)) == ["tex-svg-full.js"]


def test_no_page_shows_the_code_that_holds_an_exercise_answer():
    """Exercise cells are tagged remove-input: neither decks nor site pages carry their
    source (which names the answer), only the kernel-free checker."""
    import html
    import re

    import nbformat

    tagged = [c.source for nb in sorted((ROOT / "notebooks").glob("*.ipynb"))
              for c in nbformat.read(nb, as_version=4).cells
              if "cl.Exercise(" in c.source and "remove-input" in c.metadata.get("tags", [])]
    # the text a reader sees: tags (syntax highlighting splits code into spans) removed
    pages = {f.name: html.unescape(re.sub(r"<[^>]+>", "", f.read_text(encoding="utf-8")))
             for f in files() if f.suffix == ".html"}
    for source in tagged:
        first_line = source.strip().splitlines()[0].strip()
        shown = [name for name, text in pages.items() if first_line in text]
        assert shown == [], (first_line, shown)
