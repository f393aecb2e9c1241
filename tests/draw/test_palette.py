"""One palette, defined once: no colour literal in a drawing module outside draw/core.py."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import convlib as cl

DRAW = Path(cl.__file__).parent / "draw"
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")


@pytest.mark.parametrize("path", sorted(p for p in DRAW.glob("*.py") if p.name != "core.py"),
                         ids=lambda p: p.name)
def test_no_colour_literal_outside_core(path):
    found = [f"{path.name}:{n}: {line.strip()}"
             for n, line in enumerate(path.read_text().splitlines(), 1) if HEX.search(line)]
    assert not found, "colours must come from PALETTE / HEAT_CMAP:\n" + "\n".join(found)


def test_count_and_heat_maps_share_the_heat_colormap():
    from convlib.draw import dilated, receptive, transposed
    assert transposed._COUNT_CMAP is cl.draw.core.HEAT_CMAP
    assert dilated._PATHS_CMAP is cl.draw.core.PATHS_CMAP   # counts from 1: no white end
    assert receptive.PATHS_CMAP is receptive.HEAT_CMAP is cl.draw.core.HEAT_CMAP


def test_group_colours_never_reuse_a_meaning():
    from convlib.draw.core import GROUP_COLOURS, PALETTE
    assert not {c.lower() for c in GROUP_COLOURS} & {c.lower() for c in PALETTE.values()}
