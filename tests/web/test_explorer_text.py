"""The explorers' text is legible: canvas text goes through core.js's FONT (at least 16 CSS
px, legible from the back of a room on a 1280x720 slide), and no module sets another
canvas font."""
from __future__ import annotations

import re
from importlib import resources

FOLDER = resources.files("convlib.web").joinpath("explorers")
MODULES = {f.name: f.read_text(encoding="utf-8") for f in FOLDER.iterdir() if f.name.endswith(".js")}


def test_canvas_fonts_are_at_least_16_px():
    font = re.search(r"export const FONT = \{([^}]*)\}", MODULES["core.js"]).group(1)
    sizes = [int(px) for px in re.findall(r"(\d+)px", font)]
    assert sizes and min(sizes) >= 16, font


def test_every_canvas_font_is_a_font_of_core():
    for name, src in MODULES.items():
        for line in re.findall(r"ctx\.font\s*=\s*([^;]+);", src):
            assert "FONT." in line and "px" not in line, (name, line)
